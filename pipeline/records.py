"""Plain records passed between stages.

Everything that leaves the spaCy ``Doc`` becomes one of these dataclasses,
with offsets into the *original* decoded text (SPEC "Offsets"). They know
nothing of spaCy, pandas or files, so every stage can be tested alone.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

# mention labels (SPEC mentions.label)
PER, ORG, LOC, DATE, TREATY, EVENT = "PER", "ORG", "LOC", "DATE", "TREATY", "EVENT"

# actor types (SPEC actors.type) and the mention label each one is written as
ACTOR_LABELS: dict[str, str] = {
    "PERSON": PER,
    "ORGANIZATION": ORG,
    "STATE": LOC,
    "LOCATION": LOC,
}


def stable_id(prefix: str, *parts: str) -> str:
    """A corpus-wide id that depends only on what identifies the record, so
    re-runs, resumed runs and new documents never renumber anything."""
    key = "\x1f".join(p.casefold().replace("ё", "е") for p in parts)
    return prefix + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


@dataclass(slots=True)
class Document:
    """One input file: a row of documents.csv."""

    doc_id: str
    path: str
    status: str = "ok"  # ok | error | skipped
    error: str = ""
    encoding: str = ""
    chars: int = 0
    sha256: str = ""
    orthography: str = ""  # modern | pre-1918
    paragraphs: int = 0
    sentences: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class Mention:
    """An extracted span, in original offsets: a row of mentions.csv."""

    doc_id: str
    mention_id: str
    label: str
    start: int
    end: int
    text: str
    norm: str
    sentence_id: int
    source: str
    ref_id: str = ""
    actor_type: str = ""  # PERSON/ORGANIZATION/STATE/LOCATION for actor mentions
    canonical: str = ""  # name of the actor/treaty the mention refers to


@dataclass(slots=True)
class DateRecord:
    """A date expression normalized to an inclusive interval: a row of dates.csv."""

    doc_id: str
    date_id: str
    start: int
    end: int
    text: str
    value_start: str
    value_end: str
    granularity: str
    qualifier: str = ""
    old_style_start: str = ""
    old_style_end: str = ""
    sentence_id: int = 0


@dataclass(slots=True)
class TreatyRecord:
    """What one document says about one treaty, before corpus-level merging: a row of
    doc_treaties.csv. Each ``*_source`` says where the value came from: the
    document's text or the reference base ("text" | "base"), one per party."""

    doc_id: str
    treaty_id: str
    key: str  # resolution key: reference-base id, or the canonical name
    name: str
    kind: str
    date_signed: str = ""
    date_signed_source: str = ""
    place: str = ""
    place_source: str = ""
    parties: list[str] = field(default_factory=list)
    parties_source: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    base_id: str = ""
    n_mentions: int = 0


@dataclass(slots=True)
class Event:
    """Something that happened, in one document: a row of events.csv."""

    doc_id: str
    event_id: str
    type: str
    trigger: str
    start: int
    end: int
    date_start: str = ""
    date_end: str = ""
    place: str = ""  # actor_id of the place
    participants: list[str] = field(default_factory=list)  # actor_ids
    treaty_id: str = ""
    sentence: str = ""
    sentence_id: int = 0
    polarity: str = "positive"
    date_source: str = ""  # clause | treaty | sentence | context: where the date was read


@dataclass(slots=True)
class Relation:
    """A typed link between two records: a row of relations.csv."""

    doc_id: str
    head_id: str
    relation: str
    tail_id: str
    start: int
    end: int
    source: str


@dataclass(slots=True)
class DocResult:
    """Everything extracted from one document; the unit batch runs store."""

    document: Document
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateRecord] = field(default_factory=list)
    doc_treaties: list[TreatyRecord] = field(default_factory=list)  # resolved into treaties.csv
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
