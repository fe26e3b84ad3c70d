"""Label Studio JSON tasks, out and back.

Export: one task per document (``data.text`` the original text,
``data.doc_id``), the run's mentions as ``predictions``, and — for
documents someone reviewed — the reviewed spans as an ``annotations`` entry
(``labels`` results, ``relation`` results between them). Spans nobody has
reviewed yet carry the region note ``letopis: unreviewed``; an annotation of
a document not marked reviewed says so in ``letopis_status``. Result ids are
our mention ids, so an import knows which span is which. ``label_config.xml``
is the project's labelling interface.

Import: every task with a submitted (not cancelled) annotation is reconciled
with the store (``common.reconcile``); tasks with predictions only are left
alone. Label Studio counts offsets in UTF-16 code units, Python in code
points: both directions convert.
"""
from __future__ import annotations

import json
from bisect import bisect_right
from pathlib import Path
from typing import Any, Iterable

from ..model import LABELS, RELATIONS
from ..render import LABEL_COLORS
from ..run import ReviewError, ReviewRun
from ..store import REVIEWED, Store
from .common import UNREVIEWED_NOTE, DocExport, Imported, Report, Span, documents, inside, reconcile

FROM_NAME, TO_NAME = "label", "text"
TASKS, CONFIG = "tasks.json", "label_config.xml"


class Offsets:
    """Code-point ↔ UTF-16 offsets of one text (the identity when it has no astral characters)."""

    def __init__(self, text: str) -> None:
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def to_utf16(self, i: int) -> int:
        return i + bisect_right(self.astral, i - 1)

    def from_utf16(self, j: int) -> int:
        i = j
        while self.to_utf16(i) > j:
            i -= 1
        return i


def label_config() -> str:
    labels = "".join(f'    <Label value="{x}" background="{LABEL_COLORS[x]}"/>\n' for x in LABELS)
    relations = "".join(f'    <Relation value="{r}"/>\n' for r in RELATIONS)
    return (
        "<View>\n  <Style>.htx-text { white-space: pre-wrap; }</Style>\n"
        f"  <Relations>\n{relations}  </Relations>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{labels}  </Labels>\n'
        f'  <Text name="{TO_NAME}" value="$text" granularity="symbol"/>\n</View>\n'
    )


def _result(span: Span, offsets: Offsets, origin: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": span.id, "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels", "origin": origin,
        "value": {"start": offsets.to_utf16(span.start), "end": offsets.to_utf16(span.end), "text": span.text,
                  "labels": [span.label]},
    }
    if span.status == "unreviewed":
        item["meta"] = {"text": [UNREVIEWED_NOTE]}
    return item


def _relation(relation: tuple[str, str, str]) -> dict[str, Any]:
    name, head, tail = relation
    return {"from_id": head, "to_id": tail, "type": "relation", "direction": "right", "labels": [name]}


def task(doc: DocExport, model_version: str) -> dict[str, Any]:
    offsets = Offsets(doc.text)
    predicted = {s.id for s in doc.predictions}
    out: dict[str, Any] = {
        "data": {"text": doc.text, "doc_id": doc.doc_id, "sha256": doc.sha256},
        "predictions": [{
            "model_version": model_version,
            "result": [_result(s, offsets, "prediction") for s in doc.predictions],
        }],
    }
    if doc.review_status != "unreviewed":
        out["annotations"] = [{
            "result": [_result(s, offsets, "prediction" if s.id in predicted else "manual") for s in doc.spans]
            + [_relation(r) for r in doc.relations],
            "was_cancelled": False,
            "ground_truth": doc.review_status == REVIEWED,
            "letopis_status": doc.review_status,
        }]
    return out


def export(run: ReviewRun, store: Store, dest: Path, report: Report, model_version: str) -> None:
    tasks = [task(doc, model_version) for doc in documents(run, store, report)]
    path = inside(dest, TASKS)
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    config = inside(dest, CONFIG)
    config.write_text(label_config(), encoding="utf-8")
    report.written += [path, config]


# ---- import -----------------------------------------------------------------------------


def read_tasks(path: Path) -> list[dict[str, Any]]:
    """Tasks from a Label Studio JSON export (a list of tasks, or one task), or every
    ``*.json`` of a folder."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    tasks: list[dict[str, Any]] = []
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ReviewError(400, f"{file}: not Label Studio JSON ({error})") from None
        items = data if isinstance(data, list) else [data]
        if not all(isinstance(t, dict) for t in items):
            raise ReviewError(400, f"{file}: expected a list of task objects")
        tasks += items
    return tasks


def _annotation(task: dict[str, Any]) -> dict[str, Any] | None:
    """The task's latest submitted annotation."""
    submitted = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    if not submitted:
        return None
    return max(enumerate(submitted), key=lambda p: (str(p[1].get("updated_at") or p[1].get("created_at") or ""), p[0]))[1]


def _items(results: Iterable[Any], offsets: Offsets, where: str, report: Report) -> list[Imported]:
    items = []
    for r in results:
        if not isinstance(r, dict) or r.get("type") != "labels":
            continue
        value = r.get("value") or {}
        labels = value.get("labels") or []
        start, end = value.get("start"), value.get("end")
        if len(labels) != 1 or labels[0] not in LABELS or not isinstance(start, int) or not isinstance(end, int):
            report.warnings.append(f"{where}: region {r.get('id')!r} skipped (one of {', '.join(LABELS)} expected)")
            continue
        notes = (r.get("meta") or {}).get("text") or []
        items.append(Imported(str(r["id"]) if r.get("id") is not None else None, labels[0],
                              offsets.from_utf16(start), offsets.from_utf16(end), UNREVIEWED_NOTE in notes))
    return items


def _reviewer(annotation: dict[str, Any], default: str) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return default or (f"labelstudio:{who}" if who not in (None, "") else "labelstudio")


def import_(path: Path, run: ReviewRun, store: Store, reviewer: str, report: Report) -> None:
    for n, t in enumerate(read_tasks(path)):
        data = t.get("data") or {}
        doc_id = data.get("doc_id")
        where = f"task {t.get('id', n)}"
        annotation = _annotation(t)
        if annotation is None:
            continue
        if not isinstance(doc_id, str) or doc_id not in run:
            report.warnings.append(f"{where}: no document {doc_id!r} in the run; skipped")
            continue
        text = run.text(doc_id)
        if "text" in data and data["text"] != text:
            report.warnings.append(f"{where}: its text is not {doc_id}'s; skipped")
            continue
        items = _items(annotation.get("result") or [], Offsets(text), where, report)
        reviewed = annotation.get("letopis_status", REVIEWED) == REVIEWED and not any(i.unreviewed for i in items)
        reconcile(run, store, doc_id, items, reviewed=reviewed, reviewer=_reviewer(annotation, reviewer),
                  report=report)

