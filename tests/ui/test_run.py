"""reader.ui.app.run: a one-line error and exit code 2 instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ui.app import css_path, run


def test_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path / "nowhere", tmp_path / "index") == 2
    err = capsys.readouterr().err
    assert err.startswith("reader: ") and err.count("\n") == 1


def test_malformed_entity_list(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (corpus / "entities.yaml").write_text("entities:\n  - id: [unclosed\n", encoding="utf-8")
    assert run(corpus, tmp_path / "index2") == 2
    err = capsys.readouterr().err
    assert err.startswith("reader: ") and "entities.yaml" in err and err.count("\n") == 1


def test_stylesheet_is_found() -> None:
    path = css_path()
    assert path.is_file() and path.name == "reader.tcss"
    assert "kind--person" in path.read_text(encoding="utf-8")
