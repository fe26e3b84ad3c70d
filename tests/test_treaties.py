"""Treaties on real sentences: detection patterns, coreference, attributes, base linking."""
from __future__ import annotations

import datetime

import pandas as pd
import pytest
import spacy
from spacy.tokens import Doc, Span

import pipeline
from pipeline import evaluate as ev
from pipeline import nlp as nlp_module
from pipeline import resolve, scorecard
from pipeline.tables import frame
from pipeline.treaties import ANAPHORIC, DESCRIPTIVE, GENERIC_REF, NAMED, PLACE_REF, base, lexicon


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return nlp_module.load()


def annotate(nlp: spacy.language.Language, text: str, context: nlp_module.DocContext | None = None) -> Doc:
    """``text`` through the whole pipeline, within a document's ``context`` when given."""
    return nlp_module.annotate(nlp, text, context or nlp_module.DocContext())


def treaties(doc: Doc) -> list[tuple[str, str]]:
    return [(s.text, s._.treaty.name) for s in doc.spans["treaties"]]


def only(doc: Doc) -> tuple[Span, object]:
    (span,) = doc.spans["treaties"]
    return span, span._.treaty


# ---------------------------------------------------------------- detection

@pytest.mark.parametrize("text, mention, name, kind", [
    ("По условиям Версальского договора Германии запрещалось иметь военную авиацию.",
     "Версальского договора", "Версальский договор", "договор"),
    ("Версальский мирный договор закрепил поражение Германии.",
     "Версальский мирный договор", "Версальский договор", "договор"),
    ("После подписания Локарнских соглашений Германия была принята в Лигу Наций.",
     "Локарнских соглашений", "Локарнские соглашения", "соглашение"),
    ("Брестский мир был аннулирован в ноябре 1918 г.", "Брестский мир", "Брестский мир", "мир"),
    ("Тильзитский мир сделал Россию союзницей Наполеона.", "Тильзитский мир", "Тильзитский мир", "мир"),
])
def test_adjective_and_head_in_any_case(nlp, text: str, mention: str, name: str, kind: str) -> None:
    span, treaty = only(annotate(nlp, text))
    assert (span.text, treaty.name, treaty.kind, treaty.reference) == (mention, name, kind, NAMED)
    assert treaty.base_id and treaty.sources["date_signed"] == "base"


def test_named_treaty_the_base_does_not_know(nlp) -> None:
    doc = annotate(nlp, "В 1385 г. Кревская уния положила начало союзу Польши и Литвы.")
    span, treaty = only(doc)
    assert (span.text, treaty.name, treaty.kind, treaty.reference) == ("Кревская уния", "Кревская уния", "уния", NAMED)
    assert not treaty.base_id and treaty.key == "кревская уния"


@pytest.mark.parametrize("text, mention, name", [
    ("Принятие Германией плана Дауэса было расценено Коминтерном как шаг к колонизации Европы.",
     "плана Дауэса", "План Дауэса"),
    ("Что-то вроде пакта Молотова Риббентропа о разделе сфер влияния.",
     "пакта Молотова Риббентропа", "Пакт Молотова — Риббентропа"),
    ("Судьба Прибалтики была решена секретным дополнительным протоколом.",
     "секретным дополнительным протоколом", "Секретный дополнительный протокол к пакту Молотова — Риббентропа"),
])
def test_head_and_complement(nlp, text: str, mention: str, name: str) -> None:
    span, treaty = only(annotate(nlp, text))
    assert (span.text, treaty.name) == (mention, name)


def test_pact_with_dashed_names_and_a_party_that_joins_it(nlp) -> None:
    text = "В августе 1928 г. Советский Союз выразил готовность присоединиться к пакту Бриана — Келлога."
    doc = annotate(nlp, text)
    span, treaty = only(doc)
    assert (span.text, treaty.name, treaty.kind) == ("пакту Бриана — Келлога", "Пакт Бриана — Келлога", "пакт")
    assert treaty.text_parties == ("СССР",)
    assert treaty.date_signed == "1928-08-27" and treaty.sources["date_signed"] == "base"


def test_about_and_between_complements_give_parties_date_and_place(nlp) -> None:
    text = "23 августа 1939 г. в Москве был подписан договор о ненападении между Германией и Советским Союзом."
    doc = annotate(nlp, text)
    span, treaty = only(doc)
    assert span.text == "договор о ненападении между Германией и Советским Союзом"
    assert treaty.name == "Пакт Молотова — Риббентропа"
    assert set(treaty.text_parties) == {"Германия", "СССР"}
    assert (treaty.date_signed, treaty.sources["date_signed"]) == ("1939-08-23", "text")
    assert (treaty.place, treaty.sources["place"]) == ("Москва", "text")
    assert treaty.date_span.text == "23 августа 1939 г." and treaty.place_span.text == "Москве"


def test_compound_adjectives_coordinated_over_one_head(nlp) -> None:
    text = ("И действительно, франко-румынский и итало-румынский договоры 1926 г. представляли собой "
            "дополнительные препятствия для СССР.")
    doc = annotate(nlp, text)
    first, second = doc.spans["treaties"]
    assert (first._.treaty.name, second._.treaty.name) == ("Франко-румынский договор", "Итало-румынский договор")
    assert first._.treaty.text_parties == ("Франция", "Румыния")
    assert second._.treaty.text_parties == ("Италия", "Румыния")
    assert second.text == "итало-румынский договоры"
    assert first._.treaty.date_signed == "1926-06-10"  # the day from the base, within the year the text gives
    assert first._.treaty.norm == "франко-румынский договор"


def test_compound_adjective_of_an_unknown_treaty_names_it(nlp) -> None:
    doc = annotate(nlp, "Стороны обсуждали советско-германский торговый договор.")
    span, treaty = only(doc)
    assert treaty.name == "Советско-германский торговый договор"
    assert treaty.parties == ("СССР", "Германия") and not treaty.base_id


@pytest.mark.parametrize("text", [
    "В 1927 г. Литвинов представил туда план всеобъемлющей ликвидации вооруженных сил.",
    "Споры вокруг долгов так и не привели к подписанию какого-либо соглашения по этому вопросу.",
    "Германия оказалась исключенной из мирового сообщества.",
    "Мир был восстановлен лишь через два года.",
    "Подписав этот договор, Советская Россия вышла из дипломатической изоляции.",
    "Стороны обсуждали возможные торговые соглашения.",
    "Спикер заявил, что посвятит все усилия воплощению в жизнь планов Барака Обамы.",
    "Соглашение было подписано в минувшую пятницу в Чикаго, в последний день визита.",
    "Летом 1939 г. начались англо-франко-советские переговоры, но военная конвенция так и не была подписана.",
])
def test_no_particular_treaty(nlp, text: str) -> None:
    assert treaties(annotate(nlp, text)) == []


