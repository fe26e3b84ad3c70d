"""Corpus-level actors: one row per actor across documents, ids stable between runs."""
from __future__ import annotations

import pandas as pd
import pytest

import pipeline
from pipeline import resolve
from pipeline.records import stable_id

TEXTS = {
    "a": "Л.Д. Троцкий обвинил руководство партии в предательстве. Сталин не упустил возможность, "
         "и Троцкий проиграл. Советско-германские отношения ухудшились.",
    "b": "В 1929 г. Троцкий был выслан из Советского Союза. Советская Россия и Германия подписали договор, "
         "а советская сторона добилась своего; СССР признали многие страны.",
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return pipeline.extract(TEXTS)


def actor(tables: dict[str, pd.DataFrame], name: str) -> dict:
    rows = tables["actors"][tables["actors"]["name"] == name]
    assert len(rows) == 1, f"{name}: {len(rows)} rows"
    return rows.iloc[0].to_dict()


def test_one_actor_however_named_across_documents(tables) -> None:
    trotsky = actor(tables, "Троцкий")
    assert trotsky["type"] == "PERSON"
    assert (trotsky["n_mentions"], trotsky["n_documents"]) == (3, 2)
    assert trotsky["aliases"] == "Л.Д. Троцкий"
    assert trotsky["actor_id"] == stable_id("A", "PERSON", "Троцкий")


def test_aliases_are_names_not_adjectives(tables) -> None:
    ussr = actor(tables, "СССР")
    assert ussr["type"] == "STATE" and ussr["n_documents"] == 2
    assert set(ussr["aliases"].split("|")) == {"Советский Союз", "Советская Россия"}


def test_every_actor_mention_points_at_its_actor(tables) -> None:
    m = tables["mentions"]
    actor_mentions = m[m["actor_type"].fillna("") != ""]
    assert set(actor_mentions["ref_id"]) == set(tables["actors"]["actor_id"])
    counts = actor_mentions.groupby("ref_id").size()
    by_id = tables["actors"].set_index("actor_id")
    assert (counts.reindex(by_id.index) == by_id["n_mentions"]).all()


def test_same_ids_whatever_the_runs_and_their_order(tables) -> None:
    one_by_one = [pipeline.extract({doc_id: text}) for doc_id, text in reversed(TEXTS.items())]
    mentions = pd.concat([t["mentions"] for t in one_by_one], ignore_index=True)
    merged = resolve.actors(mentions).sort_values("actor_id").reset_index(drop=True)
    together = tables["actors"].sort_values("actor_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(merged, together)


def test_resolution_ignores_row_order(tables) -> None:
    shuffled = tables["mentions"].sample(frac=1, random_state=7)
    pd.testing.assert_frame_equal(resolve.actors(shuffled), tables["actors"])


def test_no_actor_mentions_no_actors(tables) -> None:
    none = tables["mentions"].iloc[0:0]
    assert resolve.actors(none).empty
    assert list(resolve.actors(none).columns) == list(tables["actors"].columns)
