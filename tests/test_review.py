"""Review workflow over real runs: the web app, its safety, exports, imports, gold and agreement."""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline import batch, evaluate, resolve, scorecard, tables
from pipeline.cli import app
from pipeline.records import DateRecord, Document, Event, Mention, Relation, stable_id
from pipeline.review import formats, overlay, web
from pipeline.review.agreement import span_agreement
from pipeline.review.formats import brat as brat_format
from pipeline.review.run import ReviewRun
from pipeline.review.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "000_a17717a12c9184be.txt"


# ---- runs ---------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _real_run(base: Path) -> Path:
    """letopis run over the seed text's first three paragraphs (kept short for speed)."""
    source = base / "corpus" / SEED.name
    source.parent.mkdir(parents=True)
    paragraphs = SEED.read_text(encoding="utf-8").split("\n\n")
    source.write_text("\n\n".join(paragraphs[:3]), encoding="utf-8")
    out = base / "out"
    batch.run([source.parent], out)
    return out


@pytest.fixture(scope="session")
def real_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _real_run(tmp_path_factory.getbasetemp() / "review-real-run")


HAND_TEXT = (
    "12 октября 1925 г. Германия заключила торговое соглашение с Советским Союзом.\n"
    "В 1926 г. в Берлине был подписан договор о нейтралитете."
)


def _at(phrase: str) -> tuple[int, int]:
    start = HAND_TEXT.index(phrase)
    return start, start + len(phrase)


@pytest.fixture(scope="session")
def hand_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run's tables written by hand for two real sentences, with dates, treaties, an
    event and relations: what the review does with them does not wait for those components."""
    base = tmp_path_factory.mktemp("review-hand-run")
    source = base / "hand.txt"
    source.write_bytes(HAND_TEXT.encode("utf-8"))
    doc = "hand.txt"
    ger, su, ber = (stable_id("A", "STATE", "Германия"), stable_id("A", "STATE", "СССР"),
                    stable_id("A", "LOCATION", "Берлин"))
    spans = [
        ("M1", "DATE", "12 октября 1925 г.", "D1", "", ""), ("M2", "LOC", "Германия", ger, "STATE", "Германия"),
        ("M3", "TREATY", "торговое соглашение", "T1", "", ""),
        ("M4", "LOC", "Советским Союзом", su, "STATE", "СССР"), ("M5", "DATE", "1926 г.", "D2", "", ""),
        ("M6", "LOC", "Берлине", ber, "LOCATION", "Берлин"), ("M7", "EVENT", "подписан", "E1", "", ""),
        ("M8", "TREATY", "договор о нейтралитете", "T2", "", ""),
    ]
    mentions = [Mention(doc, m, label, *_at(text), text, canonical or text, 0 if _at(text)[0] < 80 else 1,
                        "hand", ref, actor_type, canonical) for m, label, text, ref, actor_type, canonical in spans]
    dates = [DateRecord(doc, "D1", *_at("12 октября 1925 г."), "12 октября 1925 г.", "1925-10-12", "1925-10-12", "day"),
             DateRecord(doc, "D2", *_at("1926 г."), "1926 г.", "1926-01-01", "1926-12-31", "year", sentence_id=1)]
    event = Event(doc, "E1", "TREATY_SIGNING", "подписан", *_at("подписан"), "1926-01-01", "1926-12-31", ber,
                  [ger], "T2", HAND_TEXT.split("\n")[1], 1)
    relations = [Relation(doc, ger, "PARTICIPANT_IN", "E1", *_at("подписан"), "hand"),
                 Relation(doc, "E1", "TAKES_PLACE_IN", ber, *_at("подписан"), "hand"),
                 Relation(doc, "E1", "POINT_IN_TIME", "D2", *_at("подписан"), "hand"),
                 Relation(doc, ger, "PARTY_TO", "T1", *_at("Германия заключила торговое соглашение"), "hand")]
    document = Document(doc, str(source), encoding="utf-8", chars=len(HAND_TEXT),
                        sha256=hashlib.sha256(source.read_bytes()).hexdigest())
    out_tables = {
        "documents": tables.records_frame("documents", [document]),
        "mentions": tables.records_frame("mentions", mentions),
        "dates": tables.records_frame("dates", dates),
        "events": tables.records_frame("events", [event]),
        "relations": tables.records_frame("relations", relations),
        "treaties": tables.frame("treaties", [
            {"treaty_id": "T1", "name": "Торговое соглашение", "kind": "соглашение", "parties": ["Германия", "СССР"],
             "n_mentions": 1},
            {"treaty_id": "T2", "name": "Берлинский договор", "kind": "договор", "date_signed": "1926-04-24",
             "place": "Берлин", "parties": ["Германия", "СССР"], "n_mentions": 1},
        ]),
    }
    out_tables["actors"] = resolve.actors(out_tables["mentions"])
    tables.write(out_tables, base / "out")
    return base / "out"


# ---- talking to the server ------------------------------------------------------------------


class Client:
    def __init__(self, port: int) -> None:
        self.port = port

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read().decode("utf-8")
            kind = response.getheader("Content-Type", "")
            return response.status, json.loads(data) if kind.startswith("application/json") else data
        finally:
            connection.close()

    def decide(self, **decision: Any) -> tuple[int, Any]:
        body = json.dumps(decision).encode("utf-8")
        return self.request("POST", "/api/decisions", body, {"Content-Type": "application/json"})

    def mentions(self, doc_id: str) -> dict[str, dict[str, Any]]:
        status, data = self.request("GET", "/api/document?id=" + doc_id)
        assert status == 200
        return {m["mention_id"]: m for m in data["mentions"]}


@lru_cache(maxsize=None)
def _run(out: Path) -> ReviewRun:
    """A run read once: its tables do not change under the tests."""
    return ReviewRun(out)


@contextmanager
def serving(out: Path, db: Path, reviewer: str = "тестер") -> Iterator[Client]:
    httpd = web.server(_run(out), Store(db), port=0, reviewer=reviewer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Client(httpd.server_port)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


class _TextOfPage(HTMLParser):
    """The original text as the page writes it: the contents of its ``span.t`` leaves."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []
        self.marks: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "span" and a.get("class") == "t":
            self.depth = 1
        if tag == "mark":
            self.marks.append({k: v or "" for k, v in a.items()})

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self.depth = 0

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def _doc(out: Path) -> str:
    return _run(out).doc_ids[0]


