"""Dates: every date expression of historical prose, normalized to an inclusive ISO interval.

The ``letopis_dates`` component puts every date expression of a ``Doc`` into
``doc.spans["dates"]``; each span's ``span._.date`` is a :class:`DateValue`
(SPEC "dates": ``value_start``/``value_end``, ``granularity``, ``qualifier``,
plus the Old Style interval of an Old/New Style pair and whether the value
was completed from context). Other components (events, treaties) read it.

Grammar
-------
Regular expressions compiled once from the lexicons in ``models/dates/``
(months in every case with pre-1918 and abbreviated forms, seasons, year and
century words, eras, prepositions, parts of a period, referential phrases,
ordinal words, Roman digits), run over the text of the ``Doc`` and aligned to
its tokens with ``doc.char_span(..., alignment_mode="expand")``. Before
matching, the text is folded one character for one (``orthography.csv``: ѣ→е,
і→и inside words, ё→е, every dash to "-", no-break spaces to spaces), so raw
and normalized text, pre-1918 and modern spelling read alike and offsets stay
those of the ``Doc``. Every lexicon list is compiled into a prefix tree, and
each word may end in the pre-1918 hard sign (``годъ``, ``въ``).

A date expression is one of::

    point   = [PREP] END                       "в августе 1923 г.", "до 1932 г."
    range   = [OPEN|PREP] END CONNECT END      "с 12 по 21 августа 1939 г.", "1927—28 гг."
    pair    = DAY ( DAY ) MONTH [YEAR | REFERENCE] "2 (15) декабря 1917 г.", "14 (26) декабря того же года"
            | DAY MONTH [YEAR] ( DAY MONTH [YEAR] ) [YEAR]
            | DAY-DAY MONTH ( DAY-DAY MONTH ) [YEAR]   "26—27 января (7—8 февраля) 1807 г." (a range)
    numeric = DAY . MONTH . YEAR | YEAR-MM-DD  "12.10.1925", "12.X.1925"
    list    = YEAR , YEAR ... и YEAR YEARS     "в 1924, 1925 и 1926 гг."
    table   = YEAR , [DAY] (MONTH | SEASON)    "1558, 11 мая", "1566, лето" (also a range or pair end)
    offset  = (через|спустя) [N] UNIT | [N] UNIT спустя   "Через год": no date, moves the anchor

    END     = [PART] [DAY] [MONTH | SEASON] [YEAR[/YEAR] [-м] [г.] [до н. э.] | SPOKEN | REFERENCE]
            | [PART] DECADE [годы] [CENTURY]   "в середине 1920-х годов", "20-е годы XIX в."
            | [PART] CENTURY                   "в первой четверти XVIII в."

PREP (``prepositions.csv``) gives the qualifier before/after/approx ("до",
"начиная с", "около"), PART (``parts.csv``) early/mid/late ("в начале", "во
второй половине"); a directional preposition wins over a part ("до конца мая"
is before). A vague part never narrows the interval: "в конце 1924 г." is
1924-01-01..1924-12-31, qualifier late; an explicit fraction does, keeping the
granularity: "во второй половине XVI в." is 1551..1600, "в первом квартале
1926 г." January–March. A range end may carry the other calendar's day in
brackets ("с 15 (27) сентября по 2 (14) октября 1808 г."): the range is then
the New Style one. Two ends joined by "и"/"или" without "между" are a list,
one date each, except two seasons of one year in a row ("весной и летом
1939 г."), one stretch. A reference marked ``adverb`` ("накануне") is a date
only where the tagger shows no noun it governs. An end may borrow what it omits from the
other end ("26—27 января 1807 г.", "1927—28 гг.", "XVII—XVIII вв."), and
what neither gives from the document's :class:`DateAnchor`
(``doc._.context.last_date``): the nearest preceding date supplies the year of
"24 апреля" (unless it spans several years and the text named that day before:
"1915—1916 гг. … до 4 августа" takes the year of the earlier "4 августа"), the year of "в том же году", the century of "20-е гг." and of a
SPOKEN year after a month ("в ноябре восемьдесят пятого"); an offset moves it
("летом 1985 г. … Через год, 11—12 октября" is 1986). "Вчера", "сего числа"
count from the day of writing instead, the last dateline (a full day date that
heads a short line of its own, a diary entry's heading, or closes a short heading
line, a telegram's "Женева, 21.VII.1954"), and are no dates without one. A month
alone heading a line and closed by a stop heads a journal's entry ("Май. Армия
выступила"); a bare month elsewhere needs a preposition or part.

Matching is two-phase: every rule proposes candidates checked on their own
(a bare "1924" needs a preposition, parentheses, a range partner or a noun
before it, and must not count a following noun: "в 1500 километрах", which
the tagger's POS and case on the ``Doc`` tell; "20-е" needs "годы"), the
longest non-overlapping candidates win, then they are resolved left to right
against the anchor, which each resolved date updates.

Conventions: centuries are strict (XVIII в. = 1701-01-01..1800-12-31); years
before Christ are astronomical (1 BC = 0000, so "V в. до н. э." is
-0499-01-01..-0400-12-31); a winter of year Y is Dec (Y-1)..Feb Y, of "1941/42"
Dec 1941..Feb 1942; an Old/New Style pair takes the New Style value and keeps
the Old Style one, a lone Old Style date is taken as written.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import morph
from .nlp import DocContext

if TYPE_CHECKING:
    import pymorphy3

LEXICONS = Path(__file__).resolve().parents[1] / "models" / "dates"
SPAN_KEY = "dates"
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
DEFAULT_CENTURY = 20  # a two-digit decade ("20-е гг.") with nothing to anchor it is of the 1900s
MAX_BARE_RANGE = 100  # "1870—1924" without "гг." is a range of years only when this short
MAX_ANCHOR_YEARS = 10  # a longer interval (a decade, a century) does not give "24 апреля" its year
MAX_SPACE_RUN = 12  # spaces, line breaks and indentation a raw text may put inside one date
OLD_STYLE_SLACK = 14  # days a New Style date may follow its Old Style pair when no calendar matches
MAX_DATELINE_REST = 40  # a dateline's line goes on only by a place: "6 февраля 1828 г. Туркманчай."
MAX_DATELINE_HEAD = 60  # or opens with a heading the date closes: "ТЕЛЕГРАММА. Женева, 21.VII.1954"

Span.set_extension("date", default=None, force=True)


# ---------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class DateValue:
    """What a date expression means: an inclusive ISO interval and how it was said."""

    value_start: str
    value_end: str
    granularity: str  # day, month, season, year, decade, century, range
    qualifier: str = ""  # early, mid, late, approx, before, after or ""
    old_style_start: str = ""  # the Old Style (Julian) interval of an Old/New Style pair
    old_style_end: str = ""
    anchored: bool = False  # year, month or day taken from the preceding dates of the document


@dataclass(frozen=True, slots=True)
class DateAnchor:
    """What the dates read so far establish for the ones that omit something.

    ``year``/``month``/``day`` come from the last date no longer than a few
    years ("24 апреля" takes its year); ``epoch`` is the middle year of the
    last date of any length (it picks the century of "20-е гг."); ``last_day``
    is the last single day named, which "в тот же день" still means when a
    year was named after it ("8 (20) ноября 1815 г. … к границам 1790 г. …
    В тот же день"); ``written`` is the day of writing, the last dateline (a
    day written out in full heading a short line of its own, as a diary entry's
    "6 февраля 1828 г. Туркманчай.", or closing a short heading, as a telegram's
    "Женева, 21.VII.1954"), which "вчера", "сего числа", "сегодня" count from.
    ``span`` says the year came from a stretch of several years ("1915—1916 гг."),
    which does not tell a day's year; ``days`` are the single days named so far.
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    epoch: int | None = None
    last_day: Day | None = None
    written: Day | None = None
    span: bool = False
    days: tuple[Day, ...] = ()


Day = tuple[int, int, int]  # (year, month, day); years are astronomical (1 BC = 0)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_days(year: int, month: int) -> int:
    return 29 if month == 2 and _leap(year) else (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def _iso(day: Day) -> str:
    year, month, d = day
    sign = "-" if year < 0 else ""
    return f"{sign}{abs(year):04d}-{month:02d}-{d:02d}"


def _shift(day: Day, days: int) -> Day | None:
    try:
        moved = dt.date(*day) + dt.timedelta(days=days)
    except (ValueError, OverflowError):
        return None
    return moved.year, moved.month, moved.day


def _julian_to_gregorian(day: Day) -> Day | None:
    """The Gregorian date of a Julian (Old Style) one, through the Julian day number."""
    year, month, d = day
    a = (14 - month) // 12
    y, m = year + 4800 - a, month + 12 * a - 3
    jdn = d + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    try:
        moved = dt.date.fromordinal(jdn - 1721425)
    except (ValueError, OverflowError):
        return None
    return moved.year, moved.month, moved.day


def _days_between(a: Day, b: Day) -> int | None:
    try:
        return (dt.date(*b) - dt.date(*a)).days
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True, slots=True)
class Interval:
    """A resolved date: first and last day, how fine it is, whether context completed it."""

    start: Day
    end: Day
    granularity: str
    anchored: bool = False


# ---------------------------------------------------------------- lexicons


