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

import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache
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
    return "".join((_agreeing(t, span) if t.i in which else t.text) + t.whitespace_ for t in span).strip()


def _agreeing(token: Token, span: Span) -> str:
    """A word in the nominative; an adjective of a singular noun of the name in the noun's
    gender, as the tagger may not tell masculine from neuter in the genitive ("Болгарского
    княжества" → "Болгарское княжество")."""
    head = token.head
    if token.pos_ == "ADJ" and head.i != token.i and span.start <= head.i < span.end and head.pos_ == "NOUN":
        if head.morph.get("Number") == ["Sing"] and token.morph.get("Number") == ["Sing"]:
            return morph.agreeing(_nominative(token), head.lemma_)
    return _nominative(token)


def _nominative(token: Token) -> str:
    """A word put in the nominative, if the tagger or the dictionary says it is in another case."""
    word = token.text
    inflectable = token.pos_ in _INFLECTED or token.morph.get("VerbForm") == ["Part"]
    oblique = token.morph.get("Case") != ["Nom"] or not morph.can_be_nominative(word)
    if not (inflectable and oblique) or not morph.declinable(word):
        return word
    number = "Plur" if token.morph.get("Number") == ["Plur"] or morph.plural_only(word) else "Sing"
    return morph.nominative(word, token.pos_, str(token.morph), number)


def person_nominative(span: Span, whole: Span | None = None, surname: str = "") -> str:
    """Nominative of a person's name: every word inflects ("Р.Макдональдом" → "Р.Макдональд",
    "Барклая-де-Толли" → "Барклай-де-Толли"), as a name where the dictionary or the
    declension of surnames tells it ("Беннигсена" → "Беннигсен"), but a surname in the
    nominative that the dictionary only knows as a common word's form ("Шумов", not the
    genitive of "шум"). The cases of the ``whole`` name's words (initials too) tell whether
    a surname is oblique; the known ``surname`` of the person is taken as it is where the
    name's last word is a form of it ("У. Кекконена" → "У. Кекконен", not an adjective
    "Кекконный" pymorphy3 makes of it)."""
    words = [t for t in span if _wordlike(t) and not _initial(t)]
    oblique = any(t.morph.get("Case") not in ([], ["Nom"]) for t in whole or span if _wordlike(t))
    out = []
    for token in span:
        word = token.text
        if words and token == words[-1] and _form_of(token, surname):
            word = word if gazetteer.key(word) == gazetteer.key(surname) else surname  # "Потемкин" stays
        elif words and token in words and not _nominative_surname(token):
            head, tail = morph.split_particle_name(word)
            found = morph.name_nominative(head, str(token.morph), token == words[-1], oblique)
            word = found + tail if found is not None else _nominative(token)
        out.append(word + token.whitespace_)
    return "".join(out).strip()


def _form_of(token: Token, surname: str) -> bool:
    """Whether a man's word is an inflected form of a one-word surname ("Репнина" of Репнин)."""
    if not surname or " " in surname or token.morph.get("Gender") == ["Fem"]:
        return False
    word, known = gazetteer.key(token.text), gazetteer.key(surname)
    return word.startswith(known) and len(word) - len(known) <= 2


def _initial(token: Token) -> bool:
    """A given name's initial: "А.", or an abbreviation of consonants after the first letter
    before a dot ("Дж. Мерик", "Вл. Соловьёв")."""
    if _INITIAL.match(token.text):
        return True
    after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    short = 2 <= len(token) <= 3 and token.text[0].isupper() and token.text[1:].islower()
    return short and after is not None and after.text == "." and not set(token.lower_[1:]) & set("аеёиоуыэюя")


_SURNAME_ENDING = re.compile(r"(ов|ев|ёв|ин|ын)$")


def _nominative_surname(token: Token) -> bool:
    """A surname in -ов, -ин the dictionary knows as no one's name, or only as the plural
    of a given name ("Ахромеев", "Цицианов", not the genitive plural of "Ахромей")."""
    singular = any(_PERSON_GRAMMEMES & p.tag.grammemes and "sing" in p.tag for p in morph.readings(token.text))
    return bool(_SURNAME_ENDING.search(token.text)) and not singular


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
    names = [t for t in words if _initial(t)]
    rest = [t for t in words if not _initial(t)]
    while len(rest) > 1 and _is_given_name(rest[0]):
        names.append(rest.pop(0))
    if rest and all(_is_patronymic(t) for t in rest) and len(names) > len([t for t in words if _initial(t)]):
        return person_nominative(span)  # a given name and a patronymic: "Всеволод Ярославич"
    rest = [t for t in rest if not _is_patronymic(t)] or rest
    if not rest or (len(rest) == len(words) and len(rest) > 1):  # no given name in front: keep the whole name
        return person_nominative(span)
    first, last = rest[0].i - span.start, rest[-1].i - span.start + 1
    return person_nominative(span[first:last], span)


def _grammemes(word: str) -> set[str]:
    return set().union(*(p.tag.grammemes for p in morph.readings(word)))


def _is_given_name(token: Token) -> bool:
    """A given name for the dictionary, not for pymorphy3's guess from the ending ("Комура")."""
    return any("Name" in p.tag for p in morph.name_readings(token.text))


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
        years = _years(doc)
        # adjectives, institutions and party members keep the document's year: given each
        # token's year instead, "турецкий" and "австрийский" pick the period's entries
        # (Австрийская империя in 1807) that the dev and samples gold do not list
        year = _year(doc)
        found, nested = _gazetteer_names(doc, years)
        names, inside_natasha = _merge(doc, list(_natasha_names(doc, years)), found)
        ruled = [*_title_persons(doc, names), *_institutions(doc, names, year), *_named_organizations(doc)]
        ruled += [*_listed_polities(doc), *_bibliographic_persons(doc)]
        names, inside_rules = _add_rules(doc, names, [*ruled, *_honorifics(doc, names)])
        names = [_apposed_place(doc, n) for n in names]
        names = _join_parents(doc, _actors_only(doc, list(_extend_regnal(doc, _vote_types(doc, names)))), inside_rules)
        names = _actors_only(doc, [*names, *_repeated_names(doc, names)])  # a repeated name may be a ship's
        names = _outside_archival_references(doc, names)
        names = _with_given_names(doc, names)
        names = _short_references(doc, _patronymic_names(doc, _regnal_given_names(doc, names)))
        doc.ents = _glosses(doc, filter_spans([_name_span(doc, n) for n in sorted(names, key=lambda n: n.start)]))
        refs = [*nested, *inside_natasha, *inside_rules, *_named_after(doc)]
        refs += list(_adjective_refs(doc, year, refs, years))
        refs += list(_member_refs(doc, [*doc.ents, *refs], year))
        for span in refs:
            span._.norm = span._.norm or _ref_norm(span)
        doc.spans[REFS_KEY] = refs
        _remember(doc)
        return doc



def _name_span(doc: Doc, name: _Name) -> Span:
    """The mention span of a name, with its norm and canonical name."""
    span = actor_span(doc, name.start, name.end, name.type, "", name.source)
    norm = person_nominative(span, surname=name.canonical) if name.type == PERSON else span_nominative(span)
    canonical = name.canonical or _canonical(span, name.type, norm)
    if name.type != PERSON and gazetteer.key(norm) != gazetteer.key(canonical) and _reads_as(span, canonical):
        norm = canonical  # "Ларге" read as a place, not as the surname "Ларг"; "Речью Посполитой"
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


_YEAR = re.compile(r"^(1[0-9]{3}|20[0-9]{2})$")


def _years(doc: Doc) -> list[int | None]:
    """The year in force at each token: the last year written before it ("1790 г.", or
    opening a line of a chronology, "1571, 24 мая —"), else the first one after it, else the
    context's. The dates component runs after this one, and a short document is a single
    block, so the context alone knows no year."""
    marks = [(t.i, int(t.text.rstrip(","))) for t in doc[:-1] if t.text[:1] in "12" and _written_year(t)]
    if not marks:
        return [_year(doc)] * len(doc)
    out: list[int | None] = [marks[0][1]] * marks[0][0]
    for (at, year), (following, _) in zip(marks, marks[1:] + [(len(doc), None)]):
        out += [year] * (following - at)
    return out


