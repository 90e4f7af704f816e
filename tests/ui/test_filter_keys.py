"""The article list's filter as list users expect it: a key of its own (`\\`,
since letters are keys here), Esc to clear it, and `q` typed, not quitting,
in every text field."""

from __future__ import annotations

from reader.ui.app import ReaderApp
from reader.ui.screens.search import SearchScreen

from ui_helpers import SIZE, screen_text, settle


def footer_line(app: ReaderApp) -> str:
    return screen_text(app).splitlines()[-1]


async def test_backslash_starts_the_filter_and_the_footer_says_so(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is app.table
        assert "\\ Filter" in footer_line(app)
        assert "filter articles (\\)" in screen_text(app)  # the empty line names its key too
        await pilot.press("backslash", *"qualcomm")
        await pilot.pause()
        assert app.is_running  # the q was typed
        assert app.focused is app.filter_input
        assert app.filter_input.value == "qualcomm"
        assert [app.table.rows[i].id for i in app.table.view] == ["waic-qualcomm-sole-us-sponsor"]
        assert "Clear the filter" in footer_line(app)


async def test_escape_clears_the_filter_from_the_line_and_from_the_list(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.table
        await pilot.press("backslash", *"china")
        await pilot.pause()
        narrowed = len(table.view)
        assert 1 < narrowed < 5
        await pilot.press("enter", "j")  # to the list, one article down
        await pilot.pause()
        assert app.focused is table and app.filter_input.value == "china"
        chosen = table.cursor_row.id
        assert "Clear filter" in footer_line(app)
        await pilot.press("escape")  # in the list: the filter goes, the cursor stays on its article
        await pilot.pause()
        assert app.filter_input.value == "" and len(table.view) == 5
        assert table.cursor_row.id == chosen and app.focused is table
        assert "Clear filter" not in footer_line(app)
        await pilot.press("backslash", *"opinion", "escape")  # in the line: the same, and back to the list
        await pilot.pause()
        assert app.filter_input.value == "" and len(table.view) == 5
        assert app.focused is table
        await pilot.press("backslash", "escape")  # an empty filter: back to the list
        await pilot.pause()
        assert app.focused is table


async def test_backslash_shows_a_hidden_list(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await pilot.pause()
        assert app.table.region.width == 0
        app.view.focus()
        await pilot.press("backslash")
        await pilot.pause()
        assert app.table.region.width > 0
        assert app.focused is app.filter_input


async def test_q_in_the_search_box_is_typed(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"qualcomm")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.input.value == "qualcomm"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("q")  # outside a text field, q quits
        await pilot.pause()
        assert not app.is_running
