"""The ``letopis`` command: parses arguments and calls the stages; no logic of its own."""
from __future__ import annotations

import json
import os
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from . import __version__, batch, progress, scorecard, tables
from . import evaluate as evaluate_module

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Information extraction for Russian historical prose.",
)
console = Console(stderr=True)


class EngineName(str, Enum):
    local = "local"
    dask = "dask"


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "none"


@app.command()
def run(
    inputs: Annotated[list[Path], typer.Argument(help="Files and folders to process.", exists=True)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for the tables.")] = Path("outputs"),
    workers: Annotated[Optional[int], typer.Option(
        "--workers", "-w", min=1, help="Worker processes (default: the machine's cores).",
        show_default=False)] = None,
    engine: Annotated[EngineName, typer.Option(help="local processes, or a Dask cluster.")] = EngineName.local,
    scheduler: Annotated[Optional[str], typer.Option(
        help="Dask scheduler address (tcp://host:8786); without it --engine dask starts a local cluster.")] = None,
    excel: Annotated[bool, typer.Option(help="CSV with a BOM, so Excel shows Cyrillic.")] = False,
    strict: Annotated[bool, typer.Option(help="Exit 1 if any document is not ok.")] = False,
) -> None:
    """Extract actors, dates, treaties, events and relations into OUT.

    Results of each document are kept in OUT/.letopis: running again with the same
    OUT resumes an interrupted run and processes only new or changed files."""
    report = batch.run(
        inputs, out, workers=workers or _cores(), engine_name=engine.value, scheduler=scheduler,
        excel=excel, progress=progress.for_console(console),
    )
    docs = report.tables["documents"]
    failed = docs[docs["status"] != "ok"]
    statuses = docs["status"].value_counts().to_dict()
    labels = report.tables["mentions"]["label"].value_counts().to_dict()
    console.print(
        f"{len(docs)} documents ({_counts(statuses)}; {report.processed} processed, "
        f"{report.reused} already done) in {report.seconds:.1f} s; mentions: {_counts(labels)} → {out}",
        highlight=False, soft_wrap=True,
    )
    for row in failed.itertuples():
        console.print(f"[yellow]{row.status}[/] {row.path}: {row.error}", highlight=False, soft_wrap=True)
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
