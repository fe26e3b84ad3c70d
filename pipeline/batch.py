"""Batch runs: walk the inputs, extract every document, build and write the tables."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pandas as pd

from . import resolve, tables
from .document import Extractor
from .records import DocResult


@dataclass(frozen=True, slots=True)
class Item:
    """One input file and the id its rows carry."""

    path: Path
    doc_id: str


def walk(inputs: Sequence[Path]) -> list[Item]:
    """Every file under ``inputs``: a file's doc id is its path relative to the folder
    given (its name when given directly); hidden files are skipped; ids stay unique."""
    items: list[Item] = []
    seen: set[str] = set()
    for root in inputs:
        root = Path(root)
        if root.is_dir():
            files = sorted(
                p for p in root.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
            )
            pairs = [(p, p.relative_to(root).as_posix()) for p in files]
        else:
            pairs = [(root, root.name)]
        for path, doc_id in pairs:
            unique, n = doc_id, 1
            while unique in seen:
                n += 1
                unique = f"{doc_id}#{n}"
            seen.add(unique)
            items.append(Item(path, unique))
    return items


def to_tables(results: Iterable[DocResult]) -> dict[str, pd.DataFrame]:
    """Per-document records → the SPEC tables, corpus-level ones resolved."""
    results = list(results)
    out = {
        "documents": tables.records_frame("documents", (r.document for r in results)),
        "mentions": tables.records_frame("mentions", (m for r in results for m in r.mentions)),
        "dates": tables.records_frame("dates", (d for r in results for d in r.dates)),
        "events": tables.records_frame("events", (e for r in results for e in r.events)),
        "relations": tables.records_frame("relations", (x for r in results for x in r.relations)),
    }
    out["actors"] = resolve.actors(out["mentions"])
    out["treaties"] = tables.empty("treaties")
    return out


def process(items: Sequence[Item], extractor: Extractor | None = None) -> Iterator[DocResult]:
    extractor = extractor or Extractor()
    for item in items:
        yield extractor.file(item.path, item.doc_id)


def run(inputs: Sequence[Path], out: Path, *, excel: bool = False) -> dict[str, pd.DataFrame]:
    """Process ``inputs`` and write every table into ``out``."""
    result = to_tables(process(walk(inputs)))
    tables.write(result, out, excel=excel)
    return result
