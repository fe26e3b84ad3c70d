"""NEREL DATE spans that contain a year: fuzzy recall and precision of our dates
against Natasha's DatesExtractor, both measured in the same run on the same texts.

    PYTHONPATH=. python benchmarks/nerel_dates.py --split test

Gold: NEREL ``DATE`` entities, either all of them (as ``letopis evaluate``
scores them) or the outermost only (a date nested in a longer date, "по 19
мая 2019 года" in "с 16 апреля по 19 мая 2019 года", is one expression for a
flat extractor). Recall is over the gold spans whose text holds a four-digit
number (``evaluate.with_year``), a match being a one-to-one character overlap
(``evaluate.recall_of``, fuzzy); precision is over every predicted span
against the gold DATE spans (``evaluate.score_spans``, fuzzy). Ours is the
whole letopis pipeline (``pipeline.extract``: normalization, Natasha, our
components; DATE mentions in original offsets). NEREL has no licence: it is
used for evaluation only (tune on dev, report on test).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402
from pipeline import evaluate  # noqa: E402

DATE = "DATE"


def shared_dir() -> Path:
    return Path(os.environ.get("LETOPIS_SHARED", ROOT.parent / "shared"))


def gold_dates(split_dir: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """All NEREL DATE spans of one split, and its texts."""
    spans, texts = evaluate.read_brat(split_dir)
    return evaluate.map_labels(spans, {DATE: DATE}), texts


def ours(texts: dict[str, str]) -> pd.DataFrame:
    mentions = pipeline.extract(texts)["mentions"]
    return mentions[mentions["label"] == DATE].reset_index(drop=True)


def dates_extractor(texts: dict[str, str]) -> pd.DataFrame:
    from natasha import DatesExtractor, MorphVocab

    extract = DatesExtractor(MorphVocab())
    rows = [
        {"doc_id": doc_id, "label": DATE, "start": m.start, "end": m.stop, "text": text[m.start:m.stop]}
        for doc_id, text in texts.items()
        for m in extract(text)
    ]
    return evaluate.spans_frame(rows)


def score(gold: pd.DataFrame, pred: pd.DataFrame) -> dict[str, object]:
    """Fuzzy recall of the gold spans with a year, fuzzy precision of all predictions."""
    recall = evaluate.recall_of(evaluate.with_year(gold), pred).set_index("mode").loc["fuzzy"]
    spans = evaluate.score_spans(pred, gold, [DATE]).set_index(["mode", "label"]).loc[("fuzzy", DATE)]
    return {
        "gold with year": int(recall["gold"]),
        "found": int(recall["found"]),
        "recall (year)": float(recall["recall"]),
        "predicted": len(pred),
        "precision": float(spans["precision"]),
    }


def measure(split_dir: Path) -> pd.DataFrame:
    gold, texts = gold_dates(split_dir)
    systems = {"letopis": ours(texts), "DatesExtractor": dates_extractor(texts)}
    golds = {"all": gold, "outermost": evaluate.outermost(gold)}
    return pd.DataFrame([
        {"gold DATE spans": kind, "system": name, **score(spans, pred)}
        for kind, spans in golds.items()
        for name, pred in systems.items()
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="test", choices=("train", "dev", "test"))
    args = parser.parse_args()
    table = measure(shared_dir() / "datasets" / "nerel" / args.split)
    print(f"NEREL {args.split}: DATE spans with a year (fuzzy)\n")
    print(evaluate.markdown_table(table))


if __name__ == "__main__":
    main()
