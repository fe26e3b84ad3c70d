"""Actors: typed, canonical mentions of persons, organizations, states and places.

Two components. ``letopis_gazetteer`` is a phrase matcher over lemmas that
finds every name and alias of ``models/actors`` (``doc.spans["actor_gazetteer"]``).
``letopis_actors`` then builds the actor mentions:

* names, in ``doc.ents`` (one actor per span): Natasha's entities cut at list
  separators and stripped of function words, overridden by the gazetteer where
  they overlap it, persons named in titles ("план Дауэса"), organizations
  named by an institution and a place ("лондонская полиция", "посольство США"),
  surnames repeated later in the document;
* references, in ``doc.spans["actor_refs"]`` (a SpanGroup, so several spans may
  cover one token): polities and places through adjectives and compounds
  ("советско-германские" gives СССР and Германия), parties through their
  members ("немецкие коммунисты"), and names nested in a longer name.

Every span carries ``span._.actor_type`` (PERSON, ORGANIZATION, STATE,
LOCATION), ``span._.norm`` (its nominative), ``span._.canonical`` (the actor's
name as an index lists it; the actor id derives from type and canonical) and
``span._.source``. The first, third and fourth live in the span itself (label,
kb_id, id), so two references over one token keep their own values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab
from spacy.util import filter_spans

from . import gazetteer, morph
from .gazetteer import ACTOR_TYPES, LOCATION, ORGANIZATION, PERSON, STATE

GAZETTEER_KEY = "actor_gazetteer"
REFS_KEY = "actor_refs"
NATASHA_TYPES = {"PER": PERSON, "ORG": ORGANIZATION, "LOC": LOCATION}

_INFLECTED = {"NOUN", "PROPN", "ADJ"}
_FUNCTION_POS = {"ADP", "CCONJ", "SCONJ", "PRON", "PART", "DET", "AUX", "VERB", "INTJ", "ADV"}
_SEPARATORS = {",", ";", "•", "·", "—", "–", "|", "/", "«", "»", '"', "„", "“", "”", ":", "[", "]"}
_ROMAN = re.compile(r"^[IVXL]+$")
_INITIAL = re.compile(r"^[А-ЯЁA-Z]$")
_PERSON_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})
_PLACE_GRAMMEMES = frozenset({"Geox", "Orgn"})

Span.set_extension("actor_type", getter=lambda span: span.label_ if span.label_ in ACTOR_TYPES else "", force=True)
Span.set_extension("canonical", getter=lambda span: span.kb_id_, force=True)
Span.set_extension("source", getter=lambda span: span.id_, force=True)
Span.set_extension("norm", default="", force=True)


def actor_span(doc: Doc, start: int, end: int, actor_type: str, canonical: str, source: str) -> Span:
    """A mention span: the actor type is its label, the canonical name its kb_id, the source its id."""
    return Span(doc, start, end, label=actor_type, kb_id=canonical, span_id=source)


# ------------------------------------------------------------------ norms


def span_nominative(span: Span) -> str:
    """Nominative of a name: its head words and their agreeing adjectives inflect,
    the rest (genitive complements like "Лига Наций") stays as written."""
    inside = {t.i for t in span}
    heads = [t for t in span if t.head.i not in inside or t.head.i == t.i]
    inflect = {t.i for t in heads}
    stack = list(heads)
    while stack:
        token = stack.pop()
        for child in token.children:
            agrees = child.pos_ in ("ADJ", "DET") or child.morph.get("VerbForm") == ["Part"]
            if child.i in inside and agrees and child.i not in inflect:
                inflect.add(child.i)
                stack.append(child)
    return _inflect(span, inflect)


def _inflect(span: Span, which: set[int]) -> str:
    words = []
    for token in span:
        word = token.text
        inflectable = token.pos_ in _INFLECTED or token.morph.get("VerbForm") == ["Part"]
        oblique = token.morph.get("Case") != ["Nom"] or not morph.can_be_nominative(word)
        if token.i in which and inflectable and oblique:
            number = "Plur" if token.morph.get("Number") == ["Plur"] else "Sing"
            word = morph.nominative(word, token.pos_, str(token.morph), number)
        words.append(word + token.whitespace_)
    return "".join(words).strip()


def person_nominative(span: Span) -> str:
    """Nominative of a person's name: every word inflects ("Р.Макдональдом" → "Р.Макдональд")."""
    return _inflect(span, {t.i for t in span if _wordlike(t) and not _INITIAL.match(t.text)})