# ---------------------------------------------------------------- coreference

def test_demonstrative_refers_to_the_treaty_before(nlp) -> None:
    text = "Рапалльский договор был подписан в 1922 г. Этот договор предусматривал отказ от взаимных претензий."
    doc = annotate(nlp, text)
    first, second = doc.spans["treaties"]
    assert second.text == "Этот договор"
    assert second._.treaty.reference == ANAPHORIC and second._.treaty.antecedent == first
    assert second._.treaty.key == first._.treaty.key == "rapallo-1922"


def test_anaphora_agrees_in_number_and_description(nlp) -> None:
    text = ("8 августа 1924 г. был подписан новый торговый договор. После подписания Локарнских соглашений "
            "Германия вступила в Лигу Наций. Эти соглашения признавали Германию великой державой. "
            "Однако консерваторы отказались ратифицировать торговое соглашение.")
    doc = annotate(nlp, text)
    found = {s.text: s._.treaty for s in doc.spans["treaties"]}
    assert found["новый торговый договор"].name == "Советско-британский торговый договор"
    assert found["Эти соглашения"].name == "Локарнские соглашения"
    assert found["торговое соглашение"].name == "Советско-британский торговый договор"
    assert found["торговое соглашение"].reference == ANAPHORIC


def test_a_bare_head_refers_to_the_treaty_of_the_paragraph_before(nlp) -> None:
    text = ("Не желая терять связь с Россией, Бисмарк заключил с ней секретный Договор перестраховки, "
            "подписанный в Берлине 18 июня 1887 года. Германия обязалась сохранять нейтралитет.\n\n"
            "20 марта 1890 года Вильгельм II отправил Бисмарка в отставку. Новый канцлер Лео фон Каприви "
            "отказался продлить договор. 18 июня 1890 года договор истёк.")
    first, *later = annotate(nlp, text).spans["treaties"]
    assert [(s.text, s._.treaty.key, s._.treaty.reference) for s in later] == [
        ("договор", first._.treaty.key, ANAPHORIC)] * 2
    text = ("Бисмарк заключил с Россией Договор перестраховки.\n\nГермания обязалась сохранять нейтралитет."
            "\n\nНовый канцлер отказался продлить договор.")
    assert len(annotate(nlp, text).spans["treaties"]) == 1  # two paragraphs back is too far


def test_a_treaty_signed_at_the_time_spoken_of_is_not_one_signed_years_before(nlp) -> None:
    text = ("В 1813 г. в урочище Гюлистан генерал Ртищев подписал Гюлистанский мирный договор с Персией. "
            "Весною 1827 г. Паскевич занял Тавриз. Паскевич и Обресков с одной стороны и Аббас-Мирза с другой "
            "подписали мирный трактат.")
    assert [s._.treaty.name for s in annotate(nlp, text).spans["treaties"]] == ["Гюлистанский мир"]


def test_a_scene_a_base_name_carries_is_no_place_of_signing(nlp) -> None:
    text = "19 ноября — Договор об обычных вооружённых силах в Европе, его подписали 22 государства НАТО и ОВД."
    span, treaty = only(annotate(nlp, text))
    assert span.text == treaty.name == "Договор об обычных вооружённых силах в Европе"
    assert treaty.place == "Париж"


def test_an_agreement_put_into_form_by_an_exchange_of_letters(nlp) -> None:
    text = ("27 августа 1891 года обменом писем между Гирсом и министром иностранных дел Франции "
            "Александром Рибо оформлено консультативное соглашение.")
    span, treaty = only(annotate(nlp, text))
    assert span.text == "консультативное соглашение" and treaty.date_signed == "1891-08-27"


def test_a_protocol_signed_on_a_day_in_a_place_and_the_treaty_it_ends(nlp) -> None:
    text = ("Варшавский договор был подписан в 1955 г. Военную структуру распустили 31 марта 1991 г., "
            "а 1 июля в Праге подписали протокол о прекращении действия договора.")
    warsaw, protocol = annotate(nlp, text).spans["treaties"]
    assert protocol.text == "протокол о прекращении действия договора"
    assert (protocol._.treaty.date_signed, protocol._.treaty.place) == ("1991-07-01", "Прага")
    assert protocol._.treaty.key != warsaw._.treaty.key


def test_a_russian_treaty_dated_old_style_is_the_base_record(nlp) -> None:
    text = "12 октября 1813 г. в урочище Гюлистан генерал Ртищев подписал Гюлистанский трактат."
    assert only(annotate(nlp, text))[1].key == "gulistan-1813"


def test_a_treaty_heading_a_chronology_entry_was_signed_on_its_date(nlp) -> None:
    text = ("28 ноября 1561 г. — Виленский договор: Ливонский орден прекращает существование.\n"
            "15 (25) января 1582 г. — Ям-Запольское перемирие с Речью Посполитой на 10 лет.")
    vilnius, yam = (s._.treaty for s in annotate(nlp, text).spans["treaties"])
    assert (vilnius.name, vilnius.date_signed) == ("Виленский договор", "1561-11-28")
    assert yam.date_signed == "1582-01-25" and "Речь Посполитая" in yam.parties
    text = "В 1561 г. был заключён союз. Его итог — Виленский договор, по которому орден перестал существовать."
    assert all(not s._.treaty.date_signed for s in annotate(nlp, text).spans["treaties"])


def test_agreements_signed_in_a_place(nlp) -> None:
    text = ("Советская сторона потребовала у Штреземанна доказательств приверженности Германии "
            "соглашениям, подписанным в Рапалло.")
    span, treaty = only(annotate(nlp, text))
    assert span.text == "соглашениям, подписанным в Рапалло"
    assert treaty.norm == "соглашения, подписанные в Рапалло"
    assert (treaty.name, treaty.reference, treaty.place, treaty.sources["place"]) == (
        "Рапалльский договор", DESCRIPTIVE, "Рапалло", "text")


def test_place_standing_for_its_treaty(nlp) -> None:
    text = "Рапалльский договор изменил Европу. После Рапалло Германия перестала быть изолированной."
    doc = annotate(nlp, text)
    first, second = doc.spans["treaties"]
    assert second.text == "Рапалло"
    assert (second._.treaty.reference, second._.treaty.antecedent) == (PLACE_REF, first)


