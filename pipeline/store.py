"""Per-document results on disk: what makes batch runs resumable and incremental.

Every processed document is one Arrow IPC file ``<root>/<key>.arrow`` holding
its ``DocResult``: one column per ``DocResult`` field, typed
from the record dataclasses (lists of structs, maps), so the encoding follows
``records.py`` with no change here and round-trips exactly, with no pickle.
The schema metadata is the file's manifest: doc id, path, content hash and
pipeline version. A long document is written as it is extracted, a row per
block of its records (``Writer``); reading makes them the one row of the
document again. Files are written under a temporary name and renamed, so a
run killed at any moment leaves only whole files; a file that is missing,
unreadable or stale is simply processed again.

Corpus tables are rebuilt column-wise from these rows (``tables.document_frames``),
without turning millions of records back into Python objects.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import typing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence, Sized

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from .records import DocResult

MANIFEST_KEY = b"letopis"
SUFFIX = ".arrow"


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a stored result was computed from; an equal manifest means it can be reused."""

    doc_id: str
    path: str
    content: str  # sha256 of the file's bytes (its size, for a file too large to read)
    version: str  # batch.pipeline_version of the code, models and settings used


def key(doc_id: str, path: str) -> str:
    """File name stem of a document's result: one per input file of a run."""
    return hashlib.sha256(f"{path}\0{doc_id}".encode("utf-8")).hexdigest()[:32]


# ---- DocResult <-> Arrow, driven by the dataclasses' type hints ----

@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


def _arrow_type(hint: object) -> pa.DataType:
    scalars = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    if hint in scalars:
        return scalars[hint]  # type: ignore[index]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list:
        return pa.list_(_arrow_type(args[0]))
    if origin is dict:
        return pa.map_(_arrow_type(args[0]), _arrow_type(args[1]))
    if dataclasses.is_dataclass(hint):
        return pa.struct([(name, _arrow_type(h)) for name, h in _hints(hint).items()])
    raise TypeError(f"no Arrow type for record field type {hint!r}")


@lru_cache(maxsize=1)
def schema() -> pa.Schema:
    """One column per ``DocResult`` field."""
    return pa.schema([(name, _arrow_type(h)) for name, h in _hints(DocResult).items()])


def _column(hint: object, values: Sequence[object]) -> pa.Array:
    """``values`` of type ``hint`` as one Arrow array, built field by field: no
    intermediate dict per record, so a book's records are not copied whole."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list or origin is dict:
        offsets = _offsets(values)
        if origin is list:
            return pa.ListArray.from_arrays(offsets, _column(args[0], [x for v in values for x in v]))
        keys = _column(args[0], [k for v in values for k in v])
        items = _column(args[1], [x for v in values for x in v.values()])
        return pa.MapArray.from_arrays(offsets, keys, items)
    if dataclasses.is_dataclass(hint):
        names = list(_hints(hint))
        children = [_column(_hints(hint)[n], [getattr(v, n) for v in values]) for n in names]
        return pa.StructArray.from_arrays(children, names=names)
    return _scalars(hint, values)


def _scalars(hint: object, values: Sequence[object]) -> pa.Array:
    """str, int, float or bool ``values`` as an Arrow array made from its buffers:
    ``pa.array`` of Python values imports pandas (0.4 s, 40 MB), which a worker
    needs for nothing else."""
    n = len(values)
    if hint is str:
        data = [v.encode("utf-8") for v in values]  # type: ignore[attr-defined]
        offsets = np.zeros(n + 1, np.int32)
        np.cumsum([len(d) for d in data], out=offsets[1:])
        return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))])
    if hint is bool:
        bits = np.packbits(np.fromiter(values, bool, n), bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(bits)])
    numbers = np.fromiter(values, np.int64 if hint is int else np.float64, n)
    return pa.Array.from_buffers(_arrow_type(hint), n, [None, pa.py_buffer(numbers)])


def _offsets(values: Sequence[Sized]) -> pa.Array:
    """List offsets of ``values``: where each one's items start, and the end."""
    offsets = np.zeros(len(values) + 1, np.int32)
    np.cumsum([len(v) for v in values], out=offsets[1:])
    return pa.Array.from_buffers(pa.int32(), len(offsets), [None, pa.py_buffer(offsets)])


