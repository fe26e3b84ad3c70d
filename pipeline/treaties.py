"""Treaties: every treaty a text mentions, named, linked to the reference base and described.

The ``letopis_treaties`` component runs after actors and dates. It finds treaty
mentions by their head word (``models/treaties/heads.csv``) with the adjectives
and complements around it ("Рапалльский договор", "договор о дружбе и взаимном
нейтралитете", "пакт Бриана — Келлога", "франко-румынский и итало-румынский
договоры"), reads the clause that signs, ratifies or joins the treaty for the
date, place and parties the text gives, links the mention to the reference base
(``models/treaties/base.csv``) and resolves "этот договор", "торговое
соглашение" and "после Рапалло" to a treaty the document named before.

Every treaty mention lands in ``doc.spans["treaties"]`` with ``span._.treaty``,
a :class:`Treaty`: key, canonical name, kind, date signed, place, parties, where
each came from (text or base), the spans of the text's evidence, and for a
coreferent mention its antecedent. (Span extensions are keyed by character
offsets only, so the component writes no other extension: a treaty span may
cover the same characters as an actor span, "Рапалло", whose ``_.canonical``
must stay the actor's.) Mentions that refer to no particular treaty ("не
привели к подписанию какого-либо соглашения", "план ликвидации вооруженных
сил") are left out.

Across the blocks of one document the component remembers antecedents, the
states mentioned and the last date in ``doc._.context.treaties`` (a
:class:`TreatyMemory`). ``base()`` and ``lexicon()`` load the data once per process.
"""
from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import cache, gazetteer, morph
from . import actors as _actor_extensions  # noqa: F401  (registers the Span extensions read here)
from .gazetteer import LOCATION, ORGANIZATION, STATE

MODELS = Path(__file__).resolve().parents[1] / "models" / "treaties"

Span.set_extension("treaty", default=None, force=True)

# roles of the words around a head (models/treaties/modifiers.csv)
DEMONSTRATIVE, INDEFINITE, NEW, QUANTIFIER = "demonstrative", "indefinite", "new", "quantifier"
REFERRING = (DEMONSTRATIVE, INDEFINITE, NEW, QUANTIFIER)  # roles that say how, not what (others: "generic")
# roles of the predicates that govern a treaty (models/treaties/predicates.csv)
SIGN = "sign"
PARTY_ROLES = frozenset({"sign", "ratify", "accede", "terminate"})
# what a head needs before it counts as a treaty (models/treaties/heads.csv)
ANCHOR_EVIDENCE, ANCHOR_NAME, ANCHOR_SIGNED, ANCHOR_CONCLUDED = "evidence", "name", "signed", "concluded"
RENEW, OCCUR = "renew", "occur"  # predicate roles that sign or not, depending on the mention
EXTEND = "extend"  # what renewing a named treaty does
# how a mention refers to its treaty
NAMED, DESCRIPTIVE, ANAPHORIC, GENERIC_REF, PLACE_REF = "named", "descriptive", "anaphoric", "generic", "place"

_BOUNDARY = frozenset(",;:()«»\"—–")
_DASHES = frozenset("-‐‑‒–—―")
_GRANULARITY_SCORE = {"day": 3.0, "month": 2.0}
# how many sentences back an anaphor without a demonstrative looks: a bare "договор"
# refers to a treaty just mentioned in its paragraph, "торговое соглашение" to a trade
# agreement of the passage
_REACH_BARE, _REACH_DESCRIBED = 2, 12
# how many years after the time the text speaks of a treaty it names may be signed: a
# narrative looks ahead a little ("будущий Рапалльский договор"), not by generations
_FORESIGHT = 10
_WORD = re.compile(r"\w+(?:-\w+)*")
_YEAR = re.compile(r"\b\d{4}\b")
_LINE_BREAKS = re.compile(r"\n+")  # one paragraph break, blank lines or not
_DESIGNATION = re.compile(r"[A-ZА-ЯЁ]{2,}-\d+")  # a treaty's letters and number: "договор ОСВ-2", "СНВ-3"


# ---------------------------------------------------------------- data

@dataclass(frozen=True, slots=True)
class Head:
    """A head word of treaty names and what it takes to make it a treaty."""

    lemma: str
    kind: str
    family: str
    anchor: str  # name | signed | concluded | evidence


@dataclass(frozen=True, slots=True)
class BaseTreaty:
    """A row of the reference base."""

    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    date_signed: str
    place: str
    parties: tuple[str, ...]
    date_end: str = ""
    ratified: str = ""
    plural: bool = False  # its name is plural ("Локарнские соглашения")
    words: frozenset[str] = frozenset()  # lemmas of its name and aliases
    key: tuple[str, ...] = ()  # lemmas of its name, unless the name needs its year

    def in_force(self, start: str, end: str) -> bool:
        """Whether it could be in force at some time of [start, end] (ISO)."""
        if self.ratified == "no" or not self.date_signed or self.date_signed > end:
            return False
        return not self.date_end or self.date_end >= start


@dataclass(frozen=True)
class Lexicon:
    heads: Mapping[str, Head]
    modifiers: Mapping[str, str]  # lemma -> role
    predicates: Mapping[str, str]  # lemma -> role
    place_triggers: frozenset[str]
    obligations: frozenset[str]  # verbs whose subjects a treaty "по" binds: "по протоколу ... обязались"
    party_adjectives: Mapping[str, tuple[str, str]]  # polity -> (compound prefix, adjective): "франко", "французский"


@dataclass(frozen=True)
class Base:
    treaties: tuple[BaseTreaty, ...]
    by_alias: Mapping[tuple[str, ...], tuple[tuple[str, str], ...]]  # lemma key -> (id, year the alias names)
    by_place_adjective: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # "тильзитский" -> ids
    by_id: Mapping[str, BaseTreaty] = field(default_factory=dict)


def _rows(name: str) -> list[dict[str, str]]:
    with open(MODELS / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in cell.split("|") if v.strip())


def fold(name: str) -> str:
    """Comparison form of a name: case and ё do not count."""
    return name.casefold().replace("ё", "е")


def _stem(name: str) -> str:
    """A place name without its last letter, to find it in derived words ("версал" in "Версальского")."""
    folded = fold(name)
    return folded[:-1] if len(folded) > 4 else folded


def same_place(a: str, b: str) -> bool:
    """Whether two place names are one place: equal, or one an undeclined form of the
    other that the actors module lemmatized differently ("Эребру", "Эребра")."""
    a, b = fold(a), fold(b)
    if a == b:
        return True
    stem = min(len(a), len(b)) - 1
    return stem >= 4 and a[:stem] == b[:stem] and abs(len(a) - len(b)) <= 1


def _party_adjectives() -> dict[str, tuple[str, str]]:
    """For each polity of the actors gazetteer, the first compound prefix and adjective it lists."""
    g = gazetteer.load()
    adjectives: dict[str, str] = {}
    for lemma, referents in g.adjectives.items():
        for kind, actor in referents:
            if kind == "polity":
                adjectives.setdefault(actor.name, lemma)
    prefixes: dict[str, str] = {}
    for stem, polities in g.stems.items():
        for actor in polities:
            prefixes.setdefault(actor.name, stem)
    return {name: (prefixes[name], adjective) for name, adjective in adjectives.items() if name in prefixes}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon(
        heads={r["lemma"]: Head(r["lemma"], r["kind"], r["family"], r["anchor"]) for r in _rows("heads.csv")},
        modifiers={r["lemma"]: r["role"] for r in _rows("modifiers.csv")},
        predicates={r["lemma"]: r["role"] for r in _rows("predicates.csv")},
        place_triggers=frozenset(r["lemma"] for r in _rows("place_triggers.csv")),
        obligations=frozenset(r["lemma"] for r in _rows("obligations.csv")),
        party_adjectives=_party_adjectives(),
    )


# pre-1918 adjective endings and their modern spelling ("Тильзитскаго", "тильзитския")
_OLD_ENDINGS = (("аго", "ого"), ("яго", "его"), ("ыя", "ые"), ("ия", "ие"))


@lru_cache(maxsize=100_000)
def modern_spelling(word: str) -> str:
    """``word`` (lowercase) with a pre-1918 adjective ending modernized. The normalizer
    modernizes only words pymorphy3 knows; the place adjectives that name treaties
    ("Тильзитскаго мирнаго договора") it does not know, and guesses them as nouns."""
    low = word.lower().replace("ё", "е")
    if morph.is_known(low):
        return low
    for old, new in _OLD_ENDINGS:
        if low.endswith(old):
            modern = low[: -len(old)] + new
            parses = morph.parses(modern)
            if parses and parses[0].tag.POS == "ADJF" and morph.parses(low)[0].tag.POS != "ADJF":
                return modern
    return low


@lru_cache(maxsize=1)
def _party_names() -> dict[str, tuple[tuple[str, str], ...]]:
    """Folded party name -> (another name of the same polity, the date until which it holds),
    both ways (``party_names.csv``)."""
    names: dict[str, list[tuple[str, str]]] = {}
    for r in _rows("party_names.csv"):
        names.setdefault(fold(r["name"]), []).append((fold(r["same_as"]), r["until"]))
        names.setdefault(fold(r["same_as"]), []).append((fold(r["name"]), r["until"]))
    return {k: tuple(v) for k, v in names.items()}


def same_party(a: str, b: str, date: str = "") -> bool:
    """Whether two party names are one polity in a treaty signed on ``date``: the base's
    "СССР" of 1920 is the text's "РСФСР", its "Османская империя" the text's "Турция"."""
    a, b = fold(a), fold(b)
    return a == b or any(other == b and (not date or date < until) for other, until in _party_names().get(a, ()))


def _matched(listed: Iterable[str], named: Iterable[str], date: str) -> tuple[set[str], set[str]]:
    """Of the (folded) parties a text ``named``, those ``listed`` (as another name too) and the others."""
    listed = list(listed)
    found = {n for n in named if any(same_party(p, n, date) for p in listed)}
    return found, set(named) - found


@lru_cache(maxsize=100_000)
def word_lemma(word: str) -> str:
    """Context-free lemma (pymorphy3's first parse, or the head word a parse gives: "Устав"
    is no "устать"), the same for base aliases and text."""
    parses = morph.parses(modern_spelling(word))
    heads = lexicon().heads
    parses = [p for p in parses if p.normal_form.replace("ё", "е") in heads] or parses
    return parses[0].normal_form.replace("ё", "е") if parses else word.lower()


def lemma_key(words: Iterable[str]) -> tuple[str, ...]:
    """Lemmas of a name's words; numbers, years ("1922 г.") and punctuation do not count."""
    key = []
    for word in words:
        if not any(c.isalpha() for c in word) or word.lower().rstrip(".") in ("г", "гг", "год"):
            continue
        key.append(word_lemma(word))
    return tuple(key)


def _is_plural_name(name: str, heads: Mapping[str, Head]) -> bool:
    for word in _WORD.findall(name):
        if word_lemma(word) in heads:
            parses = morph.parses(word.lower())
            return any({"plur", "nomn"} <= p.tag.grammemes for p in parses) and not any(
                {"sing", "nomn"} <= p.tag.grammemes for p in parses
            )
    return False


@lru_cache(maxsize=1)
def base() -> Base:
    """The reference base, with every name and alias indexed by its lemmas (kept in
    the derived-data cache: lemmatizing every name costs more than loading the index)."""
    return cache.cached("treaty-base", _build_base, [Path(__file__), Path(morph.__file__), MODELS], morph.PACKAGES)


