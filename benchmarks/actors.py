"""Actors benchmark: letopis against raw Natasha, both measured in this run.

    python benchmarks/actors.py                  # seed gold, factRuEval-2016 testset, NEREL test
    python benchmarks/actors.py --split dev      # factRuEval devset, NEREL dev (tuning, sanity)
    python benchmarks/actors.py --only nerel     # one gold set

The seed gold is scored at document level (typed actor F1, as ``letopis
evaluate``). Span gold is scored as ``letopis evaluate`` does it: outermost
gold spans, PER/ORG/LOC (STATE and LOCATION are LOC; factRuEval LocOrg is
LOC), one-to-one matching, fuzzy (overlap) and strict (same bounds). letopis
is shown three ways, since the two corpora annotate different things:

* ``names``: name mentions only (``doc.ents`` and names nested in them),
  the like-for-like comparison with an NER tagger; factRuEval annotates names
  (its few ``geo_adj`` spans aside), so this is its figure;
* ``names+adj``: also the references through adjectives and compounds
  ("британское", "советско-германские", "сталинские"), which NEREL annotates
  as COUNTRY/CITY/PERSON entities, so this is NEREL's figure;
* ``all``: every mention in mentions.csv, party members included.

factRuEval is also scored per token over its name spans only (mode ``tokens``):
the protocol of natasha/naeval, which gave the published slovnet and DeepPavlov
BERT figures; only this mode is comparable with them.

``../shared`` is found as the tests find it (env LETOPIS_SHARED overrides).
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

from pipeline import evaluate, scorecard  # noqa: E402
from pipeline.gazetteer import ADJECTIVAL_SOURCES, NAME_SOURCES  # noqa: E402

VARIANTS = {
    "names": NAME_SOURCES,
    "names+adj": (*NAME_SOURCES, *ADJECTIVAL_SOURCES),
    "all": None,
}
SPLITS = {
    "test": {"factrueval": "datasets/factrueval2016/testset", "nerel": "datasets/nerel/test"},
    "dev": {"factrueval": "datasets/factrueval2016/devset", "nerel": "datasets/nerel/dev"},
}


def shared() -> Path:
    return Path(os.environ.get("LETOPIS_SHARED", ROOT.parent / "shared"))


def only_sources(tables: dict[str, pd.DataFrame], sources: tuple[str, ...] | None) -> dict[str, pd.DataFrame]:
    """The run's tables with the mentions of other sources left out."""
    if sources is None:
        return tables
    mentions = tables["mentions"]
    return {**tables, "mentions": mentions[mentions["source"].isin(sources)]}


def span_report(gold: scorecard.GoldSet, runs: dict[str, dict[str, pd.DataFrame]]) -> pd.DataFrame:
    """One row per system (and letopis variant) and mode: P/R/F1 per label."""
    rows = []
    for system, tables in runs.items():
        variants = VARIANTS if system == "letopis" else {"": None}
        for variant, sources in variants.items():
            sections = scorecard.score(gold, only_sources(tables, sources))
            section = pd.concat([df for title, df in sections.items() if title.startswith("entities")])
            for mode, scores in section.groupby("mode", sort=False):
                row = {"system": f"{system} {variant}".strip(), "mode": mode}
                for r in scores.itertuples():
                    row[f"{r.label} P"], row[f"{r.label} R"], row[f"{r.label} F1"] = r.precision, r.recall, r.f1
                rows.append(row)
    return pd.DataFrame(rows).sort_values(["mode", "system"], kind="stable")


def document_report(gold: scorecard.GoldSet, runs: dict[str, dict[str, pd.DataFrame]]) -> pd.DataFrame:
    rows = []
    for system, tables in runs.items():
        scores = next(iter(scorecard.score(gold, tables).values()))
        actors = scores[scores["section"].isin(["actors", "actors_typed"])]
        columns = ["section", "label", "precision", "recall", "f1"]
        rows += [{"system": system, **r} for r in actors[columns].to_dict("records")]
    return pd.DataFrame(rows)


def run(name: str, path: Path) -> str:
    started = time.perf_counter()
    gold = scorecard.load(path)
    runs = {system: scorecard.SYSTEMS[system](gold.texts) for system in ("letopis", "natasha")}
    report = document_report(gold, runs) if gold.kind == "documents" else span_report(gold, runs)
    seconds = time.perf_counter() - started
    return f"## {name}: {path} ({len(gold.texts)} documents, {seconds:.0f} s)\n\n{evaluate.markdown_table(report)}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=list(SPLITS), default="test")
    parser.add_argument("--only", choices=["seed", "factrueval", "nerel"], action="append")
    args = parser.parse_args()
    sets = {"seed": "seed", **SPLITS[args.split]}
    for name, relative in sets.items():
        if args.only and name not in args.only:
            continue
        path = shared() / relative
        if not path.is_dir():
            print(f"## {name}: {path} is absent, skipped\n")
            continue
        print(run(name, path), flush=True)


if __name__ == "__main__":
    main()
