"""Events on real sentences: types, polarity and modality, arguments, dates, happenings.

Dates come from the dates component. Treaties and state types come from
components not yet on this pipeline; where a test needs them it sets them on
the Doc by hand (``annotate``), so these tests exercise the events component.
"""
from __future__ import annotations

import re
from pathlib import Path
from dataclasses import dataclass, field

import pytest
from spacy.tokens import Doc, Span

from pipeline import events as ev
from pipeline import nlp as nlp_module


@dataclass(frozen=True)
class Treaty:
    """A treaty as the treaties component gives it."""

    key: str
    name: str
    kind: str = "договор"
    date_signed: str = ""
    place: str = ""
    parties: list[str] = field(default_factory=list)


for _name in ("date", "treaty"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

STATES = {
    "германия": "Германия", "ссср": "СССР", "советский союз": "СССР", "советская россия": "СССР",
    "франция": "Франция", "бельгия": "Бельгия", "великобритания": "Великобритания",
    "англия": "Великобритания", "россия": "Россия", "польша": "Польша", "румыния": "Румыния",
}


PERSONS = ("Штреземанн", "Эррио", "Макдональд")


@pytest.fixture(scope="module")
def nlp():
    return nlp_module.load()


def _char_span(doc: Doc, text: str, nth: int = 0) -> Span:
    starts = [m.start() for m in re.finditer(re.escape(text), doc.text)]
    span = doc.char_span(starts[nth], starts[nth] + len(text), alignment_mode="expand")
    assert span is not None, text
    return span


def annotate(nlp, text: str, treaties: dict[str, Treaty] | None = None, last_date: object = None) -> Doc:
    """The Doc the events component sees after the pipeline's other components, with
    treaties, state types and what earlier blocks left in the context set by hand."""
    doc = nlp.make_doc(text)
    doc._.context = nlp_module.DocContext()
    for name, component in nlp.pipeline:
        if name != "letopis_events":
            doc = component(doc)
    for ent in doc.ents:
        state = STATES.get(ent._.canonical.casefold())
        if state:
            ent._.actor_type, ent._.canonical = "STATE", state
        person = next((p for p in PERSONS if ent.text.startswith(p)), None)
        if person:
            ent._.actor_type, ent._.canonical = "PERSON", person
    spans = []
    for phrase, treaty in (treaties or {}).items():
        for nth in range(doc.text.count(phrase)):
            span = _char_span(doc, phrase, nth)
            span._.treaty = treaty
            spans.append(span)
    doc.spans["treaties"] = spans
    if last_date is not None:
        doc._.context.last_date = last_date
    return ev.Events()(doc)


def mentions(doc: Doc, kind: str | None = None) -> list[ev.EventMention]:
    return [s._.event for s in doc.spans["events"] if kind is None or s._.event.type == kind]


def names(mention: ev.EventMention) -> set[str]:
    return {p._.canonical for p in mention.participants}


def one(doc: Doc, kind: str) -> ev.EventMention:
    found = mentions(doc, kind)
    assert len(found) == 1, [(m.type, m.lemma) for m in mentions(doc)]
    return found[0]


# ------------------------------------------------------------ types and arguments

def test_signing_subject_partner_and_clause_date(nlp) -> None:
    doc = annotate(
        nlp, "Германия 12 октября 1925 г. заключила новое торговое соглашение с Советским Союзом.",
    )
    event = one(doc, "TREATY_SIGNING")
    assert names(event) == {"Германия", "СССР"}
    assert (event.date_start, event.date_source) == ("1925-10-12", "clause")
    assert event.factual


def test_signing_of_a_treaty_takes_its_date_place_and_parties(nlp) -> None:
    berlin = Treaty("Берлинский договор", "Берлинский договор", date_signed="1926-04-24", parties=["СССР", "Германия"])
    doc = annotate(
        nlp, "За этим соглашением последовало подписание 24 апреля 1926 г. в Берлине договора о дружбе.",
        treaties={"договора о дружбе": berlin},
    )
    event = one(doc, "TREATY_SIGNING")
    assert event.treaty is not None and event.treaty._.treaty is berlin
    assert event.place is not None and event.place._.canonical == "Берлин"
    assert event.date_start == "1926-04-24"


def test_gerund_shares_the_main_clause_subject_and_the_treaty_date(nlp) -> None:
    rapallo = Treaty("Рапалльский договор", "Рапалльский договор", date_signed="1922-04-16")
    doc = annotate(
        nlp, "Подписав этот договор, Советская Россия и Германия, исключенные из мирового сообщества, "
             "одновременно выходили из дипломатической изоляции.",
        treaties={"этот договор": rapallo},
    )
    event = one(doc, "TREATY_SIGNING")
    assert names(event) == {"СССР", "Германия"}
    assert (event.date_start, event.date_source) == ("1922-04-16", "treaty")


def test_recognition_needs_a_state_and_no_predicative(nlp) -> None:
    doc = annotate(nlp, "Многие европейские страны в течение 1924 г. признали СССР де-юре.")
    assert names(one(doc, "RECOGNITION")) == {"СССР"}
    doc = annotate(nlp, "Эти соглашения безоговорочно признавали Германию великой державой.")
    assert not mentions(doc, "RECOGNITION")


def test_relations_broken_and_restored_each_with_its_own_date(nlp) -> None:
    doc = annotate(
        nlp, "В мае 1927 г. британское правительство выступило с нотой. Разорванные одновременно с этим "
             "дипломатические отношения с СССР были восстановлены только в октябре 1929 г.",
    )
    broken, restored = one(doc, "RELATIONS_BROKEN"), one(doc, "RELATIONS_RESTORED")
    assert names(broken) == names(restored) == {"СССР"}
    assert (restored.date_start, restored.date_source) == ("1929-10-01", "clause")
    assert (broken.date_start, broken.date_end, broken.date_source) == ("1927-01-01", "1927-12-31", "context")


def test_established_after_an_election_and_coordinated_formation(nlp) -> None:
    doc = annotate(
        nlp, "Дипломатические отношения с Францией были установлены после победы на выборах в мае 1924 г. "
             "«блока левых сил» и формирования правительства Эррио.",
    )
    established = one(doc, "RELATIONS_ESTABLISHED")
    assert names(established) == {"Франция"}
    assert (established.date_start, established.date_end) == ("1924-05-01", "1924-12-31")
    assert one(doc, "ELECTION").date_start == "1924-05-01"
    formation = one(doc, "GOVERNMENT_FORMATION")
    assert names(formation) == {"Эррио"} and formation.date_end == "1924-12-31"


def test_government_formation_names_its_head_however_parsed(nlp) -> None:
    doc = annotate(nlp, "Так, в августе 1923 г. во время формирования правительства Штреземанна "
                        "Коминтерн призвал немецких коммунистов к восстанию.")
    event = one(doc, "GOVERNMENT_FORMATION")
    assert names(event) == {"Штреземанн"} and (event.date_start, event.date_source) == ("1923-08-01", "clause")


def test_accession_and_membership(nlp) -> None:
    doc = annotate(nlp, "Когда в сентябре 1926 г. Германия была принята в Лигу Наций, Штреземанн выступил с речью.")
    event = one(doc, "ACCESSION")
    assert names(event) == {"Германия", "Лига Наций"}
    links = [(s._.relation.label, s._.relation.head._.canonical, s._.relation.tail._.canonical)
             for s in doc.spans["actor_relations"]]
    assert ("MEMBER_OF", "Германия", "Лига Наций") in links


def test_leader_of_a_government(nlp) -> None:
    doc = annotate(nlp, "Правительство Великобритании во главе с Макдональдом признало СССР.")
    links = {(s._.relation.label, s._.relation.head._.canonical, s._.relation.tail._.canonical)
             for s in doc.spans["actor_relations"]}
    assert ("LEADER_OF", "Макдональдом", "Великобритания") in links or \
        ("LEADER_OF", "Макдональд", "Великобритания") in links


@pytest.mark.parametrize("text, kind, place", [
    ("Коммунисты смогли лишь поднять восстание в Гамбурге.", "UPRISING", "Гамбург"),
    ("В 1709 г. русская армия разгромила шведов в сражении при Полтаве.", "BATTLE", "Полтава"),
    ("В январе 1923 г. французские войска начали оккупацию Рурской области.", "OCCUPATION", "Рурская область"),
    ("Всеобщая забастовка 1926 г. в Англии продолжалась девять дней.", "STRIKE", "Великобритания"),
    ("В апреле 1922 г. в Генуе открылась международная конференция.", "CONFERENCE", "Генуя"),
])
def test_event_types_with_places(nlp, text: str, kind: str, place: str) -> None:
    event = one(annotate(nlp, text), kind)
    assert event.place is not None and event.place._.canonical == place


def test_war_between_states(nlp) -> None:
    doc = annotate(nlp, "В августе 1914 г. Германия объявила войну России.")
    event = one(doc, "WAR")
    assert "Германия" in names(event) and event.date_source == "clause"


def test_raid_by_a_support_verb(nlp) -> None:
    doc = annotate(nlp, "В мае 1927 г. лондонская полиция произвела обыск в помещении фирмы «Аркос Лтд».")
    assert "Аркос Лтд" in names(one(doc, "RAID"))


def test_negotiations_with_a_partner(nlp) -> None:
    doc = annotate(nlp, "Советская делегация вела переговоры с Германией в Берлине.")
    event = one(doc, "NEGOTIATIONS")
    assert "Германия" in names(event) and event.place._.canonical == "Берлин"


def test_talks_concern_the_treaty_they_produce(nlp) -> None:
    treaty = Treaty("Советско-британский торговый договор", "Советско-британский торговый договор",
                    parties=["СССР", "Великобритания"])
    doc = annotate(
        nlp, "После этого были начаты переговоры, в результате которых 8 августа 1924 г. "
             "был подписан новый торговый договор.",
        treaties={"новый торговый договор": treaty},
    )
    assert one(doc, "NEGOTIATIONS").treaty._.treaty is treaty


def test_termination_agent_of_the_governing_verb(nlp) -> None:
    doc = annotate(nlp, "Документы были использованы Великобританией в качестве основания для расторжения "
                        "всех торговых соглашений.")
    assert names(one(doc, "TREATY_TERMINATION")) == {"Великобритания"}


@pytest.mark.parametrize("text, who, place", [
    ("В 1945 г. японские войска были разгромлены в Маньчжурии.", "Япония", "Маньчжурия"),
    ("Под Полтавой Пётр I одержал победу над шведами.", "Пётр I", "Полтава"),
])
def test_battles_read_off_defeats_and_victories(nlp, text: str, who: str, place: str) -> None:
    event = one(annotate(nlp, text), "BATTLE")
    assert who in names(event) and event.place._.canonical == place


@pytest.mark.parametrize("text", [
    "Победа на выборах досталась лейбористам.", "Эта статья разбила все надежды.",
])
def test_defeats_and_victories_off_the_battlefield_are_no_battles(nlp, text: str) -> None:
    assert not mentions(annotate(nlp, text), "BATTLE")


@pytest.mark.parametrize("text, who, place", [
    ("В 1552 г. войска Ивана IV взяли Казань.", "Иван IV", "Казань"),
    ("В 1794 г. Суворов овладел Варшавой.", "Суворов", "Варшава"),
    ("В 1760 г. русские войска заняли Берлин.", "Россия", "Берлин"),
])
def test_taking_a_town_is_an_occupation(nlp, text: str, who: str, place: str) -> None:
    event = one(annotate(nlp, text), "OCCUPATION")
    assert who in names(event) and event.place._.canonical == place


@pytest.mark.parametrize("text", [
    "Он взял на себя обязательство.", "В 1917 г. США вступили в войну.", "Договор вступил в силу в 1926 г.",
])
def test_taking_and_entering_what_is_no_territory(nlp, text: str) -> None:
    doc = annotate(nlp, text)
    assert not mentions(doc, "OCCUPATION") and not mentions(doc, "ACCESSION")


@pytest.mark.parametrize("text", [
    "В 1904 г. Япония напала на Россию.",
    "В 1904 г. Япония начала военные действия против России.",
])
def test_an_attack_is_a_war_of_both_sides(nlp, text: str) -> None:
    assert names(one(annotate(nlp, text), "WAR")) == {"Япония", "Россия"}


def test_a_coordinated_verb_shares_the_subject(nlp) -> None:
    doc = annotate(nlp, "Италия долго колебалась и лишь в мае 1915 г. объявила войну Австро-Венгрии.")
    assert "Италия" in names(one(doc, "WAR"))


def test_the_object_of_vynudit_signs(nlp) -> None:
    assert names(one(annotate(nlp, "Поражение вынудило Францию подписать перемирие."), "TREATY_SIGNING")) == {"Франция"}


def test_a_date_between_a_noun_and_its_treaty(nlp) -> None:
    paris = Treaty("Парижский мир", "Парижский мир", date_signed="1856-03-30")
    doc = annotate(nlp, "Война завершилась подписанием 30 марта 1856 г. Парижского мирного договора.",
                   treaties={"Парижского мирного договора": paris})
    assert one(doc, "TREATY_SIGNING").treaty._.treaty is paris


def test_a_preposition_hung_on_the_wrong_noun(nlp) -> None:
    treaty = Treaty("Сан-Стефанский мир", "Сан-Стефанский мир", parties=["Турция", "Россия"])
    doc = annotate(nlp, "Турция поспешила выйти из войны и 3 марта 1878 г. подписала в Сан-Стефано мир с Россией.",
                   treaties={"мир с Россией": treaty})
    event = one(doc, "TREATY_SIGNING")
    assert event.treaty._.treaty is treaty and names(event) == {"Турция"}


def test_a_meeting_of_leaders_is_negotiations(nlp) -> None:
    doc = annotate(nlp, "В феврале 1945 г. в Ялте состоялась встреча Сталина с Рузвельтом.")
    event = one(doc, "NEGOTIATIONS")
    assert names(event) == {"Сталин", "Рузвельт"} and event.place._.canonical == "Ялта"


def test_a_break_with_a_state(nlp) -> None:
    assert names(one(annotate(nlp, "В 1927 г. последовал разрыв с Великобританией."), "RELATIONS_BROKEN")) == {
        "Великобритания"}


def test_each_coordinated_state_recognizes_on_its_own(nlp) -> None:
    acts = one(annotate(nlp, "В 1933 г. СССР признали США и Испания."), "RECOGNITION").acts()
    assert [names(a) for a in acts] == [{"США", "СССР"}, {"Испания", "СССР"}]


def test_each_town_taken_is_a_siege_of_its_own(nlp) -> None:
    acts = one(annotate(nlp, "В 1945 г. советские войска взяли Кенигсберг, Вену и Берлин."), "OCCUPATION").acts()
    assert [a.place._.canonical for a in acts] == ["Кёнигсберг", "Вена", "Берлин"]
    assert all(names(a) == {"СССР"} for a in acts)


def test_a_territory_annexed_at_once_is_one_act(nlp) -> None:
    event = one(annotate(nlp, "В 1940 г. СССР включил в свой состав Эстонию, Латвию и Литву."), "OCCUPATION")
    assert event.acts() == [event] and names(event) == {"СССР", "Эстония", "Латвия", "Литва"}


def test_a_date_opening_a_clause_dates_the_predicate_after_it(nlp) -> None:
    doc = annotate(nlp, "В 1552 г. русские войска взяли Казань, в 1556 г. заняли Астрахань, "
                        "а в 1581 г. казаки Ермака вступили в Сибирь.")
    dated = {m.place._.canonical: m.date_start[:4] for m in mentions(doc, "OCCUPATION")}
    assert dated == {"Казань": "1552", "Астрахань": "1556", "Сибирь": "1581"}


def test_the_subject_the_parse_lost_is_found_past_its_genitives(nlp) -> None:
    doc = annotate(nlp, "В 1914 г. армия генерала Самсонова была окружена в Восточной Пруссии.")
    assert names(one(doc, "BATTLE")) == {"Самсонов"}


def test_a_passive_subject_after_its_verb(nlp) -> None:
    treaty = Treaty("Парижский мир", "Парижский мир", parties=["Франция", "Россия"])
    doc = annotate(nlp, "В том же году в Париже был подписан и мирный договор.", treaties={"мирный договор": treaty})
    assert one(doc, "TREATY_SIGNING").treaty._.treaty is treaty


def test_a_subject_pronoun_stands_for_the_last_person_named(nlp) -> None:
    doc = annotate(nlp, "Командование корпусом принял А. В. Суворов. "
                        "В сентябре 1789 г. он разгромил турецкую армию при Рымнике.")
    event = one(doc, "BATTLE")
    assert {"Суворов", "Турция"} <= names(event)
    assert event.place is None or event.place._.canonical != "Турция"  # the army's state is no battlefield


def test_who_acts_at_a_congress_takes_part_in_it(nlp) -> None:
    doc = annotate(nlp, "На Венском конгрессе Россия получила большую часть Варшавского герцогства.")
    assert names(one(doc, "CONFERENCE")) == {"Россия"}


def test_an_alliance_is_concluded_like_a_treaty(nlp) -> None:
    assert names(one(annotate(nlp, "В 1726 г. Россия заключила союз с Австрией."), "TREATY_SIGNING")) == {
        "Россия", "Австрия"}


def test_an_undated_clause_takes_the_year_of_its_sentence(nlp) -> None:
    doc = annotate(nlp, "Летом 1944 г. советские войска освободили Минск, и через неделю армия вступила в Вильнюс.")
    assert one(doc, "OCCUPATION").date_start[:4] == "1944"


@pytest.mark.parametrize("text, first, second", [
    ("Лишь после того, как 28 июня 1919 г. Германия подписала мирный договор, "
     "Сенат США 19 ноября отклонил Версальский договор.",
     ("TREATY_SIGNING", {"Германия"}, "1919-06-28"), ("TREATY_REJECTION", {"Сенат США"}, "1919-11-19")),
    ("Когда 23 августа 1939 г. СССР подписал пакт с Германией, Англия 25 августа заключила союз с Польшей.",
     ("TREATY_SIGNING", {"СССР", "Германия"}, "1939-08-23"),
     ("TREATY_SIGNING", {"Великобритания", "Польша"}, "1939-08-25")),
])
def test_two_clauses_keep_their_own_subjects_objects_and_dates(nlp, text: str, first: tuple, second: tuple) -> None:
    told = [(m.type, names(m), m.date_start) for m in mentions(annotate(nlp, text))]
    assert told == [first, second]


def test_a_coordinated_verb_shares_the_subject_that_agrees_with_it(nlp) -> None:
    doc = annotate(nlp, "В 1918 г. Германия заключила мир с Украиной, а Россия прекращала войну, "
                        "но отказывалась подписать договор.")
    event = one(doc, "TREATY_REJECTION")
    assert event.factual and names(event) == {"Россия"}


# ------------------------------------------------------------ polarity and modality

def test_not_ratified_is_a_rejection(nlp) -> None:
    event = one(annotate(nlp, "Это соглашение, однако, не было ратифицировано."), "TREATY_REJECTION")
    assert event.factual and not mentions(annotate(nlp, "Это соглашение не было ратифицировано."), "TREATY_RATIFICATION")


def test_refusal_to_ratify_is_a_rejection_by_the_refusing_subject(nlp) -> None:
    doc = annotate(nlp, "Германия отказалась ратифицировать торговое соглашение с СССР.")
    event = one(doc, "TREATY_REJECTION")
    assert event.factual and names(event) == {"Германия", "СССР"}


def test_ratification(nlp) -> None:
    doc = annotate(nlp, "В 1926 г. рейхстаг ратифицировал договор с СССР.")
    event = one(doc, "TREATY_RATIFICATION")
    assert event.factual and "СССР" in names(event)


def test_refusing_to_sign_is_a_rejection(nlp) -> None:
    event = one(annotate(nlp, "Китай отказался подписать Версальский договор."), "TREATY_REJECTION")
    assert event.factual and names(event) == {"Китай"}


@pytest.mark.parametrize("text", [
    "Франция обязывалась признать независимость Бельгии.",
    "По договору Франция обязывалась вывести войска из Рейнской области и признать независимость Бельгии.",
])
def test_an_obligation_is_not_an_event(nlp, text: str) -> None:
    assert not one(annotate(nlp, text), "RECOGNITION").factual


def test_negated_signing_did_not_happen(nlp) -> None:
    doc = annotate(nlp, "Споры вокруг долгов так и не привели к подписанию какого-либо соглашения.")
    event = one(doc, "TREATY_SIGNING")
    assert event.polarity == "negative" and not event.factual


@pytest.mark.parametrize("text, kind", [
    ("В августе 1928 г. Советский Союз выразил готовность присоединиться к пакту Бриана — Келлога.", "ACCESSION"),
    ("Письмо призывало английских коммунистов готовить восстание в армии.", "UPRISING"),
])
def test_plans_are_hypothetical(nlp, text: str, kind: str) -> None:
    event = one(annotate(nlp, text), kind)
    assert event.modality == "hypothetical" and not event.factual


def test_words_without_their_frame_are_not_events(nlp) -> None:
    doc = annotate(nlp, "Он подписал указ, заключил пари и принял решение об отставке.")
    assert not mentions(doc)


# ------------------------------------------------------------ one event per happening

def test_repeated_mentions_of_one_signing_merge(nlp) -> None:
    rapallo = Treaty("Рапалльский договор", "Рапалльский договор", date_signed="1922-04-16", parties=["СССР", "Германия"])
    doc = annotate(
        nlp, "Подписав этот договор, Советская Россия и Германия выходили из изоляции. "
             "В результате подписания договора рейхсвер получал возможность разместить в России свои центры.",
        treaties={"этот договор": rapallo, "договора рейхсвер": rapallo},
    )
    signings = [s for s in doc.spans["events"] if s._.event.type == "TREATY_SIGNING"]
    assert len(signings) == 2
    assert len({s._.event.cluster for s in signings}) == 1


def test_a_bare_mention_joins_the_happening_it_names(nlp) -> None:
    doc = annotate(
        nlp, "В мае 1927 г. полиция произвела обыск в помещении фирмы «Аркос Лтд». "
             "Изъятые при обыске документы не содержали ничего сенсационного.",
    )
    raids = [s._.event for s in doc.spans["events"] if s._.event.type == "RAID"]
    assert len(raids) == 2 and len({r.cluster for r in raids}) == 1


def test_distinct_recognitions_stay_apart(nlp) -> None:
    doc = annotate(
        nlp, "В течение 1924 г. многие страны признали СССР де-юре. "
             "Признание Советского Союза было одним из первых шагов правительства Макдональда.",
    )
    recognitions = [s._.event for s in doc.spans["events"] if s._.event.type == "RECOGNITION"]
    assert len(recognitions) == 2 and len({r.cluster for r in recognitions}) == 2


def test_context_date_from_an_earlier_block(nlp) -> None:
    from pipeline.dates import DateAnchor

    doc = annotate(nlp, "Коммунисты смогли лишь поднять восстание в Гамбурге.", last_date=DateAnchor(1923, 8))
    event = one(doc, "UPRISING")
    assert (event.date_start, event.date_end, event.date_source) == ("1923-01-01", "1923-12-31", "context")


def test_empty_and_odd_input(nlp) -> None:
    for text in ("", "   ", "Договор.", "1924"):
        assert list(annotate(nlp, text).spans["events"]) == []


# ------------------------------------------------------------ records

def test_records_one_event_per_happening_with_relations() -> None:
    pytest.importorskip("pipeline.normalize")
    from pipeline.document import Extractor
    from pipeline.records import stable_id

    text = ("В мае 1927 г. в Лондоне полиция произвела обыск в помещении фирмы «Аркос Лтд».\n"
            "Изъятые при обыске документы не содержали ничего сенсационного.\n")
    result = Extractor().text(text, "raid")
    raids = [e for e in result.events if e.type == "RAID"]
    assert len(raids) == 1
    raid = raids[0]
    assert text[raid.start:raid.end] == raid.trigger == "обыск"
    arcos = next(m for m in result.mentions if m.text.startswith("Аркос"))
    assert arcos.ref_id in raid.participants
    assert raid.place == stable_id("A", "LOCATION", "Лондон")
    links = {(r.head_id, r.relation, r.tail_id) for r in result.relations}
    assert (arcos.ref_id, "PARTICIPANT_IN", raid.event_id) in links
    assert (raid.event_id, "TAKES_PLACE_IN", raid.place) in links
    for relation in result.relations:
        assert 0 <= relation.start < relation.end <= len(text)
    event_mentions = [m for m in result.mentions if m.label == "EVENT"]
    assert {m.ref_id for m in event_mentions} == {raid.event_id} and len(event_mentions) == 2


# ------------------------------------------------------------ measurements

def _brat(tmp_path, text: str, ann: str):
    (tmp_path / "d.txt").write_text(text, encoding="utf-8")
    (tmp_path / "d.ann").write_text(ann, encoding="utf-8")
    return tmp_path


def test_relation_matching_is_typed_overlapping_and_one_to_one(tmp_path) -> None:
    from pipeline import evaluate_relations as er

    text = "Германия подписала договор в Берлине."
    ann = ("T1\tCOUNTRY 0 8\tГермания\nT2\tEVENT 9 18\tподписала\nT3\tCITY 29 36\tБерлине\n"
           "R1\tAGENT Arg1:T1 Arg2:T2\t\nR2\tTAKES_PLACE_IN Arg1:T2 Arg2:T3\t\n")
    gold, texts = er.read_brat_relations(_brat(tmp_path, text, ann))
    assert {(g.relation, text[g.head[0]:g.head[1]], text[g.tail[0]:g.tail[1]]) for g in gold} == {
        ("AGENT", "Германия", "подписала"), ("TAKES_PLACE_IN", "подписала", "Берлине")}
    system = [er.Link("d.txt", "PARTICIPANT_IN", (0, 7), (9, 17)), er.Link("d.txt", "TAKES_PLACE_IN", (9, 18), (29, 35)),
              er.Link("d.txt", "TAKES_PLACE_IN", (9, 18), (29, 36)), er.Link("d.txt", "POINT_IN_TIME", (9, 18), (0, 8))]
    table = er.score(gold, {"events": system}).set_index(["relation", "system"])
    assert table.loc[("TAKES_PLACE_IN", "events"), ["tp", "fp", "fn"]].tolist() == [1, 1, 0]
    assert table.loc[("PARTICIPANT_IN", "events"), ["tp", "fp", "fn"]].tolist() == [0, 1, 0]
    assert table.loc[("PARTICIPANT_IN+AGENT", "events"), ["tp", "fp", "fn"]].tolist() == [1, 0, 0]
    assert table.loc[("POINT_IN_TIME", "events"), ["tp", "fp", "fn"]].tolist() == [0, 1, 0]


@pytest.mark.slow
@pytest.mark.shared
def test_nerel_relations_are_all_read(shared_dir) -> None:
    from pipeline import evaluate_relations as er

    gold, texts = er.read_brat_relations(shared_dir / "datasets" / "nerel" / "test")
    assert len(texts) == 93 and len(gold) == 4096  # NEREL v1.1 test split (SOURCE.md)


@pytest.mark.slow
@pytest.mark.shared
def test_seed_event_f1_through_the_whole_pipeline(shared_dir) -> None:
    for module in ("pipeline.normalize", "pipeline.dates", "pipeline.treaties"):
        pytest.importorskip(module)
    from pipeline import evaluate
    from pipeline.batch import to_tables
    from pipeline.document import Extractor

    gold = evaluate.load_gold(shared_dir / "seed" / "gold")
    root = Path(__file__).resolve().parents[1]
    tables = to_tables(Extractor().file(root / "corpus" / g["doc"], g["doc"]) for g in gold)
    score = evaluate.evaluate_documents(tables, gold).score("events")
    assert score["tp"] + score["fn"] == 30  # gold events without OTHER
    assert score["f1"] >= 0.60, score


def test_records_one_event_per_acceding_state() -> None:
    pytest.importorskip("pipeline.normalize")
    from pipeline.document import Extractor

    result = Extractor().text("В 2004 г. в НАТО вступили Литва, Латвия и Эстония.\n", "nato")
    accessions = [e for e in result.events if e.type == "ACCESSION"]
    assert len(accessions) == 3 and len({e.event_id for e in accessions}) == 3
    assert all(e.date_start == "2004-01-01" and len(e.participants) == 2 for e in accessions)


def test_one_treaty_signed_in_two_years_is_two_happenings() -> None:
    for module in ("pipeline.normalize", "pipeline.treaties"):
        pytest.importorskip(module)
    from pipeline.document import Extractor

    text = ("В 1922 г. Германия и Советская Россия подписали Рапалльский договор.\n\n" + "Прошли годы.\n\n" * 20
            + "В 1926 г. Германия и Советская Россия подписали Рапалльский договор.\n\n")
    result = Extractor(block_chars=200).text(text, "twice")
    signings = [e for e in result.events if e.type == "TREATY_SIGNING"]
    assert sorted(e.date_start[:4] for e in signings) == ["1922", "1926"]


def test_a_treaty_event_told_in_two_blocks_is_one_happening() -> None:
    for module in ("pipeline.normalize", "pipeline.treaties"):
        pytest.importorskip(module)
    from pipeline.document import Extractor

    told = "В 1922 г. Германия и Советская Россия подписали Рапалльский договор.\n\n"
    text = told + "Прошли годы.\n\n" * 20 + told
    result = Extractor(block_chars=200).text(text, "two blocks")
    signings = [e for e in result.events if e.type == "TREATY_SIGNING"]
    assert len(signings) == 1 and signings[0].treaty_id
    assert len([m for m in result.mentions if m.ref_id == signings[0].event_id]) == 2


def test_an_act_gapped_after_the_coordinated_ones_keeps_its_own_date() -> None:
    pytest.importorskip("pipeline.normalize")
    from pipeline.document import Extractor

    text = "В 1924 г. СССР признали Великобритания, Италия и Франция, а в начале 1925 г. — Япония.\n"
    recognitions = [e for e in Extractor().text(text, "gapped").events if e.type == "RECOGNITION"]
    assert sorted(e.date_start[:4] for e in recognitions) == ["1924", "1924", "1924", "1925"]
    assert len({e.event_id for e in recognitions}) == 4


def test_each_partner_with_its_bracketed_date_signs_on_that_date() -> None:
    for module in ("pipeline.normalize", "pipeline.treaties"):
        pytest.importorskip(module)
    from pipeline.document import Extractor

    text = ("В 1920 г. Советская Россия подписала мирные договоры с Эстонией (2 февраля), "
            "Литвой (12 июля) и Латвией (11 августа).\n")
    signings = [e for e in Extractor().text(text, "partners").events if e.type == "TREATY_SIGNING"]
    assert sorted(e.date_start for e in signings) == ["1920-02-02", "1920-07-12", "1920-08-11"]
    assert all(len(e.participants) == 2 for e in signings)


# ------------------------------------------------------------ the second dev set (corpus/dev)

@pytest.mark.parametrize("text, day", [
    ("В 1789 г. Суворов разбил турок при Фокшанах 21 июля (1 августа).", "1789-08-01"),
    ("В 1791 г. князь Н. В. Репнин разбил великого визиря при Мачине 28 июня (9 июля).", "1791-07-09"),
    ("8 (20) октября 1827 г. русская эскадра уничтожила турецкий флот при Наварине.", "1827-10-20"),
])
def test_a_people_a_fleet_or_a_place_taken_for_a_person_makes_a_battle(nlp, text: str, day: str) -> None:
    """Armies named by their people ("разбил турок"), fleets destroyed, and places the
    name finder reads as persons ("при Мачине") still frame a battle."""
    battle = one(annotate(nlp, text), "BATTLE")
    assert battle.date_start == day and battle.participants


@pytest.mark.parametrize("text, who", [
    ("В ночь на 21 августа 1968 г. войска пяти стран Варшавского договора вступили в Чехословакию.",
     "Чехословакия"),
    ("В 1821 г. австрийские войска подавили революцию в Неаполе.", "Австрия"),
    ("4 ноября 1956 г. советские войска начали подавление венгерского восстания.", "СССР"),
])
def test_entering_a_state_and_crushing_a_revolution_are_occupations(nlp, text: str, who: str) -> None:
    assert who in names(one(annotate(nlp, text), "OCCUPATION"))


@pytest.mark.parametrize("text, who", [
    ("В 1827 г. султан Махмуд II отказался от аккерманских обязательств.", "Махмуд II"),
    ("Албания в сентябре 1968 г. вышла из организации.", "Албания"),
])
def test_renouncing_obligations_and_leaving_an_alliance_end_a_treaty(nlp, text: str, who: str) -> None:
    assert who in names(one(annotate(nlp, text), "TREATY_TERMINATION"))


def test_without_a_battle_is_no_battle(nlp) -> None:
    doc = annotate(nlp, "Летом 1829 г. армия Дибича 8 (20) августа без боя заняла Адрианополь.")
    assert not [m for m in mentions(doc, "BATTLE") if m.factual]


def test_a_signed_treaty_later_renounced_was_signed(nlp) -> None:
    """The refusal of the next clause is not the participle's, however the parse hung it."""
    doc = annotate(nlp, "Подписанное в октябре 1972 г. торговое соглашение между СССР и США в силу так "
                        "и не вступило: в январе 1975 г. советская сторона отказалась от него в ответ на "
                        "поправку Джексона — Вэника.")
    assert one(doc, "TREATY_SIGNING").date_start == "1972-10-01"
    assert not mentions(doc, "TREATY_REJECTION")


def test_a_date_naming_a_treaty_does_not_date_the_clause(nlp) -> None:
    doc = annotate(nlp, "В мае 1955 г. ФРГ в соответствии с Парижскими соглашениями 1954 г. вступила в НАТО.")
    assert one(doc, "ACCESSION").date_start == "1955-05-01"


def test_entering_a_war_with_a_state_is_no_occupation(nlp) -> None:
    """A partner of the phrase ("с Германией") is no territory entered."""
    assert not mentions(annotate(nlp, "В 1941 г. США вступили в войну с Германией."), "OCCUPATION")


def test_a_storm_is_the_takers_battle(nlp) -> None:
    doc = annotate(nlp, "11 (22) декабря 1790 г. Суворов взял штурмом Измаил, считавшийся неприступным.")
    assert "Суворов" in names(one(doc, "BATTLE"))


def test_a_war_ended_by_a_treaty_signs_it_and_keeps_its_date(nlp) -> None:
    doc = annotate(nlp, "Война со Швецией в 1656—1658 гг. закончилась Валиесарским перемирием на три года.")
    assert one(doc, "TREATY_SIGNING").date_end == "1658-12-31"
    assert one(doc, "WAR").date_start == "1656-01-01"


@pytest.mark.parametrize("text, count", [
    ("Революции в Испании, Неаполе и Пьемонте в 1820—1821 гг. обсуждались на конгрессах.", 1),
    ("Промышленная революция началась в Англии.", 0),
])
def test_a_revolution_is_an_uprising_unless_industrial(nlp, text: str, count: int) -> None:
    assert len(mentions(annotate(nlp, text), "UPRISING")) == count


def test_participants_named_next_through_a_pronoun(nlp) -> None:
    """ "В нем участвовали ..." (the parse hangs "в нем" on the previous clause's verb)
    and "Ее участниками были ..." name who took part in the event just named."""
    doc = annotate(nlp, "Окончательное устройство Европы было предоставлено конгрессу в Вене, заседавшему "
                        "с сентября 1814 г. по 9 июня 1815 г. В нем участвовали Александр I с К. В. Нессельроде, "
                        "австрийский император Франц I и князь К. Меттерних.")
    assert {"Александр I", "Меттерних"} <= names(one(doc, "CONFERENCE"))
    doc = annotate(nlp, "В 1899 г. в Гааге открылась мирная конференция. Ее участниками были Россия, Франция и Германия.")
    assert names(one(doc, "CONFERENCE")) == {"Россия", "Франция", "Германия"}


def test_a_partner_phrase_the_parse_hung_on_an_earlier_clause(nlp) -> None:
    doc = annotate(nlp, "В сентябре 1955 г. в Москву прибыл канцлер ФРГ К. Аденауэр, и 13 сентября между СССР и ФРГ "
                        "были установлены дипломатические отношения.")
    assert {"СССР", "ФРГ"} <= names(one(doc, "RELATIONS_ESTABLISHED"))


def test_adopting_a_convention_concludes_it(nlp) -> None:
    """ "принять конвенцию" is the adoption of an instrument (its conclusion), not the
    confirmation of one signed before ("ратифицировать", "утвердить")."""
    doc = annotate(nlp, "25 сентября (7 октября) 1826 г. Порта приняла Аккерманскую конвенцию.",
                   treaties={"Аккерманскую конвенцию": Treaty("Аккерманская конвенция", "Аккерманская конвенция", "конвенция")})
    assert one(doc, "TREATY_SIGNING").date_start == "1826-10-07"
    assert not mentions(doc, "TREATY_RATIFICATION")


def test_refusing_to_join_the_treaty_a_pronoun_stands_for_rejects_it(nlp) -> None:
    name = "Договор о запрещении испытаний ядерного оружия в атмосфере, в космическом пространстве и под водой"
    doc = annotate(nlp, f"5 августа 1963 г. в Москве А. А. Громыко, Д. Раск и лорд А. Дуглас-Хьюм подписали {name}. "
                        "Франция и КНР присоединиться к нему отказались.",
                   treaties={name: Treaty("Московский договор 1963 г.", name)})
    rejections = mentions(doc, "TREATY_REJECTION")
    assert {"Франция", "КНР"} <= {p for m in rejections for p in names(m)}
    assert all(m.treaty is not None and m.factual for m in rejections) and not mentions(doc, "ACCESSION")


def test_talks_dated_by_context_end_in_the_signing_told_next(nlp) -> None:
    from pipeline.dates import DateAnchor

    doc = annotate(nlp, "Переговоры, длившиеся более полугода, вел с русской стороны А. Л. Ордин-Нащокин. "
                        "30 января (9 февраля) 1667 г. было подписано Андрусовское перемирие сроком на 13 с половиной лет.",
                   last_date=DateAnchor(1661, 1))
    assert one(doc, "NEGOTIATIONS").date_start == "1667-02-09"


@pytest.mark.parametrize("text, who", [
    ("Армия М. Б. Шеина осадила город, однако сама была окружена подошедшим войском нового короля Владислава IV.", "Шеин"),
    ("Осенью 1618 г. Владислав подошел к Москве, но штурм города был отбит.", ""),
])
def test_sieges_and_repulsed_storms_are_battles(nlp, text: str, who: str) -> None:
    verbs = [m for m in mentions(annotate(nlp, text), "BATTLE") if m.lemma in ("осадить", "отбить")]
    assert verbs and any(who in name for name in names(verbs[0]) or [""])


def test_names_after_a_dash_spell_out_who_met(nlp) -> None:
    doc = annotate(nlp, "В июле 1955 г. в Женеве состоялось совещание глав правительств четырех держав — "
                        "Н. А. Булганина, Д. Эйзенхауэра, А. Идена и Э. Фора.")
    event = one(doc, "CONFERENCE")
    assert event.participants and all(p._.actor_type == "PERSON" for p in event.participants)


def test_an_independence_secured_by_others_is_recognized(nlp) -> None:
    doc = annotate(nlp, "Независимость Греции была закреплена Лондонским протоколом 3 февраля 1830 г.")
    event = one(doc, "RECOGNITION")
    assert "Греция" in names(event) and event.date_start == "1830-02-03"


# ------------------------------------------------------------ the new dev texts (corpus/dev 034–037)

@pytest.mark.parametrize("text, kind, who", [
    ("Визит Эррио в Лондон в июле 1924 г. открыл путь к соглашению.", "NEGOTIATIONS", "Эррио"),
    ("Русско-японская война началась в ночь на 9 февраля 1904 г. атакой японских миноносцев на русскую эскадру.",
     "BATTLE", "Япония"),
    ("Успех польской армии под Варшавой в августе 1920 г. изменил ход войны.", "BATTLE", "Польша"),
    ("Возобновление англо-японского союза 12 августа 1905 г. укрепило позиции Японии.", "TREATY_SIGNING", "Япония"),
    ("23 апреля 1991 г. Горбачёв и руководители девяти республик подписали совместное заявление.",
     "TREATY_SIGNING", "Горбачёв"),
    ("10 октября 1794 г. при Мацеёвицах корпус Ферзена разгромил повстанцев.", "BATTLE", ""),
])
def test_visits_attacks_successes_renewals_statements_and_insurgents(nlp, text: str, kind: str, who: str) -> None:
    found = [m for m in mentions(annotate(nlp, text), kind) if m.factual]
    assert found and any(who in name for m in found for name in names(m) or [""])


def test_a_referendum_is_an_election(nlp) -> None:
    event = one(annotate(nlp, "1 декабря 1991 г. независимость Украины подтвердил всеукраинский референдум."), "ELECTION")
    assert event.date_start == "1991-12-01"


@pytest.mark.parametrize("text, kind", [
    ("Ратифицировать его Государственной думе и Верховной раде ещё предстоит.", "TREATY_RATIFICATION"),
    ("Альянс намерен провести в июле 1997 г. саммит в Мадриде.", "CONFERENCE"),
])
def test_what_is_still_ahead_or_intended_is_hypothetical(nlp, text: str, kind: str) -> None:
    assert one(annotate(nlp, text), kind).modality == "hypothetical"


def test_a_storm_that_took_a_town_is_the_takers_and_of_its_day(nlp) -> None:
    doc = annotate(nlp, "24 октября (4 ноября) 1794 г. Суворов штурмом взял Прагу, предместье Варшавы.")
    storm = one(doc, "BATTLE")
    assert names(storm) == {"Суворов"} and (storm.date_start, storm.date_source) == ("1794-11-04", "clause")


def test_the_leader_of_the_doers_takes_part(nlp) -> None:
    doc = annotate(nlp, "17 апреля 1794 г. восстали жители Варшавы во главе с сапожником Яном Килинским.")
    assert any("Килинск" in name for name in names(one(doc, "UPRISING")))


def test_not_choosing_to_sign_a_charter_a_pronoun_stands_for_rejects_it(nlp) -> None:
    doc = annotate(nlp, "Устав СНГ был принят в Минске 22 января 1993 г.; "
                        "Украина и Туркменистан подписывать его не стали.")
    assert one(doc, "TREATY_SIGNING").date_start == "1993-01-22"
    rejection = one(doc, "TREATY_REJECTION")
    assert rejection.factual and "Украина" in names(rejection)


def test_talks_dated_by_their_participle_pass_their_negotiators_to_the_signing(nlp) -> None:
    doc = annotate(nlp, "Переговоры Извольского с британским послом Никольсоном, начатые в 1906 г., "
                        "завершились подписанием конвенции 31 августа 1907 г.")
    talks = one(doc, "NEGOTIATIONS")
    assert (talks.date_start, talks.date_end, talks.date_source) == ("1906-01-01", "1906-12-31", "clause")
    assert "Извольский" in names(one(doc, "TREATY_SIGNING"))


def test_a_participle_after_a_date_belongs_to_the_noun_before_the_date(nlp) -> None:
    doc = annotate(nlp, "Против конфедератов действовал генерал-майор А. В. Суворов, "
                        "в 1771 г. разбивший их при Ланцкороне.")
    assert "Суворов" in names(one(doc, "BATTLE"))


def test_recognizing_a_states_interests_is_no_recognition(nlp) -> None:
    doc = annotate(nlp, "Россия признавала особые интересы Японии в Корее, Япония — интересы России во Внешней Монголии.")
    assert not mentions(doc, "RECOGNITION")


def test_the_same_summit_named_again_is_one_happening_of_its_first_date(nlp) -> None:
    doc = annotate(nlp, "5 декабря 1994 г. на саммите СБСЕ в Будапеште лидеры России, США и Великобритании "
                        "подписали меморандум. На том же саммите СБСЕ решили переименовать в ОБСЕ с 1 января 1995 г.")
    first, again = mentions(doc, "CONFERENCE")
    assert first.cluster == again.cluster and again.date_start[:4] == "1994"


def test_who_stays_on_a_visit_makes_it(nlp) -> None:
    doc = annotate(nlp, "С 22 по 30 мая 1972 г. в Москве находился с визитом президент США Р. Никсон.")
    assert "Никсон" in names(one(doc, "NEGOTIATIONS"))


def test_a_verb_after_a_clause_break_keeps_its_own_subject(nlp) -> None:
    doc = annotate(nlp, "25 декабря 1991 г. Горбачёв сложил полномочия, а на следующий день Совет Республик "
                        "Верховного Совета СССР принял декларацию о прекращении существования Союза.")
    assert all("Горбачёв" not in names(m) for m in mentions(doc, "TREATY_SIGNING"))


def test_a_polity_acknowledging_anothers_power_is_annexed_not_recognizing(nlp) -> None:
    doc = annotate(nlp, "Курляндское герцогство, формально вассальное Речи Посполитой, ещё в марте 1795 г. "
                        "признало власть России.")
    assert "Россия" in names(one(doc, "OCCUPATION")) and not mentions(doc, "RECOGNITION")
    doc = annotate(nlp, "28 октября 1924 г. было заявлено об официальном признании СССР, "
                        "поскольку «советская власть была признана народом».")
    assert not mentions(doc, "OCCUPATION") and names(one(doc, "RECOGNITION")) == {"СССР"}


# ------------------------------------------------------------ the new dev texts (corpus/dev 038–041)

def test_a_treaty_extended_then_expired_unrenewed(nlp) -> None:
    league = Treaty("Союз трёх императоров", "Союз трёх императоров", date_signed="1881-06-18",
                    parties=["Россия", "Германия"])
    doc = annotate(nlp, "В 1884 году договор продлили ещё на три года, но в 1887 году он истёк и возобновлён не был.",
                   treaties={"договор": league})
    extended = [m for m in mentions(doc, "TREATY_SIGNING") if m.lemma == "продлить"]
    assert extended and extended[0].factual and extended[0].date_start == "1884-01-01"
    expired = one(doc, "TREATY_TERMINATION")
    assert expired.treaty is not None and expired.date_start == "1887-01-01" and not expired.participants


def test_refusing_to_extend_rejects_and_a_subordinate_clause_keeps_its_nouns(nlp) -> None:
    reinsurance = Treaty("Договор перестраховки", "Договор перестраховки", date_signed="1887-06-18")
    doc = annotate(nlp, "Новый канцлер Лео фон Каприви (нем. Leo von Caprivi) под влиянием Фридриха фон Гольштейна "
                        "(нем. Friedrich von Holstein) отказался продлить договор, хотя Н. К. Гирс соглашался "
                        "на продление даже на шесть лет.", treaties={"договор": reinsurance})
    rejection = one(doc, "TREATY_REJECTION")
    assert rejection.factual and "Гирс" not in names(rejection)


@pytest.mark.parametrize("text, kind", [
    ("Германия обязалась сохранять нейтралитет, если Россия подвергнется нападению Австро-Венгрии.", "WAR"),
    ("В августе случился путч, и договор пришлось ратифицировать уже другим людям в другой стране.",
     "TREATY_RATIFICATION"),
    ("После гибели Александра II 1 (13) марта 1881 года его сын Александр III согласился возобновить союз.",
     "TREATY_SIGNING"),
])
def test_conditions_necessities_and_consent_are_not_acts(nlp, text: str, kind: str) -> None:
    assert not [m for m in mentions(annotate(nlp, text), kind) if m.factual]


def test_a_feminine_pronoun_stands_for_the_convention_named_before(nlp) -> None:
    convention = Treaty("Франко-русская военная конвенция", "Франко-русская военная конвенция",
                        kind="конвенция", date_signed="1892-08-17")
    doc = annotate(nlp, "Александр III утвердил конвенцию 15 (27) декабря 1893 года; 1894-01-04 письмом "
                        "премьер-министра Жана Казимир-Перье её одобрила Франция.",
                   treaties={"конвенцию": convention})
    approvals = [m for m in mentions(doc, "TREATY_RATIFICATION") if "Франция" in names(m)]
    assert approvals and approvals[0].treaty is not None and approvals[0].date_start == "1894-01-04"


@pytest.mark.parametrize("text, kind, who", [
    ("Стена пала 9 ноября 1989 г., и уже в декабре, на Мальте, Михаил Сергеевич встретился с Бушем.",
     "NEGOTIATIONS", "Буш"),
    ("Бундестаг голосовал за договор уже как парламент единой страны.", "TREATY_RATIFICATION", ""),
    ("Вчера, 23 июня, после жаркого дела Карс сдался графу Паскевичу.", "BATTLE", "Паскевич"),
])
def test_meetings_votes_for_a_treaty_and_surrenders_of_towns(nlp, text: str, kind: str, who: str) -> None:
    found = [m for m in mentions(annotate(nlp, text, treaties={"договор": Treaty("Договор", "Договор")}), kind)
             if m.factual]
    assert found and any(who in name for m in found for name in names(m) or [""])


def test_a_treaty_extending_another_is_a_term_not_an_act(nlp) -> None:
    berlin = Treaty("Берлинский договор", "Берлинский договор", date_signed="1926-04-24")
    rapallo = Treaty("Рапалльский договор", "Рапалльский договор", date_signed="1922-04-16")
    doc = annotate(nlp, "За этим соглашением последовало подписание 24 апреля 1926 г. в Берлине договора о дружбе "
                        "и взаимном нейтралитете, который на пять лет продлевал действие Рапалльского договора.",
                   treaties={"договора о дружбе и взаимном нейтралитете": berlin, "Рапалльского договора": rapallo})
    assert [m.lemma for m in mentions(doc, "TREATY_SIGNING")] == ["подписание"]


def test_an_exchange_of_letters_that_puts_an_agreement_into_form_signs_it(nlp) -> None:
    agreement = Treaty("Консультативное соглашение", "Консультативное соглашение", kind="соглашение")
    doc = annotate(nlp, "27 августа 1891 года обменом писем между Гирсом и министром иностранных дел Франции "
                        "Александром Рибо оформлено консультативное соглашение.",
                   treaties={"консультативное соглашение": agreement})
    signing = one(doc, "TREATY_SIGNING")
    assert "Гирс" in names(signing) and signing.date_start == "1891-08-27"


def test_a_pronoun_reaches_past_a_reply_that_names_nothing(nlp) -> None:
    inf = Treaty("Договор о РСМД", "Договор о РСМД", date_signed="1987-12-08")
    doc = annotate(nlp, "— Вопрос: Договор по ракетам средней и меньшей дальности?\n— Да.\nСпустя два года после "
                        "Женевы, 8 декабря 1987 г., в Вашингтоне Горбачёв и Рейган его подписали.",
                   treaties={"Договор по ракетам средней и меньшей дальности": inf})
    signing = one(doc, "TREATY_SIGNING")
    assert signing.treaty is not None and names(signing) == {"Горбачёв", "Рейган"}


def test_a_treaty_heading_a_chronology_entry_is_its_signing(nlp) -> None:
    yam = Treaty("Ям-Запольское перемирие", "Ям-Запольское перемирие", kind="перемирие", date_signed="1582-01-25")
    doc = annotate(nlp, "15 (25) января 1582 г. — Ям-Запольское перемирие с Речью Посполитой на 10 лет: "
                        "Россия отказывается от Ливонии и Полоцка, король возвращает Великие Луки.",
                   treaties={"Ям-Запольское перемирие с Речью Посполитой": yam})
    signing = one(doc, "TREATY_SIGNING")
    assert signing.treaty is not None and signing.factual and signing.date_start == "1582-01-25"


def test_an_object_the_parse_gave_the_preposition_of_the_place_before_it(nlp) -> None:
    peace = Treaty("Бухарестский мир", "Бухарестский мир", kind="мир", date_signed="1812-05-28")
    doc = annotate(nlp, "А за полтора года перед тем, 16 мая 1812 г., М. И. Кутузов заключил в Букареште мир с Портою; "
                        "Бессарабия отошла к нам.", treaties={"мир с Портою": peace})
    signing = one(doc, "TREATY_SIGNING")
    assert signing.treaty is not None and signing.date_start == "1812-05-16"


def test_an_act_told_for_coordinated_dates_is_one_act_per_date(nlp) -> None:
    triple = Treaty("Тройственный союз", "Тройственный союз", date_signed="1882-05-20")
    doc = annotate(nlp, "Договор заключался на пять лет и продлевался в 1887 и 1891 годах.", treaties={"Договор": triple})
    renewals = [a for m in mentions(doc, "TREATY_SIGNING") for a in m.acts()]
    assert [a.date_start[:4] for a in renewals] == ["1887", "1891"]


def test_a_support_verb_beside_a_noun_the_parse_hung_elsewhere(nlp) -> None:
    doc = annotate(nlp, "В ноябре 1914 г. на стороне Центральных держав в войну вступила Османская империя.")
    assert "Османская империя" in names(one(doc, "WAR"))


def test_a_coordinated_verb_shares_the_subject_standing_before_the_first(nlp) -> None:
    doc = annotate(nlp, "17 августа 1916 г. Румыния заключила с Антантой союзный договор и 27 августа вступила "
                        "в войну, но уже 6 декабря германские войска заняли Бухарест.")
    war = one(doc, "WAR")
    assert "Румыния" in names(war) and war.date_start == "1916-08-27"


def test_a_journal_entry_dates_its_events_by_the_day_heading_it(nlp) -> None:
    doc = annotate(nlp, "1756 год\n\n18 (29) авг. Получено известие, что король прусский Фридрих II без объявления "
                        "войны вступил в Саксонию и осадил саксонское войско у Пирны.")
    assert one(doc, "OCCUPATION").date_start == "1756-08-29"


def test_a_date_after_a_relative_clause_opening_is_that_clauses(nlp) -> None:
    doc = annotate(nlp, "Со смертью царя Феодора Иоанновича, скончавшагося 7 января 1598 г., пресеклась династия "
                        "Рюриковичей. Земский собор избрал на царство шурина покойного государя, Бориса Феодоровича "
                        "Годунова, который венчался на царство 1 сентября того же года*).")
    election = one(doc, "ELECTION")
    assert election.date_start[:4] == "1598" and election.date_start != "1598-09-01"  # not the coronation's day



def test_a_town_taken_after_a_siege_is_a_battle(nlp) -> None:
    doc = annotate(nlp, "1563, 15 февраля — после двухнедельной осады Иван IV берёт Полоцк.")
    capture = next(m for m in mentions(doc, "BATTLE") if m.lemma == "брать")
    assert "Иван IV" in names(capture) and capture.date_start == "1563-02-15"


def test_a_town_taken_by_storm_is_no_occupation(nlp) -> None:
    doc = annotate(nlp, "24 октября (4 ноября) 1794 г. Суворов штурмом взял Прагу, предместье Варшавы, "
                        "и столица капитулировала.")
    assert mentions(doc, "BATTLE") and not mentions(doc, "OCCUPATION")


def test_a_town_taken_without_a_fight_stays_an_occupation(nlp) -> None:
    doc = annotate(nlp, "В 1710 г. русские войска взяли Выборг, Ригу и Ревель.")
    assert mentions(doc, "OCCUPATION") and not mentions(doc, "BATTLE")


@pytest.mark.parametrize("text, assembly", [
    ("1566, лето — Земский собор высказывается за продолжение войны; литовские послы не добились мира.",
     "Земский собор"),
    ("А 8 (18) января 1654 г. Переяславская рада высказалась за воссоединение с Россией.", "Переяславская рада"),
])
def test_an_assembly_that_deliberates_meets_in_a_conference(nlp, text: str, assembly: str) -> None:
    assert assembly in names(one(annotate(nlp, text), "CONFERENCE"))


def test_the_defeat_of_an_army_is_a_battle(nlp) -> None:
    doc = annotate(nlp, "1564, 26 января — поражение русского войска кн. П. И. Шуйского на р. Уле; сам воевода погиб.")
    defeat = one(doc, "BATTLE")
    assert "Россия" in names(defeat) and defeat.date_start == "1564-01-26"


def test_a_conversation_with_a_leader_is_talks(nlp) -> None:
    doc = annotate(nlp, "Вена, 4.VI.1961. Вторая беседа Н. С. Хрущёва с Дж. Кеннеди.")
    assert {"Н. С. Хрущёва", "Дж. Кеннеди"} <= {p.text for p in one(doc, "NEGOTIATIONS").participants}


def test_a_state_that_takes_the_field_against_another_is_at_war(nlp) -> None:
    doc = annotate(nlp, "В июне 1913 г. болгарские войска атаковали сербов и греков; против Болгарии выступили "
                        "также Румыния и Турция.")
    assert {"Румыния", "Болгария"} <= names(one(doc, "WAR"))


def test_speaking_out_against_a_treaty_is_no_war(nlp) -> None:
    doc = annotate(nlp, "Против договора выступили «левые коммунисты» во главе с Н. И. Бухариным.")
    assert not mentions(doc, "WAR")


def test_burning_a_city_is_a_raid(nlp) -> None:
    raid = one(annotate(nlp, "1571, 24 мая — крымский хан Девлет-Гирей сжигает Москву."), "RAID")
    assert "Девлет-Гирей" in names(raid) and raid.date_start == "1571-05-24"
