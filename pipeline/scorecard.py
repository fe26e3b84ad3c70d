"""Run systems over a gold set and score them side by side, in one run.

``letopis evaluate`` calls this: it finds what kind of gold a path holds
(GOLD.md JSON documents, BRAT standoff such as NEREL, factRuEval-2016),
runs letopis — and raw Natasha, the baseline every issue reports against —
over the gold's texts, and scores both with ``evaluate``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

import pandas as pd

from . import evaluate as ev
from .gazetteer import ADJECTIVAL_SOURCES, NAME_SOURCES
from .io import read_source

Tables = dict[str, pd.DataFrame]
System = Callable[[Mapping[str, str]], Tables]
ENTITIES = "entities (outermost gold spans)"
# factRuEval name spans scored per token, the protocol (natasha/naeval) of the published
# slovnet and DeepPavlov figures, which only this makes comparable
NAME_TOKENS = "entities (name spans, per token: the published factRuEval protocol)"
FLAT_LABELS = ("PER", "ORG", "LOC")
# which actor mentions a corpus annotates: factRuEval marks names only; NEREL also
# marks references through adjectives and compounds ("британской", "сталинских")
ENTITY_SOURCES = {
    "factrueval": NAME_SOURCES,
    "brat": (*NAME_SOURCES, *ADJECTIVAL_SOURCES),
}


def letopis_tables(texts: Mapping[str, str]) -> Tables:
    from . import extract  # the package function, not a module

    return extract(dict(texts))


def natasha_tables(texts: Mapping[str, str]) -> Tables:
    from .baseline import natasha_tables as run

    return run(texts)


SYSTEMS: dict[str, System] = {"letopis": letopis_tables, "natasha": natasha_tables}


@dataclass
class GoldSet:
    """Gold annotations with the texts they annotate."""

    kind: str  # documents | brat | factrueval
    path: Path
    texts: dict[str, str]
    documents: list[dict] = field(default_factory=list)  # GOLD.md documents
    spans: pd.DataFrame | None = None  # span gold, labels as the corpus has them
    names: pd.DataFrame | None = None  # factRuEval name spans, as its published figures count them


def load(path: Path) -> GoldSet:
    """Recognise the gold at ``path``: a folder of GOLD.md JSON (texts beside it or one
    level up), a BRAT folder (``*.ann``), or a factRuEval-2016 folder (``*.objects``)."""
    path = Path(path)
    if any(path.glob("*.objects")):
        spans, texts = ev.read_factrueval(path)
        return GoldSet("factrueval", path, texts, spans=spans, names=ev.read_factrueval_names(path)[0])
    if any(path.glob("*.ann")):
        spans, texts = ev.read_brat(path)
        return GoldSet("brat", path, texts, spans=spans)
    gold_dir = path / "gold" if (path / "gold").is_dir() else path
    documents = ev.load_gold(gold_dir)
    texts = {}
    for doc in documents:
        source = next((d / doc["doc"] for d in (gold_dir, gold_dir.parent) if (d / doc["doc"]).is_file()), None)
        if source is None:
            raise FileNotFoundError(f"text of gold document {doc['doc']!r} not found beside {gold_dir}")
        texts[doc["doc"]] = read_source(source).text  # decoded as a run decodes it (cp1251, UTF-16, …)
    return GoldSet("documents", gold_dir, texts, documents=documents)


def score(gold: GoldSet, tables: Tables) -> dict[str, pd.DataFrame]:
    """Report sections for one system's tables."""
    if gold.kind == "documents":
        scores = ev.evaluate_documents(tables, gold.documents).scores
        return {"document level": scores}
    assert gold.spans is not None
    labels = ev.NEREL_LABELS if gold.kind == "brat" else ev.FACTRUEVAL_LABELS
    mapped = ev.map_labels(gold.spans, labels)
    flat = ev.outermost(mapped[mapped["label"].isin(FLAT_LABELS)])
    mentions = tables["mentions"]
    mentions = mentions[mentions["doc_id"].isin(list(gold.texts))]
    actors = mentions[mentions["label"].isin(FLAT_LABELS)]
    annotated = actors[actors["source"].isin(ENTITY_SOURCES[gold.kind])]
    sections = {ENTITIES: ev.score_spans(annotated, flat, FLAT_LABELS)}
    if gold.names is not None:
        names = ev.map_labels(gold.names, labels)
        sections[NAME_TOKENS] = ev.score_tokens(annotated, names, gold.texts, FLAT_LABELS)
    if gold.kind == "brat":
        dates = ev.outermost(mapped[mapped["label"] == "DATE"])  # a date nested in a date is one expression
        predicted = mentions[mentions["label"] == "DATE"]
        sections["DATE spans with a year: recall"] = ev.recall_of(ev.with_year(dates), predicted)
        sections["DATE: all spans"] = ev.score_spans(predicted, dates, ("DATE",))
        treaties = ev.treaty_laws(gold.spans, ev.TREATY_HEADS)
        sections["LAW spans naming treaties: recall"] = ev.recall_of(
            treaties, mentions[mentions["label"] == "TREATY"]
        )
    return sections


def side_by_side(per_system: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per measured thing, P/R/F1 (or recall) of each system in columns."""
    frames = []
    for name, df in per_system.items():
        keys = [c for c in ("section", "mode", "label") if c in df.columns]
        values = [c for c in ("precision", "recall", "f1") if c in df.columns]
        frames.append(df.set_index(keys)[values].add_prefix(f"{name} "))
    return pd.concat(frames, axis=1).reset_index()


def compare(gold: GoldSet, systems: Mapping[str, System]) -> dict[str, pd.DataFrame]:
    """Every system over the same texts in this run, side by side."""
    per_system = {name: score(gold, run(gold.texts)) for name, run in systems.items()}
    titles = next(iter(per_system.values())).keys() if per_system else []
    return {
        title: side_by_side({name: sections[title] for name, sections in per_system.items()})
        for title in titles
    }
