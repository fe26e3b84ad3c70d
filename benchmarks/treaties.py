"""The treaty figures issue 5 asks for, re-runnable: prints markdown tables.

- seed gold (GOLD.md documents): treaty, parties, date_signed and place F1 of
  letopis and raw Natasha, with every treaty error of letopis;
- NEREL test (and dev, as a sanity check): strict and fuzzy recall of the LAW
  spans that name a treaty or agreement, by our TREATY mentions.

    python benchmarks/treaties.py [SHARED]      # SHARED defaults to ../shared
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import evaluate as ev  # noqa: E402
from pipeline import scorecard  # noqa: E402

SECTIONS = ("treaties", "treaty_parties", "treaty_date_signed", "treaty_place")


def seed(shared: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    gold = scorecard.load(shared / "seed")
    rows, errors = [], None
    for system, run in scorecard.SYSTEMS.items():
        result = ev.evaluate_documents(run(gold.texts), gold.documents)
        for section in SECTIONS:
            rows.append({"system": system, **result.score(section)})
        if system == "letopis":
            errors = result.errors()
            errors = errors[errors["section"].isin(SECTIONS)]
    table = pd.DataFrame(rows)[["system", "section", "tp", "fp", "fn", "precision", "recall", "f1"]]
    return table, errors


def nerel(shared: Path, split: str) -> pd.DataFrame:
    gold = scorecard.load(shared / "datasets" / "nerel" / split)
    laws = ev.treaty_laws(gold.spans, ev.TREATY_HEADS)
    mentions = scorecard.letopis_tables(gold.texts)["mentions"]
    found = ev.recall_of(laws, mentions[mentions["label"] == "TREATY"])
    return found.assign(split=split, spans=" · ".join(laws["text"]))


def main() -> None:
    shared = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("LETOPIS_SHARED", ROOT.parent / "shared"))
    table, errors = seed(shared)
    print("## Seed gold: treaties\n")
    print(ev.markdown_table(table))
    print("\n### letopis treaty errors\n")
    print(ev.markdown_table(errors[["section", "status", "gold", "pred"]]) if len(errors) else "none")
    print("\n## NEREL: LAW spans naming a treaty or agreement, recall by TREATY mentions\n")
    print(ev.markdown_table(pd.concat([nerel(shared, "test"), nerel(shared, "dev")], ignore_index=True)))


if __name__ == "__main__":
    main()
