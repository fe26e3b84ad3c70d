"""One document, start to finish: file → text → normalized blocks → Doc → records.

This is the "records" stage of DESIGN.md: the only place that reads the
components' spans and extension attributes and turns them into plain records
in original offsets. Corpus-level merging (actors, treaties) is ``resolve``'s.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import events
from . import nlp as nlp_module
from .io import DocumentError, Source, read_source
from .normalize import Normalized, blocks
from .records import (
    ACTOR_LABELS, DATE, EVENT, TREATY, DateRecord, Document, DocResult, Event, Mention, Relation, TreatyRecord,
    stable_id,
)
from .treaties import DESCRIPTIVE, NAMED, Treaty

DEFAULT_BLOCK_CHARS = 200_000
DEFAULT_MAX_BYTES = 64 * 2**20

OnBlock = Callable[[DocResult], None]


@dataclass(slots=True)
class _Builder:
    """Collects one document's records across its blocks, numbering them."""

    original: str
    result: DocResult
    sentences: int = 0
    counters: dict[str, int] = field(default_factory=dict)
    treaties: dict[str, TreatyRecord] = field(default_factory=dict)  # key -> the document's record
    first_mention: dict[str, Mention] = field(default_factory=dict)  # key -> its first TREATY mention
    happenings: dict[tuple[str, str, str], Event] = field(default_factory=dict)  # (type, treaty_id, own actors) -> event
    related: set[tuple[str, str, str]] = field(default_factory=set)  # relations already written
    # what later blocks read of the records written so far (those may be spilled, see ``Extractor.source``)
    date_ids: dict[tuple[int, int], str] = field(default_factory=dict)  # original offsets -> its first date_id
    mentioned: set[str] = field(default_factory=set)  # ref_id of every mention

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]}"

    def add_block(self, block: Normalized, doc: Doc) -> None:
        sent_of, count = _sentence_index(doc, self.sentences)
        for span in _actor_spans(doc):
            self._actor_mention(block, span, sent_of)
        for span in doc.spans.get("dates", ()):
            self._date(block, span, sent_of)
        for span in doc.spans.get("treaties", ()):  # after the dates: SIGNED_ON names a date_id
            self._treaty_mention(block, span, sent_of)
        self._events(block, doc, sent_of)
        self.sentences += count

    def _mention(self, mention: Mention) -> None:
        self.result.mentions.append(mention)
        self.mentioned.add(mention.ref_id)

    def _span(self, block: Normalized, span: Span) -> tuple[int, int, str]:
        start, end = block.span(span.start_char, span.end_char)
        return start, end, self.original[start:end]

    def _actor_mention(self, block: Normalized, span: Span, sent_of: np.ndarray) -> None:
        actor_type = span._.actor_type
        if not actor_type or not span._.canonical:
            return
        start, end, text = self._span(block, span)
        self._mention(Mention(
            doc_id=self.result.document.doc_id,
            mention_id=self.next_id("M"),
            label=ACTOR_LABELS[actor_type],
            start=start,
            end=end,
            text=text,
            norm=span._.norm or span.text,
            sentence_id=int(sent_of[span.start]),
            source=span._.source,
            ref_id=stable_id("A", actor_type, span._.canonical),
            actor_type=actor_type,
            canonical=span._.canonical,
        ))

    def _events(self, block: Normalized, doc: Doc, sent_of: np.ndarray) -> None:
        """One Event per happening (a cluster of factual mentions), with its relations."""
        spans = list(doc.spans.get("events", ()))
        clusters: dict[int, list[Span]] = {}
        for span in spans:
            if span._.event is not None and span._.event.factual:
                clusters.setdefault(span._.event.cluster, []).append(span)
        for representative, members in sorted(clusters.items()):
            for act in spans[representative]._.event.acts():
                self._event(block, spans[representative], act, members, sent_of)
        for span in doc.spans.get("actor_relations", ()):
            relation = span._.relation
            start, end, _ = self._span(block, span)
            self._relate(_actor_id(relation.head), relation.label, _actor_id(relation.tail), start, end, "syntax")

    def _event(self, block: Normalized, span: Span, mention: events.EventMention, members: list[Span],
               sent_of: np.ndarray) -> None:
        """One happening (``mention``, an act of ``span``'s mention): a new Event, or more
        evidence for the same treaty event of an earlier block."""
        mentions = [mention] + [m._.event for m in members if m != span]
        participants = [p for m in mentions for p in m.participants]
        place = next((m.place for m in mentions if m.place is not None), None)
        treaty = next((m.treaty for m in mentions if m.treaty is not None), None)
        parties = _treaty_parties(treaty, participants) if mention.type in events.TREATY_EVENTS else []
        if not (participants or parties or place is not None):
            return  # "отказ от войны", a treaty with unknown parties: no who or where
        ids = list(dict.fromkeys([_actor_id(p) for p in participants] + parties))
        key = (mention.type, _treaty_id(treaty), "|".join(_actor_id(a) for a in mention.own))
        event = self.happenings.get(key) if key[1] else None
        if event is not None and not _same_time(event, mention):
            event = None  # the same treaty signed again, or a treaty taken for another
        if event is None:
            start, end, text = self._span(block, span)
            event = Event(
                doc_id=self.result.document.doc_id, event_id=self.next_id("E"), type=mention.type,
                trigger=text, start=start, end=end, date_start=mention.date_start, date_end=mention.date_end,
                place=_actor_id(place) if place is not None else "", participants=ids, treaty_id=key[1],
                sentence=" ".join(self._span(block, mention.sentence)[2].split()),
                sentence_id=int(sent_of[span.start]), polarity=mention.polarity, date_source=mention.date_source,
            )
            self.result.events.append(event)
            if key[1]:
                self.happenings[key] = event
        else:
            event.participants = list(dict.fromkeys(event.participants + ids))
            event.place = event.place or (_actor_id(place) if place is not None else "")
            if _DATE_RANK.get(mention.date_source, 9) < _DATE_RANK.get(event.date_source, 9):
                event.date_start, event.date_end, event.date_source = (
                    mention.date_start, mention.date_end, mention.date_source)
        self._event_evidence(block, event, span, mention, members, parties, place, sent_of)

    def _event_evidence(
        self, block: Normalized, event: Event, span: Span, mention: events.EventMention, members: list[Span],
        parties: list[str], place: Span | None, sent_of: np.ndarray,
    ) -> None:
        """EVENT mentions and the event's relations, each with its evidence in original offsets."""
        doc_id, event_id = self.result.document.doc_id, event.event_id

        def relate(head: str, label: str, tail: str, a: Span, b: Span | None, source: str) -> None:
            lo, hi = (a.start_char, a.end_char) if b is None else (
                min(a.start_char, b.start_char), max(a.end_char, b.end_char))
            self._relate(head, label, tail, *block.span(lo, hi), source)

        for member in members:
            start, end, text = self._span(block, member)
            self._mention(Mention(
                doc_id=doc_id, mention_id=self.next_id("M"), label=EVENT, start=start, end=end, text=text,
                norm=member._.event.lemma, sentence_id=int(sent_of[member.start]), source="events",
                ref_id=event_id,
            ))
            for participant in (mention if member == span else member._.event).participants:
                relate(_actor_id(participant), "PARTICIPANT_IN", event_id, member, participant, "syntax")
        for party in parties:
            relate(party, "PARTICIPANT_IN", event_id, span, None, "treaty")
        date_id = self._date_id(block, mention.date)
        if date_id and mention.date_source == event.date_source:
            relate(event_id, "POINT_IN_TIME", date_id, span, mention.date, mention.date_source)
        if place is not None:
            relate(event_id, "TAKES_PLACE_IN", _actor_id(place), span, place, "syntax")

    def _date_id(self, block: Normalized, date: Span | None) -> str:
        """The id of the date record written for ``date`` (matched by original offsets)."""
        if date is None:
            return ""
        return self.date_ids.get(block.span(date.start_char, date.end_char), "")

    def _treaty_mention(self, block: Normalized, span: Span, sent_of: np.ndarray) -> None:
        """A TREATY mention, the document's record of its treaty, and the relations
        the text gives evidence for (PARTY_TO, SIGNED_ON, SIGNED_IN)."""
        treaty: Treaty = span._.treaty
        doc_id = self.result.document.doc_id
        treaty_id = stable_id("T", treaty.key)
        start, end, text = self._span(block, span)
        mention = Mention(
            doc_id=doc_id, mention_id=self.next_id("M"), label=TREATY, start=start, end=end, text=text,
            norm=treaty.norm or span.text, sentence_id=int(sent_of[span.start]),
            source=f"treaties:{treaty.reference}", ref_id=treaty_id, canonical=treaty.name,
        )
        self._mention(mention)
        self.first_mention.setdefault(treaty.key, mention)
        previous = self.treaties.get(treaty.key)
        aliases = list(previous.aliases) if previous else []
        forms = [mention.norm] if treaty.reference in (NAMED, DESCRIPTIVE) else []
        aliases += [f for f in dict.fromkeys([*forms, treaty.title, *treaty.variants]) if f and f not in aliases]
        self.treaties[treaty.key] = TreatyRecord(
            doc_id=doc_id, treaty_id=treaty_id, key=treaty.key, name=treaty.name, kind=treaty.kind,
            date_signed=treaty.date_signed, date_signed_source=treaty.sources.get("date_signed", ""),
            place=treaty.place, place_source=treaty.sources.get("place", ""),
            parties=list(treaty.parties), parties_source=list(treaty.party_sources),
            aliases=aliases, base_id=treaty.base_id, n_mentions=(previous.n_mentions if previous else 0) + 1,
        )
        for name, evidence in zip(treaty.text_parties, treaty.party_spans):
            if evidence is None:  # read in an earlier block, and related there
                continue
            actor = stable_id("A", evidence._.actor_type or "STATE", name)
            self._relation(block, evidence, actor, "PARTY_TO", treaty_id)
        if treaty.sources.get("date_signed") == "text" and treaty.date_span is not None:
            date = self._date_id(block, treaty.date_span)
            if date:
                self._relation(block, treaty.date_span, treaty_id, "SIGNED_ON", date)
        if treaty.sources.get("place") == "text" and treaty.place_span is not None:
            place = stable_id("A", treaty.place_span._.actor_type or "LOCATION", treaty.place)
            self._relation(block, treaty.place_span, treaty_id, "SIGNED_IN", place)

    def _relation(self, block: Normalized, evidence: Span, head: str, relation: str, tail: str) -> None:
        start, end, _ = self._span(block, evidence)
        self._relate(head, relation, tail, start, end, "text")

    def _relate(self, head: str, relation: str, tail: str, start: int, end: int, source: str) -> None:
        """Write a relation once per document, with the evidence of its first telling."""
        if (head, relation, tail) not in self.related:
            self.related.add((head, relation, tail))
            self.result.relations.append(Relation(self.result.document.doc_id, head, relation, tail, start, end, source))

    def finish(self) -> None:
        """The document's treaty records, and the base-given parties and places of its
        treaties as relations where the document mentions those actors."""
        self.result.doc_treaties = list(self.treaties.values())
        for record in self.result.doc_treaties:
            first = self.first_mention[record.key]
            links = [(stable_id("A", "STATE", p), "PARTY_TO") for p, source in
                     zip(record.parties, record.parties_source) if source == "base"]
            if record.place_source == "base":
                links.append((stable_id("A", "LOCATION", record.place), "SIGNED_IN"))
            for actor, relation in links:
                head, tail = (actor, record.treaty_id) if relation == "PARTY_TO" else (record.treaty_id, actor)
                if actor in self.mentioned:
                    self._relate(head, relation, tail, first.start, first.end, "base")

    def _date(self, block: Normalized, span: Span, sent_of: np.ndarray) -> None:
        """A row of dates.csv and its DATE mention (``norm`` is the ISO interval)."""
        value = span._.date
        if value is None:
            return
        start, end, text = self._span(block, span)
        doc_id, date_id, sentence_id = self.result.document.doc_id, self.next_id("D"), int(sent_of[span.start])
        self.date_ids.setdefault((start, end), date_id)
        self.result.dates.append(DateRecord(
            doc_id=doc_id,
            date_id=date_id,
            start=start,
            end=end,
            text=text,
            value_start=value.value_start,
            value_end=value.value_end,
            granularity=value.granularity,
            qualifier=value.qualifier,
            old_style_start=value.old_style_start,
            old_style_end=value.old_style_end,
            sentence_id=sentence_id,
        ))
        self._mention(Mention(
            doc_id=doc_id,
            mention_id=self.next_id("M"),
            label=DATE,
            start=start,
            end=end,
            text=text,
            norm=f"{value.value_start}/{value.value_end}",
            sentence_id=sentence_id,
            source="letopis_dates",
            ref_id=date_id,
        ))


