"""The coverage grid screen: C opens it; the cursor moves by cell; s sorts,
K filters by kind; Enter opens the article of the cell at the entity's
first mention; Esc and q close it; legible in both themes, at 80x24 too."""

from __future__ import annotations

import pytest

from contrast import illegible
from reader.ui.app import DARK, LIGHT, ReaderApp
from reader.ui.screens.grid import GridScreen
from reader.ui.widgets.grid_view import GridView

from test_palette import palette_pick
from ui_helpers import screen_text, settle

SIZES = ((120, 40), (80, 24))


async def open_grid(pilot) -> GridScreen:
    await settle(pilot)
    await pilot.press("C")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, GridScreen) and screen.grid is not None
    return screen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_move_and_open_the_cell_at_the_first_mention(app: ReaderApp, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        screen = await open_grid(pilot)
        view = screen.query_one(GridView)
        grid = screen.grid
        assert grid.entities == app.library.grid().entities
        assert grid.entities[0].name in screen_text(app)
        await pilot.press("j", "down", "k")
        assert (view.row, view.column) == (1, 0)
        entity = grid.entities[1]
        target = max(entity.cells)  # its last article: moves right past the first screenful at 80 columns
        await pilot.press(*["l"] * target)
        assert view.column == target
        await settle(pilot)
        text = screen_text(app)
        assert grid.articles[target].title[:20] in text and entity.name in text
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, GridScreen)
        article_id = grid.articles[target].id
        assert app.view.article is not None and app.view.article.id == article_id
        offset = grid.first_offset(1, target)
        assert app.selected is not None and app.selected.id == entity.id
        ref = next(r for r in app.library.articles_for(entity.id) if r.id == article_id)
        assert offset == ref.first[0]
        if offset:
            assert app.mention_offset == offset


async def test_keys_page_home_end_and_a_zero_cell(app: ReaderApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_grid(pilot)
        view = screen.query_one(GridView)
        grid = screen.grid
        await pilot.press("pagedown")
        assert view.row > 0 and int(view.scroll_y) > 0  # scrolled: only the visible rows are drawn
        await pilot.press("end")
        assert view.row == len(grid.entities) - 1
        assert grid.entities[-1].name[:15] in screen_text(app)
        await pilot.press("home", "dollar_sign")
        assert (view.row, view.column) == (0, len(grid.articles) - 1)
        await pilot.press("0")
        empty = next(c for c in range(len(grid.articles)) if not grid.count(0, c))
        await pilot.press(*["right"] * empty, "enter")
        await settle(pilot)
        assert isinstance(app.screen, GridScreen)  # nothing to open in an empty cell


async def test_sort_and_kind_filter(app: ReaderApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_grid(pilot)
        assert screen.sort == "count"
        seen = []
        for _ in range(4):
            await pilot.press("s")
            await settle(pilot)
            seen.append(screen.sort)
            assert screen.grid.entities == app.library.grid(sort=screen.sort).entities
            assert f"by {screen.sort}" in screen_text(app)
        assert seen == ["articles", "first", "name", "count"]
        await pilot.press("K")
        await settle(pilot)
        assert screen.kind == "person"
        assert {e.kind for e in screen.grid.entities} == {"person"}
        for _ in range(6):
            await pilot.press("K")
        await settle(pilot)
        assert screen.kind == "all"
        assert len(screen.grid.entities) == len(app.library.grid(kind="all").entities)


@pytest.mark.parametrize("key", ["escape", "q"])
async def test_escape_and_q_close(app: ReaderApp, key: str) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_grid(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert not isinstance(app.screen, GridScreen)
        assert app.is_running


@pytest.mark.parametrize("theme", (DARK, LIGHT))
async def test_grid_is_legible(app: ReaderApp, theme: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await open_grid(pilot)
        await pilot.press("j", "l")
        await settle(pilot)
        assert illegible(app) == []


async def test_the_palette_opens_the_grid(app: ReaderApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await palette_pick(pilot, "coverage grid")
        assert isinstance(app.screen, GridScreen)
