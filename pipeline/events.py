"""Events: who did what, when and where, read off Natasha's dependency trees.

The ``letopis_events`` component finds event triggers (verbs and nouns of the
lexicon in ``models/events/triggers.csv``) and fills ``doc.spans["events"]``:
one span per trigger token, with ``span._.event`` an :class:`EventMention`
holding the SPEC event type, polarity and modality, the participant, place,
treaty and date spans, the date value and where it came from, and the
sentence. Arguments come from the trigger's syntactic frame (subject, object,
``с``/``между`` phrases, genitive and adjective possessors, locative
phrases), with the frame of a participle's noun, a gerund's main verb or a
support verb ("произвела обыск") standing in when the trigger has none.

The date of an event is, in this order: a date inside the trigger's own
phrase or clause, or the date of what it follows ("установлены после победы
на выборах в мае 1924 г.": May to the end of 1924) ("clause"); for a
signing, the treaty's date of signature ("treaty"); a date of an enclosing
clause, next to the trigger, or of a coordinated event, that one widened to
its year ("sentence"); the year of the last date before the sentence
("context", widened because it is weak evidence); talks dated only so take
the day of the signing told next, which ends them. Negated mentions ("не было
ратифицировано") take the lexicon's ``negated_type`` or polarity
``negative``; plans and proposals are ``hypothetical``. Only factual
mentions (``EventMention.factual``) become events of the tables.

Mentions of one happening (the same treaty signed twice over, a participle
and a verb about the same admission, a bare "на выборах" after the election
it refers to, "на том же саммите" after the summit) are clustered:
``event.cluster`` is the index, in ``doc.spans["events"]``, of the mention
that represents the happening.
``doc.spans["actor_relations"]`` holds MEMBER_OF and LEADER_OF links between
actors, each span covering its evidence with ``span._.relation`` set.
"""
from __future__ import annotations

import csv
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import morph
from .treaties import entry_date, heading_date

MODELS = Path(__file__).resolve().parents[1] / "models" / "events"

EVENT_TYPES = (
    "TREATY_SIGNING", "TREATY_RATIFICATION", "TREATY_REJECTION", "TREATY_TERMINATION",
    "RECOGNITION", "RELATIONS_ESTABLISHED", "RELATIONS_BROKEN", "RELATIONS_RESTORED",
    "ACCESSION", "ELECTION", "GOVERNMENT_FORMATION", "UPRISING", "WAR", "BATTLE",
    "OCCUPATION", "STRIKE", "RAID", "NEGOTIATIONS", "CONFERENCE", "OTHER",
)
# events whose participants include the parties of the treaty they concern
TREATY_EVENTS = {
    "TREATY_SIGNING", "TREATY_RATIFICATION", "TREATY_REJECTION", "TREATY_TERMINATION",
    "NEGOTIATIONS", "CONFERENCE", "ACCESSION",
}
# events that happen on a day and may be told again for other dates ("продлевался в 1887 и 1891 годах")
REPEATED_EVENTS = {"TREATY_SIGNING", "TREATY_RATIFICATION", "TREATY_TERMINATION", "ELECTION", "RECOGNITION"}
# events whose object, when it is a territory, is where they happen
TERRITORY_EVENTS = {"OCCUPATION", "UPRISING", "WAR", "BATTLE", "RAID", "STRIKE", "ELECTION"}
DATE_SOURCES = ("clause", "treaty", "sentence", "context")
PLACE_TYPES = {"LOCATION", "STATE"}

# dependency labels that open a clause of their own
CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "acl", "acl:relcl", "parataxis", "csubj"}
# how an argument phrase reaches the actors inside it ("правительство Великобритании")
NOMINAL_DEPS = {"amod", "nmod", "appos", "flat", "flat:name", "flat:foreign", "conj", "nmod:poss"}
# prepositions whose objects are co-participants ("переговоры с Германией")
PARTNER_PREPS = {"с", "между", "против"}
# prepositions that locate an event ("в Берлине", "при Полтаве", "под Москвой")
PLACE_PREPS = {"в", "во", "при", "под", "на"}
MAX_DESCENT = 3
SUBJECT_WINDOW = 8  # tokens back from a verb to the subject the parse lost
SENTENCE_WINDOW = 6  # tokens: a date of another clause this close still dates the trigger
ANTECEDENT_SENTENCES = 2  # how far back a subject pronoun looks for its actor
CLUSTER_WINDOW = 3  # sentences: how far a bare mention looks for the happening it names
ANAPHORS = {"он", "она", "оно", "они", "его", "ее", "их"}  # lemmas of the third-person pronoun and its possessives

Span.set_extension("event", default=None, force=True)
Span.set_extension("relation", default=None, force=True)


# ---------------------------------------------------------------- lexicon

@dataclass(frozen=True, slots=True)
class Condition:
    """One requirement of a trigger on its arguments, as written in ``args``.

    ``theme:TREATY`` (the object must be a treaty), ``theme:TREATY?`` (if there
    is an object it must be one), ``obl/в:ORGANIZATION`` (a phrase with "в"
    naming an organization; ``obl/при|под:LOCATION`` takes either preposition),
    ``mod:военный`` (an adjective of the noun), ``!obl/в:сила`` (no such phrase:
    "договор вступил в силу" is no accession), ``no:predicative`` (no
    instrumental complement, so "признать Германию великой державой" is not a
    recognition).
    """

    role: str
    preps: frozenset[str]
    fillers: frozenset[str]
    optional: bool = False
    negated: bool = False  # "no:predicative"
    absent: bool = False  # "!role:fillers": no argument of the role may fit

    @classmethod
    def parse(cls, text: str) -> "Condition":
        absent = text.startswith("!")
        role, _, fillers = text.lstrip("!").partition(":")
        if role == "no":
            return cls(fillers, frozenset(), frozenset(), negated=True)
        role, _, preps = role.partition("/")
        optional = fillers.endswith("?")
        names = frozenset(f if f.isupper() else _fold(f) for f in fillers.rstrip("?").split("|"))
        return cls(role, frozenset(p for p in preps.split("|") if p), names, optional, absent=absent)


