"""A full or failing cache disk never gives a wrong answer: the reader answers
from a complete index, or indexes in memory and says so, never from an index
that was never finished.

Two ways to fill the disk: a real tmpfs mounted small (when this process may
mount one, as root can) and ``ENOSPC`` raised where Whoosh opens and commits
its files."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from proc_helpers import reader_cmd, subprocess_env
from reader.cli import main

ARTICLES = Path(__file__).resolve().parent.parent / "articles"


def write_articles(folder: Path, count: int, word: str) -> None:
    """``count`` small articles of our own, each naming ``word``."""
    folder.mkdir()
    for number in range(count):
        (folder / f"note-{number}.md").write_text(
            f"---\nid: note-{number}\ntitle: Harbour note {number}\n---\n"
            f"The ferry to {word} left at dawn, and note {number} records its cargo of tea.\n"
        )


def run_cli(capsys: pytest.CaptureFixture[str], folder: Path, index: Path, *args: str) -> tuple[int, str, list[str]]:
    code = main(["--articles", str(folder), "--index", str(index), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    lines = err.splitlines()
    assert all(line.startswith("reader: ") for line in lines), lines
    return code, out, lines


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of 96 KB: room for the index folder, not for a finished index."""
    mount_point = tmp_path / f"tmpfs-{uuid.uuid4().hex[:8]}"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root here")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.mark.timeout(120)
def test_a_full_tmpfs_cache_answers_every_match_from_memory_and_says_so(tmp_path: Path, small_tmpfs: Path) -> None:
    folder = tmp_path / "articles"
    write_articles(folder, 40, "Quaystone")
    index = small_tmpfs / "index"
    for _ in range(2):  # the second run finds the unfinished index left by the first
        result = subprocess.run(reader_cmd("--articles", folder, "--index", index, "search", "--json", "Quaystone"),
                                capture_output=True, text=True, timeout=90, env=subprocess_env())
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert json.loads(result.stdout)["total"] == 40
        assert "No space left on device" in result.stderr and "in memory" in result.stderr
        assert "last complete index" not in result.stderr


@pytest.mark.timeout(120)
def test_a_tmpfs_with_room_for_the_index_answers_from_it(tmp_path: Path, small_tmpfs: Path) -> None:
    # The same small disk, with a corpus whose index fits: answered from disk, no message.
    folder = tmp_path / "articles"
    write_articles(folder, 2, "Quaystone")
    index = small_tmpfs / "index"
    result = subprocess.run(reader_cmd("--articles", folder, "--index", index, "search", "--json", "Quaystone"),
                            capture_output=True, text=True, timeout=90, env=subprocess_env())
    assert result.returncode == 0 and json.loads(result.stdout)["total"] == 2
    assert "in memory" not in result.stderr and "No space" not in result.stderr
    assert (index / "reader-index.json").exists()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("where", ["opening-the-writer", "writing-a-segment", "committing"])
def test_enospc_on_a_new_index_answers_from_memory(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    import whoosh.filedb.filestore as filestore
    import whoosh.writing as writing

    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    index = tmp_path / "index"
    code, out, _ = run_cli(capsys, folder, index, "search", "--json", "Shanghai")
    assert code == 0
    expected = json.loads(out)["total"]
    assert expected >= 1
    shutil.rmtree(index)  # the next run starts with no index at all

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "opening-the-writer":
        real = filestore.FileStorage.create_file

        def create_file(self, name: str, *args: object, **kwargs: object):
            if name.endswith(".seg") or name.endswith(".trm") or "WRITELOCK" in name:
                full()
            return real(self, name, *args, **kwargs)

        # The empty table of contents is written; the writer's files are not.
        monkeypatch.setattr(filestore.FileStorage, "create_file", create_file)
    elif where == "writing-a-segment":
        real = filestore.FileStorage.create_file

        class FullDisk:
            """A file on a full disk: every write fails as the OS call would."""

            def __init__(self, file: object) -> None:
                self._file = file

            def write(self, data: bytes) -> int:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            def __getattr__(self, name: str) -> object:
                return getattr(self._file, name)

        def create_file(self, name: str, *args: object, **kwargs: object):
            handle = real(self, name, *args, **kwargs)
            if not name.endswith(".toc") and "WRITELOCK" not in name:
                handle.file = FullDisk(handle.file)
            return handle

        monkeypatch.setattr(filestore.FileStorage, "create_file", create_file)
    else:
        real_commit = writing.SegmentWriter.commit

        def commit(self, *args: object, **kwargs: object):
            if isinstance(self.storage, filestore.FileStorage):  # the disk is full, memory is not
                full()
            return real_commit(self, *args, **kwargs)

        monkeypatch.setattr(writing.SegmentWriter, "commit", commit)
    code, out, lines = run_cli(capsys, folder, index, "search", "--json", "Shanghai")
    assert code == 0 and json.loads(out)["total"] == expected
    assert any("No space left on device" in line and "in memory" in line for line in lines), lines
    assert not any("last complete index" in line for line in lines), lines
    code, out, lines = run_cli(capsys, folder, index, "list", "--json")
    assert code == 0 and len(json.loads(out)["articles"]) == len(list(folder.glob("*.md")))
    monkeypatch.undo()
    code, out, lines = run_cli(capsys, folder, index, "search", "--json", "Shanghai")
    assert code == 0 and json.loads(out)["total"] == expected
    assert not any("in memory" in line for line in lines), lines  # once there is room, the index is on disk
