"""The derived-data cache: a changed source is a new key, a damaged value is rebuilt,
an empty ``LETOPIS_CACHE`` turns it off, and what the pipeline caches round-trips."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import cache, gazetteer


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LETOPIS_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


class Builds:
    """A build function that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_a_value_is_built_once_then_read(folder: Path, tmp_path: Path) -> None:
    source = tmp_path / "source.csv"
    source.write_text("a,b\n", encoding="utf-8")
    build = Builds({"patterns": ("a", "b")})
    assert cache.cached("thing", build, [source]) == {"patterns": ("a", "b")}
    assert cache.cached("thing", build, [source]) == {"patterns": ("a", "b")}
    assert build.calls == 1
    assert [p.name.split("-")[0] for p in folder.iterdir()] == ["thing"]


def test_a_changed_source_gives_a_new_key_and_drops_the_old_value(folder: Path, tmp_path: Path) -> None:
    sources = tmp_path / "models"
    sources.mkdir()
    (sources / "names.csv").write_text("Москва\n", encoding="utf-8")
    before = cache.key("thing", [sources], ["pytest"])
    assert cache.cached("thing", Builds(1), [sources]) == 1
    (sources / "names.csv").write_text("Москва\nПетроград\n", encoding="utf-8")
    assert cache.key("thing", [sources], ["pytest"]) != before
    assert cache.key("thing", [sources], ["pytest", "no-such-package"]) != cache.key("thing", [sources], ["pytest"])
    assert cache.cached("thing", Builds(2), [sources]) == 2  # not the stale 1
    assert len(list(folder.glob(f"thing-*{cache.SUFFIX}"))) == 1


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05\x95"])
def test_a_damaged_value_is_rebuilt_and_rewritten(folder: Path, damage: bytes) -> None:
    cache.cached("thing", Builds(1))
    (path,) = folder.iterdir()
    path.write_bytes(damage)
    build = Builds(1)
    assert cache.cached("thing", build) == 1 and build.calls == 1
    assert cache.cached("thing", build) == 1 and build.calls == 1  # written again, whole


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LETOPIS_CACHE", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    build = Builds(1)
    cache.cached("thing", build), cache.cached("thing", build)
    assert cache.folder() is None and build.calls == 2
    assert not any(tmp_path.iterdir())


def test_the_default_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LETOPIS_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.folder() == tmp_path / "letopis"


def test_an_unwritable_folder_leaves_the_value_uncached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    monkeypatch.setenv("LETOPIS_CACHE", str(tmp_path / "file" / "cache"))
    assert cache.cached("thing", Builds(1)) == 1


def test_cached_gazetteer_patterns_equal_built_ones(folder: Path) -> None:
    built = gazetteer._ruler_patterns()
    first = cache.cached("gazetteer-patterns", gazetteer._ruler_patterns)
    read = cache.cached("gazetteer-patterns", Builds(None))  # type: ignore[arg-type]
    assert first == built and read == built
