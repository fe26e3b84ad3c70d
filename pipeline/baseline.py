"""Bare Natasha written as our tables: the baseline every change is measured against.

Deliberately unimproved: Natasha's NER spans with its own normal forms, one
actor per (normal form, type), and DatesExtractor facts as dates. No merging,
no STATE type (Natasha has only PER/ORG/LOC), no year taken from context.
"""
from __future__ import annotations

import calendar
import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, NamedTuple

import pandas as pd

from pipeline import resolve, tables
from pipeline.records import DATE, DateRecord, Document, Mention, stable_id

NATASHA_TYPES = {"PER": "PERSON", "ORG": "ORGANIZATION", "LOC": "LOCATION"}
SOURCE = "natasha"


class _Natasha(NamedTuple):
    segmenter: Any
    morph_tagger: Any
    syntax_parser: Any
    ner_tagger: Any
    morph_vocab: Any
    dates: Any


@lru_cache(maxsize=1)
def _natasha() -> _Natasha:
    """Natasha's models, loaded once per process."""
    from natasha import (DatesExtractor, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger,
                         NewsSyntaxParser, Segmenter)

    emb, vocab = NewsEmbedding(), MorphVocab()
    return _Natasha(Segmenter(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb), vocab,
                    DatesExtractor(vocab))


def date_value(year: int | None, month: int | None, day: int | None) -> tuple[str, str, str]:
    """(value_start, value_end, granularity) of a DatesExtractor fact.

    Without a year (or for an impossible day) there is no value: raw Natasha
    does not take one from context.
    """
    granularity = "day" if month and day else "month" if month else "year"
    if year is None:
        return "", "", granularity
    try:
        first = dt.date(year, month or 1, day if granularity == "day" else 1)
        last = {"day": first, "month": first.replace(day=calendar.monthrange(year, first.month)[1]),
                "year": dt.date(year, 12, 31)}[granularity]
    except ValueError:
        return "", "", granularity
    return first.isoformat(), last.isoformat(), granularity


def _analyse(doc_id: str, text: str) -> tuple[Document, list[Mention], list[DateRecord]]:
    """One text through Natasha: its documents row, mentions and dates."""
    from natasha import Doc

    nlp = _natasha()
    doc = Doc(text)
    doc.segment(nlp.segmenter)
    doc.tag_morph(nlp.morph_tagger)
    doc.parse_syntax(nlp.syntax_parser)
    doc.tag_ner(nlp.ner_tagger)
    starts = [s.start for s in doc.sents]
    sentence = lambda offset: max(bisect_right(starts, offset) - 1, 0)  # noqa: E731

    spans: list[tuple[int, int, str, str, str, str]] = []  # start, end, label, norm, ref, actor type
    for span in doc.spans:
        span.normalize(nlp.morph_vocab)
        norm, kind = span.normal or span.text, NATASHA_TYPES[span.type]
        spans.append((span.start, span.stop, span.type, norm, stable_id("A", kind, norm), kind))
    dates = []
    for i, m in enumerate(nlp.dates(text)):
        value_start, value_end, granularity = date_value(m.fact.year, m.fact.month, m.fact.day)
        date_id = f"{doc_id}:D{i}"
        dates.append(DateRecord(doc_id, date_id, m.start, m.stop, text[m.start:m.stop], value_start, value_end,
                                granularity, sentence_id=sentence(m.start)))
        spans.append((m.start, m.stop, DATE, text[m.start:m.stop], date_id, ""))
    mentions = [
        Mention(doc_id, f"{doc_id}:M{i}", label, start, end, text[start:end], norm, sentence(start), SOURCE, ref, kind,
                canonical=norm if kind else "")
        for i, (start, end, label, norm, ref, kind) in enumerate(sorted(spans))
    ]
    document = Document(doc_id, doc_id, chars=len(text), sentences=len(starts))
    return document, mentions, dates


def natasha_tables(texts: Mapping[str, str]) -> dict[str, pd.DataFrame]:
    """Run bare Natasha over ``texts`` (doc_id → text) and return our tables."""
    results = [_analyse(doc_id, text) for doc_id, text in texts.items()]
    mentions = [m for _, ms, _ in results for m in ms]
    out = {name: tables.empty(name) for name in tables.TABLES}
    out["documents"] = tables.records_frame("documents", (d for d, _, _ in results))
    out["mentions"] = tables.records_frame("mentions", mentions)
    out["dates"] = tables.records_frame("dates", (d for _, _, ds in results for d in ds))
    out["actors"] = resolve.actors(out["mentions"])  # one actor per (type, normal form)
    return out
