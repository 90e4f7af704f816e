"""Empty states say what to do: an empty folder, a filter that matches
nothing, a search with no hits."""

from __future__ import annotations

from pathlib import Path

from reader.library import Library
from reader.ui.app import ReaderApp

from ui_helpers import SIZE, screen_text, settle


async def test_an_empty_folder_says_how_to_add_articles(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    library = Library(folder, tmp_path / "index")
    try:
        app = ReaderApp(library, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "No articles here yet." in text and "reader import FILE." in text
    finally:
        library.close()


async def test_a_filter_that_matches_nothing_says_so_and_how_to_clear_it(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("backslash", *"zzzq")
        await settle(pilot)
        text = screen_text(app)
        assert "No article matches" in text and "“zzzq”." in text and "Esc clears the filter." in text
        await pilot.press("escape")
        await settle(pilot)
        assert "No article matches" not in screen_text(app)


async def test_a_search_without_hits_says_what_to_try(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzzqqq")
        await settle(pilot)
        await pilot.pause(0.5)
        await settle(pilot)
        text = screen_text(app)
        assert "0 articles" in text and "Nothing matches: try fewer words" in text
