"""Speed of our date component against Natasha's DatesExtractor, same texts, same run.

    PYTHONPATH=. python benchmarks/dates_speed.py [--nerel dev] [--repeat 5]

Texts: the corpus (``corpus/*.txt``), plus a NEREL split when asked. Ours is
the ``letopis_dates`` component over Docs the pipeline's tokenizer has already
built (every component shares that Doc, so tokenizing is not the dates'
cost); its grammar alone over the plain text is shown too. DatesExtractor
reads the plain text. Both are warmed up first; each figure is the best of
``--repeat`` passes over all texts.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import dates, nlp  # noqa: E402
from pipeline.nlp import DocContext  # noqa: E402


def texts(nerel: str | None) -> list[str]:
    out = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    if nerel:
        shared = Path(os.environ.get("LETOPIS_SHARED", ROOT.parent / "shared"))
        out += [p.read_text(encoding="utf-8") for p in sorted((shared / "datasets" / "nerel" / nerel).glob("*.txt"))]
    return out


def best_seconds(run: Callable[[], object], repeat: int) -> float:
    run()  # warm up: lexicons, compiled grammar, caches
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def each(items: Iterable, call: Callable) -> Callable[[], None]:
    items = list(items)

    def run() -> None:
        for item in items:
            call(item)

    return run


def ours_on_doc(recognizer: dates.DateRecognizer) -> Callable:
    def call(doc) -> None:
        doc._.context = DocContext()
        recognizer(doc)

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nerel", choices=("train", "dev", "test"), help="add a NEREL split's texts")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from natasha import DatesExtractor, MorphVocab

    corpus = texts(args.nerel)
    chars = sum(map(len, corpus))
    pipe = nlp.load()
    docs = [pipe.make_doc(t) for t in corpus]
    extractor = DatesExtractor(MorphVocab())
    seconds = {
        "letopis_dates (component on Doc)": best_seconds(each(docs, ours_on_doc(dates.DateRecognizer())), args.repeat),
        "letopis_dates (grammar on text)": best_seconds(each(corpus, dates.find_dates), args.repeat),
        "natasha DatesExtractor (text)": best_seconds(each(corpus, lambda t: list(extractor(t))), args.repeat),
    }
    baseline = seconds["natasha DatesExtractor (text)"]
    print(f"{len(corpus)} texts, {chars} chars, best of {args.repeat}\n")
    print("| extractor | seconds | chars/s | × DatesExtractor |\n|---|---|---|---|")
    for name, s in seconds.items():
        print(f"| {name} | {s:.3f} | {chars / s:,.0f} | {baseline / s:.1f} |")


if __name__ == "__main__":
    main()
