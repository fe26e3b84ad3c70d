"""The generalization set (corpus/samples, blind gold): floors that catch regressions.

The floors sit a little under the figures measured when the set arrived
(corpus/samples/README.md); raise them as the rules get more general.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import evaluate, scorecard

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
FLOORS = {
    "actors_typed": 0.75,
    "dates": 0.90,
    "treaties": 0.60,
    "treaty_parties": 0.80,
    "events": 0.35,
}


@pytest.fixture(scope="module")
def samples_scores() -> evaluate.Evaluation:
    gold = scorecard.load(SAMPLES)
    return evaluate.evaluate_documents(scorecard.letopis_tables(gold.texts), gold.documents)


@pytest.mark.parametrize("section, floor", FLOORS.items())
def test_samples_stay_above_their_floor(samples_scores: evaluate.Evaluation, section: str, floor: float) -> None:
    assert samples_scores.score(section)["f1"] >= floor
