"""pymorphy3 morphology: lemmas that agree with Natasha's tags, nominative forms.

One analyzer per process; results are cached because historical prose repeats
the same few thousand word forms over and over.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pymorphy3
from natasha.morph.vocab import ud_feats, ud_pos

# what the analyses depend on: data derived from them is cached under these versions
PACKAGES = ("pymorphy3", "pymorphy3-dicts-ru")
# Natasha/UD POS that pymorphy3 folds into one class
_POS_FOLD = {"PROPN": "NOUN", "AUX": "VERB", "SCONJ": "CCONJ", "DET": "ADJ"}
# features that decide between homonymous parses (animacy, voice etc. do not)
_FEATS = ("Case", "Gender", "Number", "Aspect", "NumForm", "Person", "Tense", "Variant")


@lru_cache(maxsize=1)
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=100_000)
def parses(word: str) -> tuple[pymorphy3.analyzer.Parse, ...]:
    return tuple(analyzer().parse(word))


def fold(word: str) -> str:
    """Lowercase with ё as е: the form pymorphy3 readings are looked up under here."""
    return word.lower().replace("ё", "е")


def readings(word: str) -> tuple[pymorphy3.analyzer.Parse, ...]:
    """The readings of a word as written in a text, whatever its case and ё."""
    return parses(fold(word))


def is_known(word: str) -> bool:
    return analyzer().word_is_known(word.lower())


def _feats(feats: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in feats.split("|") if "=" in item)


def _score(parse: pymorphy3.analyzer.Parse, pos: str, feats: dict[str, str]) -> int:
    """How well a pymorphy3 parse agrees with a Natasha (UD) tag."""
    ppos = ud_pos(parse.tag)
    score = 2 * (_POS_FOLD.get(ppos, ppos) == _POS_FOLD.get(pos, pos))
    pfeats = dict(ud_feats(parse.tag))
    return score + sum(pfeats.get(k) == feats[k] for k in _FEATS if k in feats)


@lru_cache(maxsize=200_000)
def best_parse(word: str, pos: str, feats: str) -> pymorphy3.analyzer.Parse | None:
    """The parse of ``word`` closest to the tagger's POS and features."""
    candidates = readings(word)
    if not candidates:
        return None
    wanted = _feats(feats)
    return max(candidates, key=lambda p: _score(p, pos, wanted))


def _inflects_by_parts(word: str, pos: str, feats: str) -> bool:
    """A proper noun of capitalized parts that pymorphy3 reads only as a compound adjective:
    each part inflects ("Румянцева-Задунайского" is Румянцев-Задунайский, not "румянцева-задунайский")."""
    parts = word.split("-")
    if pos != "PROPN" or len(parts) < 2 or not all(p[:1].isupper() and p[1:].islower() for p in parts):
        return False
    parse = best_parse(word, pos, feats)
    return parse is not None and parse.tag.POS != "NOUN"


# a name whose first word alone inflects, joined to the rest by particles of one to three
# letters: "Барклая-де-Толли", "Ростове-на-Дону"; pymorphy3 only guesses such a word whole
_PARTICLE_NAME = re.compile(r"^(?P<head>[^\W\d_]{2,})(?P<tail>(?:-[^\W\d_]{1,3})+-[^\W\d_]{2,})$")


def split_particle_name(word: str) -> tuple[str, str]:
    """("Барклая", "-де-Толли") of "Барклая-де-Толли": the inflecting head and the fixed
    rest; (word, "") for any other word."""
    found = _PARTICLE_NAME.match(word)
    return (found["head"], found["tail"]) if found else (word, "")


@lru_cache(maxsize=200_000)
def lemma(word: str, pos: str, feats: str) -> str:
    """Lowercase lemma of ``word`` tagged ``pos``/``feats`` (UD, as Natasha gives them)."""
    if pos in ("PUNCT", "NUM", "SYM", "X", "SPACE") or not any(c.isalpha() for c in word):
        return word.lower()
    head, tail = split_particle_name(word)
    if tail:
        return lemma(head, pos, feats) + tail.lower()
    if _inflects_by_parts(word, pos, feats):
        return "-".join(lemma(part, pos, feats) for part in word.split("-"))
    parse = best_parse(word, pos, feats)
    return parse.normal_form if parse else word.lower()


