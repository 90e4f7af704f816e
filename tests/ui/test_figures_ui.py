"""The figures screen: F lists the figures several articles state,
disagreeing ones first; Enter opens the article at the claim."""

from __future__ import annotations

from reader.ui.app import ReaderApp
from reader.ui.screens.figures import FiguresScreen
from reader.ui.widgets.pick_list import PickList

from ui_helpers import SIZE, open_article, screen_text, settle


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


async def test_e_keeps_the_figures_of_the_articles_naming_the_selected_entity(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "waic-qualcomm-sole-us-sponsor")
        qualcomm = next(s.entity for s in app.xref.shared if s.entity.name == "Qualcomm")
        app.xref.option_list.focus()
        app.xref.focus_entity(qualcomm.id)
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FiguresScreen)
        everything = len(screen.claims)
        await pilot.press("e")
        await settle(pilot)
        naming = {ref.id for ref in app.library.articles_for(qualcomm.id)}
        assert screen.claims and {c.article for c in screen.claims} <= naming
        assert screen.claims == [c for g in app.library.figures(qualcomm.id) for c in g.claims]
        assert "Figures across the articles that name Qualcomm" in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        assert len(screen.claims) == everything


async def test_braces_step_through_the_article_s_figures_and_say_their_group(app) -> None:
    from reader.figures import group_summary

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_article(pilot, "waic-2024-preview")
        found = app.library.figures_in("waic-2024-preview")
        assert len(found) >= 2
        body = app.view.article.body
        companies = next(i for i, (claim, group) in enumerate(found) if group.what == "company")
        await pilot.press("right_curly_bracket")
        await settle(pilot)
        claim, group = found[0]
        assert app.view.figure == (claim.start, claim.end)
        assert app.view._style("figure") in app.view.styles_at(claim.start)
        status = str(app.query_one("#status").content)
        assert status.startswith(f"figure 1/{len(found)}")
        for _ in range(companies):
            await pilot.press("right_curly_bracket")
            await settle(pilot)
        claim, group = found[companies]
        assert app.view.figure == (claim.start, claim.end) and "enterprises" in body[claim.start:claim.end]
        summary = group_summary(group, claim)
        assert "the articles disagree" in summary and "400 enterprises in 1 other article" in summary
        # Back past the first goes round to the last.
        for _ in range(companies + 1):
            await pilot.press("left_curly_bracket")
            await settle(pilot)
        assert app.view.figure == (found[-1][0].start, found[-1][0].end)