def test_generic_plural_resolved_by_the_passage(nlp) -> None:
    text = ("В мае 1927 г. лондонская полиция произвела обыск в помещении советского торгового "
            "представительства. Изъятые документы были использованы британским правительством в качестве "
            "основания для расторжения всех торговых соглашений.")
    doc = annotate(nlp, text)
    span, treaty = only(doc)
    assert span.text == "всех торговых соглашений"
    assert (treaty.name, treaty.reference) == ("Англо-советское торговое соглашение 1921 г.", GENERIC_REF)


def test_memory_across_blocks(nlp) -> None:
    context = nlp_module.DocContext()
    annotate(nlp, "Рапалльский договор был подписан в 1922 г.", context=context)
    doc = annotate(nlp, "Этот договор был продлен в 1926 г.", context=context)
    span, treaty = only(doc)
    assert (treaty.name, treaty.reference) == ("Рапалльский договор", ANAPHORIC)
    assert treaty.antecedent.text == "Рапалльский договор"


# ---------------------------------------------------------------- attributes and the base

def test_signing_clause_gives_date_and_parties(nlp) -> None:
    text = ("Германия, желая сохранить советскую карту, 12 октября 1925 г., не дожидаясь окончания "
            "переговоров в Локарно, заключила новое торговое соглашение с Советским Союзом.")
    doc = annotate(nlp, text)
    span, treaty = only(doc)
    assert span.text == "новое торговое соглашение с Советским Союзом"
    assert treaty.name == "Советско-германское торговое соглашение"
    assert treaty.parties == ("Германия", "СССР") and treaty.party_sources == ("text", "text")
    assert (treaty.date_signed, treaty.sources["date_signed"]) == ("1925-10-12", "text")
    assert (treaty.place, treaty.sources["place"]) == ("Москва", "base")  # not "Локарно" of another clause


def test_date_place_and_a_partner_link_to_the_base(nlp) -> None:
    text = "3 марта 1918 г. в Брест-Литовске советская делегация подписала мирный договор с Германией и ее союзниками."
    doc = annotate(nlp, text)
    span, treaty = only(doc)
    assert (span.text, treaty.name) == ("мирный договор с Германией", "Брестский мир")
    assert treaty.parties == ("СССР", "Германия") and treaty.party_sources == ("text", "text")
    assert treaty.sources == {"date_signed": "text", "place": "text"}


def test_accession_date_is_not_the_signing_date(nlp) -> None:
    text = "Болгария присоединилась к Тройственному пакту 1 марта 1941 г."
    doc = annotate(nlp, text)
    span, treaty = only(doc)
    assert (treaty.name, treaty.date_signed, treaty.sources["date_signed"]) == ("Тройственный пакт", "1940-09-27", "base")
    assert treaty.parties[0] == "Болгария" and treaty.party_sources[0] == "text"


def test_description_date_and_place_link_to_the_base(nlp) -> None:
    text = ("За этим соглашением последовало подписание 24 апреля 1926 г. в Берлине договора о дружбе "
            "и взаимном нейтралитете.")
    doc = annotate(nlp, text)
    span, treaty = only(doc)  # "этим соглашением" has no antecedent here
    assert span.text == "договора о дружбе и взаимном нейтралитете"
    assert (treaty.name, treaty.reference) == ("Берлинский договор", DESCRIPTIVE)
    assert treaty.sources == {"date_signed": "text", "place": "text"}
    assert treaty.parties == ("СССР", "Германия") and set(treaty.party_sources) == {"base"}


def test_treaty_with_a_partner_is_named_after_it(nlp) -> None:
    text = "Кан сообщил, что будет настойчиво вести переговоры о заключении договора с Россией."
    span, treaty = only(annotate(nlp, text))
    assert (span.text, treaty.name, treaty.parties) == ("договора с Россией", "Договор с Россией", ("Россия",))


def test_treaty_the_base_does_not_know(nlp) -> None:
    text = "Особенно энергично СССР протестовал против соглашений, заключенных между Францией, Польшей и Румынией."
    doc = annotate(nlp, text)
    span, treaty = only(doc)
    assert treaty.name == "Соглашения между Францией, Польшей и Румынией"
    assert treaty.parties == ("Франция", "Польша", "Румыния") and not treaty.base_id
    assert treaty.date_signed == "" and treaty.key == "соглашения между францией, польшей и румынией|польша|румыния|франция"


def test_multilateral_base_parties_limited_to_the_states_of_the_document(nlp) -> None:
    text = "Германия, Франция и Польша по-разному оценивали Версальский договор."
    doc = annotate(nlp, text)
    _, treaty = only(doc)
    assert set(treaty.parties) == {"Германия", "Франция", "Польша"}


def test_reference_base() -> None:
    known = base()
    kinds = {h.kind for h in lexicon().heads.values()}
    assert len(known.treaties) >= 150
    assert len({t.name for t in known.treaties}) == len(known.treaties)
    for t in known.treaties:
        assert t.kind in kinds and t.parties and len(set(t.parties)) == len(t.parties), t.id
        for value in (t.date_signed, t.date_end):
            if value:
                datetime.date.fromisoformat(value)
        assert not t.date_end or t.date_end >= t.date_signed, t.id
    assert sum(bool(t.place) for t in known.treaties) > 0.95 * len(known.treaties)


# ---------------------------------------------------------------- beyond the seed: other periods and styles

def test_pre_reform_adjective_endings_the_normalizer_leaves(nlp) -> None:
    # the normalizer modernizes only words pymorphy3 knows; "Тильзитскаго" it does not
    span, treaty = only(annotate(nlp, "По условиям Тильзитскаго мирного договора Россия признала Варшавское герцогство."))
    assert (treaty.base_id, treaty.norm) == ("tilsit-1807", "Тильзитский мирный договор")


def test_title_is_the_name_without_the_partner(nlp) -> None:
    span, treaty = only(annotate(nlp, "В 1700 г. Россия заключила Константинопольский мир с Османской империей."))
    assert treaty.norm == "Константинопольский мир с Османской империей"
    assert treaty.title == "Константинопольский мир" and treaty.base_id == "constantinople-1700"


def test_place_adjective_names_the_treaty_under_another_head(nlp) -> None:
    span, treaty = only(annotate(nlp, "Ссылаясь на тильзитские соглашения, Россия начала войну со Швецией."))
    assert treaty.base_id == "tilsit-1807"
    assert "Швеция" not in treaty.parties  # "со Швецией" belongs to the next clause