def _other(label: str) -> str:
    """A label to correct ``label`` to."""
    return "ORG" if label != "ORG" else "PER"


def _wider(text: str, start: int, end: int) -> tuple[int, int]:
    """The span grown by at least one more non-space character on the right."""
    end += 1
    while end < len(text) and text[end - 1].isspace():
        end += 1
    return start, end


def _missed(out: Path) -> tuple[int, int]:
    """A span the run did not find, followed by a space (the test selects it with the space)."""
    text = _run(out).text(_doc(out))
    m = _mentions(out)
    for word in ("рейхсвер", "империалистическими бандитами", "дипломатической изоляции", "тесные связи"):
        start = text.index(word)
        end = start + len(word)
        if text[end].isspace() and not ((m["start"] < end) & (m["end"] > start)).any():
            return start, end
    raise AssertionError("every candidate was found by the run")


def _mentions(out: Path) -> pd.DataFrame:
    return _run(out).tables["mentions"]


# ---- the web app ------------------------------------------------------------------------------


def test_document_view_shows_the_original_text_with_every_mention(real_run: Path, tmp_path: Path) -> None:
    doc = _doc(real_run)
    mentions = _mentions(real_run)
    assert len(mentions) >= 10
    with serving(real_run, tmp_path / "r.sqlite") as client:
        status, page = client.request("GET", "/doc?id=" + doc)
        list_status, listing = client.request("GET", "/")
    assert status == 200 and list_status == 200 and doc in listing
    parsed = _TextOfPage()
    parsed.feed(page)
    original = _run(real_run).text(doc)
    assert "".join(parsed.parts) == original
    shown = {(m["data-id"], m["data-label"], int(m["data-start"]), int(m["data-end"])) for m in parsed.marks}
    assert shown == set(zip(mentions["mention_id"], mentions["label"], mentions["start"], mentions["end"]))


