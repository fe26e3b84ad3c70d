"""Shared fixtures: where ../shared lives (seed gold, datasets), skipping cleanly without it.

``LETOPIS_SHARED`` points elsewhere; otherwise the nearest ``shared`` folder
beside the project or one of its parents (so git worktrees find it too).
Tests that use ``shared_dir`` also carry ``@pytest.mark.shared``.

Derived data (``pipeline.cache``) goes to a folder of the session, removed at
its end: tests never write to the user's ~/.cache, and build and then read the
cached values themselves.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """Before test modules are imported, so that nothing reaches the user's cache first."""
    os.environ["LETOPIS_CACHE"] = tempfile.mkdtemp(prefix="letopis-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop("LETOPIS_CACHE", ""), ignore_errors=True)


def shared_path() -> Path:
    env = os.environ.get("LETOPIS_SHARED")
    if env:
        return Path(env)
    candidates = [parent / "shared" for parent in ROOT.parents]
    return next((c for c in candidates if c.is_dir()), ROOT.parent / "shared")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = shared_path()
    if not path.is_dir():
        pytest.skip(f"shared data not found at {path} (set LETOPIS_SHARED)")
    return path


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (ROOT / "corpus" / "000_a17717a12c9184be.txt").read_text(encoding="utf-8")
