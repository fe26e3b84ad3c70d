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
from typing import Iterator

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import nlp as nlp_module
from .io import DocumentError, Source, read_source
from .normalize import Normalized, blocks
from .records import ACTOR_LABELS, DATE, DateRecord, Document, DocResult, Mention, stable_id

DEFAULT_BLOCK_CHARS = 200_000
DEFAULT_MAX_BYTES = 64 * 2**20


@dataclass(slots=True)
class _Builder:
    """Collects one document's records across its blocks, numbering them."""

    original: str
    result: DocResult
    sentences: int = 0
    counters: dict[str, int] = field(default_factory=dict)

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]}"

    def add_block(self, block: Normalized, doc: Doc) -> None:
        sent_of, count = _sentence_index(doc, self.sentences)
        for span in _actor_spans(doc):
            self._actor_mention(block, span, sent_of)
        for span in doc.spans.get("dates", ()):
            self._date(block, span, sent_of)
        self.sentences += count

    def _span(self, block: Normalized, span: Span) -> tuple[int, int, str]:
        start, end = block.span(span.start_char, span.end_char)
        return start, end, self.original[start:end]

    def _actor_mention(self, block: Normalized, span: Span, sent_of: np.ndarray) -> None:
        actor_type = span._.actor_type
        if not actor_type or not span._.canonical:
            return
        start, end, text = self._span(block, span)
        self.result.mentions.append(Mention(
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


    def _date(self, block: Normalized, span: Span, sent_of: np.ndarray) -> None:
        """A row of dates.csv and its DATE mention (``norm`` is the ISO interval)."""
        value = span._.date
        if value is None:
            return
        start, end, text = self._span(block, span)
        doc_id, date_id, sentence_id = self.result.document.doc_id, self.next_id("D"), int(sent_of[span.start])
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
        self.result.mentions.append(Mention(
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

    def source(self, source: Source, doc_id: str, path: str = "") -> DocResult:
        """Extract everything from a decoded source."""
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
        document.orthography = "pre-1918" if "pre-1918" in orthographies else "modern"
        document.sentences = builder.sentences
        document.seconds = round(time.perf_counter() - started, 3)
        return builder.result

    def text(self, text: str, doc_id: str = "text") -> DocResult:
        data = text.encode("utf-8")
        source = Source(text, "utf-8", hashlib.sha256(data).hexdigest(), len(data))
        return self.source(source, doc_id)

    def file(self, path: Path, doc_id: str) -> DocResult:
        """Extract from a file; a bad file yields an error row, never an exception."""
        try:
            source = read_source(path, self.max_bytes)
        except DocumentError as error:
            return DocResult(Document(doc_id, str(path), status=error.status, error=str(error)))
        try:
            return self.source(source, doc_id, str(path))
        except Exception as error:  # noqa: BLE001 - one document must not stop a batch
            document = Document(
                doc_id, str(path), status="error", encoding=source.encoding,
                chars=len(source.text), sha256=source.sha256,
                error=f"{type(error).__name__}: {error}",
            )
            return DocResult(document)