def _actor_spans(doc: Doc) -> Iterator[Span]:
    yield from doc.ents
    yield from doc.spans.get("actor_refs", ())


def _sentence_index(doc: Doc, offset: int) -> tuple[np.ndarray, int]:
    """Document-wide sentence number of every token of ``doc``, and the count."""
    index = np.zeros(len(doc), dtype=np.int64)
    count = 0
    for count, sent in enumerate(doc.sents, 1):
        index[sent.start : sent.end] = offset + count - 1
    return index, count


_DATE_RANK = {source: rank for rank, source in enumerate(events.DATE_SOURCES)}


def _same_time(event: Event, mention: events.EventMention) -> bool:
    """Could the mention tell the event of an earlier block: either date is weak
    ("context") or missing, or the intervals overlap."""
    if "context" in (event.date_source, mention.date_source) or not (event.date_start and mention.date_start):
        return True
    return event.date_start <= mention.date_end and mention.date_start <= event.date_end


def _actor_id(span: Span) -> str:
    return stable_id("A", span._.actor_type, span._.canonical)


def _treaty_id(treaty: Span | None) -> str:
    if treaty is None:
        return ""
    return stable_id("T", str(getattr(treaty._.treaty, "key", "") or treaty.text))


def _treaty_parties(treaty: Span | None, participants: list[Span]) -> list[str]:
    """Actor ids of a treaty's parties; a party named like an actor of the sentence
    takes that actor's type, others are states (treaty parties are polities)."""
    if treaty is None:
        return []
    types = {p._.canonical.casefold(): p._.actor_type for p in participants}
    ids = []
    for party in getattr(treaty._.treaty, "parties", ()) or ():
        name = str(party)
        ids.append(name if _is_actor_id(name) else stable_id("A", types.get(name.casefold(), "STATE"), name))
    return ids


