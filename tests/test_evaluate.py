"""Scoring rules on small synthetic tables, and the gold loaders on the real files."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline import evaluate as ev
from pipeline.tables import TABLES, frame

DOC = "doc1.txt"


def run(*, actors=(), mentions=(), dates=(), treaties=(), events=()) -> dict:
    """A run's tables with one document, ``doc1.txt`` under doc_id ``d1``."""
    rows = {"documents": [{"doc_id": "d1", "path": f"corpus/{DOC}"}], "actors": actors, "mentions": mentions,
            "dates": dates, "treaties": treaties, "events": events}
    return {name: frame(name, rows.get(name, [])) for name in TABLES}


def actor(actor_id: str, name: str, type_: str, aliases: str = "") -> dict:
    return {"actor_id": actor_id, "name": name, "type": type_, "aliases": aliases}


def mention(ref: str, norm: str, label: str = "LOC", start: int = 0) -> dict:
    return {"doc_id": "d1", "mention_id": f"m{start}", "label": label, "start": start, "end": start + 1,
            "text": norm, "norm": norm, "ref_id": ref}


def gold(**sections) -> list[dict]:
    return [ev.parse_gold({"doc": DOC, **sections})]


def counts(result: ev.Evaluation, section: str, label: str = ev.ALL) -> tuple[int, int, int]:
    s = result.score(section, label)
    return s["tp"], s["fp"], s["fn"]


# ------------------------------------------------------------ matching


def test_name_key_ignores_case_yo_dashes_and_spacing():
    assert ev.name_key("Пакт Бриана — Келлога") == ev.name_key("пакт  Бриана-Келлога")
    assert ev.name_key("Королёв") == ev.name_key("КОРОЛЕВ")
    assert ev.name_key(" Лига\nНаций ") == "лига наций"


def test_match_is_maximal_not_greedy():
    # greedy would give p1 to g1 and leave g2 unmatched
    m = ev.match(["g1", "g2"], ["p1", "p2"], lambda g, p: (g, p) in {("g1", "p1"), ("g1", "p2"), ("g2", "p1")})
    assert sorted(m.pairs) == [("g1", "p2"), ("g2", "p1")]
    assert m.missed == m.spurious == []


def test_prf_is_zero_where_undefined():
    assert ev.prf(0, 0, 0) == (0.0, 0.0, 0.0)
    assert ev.prf(1, 1, 2) == pytest.approx((0.5, 1 / 3, 0.4))


# -------------------------------------------------------------- actors


def test_actor_matches_through_aliases_and_mention_norms():
    tables = run(
        actors=[actor("a1", "Советский Союз", "STATE"), actor("a2", "Англия", "STATE", "Соединённое королевство")],
        mentions=[mention("a1", "Советский Союз"), mention("a2", "Англия", start=5)],
    )
    g = gold(actors=[
        {"name": "СССР", "type": "STATE", "aliases": ["Советский Союз"]},
        {"name": "Великобритания", "type": "STATE", "aliases": ["Соединенное Королевство"]},
    ])
    assert counts(ev.evaluate_documents(tables, g), "actors") == (2, 0, 0)


def test_mention_norm_counts_as_alias():
    tables = run(actors=[actor("a1", "Германское государство", "STATE")], mentions=[mention("a1", "германия")])
    g = gold(actors=[{"name": "Германия", "type": "STATE"}])
    assert counts(ev.evaluate_documents(tables, g), "actors") == (1, 0, 0)


def test_only_actors_referenced_in_the_document_are_predicted():
    tables = run(actors=[actor("a1", "Берлин", "LOCATION"), actor("a2", "Париж", "LOCATION")],
                 mentions=[mention("a1", "Берлин")])
    g = gold(actors=[{"name": "Берлин", "type": "LOCATION"}])
    assert counts(ev.evaluate_documents(tables, g), "actors") == (1, 0, 0)


def test_actor_matching_is_one_to_one():
    tables = run(actors=[actor("a1", "СССР", "STATE"), actor("a2", "Советский Союз", "STATE")],
                 mentions=[mention("a1", "СССР"), mention("a2", "Советский Союз", start=3)])
    g = gold(actors=[{"name": "СССР", "type": "STATE", "aliases": ["Советский Союз"]}])
    result = ev.evaluate_documents(tables, g)
    assert counts(result, "actors") == (1, 1, 0)
    errors = result.errors()
    assert errors[errors["section"] == "actors"]["pred"].tolist() == ["Советский Союз [STATE]"]