@lru_cache(maxsize=1)
def _base_names() -> frozenset[str]:
    return frozenset(fold(name) for t in base().treaties for name in (t.name, *t.aliases))


def is_base_name(text: str) -> bool:
    """Whether ``text``, as written, is the name or an alias of a treaty of the base ("ОСВ-2")."""
    return fold(text) in _base_names()


def _build_base() -> Base:
    heads = lexicon().heads
    treaties = []
    by_alias: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for r in _rows("base.csv"):
        names = (r["name"], *_split(r["aliases"]))
        words = frozenset(w for n in names for w in lemma_key(_WORD.findall(n)))
        treaty = BaseTreaty(
            id=r["id"], name=r["name"], aliases=names[1:], kind=r["kind"], date_signed=r["date_signed"],
            place=r["place"], parties=_split(r["parties"]), date_end=r["date_end"], ratified=r["ratified"],
            plural=_is_plural_name(r["name"], heads), words=words,
            key=() if _YEAR.search(r["name"]) else lemma_key(_WORD.findall(r["name"])),
        )
        treaties.append(treaty)
        for name in names:  # "Англо-советское торговое соглашение 1921 г." names it only with its year
            key, year = lemma_key(_WORD.findall(name)), "".join(_YEAR.findall(name)[:1])
            if len(key) > 1 and (treaty.id, year) not in by_alias.get(key, ()):
                by_alias.setdefault(key, []).append((treaty.id, year))
    return Base(
        treaties=tuple(treaties),
        by_alias={k: tuple(v) for k, v in by_alias.items()},
        by_place_adjective=_place_adjectives(treaties),
        by_id={t.id: t for t in treaties},
    )


def place_adjective(word: str) -> str:
    """The lemma of ``word`` if it is an adjective made from a place name ("Тильзитскаго",
    "Кючук-Кайнарджийский"), not from a state ("франко-прусский"); else ""."""
    lemma = word_lemma(word)
    if not lemma.endswith(("ский", "цкий")) or not any(p.tag.POS == "ADJF" for p in morph.parses(modern_spelling(word))):
        return ""
    g = gazetteer.load()
    if any(kind in ("polity", "ethnic") for kind, _ in g.adjectives.get(gazetteer.key(lemma), ())):
        return ""
    return "" if "-" in lemma and gazetteer.key(lemma.split("-")[0]) in g.stems else lemma


def _place_adjectives(treaties: Iterable[BaseTreaty]) -> dict[str, tuple[str, ...]]:
    """Records by the place adjective their name or an alias opens with ("Тильзитский мир"):
    a text may call the treaty by it with another head ("тильзитские соглашения")."""
    index: dict[str, list[str]] = {}
    for r in treaties:
        for name in (r.name, *r.aliases):
            first = name.split(" ")[0]
            lemma = place_adjective(first) if first[:1].isupper() else ""
            if lemma and r.id not in index.get(lemma, ()):
                index.setdefault(lemma, []).append(r.id)
    return {k: tuple(v) for k, v in index.items()}


# ---------------------------------------------------------------- the treaty of a mention

@dataclass(slots=True)
class Treaty:
    """The treaty a mention refers to: the value of ``span._.treaty``.

    ``parties`` lists the text-given parties first (their evidence in
    ``party_spans``, same order), then those the reference base adds;
    ``party_sources`` says which is which (text | base), ``sources`` does the
    same for ``date_signed`` and ``place``. ``antecedent`` is the earlier
    mention a coreferent one ("этот договор") resolves to.
    """

    key: str  # resolution key: reference-base id, or the canonical name
    name: str
    kind: str
    date_signed: str = ""
    place: str = ""
    parties: tuple[str, ...] = ()
    party_sources: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)  # date_signed/place -> text | base
    date_span: Span | None = None
    place_span: Span | None = None
    party_spans: tuple[Span, ...] = ()
    base_id: str = ""
    reference: str = NAMED  # named | descriptive | anaphoric | generic | place
    antecedent: Span | None = None
    plural: bool = False
    norm: str = ""  # this mention in the nominative ("соглашения, подписанные в Рапалло")
    title: str = ""  # its name words alone ("Константинопольский мир" of "Константинопольский мир с Турцией")
    variants: tuple[str, ...] = ()  # other names built for it ("Франко-японское соглашение 1907 г.")

    @property
    def text_parties(self) -> tuple[str, ...]:
        return tuple(p for p, s in zip(self.parties, self.party_sources) if s == "text")


@dataclass(slots=True)
class TreatyMemory:
    """What earlier blocks of the document established (``DocContext.treaties``)."""

    mentions: list[tuple[Span, Treaty, int]] = field(default_factory=list)  # antecedents and their sentence
    sentences: int = 0  # sentences of the blocks before this one
    entities: dict[str, Treaty] = field(default_factory=dict)  # key -> the treaty as known so far
    words: dict[str, set[str]] = field(default_factory=dict)  # key -> lemmas describing it
    states: dict[str, str] = field(default_factory=dict)  # states the document mentions: folded -> canonical
    last_date: object | None = None

    def close_block(self) -> None:
        """Keep what later blocks need of a finished one, but not its ``Doc``: each
        antecedent becomes a copy of its own, and the treaties drop their evidence
        spans (a later block cannot point into this one's text). Any Span would keep
        its whole Doc alive, megabytes a block, to the end of a book."""
        self.mentions = [(_detached(span), _without_spans(treaty), sentence)
                         for span, treaty, sentence in self.mentions]
        self.entities = {key: _without_spans(treaty) for key, treaty in self.entities.items()}


def _detached(span: Span) -> Span:
    """``span`` in a Doc of its own: its text and label, and nothing of its Doc."""
    if len(span.doc) == len(span):  # a copy already
        return span
    copy = span.as_doc()
    return Span(copy, 0, len(copy), label=span.label)


def _without_spans(treaty: Treaty) -> Treaty:
    if treaty.date_span is None and treaty.place_span is None and not treaty.party_spans and treaty.antecedent is None:
        return treaty
    return replace(treaty, date_span=None, place_span=None, party_spans=(), antecedent=None)


# ---------------------------------------------------------------- actors on the Doc

@dataclass(frozen=True, slots=True)
class _Actor:
    span: Span
    type: str
    name: str


class _Actors:
    """The actor mentions of a Doc (ents and actor_refs) by token."""

    def __init__(self, doc: Doc) -> None:
        self.by_token: dict[int, list[_Actor]] = {}
        spans = [*doc.ents, *doc.spans.get("actor_refs", ())]
        for span in spans:
            actor = _Actor(span, span._.actor_type, span._.canonical)
            if actor.type and actor.name:
                for i in range(span.start, span.end):
                    self.by_token.setdefault(i, []).append(actor)

    def in_range(self, start: int, end: int) -> list[_Actor]:
        seen: dict[tuple[int, str], _Actor] = {}
        for i in range(start, end):
            for a in self.by_token.get(i, ()):
                seen.setdefault((a.span.start, a.name), a)
        return sorted(seen.values(), key=lambda a: a.span.start)

    def is_state(self, actor: _Actor) -> bool:
        return actor.type == STATE

    def is_place(self, actor: _Actor) -> bool:
        return actor.type == LOCATION

    def states(self, start: int, end: int) -> list[_Actor]:
        return [a for a in self.in_range(start, end) if self.is_state(a)]


# ---------------------------------------------------------------- candidates

@dataclass(slots=True)
class _Candidate:
    """A head word with the words around it that may name a treaty."""

    head: Token
    info: Head
    start: int  # the mention: role words, adjectives, head, complements, participle clause
    end: int
    name_tokens: list[Token]  # what names the treaty: adjectives, head, proper names, о/между complements
    roles: set[str] = field(default_factory=set)
    names: list[Token] = field(default_factory=list)  # proper names after the head ("Бриана — Келлога")
    about: tuple[int, int] | None = None  # "о дружбе и взаимном нейтралитете"
    between: tuple[int, int] | None = None  # "между Германией и Советским Союзом"
    partner: tuple[int, int] | None = None  # "с Россией"
    clause: tuple[int, int] | None = None  # ", подписанным в Рапалло"
    split: bool = False  # one of coordinated adjectives or partners sharing a plural head
    own: tuple[int, int] | None = None  # the parentheses of one of several partners: "(12 июля, в Москве)"
    quoted: tuple[int, int] | None = None  # a name in quotes after the head: "«мира и любви»"

    @property
    def plural(self) -> bool:
        return self.head.morph.get("Number") == ["Plur"] and not self.split

    @property
    def modifiers(self) -> list[Token]:
        return [t for t in self.name_tokens if t.i < self.head.i]


def _role(token: Token) -> str:
    return lexicon().modifiers.get(token.lemma_, "")


def _date_value(span: Span) -> object | None:
    """The dates component's value of a date span (``span._.date``), if it ran and gave one."""
    value = span._.date if Span.has_extension("date") else None
    return value if value is not None and value.value_start and value.value_end else None


def _is_adjective(token: Token) -> bool:
    """An adjective or full participle; the tagger takes "Рапалльский" or
    "франко-румынский" for nouns, and "в Брест-Литовске мир" for an adjective,
    pymorphy3 knows better."""
    if token.morph.get("Variant") == ["Short"]:  # "был подписан договор"
        return False
    if token.pos_ in ("ADJ", "DET") or token.morph.get("VerbForm") == ["Part"]:
        parses = morph.parses(modern_spelling(token.text))
        return not (parses and all(p.tag.POS == "NOUN" for p in parses) and any("Geox" in p.tag for p in parses))
    if token.pos_ in ("NOUN", "PROPN", "X") and (token.is_alpha or "-" in token.text):
        parses = morph.parses(token.text.lower())
        return bool(parses) and parses[0].tag.POS in ("ADJF", "PRTF")
    return False


def _case(token: Token) -> str:
    cases = token.morph.get("Case")
    return cases[0] if cases else ""


def _genitive(token: Token) -> bool:
    return _case(token) == "Gen" or any("gent" in p.tag for p in morph.parses(token.text.lower()))


def _proper(token: Token) -> bool:
    """A capitalized word not capitalized merely for starting the sentence."""
    if not token.text[:1].isupper():
        return False
    i = token.i
    while i > token.sent.start and token.doc[i - 1].text in "«\"(—–-":
        i -= 1
    if i > token.sent.start:
        return True
    return not morph.is_known(token.text.lower().split("-")[0])


def _left(doc: Doc, head: Token) -> list[list[Token]]:
    """Adjectives before the head, grouped by coordination ("франко-румынский и итало-румынский")."""
    groups: list[list[Token]] = [[]]
    i = head.i - 1
    while i >= head.sent.start:
        t = doc[i]
        if _governed_apart(t, head):
            break
        if _is_adjective(t) and _role(t) not in REFERRING:
            groups[0].insert(0, t)
        elif t.text in (",", "и") and groups[0] and i > head.sent.start and _is_adjective(doc[i - 1]) and not _role(doc[i - 1]):
            groups.insert(0, [])
        else:
            break
        i -= 1
    return [g for g in groups if g] or [[]]


def _governed_apart(word: Token, head: Token) -> bool:
    """Whether a preposition governs the word before the head in another case: "заключили
    с Жолкевским договор" names the partner, not a "Жолкевский договор"."""
    before = word.doc[word.i - 1] if word.i > word.sent.start else None
    governs = before is not None and before.pos_ == "ADP" and before.head.i == word.i
    return governs and "" != _case(word) != _case(head) != ""


