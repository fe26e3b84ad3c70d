"""What every export writes and every import reads back.

Exports see a run document by document (``documents``): its original text,
the run's own mentions (the predictions), the reviewed spans, and the
relations between those spans. Imports hand the spans another tool holds
back to ``reconcile``, which turns the difference between them and the run
into ordinary decisions, checked and logged like the web page's.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Iterator, Mapping

import pandas as pd

from .. import model, overlay
from ..run import ReviewError, ReviewRun
from ..store import ACCEPTED, REJECTED, REVIEWED, Store

UNREVIEWED_NOTE = "letopis: unreviewed"  # marks a span nobody has reviewed yet


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled span of a document's original text."""

    id: str
    label: str
    start: int
    end: int
    text: str
    status: str = ""
    ref: str = ""


@dataclass(slots=True)
class DocExport:
    """One document as the exports see it."""

    doc_id: str
    text: str
    sha256: str
    review_status: str  # unreviewed | in_progress | reviewed
    predictions: list[Span]  # the run's mentions, as extracted
    spans: list[Span]  # the mentions after review, rejected ones left out
    relations: list[tuple[str, str, str]]  # (relation, head span id, tail span id) among ``spans``


@dataclass(slots=True)
class Report:
    """What an export or import did, for the command line to print."""

    written: list[Path] = field(default_factory=list)
    documents: int = 0
    decisions: int = 0
    warnings: list[str] = field(default_factory=list)


def _spans(frame: pd.DataFrame, status: bool) -> list[Span]:
    return [
        Span(r["mention_id"], r["label"], int(r["start"]), int(r["end"]), r["text"],
             r[overlay.STATUS] if status else "", "" if pd.isna(r["ref_id"]) else str(r["ref_id"]))
        for r in frame.sort_values(["start", "end"], kind="stable").to_dict("records")
    ]


def _relations(relations: pd.DataFrame, spans: list[Span]) -> list[tuple[str, str, str]]:
    """Relations between records, drawn between the spans that mention them: of the
    spans referring to a record, the one nearest the relation's evidence."""
    by_ref: dict[str, list[Span]] = {}
    for span in spans:
        for key in {span.ref, span.id} - {""}:
            by_ref.setdefault(key, []).append(span)
    out = []
    for r in relations.to_dict("records"):
        where = 0 if pd.isna(r["start"]) else int(r["start"])
        ends = [min(by_ref.get(r[k], []), key=lambda s: abs(s.start - where), default=None)
                for k in ("head_id", "tail_id")]
        if ends[0] is not None and ends[1] is not None and ends[0] != ends[1]:
            out.append((str(r["relation"]), ends[0].id, ends[1].id))
    return sorted(set(out), key=out.index)


def documents(run: ReviewRun, store: Store, report: Report, *, reviewed_only: bool = False) -> Iterator[DocExport]:
    """Every processed document of the run with its review applied."""
    state, stale = overlay.load(run, store)
    report.warnings += [f"{d}: reviewed on another extraction of it; its review is left out" for d in stale]
    applied = overlay.apply(run.tables, state)
    groups = {
        name: dict(tuple(applied[name].groupby("doc_id", sort=False)))
        for name in ("mentions", "relations")
    }
    run_mentions = dict(tuple(run.tables["mentions"].groupby("doc_id", sort=False)))
    empty = {name: applied[name].iloc[0:0] for name in groups}
    for doc in applied["documents"].to_dict("records"):
        doc_id = doc["doc_id"]
        if doc["status"] != "ok" or (reviewed_only and doc[overlay.STATUS] != REVIEWED):
            continue
        try:
            text = run.text(doc_id)
        except ReviewError as error:
            report.warnings.append(str(error))
            continue
        mentions = groups["mentions"].get(doc_id, empty["mentions"])
        spans = _spans(mentions[mentions[overlay.STATUS] != REJECTED], status=True)
        predictions = _spans(run_mentions.get(doc_id, run.tables["mentions"].iloc[0:0]).assign(
            **{overlay.STATUS: ""}), status=False)
        relations = _relations(groups["relations"].get(doc_id, empty["relations"]), spans)
        report.documents += 1
        yield DocExport(doc_id, text, str(doc.get("sha256") or ""), str(doc[overlay.STATUS]), predictions,
                        spans, relations)