def test_typed_score_needs_the_type_and_is_given_per_type():
    tables = run(actors=[actor("a1", "Германия", "LOCATION"), actor("a2", "Штреземанн", "PERSON")],
                 mentions=[mention("a1", "Германия"), mention("a2", "Штреземанн", "PER", 4)])
    g = gold(actors=[{"name": "Германия", "type": "STATE"}, {"name": "Штреземанн", "type": "PERSON"}])
    result = ev.evaluate_documents(tables, g)
    assert counts(result, "actors") == (2, 0, 0)
    assert counts(result, "actors_typed") == (1, 1, 1)
    assert counts(result, "actors_typed", "STATE") == (0, 0, 1)
    assert counts(result, "actors_typed", "LOCATION") == (0, 1, 0)
    assert counts(result, "actors_typed", "PERSON") == (1, 0, 0)


# --------------------------------------------------------------- dates


def date(value_start: str, value_end: str, start: int) -> dict:
    return {"doc_id": "d1", "date_id": f"t{start}", "start": start, "end": start + 4, "text": "1924 г.",
            "value_start": value_start, "value_end": value_end}


def test_dates_are_a_multiset_of_values():
    y1924 = ("1924-01-01", "1924-12-31")
    g = gold(dates=[{"value_start": y1924[0], "value_end": y1924[1]}] * 2
             + [{"value_start": "1925-10-12", "value_end": "1925-10-12"}])
    three = run(dates=[date(*y1924, 0), date(*y1924, 10), date(*y1924, 20)])
    assert counts(ev.evaluate_documents(three, g), "dates") == (2, 1, 1)
    wrong_end = run(dates=[date("1924-01-01", "1924-01-31", 0)])
    assert counts(ev.evaluate_documents(wrong_end, g), "dates") == (0, 1, 3)


# ------------------------------------------------------------ treaties

GOLD_TREATY = {
    "name": "Берлинский договор", "aliases": ["договор о нейтралитете"], "date_signed": "1926-04-24",
    "place": "Берлин", "parties": ["СССР", "Германия"],
}
GOLD_ACTORS = [
    {"name": "СССР", "type": "STATE", "aliases": ["Советский Союз"]},
    {"name": "Германия", "type": "STATE"},
    {"name": "Берлин", "type": "LOCATION", "aliases": ["Berlin"]},
]


def treaty_run(**treaty) -> dict:
    row = {"treaty_id": "t1", "name": "Договор о нейтралитете", "date_signed": "1926-04-24", "place": "Berlin",
           "parties": "Советский Союз|Германия|Франция", **treaty}
    return run(treaties=[row], mentions=[mention("t1", "договор", "TREATY")])


def test_treaty_matches_by_alias_and_scores_attributes():
    result = ev.evaluate_documents(treaty_run(), gold(actors=GOLD_ACTORS, treaties=[GOLD_TREATY]))
    assert counts(result, "treaties") == (1, 0, 0)
    assert counts(result, "treaty_date_signed") == (1, 0, 0)
    assert counts(result, "treaty_place") == (1, 0, 0)  # "Berlin" is an alias of gold Берлин
    assert counts(result, "treaty_parties") == (2, 1, 0)  # Советский Союз counts for СССР; Франция spurious


def test_treaty_attributes_wrong_or_absent():
    result = ev.evaluate_documents(treaty_run(date_signed="1926-04-25", place=""),
                                   gold(actors=GOLD_ACTORS, treaties=[GOLD_TREATY]))
    assert counts(result, "treaty_date_signed") == (0, 1, 1)
    assert counts(result, "treaty_place") == (0, 0, 1)


def test_treaty_place_given_as_actor_id_is_read_as_its_name():
    tables = treaty_run(place="a9")
    tables["actors"] = frame("actors", [actor("a9", "Берлин", "LOCATION")])
    result = ev.evaluate_documents(tables, gold(actors=GOLD_ACTORS, treaties=[GOLD_TREATY]))
    assert counts(result, "treaty_place") == (1, 0, 0)


