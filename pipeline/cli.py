"""The ``letopis`` command: parses arguments and calls the stages; no logic of its own.

Each command imports what it needs when it runs: ``letopis run`` reaches its first
document without importing pandas, the scorers or the review app."""
from __future__ import annotations

import json
import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Callable, TypeVar

import typer
from rich.console import Console

from . import __version__, batch, progress

if TYPE_CHECKING:
    from .review.formats.common import Report
    from .review.run import ReviewRun
    from .review.store import Store

T = TypeVar("T")

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
    workers: Annotated[int | None, typer.Option(
        "--workers", "-w", min=1, help="Worker processes (default: the machine's cores).",
        show_default=False)] = None,
    engine: Annotated[EngineName, typer.Option(help="local processes, or a Dask cluster.")] = EngineName.local,
    scheduler: Annotated[str | None, typer.Option(
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


def _reviewer() -> str:
    return os.environ.get("LETOPIS_REVIEWER") or os.environ.get("USER") or "reviewer"


def _review_errors(action: Callable[[], T]) -> T:
    """Run a review action; its 4xx-style errors end the command with their message."""
    from .review.run import ReviewError

    try:
        return action()
    except ReviewError as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None


def _store(out: Path, db: Path | None) -> tuple["ReviewRun", "Store"]:
    from .review.run import ReviewRun
    from .review.store import Store

    run = ReviewRun(out)
    return run, Store(db or run.store_path)


def _print_report(report: "Report", what: str) -> None:
    for warning in report.warnings:
        console.print(f"[yellow]{warning}[/]")
    console.print(f"{what}: {report.documents} documents, {report.decisions} decisions, {len(report.written)} files")


StorePath = Annotated[Path | None, typer.Option("--db", help="Review store (default: OUT/review.sqlite).")]


@app.command()
def review(
    out: Annotated[Path, typer.Argument(help="A run's output folder.", exists=True, file_okay=False)],
    host: Annotated[str, typer.Option(help="Address to bind; anything but loopback exposes the run.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: any free port).")] = 8765,
    reviewer: Annotated[str, typer.Option(help="Default reviewer name (the page can change it).")] = "",
    db: StorePath = None,
) -> None:
    """Review a run in the browser: accept, reject, correct and add what letopis found."""
    from .review import web

    run, store = _review_errors(lambda: _store(out, db))
    try:
        httpd = web.server(run, store, host=host, port=port, reviewer=reviewer or _reviewer())
    except OSError as error:
        console.print(f"[red]cannot listen on {host}:{port}: {error.strerror or error}[/]")
        raise typer.Exit(2) from None
    if host not in web.LOOPBACK:
        console.print(f"[yellow]bound to {host}: anyone who can reach this address can review the run[/]")
    console.print(f"http://{host}:{httpd.server_port}/ reviews {out} (Ctrl+C stops; every decision is saved)",
                  soft_wrap=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


@app.command()
def export(
    out: Annotated[Path, typer.Argument(help="A reviewed run's output folder.", exists=True, file_okay=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, parquet, labelstudio, brat, doccano or gold.")],
    dest: Annotated[Path, typer.Option("--out", "-o", help="Folder to write into.")],
    db: StorePath = None,
) -> None:
    """Export a run with its review applied (csv/parquet), for annotation tools, or as gold."""
    from .review import formats

    if fmt not in formats.FORMATS:
        raise typer.BadParameter(f"one of {', '.join(formats.FORMATS)}", param_hint="--format")
    report = _review_errors(lambda: formats.export(*_store(out, db), fmt, dest))
    _print_report(report, f"{fmt} → {dest}")


@app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="Label Studio JSON (file or folder) or a brat folder.", exists=True)],
    into: Annotated[Path, typer.Option("--into", help="The run's output folder.", exists=True, file_okay=False)],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="labelstudio or brat (default: detect).")] = None,
    reviewer: Annotated[str, typer.Option(help="Reviewer to record (default: as the file says).")] = "",
    db: StorePath = None,
) -> None:
    """Read reviews made in Label Studio or brat back into the review store."""
    from .review import formats

    report = _review_errors(lambda: formats.import_(source, *_store(into, db), fmt=fmt, reviewer=reviewer))
    _print_report(report, f"imported {source}")


@app.command()
def agreement(
    out: Annotated[Path, typer.Argument(help="The run both reviewed.", exists=True, file_okay=False)],
    reference: Annotated[Path, typer.Argument(help="One reviewer's store.", exists=True, dir_okay=False)],
    other: Annotated[Path, typer.Argument(help="The other reviewer's store.", exists=True, dir_okay=False)],
) -> None:
    """Span F1 between two reviewers' stores, over the documents both marked reviewed."""
    from .review.agreement import span_agreement
    from .review.store import Store

    def compute() -> tuple:
        from .review.run import ReviewRun

        return span_agreement(ReviewRun(out), Store(reference), Store(other))

    from .evaluate import format_report

    scores, docs = _review_errors(compute)
    console.print(f"{len(docs)} documents reviewed in both stores")
    typer.echo(format_report({"span agreement": scores}))


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
    from . import scorecard, tables
    from .evaluate import format_report, report_dict

    gold_set = scorecard.load(gold)
    if run_dir is not None:
        sections = scorecard.score(gold_set, tables.read(run_dir))
    else:
        unknown = set(system) - set(scorecard.SYSTEMS)
        if unknown:
            raise typer.BadParameter(f"unknown system(s): {', '.join(sorted(unknown))}")
        sections = scorecard.compare(gold_set, {s: scorecard.SYSTEMS[s] for s in system})
    typer.echo(format_report(sections))
    if json_out is not None:
        json_out.write_text(json.dumps(report_dict(sections), ensure_ascii=False, indent=2))


@app.command()
def show(
    source: Annotated[Path, typer.Argument(help="A text file.", exists=True, dir_okay=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML page to write.")] = Path("letopis.html"),
    trees: Annotated[bool, typer.Option(help="Also draw the dependency tree of every sentence.")] = False,
) -> None:
    """Draw what letopis finds in one text as a displaCy page."""
    from . import io, nlp, normalize, picture

    text = normalize.normalize(io.read_source(source).text).text
    doc = nlp.annotate(nlp.load(), text, nlp.DocContext())
    spans = len(doc.ents) + sum(len(doc.spans.get(key, ())) for key in picture.GROUPS)
    out.write_text(picture.page(doc, trees=trees, title=source.name), encoding="utf-8")
    console.print(f"{spans} mentions → {out}")


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    app()