def test_a_ratifying_clause_refers_back_despite_its_own_date_and_subject(nlp) -> None:
    text = ("Версальский договор был подписан 28 июня 1919 г. Однако в марте 1920 г. Сенат США окончательно "
            "отказался ратифицировать договор.")
    doc = annotate(nlp, text)  # held: a SpanGroup dies with its Doc
    first, second = doc.spans["treaties"]
    assert second._.treaty.reference == ANAPHORIC and second._.treaty.key == first._.treaty.key == "versailles-1919"
    assert second._.treaty.date_signed == "1919-06-28"


def test_accession_adds_a_party_to_the_treaty_before(nlp) -> None:
    text = "Тройственный пакт был подписан в Берлине 27 сентября 1940 г. Весной следующего года к пакту присоединилась Болгария."
    doc = annotate(nlp, text)  # held: a SpanGroup dies with its Doc
    first, second = doc.spans["treaties"]
    assert (second._.treaty.reference, second._.treaty.key) == (ANAPHORIC, "tripartite-1940")
    assert "Болгария" in second._.treaty.text_parties


def test_a_hall_of_a_palace_is_in_the_city_of_the_base(nlp) -> None:
    text = "28 июня 1919 г. в Зеркальном зале Версальского дворца был подписан мирный договор с Германией."
    span, treaty = only(annotate(nlp, text))
    assert (treaty.base_id, treaty.place, treaty.sources["place"]) == ("versailles-1919", "Версаль", "text")


def test_a_list_of_signatories_and_a_misparsed_clause(nlp) -> None:
    text = ("29 сентября 1938 г. в Мюнхене Гитлер, Муссолини, Чемберлен и Даладье подписали соглашение о "
            "расчленении Чехословакии; судьбу страны решили без ее участия.")
    span, treaty = only(annotate(nlp, text))
    assert treaty.base_id == "munich-1938"  # not Locarno, which says nothing of Czechoslovakia's partition
    assert treaty.sources == {"date_signed": "text", "place": "text"} and treaty.date_signed == "1938-09-29"


def test_subject_date_and_place_of_the_signing_clause_not_the_next(nlp) -> None:
    text = ("Когда 22 июня 1940 г. Франция подписала в Компьенском лесу перемирие с Германией, правительство "
            "Петена 10 июля получило всю полноту власти.")
    span, treaty = only(annotate(nlp, text))
    assert treaty.base_id == "compiegne-1940" and treaty.date_signed == "1940-06-22"
    assert treaty.place == "Компьенский лес" and set(treaty.text_parties) == {"Франция", "Германия"}


def test_a_state_under_another_name_is_one_party(nlp) -> None:
    text = "18 марта 1921 г. в Риге РСФСР и Украинская ССР подписали с Польшей мирный договор."
    span, treaty = only(annotate(nlp, text))
    assert treaty.base_id == "riga-1921"
    assert sorted(treaty.parties) == ["Польша", "РСФСР", "Украинская ССР"]  # the base's "СССР" is the РСФСР


def test_a_place_is_no_adjective_of_the_treaty(nlp) -> None:
    text = "3 марта 1918 г. Советская Россия подписала в Брест-Литовске мир с Германией, Австро-Венгрией, Болгарией и Турцией."
    span, treaty = only(annotate(nlp, text))
    assert span.text.startswith("мир с Германией") and treaty.base_id == "brest-1918"
    assert "Турция" in treaty.parties and "Османская империя" not in treaty.parties


def test_an_alliance_concluded_is_a_treaty(nlp) -> None:
    span, treaty = only(annotate(nlp, "В 1805 г. Россия, заключив союз с Англией и Австрией, вступила в третью коалицию."))
    assert (span.text, treaty.base_id) == ("союз с Англией и Австрией", "anglo-russian-1805")
    assert treaty.parties[:2] == ("Великобритания", "Австрия") and "Россия" in treaty.parties


def test_an_alliance_renewed_in_the_year_the_text_speaks_of(nlp) -> None:
    span, treaty = only(annotate(nlp, "Осенью 1709 г. после Полтавской победы возобновился союз с Данией."))
    assert treaty.base_id == "copenhagen-1709" and treaty.date_signed == "1709-10-22"


@pytest.mark.parametrize("text", [
    "В 1806 г. Наполеон создал Рейнский союз из шестнадцати германских государств, а Советский Союз возник лишь в 1922 г.",
    "Соглашение было подписано в Мюнхене 30 сентября 1938 г.",  # not the Anglo-German declaration of that day
])
def test_no_treaty_beyond_the_seed(nlp, text: str) -> None:
    assert treaties(annotate(nlp, text)) == []


def test_a_name_of_the_base_not_signed_for_generations(nlp) -> None:
    span, treaty = only(annotate(nlp, "Русско-французский союз был подтвержден в Эрфурте в 1808 г."))
    assert treaty.base_id == "tilsit-alliance-1807"  # not the military convention of 1892


def test_a_new_protocol_is_not_the_one_mentioned(nlp) -> None:
    text = ("23 августа 1939 г. СССР и Германия подписали договор о ненападении и секретный дополнительный протокол. "
            "28 сентября 1939 г. в Москве был подписан договор о дружбе и границе; по новому секретному протоколу "
            "Литва отходила в советскую сферу.")
    doc = annotate(nlp, text)  # held: a SpanGroup dies with its Doc
    found = {s.text: s._.treaty.base_id for s in doc.spans["treaties"]}
    assert found["секретный дополнительный протокол"] == "secret-protocol-1939"
    assert found["новому секретному протоколу"] == "secret-protocol-sep-1939"


def test_about_complement_ends_before_a_term_and_spans_a_quote(nlp) -> None:
    span, treaty = only(annotate(nlp, "Заключенный 13 апреля 1941 г. пакт о нейтралитете сроком на пять лет обеспечил СССР спокойствие на Дальнем Востоке."))
    assert (span.text, treaty.base_id) == ("пакт о нейтралитете", "soviet-japanese-1941")
    span, treaty = only(annotate(nlp, "Секретный дополнительный протокол о разграничении «сфер влияния» оставался тайной до 1989 г."))
    assert span.text.endswith("«сфер влияния»") and treaty.base_id == "secret-protocol-1939"


def test_a_treaty_that_follows_is_concluded(nlp) -> None:
    span, treaty = only(annotate(nlp, "12 октября 1925 г. последовало торговое соглашение с Германией."))
    assert (treaty.base_id, treaty.sources["date_signed"]) == ("soviet-german-trade-1925", "text")


def test_what_is_signed_to_a_treaty_is_another_treaty(nlp) -> None:
    span, treaty = only(annotate(nlp, "В Берлине в августе 1918 г. к мирному договору были подписаны дополнительные соглашения."))
    assert (span.text, treaty.base_id) == ("дополнительные соглашения", "brest-supplementary-1918")


