"""The review store: an SQLite file beside a run's tables.

Two tables carry the review: ``decisions``, an append-only log (triggers
forbid UPDATE and DELETE) of every decision with its reviewer and time, and
``state``, the current status and corrected fields of every reviewed target.
A decision and the state changes it causes are written in one ``BEGIN
IMMEDIATE`` transaction, so a killed server or a closed browser loses nothing
that was acknowledged, and two reviewers writing at once are serialized by
SQLite instead of overwriting each other: corrections merge field by field.

The store knows nothing of runs or pandas: callers pass it ``Change``s.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Mapping

FILENAME = "review.sqlite"

# statuses a target can have; a target with no state row is unreviewed
ACCEPTED, REJECTED, EDITED, ADDED, REVIEWED = "accepted", "rejected", "edited", "added", "reviewed"
UNREVIEWED = "unreviewed"

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    reviewer  TEXT NOT NULL,
    doc_id    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    target_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    payload   TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'the decisions log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'the decisions log is append-only'); END;
CREATE TABLE IF NOT EXISTS state (
    doc_id      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    status      TEXT NOT NULL,
    fields      TEXT NOT NULL,
    added       INTEGER NOT NULL DEFAULT 0,
    reviewer    TEXT NOT NULL,
    at          TEXT NOT NULL,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    PRIMARY KEY (doc_id, kind, target_id)
);
CREATE TABLE IF NOT EXISTS documents (
    doc_id      TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    first_at    TEXT NOT NULL
);
"""


class StaleRunError(Exception):
    """The document's extraction changed since its review began."""

    status = 409


@dataclass(frozen=True, slots=True)
class Decision:
    """What a reviewer did, as logged."""

    reviewer: str
    doc_id: str  # "" for corpus-level targets (actors, treaties)
    kind: str
    target_id: str
    action: str
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Change:
    """One state update a decision causes.

    ``fields`` are merged into the target's corrected fields (a rejection
    keeps them, so it can be undone); a field equal to its ``base`` (the run's
    value) is dropped, and an edit left with no fields is an acceptance.
    ``status=ADDED`` creates a target the run missed; ``status=None`` resets a
    target to unreviewed (an added one disappears); ``only_if_pending`` leaves
    already reviewed targets alone.
    """

    doc_id: str
    kind: str
    target_id: str
    status: str | None
    fields: Mapping[str, Any] = field(default_factory=dict)
    base: Mapping[str, Any] = field(default_factory=dict)
    only_if_pending: bool = False


@dataclass(frozen=True, slots=True)
class State:
    """The current review of one target."""

    status: str
    fields: dict[str, Any]
    added: bool
    reviewer: str
    at: str
    decision_id: int


@dataclass(frozen=True, slots=True)
class Logged:
    """A row of the decisions log."""

    id: int
    at: str
    decision: Decision


Key = tuple[str, str, str]  # (doc_id, kind, target_id)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _status(wanted: str, fields: Mapping[str, Any], added: bool) -> str:
    """The status after a change: additions stay additions until rejected; an
    edit is an edit while it still differs from the run, an edit undone is an
    acceptance."""
    if wanted in (ACCEPTED, EDITED, ADDED):
        if added:
            return ADDED
        return EDITED if fields else ACCEPTED
    return wanted


class Store:
    """A review store at ``path`` (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            yield db
        finally:
            db.close()

    def record(
        self, decision: Decision, changes: list[Change], fingerprint: str | None = None,
    ) -> int:
        """Log ``decision`` and apply ``changes`` in one transaction; returns the decision id.

        ``fingerprint`` identifies what the run extracted from the decision's
        document: the first decision pins it, later ones must match it.
        """
        at = now()
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                if fingerprint is not None and decision.doc_id:
                    self._pin(db, decision.doc_id, fingerprint, at)
                cursor = db.execute(
                    "INSERT INTO decisions (at, reviewer, doc_id, kind, target_id, action, payload)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (at, decision.reviewer, decision.doc_id, decision.kind, decision.target_id,
                     decision.action, json.dumps(decision.payload, ensure_ascii=False, sort_keys=True)),
                )
                decision_id = int(cursor.lastrowid)
                for change in changes:
                    self._apply(db, change, decision.reviewer, at, decision_id)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return decision_id

    @staticmethod
    def _pin(db: sqlite3.Connection, doc_id: str, fingerprint: str, at: str) -> None:
        db.execute(
            "INSERT OR IGNORE INTO documents (doc_id, fingerprint, first_at) VALUES (?, ?, ?)",
            (doc_id, fingerprint, at),
        )
        (pinned,) = db.execute("SELECT fingerprint FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if pinned != fingerprint:
            raise StaleRunError(
                f"{doc_id}: the run's extraction changed since this document's review began"
            )

    @staticmethod
    def _apply(db: sqlite3.Connection, change: Change, reviewer: str, at: str, decision_id: int) -> None:
        key = (change.doc_id, change.kind, change.target_id)
        row = db.execute(
            "SELECT status, fields, added FROM state WHERE doc_id = ? AND kind = ? AND target_id = ?", key,
        ).fetchone()
        if change.only_if_pending and row is not None:
            return
        if change.status is None:
            db.execute("DELETE FROM state WHERE doc_id = ? AND kind = ? AND target_id = ?", key)
            return
        fields, added = (json.loads(row[1]), bool(row[2])) if row else ({}, False)
        if change.status == ADDED:
            fields, added = {}, True
        fields.update(change.fields)
        if not added:
            fields = {k: v for k, v in fields.items() if change.base.get(k, _MISSING) != v}
        db.execute(
            "INSERT OR REPLACE INTO state"
            " (doc_id, kind, target_id, status, fields, added, reviewer, at, decision_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*key, _status(change.status, fields, added),
             json.dumps(fields, ensure_ascii=False, sort_keys=True), int(added), reviewer, at, decision_id),
        )

    def state(self, doc_id: str | None = None) -> dict[Key, State]:
        """Current state of every reviewed target (of one document and the corpus level)."""
        query = "SELECT doc_id, kind, target_id, status, fields, added, reviewer, at, decision_id FROM state"
        args: tuple[str, ...] = ()
        if doc_id is not None:
            query += " WHERE doc_id IN (?, '')"
            args = (doc_id,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY decision_id", args).fetchall()
        return {(d, k, t): State(s, json.loads(f), bool(n), r, a, i) for d, k, t, s, f, n, r, a, i in rows}

    def log(self, doc_id: str | None = None) -> list[Logged]:
        """The decisions log, oldest first."""
        query = "SELECT id, at, reviewer, doc_id, kind, target_id, action, payload FROM decisions"
        args: tuple[str, ...] = ()
        if doc_id is not None:
            query += " WHERE doc_id = ?"
            args = (doc_id,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY id", args).fetchall()
        return [Logged(i, a, Decision(r, d, k, t, act, json.loads(p))) for i, a, r, d, k, t, act, p in rows]

    def fingerprints(self) -> dict[str, str]:
        """The fingerprint each reviewed document was pinned to."""
        with self._connect() as db:
            return dict(db.execute("SELECT doc_id, fingerprint FROM documents").fetchall())


_MISSING = object()