def _wordlike(token: Token) -> bool:
    """Letters, maybe joined by hyphens ("Немировича-Данченко")."""
    return token.is_alpha or (token.text.replace("-", "").isalpha() and not token.text.startswith("-"))


def person_canonical(span: Span) -> str:
    """A person as an index lists them: by surname ("Л.Д. Троцкий" → "Троцкий"),
    a monarch with the regnal number ("Петра I" → "Пётр I"); names whose first
    words are not given names ("Ким Ир Сен", "Мао Цзэдун") stay whole."""
    words = [t for t in span if _wordlike(t) or _ROMAN.match(t.text)]
    if not words:
        return person_nominative(span)
    if _ROMAN.match(words[-1].text) and len(words) > 1:
        return person_nominative(span[words[-2].i - span.start : words[-1].i - span.start + 1])
    names = [t for t in words if _INITIAL.match(t.text)]
    rest = [t for t in words if not _INITIAL.match(t.text)]
    while len(rest) > 1 and _is_given_name(rest[0]):
        names.append(rest.pop(0))
    rest = [t for t in rest if not _is_patronymic(t)] or rest
    if not rest or (len(rest) == len(words) and len(rest) > 1):  # no given name in front: keep the whole name
        return person_nominative(span)
    first, last = rest[0].i - span.start, rest[-1].i - span.start + 1
    return person_nominative(span[first:last])


def _grammemes(word: str) -> set[str]:
    return set().union(*(p.tag.grammemes for p in morph.parses(word.lower().replace("ё", "е"))))


def _is_given_name(token: Token) -> bool:
    return "Name" in _grammemes(token.text)


def _is_patronymic(token: Token) -> bool:
    return "Patr" in _grammemes(token.text)


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------ components


