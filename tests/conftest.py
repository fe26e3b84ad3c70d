"""Shared fixtures: where ../shared lives (seed gold, datasets), skipping cleanly without it."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_path() -> Path:
    return Path(os.environ.get("LETOPIS_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = shared_path()
    if not path.is_dir():
        pytest.skip(f"{path} is absent (seed gold and datasets live there)")
    return path


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (ROOT / "corpus" / "000_a17717a12c9184be.txt").read_text(encoding="utf-8")
