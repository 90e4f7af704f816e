"""The command palette jumps to articles and entities by fuzzy name."""

from __future__ import annotations

import time

from textual.command import CommandPalette
from textual.fuzzy import FuzzySearch

from reader.ui.app import ReaderApp
from reader.ui.commands import Candidate, rank
from reader.ui.screens.mentions import MentionsScreen

from ui_helpers import SIZE, settle


async def palette_pick(pilot, text: str) -> None:
    app: ReaderApp = pilot.app
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*text)
    for _ in range(40):  # the palette gathers hits in a worker
        await pilot.pause(0.05)
        if app.screen.query_one("CommandList").option_count:
            break
    await pilot.press("down", "enter")
    await settle(pilot)


async def test_palette_jumps_to_article(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette_pick(pilot, "qualcomm sole")
        assert not isinstance(app.screen, CommandPalette)
        assert app.view.article.id == "waic-qualcomm-sole-us-sponsor"


async def test_palette_jumps_to_entity(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette_pick(pilot, "elon musk")
        assert isinstance(app.screen, MentionsScreen)
        assert app.screen.entity.id == "elon-musk"
        assert {c.article for c in app.screen.contexts} == {"waic-2024-preview", "waic-2024-opening-speakers"}


def test_rank_is_fast_and_bounded_on_many_titles() -> None:
    words = ["china", "market", "oil", "trade", "bank", "rates", "shares", "growth", "deficit", "exports"]
    candidates = [Candidate(f"{words[i % 10]} {words[(i * 7) % 10]} report number {i}", str(i), "article")
                  for i in range(19_043)]
    started = time.perf_counter()
    ranked = rank("oil bank", candidates, FuzzySearch())
    elapsed = time.perf_counter() - started
    assert 0 < len(ranked) <= 20
    assert all(c.text.startswith("oil bank") for _s, c, _t in ranked[:5])
    assert elapsed < 0.25
    # Hostile text is shown literally.
    hostile = [Candidate("[bold]x[/foo] [@click=app.quit]", "h", "article")]
    (_score, _candidate, content), = rank("click", hostile, FuzzySearch())
    assert content.plain == "[bold]x[/foo] [@click=app.quit]"