@Language.factory("letopis_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> "GazetteerRuler":
    return GazetteerRuler(nlp.vocab)


class GazetteerRuler:
    """Every gazetteer name and alias, matched over lemmas by a ``PhraseMatcher``, into
    ``doc.spans["actor_gazetteer"]``: all matches, overlapping ones too ("Конгресс США"
    and США), each labelled with its actor type, its span id the canonical name."""

    def __init__(self, vocab: Vocab) -> None:
        self.matcher = PhraseMatcher(vocab, attr="LEMMA")
        self.patterns: dict[int, gazetteer.Pattern] = {}
        for k, pattern in enumerate(gazetteer.ruler_patterns()):
            key = f"letopis_actor_{k}"
            # a reading as the LEMMA hashes the matcher compares (its pickled form):
            # a Doc per reading would make a lexeme of every word, thrice the time
            readings = [[vocab.strings.add(lemma) for lemma in r] for r in pattern.readings]
            self.matcher.add(key, readings)
            self.patterns[vocab.strings[key]] = pattern

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            pattern = self.patterns[match_id]
            if all(_has_shape(t, shape) for t, shape in zip(doc[start:end], pattern.shapes)):
                spans.append(Span(doc, start, end, label=pattern.actor.type, span_id=pattern.actor.name))
        doc.spans[GAZETTEER_KEY] = spans
        return doc


def _has_shape(token: Token, shape: str) -> bool:
    if shape == "upper":
        return token.is_upper
    return shape != "capital" or not token.is_lower


@Language.factory("letopis_actors")
def make_actors(nlp: Language, name: str) -> "Actors":
    return Actors()


@dataclass(slots=True)
class _Name:
    """A candidate name mention before it becomes a Span."""

    start: int
    end: int
    type: str
    canonical: str
    source: str
    priority: int  # 3 gazetteer, 2 rules, 1 Natasha


class Actors:
    """Typed, canonical actor mentions: names into ``doc.ents``, references into
    ``doc.spans["actor_refs"]``."""

    def __call__(self, doc: Doc) -> Doc:
        year = _year(doc)
        found, nested = _gazetteer_names(doc)
        names, inside_natasha = _merge(doc, list(_natasha_names(doc, year)), found)
        ruled = [*_title_persons(doc, names), *_institutions(doc, names), *_named_organizations(doc)]
        names, inside_rules = _add_rules(doc, names, ruled)
        names = list(_extend_regnal(doc, _vote_types(doc, names)))
        names += list(_repeated_names(doc, names))
        doc.ents = filter_spans([self._name_span(doc, n) for n in sorted(names, key=lambda n: n.start)])
        refs = [*nested, *inside_natasha, *inside_rules, *_named_after(doc)]
        refs += list(_adjective_refs(doc, year))
        refs += list(_member_refs(doc, [*doc.ents, *refs], year))
        for span in refs:
            span._.norm = span._.norm or _ref_norm(span)
        doc.spans[REFS_KEY] = refs
        _remember(doc)
        return doc

    @staticmethod
    def _name_span(doc: Doc, name: _Name) -> Span:
        span = actor_span(doc, name.start, name.end, name.type, "", name.source)
        norm = person_nominative(span) if name.type == PERSON else span_nominative(span)
        canonical = name.canonical or _canonical(span, name.type, norm)
        span = actor_span(doc, name.start, name.end, name.type, canonical, name.source)
        span._.norm = norm
        return span


# ------------------------------------------------------------ Natasha names


def _year(doc: Doc) -> int | None:
    """The year the document spoke of last (the dates component's ``DateAnchor`` in the
    context: its year, or the middle year of a longer period), if any."""
    anchor = getattr(doc._.context, "last_date", None)
    year = getattr(anchor, "year", None) or getattr(anchor, "epoch", None)
    return year if isinstance(year, int) else None


def _natasha_names(doc: Doc, year: int | None) -> Iterator[_Name]:
    """Natasha's entities cut at separators, stripped of function words, typed."""
    for ent in doc.ents:
        for start, end in _pieces(doc, ent.start, ent.end):
            piece = doc[start:end]
            if not _plausible_name(piece):
                continue
            actor_type, canonical = _natasha_type(piece, NATASHA_TYPES.get(ent.label_, ""), year)
            if actor_type:
                yield _Name(start, end, actor_type, canonical, "natasha", 1)


def _pieces(doc: Doc, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A span cut at list separators ("Монако • Намибия", "Джошуа Вольф (Joshua Wolf)",
    "Бриана — Келлога"), each piece stripped of punctuation and function words at its edges."""
    cuts = [i for i in range(start, end) if _separates(doc, i)]
    for s, e in zip([start, *(c + 1 for c in cuts)], [*cuts, end]):
        while s < e and _edge_junk(doc[s]):
            s += 1
        while e > s and _edge_junk(doc[e - 1]):
            e -= 1
        if s < e:
            yield s, e


def _separates(doc: Doc, i: int) -> bool:
    """List punctuation, and brackets of an aside ("Союз (СКС)"), not of a name ("РКП(б)")."""
    token = doc[i]
    if token.text in _SEPARATORS or token.pos_ == "SPACE":
        return True
    if token.text == "(":
        return i == 0 or bool(doc[i - 1].whitespace_)
    if token.text == ")":
        opening = next((j for j in range(i - 1, max(i - 6, -1), -1) if doc[j].text == "("), None)
        return opening is None or _separates(doc, opening)
    return False


def _edge_junk(token: Token) -> bool:
    return token.is_punct or token.is_space or (token.pos_ in _FUNCTION_POS and token.is_lower)


def _plausible_name(span: Span) -> bool:
    """Not a function word ("При", "Её"), not all lowercase, not a common word opening a sentence."""
    words = [t for t in span if t.is_alpha]
    if not words or all(t.is_lower for t in words) or span.text in gazetteer.load().not_names:
        return False
    if len(span) == 1 and span[0].pos_ in _FUNCTION_POS:
        return False
    return not (len(words) == 1 and words[0].is_sent_start and gazetteer.is_common_word(words[0].text))


def _natasha_type(span: Span, natasha_type: str, year: int | None) -> tuple[str, str]:
    """Type (and canonical name, when the gazetteer knows the name) of a Natasha entity."""
    norm = person_nominative(span) if natasha_type == PERSON else span_nominative(span)
    known = gazetteer.lookup(norm, year)
    if known:
        return known.type, known.name
    if natasha_type in (LOCATION, ORGANIZATION) and _looks_like_person(span):
        return PERSON, ""
    heads = _head_lemmas(span)
    if natasha_type == LOCATION and heads & gazetteer.load().polity_heads:
        return STATE, ""
    if natasha_type == ORGANIZATION and heads & gazetteer.load().place_heads:
        return LOCATION, ""
    return natasha_type, ""


def _head_lemmas(span: Span) -> set[str]:
    """Lemmas of a name's syntactic heads: республика in "Молдавская республика", дворец
    in "Дворец молодёжи" (a polity, a place)."""
    inside = range(span.start, span.end)
    return {gazetteer.key(t.lemma_) for t in span if t.head.i == t.i or t.head.i not in inside}


def _looks_like_person(span: Span) -> bool:
    """Every word a given name, patronymic or surname for pymorphy3, none a place or
    organization: a person Natasha typed as a place ("Свиридове", "Гата Камский")."""
    words = [t for t in span if t.is_alpha]
    if not words or any(not t.text[0].isupper() for t in words):
        return False
    for token in words:
        grammemes = _grammemes(token.text)
        known = morph.is_known(token.text.lower())
        if not known or not (_PERSON_GRAMMEMES & grammemes) or _PLACE_GRAMMEMES & grammemes:
            return False
    return True


# ------------------------------------------------------------ gazetteer names


def _gazetteer_names(doc: Doc) -> tuple[list[_Name], list[Span]]:
    """Gazetteer matches, longest first, less words that are no names here; names
    inside a longer organization's name are nested references ("Конгресс США")."""
    kept: list[Span] = []
    nested: list[Span] = []
    matches = [s for s in doc.spans.get(GAZETTEER_KEY, ()) if not _single_non_name(s)]
    for span in sorted(matches, key=lambda s: (s.start - s.end, s.start)):
        outer = next((k for k in kept if k.start < span.end and span.start < k.end), None)
        if outer is None:
            kept.append(span)
        elif outer.start <= span.start and span.end <= outer.end and outer.label_ == ORGANIZATION != span.label_:
            nested.append(actor_span(doc, span.start, span.end, span.label_, span.id_, "nested"))
    names = [_Name(s.start, s.end, s.label_, s.id_, "gazetteer", 3) for s in sorted(kept)]
    return names, nested


def _single_non_name(span: Span) -> bool:
    words = [t for t in span if t.is_alpha]
    return len(words) == 1 and _not_a_name(words[0], span.label_)


def _not_a_name(token: Token, actor_type: str) -> bool:
    """A one-word match that is no name here: a function word ("По" is also a river),
    a surname used as an adjective ("Хмельницкой АЭС"), a common word opening a sentence."""
    if token.pos_ in _FUNCTION_POS or (actor_type == PERSON and token.pos_ == "ADJ"):
        return True
    return token.is_sent_start and not token.is_lower and gazetteer.is_common_word(token.text)


def _merge(doc: Doc, natasha: list[_Name], found: list[_Name]) -> tuple[list[_Name], list[Span]]:
    """Natasha's names with the gazetteer's: the gazetteer wins where they overlap,
    except that a longer Natasha name keeps a name nested in it ("Промышленный банк
    Китая" keeps the bank, Китай becomes a nested reference) and a person's full
    name keeps its extent with the gazetteer's identity ("Л.Д. Троцкий")."""
    names = list(found)
    nested: list[Span] = []
    for n in natasha:
        inside = [g for g in found if g.start < n.end and n.start < g.end]
        if not inside:
            names.append(n)
            continue
        if len(inside) == 1 and _person_not_place(doc, n, inside[0]):
            names[names.index(inside[0])] = n
            continue
        if len(inside) == 1 and _contains(n, inside[0]) and (n.start, n.end) != (inside[0].start, inside[0].end):
            g = inside[0]
            if n.type == PERSON and g.type == PERSON:
                names[names.index(g)] = _Name(n.start, n.end, PERSON, g.canonical, "gazetteer", 3)
                continue
            if n.type in (ORGANIZATION, LOCATION, STATE):
                names[names.index(g)] = n
                if g.type != ORGANIZATION:
                    nested.append(actor_span(doc, g.start, g.end, g.type, g.canonical, "nested"))
    return names, nested


def _person_not_place(doc: Doc, natasha: _Name, found: _Name) -> bool:
    """A surname that inflects like a place ("Ливанов" is also "of the Lebanons"):
    Natasha's person stands when the word can be a surname."""
    if (natasha.start, natasha.end) != (found.start, found.end) or natasha.type != PERSON:
        return False
    one_place = found.type in (STATE, LOCATION) and found.end - found.start == 1
    return one_place and "Surn" in _grammemes(doc[found.start].text)


def _contains(outer: _Name, inner: _Name) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _add_rules(doc: Doc, names: list[_Name], ruled: list[_Name]) -> tuple[list[_Name], list[Span]]:
    """Add rule-made names: they replace Natasha's where they overlap; a gazetteer
    name inside one becomes nested ("посольство США"), any other overlap keeps the gazetteer's."""
    nested: list[Span] = []
    for r in sorted(ruled, key=lambda r: r.end - r.start, reverse=True):
        overlapping = [n for n in names if n.start < r.end and r.start < n.end]
        if any(n.priority >= r.priority and not _contains(r, n) for n in overlapping):
            continue
        for n in overlapping:
            names.remove(n)
            if n.type in (STATE, LOCATION) and r.type == ORGANIZATION:
                nested.append(actor_span(doc, n.start, n.end, n.type, n.canonical or "", "nested"))
        names.append(r)
    return names, nested


# ------------------------------------------------------------ rule-made names


def _title_persons(doc: Doc, names: list[_Name]) -> Iterator[_Name]:
    """Persons named in the genitive after a title noun: "письмо Зиновьева",
    "план Дауэса", "пакт Бриана — Келлога", "правительства Штреземанна"."""
    g = gazetteer.load()
    for head in doc:
        if gazetteer.key(head.lemma_) not in g.title_heads or head.pos_ != "NOUN":
            continue
        i = head.i + 1
        while i < len(doc) and doc[i].text in "«\"":
            i += 1
        while i < len(doc) and _surname_in_genitive(doc[i], names):
            yield _Name(i, i + 1, PERSON, "", "title", 2)
            i += 1
            if i + 1 < len(doc) and doc[i].text in ("—", "–", "-", "и"):
                i += 1


def _surname_in_genitive(token: Token, names: list[_Name]) -> bool:
    if not (token.is_alpha and token.text[0].isupper() and not token.is_upper):
        return False
    if token.morph.get("Case") not in (["Gen"], []) or token.pos_ not in ("PROPN", "NOUN"):
        return False
    for n in names:
        if n.start <= token.i < n.end:
            return n.type == PERSON or (n.source == "natasha" and not _PLACE_GRAMMEMES & _grammemes(token.text))
    grammemes = _grammemes(token.text)
    personal = bool(_PERSON_GRAMMEMES & grammemes) or not morph.is_known(token.text.lower())
    return personal and not _PLACE_GRAMMEMES & grammemes


def _institutions(doc: Doc, names: list[_Name]) -> Iterator[_Name]:
    """Organizations named by an institution and its polity or place: "лондонская
    полиция", "советское торговое представительство", "посольства США", "парламент Грузии"."""
    g = gazetteer.load()
    places = {i: n for n in names if n.type in (STATE, LOCATION) for i in range(n.start, n.end)}
    for head in doc:
        entry = g.reference_heads.get(gazetteer.key(head.lemma_))
        if not entry or not entry.org or head.pos_ != "NOUN" or not head.is_lower:
            continue
        start = _adjectives_before(head)
        local = any(
            kind in entry.licenses
            for t in doc[start : head.i]
            for kind, _ in gazetteer.adjective_referents(t.lemma_)
        )
        end = _complements_after(head)
        owner = next((c for c in head.children if c.i in places and c.i > head.i and c.dep_.startswith("nmod")), None)
        if owner is not None and not local:
            end = max(end, places[owner.i].end)
            local = places[owner.i].start > head.i
        if local:
            yield _Name(start, end, ORGANIZATION, "", "institution", 2)


_QUOTES = {"«": "»", '"': '"', "„": "“", "“": "”"}
_LATIN = re.compile(r"^[A-Za-z][A-Za-z0-9&.'-]*$")


def _named_organizations(doc: Doc) -> Iterator[_Name]:
    """Organizations named after a descriptor noun: «Аркос Лтд» in "фирмы «Аркос Лтд»",
    Volkswagen in "концерна Volkswagen", and quoted names that open with one
    ("«блока левых сил»", "«Союз 17 октября»")."""
    descriptors = gazetteer.load().org_descriptors
    for token in doc:
        close = _QUOTES.get(token.text)
        if close is not None:
            end = next((j for j in range(token.i + 1, min(token.i + 10, token.sent.end)) if doc[j].text == close), None)
            if end is None or end == token.i + 1 or not any(t.is_alpha for t in doc[token.i + 1 : end]):
                continue
            first, before = doc[token.i + 1], doc[token.i - 1] if token.i else None
            if before is not None and before.pos_ == "NOUN" and gazetteer.key(before.lemma_) in descriptors:
                yield _Name(token.i + 1, end, ORGANIZATION, doc[token.i + 1 : end].text, "institution", 2)
            elif first.pos_ == "NOUN" and gazetteer.key(first.lemma_) in descriptors and end - token.i > 2:
                yield _Name(token.i + 1, end, ORGANIZATION, "", "institution", 2)
        elif token.pos_ == "NOUN" and gazetteer.key(token.lemma_) in descriptors:
            end = token.i + 1
            while end < token.sent.end and _LATIN.match(doc[end].text):
                if end == token.i + 1 and not doc[end].text[0].isupper():
                    break
                end += 1
            if end == token.i + 2 and len(doc[token.i + 1]) < 2:  # a single letter ("группа A") names nothing
                continue
            if end > token.i + 1:
                yield _Name(token.i + 1, end, ORGANIZATION, doc[token.i + 1 : end].text, "institution", 2)


def _adjectives_before(head: Token) -> int:
    """Start of the adjectives right before ``head`` that modify it."""
    start = head.i
    while start > head.sent.start and head.doc[start - 1].pos_ == "ADJ" and head.doc[start - 1].head.i == head.i:
        start -= 1
    return start


def _complements_after(head: Token) -> int:
    """End of lowercase genitive complements right after ``head`` ("министерство иностранных дел")."""
    doc, end = head.doc, head.i + 1
    while end < head.sent.end:
        token = doc[end]
        if token.is_lower and token.pos_ == "NOUN" and token.morph.get("Case") == ["Gen"] and token.head.i == head.i:
            end += 1
        elif token.is_lower and token.pos_ == "ADJ" and token.morph.get("Case") == ["Gen"] and token.head.i > token.i:
            end += 1
        else:
            break
    while end > head.i + 1 and doc[end - 1].pos_ == "ADJ":
        end -= 1
    return end


def _vote_types(doc: Doc, names: list[_Name]) -> list[_Name]:
    """One name, one type within a document: a Natasha name typed otherwise than
    the same name elsewhere takes the majority type ("Штреземанна" LOC once, PER twice)."""
    votes: dict[str, dict[str, int]] = {}
    keys = {}
    for n in names:
        span = doc[n.start : n.end]
        k = gazetteer.key(person_canonical(span) if n.type == PERSON else span_nominative(span))
        keys[id(n)] = k
        votes.setdefault(k, {}).setdefault(n.type, 0)
        votes[k][n.type] += n.priority
    out = []
    for n in names:
        tally = votes[keys[id(n)]]
        best = max(tally, key=lambda t: (tally[t], t == n.type))
        if n.source == "natasha" and not n.canonical and best != n.type and tally[best] > tally[n.type]:
            n = _Name(n.start, n.end, best, "", n.source, n.priority)
        out.append(n)
    return out


def _extend_regnal(doc: Doc, names: list[_Name]) -> Iterator[_Name]:
    """A person followed by a Roman numeral is a monarch: "Петра I", "Карла XII"."""
    taken = {i for n in names for i in range(n.start, n.end)}
    for n in names:
        if n.type == PERSON and n.end < len(doc) and _ROMAN.match(doc[n.end].text) and n.end not in taken:
            n = _Name(n.start, n.end + 1, n.type, n.canonical, n.source, n.priority)
        yield n


def _repeated_names(doc: Doc, names: list[_Name]) -> Iterator[_Name]:
    """A person's surname or a one-word place seen earlier in the document, repeated
    where Natasha missed it: "Топалов" after "Веселин Топалов"."""
    known = dict(getattr(doc._.context, "names", None) or {})
    taken = {i for n in names for i in range(n.start, n.end)}
    for key, actor_type, canonical in _name_keys(doc, names):
        known.setdefault(key, (actor_type, canonical))
    for token in doc:
        if token.i not in taken and _surname_like(token) and token.lemma_ in known:
            actor_type, canonical = known[token.lemma_]
            yield _Name(token.i, token.i + 1, actor_type, canonical, "document", 1)


def _name_keys(doc: Doc, names: Iterable[_Name]) -> Iterator[tuple[str, str, str]]:
    """(lemma, type, canonical) of the words that name an actor alone: a person's
    surname, a one-word state or place (a one-word organization name is too often
    a common word or a product)."""
    for n in names:
        last = doc[n.end - 1]
        if (n.type == PERSON or n.end - n.start == 1 and n.type != ORGANIZATION) and _surname_like(last):
            yield last.lemma_, n.type, n.canonical


def _surname_like(token: Token) -> bool:
    """A capitalized proper noun that is not an initial or a common word."""
    if not (token.is_alpha and token.is_title and len(token) > 1 and token.pos_ == "PROPN"):
        return False
    return not gazetteer.is_common_word(token.text)


def _named_after(doc: Doc) -> Iterator[Span]:
    """The person an organization or place is named after: "Институт имени М. Тореза",
    "театр имени Станиславского и Немировича-Данченко"."""
    for ent in doc.ents:
        if ent._.actor_type not in (ORGANIZATION, LOCATION):
            continue
        marks = [t.i for t in ent if t.lower_ in ("имени", "им")]
        if not marks:
            continue
        start = marks[0] + 1 + (doc[marks[0] + 1].text == "." if marks[0] + 1 < ent.end else 0)
        i = start
        while i <= ent.end:
            if i == ent.end or doc[i].lower_ in ("и", ",") or doc[i].is_punct and doc[i].text != ".":
                if i > start and any(len(t) > 1 and t.text[0].isupper() and t.text[1].isalpha() for t in doc[start:i]):
                    person = actor_span(doc, start, i, PERSON, "", "nested")
                    yield actor_span(doc, start, i, PERSON, person_canonical(person), "nested")
                start = i + 1
            i += 1


def _canonical(span: Span, actor_type: str, norm: str) -> str:
    if actor_type == PERSON:
        return person_canonical(span)
    known = gazetteer.lookup(norm, types=(actor_type,))
    return known.name if known else capitalize(norm)


# ------------------------------------------------------------ references


# adjectives that refer to their actor wherever they stand; the others need a head noun licensing them
_FREE_ADJECTIVES = ("polity", "place", "person")


def _adjective_refs(doc: Doc, year: int | None) -> Iterator[Span]:
    """Actors referred to by an adjective or a compound: "советско-германские отношения"
    (СССР, Германия), "британского общественного мнения", "лондонская полиция",
    "сталинские репрессии"; ethnic and party adjectives only before a political noun
    ("английские коммунисты", "лейбористского правительства", not "русские эмигранты")."""
    in_name = {i for ent in doc.ents if ent._.source != "institution" for i in range(ent.start, ent.end)}
    g = gazetteer.load()
    for token in doc:
        if token.i in in_name or not token.is_alpha and "-" not in token.text:
            continue
        whole = gazetteer.adjective_referents(token.lemma_, year) if token.pos_ == "ADJ" else []
        if whole:
            head = _noun_head(token)
            entry = g.reference_heads.get(gazetteer.key(head.lemma_)) if head is not None else None
            licensed = set(entry.licenses) if entry else set()
            if head is not None and gazetteer.key(head.lemma_) in g.parties:
                licensed.add("polity")
            if "polity" in licensed:
                licensed.add("ethnic")
            for kind, actor in whole:
                if kind in _FREE_ADJECTIVES or kind in licensed:
                    yield actor_span(doc, token.i, token.i + 1, actor.type, actor.name, "adjective")
        elif "-" in token.lemma_ and token.pos_ in ("ADJ", "NOUN", "PROPN"):
            yield from _compound_refs(token, year)


def _compound_refs(token: Token, year: int | None) -> Iterator[Span]:
    *stems, last = token.lemma_.split("-")
    polities = [gazetteer.polity_of(stem, year) for stem in stems]
    polities.append(gazetteer.polity_of(last, year))
    if all(polities):
        for name in dict.fromkeys(polities):
            yield actor_span(token.doc, token.i, token.i + 1, STATE, name, "compound")  # type: ignore[arg-type]


def _noun_head(token: Token) -> Token | None:
    """The noun an adjective modifies: its syntactic head, through coordinated adjectives
    ("британское и французское правительства"), or else the noun right after it when
    the parse went astray."""
    head, current = token.head, token
    while head.pos_ == "ADJ" and head.i != current.i and current.dep_ in ("conj", "amod"):
        current, head = head, head.head
    if head.pos_ in ("NOUN", "PROPN") and head.i > token.i:
        return head
    for next_token in token.doc[token.i + 1 : min(token.i + 5, token.sent.end)]:
        if next_token.pos_ in ("NOUN", "PROPN"):
            return next_token
        if next_token.pos_ != "ADJ" and next_token.text not in (",", "и"):
            break
    return None


def _member_refs(doc: Doc, mentions: list[Span], year: int | None) -> Iterator[Span]:
    """Parties referred to by their members: "немецкие коммунисты" (КПГ), "консерваторы"
    (Консервативная партия, the country from the context), "Германская компартия"."""
    g = gazetteer.load()
    in_name = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    memory: dict[str, str] = dict(getattr(doc._.context, "parties", None) or {})
    states = sorted((m for m in mentions if m._.actor_type == STATE), key=lambda m: m.start)
    for token in doc:
        noun = gazetteer.key(token.lemma_)
        if token.i in in_name or noun not in g.parties or token.pos_ not in ("NOUN", "PROPN"):
            continue
        start = token.i
        country = None
        for child in token.children:
            if child.dep_ == "amod" and child.i < token.i:
                country = gazetteer.polity_of(child.lemma_, year) or country
                if country:
                    start = min(start, child.i)
            own = next((m for m in states if m.start <= child.i < m.end and child.dep_.startswith("nmod")), None)
            if own is not None:
                country = own._.canonical
        name = gazetteer.party(noun, country, year) if country else memory.get(noun)
        if not name:
            context = _context_state(doc, states, token)
            name = gazetteer.party(noun, context, year)
        if name:
            memory[noun] = name
            yield actor_span(doc, start, token.i + 1, ORGANIZATION, name, "member")
    if doc._.context is not None and hasattr(doc._.context, "parties"):
        doc._.context.parties = memory


def _context_state(doc: Doc, states: list[Span], token: Token) -> str | None:
    """The last polity mentioned before ``token`` in its paragraph."""
    paragraph_start = token.i
    while paragraph_start > 0 and "\n" not in doc[paragraph_start - 1].text:
        paragraph_start -= 1
    before = [s for s in states if paragraph_start <= s.start < token.i]
    return before[-1]._.canonical if before else None


def _ref_norm(span: Span) -> str:
    """A reference's normal form: the lemma of an adjective, the nominative of a phrase."""
    if len(span) == 1 and span[0].pos_ == "ADJ":
        return span[0].lemma_
    return span_nominative(span)


def _remember(doc: Doc) -> None:
    """One-word names of this block, for the document's later blocks."""
    context = doc._.context
    if context is None or not hasattr(context, "names"):
        return
    names = [_Name(e.start, e.end, e._.actor_type, e._.canonical, e._.source, 0) for e in doc.ents]
    for key, actor_type, canonical in _name_keys(doc, names):
        context.names.setdefault(key, (actor_type, canonical))
