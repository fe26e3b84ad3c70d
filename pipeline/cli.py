"""The ``letopis`` command: parses arguments and calls the stages; no logic of its own."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from . import __version__, batch, scorecard, tables
from . import evaluate as evaluate_module

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
def evaluate(
    gold: Annotated[Path, typer.Argument(
        help="Gold: a folder of GOLD.md JSON (texts beside it), BRAT standoff (NEREL) or factRuEval-2016.",
        exists=True, file_okay=False,
    )],
    run_dir: Annotated[Path | None, typer.Option("--run", help="Score this run's tables instead of running now.")] = None,
    system: Annotated[list[str], typer.Option(help="Systems to run and compare (letopis, natasha).")] = ["letopis", "natasha"],
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the report as JSON.")] = None,
) -> None:
    """Score letopis against gold, next to raw Natasha measured in the same run."""
    gold_set = scorecard.load(gold)
    if run_dir is not None:
        sections = scorecard.score(gold_set, tables.read(run_dir))
    else:
        unknown = set(system) - set(scorecard.SYSTEMS)
        if unknown:
            raise typer.BadParameter(f"unknown system(s): {', '.join(sorted(unknown))}")
        sections = scorecard.compare(gold_set, {s: scorecard.SYSTEMS[s] for s in system})
    typer.echo(evaluate_module.format_report(sections))
    if json_out is not None:
        json_out.write_text(json.dumps(evaluate_module.report_dict(sections), ensure_ascii=False, indent=2))


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    app()
