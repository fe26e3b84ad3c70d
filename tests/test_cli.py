"""``letopis run``: files for Excel, a summary, plain progress lines off a terminal, exit status."""
from __future__ import annotations

import codecs
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from pipeline.cli import app

SENTENCE = "12 октября 1925 г. Германия заключила новое торговое соглашение с Советским Союзом.\n"


def test_run_writes_tables_and_a_summary_and_strict_fails_on_bad_files(tmp_path: Path) -> None:
    archive, out = tmp_path / "archive", tmp_path / "out"
    (archive / "1925").mkdir(parents=True)
    (archive / "1925" / "договор.txt").write_text(SENTENCE, encoding="cp1251")
    (archive / "скан.pdf").write_bytes(b"%PDF-1.4\n\x00\x01\x02\xff" * 64)
    runner = CliRunner()

    first = runner.invoke(app, ["run", str(archive), "-o", str(out), "--workers", "1", "--excel"])
    assert first.exit_code == 0, first.output
    assert "letopis: 2 documents: 0 already done, 2 to process" in first.stderr  # plain lines, no bar
    assert "2 documents (1 error, 1 ok; 2 processed, 0 already done)" in first.stderr
    assert "error" in first.stderr and "скан.pdf" in first.stderr
    assert (out / "documents.csv").read_bytes().startswith(codecs.BOM_UTF8)
    mentions = pd.read_csv(out / "mentions.csv", encoding="utf-8-sig")
    assert "Германия" in set(mentions["text"])
    assert set(pd.read_parquet(out / "mentions.parquet")["text"]) == set(mentions["text"])

    strict = runner.invoke(app, ["run", str(archive), "-o", str(out), "--workers", "1", "--strict"])
    assert strict.exit_code == 1
    assert "0 processed, 2 already done" in strict.stderr
    assert not (out / "documents.csv").read_bytes().startswith(codecs.BOM_UTF8)


def test_run_rejects_an_unknown_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", str(tmp_path), "--engine", "spark"])
    assert result.exit_code == 2