def test_the_base_spelling_of_an_undeclined_place(nlp) -> None:
    span, treaty = only(annotate(nlp, "6 (18) июля 1812 г. в Эребру был заключен мир между Россией и Великобританией."))
    assert (treaty.base_id, treaty.place, treaty.date_signed) == ("orebro-1812", "Эребру", "1812-07-18")


def test_a_charter_named_by_its_genitive(nlp) -> None:
    span, treaty = only(annotate(nlp, "Статья 10 Устава Лиги Наций гарантировала целостность ее членов."))
    assert (span.text, treaty.base_id, treaty.title) == ("Устава Лиги Наций", "league-covenant-1919", "Устав Лиги Наций")


def test_partners_with_their_own_dates_are_one_treaty_each(nlp) -> None:
    text = ("2 февраля 1920 г. был подписан мир с Эстонией. Позднее в 1920 г. последовали мирные договоры с "
            "Литвой (12 июля), Латвией (11 августа) и Финляндией (14 октября).")
    doc = annotate(nlp, text)  # held: a SpanGroup dies with its Doc
    found = [(s._.treaty.base_id, s._.treaty.norm, s._.treaty.parties[0]) for s in doc.spans["treaties"]]
    assert found == [
        ("tartu-estonia-1920", "мир с Эстонией", "Эстония"),
        ("moscow-lithuania-1920", "мирный договор с Литвой", "Литва"),
        ("riga-latvia-1920", "мирный договор с Латвией", "Латвия"),
        ("tartu-finland-1920", "мирный договор с Финляндией", "Финляндия"),
    ]


def test_a_place_named_after_its_kind(nlp) -> None:
    span, treaty = only(annotate(nlp, "В ноябре 1699 г. в селе Преображенском Пётр I заключил договор с саксонским курфюрстом."))
    assert treaty.base_id == "preobrazhenskoe-1699" and treaty.sources["place"] == "text"


def test_a_treaty_imposed_on_a_list_of_states(nlp) -> None:
    text = "Осенью 1939 г. Советский Союз навязал Эстонии, Латвии и Литве договоры о взаимной помощи."
    span, treaty = only(annotate(nlp, text))
    assert treaty.parties == ("СССР", "Эстония", "Латвия", "Литва") and not treaty.date_signed
    assert treaty.name == "Договоры о взаимной помощи 1939 г."  # no four-state compound adjective


@pytest.mark.parametrize("key, date_signed", [
    ("preobrazhenskoe-1699", "1699-11-21"), ("travendal-1700", "1700-08-18"), ("altranstadt-1706", "1706-09-24"),
    ("torun-1709", "1709-10-20"), ("copenhagen-1709", "1709-10-22"), ("anglo-russian-1805", "1805-04-11"),
    ("tilsit-alliance-1807", "1807-07-07"), ("st-petersburg-1812", "1812-04-05"), ("orebro-1812", "1812-07-18"),
    ("brest-supplementary-1918", "1918-08-27"), ("riga-preliminary-1920", "1920-10-12"),
    ("munich-1938", "1938-09-29"), ("secret-protocol-sep-1939", "1939-09-28"), ("soviet-fdr-1939", "1939-12-02"),
])
def test_base_knows_the_treaties_of_these_periods(key: str, date_signed: str) -> None:
    assert base().by_id[key].date_signed == date_signed


@pytest.mark.parametrize("text, key, date_signed, place", [
    ("В июне 1634 г. на реке Поляновке был подписан «вечный мир»: Смоленск остался за Речью Посполитой.",
     "polyanovka-1634", "1634-06-14", "Поляновка"),  # not the Eternal Peace of 1686
    ("Война со Швецией в 1656—1658 гг. закончилась Валиесарским перемирием на три года.",
     "valiesar-1658", "1658-12-30", "Валиесар"),
    ("В 1790 г. Австрия вступила в переговоры с Портою и в следующем году заключила Систовский мир.",
     "sistova-1791", "1791-08-04", "Систово"),
    ("3 января 1815 г. Австрия, Великобритания и Франция заключили тайный союзный договор против России и Пруссии.",
     "vienna-secret-1815", "1815-01-03", "Вена"),
    ("14 (26) сентября 1815 г. в Париже Александр I, Франц I и Фридрих Вильгельм III подписали акт о Священном союзе.",
     "holy-alliance-1815", "1815-09-26", "Париж"),
    ("23 марта (4 апреля) 1826 г. Николай I подписал с Великобританией Петербургский протокол по греческому вопросу.",
     "st-petersburg-1826", "1826-04-04", "Санкт-Петербург"),
    ("25 сентября (7 октября) 1826 г. Порта приняла Аккерманскую конвенцию.", "akkerman-1826", "1826-10-07", "Аккерман"),
    ("6 июля 1827 г. Россия, Великобритания и Франция заключили Лондонскую конвенцию.",
     "london-1827", "1827-07-06", "Лондон"),  # not the London convention of 1871
    ("В 1833 г. в Босфор вошла русская эскадра. В сентябре того же года в Мюнхенгреце Россия и Австрия подписали "
     "конвенцию о сохранении Османской империи.", "munchengratz-1833", "1833-09-18", "Мюнхенгрец"),
    ("В мае 1955 г. ФРГ в соответствии с Парижскими соглашениями 1954 г. вступила в НАТО.",
     "paris-1954", "1954-10-23", "Париж"),
    ("Подписанное в октябре 1972 г. торговое соглашение между СССР и США в силу так и не вступило.",
     "us-soviet-trade-1972", "1972-10-18", "Вашингтон"),
    ("3 сентября 1971 г. СССР, США, Великобритания и Франция заключили Четырехстороннее соглашение по Западному Берлину.",
     "berlin-1971", "1971-09-03", "Западный Берлин"),  # signed in the Allied Control Council building
])
def test_base_knows_the_treaties_of_muscovy_the_eastern_question_and_detente(
    nlp, text: str, key: str, date_signed: str, place: str,
) -> None:
    _, treaty = only(annotate(nlp, text))
    assert (treaty.base_id, treaty.date_signed, treaty.place) == (key, date_signed, place)


def test_an_interim_agreement_signed_with_a_treaty_is_a_treaty_of_its_own(nlp) -> None:
    text = ("26 мая 1972 г. Л. И. Брежнев и Р. Никсон подписали Договор об ограничении систем противоракетной обороны "
            "и Временное соглашение об ограничении стратегических наступательных вооружений (ОСВ-1).")
    doc = annotate(nlp, text)  # held: a SpanGroup dies with its Doc
    assert [s._.treaty.base_id for s in doc.spans["treaties"]] == ["abm-1972", "salt1-1972"]


