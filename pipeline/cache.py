"""Derived data kept between runs, so that a cold start does not recompute it.

Building the pipeline derives data that costs more to compute than to load:
the gazetteer's lemma patterns (pymorphy3 over every name), the treaty base's
lemma index, Natasha's models (their vocabularies are rebuilt word by word).
``cached`` keeps such a value in ``$XDG_CACHE_HOME/letopis`` (``~/.cache/letopis``;
``LETOPIS_CACHE`` names another folder, or none when empty) under a key that
hashes everything it is derived from: the source files and data folders given,
the versions of the packages given, and Python's. A changed input gives a new
key, so a stale value is never read. Nothing here is committed; the folder is
always safe to delete.

Values are pickles, read only from this folder, which is created private to
the user (anyone who can write there could run code as the user anyway).
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import pickle
import sys
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")

SUFFIX = ".pickle"


def folder() -> Path | None:
    """Where cached values live, or None when caching is off (``LETOPIS_CACHE=``)."""
    configured = os.environ.get("LETOPIS_CACHE")
    if configured is not None:
        return Path(configured) if configured else None
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "letopis"


def tree_digest(digest: "hashlib._Hash", root: Path) -> None:
    """Add a file, or every file under a folder (names and contents), to ``digest``."""
    paths = sorted(root.rglob("*")) if root.is_dir() else [root]
    for path in paths:
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            name = path.relative_to(root).as_posix() if path != root else path.name
            digest.update(name.encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())


def package_versions(digest: "hashlib._Hash", names: Iterable[str]) -> None:
    """Add the installed version of each package (or its absence) to ``digest``."""
    for name in names:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{name}={version}".encode("utf-8"))


def key(name: str, sources: Iterable[Path | str], packages: Iterable[str]) -> str:
    """The cache key of ``name`` derived from ``sources`` with ``packages`` installed."""
    digest = hashlib.sha256(f"{name}\0{sys.implementation.cache_tag}\0{sys.version}".encode("utf-8"))
    for source in sources:
        tree_digest(digest, Path(source))
    package_versions(digest, packages)
    return digest.hexdigest()[:16]


def cached(name: str, build: Callable[[], T], sources: Iterable[Path | str] = (),
           packages: Iterable[str] = ()) -> T:
    """``build()``, or the value it gave before from the same sources and packages.

    Any failure to read (missing, truncated, from another version of a class)
    means building again; any failure to write leaves the value uncached."""
    root = folder()
    if root is None:
        return build()
    path = root / f"{name}-{key(name, sources, packages)}{SUFFIX}"
    try:
        with path.open("rb") as file:
            return pickle.load(file)
    except Exception:  # noqa: BLE001 - missing, damaged or foreign, whatever it raises: built and written over
        pass
    value = build()
    _store(path, name, value)
    return value


def _store(path: Path, name: str, value: object) -> None:
    """Write atomically (temporary file, then rename) and drop this name's stale values."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tmp.open("wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        for old in path.parent.glob(f"{name}-*{SUFFIX}"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:  # a read-only or missing place: the run goes on uncached
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
