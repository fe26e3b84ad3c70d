"""The ``shared_dir`` fixture: ../shared (seed gold, datasets) beside the project.

Tests that use it should also carry ``@pytest.mark.shared``; they skip when the
directory is absent. ``LETOPIS_SHARED`` points elsewhere (e.g. from a git worktree).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest


def shared_path() -> Path:
    env = os.environ.get("LETOPIS_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = shared_path()
    if not path.is_dir():
        pytest.skip(f"shared data not found at {path} (set LETOPIS_SHARED)")
    return path
