"""The SPEC tables with the review applied: rejected rows dropped, corrections and
additions in, a ``review_status`` column on every table."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ... import tables as tables_module
from .. import overlay
from ..run import ReviewRun
from ..store import Store
from .common import Report, inside


def reviewed_tables(run: ReviewRun, store: Store, report: Report) -> dict[str, pd.DataFrame]:
    state, stale = overlay.load(run, store)
    report.warnings += [f"{d}: reviewed on another extraction of it; its review is left out" for d in stale]
    return overlay.final(overlay.apply(run.tables, state))


def export(run: ReviewRun, store: Store, dest: Path, report: Report, fmt: str) -> None:
    """Write each table as ``NAME.csv`` or ``NAME.parquet``, atomically."""
    reviewed = reviewed_tables(run, store, report)
    for name in tables_module.TABLES:
        path = inside(dest, f"{name}.{fmt}")
        tmp = path.with_name(path.name + ".tmp")
        if fmt == "csv":
            reviewed[name].to_csv(tmp, index=False, encoding="utf-8")
        else:
            reviewed[name].to_parquet(tmp, index=False)
        tmp.replace(path)
        report.written.append(path)
    report.documents = int((reviewed["documents"]["status"] == "ok").sum())
