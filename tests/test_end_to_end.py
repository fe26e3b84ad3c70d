"""The whole pipeline on real text: exact original offsets, bad files, API, CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import pipeline
from pipeline import scorecard, tables
from pipeline.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "000_a17717a12c9184be.txt"


@pytest.fixture(scope="module")
def seed_tables() -> dict[str, pd.DataFrame]:
    return pipeline.extract(SEED)


def test_every_offset_points_at_its_text(seed_tables, seed_text: str) -> None:
    for name in ("mentions", "dates", "events"):
        df = seed_tables[name]
        for start, end, text in zip(df["start"], df["end"], df["text" if name != "events" else "trigger"]):
            assert seed_text[start:end] == text


def test_hyphenation_no_longer_breaks_entities(seed_tables) -> None:
    mentions = seed_tables["mentions"]
    texts = set(mentions["text"])
    assert "Со-\nветская Россия" in texts  # raw Natasha: PER "Со-" + LOC "Россия"
    assert "Бес-\nсарабию" in texts  # raw Natasha loses it
    assert not mentions["text"].str.fullmatch(r"\w{1,3}-").any()
    norms = set(mentions["norm"])
    assert {"Советская Россия", "Бессарабия"} <= norms


def test_documents_row_for_the_seed(seed_tables, seed_text: str) -> None:
    (doc,) = seed_tables["documents"].itertuples()
    assert (doc.doc_id, doc.status, doc.encoding, doc.chars) == (SEED.name, "ok", "utf-8", len(seed_text))
    assert doc.orthography == "modern" and doc.paragraphs > 10 and doc.sentences > 40


def test_actor_references_resolve(seed_tables) -> None:
    mentions, actors = seed_tables["mentions"], seed_tables["actors"]
    actor_mentions = mentions[mentions["actor_type"].fillna("") != ""]
    assert set(actor_mentions["ref_id"]) == set(actors["actor_id"])
    germany = actors[actors["name"] == "Германия"].iloc[0]
    assert germany["n_mentions"] == (actor_mentions["ref_id"] == germany["actor_id"]).sum() > 5


def test_api_takes_texts_paths_and_mappings(tmp_path: Path) -> None:
    text = "В 1922 г. Германия и Советская Россия подписали договор в Рапалло."
    (tmp_path / "a.txt").write_text(text, encoding="cp1251")
    one = pipeline.extract(text)
    assert list(one["documents"]["doc_id"]) == ["text"]
    many = pipeline.extract({"x": text, "y": "Сталин."})
    assert list(many["documents"]["doc_id"]) == ["x", "y"]
    folder = pipeline.extract(tmp_path)
    assert folder["documents"].loc[0, "encoding"] == "cp1251"
    a = one["mentions"].drop(columns="doc_id").reset_index(drop=True)
    b = folder["mentions"].drop(columns="doc_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_bad_files_get_rows_and_the_rest_is_processed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "good.txt").write_text("В Женеве нарком Литвинов представил план разоружения.", encoding="utf-8")
    (corpus / "sub" / "koi.txt").write_bytes("Сталин не упустил возможность.".encode("koi8-r"))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "junk.bin").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    docs = tables.read(out)["documents"].set_index("doc_id")
    assert docs.loc["good.txt", "status"] == "ok"
    assert docs.loc["sub/koi.txt", ["status", "encoding"]].tolist() == ["ok", "koi8-r"]
    assert docs.loc["empty.txt", "status"] == "skipped"
    assert docs.loc["junk.bin", "status"] == "error" and "binary" in docs.loc["junk.bin", "error"]
    mentions = tables.read(out)["mentions"]
    assert {"Литвинов", "Женева", "Сталин"} <= set(mentions["norm"])
    assert set(mentions["doc_id"]) == {"good.txt", "sub/koi.txt"}
    for name in tables.TABLES:
        assert (out / f"{name}.csv").exists() and (out / f"{name}.parquet").exists()
        assert list(pd.read_parquet(out / f"{name}.parquet").columns) == list(tables.SCHEMAS[name])


def test_evaluate_command_scores_a_run_against_gold(tmp_path: Path) -> None:
    text = "Сталин и Троцкий спорили о Германии."
    (tmp_path / "d.txt").write_text(text, encoding="utf-8")
    gold = {"doc": "d.txt", "actors": [
        {"name": "Сталин", "type": "PERSON"}, {"name": "Троцкий", "type": "PERSON"},
        {"name": "Германия", "type": "STATE"},
    ], "dates": [], "treaties": [], "events": []}
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "d.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    report = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path), "--json", str(report)])
    assert result.exit_code == 0, result.output
    rows = json.loads(report.read_text())["document level"]
    untyped = next(r for r in rows if r["section"] == "actors" and r["label"] == "ALL")
    assert untyped["letopis recall"] == 1.0 and "natasha f1" in untyped


@pytest.mark.shared
def test_seed_gold_scores_above_raw_natasha(shared_dir: Path) -> None:
    sections = scorecard.compare(scorecard.load(shared_dir / "seed"), scorecard.SYSTEMS)
    scores = sections["document level"].set_index(["section", "label"])
    for section in ("actors", "actors_typed"):
        assert scores.loc[(section, "ALL"), "letopis f1"] > scores.loc[(section, "ALL"), "natasha f1"]