def _written_year(token: Token) -> bool:
    """A year with its "г.", or a year opening a line of a chronology ("1571, 24 мая —"; razdel
    keeps the comma on the number, as in "3,5")."""
    after = token.doc[token.i + 1]
    if _YEAR.match(token.text):
        return after.lower_.startswith("г")
    opening = token.i == 0 or "\n" in token.doc[token.i - 1].text_with_ws
    return opening and bool(_YEAR.match(token.text.rstrip(","))) and token.text.endswith(",")


def _natasha_names(doc: Doc, years: list[int | None]) -> Iterator[_Name]:
    """Natasha's entities cut at separators, stripped of function words, typed."""
    for ent_start, ent_end, label in _natasha_spans(doc):
        for start, end in _pieces(doc, ent_start, ent_end, label == "PER"):
            piece = doc[start:end]
            if not _plausible_name(piece):
                continue
            actor_type, canonical = _natasha_type(piece, NATASHA_TYPES.get(label, ""), years[start])
            if actor_type:
                yield _Name(start, end, actor_type, canonical, "natasha", 1)


def _natasha_spans(doc: Doc) -> Iterator[tuple[int, int, str]]:
    """Natasha's entities as (start, end, label), a person that is only initials joined with
    the name right after its dot: "Дж.Коми", which Natasha may read as "Дж" and the
    Komi Republic; and a person cut at a nickname's closing quote ("Джеймс «Бадди» Макгирт")."""
    ents = list(doc.ents)
    i = 0
    while i < len(ents):
        ent, after = ents[i], ents[i + 1] if i + 1 < len(ents) else None
        nickname = after is not None and after.start == ent.end + 1 and _nickname_quote(doc, ent.end)
        if nickname and ent.label_ == after.label_ == "PER":
            yield ent.start, after.end, "PER"
            i += 2
            continue
        name = ent.end + (ent.end < len(doc) and doc[ent.end].text == ".")  # the word after the dot
        initials = ent.label_ == "PER" and doc[name - 1].text == "." and all(_initial(t) or t.text == "." for t in ent)
        if initials and after is not None and after.start == name:
            yield ent.start, after.end, "PER"
            i += 2
            continue
        if initials and name < len(doc) and doc[name].is_title and _wordlike(doc[name]):
            yield ent.start, name + 1, "PER"
        else:
            yield ent.start, ent.end, ent.label_
        i += 1


def _with_given_names(doc: Doc, names: list[_Name]) -> list[_Name]:
    """A capitalized given name of the dictionary right before a person's surname, in no name
    itself, is part of the name: "• Веселин Топалов (Болгария)", where only "Топалов" was found."""
    taken = {i for n in names for i in range(n.start, n.end)}
    out = []
    for n in names:
        before = doc[n.start - 1] if n.start else None
        given = before is not None and before.i not in taken and before.is_title and before.is_alpha
        if n.type == PERSON and given and _is_given_name(before) and not _is_given_name(doc[n.start]):
            n = replace(n, start=n.start - 1)
        out.append(n)
    return out


def _pieces(doc: Doc, start: int, end: int, person: bool = False) -> Iterator[tuple[int, int]]:
    """A span cut at list separators ("Монако • Намибия", "Джошуа Вольф (Joshua Wolf)",
    "Бриана — Келлога"), each piece stripped of punctuation and function words at its edges,
    and a person's of a leading common noun ("корпус И. Е. Ферзена")."""
    cuts = [i for i in range(start, end) if _separates(doc, i)]
    for s, e in zip([start, *(c + 1 for c in cuts)], [*cuts, end]):
        breaks = [i for i in range(s + 1, e) if _breaks_before(doc, i) or person and _preposition(doc[i])]
        for s, e in zip([s, *breaks], [*breaks, e]):
            while s < e and (_edge_junk(doc[s]) or person and s < e - 1 and _role_before(doc[s])):
                s += 1
            while e > s and _edge_junk(doc[e - 1]):
                e -= 1
            if s < e:
                yield s, e


def _preposition(token: Token) -> bool:
    """A lowercase preposition inside a person's span ends the name: "П. И. Шуйского | на р.
    Уле" ("фон", "де" of a name are no prepositions to the tagger)."""
    return token.is_lower and token.pos_ == "ADP" and any(p.tag.POS == "PREP" for p in morph.readings(token.text))


def _role_before(token: Token) -> bool:
    """A common noun or adjective before a person's name ("корпус И. Е. Ферзена", "прусский
    фельдмаршал Левальд"), or a common word opening a sentence ("Маршал Ахромеев",
    "Царствование Бориса", "Королевич Владислав"; not "Александр Невский")."""
    if token.is_lower:
        return token.pos_ in ("NOUN", "ADJ")
    role = gazetteer.key(token.lemma_) in gazetteer.load().role_heads
    return token.is_sent_start and (role or gazetteer.is_common_word(token.text))


def _breaks_before(doc: Doc, i: int) -> bool:
    """Where one name ends and another begins with no punctuation between: after a place in
    the locative whose next word is in another case ("при Мацеёвицах | корпус И. Е. Ферзена",
    "в Подолии | Барскую конфедерацию"), and after a surname and its initials, as a
    bibliography writes them, before a common word ("Романов Б. А. | Очерки дипломатической
    истории"; not "в Вашингтоне Р. Р. Розен")."""
    before, token = doc[i - 1], doc[i]
    if before.morph.get("Case") == ["Loc"] and before.is_title and token.is_alpha:
        return token.morph.get("Case") not in (["Loc"], ["Gen"], [])  # not "в Союзе Суверенных Государств"
    if before.text != "." or not token.is_alpha or _initial(token) or not gazetteer.is_common_word(token.text):
        return False
    j = i - 1
    while j >= 2 and doc[j].text == "." and _initial(doc[j - 1]):
        j -= 2
    surname = doc[j] if 0 <= j < i - 3 else None
    return surname is not None and _wordlike(surname) and surname.is_title and surname.morph.get("Case") in (["Nom"], [])


def _separates(doc: Doc, i: int) -> bool:
    """List punctuation, and brackets of an aside ("Союз (СКС)"), not of a name ("РКП(б)")."""
    token = doc[i]
    if _nickname_quote(doc, i):
        return False
    if token.text in _SEPARATORS or token.pos_ == "SPACE":
        return True
    if token.text == "(":
        return i == 0 or bool(doc[i - 1].whitespace_)
    if token.text == ")":
        opening = next((j for j in range(i - 1, max(i - 6, -1), -1) if doc[j].text == "("), None)
        return opening is None or _separates(doc, opening)
    return False


def _nickname_quote(doc: Doc, i: int) -> bool:
    """A quote around one word between a given name and a surname: Джеймс «Бадди» Макгирт."""
    opening = i if doc[i].text in _QUOTES else i - 2
    if opening < 1 or opening + 3 >= len(doc) or doc[opening].text not in _QUOTES:
        return False
    inside, close = doc[opening + 1], doc[opening + 2]
    around = doc[opening - 1].is_title and doc[opening + 3].is_title and inside.is_title
    return close.text == _QUOTES[doc[opening].text] and around and i in (opening, opening + 2)


def _edge_junk(token: Token) -> bool:
    return token.is_punct or token.is_space or (token.pos_ in _FUNCTION_POS and token.is_lower)