def _np_run(doc: Doc, i: int, limit: int, cases: tuple[str, ...]) -> int:
    """End of a noun phrase from ``i``: adjectives and nouns in ``cases`` (or
    untagged, like "СССР"), coordinated by "и" or commas; a quoted run of them
    counts ("о разграничении «сфер интересов»")."""
    def fits(t: Token) -> bool:
        return t.pos_ in ("ADJ", "DET", "NOUN", "PROPN", "NUM") and (not _case(t) or _case(t) in cases)

    end = i
    while i < limit:
        t = doc[i]
        if fits(t):
            i += 1
            end = i
        elif t.text == "«" and end == i and end > 0:
            close = next((j for j in range(i + 1, limit) if doc[j].text == "»"), None)
            if close is None or close == i + 1 or not all(fits(doc[j]) for j in range(i + 1, close)):
                break
            i = end = close + 1
        elif end == i and i + 1 < limit and (t.text in ("и", ",") or t.text in _DASHES) and (
            doc[i + 1].pos_ in ("ADJ", "NOUN", "PROPN") and (not _case(doc[i + 1]) or _case(doc[i + 1]) in cases)
        ):
            i += 1
        else:
            break
    return end


def _names_after(doc: Doc, start: int, limit: int, actors: "_Actors") -> int:
    """End of the personal names in the genitive after a head ("Бриана — Келлога",
    "Молотова Риббентропа", "Дауэса"); states and places there are parties, not names."""
    i = start
    end = i
    while i < limit:
        t = doc[i]
        name = t.is_alpha and t.text[:1].isupper() and t.pos_ in ("PROPN", "NOUN", "X")
        # the first name must be tagged genitive ("миру Валентин" is no "план Дауэса"); the
        # tagger often gets the case of a second one wrong ("Бриана — Келлога"); a designation
        # does not decline ("договора ОСВ-2")
        case = _case(t) in ("Gen", "") if end == start else _genitive(t)
        # a designation names the treaty whatever the name finder took it for
        designation = end == start and bool(_DESIGNATION.fullmatch(t.text))
        if designation or (name and case and not any(a.type != "PERSON" for a in actors.by_token.get(t.i, ()))):
            i += 1
            end = i
        elif t.text in _DASHES and end == i and end > start and i + 1 < limit:
            i += 1
        else:
            break
    return end


# prepositions of a treaty's topic and the cases of the phrase they govern: "о дружбе",
# "по делам Персии, Афганистана и Тибета", "по Черноморскому флоту"
_TOPIC_CASES = {"о": ("Loc", "Gen"), "об": ("Loc", "Gen"), "обо": ("Loc", "Gen"), "по": ("Dat", "Gen")}
_MAX_QUOTED = 8  # words of a quoted name after a head; a longer quotation is a citation


def _quoted_name(doc: Doc, start: int, limit: int) -> int:
    """End of a name in quotes right after a head (the treaty's own words as its name:
    "договор «мира и любви»", "соглашение «9+1»"), else ``start``."""
    if start >= limit or doc[start].text not in ("«", '"'):
        return start
    closing = "»" if doc[start].text == "«" else '"'
    close = next((j for j in range(start + 1, min(limit, start + _MAX_QUOTED + 2)) if doc[j].text == closing), None)
    return close + 1 if close is not None and close > start + 1 else start


def _clause_end(doc: Doc, start: int, limit: int, dates: set[int]) -> int:
    """End of a participle clause: up to a comma, other punctuation or a new clause,
    keeping a coordinated list after "между" and the dots of dates."""
    i = start + 1
    while i < limit:
        t = doc[i]
        if t.lower_ == "между":
            i = max(_np_run(doc, i + 1, limit, ("Ins", "Gen")), i + 1)
            continue
        if (t.is_punct and i not in dates) or t.is_space or t.lemma_ == "который" or (
            t.pos_ in ("VERB", "AUX") and t.i != start):
            break
        i += 1
    return i


def _named_scene(doc: Doc, head: Token, end: int, limit: int) -> int:
    """End of a "в …" phrase after a topic that a base name carries as its own
    ("Договор об обычных вооружённых силах в Европе": no place of signing), else ``end``."""
    if end + 1 >= limit or doc[end].lower_ not in ("в", "во"):
        return end
    run = _np_run(doc, end + 1, limit, ("Loc",))
    starts = {head.i, *(t.i for g in _left(doc, head) for t in g)}
    named = any(lemma_key(t.text for t in doc[start:run]) in base().by_alias for start in starts)
    return run if run > end + 1 and named else end


def _candidates(doc: Doc, lex: Lexicon, actors: "_Actors", dates: set[int]) -> Iterator[_Candidate]:
    for head in doc:
        info = lex.heads.get(head.lemma_)
        if info is None or head.pos_ not in ("NOUN", "PROPN"):
            continue
        if info.anchor == ANCHOR_CONCLUDED and actors.by_token.get(head.i) and not _concluded(head, lex):
            continue  # "Советский Союз", "вошла в Четверной союз"
        limit = head.sent.end
        end = head.i + 1
        names_end = _names_after(doc, end, limit, actors)
        quoted = None
        if names_end == end:
            names_end = _quoted_name(doc, end, limit)
            quoted = (end, names_end) if names_end > end else None
        names, end = list(doc[end:names_end]), names_end
        if info.anchor == ANCHOR_NAME and not names and end < limit and _proper(doc[end]):
            end = _np_run(doc, end, limit, ("Gen",))  # "Устав Лиги Наций", "Акт Священного союза"
        about = between = clause = None
        if end < limit and doc[end].lower_ in _TOPIC_CASES and not names:  # a named pact is not "о ..."
            # its topic and the genitives it governs, not "сроком на 10 лет" after it
            run = _np_run(doc, end + 1, limit, _TOPIC_CASES[doc[end].lower_])
            if run > end + 1:
                about, end = (end, run), run
                end = _named_scene(doc, head, end, limit)
        if end < limit and doc[end].lower_ == "между":
            run = _np_run(doc, end + 1, limit, ("Ins", "Gen"))
            if run > end + 1:
                between, end = (end, run), run
        partner = None
        if between is None and end + 1 < limit and doc[end].lower_ in ("с", "со"):
            run = _np_run(doc, end + 1, limit, ("Ins",))
            # a state, or a coalition of states ("перемирие с Антантой")
            if run > end + 1 and any(a.type in (STATE, ORGANIZATION) for a in actors.in_range(end + 1, run)):
                partner, end = (end, run), run
        if end + 1 < limit and doc[end].lower_ == "к":  # "протокол к пакту Молотова — Риббентропа"
            inner = end + 1
            while inner < limit and _is_adjective(doc[inner]):
                inner += 1
            if inner < limit and doc[inner].lemma_ in lex.heads:
                end = _names_after(doc, inner + 1, limit, actors)
        complements = list(doc[head.i + 1 : end])
        participle = end + 1 if end < limit and doc[end].text == "," else end
        attributive = doc[participle].morph.get("VerbForm") == ["Part"] and doc[participle].morph.get("Variant") != [
            "Short"] if participle < limit else False  # "подписанным в Рапалло", not "договор подписан вчера"
        if attributive and doc[participle].lemma_ in lex.predicates:
            stop = _clause_end(doc, participle, limit, dates)
            clause, end = (participle, stop), stop
            if between is None:
                for t in doc[participle + 1 : stop]:
                    if t.lower_ == "между":
                        between = (t.i, _np_run(doc, t.i + 1, stop, ("Ins", "Gen")))
                        break
        groups = _left(doc, head)
        split = len(groups) > 1 and head.morph.get("Number") == ["Plur"]
        if not split:
            groups = [[t for g in groups for t in g]]
        items = _distributed(doc, partner[0] + 1, limit, actors, dates) if partner and not split and (
            head.morph.get("Number") == ["Plur"]) else []
        if items:  # "мирные договоры с Литвой (12 июля, в Москве), Латвией (11 августа, в Риге) и ..."
            modifiers = [t for t in groups[0] if not _role(t)]
            for k, (state, state_end, own) in enumerate(items):
                yield _Candidate(
                    head=head, info=info, start=(groups[0][0].i if groups[0] else head.i) if k == 0 else state,
                    end=own[1] + 1, name_tokens=modifiers + [head, doc[partner[0]], *doc[state:state_end]],
                    names=names, partner=(partner[0], state_end) if k == 0 else (state, state_end), split=True,
                    own=own,
                )
            continue
        for k, group in enumerate(groups):
            start = group[0].i if group else head.i
            roles: set[str] = set()
            while k == 0 and start > head.sent.start and _role(doc[start - 1]) in REFERRING:
                start -= 1
                roles.add(_role(doc[start]))
            yield _Candidate(
                head=head, info=info, start=start, end=end,
                name_tokens=[t for t in group if not _role(t)] + [head] + complements,
                roles=roles, names=names, about=about, between=between, partner=partner, clause=clause,
                split=split, quoted=quoted,
            )


def _ordinal(token: Token) -> bool:
    """An ordinal past the first ("Второе", "третья"): the treaty is one of a series."""
    return token.lemma_ != "первый" and any("Anum" in p.tag for p in morph.parses(token.text.lower()))


def _unquoted(candidates: list[_Candidate]) -> list[_Candidate]:
    """Candidates but the heads inside another's quoted name ("мира" of "договор «мира и любви»")."""
    quoted = [c.quoted for c in candidates if c.quoted]
    return [c for c in candidates if not any(a <= c.head.i < b for a, b in quoted)]


def _concluded(head: Token, lex: Lexicon) -> bool:
    """An alliance the text also names as an organization is a treaty where it is what is
    signed or renewed: "возобновили Четверной союз" renews the treaty of alliance."""
    return head.dep_ == "obj" and lex.predicates.get(head.head.lemma_) in (SIGN, RENEW)


def _distributed(doc: Doc, i: int, limit: int, actors: "_Actors", dates: set[int]) -> list[tuple[int, int, tuple[int, int]]]:
    """Partners of a plural head each with its own date in parentheses: one treaty each
    ("мирные договоры с Литвой (12 июля, в Москве), Латвией (11 августа, в Риге) и
    Финляндией (14 октября)"): (state start, state end, parentheses). Fewer than two: []."""
    items = []
    while i < limit:
        j = i
        while j < limit and _is_adjective(doc[j]):
            j += 1
        state = next((a for a in actors.by_token.get(j, ()) if actors.is_state(a)), None)
        if state is None or state.span.end >= limit or doc[state.span.end].text != "(":
            break
        opening = state.span.end
        close = next((k for k in range(opening + 1, limit) if doc[k].text == ")"), None)
        if close is None or not any(k in dates for k in range(opening + 1, close)):
            break
        items.append((i, state.span.end, (opening, close)))
        i = close + 1
        if i < limit and doc[i].text in (",", "и"):
            i += 1
        else:
            break
    return items if len(items) > 1 else []


# ---------------------------------------------------------------- evidence from the clause

@dataclass(slots=True)
class _Evidence:
    """What the text says about the treaty of one mention."""

    parties: list[_Actor] = field(default_factory=list)
    exhaustive: bool = False  # the parties are all the parties ("франко-румынский", "между X и Y")
    date: Span | None = None  # a date span of the dates component
    place: _Actor | None = None
    role: str = ""  # of the governing predicate: sign, ratify, accede, terminate, ...
    context: list[_Actor] = field(default_factory=list)  # other states of the sentence
    topic: set[str] = field(default_factory=set)  # lemmas describing the treaty ("торговый", "дружба")
    place_tail: str = ""  # the genitive words after the place ("Версальского дворца" of "в Зеркальном зале ...")
    finite: bool = False  # the predicate is a finite verb: the clause narrates the act at the time spoken of

    def given(self) -> bool:
        return bool(self.parties or self.date is not None or self.place is not None)

    def at(self, place: str) -> bool:
        """Whether the clause's place is ``place`` or lies at it: "в Зеркальном зале
        Версальского дворца" is in Версаль, "в Компьенском лесу" at Компьень."""
        return self.place is not None and (self.within(place) or _stem(place) in fold(self.place.name))

    def within(self, place: str) -> bool:
        """Whether the clause's place is ``place`` spelled otherwise, or a hall or palace
        the genitive after it places in ``place``."""
        if self.place is None:
            return False
        return same_place(self.place.name, place) or _stem(place) in fold(self.place_tail)