def _read(name: str) -> list[dict[str, str]]:
    with (LEXICONS / name).open(encoding="utf-8", newline="") as handle:
        return [{k: _char(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def _char(value: str) -> str:
    """``U+00A0`` in a lexicon stands for that character (invisible ones are written so)."""
    return chr(int(value[2:], 16)) if re.fullmatch(r"U\+[0-9A-Fa-f]{4,6}", value) else value


def key(text: str) -> str:
    """Lookup key of a matched phrase: lowercase, one space, none after a dot."""
    text = re.sub(r"\s+", " ", text.lower().replace("ё", "е").replace("ъ ", " ").rstrip("ъ"))
    return re.sub(r"\.\s*", ".", text).strip()


def _inflect_phrase(lemma: str, cases: Iterable[str]) -> set[str]:
    """Every case form of a lemma phrase ("первая половина" → "первой половине", ...)."""
    words = lemma.split()
    parses = [_nominative_parse(w) for w in words]
    forms = {lemma}
    for case in cases:
        inflected = [p.inflect({case}) if p else None for p in parses]
        if all(inflected):
            forms.add(" ".join(f.word for f in inflected))
    return forms


def _nominative_parse(word: str) -> "pymorphy3.analyzer.Parse | None":
    candidates = [p for p in morph.parses(word) if "nomn" in p.tag and p.tag.POS in ("NOUN", "ADJF")]
    return candidates[0] if candidates else None


def _ordinal_forms(lemma: str, *grammemes: str) -> set[str]:
    """All forms of an ordinal numeral with ``grammemes`` ("двадцатый", plur → "двадцатых", ...)."""
    *head, last = lemma.split()
    parse = next((p for p in morph.parses(last) if key(p.normal_form) == key(last) and "nomn" in p.tag), None)
    if parse is None:
        return {lemma}
    return {" ".join([*head, f.word]) for f in parse.lexeme
            if all(g in f.tag for g in grammemes) and "Supr" not in f.tag}  # not "первейшего"


def _year_words(ordinals: list[dict[str, str]]) -> dict[str, int]:
    """A year said by its last two digits, in the genitive it takes after a month or a
    season: "девяностого" 90, "восемьдесят пятого" 85 (a tens cardinal before a unit ordinal)."""
    lemmas = {r["lemma"]: int(r["value"]) for r in ordinals if r["use"] != "compound" and 0 < int(r["value"]) < 100}
    forms = {lemma: _ordinal_forms(lemma, "sing", "masc", "gent") for lemma in lemmas if " " not in lemma}
    words = {key(f): lemmas[lemma] for lemma in forms for f in forms[lemma]}
    for tens in (r for r in ordinals if r["use"] == "compound"):
        for lemma, value in lemmas.items():
            if value < 10 and lemma in forms:
                words.update((key(f"{tens['lemma']} {f}"), int(tens["value"]) + value) for f in forms[lemma])
    return words


@dataclass(frozen=True)
class Lexicon:
    """The data of ``models/dates/``, keyed by :func:`key`."""

    months: dict[str, int]
    seasons: dict[str, tuple[str, bool]]  # form -> (season, may stand without a year)
    season_months: dict[str, tuple[int, int, bool]]  # season -> (first, last, starts the year before)
    units: dict[str, tuple[str, str]]  # form -> (year|century, singular|plural|any)
    eras: dict[str, str]
    prepositions: dict[str, str]  # phrase -> qualifier
    parts: dict[str, str]  # inflected phrase -> qualifier
    fractions: dict[str, tuple[int, int]]  # inflected phrase -> (which, of how many): "второй половине" (2, 2)
    openers: frozenset[str]
    connectors: frozenset[str]
    references: dict[str, tuple[str, int, bool]]  # phrase -> (unit, offset, standalone)
    adverbs: frozenset[str]  # references that are dates only as adverbs: "накануне", not "накануне войны"
    deictic: frozenset[str]  # references counted from the time of writing: "вчера", "сего числа"
    decade_words: dict[str, int]
    century_words: dict[str, int]
    year_words: dict[str, int]  # "восемьдесят пятого" -> 85: a year said by its last two digits
    roman: dict[str, int]
    blockers_before: frozenset[str]
    blockers_after: frozenset[str]
    fold_any: dict[int, str]
    fold_word: dict[str, str]
    chronicle_years: dict[str, int]  # "лето" -> 5508: the era's year minus it is the modern year
    chronicle_months: frozenset[str]  # "месяца" before the month of a chronicle year
    styles: dict[str, str]  # "ст. ст." -> old: a lone date in the other calendar
    imprints: frozenset[str]  # "м.", "спб.": a city of publication before the year of a book
    offsets: dict[str, dict[str, str]]  # role (before, after, number, unit, from) -> form -> value


def _numeric_ordinals(forms: Iterable[str], ordinals: dict[str, int]) -> set[str]:
    """"первой половине" → "1-й половине", "1-ой половине": an ordinal word written
    as a figure with its last one or two letters."""
    out = set()
    for form in forms:
        first, _, rest = form.partition(" ")
        if first in ordinals and rest:
            out |= {f"{ordinals[first]}-{first[-n:]} {rest}" for n in (1, 2)}
    return out


def _offsets(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """``offsets.csv`` by role: "через" before, "год" -> year unit, "три" -> 3 number, ..."""
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        out.setdefault(r["role"], {})[key(r["form"])] = r["value"]
    return out


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    ranges = _read("ranges.csv")
    ordinals = _read("ordinals.csv")
    orthography = _read("orthography.csv")
    century_words = {
        key(form): int(r["value"])
        for r in ordinals if r["use"] == "century"
        for form in _ordinal_forms(r["lemma"], "sing")
    }
    part_forms = {r["qualifier"]: set() for r in _read("parts.csv")}
    fractions: dict[str, tuple[int, int]] = {}
    for r in _read("parts.csv"):
        forms = {key(f) for f in _inflect_phrase(r["lemma"], CASES)}
        forms |= _numeric_ordinals(forms, century_words)
        part_forms[r["qualifier"]] |= forms
        if r["fraction"]:
            which, count = map(int, r["fraction"].split("/"))
            fractions.update((form, (which, count)) for form in forms)
    references = _read("references.csv")
    chronicle = _read("chronicle.csv")
    return Lexicon(
        months={key(r["form"]): int(r["month"]) for r in _read("months.csv")},
        seasons={key(r["form"]): (r["season"], r["standalone"] == "yes") for r in _read("seasons.csv")},
        season_months={
            r["season"]: (int(r["first_month"]), int(r["last_month"]), r["starts_previous_year"] == "yes")
            for r in _read("season_months.csv")
        },
        units={key(r["form"]): (r["unit"], r["number"]) for r in _read("units.csv")},
        eras={key(r["form"]): r["era"] for r in _read("eras.csv")},
        prepositions={key(r["phrase"]): r["qualifier"] for r in _read("prepositions.csv")},
        parts={key(form): qualifier for qualifier, forms in part_forms.items() for form in forms},
        fractions=fractions,
        openers=frozenset(key(r["phrase"]) for r in ranges if r["role"] == "open"),
        connectors=frozenset(key(r["phrase"]) for r in ranges if r["role"] == "connect"),
        references={
            key(r["phrase"]): (r["unit"], int(r["offset"]), r["standalone"] in ("yes", "adverb"))
            for r in references
        },
        adverbs=frozenset(key(r["phrase"]) for r in references if r["standalone"] == "adverb"),
        deictic=frozenset(key(r["phrase"]) for r in references if r["origin"] == "writing"),
        decade_words={
            key(form): int(r["value"])
            for r in ordinals if r["use"] == "decade"
            for form in _ordinal_forms(r["lemma"], "plur")
        },
        century_words=century_words,
        year_words=_year_words(ordinals),
        roman={r["char"]: int(r["value"]) for r in _read("roman.csv")},
        blockers_before=frozenset(key(r["form"]) for r in _read("blockers.csv") if r["side"] == "before"),
        blockers_after=frozenset(key(r["form"]) for r in _read("blockers.csv") if r["side"] == "after"),
        fold_any={ord(r["old"]): r["new"] for r in orthography if r["scope"] == "any"},
        fold_word={r["old"]: r["new"] for r in orthography if r["scope"] == "word"},
        chronicle_years={key(r["form"]): int(r["offset"]) for r in chronicle if r["role"] == "year"},
        chronicle_months=frozenset(key(r["form"]) for r in chronicle if r["role"] == "month"),
        styles={key(r["form"]): r["style"] for r in _read("styles.csv")},
        imprints=frozenset(key(r["form"]) for r in _read("imprints.csv")),
        offsets=_offsets(_read("offsets.csv")),
    )


def fold(text: str, lex: Lexicon) -> str:
    """``text`` with old letters, dashes and odd spaces folded, one character for one."""
    text = text.translate(lex.fold_any)
    if lex.fold_word and any(c in text for c in lex.fold_word):
        chars = "".join(lex.fold_word)
        text = re.sub(
            f"(?<=[а-я])[{chars}]|[{chars}](?=[а-я])", lambda m: lex.fold_word[m.group()], text
        )
    return text


def roman_value(numeral: str, lex: Lexicon) -> int | None:
    """Value of a well-formed Roman numeral (Cyrillic Х and І read as X and I), else None."""
    latin = "".join("X" if lex.roman.get(c) == 10 else "I" if lex.roman.get(c) == 1 else c for c in numeral)
    if not re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})", latin) or not latin:
        return None
    values = [lex.roman[c] for c in latin]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


# ---------------------------------------------------------------- regular grammar


_CONSONANT_END = re.compile(r"[бвгджзклмнпрстфхцчшщ]$")
_WORD_END = "(?![^\\W\\d_])"  # no letter follows


def _tokens(phrase: str) -> list[str]:
    """Regex pieces of one phrase: characters, flexible spaces, optional pre-1918 hard signs."""
    out: list[str] = []
    words = phrase.split()
    for i, word in enumerate(words):
        for j, c in enumerate(word):
            out.append(re.escape(c))
            if c == "." and j + 1 < len(word):
                out.append(r"\s*")
        if _CONSONANT_END.search(word):
            out.append("ъ?")
        if i + 1 < len(words):
            out.append(r"\s*" if word.endswith(".") or not word[-1].isalnum() else r"\s+")
    if phrase[-1].isalpha():
        out.append(_WORD_END)
    return out


def alternation(phrases: Iterable[str]) -> str:
    """One prefix-tree regex for a list of phrases (fast to fail, longest first)."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for token in _tokens(phrase):
            node = node.setdefault(token, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if node and _ends_words(node):  # one word-end test after the subtree, not one per leaf:
            return emit(_strip_word_ends(node)) + _WORD_END  # the same matches, ~10% less to compile
        tokens = sorted((t for t in node if t), key=lambda t: t in ("ъ?", _WORD_END))
        branches = [t + emit(node[t]) for t in tokens]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + emit(trie) + ")"


def _ends_words(node: dict) -> bool:
    """Whether every phrase through this prefix-tree node ends with a word end."""
    return all(t == _WORD_END or (t and _ends_words(child)) for t, child in node.items())


def _strip_word_ends(node: dict) -> dict:
    """The subtree with each final word end made the end of its phrase."""
    return {("" if t == _WORD_END else t): ({} if t == _WORD_END else _strip_word_ends(child))
            for t, child in node.items()}


@dataclass(frozen=True)
class Pieces:
    """Regex fragments of the grammar, built from the lexicon."""

    months: str
    seasons: str
    year_units: str
    century_units: str
    eras: str
    preps: str
    parts: str
    openers: str
    connect: str
    references: str  # genitive, after a head: "того же года"
    standalone_references: str  # "в том же году"
    decade_words: str
    century_words: str
    year_words: str
    roman: str
    chronicle_years: str
    chronicle_months: str
    calendar_marks: str  # "ст. ст.", "по новому стилю" after a date
    offset_before: str  # "через", "спустя" before an amount of time
    offset_after: str  # "спустя" after it
    offset_numbers: str
    offset_units: str
    offset_from: str  # "после", "от" after an offset: it counts from what they name


def _pieces(lex: Lexicon) -> Pieces:
    def units(unit: str) -> str:
        return alternation(f for f, (u, _) in lex.units.items() if u == unit)

    symbols = [c for c in lex.connectors if not c[0].isalpha()]
    words = [c for c in lex.connectors if c[0].isalpha()]
    connect = "|".join([rf"\s*{re.escape(s)}\s*" for s in symbols] + [rf"\s+{alternation(words)}\s+"])
    roman_chars = "".join(sorted(lex.roman))
    return Pieces(
        months=alternation(lex.months),
        seasons=alternation(lex.seasons),
        year_units=units("year"),
        century_units=units("century"),
        eras=alternation(lex.eras),
        preps=alternation(lex.prepositions),
        parts=alternation(lex.parts),
        openers=alternation(lex.openers),
        connect=f"(?:{connect})",
        references=alternation(r for r, (_, _, alone) in lex.references.items() if not alone),
        standalone_references=alternation(r for r, (_, _, alone) in lex.references.items() if alone),
        decade_words=alternation(lex.decade_words),
        century_words=alternation(lex.century_words),
        year_words=alternation(lex.year_words),
        roman=f"(?-i:[{roman_chars}]+)(?![^\\W\\d_])",
        chronicle_years=alternation(lex.chronicle_years),
        chronicle_months=alternation(lex.chronicle_months),
        calendar_marks=alternation(lex.styles),
        offset_before=alternation(lex.offsets["before"]),
        offset_after=alternation(lex.offsets["after"]),
        offset_numbers=alternation(lex.offsets["number"]),
        offset_units=alternation(lex.offsets["unit"]),
        offset_from=alternation(lex.offsets["from"]),
    )


def _lead(p: Pieces, ranges: bool) -> str:
    prep = rf"(?P<prep>{p.preps})(?:(?<=\.)\s*|\s+)"
    if ranges:
        return rf"(?:(?P<open>{p.openers})\s+|{prep})?"
    return f"(?:{prep})?"


def _point(p: Pieces, x: str, *, lone_day: bool, short_year: bool, styles: bool = False) -> str:
    """END of a day/month/season/year: every element optional, checked afterwards.
    With ``styles`` a day may carry the other calendar's day in brackets, after the
    day ("15 (27) сентября") or with its month after the month ("24 марта (5 апреля)"),
    and the year may come first, as in a range of a table ("1577, январь — март")."""
    follow = rf"(?={p.months}|{p.connect})" if lone_day else rf"(?={p.months})"
    year = r"\d{2,4}" if short_year else r"\d{3,4}"
    day_alt = rf"(?:\s*\(\s*(?P<{x}_pd>[0-3]?\d)(?!\d)\s*\))?" if styles else ""
    month_alt = rf"(?:\s*\(\s*(?P<{x}_qd>[0-3]?\d)(?!\d)\s*(?P<{x}_qm>{p.months})\s*\))?" if styles else ""
    return (
        rf"(?:(?P<{x}_part>{p.parts})\s+)?{_year_first(x) if styles else ''}"
        rf"(?:(?P<{x}_d>[0-3]?\d)(?!\d)(?:-(?:го|е|ое))?{day_alt}\s*{follow})?"
        rf"(?:(?P<{x}_m>{p.months}){month_alt}|(?P<{x}_s>{p.seasons}))?"
        rf"(?:\s*(?<![\d.,/])(?<!\d\s)(?P<{x}_y>{year})(?!\d|[.,]\d)(?:/(?P<{x}_y2>\d{{2,4}})(?!\d))?"
        rf"(?P<{x}_suf>-(?:й|м|го|ом|ый)(?![^\W\d_]))?(?!-[^\W\d_])"
        rf"(?:\s*(?P<{x}_mark>{p.year_units}))?(?:\s*(?P<{x}_era>{p.eras}))?{_calendar_mark(p, x)}"
        rf"|\s+(?P<{x}_yw>{p.year_words})(?:\s+{p.year_units})?|\s*(?P<{x}_ref>{p.references}))?"
    )


def _year_first(x: str) -> str:
    """The year a chronology table puts first, before a comma: "1558, 11 мая",
    "1566, лето"; checked afterwards to head a day, month or season. Optional only
    where a date cannot be the year alone: "в 1924, 1925 годах" keeps "в 1924"."""
    return rf"(?:(?P<{x}_fy>\d{{4}})(?!\d)\s*,\s*)?"


def _calendar_mark(p: Pieces, x: str) -> str:
    """An optional calendar after a date: "ст. ст.", "(ст. ст.)", "по новому стилю"."""
    return rf"(?:\s*\(\s*(?P<{x}_cal>{p.calendar_marks})\s*\)|\s+(?P<{x}_calb>{p.calendar_marks}))?"


def _era_end(p: Pieces, x: str) -> str:
    """END of a decade or century."""
    century = rf"(?:{p.roman}|\d{{1,2}}(?!\d))(?:-?(?:й|м|го|ом))?"
    return (
        rf"(?:(?P<{x}_part>{p.parts})\s+)?"
        rf"(?:(?P<{x}_dec>\d{{2,4}})(?:\s*-\s*|-?)(?P<{x}_dsuf>ые|ых|ее|ми|е|х|м)(?![^\W\d_])"
        rf"|(?P<{x}_dnum>\d{{2,4}})(?=\s*-)"
        rf"|(?P<{x}_decw>{p.decade_words})"
        rf"|(?P<{x}_c>{century})|(?P<{x}_cw>{p.century_words}))"
        rf"(?:\s*(?P<{x}_dmark>{p.year_units}))?"
        rf"(?:\s+(?P<{x}_dc>{century})\s*{p.century_units}|\s+(?P<{x}_dcw>{p.century_words})\s+{p.century_units})?"
        rf"(?:\s*(?P<{x}_cmark>{p.century_units}))?(?:\s*(?P<{x}_era>{p.eras}))?"
    )


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]


def _rules(p: Pieces) -> list[Rule]:
    start = r"(?<![\w.,/-])(?=\S)"
    day = r"[0-3]?\d(?!\d)(?:-(?:го|е|ое))?"
    year_mark = rf"(?:\s*{p.year_units})?"
    patterns = {  # on a tie in length the earlier rule wins
        "chronicle": start + _lead(p, False)  # "В лето 6419 (911)", "6463 [955] г.", "в лето 6479, месяца июля"
        + rf"(?P<A>(?:(?P<a_lw>{p.chronicle_years})\s+)?(?P<a_am>\d{{4}})(?!\d)"
        + r"(?:\s*[(\[]\s*(?P<a_y>\d{3,4})\s*[)\]])?"
        + rf"(?:\s*,?\s*{p.chronicle_months}\s+(?P<a_m>{p.months}))?(?:\s*(?P<a_mark>{p.year_units}))?)",
        "point": start + _lead(p, False)
        + f"(?P<A>{_point(p, 'a', lone_day=False, short_year=False)})",
        "year_first": start + _lead(p, False)  # "1558, 11 мая", "1561, июнь", "1566, лето"
        + rf"(?P<A>(?P<a_fy>\d{{4}})(?!\d)\s*,\s*(?:(?P<a_d>{day})\s*)?(?:(?P<a_m>{p.months})|(?P<a_s>{p.seasons})))",
        "range": start + _lead(p, True)
        + f"(?P<A>{_point(p, 'a', lone_day=True, short_year=False, styles=True)})"
        + f"(?P<conn>{p.connect})"
        + f"(?P<B>{_point(p, 'b', lone_day=False, short_year=True, styles=True)})(?!\\s*-\\s*\\d)",
        "era": start + _lead(p, False) + f"(?P<A>{_era_end(p, 'a')})",
        "era_range": start + _lead(p, True) + f"(?P<A>{_era_end(p, 'a')})"
        + f"(?P<conn>{p.connect})" + f"(?P<B>{_era_end(p, 'b')})",
        "pair_day": start + _lead(p, False)
        + rf"(?P<A>{_year_first('a')}(?P<a_d>{day})\s*[(/]\s*(?P<p_d>{day})\s*\)?\s*(?P<a_m>{p.months})"
        + rf"(?:\s*(?P<a_y>\d{{3,4}})(?!\d){year_mark}|\s+(?P<a_ref>{p.references}))?)",
        "pair_range": start + _lead(p, True)  # "26—27 января (7—8 февраля) 1807 г."
        + rf"(?P<A>(?P<a_d>{day})\s*-\s*(?P<b_d>{day})\s*(?P<a_m>{p.months})"
        + rf"\s*\(\s*(?P<a_pd>{day})\s*-\s*(?P<b_pd>{day})\s*(?P<a_qm>{p.months})\s*\)"
        + rf"(?:\s*(?P<a_y>\d{{3,4}})(?!\d){year_mark})?)",
        "pair_range_day": start + _lead(p, True)  # "14–15 (27–28) мая 1905 г."
        + rf"(?P<A>(?P<a_d>{day})\s*-\s*(?P<b_d>{day})\s*\(\s*(?P<a_pd>{day})\s*-\s*(?P<b_pd>{day})\s*\)"
        + rf"\s*(?P<a_m>{p.months})(?:\s*(?P<a_y>\d{{3,4}})(?!\d){year_mark})?)",
        "pair_month": start + _lead(p, False)
        + rf"(?P<A>(?P<a_d>{day})\s*(?P<a_m>{p.months})(?:\s*(?P<a_y>\d{{3,4}})(?!\d){year_mark})?"
        + rf"\s*\(\s*(?P<p_d>{day})\s*(?P<p_m>{p.months})(?:\s*(?P<p_y>\d{{3,4}})(?!\d){year_mark})?\s*\)"
        + rf"(?:\s*(?P<s_y>\d{{3,4}})(?!\d){year_mark})?)",
        "numeric": start + _lead(p, False)
        + rf"(?P<A>(?P<a_d>[0-3]?\d)(?P<sep>[./-]| )(?P<a_mn>[01]?\d|{p.roman})(?P=sep)(?P<a_y>\d{{4}})(?!\d|[.,]\d)"
        + rf"(?:\s*(?P<a_mark>{p.year_units}))?{_calendar_mark(p, 'a')})",
        "reference": start + rf"(?P<A>(?P<a_sref>{p.standalone_references}))",
        "compound": r"(?:(?<=[^\W\d_]-)|(?<=[»\"]-))(?P<A>(?P<a_y>(?:18|19|20)\d\d))(?!\d|[.,]\d|-?[^\W\d_])",
        "iso": start + _lead(p, False) + r"(?P<A>(?P<a_y>\d{4})-(?P<a_mn>[01]\d)-(?P<a_d>[0-3]\d))(?![\d-])",
        "offset": start  # "Через год", "Через три недели", "месяц спустя": no date, the time moves on
        + rf"(?P<A>{p.offset_before}\s+(?:(?P<o_n>\d{{1,2}}|{p.offset_numbers})\s+)?(?P<o_u>{p.offset_units})"
        + rf"|(?:(?P<o_n2>\d{{1,2}}|{p.offset_numbers})\s+)?(?P<o_u2>{p.offset_units})\s+{p.offset_after})"
        + rf"(?!\s+{p.offset_from})",  # "через год после Плюсского перемирия" counts from that
        "list": start + _lead(p, False)
        + r"(?P<A>(?P<items>\d{3,4}(?:\s*,\s*\d{3,4})+\s*,?\s+(?:и|или)\s+\d{3,4})"
        + rf"\s*(?P<a_mark>{p.year_units}))",
    }
    return [Rule(name, re.compile(_bounded(pattern), re.IGNORECASE)) for name, pattern in patterns.items()]


def _bounded(pattern: str) -> str:
    """Whitespace runs of at most ``MAX_SPACE_RUN``: unbounded ones nest and backtrack
    quadratically over a long blank stretch of a raw file."""
    return pattern.replace(r"\s*", rf"\s{{0,{MAX_SPACE_RUN}}}").replace(r"\s+", rf"\s{{1,{MAX_SPACE_RUN}}}")


# ---------------------------------------------------------------- parsed expressions


@dataclass(slots=True)
class End:
    """One end of an expression, as written (before borrowing or anchoring)."""

    start: int
    stop: int
    part: str = ""
    day: int | None = None
    month: int | None = None
    season: str = ""
    year: int | None = None
    year_digits: int = 0
    year2: int | None = None
    year_first: bool = False  # the year opens the end: "1558, 11 мая"
    spoken_year: int | None = None  # the last two digits of a year in words: "в ноябре восемьдесят пятого"
    suffix: bool = False
    mark: str = ""  # singular | plural | any, when a year word follows
    weak_mark: bool = False  # a spaced "г" without a dot may be grams: "около 3800 г"
    era: str = ""
    ref: tuple[str, int, bool] | None = None
    decade: int | None = None
    decade_digits: int = 0
    decade_suffix: str = ""
    decade_word: bool = False
    decade_century: int | None = None
    century: int | None = None
    century_marked: bool = False
    fraction: tuple[int, int] | None = None  # an explicit part: "во второй половине" (2, 2)
    alt_day: int | None = None  # the other calendar's day in brackets: "15 (27) сентября"
    alt_month: int | None = None  # and its month when it names one: "24 марта (5 апреля)"
    adverb: bool = False  # a reference that is a date only as an adverb ("накануне")
    deictic: bool = False  # a reference counted from the time of writing ("вчера"), not from the last date
    old_style: bool = False  # a lone Julian date marked so: "24.VIII.1905 ст. ст."

    @property
    def kind(self) -> str:
        if self.decade is not None:
            return "decade"
        if self.century is not None:
            return "century"
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        if self.season:
            return "season"
        if self.year is not None:
            return "year"
        if self.ref is not None:
            return "ref"
        return ""


@dataclass(slots=True)
class Expression:
    """A matched date expression: its extent and ends, checked but not yet resolved."""

    start: int
    end: int
    rule: str
    ends: list[End]
    qualifier: str = ""
    mode: str = "single"  # single | range | list | pair
    pair: End | None = None
    shared_year: int | None = None
    shift: tuple[str, int] | None = None  # an offset ("через год"): no date, it moves the anchor


class Tags:
    """What the tagger says around a character offset; plain text says nothing."""

    def counted(self, pos: int) -> bool:
        """A counted noun starts at ``pos`` ("1500 километрах", "2000 рублей")."""
        return False

    def noun_before(self, pos: int) -> bool:
        """A noun ends right before ``pos`` ("чемпионате мира 2003")."""
        return False

    def adverbial(self, pos: int) -> bool:
        """The word at ``pos`` leaves the word before it an adverb ("накануне провозгласила"),
        not a preposition ("накануне войны"); unknown without a tagger."""
        return False


class Grammar:
    """The compiled date grammar: text → checked, non-overlapping :class:`Expression` s."""

    def __init__(self, lex: Lexicon | None = None) -> None:
        self.lex = lex or lexicon()
        self.pieces = _pieces(self.lex)
        self.rules = _rules(self.pieces)

    def find(self, text: str, tags: Tags | None = None) -> list[Expression]:
        """Date expressions of ``text``, checked against the tagger's ``tags`` when given."""
        tags = tags or Tags()
        folded = fold(text, self.lex)
        candidates = [expr for rule in self.rules for expr in self._scan(rule, folded, tags)]
        return _longest(candidates)

    def _scan(self, rule: Rule, text: str, tags: Tags) -> Iterator[Expression]:
        """Checked matches of one rule; after a match that fails the checks the scan
        resumes at the next character, so it hides no shorter date inside it."""
        pos = 0
        while (match := rule.pattern.search(text, pos)) is not None:
            expr = self._expression(rule.name, match, text, tags) if match.end() > match.start() else None
            if expr is None:
                pos = match.start() + 1
                continue
            yield expr
            pos = match.end()

    # -- reading matches

    def _expression(
        self, rule: str, m: re.Match[str], text: str, tags: Tags
    ) -> Expression | None:
        groups = m.groupdict()
        lead_qualifier = self.lex.prepositions.get(key(groups.get("prep") or ""), "")
        opener = key(groups.get("open") or "")
        if rule == "list":
            return self._list(m, lead_qualifier)
        if rule == "offset":
            return self._offset(m)
        a = self._end(m, "a")
        if a is None:
            return None
        expr = Expression(m.start(), m.end(), rule, [a], lead_qualifier)
        if rule in ("pair_range", "pair_range_day"):
            b = End(m.start("b_d"), m.end(), day=int(groups["b_d"]), month=a.month, year=a.year,
                    year_digits=a.year_digits, alt_day=int(groups["b_pd"]), alt_month=a.alt_month)
            expr.mode, expr.ends = "range", [a, b]
        elif rule in ("pair_day", "pair_month"):
            expr.mode = "pair"
            expr.pair = self._end(m, "p")
            if groups.get("s_y"):
                expr.shared_year = int(groups["s_y"])
            if expr.pair is None or expr.pair.day is None:
                return None
            expr.pair.month = expr.pair.month or a.month
        elif rule in ("range", "era_range"):
            b = self._end(m, "b")
            if b is None:
                return None
            conn = key(groups["conn"])
            if conn == "и" and opener != "между" and _adjacent_seasons(a, b):
                expr.mode = "range"  # "весной и летом 1939 г.": one stretch of a year
            elif conn in ("и", "или") and opener != "между":
                expr.mode = "list"
            elif conn == "-" or (opener and (conn in ("по", "до") or (conn == "и" and opener == "между")
                                             or (conn == "на" and opener in ("с", "со")))):
                expr.mode = "range"
            else:
                return None
            if expr.mode == "range" and _split_season(a, b):
                expr.mode = "single"  # "зимой 1941—1942 гг." is one winter
            else:
                expr.ends.append(b)
                if not _borrow(a, b, expr.mode):
                    return None
        ok = self._plausible(expr, m, text, tags, bool(groups.get("prep") or opener))
        return expr if ok else None

    def _end(self, m: re.Match[str], x: str) -> End | None:
        g = {k[len(x) + 1:]: v for k, v in m.groupdict().items() if k.startswith(x + "_") and v is not None}
        if not g:
            return None
        lex = self.lex
        names = [k for k in m.groupdict() if k.startswith(x + "_") and m.group(k) is not None]
        end = End(min(m.start(n) for n in names), max(m.end(n) for n in names))
        if x in ("a", "b"):
            end.start = m.start("A" if x == "a" else "B")
        if "part" in g:
            end.part = lex.parts.get(key(g["part"]), "")
            end.fraction = lex.fractions.get(key(g["part"]))
        if "pd" in g or "qd" in g:
            end.alt_day = int(g.get("pd") or g["qd"])
        if "qm" in g:
            end.alt_month = lex.months.get(key(g["qm"]))
        if "d" in g:
            end.day = int(g["d"])
        if "m" in g:
            end.month = lex.months.get(key(g["m"]))
        if "mn" in g:
            end.month = int(g["mn"]) if g["mn"].isdigit() else roman_value(g["mn"], lex)
            if not end.month or end.month > 12:
                return None
        if "s" in g:
            end.season = lex.seasons[key(g["s"])][0]
            if not {"y", "fy", "ref"} & g.keys() and not end.part and not lex.seasons[key(g["s"])][1]:
                return None
        if "y" in g or "fy" in g:
            if "y" in g and "fy" in g or "fy" in g and end.month is None and not end.season:
                return None  # "1812, 1813 и 1814 гг.", "1558, 11 мая 1558 г."
            year = g.get("y") or g["fy"]
            end.year, end.year_digits, end.year_first = int(year), len(year), "fy" in g
        if "am" in g and not self._chronicle_year(end, g):
            return None
        end.old_style = lex.styles.get(key(g.get("cal") or g.get("calb") or "")) == "old"
        if "yw" in g:
            if end.month is None and not end.season:
                return None  # "в восемьдесят пятом" alone may count anything
            end.spoken_year = lex.year_words[key(g["yw"])]
        if "y2" in g:
            end.year2 = int(g["y2"])
        end.suffix = "suf" in g
        if "mark" in g:
            unit, number = lex.units[key(g["mark"])]
            if unit != "year":
                return None
            end.mark = number
            end.weak_mark = key(g["mark"]) == "г" and bool(re.match(r"\d+\s", m.string[m.start(f"{x}_y"):]))
        if "era" in g:
            end.era = lex.eras[key(g["era"])]
        if "ref" in g or "sref" in g:
            end.ref = lex.references[key(g.get("ref") or g["sref"])]
            end.adverb = key(g.get("ref") or g["sref"]) in lex.adverbs
            end.deictic = key(g.get("ref") or g["sref"]) in lex.deictic
        if not self._era_fields(end, g):
            return None
        return end

    def _chronicle_year(self, end: End, g: dict[str, str]) -> bool:
        """The modern year of a year of the world era: the one in brackets when it agrees
        with the era's ("6415 [907]"; a September year spans two), else the era's minus its
        offset, but only after the era's word ("в лето 6419"). Without the word, a year word
        must follow ("под 6463 [955] г."): four bare digits are no chronicle year."""
        offset = self.lex.chronicle_years.get(key(g.get("lw", "")), next(iter(self.lex.chronicle_years.values())))
        modern = int(g["am"]) - offset
        if "y" in g:
            return end.year in (modern - 1, modern) and modern > 0 and ("lw" in g or "mark" in g)
        if "lw" not in g or modern <= 0:
            return False
        end.year, end.year_digits = modern, 4
        return True

    def _era_fields(self, end: End, g: dict[str, str]) -> bool:
        """Decade and century groups of an END; False when they make no sense."""
        lex = self.lex
        if "dec" in g or "dnum" in g:
            raw = g.get("dec") or g["dnum"]
            end.decade, end.decade_digits = int(raw), len(raw)
            end.decade_suffix = key(g.get("dsuf", ""))
            if end.decade % 10:
                return False
        if "decw" in g:
            end.decade, end.decade_digits, end.decade_word = lex.decade_words[key(g["decw"])], 2, True
        if "dmark" in g:
            unit, number = lex.units[key(g["dmark"])]
            if unit != "year":
                return False
            end.mark = number
        if "dc" in g or "dcw" in g:
            end.decade_century = self._century(g.get("dc"), g.get("dcw"))
            if not end.decade_century:
                return False
        if "c" in g or "cw" in g:
            end.century = self._century(g.get("c"), g.get("cw"))
            if not end.century:
                return False
        if "cmark" in g:
            if lex.units[key(g["cmark"])][0] != "century" or end.century is None:
                return False
            end.century_marked = True
        return True

    def _century(self, numeral: str | None, word: str | None) -> int | None:
        if word:
            return self.lex.century_words.get(key(word))
        digits = re.match(r"\d+", numeral or "")
        value = int(digits.group()) if digits else roman_value(re.sub(r"[-а-я]+$", "", numeral or ""), self.lex)
        return value if value and value <= 21 else None

    def _offset(self, m: re.Match[str]) -> Expression:
        """An offset as the unit and count it moves the anchor by ("Через три недели": week, 3)."""
        offsets = self.lex.offsets
        number = m.group("o_n") or m.group("o_n2") or "1"
        count = int(number) if number.isdigit() else int(offsets["number"][key(number)])
        unit = offsets["unit"][key(m.group("o_u") or m.group("o_u2"))]
        return Expression(m.start(), m.end(), "offset", [], mode="offset", shift=(unit, count))

    def _list(self, m: re.Match[str], qualifier: str) -> Expression | None:
        unit, number = self.lex.units[key(m.group("a_mark"))]
        if unit != "year" or number == "singular":
            return None
        ends = [
            End(m.start("items") + y.start(), m.start("items") + y.end(), year=int(y.group()), year_digits=4,
                mark="plural")
            for y in re.finditer(r"\d{3,4}", m.group("items"))
        ]
        ends[0].start = m.start()
        ends[-1].stop = m.end()
        return Expression(m.start(), m.end(), "list", ends, qualifier, mode="list")

    # -- plausibility (everything that needs no anchor)

    def _plausible(
        self, expr: Expression, m: re.Match[str], text: str, tags: Tags, lead: bool
    ) -> bool:
        ends = expr.ends + ([expr.pair] if expr.pair else [])
        for end in ends:
            if not _valid_end(end, expr):
                return False
        if _month_as_name(expr, m, text):
            return False
        if expr.mode == "pair":
            return True
        last = expr.ends[-1]
        if last.adverb:  # "Словакия накануне провозгласила", not "накануне войны"
            return tags.adverbial(_next_word(text, m.end()))
        numeric = expr.rule in ("numeric", "iso", "chronicle")  # the year is part of the form ("28.05.1997 премьерами")
        if expr.rule == "numeric" and m.group("sep") == " " and not (lead or last.mark):
            return False  # "от 21 10 2016 года" but not any three numbers
        if last.kind == "year" and not numeric:
            return self._bare_year_ok(expr, m, text, tags, lead)
        if last.kind == "decade":
            return self._decade_ok(expr, m, text, tags, lead)
        if last.kind == "century" and not lead and not any(e.part for e in expr.ends):
            return not _regnal(text, expr.start)
        written_year = last.year is not None and not (last.mark or last.year_first or numeric)
        if last.kind in ("day", "month", "season") and written_year:
            if tags.counted(_next_word(text, m.end())):
                _drop_year(expr, m)  # "12 мая 300 человек": the date is "12 мая"
        if last.kind == "month" and len(expr.ends) == 1 and (last.year, last.ref, last.spoken_year) == (None, None, None):
            return lead or bool(last.part) or _entry_heading(text, m.start(), m.end())  # "в мае", "Май."
        return True

    def _bare_year_ok(
        self, expr: Expression, m: re.Match[str], text: str, tags: Tags, lead: bool
    ) -> bool:
        """A year needs a year word, an ordinal ending, or four digits and a preposition,
        parentheses, a range partner, a name it is glued to ("ЧМ-2018") or a noun it
        follows ("на чемпионате мира 2003"); an unmarked one must not count a following
        noun ("в 1500 километрах")."""
        first, last = expr.ends[0], expr.ends[-1]
        if expr.mode == "range" and first.kind == "year" and first.year >= last.year:
            return False
        if expr.mode == "single" and last.suffix and last.mark == "plural":
            return False  # "к 1930-м годам" is a decade
        if self._blocked(text, m.start(), m.end()):
            return False
        if last.mark and _counts(m, text):
            return False  # "на 123 года", "за 300 года": a number of years
        if last.mark and not last.weak_mark:
            return True
        if last.suffix:
            return last.year_digits == 4  # "в 1924-м", but not "105-й", "на 702-м километре"
        if any(e.year_digits != 4 or not 1000 <= e.year <= 2100 for e in expr.ends):
            return False
        if tags.counted(_next_word(text, m.end())):
            return False
        if expr.mode == "range" and last.year - first.year > MAX_BARE_RANGE:
            return False
        if expr.mode != "single" or last.year2 is not None or expr.rule == "compound":
            return True  # "1870—1924", "1924 и 1925", "2002/03", "ЧМ-2018"
        if _RANGE_AHEAD.match(text, m.end()):
            return False  # half of a numeric range that failed its own checks: "от 1500 до 2000 рублей"
        if lead:  # "в 2013", "с 1999", "в 1906 г", but not "около 1500", "на 2000"
            return expr.qualifier != "approx" and key(m.group("prep") or "") not in COUNT_PREPOSITIONS
        if _in_parentheses(text, m.start(), m.end()):
            return True  # "(1994)", "(1994, 1997)", "(р. 1993)"
        if self._imprint(text, m.start()):
            return True  # "М.; Л., 1955", "— Princeton, 1979": the year of a book
        return tags.noun_before(m.start())  # "на чемпионате мира 2003", "премию мира 2019 получил"

    def _imprint(self, text: str, start: int) -> bool:
        """The year of an imprint: a city of publication and a comma before it ("М., 1952"),
        or the publication area a bibliographic record opens with ". — " ("— Princeton, 1979",
        "— М.: Наука, 1975")."""
        if _PUBLICATION_AREA.search(text, max(0, start - 80), start):
            return True
        before = text[max(0, start - 12):start].rstrip()
        if not before.endswith(","):
            return False
        words = before[:-1].replace(";", " ").replace(":", " ").split()
        return bool(words) and key(words[-1]) in self.lex.imprints

    def _blocked(self, text: str, start: int, end: int) -> bool:
        """A page, volume or item number ("С. 1914—1918", "№ 1924") or an age
        ("на 102-м году жизни"): the blocker lexicon's word before or after."""
        before = text[max(0, start - 8):start].split()
        after = text[end:end + 12].split()
        return bool(before and key(before[-1]) in self.lex.blockers_before) or bool(
            after and key(after[0]).strip(",.;:") in self.lex.blockers_after
        )

    def _decade_ok(self, expr: Expression, m: re.Match[str], text: str, tags: Tags, lead: bool) -> bool:
        """"1920-е" stands alone; "20-е", "двадцатые" need a year word, a century, a
        preposition or part ("в 90-х он", "в начале 90-х"), or the end of a phrase;
        "-м"/"-ми" endings need a plural year word ("к 1920-м годам")."""
        marked = any(e.mark or e.decade_century for e in expr.ends)
        for end in expr.ends:
            if end.decade_suffix in ("м", "ми") and end.mark not in ("plural", "any"):
                return False
        if marked:
            return True
        last = expr.ends[-1]
        if not (last.decade_suffix or last.decade_word):
            return False
        if last.decade_digits == 4:
            return True
        if (lead or any(e.part for e in expr.ends)) and not tags.counted(_next_word(text, m.end())):
            return True  # "в 90-х он уехал", "в начале девяностых", but not "в 20-х числах"
        return not last.decade_word and bool(re.match(r"\s*(?:[,.;:)!?]|$|-|и\s|или\s)", text[m.end():m.end() + 4]))


def _month_as_name(expr: Expression, m: re.Match[str], text: str) -> bool:
    """A month word capitalized inside a sentence, with no day or year, is a name: "с Августом II"."""
    for x, end in zip("ab", expr.ends):
        month = m.groupdict().get(f"{x}_m")
        if month is None or end.day is not None or end.year is not None or not month[:1].isupper():
            continue
        if end is not expr.ends[0] and expr.ends[0].month is not None:
            continue  # names make no range: "Авг. — Дек." closes on a month
        before = text[: m.start(f"{x}_m")].rstrip(" \t«\"(")
        if before and before[-1] not in ".!?\n":
            return True
    return False


def _entry_heading(text: str, start: int, end: int) -> bool:
    """A month alone heading a line and closed by a stop heads a journal's entry for that
    month ("Май. Армия выступила", "Окт. Апраксин отрешен"); a bare "май" elsewhere is a word."""
    return not _line_head(text, start) and (text[end - 1] == "." or text.startswith(".", end))


def _line_head(text: str, start: int) -> str:
    """What its line holds before ``start``, stripped."""
    return text[text.rfind("\n", 0, start) + 1:start].strip()


def _valid_end(end: End, expr: Expression) -> bool:
    kind = end.kind
    if not kind:
        return False
    if kind == "day" and (end.month is None or not 1 <= end.day <= 31):
        return False
    if end.year is not None and kind in ("day", "month", "season", "year"):
        if end.year_digits == 2 and not (expr.mode == "range" and end is expr.ends[-1]):
            return False
        if end.era and end.year == 0:
            return False
    if end.ref is not None:
        unit, _, standalone = end.ref
        if not standalone and kind == "ref" and not end.part:
            return False  # "того же года" needs a head: "в мае того же года", "в начале того же года"
        if kind in ("day", "month", "season") and unit != "year":
            return False
    if kind == "century" and not end.century_marked:
        return False
    if kind in ("decade", "century") and end.suffix:
        return False
    return True


def _adjacent_seasons(a: End, b: End) -> bool:
    """Two seasons of one year, one right after the other ("весной и летом 1939 г.")."""
    if not (a.season and b.season) or a.year is not None:
        return False
    months = lexicon().season_months
    return months[a.season][1] + 1 == months[b.season][0] and not months[b.season][2]


def _split_season(a: End, b: End) -> bool:
    """A season written across two years ("зимой 1941—1942 гг.") takes the second as its
    split year, like "зимой 1941/42 г."."""
    if a.season and a.year is not None and a.year2 is None and b.kind == "year" and b.year2 is None:
        second = _second_year(a.year, b.year)
        if second is not None:
            a.year2, a.mark = second, b.mark
            a.stop = b.stop
            return True
    return False


def _borrow(a: End, b: End, mode: str) -> bool:
    """Let the first end of a range or list take what it omits from the second
    ("26—27 января", "1927—28 гг.", "XVII—XVIII вв."); False when the ends do not fit."""
    if a.kind == "day" or (a.day is not None and a.month is None):
        if a.month is None:
            a.month = b.month
    later = (a.month or 0, a.day or 0) > (b.month or 13, b.day or 0)  # "с 28 декабря по 5 января 1918 г."
    if a.kind in ("day", "month", "season") and a.year is None and a.ref is None:
        if b.year is not None:
            a.year, a.year_digits, a.era, a.mark = b.year - later * (mode == "range"), b.year_digits, b.era, b.mark
        elif b.spoken_year is not None:  # "с мая по июль девяностого"
            a.spoken_year = (b.spoken_year - later * (mode == "range")) % 100
        else:
            a.ref = b.ref
    if b.kind in ("day", "month", "season") and b.year is None and b.ref is None and a.year is not None:
        b.year, b.year_digits, b.era = a.year + later * (mode == "range"), a.year_digits, a.era
    if a.kind == "year" and b.kind == "year":
        if b.year_digits == 2 and a.year_digits == 4:
            b.year, b.year_digits = a.year // 100 * 100 + b.year, 4
        if not a.era:
            a.era = b.era
    if a.kind == "decade" and b.kind == "decade":
        if a.decade_century is None:
            a.decade_century = b.decade_century
        if a.decade_digits == 4 and b.decade_digits == 2 and b.decade_century is None:
            b.decade, b.decade_digits = a.decade // 100 * 100 + b.decade, 4
        if b.decade_digits == 4 and a.decade_digits == 2 and a.decade_century is None:
            a.decade, a.decade_digits = b.decade // 100 * 100 + a.decade, 4
        if not a.mark:
            a.mark = b.mark
    elif a.kind == "decade" and not a.decade_suffix:
        return False  # "1920 - ..." is a decade only before another decade
    if a.kind == "century" and b.kind == "century":
        a.century_marked = a.century_marked or b.century_marked
        if not a.era:
            a.era = b.era
    if mode == "range" and a.kind != b.kind and {a.kind, b.kind} & {"decade", "century"}:
        return False
    return True


def _drop_year(expr: Expression, m: re.Match[str]) -> None:
    """Cut an unmarked year that turned out to count something off the last end."""
    last = expr.ends[-1]
    x = "b" if len(expr.ends) > 1 else "a"
    last.year = last.year2 = None
    last.era = ""
    expr.end = last.stop = max(m.end(f"{x}_{g}") for g in ("d", "m", "s") if m.group(f"{x}_{g}") is not None)


COUNT_PREPOSITIONS = ("на", "за")  # "на 2000", "на 123 года": an amount, not a year
COUNT_FORM = "года"  # the year word counting years ("три года"); a year takes "на 1924 год"


def _counts(m: re.Match[str], text: str) -> bool:
    """A number of years after a preposition of amount: "на 123 года", not "на 1924 год"."""
    before = text[max(0, m.start() - 8):m.start()].split()
    prep = m.groupdict().get("prep") or (before[-1] if before else "")
    return key(prep) in COUNT_PREPOSITIONS and key(m.groupdict().get("a_mark") or "") == COUNT_FORM


_RANGE_AHEAD = re.compile(r"\s*-\s*\d|\s+(?:до|по|на|и|или)\s+\d", re.IGNORECASE)


_CLOSING_QUOTES = frozenset('»"”')

# ". — Place[: Publisher], " right before a year (GOST 7.1; dashes are folded to "-")
_PUBLICATION_AREA = re.compile(
    r"\.\s?-\s?[A-ZА-ЯЁ][^\W\d_]*\.?(?:\s[A-ZА-ЯЁ][^\W\d_]*)?(?:\s?[:;]\s?[^,.;\d]{1,40})?,\s?\Z"
)


def _in_parentheses(text: str, start: int, end: int) -> bool:
    """"(1994)", "(1994, 1997)", "(серия «...», 2003)", "(1903 — физика, 1911 — химия)":
    a year that opens or closes a parenthesis, or follows a comma inside one."""
    before, after = text[max(0, start - 80):start], text[end:].lstrip()
    inside = before.rfind("(") > before.rfind(")")
    return before.rstrip().endswith("(") or after.startswith(")") or (inside and before.rstrip().endswith(","))


def _regnal(text: str, start: int) -> bool:
    """"Петр I в." — a Roman numeral after a capitalized name is a regnal number."""
    before = text[max(0, start - 30):start].split()
    return bool(before) and before[-1][:1].isupper() and before[-1].isalpha()


def _next_word(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _longest(candidates: list[Expression]) -> list[Expression]:
    """The longest candidates that do not overlap, in text order."""
    chosen: list[Expression] = []
    taken: list[tuple[int, int]] = []
    for expr in sorted(candidates, key=lambda e: (e.start - e.end, e.start)):
        if all(expr.end <= s or expr.start >= e for s, e in taken):
            chosen.append(expr)
            taken.append((expr.start, expr.end))
    return sorted(chosen, key=lambda e: e.start)


# ---------------------------------------------------------------- resolution


def _astronomical(year: int, era: str) -> int:
    return 1 - year if era == "bc" else year


def _decade_base(end: End, anchor: DateAnchor) -> tuple[int, bool]:
    """First year of a decade; a two-digit one takes the century nearest the anchor."""
    if end.decade_digits >= 3:
        return end.decade, False
    if end.decade_century:
        return (end.decade_century - 1) * 100 + end.decade, False
    return _nearest_century(end.decade, anchor, 5)


def _nearest_century(digits: int, anchor: DateAnchor, middle: int = 0) -> tuple[int, bool]:
    """The year ending in two ``digits`` (a decade's first when ``middle`` is 5) whose
    middle is nearest the anchor's epoch, else in the default century."""
    if anchor.epoch is None:
        return (DEFAULT_CENTURY - 1) * 100 + digits, False
    base = anchor.epoch // 100 * 100 + digits
    return min((base - 100, base, base + 100), key=lambda y: abs(y + middle - anchor.epoch)), True


def resolve_end(end: End, anchor: DateAnchor) -> Interval | None:
    """The interval one END names, completed from the anchor where it omits something."""
    kind = end.kind
    if kind == "decade":
        first, anchored = _decade_base(end, anchor)
        return Interval((first, 1, 1), (first + 9, 12, 31), "decade", anchored)
    if kind == "century":
        c = end.century
        if end.era == "bc":
            return Interval((1 - 100 * c, 1, 1), (100 - 100 * c, 12, 31), "century")
        return Interval(((c - 1) * 100 + 1, 1, 1), (c * 100, 12, 31), "century")
    if kind == "ref":
        return _resolve_reference(end.ref, anchor, end.deictic)
    year, anchored = end.year, False
    if year is None and end.spoken_year is not None:
        year, anchored = _nearest_century(end.spoken_year, anchor)
    elif year is None and end.ref is not None:
        if end.ref[0] != "year" or anchor.year is None:
            return None
        year, anchored = anchor.year + end.ref[1], True
    elif year is None:
        if anchor.year is None:
            return None
        year, anchored = _named_year(end, anchor) or anchor.year, True
    else:
        year = _astronomical(year, end.era)
    if kind == "day":
        if end.day > _month_days(year, end.month):
            return None
        return Interval((year, end.month, end.day), (year, end.month, end.day), "day", anchored)
    if kind == "month":
        return Interval((year, end.month, 1), (year, end.month, _month_days(year, end.month)), "month", anchored)
    if kind == "season":
        return _season(end, year, anchored)
    if end.year2 is not None:
        second = _second_year(year, end.year2)
        if second is None:
            return None
        return Interval((year, 1, 1), (second, 12, 31), "range", anchored)
    return Interval((year, 1, 1), (year, 12, 31), "year", anchored)


def _named_year(end: End, anchor: DateAnchor) -> int | None:
    """The year of a day and month the text named before, when the anchor is a stretch of
    several years that leaves the year open: after "по соглашениям 1915—1916 гг." the
    question's "до 4 августа" is the "4 августа" of the chronology above (1914)."""
    if not anchor.span or end.day is None:
        return None
    return next((y for y, m, d in reversed(anchor.days) if (m, d) == (end.month, end.day)), None)


def _second_year(first: int, written: int) -> int | None:
    """"1941/42" → 1942: the second year of a split year must follow the first."""
    second = first // 100 * 100 + written if written < 100 else written
    return second if second == first + 1 else None


def _season(end: End, year: int, anchored: bool) -> Interval | None:
    if end.year2 is None:
        return _season_of(end.season, year, anchored)
    second = _second_year(year, end.year2)  # "зимой 1941/42 г."
    if second is None:
        return None
    first, last, _ = lexicon().season_months[end.season]
    return Interval((year, first, 1), (second, last, _month_days(second, last)), "season", anchored)


def _season_of(season: str, year: int, anchored: bool) -> Interval:
    """The season of ``year``; a winter that starts the year before ends in ``year``."""
    first, last, previous = lexicon().season_months[season]
    start_year = year - 1 if previous else year
    return Interval((start_year, first, 1), (year, last, _month_days(year, last)), "season", anchored)


def _resolve_reference(ref: tuple[str, int, bool], anchor: DateAnchor, deictic: bool = False) -> Interval | None:
    unit, offset, _ = ref
    if anchor.year is None:
        return None
    if unit == "year":
        year = anchor.year + offset
        return Interval((year, 1, 1), (year, 12, 31), "year", True)
    if unit in lexicon().season_months:  # "Въ то же лѣто": the season of the year spoken of
        first, _, previous = lexicon().season_months[unit]
        year = anchor.year + offset
        if previous and anchor.month is not None and anchor.month >= first:
            year += 1  # "в декабре 1941 г. … в ту же зиму": the winter that ends in 1942
        return _season_of(unit, year, True)
    if unit == "month":
        if anchor.month is None:
            return None
        index = anchor.year * 12 + anchor.month - 1 + offset
        year, month = divmod(index, 12)
        return Interval((year, month + 1, 1), (year, month + 1, _month_days(year, month + 1)), "month", True)
    if deictic:  # "Вчера" under the heading "4 мая 1828 г.", whatever was narrated since
        if anchor.written is None:
            return None
        named = anchor.written
    elif anchor.month is not None and anchor.day is not None:
        named = (anchor.year, anchor.month, anchor.day)
    elif anchor.last_day is not None:
        named = anchor.last_day
    else:
        return None
    if unit == "week":
        return _week(named, offset)
    day = _shift(named, offset)
    return Interval(day, day, "day", True) if day else None


def _week(day: Day, offset: int) -> Interval | None:
    """Monday to Sunday of the week ``offset`` weeks from ``day``'s: "На минувшей неделе"
    under the dateline "02.06.1997" is 26 May – 1 June 1997."""
    if day[0] < 1:
        return None
    monday = _shift(day, -dt.date(*day).weekday() + 7 * offset)
    sunday = _shift(monday, 6) if monday else None
    return Interval(monday, sunday, "range", True) if sunday else None


def _pair(expr: Expression, anchor: DateAnchor) -> tuple[Interval, Interval | None] | None:
    """(New Style, Old Style) of "25 июня (7 июля) 1807 г."; Old Style None when the
    parenthesis is not the other calendar's date."""
    a, p = expr.ends[0], expr.pair
    p.month = p.month or a.month
    written = a.year or expr.shared_year
    base, anchored = (written, False) if written else (anchor.year, True)
    if not written and a.ref is not None and base is not None:  # "14 (26) декабря того же года"
        if a.ref[0] != "year":
            return None
        base += a.ref[1]
    if base is None:
        return None
    choices = [(a.year or base, p.year or base)]
    if not (a.year and p.year):
        choices += [(base - 1, base), (base, base + 1)] if (p.month, p.day) < (a.month, a.day) else []
    for ya, yp in choices:
        first, second = (ya, a.month, a.day), (yp, p.month, p.day)
        if _julian_to_gregorian(first) == second:
            return _day(second, anchored), _day(first, anchored)
        if _julian_to_gregorian(second) == first:
            return _day(first, anchored), _day(second, anchored)
    first, second = (choices[0][0], a.month, a.day), (choices[0][1], p.month, p.day)
    gap = _days_between(first, second)
    if gap is None:
        return None
    if 0 < gap <= OLD_STYLE_SLACK:
        return _day(second, anchored), _day(first, anchored)
    if 0 < -gap <= OLD_STYLE_SLACK:
        return _day(first, anchored), _day(second, anchored)
    return _day(first, anchored), None


def _styled(end: End, anchor: DateAnchor) -> tuple[Interval, Interval | None] | None:
    """An end with the other calendar's day in brackets, as a pair: (New Style, Old Style)."""
    other = End(end.start, end.stop, day=end.alt_day, month=end.alt_month or end.month)
    return _pair(Expression(end.start, end.stop, "pair_day", [end], mode="pair", pair=other), anchor)


def _narrow(interval: Interval, fraction: tuple[int, int] | None) -> Interval:
    """The part of a period an explicit fraction names: "вторая половина XVI в." is
    1551–1600, "первая четверть XVIII в." 1701–1725, "первый квартал 1926 г." January
    to March. The granularity stays the period's."""
    if fraction is None:
        return interval
    which, count = fraction
    (y1, m1, _), (y2, _, _) = interval.start, interval.end
    if interval.granularity in ("century", "decade"):
        n = y2 - y1 + 1
        lo, hi = y1 + n * (which - 1) // count, y1 + n * which // count - 1
        return replace(interval, start=(lo, 1, 1), end=(hi, 12, 31))
    if interval.granularity == "year":
        lo, hi = 1 + 12 * (which - 1) // count, 12 * which // count
        return replace(interval, start=(y1, lo, 1), end=(y1, hi, _month_days(y1, hi)))
    if interval.granularity == "month":
        n = _month_days(y1, m1)
        return replace(interval, start=(y1, m1, 1 + n * (which - 1) // count), end=(y1, m1, n * which // count))
    return interval


def _day(day: Day, anchored: bool) -> Interval:
    return Interval(day, day, "day", anchored)


def _range_qualifier(expr: Expression) -> str:
    """A directional preposition; else a part said once before the range ("на рубеже
    XIX—XX вв.") or alike at both ends; mixed parts ("в конце XIX — начале XX в.") give none."""
    if expr.qualifier:
        return expr.qualifier
    first, last = expr.ends[0].part, expr.ends[-1].part
    return first if not last or first == last else ""


def _value(interval: Interval, qualifier: str, old: Interval | None = None) -> DateValue:
    return DateValue(
        _iso(interval.start), _iso(interval.end), interval.granularity, qualifier,
        _iso(old.start) if old else "", _iso(old.end) if old else "", interval.anchored,
    )


def resolve(expr: Expression, anchor: DateAnchor) -> list[tuple[int, int, DateValue]]:
    """(start, end, value) of each date an expression names (a list names several)."""
    if expr.mode == "pair":
        found = _pair(expr, anchor)
        if found is None:
            return []
        new, old = found
        return [(expr.start, expr.end, _value(new, expr.qualifier, old))]
    intervals = [resolve_end(end, anchor) for end in expr.ends]
    olds: list[Interval | None] = [None] * len(intervals)
    for k, end in enumerate(expr.ends):
        if end.alt_day is not None and intervals[k] is not None:  # "с 15 (27) сентября по 2 (14) октября"
            styled = _styled(end, anchor)
            intervals[k], olds[k] = styled if styled else (None, None)
        elif intervals[k] is not None:
            intervals[k] = _narrow(intervals[k], end.fraction)
    if any(i is None for i in intervals):
        return []
    if expr.mode == "list":
        bounds = [[end.start, end.stop] for end in expr.ends]
        bounds[0][0], bounds[-1][1] = expr.start, expr.end
        return [
            (start, stop, _value(interval, expr.qualifier or end.part))
            for (start, stop), end, interval in zip(bounds, expr.ends, intervals)
        ]
    if expr.mode == "range":
        first, last = intervals
        if first.start > last.end:
            return []
        joined = Interval(first.start, last.end, "range", first.anchored or last.anchored)
        old = Interval(olds[0].start, olds[1].end, "range") if olds[0] and olds[1] else None
        return [(expr.start, expr.end, _value(joined, _range_qualifier(expr), old))]
    end = expr.ends[0]
    if end.old_style and intervals[0].granularity == "day":
        new, old = _new_style(intervals[0])
        return [(expr.start, expr.end, _value(new, expr.qualifier or end.part, old))]
    return [(expr.start, expr.end, _value(intervals[0], expr.qualifier or end.part))]


def _new_style(old: Interval) -> tuple[Interval, Interval]:
    """(New Style, Old Style) of a day the text marks as Julian."""
    new = _julian_to_gregorian(old.start)
    return (_day(new, old.anchored), old) if new else (old, old)


def advance(anchor: DateAnchor, value: DateValue, dateline: bool = False) -> DateAnchor:
    """The anchor after reading ``value``, which heads a line of its own when ``dateline``."""
    start, end = _parse_iso(value.value_start), _parse_iso(value.value_end)
    epoch = (start[0] + end[0]) // 2
    if value.granularity in ("decade", "century") or end[0] - start[0] >= MAX_ANCHOR_YEARS:
        return replace(anchor, epoch=epoch)
    same_month = start[:2] == end[:2]
    return DateAnchor(
        year=end[0],
        month=end[1] if same_month else None,
        day=end[2] if start == end else None,
        epoch=epoch,
        last_day=end if start == end else anchor.last_day,
        written=end if dateline and start == end and not value.anchored else anchor.written,
        span=end[0] > start[0],
        days=anchor.days + (end,) if start == end else anchor.days,
    )


def moved(anchor: DateAnchor, unit: str, count: int) -> DateAnchor:
    """The anchor ``count`` units later, after "Через год": "летом 1985 г. … Через год,
    11—12 октября" is 1986. Only what the anchor knows moves: a day by days and weeks, a
    month by months, a year by years; a finer unit than the anchor knows moves nothing."""
    if anchor.year is None:
        return anchor
    if unit == "year":
        return replace(anchor, year=anchor.year + count, month=None, day=None, epoch=anchor.year + count)
    if unit == "month" and anchor.month is not None:
        year, month = divmod(anchor.year * 12 + anchor.month - 1 + count, 12)
        return replace(anchor, year=year, month=month + 1, day=None, epoch=year)
    if unit in ("week", "day") and anchor.month is not None and anchor.day is not None:
        day = _shift((anchor.year, anchor.month, anchor.day), count * (7 if unit == "week" else 1))
        return replace(anchor, year=day[0], month=day[1], day=day[2], epoch=day[0], last_day=day) if day else anchor
    return anchor


def _dateline(text: str, start: int, end: int) -> bool:
    """The date heads a short line of its own, as a diary entry's "6 февраля 1828 г.
    Туркманчай.", not a sentence that opens with it ("19 июля 2019 года исполнилось …");
    or it closes a short heading after a comma or stop, as a telegram's "ТЕЛЕГРАММА.
    Женева, 21.VII.1954", not a sentence that ends with it."""
    line_end = text.find("\n", end)
    rest = (text[end:] if line_end < 0 else text[end:line_end]).strip()
    head = _line_head(text, start)
    if not head:
        return len(rest) <= MAX_DATELINE_REST
    return not rest and head[-1] in ",." and len(head) <= MAX_DATELINE_HEAD


def _parse_iso(value: str) -> Day:
    sign = -1 if value.startswith("-") else 1
    year, month, day = value.lstrip("-").split("-")
    return sign * int(year), int(month), int(day)


def find_dates(
    text: str, anchor: DateAnchor | None = None, tags: Tags | None = None
) -> tuple[list[tuple[int, int, DateValue]], DateAnchor]:
    """Every date of ``text`` as (start, end, value), and the anchor after the last one."""
    anchor = anchor or DateAnchor()
    found = []
    for expr in grammar().find(text, tags):
        if expr.shift:
            anchor = moved(anchor, *expr.shift)
            continue
        for start, end, value in resolve(expr, anchor):
            found.append((start, end, value))
            anchor = advance(anchor, value, _dateline(text, start, end))
    return found, anchor


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    return Grammar()


# ---------------------------------------------------------------- spaCy component


class DocTags(Tags):
    """The tagger's POS and morphology on ``doc``, looked up by character offset."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]

    def counted(self, pos: int) -> bool:
        i = bisect_left(self.starts, pos)
        if i >= len(self.starts) or self.starts[i] != pos:
            return False
        token = self.doc[i]
        if not token.text[:1].islower() or token.pos_ not in ("NOUN", "NUM"):
            return False
        return not (token.morph.get("Case") == ["Nom"] and token.morph.get("Number") == ["Sing"])

    def adverbial(self, pos: int) -> bool:
        i = bisect_left(self.starts, pos)
        if i >= len(self.starts):
            return True
        # a pronoun object ("в первый же день его подписали") is no genitive complement: the
        # possessive of "накануне его отъезда" is tagged DET
        return self.doc[i].pos_ in ("VERB", "AUX", "ADV", "PRON", "PUNCT") and self.doc[i].lower_ not in ("и", "или")

    def noun_before(self, pos: int) -> bool:
        i = bisect_left(self.starts, pos) - 1
        while i >= 0 and self.doc[i].is_space:
            i -= 1
        if i > 0 and self.doc[i].text in _CLOSING_QUOTES:
            i -= 1  # a quoted name: "кинофестиваля «Сандэнс» 2013"
        return i >= 0 and self.doc[i].idx + len(self.doc[i]) <= pos and self.doc[i].pos_ in ("NOUN", "PROPN")


@Language.factory("letopis_dates")
def make_dates(nlp: Language, name: str) -> "DateRecognizer":
    return DateRecognizer()


class DateRecognizer:
    """Fill ``doc.spans["dates"]`` with every date expression, ``span._.date`` set."""

    def __init__(self) -> None:
        grammar()  # lexicons and compiled grammar, once per process, when the pipeline is built

    def __call__(self, doc: Doc) -> Doc:
        context = doc._.context
        if context is None:
            context = doc._.context = DocContext()
        anchor = context.last_date if isinstance(context.last_date, DateAnchor) else None
        found, anchor = find_dates(doc.text, anchor, DocTags(doc))
        context.last_date = anchor
        spans: list[Span] = []
        for start, end, value in found:
            span = doc.char_span(start, end, label="DATE", alignment_mode="expand")
            if span is None or (spans and span.start < spans[-1].end):
                continue
            span._.date = value
            spans.append(span)
        doc.spans[SPAN_KEY] = spans
        return doc
