"""Raw Natasha as tables, and its measured scores (the figures issues compare against)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import baseline as bl
from pipeline import evaluate as ev
from pipeline.records import stable_id
from pipeline.tables import SCHEMAS

TEXTS = {
    "a": "В 1926 г. Штреземанн встретился в Берлине с представителями СССР.",
    "b": "Германия и СССР подписали договор 24 апреля 1926 г. в Берлине.",
}


@pytest.fixture(scope="module")
def tables() -> dict:
    return bl.natasha_tables(TEXTS)


@pytest.mark.parametrize("fact, value", [
    ((1926, None, None), ("1926-01-01", "1926-12-31", "year")),
    ((1928, 2, None), ("1928-02-01", "1928-02-29", "month")),
    ((1926, 4, 24), ("1926-04-24", "1926-04-24", "day")),
    ((None, 4, 24), ("", "", "day")),
    ((1926, 2, 30), ("", "", "day")),
])
def test_date_value(fact, value):
    assert bl.date_value(*fact) == value


def test_tables_follow_the_schema(tables):
    assert set(tables) == set(SCHEMAS)
    for name, df in tables.items():
        assert list(df.columns) == list(SCHEMAS[name])
    assert tables["treaties"].empty and tables["events"].empty and tables["relations"].empty
    assert tables["documents"]["doc_id"].tolist() == ["a", "b"]


def test_mentions_are_natasha_spans_in_original_offsets(tables):
    m = tables["mentions"]
    for doc_id, start, end, text in m[["doc_id", "start", "end", "text"]].values:
        assert TEXTS[doc_id][start:end] == text
    berlin = m[m["text"] == "Берлине"]
    assert set(berlin["norm"]) == {"Берлин"} and set(berlin["actor_type"]) == {"LOCATION"}
    assert set(m["label"]) <= {"PER", "ORG", "LOC", "DATE"}


def test_one_actor_per_normal_form_and_type(tables):
    actors = tables["actors"].set_index("name")
    assert actors.loc["Берлин", "n_mentions"] == 2 and actors.loc["Берлин", "n_documents"] == 2
    assert actors.loc["Берлин", "actor_id"] == stable_id("A", "LOCATION", "Берлин")
    assert not actors.index.duplicated().any()
    assert set(tables["mentions"]["ref_id"]) >= set(tables["actors"]["actor_id"])


def test_dates_from_dates_extractor(tables):
    dates = tables["dates"]
    assert dates[["doc_id", "value_start", "value_end", "granularity"]].values.tolist() == [
        ["a", "1926-01-01", "1926-12-31", "year"], ["b", "1926-04-24", "1926-04-24", "day"]]
    date_mentions = tables["mentions"][tables["mentions"]["label"] == "DATE"]
    assert date_mentions["ref_id"].tolist() == dates["date_id"].tolist()


def test_models_load_once():
    assert bl._natasha() is bl._natasha()


@pytest.mark.shared
def test_seed_scores(shared_dir: Path):
    """Raw Natasha on the seed gold; a change here means the baseline itself moved."""
    texts = {p.name: p.read_bytes().decode("utf-8") for p in (shared_dir / "seed").glob("*.txt")}
    result = ev.evaluate_documents(bl.natasha_tables(texts), ev.load_gold(shared_dir / "seed" / "gold"))
    assert result.score("dates")["f1"] == pytest.approx(0.745, abs=5e-4)
    assert result.score("actors")["f1"] == pytest.approx(0.639, abs=5e-4)
    assert result.score("actors_typed")["f1"] == pytest.approx(0.474, abs=5e-4)


@pytest.mark.slow
@pytest.mark.shared
def test_factrueval_test_scores(shared_dir: Path):
    raw, texts = ev.read_factrueval(shared_dir / "datasets" / "factrueval2016" / "testset")
    gold = ev.outermost(ev.map_labels(raw, ev.FACTRUEVAL_LABELS))
    mentions = bl.natasha_tables(texts)["mentions"]
    scores = ev.score_spans(mentions, gold, ["PER", "ORG", "LOC"])
    fuzzy = scores[scores["mode"] == "fuzzy"].set_index("label")["f1"]
    assert fuzzy.round(3).to_dict() == {"PER": 0.942, "ORG": 0.798, "LOC": 0.872, ev.ALL: 0.865}
    # the published protocol (naeval): name spans per token; slovnet's published .959/.825/.915
    names, _ = ev.read_factrueval_names(shared_dir / "datasets" / "factrueval2016" / "testset")
    tokens = ev.score_tokens(mentions, ev.map_labels(names, ev.FACTRUEVAL_LABELS),
                             texts, ["PER", "ORG", "LOC"]).set_index("label")["f1"]
    assert tokens.round(3).to_dict() == {"PER": 0.958, "ORG": 0.845, "LOC": 0.922, ev.ALL: 0.902}


@pytest.mark.slow
@pytest.mark.shared
def test_nerel_test_scores(shared_dir: Path):
    raw, texts = ev.read_brat(shared_dir / "datasets" / "nerel" / "test")
    gold = ev.map_labels(raw, ev.NEREL_LABELS)
    mentions = bl.natasha_tables(texts)["mentions"]
    scores = ev.score_spans(mentions, ev.outermost(gold[gold["label"] != "DATE"]), ["PER", "ORG", "LOC"])
    fuzzy = scores[scores["mode"] == "fuzzy"].set_index("label")["f1"]
    assert fuzzy.round(3).to_dict() == {"PER": 0.925, "ORG": 0.747, "LOC": 0.835, ev.ALL: 0.851}
    years = ev.with_year(gold[gold["label"] == "DATE"])
    recall = ev.recall_of(years, mentions[mentions["label"] == "DATE"]).set_index("mode")["recall"]
    assert recall["fuzzy"] == pytest.approx(0.848, abs=5e-4)
