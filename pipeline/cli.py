"""The ``letopis`` command: parses arguments and calls the stages; no logic of its own."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from . import __version__, batch

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Information extraction for Russian historical prose.",
)
console = Console(stderr=True)


@app.command()
def run(
    inputs: Annotated[list[Path], typer.Argument(help="Files and folders to process.", exists=True)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for the tables.")] = Path("outputs"),
    excel: Annotated[bool, typer.Option(help="CSV with a BOM, so Excel shows Cyrillic.")] = False,
    strict: Annotated[bool, typer.Option(help="Exit 1 if any document failed.")] = False,
) -> None:
    """Extract actors, dates, treaties, events and relations into OUT."""
    tables = batch.run(inputs, out, excel=excel)
    docs = tables["documents"]
    failed = docs[docs["status"] != "ok"]
    counts = tables["mentions"]["label"].value_counts().to_dict()
    console.print(
        f"{len(docs)} documents ({len(failed)} not ok), "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        + f" → {out}"
    )
    for row in failed.itertuples():
        console.print(f"[yellow]{row.status}[/] {row.path}: {row.error}")
    if strict and len(failed):
        raise typer.Exit(1)


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    app()