def test_decisions_persist_and_apply(real_run: Path, tmp_path: Path) -> None:
    doc = _doc(real_run)
    m = _mentions(real_run).set_index("mention_id")
    first, second, third, fourth = m.index[:4]
    original = _run(real_run).text(doc)
    start, end = _missed(real_run)
    wider = _wider(original, int(m.loc[fourth, "start"]), int(m.loc[fourth, "end"]))
    new_label = _other(m.loc[third, "label"])
    db = tmp_path / "r.sqlite"
    with serving(real_run, db) as client:
        assert client.decide(doc_id=doc, kind="mention", target_id=first, action="accept")[1]["status"] == "accepted"
        assert client.decide(doc_id=doc, kind="mention", target_id=second, action="reject")[1]["status"] == "rejected"
        status, answer = client.decide(doc_id=doc, kind="mention", target_id=third, action="edit",
                                       payload={"label": new_label})
        assert (status, answer["status"]) == (200, "edited")
        client.decide(doc_id=doc, kind="mention", target_id=fourth, action="edit",
                      payload={"start": wider[0], "end": wider[1]})
        # a selection with a trailing space is trimmed
        status, added = client.decide(doc_id=doc, kind="mention", target_id="", action="add",
                                      payload={"label": "ORG", "start": start, "end": end + 1})
        assert status == 200 and added["status"] == "added"
        assert client.decide(reviewer="борис", doc_id=doc, kind="mention", target_id="", action="add",
                             payload={"label": "ORG", "start": start, "end": end})[0] == 409
        shown = client.mentions(doc)
    assert [shown[x]["review_status"] for x in (first, second, third, fourth)] == ["accepted", "rejected", "edited", "edited"]
    assert shown[fourth]["text"] == original[wider[0]:wider[1]]
    assert shown[added["target_id"]]["text"] == original[start:end]

    store = Store(db)
    assert [x.decision.action for x in store.log()] == ["accept", "reject", "edit", "edit", "add"]
    assert {x.decision.reviewer for x in store.log()} == {"тестер"}
    final = overlay.final(overlay.apply(_run(real_run).tables, store.state()))["mentions"]
    assert second not in set(final["mention_id"])
    relabelled = final[final["mention_id"] == third].iloc[0]
    assert relabelled["label"] == new_label
    assert relabelled["ref_id"] == stable_id("A", relabelled["actor_type"], relabelled["canonical"])
    new = final[final["mention_id"] == added["target_id"]].iloc[0]
    assert (new["label"], new["text"], new["review_status"], new["source"]) == ("ORG", original[start:end], "added", "review")


def test_marking_a_document_reviewed_accepts_what_is_left(real_run: Path, tmp_path: Path) -> None:
    doc = _doc(real_run)
    first = _mentions(real_run)["mention_id"].iloc[0]
    with serving(real_run, tmp_path / "r.sqlite") as client:
        client.decide(doc_id=doc, kind="mention", target_id=first, action="reject")
        assert client.decide(doc_id=doc, kind="document", target_id=doc, action="done")[0] == 200
        shown = client.mentions(doc)
        listing = client.request("GET", "/")[1]
    statuses = {m["review_status"] for k, m in shown.items() if k != first}
    assert shown[first]["review_status"] == "rejected" and statuses == {"accepted"}
    assert "reviewed" in listing


@pytest.mark.parametrize("method, path, body, headers, status", [
    ("GET", "/doc?id=nothing.txt", None, {}, 404),
    ("GET", "/doc", None, {}, 400),
    ("GET", "/api/document?id=..%2F..%2Fetc%2Fpasswd", None, {}, 404),
    ("GET", "/static/../../../etc/passwd", None, {}, 400),
    ("GET", "/static/..%2F..%2Fetc%2Fpasswd", None, {}, 400),
    ("GET", "/etc/passwd", None, {}, 404),
    ("GET", "/api/decisions", None, {}, 405),
    ("POST", "/api/decisions", b"{\"doc_id\": ", {"Content-Type": "application/json"}, 400),
    ("POST", "/api/decisions", b"[1, 2]", {"Content-Type": "application/json"}, 400),
    ("POST", "/api/decisions", b"{\"a\": NaN}", {"Content-Type": "application/json"}, 400),
    ("POST", "/api/decisions", b"x" * (web.MAX_BODY + 1), {"Content-Type": "application/json"}, 413),
    ("POST", "/api/decisions", b"{}", {"Content-Type": "text/plain"}, 415),
    ("GET", "/", None, {"Host": "evil.example:80"}, 403),
    ("POST", "/api/decisions", b"{}", {"Content-Type": "application/json", "Origin": "http://evil.example"}, 403),
])
def test_bad_requests_get_clear_4xx(real_run: Path, tmp_path: Path, method: str, path: str, body: bytes | None,
                                    headers: dict[str, str], status: int) -> None:
    with serving(real_run, tmp_path / "r.sqlite") as client:
        got, answer = client.request(method, path, body, headers)
    assert got == status
    assert answer["error"] if isinstance(answer, dict) else f"<h1>{status}</h1>" in answer