@lru_cache(maxsize=200_000)
def nominative(word: str, pos: str, feats: str, number: str = "") -> str:
    """``word`` inflected to the nominative (keeping its number unless told), case-restored.

    Used for canonical names: "Германской компартии" → "Германская компартия".
    """
    head, tail = split_particle_name(word)
    if tail:
        return nominative(head, pos, feats, number) + tail
    if _inflects_by_parts(word, pos, feats):
        return "-".join(nominative(part, pos, feats, number) for part in word.split("-"))
    parse = best_parse(word, pos, feats)
    if parse is None:
        return word
    grams = {"nomn"}
    if number:
        grams.add("sing" if number == "Sing" else "plur")
    form = parse.inflect(grams) or parse.inflect({"nomn"})
    return restore_shape(form.word if form else word.lower(), word)


_PERSON_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})
# a foreign man's surname declines like a noun of the consonant stem (Беннигсен, Беннигсена,
# Беннигсену, Беннигсеном), of the stem in -й (Барклай, Барклая, Барклаю, Барклаем) or in -ль
# (Эренталь, Эренталя, Эренталем);
# a Russian woman's surname ends in -ова, -ина, -ая
_CONSONANT_STEM = re.compile(
    r"^(?P<stem>.*[бвгдзклмнпрстфх])(?:а|у|ом)$|^(?P<vowel>.*[аеоуэ])(?:я|ю|ем)$|^(?P<soft>.*л)(?:я|ю|ем)$"
)
_FEMININE_SURNAME = re.compile(r"(ова|ева|ина|ына|ая)$")


def name_readings(word: str) -> list[pymorphy3.analyzer.Parse]:
    """The dictionary's readings of ``word`` as a given name, surname or patronymic, not
    those pymorphy3 guesses from the ending."""
    return [p for p in readings(word) if p.tag.POS == "NOUN" and _PERSON_GRAMMEMES & p.tag.grammemes and not _guessed(p)]


@lru_cache(maxsize=100_000)
def name_nominative(word: str, feats: str, surname: bool, oblique: bool) -> str | None:
    """Nominative of a word of a person's name, or None when neither rule knows it.

    The dictionary's readings of the word as a name, surname or patronymic of the gender
    the tagger gives decide first ("Мериком" → "Мерик", though "мериком" is also a common
    noun's nominative; "Булганина" → "Булганин" unless the tagger says a woman; not the
    rare women's names "Бриана", "Чернина" for a man's "Бриана", "Чернина"). A surname the dictionary
    does not know as a name loses the ending of its declension: "-ом" ("Куусиненом") always,
    "-а", "-у" ("Беннигсена", "Фора") only where the tagger puts some word of the name in an
    oblique case (``oblique``), as "Мазепа", "Мацуока" are nominatives. pymorphy3's guesses
    for such words (a feminine "Беннигсена", an adjective "куусиненый") are often wrong.
    """
    lower = fold(word)
    wanted = _feats(feats)
    nominative = wanted.get("Case") == "Nom" and not oblique
    if nominative and not is_known(lower) and any("nomn" in p.tag for p in parses(lower)):
        return word  # "Комура Дзютаро": not the genitive of a surname "Комур"
    if surname and wanted.get("Case") == "Ins" and _INSTRUMENTAL_A.search(lower) and not _adjective_reading(lower):
        return word[:-2] + "а"  # "Хавьером Соланой" → Солана, "Анной Ахматовой" → Ахматова
    other_gender = {"Masc": "femn", "Fem": "masc"}.get(wanted.get("Gender", ""))
    readings = [p for p in name_readings(lower) if other_gender is None or other_gender not in p.tag]
    if readings:
        best = max(readings, key=lambda p: _score(p, "NOUN", wanted))
        if "nomn" in best.tag:
            return word
        gender = {"masc", "femn"} & best.tag.grammemes
        form = best.inflect({"nomn", *gender}) or best.inflect({"nomn"})
        return restore_shape(form.word if form else best.normal_form, word)
    if surname and not is_known(lower) and _INDECLINABLE.search(lower):
        return word  # "адмирала Жерве", "Гюго": a foreign surname in -е, -о does not decline
    stem = _CONSONANT_STEM.match(word) if surname and "-" not in word else None
    if stem and lower.endswith(("ом", "ем")) and wanted.get("Case") == "Nom":
        return word  # "О. А. Игельстром": a surname in -ом the tagger reads as a nominative
    if stem and not oblique and not lower.endswith(("ом", "ем")):
        return None
    if stem and not _FEMININE_SURNAME.search(lower):
        if stem["soft"]:
            return stem["soft"] + "ь"  # "Эренталем", "Веделя" → Эренталь, Ведель
        return stem["stem"] or stem["vowel"] + "й"
    return None


