"""Fixtures for the pilot tests: a copy of the bundled corpus and a fresh index
in tmp_path (never the user's cache), and helpers to let workers finish and
to read what is on screen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.library import Library
from reader.ui.app import ReaderApp
from ui_helpers import ARTICLES



@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The bundled corpus and its index, built once; tests get copies."""
    root = tmp_path_factory.mktemp("built")
    folder = root / "articles"
    shutil.copytree(ARTICLES, folder)
    lib = Library(folder, root / "index")
    lib.update()
    lib.close()
    return folder, root / "index"


@pytest.fixture
def corpus(tmp_path: Path, built: tuple[Path, Path]) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(built[0], folder)  # copy2 keeps mtimes, so the index copy stays valid
    shutil.copytree(built[1], tmp_path / "index")
    return folder


@pytest.fixture
def library(corpus: Path, tmp_path: Path):
    lib = Library(corpus, tmp_path / "index")
    yield lib
    lib.close()


@pytest.fixture
def app(library: Library) -> ReaderApp:
    # The periodic folder check is driven by hand in the tests that need it.
    return ReaderApp(library, watch=False)
