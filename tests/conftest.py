"""Shared fixtures for the test suite.

Every test that writes works on a copy of the bundled articles in ``tmp_path``
and keeps its index in ``tmp_path`` too. The user cache folder (where an index
goes when no ``--index`` is given) is pointed at a temporary folder for the
whole session and for each test, so no test can write to the real one, even by
accident; READER_ARTICLES and READER_INDEX from the caller's shell are ignored.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

try:
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "reader",
        deadline=None,  # the machine may be busy: a slow example is not a failure
        max_examples=100,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "reader"))
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass

ARTICLES = Path(__file__).resolve().parent.parent / "articles"

_SESSION_CACHE = Path(tempfile.mkdtemp(prefix="reader-test-cache-"))


def pytest_configure(config: pytest.Config) -> None:
    os.environ["XDG_CACHE_HOME"] = str(_SESSION_CACHE)
    os.environ["XDG_DATA_HOME"] = str(_SESSION_CACHE / "data")
    os.environ.pop("READER_STATE", None)
    # Tests edit articles in place and ask at once: every command checks the
    # whole folder. The quick check of a recent one has its own tests
    # (tests/test_quick_check.py), which set its window themselves.
    os.environ["READER_CHECK_SECONDS"] = "0"
    os.environ.pop("READER_ARTICLES", None)
    os.environ.pop("READER_INDEX", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_CACHE, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    # The reading state is the user's work: tests keep theirs in their own folder.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("READER_STATE", raising=False)
    monkeypatch.delenv("READER_ARTICLES", raising=False)
    monkeypatch.delenv("READER_INDEX", raising=False)


@pytest.fixture
def articles_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled articles folder."""
    dest = tmp_path / "articles"
    shutil.copytree(ARTICLES, dest)
    return dest


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"
