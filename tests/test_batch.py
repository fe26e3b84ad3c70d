"""Batch runs: every file gets a row, results are stored per document, and the tables
do not depend on the engine, the worker count, or a run killed with SIGKILL and resumed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pyarrow as pa
import pytest

from pipeline import batch, engines, store, tables
from pipeline.records import DateRecord, Document, DocResult, Event, Mention, TreatyRecord

ROOT = Path(__file__).resolve().parents[1]
KOI8_SAFE = str.maketrans({"«": '"', "»": '"', "—": "-", "–": "-", "№": "N"})


def _pieces(text: str, n: int, lines: int = 8) -> list[str]:
    rows = [line for line in text.splitlines() if line.strip()]
    return ["\n".join(rows[k * lines : (k + 1) * lines]) + "\n" for k in range(n)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Path:
    """Nested folders of short prose in three encodings, plus junk."""
    root = tmp_path_factory.mktemp("archive")
    one, two, three, four, five = _pieces(seed_text, 5)
    files = {
        "глава_1.txt": one.encode("utf-8"),
        "1251/глава_2.txt": two.encode("cp1251"),
        "1251/глубже/глава_3.txt": three.encode("cp1251"),
        "koi8/глава_4.txt": four.translate(KOI8_SAFE).encode("koi8-r"),
        "utf8/bom/глава_5.txt": five.encode("utf-8-sig"),
        "пустой.txt": b"",
        "scan/page.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        ".hidden/notes.txt": "Скрытая заметка.".encode("utf-8"),
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted run with two worker processes."""
    out = tmp_path_factory.mktemp("reference")
    report = batch.run([corpus], out, workers=2)
    assert (report.processed, report.reused) == (7, 0)
    return out


def _assert_same_tables(a: Path, b: Path) -> None:
    """Equal tables as written (CSV and Parquet), but for the time each document took."""
    for name in tables.TABLES:
        for read in (_csv, _parquet):
            left, right = read(a, name), read(b, name)
            pd.testing.assert_frame_equal(left, right, obj=f"{name} ({read.__name__})")


def _csv(out: Path, name: str) -> pd.DataFrame:
    return tables.read(out)[name].drop(columns=["seconds"], errors="ignore")


def _parquet(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / f"{name}.parquet").drop(columns=["seconds"], errors="ignore")


def test_every_file_has_a_row_and_junk_an_error(reference: Path, corpus: Path) -> None:
    docs = tables.read(reference)["documents"].set_index("doc_id")
    assert sorted(docs.index) == sorted([
        "глава_1.txt", "1251/глава_2.txt", "1251/глубже/глава_3.txt", "koi8/глава_4.txt",
        "utf8/bom/глава_5.txt", "пустой.txt", "scan/page.png",
    ])
    junk = docs.loc[["пустой.txt", "scan/page.png"]]
    assert (junk["status"] != "ok").all() and (junk["error"] != "").all()
    texts = docs.drop(junk.index)
    assert (texts["status"] == "ok").all()
    assert texts.loc["1251/глава_2.txt", "encoding"] == "cp1251"
    assert texts.loc["koi8/глава_4.txt", "encoding"] == "koi8-r"
    mentions = tables.read(reference)["mentions"]
    for doc_id in texts.index:
        original = (corpus / doc_id).read_bytes().decode(texts.loc[doc_id, "encoding"])
        assert texts.loc[doc_id, "chars"] == len(original)
        found = mentions[mentions["doc_id"] == doc_id]
        assert len(found), f"no mentions in {doc_id}"
        assert all(original[s:e] == t for s, e, t in zip(found["start"], found["end"], found["text"]))


def test_rerun_reuses_stored_results_and_processes_only_new_texts(
    corpus: Path, reference: Path, tmp_path: Path, seed_text: str
) -> None:
    archive = tmp_path / "archive"
    subprocess.run(["cp", "-r", str(corpus), str(archive)], check=True)
    out = tmp_path / "out"
    first = batch.run([archive], out, workers=1)
    again = batch.run([archive], out, workers=1)
    assert (again.processed, again.reused) == (0, 7)
    pd.testing.assert_frame_equal(first.tables["mentions"], again.tables["mentions"])

    (archive / "новое.txt").write_text(_pieces(seed_text, 6)[5], encoding="utf-8")
    changed = "12 октября 1925 г. Германия заключила новое торговое соглашение с Советским Союзом.\n"
    (archive / "глава_1.txt").write_text(changed, encoding="utf-8")
    grown = batch.run([archive], out, workers=1)
    assert (grown.processed, grown.reused) == (2, 6)
    docs = grown.tables["documents"].set_index("doc_id")
    assert docs.loc["новое.txt", "status"] == "ok" and docs.loc["глава_1.txt", "chars"] == len(changed)
    mentions = grown.tables["mentions"]
    assert set(mentions[mentions["doc_id"] == "глава_1.txt"]["text"]) >= {"Германия"}