_GOVERNED = frozenset({"obj", "obl", "nmod", "iobj", "nsubj", "nsubj:pass"})
_NESTED = frozenset({"acl:relcl", "advcl", "parataxis", "ccomp", "conj", "punct", "csubj"})


def _predicate(doc: Doc, cand: _Candidate, lex: Lexicon, dates: set[int], actors: "_Actors") -> Token | None:
    """The word that signs, ratifies, joins... the treaty: a participle after it, its
    governor up the tree, or a predicate just before it in the same clause."""
    if cand.clause:
        return doc[cand.clause[0]]
    t = cand.head
    # "к договору были подписаны соглашения": what is signed is attached to the treaty
    attached = any(c.dep_ == "case" and c.lower_ == "к" for c in cand.head.children)
    for _ in range(2):
        if t.dep_ not in _GOVERNED or t.head.i == t.i:
            break
        t = t.head
        if t.lemma_ in lex.predicates and not (attached and lex.predicates[t.lemma_] == SIGN):
            return t
        if t.pos_ == "VERB":
            break
    i, words = cand.start - 1, 0
    while i >= cand.head.sent.start and words < 8:  # a date between does not count: "подписанием 18 (31)
        t = doc[i]                                # августа 1907 г. в Петербурге конвенции"
        if t.is_punct and i not in dates and not _listed(doc, i, actors):
            break
        if t.lemma_ in lex.predicates:
            return t
        words += i not in dates
        i -= 1
    return _predicate_after(doc, cand, lex)


_OBJECT_FIRST = 4  # words between a fronted object and its verb: "соглашение Япония заключила с Францией"


def _predicate_after(doc: Doc, cand: _Candidate, lex: Lexicon) -> Token | None:
    """A finite verb that follows its fronted object in the same clause ("сходное
    соглашение Япония заключила с Францией"); another verb or punctuation ends the search."""
    for t in doc[cand.end : min(cand.end + _OBJECT_FIRST, cand.head.sent.end)]:
        if t.is_punct or t.pos_ in ("VERB", "AUX") and t.lemma_ not in lex.predicates:
            return None
        if t.lemma_ in lex.predicates:
            return t if t.morph.get("VerbForm") == ["Fin"] and _case(cand.head) == "Acc" else None
    return None


def _clause(predicate: Token) -> set[int]:
    """Tokens of the predicate's own clause: its subtree without nested clauses."""
    seen = {predicate.i}
    stack = [predicate]
    while stack:
        for child in stack.pop().children:
            if child.i not in seen and child.dep_ not in _NESTED and child.pos_ != "VERB":
                seen.add(child.i)
                stack.append(child)
    return seen


def _subject(predicate: Token, segment: set[int]) -> Token | None:
    """The subject of a predicate, or of the verb its converb/infinitive/noun depends on
    ("Подписав этот договор, Советская Россия и Германия..."; "СССР выразил готовность
    присоединиться"). The predicate's own subject after it must lie in its clause
    (``segment``): a parse of a long sentence may give it the subject of the next clause."""
    t = predicate
    for _ in range(3):
        subjects = [c for c in t.children if c.dep_ == "nsubj" and (
            t.i != predicate.i or c.i in segment or c.i < predicate.i)]
        if subjects:
            return subjects[0]
        if t.dep_ not in ("advcl", "xcomp", "nmod", "obj", "csubj") or t.head.i == t.i:
            return None
        t = t.head
    return None


def _subject_before(doc: Doc, predicate: Token, segment: set[int], actors: "_Actors") -> list["_Actor"]:
    """States in the nominative just before a finite predicate in its clause ("Германия
    подписала"), for a parse that hangs the subject elsewhere."""
    if predicate.morph.get("VerbForm") != ["Fin"]:
        return []
    found = []
    i = predicate.i - 1
    while i in segment and doc[i].pos_ not in ("VERB", "AUX"):
        found += [a for a in actors.by_token.get(i, ()) if actors.is_state(a) and _case(a.span.root) in ("Nom", "")]
        i -= 1
    return found


def _role_of(predicate: Token, cand: _Candidate, lex: Lexicon) -> str:
    """The role of the predicate for this mention: renewing a named treaty extends it,
    renewing "союз с Данией" concludes a new one; "последовало соглашение" concludes
    the treaty that is its subject."""
    role = lex.predicates[predicate.lemma_]
    if role == RENEW:
        return EXTEND if cand.names or any(_proper(t) for t in cand.modifiers) else SIGN
    if role == OCCUR:
        return SIGN if cand.head.dep_.startswith("nsubj") and cand.head.head.i == predicate.i else ""
    return role


def _evidence(doc: Doc, cand: _Candidate, lex: Lexicon, actors: _Actors, date_spans: list[Span],
              dates: set[int]) -> _Evidence:
    """What the mention's own words and its governing clause say about the treaty."""
    ev = _Evidence()
    predicate = _predicate(doc, cand, lex, dates, actors)
    window: set[int] = set()  # the governing clause, without the treaty's own name
    if predicate is not None:
        ev.role = _role_of(predicate, cand, lex)
        ev.finite = predicate.morph.get("VerbForm") == ["Fin"]
        window = _clause(predicate) | set(range(min(predicate.i, cand.start), max(predicate.i + 1, cand.start)))
        window = (window | set(range(*(cand.clause or (0, 0))))) - {t.i for t in cand.name_tokens}
    segment = _segment(doc, predicate, cand, dates, actors) if predicate is not None else set()
    ev.parties, ev.exhaustive = _parties(doc, cand, lex, actors, predicate, ev.role, window, segment, dates)
    if ev.role == SIGN:
        # the clause by the parse, else by its punctuation: a parse may hang "29 сентября
        # 1938 г. в Мюнхене" of a long sentence on another verb
        ev.date = (_best_date(date_spans, window, predicate, segment) or _best_date(date_spans, segment, None)
                   or _best_date(date_spans, window, predicate))
        outside = segment - {t.i for t in cand.name_tokens}  # "Договор … в Европе" was not signed in Europe
        ev.place = (_place(doc, actors, window & segment, ev.parties) or _place(doc, actors, outside, ev.parties)
                    or _there(doc, actors, outside, ev.parties))
        if ev.place is not None:
            tail = _np_run(doc, ev.place.span.end, cand.head.sent.end, ("Gen",))
            ev.place_tail = doc[ev.place.span.end : tail].text
    if cand.own is not None and ev.role == SIGN:  # this partner's own date and place
        own = set(range(*cand.own))
        ev.date = _best_date(date_spans, own, None) or ev.date
        ev.place = _place(doc, actors, own, ev.parties) or ev.place
        ev.place_tail = ""
    entry = entry_date(doc, cand.start, date_spans) if predicate is None else None
    if entry is not None:  # "1582, 15 (25) января — Ям-Запольское перемирие с Речью Посполитой"
        ev.role, ev.date = SIGN, entry
    if ev.date is None:
        ev.date = _own_date(doc, cand, date_spans)
    if ev.date is None and ev.role == SIGN:
        ev.date = heading_date(doc, cand.head.sent, date_spans)
    sent = cand.head.sent
    named = {fold(a.name) for a in ev.parties}
    ev.context = [a for a in actors.states(sent.start, sent.end) if fold(a.name) not in named]
    ev.topic = _topic(cand, actors)
    return ev


def entry_date(doc: Doc, start: int, date_spans: Iterable[Span]) -> Span | None:
    """The date a chronology entry opens with, where the words at ``start`` head the entry
    after its dash ("1561, 28 ноября — Виленский договор: …", "28 ноября 1561 г. — …"):
    what the entry names as a nominative happened that day."""
    if start < 2 or doc[start - 1].text not in _DASHES or _case(doc[start]) not in ("Nom", ""):
        return None
    date = next((d for d in date_spans if d.end == start - 1), None)
    if date is None:
        return None
    line = doc.text.rfind("\n", 0, date.start_char) + 1
    return None if doc.text[line : date.start_char].strip(" ,.0123456789") else date


_PARENTHESES = re.compile(r"\([^()]*\)")
_HEADING_END = re.compile(r"\s*\.\s")  # the full stop closing a heading date ("10 февр. (н. ст.). В Париже")
_CAPITAL_NEXT = re.compile(r"\s+[А-ЯЁA-Z]")  # the entry after a date closed by its abbreviation ("15 февр. В")


def heading_date(doc: Doc, sent: Span, date_spans: Iterable[Span]) -> Span | None:
    """The date heading a journal's entry, a line that opens with a date closed by a full
    stop ("10 февр. (н. ст.). В Париже подписан мир …"), for a sentence of that entry:
    what the entry tells happened that day."""
    line = doc.text.rfind("\n", 0, sent.start_char) + 1
    date = next((d for d in date_spans if line <= d.start_char and d.end <= sent.start), None)
    if date is None or doc.text[line : date.start_char].strip():
        return None
    rest = _PARENTHESES.sub("", doc.text[date.end_char : sent.end_char])
    closed = date.text.endswith(".") and date[-2].lower_ not in ("г", "гг") and _CAPITAL_NEXT.match(rest)
    return date if _HEADING_END.match(rest) or closed else None


def _own_date(doc: Doc, cand: _Candidate, date_spans: list[Span]) -> Span | None:
    """The date in the treaty's own name: its year ("договоры 1926 г.", "Рапалльский
    договор 1922 г.") or "от" a date ("соглашение от 16 марта 1921 г."); a day right after
    the name belongs to the clause ("присоединилась к пакту 1 марта 1941 г.")."""
    after = cand.name_tokens[-1].i + 1
    if after < len(doc) and doc[after].text == "," and after + 1 < len(doc) and doc[after + 1].lower_ == "от":
        after += 1  # "Третье соглашение, от 25 июня (8 июля) 1912 г."
    for d in date_spans:
        if d.start == after and (_date_value(d).granularity == "year" and doc[after].text[:1].isdigit() or (
                doc[after].lower_ == "от")):
            return d  # "договор 944 г." (not "ратифицировал трактат в начале 1775 г."); "от" may open the date
        if d.start == after + 1 and doc[after].lower_ == "от":
            return d
    return None


def _signed_on_a_day_in_a_place(ev: _Evidence) -> bool:
    """Does the signing clause give the day and the place, as history tells treaties?"""
    value = _date_value(ev.date) if ev.role == SIGN and ev.date is not None else None
    return value is not None and value.value_start == value.value_end and ev.place is not None


def _concluded_between_states(ev: _Evidence) -> bool:
    """States that sign an act or a declaration on a date make it a treaty between them
    ("23 декабря 1794 г. Россия и Австрия заключили декларацию о третьем разделе"); persons
    signing an act ("подписали акт конфедерации") do not."""
    return ev.role == SIGN and len(ev.parties) >= 2 and ev.date is not None