def test_an_alliance_named_as_an_organization_is_a_treaty_where_it_is_renewed(nlp) -> None:
    text = ("8 (20) ноября 1815 г. был подписан второй Парижский мирный договор. В тот же день Россия, Австрия, "
            "Пруссия и Великобритания возобновили Четверной союз. К Священному союзу присоединилась и Франция.")
    doc = annotate(nlp, text)  # held: a SpanGroup dies with its Doc
    found = {s.text: s._.treaty for s in doc.spans["treaties"]}
    assert set(found) == {"второй Парижский мирный договор", "Четверной союз"}
    treaty = found["Четверной союз"]
    assert (treaty.base_id, treaty.date_signed) == ("quadruple-alliance-1815", "1815-11-20")


@pytest.mark.parametrize("text, key", [
    ("После Чигиринских походов 3 (13) января 1681 г. в Бахчисарае было заключено перемирие на 20 лет.",
     "bakhchisaray-1681"),  # a truce, though historians call it a peace
    ("В 1681 г. был заключен Бахчисарайский мир.", "bakhchisaray-1681"),
    ("Андрусовский мир вернул России Смоленск.", "andrusovo-1667"),  # a truce named a peace
])
def test_a_truce_known_as_a_peace(nlp, text: str, key: str) -> None:
    _, treaty = only(annotate(nlp, text))
    assert treaty.base_id == key


def test_an_apposition_describes_the_treaty_it_follows(nlp) -> None:
    doc = annotate(nlp, "27 августа (6 сентября) 1689 г. был подписан Нерчинский договор, первый договор России с Китаем.")
    (named, apposition) = doc.spans["treaties"]
    assert apposition.text == "первый договор" and apposition._.treaty.key == named._.treaty.key
    assert apposition._.treaty.reference == ANAPHORIC and apposition._.treaty.antecedent == named
    doc = annotate(nlp, "В 1939 г. СССР подписал с Германией договор о ненападении, договор о торговле.")
    assert len({s._.treaty.key for s in doc.spans["treaties"]}) == 2  # a list: each has its topic


def test_a_designation_after_the_head_names_the_treaty(nlp) -> None:
    text = "Встреча во Владивостоке в ноябре 1974 г. наметила контуры договора ОСВ-2, но в эти годы он подписан не был."
    doc = annotate(nlp, text)  # held: a SpanGroup dies with its Doc
    span, treaty = next((s, s._.treaty) for s in doc.spans["treaties"])
    assert (span.text, treaty.base_id) == ("договора ОСВ-2", "salt2-1979")


def test_a_memorandum_signed_is_a_treaty_a_memorandum_handed_over_is_none(nlp) -> None:
    text = "20 июня 1963 г. в Женеве был подписан меморандум об установлении прямой линии связи между Москвой и Вашингтоном."
    _, treaty = only(annotate(nlp, text))
    assert (treaty.base_id, treaty.date_signed, treaty.place) == ("hotline-1963", "1963-06-20", "Женева")
    assert not annotate(nlp, "15 марта 1939 г. Германия направила Чехословакии меморандум о судетских немцах.").spans["treaties"]


def test_base_names_and_parties_as_signed(nlp) -> None:
    """The official title keeps its comma; Spain did not sign the Final Act of Vienna (it acceded in 1817);
    Austria and Finland signed the Helsinki Final Act."""
    _, treaty = only(annotate(nlp, "5 августа 1963 г. в Москве был подписан Договор о запрещении испытаний ядерного "
                                   "оружия в атмосфере, в космическом пространстве и под водой."))
    assert treaty.name == "Договор о запрещении испытаний ядерного оружия в атмосфере, в космическом пространстве и под водой"
    _, treaty = only(annotate(nlp, "Испания, Россия и Австрия спорили на конгрессе. Заключительный акт Венского "
                                   "конгресса был подписан 9 июня 1815 г."))
    assert "Испания" not in treaty.parties and "Россия" in treaty.parties
    _, treaty = only(annotate(nlp, "1 августа 1975 г. руководители Австрии, Финляндии, СССР и США подписали в Хельсинки "
                                   "Заключительный акт."))
    assert {"Австрия", "Финляндия"} <= set(treaty.parties)


# ---------------------------------------------------------------- names by year, quotes, topics and series

@pytest.mark.parametrize("text, mention, name", [
    ("Спустя три года поход окончился миром. Договор 944 г. был менее выгоден Руси.", "Договор", "Договор 944 г."),
    ("Мир 1046 г. скрепил брак Всеволода Ярославича с византийской царевной.", "Мир", "Мир 1046 г."),
    ("Греческие хроники молчат, однако соглашение 907 г. большинство исследователей признаёт.", "соглашение",
     "Соглашение 907 г."),
])
def test_a_head_dated_by_its_own_year_names_a_treaty(nlp, text: str, mention: str, name: str) -> None:
    span, treaty = only(annotate(nlp, text))
    assert (span.text, treaty.name) == (mention, name)


@pytest.mark.parametrize("text", [
    "Секретные статьи соглашений 1907, 1910 и 1912 гг. стали известны лишь после 1917 г.",  # several, by a list
    "Султан ратифицировал трактат в начале 1775 г., а Румянцев получил наименование Задунайского.",  # no year of its own
])
def test_a_year_that_is_no_name_of_the_treaty(nlp, text: str) -> None:
    assert [t.name for _, t in [(s, s._.treaty) for s in annotate(nlp, text).spans["treaties"]]
            if t.name.endswith(" г.") and t.name[:1] in "СТ"] == []


def test_a_name_in_quotes_after_the_head(nlp) -> None:
    text = "2 сентября 911 г. в Константинополе был заключён письменный договор «мира и любви»."
    span, treaty = only(annotate(nlp, text))  # "мира" inside the quotes is no treaty of its own
    assert (span.text, treaty.name, treaty.date_signed) == (
        "письменный договор «мира и любви»", "Договор «мира и любви»", "0911-09-02")


@pytest.mark.parametrize("text, place", [
    ("В лето 6419 (911) Олег отправил в Константинополь мужей своих, и 2 сентября 911 г. там был заключён "
     "письменный договор «мира и любви».", "Константинополь"),
    ("Послы прибыли в Берлин. Там 5 мая 1926 г. был подписан договор о нейтралитете между Германией и СССР.", "Берлин"),
])
def test_there_is_the_place_named_before(nlp, text: str, place: str) -> None:
    assert annotate(nlp, text).spans["treaties"][0]._.treaty.place == place


