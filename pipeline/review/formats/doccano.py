"""doccano JSONL: one line per document with its reviewed spans (``entities``) and
the ``relations`` between them, as doccano's sequence-labelling-with-relations
projects import them. Offsets are code points, as doccano (Python) counts them."""
from __future__ import annotations

import json
from pathlib import Path

from ..run import ReviewRun
from ..store import Store
from .common import DocExport, Report, documents, inside

FILENAME = "doccano.jsonl"


def line(doc: DocExport) -> dict[str, object]:
    ids = {span.id: n for n, span in enumerate(doc.spans, 1)}
    return {
        "doc_id": doc.doc_id,
        "text": doc.text,
        "review_status": doc.review_status,
        "entities": [
            {"id": ids[s.id], "label": s.label, "start_offset": s.start, "end_offset": s.end, "letopis_id": s.id}
            for s in doc.spans
        ],
        "relations": [
            {"id": n, "from_id": ids[head], "to_id": ids[tail], "type": relation}
            for n, (relation, head, tail) in enumerate(doc.relations, 1)
        ],
    }


def export(run: ReviewRun, store: Store, dest: Path, report: Report) -> None:
    path = inside(dest, FILENAME)
    with path.open("w", encoding="utf-8") as f:
        for doc in documents(run, store, report):
            f.write(json.dumps(line(doc), ensure_ascii=False) + "\n")
    report.written.append(path)
