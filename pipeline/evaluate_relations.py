"""Event-argument relations scored against BRAT gold (NEREL), next to a baseline.

NEREL marks events as EVENT entities (usually the trigger word) and links
them by relations; three of them are ours: PARTICIPANT_IN (participant →
event), POINT_IN_TIME (event → date) and TAKES_PLACE_IN (event → place).
NEREL keeps the doer apart as AGENT, which our PARTICIPANT_IN includes, so
PARTICIPANT_IN is scored twice: against NEREL's PARTICIPANT_IN alone, and
against PARTICIPANT_IN ∪ AGENT (row ``PARTICIPANT_IN+AGENT``).

Matching: a predicted relation (type, head span, tail span) matches a gold one
when the types are equal and the head and tail character spans each overlap
the gold arguments' spans; matching is one-to-one (maximum bipartite, as in
``evaluate.match``), so a gold relation is found at most once. Predicted
relations are read off the Doc at mention level (``doc.spans["events"]``,
every trigger with its own arguments, before happenings are merged), since
NEREL annotates mentions. A gold relation counts wherever its arguments are;
the system and the baseline only ever propose arguments in the trigger's
sentence, plus the context date of the system.

The system's POINT_IN_TIME is scored twice: with every date the component
gives (its clause, the treaty's, its sentence, or the year of the context), and
with only the dates of its own sentence (clause and sentence sources), which
is what NEREL's in-text relations can confirm.

The same-sentence baseline pairs every event trigger the system found with
every entity of the right type in its sentence: actors for PARTICIPANT_IN,
LOCATION/STATE actors for TAKES_PLACE_IN, date spans for POINT_IN_TIME. Its
score is the ceiling of recall and the floor of precision that argument
attachment is judged against.

NEREL has no licence: it is used here for evaluation only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterable, Iterator, Mapping, Sequence

import pandas as pd
from spacy.tokens import Doc, Span

from . import evaluate as ev
from .evaluate import match, prf
from .events import DATE_SOURCES, PLACE_TYPES

RELATIONS = ("PARTICIPANT_IN", "POINT_IN_TIME", "TAKES_PLACE_IN")
MERGED = {"PARTICIPANT_IN+AGENT": ("PARTICIPANT_IN", "AGENT")}
_RELATION = re.compile(r"^R\d+\t(\S+) Arg1:(T\d+) Arg2:(T\d+)", re.M)


@dataclass(frozen=True, slots=True)
class Link:
    """A relation between two character spans of one document."""

    doc_id: str
    relation: str
    head: tuple[int, int]
    tail: tuple[int, int]


def read_brat_relations(directory: Path | str) -> tuple[list[Link], dict[str, str]]:
    """Every ``R`` line of the ``*.ann`` files as a Link between its arguments' spans,
    and the texts (``evaluate.read_brat`` reads the entities only)."""
    links: list[Link] = []
    texts: dict[str, str] = {}
    for doc_id, text, ann in ev.brat_documents(directory):
        texts[doc_id] = text
        spans = {tid: (start, end) for tid, _, start, end in ev.brat_entities(ann)}
        for m in _RELATION.finditer(ann):
            if m.group(2) in spans and m.group(3) in spans:
                links.append(Link(doc_id, m.group(1), spans[m.group(2)], spans[m.group(3)]))
    return links, texts


def _offsets(span: Span) -> tuple[int, int]:
    return span.start_char, span.end_char


def system_links(doc: Doc, doc_id: str, date_sources: Collection[str] = DATE_SOURCES) -> Iterator[Link]:
    """The events component's arguments as relations, one set per trigger mention;
    POINT_IN_TIME only for dates read from ``date_sources``."""
    for span in doc.spans.get("events", ()):
        event = span._.event
        trigger = _offsets(span)
        for participant in event.participants:
            yield Link(doc_id, "PARTICIPANT_IN", _offsets(participant), trigger)
        if event.date is not None and event.date_source in date_sources:
            yield Link(doc_id, "POINT_IN_TIME", trigger, _offsets(event.date))
        if event.place is not None:
            yield Link(doc_id, "TAKES_PLACE_IN", trigger, _offsets(event.place))


def baseline_links(doc: Doc, doc_id: str) -> Iterator[Link]:
    """Every trigger × every entity of the right type in the same sentence."""
    actors = [s for s in (*doc.ents, *doc.spans.get("actor_refs", ())) if s._.actor_type]
    dates = list(doc.spans.get("dates", ()))
    for span in doc.spans.get("events", ()):
        sent = span.sent
        inside = lambda s: sent.start <= s.start and s.end <= sent.end  # noqa: E731
        trigger = _offsets(span)
        for actor in filter(inside, actors):
            yield Link(doc_id, "PARTICIPANT_IN", _offsets(actor), trigger)
            if actor._.actor_type in PLACE_TYPES:
                yield Link(doc_id, "TAKES_PLACE_IN", trigger, _offsets(actor))
        for date in filter(inside, dates):
            yield Link(doc_id, "POINT_IN_TIME", trigger, _offsets(date))


def _same(gold: Link, pred: Link) -> bool:
    return ev.overlap(gold.head, pred.head) and ev.overlap(gold.tail, pred.tail)


def _count(gold: Sequence[Link], pred: Sequence[Link]) -> tuple[int, int, int]:
    by_doc: dict[str, tuple[list[Link], list[Link]]] = {}
    for link in gold:
        by_doc.setdefault(link.doc_id, ([], []))[0].append(link)
    for link in dict.fromkeys(pred):
        by_doc.setdefault(link.doc_id, ([], []))[1].append(link)
    tp = fp = fn = 0
    for doc_id in sorted(by_doc):
        m = match(*by_doc[doc_id], _same)
        tp, fp, fn = tp + len(m.pairs), fp + len(m.spurious), fn + len(m.missed)
    return tp, fp, fn


def _rows(gold: Sequence[Link], pred: Sequence[Link], system: str) -> Iterator[dict[str, object]]:
    wanted = {r: (r,) for r in RELATIONS} | MERGED
    for name, gold_types in wanted.items():
        pred_type = name.split("+")[0]
        g = [x for x in gold if x.relation in gold_types]
        p = [x for x in pred if x.relation == pred_type]
        tp, fp, fn = _count(g, p)
        precision, recall, f1 = prf(tp, fp, fn)
        yield {"relation": name, "system": system, "tp": tp, "fp": fp, "fn": fn,
               "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def _event_side(link: Link) -> tuple[int, int]:
    return link.tail if link.relation in ("PARTICIPANT_IN", "AGENT") else link.head


def on_triggers(gold: Sequence[Link], triggers: Iterable[tuple[str, tuple[int, int]]]) -> list[Link]:
    """The gold relations of events the system found (event span overlaps a trigger):
    argument attachment judged apart from trigger coverage."""
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for doc_id, span in triggers:
        by_doc.setdefault(doc_id, []).append(span)
    return [g for g in gold if any(ev.overlap(_event_side(g), t) for t in by_doc.get(g.doc_id, ()))]


def triggers_of(doc: Doc, doc_id: str) -> Iterator[tuple[str, tuple[int, int]]]:
    for span in doc.spans.get("events", ()):
        yield doc_id, _offsets(span)


def score(gold: Sequence[Link], systems: Mapping[str, Iterable[Link]], scope: str = "all gold") -> pd.DataFrame:
    """P/R/F1 per relation for each system (the events component, the same-sentence baseline)."""
    rows = [row for name, links in systems.items() for row in _rows(gold, list(links), name)]
    table = pd.DataFrame(rows).sort_values(["relation", "system"], kind="stable").reset_index(drop=True)
    table.insert(0, "gold", scope)
    return table