def test_a_joint_statement_signed_under_a_name_is_a_treaty_a_plan_in_quotes_is_none(nlp) -> None:
    text = "23 апреля в Ново-Огарёве президент СССР и руководители девяти республик подписали совместное заявление «9+1»."
    _, treaty = only(annotate(nlp, text))
    assert (treaty.name, treaty.kind) == ("Совместное заявление «9+1»", "заявление")
    assert not annotate(nlp, "Правительство сделало заявление «О положении в стране».").spans["treaties"]
    assert not annotate(nlp, "В 1940 г. Гитлер утвердил план «Барбаросса».").spans["treaties"]


def test_a_topic_after_po_and_a_signing_noun_before_the_date(nlp) -> None:
    text = ("Переговоры Извольского с британским послом завершились подписанием 18 (31) августа 1907 г. в Петербурге "
            "конвенции по делам Персии, Афганистана и Тибета.")
    span, treaty = only(annotate(nlp, text))
    assert span.text == "конвенции по делам Персии, Афганистана и Тибета"
    assert (treaty.base_id, treaty.date_signed) == ("anglo-russian-1907", "1907-08-31")
    assert "Иран" not in treaty.parties  # the states a topic is about are no parties


def test_a_fronted_object_and_its_signing_verb(nlp) -> None:
    text = "Ещё раньше, 10 июня 1907 г., сходное соглашение Япония заключила с Францией."
    span, treaty = only(annotate(nlp, text))
    assert (span.text, treaty.date_signed, set(treaty.parties)) == ("сходное соглашение", "1907-06-10",
                                                                     {"Япония", "Франция"})
    assert {treaty.name, *treaty.variants} == {"Японо-французское соглашение 1907 г.", "Франко-японское соглашение 1907 г."}


def test_states_concluding_a_declaration_make_it_a_treaty_persons_signing_an_act_do_not(nlp) -> None:
    text = "3 января 1795 г. Россия и Австрия заключили в Петербурге декларацию о третьем разделе Польши."
    _, treaty = only(annotate(nlp, text))
    assert (treaty.kind, treaty.date_signed, set(treaty.parties)) == ("декларация", "1795-01-03", {"Россия", "Австрия"})
    assert treaty.name.startswith("Русско-австрийская декларация")
    text = "27 апреля 1792 г. Потоцкий, Браницкий и Ржевуский подписали в Петербурге акт конфедерации."
    assert not annotate(nlp, text).spans["treaties"]


def test_a_declaration_after_a_date_in_both_styles(nlp) -> None:
    text = ("23 декабря 1794 г. (3 января 1795 г.) Россия и Австрия заключили декларацию о третьем разделе; Пруссия "
            "присоединилась к ней 13 (24) октября 1795 г.")
    span, treaty = annotate(nlp, text).spans["treaties"][0], None
    treaty = span._.treaty
    assert (span.text, treaty.date_signed, set(treaty.parties[:2])) == (
        "декларацию о третьем разделе", "1795-01-03", {"Россия", "Австрия"})


def test_names_without_the_topic(nlp) -> None:
    text = "6 (17) февраля 1772 г. Россия и Пруссия подписали в Петербурге конвенцию о разделе."
    _, treaty = only(annotate(nlp, text))
    assert treaty.name == "Русско-прусская конвенция о разделе 1772 г."
    assert "Русско-прусская конвенция 1772 г." in treaty.variants
    text = ("5 декабря 1994 г. на саммите в Будапеште лидеры России, США и Великобритании подписали Будапештский "
            "меморандум о гарантиях безопасности.")
    _, treaty = only(annotate(nlp, text))
    assert (treaty.name, treaty.variants) == ("Будапештский меморандум о гарантиях безопасности",
                                              ("Будапештский меморандум",))
    assert treaty.base_id == ""  # no "Будапештская конвенция" of 1877: a memorandum is only ever one


def test_coordinated_heads_of_one_signing_are_two_treaties_between_the_same_states(nlp) -> None:
    text = ("17 (30) июля 1907 г. Извольский и японский посол Мотоно подписали в Петербурге общеполитическое "
            "соглашение и секретную конвенцию.")
    doc = annotate(nlp, text)
    (_, first), (_, second) = [(s, s._.treaty) for s in doc.spans["treaties"]]
    assert first.key != second.key
    assert (second.name, set(second.parties)) == ("Секретная конвенция 1907 г.", {"Россия", "Япония"})


def test_a_numbered_treaty_continues_its_series(nlp) -> None:
    text = ("Второе русско-японское соглашение, подписанное 21 июня (4 июля) 1910 г., стало ответом на план Нокса. "
            "Через месяц Япония аннексировала Корею. Третье соглашение, от 25 июня (8 июля) 1912 г., разграничило "
            "сферы влияния во Внутренней Монголии.")
    doc = annotate(nlp, text)
    third = doc.spans["treaties"][-1]._.treaty
    assert (third.name, third.date_signed, set(third.parties)) == ("Третье соглашение 1912 г.", "1912-07-08",
                                                                    {"Россия", "Япония"})


def test_states_bound_by_a_treaty_and_members_of_a_union_are_parties(nlp) -> None:
    text = ("По Лиссабонскому протоколу от 23.05.1992 Белоруссия, Казахстан и Украина обязались присоединиться "
            "к Договору о нераспространении ядерного оружия.")
    lisbon = annotate(nlp, text).spans["treaties"][0]._.treaty
    assert (lisbon.name, lisbon.date_signed, lisbon.parties) == (
        "Лиссабонский протокол", "1992-05-23", ("Белоруссия", "Казахстан", "Украина"))
    text = "2 апреля 1996 г. в Москве Ельцин и Лукашенко подписали Договор об образовании Сообщества Беларуси и России."
    _, treaty = only(annotate(nlp, text))
    assert set(treaty.parties) == {"Белоруссия", "Россия"}
    _, treaty = only(annotate(nlp, "По Шёнбруннскому миру 2 (14) октября 1809 г. Россия получила Тарнопольский округ."))
    assert "Россия" not in treaty.parties  # gaining by a treaty makes no party


def test_a_signing_narrated_at_its_time_is_no_treaty_of_decades_before(nlp) -> None:
    text = ("Наконец, 20 июня (3 июля) 1916 г., министр иностранных дел Сазонов и Мотоно подписали в Петрограде "
            "договор, к которому прилагалась конвенция о господстве в Китае.")
    assert all(s._.treaty.base_id != "st-petersburg-1881" for s in annotate(nlp, text).spans["treaties"])