def _dated_by_name(doc: Doc, cand: _Candidate, ev: _Evidence, date_spans: list[Span]) -> bool:
    """A head dated by its own words names a treaty whoever its parties: historians call
    treaties by their year ("Договор 944 г.", "Мир 1046 г.") or date ("соглашение от 16
    марта 1921 г."), a plan or a charter is not called so."""
    own = _own_date(doc, cand, date_spans)
    listed = own is not None and any(d.start == own.end and own.text.endswith(",") or (
        d.start == own.end + 1 and doc[own.end].text in (",", "и")) for d in date_spans)
    return ev.date is not None and ev.date is own and not listed and cand.info.anchor in (
        ANCHOR_EVIDENCE, ANCHOR_SIGNED)  # "соглашений 1907, 1910 и 1912 гг." are several


def _parties(doc: Doc, cand: _Candidate, lex: Lexicon, actors: _Actors, predicate: Token | None, role: str,
             window: set[int], segment: set[int], dates: set[int]) -> tuple[list[_Actor], bool]:
    """The states the text makes parties, in text order, and whether they are all of them:
    party adjectives, "между X и Y", "с X", the subject of "заключить", "присоединиться"..."""
    parties: dict[str, _Actor] = {}
    exhaustive = False

    def add(found: Iterable[_Actor]) -> None:
        for actor in found:
            if actors.is_state(actor):
                parties.setdefault(fold(actor.name), actor)

    for t in cand.modifiers:  # "советско-германский", "франко-румынский"
        add(actors.by_token.get(t.i, ()))
    add(actors.states(*cand.between) if cand.between else ())
    add(_members(doc, cand, actors))
    add(_obliged(cand, lex, actors))
    exhaustive = len(parties) >= 2  # "советско-германский", "между X и Y"; "с X и Y" leaves out the subject
    add(actors.states(*cand.partner) if cand.partner else ())
    if predicate is not None and role in PARTY_ROLES:
        subject = _subject(predicate, segment)
        between = doc[min(subject.i, predicate.i) : max(subject.i, predicate.i)] if subject is not None else ()
        if subject is not None and subject.i == cand.head.i:
            pass  # "последовали договоры с Литвой, Латвией...": the treaty itself, its partners given
        elif subject is not None and not any(t.text == ";" for t in between):  # a parse error across clauses
            add(actors.states(subject.left_edge.i, subject.right_edge.i + 1))
        else:
            add(_subject_before(doc, predicate, segment, actors))
    if predicate is not None and role == SIGN and cand.partner is None:  # "навязал Эстонии, Латвии и Литве договоры"
        for c in predicate.children:
            if c.dep_ in ("iobj", "obl") and _case(c) == "Dat" and not any(g.dep_ == "case" for g in c.children):
                add(a for t in (c, *(x for x in c.children if x.dep_ == "conj")) for a in actors.by_token.get(t.i, ()))
    sent_end = cand.head.sent.end
    if role == SIGN and cand.between is None:  # "был заключен в 1807 г. между Россией и Францией"
        between = next((i for i in sorted(window) if doc[i].lower_ == "между"), None)
        if between is not None:
            add(actors.states(between + 1, _np_run(doc, between + 1, sent_end, ("Ins", "Gen"))))
            exhaustive = len(parties) >= 2
    after = cand.end  # "соглашение 1925 г. с Советским Союзом", up to the next clause
    while after < min(cand.end + 5, sent_end) and not (
            doc[after].is_punct and after not in dates or doc[after].pos_ in ("VERB", "AUX")):
        after += 1
    search = set(range(cand.end, after)) | (window & segment if role in PARTY_ROLES and cand.own is None else set())
    for i in sorted(search):
        if doc[i].lower_ in ("с", "со"):  # "заключила ... соглашение с Советским Союзом"
            j = i + 1
            while j < sent_end and _is_adjective(doc[j]):
                j += 1
            add(actors.by_token.get(j, ()))
    return sorted(parties.values(), key=lambda a: a.span.start), exhaustive


def _obliged(cand: _Candidate, lex: Lexicon, actors: _Actors) -> list[_Actor]:
    """The states a treaty binds, the subjects of a verb of obligation "по" it: "По
    Лиссабонскому протоколу Белоруссия, Казахстан и Украина обязались…"; those that gain
    or pass by it are none ("По Шёнбруннскому миру Россия получила", "по протоколу Литва
    переходила")."""
    head = cand.head
    verb = head.head
    if not any(c.dep_ == "case" and c.lower_ == "по" for c in head.children) or verb.lemma_ not in lex.obligations:
        return []
    subjects = [c for c in verb.children if c.dep_.startswith("nsubj")]
    if subjects:
        return [a for s in subjects for a in actors.states(s.left_edge.i, s.right_edge.i + 1)]
    return [a for a in actors.states(cand.end, verb.i) if _case(a.span.root) in ("Nom", "")]


def _members(doc: Doc, cand: _Candidate, actors: _Actors) -> list[_Actor]:
    """The states of a union its treaty founds, in the genitive after the union's name in
    the topic: "Договор о Союзе Беларуси и России", "об образовании Сообщества Беларуси и
    России"; the states a topic is about are none ("по делам Персии, Афганистана и Тибета")."""
    if cand.about is None:
        return []
    for t in doc[cand.about[0] + 1 : cand.about[1]]:
        if t.pos_ in ("NOUN", "PROPN") and _proper(t) and not any(actors.is_state(a) for a in actors.by_token.get(t.i, ())):
            members = actors.states(t.i + 1, cand.about[1])
            return members if len(members) >= 2 and actors.by_token.get(t.i + 1) else []
    return []


def _place(doc: Doc, actors: _Actors, segment: set[int], parties: list[_Actor]) -> _Actor | None:
    """The place of signing: "в Берлине", "в селе Преображенском", "в финском городе
    Ништадте" in the signing clause, not one of the parties."""
    named = {fold(a.name) for a in parties}
    for i in sorted(segment):
        if doc[i].lower_ not in ("в", "во"):
            continue
        j = i + 1
        while j < min(i + 4, len(doc)) and not actors.by_token.get(j) and doc[j].pos_ in ("ADJ", "NOUN") and (
                _case(doc[j]) == "Loc"):
            j += 1
        if j < len(doc):
            place = next((a for a in actors.by_token.get(j, ()) if actors.is_place(a)), None)
            if place is not None and fold(place.name) not in named:
                return place
    return None


def _there(doc: Doc, actors: _Actors, segment: set[int], parties: list[_Actor]) -> _Actor | None:
    """The place "там" of the signing clause refers to: the last one named "в" before it in
    its sentence or the one before ("Олег отправил в Константинополь мужей своих, и 2
    сентября 911 г. там был заключён договор")."""
    there = next((i for i in sorted(segment) if doc[i].lower_ == "там"), None)
    if there is None:
        return None
    sent = doc[there].sent
    before = set(range(doc[sent.start - 1].sent.start if sent.start > 0 else sent.start, there))
    found = [p for p in (_place(doc, actors, {i}, parties) for i in sorted(before, reverse=True)) if p is not None]
    return found[0] if found else None


def _listed(doc: Doc, i: int, actors: _Actors) -> bool:
    """A comma between two names of a list: states ("Эстонии, Латвии и Литве", whatever
    case the tagger gives them), or other names of one kind in one case ("А. Гитлер, Б. Муссолини")."""
    if doc[i].text != "," or not 0 < i < len(doc) - 1:
        return False
    before, after = actors.by_token.get(i - 1, ()), actors.by_token.get(i + 1, ())
    return any(a.type == b.type and (a.type == STATE or _case(a.span.root) == _case(b.span.root))
               for a in before for b in after)


def _segment(doc: Doc, predicate: Token, cand: _Candidate, dates: set[int], actors: _Actors) -> set[int]:
    """Tokens around the predicate and the mention up to the nearest clause punctuation
    (the dots of dates and the commas of a list of names do not count: "А. Гитлер,
    Б. Муссолини, Н. Чемберлен и Э. Даладье подписали"), plus the participle clause."""
    def boundary(i: int) -> bool:
        return doc[i].text in _BOUNDARY and i not in dates and not _listed(doc, i, actors)

    sent = cand.head.sent
    lo, hi = min(predicate.i, cand.start), max(predicate.i, cand.end - 1)
    while lo > sent.start and not boundary(lo - 1):
        lo -= 1
    while hi + 1 < sent.end and not boundary(hi + 1):
        hi += 1
    inner = {i for i in range(lo, hi + 1)}
    return inner | (set(range(*cand.clause)) if cand.clause else set())


def _best_date(date_spans: list[Span], window: set[int], predicate: Token | None,
               within: set[int] | None = None) -> Span | None:
    """The most precise date of the signing clause (``window``, or attached to the
    predicate, and inside ``within`` when given), nearest the predicate."""
    inside = [
        d for d in date_spans
        if _date_value(d) is not None and (all(i in window for i in _words(d)) or (
            predicate is not None and d.root.head.i == predicate.i))
        and (within is None or all(i in within for i in range(d.start, d.end)))
    ]
    if not inside:
        return None
    rank = {"day": 0, "month": 1, "season": 2, "year": 3}
    where = predicate.i if predicate is not None else 0
    return min(inside, key=lambda d: (rank.get(_date_value(d).granularity, 4), abs(d.start - where)))


def _words(span: Span) -> list[int]:
    """The span's tokens but its punctuation (the parse hangs the dot of "г." apart)."""
    return [t.i for t in span if not t.is_punct]


def _topic(cand: _Candidate, actors: _Actors) -> set[str]:
    """Lemmas that describe the treaty: adjectives that are neither parties nor names,
    and the content words of its "о ..." complement."""
    words = {
        word_lemma(t.text) for t in cand.modifiers
        if not actors.by_token.get(t.i) and not _proper(t) and t.is_alpha
    }
    if cand.about:
        doc = cand.head.doc
        words |= {
            word_lemma(t.text) for t in doc[cand.about[0] + 1 : cand.about[1]]
            if t.pos_ in ("NOUN", "ADJ", "PROPN") and not actors.by_token.get(t.i)
        }
    return words


# ---------------------------------------------------------------- linking to the reference base

def _compatible(a: str, b: str) -> bool:
    """Whether heads of families ``a`` and ``b`` can name the same treaty: "соглашение"
    for a "договор", "мир" for a "договор", but a plan, a declaration or a charter
    is only ever one."""
    if a == b:
        return True
    return not {"plan", "declaration", "charter", "memorandum"} & {a, b} and {a, b} != {"armistice", "peace"}


def _family(kind: str) -> str:
    head = lexicon().heads.get(kind)
    return head.family if head else ""


