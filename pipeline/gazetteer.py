"""Actor gazetteers: what a name, an adjective, a compound part or a party noun refers to.

The lists are data in ``models/actors/`` (see its README for sources); this
module reads them once per process and answers lookups. Names are matched
over lemmas (``ruler_patterns`` feeds the ``letopis_gazetteer`` phrase
matcher), so "Лиге Наций", "Лигой Наций" and "Лига Наций" are one entry.

For other components: ``polity_of("франко") -> "Франция"`` gives the polity a
compound part or an adjective refers to (``"германский"``, ``"советско"``,
``"англо"``), optionally for a given year; ``lookup(name)`` gives the actor a
name or alias denotes.
"""
from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from . import cache, morph

MODELS = Path(__file__).resolve().parent.parent / "models" / "actors"
PERSON, ORGANIZATION, STATE, LOCATION = "PERSON", "ORGANIZATION", "STATE", "LOCATION"
ACTOR_TYPES = (PERSON, ORGANIZATION, STATE, LOCATION)
# mention sources (``span._.source``) of names; references are "adjective", "compound"
# ("британское", "советско-германские") and "member" ("немецкие коммунисты")
NAME_SOURCES = ("natasha", "gazetteer", "title", "institution", "listed", "bibliography", "document", "nested", "gloss")
ADJECTIVAL_SOURCES = ("adjective", "compound")

_PATRONYMIC = re.compile(r"(вич|вна|ична|инична)$")
_DASH = re.compile(r"\s*[-‐‑‒–—―]\s*")
_SPACE = re.compile(r"\s+")
# pymorphy3 grammemes of proper names: a capitalized word without any of them is a common noun
PROPER_GRAMMEMES = frozenset({"Geox", "Name", "Surn", "Patr", "Orgn", "Trad", "Abbr", "Init"})