def _is_actor_id(text: str) -> bool:
    return len(text) == 11 and text[0] == "A" and all(c in "0123456789abcdef" for c in text[1:])


class Extractor:
    """Runs the letopis pipeline over texts and files, one document at a time."""

    def __init__(
        self,
        nlp: Language | None = None,
        *,
        block_chars: int = DEFAULT_BLOCK_CHARS,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.nlp = nlp or nlp_module.load()
        self.block_chars = block_chars
        self.max_bytes = max_bytes

    def source(self, source: Source, doc_id: str, path: str = "", on_block: OnBlock | None = None) -> DocResult:
        """Extract everything from a decoded source. ``on_block`` sees the result after
        each block and may move the mentions, dates and relations written so far out
        of it (``store.Writer``): a book's records need not all be Python objects at once."""
        started = time.perf_counter()
        document = Document(
            doc_id=doc_id, path=path, encoding=source.encoding,
            chars=len(source.text), sha256=source.sha256,
        )
        builder = _Builder(source.text, DocResult(document))
        orthographies = set()
        context = nlp_module.DocContext()
        for block in blocks(source.text, self.block_chars):
            orthographies.add(block.orthography)
            document.paragraphs += len(block.paragraphs())
            builder.add_block(block, nlp_module.annotate(self.nlp, block.text, context))
            if on_block is not None:
                on_block(builder.result)
        builder.finish()
        document.orthography = "pre-1918" if "pre-1918" in orthographies else "modern"
        document.sentences = builder.sentences
        document.seconds = round(time.perf_counter() - started, 3)
        return builder.result

    def text(self, text: str, doc_id: str = "text") -> DocResult:
        data = text.encode("utf-8")
        source = Source(text, "utf-8", hashlib.sha256(data).hexdigest(), len(data))
        return self.source(source, doc_id)

    def file(self, path: Path, doc_id: str, on_block: OnBlock | None = None) -> DocResult:
        """Extract from a file; a bad file yields an error row, never an exception
        (and no records, whatever ``on_block`` was shown)."""
        try:
            source = read_source(path, self.max_bytes)
        except DocumentError as error:
            return DocResult(Document(doc_id, str(path), status=error.status, error=str(error)))
        try:
            return self.source(source, doc_id, str(path), on_block)
        except Exception as error:  # noqa: BLE001 - one document must not stop a batch
            document = Document(
                doc_id, str(path), status="error", encoding=source.encoding,
                chars=len(source.text), sha256=source.sha256,
                error=f"{type(error).__name__}: {error}",
            )
            return DocResult(document)