def test_a_described_treaty_of_the_base_is_also_named_by_its_parties(nlp) -> None:
    _, treaty = only(annotate(nlp, "12 (23) января 1793 г. Россия и Пруссия подписали новую конвенцию о разделе."))
    assert (treaty.base_id, treaty.variants) == ("partition-1793", ("Русско-прусская конвенция о разделе 1793 г.",
                                                                     "Русско-прусская конвенция 1793 г."))


def test_a_bare_head_refers_to_the_last_treaty_of_its_paragraph(nlp) -> None:
    text = ("Портсмутский мирный договор был подписан 23 августа (5 сентября) 1905 г. Россия признавала Корею "
            "сферой интересов Японии. Стороны обязывались вывести войска из Маньчжурии. В день подписания в Токио "
            "вспыхнули беспорядки. Николай II ратифицировал договор 1 (14) октября 1905 г.")
    doc = annotate(nlp, text)
    assert [s._.treaty.base_id for s in doc.spans["treaties"]] == ["portsmouth-1905", "portsmouth-1905"]


# ---------------------------------------------------------------- corpus-level merge

def _doc_treaties(rows: list[dict]) -> pd.DataFrame:
    return frame("doc_treaties", rows)


def test_resolve_merges_documents_text_over_base_in_any_order() -> None:
    common = {"treaty_id": "T1", "key": "rapallo-1922", "name": "Рапалльский договор", "kind": "договор",
              "base_id": "rapallo-1922"}
    rows = [
        {**common, "doc_id": "a", "date_signed": "1922-04-16", "date_signed_source": "base",
         "place": "Рапалло", "place_source": "base", "parties": ["СССР", "Германия"],
         "parties_source": ["base", "base"], "aliases": ["Рапалльский договор"], "n_mentions": 2},
        {**common, "doc_id": "b", "date_signed": "1922-04-16", "date_signed_source": "text",
         "place": "Рапалло", "place_source": "text", "parties": ["Германия", "СССР"],
         "parties_source": ["text", "base"], "aliases": ["соглашения, подписанные в Рапалло"], "n_mentions": 1},
    ]
    table = resolve.treaties(_doc_treaties(rows))
    again = resolve.treaties(_doc_treaties(rows[::-1]))
    pd.testing.assert_frame_equal(table, again)
    (row,) = table.to_dict("records")
    assert (row["name"], row["n_mentions"], row["n_documents"]) == ("Рапалльский договор", 3, 2)
    assert (row["date_signed_source"], row["place_source"]) == ("text", "text")
    assert (row["parties"], row["parties_source"]) == ("Германия|СССР", "text|base")
    assert row["aliases"] == "соглашения, подписанные в Рапалло"


def test_a_partner_in_the_instrumental_names_no_treaty(nlp) -> None:
    doc = annotate(nlp, "17 августа 1610 г. бояре заключили с Жолкевским договор об избрании на московский "
                        "престол королевича Владислава.")
    assert not any("Жолкевский" in name for _, name in treaties(doc))


def test_an_unnamed_treaty_signed_at_a_place_is_also_named_by_it(nlp) -> None:
    span, treaty = only(annotate(nlp, "9 декабря 1917 г. в Фокшанах румынское командование подписало "
                                      "перемирие с Центральными державами."))
    assert treaty.place == "Фокшаны"
    assert {"Фокшанское перемирие", "Фокшанское перемирие 1917 г."} <= set(treaty.variants)


def test_a_journal_entry_dates_the_treaty_its_first_sentence_signs(nlp) -> None:
    text = ("1763 год\n\n10 февр. (н. ст.). В Париже подписан мир между Великобританией, "
            "Францией и Испанией.")
    span, treaty = only(annotate(nlp, text))
    assert (treaty.date_signed, treaty.place) == ("1763-02-10", "Париж")
    assert "Парижский мир 1763 г." in (treaty.name, *treaty.variants)


def test_a_compound_of_two_parties_refers_to_no_treaty_of_more(nlp) -> None:
    text = ("10 августа 1913 г. в Бухаресте был заключён мир, по которому Болгария уступила Румынии "
            "Южную Добруджу.\n13.03.1912 | Сербско-болгарский договор | Сербия, Болгария | София")
    peace, table_row = annotate(nlp, text).spans["treaties"]
    assert peace._.treaty.base_id == "bucharest-1913"
    assert table_row._.treaty.base_id == "" and table_row._.treaty.parties == ("Сербия", "Болгария")


# ---------------------------------------------------------------- records and tables, end to end

def test_records_relations_and_tables_in_original_offsets() -> None:
    text = ("Германия подтвердила верность Рапалльскому договору. За этим последовало подписание в Бер-\n"
            "лине договора о дружбе и взаимном нейтралитете, который продлевал действие Рапалль-\n"
            "ского договора.")
    tables = pipeline.extract(text)
    mentions = tables["mentions"][tables["mentions"]["label"] == "TREATY"]
    assert [text[s:e] for s, e in zip(mentions["start"], mentions["end"])] == list(mentions["text"])
    assert list(mentions["norm"]) == [
        "Рапалльский договор", "договор о дружбе и взаимном нейтралитете", "Рапалльский договор"]
    treaties = tables["treaties"].set_index("name")
    assert set(treaties.index) == {"Рапалльский договор", "Берлинский договор"}
    berlin = treaties.loc["Берлинский договор"]
    assert (berlin["place"], berlin["place_source"], berlin["date_signed_source"]) == ("Берлин", "text", "base")
    assert berlin["aliases"] == "договор о дружбе и взаимном нейтралитете"
    assert treaties.loc["Рапалльский договор", "n_mentions"] == 2
    relations = tables["relations"]
    signed_in = relations[relations["relation"] == "SIGNED_IN"]
    assert text[int(signed_in["start"].iloc[0]) : int(signed_in["end"].iloc[0])] == "Бер-\nлине"
    assert set(mentions["ref_id"]) == set(tables["treaties"]["treaty_id"])
    assert len(tables["doc_treaties"]) == 2


@pytest.mark.slow
def test_seed_gold_scores(shared_dir) -> None:
    gold = scorecard.load(shared_dir / "seed")
    result = ev.evaluate_documents(scorecard.letopis_tables(gold.texts), gold.documents)
    assert result.score("treaties")["f1"] >= 0.9
    assert result.score("treaty_parties")["f1"] >= 0.8
    assert result.score("treaty_date_signed")["f1"] >= 0.8
