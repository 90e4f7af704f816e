"""A live corpus: r re-scans, and the periodic check picks up new files."""

from __future__ import annotations

from pathlib import Path

from reader.ui.app import ReaderApp

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


async def test_timer_is_set_when_watching(library) -> None:
    app = ReaderApp(library, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any(timer._interval == 5.0 for timer in app._timers)


async def test_progress_is_shown(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.show_progress(40, 200)
        await pilot.pause()
        assert "indexing 40/200" in screen_text(app)
        assert app.query_one("#progress").display