@pytest.mark.parametrize("decision, status", [
    ({"doc_id": "nothing.txt", "kind": "mention", "target_id": "M1", "action": "accept"}, 404),
    ({"kind": "mention", "target_id": "M999999", "action": "accept"}, 404),
    ({"kind": "actor", "target_id": "A0000000000", "action": "edit", "payload": {"name": "X"}}, 404),
    ({"kind": "spaceship", "target_id": "M1", "action": "accept"}, 400),
    ({"kind": "mention", "target_id": "M1", "action": "launch"}, 400),
    ({"kind": "mention", "target_id": "M1", "action": "edit", "payload": {"label": "GPE"}}, 422),
    ({"kind": "mention", "target_id": "M1", "action": "edit", "payload": {"start": -5}}, 422),
    ({"kind": "mention", "target_id": "M1", "action": "edit", "payload": {"start": "1"}}, 422),
    ({"kind": "mention", "target_id": "M1", "action": "accept", "payload": {"sneaky": 1}}, 422),
    ({"kind": "mention", "target_id": "M1", "action": "accept", "reviewer": "x" * 65}, 400),
    ({"kind": "mention", "target_id": "M1", "action": "accept", "extra": 1}, 400),
    ({"kind": "mention", "target_id": "../etc", "action": "add", "payload": {"label": "PER", "start": 0, "end": 3}}, 422),
])
def test_bad_decisions_are_refused_and_not_logged(real_run: Path, tmp_path: Path, decision: dict, status: int) -> None:
    db = tmp_path / "r.sqlite"
    with serving(real_run, db) as client:
        got, answer = client.decide(**{"doc_id": _doc(real_run), **decision})
    assert got == status and answer["error"]
    assert Store(db).log() == []


def test_killing_the_server_loses_no_acknowledged_decision(real_run: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    doc = _doc(real_run)
    ids = list(_mentions(real_run)["mention_id"].iloc[:5])
    server = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "review", str(real_run), "--port", "0", "--db", str(db)],
        cwd=ROOT, stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "200"},
    )
    try:
        line = server.stderr.readline()
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1))
        client = Client(port)
        for mention_id in ids:
            assert client.decide(doc_id=doc, kind="mention", target_id=mention_id, action="accept")[0] == 200
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(30)
        server.stderr.close()
    state = Store(db).state()
    assert {k[2] for k in state} == set(ids)