def test_unmatched_treaty_scores_no_attributes():
    result = ev.evaluate_documents(treaty_run(name="Рапалльский договор"), gold(treaties=[GOLD_TREATY]))
    assert counts(result, "treaties") == (0, 1, 1)
    assert counts(result, "treaty_parties") == (0, 0, 0)


def test_treaty_name_ignores_dash_style():
    g = gold(treaties=[{"name": "Пакт Бриана — Келлога"}])
    assert counts(ev.evaluate_documents(treaty_run(name="пакт Бриана-Келлога"), g), "treaties") == (1, 0, 0)


# -------------------------------------------------------------- events


def event_run(*events: dict) -> dict:
    rows = [{"doc_id": "d1", "event_id": f"e{i}", "start": i, "end": i + 1, "date_start": "1924-08-08",
             "date_end": "1924-08-08", "type": "TREATY_SIGNING", "participants": "a1|a2", **e}
            for i, e in enumerate(events)]
    actors = [actor("a1", "Советский Союз", "STATE"), actor("a2", "Великобритания", "STATE")]
    return run(actors=actors, events=rows)


def gold_event(**fields) -> dict:
    return {"type": "TREATY_SIGNING", "date_start": "1924-08-01", "date_end": "1924-08-31",
            "participants": ["СССР"], **fields}


def test_event_needs_type_overlap_and_a_shared_participant():
    g = gold(actors=GOLD_ACTORS, events=[gold_event()])
    assert counts(ev.evaluate_documents(event_run({}), g), "events") == (1, 0, 0)
    assert counts(ev.evaluate_documents(event_run({"type": "WAR"}), g), "events") == (0, 1, 1)
    late = {"date_start": "1924-09-01", "date_end": "1924-09-02"}
    assert counts(ev.evaluate_documents(event_run(late), g), "events") == (0, 1, 1)
    assert counts(ev.evaluate_documents(event_run({"date_start": "", "date_end": ""}), g), "events") == (0, 1, 1)
    assert counts(ev.evaluate_documents(event_run({"participants": "a2"}), g), "events") == (0, 1, 1)


def test_event_without_gold_participants_needs_none():
    g = gold(events=[gold_event(participants=[])])
    assert counts(ev.evaluate_documents(event_run({"participants": ""}), g), "events") == (1, 0, 0)


def test_event_single_date_bound_stands_for_both():
    g = gold(events=[gold_event(participants=[], date_start="1924-08-08", date_end="")])
    assert counts(ev.evaluate_documents(event_run({}), g), "events") == (1, 0, 0)


def test_other_events_are_excluded_unless_asked():
    g = gold(actors=GOLD_ACTORS, events=[gold_event(), gold_event(type="OTHER")])
    tables = event_run({}, {"type": "OTHER"}, {"type": "OTHER", "date_start": "1900-01-01", "date_end": ""})
    assert counts(ev.evaluate_documents(tables, g), "events") == (1, 0, 0)
    with_other = ev.evaluate_documents(tables, g, include_other=True)
    assert counts(with_other, "events") == (2, 1, 0)
    assert counts(with_other, "events", "OTHER") == (1, 1, 0)


# ------------------------------------------------------- documents, io


def test_gold_document_found_by_stem_or_missing():
    tables = run(dates=[date("1924-01-01", "1924-12-31", 0)])
    tables["documents"] = frame("documents", [{"doc_id": "doc1", "path": "elsewhere/x.txt"}])
    tables["dates"] = tables["dates"].assign(doc_id="doc1")
    g = gold(dates=[{"value_start": "1924-01-01", "value_end": "1924-12-31"}])
    assert counts(ev.evaluate_documents(tables, g), "dates") == (1, 0, 0)
    absent = [ev.parse_gold({"doc": "other.txt", "dates": g[0]["dates"]})]
    result = ev.evaluate_documents(tables, absent)
    assert result.missing_docs == ["other.txt"]
    assert counts(result, "dates") == (0, 0, 1)