def _plausible_name(span: Span) -> bool:
    """Not a function word ("При", "Её") or a letter, not all lowercase, not a title line in
    capitals, not a common word opening a sentence or following an initial
    ("Романов Б. А. Очерки …"; not "1721 г. Сенат"); its words may hold hyphens and digits ("France-Presse", "Кин-Топ", "G-20"),
    but a compound of states is a reference, no name's word ("Русско-французский союз";
    "Российско-Американская компания" is a name)."""
    words = [t for t in span if any(c.isalpha() for c in t.text) and not _states_compound(t)]
    if not words or all(t.is_lower for t in words) or span.text in gazetteer.load().not_names:
        return False
    if len(span) == 1 and (span[0].pos_ in _FUNCTION_POS or len(span[0]) == 1):
        return False  # a letter alone, "М" and "Л" of an imprint ("М.; Л., 1955"), names nothing
    if len(words) > 1 and all(t.is_upper for t in words) and any(_function_word(t) for t in words):
        return False  # a title line in capitals: "ОТ ПОРТСМУТА К СОЮЗУ"
    if all(t.is_upper and len(t) > 3 and gazetteer.is_dictionary_word(t.text) for t in words):
        return False  # a heading in capitals: "ТЕЛЕГРАММА", "НОТА ПРАВИТЕЛЬСТВА", "ВОЕННЫЕ ПРОИСШЕСТВИЯ"
    doc, i = span.doc, span.start
    opening = words[0].is_sent_start or i > 1 and doc[i - 1].text == "." and _initial(doc[i - 2])
    return not (len(words) == 1 and opening and gazetteer.is_common_word(words[0].text))


def _function_word(token: Token) -> bool:
    """A preposition or conjunction for the dictionary, whatever its letter case."""
    return any(p.tag.POS in ("PREP", "CONJ") for p in morph.parses(token.lower_))


def _states_compound(token: Token) -> bool:
    """A compound adjective of states, its later parts in lowercase ("Советско-германский")."""
    first, *rest = token.text.split("-")
    if not rest or any(not part.islower() for part in rest):
        return False
    return all(gazetteer.polity_of(part) for part in token.lemma_.split("-"))


def _natasha_type(span: Span, natasha_type: str, year: int | None) -> tuple[str, str]:
    """Type (and canonical name, when the gazetteer knows the name) of a Natasha entity."""
    norm = person_nominative(span) if natasha_type == PERSON else span_nominative(span)
    known = gazetteer.lookup(norm, year) or _known_by_readings(span, natasha_type, year) or _adjective_name(span, year)
    if known:
        return known.type, known.name
    if natasha_type == PERSON and _battlefield(span):
        return LOCATION, _place_nominative(span[0])
    if natasha_type == PERSON and _family(span):
        return "", ""
    if natasha_type == PERSON and _quoted_alone(span):
        return ORGANIZATION, ""
    if natasha_type in (LOCATION, ORGANIZATION) and not _quoted_alone(span) and (
        _looks_like_person(span) or _named_after_role(span)
    ):
        return PERSON, ""
    heads = _head_lemmas(span)
    if natasha_type == ORGANIZATION and _meeting(span, heads):
        return "", ""
    if natasha_type == LOCATION and heads & gazetteer.load().polity_heads:
        return STATE, ""
    if natasha_type == ORGANIZATION and heads & gazetteer.load().place_heads:
        return LOCATION, ""
    return _dictionary_type(span, natasha_type), ""


def _family(span: Span) -> bool:
    """A surname in the plural names a family, no one person: "братьев Ямадаевых",
    "отравление Скрипалей", "клан Шаймиевых"."""
    if len(span) != 1 or not _wordlike(span[0]):
        return False
    token = span[0]
    tagged = token.morph.get("Number") == ["Plur"] and token.lower_.endswith(("ых", "их", "ей"))
    return tagged or morph.plural_only(token.text) and any("Surn" in p.tag for p in morph.readings(token.text))


def _quoted_alone(span: Span) -> bool:
    """One word alone in quotes names a team, a firm or a work, not a person: «Ромы»,
    «Барселоне» (a nickname inside a name, Джеймс «Бадди» Макгирт, is no span of its own)."""
    doc = span.doc
    if len(span) != 1 or span.start == 0 or span.end >= len(doc):
        return False
    opening = doc[span.start - 1].text
    return opening in _QUOTES and doc[span.end].text == _QUOTES[opening] and not (
        span.start > 1 and doc[span.start - 2].is_title and span.end + 1 < len(doc) and doc[span.end + 1].is_title
    )


def _short_references(doc: Doc, names: list[_Name]) -> list[_Name]:
    """A capitalized common noun alone, unquoted, that Natasha calls an organization
    ("к Содружеству", "Союз") is a short reference to an organization of the document
    whose name opens with that noun ("Содружества Независимых Государств": СНГ), the one named
    last before it, else the first after it; with none it stays as it is ("Сенат" is the
    Governing Senate). A quoted one is a name («Телевизора»)."""
    full = [n for n in names if n.type == ORGANIZATION and n.end - n.start > 1]
    out = []
    for n in names:
        if n.source != "natasha" or n.type != ORGANIZATION or not _bare_common_noun(doc[n.start : n.end]):
            out.append(n)
            continue
        same = [f for f in full if doc[f.start].lemma_ == doc[n.start].lemma_]
        before = [f for f in same if f.start < n.start]
        found = before[-1] if before else next(iter(same), None)
        canonical = found.canonical or _name_span(doc, found)._.canonical if found is not None else n.canonical
        out.append(replace(n, canonical=canonical))
    return out


def _bare_common_noun(span: Span) -> bool:
    quoted = span.start > 0 and span.doc[span.start - 1].text in _QUOTES
    return len(span) == 1 and not quoted and gazetteer.is_common_word(span.text)


def _known_by_readings(span: Span, natasha_type: str, year: int | None) -> gazetteer.Actor | None:
    """The gazetteer actor a Natasha name is under other readings of its words than the
    tagger's: a name of several words ("Речи Посполитой", its "Посполитой" read as a noun
    "посполита"), a one-word place ("Рымнике" is the locative of Рымник, not of a name
    Рымника; "Столбове" of Столбово), or a one-word "person" after a battle preposition
    ("при Ларге": Ларга, not a surname Ларг). A one-word person otherwise stays one
    ("Анатолия" is a man's name before it is a peninsula)."""
    one = len([t for t in span if not t.is_punct]) == 1
    located = span[0].morph.get("Case") == ["Loc"]  # "в Подолии", cut from "в Подолии Барскую конфедерацию"
    person = natasha_type == PERSON and not _after_battle_preposition(span)
    if one and person and not _one_persons_name(span[0]):
        return gazetteer.lookup(span.text, year, types=(LOCATION, STATE))  # "сдалась Эривань"
    if one and (natasha_type == ORGANIZATION and not located or person):
        return None
    types = (LOCATION, STATE) if one else ACTOR_TYPES
    return next(filter(None, (gazetteer.lookup(name, year, types=types) for name in _readings(span))), None)


def _one_persons_name(token: Token) -> bool:
    """Whether the dictionary reads a word as one person's name: a given name or surname in
    the singular, not only in the vocative ("Эривань") or the plural ("Феллин")."""
    return any(
        _PERSON_GRAMMEMES & p.tag.grammemes and "sing" in p.tag and "voct" not in p.tag
        for p in morph.readings(token.text)
    )


def _readings(span: Span) -> Iterator[str]:
    """The nominatives a name of up to four words may have (see ``_nominatives``)."""
    words = [t for t in span if not t.is_punct]
    if words and len(words) <= 4 and all(t.is_alpha for t in words):
        names = itertools.product(*(_nominatives(t.lower_) for t in words))
        yield from (" ".join(name) for name in itertools.islice(names, 64))


def _reads_as(span: Span, name: str) -> bool:
    return any(gazetteer.key(reading) == gazetteer.key(name) for reading in _readings(span))


@lru_cache(maxsize=100_000)
def _nominatives(lower: str) -> tuple[str, ...]:
    """Every nominative a word may have under the dictionary's noun and adjective readings, places
    first, and the neuter of a declined place name in -ово, -ино ("Столбове" → "Столбово");
    kept per word, since inflecting every reading is the costly part of a name lookup."""
    parses = sorted(morph.readings(lower), key=lambda p: "Geox" not in p.tag)
    forms = [lower]
    for parse in parses:
        if parse.tag.POS in ("NOUN", "ADJF"):
            form = parse.inflect({"nomn"})
            forms.append(form.word if form else parse.normal_form)
    if re.search(r"(ов|ев|ин|ын)е$", lower):
        forms.append(lower[:-1] + "о")
    return tuple(dict.fromkeys(forms))


