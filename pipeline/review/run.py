"""A run's outputs, read once, as the review sees them.

Only the documents listed in the run's ``documents`` table are ever read, by
their id; a source file that changed since the run is refused, because the
mentions' offsets would no longer point at the right text.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import pandas as pd

from .. import tables as tables_module
from ..io import DocumentError, read_source
from .store import FILENAME

PER_DOCUMENT = ("mentions", "dates", "events", "relations")
MAX_BYTES = 64 * 2**20


class ReviewError(Exception):
    """A request the review cannot serve; ``status`` is the HTTP answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class ReviewRun:
    """The tables of the run in ``out`` and its documents' original texts."""

    def __init__(self, out: Path, tables: Mapping[str, pd.DataFrame] | None = None) -> None:
        self.out = Path(out).resolve()
        if tables is None and not (self.out / "documents.csv").is_file():
            raise ReviewError(404, f"{self.out} holds no run (documents.csv is missing)")
        self.tables = dict(tables if tables is not None else tables_module.read(self.out))
        docs = self.tables["documents"]
        self.doc_ids: list[str] = list(docs["doc_id"])
        self._documents = {row["doc_id"]: row for row in docs.to_dict("records")}
        self._by_doc = {
            name: {str(doc): frame for doc, frame in self.tables[name].groupby("doc_id", sort=False)}
            for name in PER_DOCUMENT
        }
        self._empty = {name: self.tables[name].iloc[0:0] for name in PER_DOCUMENT}
        # the run never changes under the review: what is read or computed once is kept
        self.text = lru_cache(maxsize=16)(self._text)  # type: ignore[method-assign]
        self.fingerprint = lru_cache(maxsize=None)(self._fingerprint)  # type: ignore[method-assign]

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and doc_id in self._documents

    @property
    def store_path(self) -> Path:
        return self.out / FILENAME

    def document(self, doc_id: str) -> dict:
        try:
            return self._documents[doc_id]
        except (KeyError, TypeError):
            raise ReviewError(404, f"the run has no document {doc_id!r}") from None

    def doc_tables(self, doc_id: str) -> dict[str, pd.DataFrame]:
        """The per-document tables restricted to ``doc_id``, with the corpus-level ones."""
        self.document(doc_id)
        own = {name: groups.get(doc_id, self._empty[name]) for name, groups in self._by_doc.items()}
        return {**self.tables, **own}

    def source_path(self, doc_id: str) -> Path:
        """Where the document's file is: as recorded, or relative to the run's parent folder."""
        path = Path(str(self.document(doc_id)["path"]))
        if path.is_absolute() or path.exists():
            return path
        return self.out.parent / path

    def _text(self, doc_id: str) -> str:
        doc = self.document(doc_id)
        if doc["status"] != "ok":
            raise ReviewError(409, f"{doc_id} was not processed ({doc['status']}: {doc['error']})")
        try:
            source = read_source(self.source_path(doc_id), MAX_BYTES)
        except (OSError, DocumentError) as error:
            raise ReviewError(409, f"{doc_id}: the source file cannot be read ({error})") from None
        expected = doc.get("sha256")
        if isinstance(expected, str) and expected and source.sha256 != expected:
            raise ReviewError(409, f"{doc_id}: the source file changed since the run; re-run letopis on it")
        return source.text

    def _fingerprint(self, doc_id: str) -> str:
        """What the run extracted from ``doc_id``: its text and the spans under review."""
        tables = self.doc_tables(doc_id)
        digest = hashlib.sha256(str(self.document(doc_id).get("sha256", "")).encode())
        for name, id_column in (("mentions", "mention_id"), ("dates", "date_id"), ("events", "event_id")):
            frame = tables[name][[id_column, "start", "end"]].astype("string").fillna("")
            digest.update(name.encode())
            digest.update(frame.to_csv(index=False).encode())
        digest.update(tables["mentions"]["label"].astype("string").fillna("").str.cat(sep=",").encode())
        return digest.hexdigest()[:16]
