"""What a reviewer may do, and what each decision changes.

A decision arrives as a JSON object (from the web page or an importer),
``parse`` checks its shape, ``plan`` checks it against the run and the store
and turns it into the store's ``Decision`` and ``Change``s. Every id is
looked up, every value checked against SPEC's vocabularies; problems raise
``ReviewError`` carrying the HTTP status the web app answers with.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

import pandas as pd

from ..records import ACTOR_LABELS, DATE, EVENT, LOC, ORG, PER, TREATY, stable_id
from ..tables import LIST_SEP
from .run import ReviewError, ReviewRun
from .store import ACCEPTED, ADDED, EDITED, REJECTED, REVIEWED, Change, Decision, Key, State

# SPEC vocabularies
LABELS = (PER, ORG, LOC, DATE, TREATY, EVENT)
ACTOR_TYPES = tuple(ACTOR_LABELS)
LABEL_TYPE = {PER: "PERSON", ORG: "ORGANIZATION", LOC: "LOCATION"}  # default actor type of a label
EVENT_TYPES = (
    "TREATY_SIGNING", "TREATY_RATIFICATION", "TREATY_REJECTION", "TREATY_TERMINATION",
    "RECOGNITION", "RELATIONS_ESTABLISHED", "RELATIONS_BROKEN", "RELATIONS_RESTORED",
    "ACCESSION", "ELECTION", "GOVERNMENT_FORMATION", "UPRISING", "WAR", "BATTLE",
    "OCCUPATION", "STRIKE", "RAID", "NEGOTIATIONS", "CONFERENCE", "OTHER",
)
RELATIONS = (
    "PARTY_TO", "SIGNED_ON", "SIGNED_IN", "PARTICIPANT_IN", "POINT_IN_TIME",
    "TAKES_PLACE_IN", "MEMBER_OF", "LEADER_OF",
)
GRANULARITIES = ("day", "month", "season", "year", "decade", "century", "range")
QUALIFIERS = ("", "early", "mid", "late", "approx", "before", "after")
POLARITIES = ("positive", "negative")

ACTIONS: dict[str, tuple[str, ...]] = {
    "mention": ("accept", "reject", "reset", "edit", "add"),
    "date": ("accept", "reject", "reset", "edit"),
    "event": ("accept", "reject", "reset", "edit"),
    "treaty": ("accept", "reject", "reset", "edit"),
    "actor": ("edit", "merge", "split", "reset"),
    "document": ("done", "reset"),
}
CORPUS_KINDS = ("actor", "treaty")  # their state is corpus-wide (doc_id "")
ADDED_ID = re.compile(r"^R[0-9a-f]{10}$")  # what ``added_id`` makes
MAX_ID = 200
MAX_TEXT = 500
REVIEWER = re.compile(r"^[^\x00-\x1f\x7f]{1,64}$")


@dataclass(frozen=True, slots=True)
class Request:
    """A decision as asked for, shape-checked."""

    reviewer: str
    doc_id: str
    kind: str
    target_id: str
    action: str
    payload: Mapping[str, Any]


def parse(obj: object, default_reviewer: str = "") -> Request:
    """Check the shape of a decision object: known keys, strings where strings go."""
    if not isinstance(obj, dict):
        raise ReviewError(400, "a decision is a JSON object")
    unknown = set(obj) - {"reviewer", "doc_id", "kind", "target_id", "action", "payload"}
    if unknown:
        raise ReviewError(400, f"unknown keys: {', '.join(sorted(map(str, unknown)))}")
    values = {k: obj.get(k, "") for k in ("reviewer", "doc_id", "kind", "target_id", "action")}
    for key, value in values.items():
        if not isinstance(value, str) or len(value) > MAX_ID:
            raise ReviewError(400, f"{key} must be a string of at most {MAX_ID} characters")
    reviewer = values["reviewer"].strip() or default_reviewer
    if not REVIEWER.match(reviewer):
        raise ReviewError(400, "reviewer: give a name of 1 to 64 printable characters")
    kind, action = values["kind"], values["action"]
    if kind not in ACTIONS:
        raise ReviewError(400, f"kind must be one of {', '.join(ACTIONS)}")
    if action not in ACTIONS[kind]:
        raise ReviewError(400, f"a {kind} can be: {', '.join(ACTIONS[kind])}")
    payload = obj.get("payload", {})
    if not isinstance(payload, dict):
        raise ReviewError(400, "payload must be a JSON object")
    return Request(reviewer, values["doc_id"], kind, values["target_id"], action, payload)


def added_id(doc_id: str, start: int, end: int, label: str) -> str:
    """The id of a mention a reviewer added: the same span added twice, or
    imported back from another tool, gets the same id."""
    key = f"{doc_id}\x1f{start}\x1f{end}\x1f{label}"
    return "R" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def split_list(value: object) -> list[str]:
    return [x for x in str(value).split(LIST_SEP) if x] if isinstance(value, str) else []


def _text(value: object, field: str, *, allow_empty: bool = True) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT or (not allow_empty and not value.strip()):
        raise ReviewError(422, f"{field}: expected {'a' if allow_empty else 'a non-empty'} string")
    return value.strip()


def _choice(value: object, field: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ReviewError(422, f"{field}: expected one of {', '.join(c or '(empty)' for c in choices)}")
    return str(value)


def _iso(value: object, field: str, *, allow_empty: bool = True) -> str:
    if value == "" and allow_empty:
        return ""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ReviewError(422, f"{field}: expected an ISO date YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ReviewError(422, f"{field}: {value} is not a calendar date") from None
    return value


def _int(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReviewError(422, f"{field}: expected an integer")
    return value


def _keys(payload: Mapping[str, Any], allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> None:
    unknown = set(payload) - set(allowed)
    if unknown:
        raise ReviewError(422, f"unexpected fields: {', '.join(sorted(unknown))}")
    missing = [k for k in required if k not in payload]
    if missing:
        raise ReviewError(422, f"missing fields: {', '.join(missing)}")


def _none(s: object) -> str:
    return "" if s is None or s is pd.NA or (isinstance(s, float) and s != s) else str(s)


def _row(frame: pd.DataFrame, column: str, value: str) -> dict[str, Any] | None:
    rows = frame[frame[column] == value]
    return None if rows.empty else rows.iloc[0].to_dict()


class Planner:
    """Turns requests into store changes for one run, given the store's state."""

    def __init__(self, run: ReviewRun, state: Mapping[Key, State]) -> None:
        self.run = run
        self.state = state

    def plan(self, request: Request) -> tuple[Decision, list[Change], str | None]:
        """The decision to log, its changes, and the document fingerprint to pin."""
        doc_id = request.doc_id
        self.run.document(doc_id)  # 404 for unknown documents, here and for corpus-level kinds
        method = getattr(self, f"_{request.kind}_{request.action}")
        target_id, payload, changes = method(request)
        decision = Decision(request.reviewer, doc_id, request.kind, target_id, request.action, payload)
        return decision, changes, self.run.fingerprint(doc_id)

    # ---- mentions -------------------------------------------------------------------

    def _mention(self, doc_id: str, mention_id: str) -> tuple[dict[str, Any], bool]:
        """The run's mention (or the reviewer-added one) and whether it was added."""
        row = _row(self.run.doc_tables(doc_id)["mentions"], "mention_id", mention_id)
        if row is not None:
            return row, False
        state = self.state.get((doc_id, "mention", mention_id))
        if state is not None and state.added:
            return state.fields, True
        raise ReviewError(404, f"{doc_id} has no mention {mention_id!r}")

    @staticmethod
    def _mention_base(row: Mapping[str, Any]) -> dict[str, Any]:
        return {"label": _none(row["label"]), "start": int(row["start"]), "end": int(row["end"]),
                "text": _none(row["text"])}

    def _simple(self, request: Request, kind: str, status: str | None,
                lookup: Any) -> tuple[str, dict[str, Any], list[Change]]:
        _keys(request.payload, ())
        lookup(request.doc_id, request.target_id)
        doc = "" if kind in CORPUS_KINDS else request.doc_id
        return request.target_id, {}, [Change(doc, kind, request.target_id, status)]

    def _mention_accept(self, r: Request):
        return self._simple(r, "mention", ACCEPTED, self._mention)

    def _mention_reject(self, r: Request):
        return self._simple(r, "mention", REJECTED, self._mention)

    def _mention_reset(self, r: Request):
        return self._simple(r, "mention", None, self._mention)

    def _span(self, doc_id: str, start: object, end: object) -> tuple[int, int, str]:
        """A span of the original text, trimmed of surrounding whitespace."""
        start, end = _int(start, "start"), _int(end, "end")
        text = self.run.text(doc_id)
        if not 0 <= start < end <= len(text):
            raise ReviewError(422, f"span {start}..{end} is outside the text (0..{len(text)})")
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            raise ReviewError(422, "the span is only whitespace")
        if end - start > MAX_TEXT:
            raise ReviewError(422, f"a mention is at most {MAX_TEXT} characters")
        return start, end, text[start:end]

    def _mention_edit(self, r: Request):
        _keys(r.payload, ("label", "start", "end"))
        row, added = self._mention(r.doc_id, r.target_id)
        fields: dict[str, Any] = {}
        if "label" in r.payload:
            fields["label"] = _choice(r.payload["label"], "label", LABELS)
        if "start" in r.payload or "end" in r.payload:
            start, end, text = self._span(
                r.doc_id, r.payload.get("start", row["start"]), r.payload.get("end", row["end"]),
            )
            fields.update(start=start, end=end, text=text)
        if not fields:
            raise ReviewError(422, "an edit changes label, start or end")
        base = {} if added else self._mention_base(row)
        return r.target_id, fields, [Change(r.doc_id, "mention", r.target_id, EDITED, fields, base)]

    def _mention_add(self, r: Request):
        p = r.payload
        _keys(p, ("label", "start", "end", "actor_id", "canonical", "actor_type", "treaty_id",
                  "value_start", "value_end", "granularity", "qualifier", "type"),
              ("label", "start", "end"))
        if r.target_id and not ADDED_ID.match(r.target_id):
            raise ReviewError(422, "leave target_id empty for an added mention (or give the R-id an export wrote)")
        label = _choice(p["label"], "label", LABELS)
        start, end, text = self._span(r.doc_id, p["start"], p["end"])
        mentions = self.run.doc_tables(r.doc_id)["mentions"]
        same = mentions[(mentions["start"] == start) & (mentions["end"] == end) & (mentions["label"] == label)]
        if not same.empty:
            raise ReviewError(409, f"the run already has this span as {same.iloc[0]['mention_id']}: accept it")
        target = r.target_id or added_id(r.doc_id, start, end, label)
        if _row(mentions, "mention_id", target) is not None:
            raise ReviewError(409, f"{target} is a mention of the run")
        state = self.state.get((r.doc_id, "mention", target))
        if state is not None and state.status != REJECTED:
            raise ReviewError(409, f"this span was already added as {target}")
        fields: dict[str, Any] = {"label": label, "start": start, "end": end, "text": text}
        fields.update(self._added_fields(r.doc_id, label, text, p))
        return target, fields, [Change(r.doc_id, "mention", target, ADDED, fields)]

    def _added_fields(self, doc_id: str, label: str, text: str, p: Mapping[str, Any]) -> dict[str, Any]:
        """What an added mention refers to: an actor, a date value, an event type, a treaty."""
        if label in LABEL_TYPE:
            if p.get("actor_id"):
                actor = self._actor(p["actor_id"])
                return {"ref_id": p["actor_id"], "canonical": actor["name"], "actor_type": actor["type"]}
            actor_type = _choice(p.get("actor_type", LABEL_TYPE[label]), "actor_type", ACTOR_TYPES)
            if ACTOR_LABELS[actor_type] != label:
                raise ReviewError(422, f"actor_type {actor_type} is written as {ACTOR_LABELS[actor_type]}")
            canonical = _text(p.get("canonical") or " ".join(text.split()), "canonical", allow_empty=False)
            return {"ref_id": stable_id("A", actor_type, canonical), "canonical": canonical,
                    "actor_type": actor_type}
        if label == DATE:
            return self._date_values(p, allow_empty=True)
        if label == EVENT:
            return {"type": _choice(p.get("type", "OTHER"), "type", EVENT_TYPES)}
        if label == TREATY and p.get("treaty_id"):
            self._treaty(doc_id, p["treaty_id"])
            return {"ref_id": p["treaty_id"]}
        return {}

    # ---- dates and events -----------------------------------------------------------

    def _date(self, doc_id: str, date_id: str) -> dict[str, Any]:
        row = _row(self.run.doc_tables(doc_id)["dates"], "date_id", date_id)
        if row is not None:
            return row
        state = self.state.get((doc_id, "mention", date_id))
        if state is not None and state.added and state.fields.get("label") == DATE:
            return {"date_id": date_id, **state.fields}
        raise ReviewError(404, f"{doc_id} has no date {date_id!r}")

    @staticmethod
    def _date_values(p: Mapping[str, Any], *, allow_empty: bool) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key in ("value_start", "value_end"):
            if key in p:
                values[key] = _iso(p[key], key, allow_empty=allow_empty)
        if "granularity" in p:
            values["granularity"] = _choice(p["granularity"], "granularity", GRANULARITIES)
        if "qualifier" in p:
            values["qualifier"] = _choice(p["qualifier"], "qualifier", QUALIFIERS)
        if values.get("value_start") and values.get("value_end") and values["value_start"] > values["value_end"]:
            raise ReviewError(422, "value_start is after value_end")
        return values

    def _date_accept(self, r: Request):
        return self._simple(r, "date", ACCEPTED, self._date)

    def _date_reject(self, r: Request):
        return self._simple(r, "date", REJECTED, self._date)

    def _date_reset(self, r: Request):
        return self._simple(r, "date", None, self._date)

    def _date_edit(self, r: Request):
        _keys(r.payload, ("value_start", "value_end", "granularity", "qualifier"))
        row = self._date(r.doc_id, r.target_id)
        fields = self._date_values(r.payload, allow_empty=False)
        if not fields:
            raise ReviewError(422, "a date edit changes value_start, value_end, granularity or qualifier")
        merged = {k: _none(row.get(k)) for k in ("value_start", "value_end")} | fields
        if merged["value_start"] and merged["value_end"] and merged["value_start"] > merged["value_end"]:
            raise ReviewError(422, "value_start is after value_end")
        base = {k: _none(row.get(k)) for k in ("value_start", "value_end", "granularity", "qualifier")}
        return r.target_id, fields, [Change(r.doc_id, "date", r.target_id, EDITED, fields, base)]

    def _event(self, doc_id: str, event_id: str) -> dict[str, Any]:
        row = _row(self.run.doc_tables(doc_id)["events"], "event_id", event_id)
        if row is not None:
            return row
        state = self.state.get((doc_id, "mention", event_id))
        if state is not None and state.added and state.fields.get("label") == EVENT:
            return {"event_id": event_id, **state.fields}
        raise ReviewError(404, f"{doc_id} has no event {event_id!r}")

    def _event_accept(self, r: Request):
        return self._simple(r, "event", ACCEPTED, self._event)

    def _event_reject(self, r: Request):
        return self._simple(r, "event", REJECTED, self._event)

    def _event_reset(self, r: Request):
        return self._simple(r, "event", None, self._event)

    def _event_edit(self, r: Request):
        p = r.payload
        _keys(p, ("type", "date_start", "date_end", "place", "participants", "treaty_id", "polarity"))
        row = self._event(r.doc_id, r.target_id)
        fields: dict[str, Any] = {}
        if "type" in p:
            fields["type"] = _choice(p["type"], "type", EVENT_TYPES)
        for key in ("date_start", "date_end"):
            if key in p:
                fields[key] = _iso(p[key], key)
        if fields.get("date_start") and fields.get("date_end") and fields["date_start"] > fields["date_end"]:
            raise ReviewError(422, "date_start is after date_end")
        if "place" in p:
            fields["place"] = p["place"] and self._actor_id(p["place"])
        if "participants" in p:
            if not isinstance(p["participants"], list) or len(p["participants"]) > 100:
                raise ReviewError(422, "participants: expected a list of actor ids")
            fields["participants"] = sorted({self._actor_id(a) for a in p["participants"]})
        if "treaty_id" in p:
            fields["treaty_id"] = p["treaty_id"] and self._treaty_id(r.doc_id, p["treaty_id"])
        if "polarity" in p:
            fields["polarity"] = _choice(p["polarity"], "polarity", POLARITIES)
        if not fields:
            raise ReviewError(422, "an event edit changes type, dates, place, participants, treaty or polarity")
        base = {k: _none(row.get(k)) for k in ("type", "date_start", "date_end", "place", "treaty_id", "polarity")}
        base["participants"] = sorted(split_list(row.get("participants")))
        return r.target_id, fields, [Change(r.doc_id, "event", r.target_id, EDITED, fields, base)]

    # ---- corpus level: treaties and actors ------------------------------------------

    def _treaty(self, doc_id: str, treaty_id: object) -> dict[str, Any]:
        row = None
        if isinstance(treaty_id, str):
            row = _row(self.run.tables["treaties"], "treaty_id", treaty_id)
        if row is None:
            raise ReviewError(404, f"no treaty {treaty_id!r}")
        return row

    def _treaty_id(self, doc_id: str, treaty_id: object) -> str:
        return str(self._treaty(doc_id, treaty_id)["treaty_id"])

    def _treaty_accept(self, r: Request):
        return self._simple(r, "treaty", ACCEPTED, self._treaty)

    def _treaty_reject(self, r: Request):
        return self._simple(r, "treaty", REJECTED, self._treaty)

    def _treaty_reset(self, r: Request):
        return self._simple(r, "treaty", None, self._treaty)

    def _treaty_edit(self, r: Request):
        p = r.payload
        _keys(p, ("name", "kind", "date_signed", "place", "parties"))
        row = self._treaty(r.doc_id, r.target_id)
        fields: dict[str, Any] = {}
        if "name" in p:
            fields["name"] = _text(p["name"], "name", allow_empty=False)
        for key in ("kind", "place"):
            if key in p:
                fields[key] = _text(p[key], key)
        if "date_signed" in p:
            fields["date_signed"] = _iso(p["date_signed"], "date_signed")
        if "parties" in p:
            if not isinstance(p["parties"], list) or len(p["parties"]) > 100:
                raise ReviewError(422, "parties: expected a list of names")
            fields["parties"] = [_text(x, "parties", allow_empty=False) for x in p["parties"]]
        if not fields:
            raise ReviewError(422, "a treaty edit changes name, kind, date_signed, place or parties")
        base = {k: _none(row.get(k)) for k in ("name", "kind", "date_signed", "place")}
        base["parties"] = split_list(row.get("parties"))
        return r.target_id, fields, [Change("", "treaty", r.target_id, EDITED, fields, base)]

    def _actor(self, actor_id: object) -> dict[str, Any]:
        if isinstance(actor_id, str):
            row = _row(self.run.tables["actors"], "actor_id", actor_id)
            state = self.state.get(("", "actor", actor_id))
            if row is not None:
                return {**row, **(state.fields if state else {})}
            if state is not None and state.added:
                return {"actor_id": actor_id, **state.fields}
        raise ReviewError(404, f"no actor {actor_id!r}")

    def _actor_id(self, actor_id: object) -> str:
        return str(self._actor(actor_id)["actor_id"])

    def _final_actor(self, actor_id: str) -> str:
        """Where merges send an actor."""
        seen = {actor_id}
        while True:
            state = self.state.get(("", "actor", actor_id))
            into = state.fields.get("merged_into") if state else None
            if not into or into in seen:
                return actor_id
            seen.add(into)
            actor_id = into

    def _actor_edit(self, r: Request):
        _keys(r.payload, ("name", "type"))
        row = self._actor(r.target_id)
        fields: dict[str, Any] = {}
        if "name" in r.payload:
            fields["name"] = _text(r.payload["name"], "name", allow_empty=False)
        if "type" in r.payload:
            fields["type"] = _choice(r.payload["type"], "type", ACTOR_TYPES)
        if not fields:
            raise ReviewError(422, "an actor edit changes name or type")
        state = self.state.get(("", "actor", r.target_id))
        base = {} if state is not None and state.added else {"name": row["name"], "type": row["type"]}
        return r.target_id, fields, [Change("", "actor", r.target_id, EDITED, fields, base)]

    def _actor_reset(self, r: Request):
        return self._simple(r, "actor", None, lambda _doc, actor_id: self._actor(actor_id))

    def _actor_merge(self, r: Request):
        _keys(r.payload, ("into",), ("into",))
        self._actor(r.target_id)
        into = self._actor_id(r.payload["into"])
        if self._final_actor(into) == r.target_id or into == r.target_id:
            raise ReviewError(409, f"{into} is (merged into) {r.target_id} already")
        fields = {"merged_into": into}
        return r.target_id, dict(r.payload), [Change("", "actor", r.target_id, EDITED, fields)]

    def _actor_split(self, r: Request):
        """Move some of this document's mentions of an actor to another (new) actor."""
        p = r.payload
        _keys(p, ("mentions", "name", "type"), ("mentions", "name", "type"))
        self._actor(r.target_id)
        name = _text(p["name"], "name", allow_empty=False)
        actor_type = _choice(p["type"], "type", ACTOR_TYPES)
        ids = p["mentions"]
        if not isinstance(ids, list) or not ids or len(ids) > 1000:
            raise ReviewError(422, "mentions: expected a non-empty list of mention ids")
        new_id = stable_id("A", actor_type, name)
        fields = {"ref_id": new_id, "canonical": name, "actor_type": actor_type,
                  "label": ACTOR_LABELS[actor_type]}
        changes = []
        for mention_id in ids:
            row, added = self._mention(r.doc_id, _text(mention_id, "mentions"))
            current = self.state.get((r.doc_id, "mention", mention_id))
            ref = (current.fields.get("ref_id") if current else None) or _none(row.get("ref_id"))
            if self._final_actor(ref) != self._final_actor(r.target_id):
                raise ReviewError(409, f"{mention_id} does not refer to {r.target_id}")
            base = {} if added else {
                **self._mention_base(row),
                **{k: _none(row.get(k)) for k in ("ref_id", "canonical", "actor_type")},
            }
            changes.append(Change(r.doc_id, "mention", mention_id, EDITED, fields, base))
        if _row(self.run.tables["actors"], "actor_id", new_id) is None:
            changes.append(Change("", "actor", new_id, ADDED, {"name": name, "type": actor_type}))
        elif self._final_actor(new_id) != new_id:  # split back off an actor merged by mistake
            changes.append(Change("", "actor", new_id, EDITED, {"merged_into": ""}))
        payload = {"mentions": list(ids), "name": name, "type": actor_type, "new_actor": new_id}
        return r.target_id, payload, changes

    # ---- documents -------------------------------------------------------------------

    def _document_done(self, r: Request):
        """The document is reviewed: what the reviewer did not reject or change is accepted."""
        _keys(r.payload, ())
        mentions = self.run.doc_tables(r.doc_id)["mentions"]
        changes = [Change(r.doc_id, "mention", m, ACCEPTED, only_if_pending=True) for m in mentions["mention_id"]]
        changes.append(Change(r.doc_id, "document", r.doc_id, REVIEWED))
        return r.doc_id, {}, changes

    def _document_reset(self, r: Request):
        _keys(r.payload, ())
        return r.doc_id, {}, [Change(r.doc_id, "document", r.doc_id, None)]
