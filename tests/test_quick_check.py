"""A reading command's quick check of the folder: a full check made in the
last seconds answers while no folder's time has changed, so new, deleted and
renamed files are always seen, and an article edited in place by the next
full check."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from reader import index as index_module
from reader.library import Library
from proc_helpers import reader_cmd, subprocess_env

ARTICLES = Path(__file__).resolve().parent.parent / "articles"


def article(folder: Path, name: str, word: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(f"---\nid: {name}\ntitle: About {word}\n---\nA note on {word}.\n", "utf-8")
    return path


@pytest.fixture(autouse=True)
def window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window users get (the suite's other tests close it)."""
    monkeypatch.setattr(index_module, "FULL_CHECK_SECONDS", 10.0)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "articles"
    shutil.copytree(ARTICLES, dest)
    (dest / "sub").mkdir()
    article(dest / "sub", "nested", "zebras")
    return dest


def fresh(folder: Path, tmp_path: Path) -> Library:
    """A new library, as a new command makes."""
    return Library(folder, tmp_path / "index")


def bump(path: Path) -> None:
    """The folder's clock ticks coarsely on some file systems: let it move on
    before the next change."""
    time.sleep(0.02)


def test_a_recent_full_check_answers_until_a_folder_changes(folder: Path, tmp_path: Path) -> None:
    lib = fresh(folder, tmp_path)
    assert not lib.update(quick=True).quick  # no check made yet: a full one
    lib.close()
    lib = fresh(folder, tmp_path)
    assert lib.update(quick=True).quick  # the files are not looked at
    assert lib.search("zebras").total == 1
    lib.close()

    bump(folder)
    article(folder, "added", "giraffes")  # a new file changes its folder's time
    lib = fresh(folder, tmp_path)
    report = lib.update(quick=True)
    assert not report.quick and report.added == 1
    assert lib.search("giraffes").total == 1
    lib.close()

    bump(folder)
    article(folder / "sub", "deeper", "okapis")  # in a subfolder
    lib = fresh(folder, tmp_path)
    report = lib.update(quick=True)
    assert report.added == 1 and lib.search("okapis").total == 1
    lib.close()

    bump(folder)
    (folder / "added.md").rename(folder / "renamed.md")
    lib = fresh(folder, tmp_path)
    report = lib.update(quick=True)
    assert not report.quick and lib.search("giraffes").hits[0].path == "renamed.md"
    lib.close()

    bump(folder)
    (folder / "sub" / "nested.md").unlink()
    lib = fresh(folder, tmp_path)
    lib.update(quick=True)
    assert lib.search("zebras").total == 0
    lib.close()


def test_an_article_edited_in_place_is_seen_by_the_next_full_check(folder: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "FULL_CHECK_SECONDS", 0.5)
    lib = fresh(folder, tmp_path)
    lib.update()
    lib.close()
    path = folder / "sub" / "nested.md"
    mtime = os.stat(folder / "sub").st_mtime_ns
    with open(path, "a", encoding="utf-8") as handle:  # in place: the folder's time stays
        handle.write("Now also about walruses.\n")
    assert os.stat(folder / "sub").st_mtime_ns == mtime
    lib = fresh(folder, tmp_path)
    assert lib.update(quick=True).quick
    assert lib.search("walruses").total == 0  # within the window: not yet seen
    lib.close()
    time.sleep(0.6)
    lib = fresh(folder, tmp_path)
    report = lib.update(quick=True)
    assert not report.quick and report.updated == 1
    assert lib.search("walruses").total == 1
    lib.close()


def test_no_window_means_a_full_check_every_time(folder: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "FULL_CHECK_SECONDS", 0)
    lib = fresh(folder, tmp_path)
    lib.update()
    assert not lib.update(quick=True).quick
    lib.close()


def test_a_command_without_quick_always_looks_at_the_files(folder: Path, tmp_path: Path) -> None:
    lib = fresh(folder, tmp_path)
    lib.update()
    with open(folder / "sub" / "nested.md", "a", encoding="utf-8") as handle:
        handle.write("And hippos.\n")
    report = lib.update()  # `reader index`, the reader's own updates
    assert not report.quick and report.updated == 1
    lib.close()


def test_the_command_line_s_reading_commands_check_quickly(folder: Path, tmp_path: Path) -> None:
    """Real processes: a search trusts the check of the command before it,
    until a folder changes."""
    env = subprocess_env(READER_CHECK_SECONDS="30", READER_STATE=str(tmp_path / "state.sqlite3"))
    base = reader_cmd("--articles", folder, "--index", tmp_path / "index")

    def search(word: str) -> int:
        done = subprocess.run([*base, "search", word, "--json"], env=env, capture_output=True, text=True, timeout=120)
        assert "Traceback" not in done.stderr
        return json.loads(done.stdout)["total"]

    assert search("zebras") == 1  # builds the index, and notes the check
    with open(folder / "sub" / "nested.md", "a", encoding="utf-8") as handle:
        handle.write("Walruses too.\n")
    assert search("walruses") == 0  # edited in place within the window: the last check answers
    bump(folder)
    article(folder, "more", "narwhals")  # a new file: the folder's time changes
    assert search("narwhals") == 1
    assert search("walruses") == 1  # that full check saw the edit too


def test_a_torn_check_file_only_costs_a_full_check(folder: Path, tmp_path: Path) -> None:
    lib = fresh(folder, tmp_path)
    lib.update()
    (tmp_path / "index" / index_module.FOLDER_CHECK_FILE).write_text('{"generation": ', "utf-8")
    assert not lib.update(quick=True).quick
    assert lib.update(quick=True).quick  # written again by that full check
    lib.close()