def test_oversized_file_gets_an_error_row_without_being_read(tmp_path: Path, seed_text: str) -> None:
    book = tmp_path / "book.txt"
    book.write_text(seed_text, encoding="utf-8")
    report = batch.run([book], tmp_path / "out", settings=batch.Settings(max_bytes=1000))
    row = report.tables["documents"].iloc[0]
    assert row["status"] == "error" and row["error"]
    assert batch.fingerprint(book, 1000) == (f"size:{book.stat().st_size}", book.stat().st_size)


def test_killed_run_resumes_to_the_same_tables(corpus: Path, reference: Path, tmp_path: Path) -> None:
    """``letopis run`` with two workers, SIGKILLed once a first result is stored, then
    resumed (here with one worker, in this process)."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "run", str(corpus), "-o", str(out), "--workers", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    docs = out / batch.STATE_DIR / "docs"
    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = []
    deadline = time.monotonic() + 120
    while not list(docs.glob(f"*{store.SUFFIX}")):
        assert run.poll() is None and time.monotonic() < deadline, "the run ended before storing anything"
        workers = psutil.Process(run.pid).children(recursive=True) or workers
        time.sleep(0.01)
    run.send_signal(signal.SIGKILL)
    run.wait()
    stored = len(list(docs.glob(f"*{store.SUFFIX}")))
    assert 0 < stored < 7, "the kill must land mid-run"
    assert not (out / "documents.csv").exists()
    psutil.wait_procs(workers, timeout=10)
    assert not [p for p in workers if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]

    resumed = batch.run([corpus], out, workers=1)
    assert (resumed.processed, resumed.reused) == (7 - stored, stored)
    _assert_same_tables(reference, out)


def test_dask_local_cluster_gives_the_same_tables(corpus: Path, reference: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    report = batch.run([corpus], tmp_path, workers=2, engine_name="dask")
    assert report.processed == 7
    _assert_same_tables(reference, tmp_path)


def _die_on_crash(task: str) -> str:
    if task == "crash":
        os._exit(3)
    return task.upper()


def _ready() -> None:
    """Nothing to load."""


def test_a_dying_worker_fails_only_its_own_document() -> None:
    pool = engines.ProcessPool(2, _die_on_crash, _ready)
    try:
        outcomes = dict(engines.stream(pool, ["один", "crash", "два", "три", "четыре"]))
    finally:
        pool.close()
    assert isinstance(outcomes.pop("crash"), engines.WorkerDied)
    assert outcomes == {"один": "ОДИН", "два": "ДВА", "три": "ТРИ", "четыре": "ЧЕТЫРЕ"}


# ---- per-document storage ----

def _result() -> DocResult:
    doc = "ru/1925.txt"
    return DocResult(
        Document(doc, "archive/ru/1925.txt", encoding="cp1251", chars=80, sha256="ab", seconds=0.25),
        mentions=[
            Mention(doc, "M1", "LOC", 19, 27, "Германия", "Германия", 0, "natasha", "A1", "STATE", "Германия"),
            Mention(doc, "M2", "LOC", 60, 76, "Советским Союзом", "Советский Союз", 0, "natasha",
                    "A2", "STATE", "СССР"),
        ],
        dates=[DateRecord(doc, "D1", 0, 18, "12 октября 1925 г.", "1925-10-12", "1925-10-12", "day")],
        doc_treaties=[TreatyRecord(doc, "T1", "soviet-german-trade-1925", "Советско-германское торговое соглашение",
                                   "соглашение", date_signed="1925-10-12", date_signed_source="text",
                                   parties=["Германия", "СССР"], parties_source=["text", "text"])],
        events=[Event(doc, "E1", "TREATY_SIGNING", "заключила", 28, 37, participants=["A1", "A2"])],
    )


def test_store_round_trips_records_and_builds_the_same_frames(tmp_path: Path) -> None:
    result, error = _result(), DocResult(Document("bad.bin", "bad.bin", status="error", error="binary"))
    docs = store.Store(tmp_path)
    manifest = store.Manifest("ru/1925.txt", "archive/ru/1925.txt", "ab", "v1")
    docs.put("k1", store.encode(result, manifest))
    docs.put("k2", store.encode(error, store.Manifest("bad.bin", "bad.bin", "cd", "v1")))
    assert docs.manifest("k1") == manifest and docs.manifest("missing") is None
    rows = docs.read(["k1", "k2"])
    assert store.records(rows, "doc_treaties") == result.doc_treaties
    frames = tables.document_frames(rows, ["mentions", "dates", "doc_treaties", "events", "relations"])
    expected = {"documents": [result.document, error.document], "mentions": result.mentions,
                "dates": result.dates, "doc_treaties": result.doc_treaties, "events": result.events,
                "relations": []}
    for name, records in expected.items():
        pd.testing.assert_frame_equal(frames[name], tables.records_frame(name, records), obj=name)
    assert frames["events"].loc[0, "participants"] == "A1|A2"


def test_a_document_written_block_by_block_reads_as_one_row(tmp_path: Path) -> None:
    result, manifest = _result(), store.Manifest("ru/1925.txt", "archive/ru/1925.txt", "ab", "v1")
    whole = store.encode(result, manifest)
    streamed, writer = _result(), store.Writer(manifest)
    later = streamed.mentions[1:], streamed.dates
    streamed.mentions, streamed.dates = streamed.mentions[:1], []
    writer(streamed)  # the first block: one mention
    assert streamed.mentions == [] and streamed.dates == []
    writer(streamed)  # a block with no records writes no row
    streamed.mentions, streamed.dates = list(later[0]), list(later[1])
    docs = store.Store(tmp_path)
    docs.put("whole", whole)
    docs.put("streamed", writer.finish(streamed))
    assert docs.manifest("streamed") == manifest
    assert docs.read(["streamed"]).equals(docs.read(["whole"]))
    assert docs.read(["whole", "streamed"]).num_rows == 2


def test_a_long_document_stores_what_it_stored_before(tmp_path: Path, seed_text: str) -> None:
    """``batch.work`` streams each block's records to the store; read back, they are the
    records of the same document extracted whole (only the time taken differs)."""
    from pipeline.document import Extractor

    path = tmp_path / "long.txt"
    path.write_text(seed_text[:6000], encoding="utf-8")
    settings = batch.Settings(block_chars=1500)
    done = batch.work(batch.Task(batch.Item(path, "long.txt"), "k", "c", path.stat().st_size), settings)
    whole = Extractor(block_chars=1500).file(path, "long.txt")
    docs = store.Store(tmp_path / "docs")
    docs.put("k", done.data)
    rows = docs.read(["k"])
    assert done.status == "ok" and rows.num_rows == 1
    assert pa.ipc.open_file(pa.BufferReader(done.data)).num_record_batches > 2  # written block by block
    for field in ("mentions", "dates", "relations", "events", "doc_treaties"):
        assert store.records(rows, field) == getattr(whole, field), field
    assert len(whole.mentions) > 10 and whole.dates and whole.document.paragraphs > 1
    stored = store.to_arrow([whole]).column("document").to_pylist()[0]
    assert rows.column("document").to_pylist()[0] | {"seconds": 0} == stored | {"seconds": 0}


def test_unreadable_store_file_counts_as_missing(tmp_path: Path) -> None:
    (tmp_path / f"k{store.SUFFIX}").write_bytes(b"half a file")
    assert store.Store(tmp_path).manifest("k") is None


def test_tables_are_sorted_by_document_whatever_the_order_of_results() -> None:
    first = _result()
    second = DocResult(Document("a.txt", "a.txt"), mentions=[
        Mention("a.txt", "M1", "PER", 0, 5, "Ленин", "Ленин", 0, "natasha", "A3", "PERSON", "Ленин")])
    forward, backward = batch.to_tables([first, second]), batch.to_tables([second, first])
    for name in tables.TABLES:
        pd.testing.assert_frame_equal(forward[name], backward[name], obj=name)
    assert list(forward["documents"]["doc_id"]) == ["a.txt", "ru/1925.txt"]
    assert list(forward["mentions"]["mention_id"]) == ["M1", "M1", "M2"]
    assert list(forward["actors"]["actor_id"]) == sorted(forward["actors"]["actor_id"])


def test_pipeline_version_follows_settings_and_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = batch.pipeline_version(batch.Settings())
    assert default == batch.pipeline_version(batch.Settings())
    assert default != batch.pipeline_version(batch.Settings(block_chars=5000))
    models = tmp_path / "models"
    (models / "dates").mkdir(parents=True)
    (models / "dates" / "months.csv").write_text("январь,1\n", encoding="utf-8")
    monkeypatch.setattr(batch, "MODELS", models)
    batch.pipeline_version.cache_clear()
    before = batch.pipeline_version(batch.Settings())
    (models / "dates" / "months.csv").write_text("январь,1\nфевраль,2\n", encoding="utf-8")
    batch.pipeline_version.cache_clear()
    assert batch.pipeline_version(batch.Settings()) != before
    batch.pipeline_version.cache_clear()


def test_letopisignore_keeps_a_folders_readme_out(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("README.md", "a.txt", "sub/README.md", "sub/b.txt", "notes.md"):
        (tmp_path / name).write_text("Текст.", encoding="utf-8")
    (tmp_path / ".letopisignore").write_text("# docs\nREADME.md\nnotes.*\n", encoding="utf-8")
    assert [item.doc_id for item in batch.walk([tmp_path])] == ["a.txt", "sub/b.txt"]


def test_the_shipped_corpus_is_only_texts() -> None:
    corpus = ROOT / "corpus"
    ids = [item.doc_id for item in batch.walk([corpus])]
    texts = sorted(str(path.relative_to(corpus)) for path in corpus.rglob("*.txt"))
    assert ids == texts and ids[0] == "000_a17717a12c9184be.txt"
    assert all(doc_id.endswith(".txt") for doc_id in ids)


def test_a_folder_without_letopisignore_gives_every_file(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("Текст.", encoding="utf-8")
    assert [item.doc_id for item in batch.walk([tmp_path])] == ["README.md"]
