"""Agreement between two reviewers' stores over the same run, as span F1.

Only documents both reviewers marked reviewed count. Spans are the mentions
each review keeps (corrected labels and bounds, additions, no rejections);
``evaluate.score_spans`` matches them one to one, strict (same bounds) and
fuzzy (overlap), the label agreeing. With one review taken as reference,
precision and recall swap with the other; F1 is symmetric.
"""
from __future__ import annotations

import pandas as pd

from .. import evaluate
from .formats.common import Report
from .formats.tables import reviewed_tables
from .model import LABELS
from .overlay import STATUS
from .run import ReviewRun
from .store import REVIEWED, Store


def _reviewed(tables: dict[str, pd.DataFrame]) -> set[str]:
    docs = tables["documents"]
    return set(docs.loc[docs[STATUS] == REVIEWED, "doc_id"])


def span_agreement(run: ReviewRun, reference: Store, other: Store) -> tuple[pd.DataFrame, list[str]]:
    """Span P/R/F1 of ``other``'s review against ``reference``'s, and the documents compared."""
    a, b = reviewed_tables(run, reference, Report()), reviewed_tables(run, other, Report())
    docs = sorted(_reviewed(a) & _reviewed(b))

    def spans(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
        m = tables["mentions"]
        return evaluate.spans_frame(m[m["doc_id"].isin(docs)][list(evaluate.SPAN_COLUMNS)].to_dict("records"))

    return evaluate.score_spans(spans(b), spans(a), LABELS), docs
