"""The figures screen: F lists the figures several articles state,
disagreeing ones first; Enter opens the article at the claim."""

from __future__ import annotations

from reader.ui.app import ReaderApp
from reader.ui.screens.figures import FiguresScreen
from reader.ui.widgets.pick_list import PickList

from ui_helpers import SIZE, screen_text, settle


async def test_figures_screen_lists_disagreements_first_and_opens_the_claim(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FiguresScreen)
        assert screen.claims, "the bundled articles state figures in several articles"
        groups = app.library.figures()
        assert not groups[0].agree
        assert screen.claims[0] == groups[0].claims[0]
        assert "DISAGREE" in screen_text(app)
        picker = screen.query_one(PickList)
        picker.highlighted = 1
        claim = screen.claims[1]
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FiguresScreen)
        assert app.view.article is not None and app.view.article.id == claim.article


async def test_escape_leaves_the_figures_screen(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, FiguresScreen)
