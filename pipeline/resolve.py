"""Corpus-level resolution: one row per actor (and treaty) across all documents.

Mentions already carry deterministic ids (``records.stable_id`` of type and
canonical name, computed when the mention was extracted), so resolution is a
pure aggregation of the mentions table: it gives the same actors, with the
same ids, whether documents were processed in one run, in parallel or across
resumed runs, and in whatever order.
"""
from __future__ import annotations

import pandas as pd

from .gazetteer import ADJECTIVAL_SOURCES, key
from .tables import LIST_SEP, frame


def _most_said(m: pd.DataFrame, column: str) -> pd.Series:
    """Per ref_id, the value of ``column`` said most often (ties: alphabetical)."""
    return (
        m.groupby(["ref_id", column]).size().rename("n").reset_index()
        .sort_values(["ref_id", "n", column], ascending=[True, False, True])
        .drop_duplicates("ref_id").set_index("ref_id")[column]
    )


def _aliases(m: pd.DataFrame, names: pd.Series) -> pd.Series:
    """Per ref_id, the other forms the actor was named by, "|"-joined: one spelling per
    form (the most frequent), never the name itself nor an adjective ("британский")."""
    named = m[~m["source"].fillna("").isin(ADJECTIVAL_SOURCES)].assign(key=lambda d: d["norm"].map(key))
    named = named[named["key"] != names.reindex(named["ref_id"]).map(key).to_numpy()]
    if named.empty:
        return pd.Series(dtype="string")
    spelling = (
        named.groupby(["ref_id", "key", "norm"]).size().rename("n").reset_index()
        .sort_values(["ref_id", "key", "n", "norm"], ascending=[True, True, False, True])
        .drop_duplicates(["ref_id", "key"])
    )
    return spelling.sort_values(["ref_id", "norm"]).groupby("ref_id")["norm"].agg(LIST_SEP.join)


def actors(mentions: pd.DataFrame) -> pd.DataFrame:
    """The actors table from the mentions that refer to actors: the canonical name
    said most often names the actor; aliases, mention and document counts follow."""
    m = mentions[mentions["actor_type"].fillna("") != ""]
    m = m[m["norm"].notna() & m["ref_id"].notna()]
    if m.empty:
        return frame("actors", [])
    grouped = m.groupby("ref_id", sort=True)
    names = _most_said(m, "canonical")
    table = pd.DataFrame({
        "actor_id": names.index,
        "name": names.to_numpy(),
        "type": _most_said(m, "actor_type").reindex(names.index).to_numpy(),
        "aliases": _aliases(m, names).reindex(names.index).fillna("").to_numpy(),
        "n_mentions": grouped.size().reindex(names.index).to_numpy(),
        "n_documents": grouped["doc_id"].nunique().reindex(names.index).to_numpy(),
    })
    return frame("actors", table.to_dict("records"))
