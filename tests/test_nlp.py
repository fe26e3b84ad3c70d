"""The Natasha → spaCy bridge: one Doc with Natasha's annotation, text kept exactly."""
from __future__ import annotations

import pytest
import spacy
from spacy.matcher import DependencyMatcher, Matcher

from pipeline import nlp as nlp_module
from pipeline.nlp import _tree

SENTENCE = "12 октября 1925 г. Германия заключила новое торговое соглашение с Советским Союзом."


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return nlp_module.load()


@pytest.mark.parametrize("text", [
    SENTENCE,
    "  Первый абзац.\n\nВторой  абзац,  с двумя пробелами.\n\n\n",
    "",
    "   ",
    "Одно слово",
    "Строка\nперенесена без точки",
])
def test_doc_text_is_the_input(nlp, text: str) -> None:
    assert nlp(text).text == text


def test_morphology_syntax_and_lemmas(nlp) -> None:
    doc = nlp(SENTENCE)
    by_text = {t.text: t for t in doc}
    verb = by_text["заключила"]
    assert verb.pos_ == "VERB" and verb.lemma_ == "заключить"
    assert verb.dep_ == "ROOT" and verb.head == verb
    assert by_text["Германия"].dep_ == "nsubj" and by_text["Германия"].head == verb
    assert by_text["Советским"].lemma_ == "советский"
    assert by_text["соглашение"].morph.get("Case") == ["Acc"]
    assert by_text["Союзом"].lemma_ == "союз"


def test_natasha_entities_become_doc_ents(nlp) -> None:
    doc = nlp.make_doc(SENTENCE)  # the tokenizer alone: letopis_actors later retypes the entities
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Германия", "LOC") in ents
    assert any(text.startswith("Советским") for text, _ in ents)


def test_paragraphs_are_sentences_and_trees(nlp) -> None:
    doc = nlp("Сталин выступил.\n\nТроцкий возразил ему. Литвинов промолчал.")
    sents = [s.text.strip() for s in doc.sents]
    assert sents == ["Сталин выступил.", "Троцкий возразил ему.", "Литвинов промолчал."]
    for sent in doc.sents:
        assert sum(t.dep_ == "ROOT" for t in sent) == 1


def test_spacy_matchers_run_on_the_doc(nlp) -> None:
    doc = nlp(SENTENCE)
    matcher = Matcher(nlp.vocab)
    matcher.add("AGREEMENT", [[{"LEMMA": "торговый"}, {"LEMMA": "соглашение"}]])
    assert [doc[s:e].text for _, s, e in matcher(doc)] == ["торговое соглашение"]
    dep = DependencyMatcher(nlp.vocab)
    dep.add("SIGN", [[
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": "заключить"}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "subj", "RIGHT_ATTRS": {"DEP": "nsubj"}},
    ]])
    (_, (verb, subj)), = dep(doc)
    assert (doc[verb].text, doc[subj].text) == ("заключила", "Германия")


def test_long_paragraph_is_cut_for_natasha_but_stays_one_doc(nlp) -> None:
    text = " ".join(["Германия подписала договор с Францией."] * 200)
    doc = nlp(text)
    assert doc.text == text
    assert sum(e.text == "Германия" for e in doc.ents) == 200


@pytest.mark.parametrize("heads, rels, tree", [
    ([2, 0, 2], ["nsubj", "root", "obj"], [1, 1, 1]),
    ([0, 0, 2], ["root", "root", "obj"], [0, 0, 1]),  # second root re-attached
    ([2, 1, 0], ["x", "y", "root"], [2, 0, 2]),  # a 0↔1 cycle is broken at the root
    ([1, 1], ["x", "y"], [0, 0]),  # no root at all: the first word becomes it
])
def test_tree_repair(heads: list[int], rels: list[str], tree: list[int]) -> None:
    out, labels = _tree(heads, rels)
    assert out == tree
    assert labels.count("ROOT") == 1


def test_a_gap_token_inside_a_sentence_keeps_the_tree_valid(nlp) -> None:
    doc = nlp("Отец\xa0Грэй — австралиец, мать\xa0— филиппинка. Она родилась в Маниле.")
    assert doc.text == "Отец\xa0Грэй — австралиец, мать\xa0— филиппинка. Она родилась в Маниле."
    for sent in doc.sents:
        assert sent.root.head == sent.root
        for token in sent:
            assert sent.start <= token.head.i < sent.end


def test_a_bracketed_date_does_not_end_the_sentence() -> None:
    from razdel import sentenize

    text = "23 декабря 1794 г. (3 января 1795 г.) Россия и Австрия заключили декларацию. Пруссия присоединилась."
    assert [s for _, s in nlp_module._sentences(text, sentenize)] == [
        "23 декабря 1794 г. (3 января 1795 г.) Россия и Австрия заключили декларацию.", "Пруссия присоединилась."]