def _adjective_name(span: Span, year: int | None) -> gazetteer.Actor | None:
    """A one-word Natasha name that is the adjective of a known place or polity names that
    place: "Верельским миром" (Верела), "Валиесарским перемирием" (Валиесар), as the
    adjective would refer to it outside a name."""
    if len(span) != 1 or not span[0].is_alpha:
        return None
    lemmas = [span[0].lemma_, *(p.normal_form for p in morph.parses(span[0].lower_) if p.tag.POS == "ADJF")]
    for lemma in dict.fromkeys(lemmas):
        for kind, actor in gazetteer.adjective_referents(lemma, year):
            if kind in ("place", "polity"):
                return actor
    return None


def _after_battle_preposition(span: Span) -> bool:
    """Right after "при", "у", "под", or joined by "и" to a name right after one ("при
    Ланцкороне и Столовичах")."""
    doc, i = span.doc, span.start - 1
    if i >= 2 and doc[i].lower_ == "и" and doc[i - 1].is_title:
        i -= 2
    return i >= 0 and gazetteer.key(doc[i].lower_) in gazetteer.load().battle_prepositions


def _battlefield(span: Span) -> bool:
    """A one-word "person" after "при", "у", "под" in a sentence that tells of a battle, which
    no dictionary knows as a person's name, is the battlefield: "разбила турок при Ларге"
    (not "при Петре I")."""
    if len(span) != 1 or not span[0].is_alpha or not _after_battle_preposition(span):
        return False
    if morph.is_known(span[0].lower_) and morph.name_readings(span[0].text):
        return False
    battle = gazetteer.load().battle_words
    return any(gazetteer.key(t.lemma_) in battle for t in span.sent)


def _place_nominative(token: Token) -> str:
    """A place's nominative from the dictionary's (or pymorphy3's guessed) reading of the word
    as a place ("Туртукае" → "Туртукай"), if any."""
    for parse in morph.readings(token.text):
        if "Geox" in parse.tag:
            form = parse.inflect({"nomn"})
            return morph.restore_shape(form.word if form else parse.normal_form, token.text)
    return ""


def _dictionary_type(span: Span, natasha_type: str) -> str:
    """A one-word name the dictionary knows only as a place or only as an organization:
    a "person" that is a place ("Царицыно") or a firm ("Феррари"), an "organization"
    that is a place ("Сколково", "Домодедово")."""
    words = [t for t in span if t.is_alpha]
    if len(words) != 1 or natasha_type == LOCATION or not morph.is_known(words[0].lower_):
        return natasha_type
    grammemes = _grammemes(words[0].text)
    if _PERSON_GRAMMEMES & grammemes:
        return natasha_type
    if natasha_type == PERSON and "Orgn" in grammemes and "Geox" not in grammemes:
        return ORGANIZATION
    if "Geox" in grammemes and "Orgn" not in grammemes:
        return LOCATION
    return natasha_type


def _meeting(span: Span, heads: set[str]) -> bool:
    """A congress or conference named by its place ("Венский конгресс", "Потсдамская
    конференция") is an event, no actor; its place is a reference through the adjective."""
    if not heads & gazetteer.load().meeting_heads:
        return False
    kinds = {kind for t in span if t.pos_ == "ADJ" for kind, _ in gazetteer.adjective_referents(t.lemma_)}
    return bool(kinds & {"place", "polity"})


def _head_lemmas(span: Span) -> set[str]:
    """Lemmas of a name's syntactic heads: республика in "Молдавская республика", дворец
    in "Дворец молодёжи" (a polity, a place)."""
    inside = range(span.start, span.end)
    return {gazetteer.key(t.lemma_) for t in span if t.head.i == t.i or t.head.i not in inside}


def _named_after_role(span: Span) -> bool:
    """A name of two or three capitalized words opening with a given name of the dictionary,
    or of up to three Latin words, right after a person's role noun (``role_heads.csv``), is
    a person: "архиепископ Лонгин Клинский" (not an organization or a place for its adjective
    "Клинский"), "певице Aaliyah", "блогера Mimeng"."""
    words = [t for t in span if t.is_alpha]
    before = span.doc[span.start - 1] if span.start else None
    latin = bool(words) and len(words) <= 3 and all(_LATIN.match(t.text) for t in words)  # "певице Aaliyah"
    latin = latin and not (len(words) == 1 and words[0].is_upper)  # not "глава NASA"
    if before is None or not (2 <= len(words) <= 3 or latin) or not all(t.is_title or t.is_upper for t in words):
        return False
    return gazetteer.key(before.lemma_) in gazetteer.load().role_heads and (latin or _is_given_name(words[0]))


def _apposed_place(doc: Doc, name: _Name) -> _Name:
    """A one-word person's name in the nominative right after a place noun in another case
    names the place, in apposition: "в аэропорту Рейган" (not "площадь Ленина", a genitive)."""
    before = doc[name.start - 1] if name.start else None
    if name.type != PERSON or name.end - name.start != 1 or before is None or before.pos_ != "NOUN":
        return name
    if not before.is_lower or gazetteer.key(before.lemma_) not in gazetteer.load().place_heads:
        return name
    if doc[name.start].morph.get("Case") != ["Nom"] or before.morph.get("Case") in (["Nom"], []):
        return name
    return _Name(name.start, name.end, LOCATION, doc[name.start].text, "rule", 2)


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


def _gazetteer_names(doc: Doc, years: list[int | None]) -> tuple[list[_Name], list[Span]]:
    """Gazetteer matches, longest first, less words that are no names here, each the
    entry current in the year in force there; names inside a longer organization's name
    are nested references ("Конгресс США")."""
    kept: list[Span] = []
    nested: list[Span] = []
    tagged = {(e.start, e.end, NATASHA_TYPES[e.label_]) for e in doc.ents if e.label_ in NATASHA_TYPES}
    spans = doc.spans.get(GAZETTEER_KEY, ())
    matches = _in_period(doc, [s for s in spans if _as_tagged(s) in tagged or not _single_non_name(s)], years)
    for span in sorted(matches, key=lambda s: (s.start - s.end, s.start)):
        outer = next((k for k in kept if k.start < span.end and span.start < k.end), None)
        if outer is None:
            kept.append(span)
        elif outer.start <= span.start and span.end <= outer.end and outer.label_ == ORGANIZATION != span.label_:
            nested.append(actor_span(doc, span.start, span.end, span.label_, span.id_, "nested"))
    names = [_Name(s.start, s.end, s.label_, s.id_, "gazetteer", 3) for s in sorted(kept)]
    return names, nested


def _in_period(doc: Doc, matches: list[Span], years: list[int | None]) -> list[Span]:
    """One match per extent and type family: of the entries a name has ("Польша" is Poland
    and, before 1795, the Commonwealth), the one current in the year in force there (``gazetteer.as_of``)."""
    groups: dict[tuple[int, int, bool], list[Span]] = {}
    for span in matches:
        groups.setdefault((span.start, span.end, span.label_ in (STATE, LOCATION)), []).append(span)
    out = []
    for (start, end, _), spans in groups.items():
        actor = gazetteer.as_of(gazetteer.entries((s.label_, s.id_) for s in spans), years[start])
        if actor is not None:
            out.append(Span(doc, start, end, label=actor.type, span_id=actor.name))
    return out


def _as_tagged(span: Span) -> tuple[int, int, str]:
    """A gazetteer match as Natasha would type it: states are places to the tagger. A word
    both call a name is one, even a dictionary word opening a sentence ("Бундестаг голосовал")."""
    return span.start, span.end, LOCATION if span.label_ == STATE else span.label_


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
        rest = _person_beside(doc, n, inside)
        if rest is not None:  # "Аль-Кайды | Усамы бин Ладена", read by Natasha as one person
            names.append(rest)
            continue
        if len(inside) == 1 and _contains(n, inside[0]) and (n.start, n.end) != (inside[0].start, inside[0].end):
            g = inside[0]
            if n.type == PERSON and g.type == PERSON:
                # the gazetteer's identity where it found the surname ("Л.Д. Троцкий"), not a
                # given name and patronymic before another surname ("Александр Николаевич Яковлев")
                same = (g.end == n.end or not _surname_like(doc[n.end - 1])) and _given_names_agree(doc[n.start : g.start], g)
                names[names.index(g)] = _Name(n.start, n.end, PERSON, g.canonical, "gazetteer", 3) if same else n
                continue
            if n.type in (ORGANIZATION, LOCATION, STATE):
                names[names.index(g)] = n
                if g.type != ORGANIZATION:
                    nested.append(actor_span(doc, g.start, g.end, g.type, g.canonical, "nested"))
    return names, nested


