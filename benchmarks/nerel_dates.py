"""NEREL DATE spans that contain a year: fuzzy recall and precision of our dates
against Natasha's DatesExtractor, both measured in the same run on the same texts.

    PYTHONPATH=. python benchmarks/nerel_dates.py --split test

Gold: NEREL ``DATE`` entities, outermost only (nested dates inside a longer
date are one expression for a flat extractor). Recall is over the gold spans
whose text holds a four-digit number (``evaluate.with_year``), a match is a
one-to-one character overlap (``evaluate.recall_of``, fuzzy row). Precision
is over every predicted span against all outermost gold DATE spans (fuzzy).
Our dates run in the letopis pipeline (Natasha tokenizer, ``letopis_dates``)
over the raw text, one document at a time. NEREL has no licence: it is used
for evaluation only (tune on dev, report on test).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import evaluate, nlp  # noqa: E402
from pipeline.nlp import DocContext  # noqa: E402

DATE = "DATE"


def shared_dir() -> Path:
    return Path(os.environ.get("LETOPIS_SHARED", ROOT.parent / "shared"))


def gold_dates(split_dir: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """Outermost NEREL DATE spans of one split, and its texts."""
    spans, texts = evaluate.read_brat(split_dir)
    return evaluate.outermost(evaluate.map_labels(spans, {DATE: DATE})), texts


def ours(texts: dict[str, str]) -> pd.DataFrame:
    pipe = nlp.load()
    rows = []
    for doc_id, text in texts.items():
        doc = nlp.annotate(pipe, text, DocContext())
        rows += [
            {"doc_id": doc_id, "label": DATE, "start": s.start_char, "end": s.end_char, "text": s.text}
            for s in doc.spans["dates"]
        ]
    return evaluate.spans_frame(rows)


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
    systems = {"letopis dates": ours(texts), "DatesExtractor": dates_extractor(texts)}
    return pd.DataFrame([{"system": name, **score(gold, pred)} for name, pred in systems.items()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="test", choices=("train", "dev", "test"))
    args = parser.parse_args()
    table = measure(shared_dir() / "datasets" / "nerel" / args.split)
    print(f"NEREL {args.split}: DATE spans with a year (fuzzy)\n")
    print(evaluate.markdown_table(table))


if __name__ == "__main__":
    main()