@lru_cache(maxsize=200_000)
def key(text: str) -> str:
    """Comparison form of a name: case, ё/е, dash style and spacing do not count (kept per
    text: the stages compare the same few thousand names over and over)."""
    text = _DASH.sub("-", text.casefold().replace("ё", "е"))
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Actor:
    """A gazetteer entry: one actor with its canonical name and, for polities, its period."""

    type: str
    name: str
    start: int | None = None
    end: int | None = None

    def covers(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


@dataclass(frozen=True, slots=True)
class Party:
    """A party (or order, club) named after its members: "коммунисты" → a communist party.

    ``country`` restricts the row to one polity; a ``name`` containing
    ``{country}`` is a template filled with the polity's genitive.
    """

    name: str
    country: str = ""
    start: int | None = None
    end: int | None = None

    def covers(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


@dataclass(frozen=True, slots=True)
class Head:
    """A noun that makes an adjective before it a reference ("британское *правительство*")."""

    licenses: frozenset[str]  # polity (also ethnic adjectives), place, party
    org: bool  # the adjective + noun phrase names an organization ("лондонская полиция")


@dataclass(frozen=True, slots=True)
class Name:
    """One name or alias of an actor, to be matched in texts."""

    actor: Actor
    text: str
    lowercase: bool = False  # also written in lowercase ("рейхсвер")


@dataclass(slots=True)
class Gazetteer:
    names: dict[str, list[Actor]] = field(default_factory=dict)  # key(name) → actors
    entries: dict[tuple[str, str], tuple[int, Actor]] = field(default_factory=dict)  # (type, name) → (rank, actor)
    patterns: list[Name] = field(default_factory=list)
    adjectives: dict[str, list[tuple[str, Actor]]] = field(default_factory=dict)  # lemma → (kind, actor)
    stems: dict[str, list[Actor]] = field(default_factory=dict)  # compound part → polities
    parties: dict[str, list[Party]] = field(default_factory=dict)  # noun lemma → parties
    reference_heads: dict[str, Head] = field(default_factory=dict)
    title_heads: frozenset[str] = frozenset()
    polity_heads: frozenset[str] = frozenset()
    place_heads: frozenset[str] = frozenset()  # nouns that make a name a place ("Зимний дворец")
    org_descriptors: frozenset[str] = frozenset()  # nouns before an organization's name ("фирма «Аркос»")
    craft_heads: frozenset[str] = frozenset()  # nouns before a ship's or a craft's name ("крейсер «Аврора»")
    work_heads: frozenset[str] = frozenset()  # nouns before a work's or an operation's title ("фильм «Цирк»")
    not_names: frozenset[str] = frozenset()  # words the NER takes for names that never are ("СМИ")
    honorifics: dict[str, Actor] = field(default_factory=dict)  # key(title) → person ("задунайский" → Румянцев)
    honorific_heads: frozenset[str] = frozenset()  # nouns before a bare title ("граф Рымникский")
    role_heads: frozenset[str] = frozenset()  # a person's role before their name ("архиепископ Лонгин Клинский")
    battle_prepositions: frozenset[str] = frozenset()  # "при", "у", "под" before a battlefield
    battle_words: frozenset[str] = frozenset()  # lemmas that make a sentence tell of a battle
    language_labels: frozenset[str] = frozenset()  # "нем", "фр" before a spelling in brackets
    meeting_heads: frozenset[str] = frozenset()  # "конгресс", "конференция": named by a place, an event
    patronymic_names: dict[str, list[Actor]] = field(default_factory=dict)  # key("Михаил Сергеевич") → persons
    initials: dict[str, frozenset[str]] = field(default_factory=dict)  # person → first letters of full names

    def add_name(self, actor: Actor, text: str, lowercase: bool = False, pattern: bool = True) -> None:
        self.entries.setdefault((actor.type, actor.name), (len(self.entries), actor))
        self.names.setdefault(key(text), [])
        if actor not in self.names[key(text)]:
            self.names[key(text)].append(actor)
        if pattern:
            self.patterns.append(Name(actor, text, lowercase))

    def add_adjective(self, lemma: str, kind: str, actor: Actor) -> None:
        self.adjectives.setdefault(key(lemma), []).append((kind, actor))


def _rows(name: str) -> Iterator[dict[str, str]]:
    with open(MODELS / name, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def _list(cell: str | None) -> list[str]:
    return [x.strip() for x in (cell or "").split("|") if x.strip()]


def _year(cell: str | None) -> int | None:
    return int(cell) if cell and cell.strip() else None


def _stem(adjective: str) -> str:
    """The compound first part an adjective gives: "германский" → "германско"."""
    return adjective[:-2] + "о" if adjective.endswith(("ий", "ый")) else adjective


def _load_polities(g: Gazetteer) -> None:
    for row in _rows("polities.csv"):
        actor = Actor(STATE, row["name"], _year(row["start"]), _year(row["end"]))
        for name in [row["name"], *_list(row["aliases"])]:
            g.add_name(actor, name)
        adjectives = _list(row["adjectives"])
        for adjective in adjectives:
            g.add_adjective(adjective, "polity", actor)
        for adjective in _list(row["ethnic"]):
            g.add_adjective(adjective, "ethnic", actor)
        for stem in [*_list(row["stems"]), *map(_stem, adjectives)]:
            g.stems.setdefault(key(stem), []).append(actor)


def _load_places(g: Gazetteer) -> None:
    for row in _rows("places.csv"):
        actor = Actor(LOCATION, row["name"])
        for name in [row["name"], *_list(row["aliases"])]:
            g.add_name(actor, name)
        for adjective in _list(row["adjectives"]):
            g.add_adjective(adjective, "place", actor)


def _load_organizations(g: Gazetteer) -> None:
    for row in _rows("organizations.csv"):
        actor = Actor(ORGANIZATION, row["name"], _year(row["start"]), _year(row["end"]))
        for name in [row["name"], *_list(row["aliases"])]:
            g.add_name(actor, name, lowercase=row["lowercase"] == "y")


def _load_persons(g: Gazetteer) -> None:
    for row in _rows("persons.csv"):
        actor = Actor(PERSON, row["name"])
        g.add_name(actor, row["name"], pattern=row["alone"] != "n")
        full = [alias for alias in _list(row["aliases"]) if " " in alias]
        if full:
            g.initials[actor.name] = frozenset(alias[0] for alias in full)
        for alias in _list(row["aliases"]):
            g.add_name(actor, alias)
            words = alias.split(" ")
            if len(words) == 3 and _PATRONYMIC.search(words[1]):  # "Михаил Сергеевич Горбачёв"
                g.patronymic_names.setdefault(key(" ".join(words[:2])), []).append(actor)
        for adjective in _list(row["adjectives"]):
            g.add_adjective(adjective, "person", actor)


def _load_honorifics(g: Gazetteer) -> None:
    """Honorific titles ("Задунайский") are the person's, alone and joined to the surname
    ("Румянцев-Задунайский", also spelled without ё)."""
    for row in _rows("honorifics.csv"):
        actor = Actor(PERSON, row["person"])
        if (PERSON, actor.name) not in g.entries:
            raise ValueError(f"honorifics.csv: {actor.name!r} is not in persons.csv")
        g.honorifics[key(row["title"])] = actor
        for surname in dict.fromkeys([actor.name, actor.name.replace("ё", "е")]):
            g.add_name(actor, f"{surname}-{row['title']}")
    g.honorific_heads = frozenset(key(row["lemma"]) for row in _rows("honorific_heads.csv"))


def _load_parties(g: Gazetteer) -> None:
    for row in _rows("parties.csv"):
        party = Party(row["name"], row["country"], _year(row["start"]), _year(row["end"]))
        for noun in _list(row["nouns"]):
            g.parties.setdefault(key(noun), []).append(party)
        if row["adjective"] and "{" not in row["name"]:
            actor = Actor(ORGANIZATION, row["name"], party.start, party.end)
            g.add_adjective(row["adjective"], "party", actor)


def _load_heads(g: Gazetteer) -> None:
    g.reference_heads = {
        key(row["lemma"]): Head(frozenset(_list(row["licenses"])), row["org"] == "y")
        for row in _rows("reference_heads.csv")
    }
    g.title_heads = frozenset(key(row["lemma"]) for row in _rows("title_heads.csv"))
    g.polity_heads = frozenset(key(row["lemma"]) for row in _rows("polity_heads.csv"))
    g.place_heads = frozenset(key(row["lemma"]) for row in _rows("place_heads.csv"))
    g.org_descriptors = frozenset(key(row["lemma"]) for row in _rows("org_descriptors.csv"))
    g.craft_heads = frozenset(key(row["lemma"]) for row in _rows("craft_heads.csv"))
    g.work_heads = frozenset(key(row["lemma"]) for row in _rows("work_heads.csv"))
    g.role_heads = frozenset(key(row["lemma"]) for row in _rows("role_heads.csv"))
    g.not_names = frozenset(row["word"] for row in _rows("not_names.csv"))
    g.language_labels = frozenset(row["label"] for row in _rows("language_labels.csv"))
    g.meeting_heads = frozenset(key(row["lemma"]) for row in _rows("meeting_heads.csv"))
    battle = list(_rows("battle_words.csv"))
    g.battle_prepositions = frozenset(key(row["lemma"]) for row in battle if row["role"] == "preposition")
    g.battle_words = frozenset(key(row["lemma"]) for row in battle if row["role"] == "battle")


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """All gazetteers, read once per process."""
    g = Gazetteer()
    _load_polities(g)
    _load_places(g)
    _load_organizations(g)
    _load_persons(g)
    _load_honorifics(g)
    _load_parties(g)
    _load_heads(g)
    return g


def choose(actors: Iterable[Actor], year: int | None = None) -> Actor | None:
    """The entry current in ``year`` (when known and one is: "Польша" in 1617 is Речь
    Посполитая), else the first listed; of several current ones, one with a closed
    period, the more specific ("Китай" in 1689 is the Qing Empire)."""
    actors = list(actors)
    if year is not None:
        current = [a for a in actors if a.covers(year)]
        if current:
            return min(current, key=lambda a: a.start is None or a.end is None)
    return actors[0] if actors else None


def as_of(actors: Iterable[Actor], year: int | None) -> Actor | None:
    """``choose``, but a state none of whose entries existed in ``year`` is a region then,
    as historians write: "Финляндия" in 1808, "Украина" in 1654, "Польша" in 1815."""
    actor = choose(actors, year)
    if actor is not None and actor.type == STATE and year is not None and not actor.covers(year):
        return Actor(LOCATION, actor.name)
    return actor


def entries(keys: Iterable[tuple[str, str]]) -> list[Actor]:
    """The gazetteer entries of (type, canonical name) pairs, in the order the lists give
    them, which ``choose`` falls back on when the year is unknown."""
    table = load().entries
    found = sorted(table[k] for k in set(keys) if k in table)
    return [actor for _, actor in found]


def lookup(name: str, year: int | None = None, types: Iterable[str] = ACTOR_TYPES) -> Actor | None:
    """The actor a name or alias denotes ("Советская Россия" → СССР) in ``year`` (see
    ``as_of``), if the gazetteer knows it."""
    wanted = set(types)
    return as_of((a for a in load().names.get(key(name), ()) if a.type in wanted), year)


def polity_of(word: str, year: int | None = None) -> str | None:
    """The polity a compound part or a polity adjective refers to, or None.

    ``polity_of("франко") == "Франция"``, ``polity_of("германо") == "Германия"``,
    ``polity_of("советских") == "СССР"``; ``year`` picks between entries sharing
    an adjective ("турецкий" before 1923 is the Ottoman Empire).
    """
    g = load()
    word = key(word)
    actors = list(g.stems.get(word, ()))
    if not actors:
        lemmas = [word, *(p.normal_form for p in morph.parses(word))]
        actors = [a for lemma in lemmas for kind, a in g.adjectives.get(key(lemma), ()) if kind in ("polity", "ethnic")]
    actor = choose(actors, year)
    return actor.name if actor else None


def adjective_referents(lemma: str, year: int | None = None, at: int | None = None) -> list[tuple[str, Actor]]:
    """(kind, actor) for an adjective lemma, one per kind: polity ("британский"), ethnic
    ("английский", a polity only before a political noun), place, party or person. ``at``,
    the year written nearest the word, tells a polity from the place it is named for."""
    by_kind: dict[str, list[Actor]] = {}
    for kind, actor in load().adjectives.get(key(lemma), ()):
        by_kind.setdefault(kind, []).append(actor)
    chosen = {kind: choose(actors, year) for kind, actors in by_kind.items()}
    polity = chosen.get("polity")
    at = year if at is None else at
    if at is not None and polity is not None and polity.start is not None and "place" in chosen:
        # a polity of the time outranks the place it is named for ("крымский хан" in 1571 is
        # the Crimean Khanate's); out of its time the place is meant ("крымские" in 1880)
        chosen.pop("place" if polity.covers(at) else "polity")
    return list(chosen.items())  # type: ignore[arg-type]


def party(noun: str, country: str | None, year: int | None = None) -> str | None:
    """The party a member noun ("коммунист", "консерватор") denotes in ``country``."""
    rows = load().parties.get(key(noun), [])
    specific = [p for p in rows if p.country and country and key(p.country) == key(country)]
    general = [p for p in rows if not p.country]
    for candidates in (specific, general):
        if year is not None:
            candidates = [p for p in candidates if p.covers(year)] or candidates
        for p in candidates:
            if "{country}" not in p.name:
                return p.name
            if country:
                return p.name.replace("{country}", morph.genitive(country))
    return None


@dataclass(frozen=True, slots=True)
class Pattern:
    """One name or alias as the ruler matches it: its readings as lemma sequences,
    and the shape each word must have in the text."""

    actor: Actor
    readings: tuple[tuple[str, ...], ...]  # one lemma per word, for every combination of readings
    shapes: tuple[str, ...]  # per word: "upper" (an abbreviation), "capital" (a name's first word), ""


@lru_cache(maxsize=1)
def ruler_patterns() -> tuple[Pattern, ...]:
    """Every name and alias, ready for a lemma phrase matcher (kept in the derived-data
    cache: lemmatizing every name costs more than loading the patterns)."""
    sources = [Path(__file__), Path(morph.__file__), MODELS]
    return cache.cached("gazetteer-patterns", _ruler_patterns, sources, (*morph.PACKAGES, "razdel"))


def _ruler_patterns() -> tuple[Pattern, ...]:
    return tuple(_pattern(name) for name in load().patterns)


def _pattern(name: Name) -> Pattern:
    from razdel import tokenize

    words = [t.text for t in tokenize(name.text)]
    shapes = []
    for i, word in enumerate(words):
        if word.isupper() and len(word) > 1 and word.replace("-", "").isalpha():
            shapes.append("upper")
        elif i == 0 and word[:1].isupper() and not name.lowercase:
            shapes.append("capital")
        else:
            shapes.append("")
    readings = list(itertools.islice(itertools.product(*(sorted(_lemmas(w)) for w in words)), 64))
    return Pattern(name.actor, tuple(readings), tuple(shapes))


_NAME_POS = frozenset({"NOUN", "ADJF", "ADJS", "PRTF", "NUMR"})


def _lemmas(word: str) -> set[str]:
    """The lemmas pymorphy3 may give ``word`` in context, and the word itself.

    A name lists its words in the nominative, so only nominative noun or
    adjective readings count ("Анатолия" must not match the given name
    Анатолий, "Того" not the pronoun "тот"); a word with none ("Наций" in
    "Лига Наций") keeps all its readings.
    """
    lower = word.lower()
    if not any(c.isalpha() for c in word):
        return {lower}
    if word.isupper() and len(word) > 1:  # an abbreviation: whatever pymorphy3 makes of it
        return {lower, *(p.normal_form for p in morph.readings(lower))}
    readings = [p for p in morph.readings(lower) if p.tag.POS in _NAME_POS and "Apro" not in p.tag]
    nominative = [p for p in readings if "nomn" in p.tag]
    return {lower, *(p.normal_form for p in nominative or readings)}


def is_common_word(word: str) -> bool:
    """Whether a capitalized ``word`` is just a known common word ("Орда", "Дума"),
    which says nothing at the start of a sentence; an abbreviation never is ("ФИФА")."""
    return not (word.isupper() and len(word) > 1) and is_dictionary_word(word)


def is_dictionary_word(word: str) -> bool:
    """Whether the dictionary knows ``word``, whatever its letter case, and reads it as no
    name or abbreviation under any reading: "ТЕЛЕГРАММА" is one, "СССР" and "ЦК" are not."""
    lower = morph.fold(word)
    return morph.is_known(lower) and not any(PROPER_GRAMMEMES & p.tag.grammemes for p in morph.parses(lower))
