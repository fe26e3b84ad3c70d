"""Corpus-level resolution: one row per actor (and treaty) across all documents.

Mentions already carry deterministic ids (``records.stable_id`` of type and
canonical name), so resolution is a pure aggregation of the mentions table:
it gives the same actors whether documents were processed in one run, in
parallel or across resumed runs.
"""
from __future__ import annotations

import pandas as pd

from .tables import LIST_SEP, frame


def actors(mentions: pd.DataFrame) -> pd.DataFrame:
    """The actors table from the mentions that refer to actors."""
    m = mentions[mentions["actor_type"].fillna("") != ""]
    if m.empty:
        return frame("actors", [])
    grouped = m.groupby("ref_id", sort=True)
    # the canonical name said most often (ties: alphabetical) names the actor
    names = (
        m.groupby(["ref_id", "canonical"]).size().rename("n").reset_index()
        .sort_values(["ref_id", "n", "canonical"], ascending=[True, False, True])
        .drop_duplicates("ref_id").set_index("ref_id")["canonical"]
    )
    types = grouped["actor_type"].first()
    surface = m[["ref_id", "norm"]].drop_duplicates()
    surface = surface[surface["norm"] != names.reindex(surface["ref_id"]).to_numpy()]
    aliases = surface.sort_values(["ref_id", "norm"]).groupby("ref_id")["norm"].agg(LIST_SEP.join)
    table = pd.DataFrame({
        "actor_id": names.index,
        "name": names.to_numpy(),
        "type": types.reindex(names.index).to_numpy(),
        "aliases": aliases.reindex(names.index).fillna("").to_numpy(),
        "n_mentions": grouped.size().reindex(names.index).to_numpy(),
        "n_documents": grouped["doc_id"].nunique().reindex(names.index).to_numpy(),
    })
    return frame("actors", table.to_dict("records"))
