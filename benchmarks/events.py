"""Events benchmark: seed-gold event F1 through the whole pipeline, and NEREL
event-argument relations next to a same-sentence baseline, in one run.

    PYTHONPATH=. python benchmarks/events.py            # seed + NEREL test
    PYTHONPATH=. python benchmarks/events.py --split dev --no-seed

Reads ../shared (or $LETOPIS_SHARED); NEREL is evaluation-only (no licence).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import evaluate, evaluate_relations  # noqa: E402
from pipeline import nlp as nlp_module  # noqa: E402


def shared() -> Path:
    """$LETOPIS_SHARED, else the nearest ``shared`` folder beside the project or a parent."""
    env = os.environ.get("LETOPIS_SHARED")
    path = Path(env) if env else next((p / "shared" for p in ROOT.parents if (p / "shared").is_dir()), ROOT.parent / "shared")
    if not path.is_dir():
        sys.exit(f"{path} is absent: set LETOPIS_SHARED to the shared folder (seed gold, datasets)")
    return path


def seed_events() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Event scores of the seed document run through document → tables → evaluate."""
    from pipeline.batch import to_tables
    from pipeline.document import Extractor

    gold = evaluate.load_gold(shared() / "seed" / "gold")
    extractor = Extractor()
    results = [extractor.file(ROOT / "corpus" / g["doc"], g["doc"]) for g in gold]
    tables = to_tables(results)
    result = evaluate.evaluate_documents(tables, gold)
    scores = result.scores[result.scores["section"] == "events"].drop(columns="section")
    errors = result.errors()
    errors = errors[errors["section"] == "events"].drop(columns=["section", "doc"])
    sources = tables["events"]["date_source"].value_counts().rename_axis("date_source").reset_index()
    return scores, errors, sources


def nerel(split: str) -> tuple[pd.DataFrame, dict[str, float]]:
    """PARTICIPANT_IN / POINT_IN_TIME / TAKES_PLACE_IN on a NEREL split, system and baseline."""
    gold, texts = evaluate_relations.read_brat_relations(shared() / "datasets" / "nerel" / split)
    nlp = nlp_module.load()
    systems: dict[str, list] = {"events": [], "events, dates of its sentence": [], "same-sentence baseline": []}
    triggers: list = []
    started = time.perf_counter()
    mentions, failed = 0, []
    for doc_id, text in texts.items():
        try:
            doc = nlp_module.annotate(nlp, text, nlp_module.DocContext())
        except Exception as error:  # noqa: BLE001 - one document must not stop the measurement
            failed.append(f"{doc_id}: {type(error).__name__}")
            continue
        mentions += len(doc.spans.get("events", ()))
        systems["events"] += evaluate_relations.system_links(doc, doc_id)
        systems["events, dates of its sentence"] += evaluate_relations.system_links(
            doc, doc_id, date_sources=("clause", "sentence"))
        systems["same-sentence baseline"] += evaluate_relations.baseline_links(doc, doc_id)
        triggers += evaluate_relations.triggers_of(doc, doc_id)
    stats = {
        "documents": len(texts), "failed": len(failed), "event mentions": mentions,
        "seconds": round(time.perf_counter() - started, 1),
    }
    for line in failed:
        print("failed:", line, file=sys.stderr)
    found = evaluate_relations.on_triggers(gold, triggers)
    table = pd.concat([
        evaluate_relations.score(gold, systems),
        evaluate_relations.score(found, systems, scope="events found"),
    ], ignore_index=True)
    same = (table["system"] == "events, dates of its sentence") & (table["relation"] != "POINT_IN_TIME")
    table = table[~same].reset_index(drop=True)  # it differs from "events" in dates only
    return table, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["test", "dev"])
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument("--no-nerel", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list missed and spurious seed events")
    args = parser.parse_args()
    if not args.no_seed:
        scores, errors, sources = seed_events()
        print("## Seed gold: events (type + overlapping dates + shared participant; OTHER excluded)\n")
        print(evaluate.markdown_table(scores), "\n")
        print("Where event dates came from:\n")
        print(evaluate.markdown_table(sources), "\n")
        if args.errors:
            print(evaluate.markdown_table(errors), "\n")
    if not args.no_nerel:
        table, stats = nerel(args.split)
        print(f"## NEREL {args.split}: event-argument relations (type + overlapping head and tail spans)\n")
        print(evaluate.markdown_table(table), "\n")
        print(", ".join(f"{k}: {v}" for k, v in stats.items()))


if __name__ == "__main__":
    main()