def _person_not_place(doc: Doc, natasha: _Name, found: _Name) -> bool:
    """A one-word place that is a person's name here: Natasha's person stands when the
    word alone can be a surname ("Ливанов" is also "of the Lebanons"), or when it is a
    word of a full name ("Хасан Рухани", "Джордж Вашингтон")."""
    one_place = found.type in (STATE, LOCATION) and found.end - found.start == 1
    if natasha.type != PERSON or not one_place or not _contains(natasha, found):
        return False
    if (natasha.start, natasha.end) == (found.start, found.end):
        return "Surn" in _grammemes(doc[found.start].text)
    words = [t for t in doc[natasha.start : natasha.end] if t.is_alpha]
    full = len(words) > 1 and words[0].is_title and words[-1].is_title  # "Фридриха фон Гольштейна"
    return full and any(_PERSON_GRAMMEMES & _grammemes(t.text) for t in words)


def _person_beside(doc: Doc, natasha: _Name, inside: list[_Name]) -> _Name | None:
    """The person left of a Natasha person once a gazetteer name of another type is taken from
    its start or end: the rest, if it holds a capitalized word."""
    if natasha.type != PERSON or len(inside) != 1 or inside[0].type == PERSON or not _contains(natasha, inside[0]):
        return None
    found = inside[0]
    start, end = (found.end, natasha.end) if found.start == natasha.start else (natasha.start, found.start)
    if found.start != natasha.start and found.end != natasha.end:
        return None
    words = [t for t in doc[start:end] if _wordlike(t)]
    return replace(natasha, start=start, end=end) if words and words[0].is_title else None


def _given_names_agree(before: Span, found: _Name) -> bool:
    """Whether a given name before a gazetteer person's surname may be theirs: not "Гербертом
    фон Бисмарком" for Otto. Initials are not compared, as transliterations differ ("В. Питт",
    Уильям Питт)."""
    first = next((t for t in before if _is_given_name(t)), None)
    given = gazetteer.load().initials.get(found.canonical)
    return first is None or not given or first.text[0] in given


def _contains(outer: _Name, inner: _Name) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _add_rules(doc: Doc, names: list[_Name], ruled: list[_Name]) -> tuple[list[_Name], list[Span]]:
    """Add rule-made names: they replace Natasha's where they overlap; a gazetteer
    name inside one becomes nested ("посольство США"), one of the same extent and type gives
    it its canonical name, any other overlap keeps the gazetteer's."""
    nested: list[Span] = []
    for r in sorted(ruled, key=lambda r: r.end - r.start, reverse=True):
        overlapping = [n for n in names if n.start < r.end and r.start < n.end]
        if any(n.priority >= r.priority and not _contains(r, n) for n in overlapping):
            continue
        same = next((n for n in overlapping if (n.start, n.end, n.type) == (r.start, r.end, r.type) and n.canonical), None)
        if same is not None and not r.canonical:  # "армия Наполеона": the gazetteer's Наполеон I
            r = replace(r, canonical=same.canonical)
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


def _honorifics(doc: Doc, names: list[_Name]) -> Iterator[_Name]:
    """An honorific title alone names its person ("honorifics.csv"): after a title noun
    ("граф Рымникский", "получил наименование Задунайского"), or where the person is named
    elsewhere in the document; never before a noun it qualifies ("Таврический дворец")."""
    g = gazetteer.load()
    persons = {n.canonical or person_canonical(doc[n.start : n.end]) for n in names if n.type == PERSON}
    for token in doc:
        actor = _honorific(token) if token.is_alpha and token.text[0].isupper() else None
        if actor is None or not any("masc" in p.tag or "plur" in p.tag for p in morph.readings(token.text)):
            continue  # a man's title, not a polity's adjective ("ханства Эриванское")
        after = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if after is not None and after.pos_ in ("NOUN", "PROPN"):
            continue
        titled = token.i > 0 and gazetteer.key(doc[token.i - 1].lemma_) in g.honorific_heads
        if titled or actor.name in persons:
            yield _Name(token.i, token.i + 1, PERSON, actor.name, "gazetteer", 2)


def _honorific(token: Token) -> gazetteer.Actor | None:
    """The person whose honorific title the word is, under any reading ("Задунайского")."""
    titles = gazetteer.load().honorifics
    readings = [token.lemma_, *(p.normal_form for p in morph.readings(token.text))]
    return next((titles[k] for k in map(gazetteer.key, readings) if k in titles), None)


def _surname_in_genitive(token: Token, names: list[_Name]) -> bool:
    if not (_wordlike(token) and token.text[0].isupper() and not token.is_upper):
        return False
    if token.morph.get("Case") not in (["Gen"], []) or token.pos_ not in ("PROPN", "NOUN"):
        return False
    for n in names:
        if n.start <= token.i < n.end:
            return n.type == PERSON or (n.source == "natasha" and not _PLACE_GRAMMEMES & _grammemes(token.text))
    grammemes = _grammemes(token.text)
    personal = bool(_PERSON_GRAMMEMES & grammemes) or not morph.is_known(token.text.lower())
    return personal and not _PLACE_GRAMMEMES & grammemes


def _institutions(doc: Doc, names: list[_Name], year: int | None) -> Iterator[_Name]:
    """Organizations named by an institution and its polity or place: "лондонская
    полиция", "советское торговое представительство", "посольства США", "парламент Грузии",
    "японское правительство", "администрация Екатеринбурга". One named by an adjective is listed
    under its polity's genitive ("британское правительство" → "Правительство Великобритании"),
    like one named by the genitive."""
    g = gazetteer.load()
    places = {i: n for n in names if n.type in (STATE, LOCATION) for i in range(n.start, n.end)}
    for head in doc:
        entry = g.reference_heads.get(gazetteer.key(head.lemma_))
        if not entry or not entry.org or head.pos_ != "NOUN" or not (head.is_lower or head.is_sent_start):
            continue
        start = _adjectives_before(head)
        end = _complements_after(head)
        locator = _locating_adjective(doc[start : head.i], entry, year)
        if locator is not None:
            adjective, actor = locator
            rest = span_nominative(doc[adjective.i + 1 : end])
            yield _Name(start, end, ORGANIZATION, f"{capitalize(rest)} {morph.genitive(actor)}", "institution", 2)
            continue
        owner = _owner(head, end, places)
        if owner is not None:
            yield _Name(start, owner.end, ORGANIZATION, "", "institution", 2)


def _locating_adjective(adjectives: Span, entry: gazetteer.Head, year: int | None) -> tuple[Token, str] | None:
    """The adjective that places an institution ("британское", "лондонская") and the
    polity or place it refers to (a party's adjective places nothing: "лейбористское")."""
    for token in adjectives:
        for kind, actor in gazetteer.adjective_referents(token.lemma_, year):
            if kind in entry.licenses and kind != "party":
                return token, actor.name
    return None


def _owner(head: Token, end: int, places: dict[int, _Name]) -> _Name | None:
    """The polity or place an institution belongs to, named right after it
    ("правительство Японии", "посольство в Лондоне"; not "делегация в Украину")."""
    for child in head.children:
        place = places.get(child.i)
        if place is None or child.i < head.i or not child.dep_.startswith("nmod"):
            continue
        between = head.doc[end : place.start]
        if len(between) > 1 or any(t.pos_ != "ADP" for t in between):
            continue
        if between and child.morph.get("Case") not in (["Loc"], ["Gen"]):
            continue
        return place
    return None


