"""A live corpus: r re-scans, the folder watcher picks up new and changed files
at once, and a folder that cannot be watched is checked every few seconds."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from reader.ui.app import SAFETY_POLL_SECONDS, WATCH_SECONDS, ReaderApp

from ui_helpers import SIZE, screen_text, settle


def write(folder: Path, article_id: str, title: str, body: str = "Elon Musk visited Shanghai.") -> None:
    (folder / f"{article_id}.md").write_text(
        f"---\nid: {article_id}\ntitle: {title}\ndate: 2030-01-01\n---\n{body}\n", encoding="utf-8")


async def test_rescan_key_adds_new_article(app: ReaderApp, corpus: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        write(corpus, "fresh-news", "Fresh news from the future")
        await pilot.press("r")
        await settle(pilot)
        assert "fresh-news" in {row.id for row in app.table.rows}
        assert "6 articles" in screen_text(app)
        assert "Fresh news from the future" in screen_text(app)  # newest first


async def test_periodic_check_picks_up_changes(app: ReaderApp, corpus: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        write(corpus, "watched", "Found without a key press")
        app.check_folder()  # what the interval timer calls
        await settle(pilot)
        assert "watched" in {row.id for row in app.table.rows}
        # A changed open article is drawn again.
        app.go_to_article("watched")
        await settle(pilot)
        write(corpus, "watched", "Found without a key press", body="Now it names SenseTime instead.")
        app.check_folder()
        await settle(pilot)
        assert "SenseTime" in app.view.article.body
        assert "sensetime" in app.view.kinds_of


async def until(pilot, predicate, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.05)
        await pilot.pause()
    return predicate()


async def test_watcher_picks_up_files_without_a_key(library) -> None:
    app = ReaderApp(library, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert await until(pilot, lambda: app._watcher is not None and app._watcher.running)
        # No key, no call: the file system's notice alone brings the article in.
        write(library.articles, "noticed", "Noticed by the watcher")
        assert await until(pilot, lambda: "noticed" in {row.id for row in app.table.rows})
        await settle(pilot)
        assert "Noticed by the watcher" in screen_text(app)
        # A file removed goes from the list too.
        (library.articles / "noticed.md").unlink()
        assert await until(pilot, lambda: "noticed" not in {row.id for row in app.table.rows})
        # The check by stats still runs, rarely, in case the file system does not notify.
        assert any(timer._interval == SAFETY_POLL_SECONDS for timer in app._timers)
    assert app._watcher._stop.is_set()  # the app told it to stop on its way out
    app._watcher.stop(wait=5)  # only waits for its thread to end
    assert not app._watcher.running


async def test_a_change_during_an_update_is_not_lost(app: ReaderApp, monkeypatch) -> None:
    library = app.library
    real_update = library.update

    def slow_update(**kwargs):
        report = real_update(**kwargs)  # the scan is over...
        time.sleep(0.5)  # ... and the update is still busy when the file comes
        return report

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(library, "update", slow_update)
        app.check_folder()  # an update starts
        await pilot.pause(0.2)
        assert any(w.group == "update" and w.is_running for w in app.workers)
        write(library.articles, "late", "Written after the scan")
        app.check_folder()  # the watcher's notice, while the update runs
        assert app._folder_dirty
        await pilot.press("r")  # and a re-scan asked for: not a second writer beside the first
        assert len([w for w in app.workers if w.group == "update" and not w.is_finished]) == 1
        # Not lost: looked at again once the running update is done.
        assert await until(pilot, lambda: "late" in {row.id for row in app.table.rows}, seconds=5)
        assert not app._folder_dirty


async def test_a_folder_that_cannot_be_watched_is_polled(library, monkeypatch) -> None:
    import watchfiles

    def refuse(*args, **kwargs):
        raise OSError("OS file watch limit reached")

    monkeypatch.setattr(watchfiles, "watch", refuse)
    app = ReaderApp(library, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert await until(pilot, lambda: any(timer._interval == WATCH_SECONDS for timer in app._timers))
        assert not any(timer._interval == SAFETY_POLL_SECONDS and timer._active.is_set()
                       for timer in app._timers)
        assert any("cannot be watched" in n.message and "watch limit" in n.message for n in app._notifications)


async def test_progress_is_shown(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.show_progress(40, 200)
        await pilot.pause()
        assert "indexing 40/200" in screen_text(app)
        assert app.query_one("#progress").display


async def test_a_vanished_folder_keeps_the_list_and_says_so_once(app: ReaderApp) -> None:
    folder = app.library.articles
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = [row.id for row in app.table.rows]
        moved = folder.with_name("moved-away")
        folder.rename(moved)
        try:
            for _ in range(3):  # the periodic check, three times
                app.check_folder()
                await settle(pilot)
            assert [row.id for row in app.table.rows] == before
            failures = [n for n in app._notifications if n.title == "Update failed"]
            assert len(failures) == 1 and "is not there" in failures[0].message
        finally:
            moved.rename(folder)
        app.check_folder()
        await settle(pilot)
        assert [row.id for row in app.table.rows] == before


IMPORT_HOLDER = """
import sys, time
from pathlib import Path
from reader.fsutil import exclusive_lock
with exclusive_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.readline()
"""


async def test_files_of_another_process_import_are_left_to_it(app: ReaderApp, corpus: Path, tmp_path: Path) -> None:
    """While another process holds the folder's import lock, the reader does
    not index the files it writes (they are its to index), says so, and lists
    them once it lets the folder go."""
    import subprocess
    import sys

    from reader.ingest import IMPORT_LOCK
    from reader.library import Library

    script = tmp_path / "holder.py"
    script.write_text(IMPORT_HOLDER, "utf-8")
    holder = subprocess.Popen([sys.executable, str(script), str(corpus / IMPORT_LOCK)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            write(corpus, "imported-elsewhere", "Written by another process's import")
            app.check_folder()
            await settle(pilot)
            assert "imported-elsewhere" not in {row.id for row in app.table.rows}
            assert app.library.index.doc_count() == 5  # not indexed here
            assert "another process is importing" in screen_text(app)
            # The import indexes its files, then lets the folder go.
            other = Library(corpus, app.library.index.index_dir)
            other.update()
            other.close()
            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(timeout=30)
            assert await until(pilot, lambda: "imported-elsewhere" in {row.id for row in app.table.rows})
            assert "another process is importing" not in screen_text(app)
    finally:
        holder.kill()
        holder.wait(timeout=30)
