"""Scoring a run against gold: document-level JSON (GOLD.md) and span-level
corpora (NEREL in BRAT standoff, factRuEval-2016).

It reads only the tables SPEC.md defines (as ``tables.read`` returns them), so
any run — the pipeline's or the Natasha baseline's — is scored the same way.
Every matching is one-to-one and maximal (augmenting paths), so the order in
which a run lists its rows never changes a score.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from pipeline.tables import LIST_SEP

G = TypeVar("G")
P = TypeVar("P")
ALL = "ALL"  # label of a section's micro-averaged row

# ---------------------------------------------------------------- matching


@dataclass(frozen=True, slots=True)
class Matching:
    """A one-to-one matching of gold items with predicted ones."""

    pairs: list[tuple[Any, Any]]
    missed: list[Any]
    spurious: list[Any]


def match(gold: Sequence[G], pred: Sequence[P], ok: Callable[[G, P], bool]) -> Matching:
    """Maximum one-to-one matching under ``ok`` (Kuhn's augmenting paths).

    Deterministic: earlier gold items pick first, and an item later in the
    list only displaces an earlier one when that one can be re-matched.
    """
    candidates = [[j for j, p in enumerate(pred) if ok(g, p)] for g in gold]
    owner: dict[int, int] = {}  # pred index -> gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    by_gold = dict(sorted((i, j) for j, i in owner.items()))
    return Matching(
        pairs=[(gold[i], pred[j]) for i, j in by_gold.items()],
        missed=[g for i, g in enumerate(gold) if i not in by_gold],
        spurious=[p for j, p in enumerate(pred) if j not in owner],
    )


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1; 0.0 where undefined so reports stay JSON-clean."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _score_row(tp: int, fp: int, fn: int, **keys: str) -> dict[str, Any]:
    p, r, f = prf(tp, fp, fn)
    return {**keys, "tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


# ------------------------------------------------------- names and aliases

_DASH = re.compile(r"\s*[-‐‑‒–—―]\s*")
_SPACE = re.compile(r"\s+")


def name_key(name: str) -> str:
    """Comparison form of a name: case, ё/е, dash style and spacing do not count."""
    key = _DASH.sub("-", name.casefold().replace("ё", "е"))
    return _SPACE.sub(" ", key).strip()


def _names(item: Mapping[str, Any]) -> set[str]:
    return {name_key(n) for n in [item["name"], *item["aliases"]] if n.strip()}


def same_name(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    """Whether any of gold's name and aliases is any of pred's (actors, treaties)."""
    return bool(_names(gold) & _names(pred))


AliasIndex = dict[str, frozenset[str]]


def alias_index(actors: Iterable[Mapping[str, Any]]) -> AliasIndex:
    """Name key → every key of the actors bearing that name (name and aliases)."""
    index: dict[str, set[str]] = {}
    for actor in actors:
        names = _names(actor)
        for key in names:
            index.setdefault(key, set()).update(names)
    return {key: frozenset(names) for key, names in index.items()}


def same_actor(gold_name: str, pred_name: str, gold_index: AliasIndex, pred_index: AliasIndex) -> bool:
    """Whether two names denote one actor, each side read through its own actors' aliases,
    so a predicted "Советский Союз" counts for a gold "СССР" listing it as an alias."""
    g, p = name_key(gold_name), name_key(pred_name)
    if not g or not p:
        return False
    return bool(gold_index.get(g, frozenset({g})) & pred_index.get(p, frozenset({p})))


# --------------------------------------------------------------- gold JSON


class GoldError(ValueError):
    """A gold file that does not follow GOLD.md."""


# section -> {field: default}; the defaults' types are the types a field must have
GOLD_FIELDS: dict[str, dict[str, Any]] = {
    "actors": {"name": "", "type": "", "aliases": []},
    "dates": {"text": "", "value_start": "", "value_end": "", "granularity": "", "qualifier": ""},
    "treaties": {"name": "", "kind": "", "aliases": [], "date_signed": "", "place": "", "parties": []},
    "events": {"type": "", "date_start": "", "date_end": "", "participants": [], "treaty": "", "place": ""},
}
GOLD_REQUIRED: dict[str, tuple[str, ...]] = {
    "actors": ("name", "type"),
    "dates": ("value_start", "value_end"),
    "treaties": ("name",),
    "events": ("type",),
}


def _gold_item(raw: object, section: str, where: str) -> dict[str, Any]:
    """One gold item with every field present and of the right type."""
    if not isinstance(raw, dict):
        raise GoldError(f"{where}: expected an object, got {type(raw).__name__}")
    missing = [f for f in GOLD_REQUIRED[section] if f not in raw]
    if missing:
        raise GoldError(f"{where}: missing {', '.join(missing)}")
    item: dict[str, Any] = {}
    for name, default in GOLD_FIELDS[section].items():
        value = raw.get(name, default)
        if isinstance(default, list):
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise GoldError(f"{where}.{name}: expected a list of strings")
        elif not isinstance(value, str):
            raise GoldError(f"{where}.{name}: expected a string")
        item[name] = value
    return item


def parse_gold(data: object, source: str = "<gold>") -> dict[str, Any]:
    """Validate one GOLD.md document; unknown fields (e.g. ``note``) are dropped."""
    if not isinstance(data, dict):
        raise GoldError(f"{source}: expected a JSON object")
    doc = data.get("doc")
    if not isinstance(doc, str) or not doc:
        raise GoldError(f"{source}: missing \"doc\" (the annotated file's name)")
    gold: dict[str, Any] = {"doc": doc}
    for section in GOLD_FIELDS:
        items = data.get(section, [])
        if not isinstance(items, list):
            raise GoldError(f"{source}: \"{section}\" must be a list")
        gold[section] = [_gold_item(x, section, f"{source}: {section}[{i}]") for i, x in enumerate(items)]
    return gold


def load_gold(path: Path | str) -> list[dict[str, Any]]:
    """Read gold: one JSON file, or every ``*.json`` in a directory, sorted by doc."""
    path = Path(path)
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise GoldError(f"{path}: no gold JSON files")
    docs: dict[str, dict[str, Any]] = {}
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise GoldError(f"{file}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}") from e
        gold = parse_gold(data, str(file))
        if gold["doc"] in docs:
            raise GoldError(f"{file}: doc {gold['doc']!r} is annotated twice")
        docs[gold["doc"]] = gold
    return [docs[d] for d in sorted(docs)]


# ------------------------------------------------- run tables → gold shape


def _text(value: object) -> str:
    return "" if pd.isna(value) else str(value)  # type: ignore[arg-type]


def _split(value: object) -> list[str]:
    return [v for v in _text(value).split(LIST_SEP) if v]


def _rows(df: pd.DataFrame, doc_ids: set[str]) -> list[dict[str, Any]]:
    """A table's rows for ``doc_ids`` in text order."""
    return df[df["doc_id"].isin(doc_ids)].sort_values(["doc_id", "start"], kind="stable").to_dict("records")


def _unique(names: Iterable[str], but: str) -> list[str]:
    """Names in first-seen order, without repeats or the (canonical) ``but``."""
    seen, out = {name_key(but)}, []
    for name in names:
        if name and name_key(name) not in seen:
            seen.add(name_key(name))
            out.append(name)
    return out


def predicted_documents(tables: Mapping[str, pd.DataFrame], doc_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The run's output for ``doc_ids`` in the shape of GOLD.md, ids resolved to names.

    Actors are those the document's mentions refer to, with the mentions'
    ``norm`` forms as extra aliases; treaties those its TREATY mentions refer to.
    """
    ids = set(doc_ids)
    actors = {_text(a["actor_id"]): a for a in tables["actors"].to_dict("records")}
    treaties = {_text(t["treaty_id"]): t for t in tables["treaties"].to_dict("records")}

    def actor_name(ref: str) -> str:
        return _text(actors[ref]["name"]) if ref in actors else ref

    docs: dict[str, dict[str, Any]] = {d: {"doc": d, "actors": [], "dates": [], "treaties": [], "events": []} for d in ids}
    norms: dict[tuple[str, str], list[str]] = {}
    seen_treaties: set[tuple[str, str]] = set()
    for m in _rows(tables["mentions"], ids):
        doc, ref = m["doc_id"], _text(m["ref_id"])
        if ref in actors:
            norms.setdefault((doc, ref), []).append(_text(m["norm"]))
        elif m["label"] == "TREATY" and ref in treaties and (doc, ref) not in seen_treaties:
            seen_treaties.add((doc, ref))
            docs[doc]["treaties"].append(_treaty(treaties[ref], actor_name))
    for (doc, ref), forms in norms.items():
        a = actors[ref]
        name = _text(a["name"])
        docs[doc]["actors"].append(
            {"name": name, "type": _text(a["type"]), "aliases": _unique([*_split(a["aliases"]), *forms], but=name)}
        )
    for d in _rows(tables["dates"], ids):
        docs[d["doc_id"]]["dates"].append(
            {"text": _text(d["text"]), "value_start": _text(d["value_start"]), "value_end": _text(d["value_end"])}
        )
    for e in _rows(tables["events"], ids):
        treaty = treaties.get(_text(e["treaty_id"]))
        docs[e["doc_id"]]["events"].append({
            "type": _text(e["type"]),
            "date_start": _text(e["date_start"]),
            "date_end": _text(e["date_end"]),
            "participants": [actor_name(p) for p in _split(e["participants"])],
            "treaty": _text(treaty["name"]) if treaty else "",
            "place": actor_name(_text(e["place"])),
        })
    return docs


def _treaty(row: Mapping[str, Any], actor_name: Callable[[str], str]) -> dict[str, Any]:
    """A treaties.csv row as a gold treaty; a place given as an actor_id becomes its name."""
    return {
        "name": _text(row["name"]),
        "aliases": _split(row["aliases"]),
        "date_signed": _text(row["date_signed"]),
        "place": actor_name(_text(row["place"])),
        "parties": _split(row["parties"]),
    }


def _run_doc_ids(documents: pd.DataFrame, gold_docs: Iterable[str]) -> dict[str, str]:
    """Gold ``doc`` → run doc_id, by the path's file name, the doc_id, or the file stem."""
    by_key: dict[str, str] = {}
    for doc_id, path in zip(documents["doc_id"], documents["path"]):
        by_key.setdefault(Path(_text(path)).name, _text(doc_id))
        by_key.setdefault(_text(doc_id), _text(doc_id))
    found = {}
    for doc in gold_docs:
        run_id = by_key.get(doc) or by_key.get(Path(doc).stem)
        if run_id:
            found[doc] = run_id
    return found


# -------------------------------------------------- document-level scoring


@dataclass(frozen=True, slots=True)
class Outcome:
    """One gold or predicted item after matching: what a developer reads to see errors.

    status: matched (tp), missed (fn), spurious (fp), or wrong (an attribute
    given with another value than gold's: fp and fn).
    """

    doc: str
    section: str
    status: str
    label: str = ""  # the type, in sections scored per type
    gold: str = ""
    pred: str = ""


SECTIONS = (
    "actors", "actors_typed", "dates", "treaties",
    "treaty_date_signed", "treaty_place", "treaty_parties", "events",
)
_COUNTS = {"matched": (1, 0, 0), "spurious": (0, 1, 0), "missed": (0, 0, 1), "wrong": (0, 1, 1)}


def _actor_str(a: Mapping[str, Any]) -> str:
    return f"{a['name']} [{a['type']}]"


def _date_str(d: Mapping[str, Any]) -> str:
    return f"{d['value_start']}..{d['value_end']} «{d['text']}»"


def _event_str(e: Mapping[str, Any]) -> str:
    return f"{e['type']} {e['date_start']}..{e['date_end']} {LIST_SEP.join(e['participants'])}"


class _DocScorer:
    """Scores one document's prediction against its gold, collecting outcomes."""

    def __init__(self, gold: Mapping[str, Any], pred: Mapping[str, Any]):
        self.doc = gold["doc"]
        self.gold, self.pred = gold, pred
        self.gold_index = alias_index(gold["actors"])
        self.pred_index = alias_index(pred["actors"])
        self.outcomes: list[Outcome] = []

    def same(self, gold_name: str, pred_name: str) -> bool:
        return same_actor(gold_name, pred_name, self.gold_index, self.pred_index)

    def add(self, section: str, m: Matching, show: Callable[[Any], str], label: Callable[[Any], str] | None = None) -> None:
        """Record a matching's outcomes; ``label`` gives the per-type key of an item."""
        lab = label or (lambda _: "")
        self.outcomes += [Outcome(self.doc, section, "matched", lab(g), show(g), show(p)) for g, p in m.pairs]
        self.outcomes += [Outcome(self.doc, section, "missed", lab(g), gold=show(g)) for g in m.missed]
        self.outcomes += [Outcome(self.doc, section, "spurious", lab(p), pred=show(p)) for p in m.spurious]

    def actors(self) -> None:
        gold, pred = self.gold["actors"], self.pred["actors"]
        self.add("actors", match(gold, pred, same_name), _actor_str)
        typed = match(gold, pred, lambda g, p: g["type"] == p["type"] and same_name(g, p))
        self.add("actors_typed", typed, _actor_str, label=lambda a: a["type"])

    def dates(self) -> None:
        value = lambda d: (d["value_start"], d["value_end"])  # noqa: E731
        self.add("dates", match(self.gold["dates"], self.pred["dates"], lambda g, p: value(g) == value(p)), _date_str)

    def treaties(self) -> None:
        m = match(self.gold["treaties"], self.pred["treaties"], same_name)
        self.add("treaties", m, lambda t: t["name"])
        for g, p in m.pairs:
            self.attribute("treaty_date_signed", g, p, "date_signed", lambda a, b: a == b)
            self.attribute("treaty_place", g, p, "place", self.same)
            parties = match(g["parties"], p["parties"], self.same)
            self.add("treaty_parties", parties, lambda name, t=g["name"]: f"{t}: {name}")

    def attribute(self, section: str, g: Mapping[str, Any], p: Mapping[str, Any], field: str,
                  equal: Callable[[str, str], bool]) -> None:
        """Score one attribute of a matched pair; absent on both sides counts nothing."""
        gv, pv = g[field], p[field]
        status = ("matched" if equal(gv, pv) else "wrong") if gv and pv else "missed" if gv else "spurious" if pv else ""
        if status:
            self.outcomes.append(Outcome(self.doc, section, status, "", f"{g['name']}: {gv}", f"{p['name']}: {pv}"))

    def events(self, include_other: bool) -> None:
        keep = lambda evs: [e for e in evs if include_other or e["type"] != "OTHER"]  # noqa: E731
        m = match(keep(self.gold["events"]), keep(self.pred["events"]), self.same_event)
        self.add("events", m, _event_str, label=lambda e: e["type"])

    def same_event(self, g: Mapping[str, Any], p: Mapping[str, Any]) -> bool:
        """Same type, overlapping dates, and a shared participant where gold names any."""
        gi, pi = _interval(g), _interval(p)
        if g["type"] != p["type"] or gi is None or pi is None or gi[0] > pi[1] or pi[0] > gi[1]:
            return False
        return not g["participants"] or any(self.same(a, b) for a in g["participants"] for b in p["participants"])


def _interval(event: Mapping[str, Any]) -> tuple[str, str] | None:
    """An event's [start, end] as ISO strings; a single given bound stands for both."""
    start, end = event["date_start"] or event["date_end"], event["date_end"] or event["date_start"]
    return (start, end) if start else None


def _outcome_scores(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Micro P/R/F1 per section, plus per label where a section has labels."""
    rows = []
    for section in SECTIONS:
        sub = outcomes[outcomes["section"] == section]
        groups = [(ALL, sub)] + [(label, g) for label, g in sub.groupby("label", sort=True) if label]
        for label, g in groups:
            tp, fp, fn = (sum(_COUNTS[s][k] for s in g["status"]) for k in range(3))
            rows.append(_score_row(tp, fp, fn, section=section, label=label))
    return pd.DataFrame.from_records(rows)


@dataclass
class Evaluation:
    """Document-level result: scores, every matched/missed/spurious item, unrun gold docs."""

    scores: pd.DataFrame  # section, label, tp, fp, fn, precision, recall, f1
    outcomes: pd.DataFrame  # doc, section, status, label, gold, pred
    missing_docs: list[str]  # gold docs absent from the run (scored as all missed)

    def score(self, section: str, label: str = ALL) -> dict[str, Any]:
        row = self.scores[(self.scores["section"] == section) & (self.scores["label"] == label)]
        return row.iloc[0].to_dict() if len(row) else _score_row(0, 0, 0, section=section, label=label)

    def errors(self) -> pd.DataFrame:
        return self.outcomes[self.outcomes["status"] != "matched"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "scores": self.scores.to_dict("records"),
            "outcomes": self.outcomes.to_dict("records"),
            "missing_docs": list(self.missing_docs),
        }

    def to_markdown(self, *, errors: bool = False) -> str:
        sections = {f"Document level: {s}": g.drop(columns="section") for s, g in self.scores.groupby("section", sort=False)}
        if errors:
            sections["Errors"] = self.errors()
        text = format_report(sections)
        if self.missing_docs:
            text += "\nGold documents missing from the run: " + ", ".join(self.missing_docs) + "\n"
        return text


def evaluate_documents(tables: Mapping[str, pd.DataFrame], gold: Sequence[Mapping[str, Any]], *,
                       include_other: bool = False) -> Evaluation:
    """Score a run's tables against GOLD.md documents (see ``load_gold``).

    Events of type OTHER are left out on both sides unless ``include_other``.
    """
    run_ids = _run_doc_ids(tables["documents"], (g["doc"] for g in gold))
    predicted = predicted_documents(tables, run_ids.values())
    empty = {"actors": [], "dates": [], "treaties": [], "events": []}
    outcomes: list[Outcome] = []
    for g in gold:
        scorer = _DocScorer(g, predicted.get(run_ids.get(g["doc"], ""), empty))
        scorer.actors()
        scorer.dates()
        scorer.treaties()
        scorer.events(include_other)
        outcomes += scorer.outcomes
    frame = pd.DataFrame.from_records([asdict(o) for o in outcomes], columns=[f.name for f in fields(Outcome)])
    return Evaluation(_outcome_scores(frame), frame, [g["doc"] for g in gold if g["doc"] not in run_ids])


# -------------------------------------------------------------- span gold

SPAN_COLUMNS = {"doc_id": "string", "label": "string", "start": "Int64", "end": "Int64", "text": "string"}
NEREL_LABELS = {
    "PERSON": "PER", "ORGANIZATION": "ORG", "COUNTRY": "LOC", "CITY": "LOC",
    "STATE_OR_PROVINCE": "LOC", "LOCATION": "LOC", "DISTRICT": "LOC", "DATE": "DATE",
}
FACTRUEVAL_LABELS = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
FACTRUEVAL_NAME_PARTS = {"Org": "org_name", "Location": "loc_name", "LocOrg": "loc_name"}  # a Person is whole
TREATY_HEADS = ("договор", "соглашение", "пакт", "конвенция", "протокол", "трактат", "мир", "перемирие")
_BRAT_ENTITY = re.compile(r"(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _read_text(path: Path) -> str:
    """UTF-8 text with line ends untouched, since gold offsets count them."""
    return path.read_bytes().decode("utf-8")


def spans_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A gold/predicted span table: doc_id, label, start, end, text."""
    return pd.DataFrame.from_records(list(rows), columns=list(SPAN_COLUMNS)).astype(SPAN_COLUMNS)


def brat_entities(ann: str) -> Iterator[tuple[str, str, int, int]]:
    """(id, type, start, end) of every entity line of a BRAT ``.ann`` text.

    A discontinuous span ``a b;c d`` is taken as a..d. Lines that are not
    entities (relations, notes, the tail of a multi-line entity text) are skipped.
    """
    for line in ann.split("\n"):
        m = _BRAT_ENTITY.match(line)
        if m:
            bounds = [int(x) for x in re.split(r"[ ;]", m.group(3))]
            yield m.group(1), m.group(2), min(bounds[::2]), max(bounds[1::2])


def brat_documents(directory: Path | str) -> Iterator[tuple[str, str, str]]:
    """(doc id, text, annotation) of every ``*.ann`` in ``directory``; the doc id is
    the text's file name, the id a run over the folder gives it."""
    for ann in sorted(Path(directory).glob("*.ann")):
        txt = ann.with_suffix(".txt")
        yield txt.name, _read_text(txt), _read_text(ann)


def read_brat(directory: Path | str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Entity spans of every ``*.ann`` (raw BRAT types as labels) and the texts;
    ``text`` is the slice of the document an entity covers."""
    rows, texts = [], {}
    for doc_id, text, ann in brat_documents(directory):
        texts[doc_id] = text
        rows += [
            {"doc_id": doc_id, "label": label, "start": start, "end": end, "text": text[start:end]}
            for _, label, start, end in brat_entities(ann)
        ]
    return spans_frame(rows), texts


def _factrueval_documents(directory: Path | str) -> Iterator[tuple[str, str, list[tuple[str, list[tuple[str, int, int]]]]]]:
    """(doc id, text, mentions) of every ``*.objects``; a mention is its object type and its
    spans as (span type, start, end). The doc id is the text's name, the id a run over the folder gives it."""
    for objects in sorted(Path(directory).glob("*.objects")):
        text = _read_text(objects.with_suffix(".txt"))
        spans = {}
        for line in _read_text(objects.with_suffix(".spans")).splitlines():
            parts = line.partition("#")[0].split()
            if parts:
                spans[parts[0]] = (parts[1], int(parts[2]), int(parts[2]) + int(parts[3]))
        mentions = []
        for line in _read_text(objects).splitlines():
            parts = line.partition("#")[0].split()
            if parts:
                mentions.append((parts[1], [spans[s] for s in parts[2:]]))
        yield objects.with_suffix(".txt").name, text, mentions


def read_factrueval(directory: Path | str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Object mentions of every ``*.objects`` (raw types as labels) and the texts.

    A mention's extent runs from its first span's start to its last span's end.
    """
    rows, texts = [], {}
    for doc_id, text, mentions in _factrueval_documents(directory):
        texts[doc_id] = text
        for label, parts in mentions:
            start, end = min(s for _, s, _ in parts), max(e for _, _, e in parts)
            rows.append({"doc_id": doc_id, "label": label, "start": start, "end": end, "text": text[start:end]})
    return spans_frame(rows), texts


def read_factrueval_names(directory: Path | str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The name spans the published factRuEval-2016 NER figures count (natasha/naeval,
    whose protocol gave the slovnet and DeepPavlov BERT figures): a person's whole
    mention, an organization's ``org_name`` spans, a place's ``loc_name`` spans, so a
    descriptor alone ("правительство", "компании") is no entity. Of spans that overlap,
    the first and longest is kept ("МИД Грузии" is an organization, not also a place)."""
    rows, texts = [], {}
    for doc_id, text, mentions in _factrueval_documents(directory):
        texts[doc_id] = text
        for label, parts in mentions:
            if label == "Person":
                found = [(min(s for _, s, _ in parts), max(e for _, _, e in parts))]
            else:
                found = [(s, e) for kind, s, e in parts if kind == FACTRUEVAL_NAME_PARTS.get(label)]
            rows += [{"doc_id": doc_id, "label": label, "start": s, "end": e, "text": text[s:e]} for s, e in found]
    return first_of_overlapping(spans_frame(rows)), texts


def map_labels(spans: pd.DataFrame, mapping: Mapping[str, str]) -> pd.DataFrame:
    """Relabel gold types to ours; spans of unmapped types are dropped."""
    kept = spans[spans["label"].isin(list(mapping))]
    return kept.assign(label=kept["label"].map(dict(mapping)).astype("string")).reset_index(drop=True)


def outermost(spans: pd.DataFrame) -> pd.DataFrame:
    """Drop spans lying inside another span of the same label in the same document.

    Nested gold (NEREL "CITY" inside a "LOCATION", factRuEval "LocOrg" inside
    a "Location") cannot be predicted by a flat tagger, so flat PER/ORG/LOC
    scoring keeps the outermost span of each label family; a span of one label
    inside another label's (a PER inside an ORG name) stays. Exact duplicates
    are kept once; crossing spans both stay.
    """
    ordered = spans.sort_values(["doc_id", "label", "start", "end"], ascending=[True, True, True, False])
    keep, reach, group = [], -1, None
    for key, start, end in zip(zip(ordered["doc_id"], ordered["label"]), ordered["start"], ordered["end"]):
        if key != group:
            group, reach = key, -1
        keep.append(end > reach)
        reach = max(reach, end)
    return ordered[keep].sort_values(["doc_id", "start", "end"]).reset_index(drop=True)


def first_of_overlapping(spans: pd.DataFrame) -> pd.DataFrame:
    """Per document, whatever the label, drop a span overlapping one kept before it
    (spans ordered by start, the longer first): a token-level tagger's view, one
    entity per token, as naeval's ``filter_overlapping``."""
    ordered = spans.sort_values(["doc_id", "start", "end"], ascending=[True, True, False])
    keep, reach, doc = [], -1, None
    for doc_id, start, end in zip(ordered["doc_id"], ordered["start"], ordered["end"]):
        if doc_id != doc:
            doc, reach = doc_id, -1
        keep.append(start >= reach)
        if start >= reach:
            reach = end
    return ordered[keep].reset_index(drop=True)


def with_year(spans: pd.DataFrame) -> pd.DataFrame:
    """Spans whose text contains a 4-digit number (a year): what a date extractor can anchor."""
    return spans[[bool(_YEAR.search(t)) for t in spans["text"]]].reset_index(drop=True)


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _lemmas(text: str) -> set[str]:
    return {_morph().parse(w)[0].normal_form for w in re.findall(r"\w+", text.lower())}


def treaty_laws(spans: pd.DataFrame, heads: Iterable[str]) -> pd.DataFrame:
    """NEREL LAW spans naming a treaty: a word's lemma is one of ``heads``.

    The heads are an argument so that evaluation never shares the pipeline's lexicon.
    """
    heads = set(heads)
    laws = spans[spans["label"] == "LAW"]
    return laws[[bool(_lemmas(t) & heads) for t in laws["text"]]].reset_index(drop=True)


# ----------------------------------------------------------- span scoring


def _strict(g: tuple[int, int], p: tuple[int, int]) -> bool:
    return g == p


def overlap(g: tuple[int, int], p: tuple[int, int]) -> bool:
    return g[0] < p[1] and p[0] < g[1]


MODES: dict[str, Callable[[tuple[int, int], tuple[int, int]], bool]] = {"strict": _strict, "fuzzy": overlap}


def _by_doc(spans: pd.DataFrame) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for doc, start, end in zip(spans["doc_id"], spans["start"], spans["end"]):
        out.setdefault(doc, []).append((int(start), int(end)))
    return out


def _span_counts(gold: pd.DataFrame, pred: pd.DataFrame, ok: Callable) -> tuple[int, int, int]:
    """tp, fp, fn of a one-to-one span matching per document (labels not compared)."""
    g_docs, p_docs = _by_doc(gold), _by_doc(pred)
    tp = sum(len(match(g_docs.get(d, []), p_docs.get(d, []), ok).pairs) for d in g_docs.keys() & p_docs.keys())
    return tp, len(pred) - tp, len(gold) - tp


def score_spans(pred: pd.DataFrame, gold: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """Per-label and micro P/R/F1, strict (same bounds) and fuzzy (overlap), label must agree.

    Matching is one-to-one (as in CLEF HIPE fuzzy scoring). ``pred`` needs
    doc_id, label, start, end (a mentions table will do); restrict it to the
    gold's documents first, since a document without gold spans is not known here.
    """
    rows = []
    for mode, ok in MODES.items():
        counts = {
            label: _span_counts(gold[gold["label"] == label], pred[pred["label"] == label], ok) for label in labels
        }
        rows += [_score_row(*c, mode=mode, label=label) for label, c in counts.items()]
        rows.append(_score_row(*(sum(c[k] for c in counts.values()) for k in range(3)), mode=mode, label=ALL))
    return pd.DataFrame.from_records(rows)


def _token_labels(spans: pd.DataFrame, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Each token's label ("" outside every span); spans off the token bounds are dropped."""
    labels = np.full(len(starts), "", dtype=object)
    aligned = spans[spans["start"].isin(starts) & spans["end"].isin(ends)]
    for label, start, end in zip(aligned["label"], aligned["start"], aligned["end"]):
        labels[np.searchsorted(starts, start):np.searchsorted(starts, end)] = label
    return labels


def score_tokens(pred: pd.DataFrame, gold: pd.DataFrame, texts: Mapping[str, str],
                 labels: Sequence[str]) -> pd.DataFrame:
    """Token-level P/R/F1 per label and micro (mode ``tokens``), the protocol of naeval:
    razdel tokens, each inside a span of a label or not. On both sides spans that
    overlap an earlier one, or do not fall on token bounds, are dropped first."""
    from razdel import tokenize

    counts = {label: [0, 0, 0] for label in labels}
    pred, gold = first_of_overlapping(pred), first_of_overlapping(gold)
    for doc_id, text in texts.items():
        tokens = list(tokenize(text))
        starts, ends = np.array([t.start for t in tokens]), np.array([t.stop for t in tokens])
        p = _token_labels(pred[pred["doc_id"] == doc_id], starts, ends)
        g = _token_labels(gold[gold["doc_id"] == doc_id], starts, ends)
        for label, c in counts.items():
            both = int(((p == label) & (g == label)).sum())
            c[0], c[1], c[2] = c[0] + both, c[1] + int((p == label).sum()) - both, c[2] + int((g == label).sum()) - both
    rows = [_score_row(*c, mode="tokens", label=label) for label, c in counts.items()]
    rows.append(_score_row(*(sum(c[k] for c in counts.values()) for k in range(3)), mode="tokens", label=ALL))
    return pd.DataFrame.from_records(rows)


def recall_of(gold: pd.DataFrame, pred: pd.DataFrame) -> pd.DataFrame:
    """Strict and fuzzy recall of a gold subset by predictions, labels ignored
    (e.g. NEREL LAW treaties found as our TREATY mentions)."""
    rows = []
    for mode, ok in MODES.items():
        tp, fp, fn = _span_counts(gold, pred, ok)
        rows.append({"mode": mode, "gold": tp + fn, "found": tp, "recall": prf(tp, fp, fn)[1]})
    return pd.DataFrame.from_records(rows)


# ----------------------------------------------------------------- report


def _cell(value: object) -> str:
    text = f"{value:.3f}" if isinstance(value, float) else _text(value)
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(df: pd.DataFrame) -> str:
    """A DataFrame as a markdown table, floats to three decimals."""
    lines = ["| " + " | ".join(map(str, df.columns)) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


def format_report(sections: Mapping[str, pd.DataFrame]) -> str:
    """Markdown: a heading and a table per section."""
    return "\n".join(f"## {title}\n\n{markdown_table(df)}\n" for title, df in sections.items())


def report_dict(sections: Mapping[str, pd.DataFrame]) -> dict[str, list[dict[str, Any]]]:
    """The same sections as JSON-serializable records."""
    return {title: df.to_dict("records") for title, df in sections.items()}
