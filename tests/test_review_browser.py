"""End to end in a real headless Chromium: accept one mention, reject one, add one, reload,
then check the SQLite store and the exported CSV.

Needs Debian's ``chromium`` (``apt-get install chromium``; ``/usr/bin/chromium``, or
``LETOPIS_CHROMIUM``) and Playwright for Python (the ``dev`` extra); it never downloads
a browser, and skips, saying why, where either is missing. ``LETOPIS_SCREENSHOT=PATH``
writes the review page's screenshot there (the README's is ``docs/review.png``);
otherwise it goes to the test's temporary folder.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

import pandas as pd
import pytest

from pipeline.review import web
from pipeline.review.model import added_id
from pipeline.review.store import Store
from test_review import _doc, _missed, _run, real_run  # noqa: F401 - the session's real run

CHROMIUM = os.environ.get("LETOPIS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DECISIONS = "/api/decisions"

# select original-text offsets [start, end) in the page, as a reviewer's mouse would
SELECT = """([start, end]) => {
  const leaves = Array.from(document.querySelectorAll("#text span.t"));
  const at = (offset) => {
    for (const leaf of leaves) {
      const s = Number(leaf.dataset.s), chars = Array.from(leaf.textContent);
      if (s <= offset && offset <= s + chars.length) {
        return [leaf.firstChild, chars.slice(0, offset - s).join("").length];
      }
    }
    throw new Error("offset outside the text: " + offset);
  };
  const range = document.createRange();
  range.setStart(...at(start));
  range.setEnd(...at(end));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (Debian), or set LETOPIS_CHROMIUM")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright missing: pip install -e '.[dev]'")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def server(real_run: Path, tmp_path: Path) -> Iterator[tuple[str, Store]]:  # noqa: F811
    store = Store(tmp_path / "review.sqlite")
    httpd = web.server(_run(real_run), store, port=0, reviewer="браузер")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", store
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_review_in_chromium(browser, server, real_run: Path, tmp_path: Path) -> None:  # noqa: F811
    base, store = server
    doc = _doc(real_run)
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/doc?id={doc}")
    marks = page.locator("mark.m[data-kind=mention]")
    assert marks.count() == len(_run(real_run).tables["mentions"])
    accepted, rejected = marks.nth(0).get_attribute("data-id"), marks.nth(1).get_attribute("data-id")

    marks.nth(0).click()
    with page.expect_response(lambda r: DECISIONS in r.url and r.status == 200):
        page.keyboard.press("a")
    page.locator(f"#mention-{accepted}.s-accepted").wait_for()
    # accepting moved the selection on to the next mention: reject it
    assert "selected" in marks.nth(1).get_attribute("class")
    with page.expect_response(lambda r: DECISIONS in r.url and r.status == 200):
        page.keyboard.press("r")
    page.locator(f"#mention-{rejected}.s-rejected").wait_for()

    start, end = _missed(real_run)
    page.evaluate(SELECT, [start, end])
    page.select_option("#add-label", "ORG")
    with page.expect_navigation():  # the page reloads to draw the new span
        page.keyboard.press("s")
    added = added_id(doc, start, end, "ORG")
    page.locator(f"#mention-{added}.s-added").wait_for()
    assert "selected" in page.locator(f"#mention-{added}").get_attribute("class")

    page.reload()
    assert page.locator(f"#mention-{accepted}").get_attribute("data-status") == "accepted"
    assert page.locator(f"#mention-{rejected}").get_attribute("data-status") == "rejected"
    assert page.locator(f"#mention-{added}").get_attribute("data-status") == "added"
    text = _run(real_run).text(doc)
    assert page.locator(f"#mention-{added}").inner_text().startswith(text[start:end])
    page.locator(f"#mention-{accepted}").click()
    screenshot = Path(os.environ.get("LETOPIS_SCREENSHOT") or tmp_path / "review.png")
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000
    assert errors == []

    with sqlite3.connect(store.path) as db:
        log = db.execute("SELECT reviewer, action, target_id, at FROM decisions ORDER BY id").fetchall()
        state = dict(db.execute("SELECT target_id, status FROM state").fetchall())
    assert [(r, a, t) for r, a, t, _ in log] == [
        ("браузер", "accept", accepted), ("браузер", "reject", rejected), ("браузер", "add", added),
    ]
    assert all(at for *_, at in log)
    assert state == {accepted: "accepted", rejected: "rejected", added: "added"}

    from pipeline.review import formats

    formats.export(_run(real_run), store, "csv", tmp_path / "csv")
    mentions = pd.read_csv(tmp_path / "csv" / "mentions.csv", dtype=str, keep_default_na=False).set_index("mention_id")
    assert rejected not in mentions.index
    assert mentions.loc[accepted, "review_status"] == "accepted"
    assert (mentions.loc[added, "label"], mentions.loc[added, "text"], mentions.loc[added, "review_status"]) == (
        "ORG", text[start:end], "added")
    assert (mentions.drop([accepted, added])["review_status"] == "unreviewed").all()