_QUOTES = {"«": "»", '"': '"', "„": "“", "“": "”"}
# an archival reference: archive (and country), fond, opis, and file, sheet or box numbers
_ARCHIVAL = re.compile(
    r"(?:[А-ЯЁ]{2,}(?:\s+[А-ЯЁ]{2,})*\.\s*)?Ф\.\s*[\dР][\w-]*\.\s*Оп\.\s*\d\w*\.(?:\s*[ПДЛ]\.\s*[\d–-]+\w*\.?)*"
)
_LATIN = re.compile(r"^[A-Za-z][A-Za-z0-9&.'-]*$")
_MODEL = re.compile(r"^[^\W\d_]+-\d+\w*$")  # a model's designation: ТМА-7, Ту-154, STS-124


def _bibliographic_persons(doc: Doc) -> Iterator[_Name]:
    """An author as a bibliography writes them, the surname in the nominative before two
    initials: "Киняпина Н. С. Внешняя политика …", "Kennan G. F. The Decline …", which the
    tagger often misses; the surname is the canonical name as written. Initials that open a
    name the tagger found are that name's ("в Вашингтоне Р. Р. Розен")."""
    named = {ent.start for ent in doc.ents}
    for token in doc[: len(doc) - 4]:
        if not (_wordlike(token) and token.is_title and len(token) > 2) or gazetteer.is_common_word(token.text):
            continue
        i, initials = token.i + 1, 0
        while i + 1 < len(doc) and _INITIAL.match(doc[i].text) and doc[i + 1].text == ".":
            i, initials = i + 2, initials + 1
        if initials >= 2 and token.i + 1 not in named:
            yield _Name(token.i, i - 1, PERSON, token.text, "bibliography", 2)  # the last dot ends the name


def _listed_polities(doc: Doc) -> Iterator[_Name]:
    """Polities named by capitalized adjectives that share one plural head, before or after
    them: "ханства Эриванское и Нахичеванское", "Московское и Тверское княжества". Each
    adjective is a state of its own, named as the adjective with the head would name it."""
    heads = gazetteer.load().polity_heads
    for head in doc:
        if gazetteer.key(head.lemma_) not in heads or not any("plur" in p.tag for p in morph.readings(head.text)):
            continue
        for adjectives in (_adjective_list(doc, head.i, 1), _adjective_list(doc, head.i, -1)):
            # the adjectives of one polity's title agree with a singular head ("княжества
            # Литовского и Русского"); those of several stand in the nominative or accusative
            if len(adjectives) > 1 and not any(_genitive_adjective(a) for a in adjectives):
                for adjective in adjectives:
                    canonical = f"{morph.agreeing(adjective.text, head.lemma_)} {head.lemma_}"
                    yield _Name(adjective.i, adjective.i + 1, STATE, canonical, "listed", 2)


def _genitive_adjective(token: Token) -> bool:
    return any(p.tag.POS == "ADJF" and "gent" in p.tag for p in morph.readings(token.text))


def _adjective_list(doc: Doc, head: int, step: int) -> list[Token]:
    """The capitalized adjectives listed right after (``step`` 1) or before (-1) a head,
    joined by commas and "и"."""
    found, i = [], head + step
    while 0 <= i < len(doc):
        token = doc[i]
        if token.is_title and any(p.tag.POS == "ADJF" for p in morph.readings(token.text)):
            found.append(token)
        elif token.text not in (",", "и") or not found:
            break
        i += step
    return found


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
                if not any(_MODEL.match(t.text) for t in doc[token.i + 2 : end]):  # «Союз ТМА-7» is a craft
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


def _outside_archival_references(doc: Doc, names: list[_Name]) -> list[_Name]:
    """Names outside archival references: the archive and its country in "АВП РФ. Ф. 0129.
    Оп. 46. П. 224. Д. 2. Л. 17–19." cite a file, they are no actors of the story."""
    cited = [(m.start(), m.end()) for m in _ARCHIVAL.finditer(doc.text)]
    if not cited:
        return names
    return [n for n in names if not any(s <= doc[n.start].idx < e for s, e in cited)]


def _actors_only(doc: Doc, names: list[_Name]) -> list[_Name]:
    """Names less those of ships and craft, of treaties, and less place names borrowed by other things."""
    return [n for n in _drop_crafts(doc, names) if not _borrowed_place_name(doc, n) and not _names_treaty(doc, n)]


def _names_treaty(doc: Doc, name: _Name) -> bool:
    """A name the treaty base lists for a treaty ("ОСВ-2", "СНВ-1") is the treaty's, no
    actor's; the gazetteer's own names stay."""
    from . import treaties  # it imports this module

    return name.source != "gazetteer" and treaties.is_base_name(doc[name.start : name.end].text)


def _drop_crafts(doc: Doc, names: list[_Name]) -> list[_Name]:
    """Names less those of ships and craft, and less the same quoted names elsewhere in the
    document ("шаттл «Дискавери»" … "после «Дискавери»"), unless the gazetteer knows them."""
    crafts = set(getattr(doc._.context, "crafts", None) or ()) | _quoted_crafts(doc)
    kept = []
    for n in names:
        quoted = n.start > 0 and doc[n.start - 1].text in _QUOTES
        again = quoted and n.source != "gazetteer" and _lemmas(doc[n.start : n.end]) in crafts
        if not again and not _names_craft(doc, n):
            kept.append(n)
    if doc._.context is not None and hasattr(doc._.context, "crafts"):
        doc._.context.crafts = crafts
    return kept


def _quoted_crafts(doc: Doc) -> set[str]:
    """Lemmas of the quoted names after a ship's or a craft's noun ("шаттле «Дискавери»")."""
    crafts = set()
    for token in doc:
        close = _QUOTES.get(token.text)
        if close is None or not _after_craft(doc, token.i):
            continue
        end = next((j for j in range(token.i + 1, min(token.i + 8, len(doc))) if doc[j].text == close), None)
        if end is not None and end > token.i + 1:
            crafts.add(_lemmas(doc[token.i + 1 : end]))
    return crafts


def _lemmas(span: Span) -> str:
    return " ".join(t.lemma_ for t in span)


def _borrowed_place_name(doc: Doc, name: _Name) -> bool:
    """A known place's name that is not the place: alone in quotes, it names what is
    named after it ("гостиница «Москва»", "гибель «Колумбии»"); after a dot, a domain (".РФ")."""
    if name.type not in (STATE, LOCATION) or name.start == 0:
        return False
    before = doc[name.start - 1]
    if before.text == "." and not before.whitespace_:
        return name.start == 1 or bool(doc[name.start - 2].whitespace_)
    close = _QUOTES.get(before.text)
    quoted = close is not None and name.end < len(doc) and doc[name.end].text == close
    return quoted and bool(name.canonical)  # a known place; an unknown one is what it names ("аэропорт «Внуково»")


def _names_craft(doc: Doc, name: _Name) -> bool:
    """A name after a ship's or a craft's noun names no actor: "крейсера «Аврора»",
    "корабля «Союз ТМА-12»", "шаттлы «Индевор» и «Атлантис»", "телескопа Хаббл"
    (unquoted, one word and no person: "командир корабля Юрий Маленченко" is one)."""
    quoted = name.start > 0 and doc[name.start - 1].text in _QUOTES
    if not quoted and (name.end - name.start > 1 or name.type == PERSON):
        return False
    return _after_craft(doc, name.start - 1 if quoted else name.start)


def _after_craft(doc: Doc, start: int) -> bool:
    """Whether a craft noun, or a list of quoted craft names after one, comes right before ``start``;
    or a work's noun before a quoted title ("фильм «Цирк»", "операция «Багратион»"; not "картина Репина")."""
    i = start - 1
    if i < 0:
        return False
    g = gazetteer.load()
    if doc[i].pos_ in ("NOUN", "PROPN") and gazetteer.key(doc[i].lemma_) in g.craft_heads:
        return True
    if doc[i].pos_ == "NOUN" and doc[i].is_lower and gazetteer.key(doc[i].lemma_) in g.work_heads:
        return doc[start].text in _QUOTES and start + 1 < len(doc) and _title_word(doc[start + 1])
    if doc[i].text in ("и", ",") and i > 0 and doc[i - 1].text in _QUOTES.values():
        opening = next((j for j in range(i - 2, max(i - 10, -1), -1) if doc[j].text in _QUOTES), None)
        return opening is not None and _after_craft(doc, opening)
    return False