def test_load_gold_reads_a_directory_and_fills_defaults(tmp_path: Path):
    (tmp_path / "b.json").write_text(json.dumps({"doc": "b.txt", "actors": [{"name": "X", "type": "PERSON"}]}))
    (tmp_path / "a.json").write_text(json.dumps({"doc": "a.txt"}))
    docs = ev.load_gold(tmp_path)
    assert [d["doc"] for d in docs] == ["a.txt", "b.txt"]
    assert docs[1]["actors"] == [{"name": "X", "type": "PERSON", "aliases": []}]
    assert docs[0]["events"] == []


@pytest.mark.parametrize("content, message", [
    ('{"doc": "a.txt",\n "actors": [}', "invalid JSON at line 2"),
    ('[]', "expected a JSON object"),
    ('{"actors": []}', 'missing "doc"'),
    ('{"doc": "a.txt", "actors": {}}', '"actors" must be a list'),
    ('{"doc": "a.txt", "actors": [{"type": "STATE"}]}', "actors[0]: missing name"),
    ('{"doc": "a.txt", "actors": [{"name": "X", "type": "STATE", "aliases": "Y"}]}', "aliases: expected a list"),
    ('{"doc": "a.txt", "dates": [{"value_start": 1924, "value_end": ""}]}', "value_start: expected a string"),
])
def test_load_gold_explains_malformed_files(tmp_path: Path, content: str, message: str):
    path = tmp_path / "a.json"
    path.write_text(content)
    with pytest.raises(ev.GoldError) as err:
        ev.load_gold(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_load_gold_rejects_a_document_annotated_twice(tmp_path: Path):
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text('{"doc": "a.txt"}')
    with pytest.raises(ev.GoldError, match="annotated twice"):
        ev.load_gold(tmp_path)


def test_report_forms():
    result = ev.evaluate_documents(treaty_run(), gold(actors=GOLD_ACTORS, treaties=[GOLD_TREATY]))
    json.dumps(result.to_dict())
    text = result.to_markdown(errors=True)
    assert "## Document level: treaty_parties" in text and "## Errors" in text
    assert "Берлинский договор: Франция" in text  # a spurious party, named with its treaty


# ------------------------------------------------------------ span gold


def write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def test_read_brat_takes_discontinuous_extent_and_keeps_offsets(tmp_path: Path):
    text = "Жолт Хорняк\r\nпокинул клуб «Бананц» в Ереване"
    write(tmp_path / "1.txt", text)
    write(tmp_path / "1.ann", "\n".join([
        "T1\tPERSON 0 11\tЖолт Хорняк",
        "T2\tORGANIZATION 27 33\tБананц",
        "T3\tLAW 13 20;26 34\tпокинул «Бананц»",
        "T4\tEVENT 13 20\tпокинул\nline continued",
        "R1\tWORKS_AS Arg1:T1 Arg2:T2",
        "N1\tReference T4 Wikidata:Q1\tx",
    ]))
    spans, texts = ev.read_brat(tmp_path)
    assert texts == {"1.txt": text}  # the doc id a run over the folder gives
    assert spans[["label", "start", "end"]].values.tolist() == [
        ["PERSON", 0, 11], ["ORGANIZATION", 27, 33], ["LAW", 13, 34], ["EVENT", 13, 20]]
    assert spans["text"].tolist()[1] == "Бананц"


def test_read_factrueval_joins_a_mentions_spans(tmp_path: Path):
    write(tmp_path / "book_1.txt", "Дмитрий Медведев посетил Кремниевую долину")
    write(tmp_path / "book_1.spans", "1 name 0 7 10 1  # 10 Дмитрий\n2 surname 8 8 11 1  # 11 Медведев\n"
                                     "3 loc_name 25 17 13 2  # 13 14 Кремниевую долину\n")
    write(tmp_path / "book_1.objects", "7 Person 1 2 # Дмитрий Медведев\n8 Location 3 # Кремниевую долину\n")
    write(tmp_path / "list.txt", "book_1.txt\n")
    spans, texts = ev.read_factrueval(tmp_path)
    assert list(texts) == ["book_1.txt"]
    assert spans[["label", "start", "end", "text"]].values.tolist() == [
        ["Person", 0, 16, "Дмитрий Медведев"], ["Location", 25, 42, "Кремниевую долину"]]


def test_read_factrueval_names_keeps_the_name_parts_the_published_figures_count(tmp_path: Path):
    text = "Правительство Грузии и компания «Лукойл» обратились к Дмитрию Медведеву"
    write(tmp_path / "book_2.txt", text)
    write(tmp_path / "book_2.spans", "1 org_descr 0 13 1 1\n2 loc_name 14 6 2 1\n3 org_descr 23 8 4 1\n"
                                     "4 org_name 33 6 6 1\n5 name 54 7 9 1\n6 surname 62 10 10 1\n")
    write(tmp_path / "book_2.objects", "1 Org 1 2 # Правительство Грузии\n2 LocOrg 2 # Грузии\n"
                                       "3 Org 3 4 # компания Лукойл\n4 Org 3 # компания\n5 Person 5 6 # Дмитрию Медведеву\n")
    names, texts = ev.read_factrueval_names(tmp_path)
    assert list(texts) == ["book_2.txt"]
    # "Грузии" is no org_name of the government, so it is the state's; a bare descriptor is nothing
    assert names[["label", "text"]].values.tolist() == [
        ["LocOrg", "Грузии"], ["Org", "Лукойл"], ["Person", "Дмитрию Медведеву"]]


def test_first_of_overlapping_keeps_the_longer_span_whatever_its_label():
    rows = spans(("d", "ORG", 0, 10), ("d", "LOC", 4, 10), ("d", "PER", 12, 20), ("e", "LOC", 4, 10))
    kept = ev.first_of_overlapping(rows)
    assert kept[["doc_id", "label", "start"]].values.tolist() == [["d", "ORG", 0], ["d", "PER", 12], ["e", "LOC", 4]]


def test_score_tokens_counts_tokens_not_spans():
    text = "Министр Сергей Лавров прибыл в Нью-Йорк."
    gold = spans(("d", "PER", 8, 21), ("d", "LOC", 31, 39))
    # half the person (one token of two), a place off the token bounds (dropped) and a wrong label
    pred = spans(("d", "PER", 15, 21), ("d", "LOC", 32, 39), ("d", "ORG", 0, 7))
    scores = ev.score_tokens(pred, gold, {"d": text}, ["PER", "ORG", "LOC"]).set_index("label")
    assert scores.loc["PER", ["tp", "fp", "fn"]].tolist() == [1, 0, 1]
    assert scores.loc["LOC", ["tp", "fp", "fn"]].tolist() == [0, 0, 1]  # razdel keeps "Нью-Йорк" one token
    assert scores.loc["ORG", ["tp", "fp", "fn"]].tolist() == [0, 1, 0]
    assert scores.loc[ev.ALL, "recall"] == pytest.approx(1 / 3)
    assert set(scores["mode"]) == {"tokens"}


def spans(*rows) -> pd.DataFrame:
    return ev.spans_frame({"doc_id": d, "label": lab, "start": s, "end": e, "text": t}
                          for d, lab, s, e, t in (r if len(r) == 5 else (*r, "") for r in rows))


def test_map_labels_drops_unmapped_types():
    raw = spans(("d", "CITY", 0, 5), ("d", "PROFESSION", 6, 9), ("d", "PERSON", 10, 12))
    assert ev.map_labels(raw, ev.NEREL_LABELS)["label"].tolist() == ["LOC", "PER"]


def test_outermost_keeps_the_outer_span_of_a_label_family():
    g = spans(("d", "LOC", 0, 20), ("d", "LOC", 5, 10), ("d", "LOC", 0, 20), ("d", "PER", 5, 10),
              ("d", "LOC", 18, 25), ("e", "LOC", 5, 10))
    assert ev.outermost(g)[["doc_id", "label", "start", "end"]].values.tolist() == [
        ["d", "LOC", 0, 20], ["d", "PER", 5, 10], ["d", "LOC", 18, 25], ["e", "LOC", 5, 10]]


def score(table, mode: str, label: str) -> tuple[int, int, int]:
    row = table[(table["mode"] == mode) & (table["label"] == label)].iloc[0]
    return row["tp"], row["fp"], row["fn"]


def test_strict_needs_bounds_fuzzy_overlap_both_the_label():
    g = spans(("d", "PER", 0, 10), ("d", "ORG", 20, 30), ("d", "LOC", 40, 45))
    p = spans(("d", "PER", 0, 10), ("d", "ORG", 22, 35), ("d", "PER", 40, 45))
    table = ev.score_spans(p, g, ["PER", "ORG", "LOC"])
    assert score(table, "strict", "PER") == (1, 1, 0)
    assert score(table, "strict", "ORG") == (0, 1, 1)
    assert score(table, "fuzzy", "ORG") == (1, 0, 0)
    assert score(table, "fuzzy", "LOC") == (0, 0, 1)
    assert score(table, "fuzzy", ev.ALL) == (2, 1, 1)


def test_fuzzy_matching_is_one_to_one_and_per_document():
    g = spans(("d", "LOC", 0, 5), ("d", "LOC", 6, 10))
    p = spans(("d", "LOC", 0, 10), ("e", "LOC", 0, 5))
    assert score(ev.score_spans(p, g, ["LOC"]), "fuzzy", "LOC") == (1, 1, 1)


def test_year_dates_and_their_recall():
    g = spans(("d", "DATE", 0, 10, "в 1924 г."), ("d", "DATE", 20, 30, "вчера"), ("d", "DATE", 40, 50, "12345"))
    years = ev.with_year(g)
    assert years["text"].tolist() == ["в 1924 г."]
    found = ev.recall_of(years, spans(("d", "DATE", 2, 9)))
    assert found.set_index("mode")["recall"].to_dict() == {"strict": 0.0, "fuzzy": 1.0}


def test_treaty_laws_by_head_lemma():
    g = spans(("d", "LAW", 0, 1, "Рапалльского договора"), ("d", "LAW", 2, 3, "УК РФ"),
              ("d", "LAW", 4, 5, "Брестского мира"), ("d", "EVENT", 6, 7, "договор"))
    assert ev.treaty_laws(g, ev.TREATY_HEADS)["text"].tolist() == ["Рапалльского договора", "Брестского мира"]
    assert ev.treaty_laws(g, ["пакт"]).empty


# --------------------------------------------------------- real files


@pytest.mark.shared
def test_seed_gold_loads(shared_dir: Path):
    (doc,) = ev.load_gold(shared_dir / "seed" / "gold")
    assert doc["doc"] == "000_a17717a12c9184be.txt"
    assert (len(doc["actors"]), len(doc["dates"]), len(doc["treaties"])) == (49, 27, 12)


@pytest.mark.shared
def test_factrueval_test_objects(shared_dir: Path):
    spans_, texts = ev.read_factrueval(shared_dir / "datasets" / "factrueval2016" / "testset")
    assert len(texts) == 132
    counts_ = spans_["label"].value_counts().to_dict()
    assert {k: counts_[k] for k in ("Person", "Org", "Location", "LocOrg")} == {
        "Person": 1388, "Org": 2034, "Location": 728, "LocOrg": 846}
    row = spans_.iloc[0]
    assert texts[row["doc_id"]][row["start"]:row["end"]] == row["text"]


@pytest.mark.shared
def test_nerel_test_split(shared_dir: Path):
    spans_, texts = ev.read_brat(shared_dir / "datasets" / "nerel" / "test")
    assert len(texts) == 93
    assert all(texts[d][s:e] == t for d, s, e, t in spans_[["doc_id", "start", "end", "text"]].values[:200])
    assert set(ev.map_labels(spans_, ev.NEREL_LABELS)["label"]) == {"PER", "ORG", "LOC", "DATE"}


def test_a_gold_folder_text_is_decoded_as_a_run_decodes_it(tmp_path: Path):
    """A cp1251 text beside its gold is read, not refused as bad UTF-8."""
    from pipeline import scorecard

    text = "Портсмутский мирный договор подписан 23 августа (5 сентября) 1905 г."
    (tmp_path / "p.txt").write_bytes(text.encode("cp1251"))
    (tmp_path / "gold").mkdir()
    write(tmp_path / "gold" / "p.json", json.dumps({"doc": "p.txt", "actors": [], "dates": [],
                                                     "treaties": [], "events": []}))
    assert scorecard.load(tmp_path).texts == {"p.txt": text}