@dataclass(frozen=True, slots=True)
class Trigger:
    """A lexicon row: a lemma read as an event of ``type`` when its args hold."""

    lemma: str
    frame: str  # verb | noun: how arguments are read off the tree
    type: str
    conditions: tuple[Condition, ...]
    negated_type: str  # the type a negated/refused mention becomes ("" = stays, negative)
    refused_type: str  # the type a refused mention becomes, where refusing differs from not doing
    split: str  # agent | theme: each coordinated doer or object is an act of its own ("" = one act)
    feats: tuple[tuple[str, str], ...]


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[Trigger, ...]]:
    """Trigger rows by lemma, in file order (the first that fits wins)."""
    rows: dict[str, list[Trigger]] = {}
    with open(MODELS / "triggers.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["type"] not in EVENT_TYPES:
                raise ValueError(f"unknown event type {row['type']!r} in triggers.csv")
            feats = tuple(tuple(x.split("=", 1)) for x in row["feats"].split("|") if "=" in x)
            trigger = Trigger(
                lemma=_fold(row["lemma"]), frame=row["frame"], type=row["type"],
                conditions=tuple(Condition.parse(c) for c in row["args"].split()),
                negated_type=row["negated_type"], refused_type=row["refused_type"] or row["negated_type"],
                split=row["split"], feats=feats,  # type: ignore[arg-type]
            )
            rows.setdefault(trigger.lemma, []).append(trigger)
    return {lemma: tuple(triggers) for lemma, triggers in rows.items()}


@lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    """Cue lemmas by role (negation, refusal, modality, support, treaty, government, ...)."""
    roles: dict[str, set[str]] = {}
    with open(MODELS / "cues.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            roles.setdefault(row["role"], set()).add(_fold(row["lemma"]))
    return {role: frozenset(lemmas) for role, lemmas in roles.items()}


def _is(token: Token, role: str) -> bool:
    return _fold(token.lemma_) in cues().get(role, ())


# ---------------------------------------------------------------- records on the Doc

@dataclass(slots=True)
class EventMention:
    """What one trigger says: ``span._.event`` of a span in ``doc.spans["events"]``."""

    type: str
    lemma: str
    sentence: Span
    polarity: str = "positive"  # positive | negative
    modality: str = "asserted"  # asserted | hypothetical
    participants: list[Span] = field(default_factory=list)
    place: Span | None = None
    treaty: Span | None = None
    date: Span | None = None  # the date mention the value comes from, if any
    date_start: str = ""
    date_end: str = ""
    date_source: str = ""  # clause | treaty | sentence | context
    cluster: int = -1  # index in doc.spans["events"] of the happening's representative
    own: list[Span] = field(default_factory=list)  # whose act this is, where one trigger tells several
    parts: list["Part"] = field(default_factory=list)  # the acts of a trigger telling several

    @property
    def factual(self) -> bool:
        """Did it happen, according to the text?"""
        return self.polarity == "positive" and self.modality == "asserted"

    def acts(self) -> list["EventMention"]:
        """The happenings this mention tells: itself, or one per coordinated doer or
        object where each is an act of its own ("СССР признали Великобритания, Италия
        и Франция": three recognitions), sharing the other arguments and, unless the
        act has its own ("Литвой (12 июля), Латвией (11 августа)"), the date."""
        if not self.parts:
            return [self]
        grouped = {a for part in self.parts for a in part.own}
        shared = [p for p in self.participants if p not in grouped]
        acts = []
        for part in self.parts:
            doers = [a for a in part.own if a._.actor_type != "LOCATION"]
            act = replace(self, participants=_unique(doers + shared), place=part.place, treaty=part.treaty,
                          own=part.own, parts=[])
            if part.date is not None:
                act.date, act.date_source = part.date, "clause"
                act.date_start, act.date_end = _date_value(part.date._.date)  # type: ignore[misc]
            acts.append(act)
        return acts


@dataclass(frozen=True, slots=True)
class Part:
    """One act of a mention that tells several: whose it is, where, of which treaty, when."""

    own: list[Span]
    place: Span | None
    treaty: Span | None
    date: Span | None  # a date of this act alone, if the text gives one


@dataclass(frozen=True, slots=True)
class ActorRelation:
    """``span._.relation`` of a span in ``doc.spans["actor_relations"]``."""

    label: str  # MEMBER_OF | LEADER_OF
    head: Span
    tail: Span


# ---------------------------------------------------------------- the Doc's actors

class _Index:
    """Actor, treaty and date spans of a Doc, by the tokens they cover; its sentences by
    their first token."""

    def __init__(self, doc: Doc) -> None:
        self.actors: dict[int, list[Span]] = {}
        for span in (*doc.ents, *doc.spans.get("actor_refs", ())):
            if span._.actor_type and span._.canonical:
                for token in span:
                    self.actors.setdefault(token.i, []).append(span)
        self.treaties: dict[int, Span] = {}
        if Span.has_extension("treaty"):
            for span in doc.spans.get("treaties", ()):
                if span._.treaty is not None:
                    for token in span:
                        self.treaties.setdefault(token.i, span)
        self.dates: list[Span] = []
        if Span.has_extension("date"):
            self.dates = sorted(
                (s for s in doc.spans.get("dates", ()) if _date_value(s._.date)),
                key=lambda s: s.start,
            )
        self.date_tokens = {t.i for s in self.dates for t in s}
        self.treaty_tokens = set(self.treaties)
        self.sentence_starts = [sent.start for sent in doc.sents]
        self.sentence_of = {start: n for n, start in enumerate(self.sentence_starts)}  # first token -> number

    def actors_at(self, token: Token) -> list[Span]:
        return self.actors.get(token.i, [])


def _date_value(value: object) -> tuple[str, str] | None:
    """(start, end) ISO of a DateValue-like object or an ISO string."""
    if value is None:
        return None
    if isinstance(value, str):
        return (value, value) if value else None
    start = getattr(value, "value_start", "") or ""
    end = getattr(value, "value_end", "") or start
    return (start, end) if start else None


def _year_of(interval: tuple[str, str]) -> tuple[str, str]:
    """The whole years an interval falls in: weak evidence keeps only its year."""
    return f"{interval[0][:4]}-01-01", f"{interval[1][:4]}-12-31"


# ---------------------------------------------------------------- the tree

def _case(token: Token) -> str:
    """The preposition governing a nominal ("с", "в"), or "". A preposition the
    parse hung on a later noun across another one in a different case is that
    other noun's ("подписала в Пресбурге мир": "в" is not "мир"'s)."""
    for child in token.children:
        if child.dep_ == "case" and not _governs_between(child, token):
            return _fold(child.lemma_)
    return ""


def _governs_between(preposition: Token, token: Token) -> bool:
    case = token.morph.get("Case")
    return preposition.i < token.i and any(
        t.pos_ in ("NOUN", "PROPN") and t.morph.get("Case") and t.morph.get("Case") != case
        for t in token.doc[preposition.i + 1 : token.i]
    )


def _up(token: Token) -> Iterator[Token]:
    """``token``, then its heads up to the root (a broken, cyclic parse cannot loop)."""
    seen: set[int] = set()
    while token.i not in seen:
        seen.add(token.i)
        yield token
        if token.head.i == token.i:
            return
        token = token.head


def _opens_clause(token: Token) -> bool:
    return token.dep_ in CLAUSE_DEPS or (token.dep_ == "conj" and token.pos_ in ("VERB", "AUX"))


def _clause(token: Token) -> Token:
    """The head of the clause ``token`` belongs to."""
    for token in _up(token):
        if _opens_clause(token):
            return token
    return token


def _ancestor_clauses(token: Token) -> list[Token]:
    clauses: list[Token] = []
    head = _clause(token)
    while all(c.i != head.i for c in clauses):
        clauses.append(head)
        if head.head.i == head.i:
            break
        head = _clause(head.head)
    return clauses


def _is_passive(token: Token) -> bool:
    if token.morph.get("Voice") == ["Pass"] or any(c.dep_ in ("aux:pass", "nsubj:pass") for c in token.children):
        return True
    parse = morph.best_parse(token.text, "VERB", str(token.morph))
    return parse is not None and "pssv" in parse.tag


def _is_participle(token: Token) -> bool:
    if token.morph.get("VerbForm") == ["Part"]:
        return True
    parse = morph.best_parse(token.text, "VERB", str(token.morph))
    return parse is not None and parse.tag.POS in ("PRTF", "PRTS")


def _with_conj(tokens: Iterable[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        out.extend(c for c in token.subtree if c.dep_ == "conj" and _conj_root(c) == token)
    return out


def _conj_root(token: Token) -> Token:
    for token in _up(token):
        if token.dep_ != "conj":
            return token
    return token


@dataclass(slots=True)
class _Frame:
    """The argument heads of one trigger, by role."""

    agent: list[Token] = field(default_factory=list)
    theme: list[Token] = field(default_factory=list)
    obliques: list[tuple[str, Token]] = field(default_factory=list)  # (preposition, head)
    modifiers: list[Token] = field(default_factory=list)  # adjectives ("франко-бельгийской")
    manner: list[Token] = field(default_factory=list)  # a bare instrumental of how it was done ("взял штурмом")
    noun: bool = False


def _dependents(token: Token, index: _Index) -> Iterator[tuple[Token, str]]:
    """``token``'s children with their relations, and the words the parse hung on a
    date that depends on ``token`` ("В 1933 г. СССР признали ...": "СССР" hangs on "г."),
    read as what their case makes them: nominative subject, accusative or
    indeclinable object (subject where the verb has none), prepositional oblique."""
    yield from ((child, child.dep_) for child in token.children)
    has_subject = any(c.dep_.startswith("nsubj") for c in token.children)
    for date in index.dates:
        if date.root.head.i != token.i or date.root.i == token.i:
            continue
        for child in (c for t in date for c in t.children if not date.start <= c.i < date.end):
            if child.pos_ not in ("NOUN", "PROPN") or child.dep_ not in ("nmod", "dep", "appos", "obl", "nsubj"):
                continue
            case, fixed = child.morph.get("Case"), _indeclinable(child)
            if _case(child):
                yield child, "obl"
            elif case == ["Nom"] or (fixed and not has_subject):
                yield child, "nsubj"
            elif case == ["Acc"] or fixed:
                yield child, "obj"


def _indeclinable(token: Token) -> bool:
    return any("Fixd" in p.tag for p in morph.parses(_fold(token.text)))


def _frame(token: Token, trigger: Trigger, index: _Index) -> _Frame:
    frame = _Frame(noun=trigger.frame == "noun")
    for child, dep in _dependents(token, index):
        prep = _case(child)
        if dep == "conj" or child.pos_ == "PUNCT" or (child.i in index.date_tokens and not prep):
            continue  # a date is no doer or object ("27 июня 1807 г. ... был подписан")
        if trigger.frame != "noun":
            passive = _is_passive(token)
            if not prep and dep in ("obj", "obl", "advmod") and child.pos_ == "NOUN" and _instrumental(child):
                frame.manner.append(child)  # "взял Очаков штурмом": taken in a fight
            if dep.startswith("nsubj") and child.morph.get("Case") != ["Acc"] and _finite(token) \
                    and not _subject_agrees(token, child):
                continue  # the parse crossed two clauses' subjects ("Германия подписала ..., ВЦИК аннулировал")
            if dep in ("obj", "nsubj", "nsubj:pass") and _beyond_another_verb(token, child):
                continue  # "подписал пакт ..., Англия заключила союз": "союз" is the other verb's
            if dep == "nsubj:pass" or (dep == "nsubj" and (passive or child.morph.get("Case") == ["Acc"])):
                frame.theme.append(child)
            elif dep == "nsubj":
                frame.agent.append(child)
            elif dep in ("obj", "iobj") and not prep or _stray_preposition_object(child, prep):
                frame.theme.append(child)
            elif dep.startswith("obl") and not prep and child.morph.get("Case") == ["Ins"] and passive:
                frame.agent.append(child)
            elif dep.startswith("obl") and not prep and child.morph.get("Case") == ["Ins"] and trigger.frame == "verb-ins":
                frame.theme.append(child)  # "овладели Дерптом"
            elif dep.startswith(("obl", "nmod")) and prep:
                frame.obliques.append((prep, child))
        else:
            if dep == "amod":
                frame.modifiers.append(child)
            elif dep in ("nmod", "nmod:poss") and not prep:
                case = child.morph.get("Case")
                (frame.agent if case == ["Ins"] else frame.theme).append(child)
            elif dep in ("nmod", "obl") and prep:
                frame.obliques.append((prep, child))
    if trigger.frame != "noun":
        frame.obliques.extend(_stray_partners(token))
    if trigger.frame != "noun" and not frame.agent:
        _borrowed_arguments(token, frame)
    if trigger.frame != "noun" and not (frame.theme if _is_passive(token) else frame.agent):
        subject = _adjacent_subject(token, after=_is_passive(token), dates=index.date_tokens)
        (frame.theme if _is_passive(token) else frame.agent).extend([subject] if subject is not None else [])
    if not frame.theme:
        frame.theme.extend(_complement_after_date(token, trigger, index))
    if not frame.theme and trigger.frame != "noun" and not _is_passive(token):
        frame.theme.extend(_adjacent_object(token))
    if trigger.frame == "noun":
        _support_arguments(token, frame, index)
    frame.agent, frame.theme = _with_conj(frame.agent), _with_conj(frame.theme)
    return frame


def _instrumental(token: Token) -> bool:
    """Can the form be instrumental? The tagger reads "взяли приступом" as an accusative
    object, so every reading of the form counts."""
    return token.morph.get("Case") == ["Ins"] or any("ablt" in p.tag for p in morph.parses(_fold(token.text)))


def _stray_preposition_object(child: Token, prep: str) -> bool:
    """An accusative the parse gave the preposition of a noun before it, and so an oblique:
    "заключил в Букареште мир с Портою" (see ``_case``)."""
    return child.dep_.startswith("obl") and not prep and child.morph.get("Case") == ["Acc"] \
        and any(c.dep_ == "case" for c in child.children)


def _stray_partners(token: Token) -> list[tuple[str, Token]]:
    """Partner phrases inside a verb's clause that the parse hung on an earlier clause's
    verb ("прибыл канцлер ФРГ К. Аденауэр, и 13 сентября между СССР и ФРГ были
    установлены дипломатические отношения": "между СССР" is not the arrival's)."""
    start = token.left_edge.i
    return [
        (_case(t), t) for t in token.doc[start : token.i]
        if t.dep_.startswith("obl") and _case(t) in PARTNER_PREPS and t.head.i < start and t.head.pos_ in ("VERB", "AUX")
    ]


def _borrowed_arguments(token: Token, frame: _Frame) -> None:
    """A participle's noun; a gerund's or infinitive's controller, the object of
    its verb where it has one ("вынудил Августа подписать мир"); the subject a
    coordinated verb shares ("Австрия поспешила выйти из войны и ... подписала мир")."""
    head = token.head
    if head.i == token.i:
        return
    if _is_participle(token) and not _is_short(token):
        nominal = head.pos_ in ("NOUN", "PROPN", "PRON") and token.dep_ != "conj"
        noun = head if nominal and _agrees(token, head, case=False) else _agreeing_noun(token)
        if noun is not None:
            (frame.theme if _is_passive(token) else frame.agent).append(noun)
        return
    if token.morph.get("VerbForm") in (["Conv"], ["Inf"]) or token.dep_ in ("xcomp", "advcl"):
        objects = [c for c in head.children if c.dep_ == "obj" and not _case(c)]
        if token.morph.get("VerbForm") == ["Inf"] and objects:
            frame.agent.extend(objects)
            return
        frame.agent.extend(_subject_of(head))
        return
    if token.dep_ in ("conj", "parataxis") and not _subjects(token):
        (frame.theme if _is_passive(token) else frame.agent).extend(_coordinated_subjects(token))


def _subject_of(verb: Token) -> list[Token]:
    """The subject of a verb that controls an infinitive or gerund: its own, or the
    one it shares as a coordinated verb, or its controller's ("хотел начать войну")."""
    for _ in range(MAX_DESCENT):
        own = [c for c in _subjects(verb) if c.dep_ == "nsubj" and _subject_agrees(verb, c)]
        if own:
            return own
        if verb.dep_ in ("conj", "parataxis"):
            return _coordinated_subjects(verb)
        if verb.dep_ != "xcomp" or verb.head.i == verb.i:
            return []
        verb = verb.head
    return []


def _coordinated_subjects(verb: Token) -> list[Token]:
    """The subject a coordinated verb shares: that of the nearest finite verb before
    it in the sentence agreeing with it ("Россия прекращала войну ..., но
    отказывалась подписать договор"), whatever the parse coordinated it with, or
    the one standing right before that verb where the parse gave it none ("Румыния
    заключила с Антантой союзный договор и 27 августа вступила в войну")."""
    for other in reversed(verb.doc[verb.sent.start : verb.i]):
        if other.pos_ not in ("VERB", "AUX") or not _finite(other) or not _subject_agrees(verb, other):
            continue
        subjects = [c for c in _subjects(other) if _subject_agrees(verb, c)]
        if not subjects and not _is_passive(other):
            adjacent = _adjacent_subject(other, after=False, dates=set())
            subjects = [adjacent] if adjacent is not None and _subject_agrees(verb, adjacent) else []
        between = [c for c in subjects if other.i < c.i < verb.i and _after_clause_break(other, c)]
        if subjects:
            return between or subjects
    return []


def _after_clause_break(verb: Token, noun: Token) -> bool:
    """Does a comma or conjunction stand between a verb and a noun the parse made its
    subject ("Горбачёв сложил полномочия, а ... Совет Республик принял декларацию")?
    Then the noun is the next clause's own subject."""
    return any(t.is_punct or _fold(t.text) in CLAUSE_OPENERS for t in verb.doc[verb.i + 1 : noun.i])


def _finite(token: Token) -> bool:
    return token.morph.get("VerbForm") not in (["Inf"], ["Conv"], ["Part"]) or _is_short(token)


def _subject_agrees(verb: Token, noun: Token) -> bool:
    """Does a finite verb agree with a would-be subject: number, and gender in the
    singular past ("Германия подписала", not "ВЦИК подписала")? Unknown features agree;
    a verb's gender says nothing of a plural noun's."""
    number, other = verb.morph.get("Number"), noun.morph.get("Number")
    if noun.pos_ in ("NOUN", "PROPN", "PRON") and any(c.dep_ == "conj" for c in noun.children):
        other = ["Plur"]  # "Литва, Латвия и Эстония вступили"
    if number and other and number != other and not _indeclinable(noun):
        return False
    gender, other = verb.morph.get("Gender"), noun.morph.get("Gender")
    return not (number == ["Sing"] and gender and other and gender != other)


def _complement_after_date(token: Token, trigger: Trigger, index: _Index) -> list[Token]:
    """The complement a date wedged between it and its trigger cut off in the parse:
    "завершились подписанием 25 июня 1807 г. Тильзитского мирного договора"."""
    date = next((d for d in index.dates if d.start == token.i + 1), None)
    if date is None:
        return []
    wanted = "gent" if trigger.frame == "noun" else "accs"
    for other in token.doc[date.end : token.sent.end]:
        if other.pos_ in ("NOUN", "PROPN"):
            ok = any(wanted in p.tag for p in morph.parses(_fold(other.text)))
            return [other] if ok and other.head.i != token.i else []
        if other.pos_ not in ("ADJ", "DET", "PUNCT"):
            return []
    return []


def _beyond_another_verb(token: Token, child: Token) -> bool:
    """Is a dependent after ``token`` separated from it by another finite verb or by a
    subordinating conjunction ("отказался продлить договор, хотя Н. К. Гирс соглашался":
    Гирс is no object of "продлить")?"""
    return child.i > token.i and any(
        t.pos_ == "VERB" and _finite(t) and not _is_participle(t) or t.pos_ == "SCONJ"
        for t in token.doc[token.i + 1 : child.i]
    )


def _adjacent_object(verb: Token) -> list[Token]:
    """The accusative noun right after a verb the parse left without an object
    (it hung "союз" in "Англия 25 августа заключила союз с Польшей" on another verb)."""
    for other in verb.doc[verb.i + 1 : verb.sent.end]:
        if other.pos_ in ("NOUN", "PROPN"):
            accusative = any("accs" in p.tag for p in morph.parses(_fold(other.text)))
            return [other] if accusative and other.head.i != verb.i and not _case(other) else []
        if other.pos_ not in ("ADJ", "DET", "ADV", "PART"):
            return []
    return []


def _subjects(token: Token) -> list[Token]:
    return [c for c in token.children if c.dep_ in ("nsubj", "nsubj:pass") and c.morph.get("Case") != ["Acc"]]


def _is_short(token: Token) -> bool:
    """A short participle, the predicate of a passive ("был подписан"), not an attribute."""
    if token.morph.get("Variant") == ["Short"]:
        return True
    parse = morph.best_parse(token.text, "VERB", str(token.morph))
    return parse is not None and parse.tag.POS == "PRTS"


def _adjacent_subject(token: Token, after: bool, dates: set[int]) -> Token | None:
    """The subject of a finite verb the parse left without one: the nominative noun
    agreeing with it just before it, past its genitives and a person's initials
    ("армия генерала Мака была окружена", "отряды П. И. Багратиона заняли"), or,
    for a passive, just after it ("был заключен и секретный союзный договор")."""
    if token.morph.get("VerbForm") in (["Inf"], ["Conv"]) or (_is_participle(token) and not _is_short(token)):
        return None
    sentence, doc = token.sent, token.doc
    i = token.i - 1
    while i >= sentence.start and doc[i].pos_ in ("AUX", "ADV", "PART"):
        i -= 1
    for other in (doc[j] for j in range(i, max(sentence.start, i - SUBJECT_WINDOW) - 1, -1)):
        if other.i in dates:
            continue  # "ВЦИК 13 ноября аннулировал"
        if other.pos_ in ("NOUN", "PROPN") and _nominative(other) and _subject_agrees(token, other):
            return other
        if not (other.text == "." or other.pos_ in ("NOUN", "PROPN", "ADJ") and not _nominative(other)
                or _initial(other)):
            break
    if after:
        following = token.i + 1
        while following < sentence.end and doc[following].pos_ in ("ADV", "PART", "CCONJ", "ADJ", "DET"):
            following += 1
        if following < sentence.end:
            noun = doc[following]
            if noun.pos_ in ("NOUN", "PROPN") and _nominative(noun) and _subject_agrees(token, noun):
                return noun
    return None


def _initial(token: Token) -> bool:
    return len(token.text) == 1 and token.text.isupper()


def _nominative(token: Token) -> bool:
    return token.morph.get("Case") == ["Nom"] or any("nomn" in p.tag for p in morph.parses(_fold(token.text)))


def _support(token: Token) -> Token | None:
    """The support word a noun trigger is the object of: "произвела обыск", "победа на выборах"."""
    head = token.head
    if head.i == token.i or not _is(head, "support") or token.dep_ not in ("obj", "nsubj", "nsubj:pass", "obl", "nmod"):
        return _support_beside(token)
    return head


def _support_beside(token: Token) -> Token | None:
    """The support verb right before a noun trigger's preposition or right after the noun,
    where the parse hung the phrase on another word: "заключила договор и 27 августа
    вступила в войну", "на стороне Центральных держав в войну вступила Османская империя"."""
    preposition = token.i - 1
    if preposition < token.sent.start or token.doc[preposition].head.i != token.i or token.doc[preposition].dep_ != "case":
        return None
    for i in (preposition - 1, token.i + 1):
        word = token.doc[i] if token.sent.start <= i < token.sent.end else None
        if word is not None and word.pos_ in ("VERB", "AUX") and _is(word, "support"):
            return word
    return None


def _agrees(participle: Token, noun: Token, case: bool = True) -> bool:
    """Number, gender in the singular and (unless told) case agree, where both are known.
    The tagger's case of a participle is the least reliable; masculine and neuter
    participles share their oblique forms, so only feminine against the rest counts."""
    keys = ["Number"] + (["Case"] if case else [])
    same = all(
        participle.morph.get(k) == noun.morph.get(k)
        for k in keys if participle.morph.get(k) and noun.morph.get(k)
    )
    genders = participle.morph.get("Gender"), noun.morph.get("Gender")
    if participle.morph.get("Number") == ["Sing"] and all(genders):
        same = same and (genders[0] == ["Fem"]) == (genders[1] == ["Fem"])
    return same


def _agreeing_noun(token: Token) -> Token | None:
    """The noun a participle agrees with when the parse hung it elsewhere: the one
    just before its comma ("Германию, допущенную в Лигу Наций"), past a date that
    opens the participle's phrase ("Суворов, в 1771 г. разбивший их"), or a few words
    on ("пришедшего к власти лейбористского правительства")."""
    tagged = bool(token.morph.get("Case") and token.morph.get("Number"))
    dated = _date_phrase_before(token)
    start = dated.start if dated is not None else token.i
    before = [t for t in token.doc[max(token.sent.start, start - 3) : start] if not t.is_punct]
    if before and before[-1].pos_ in ("NOUN", "PROPN") \
            and (_agrees(token, before[-1]) if tagged else _may_agree(token, before[-1])):
        return before[-1]
    if not tagged:
        return None
    for other in token.doc[token.i + 1 : min(token.i + 8, token.sent.end)]:
        if other.pos_ in ("NOUN", "PROPN") and _agrees(token, other):
            return other
        if other.pos_ in ("VERB", "PUNCT") and other.text not in ("«", "»"):
            return None
    return None


_PYMORPHY = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct",
             "Masc": "masc", "Fem": "femn", "Neut": "neut", "Sing": "sing", "Plur": "plur"}


def _may_agree(participle: Token, noun: Token) -> bool:
    """Where the tagger gave a participle no case ("разбивший" read as a finite verb),
    can one of its dictionary readings as a participle agree with ``noun``?"""
    wanted = {_PYMORPHY[v] for k in ("Case", "Gender", "Number") for v in noun.morph.get(k) if v in _PYMORPHY}
    return any("PRTF" in p.tag and wanted <= set(p.tag.grammemes) for p in morph.parses(_fold(participle.text)))


def _date_phrase_before(token: Token) -> Span | None:
    """The date phrase, with its preposition, that ends right before ``token``."""
    dates = [d for d in token.doc.spans.get("dates", ()) if d.end == token.i]
    if not dates:
        return None
    start = dates[0].start
    if start > token.sent.start and token.doc[start - 1].pos_ == "ADP":
        start -= 1
    return token.doc[start : token.i]


def _gerund_subject(token: Token, index: _Index) -> list[Span]:
    """The subject a gerund shares with its main clause, when the parse lost it:
    the nearest group of coordinated nominative actors outside the gerund's phrase."""
    inside = {t.i for t in token.subtree}
    nominative = [
        a for a in {id(a): a for t in token.sent for a in index.actors_at(t)}.values()
        if a.root.i not in inside and a.root.morph.get("Case") == ["Nom"]
    ]
    if not nominative:
        return []
    nearest = min(nominative, key=lambda a: abs(a.root.i - token.i))
    group = _conj_root(nearest.root)
    return [a for a in nominative if _conj_root(a.root) == group]


def _support_arguments(token: Token, frame: _Frame, index: _Index) -> None:
    """Arguments of a support verb: "полиция произвела обыск", "подняли восстание"."""
    verb = _support(token)
    if verb is None:
        return
    for child in verb.children:
        if child.i == token.i:
            continue
        if child.dep_ == "nsubj" and token.dep_ != "nsubj":
            frame.agent.append(child)
        elif verb.pos_ == "NOUN" and child.dep_ == "nmod" and not _case(child):
            frame.agent.append(child)
        elif child.dep_.startswith("obl") and _case(child):
            frame.obliques.append((_case(child), child))
    if not frame.agent:
        borrowed = _Frame()
        _borrowed_arguments(verb, borrowed)
        frame.agent.extend(borrowed.agent)
    if not frame.agent and verb.pos_ in ("VERB", "AUX") and not _is_passive(verb):
        subject = _adjacent_subject(verb, after=False, dates=index.date_tokens)
        frame.agent.extend([subject] if subject is not None else [])


# ---------------------------------------------------------------- arguments → spans

def _actors_under(token: Token, index: _Index, triggers: set[int], depth: int = 0, *, agent: bool = False,
                  partners: bool = True) -> list[Span]:
    """Actors a phrase names: its own span, else those of its adjectives, partners
    ("отношения с СССР", unless ``partners`` is off) and genitives ("оккупация
    территории Германии"); a doer's genitive only where the word stands for an actor
    ("правительство Великобритании" acts, "смерть Ленина" does not)."""
    found = list(index.actors_at(token))
    if found or depth >= MAX_DESCENT:
        return found
    for child in token.children:
        if (child.dep_ not in NOMINAL_DEPS and not _dash_apposition(child)) or child.i in triggers:
            continue
        prep = _case(child)
        if child.dep_ in ("nmod", "nmod:poss") and (prep not in PARTNER_PREPS or not partners) \
                and (prep or (agent and not _is(token, "proxy"))):
            continue
        found.extend(_actors_under(child, index, triggers, depth + 1, agent=agent, partners=partners))
    if not found and _is(token, "proxy") and token.i + 1 < token.sent.end:
        after = token.doc[token.i + 1]  # "правительства Штреземанна", whatever the parse made of it
        genitive = any("gent" in p.tag for p in morph.parses(_fold(after.text)))
        found = [a for a in index.actors_at(after) if a.start == after.i and genitive]
    return found


def _dash_apposition(token: Token) -> bool:
    """Names the parse made a parataxis after a dash, though they spell out the noun
    before it: "совещание глав правительств четырех держав — Н. А. Булганина, ..."."""
    return token.dep_ == "parataxis" and token.pos_ in ("PROPN", "NOUN") and any(
        c.dep_ == "punct" and c.text in ("—", "–") and c.i < token.i for c in token.children)


def _controller(token: Token, index: _Index, triggers: set[int]) -> list[Span]:
    """Who acts in a bare nominalization named as an aim or as the scene of the
    clause: the agent of the verb whose phrase holds it ("были использованы
    британским правительством в качестве основания для расторжения", "на совещании
    в Каннах Верховный совет решил", "в сражении под Варшавой польская армия
    нанесла поражение"), or as the manner of the verb ("взял штурмом Измаил"); not
    in other phrases ("во время войны", "назвал выборы мошенничеством")."""
    purpose = any(_is(c, "purpose") for c in token.children if c.dep_ == "case")
    scene = _case(token) in ("в", "во", "на") and token.morph.get("Case") == ["Loc"] and token.dep_ == "obl"
    if _manner(token):
        return _doers(token.head, index, triggers)
    if not (purpose or scene):
        return []
    for _ in range(MAX_DESCENT):
        if token.dep_ not in ("nmod", "obl", "obj", "iobj") or token.head.i == token.i or _circumstantial(token):
            return []
        token = token.head
        if token.pos_ in ("VERB", "AUX") or token.i in triggers:
            break
    else:
        return []
    if token.i in triggers:
        return []
    return _doers(token, index, triggers)


def _manner(token: Token) -> bool:
    """Is a noun the bare instrumental manner of its verb ("Суворов взял штурмом
    Измаил", "штурмом взял Прагу")? The act is the verb's: its doers, its date."""
    return not _case(token) and token.morph.get("Case") == ["Ins"] and token.dep_ in ("obl", "obj", "advmod") \
        and token.head.pos_ == "VERB"


def _doers(verb: Token, index: _Index, triggers: set[int]) -> list[Span]:
    """The actors who do what ``verb`` says: its subject, a passive's instrumental agent,
    or the subject it borrows (a participle's noun, a gerund's clause)."""
    passive = _is_passive(verb)
    heads = [
        c for c, dep in _dependents(verb, index)
        if (dep == "nsubj" and not passive)
        or (passive and dep.startswith("obl") and not _case(c) and c.morph.get("Case") == ["Ins"])
    ]
    if not heads:
        borrowed = _Frame()
        _borrowed_arguments(verb, borrowed)
        heads = borrowed.agent if not passive else []
    return [a for h in _with_conj(heads) for a in _actors_under(h, index, triggers, agent=True) if a._.actor_type != "LOCATION"]


def _circumstantial(token: Token) -> bool:
    """A phrase of time or cause ("во время забастовки", "после подписания", "в результате
    подписания"): the event it names is background, not something the clause's subject does."""
    return _is(token, "circumstance") or any(
        c.dep_ == "case" and (_is(c, "circumstance") or any(f.dep_ == "fixed" and _is(f, "circumstance") for f in c.children))
        for c in token.children
    )


def _treaty_under(token: Token, index: _Index, depth: int = 0) -> Span | None:
    if token.i in index.treaties:
        return index.treaties[token.i]
    if _anaphor(token) is not None:
        return _treaty_named_before(token, index)
    if _fold(token.lemma_) == "который":
        return _treaty_before_comma(token, index)
    if depth >= 2:
        return None
    for child in token.children:
        if child.dep_ in NOMINAL_DEPS | {"det"}:
            found = _treaty_under(child, index, depth + 1)
            if found is not None:
                return found
    return None


def _treaty_before_comma(relative: Token, index: _Index) -> Span | None:
    """The treaty a relative pronoun right after its comma stands for, whatever the parse
    made of the clause ("подписание ... договора о дружбе и взаимном нейтралитете, который
    на пять лет продлевал действие Рапалльского договора")."""
    comma = relative.i - 1
    if comma < 1 or relative.doc[comma].text != ",":
        return None
    return index.treaties.get(comma - 1)


def _treaty_named_before(pronoun: Token, index: _Index) -> Span | None:
    """The treaty a pronoun stands for: the last one named in its sentence or the one
    before (past replies that name nothing, "— Да."), if number and gender fit ("подписали
    Договор о запрещении испытаний ... Франция и КНР присоединиться к нему отказались")."""
    start = _sentence_before(pronoun, index)
    named = [span for i, span in sorted(index.treaties.items()) if start <= i < pronoun.i]
    return named[-1] if named and _refers(pronoun, named[-1].root) else None


def _treaty_noun_before(pronoun: Token, index: _Index) -> bool:
    """Does a pronoun stand for a treaty noun no name covers: the last subject or object
    of its number and gender in its sentence or the one before ("Устав СНГ был принят
    в Минске ...; Украина и Туркменистан подписывать его не стали")?"""
    if _anaphor(pronoun) is None:
        return False
    start = _sentences_back(pronoun, 1, index)
    nouns = [t for t in pronoun.doc[start : pronoun.i]
             if t.dep_ in ("nsubj", "nsubj:pass", "obj") and t.pos_ == "NOUN" and _refers(pronoun, t)]
    return bool(nouns) and _is(nouns[-1], "treaty")


def _fills(token: Token, names: frozenset[str], index: _Index, triggers: set[int]) -> bool:
    """Does the phrase headed by ``token`` name one of ``names`` (lemmas or classes)?"""
    if _fold(token.lemma_) in names:
        return True
    if "TREATY" in names and (_treaty_under(token, index) is not None or _is(token, "treaty")
                              or _treaty_noun_before(token, index)):
        return True
    if any(_is(token, name.lower()) for name in names if name.isupper()):  # a class of cues.csv
        return True
    types = {s._.actor_type for s in _actors_under(token, index, triggers, partners=False)}
    return bool(types & names)  # "вступили в войну с Германией" names no territory entered


def _holds(condition: Condition, token: Token, frame: _Frame, index: _Index, triggers: set[int]) -> bool:
    if condition.negated:
        return not _predicative(token, index)
    if condition.role == "theme":
        heads = frame.theme
    elif condition.role == "agent":
        heads = frame.agent
    elif condition.role == "mod":
        heads = frame.modifiers
    elif condition.role == "manner":
        heads = frame.manner
    else:
        heads = [h for prep, h in frame.obliques  # a date is no place or partner ("В 1917 г. США вступили")
                 if (prep.removesuffix("о") in condition.preps or prep in condition.preps) and h.i not in index.date_tokens]
    fits = any(_fills(h, condition.fillers, index, triggers) for h in heads)
    if condition.absent:
        return not fits
    return fits or (not heads and condition.optional)


def _predicative(token: Token, index: _Index) -> bool:
    """A bare instrumental complement that is not an actor, a few words on:
    "признавали Германию ... великой державой", "признает необоснованными"."""
    for other in token.doc[token.i + 1 : min(token.i + 9, token.sent.end)]:
        if other.pos_ in ("NOUN", "ADJ") and other.morph.get("Case") == ["Ins"] \
                and not _case(other) and not index.actors_at(other):
            return True
    return False


def _match(token: Token, index: _Index, triggers: set[int]) -> tuple[Trigger, _Frame] | None:
    for trigger in lexicon().get(_fold(token.lemma_), ()):
        if trigger.feats and any(token.morph.get(k) != [v] for k, v in trigger.feats):
            continue
        if trigger.frame == "noun" and token.pos_ not in ("NOUN", "PROPN"):
            continue
        frame = _frame(token, trigger, index)
        if all(_holds(c, token, frame, index, triggers) for c in trigger.conditions):
            return trigger, frame
    return None


# ---------------------------------------------------------------- polarity and modality

def _governors(token: Token, limit: int = 3) -> Iterator[Token]:
    """The words that govern a trigger within its clause chain: verbs it is the object,
    complement or infinitive of ("отказались ратифицировать", "не привели к подписанию");
    none for a full participle, which only describes its noun ("Подписанное ... соглашение
    ... в силу не вступило: ... сторона отказалась от него" hung on "отказалась")."""
    if _is_participle(token) and not _is_short(token):
        return
    for _ in range(limit):
        if token.head.i == token.i or token.dep_ in ("ROOT", "parataxis", "acl", "acl:relcl", "conj", "advcl", "ccomp", "nsubj"):
            return
        token = token.head
        yield token


def _negated(token: Token) -> bool:
    """Negated by a particle ("не подписали") or, a noun, by its preposition ("без боя");
    not by one the parse hung on it past another verb ("договор продлили ..., но в 1887
    году он истёк и возобновлён не был": the "не" is the last clause's)."""
    return any(
        c.dep_ in ("advmod", "neg", "dep", "case") and _is(c, "negation") and not _beyond_another_verb(token, c)
        for c in token.children
    )


def _polarity(token: Token) -> tuple[bool, bool]:
    """(negated, refused): "не было ратифицировано", "отказались ратифицировать"."""
    negated = _negated(token)
    refused = False
    for governor in _governors(token):
        if _is(governor, "refusal"):
            refused = not _negated(governor)
            break
        if _is(governor, "decline") and _negated(governor):
            refused = True  # "подписывать его не стали": they chose not to
            break
        if _is(governor, "support"):
            negated = negated or _negated(governor)
        else:
            break
    return negated, refused


def _modality(token: Token) -> str:
    """Hypothetical where a plan, obligation or condition governs the trigger ("если
    Россия подвергнется нападению"), or the first of coordinated infinitives
    ("обязывалась вывести войска и признать мир")."""
    if _modal_marker(token):
        return "hypothetical"
    if token.morph.get("VerbForm") == ["Inf"] and token.dep_ == "conj":
        token = _conj_root(token)
    if token.morph.get("VerbForm") == ["Inf"] and _is(token.head, "consent"):
        return "hypothetical"  # "согласился возобновить союз", not "согласилось на переговоры"
    for governor in _governors(token):
        if _is(governor, "modality") or _modal_marker(governor):
            return "hypothetical"
    return "asserted"


def _modal_marker(token: Token) -> bool:
    """A modal auxiliary ("бы") or a conditional conjunction ("если") of ``token``'s clause."""
    return any(c.dep_ in ("aux", "mark") and _is(c, "modality") for c in token.children)


# ---------------------------------------------------------------- one mention

def _arguments(token: Token, mention: EventMention, frame: _Frame, index: _Index, triggers: set[int]) -> None:
    participants: list[Span] = []
    places: list[Span] = []
    for head in frame.agent:  # a place acts only when named as the doer ("Москва заявила")
        antecedent = _antecedent(head, index) if _treaty_under(head, index) is None else []
        participants.extend(
            a for a in _actors_under(head, index, triggers, agent=True) or antecedent
            if a._.actor_type != "LOCATION" or a.start <= head.i < a.end
        )
    for head in frame.theme + frame.modifiers:
        participants.extend(a for a in _actors_under(head, index, triggers) if a._.actor_type != "LOCATION")
    for head in [token] + frame.agent:
        participants.extend(a for h in _leaders(head) for a in _actors_under(h, index, triggers, agent=True))
    if not participants and token.morph.get("VerbForm") == ["Conv"]:
        participants.extend(_gerund_subject(token, index))
    for prep, head in frame.obliques:
        if head.i in index.date_tokens:
            continue  # "В 1933 г. СССР ...": what hangs on a date is read through ``_dependents``
        actors = [a for h in _with_conj([head]) for a in _actors_under(h, index, triggers)]
        if prep in PARTNER_PREPS or prep in ("к", "ко") or (prep == "на" and head.morph.get("Case") == ["Acc"]):
            participants.extend(a for a in actors if a._.actor_type != "LOCATION")
        elif prep in PLACE_PREPS and head.morph.get("Case") in (["Loc"], ["Ins"]):
            places.extend(a for a in actors if a._.actor_type in PLACE_TYPES)
            participants.extend(a for a in actors if a._.actor_type not in PLACE_TYPES)
        elif prep in ("в", "во") and mention.type == "ACCESSION" and head.morph.get("Case") == ["Acc"]:
            participants.extend(actors)
        elif prep in ("в", "во") and mention.type in TERRITORY_EVENTS and head.morph.get("Case") == ["Acc"]:
            places.extend(a for a in actors if a._.actor_type in PLACE_TYPES)  # "вступили в Берлин"
    if mention.type in TERRITORY_EVENTS and not places:  # "оккупация Рурской области", not "турецкую армию"
        for head in frame.theme:
            places.extend(a for a in index.actors_at(head) if a._.actor_type in PLACE_TYPES)
    if not places:
        places.extend(_nested_place(token, index, triggers))
    if not participants and frame.noun:
        participants.extend(_controller(token, index, triggers))
    in_treaty = lambda a: any(t.i in index.treaty_tokens for t in a)  # noqa: E731
    participants = [a for a in participants if not in_treaty(a)]
    mention.place = places[0] if places else None
    if mention.place is not None and mention.place._.actor_type == "STATE":
        participants.append(mention.place)
    elif mention.place is not None:
        participants = [p for p in participants if p != mention.place]
    for head in frame.theme + [h for _, h in frame.obliques] + frame.agent:  # "в 1887 году он истёк"
        mention.treaty = _treaty_under(head, index)
        if mention.treaty is not None:
            break
    mention.participants = _unique(participants)


def _leaders(token: Token) -> list[Token]:
    """Who a "во главе с" phrase on ``token`` names ("восстали жители Варшавы во главе с
    сапожником Яном Килинским"): a leader of the doers is one of them. The parse hangs
    the phrase on the noun or on the verb, with "во главе" fixed or as a noun."""
    leaders = []
    for child in token.children:
        fixed = _fold(child.lemma_) in ("в", "во") and any(_fold(g.lemma_) == "глава" for g in child.children)
        noun = _fold(child.lemma_) == "глава" and _case(child) in ("в", "во")
        if fixed or noun:
            leaders.extend(g for g in child.children if _case(g) in ("с", "со"))
    return leaders


def _antecedent(pronoun: Token, index: _Index) -> list[Span]:
    """The actor a subject pronoun "он"/"она" stands for: the nearest nominative actor
    of its gender before it, in its sentence or the two before ("пока ... не был
    назначен М. И. Кутузов. ... он отразил турок")."""
    if pronoun.pos_ != "PRON" or _fold(pronoun.lemma_) not in ("он", "она") or pronoun.morph.get("Number") != ["Sing"]:
        return []
    start = _sentences_back(pronoun, ANTECEDENT_SENTENCES, index)
    actors = {id(a): a for t in pronoun.doc[start : pronoun.i] for a in index.actors_at(t)}.values()
    fitting = [
        a for a in actors
        if a._.actor_type in ("PERSON", "STATE") and a.root.morph.get("Case") == ["Nom"]
        and a.root.morph.get("Gender") == pronoun.morph.get("Gender")
    ]
    return [max(fitting, key=lambda a: a.start)] if fitting else []


def _sentences_back(token: Token, back: int, index: _Index) -> int:
    """The first token of the sentence ``back`` sentences before ``token``'s own."""
    at = bisect_right(index.sentence_starts, token.i) - 1
    return index.sentence_starts[max(0, at - back)]


def _sentence_before(token: Token, index: _Index) -> int:
    """The first token of the sentence before ``token``'s, stepping over sentences that
    name nothing ("— Вопрос: Договор по ракетам средней и меньшей дальности? — Да.
    — … Горбачёв и Рейган его подписали")."""
    starts = index.sentence_starts
    back = bisect_right(starts, token.i) - 2
    while back > 0 and not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in token.doc[starts[back] : starts[back + 1]]):
        back -= 1
    return starts[max(0, back)]


def _nested_place(token: Token, index: _Index, triggers: set[int]) -> list[Span]:
    """A locative phrase the parse hung lower in the trigger's phrase
    ("обыск в помещении фирмы ... в Лондоне" read as "фирмы в Лондоне")."""
    frontier, found = [token], []
    for _ in range(MAX_DESCENT):
        frontier = [c for t in frontier for c in t.children
                    if c.dep_ in NOMINAL_DEPS | {"obl", "obj", "nsubj", "nsubj:pass"} and c.i not in triggers]
        for child in frontier:
            if _case(child) in PLACE_PREPS and child.morph.get("Case") in (["Loc"], ["Ins"]):
                found.extend(a for a in index.actors_at(child) if a._.actor_type in PLACE_TYPES)
        if found:
            return found
    return found


def _unique(spans: Iterable[Span]) -> list[Span]:
    seen: set[tuple[str, str]] = set()
    out = []
    for span in spans:
        key = (span._.actor_type, _fold(span._.canonical))
        if key not in seen:
            seen.add(key)
            out.append(span)
    return out


def _mention(token: Token, index: _Index, triggers: set[int]) -> EventMention | None:
    matched = _match(token, index, triggers)
    if matched is None:
        return None
    trigger, frame = matched
    mention = EventMention(type=trigger.type, lemma=trigger.lemma, sentence=token.sent)
    negated, refused = _polarity(token)
    if negated and refused:
        negated = refused = False  # "не отказались ратифицировать": it was ratified
    if refused and trigger.refused_type:
        mention.type = trigger.refused_type
    elif negated and trigger.negated_type:
        mention.type = trigger.negated_type
    elif negated or refused:
        mention.polarity = "negative"
    mention.modality = _modality(token)
    _arguments(token, mention, frame, index, triggers)
    mention.parts = _parts(mention, trigger, frame, index, triggers)
    return mention


def _parts(mention: EventMention, trigger: Trigger, frame: _Frame, index: _Index, triggers: set[int]) -> list[Part]:
    """Where the lexicon says each coordinated doer, object or partner acts on its own,
    the acts: "взяли Выборг, Ригу и Ревель" (three sieges), "заключены мирные договоры
    с Литвой, Латвией и Финляндией" (three treaties, a plural treaty noun's partners)."""
    if trigger.split == "partner":
        heads = _with_conj([c for h in frame.theme if h.morph.get("Number") == ["Plur"]
                            for c in h.children if c.dep_ == "nmod" and _case(c) in ("с", "со")])
    else:
        heads = {"agent": frame.agent, "theme": frame.theme}.get(trigger.split, [])
    groups = [g for g in (index.actors_at(h) for h in heads) if g]
    if trigger.split != "theme":  # doers and partners are no places ("с Литвой (12 июля, в Москве)")
        groups = [g for g in groups if any(a._.actor_type != "LOCATION" for a in g)]
    if groups:
        groups += _gapped(groups[-1][-1], index)
    if len(groups) < 2:
        return []
    parts = []
    for group in groups:
        where = [a for a in group if a._.actor_type in PLACE_TYPES]
        territory = trigger.split == "theme" and mention.type in TERRITORY_EVENTS
        treaty = mention.treaty
        if trigger.split == "partner" and treaty is not None and not _inside(group[0], treaty):
            treaty = None  # another of the treaties
        parts.append(Part(group, where[0] if territory and where else mention.place, treaty, _own_date(group[0], index)))
    return parts


def _gapped(last: Span, index: _Index) -> list[list[Span]]:
    """Actors of acts the sentence adds by gapping the verb after the last coordinated
    one: "СССР признали Великобритания, Италия и Франция, а в начале 1925 г. — Япония"."""
    doc, found = last.doc, []
    i = last.end
    while i < last.sent.end:
        if _fold(doc[i].text) != "а":
            i += 1
            continue
        j = i + 1
        date = next((d for d in index.dates if d.start == j), None)
        j = date.end if date is not None else j
        actors = index.actors_at(doc[j + 1]) if j + 1 < last.sent.end and doc[j].text in ("—", "–", "-") else []
        actor = next((a for a in actors if a.start == j + 1 and a._.actor_type == last._.actor_type), None)
        if actor is None:
            break
        found.append([actor])
        i = actor.end
    return found


def _inside(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end


def _own_date(actor: Span, index: _Index) -> Span | None:
    """A date that belongs to one of coordinated actors: in brackets right after it
    ("Латвией (11 августа, в Риге)") or gapped before it ("а в начале 1925 г. — Япония")."""
    doc = actor.doc
    if actor.end < len(doc) and doc[actor.end].text == "(":
        close = next((t.i for t in doc[actor.end : actor.sent.end] if t.text == ")"), actor.sent.end)
        inside = [d for d in index.dates if actor.end < d.start and d.end <= close]
        if inside:
            return inside[0]
    before = [d for d in index.dates if 0 <= actor.start - d.end <= 2 and d.start > actor.sent.start]
    if before and all(t.is_punct for t in doc[before[-1].end : actor.start]):
        opener = doc[before[-1].start - 1]
        if _fold(opener.text) in ("а", "и", ","):
            return before[-1]
    return None


def _entry_signings(doc: Doc, index: _Index) -> list[Span]:
    """The signing a chronology entry tells by naming the treaty after its date, with no
    verb: "1561, 28 ноября — Виленский договор: …" (one span on the treaty's head word)."""
    out = []
    for treaty in {(t.start, t.end): t for t in index.treaties.values()}.values():
        if entry_date(doc, treaty.start, index.dates) is None:
            continue
        span = Span(doc, treaty.root.i, treaty.root.i + 1, label="TREATY_SIGNING")
        span._.event = EventMention(type="TREATY_SIGNING", lemma=_fold(treaty.root.lemma_), sentence=treaty.sent,
                                    treaty=treaty)
        out.append(span)
    return out


def _named_by_their_scene(spans: list[Span]) -> list[Span]:
    """Without the verbs that only narrate a happening their own phrase names ("разгромила
    шведов в сражении при Полтаве": one battle, told by "сражении", which takes the verb's
    doer as its own, see ``_controller``; "штурмом взял Прагу": the storm)."""
    types = {span.start: span._.event.type for span in spans}
    return [
        span for span in spans
        if span.root.pos_ != "VERB"
        or not any(types.get(c.i) == span._.event.type and _scene(c) for c in span.root.children)
    ]


def _scene(token: Token) -> bool:
    """Is the verb's dependent where or how the happening took place ("в сражении",
    "штурмом взял")? A phrase of what came before ("после осады ... берёт Полоцк") is not."""
    if token.dep_.startswith("obl"):
        return _case(token) not in cues().get("after", ())
    return token.dep_ in ("obj", "advmod") and token.pos_ == "NOUN" and _instrumental(token)


def _participants_named_after(doc: Doc, spans: list[Span], index: _Index, triggers: set[int]) -> None:
    """Who took part in an event the text names first and peoples next, through a
    pronoun standing for it: "конгрессу в Вене ... В нем участвовали Александр I ...",
    "Его участниками были ...". The pronoun takes the nearest earlier mention of its
    number and gender in its sentence or the one before."""
    for token in doc:
        if not _is(token, "participation"):
            continue
        verb = token.pos_ in ("VERB", "AUX")
        near = [*token.children, *([token.nbor(-1)] if token.i else [])]  # the parse may hang "в нем" elsewhere
        pronoun = next((c for c in near if _anaphor(c) is not None and (
            _case(c) in ("в", "во") if verb else not _case(c) and c.dep_ in ("nmod", "nmod:poss", "det"))), None)
        if pronoun is None:
            continue
        at = index.sentence_of[pronoun.sent.start]
        named = [s._.event for s in spans
                 if s.start < pronoun.i and at - index.sentence_of[s.sent.start] <= 1 and _refers(pronoun, s.root)]
        if not named:
            continue
        if verb:
            found = _doers(token, index, triggers)
        else:
            found = [a for h in _with_conj(_holders(token)) for a in _actors_under(h, index, triggers)]
        named[-1].participants = _unique(named[-1].participants + [a for a in found if a._.actor_type != "LOCATION"])


def _anaphor(token: Token) -> tuple[str, bool] | None:
    """Number and femininity of a third-person pronoun ("в нем", "ее участниками"),
    from the parse or, where it gives none, from the dictionary; None for other words."""
    if _fold(token.lemma_) not in ANAPHORS or token.pos_ not in ("PRON", "DET"):
        return None
    number, gender = token.morph.get("Number"), token.morph.get("Gender")
    if not number:
        parse = next((p for p in morph.parses(_fold(token.text)) if p.tag.POS == "NPRO"), None)
        if parse is None:
            return None
        number, gender = ["Plur" if parse.tag.number == "plur" else "Sing"], ["Fem" if parse.tag.gender == "femn" else ""]
    return number[0], gender == ["Fem"]


def _refers(pronoun: Token, noun: Token) -> bool:
    """Can a pronoun stand for ``noun``: the same number, and in the singular a feminine
    for a feminine ("в ней" for "войне"; "в нем" for "конгрессе" or "совещании")?"""
    number, feminine = _anaphor(pronoun) or ("", False)
    if noun.morph.get("Number") != [number]:
        return False
    return number == "Plur" or feminine == (noun.morph.get("Gender") == ["Fem"])


def _talks_lead_to_treaties(spans: list[Span]) -> None:
    """Talks are about the treaty a relative clause says they produced: "начаты
    переговоры ..., в результате которых был подписан новый торговый договор"."""
    for i, span in enumerate(spans):
        talks: EventMention = span._.event
        if talks.type not in ("NEGOTIATIONS", "CONFERENCE") or talks.treaty is not None:
            continue
        for later in spans[i + 1 :]:
            signing: EventMention = later._.event
            if later.sent != span.sent:
                break
            if signing.type == "TREATY_SIGNING" and signing.treaty is not None and _relative(later.root):
                talks.treaty = signing.treaty
                break


def _talks_end_in_signing(spans: list[Span], sentences: dict[int, int]) -> None:
    """Talks the text dates only by its context end in the signing it tells next, in
    their sentence or the one after ("Переговоры ... вел А. Л. Ордин-Нащокин. 30 января
    (9 февраля) 1667 г. было подписано Андрусовское перемирие"): its day is theirs, not
    the year of the last date before them."""
    for i, span in enumerate(spans):
        talks: EventMention = span._.event
        if talks.type != "NEGOTIATIONS" or talks.date_source not in ("context", ""):
            continue
        for later in spans[i + 1 :]:
            if sentences[later.sent.start] - sentences[span.sent.start] > 1:
                break
            signing: EventMention = later._.event
            if signing.type == "TREATY_SIGNING" and signing.factual and signing.date_source in ("clause", "treaty"):
                talks.date, talks.date_source = signing.date, signing.date_source
                talks.date_start, talks.date_end = signing.date_start, signing.date_end
                talks.treaty = talks.treaty or signing.treaty
                break


def _relative(token: Token) -> bool:
    """Is ``token``'s clause a relative one ("в результате которых был подписан")?"""
    near = [c for c in token.children] + [g for c in token.children for g in c.children]
    return any(_fold(t.lemma_) == "который" for t in near)


# ---------------------------------------------------------------- dates

def _owner(date: Span, triggers: set[int], supported: dict[int, int]) -> Token:
    """The trigger a date belongs to (directly or through its support word,
    "победы на выборах в мае 1924 г."), else the phrase "после ..." that holds
    it, else the head of its clause. A date opening a clause belongs to the
    predicate that follows it, wherever the parse hung it ("В 1710 г. войска взяли
    Выборг, в 1713—1714 гг. заняли Финляндию")."""
    predicate = _predicate_after(date, triggers)
    for token in _up(predicate if predicate is not None else date.root):
        if date.start <= token.i < date.end:
            continue
        if token.i in triggers:
            return token
        if token.i in supported:
            return token.doc[supported[token.i]]
        if any(c.dep_ == "case" and _is(c, "after") for c in token.children) or _opens_clause(token):
            return token
    return token


CLAUSE_OPENERS = {
    ",", ";", ":", "—", "–", "-", "(", "а", "и", "но", "однако", "затем", "уже", "еще", "ещё", "лишь",
    "как", "когда", "что", "пока", "если", "хотя", "после", "прежде",
}
PREDICATE_WINDOW = 6  # tokens between a clause-opening date and its predicate


def _predicate_after(date: Span, triggers: set[int]) -> Token | None:
    """The finite verb a few words after a date that opens its clause or follows
    its subject ("ВЦИК 13 ноября аннулировал"), with no comma or other verb
    between; None where the date follows a verb or an event noun it dates."""
    doc, sentence = date.doc, date.sent
    before = date.start - 1
    opens = before < sentence.start or doc[before].is_space or _fold(doc[before].text) in CLAUSE_OPENERS
    subject = before >= sentence.start and doc[before].pos_ in ("NOUN", "PROPN") and before not in triggers \
        and _nominative(doc[before])
    if not (opens or subject):
        return None
    for token in doc[date.end : min(date.end + PREDICATE_WINDOW, sentence.end)]:
        if token.pos_ in ("VERB", "AUX") and _finite(token):
            return token if token.pos_ == "VERB" else token.head
        if token.pos_ in ("VERB", "AUX") or token.is_punct and token.text not in ("«", "»", '"'):
            return None
    return None


@dataclass(slots=True)
class _Dates:
    """The sentence's dates sorted by who they belong to."""

    owned: dict[int, list[Span]]  # trigger token -> dates of its own phrase
    free: dict[int, list[Span]]  # clause head or "после" phrase -> dates no trigger owns
    supported: dict[int, int]  # support word -> the trigger it carries

    @classmethod
    def of(cls, doc: Doc, triggers: set[int], index: _Index) -> "_Dates":
        supported: dict[int, int] = {}
        for i in sorted(triggers):
            head = _support(doc[i])
            if head is not None and head.i not in triggers:
                supported.setdefault(head.i, i)
        dates = cls({}, {}, supported)
        for date in index.dates:
            owner = _owner(date, triggers, supported)
            (dates.owned if owner.i in triggers else dates.free).setdefault(owner.i, []).append(date)
        return dates


_Dated = tuple[Span | None, tuple[str, str], str]  # date mention, interval, source


def _attributive(date: Span, token: Token) -> bool:
    """Does the date only tell which thing a noun of the clause is ("в соответствии с
    Парижскими соглашениями 1954 г. вступила в НАТО"), not when the trigger happened?"""
    head = date.root.head
    if date.root.dep_ != "nmod" or head.pos_ not in ("NOUN", "PROPN") or head.i != date.start - 1:
        return False  # the noun it names stands right before it, or the parse is not trusted
    while head.i != token.i and head.dep_ in NOMINAL_DEPS and head.head.i != head.i:
        head = head.head  # "во время забастовки 1926 г. в Англии": the trigger's own phrase
    return head.i != token.i


def _clause_date(token: Token, dates: _Dates) -> _Dated | None:
    """A date of the trigger's own phrase or of its clause, the nearest; one that
    names a noun of the clause only where the clause has no other."""
    own = dates.owned.get(token.i, []) + dates.free.get(_clause(token).i, [])
    if token.dep_ == "nsubj" or _manner(token):  # the predicate's date is its subject's or manner's too:
        own += dates.owned.get(token.head.i, [])  # "Война ... в 1656—1658 гг. закончилась перемирием"
    for participle in (c for c in token.children if c.dep_ == "acl" and _is_participle(c)):
        own += dates.free.get(participle.i, [])  # "Переговоры ..., начатые в 1906 г., завершились"
    own = [d for d in own if not _attributive(d, token)] or own
    own = [d for d in own if not _relative_between(token, d)]
    if not own:
        return None
    date = min(own, key=lambda d: abs(d.start - token.i))
    return date, _date_value(date._.date), "clause"  # type: ignore[return-value]


def _relative_between(token: Token, date: Span) -> bool:
    """Does «, который» open a clause between the trigger and a date after it? The date is
    that clause's, whatever the parse says: "избрал на царство ... Бориса Годунова,
    который венчался на царство 1 сентября" dates the coronation, not the election."""
    return any(t.lemma_ == "который" and t.i > 0 and t.doc[t.i - 1].text == ","
               for t in token.doc[token.i + 1 : date.start])


def _after_date(token: Token, index: _Index) -> _Dated | None:
    """ "после победы ... в мае 1924 г.": the event follows that date, within its year."""
    for child in token.children:
        if not child.dep_.startswith(("obl", "nmod")) or not any(
            c.dep_ == "case" and _is(c, "after") for c in child.children
        ):
            continue
        for date in index.dates:
            if child.left_edge.i <= date.start and date.end <= child.right_edge.i + 1:
                start, end = _date_value(date._.date)  # type: ignore[misc]
                return date, (start, f"{end[:4]}-12-31"), "clause"
    return None


def _treaty_date(mention: EventMention) -> _Dated | None:
    """A signing the text leaves undated happened when its treaty was signed."""
    if mention.type != "TREATY_SIGNING" or mention.treaty is None:
        return None
    treaty = mention.treaty._.treaty
    interval = _date_value(getattr(treaty, "date_signed", None))
    return (getattr(treaty, "date_span", None), interval, "treaty") if interval else None


def _sentence_date(token: Token, dates: _Dates) -> _Dated | None:
    """A date of an enclosing clause, next to the trigger, or of a coordinated
    event (that one widened to its year: it dates the other event, not this)."""
    sentence = token.sent
    candidates: list[tuple[Span, bool]] = []
    for clause in _ancestor_clauses(token)[1:]:
        candidates.extend((d, False) for d in dates.free.get(clause.i, ()))
    for free in dates.free.values():
        candidates.extend(
            (d, False) for d in free
            if sentence.start <= d.start < sentence.end and _gap(token, d) <= SENTENCE_WINDOW
            and not _relative_between(token, d)
        )
    for other in _coordinated(token):
        candidates.extend((d, True) for d in dates.owned.get(dates.supported.get(other.i, other.i), ()))
    if not candidates:
        return None
    date, widen = min(candidates, key=lambda c: abs(c[0].start - token.i))
    interval = _date_value(date._.date)
    return date, _year_of(interval) if widen else interval, "sentence"  # type: ignore[arg-type]


def _heading_date(token: Token, index: _Index) -> _Dated | None:
    """The date heading the journal entry the trigger's sentence belongs to ("18 (29) авг.
    Фридрих II вступил в Саксонию"): a day, where the last date before gives only a year."""
    date = heading_date(token.doc, token.sent, index.dates)
    return (date, _date_value(date._.date), "sentence") if date is not None else None  # type: ignore[return-value]


def _context_date(token: Token, index: _Index) -> _Dated | None:
    """The year of the last date before the trigger, in this block or an earlier one."""
    before = [d for d in index.dates if d.end <= token.i]
    if before:
        return before[-1], _year_of(_date_value(before[-1]._.date)), "context"  # type: ignore[arg-type]
    context = token.doc._.context if Doc.has_extension("context") else None
    year = getattr(getattr(context, "last_date", None), "year", None)  # the dates component's anchor
    return (None, (f"{year:04d}-01-01", f"{year:04d}-12-31"), "context") if year else None


def _date_events(doc: Doc, spans: list[Span], index: _Index) -> None:
    """Date every mention from the first source that has a date for it."""
    dates = _Dates.of(doc, {s.start for s in spans}, index)
    for span in spans:
        mention: EventMention = span._.event
        token = span.root
        found = (
            _clause_date(token, dates) or _after_date(token, index) or _treaty_date(mention)
            or _sentence_date(token, dates) or _heading_date(token, index) or _context_date(token, index)
        )
        if found is not None:
            mention.date, (mention.date_start, mention.date_end), mention.date_source = found
        if mention.date_source == "clause" and mention.type in REPEATED_EVENTS and not mention.parts:
            mention.parts = [Part([], mention.place, mention.treaty, d) for d in _date_series(mention.date, index)]


def _date_series(date: Span | None, index: _Index) -> list[Span]:
    """The dates coordinated with ``date`` ("в 1887 и 1891 годах"), itself included,
    where there are several: each is an act of its own; else none."""
    if date is None:
        return []
    at = next((k for k, d in enumerate(index.dates) if d.start == date.start), None)
    if at is None:
        return []
    first = last = at
    while first > 0 and _joined(index.dates[first - 1], index.dates[first]):
        first -= 1
    while last + 1 < len(index.dates) and _joined(index.dates[last], index.dates[last + 1]):
        last += 1
    return index.dates[first : last + 1] if last > first else []


def _joined(a: Span, b: Span) -> bool:
    """Two dates joined by "и" or a comma and nothing else ("в 1887 и 1891 годах")."""
    return a.end < b.start and all(t.text in (",", "и") for t in a.doc[a.end : b.start])


def _coordinated(token: Token) -> list[Token]:
    root = _conj_root(token)
    return [t for t in root.subtree if t.i != token.i and (t == root or (t.dep_ == "conj" and _conj_root(t) == root))]


def _gap(token: Token, date: Span) -> int:
    lo, hi = (token.i, date.start) if token.i < date.start else (date.end - 1, token.i)
    return sum(not t.is_space and not t.is_punct for t in token.doc[lo + 1 : hi])


# ---------------------------------------------------------------- one event per happening

def _actor_keys(mention: EventMention) -> frozenset[tuple[str, str]]:
    """Who takes part, the treaty's parties included."""
    keys = {(p._.actor_type, _fold(p._.canonical)) for p in mention.participants}
    if mention.treaty is not None and mention.type in TREATY_EVENTS:
        keys |= {("STATE", _fold(str(p))) for p in getattr(mention.treaty._.treaty, "parties", ()) or ()}
    return frozenset(keys)


def _treaty_key(mention: EventMention) -> str:
    if mention.treaty is None:
        return ""
    return _fold(str(getattr(mention.treaty._.treaty, "key", "") or mention.treaty.text))


def _compatible(a: EventMention, b: EventMention) -> bool:
    """Dates that could be one happening's: either weak, or intervals overlapping."""
    if not a.date_start or not b.date_start or "context" in (a.date_source, b.date_source):
        return True
    return a.date_start <= b.date_end and b.date_start <= a.date_end


@dataclass(frozen=True, slots=True)
class _Who:
    """What identifies a mention's happening, computed once per mention."""

    treaty: str
    actors: frozenset[tuple[str, str]]
    sentence: int  # index of the sentence in the Doc
    back: bool = False  # named as one told before ("На том же саммите")


def _same_happening(a: EventMention, b: EventMention, wa: _Who, wb: _Who, sentence_gap: int) -> bool:
    if a.type == b.type and wb.back and sentence_gap <= CLUSTER_WINDOW and not (a.parts or b.parts):
        return True  # "На том же саммите ... решили переименовать ... с 1 января 1995 г.": not a new one
    if a.type != b.type or not _compatible(a, b) or a.parts or b.parts:
        return False
    if wa.treaty and wb.treaty:
        return wa.treaty == wb.treaty
    ka, kb = wa.actors, wb.actors
    if wa.sentence == wb.sentence and (not ka or not kb or ka & kb):
        return True
    if len(ka) >= 2 and ka == kb:
        return True
    bare = a if _bare(a) else b
    return _bare(a) != _bare(b) and bare.date_source != "clause" and sentence_gap <= CLUSTER_WINDOW


def _names_one_told_before(token: Token) -> bool:
    """Does a determiner point the trigger back ("на том же саммите", "эта война")?"""
    return any(c.dep_ == "det" and _is(c, "back") for c in token.children)


def _refer_back(spans: list[Span], sentence_of: dict[int, int]) -> list[bool]:
    """Which mentions name a happening told before, in the last few sentences; each
    such mention takes that one's date, which its own clause may not share."""
    back = []
    for i, span in enumerate(spans):
        mention: EventMention = span._.event
        earlier = [s._.event for s in spans[:i] if s._.event.type == mention.type and s._.event.factual
                   and sentence_of[span.sent.start] - sentence_of[s.sent.start] <= CLUSTER_WINDOW]
        back.append(bool(earlier) and _names_one_told_before(span.root))
        if back[-1]:
            before = earlier[-1]
            mention.date, mention.date_source = before.date, before.date_source
            mention.date_start, mention.date_end = before.date_start, before.date_end
    return back


def _bare(mention: EventMention) -> bool:
    return not mention.participants and mention.treaty is None and mention.place is None


_RANK = {source: rank for rank, source in enumerate(DATE_SOURCES)}


def _strength(mention: EventMention) -> tuple[bool, int, int, int]:
    """Which mention represents a happening: best-dated, then most arguments."""
    rank = _RANK.get(mention.date_source, len(DATE_SOURCES))
    return (_bare(mention), rank, -len(mention.participants), -(mention.treaty is not None))


def _cluster(spans: list[Span], sentence_of: dict[int, int]) -> None:
    """Greedy, in text order: each factual mention joins the first earlier
    happening of its type it can be, else starts one. Non-factual mentions stay alone."""
    if not spans:
        return
    mentions: list[EventMention] = [span._.event for span in spans]
    back = _refer_back(spans, sentence_of)
    who = [_Who(_treaty_key(m), _actor_keys(m), sentence_of.get(m.sentence.start, 0), b)
           for m, b in zip(mentions, back)]
    groups: dict[str, list[list[int]]] = {}
    for i, mention in enumerate(mentions):
        same_type = groups.setdefault(mention.type, [])
        for group in same_type if mention.factual else ():
            if not mentions[group[0]].factual:
                continue
            gap = min(abs(who[i].sentence - who[j].sentence) for j in group)
            if all(_same_happening(mentions[j], mention, who[j], who[i], gap) for j in group):
                group.append(i)
                break
        else:
            same_type.append([i])
    for group in (g for same_type in groups.values() for g in same_type):
        best = min(group, key=lambda j: (_strength(mentions[j]), j))
        for j in group:
            mentions[j].cluster = best


# ---------------------------------------------------------------- actor relations

def _actor_relations(doc: Doc, spans: list[Span], index: _Index, triggers: set[int]) -> list[Span]:
    out: list[Span] = []

    def add(label: str, head: Span, tail: Span) -> None:
        if head == tail or (head._.actor_type, head._.canonical) == (tail._.actor_type, tail._.canonical):
            return
        start, end = min(head.start, tail.start), max(head.end, tail.end)
        span = Span(doc, start, end, label=label)
        span._.relation = ActorRelation(label, head, tail)
        out.append(span)

    for span in spans:  # a factual accession makes members of the organization joined
        mention: EventMention = span._.event
        if mention.type == "ACCESSION" and mention.factual:
            orgs = [p for p in mention.participants if p._.actor_type == "ORGANIZATION"]
            for org in orgs[-1:]:
                for member in mention.participants:
                    if member._.actor_type in ("STATE", "PERSON") or (member._.actor_type == "ORGANIZATION" and member != org):
                        add("MEMBER_OF", member, org)
    for token in doc:
        if _is(token, "member") and not _negated(token) and not any(_negated(g) for g in _governors(token)):
            tails = [a for c in token.children if c.dep_ == "nmod" for a in _actors_under(c, index, triggers)
                     if a._.actor_type in ("ORGANIZATION", "STATE")]
            heads = [a for h in _holders(token) for a in _actors_under(h, index, triggers)]
            for head in heads:
                for tail in tails[:1]:
                    add("MEMBER_OF", head, tail)
        elif _is(token, "leader") or _is(token, "government"):
            for head, tail in _leadership(token, index, triggers):
                add("LEADER_OF", head, tail)
        if _fold(token.lemma_) == "глава" and token.i > 0 and _fold(token.nbor(-1).text) == "во":
            for head, tail in _headed_by(token, index, triggers):
                add("LEADER_OF", head, tail)
    return out


def _holders(token: Token) -> list[Token]:
    """Who "член"/"глава" is said of: its subject (copula or "являться"), apposition or noun."""
    subjects = [c for c in token.children if c.dep_ == "nsubj"]
    if not subjects and token.dep_ in ("obl", "xcomp", "obj") and token.head.i != token.i:
        subjects = [c for c in token.head.children if c.dep_ == "nsubj"]
    appos = [c for c in token.children if c.dep_ in ("appos", "flat:name", "flat")]
    if token.dep_ == "appos":
        appos.append(token.head)
    return _with_conj(subjects + appos)


def _headed_by(token: Token, index: _Index, triggers: set[int]) -> list[tuple[Span, Span]]:
    """ "правительство Великобритании во главе с Р.Макдональдом": the person after
    "во главе с" leads the polity or organization of the phrase it qualifies."""
    doc = token.doc
    after = doc[token.i + 1 : min(token.i + 5, token.sent.end)]
    persons = [a for t in after for a in index.actors_at(t) if a._.actor_type == "PERSON"]
    preposition = token.nbor(-1)
    led = preposition.head if preposition.dep_ == "case" and preposition.head != token else token.head
    if led.i in range(token.i - 1, token.i + 5):
        led = led.head
    polities = [a for a in _actors_under(led, index, triggers) if a._.actor_type in ("STATE", "ORGANIZATION")]
    return [(p, s) for p in _unique(persons)[:1] for s in _unique(polities)[:1]]


def _leadership(token: Token, index: _Index, triggers: set[int]) -> list[tuple[Span, Span]]:
    """LEADER_OF pairs around a leader word, a government noun or "возглавить"."""
    persons: list[Span] = []
    polities: list[Span] = []
    if _is(token, "government"):
        for child in token.children:
            actors = _actors_under(child, index, triggers) if child.dep_ in ("nmod", "amod", "appos") else []
            persons += [a for a in actors if a._.actor_type == "PERSON" and not _case(child)]
            polities += [a for a in actors if a._.actor_type in ("STATE", "ORGANIZATION") and child.dep_ == "nmod"]
        polities += [a for a in index.actors_at(token) if a._.actor_type in ("STATE", "ORGANIZATION")]
    elif token.pos_ == "VERB":  # "возглавил правительство Великобритании"
        persons = [a for c in token.children if c.dep_ == "nsubj" for a in _actors_under(c, index, triggers)
                   if a._.actor_type == "PERSON"]
        polities = [a for c in token.children if c.dep_ == "obj" for a in _actors_under(c, index, triggers)
                    if a._.actor_type in ("STATE", "ORGANIZATION")]
    else:  # "глава правительства Великобритании Макдональд", "канцлер Германии"
        polities = [a for c in token.children if c.dep_ in ("nmod", "amod") for a in _actors_under(c, index, triggers)
                    if a._.actor_type in ("STATE", "ORGANIZATION")]
        persons = [a for h in _holders(token) for a in _actors_under(h, index, triggers) if a._.actor_type == "PERSON"]
    return [(p, s) for p in _unique(persons) for s in _unique(polities)[:1]]


# ---------------------------------------------------------------- the component

@Language.factory("letopis_events")
def make_events(nlp: Language, name: str) -> "Events":
    return Events()


class Events:
    """Find event mentions, their arguments and dates; cluster them into happenings."""

    def __init__(self) -> None:
        lexicon()
        cues()

    def __call__(self, doc: Doc) -> Doc:
        index = _Index(doc)
        candidates = {t.i for t in doc if _fold(t.lemma_) in lexicon()}
        spans: list[Span] = []
        for i in sorted(candidates):
            token = doc[i]
            if i in index.date_tokens or i in index.actors or i in index.treaty_tokens and token.pos_ != "VERB":
                continue  # part of a date or a name ("Народный консультативный конгресс")
            mention = _mention(token, index, candidates)
            if mention is None:
                continue
            span = Span(doc, i, i + 1, label=mention.type)
            span._.event = mention
            spans.append(span)
        spans = sorted(_named_by_their_scene(spans) + _entry_signings(doc, index), key=lambda s: s.start)
        _participants_named_after(doc, spans, index, {s.start for s in spans})
        _talks_lead_to_treaties(spans)
        _date_events(doc, spans, index)
        _talks_end_in_signing(spans, index.sentence_of)
        _cluster(spans, index.sentence_of)
        doc.spans["events"] = spans
        doc.spans["actor_relations"] = _actor_relations(doc, spans, index, {s.start for s in spans})
        return doc
