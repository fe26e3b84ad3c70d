"""Batch runs: walk the inputs, extract every document in parallel, keep each
result on disk, and build the tables from what is kept.

A run over ``OUT`` stores one file per document in ``OUT/.letopis/docs``
(``store.py``) as soon as the document is done, keyed by its path and doc id,
with its content hash and the pipeline version. Running again with the same
``OUT`` reuses every stored result whose content and version still match, so a
killed run resumes and a grown archive only costs its new texts; the tables
are always rebuilt from the stored results of the current inputs, sorted by
doc id, so they do not depend on the engine, the worker count or on resuming.

Workers load the models once (process initializer, Dask worker plugin) and
run ``work`` — one document in, its encoded result out. Only the main process
writes to ``OUT``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Protocol, Sequence

import pyarrow as pa

from . import cache, engines, store
from .engines import Engine
from .records import DocResult, Document

if TYPE_CHECKING:  # spaCy and the models load in workers only, pandas at the end of a run
    import pandas as pd

    from .document import Extractor

try:  # one run per output folder at a time; POSIX only
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

STATE_DIR = ".letopis"
PACKAGE = Path(__file__).resolve().parent
MODELS = PACKAGE.parent / "models"  # lexicons, gazetteers, reference bases
# corpus-level tables: resolved across documents, not concatenated
CORPUS_TABLES = ("actors", "treaties")
# installed packages whose upgrade can change what is extracted
MODEL_PACKAGES = ("natasha", "slovnet", "navec", "razdel", "pymorphy3", "pymorphy3-dicts-ru", "spacy")


@dataclass(frozen=True, slots=True)
class Item:
    """One input file and the id its rows carry."""

    path: Path
    doc_id: str


IGNORE_FILE = ".letopisignore"


def _ignored(root: Path) -> list[str]:
    """Glob patterns of ``root/.letopisignore`` (one per line, ``#`` comments):
    files a folder holds that are not inputs, such as its README."""
    path = root / IGNORE_FILE
    if not path.is_file():
        return []
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def walk(inputs: Sequence[Path]) -> list[Item]:
    """Every file under ``inputs``: a file's doc id is its path relative to the folder
    given (its name when given directly); hidden files and those matching the
    folder's ``.letopisignore`` patterns are skipped; ids stay unique."""
    items: list[Item] = []
    seen: set[str] = set()
    for root in inputs:
        root = Path(root)
        if root.is_dir():
            patterns = _ignored(root)
            files = sorted(
                p for p in root.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
            )
            pairs = [
                (p, rel) for p in files
                for rel in [p.relative_to(root).as_posix()]
                if not any(fnmatch(rel, pat) or fnmatch(p.name, pat) for pat in patterns)
            ]
        else:
            pairs = [(root, root.name)]
        for path, doc_id in pairs:
            unique, n = doc_id, 1
            while unique in seen:
                n += 1
                unique = f"{doc_id}#{n}"
            seen.add(unique)
            items.append(Item(path, unique))
    return items


# ---- tables ----

def build_tables(docs: pa.Table) -> dict[str, pd.DataFrame]:
    """Stored results (one row per document, ``store`` layout) → the SPEC tables:
    per-document tables concatenated by doc id and record order, corpus-level ones resolved.
    (pandas is imported here, not by workers or before the first document.)"""
    import pyarrow.compute as pc

    from . import resolve, tables

    fields = {f.name for f in dataclasses.fields(DocResult)}
    names = [name for name in tables.SCHEMAS if name in fields and name not in CORPUS_TABLES]
    order = pc.sort_indices(pc.struct_field(docs["document"], "doc_id"))
    out = tables.document_frames(docs.take(order), names)
    out["actors"] = resolve.actors(out["mentions"])
    out["treaties"] = resolve.treaties(out["doc_treaties"])
    return out


def to_tables(results: Iterable[DocResult]) -> dict[str, pd.DataFrame]:
    """Per-document records → the SPEC tables, corpus-level ones resolved."""
    return build_tables(store.to_arrow(results))


def process(items: Sequence[Item], extractor: Extractor | None = None) -> Iterator[DocResult]:
    """Extract ``items`` one by one in this process."""
    from .document import Extractor

    extractor = extractor or Extractor()
    for item in items:
        yield extractor.file(item.path, item.doc_id)


# ---- what a result depends on ----

@dataclass(frozen=True, slots=True)
class Settings:
    """Extractor settings of a run (None: ``Extractor``'s default): what a worker
    needs to build its extractor, and part of the pipeline version."""

    block_chars: int | None = None
    max_bytes: int | None = None

    def extractor_options(self) -> dict[str, int]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@lru_cache(maxsize=None)
def pipeline_version(settings: Settings) -> str:
    """A hash of everything a stored result depends on besides the input: the code of
    this package, ``models/``, the NLP packages' versions and the settings. Any change
    makes stored results stale, so they are recomputed rather than silently reused."""
    from . import __version__

    digest = hashlib.sha256(__version__.encode("utf-8"))
    for root in (PACKAGE, MODELS):
        cache.tree_digest(digest, root)
    cache.package_versions(digest, MODEL_PACKAGES)
    digest.update(json.dumps(dataclasses.asdict(settings), sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:16]


def fingerprint(path: Path, max_bytes: int | None) -> tuple[str, int]:
    """A file's content id and size. The id is the sha256 of its bytes; for a file
    too large to be read, its size (which alone decides its error row); empty when
    the file cannot be read at all."""
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            return f"size:{size}", size
        digest = hashlib.sha256()
        with path.open("rb") as file:
            while chunk := file.read(2**20):
                digest.update(chunk)
        return digest.hexdigest(), size
    except OSError:
        return "", 0


# ---- the work of one document ----

@dataclass(frozen=True, slots=True)
class Task:
    item: Item
    key: str
    content: str
    size: int


@dataclass(frozen=True, slots=True)
class Done:
    """What a worker sends back: the stored form of the result, and a summary."""

    data: bytes
    version: str
    status: str
    chars: int


@lru_cache(maxsize=4)
def _extractor(settings: Settings) -> Extractor:
    from .document import Extractor

    return Extractor(**settings.extractor_options())


def warm_up(settings: Settings) -> None:
    """Load the models and caches a worker needs, once, before its first document."""
    _extractor(settings).text("Москва.")
    pipeline_version(settings)


def work(task: Task, settings: Settings) -> Done:
    """Extract one document (in a worker) and encode its result for the store, block
    by block (``store.Writer``); a document that failed half-way keeps no records."""
    version = pipeline_version(settings)
    manifest = store.Manifest(task.item.doc_id, str(task.item.path), task.content, version)
    writer = store.Writer(manifest)
    result = _extractor(settings).file(task.item.path, task.item.doc_id, on_block=writer)
    doc = result.document
    data = writer.finish(result) if doc.status == "ok" else store.encode(result, manifest)
    return Done(data, version, doc.status, doc.chars)


@contextmanager
def engine(name: str, workers: int, settings: Settings, scheduler: str | None = None) -> Iterator[Engine]:
    """The engine that runs ``work`` for a run: local (this process for one worker,
    else a process pool) or dask."""
    fn, ready, preload = partial(work, settings=settings), partial(warm_up, settings), ["pipeline.preload"]
    if name == "dask":
        from .dask_engine import DaskEngine

        running: Engine = DaskEngine(workers, fn, ready, scheduler, preload)
    elif name == "local":
        running = engines.ProcessPool(workers, fn, ready, preload) if workers > 1 else engines.InProcess(fn, ready)
    else:
        raise ValueError(f"unknown engine {name!r} (local, dask)")
    try:
        yield running
    finally:
        running.close()


# ---- a run ----

class Progress(Protocol):
    def start(self, documents: int, reused: int, size: int) -> None: ...
    def advance(self, task: Task, done: Done | None) -> None: ...
    def finish(self) -> None: ...


@dataclass(slots=True)
class Report:
    """What a run did: the tables, and how many documents it processed or reused."""

    tables: dict[str, pd.DataFrame]
    processed: int = 0
    reused: int = 0
    seconds: float = 0.0


@contextmanager
def _lock(state: Path) -> Iterator[None]:
    """Hold ``state/lock`` for the run, so two runs never share an output folder."""
    state.mkdir(parents=True, exist_ok=True)
    with open(state / "lock", "w") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RuntimeError(f"another letopis run is writing to {state.parent}") from None
        yield


def plan(items: Sequence[Item], docs: store.Store, settings: Settings) -> tuple[list[Task], list[Task]]:
    """Split ``items`` into the tasks to run (largest first) and those already stored."""
    version = pipeline_version(settings)
    todo, stored = [], []
    for item in items:
        task = Task(item, store.key(item.doc_id, str(item.path)), *fingerprint(item.path, settings.max_bytes))
        wanted = store.Manifest(item.doc_id, str(item.path), task.content, version)
        (stored if docs.manifest(task.key) == wanted else todo).append(task)
    todo.sort(key=lambda t: -t.size)
    return todo, stored


def run(
    inputs: Sequence[Path],
    out: Path,
    *,
    workers: int = 1,
    engine_name: str = "local",
    scheduler: str | None = None,
    excel: bool = False,
    settings: Settings = Settings(),
    progress: Progress | None = None,
) -> Report:
    """Process ``inputs`` into ``out``: every document not already stored, then the tables."""
    started = time.perf_counter()
    out = Path(out)
    state = out / STATE_DIR
    docs = store.Store(state / "docs")
    with _lock(state):
        docs.clean()
        inside = out.resolve()
        items = [i for i in walk(inputs) if not i.path.resolve().is_relative_to(inside)]
        todo, stored = plan(items, docs, settings)
        failed: dict[str, DocResult] = {}  # documents without a stored result this run
        if progress:
            progress.start(len(items), len(stored), sum(t.size for t in todo))
        try:
            if todo:
                version = pipeline_version(settings)
                with engine(engine_name, workers, settings, scheduler) as running:
                    for task, outcome in engines.stream(running, todo):
                        done = _keep(task, outcome, version, docs, failed)
                        if progress:
                            progress.advance(task, done)
        finally:
            if progress:
                progress.finish()
        kept = store.to_arrow(failed.values())
        keys = [store.key(i.doc_id, str(i.path)) for i in items]
        from . import tables  # pandas: only once the documents are done

        result = build_tables(pa.concat_tables([docs.read([k for k in keys if k not in failed]), kept]))
        tables.write(result, out, excel=excel)
    return Report(result, processed=len(todo), reused=len(stored), seconds=time.perf_counter() - started)


def _keep(task: Task, outcome: Done | BaseException, version: str, docs: store.Store,
          failed: dict[str, DocResult]) -> Done | None:
    """Store a finished document; one that failed outside ``Extractor.file`` (a dead
    worker, a worker running other code) gets an error row but is not stored, so the
    next run tries it again."""
    if isinstance(outcome, BaseException):
        error = f"{type(outcome).__name__}: {outcome}"
    elif outcome.version != version:
        error = f"the worker runs another letopis (pipeline version {outcome.version}, here {version})"
    else:
        docs.put(task.key, outcome.data)
        return outcome
    document = Document(task.item.doc_id, str(task.item.path), status="error", error=error)
    failed[task.key] = DocResult(document)
    return None
