"""The header's status corner: messages fade, are never cut off, and say what
`y`, `]` and `[` did."""

from __future__ import annotations

import pytest

import reader.ui.app as app_module
from reader.ui.app import ReaderApp

from ui_helpers import SIZE, open_article, screen_text, settle

PREVIEW = "waic-2024-preview"


async def reading_the_preview(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await open_article(pilot, PREVIEW)
    pilot.app.view.focus()


def status_text(app: ReaderApp) -> str:
    return str(app.query_one("#status").render()).strip()


async def test_a_message_fades_and_leaves_when_another_article_opens(app: ReaderApp,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "STATUS_SECONDS", 1.5)  # long enough to be read on a busy machine
    async with app.run_test(size=SIZE) as pilot:
        await reading_the_preview(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert status_text(app) == "person: hidden"
        await pilot.pause(2.0)
        assert status_text(app) == ""
        await pilot.press("1")
        await pilot.pause()
        assert status_text(app) == "person: shown"
        await open_article(pilot, "waic-qualcomm-sole-us-sponsor")
        assert status_text(app) == ""


async def test_a_long_message_is_shown_whole(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        long = "accepted 'Zentrix Technologies Holdings' as d-zentrix-technologies-holdings"
        app._status(long)
        await pilot.pause()
        assert long in screen_text(app).splitlines()[0]
        app._status("ready in 48.0 s")
        await pilot.pause()
        assert screen_text(app).splitlines()[0].rstrip().endswith("ready in 48.0 s")


async def test_a_message_too_long_for_the_header_is_also_notified(library) -> None:  # type: ignore[no-untyped-def]
    app = ReaderApp(library, watch=False)
    async with app.run_test(size=(60, 30)) as pilot:
        await settle(pilot)
        long = "merging 'Zentrix Technologies Holdings' into 'Zentrix Technologies': reading again 12/40"
        app._status(long)
        await pilot.pause()
        assert any(n.message == long for n in app._notifications)


async def test_copy_says_what_it_copied(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await reading_the_preview(pilot)
        await pilot.press("y")
        await pilot.pause()
        citation = app.view.article.citation()
        assert any(n.message == f"Copied the citation: {citation}" for n in app._notifications)


async def test_mention_keys_say_which_article_and_when_they_go_round(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        order = app.library.articles_for("china")
        last = order[-1]
        await open_article(pilot, last.id)
        app.xref.option_list.focus()
        app.xref.focus_entity("china")
        await pilot.pause()
        app.view.focus()
        app.mention_offset = app.view.mentions_of("china")[-1][0]  # on the last mention here
        await pilot.press("right_square_bracket")
        await settle(pilot)
        first = order[0]
        assert app.view.article.id == first.id
        assert status_text(app) == f"article 1/{len(order)} (round to the first): {first.title}"
        # Back from the first mention of the first article: round to the last.
        app.mention_offset = app.view.mentions_of("china")[0][0]
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.view.article.id == last.id
        assert status_text(app) == f"article {len(order)}/{len(order)} (round to the last): {last.title}"
