"""Reviewed documents as gold: GOLD.md JSON with the texts beside it (what
``letopis evaluate DIR`` reads), and the same documents' spans as BRAT standoff
in ``DIR/brat`` (``letopis evaluate DIR/brat``). Only documents marked reviewed
are gold."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from ... import evaluate
from ..overlay import STATUS
from ..run import ReviewRun
from ..store import REVIEWED, Store
from . import brat
from .common import Report, documents, file_stem, inside
from .tables import reviewed_tables


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


def _in_gold_order(table: pd.DataFrame, doc_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows per document in the order ``evaluate.predicted_documents`` lists them."""
    rows = table[table["doc_id"].isin(doc_ids)].sort_values(["doc_id", "start"], kind="stable")
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows.to_dict("records"):
        grouped.setdefault(row["doc_id"], []).append(row)
    return grouped


def gold_documents(tables: dict[str, pd.DataFrame], doc_ids: list[str]) -> dict[str, dict[str, Any]]:
    """GOLD.md documents from reviewed tables: evaluate's reading of a run, with the
    fields GOLD.md has beyond what it scores (granularity, qualifier, kind, evidence)."""
    docs = evaluate.predicted_documents(tables, doc_ids)
    dates, events = _in_gold_order(tables["dates"], doc_ids), _in_gold_order(tables["events"], doc_ids)
    kinds = dict(zip(tables["treaties"]["name"], tables["treaties"]["kind"]))
    for doc_id, doc in docs.items():
        for item, row in zip(doc["dates"], dates.get(doc_id, [])):
            item.update(granularity=_text(row["granularity"]), qualifier=_text(row["qualifier"]))
        for item, row in zip(doc["events"], events.get(doc_id, [])):
            item["evidence"] = _text(row["sentence"]) or _text(row["trigger"])
        for item in doc["treaties"]:
            item["kind"] = _text(kinds.get(item["name"]))
    return docs


def export(run: ReviewRun, store: Store, dest: Path, report: Report) -> None:
    tables = reviewed_tables(run, store, report)
    docs = tables["documents"]
    reviewed = list(docs.loc[(docs[STATUS] == REVIEWED) & (docs["status"] == "ok"), "doc_id"])
    if not reviewed:
        report.warnings.append("no document is marked reviewed: no gold written")
        return
    taken: set[str] = set()
    stems = {doc_id: file_stem(doc_id, taken) for doc_id in reviewed}
    for doc_id, gold in gold_documents(tables, reviewed).items():
        name = stems[doc_id] + ".txt"
        gold["doc"] = name
        evaluate.parse_gold(gold, doc_id)  # what evaluate will read back
        text = inside(dest, name)
        with text.open("w", encoding="utf-8", newline="") as f:
            f.write(run.text(doc_id))
        path = inside(dest, stems[doc_id].replace("/", "__") + ".json")
        path.write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
        report.written += [path, text]
    seen = Report()
    for doc in documents(run, store, seen, reviewed_only=True):
        txt, ann, _ = brat.write_document(dest / "brat", stems[doc.doc_id], doc, notes=False)
        report.written += [txt, ann]
    report.documents = len(reviewed)
