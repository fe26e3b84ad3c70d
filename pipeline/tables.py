"""Records → pandas tables with the SPEC columns and dtypes, and their files.

Tables are built once from lists of records, or column-wise from the Arrow rows
of ``store`` (no row loops over DataFrames); list-valued fields are joined with
``|`` as SPEC asks. Every table has a fixed schema so that an empty run still
writes files with headers.
"""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

LIST_SEP = "|"

# table name -> ordered {column: dtype}. SPEC's required columns come first.
SCHEMAS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "string", "path": "string", "status": "string", "error": "string",
        "encoding": "string", "chars": "Int64", "sha256": "string", "orthography": "string",
        "paragraphs": "Int64", "sentences": "Int64", "seconds": "float64",
    },
    "mentions": {
        "doc_id": "string", "mention_id": "string", "label": "string", "start": "Int64",
        "end": "Int64", "text": "string", "norm": "string", "sentence_id": "Int64",
        "source": "string", "ref_id": "string", "actor_type": "string",
        "canonical": "string",
    },
    "actors": {
        "actor_id": "string", "name": "string", "type": "string", "aliases": "string",
        "n_mentions": "Int64", "n_documents": "Int64",
    },
    "dates": {
        "doc_id": "string", "date_id": "string", "start": "Int64", "end": "Int64",
        "text": "string", "value_start": "string", "value_end": "string",
        "granularity": "string", "qualifier": "string", "old_style_start": "string",
        "old_style_end": "string", "sentence_id": "Int64",
    },
    "treaties": {
        "treaty_id": "string", "name": "string", "kind": "string", "date_signed": "string",
        "place": "string", "parties": "string", "n_mentions": "Int64", "aliases": "string",
        "n_documents": "Int64", "date_signed_source": "string", "place_source": "string",
        "parties_source": "string", "base_id": "string",
    },
    "doc_treaties": {
        "doc_id": "string", "treaty_id": "string", "key": "string", "name": "string", "kind": "string",
        "date_signed": "string", "date_signed_source": "string", "place": "string", "place_source": "string",
        "parties": "string", "parties_source": "string", "aliases": "string", "base_id": "string",
        "n_mentions": "Int64",
    },
    "events": {
        "doc_id": "string", "event_id": "string", "type": "string", "trigger": "string",
        "start": "Int64", "end": "Int64", "date_start": "string", "date_end": "string",
        "place": "string", "participants": "string", "treaty_id": "string",
        "sentence": "string", "sentence_id": "Int64", "polarity": "string",
        "date_source": "string",
    },
    "relations": {
        "doc_id": "string", "head_id": "string", "relation": "string", "tail_id": "string",
        "start": "Int64", "end": "Int64", "source": "string",
    },
}
TABLES = tuple(SCHEMAS)


def _cell(value: object) -> object:
    return LIST_SEP.join(value) if isinstance(value, (list, tuple)) else value


def frame(name: str, rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """Build table ``name`` from row mappings: SPEC column order, typed, lists joined."""
    schema = SCHEMAS[name]
    records = [{c: _cell(row.get(c)) for c in schema} for row in rows]
    return pd.DataFrame.from_records(records, columns=list(schema)).astype(schema)


def records_frame(name: str, records: Iterable[object]) -> pd.DataFrame:
    """Build table ``name`` from dataclass records, keeping only schema columns."""
    return frame(name, ({f.name: getattr(r, f.name) for f in fields(r)} for r in records))  # type: ignore[arg-type]


def arrow_frame(name: str, rows: pa.Array | pa.ChunkedArray) -> pd.DataFrame:
    """Table ``name`` from an array of record structs: what ``records_frame``
    makes of the same records (schema columns, lists joined, SPEC dtypes)."""
    schema = SCHEMAS[name]
    if isinstance(rows, pa.ChunkedArray):
        rows = rows.combine_chunks() if rows.num_chunks else pa.array([], rows.type)
    present = {f.name for f in rows.type}
    columns = {}
    for column in schema:
        if column not in present:
            columns[column] = pa.nulls(len(rows), pa.string())
            continue
        values = rows.field(column)
        if pa.types.is_list(values.type):
            values = pc.binary_join(values, LIST_SEP)
        columns[column] = values
    df = pa.table(columns).to_pandas() if columns else pd.DataFrame()
    return df.astype(schema)


def document_frames(docs: pa.Table, names: Sequence[str]) -> dict[str, pd.DataFrame]:
    """The documents table and each per-document table ``names`` (a ``DocResult`` list
    field), rows in the order of ``docs`` and, within a document, of its records."""
    out = {"documents": arrow_frame("documents", docs["document"])}
    for name in names:
        out[name] = arrow_frame(name, pc.list_flatten(docs[name]))
    return out


def empty(name: str) -> pd.DataFrame:
    return frame(name, [])


def write(tables: Mapping[str, pd.DataFrame], out: Path, *, excel: bool = False) -> list[Path]:
    """Write every table as CSV (UTF-8; with BOM for Excel) and Parquet, atomically."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in TABLES:
        df = tables.get(name)
        if df is None:
            df = empty(name)
        csv_path = out / f"{name}.csv"
        tmp = csv_path.with_suffix(".csv.tmp")
        df.to_csv(tmp, index=False, encoding="utf-8-sig" if excel else "utf-8")
        tmp.replace(csv_path)
        pq_path = out / f"{name}.parquet"
        tmp = pq_path.with_suffix(".parquet.tmp")
        df.to_parquet(tmp, index=False)
        tmp.replace(pq_path)
        written += [csv_path, pq_path]
    return written


def read(out: Path) -> dict[str, pd.DataFrame]:
    """Read a run's tables back (CSV), with the schema dtypes; missing files are empty."""
    tables: dict[str, pd.DataFrame] = {}
    for name, schema in SCHEMAS.items():
        path = Path(out) / f"{name}.csv"
        if not path.exists():
            tables[name] = empty(name)
            continue
        df = pd.read_csv(path, dtype="string", keep_default_na=False, encoding="utf-8-sig")
        for column, dtype in schema.items():
            if column not in df:
                df[column] = pd.NA
            elif dtype != "string":
                df[column] = pd.to_numeric(df[column].replace("", pd.NA))
        extra = [c for c in df.columns if c not in schema]
        tables[name] = df.astype(schema)[list(schema) + extra]
    return tables