def test_two_reviewers_at_once_lose_nothing(real_run: Path, tmp_path: Path) -> None:
    doc = _doc(real_run)
    ids = list(_mentions(real_run)["mention_id"])
    db = tmp_path / "r.sqlite"
    with serving(real_run, db) as client:
        def work(reviewer: str, targets: list[str]) -> None:
            for target in targets:
                assert client.decide(reviewer=reviewer, doc_id=doc, kind="mention", target_id=target,
                                     action="accept")[0] == 200
        threads = [threading.Thread(target=work, args=("анна", ids[0::2])),
                   threading.Thread(target=work, args=("борис", ids[1::2]))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    store = Store(db)
    assert len(store.log()) == len(ids)
    assert {k[2]: v.reviewer for k, v in store.state().items()} == {
        t: "анна" if i % 2 == 0 else "борис" for i, t in enumerate(ids)
    }


# ---- actors, dates, treaties and events -------------------------------------------------------------


def test_actor_merge_split_and_rename(hand_run: Path, tmp_path: Path) -> None:
    ger, su = stable_id("A", "STATE", "Германия"), stable_id("A", "STATE", "СССР")
    with serving(hand_run, tmp_path / "r.sqlite") as client:
        assert client.decide(doc_id="hand.txt", kind="actor", target_id=su, action="edit",
                             payload={"name": "Советский Союз"})[0] == 200
        assert client.decide(doc_id="hand.txt", kind="actor", target_id=ger, action="merge",
                             payload={"into": su})[0] == 200
        assert client.decide(doc_id="hand.txt", kind="actor", target_id=su, action="merge",
                             payload={"into": ger})[0] == 409
        applied = overlay.apply(_run(hand_run).tables, Store(tmp_path / "r.sqlite").state())
        assert set(applied["mentions"].loc[applied["mentions"]["mention_id"].isin(["M2", "M4"]), "ref_id"]) == {su}
        actors = applied["actors"].set_index("actor_id")
        assert ger not in actors.index and actors.loc[su, "name"] == "Советский Союз"
        assert actors.loc[su, "aliases"] == "Германия|СССР"
        assert applied["events"]["participants"].iloc[0] == su
        status, _ = client.decide(doc_id="hand.txt", kind="actor", target_id=su, action="split",
                                  payload={"mentions": ["M2"], "name": "Германия", "type": "STATE"})
        assert status == 200
    applied = overlay.apply(_run(hand_run).tables, Store(tmp_path / "r.sqlite").state())
    refs = applied["mentions"].set_index("mention_id")["ref_id"]
    assert (refs["M2"], refs["M4"]) == (ger, su)


def test_date_event_and_treaty_corrections(hand_run: Path, tmp_path: Path) -> None:
    ger, su, ber = (stable_id("A", "STATE", "Германия"), stable_id("A", "STATE", "СССР"),
                    stable_id("A", "LOCATION", "Берлин"))
    with serving(hand_run, tmp_path / "r.sqlite") as client:
        ok = lambda **d: client.decide(doc_id="hand.txt", **d)[0]  # noqa: E731
        assert ok(kind="date", target_id="D2", action="edit", payload={"value_start": "1926-04-24",
                  "value_end": "1926-04-24", "granularity": "day"}) == 200
        assert ok(kind="date", target_id="D2", action="edit", payload={"value_start": "1926-13-01"}) == 422
        assert ok(kind="date", target_id="D1", action="edit",
                  payload={"value_start": "1925-12-01", "value_end": "1925-01-01"}) == 422
        assert ok(kind="mention", target_id="M1", action="reject") == 200
        assert ok(kind="event", target_id="E1", action="edit",
                  payload={"participants": [ger, su], "place": "", "date_start": "1926-04-24",
                           "date_end": "1926-04-24"}) == 200
        assert ok(kind="event", target_id="E1", action="edit", payload={"type": "PICNIC"}) == 422
        assert ok(kind="event", target_id="E1", action="edit", payload={"participants": ["A0000000000"]}) == 404
        assert ok(kind="treaty", target_id="T1", action="reject") == 200
        assert ok(kind="treaty", target_id="T2", action="edit", payload={"place": "Берлин", "parties": ["СССР"]}) == 200
        assert ok(kind="treaty", target_id="T9", action="accept") == 404
    reviewed = overlay.final(overlay.apply(_run(hand_run).tables, Store(tmp_path / "r.sqlite").state()))
    dates = reviewed["dates"].set_index("date_id")
    assert list(dates.index) == ["D2"]  # D1 went with its DATE mention
    assert (dates.loc["D2", "value_start"], dates.loc["D2", "granularity"], dates.loc["D2", "review_status"]) == (
        "1926-04-24", "day", "edited")
    event = reviewed["events"].iloc[0]
    assert set(event["participants"].split("|")) == {ger, su}
    assert (event["place"], event["date_start"]) == ("", "1926-04-24")
    relations = set(zip(reviewed["relations"]["head_id"], reviewed["relations"]["relation"], reviewed["relations"]["tail_id"]))
    assert relations == {(ger, "PARTICIPANT_IN", "E1"), (su, "PARTICIPANT_IN", "E1"), ("E1", "POINT_IN_TIME", "D2")}
    treaties = reviewed["treaties"].set_index("treaty_id")
    assert list(treaties.index) == ["T2"] and treaties.loc["T2", "parties"] == "СССР"
    assert ber not in set(reviewed["relations"]["tail_id"])


def test_panels_show_dates_treaties_events(hand_run: Path, tmp_path: Path) -> None:
    with serving(hand_run, tmp_path / "r.sqlite") as client:
        status, page = client.request("GET", "/doc?id=hand.txt")
    assert status == 200
    for expected in ("1925-10-12 … 1925-10-12", "Берлинский договор", "TREATY_SIGNING", "Советским Союзом",
                     'data-kind="date" data-id="D2"', 'data-kind="event" data-id="E1"'):
        assert expected in page


def test_a_review_made_on_another_extraction_is_refused(hand_run: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    with serving(hand_run, db) as client:
        assert client.decide(doc_id="hand.txt", kind="mention", target_id="M2", action="accept")[0] == 200
    changed = tmp_path / "changed"
    t = tables.read(hand_run)
    t["mentions"] = t["mentions"][t["mentions"]["mention_id"] != "M3"]
    tables.write(t, changed)
    with serving(changed, db) as client:
        status, answer = client.decide(doc_id="hand.txt", kind="mention", target_id="M4", action="accept")
        page_status, _ = client.request("GET", "/doc?id=hand.txt")
    assert (status, page_status) == (409, 409) and "another extraction" in answer["error"]
    report = formats.export(ReviewRun(changed), Store(db), "csv", tmp_path / "csv")
    assert report.warnings and (pd.read_csv(tmp_path / "csv" / "mentions.csv")["review_status"] == "unreviewed").all()


# ---- exports and imports ----------------------------------------------------------------------------


def _review(out: Path, db: Path, *, done: bool) -> dict[str, Any]:
    """A small review of the first document: accept, reject, relabel, re-bound, add."""
    doc = _doc(out)
    m = _mentions(out)
    ids = list(m["mention_id"])
    text = _run(out).text(doc)
    start, end = _missed(out)
    with serving(out, db) as client:
        client.decide(doc_id=doc, kind="mention", target_id=ids[0], action="accept")
        client.decide(doc_id=doc, kind="mention", target_id=ids[1], action="reject")
        client.decide(doc_id=doc, kind="mention", target_id=ids[2], action="edit",
                      payload={"label": _other(m["label"].iloc[2])})
        wider = _wider(text, int(m["start"].iloc[3]), int(m["end"].iloc[3]))
        client.decide(doc_id=doc, kind="mention", target_id=ids[3], action="edit",
                      payload={"start": wider[0], "end": wider[1]})
        added = client.decide(doc_id=doc, kind="mention", target_id="", action="add",
                              payload={"label": "ORG", "start": start, "end": end})[1]["target_id"]
        if done:
            client.decide(doc_id=doc, kind="document", target_id=doc, action="done")
    return {"doc": doc, "ids": ids, "added": added, "text": text[start:end], "label": _other(m["label"].iloc[2])}


def _decisions(store: Store) -> dict:
    return {k: (v.status, v.added, v.fields) for k, v in store.state().items()}


def test_csv_and_parquet_carry_the_review(real_run: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    r = _review(real_run, db, done=False)
    result = CliRunner().invoke(app, ["export", str(real_run), "--format", "csv", "-o", str(tmp_path / "csv"),
                                      "--db", str(db)])
    assert result.exit_code == 0, result.output
    formats.export(_run(real_run), Store(db), "parquet", tmp_path / "pq")
    for read in (lambda n: tables.read(tmp_path / "csv")[n], lambda n: pd.read_parquet(tmp_path / "pq" / f"{n}.parquet")):
        mentions = read("mentions").set_index("mention_id")
        assert r["ids"][1] not in mentions.index
        assert mentions.loc[r["ids"][0], "review_status"] == "accepted"
        assert mentions.loc[r["ids"][2], "label"] == r["label"]
        assert mentions.loc[r["ids"][2], "review_status"] == "edited"
        assert (mentions.loc[r["added"], "text"], mentions.loc[r["added"], "review_status"]) == (r["text"], "added")
        assert set(mentions["review_status"]) == {"accepted", "edited", "added", "unreviewed"}
        assert read("documents")["review_status"].tolist() == ["in_progress"]
        assert "review_status" in read("actors") and "review_status" in read("relations")


@pytest.mark.parametrize("fmt", ["labelstudio", "brat"])
@pytest.mark.parametrize("done", [True, False])
def test_round_trip_gives_identical_decisions(real_run: Path, tmp_path: Path, fmt: str, done: bool) -> None:
    first = Store(tmp_path / "first.sqlite")
    _review(real_run, first.path, done=done)
    run = _run(real_run)
    formats.export(run, first, fmt, tmp_path / fmt)
    source = tmp_path / fmt / ("tasks.json" if fmt == "labelstudio" else "")
    second = Store(tmp_path / "second.sqlite")
    result = CliRunner().invoke(app, ["import", str(source), "--into", str(real_run), "--db", str(second.path),
                                      "--reviewer", "импорт"])
    assert result.exit_code == 0, result.output
    assert _decisions(second) == _decisions(first)
    assert {x.decision.reviewer for x in second.log()} == {"импорт"}
    again = formats.import_(source, run, second)
    assert again.decisions == 0 and not again.warnings


def test_labelstudio_tasks_and_an_annotation_made_in_label_studio(real_run: Path, tmp_path: Path) -> None:
    run = _run(real_run)
    formats.export(run, Store(tmp_path / "empty.sqlite"), "labelstudio", tmp_path / "ls")
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    assert "<Labels name=\"label\" toName=\"text\">" in (tmp_path / "ls" / "label_config.xml").read_text()
    (task,) = tasks
    assert "annotations" not in task  # nobody reviewed it: predictions only
    text = task["data"]["text"]
    predicted = task["predictions"][0]["result"]
    for item in predicted:
        v = item["value"]
        assert (item["type"], item["from_name"], item["to_name"]) == ("labels", "label", "text")
        assert text[v["start"]:v["end"]] == v["text"] and len(v["labels"]) == 1
    # a Label Studio user drops the first region, relabels the second, draws a new one
    start, end = _missed(real_run)
    new_label = _other(predicted[1]["value"]["labels"][0])
    result = [dict(r) for r in predicted[1:]]
    result[0] = {**result[0], "value": {**result[0]["value"], "labels": [new_label]}}
    result.append({"id": "xYz12AbC", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": start, "end": end, "text": text[start:end], "labels": ["ORG"]}})
    task["annotations"] = [{"id": 1, "completed_by": {"email": "anna@example.org"}, "result": result,
                            "was_cancelled": False}]
    (tmp_path / "back.json").write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    store = Store(tmp_path / "r.sqlite")
    report = formats.import_(tmp_path / "back.json", run, store)
    assert not report.warnings
    state = store.state()
    doc = task["data"]["doc_id"]
    assert state[(doc, "mention", predicted[0]["id"])].status == "rejected"
    assert state[(doc, "mention", predicted[1]["id"])].fields == {"label": new_label}
    assert {v.status for k, v in state.items() if k[1] == "mention"} == {"rejected", "edited", "accepted", "added"}
    assert state[(doc, "document", doc)].status == "reviewed"
    assert {x.decision.reviewer for x in store.log()} == {"labelstudio:anna@example.org"}


def test_labelstudio_offsets_count_utf16(tmp_path: Path) -> None:
    from pipeline.review.formats.labelstudio import Offsets

    text = "𝔊 Германия и 𝔖𝔖𝔖𝔖 СССР"
    offsets = Offsets(text)
    for i in range(len(text) + 1):
        j = offsets.to_utf16(i)
        assert j == len(text[:i].encode("utf-16-le")) // 2 and offsets.from_utf16(j) == i


def test_brat_collection_and_edits_made_in_brat(real_run: Path, tmp_path: Path) -> None:
    run = _run(real_run)
    dest = tmp_path / "brat"
    formats.export(run, Store(tmp_path / "empty.sqlite"), "brat", dest)
    doc = _doc(real_run)
    stem = doc.removesuffix(".txt")
    assert (dest / f"{stem}.txt").read_bytes().decode("utf-8") == run.text(doc)
    spans, _ = evaluate.read_brat(dest)  # evaluate's reader sees every mention
    m = _mentions(real_run)
    assert sorted(zip(spans["start"], spans["end"], spans["label"])) == sorted(zip(m["start"], m["end"], m["label"]))
    assert "[entities]" in (dest / "annotation.conf").read_text() and "bgColor:#aa9cfc" in (dest / "visual.conf").read_text()
    # nothing touched: importing changes nothing
    assert formats.import_(dest, run, Store(tmp_path / "r0.sqlite")).decisions == 0
    # a brat user deletes T1, relabels T2 and draws a span without a note
    ann = dest / f"{stem}.ann"
    lines = ann.read_text(encoding="utf-8").splitlines()
    notes = dict(re.findall(r"^#\d+\tAnnotatorNotes (T\d+)\tletopis:(\S+)", "\n".join(lines), re.M))
    label = {x.split("\t")[0]: x.split("\t")[1].split()[0] for x in lines if x.startswith("T")}
    lines = [x for x in lines if not x.startswith("T1\t")]
    lines = [re.sub(r"^(T2\t)\S+", r"\g<1>" + _other(label["T2"]), x) for x in lines]
    start, end = _missed(real_run)
    lines.append(f"T999\tORG {start} {end}\t{run.text(doc)[start:end]}")
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = Store(tmp_path / "r.sqlite")
    report = formats.import_(dest, run, store, reviewer="brat-user")
    assert not report.warnings
    state = store.state()
    assert state[(doc, "mention", notes["T1"])].status == "rejected"
    assert state[(doc, "mention", notes["T2"])].fields == {"label": _other(label["T2"])}
    added = [v for k, v in state.items() if v.added]
    assert len(added) == 1 and added[0].fields["text"] == run.text(doc)[start:end]
    assert state[(doc, "document", doc)].status == "reviewed"
    assert {x.decision.reviewer for x in store.log()} == {"brat-user"}


def test_brat_spans_across_line_breaks_become_fragments() -> None:
    text = "Со-\nветская Россия"
    assert brat_format.fragments(text, 0, len(text)) == [(0, 3), (4, len(text))]


def test_doccano_jsonl(hand_run: Path, tmp_path: Path) -> None:
    formats.export(_run(hand_run), Store(tmp_path / "r.sqlite"), "doccano", tmp_path / "dc")
    (line,) = [json.loads(x) for x in (tmp_path / "dc" / "doccano.jsonl").read_text(encoding="utf-8").splitlines()]
    assert line["text"] == HAND_TEXT and len(line["entities"]) == 8
    by_id = {e["id"]: e for e in line["entities"]}
    for e in line["entities"]:
        assert HAND_TEXT[e["start_offset"]:e["end_offset"]]
    relations = {(by_id[r["from_id"]]["letopis_id"], r["type"], by_id[r["to_id"]]["letopis_id"])
                 for r in line["relations"]}
    assert relations == {("M2", "PARTICIPANT_IN", "M7"), ("M7", "TAKES_PLACE_IN", "M6"), ("M7", "POINT_IN_TIME", "M5"),
                         ("M2", "PARTY_TO", "M3")}


def test_gold_from_review_is_what_evaluate_reads(hand_run: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    with serving(hand_run, db) as client:
        client.decide(doc_id="hand.txt", kind="mention", target_id="M6", action="reject")  # Берлин is not wanted
        client.decide(doc_id="hand.txt", kind="date", target_id="D2", action="edit", payload={"qualifier": "approx"})
        client.decide(doc_id="hand.txt", kind="document", target_id="hand.txt", action="done")
    gold_dir = tmp_path / "gold"
    result = CliRunner().invoke(app, ["export", str(hand_run), "-f", "gold", "-o", str(gold_dir), "--db", str(db)])
    assert result.exit_code == 0, result.output
    gold_set = scorecard.load(gold_dir)
    (gold,) = gold_set.documents
    assert gold_set.texts == {"hand.txt": HAND_TEXT}
    assert {a["name"] for a in gold["actors"]} == {"Германия", "СССР"}
    assert [(d["value_start"], d["qualifier"]) for d in gold["dates"]] == [("1925-10-12", ""), ("1926-01-01", "approx")]
    raw = json.loads((gold_dir / "hand.json").read_text(encoding="utf-8"))  # GOLD.md fields evaluate does not score
    assert raw["events"][0]["evidence"] == HAND_TEXT.split("\n")[1] and raw["events"][0]["place"] == ""
    assert {t["kind"] for t in raw["treaties"]} == {"соглашение", "договор"}
    assert [d["granularity"] for d in raw["dates"]] == ["day", "year"]
    # the run, scored against its own review: Берлин is the one spurious actor
    actors = evaluate.evaluate_documents(tables.read(hand_run), gold_set.documents).score("actors")
    assert (actors["tp"], actors["fp"], actors["fn"]) == (2, 1, 0)
    result = CliRunner().invoke(app, ["evaluate", str(gold_dir), "--run", str(hand_run)])
    assert result.exit_code == 0 and "actors" in result.output
    spans, texts = evaluate.read_brat(gold_dir / "brat")
    assert len(spans) == 7 and texts == {"hand.txt": HAND_TEXT}


def test_agreement_between_two_reviewers_is_span_f1(real_run: Path, tmp_path: Path) -> None:
    doc = _doc(real_run)
    ids = list(_mentions(real_run)["mention_id"])
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    with serving(real_run, a) as client:
        client.decide(doc_id=doc, kind="document", target_id=doc, action="done")
    with serving(real_run, b) as client:
        client.decide(doc_id=doc, kind="mention", target_id=ids[0], action="reject")
        client.decide(doc_id=doc, kind="document", target_id=doc, action="done")
    scores, docs = span_agreement(_run(real_run), Store(a), Store(b))
    strict = scores[(scores["mode"] == "strict") & (scores["label"] == "ALL")].iloc[0]
    n = len(ids)
    assert docs == [doc] and (strict["tp"], strict["fp"], strict["fn"]) == (n - 1, 0, 1)
    assert strict["f1"] == pytest.approx(2 * (n - 1) / (2 * n - 1))
    result = CliRunner().invoke(app, ["agreement", str(real_run), str(a), str(b)])
    assert result.exit_code == 0 and "| strict | ALL |" in result.output