def _title_word(token: Token) -> bool:
    """The first word of a work's title, which stays in the nominative whatever the case of the
    noun before it ("в фильме «Цирк»"); a genitive names the author ("композиции «Телевизора»")."""
    return not any("а" <= c <= "я" or c == "ё" for c in token.lower_) or "nomn" in _grammemes(token.text)


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
            n = replace(n, type=best)
        out.append(n)
    return out


def _extend_regnal(doc: Doc, names: list[_Name]) -> Iterator[_Name]:
    """A person followed by a Roman numeral is a monarch: "Петра I", "Карла XII"."""
    taken = {i for n in names for i in range(n.start, n.end)}
    for n in names:
        if n.type == PERSON and n.end < len(doc) and _ROMAN.match(doc[n.end].text) and n.end not in taken:
            n = replace(n, end=n.end + 1)
        yield n


def _regnal_given_names(doc: Doc, names: list[_Name]) -> list[_Name]:
    """A monarch's given name alone ("Пётр", "Карл", "королевич Владислав") is the monarch
    of that name with a regnal number in the document ("Пётр I", "Карл XII"), or the prince
    named with that name and a patronymic ("Ярослав" after "Ярослав Владимирович"): the one
    named last before it (in this block or an earlier one), else the first after it."""
    memory = dict(getattr(doc._.context, "monarchs", None) or {})
    monarchs = [
        (n.start, gazetteer.key(doc[n.start].lemma_), n.canonical or person_canonical(doc[n.start : n.end]))
        for n in names if n.type == PERSON and _given_name_person(doc[n.start : n.end])
    ]
    out = []
    for n in names:
        given = _bare_given_name(doc[n.start : n.end]) if n.type == PERSON else None
        before = [c for start, k, c in monarchs if k == given and start < n.start]
        after = [c for start, k, c in monarchs if k == given and start > n.start]
        found = before[-1] if before else memory.get(given or "") or next(iter(after), None)
        out.append(replace(n, canonical=found) if given and found else n)
    memory.update((k, c) for _, k, c in monarchs)
    if doc._.context is not None and hasattr(doc._.context, "monarchs"):
        doc._.context.monarchs = memory
    return out


def _given_name_person(span: Span) -> bool:
    """A person named by a given name and a regnal number ("Пётр I") or a patronymic alone,
    as princes and tsars are ("Ярослав Владимирович", "Святослав Игоревич"), whom the given
    name alone names later in the text."""
    words = [t for t in span if not t.is_punct]
    if len(words) < 2:
        return False
    if _ROMAN.match(words[-1].text):
        return True
    return len(words) == 2 and _is_given_name(words[0]) and _is_patronymic(words[1]) and words[1].is_title


def _patronymic_names(doc: Doc, names: list[_Name]) -> list[_Name]:
    """A given name and patronymic alone ("Михаил Сергеевич", "Андрей Андреевич") is the person
    of the document whose full name in ``persons.csv`` opens with them, as Russian prose names
    a man it has named (Горбачёв, Громыко); with none or several it stays as it is."""
    index = gazetteer.load().patronymic_names
    present = {n.canonical for n in names if n.type == PERSON and n.canonical}
    out = []
    for n in names:
        span = doc[n.start : n.end]
        if n.type == PERSON and len(span) == 2 and _given_name_person(span):
            found = {a.name for a in index.get(gazetteer.key(person_nominative(span)), ()) if a.name in present}
            if len(found) == 1:
                n = replace(n, canonical=found.pop())
        out.append(n)
    return out


def _bare_given_name(span: Span) -> str | None:
    """The key of a name that is a given name alone, maybe after a common noun opening
    the sentence ("Королевич Владислав"); None for any other name."""
    words = [t for t in span if t.is_alpha]
    if not words or not _is_given_name(words[-1]):
        return None
    if any(not (t.is_lower or gazetteer.is_common_word(t.text)) for t in words[:-1]):
        return None
    return gazetteer.key(words[-1].lemma_)


def _join_parents(doc: Doc, names: list[_Name], nested: list[Span]) -> list[_Name]:
    """An organization named with its parent organization right after it is one
    organization: "Свердловского обкома КПСС", "Института этнологии и антропологии
    РАН", "РИА «Новости»" (like a gazetteer organization inside a longer one, the
    parent is then no mention of its own). So is a state's body named with its state in
    the genitive ("Верховный Совет РСФСР", "Верховного Совета Белоруссии"), the state
    then a nested reference (``nested``), as in "Конгресс США"."""
    out: list[_Name] = []
    for n in sorted(names, key=lambda n: n.start):
        last = out[-1] if out else None
        if last is not None and last.type == ORGANIZATION and n.type == STATE and _state_of(doc, last, n):
            nested.append(actor_span(doc, n.start, n.end, STATE, n.canonical, "nested"))
            out[-1] = _Name(last.start, n.end, ORGANIZATION, "", last.source, max(last.priority, n.priority))
        elif last is not None and last.type == n.type == ORGANIZATION and _parent_of(doc, last, n):
            end = n.end + (n.end < len(doc) and doc[n.end].text in _QUOTES.values() and doc[last.end].text in _QUOTES)
            out[-1] = _Name(last.start, end, ORGANIZATION, "", last.source, max(last.priority, n.priority))
        else:
            out.append(n)
    return out


def _state_of(doc: Doc, body: _Name, state: _Name) -> bool:
    """Whether a state in the genitive (or an abbreviation) directly follows a body whose
    name of several words is all capitalized, and holds no state of its own ("Верховный
    Совет" before "РСФСР"; not "Министерства сельского хозяйства Германии", whose state
    factRuEval-2016 marks as a place of its own)."""
    words = [t for t in doc[body.start : body.end] if t.is_alpha]
    if state.start != body.end or len(words) < 2 or not all(t.is_title for t in words) or body.canonical:
        return False
    first = doc[state.start]
    return first.is_upper or first.morph.get("Case") == ["Gen"]


def _parent_of(doc: Doc, name: _Name, after: _Name) -> bool:
    """Whether ``after`` directly follows ``name`` as its parent: an abbreviation, a
    genitive, or a quoted name after an abbreviation ("РИА «Новости»")."""
    between = doc[name.end : after.start]
    first = doc[after.start]
    if len(between) == 0:
        return first.is_upper or first.morph.get("Case") == ["Gen"]
    return len(between) == 1 and between[0].text in _QUOTES and doc[name.end - 1].is_upper


def _repeated_names(doc: Doc, names: list[_Name]) -> Iterator[_Name]:
    """A person's surname or a one-word place seen earlier in the document, repeated
    where Natasha missed it: "Топалов" after "Веселин Топалов", "Шумов" opening a
    sentence after "Василий Шумов" (the very form, though "шумов" is also a common word)."""
    known = dict(getattr(doc._.context, "names", None) or {})
    taken = {i for n in names for i in range(n.start, n.end)}
    for key, actor_type, canonical in _name_keys(doc, names):
        known.setdefault(key, (actor_type, canonical))
    surnames = set(getattr(doc._.context, "surnames", None) or ()) | set(_surnames(doc, names))
    before = {  # the words before a full name's surname, longest first: "Ван" of "Ван Цзюнь"
        tuple(t.text for t in doc[n.start : n.end - 1])
        for n in sorted(names, key=lambda n: n.start - n.end)
        if n.type == PERSON and n.end - n.start > 1
    }
    for token in doc:
        if token.i in taken or token.lemma_ not in known or _family(doc[token.i : token.i + 1]):
            continue
        actor_type, canonical = known[token.lemma_]
        if _name_word(token, actor_type) or (actor_type == PERSON and token.text in surnames and token.is_title):
            start = token.i
            if actor_type == PERSON:
                start -= next((len(b) for b in before if _words_before(doc, token.i, b, taken)), 0)
            yield _Name(start, token.i + 1, actor_type, canonical, "document", 1)


def _words_before(doc: Doc, i: int, words: tuple[str, ...], taken: set[int]) -> bool:
    """Whether ``words`` stand right before token ``i``, in no other name."""
    start = i - len(words)
    return start >= 0 and all(j not in taken for j in range(start, i)) and tuple(t.text for t in doc[start:i]) == words


