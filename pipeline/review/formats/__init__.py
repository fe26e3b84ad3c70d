"""Exports of a reviewed run and imports of reviews made elsewhere.

``export(run, store, fmt, dest)`` writes csv, parquet (the SPEC tables with
the review applied), labelstudio, brat, doccano or gold; ``import_(path, run,
store)`` reads Label Studio JSON or a brat collection back into the store.
"""
from __future__ import annotations

from pathlib import Path

from ... import __version__
from ..run import ReviewError, ReviewRun
from ..store import Store
from . import brat, doccano, gold, labelstudio, tables
from .common import Report

FORMATS = ("csv", "parquet", "labelstudio", "brat", "doccano", "gold")
IMPORTS = ("labelstudio", "brat")


def export(run: ReviewRun, store: Store, fmt: str, dest: Path) -> Report:
    """Write the reviewed run in ``fmt`` into the folder ``dest``."""
    report = Report()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    if fmt in ("csv", "parquet"):
        tables.export(run, store, dest, report, fmt)
    elif fmt == "labelstudio":
        labelstudio.export(run, store, dest, report, f"letopis-{__version__}")
    elif fmt == "brat":
        brat.export(run, store, dest, report)
    elif fmt == "doccano":
        doccano.export(run, store, dest, report)
    elif fmt == "gold":
        gold.export(run, store, dest, report)
    else:
        raise ReviewError(400, f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    return report


def detect(path: Path) -> str:
    """Which format ``path`` holds: a brat folder (``*.ann``) or Label Studio JSON."""
    if path.is_dir() and any(path.rglob("*.ann")):
        return "brat"
    if path.suffix == ".json" or (path.is_dir() and any(path.glob("*.json"))):
        return "labelstudio"
    raise ReviewError(400, f"{path}: neither Label Studio JSON nor a brat folder (.ann files)")


def import_(path: Path, run: ReviewRun, store: Store, *, fmt: str | None = None, reviewer: str = "") -> Report:
    """Read reviews from ``path`` into ``store`` as decisions."""
    report = Report()
    fmt = fmt or detect(Path(path))
    if fmt == "labelstudio":
        labelstudio.import_(Path(path), run, store, reviewer, report)
    elif fmt == "brat":
        brat.import_(Path(path), run, store, reviewer, report)
    else:
        raise ReviewError(400, f"cannot import {fmt!r}: one of {', '.join(IMPORTS)}")
    return report
