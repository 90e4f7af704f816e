"""Start-up: the list shows before the folder is checked, from the rows the
last run saved while the index is unchanged; keys typed before the list
arrives are applied to it, not lost."""

from __future__ import annotations

import threading
from pathlib import Path

from reader.library import Library
from reader.ui import rowcache
from reader.ui.app import ReaderApp

from ui_helpers import SIZE, screen_text, settle


def write(folder: Path, article_id: str, title: str) -> None:
    (folder / f"{article_id}.md").write_text(
        f"---\nid: {article_id}\ntitle: {title}\ndate: 2030-01-01\n---\nElon Musk visited Shanghai.\n",
        encoding="utf-8")


def test_rows_are_kept_while_the_index_is_unchanged(library: Library, corpus: Path) -> None:
    index_dir = library.index.index_dir
    rows = library.rows()
    key = rowcache.index_key(index_dir, corpus)
    assert rowcache.save(index_dir, key, rows)
    loaded = rowcache.load(index_dir, corpus)
    assert loaded is not None and loaded[1] == rows
    # Any commit changes the key: the saved rows are not taken back.
    write(corpus, "fresh-news", "Fresh news")
    library.update()
    assert rowcache.load(index_dir, corpus) is None
    # Nor are rows saved under a key the index no longer has.
    assert not rowcache.save(index_dir, key, rows)
    # A broken file is no cache, not an error.
    (index_dir / rowcache.CACHE_NAME).write_text("{not json", encoding="utf-8")
    assert rowcache.load(index_dir, corpus) is None


async def test_second_start_lists_from_the_saved_rows(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    library = Library(corpus, tmp_path / "index")
    app = ReaderApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(app.table.rows) == 5
    library.close()
    assert (tmp_path / "index" / rowcache.CACHE_NAME).is_file()

    library = Library(corpus, tmp_path / "index")
    calls = []
    real_rows = library.rows

    def counted_rows():
        calls.append(1)
        return real_rows()

    monkeypatch.setattr(library, "rows", counted_rows)
    app = ReaderApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(app.table.rows) == 5
        assert "5 articles" in screen_text(app) and "ready in" in screen_text(app)
        assert calls == []  # nothing changed: the index's stored fields were not read for the list
    library.close()


async def test_keys_before_the_list_arrives_are_kept(app: ReaderApp, monkeypatch) -> None:
    gate = threading.Event()
    real_rows = app.library.rows

    def slow_rows():
        gate.wait(20)
        return real_rows()

    monkeypatch.setattr(app.library, "rows", slow_rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.table.loaded
        await pilot.press("j", "j", "enter")
        gate.set()
        await settle(pilot)
        table = app.table
        assert table.loaded and table.cursor == 2
        chosen = table.rows[table.view[2]].id
        assert app.view.article is not None and app.view.article.id == chosen  # Enter opened it
        assert table.current_id == chosen


def burst(app: ReaderApp, *keys: str) -> None:
    """Keys as a fast typist's terminal delivers them: all read before the
    first is handled."""
    from textual import events

    names = {"/": "slash", " ": "space"}
    for key in keys:
        name = names.get(key, key)
        app._driver.send_message(events.Key(name, key if len(key) == 1 else None))


async def test_keys_right_behind_a_focus_change_follow_it(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Shift+Tab to the filter, then letters: they are typed there.
        burst(app, "shift+tab", *"china")
        await settle(pilot)
        filter_input = app.query_one("#filter")
        assert filter_input.value == "china"
        shown = len(app.table.view)
        assert 1 < shown < 5
        # Enter goes back to the list; j right behind it moves the cursor there.
        burst(app, "enter", "j")
        await settle(pilot)
        assert filter_input.value == "china"
        assert app.focused is app.table and app.table.cursor == 1


async def test_search_typed_right_behind_the_slash(app: ReaderApp) -> None:
    from reader.ui.screens.search import SearchScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "/", *"SenseNova")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.input.value == "SenseNova"
        assert screen.result is not None and screen.result.total == 3
        # Enter to the results, then j: it moves in the list, not into the query.
        burst(app, "enter", "j")
        await settle(pilot)
        assert screen.input.value == "SenseNova"
        assert screen.results.has_focus and screen.results.highlighted == 1


async def test_editing_keys_keep_their_place_among_typed_ones(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "shift+tab", *"xyz")
        await settle(pilot)
        filter_input = app.query_one("#filter")
        # ctrl+u clears what was there, not what is typed right behind it.
        burst(app, "ctrl+u", *"china")
        await settle(pilot)
        assert filter_input.value == "china"
        burst(app, "home", *"ab", "end", "backspace", "backspace")
        await settle(pilot)
        assert filter_input.value == "abchi"