def _glosses(doc: Doc, names: list[Span]) -> list[Span]:
    """Names with the abbreviations and original spellings given in brackets right after
    them made the same actor: "Комитет защиты журналистов (КЗЖ) (Committee to Protect
    Journalists)", "«Фольксваген» (Volkswagen)", "Густав Штреземанн (Gustav Stresemann)"."""
    by_start = {n.start: n for n in names}
    taken = {i for n in names for i in range(n.start, n.end)}
    out = []
    for name in names:
        if name.start in by_start and by_start[name.start] is not name:
            name = by_start[name.start]  # already made a gloss of an earlier name
        out.append(name)
        i = name.end + (name.end < len(doc) and doc[name.end].text in (*_QUOTES.values(), ")"))
        if i >= len(doc) or doc[i].text != "(":
            continue
        close = next((j for j in range(i + 1, min(i + 10, len(doc))) if doc[j].text == ")"), None)
        first = i + 1 + _language_label(doc, i + 1)  # "(нем. Otto von Bismarck)"
        if close is None or close <= first or not _gloss_like(doc[first:close], name.label_):
            continue
        inside = [j for j in range(first, close) if j in taken]
        found = by_start.get(first) if inside else None
        if inside and (found is None or found.end != close or found.label_ != name.label_):
            continue  # another name in brackets ("Уильям Макартур (США)")
        by_start[first] = actor_span(doc, first, close, name.label_, name.kb_id_, "gloss")
        by_start[first]._.norm = doc[first:close].text
        if not inside:
            names.append(by_start[first])  # a gloss may have its own gloss
    return out


def _language_label(doc: Doc, i: int) -> int:
    """How many tokens at ``i`` label the language of a spelling that follows ("нем.",
    "фр.", "англ."): an encyclopedia's gloss names the language first."""
    labelled = i + 1 < len(doc) and doc[i + 1].text == "." and doc[i].lower_ in gazetteer.load().language_labels
    return 2 if labelled else 0


def _gloss_like(span: Span, actor_type: str) -> bool:
    """Capitalized Latin words ("Joshua Wolf", "Committee to Protect Journalists"), or an
    abbreviation no gazetteer knows after an organization or a place ("КЗЖ", "WFC")."""
    words = [t for t in span if not t.is_punct]
    if not words:
        return False
    if len(words) == 1 and words[0].is_upper and len(words[0]) > 1:
        return actor_type != PERSON and gazetteer.lookup(words[0].text) is None
    latin = all(_LATIN.match(t.text) for t in words)
    return latin and words[0].text[0].isupper() and all(t.text[0].isupper() or t.is_lower and len(t) <= 3 for t in words)


def _name_keys(doc: Doc, names: Iterable[_Name]) -> Iterator[tuple[str, str, str]]:
    """(lemma, type, canonical) of the words that name an actor alone: a person's
    surname, a one-word state or place, a one-word organization's name no dictionary
    knows ("Кин-Топ", "WFC"; a known word is too often a common word or a product);
    a full name's surname even if it is a common word too ("Василий Шумов")."""
    for n in names:
        last = doc[n.end - 1]
        full = n.type == PERSON and n.end - n.start > 1 and last.is_title and _wordlike(last)
        if full or (n.type == PERSON or n.end - n.start == 1) and _name_word(last, n.type):
            yield last.lemma_, n.type, n.canonical


def _name_word(token: Token, actor_type: str) -> bool:
    if actor_type == ORGANIZATION:
        shaped = len(token) > 1 and _wordlike(token) and (token.is_title or token.is_upper)
        return shaped and not morph.is_known(token.lower_)
    return _surname_like(token)


def _surname_like(token: Token) -> bool:
    """A capitalized proper noun that is not an initial or a common word."""
    if not (_wordlike(token) and token.is_title and len(token) > 1 and token.pos_ == "PROPN"):
        return False
    return not gazetteer.is_common_word(token.text)


def _named_after(doc: Doc) -> Iterator[Span]:
    """The person an organization, a place or a prize is named after: "Институт имени М.
    Тореза", "театр имени Станиславского и Немировича-Данченко", and where the tagger found no
    name around it, "конкурса имени Петра Чайковского", "завода им. Кирова"."""
    in_ent = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
    for mark in doc:
        if mark.lower_ not in ("имени", "им"):
            continue
        dotted = mark.i + 1 < len(doc) and doc[mark.i + 1].text == "."
        if mark.lower_ == "им" and not dotted:
            continue
        ent = in_ent.get(mark.i)
        start = mark.i + 1 + dotted
        if ent is not None and ent._.actor_type not in (ORGANIZATION, LOCATION) or ent is None and start in in_ent:
            continue
        yield from _persons_in(doc, start, ent.end if ent is not None else _name_run(doc, start, in_ent))


def _name_run(doc: Doc, start: int, taken: dict[int, Span]) -> int:
    """End of the names in the genitive from ``start``, initials and their dots, names joined
    by "и" or a comma included ("имени Кирилла и Мефодия"), up to a name found otherwise
    ("имени Петра Чайковского | Даниил Трифонов")."""
    end = start
    while end < len(doc) and end not in taken:
        token = doc[end]
        named = token.is_title and _wordlike(token) and (token.pos_ == "PROPN" or _initial(token))
        name = named and (_initial(token) or token.morph.get("Case") == ["Gen"])
        joined = token.lower_ in ("и", ",") and end + 1 < len(doc) and doc[end + 1].is_title and end > start
        if not (name or token.text == "." and end > start and _initial(doc[end - 1]) or joined):
            break
        end += 1
    return end


def _persons_in(doc: Doc, start: int, end: int) -> Iterator[Span]:
    """The persons named in doc[start:end], split at "и" and punctuation but initials' dots."""
    i = start
    while i <= end:
        if i == end or doc[i].lower_ in ("и", ",") or doc[i].is_punct and doc[i].text != ".":
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


def _adjective_refs(doc: Doc, year: int | None, nested: list[Span], years: list[int | None]) -> Iterator[Span]:
    """Actors referred to by an adjective or a compound: "советско-германские отношения"
    (СССР, Германия), "британского общественного мнения", "лондонская полиция",
    "сталинские репрессии"; ethnic and party adjectives only before a political noun
    ("английские коммунисты", "лейбористского правительства", not "русские эмигранты"); none
    inside a name or a name nested in one ("Приднестровской Молдавской республики")."""
    names = [*(ent for ent in doc.ents if ent._.source != "institution"), *nested]
    in_name = {i for name in names for i in range(name.start, name.end)}
    g = gazetteer.load()
    persons = _person_adjectives(doc)
    for token in doc:
        if token.i in in_name or not token.is_alpha and "-" not in token.text:
            continue
        person = persons.get(gazetteer.key(token.lemma_)) if token.pos_ == "ADJ" else None
        if person is not None:
            yield actor_span(doc, token.i, token.i + 1, PERSON, person, "adjective")
            continue
        whole = gazetteer.adjective_referents(token.lemma_, year, years[token.i]) if token.pos_ == "ADJ" else []
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


def _person_adjectives(doc: Doc) -> dict[str, str]:
    """The adjectives of the document's persons, made from a surname in -ин, -ов, -ев
    ("Шукшин" → "шукшинский": "Шукшинские дни"; "Зворыкин" → "зворыкинский"), as
    ``persons.csv`` lists them for the famous ("сталинский")."""
    found = {}
    for ent in doc.ents:
        surname = ent._.canonical.split(" ")[-1] if ent._.actor_type == PERSON else ""
        if _SURNAME_ENDING.search(surname):
            found[gazetteer.key(surname + "ский")] = ent._.canonical
    return found


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
    if hasattr(context, "surnames"):
        context.surnames.update(_surnames(doc, names))


def _surnames(doc: Doc, names: Iterable[_Name]) -> Iterator[str]:
    """The surnames, as written, of persons named in full ("Шумов" of "Василий Шумов")."""
    return (doc[n.end - 1].text for n in names if n.type == PERSON and n.end - n.start > 1)
