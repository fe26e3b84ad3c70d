"""displaCy pictures: `letopis show` marks every kind of mention."""
from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app

TEXT = ("За этим соглашением последовало подписание 24 апреля 1926 г. в Берлине "
        "советско-германского договора о дружбе и взаимном нейтралитете.")


def test_show_draws_names_references_dates_treaties_and_events(tmp_path: Path) -> None:
    source, page = tmp_path / "t.txt", tmp_path / "t.html"
    source.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["show", str(source), "-o", str(page), "--trees"])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    for label in ("LOC: Берлин", "LOC: СССР", "LOC: Германия", "DATE", "TREATY", "EVENT"):
        assert label in html, label
    assert "<svg" in html  # the dependency trees