def file_stem(doc_id: str, taken: set[str]) -> str:
    """A relative file path (without extension) for a document, never leaving the
    export folder: ``..`` and absolute parts are dropped, ``.txt`` too."""
    parts = [p for p in PurePosixPath(doc_id.replace("\\", "/")).parts if p not in ("/", ".", "..", "")]
    stem = "/".join(parts) or "document"
    stem = stem.removesuffix(".txt") or "document"
    unique, n = stem, 1
    while unique in taken:
        n += 1
        unique = f"{stem}~{n}"
    taken.add(unique)
    return unique


def inside(root: Path, relative: str) -> Path:
    """``root/relative``, refusing anything that would land outside ``root``."""
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ReviewError(400, f"{relative!r} would be written outside {root}")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# ---- imports ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Imported:
    """A span as another tool holds it; ``id`` is ours when the tool kept it."""

    id: str | None
    label: str
    start: int
    end: int
    unreviewed: bool = False


def _decide(run: ReviewRun, store: Store, reviewer: str, doc_id: str, kind: str, target_id: str,
            action: str, payload: Mapping[str, Any] | None = None) -> None:
    request = model.parse({"reviewer": reviewer, "doc_id": doc_id, "kind": kind, "target_id": target_id,
                           "action": action, "payload": dict(payload or {})})
    state, stale = overlay.load(run, store, doc_id)
    if stale:
        raise ReviewError(409, f"{doc_id} was reviewed on another extraction of it")
    decision, changes, fingerprint = model.Planner(run, state).plan(request)
    store.record(decision, changes, fingerprint)


def _triple(fields: Mapping[str, Any]) -> tuple[Any, Any, Any]:
    return fields.get("label"), fields.get("start"), fields.get("end")


def reconcile(run: ReviewRun, store: Store, doc_id: str, items: list[Imported], *, reviewed: bool,
              reviewer: str, report: Report) -> None:
    """Bring the store's review of ``doc_id`` to what ``items`` say: a span the run
    has and the tool kept is accepted (or edited, if its label or bounds changed;
    left alone if still marked unreviewed), a span the tool dropped is rejected,
    a new span is added; ``reviewed`` marks the document done."""
    run.document(doc_id)
    base = {r["mention_id"]: r for r in run.doc_tables(doc_id)["mentions"].to_dict("records")}
    state = store.state(doc_id)
    added = {t: s for (d, k, t), s in state.items() if d == doc_id and k == "mention" and s.added}
    by_span = {_triple(r): m for m, r in base.items()} | {_triple(s.fields): t for t, s in added.items()}
    wanted: list[tuple[str, str, dict[str, Any]]] = []  # (target, action, payload)
    seen: set[str] = set()
    for item in items:
        if item.id not in base and item.id not in added:  # drawn anew in the other tool
            item = replace(item, id=by_span.get((item.label, item.start, item.end), item.id))
        triple = {"label": item.label, "start": item.start, "end": item.end}
        current = state.get((doc_id, "mention", item.id or ""))
        if item.id in base:
            seen.add(item.id)
            original = _triple(base[item.id])
            if (item.label, item.start, item.end) == original:
                if item.unreviewed:
                    wanted += [(item.id, "reset", {})] if current is not None else []
                elif current is None or current.status != ACCEPTED:
                    wanted.append((item.id, "edit", triple) if current is not None and current.fields
                                  else (item.id, "accept", {}))
            elif (current is None or current.status == REJECTED
                  or {k: current.fields.get(k) for k in triple if k in current.fields}
                  != {k: v for k, v in triple.items() if v != base[item.id][k]}):
                wanted.append((item.id, "edit", triple))
        elif item.id in added:
            seen.add(item.id)
            if _triple(added[item.id].fields) != (item.label, item.start, item.end):
                wanted.append((item.id, "edit", triple))
            elif added[item.id].status == REJECTED:
                wanted.append((item.id, "accept", {}))
        else:
            target = item.id if item.id and model.ADDED_ID.match(item.id) else ""
            wanted.append((target, "add", triple))
    for mention_id in [*base, *added]:
        current = state.get((doc_id, "mention", mention_id))
        if mention_id not in seen and (current is None or current.status != REJECTED):
            wanted.append((mention_id, "reject", {}))
    done = state.get((doc_id, "document", doc_id)) is not None
    for target, action, payload in wanted:
        try:
            _decide(run, store, reviewer, doc_id, "mention", target, action, payload)
            report.decisions += 1
        except ReviewError as error:
            report.warnings.append(f"{doc_id}: {action} {target or payload}: {error}")
    if reviewed != done:
        _decide(run, store, reviewer, doc_id, "document", doc_id, "done" if reviewed else "reset")
        report.decisions += 1
    report.documents += 1