def _alias_ids(cand: _Candidate, known: Base, value: object | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Base records whose name or alias the mention's name words spell (longest match
    around the head), and the lemmas matched. An alias with a year matches only a
    mention dated within it."""
    words = [(t.i, word_lemma(t.text)) for t in cand.name_tokens if any(c.isalpha() for c in t.text)]
    words = [(i, w) for i, w in words if w not in ("г", "год")]
    at = next((k for k, (i, _) in enumerate(words) if i == cand.head.i), None)
    if at is None:
        return (), ()
    for size in range(len(words), 1, -1):
        for first in range(max(0, at - size + 1), min(at, len(words) - size) + 1):
            key = tuple(w for _, w in words[first : first + size])
            ids = tuple(i for i, year in known.by_alias.get(key, ()) if not year or value is not None and (
                value.value_start[:4] <= year <= value.value_end[:4]))
            if ids:
                return ids, key
    for t in reversed(cand.modifiers):  # "тильзитские соглашения" for the "Тильзитский мир"
        lemma = place_adjective(t.text)
        ids = known.by_place_adjective.get(lemma, ()) if lemma else ()
        ids = tuple(i for i in ids if _compatible(cand.info.family, _family(known.by_id[i].kind)))
        if ids:
            return ids, (lemma,)
    return (), ()


# the Julian calendar's lag behind the Gregorian: (first Gregorian day it applies to, days)
_JULIAN_LAG = (("1582-10-15", 10), ("1700-03-11", 11), ("1800-03-12", 12), ("1900-03-13", 13), ("1918-02-14", 0))


def _signing_days(r: BaseTreaty) -> tuple[str, ...]:
    """The days a text may date a treaty by: the base's Gregorian one and, for Russia's
    treaties before 1918, the Julian one Russian sources give (Гюлистан 24 October 1813
    is «12 октября»)."""
    lag = next((days for start, days in reversed(_JULIAN_LAG) if r.date_signed >= start), 0)
    if not lag or "Россия" not in r.parties or len(r.date_signed) != 10:
        return (r.date_signed,)
    julian = datetime.date.fromisoformat(r.date_signed) - datetime.timedelta(days=lag)
    return r.date_signed, julian.isoformat()


@dataclass(slots=True)
class _Link:
    record: BaseTreaty
    score: float
    specific: bool  # the text's own evidence points at it, not only a name


def _score(r: BaseTreaty, cand: _Candidate, ev: _Evidence, alias: tuple[str, ...], salient: set[str],
           context: object | None) -> _Link | None:
    """How well base record ``r`` fits the mention (``alias``: the name words matched,
    if they name ``r``); None when the text contradicts it."""
    named_by = alias == r.key or len(alias) == 1 and r.key[:1] == alias  # its own name, not an alias
    full = len(alias) > 1  # a whole name or alias, not only its place adjective ("тильзитские соглашения")
    score, specific, timely = (3.0 + 0.5 * named_by if alias else 0.0), False, False
    value = _date_value(ev.date) if ev.date is not None else None
    if value is not None:
        if r.date_signed and any(value.value_start <= day <= value.value_end for day in _signing_days(r)):
            gain = _GRANULARITY_SCORE.get(value.granularity, 1.0)
            score += gain
            specific = gain >= 2
        elif full:
            score -= 3  # a name outweighs a date the clause may not give for it
        else:
            return None
    elif context is not None and r.date_signed[:4] > context.value_end[:4]:
        if not full or r.date_signed[:4] > str(int(context.value_end[:4]) + _FORESIGHT).zfill(4):
            return None
        score -= 2  # a treaty not signed yet in the year the text speaks of
    elif context is not None and ev.role == SIGN and context.value_start[:4] <= r.date_signed[:4] <= context.value_end[:4]:
        score += 1  # concluded, the clause says, at the time the text speaks of
        timely = True
    elif context is not None and ev.role == SIGN and ev.finite and not alias and r.date_signed[:4] < context.value_start[:4]:
        return None  # "подписали в Петрограде договор" in 1916 signs no treaty of 1881 (but "соглашения,
        # подписанные в Рапалло" may look back)
    placed = ev.place is not None and r.place != "" and ev.at(r.place)
    if ev.place is not None and r.place:
        if placed:
            score += 2
            specific = True
        elif not alias:
            return None
        else:
            score -= 2  # a name outweighs a place the clause may give for something else
    dated = value is not None and specific
    found, extra = _matched(r.parties, {fold(a.name) for a in ev.parties}, r.date_signed)
    if not alias and (extra or ev.exhaustive and len(found) != len(r.parties)) and not (dated and placed):
        return None  # only a date and a place both given outweigh a party the record lacks
    score += len(found) - len(extra)
    specific = specific or len(found) >= 2 or ((value is not None or timely) and bool(found))
    hits = ev.topic & r.words
    if cand.about is not None and not hits and not alias and not (dated or placed):
        return None  # "соглашение о передаче Судетской области" is no Locarno treaty
    score += len(hits) - 0.5 * len(ev.topic - hits)
    specific = specific or (cand.about is not None and len(hits) >= 2)
    score += min(2, len(_matched(r.parties, {fold(a.name) for a in ev.context}, r.date_signed)[0]))
    score += (r.id in salient) + 0.5 * (r.kind == cand.info.kind)
    return _Link(r, score, specific or bool(alias))


def _link(cand: _Candidate, ev: _Evidence, alias: tuple[tuple[str, ...], tuple[str, ...]], salient: set[str],
          context: object | None) -> BaseTreaty | None:
    """The base record the mention refers to, when one clearly fits best."""
    alias_ids, alias_key = alias
    links = []
    for r in base().treaties:
        named = alias_key if r.id in alias_ids else ()
        # a name the base lists decides whatever its head: "Андрусовский мир" was a truce
        if not named and (not (ev.given() or cand.about) or not _compatible(cand.info.family, _family(r.kind))):
            continue
        link = _score(r, cand, ev, named, salient, context)
        if link is not None and link.specific:
            links.append(link)
    if context is not None:  # of same-named treaties, the latest signed by the time the text speaks of
        earlier = [x for x in links if x.record.id in alias_ids and x.record.date_signed <= context.value_end]
        if earlier:
            max(earlier, key=lambda x: x.record.date_signed).score += 0.5
    links.sort(key=lambda x: (-x.score, x.record.id))
    if not links or len(links) > 1 and links[1].score > links[0].score - 0.5:
        return None
    return links[0].record


def _context_link(cand: _Candidate, ev: _Evidence, window: list[_Actor], salient: set[str],
                  context: object | None, mentioned: set[str]) -> BaseTreaty | None:
    """The base record a mention without evidence of its own ("расторжение всех торговых
    соглашений") most likely means: described alike, between states the passage names
    (two of them at least), and in force at the time the text speaks of. A "new" one
    ("по новому секретному протоколу") is none the document has ``mentioned``."""
    states = {fold(a.name) for a in window}
    if not ev.topic or context is None or not states:
        return None
    scored = []
    for r in base().treaties:
        if ev.topic - r.words or not _compatible(cand.info.family, _family(r.kind)):
            continue
        if NEW in cand.roles and r.id in mentioned:
            continue
        if not r.in_force(context.value_start, context.value_end):
            continue
        overlap = len(_matched(r.parties, states, r.date_signed)[0])
        if overlap >= 2:  # the passage names both sides
            scored.append((overlap + 0.5 * (r.id in salient), r))
    scored.sort(key=lambda x: (-x[0], x[1].id))
    if not scored or len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


# ---------------------------------------------------------------- names

def _inflect(token: Token, grams: set[str]) -> str:
    parse = morph.best_parse(modern_spelling(token.text), token.pos_, str(token.morph))
    form = parse.inflect(grams) if parse else None
    if form is None:
        return token.text
    word = form.word if "ё" in token.text.lower() else form.word.replace("ё", "е")
    return morph.restore_shape(word, token.text)


def _nominative(tokens: list[Token], head: Token, plural: bool, inflect_after: set[int] = frozenset()) -> str:
    """The tokens with the head and its adjectives (and ``inflect_after`` participles)
    in the nominative: "Рапалльского договора" → "Рапалльский договор"."""
    number = "plur" if plural else "sing"
    parse = morph.best_parse(head.text, head.pos_, str(head.morph))
    gender = parse.tag.gender if parse is not None else None
    agree = {"nomn", number} | ({gender} if gender and not plural else set())
    out = []
    for k, t in enumerate(tokens):
        if t.i == head.i:
            word = _inflect(t, {"nomn", number})
        elif (t.i < head.i and _is_adjective(t)) or t.i in inflect_after:
            word = _inflect(t, agree)
        else:
            word = t.text
        space = " " if k + 1 < len(tokens) and (t.whitespace_ or tokens[k + 1].i != t.i + 1) else ""
        out.append(word + space)
    return "".join(out).strip()


def _capitalized(name: str) -> str:
    return name[:1].upper() + name[1:]


def _compound(parties: list[str], head: Token, plural: bool, lex: Lexicon) -> str:
    """"советско-германское" for СССР and Германия agreeing with the head; "" if unknown."""
    found = [lex.party_adjectives.get(p) for p in parties]
    if not 2 <= len(parties) <= 3 or not all(found):  # "советско-эстонско-латвийско-литовские" reads as no name
        return ""
    first = [i for i, p in enumerate(parties) if p in ("СССР", "Россия", "РСФСР")][:1]
    order = first + [i for i in range(len(parties)) if i not in first]
    *prefixes, (_, adjective) = [found[i] for i in order]
    parse = morph.best_parse(head.text, head.pos_, str(head.morph))
    gender = parse.tag.gender if parse is not None else "masc"
    grams = {"nomn", "plur"} if plural else {"nomn", "sing", gender or "masc"}
    parses = morph.parses(adjective)
    form = parses[0].inflect(grams) if parses else None
    return "-".join([p for p, _ in prefixes] + [form.word if form else adjective])


def _descriptive_names(cand: _Candidate, ev: _Evidence, lex: Lexicon) -> list[str]:
    """Names for a treaty the base does not know, built from what the text says, the
    canonical one first: "Соглашения между Францией, Польшей и Румынией",
    "Советско-германское торговое соглашение 1925 г.". A compound of two parties not led
    by Russia reads in either order ("японо-французское", "франко-японское"), and one
    with a topic is also named without it ("Русско-прусская конвенция 1772 г." of the
    "конвенция о разделе")."""
    doc = cand.head.doc
    full = _nominative(cand.name_tokens, cand.head, cand.plural)
    names = [full]
    between_named = cand.between is not None and cand.between[0] < cand.name_tokens[-1].i
    party_adjective = any(t.i in _party_tokens(cand, ev) for t in cand.modifiers)
    if cand.between is not None and not between_named:
        names = [f"{full} {doc[cand.between[0] : cand.between[1]].text}"]
    elif not party_adjective and not cand.between and not cand.partner:
        parties = [a.name for a in ev.parties]
        compounds = [c for c in dict.fromkeys(
            (_compound(parties, cand.head, cand.plural, lex), _compound(parties[::-1], cand.head, cand.plural, lex))) if c]
        forms = [full]
        if cand.about is not None and compounds:
            tokens = [t for t in cand.name_tokens if not cand.about[0] <= t.i < cand.about[1]]
            forms.append(_nominative(tokens, cand.head, cand.plural))
        names = [f"{c} {n[:1].lower() + n[1:]}" for n in forms for c in compounds] or names
    value = _date_value(ev.date) if ev.date is not None else None
    year = int(value.value_start[:4]) if value is not None and value.value_start[:4] == value.value_end[:4] else None
    if year is not None and not cand.between:
        names = [f"{n} {year} г." for n in names]  # "договор 944 г.", not "0944 г."
    by_place = _by_place(cand, ev)
    if by_place:
        names += [f"{by_place} {year} г.", by_place] if year is not None else [by_place]
    return [_capitalized(n) for n in names]


@lru_cache(maxsize=1)
def _adjectives_of_places() -> dict[str, str]:
    """Place name → the gazetteer's adjective for it ("Париж" → "парижский"), the first listed."""
    found: dict[str, str] = {}
    for lemma, readings in gazetteer.load().adjectives.items():
        for kind, actor in readings:
            if kind == "place":
                found.setdefault(actor.name, lemma)
    return found


def _adjective_of_place(place: str) -> str:
    """The adjective a treaty signed at ``place`` is named by: the gazetteer's, or for a
    name ending in a consonant the regular one ("Губертусбург" → "губертусбургский");
    "" when neither is known (a vowel ending alternates: "Рига" → "рижский")."""
    known = _adjectives_of_places().get(place)
    if known:
        return known
    if not re.fullmatch(r"[А-ЯЁ][а-яё]+", place) or place[-1] in "аеёиоуыэюяйь":
        return ""
    return place.lower() + ("ий" if place.endswith("ск") else "ский")


def _by_place(cand: _Candidate, ev: _Evidence) -> str:
    """The name historians give an unnamed treaty signed at a place the clause names: the
    peace "подписан в Губертусбурге" is the "Губертусбургский мир"; "" when not placed."""
    if ev.place is None or ev.role != SIGN:
        return ""
    adjective = _adjective_of_place(ev.place.name)
    if not adjective:
        return ""
    number = "plur" if cand.plural else "sing"
    head = morph.best_parse(cand.head.text, cand.head.pos_, str(cand.head.morph))
    gender = head.tag.gender if head is not None and not cand.plural else None
    parse = next((p for p in morph.parses(adjective) if p.tag.POS == "ADJF"), None)
    form = parse.inflect({"nomn", number} | ({gender} if gender else set())) if parse else None
    return f"{form.word if form else adjective} {_inflect(cand.head, {'nomn', number})}"


def _by_parties(cand: _Candidate, ev: _Evidence, lex: Lexicon) -> list[str]:
    """The descriptive names of a mention that say more than its own words: those its
    parties' compound adjective leads ("Русско-прусская конвенция 1793 г.")."""
    plain = fold(_nominative(cand.name_tokens, cand.head, cand.plural))
    return [n for n in _descriptive_names(cand, ev, lex) if not fold(n).startswith(plain)]


def _proper_names(cand: _Candidate) -> list[str]:
    """The proper name of a treaty the base does not know, and, for one named by a place
    and a topic, the place alone as historians index it: "Будапештский меморандум" of the
    "Будапештский меморандум о гарантиях безопасности"."""
    names = [_capitalized(_nominative(cand.name_tokens, cand.head, cand.plural))]
    if cand.about is not None and any(_proper(t) and place_adjective(t.text) for t in cand.modifiers):
        tokens = [t for t in cand.name_tokens if t.i < cand.about[0]]
        names.append(_capitalized(_nominative(tokens, cand.head, cand.plural)))
    return names


def _key(name: str, ev: _Evidence, reference: str) -> str:
    """The resolution key of a treaty the base does not know: a proper name is enough,
    a descriptive one ("Торговое соглашение") is told apart by its parties and year."""
    if reference == NAMED:
        return fold(name)
    value = _date_value(ev.date) if ev.date is not None else None
    year = value.value_start[:4] if value is not None and value.value_start[:4] == value.value_end[:4] else ""
    return "|".join([fold(name), *sorted(fold(a.name) for a in ev.parties), year]).rstrip("|")


def _party_tokens(cand: _Candidate, ev: _Evidence) -> set[int]:
    return {i for a in ev.parties for i in range(a.span.start, a.span.end)}


def _title(cand: _Candidate) -> str:
    """The words that name the treaty, in the nominative, without the partner or the
    participle clause ("Константинопольский мир" of "Константинопольский мир с
    Османской империей"); "" for a bare head, which names nothing."""
    stop = cand.partner[0] if cand.partner else cand.end
    tokens = [t for t in cand.name_tokens if t.i < stop]
    while tokens and tokens[-1].pos_ == "ADP":  # the "с" of a distributed partner
        tokens.pop()
    if len(tokens) < 2:
        return ""
    return _nominative(tokens, cand.head, cand.plural)


def _norm(cand: _Candidate) -> str:
    """The mention in the nominative ("соглашениям, подписанным в Рапалло" →
    "соглашения, подписанные в Рапалло"); split coordinations read as their own name."""
    doc = cand.head.doc
    if cand.split:
        return _nominative(cand.name_tokens, cand.head, False)
    participle = {cand.clause[0]} if cand.clause else set()
    return _nominative(list(doc[cand.start : cand.end]), cand.head, cand.plural, participle)


# ---------------------------------------------------------------- treaties of the document

def _merge(entity: Treaty, ev: _Evidence, record: BaseTreaty | None, states: Mapping[str, str]) -> Treaty:
    """``entity`` updated with a mention's evidence; the base fills what the text is silent about.

    The base's parties of a multilateral treaty (more than three) are limited to
    the states the document mentions: a text about Soviet-German relations does
    not make the Versailles treaty a treaty of Bolivia and Siam.
    """
    text = [(p, s) for p, s, src in zip(entity.parties, _pad(entity.party_spans, entity), entity.party_sources)
            if src == "text"]
    seen = {fold(p) for p, _ in text}
    for actor in ev.parties:
        if fold(actor.name) not in seen:
            seen.add(fold(actor.name))
            text.append((actor.name, actor.span))
    date = record.date_signed if record is not None else entity.date_signed
    if record is not None:  # each party by the name the document gives it, if it names it
        listed = tuple(next((n for f, n in states.items() if same_party(p, f, date)), p) for p in record.parties)
        if len(listed) > 3:
            listed = tuple(p for p in listed if fold(p) in states)
    else:
        listed = tuple(p for p, src in zip(entity.parties, entity.party_sources) if src == "base")
    added = [p for p in listed if not any(same_party(p, q, date) for q in seen)]
    sources = dict(entity.sources)
    date_signed, date_span = entity.date_signed, entity.date_span
    value = _date_value(ev.date) if ev.date is not None else None
    if sources.get("date_signed") != "text" and value is not None and value.granularity == "day":
        date_signed, date_span, sources["date_signed"] = value.value_start, ev.date, "text"
    elif sources.get("date_signed") != "text":
        date_span = date_span or ev.date
        if record and record.date_signed:
            date_signed, sources["date_signed"] = record.date_signed, "base"
    place, place_span = entity.place, entity.place_span
    if sources.get("place") != "text" and ev.place is not None:
        # the base's spelling of the same place, or the city a hall or palace of the text lies in
        known = record is not None and record.place != "" and ev.within(record.place)
        place, place_span, sources["place"] = record.place if known else ev.place.name, ev.place.span, "text"
    elif sources.get("place") != "text" and record and record.place:
        place, sources["place"] = record.place, "base"
    return replace(
        entity,
        parties=tuple(p for p, _ in text) + tuple(added),
        party_sources=("text",) * len(text) + ("base",) * len(added),
        party_spans=tuple(s for _, s in text),
        date_signed=date_signed, date_span=date_span, place=place, place_span=place_span, sources=sources,
    )


def _pad(spans: tuple[Span, ...], entity: Treaty) -> list[Span | None]:
    return list(spans) + [None] * (len(entity.parties) - len(spans))


def _agrees(entity: Treaty, ev: _Evidence, parties: set[str], value: object | None) -> bool:
    """Whether what a clause says fits a treaty already known. A signing clause gives its
    parties (all of them, when ``exhaustive``), date and place; a clause that ratifies,
    joins or denounces it gives a later date, and its subjects may be new to it ("В ноябре
    к пакту присоединились Венгрия")."""
    if ev.role not in ("", SIGN):
        return value is None or not entity.date_signed or value.value_end >= entity.date_signed
    if _matched(entity.parties, parties, entity.date_signed)[1]:
        return False
    if ev.exhaustive and _matched(parties, {fold(p) for p in entity.parties}, entity.date_signed)[1]:
        return False  # "Сербско-болгарский договор" is none of five states
    if value is not None and not (entity.date_signed and value.value_start <= entity.date_signed <= value.value_end):
        return False
    return ev.place is None or same_place(ev.place.name, entity.place)


def _signed_before(entity: Treaty, now: object | None) -> bool:
    """Was the treaty signed in a year before the time ``now`` the text speaks of?"""
    return now is not None and bool(entity.date_signed) and entity.date_signed[:4] < now.value_start[:4]


class _Resolver:
    """Resolves the candidates of one Doc, in text order, against the document memory."""

    def __init__(self, doc: Doc, memory: TreatyMemory, lex: Lexicon, actors: _Actors) -> None:
        self.doc, self.memory, self.lex, self.actors = doc, memory, lex, actors
        self.date_spans = sorted(
            (d for d in doc.spans.get("dates", ()) if _date_value(d) is not None), key=lambda d: d.start
        )
        self.date_tokens = {i for d in self.date_spans for i in range(d.start, d.end)}
        self.salient = {t.base_id for t in memory.entities.values() if t.base_id}
        self.sentence = {}  # token -> sentence number in the document
        for k, sent in enumerate(doc.sents, memory.sentences):
            self.sentence.update((i, k) for i in range(sent.start, sent.end))
        self.n_sentences = len(set(self.sentence.values()))
        self.by_head: dict[int, str] = {}  # head token -> the key of its treaty

    def context(self, position: int) -> object | None:
        """The date the text speaks of at ``position``: the last date before it, else
        the first of its sentence ("Русско-французский союз был подтвержден в 1808 г.")."""
        before = [d for d in self.date_spans if d.end <= position]
        if before:
            return _date_value(before[-1])
        if self.memory.last_date is not None:
            return self.memory.last_date
        sent = self.doc[position].sent
        after = [d for d in self.date_spans if sent.start <= d.start < sent.end]
        return _date_value(after[0]) if after else None

    def window(self, token: Token) -> list[_Actor]:
        """States named in the sentence of ``token`` and the one before it."""
        sent = token.sent
        start = self.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        return self.actors.states(start, sent.end)

    def resolve(self, cand: _Candidate) -> Treaty | None:
        treaty = self._resolve(cand)
        if treaty is None:
            return None
        self.by_head[cand.head.i] = treaty.key
        kin = self.memory.entities.get(self.sibling(cand)) or (self.series(cand) if not treaty.parties else None)
        if kin is not None and kin.key != treaty.key:
            treaty = self.share_parties(treaty, kin)
        return treaty

    def series(self, cand: _Candidate) -> Treaty | None:
        """The treaty a numbered one continues: "Третье соглашение" after the "Второе
        русско-японское соглашение" is the next of the series, between the same states."""
        if not any(_ordinal(t) for t in cand.modifiers):
            return None
        for _, mentioned, _ in reversed(self.memory.mentions):
            entity = self.memory.entities[mentioned.key]
            if entity.kind == cand.info.kind and entity.parties:
                return entity
        return None

    def share_parties(self, treaty: Treaty, kin: Treaty) -> Treaty:
        """``treaty`` with the parties of ``kin`` it lacks, as ``kin`` has them."""
        date = treaty.date_signed or kin.date_signed
        added = [(p, src) for p, src in zip(kin.parties, kin.party_sources)
                 if not any(same_party(p, q, date) for q in treaty.parties)]
        if not added:
            return treaty
        entity = self.memory.entities[treaty.key]
        entity = replace(entity, parties=entity.parties + tuple(p for p, _ in added),
                         party_sources=entity.party_sources + tuple(src for _, src in added))
        self.memory.entities[entity.key] = entity
        return replace(entity, reference=treaty.reference, antecedent=treaty.antecedent)

    def sibling(self, cand: _Candidate) -> str:
        """The key of the treaty a head coordinated before this one refers to: "подписали
        общеполитическое соглашение и секретную конвенцию" are two treaties."""
        head = cand.head
        return self.by_head.get(head.head.i, "") if head.dep_ == "conj" and head.head.i < head.i else ""

    def _resolve(self, cand: _Candidate) -> Treaty | None:
        if INDEFINITE in cand.roles:
            return None
        ev = _evidence(self.doc, cand, self.lex, self.actors, self.date_spans, self.date_tokens)
        context = self.context(cand.start)
        # a treaty signed or renewed in a clause with no date of its own is dated by the time the
        # text speaks of: "В тот же день ... возобновили Четверной союз" is the base's
        # "Четверной союз 1815 г."; a mention outside such a clause stays undated
        when = _date_value(ev.date) if ev.date is not None else context if ev.role in (SIGN, EXTEND) else None
        alias = _alias_ids(cand, base(), when)
        # a capitalized adjective names the treaty unless it names a party ("Советско-германский")
        adjective = any(_proper(t) and not any(self.actors.is_state(a) for a in self.actors.by_token.get(t.i, ()))
                        for t in cand.modifiers)
        # "подписали Договор о дружбе": a title; but "Акт о независимости" is no treaty for that
        title = _proper(cand.head) and (cand.about is not None or bool(cand.modifiers))
        named = bool(alias[0]) or adjective or (cand.info.anchor != ANCHOR_NAME and (bool(cand.names) or title)) or (
            cand.quoted is not None and ev.role == SIGN)  # "подписали совместное заявление «9+1»", not "план «Барбаросса»"
        if cand.info.anchor == ANCHOR_CONCLUDED:  # "Рейнский союз" is no alliance treaty
            named = bool(alias[0])
        if cand.info.anchor == ANCHOR_NAME and not named and not _concluded_between_states(ev):
            return None  # "планы Барака Обамы", "план ликвидации", but "Россия и Австрия заключили декларацию"
        if DEMONSTRATIVE in cand.roles:
            return self.corefer(cand, ev, reach=None)
        if not named:
            found = self.apposition(cand)
            if found is not None:
                return found
        dated = _dated_by_name(self.doc, cand, ev, self.date_spans)
        if cand.info.anchor in (ANCHOR_SIGNED, ANCHOR_CONCLUDED) and not named and not (
                ev.role == SIGN and ev.given() or dated):
            return None
        if named:
            record = _link(cand, ev, alias, self.salient, context)
            if record is None and cand.info.anchor == ANCHOR_CONCLUDED:  # an alliance is a treaty of the base
                return None
            return self.treaty(cand, ev, record, NAMED)
        if ev.given() or cand.about is not None or cand.between is not None:
            record = _link(cand, ev, ((), ()), self.salient, context)
            if record is not None and record.id == self.sibling(cand):
                record = None
            if record is None and NEW not in cand.roles:
                found = self.corefer(cand, ev, reach=None, strict=True)
                if found is not None and found.key != self.sibling(cand):
                    return found
            # a bank's "соглашение о покупке контрольной доли"; but "1 июля в Праге подписали протокол о …"
            if record is None and not ev.parties and not dated and not (
                    cand.about is not None and _signed_on_a_day_in_a_place(ev)):
                return None
            return self.treaty(cand, ev, record, DESCRIPTIVE)
        if NEW not in cand.roles and QUANTIFIER not in cand.roles:
            found = self.corefer(cand, ev, reach=_REACH_DESCRIBED if ev.topic else _REACH_BARE)
            if found is not None:
                return found
        mentioned = {e.base_id for e in self.memory.entities.values()}
        record = _context_link(cand, ev, self.window(cand.head), self.salient, context, mentioned)
        if record is not None:
            return self.treaty(cand, ev, record, GENERIC_REF if cand.plural else DESCRIPTIVE)
        return None

    def treaty(self, cand: _Candidate, ev: _Evidence, record: BaseTreaty | None, reference: str) -> Treaty:
        if reference == NAMED:
            names = [record.name] if record else _proper_names(cand)
        elif record is not None:  # a described treaty of the base is also called by its parties: "Русско-прусская
            names = [record.name, *_by_parties(cand, ev, self.lex)]  # конвенция 1793 г." of "конвенцию о разделе"
        else:
            names = _descriptive_names(cand, ev, self.lex)
        name = names[0]
        key = record.id if record else _key(name, ev, reference)
        entity = self.memory.entities.get(key) or Treaty(
            key=key, name=name, kind=record.kind if record else cand.info.kind,
            base_id=record.id if record else "", plural=record.plural if record else cand.plural,
        )
        entity = replace(entity, variants=tuple(dict.fromkeys([*entity.variants, *names[1:]])))
        entity = _merge(entity, ev, record, self.memory.states)
        self.remember(entity, ev, record)
        return replace(entity, reference=reference)

    def remember(self, entity: Treaty, ev: _Evidence, record: BaseTreaty | None) -> None:
        self.memory.entities[entity.key] = entity
        words = self.memory.words.setdefault(entity.key, set(record.words if record else ()))
        words |= ev.topic
        if entity.base_id:
            self.salient.add(entity.base_id)

    def corefer(self, cand: _Candidate, ev: _Evidence, reach: int | None, strict: bool = False) -> Treaty | None:
        """The treaty an anaphoric mention refers to: the latest one of the document, at
        most ``reach`` sentences back, that agrees with it in kind, number, description
        and what the clause says (``strict``: the clause must say something)."""
        parties = {fold(a.name) for a in ev.parties}
        value = _date_value(ev.date) if ev.date is not None else None
        # a clause signing a treaty at the time the text speaks of does not sign one of years before
        now = self.context(cand.start) if ev.role == SIGN and value is None else None
        here = self.sentence[cand.head.i]
        for k, (span, mentioned, sentence) in enumerate(reversed(self.memory.mentions)):
            # a bare head refers to the last treaty of its paragraph however far back
            # ("Портсмутский мирный договор был подписан … Николай II ратифицировал договор"),
            # or of the paragraph before where its own names none ("Бисмарк заключил … Договор
            # перестраховки …¶ … Каприви отказался продлить договор")
            if reach is not None and here - sentence > reach and not (reach == _REACH_BARE and k == 0):
                break
            if reach == _REACH_BARE and self.paragraph_breaks(span, cand.head) > (k == 0):
                break
            entity = self.memory.entities[mentioned.key]
            if not _compatible(cand.info.family, _family(entity.kind)) or cand.plural != entity.plural:
                continue
            if span.doc is self.doc and span.start <= cand.start and cand.end <= span.end:
                continue  # "протокол о прекращении действия договора": no treaty is its own topic
            if ev.topic - self.memory.words.get(entity.key, set()):
                continue
            if not _agrees(entity, ev, parties, value) or _signed_before(entity, now):
                continue
            if strict and not (parties or value is not None or ev.place is not None):
                continue
            merged = _merge(entity, ev if ev.role == SIGN else _Evidence(parties=ev.parties), None, self.memory.states)
            self.remember(merged, ev, None)
            return replace(merged, reference=ANAPHORIC, antecedent=span)
        return None

    def apposition(self, cand: _Candidate) -> Treaty | None:
        """The treaty named just before a comma, when an unnamed mention with no topic of its
        own follows it in the same case: "Нерчинский договор, первый договор России с
        Китаем" describes the Nerchinsk treaty. ("договор о ненападении, договор о
        торговле" is a list: each has its topic.)"""
        if not self.memory.mentions or cand.split or cand.about or cand.between or NEW in cand.roles:
            return None  # one of coordinated treaties, a topic of its own, "новый": another treaty
        span, mentioned, _ = self.memory.mentions[-1]
        if span.doc is not self.doc or span.end + 1 != cand.start or self.doc[span.end].text != ",":
            return None
        entity = self.memory.entities[mentioned.key]
        if _case(span.root) != _case(cand.head) or not _compatible(cand.info.family, _family(entity.kind)):
            return None
        return replace(entity, reference=ANAPHORIC, antecedent=span)

    def paragraph_breaks(self, span: Span, token: Token) -> int:
        """How many paragraphs apart ``span`` and ``token`` are (normalized text keeps one
        paragraph per line); an earlier block's span is taken as far away."""
        return len(_LINE_BREAKS.findall(self.doc.text, span.end_char, token.idx)) if span.doc is self.doc else len(self.doc.text)

    def place_reference(self, actor: _Actor) -> Treaty | None:
        """"после Рапалло", "дух Локарно": a place standing for the treaty signed there."""
        span = actor.span
        before = self.doc[span.start - 1] if span.start > 0 else None
        governor = span.root.head if span.root.head.i != span.root.i else None
        triggered = (before is not None and before.lemma_ in self.lex.place_triggers) or (
            governor is not None and governor.i < span.start and governor.lemma_ in self.lex.place_triggers)
        if not triggered or (before is not None and before.lower_ in ("в", "во", "на", "из")):
            return None
        for antecedent, mentioned, _ in reversed(self.memory.mentions):
            entity = self.memory.entities[mentioned.key]
            if entity.place and fold(entity.place) == fold(actor.name):
                return replace(entity, reference=PLACE_REF, antecedent=antecedent)
        return None


# ---------------------------------------------------------------- the component

def _memory(doc: Doc) -> TreatyMemory:
    context = doc._.context
    if context is None:
        return TreatyMemory()
    if context.treaties is None:
        context.treaties = TreatyMemory()
    return context.treaties


@Language.factory("letopis_treaties")
def make_treaties(nlp: Language, name: str) -> "Treaties":
    return Treaties()


class Treaties:
    """Find, name, link and describe the treaties of a Doc (``doc.spans["treaties"]``)."""

    def __init__(self) -> None:
        self.lex = lexicon()
        base()  # load once, before the first document

    def __call__(self, doc: Doc) -> Doc:
        memory = _memory(doc)
        actors = _Actors(doc)
        memory.states.update((fold(a.name), a.name) for token in actors.by_token.values() for a in token
                             if actors.is_state(a))
        resolver = _Resolver(doc, memory, self.lex, actors)
        candidates = _unquoted(list(_candidates(doc, self.lex, actors, resolver.date_tokens)))
        self._prime(resolver, candidates)
        places = [a for token in actors.by_token.values() for a in token if actors.is_place(a)]
        items: list[tuple[int, object]] = [(c.start, c) for c in candidates]
        items += [(a.span.start, a) for a in {id(a): a for a in places}.values()]
        spans: list[Span] = []
        for _, item in sorted(items, key=lambda x: (x[0], isinstance(x[1], _Actor))):
            if isinstance(item, _Candidate):
                treaty, span = resolver.resolve(item), self.doc_span(doc, item)
                norm, title = _norm(item), _title(item)
            else:
                span = Span(doc, item.span.start, item.span.end, label="TREATY")
                treaty, norm, title = resolver.place_reference(item), item.span.text, ""
            if treaty is None:
                continue
            treaty.norm, treaty.title = norm, title
            span._.treaty = treaty
            memory.mentions.append((span, treaty, resolver.sentence[span.start]))
            spans.append(span)
        doc.spans["treaties"] = spans
        memory.sentences += resolver.n_sentences
        if resolver.date_spans:
            memory.last_date = _date_value(resolver.date_spans[-1])
        memory.close_block()
        return doc

    @staticmethod
    def doc_span(doc: Doc, cand: _Candidate) -> Span:
        return Span(doc, cand.start, cand.end, label="TREATY")

    def _prime(self, resolver: _Resolver, candidates: list[_Candidate]) -> None:
        """Treaties the document names anywhere make descriptive mentions of them likelier
        ("соглашения, подписанные в Рапалло" before "Рапалльский договор" is named)."""
        for cand in candidates:
            ev = _evidence(resolver.doc, cand, self.lex, resolver.actors, resolver.date_spans, resolver.date_tokens)
            alias = _alias_ids(cand, base(), _date_value(ev.date) if ev.date is not None else None)
            if alias[0]:
                record = _link(cand, ev, alias, set(), resolver.context(cand.start))
                if record is not None:
                    resolver.salient.add(record.id)