def _record(hint: object, value: object) -> object:
    """A value of type ``hint`` from what ``to_pylist`` gives for its column."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list:
        return [_record(args[0], v) for v in value]  # type: ignore[union-attr]
    if origin is dict:
        return {k: _record(args[1], v) for k, v in value}  # type: ignore[union-attr]
    if dataclasses.is_dataclass(hint):
        return hint(**{n: _record(h, value[n]) for n, h in _hints(hint).items()})  # type: ignore[index,operator]
    return value


def to_arrow(results: Iterable[DocResult]) -> pa.Table:
    """Results as a table with one row per document."""
    rows = _column(DocResult, list(results))
    return pa.Table.from_struct_array(rows) if len(rows) else schema().empty_table()


def records(docs: pa.Table, field: str) -> list[object]:
    """One ``DocResult`` list field's records of every document, in row order."""
    hint = typing.get_args(_hints(DocResult)[field])[0]
    return [_record(hint, v) for row in docs[field].to_pylist() for v in row]


class Writer:
    """One document's stored result, written while it is extracted: each finished
    block's mentions, dates and relations go out as a compressed row of their own
    (``Extractor``'s ``on_block``), so a book's records are never all Python objects,
    nor all uncompressed Arrow, at once. ``finish`` adds the last row: the document,
    its events and treaty records (few, and later blocks may still change them) and
    the records left. ``Store.read`` makes the rows of one file one row again."""

    BLOCK_FIELDS = ("mentions", "dates", "relations")

    def __init__(self, manifest: Manifest) -> None:
        meta = {MANIFEST_KEY: json.dumps(dataclasses.asdict(manifest)).encode("utf-8")}
        self.sink = pa.BufferOutputStream()
        options = ipc.IpcWriteOptions(compression="zstd")
        self.writer = ipc.new_file(self.sink, schema().with_metadata(meta), options=options)

    def __call__(self, result: DocResult) -> None:
        """Write the block records ``result`` holds, and take them out of it."""
        if not any(getattr(result, name) for name in self.BLOCK_FIELDS):
            return
        columns = []
        for name, hint in _hints(DocResult).items():
            if typing.get_origin(hint) is not list:  # the document: in the last row
                columns.append(pa.nulls(1, _arrow_type(hint)))
            else:
                columns.append(_column(hint, [getattr(result, name) if name in self.BLOCK_FIELDS else []]))
        self.writer.write_batch(pa.RecordBatch.from_arrays(columns, schema=schema()))
        for name in self.BLOCK_FIELDS:
            getattr(result, name).clear()

    def finish(self, result: DocResult) -> bytes:
        """The whole file, once ``result`` is complete."""
        self.writer.write_table(to_arrow([result]))
        self.writer.close()
        return self.sink.getvalue().to_pybytes()


def encode(result: DocResult, manifest: Manifest) -> bytes:
    """A document's result and manifest as the bytes of an Arrow IPC file."""
    return Writer(manifest).finish(result)


def _one_row(table: pa.Table) -> pa.Table:
    """A file's rows (its blocks' records as ``Writer`` wrote them, the document last)
    as one: list columns joined in order, the document from the last row."""
    if table.num_rows == 1:
        return table
    columns = []
    for column in table.columns:
        if pa.types.is_list(column.type):
            values = pc.list_flatten(column).combine_chunks()
            columns.append(pa.ListArray.from_arrays(_offsets([values]), values))
        else:
            columns.append(column.slice(table.num_rows - 1))
    return pa.table(columns, schema=table.schema)


class Store:
    """The folder of per-document results of one output directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / f"{key}{SUFFIX}"

    def put(self, key: str, data: bytes) -> None:
        """Write one encoded result atomically (temporary file, then rename)."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{key}.{os.getpid()}.tmp"
        tmp.write_bytes(data)
        tmp.replace(self.path(key))

    def manifest(self, key: str) -> Manifest | None:
        """The stored manifest, or None when the file is missing or unreadable."""
        try:
            with pa.OSFile(str(self.path(key))) as file:
                meta = ipc.open_file(file).schema.metadata or {}
            return Manifest(**json.loads(meta[MANIFEST_KEY]))
        except (OSError, KeyError, TypeError, ValueError, pa.ArrowException):
            return None

    def read(self, keys: Sequence[str]) -> pa.Table:
        """The stored rows of ``keys``, one per document, in that order, as one table."""
        parts = []
        for k in keys:
            with pa.OSFile(str(self.path(k))) as file:
                parts.append(_one_row(ipc.open_file(file).read_all().replace_schema_metadata(None)))
        return pa.concat_tables(parts) if parts else schema().empty_table()

    def clean(self) -> None:
        """Remove temporary files left by a killed run."""
        for tmp in self.root.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
