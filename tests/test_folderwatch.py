"""The folder watcher: article files that change are noticed at once; other
files and hidden names are not; a folder that cannot be watched is reported."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from reader.folderwatch import FolderWatcher, network_file_system


class Notices:
    def __init__(self) -> None:
        self.paths: list[set[str]] = []
        self.errors: list[str] = []
        self.event = threading.Event()

    def changed(self, paths: set[str]) -> None:
        self.paths.append(paths)
        self.event.set()

    def failed(self, message: str) -> None:
        self.errors.append(message)
        self.event.set()

    def wait(self, seconds: float = 5.0) -> bool:
        got = self.event.wait(seconds)
        self.event.clear()
        return got

    @property
    def seen(self) -> set[str]:
        return set().union(*self.paths) if self.paths else set()


@pytest.fixture
def watched(tmp_path: Path):
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    notices = Notices()
    watcher = FolderWatcher(folder, notices.changed, notices.failed)
    watcher.start()
    time.sleep(0.3)  # the watch is set up in the thread
    yield folder, notices, watcher
    watcher.stop(wait=5)
    assert not watcher.running


def test_new_changed_and_removed_articles_are_noticed(watched) -> None:
    folder, notices, _ = watched
    (folder / "a.md").write_text("---\nid: a\n---\nText.\n", encoding="utf-8")
    assert notices.wait()
    assert "a.md" in notices.seen
    notices.paths.clear()
    with open(folder / "sub" / "b.md", "w", encoding="utf-8") as handle:
        handle.write("x")
    assert notices.wait()
    assert "sub/b.md" in notices.seen
    notices.paths.clear()
    (folder / "a.md").unlink()
    assert notices.wait()
    assert "a.md" in notices.seen
    assert not notices.errors


def test_a_folder_moved_away_is_noticed(watched, tmp_path: Path) -> None:
    folder, notices, _ = watched
    (folder / "sub" / "c.md").write_text("x", encoding="utf-8")
    assert notices.wait()
    notices.paths.clear()
    shutil.move(str(folder / "sub"), str(tmp_path / "elsewhere"))
    assert notices.wait()
    assert "sub" in notices.seen


def test_other_files_and_hidden_names_are_ignored(watched) -> None:
    folder, notices, _ = watched
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    (folder / ".draft.md").write_text("x", encoding="utf-8")
    (folder / ".cache").mkdir()
    (folder / ".cache" / "d.md").write_text("x", encoding="utf-8")
    (folder / "entities.yaml").write_text("entities: []\n", encoding="utf-8")
    assert not notices.wait(1.5)
    # And the watcher still works after ignoring them.
    (folder / "e.md").write_text("x", encoding="utf-8")
    assert notices.wait()
    assert notices.seen == {"e.md"}


def test_a_burst_of_files_comes_as_few_notices(watched) -> None:
    folder, notices, _ = watched
    for number in range(200):
        (folder / f"n{number}.md").write_text("x", encoding="utf-8")
    assert notices.wait()
    time.sleep(1.0)
    assert len(notices.seen) == 200
    assert len(notices.paths) <= 5


def test_a_folder_that_cannot_be_watched_is_reported(tmp_path: Path) -> None:
    notices = Notices()
    watcher = FolderWatcher(tmp_path / "gone", notices.changed, notices.failed)
    watcher.start()
    assert notices.wait()
    assert notices.errors and "\n" not in notices.errors[0]
    watcher.stop(wait=5)
    assert not watcher.running


def test_an_article_that_is_a_link_is_noticed(watched, tmp_path: Path) -> None:
    folder, notices, _ = watched
    target = tmp_path / "elsewhere.md"
    target.write_text("x", encoding="utf-8")
    (folder / "linked.md").symlink_to(target)
    assert notices.wait()
    assert "linked.md" in notices.seen


def test_removed_temporary_files_are_ignored(watched) -> None:
    folder, notices, _ = watched
    for name in ("draft.tmp", "notes~", ".a.md.swp", "4913", "video.crdownload"):
        (folder / name).write_text("x", encoding="utf-8")
    assert not notices.wait(1.0)
    for name in ("draft.tmp", "notes~", ".a.md.swp", "4913", "video.crdownload"):
        (folder / name).unlink()
    assert not notices.wait(1.0)


def test_a_folder_with_a_dot_moved_in_and_out_is_noticed(watched, tmp_path: Path) -> None:
    folder, notices, _ = watched
    outside = tmp_path / "2024.05"
    outside.mkdir()
    (outside / "may.md").write_text("x", encoding="utf-8")
    shutil.move(str(outside), str(folder / "2024.05"))
    assert notices.wait()
    assert "2024.05" in notices.seen
    notices.paths.clear()
    shutil.move(str(folder / "2024.05"), str(tmp_path / "back"))
    assert notices.wait()
    assert "2024.05" in notices.seen


def test_a_replaced_folder_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    notices = Notices()
    watcher = FolderWatcher(folder, notices.changed, notices.failed)
    watcher.start()
    time.sleep(0.3)
    folder.rename(tmp_path / "articles.old")
    folder.mkdir()  # another folder of the same name
    (tmp_path / "articles.old" / "b.md").write_text("x", encoding="utf-8")  # an event on the old one
    deadline = time.monotonic() + 5
    while not notices.errors and time.monotonic() < deadline:
        notices.wait(0.5)
    assert notices.errors == ["the folder was moved or replaced"]
    assert not notices.paths  # the old folder's file was not taken for one of the new
    watcher.stop(wait=5)


def test_a_removed_folder_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.md").write_text("x", encoding="utf-8")
    notices = Notices()
    watcher = FolderWatcher(folder, notices.changed, notices.failed)
    watcher.start()
    time.sleep(0.3)
    shutil.rmtree(folder)
    deadline = time.monotonic() + 5
    while not notices.errors and time.monotonic() < deadline:
        notices.wait(0.5)
    assert notices.errors == ["the folder was moved or replaced"]
    watcher.stop(wait=5)


def test_network_file_systems_are_recognised(tmp_path: Path) -> None:
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(
        "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"
        "40 22 0:50 / /mnt/news rw,relatime - nfs4 server:/export rw\n"
        "41 40 0:51 / /mnt/news/local rw,relatime - tmpfs tmpfs rw\n"
        "42 22 0:52 / /mnt/my\\040share rw,relatime - cifs //host/share rw\n"
        "43 22 0:53 / /mnt/tab\\011mount rw shared:5 - fuse.sshfs me@host:/ rw\n",
        encoding="utf-8")
    assert network_file_system(Path("/mnt/news/articles"), str(mountinfo)) == "nfs4"
    assert network_file_system(Path("/mnt/news/local/articles"), str(mountinfo)) is None  # the deeper mount wins
    assert network_file_system(Path("/mnt/my share/a"), str(mountinfo)) == "cifs"
    assert network_file_system(Path("/mnt/tab\tmount/a"), str(mountinfo)) == "fuse.sshfs"  # with optional fields
    assert network_file_system(Path("/home/me/articles"), str(mountinfo)) is None
    assert network_file_system(Path("/home"), str(tmp_path / "no-such-file")) is None
