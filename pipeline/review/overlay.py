"""The run's tables with the review applied.

``apply`` lays the store's state over the run's tables: corrected fields
replace the run's, added mentions (and the dates and events they stand for)
become rows, merged actors take their target's id and name, and every table
gains a ``review_status`` column (unreviewed, accepted, edited, added,
rejected; documents: unreviewed, in_progress, reviewed). Rejected rows stay,
marked, until ``final`` drops them. A DATE or EVENT mention and the date or
event row it refers to are one thing to the reviewer: whichever of the two
was decided last decides both.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import pandas as pd

from .. import resolve
from ..normalize import normalize
from ..records import ACTOR_LABELS, DATE, EVENT, stable_id
from ..tables import LIST_SEP, frame
from .model import LABEL_TYPE, split_list
from .run import ReviewRun
from .store import ACCEPTED, ADDED, EDITED, REJECTED, REVIEWED, UNREVIEWED, Key, State, Store

STATUS = "review_status"
IN_PROGRESS = "in_progress"
_DECISION = "_decision"  # decision id behind a row's status, while applying
REVIEWED_STATUSES = (ACCEPTED, EDITED, ADDED)


def load(run: ReviewRun, store: Store, doc_id: str | None = None) -> tuple[dict[Key, State], list[str]]:
    """The store's state that applies to ``run``, and the documents whose review was
    made on another extraction of them (their decisions are left out)."""
    state = store.state(doc_id)
    pinned = store.fingerprints()
    stale = sorted(
        d for d, fp in pinned.items()
        if (doc_id is None or d == doc_id) and d in run and run.fingerprint(d) != fp
    )
    unknown = {d for d in pinned if d not in run}
    dropped = set(stale) | unknown
    return {k: v for k, v in state.items() if k[0] not in dropped}, stale


def norm(text: str) -> str:
    """A corrected span's normalized form, as the pipeline normalizes text (line-break
    hyphens joined, whitespace collapsed, quotes and spelling modernized)."""
    return " ".join(normalize(text).text.split())


@dataclass
class _Actors:
    """Actor decisions: merges, renames, new actors."""

    names: dict[str, str]
    types: dict[str, str]
    states: dict[str, State]

    @classmethod
    def of(cls, table: pd.DataFrame, states: Mapping[str, State]) -> "_Actors":
        return cls(dict(zip(table["actor_id"], table["name"])), dict(zip(table["actor_id"], table["type"])),
                   dict(states))

    def final(self, actor_id: str) -> str:
        seen = {actor_id}
        while (into := self._field(actor_id, "merged_into")) and into not in seen:
            seen.add(into)
            actor_id = into
        return actor_id

    def _field(self, actor_id: str, key: str) -> Any:
        state = self.states.get(actor_id)
        return state.fields.get(key) if state is not None else None

    def name(self, actor_id: str) -> str | None:
        return self._field(actor_id, "name") or self.names.get(actor_id)

    def type(self, actor_id: str) -> str | None:
        return self._field(actor_id, "type") or self.types.get(actor_id)

    def overridden(self, actor_id: str) -> bool:
        return bool(self._field(actor_id, "name") or self._field(actor_id, "type"))

    def remap(self, ids: pd.Series) -> pd.Series:
        """Actor ids (or ``|``-joined lists of them) after merges."""
        if not self.states:
            return ids
        return ids.map(lambda v: LIST_SEP.join(self.final(a) for a in v.split(LIST_SEP)) if isinstance(v, str) else v)


def _by_kind(state: Mapping[Key, State]) -> dict[str, dict[tuple[str, str], State]]:
    kinds: dict[str, dict[tuple[str, str], State]] = defaultdict(dict)
    for (doc_id, kind, target_id), value in state.items():
        kinds[kind][(doc_id, target_id)] = value
    return kinds


def _typed(name: str, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows → table ``name`` with its schema plus the review columns."""
    rows = list(rows)
    table = frame(name, rows)
    table[STATUS] = pd.array([r.get(STATUS, UNREVIEWED) for r in rows], dtype="string")
    table[_DECISION] = pd.array([r.get(_DECISION, -1) for r in rows], dtype="Int64")
    return table


