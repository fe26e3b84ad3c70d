"""The review store: append-only log, field-level merging, and concurrent writers."""
from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest

from pipeline.review.store import (
    ACCEPTED, ADDED, EDITED, REJECTED, Change, Decision, StaleRunError, Store,
)

DOC = "000_a17717a12c9184be.txt"
BASE = {"label": "LOC", "start": 168, "end": 174, "text": "Россия"}


def _edit(store: Store, reviewer: str, target: str, fields: dict, base: dict = BASE) -> int:
    decision = Decision(reviewer, DOC, "mention", target, "edit", fields)
    return store.record(decision, [Change(DOC, "mention", target, EDITED, fields, base)], "fp")


def test_wal_log_and_state(tmp_path: Path) -> None:
    store = Store(tmp_path / "review.sqlite")
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.record(Decision("анна", DOC, "mention", "M1", "accept"), [Change(DOC, "mention", "M1", ACCEPTED)], "fp")
    store.record(Decision("борис", DOC, "mention", "M1", "reject"), [Change(DOC, "mention", "M1", REJECTED)], "fp")
    log = store.log()
    assert [(x.decision.reviewer, x.decision.action) for x in log] == [("анна", "accept"), ("борис", "reject")]
    assert all(x.at.endswith("+00:00") for x in log)
    state = store.state(DOC)[(DOC, "mention", "M1")]
    assert (state.status, state.reviewer, state.decision_id) == (REJECTED, "борис", log[-1].id)


def test_log_is_append_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "review.sqlite")
    store.record(Decision("анна", DOC, "mention", "M1", "accept"), [Change(DOC, "mention", "M1", ACCEPTED)])
    with sqlite3.connect(store.path) as db:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("UPDATE decisions SET reviewer = 'x'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("DELETE FROM decisions")


def test_edits_merge_by_field_and_an_undone_edit_is_an_acceptance(tmp_path: Path) -> None:
    store = Store(tmp_path / "review.sqlite")
    _edit(store, "анна", "M1", {"label": "ORG"})
    _edit(store, "борис", "M1", {"start": 160, "end": 174, "text": "ветская Россия"})
    state = store.state()[(DOC, "mention", "M1")]
    assert state.status == EDITED
    # both corrections survive; the end, the run's own, is not a correction
    assert state.fields == {"label": "ORG", "start": 160, "text": "ветская Россия"}
    _edit(store, "анна", "M1", dict(BASE))
    state = store.state()[(DOC, "mention", "M1")]
    assert (state.status, state.fields) == (ACCEPTED, {})


def test_added_spans_stay_added_until_rejected(tmp_path: Path) -> None:
    store = Store(tmp_path / "review.sqlite")
    fields = {"label": "TREATY", "start": 316, "end": 335, "text": "Версальский договор"}
    store.record(Decision("анна", DOC, "mention", "R1", "add", fields), [Change(DOC, "mention", "R1", ADDED, fields)])
    store.record(Decision("анна", DOC, "mention", "R1", "accept"), [Change(DOC, "mention", "R1", ACCEPTED)])
    assert store.state()[(DOC, "mention", "R1")].status == ADDED
    store.record(Decision("анна", DOC, "mention", "R1", "reject"), [Change(DOC, "mention", "R1", REJECTED)])
    state = store.state()[(DOC, "mention", "R1")]
    assert (state.status, state.added, state.fields) == (REJECTED, True, fields)
    store.record(Decision("анна", DOC, "mention", "R1", "reset"), [Change(DOC, "mention", "R1", None)])
    assert (DOC, "mention", "R1") not in store.state()


def test_only_pending_targets_are_bulk_accepted(tmp_path: Path) -> None:
    store = Store(tmp_path / "review.sqlite")
    store.record(Decision("анна", DOC, "mention", "M1", "reject"), [Change(DOC, "mention", "M1", REJECTED)])
    bulk = [Change(DOC, "mention", m, ACCEPTED, only_if_pending=True) for m in ("M1", "M2")]
    store.record(Decision("анна", DOC, "document", DOC, "done"), bulk)
    state = store.state()
    assert state[(DOC, "mention", "M1")].status == REJECTED
    assert state[(DOC, "mention", "M2")].status == ACCEPTED


def test_a_failed_decision_leaves_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "review.sqlite")
    store.record(Decision("анна", DOC, "mention", "M1", "accept"), [Change(DOC, "mention", "M1", ACCEPTED)], "fp1")
    with pytest.raises(StaleRunError):
        store.record(Decision("анна", DOC, "mention", "M2", "accept"), [Change(DOC, "mention", "M2", ACCEPTED)], "fp2")
    assert len(store.log()) == 1 and (DOC, "mention", "M2") not in store.state()


def _write_many(path: str, reviewer: str, n: int) -> None:
    store = Store(Path(path))
    for i in range(n):
        target = f"{reviewer}-{i}"
        store.record(Decision(reviewer, DOC, "mention", target, "accept"), [Change(DOC, "mention", target, ACCEPTED)])
        _edit(store, reviewer, "M1", {f"note_{reviewer}": i}, base={})


def test_concurrent_threads_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    Store(path)
    threads = [threading.Thread(target=_write_many, args=(str(path), f"t{k}", 10)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store = Store(path)
    assert len(store.log()) == 4 * 10 * 2
    state = store.state()
    assert sum(1 for k in state if k[2].startswith("t")) == 40
    # each thread's field survived the others' edits of the same mention
    assert state[(DOC, "mention", "M1")].fields == {f"note_t{k}": 9 for k in range(4)}


def test_concurrent_processes_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    Store(path)
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_write_many, args=(str(path), f"p{k}", 8)) for k in range(2)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(60)
        assert p.exitcode == 0
    store = Store(path)
    assert len(store.log()) == 2 * 8 * 2
    assert store.state()[(DOC, "mention", "M1")].fields == {"note_p0": 7, "note_p1": 7}