# a foreign surname's vowel ending, not the locative of a Russian one ("о Жерове")
_INDECLINABLE = re.compile(r"(?<!ов|ев|ёв|ин|ын|ог|ег)[еёэо]$")  # nor an adjective's "-ого"
# the instrumental of a surname of the -а declension, a man's ("Соланой") or a woman's ("Ахматовой")
_INSTRUMENTAL_A = re.compile(r"[^аеёиоуыэюя]ой$")


def _adjective_reading(word: str) -> bool:
    """Whether the dictionary reads a word as a full adjective ("Толстой", "Трубецкой")."""
    return any(p.tag.POS == "ADJF" and not _guessed(p) for p in parses(word))


def declinable(word: str) -> bool:
    """Whether some reading of ``word`` is a noun, a full adjective or a participle: a
    name pymorphy3 reads only as a short adjective ("Розен", of "розный") or a verb form
    ("Корсунь", of "корсунуть") has no case to undo."""
    return any(p.tag.POS in ("NOUN", "ADJF", "PRTF") for p in readings(word))


def _guessed(parse: pymorphy3.analyzer.Parse) -> bool:
    """A reading pymorphy3 made up from the word's ending alone ("беннигсена" a woman's name)."""
    return any(type(method).__name__ in ("FakeDictionary", "KnownSuffixAnalyzer") for method, *_ in parse.methods_stack)


def restore_shape(word: str, model: str) -> str:
    """Give ``word`` the capitalization of ``model`` (UPPER, Title or lower), part by
    part in hyphenated words ("немирович-данченко" after "Немировича-Данченко")."""
    parts, model_parts = word.split("-"), model.split("-")
    if len(parts) > 1 and len(parts) == len(model_parts):
        return "-".join(restore_shape(p, m) for p, m in zip(parts, model_parts))
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def genitive(phrase: str) -> str:
    """A nominative name put in the genitive, as a party name wants it:
    "Германия" → "Германии", "Великобритания" → "Великобритании", "США" → "США".

    Words up to and including the first noun inflect; the rest (genitive
    complements, indeclinable abbreviations) stays as written.
    """
    words = phrase.split(" ")
    out = []
    for i, word in enumerate(words):
        candidates = [p for p in readings(word) if "nomn" in p.tag]
        if not candidates or word.isupper():
            out.extend(words[i:])
            break
        parse = candidates[0]
        form = parse.inflect({"gent"})
        out.append(restore_shape(form.word, word) if form else word)
        if parse.tag.POS == "NOUN":
            out.extend(words[i + 1 :])
            break
    return " ".join(out)


@lru_cache(maxsize=100_000)
def can_be_nominative(word: str) -> bool:
    """Whether some reading of ``word`` is nominative (the tagger may call "Коминтерном" one)."""
    word = split_particle_name(word)[0]
    return any("nomn" in p.tag for p in readings(word))


def plural_only(word: str) -> bool:
    """Whether every reading of ``word`` is plural: a place name such as "Рацлавицах",
    "Мацеёвицах" (Рацлавицы, Мацеёвицы) keeps its number in the nominative."""
    found = readings(word)
    return bool(found) and all("plur" in p.tag for p in found)


def agreeing(adjective: str, noun: str) -> str:
    """An adjective in the nominative singular of the gender of a noun (a lemma), as a name
    joins them: ("Эриванское", "ханство") → "Эриванское", ("Тверские", "княжество") →
    "Тверское"; the adjective as written when the dictionary cannot inflect it."""
    gender = next((p.tag.gender for p in readings(noun) if p.tag.POS == "NOUN" and p.tag.gender in ("masc", "femn", "neut")), None)
    if gender is None:
        return adjective
    form = next((p.inflect({"sing", "nomn", gender}) for p in readings(adjective) if p.tag.POS == "ADJF"), None)
    return restore_shape(form.word, adjective) if form else adjective