def _overlay(
    run: pd.DataFrame, id_column: str, states: Mapping[tuple[str, str], State], corpus: bool = False,
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Split ``run`` into untouched rows (marked unreviewed) and reviewed rows
    (as dicts with their corrected fields, status and decision)."""
    keys = list(zip([""] * len(run) if corpus else run["doc_id"], run[id_column]))
    reviewed = pd.Series([k in states for k in keys], index=run.index, dtype=bool)
    rows = []
    for row in run[reviewed].to_dict("records"):
        state = states[("" if corpus else row["doc_id"], row[id_column])]
        fields = {k: v for k, v in state.fields.items() if k in row}
        rows.append({**row, **fields, "_fields": state.fields, STATUS: state.status, _DECISION: state.decision_id})
    untouched = run[~reviewed].copy()
    untouched[STATUS] = pd.array([UNREVIEWED] * len(untouched), dtype="string")
    untouched[_DECISION] = pd.array([-1] * len(untouched), dtype="Int64")
    return untouched, rows


def _concat(name: str, untouched: pd.DataFrame, rows: list[dict[str, Any]]) -> pd.DataFrame:
    parts = [p for p in (untouched, _typed(name, rows)) if not p.empty]
    if not parts:
        return _typed(name, [])
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)


def _order(table: pd.DataFrame, doc_order: Mapping[str, int]) -> pd.DataFrame:
    key = table["doc_id"].map(doc_order).fillna(len(doc_order)).astype("int64")
    return table.assign(_doc=key).sort_values(["_doc", "start", "end"], kind="stable").drop(columns="_doc") \
        .reset_index(drop=True)


def _mention_row(row: dict[str, Any]) -> dict[str, Any]:
    """Fields that follow from a mention's corrected label or span."""
    fields = row.pop("_fields", {})
    if "text" in fields:
        row["norm"] = norm(row["text"])
    label = row["label"]
    if label in LABEL_TYPE:
        if "ref_id" not in fields and ("label" in fields or not row.get("actor_type")):
            actor_type = row.get("actor_type") or ""
            if not actor_type or ACTOR_LABELS.get(actor_type) != label:
                actor_type = LABEL_TYPE[label]
            canonical = row.get("canonical") or row["norm"]
            row.update(actor_type=actor_type, canonical=canonical, ref_id=stable_id("A", actor_type, canonical))
    else:
        row.update(actor_type="", canonical="")
        if label in (DATE, EVENT) and row.get("source") == "review":
            row["ref_id"] = row["mention_id"]
        elif "label" in fields and "ref_id" not in fields:
            row["ref_id"] = ""
    return row


def _mentions(run: pd.DataFrame, states: Mapping[tuple[str, str], State], actors: _Actors) -> pd.DataFrame:
    untouched, rows = _overlay(run, "mention_id", states)
    known = set(zip(run["doc_id"], run["mention_id"]))
    for (doc_id, mention_id), state in states.items():
        if state.added and (doc_id, mention_id) not in known:
            fields = state.fields
            rows.append({
                "doc_id": doc_id, "mention_id": mention_id, "source": "review", "ref_id": "",
                **fields, "_fields": fields,
                STATUS: state.status, _DECISION: state.decision_id,
            })
    mentions = _concat("mentions", untouched, [_mention_row(r) for r in rows])
    if actors.states:
        is_actor = mentions["actor_type"].fillna("") != ""
        refs = mentions.loc[is_actor, "ref_id"].fillna("")
        final = refs.map(actors.final)
        touched = final.index[(final != refs).to_numpy() | final.map(actors.overridden).to_numpy(dtype=bool)]
        if len(touched):
            final = final[touched]
            types = final.map(actors.type).fillna(mentions.loc[touched, "actor_type"])
            mentions.loc[touched, "ref_id"] = final
            mentions.loc[touched, "canonical"] = final.map(actors.name).fillna(mentions.loc[touched, "canonical"])
            mentions.loc[touched, "actor_type"] = types
            mentions.loc[touched, "label"] = types.map(ACTOR_LABELS)
    return mentions


def _linked(mentions: pd.DataFrame, label: str) -> dict[tuple[str, str], dict[str, Any]]:
    """DATE or EVENT mentions by the (document, record id) they refer to."""
    own = mentions[(mentions["label"] == label) & (mentions["ref_id"].fillna("") != "")]
    columns = ["doc_id", "ref_id", "mention_id", "start", "end", "text", STATUS, _DECISION]
    return {(r["doc_id"], r["ref_id"]): r for r in own[columns].to_dict("records")}


def _records(
    run: pd.DataFrame, id_column: str, states: Mapping[tuple[str, str], State], mentions: pd.DataFrame,
    label: str, span: tuple[str, ...], seed: Callable[[Mapping[str, Any]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """The rows of the dates or events table, reviewed through their own state and their
    mention's: a row takes its mention's span and their combined status. A mention the
    reviewer added becomes a row, ``seed``ed from the mention's fields."""
    linked = _linked(mentions, label)
    rows = [{**row, STATUS: UNREVIEWED, _DECISION: -1} for row in run.to_dict("records")]
    known = set(zip(run["doc_id"], run[id_column]))
    rows += [
        {"doc_id": doc_id, id_column: ref_id, **seed(m), STATUS: UNREVIEWED, _DECISION: -1}
        for (doc_id, ref_id), m in linked.items()
        if (doc_id, ref_id) not in known and ref_id == m["mention_id"]
    ]
    for row in rows:
        state = states.get((row["doc_id"], row[id_column]))
        if state is not None:
            row.update({k: v for k, v in state.fields.items() if k in row})
            row.update({STATUS: state.status, _DECISION: state.decision_id})
        mention = linked.get((row["doc_id"], row[id_column]))
        if mention is not None:
            row.update({k: mention[k] for k in span})
            row[STATUS] = _combined(row, mention)
    return rows


def _combined(row: Mapping[str, Any], mention: Mapping[str, Any]) -> str:
    """The status of a record and its mention together: the later decision's, except
    that accepting one of them leaves the other's correction standing."""
    later, earlier = (mention, row) if int(mention[_DECISION]) > int(row[_DECISION]) else (row, mention)
    if later[STATUS] == ACCEPTED and earlier[STATUS] in (EDITED, ADDED):
        return str(earlier[STATUS])
    return str(later[STATUS])


def _dates(run: pd.DataFrame, states, mentions: pd.DataFrame, added: Mapping[tuple[str, str], dict]) -> pd.DataFrame:
    def seed(m: Mapping[str, Any]) -> dict[str, Any]:
        fields = added.get((m["doc_id"], m["mention_id"]), {})
        return {k: fields.get(k, "") for k in ("value_start", "value_end", "granularity", "qualifier")}

    return _typed("dates", _records(run, "date_id", states, mentions, DATE, ("start", "end", "text"), seed))


def _events(run: pd.DataFrame, states, mentions: pd.DataFrame, added: Mapping[tuple[str, str], dict],
            actors: _Actors) -> pd.DataFrame:
    def seed(m: Mapping[str, Any]) -> dict[str, Any]:
        fields = added.get((m["doc_id"], m["mention_id"]), {})
        return {"type": fields.get("type", "OTHER"), "trigger": m["text"], "polarity": "positive"}

    events = _typed("events", _records(run, "event_id", states, mentions, EVENT, ("start", "end"), seed))
    events["participants"] = actors.remap(events["participants"])
    events["place"] = actors.remap(events["place"])
    return events


def _treaties(run: pd.DataFrame, states: Mapping[tuple[str, str], State]) -> pd.DataFrame:
    untouched, rows = _overlay(run, "treaty_id", states, corpus=True)
    for row in rows:
        row.pop("_fields")
    return _concat("treaties", untouched, rows)


def _actors(mentions: pd.DataFrame, actors: _Actors) -> pd.DataFrame:
    live = mentions[mentions[STATUS] != REJECTED]
    table = resolve.actors(live)
    reviewed = live[live["actor_type"].fillna("") != ""].groupby("ref_id")[STATUS] \
        .agg(lambda s: bool(s.isin(REVIEWED_STATUSES).all()))
    status = [
        actors.states[a].status if a in actors.states
        else ACCEPTED if reviewed.get(a, False) else UNREVIEWED
        for a in table["actor_id"]
    ]
    table[STATUS] = pd.array(status, dtype="string")
    return table


def _alive(tables: Mapping[str, pd.DataFrame], actors: _Actors) -> Callable[[str, str], bool]:
    """Whether a record id still stands in a document after the review: not a rejected
    date, event or treaty, and — for an actor — still mentioned there."""
    dead: set[tuple[str, str]] = set()
    for name, column in (("dates", "date_id"), ("events", "event_id")):
        t = tables[name]
        rejected = t[t[STATUS] == REJECTED]
        dead |= set(zip(rejected["doc_id"], rejected[column]))
    treaties = tables["treaties"]
    dead_treaties = set(treaties.loc[treaties[STATUS] == REJECTED, "treaty_id"])
    m = tables["mentions"]
    live = m[m[STATUS] != REJECTED]
    live_actors = set(zip(live["doc_id"], live["ref_id"]))
    known_actors = set(actors.names) | set(actors.states) | set(m.loc[m["actor_type"].fillna("") != "", "ref_id"])

    def alive(doc_id: str, target: str) -> bool:
        if (doc_id, target) in dead or target in dead_treaties:
            return False
        return target not in known_actors or (doc_id, target) in live_actors

    return alive


def _event_actors(events: pd.DataFrame, alive: Callable[[str, str], bool]) -> pd.DataFrame:
    """Events without the participants and places the review took out of their document."""
    events = events.copy()
    events["participants"] = pd.array([
        LIST_SEP.join(a for a in split_list(v) if alive(d, a)) if isinstance(v, str) else v
        for d, v in zip(events["doc_id"], events["participants"])
    ], dtype="string")
    events["place"] = pd.array([
        v if not isinstance(v, str) or not v or alive(d, v) else ""
        for d, v in zip(events["doc_id"], events["place"])
    ], dtype="string")
    return events


def _relations(
    run: pd.DataFrame, tables: Mapping[str, pd.DataFrame], actors: _Actors, alive: Callable[[str, str], bool],
    edited: set[tuple[str, str]],
) -> pd.DataFrame:
    """Relations between what survived the review, with event arguments as corrected."""
    rel = run.copy()
    rel["head_id"] = actors.remap(rel["head_id"])
    rel["tail_id"] = actors.remap(rel["tail_id"])
    keep = [alive(d, h) and alive(d, t) for d, h, t in zip(rel["doc_id"], rel["head_id"], rel["tail_id"])]
    rel = rel[pd.Series(keep, index=rel.index, dtype=bool)]
    rows = rel.to_dict("records")
    events = tables["events"]
    for event in events[[k in edited for k in zip(events["doc_id"], events["event_id"])]].to_dict("records"):
        rows = _event_arguments(rows, event)
    for row in rows:
        row.setdefault(STATUS, UNREVIEWED)
    table = _typed("relations", rows)
    return table.drop(columns=_DECISION)


def _event_arguments(rows: list[dict[str, Any]], event: Mapping[str, Any]) -> list[dict[str, Any]]:
    """PARTICIPANT_IN and TAKES_PLACE_IN relations as the event's corrected arguments say."""
    doc_id, event_id = event["doc_id"], event["event_id"]
    participants = set(split_list(event["participants"]))
    place = event["place"] if isinstance(event["place"], str) else ""

    def stays(r: Mapping[str, Any]) -> bool:
        if r["doc_id"] != doc_id:
            return True
        if r["relation"] == "PARTICIPANT_IN" and r["tail_id"] == event_id:
            return r["head_id"] in participants
        if r["relation"] == "TAKES_PLACE_IN" and r["head_id"] == event_id:
            return r["tail_id"] == place
        return True

    rows = [r for r in rows if stays(r)]
    have = {(r["head_id"], r["relation"], r["tail_id"]) for r in rows if r["doc_id"] == doc_id}
    wanted = [(a, "PARTICIPANT_IN", event_id) for a in sorted(participants)]
    wanted += [(event_id, "TAKES_PLACE_IN", place)] if place else []
    rows += [
        {"doc_id": doc_id, "head_id": h, "relation": rel, "tail_id": t, "start": event["start"],
         "end": event["end"], "source": "review", STATUS: ADDED}
        for h, rel, t in wanted if (h, rel, t) not in have
    ]
    return rows


def document_status(run: pd.DataFrame, state: Mapping[Key, State]) -> pd.DataFrame:
    """The documents table with each document's review status."""
    touched = {k[0] for k in state if k[0]}
    done = {k[0] for k, v in state.items() if k[1] == "document" and v.status == REVIEWED}
    table = run.copy()
    table[STATUS] = pd.array(
        [REVIEWED if d in done else IN_PROGRESS if d in touched else UNREVIEWED for d in table["doc_id"]],
        dtype="string",
    )
    return table


def apply(tables: Mapping[str, pd.DataFrame], state: Mapping[Key, State]) -> dict[str, pd.DataFrame]:
    """The run's tables with the review in ``state`` applied, rejected rows kept and marked."""
    kinds = _by_kind(state)
    actors = _Actors.of(tables["actors"], {t: s for (_, t), s in kinds["actor"].items()})
    doc_order = {d: i for i, d in enumerate(tables["documents"]["doc_id"])}
    mentions = _order(_mentions(tables["mentions"], kinds["mention"], actors), doc_order)
    added = {k: s.fields for k, s in kinds["mention"].items() if s.added}
    out = {
        "documents": document_status(tables["documents"], state),
        "mentions": mentions,
        "dates": _order(_dates(tables["dates"], kinds["date"], mentions, added), doc_order),
        "events": _order(_events(tables["events"], kinds["event"], mentions, added, actors), doc_order),
        "treaties": _treaties(tables["treaties"], kinds["treaty"]),
        "actors": _actors(mentions, actors),
    }
    alive = _alive(out, actors)
    out["events"] = _event_actors(out["events"], alive)
    edited = {k for k, s in kinds["event"].items() if {"participants", "place"} & set(s.fields)}
    out["relations"] = _relations(tables["relations"], out, actors, alive, edited)
    for name in ("mentions", "dates", "events", "treaties"):
        out[name] = out[name].drop(columns=_DECISION)
    return out


def final(applied: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The reviewed tables as a historian uses them: rejected rows dropped."""
    return {
        name: table[table[STATUS] != REJECTED].reset_index(drop=True) if STATUS in table else table
        for name, table in applied.items()
    }

