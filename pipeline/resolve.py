"""Corpus-level resolution: one row per actor and per treaty across all documents.

Mentions and per-document treaty records already carry deterministic ids
(``records.stable_id`` of type and canonical name, or of the treaty's key), so
resolution is a pure aggregation of the mentions and doc_treaties tables: it
gives the same rows whether documents were processed in one run, in parallel
or across resumed runs, in any order.
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


def _folded(name: str) -> str:
    return name.casefold().replace("ё", "е")


def _most_common(values: pd.Series) -> str:
    """The value said most often (ties: the smallest), ignoring empty ones."""
    values = values[values.fillna("") != ""]
    if values.empty:
        return ""
    counts = values.value_counts()
    return min(counts.index[counts == counts.max()])


def _attribute(rows: pd.DataFrame, column: str) -> tuple[str, str]:
    """A treaty's value of ``column`` across documents: what a text gives wins over the base."""
    source = rows[f"{column}_source"].fillna("")
    for wanted in ("text", "base"):
        value = _most_common(rows.loc[source == wanted, column])
        if value:
            return value, wanted
    return "", ""


def _parties(rows: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Every party any document gives, text-given ones first; a party is "text" when
    any document's text names it."""
    sources: dict[str, str] = {}
    for parties, given in zip(rows["parties"].fillna(""), rows["parties_source"].fillna("")):
        for party, source in zip(parties.split(LIST_SEP), given.split(LIST_SEP)):
            if party and sources.get(party) != "text":
                sources[party] = source
    ordered = sorted(sources, key=lambda p: (sources[p] != "text", p))
    return ordered, [sources[p] for p in ordered]


def treaties(doc_treaties: pd.DataFrame) -> pd.DataFrame:
    """The treaties table from the per-document treaty records."""
    rows = []
    for treaty_id, group in doc_treaties.groupby("treaty_id", sort=True):
        name = _most_common(group["name"])
        date_signed, date_source = _attribute(group, "date_signed")
        place, place_source = _attribute(group, "place")
        parties, parties_source = _parties(group)
        aliases = sorted({a for cell in group["aliases"].fillna("") for a in cell.split(LIST_SEP)
                          if a and _folded(a) != _folded(name)})
        rows.append({
            "treaty_id": treaty_id, "name": name, "kind": _most_common(group["kind"]),
            "date_signed": date_signed, "place": place, "parties": parties,
            "n_mentions": int(group["n_mentions"].sum()), "aliases": aliases,
            "n_documents": group["doc_id"].nunique(), "date_signed_source": date_source,
            "place_source": place_source, "parties_source": parties_source,
            "base_id": _most_common(group["base_id"]),
        })
    return frame("treaties", rows)
