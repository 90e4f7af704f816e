"""Helpers for the pilot tests: let workers finish, read the screen."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from reader.ui.app import ReaderApp

ARTICLES = Path(__file__).resolve().parents[2] / "articles"
SIZE = (120, 40)


async def settle(pilot: Pilot, rounds: int = 6) -> None:
    """Let workers finish and their results reach the widgets."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            await pilot.pause()
            if not any(worker.is_running for worker in app.workers):
                return


def screen_text(app: ReaderApp) -> str:
    """The characters on screen, line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def open_article(pilot: Pilot, article_id: str) -> None:
    app: ReaderApp = pilot.app  # type: ignore[assignment]
    app.go_to_article(article_id)
    await settle(pilot)
    assert app.view.article is not None and app.view.article.id == article_id
