"""Quotations in the reader: drawn apart in the text, listed under their
speaker in the cross-reference pane and on Enter, each opening its article at
the quotation."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library import Library
from reader.ui.app import ReaderApp
from reader.ui.screens.mentions import MentionsScreen
from reader.ui.widgets.xref_pane import ENTITY

from test_quotes import LUMINA, LUMINA_LATER
from ui_helpers import SIZE, open_article, screen_text, settle


@pytest.fixture
def quoting_app(corpus: Path, tmp_path: Path):
    (corpus / "lumina-toolkit.md").write_text(LUMINA, encoding="utf-8")
    (corpus / "lumina-shares.md").write_text(LUMINA_LATER, encoding="utf-8")
    library = Library(corpus, tmp_path / "index")
    library.update()
    yield ReaderApp(library, watch=False)
    library.close()


def speaker_id(app: ReaderApp, name: str) -> str:
    return next(s.entity.id for s in app.xref.shared if s.entity.name == name)


async def test_quotations_are_drawn_apart_from_the_narrative(quoting_app: ReaderApp) -> None:
    app = quoting_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "lumina-toolkit")
        view = app.view
        body = view.article.body
        quote = view._style("quote")
        assert quote.foreground is not None  # a hue of its own
        assert quote in view.styles_at(body.index("open the toolkit"))
        assert quote in view.styles_at(body.index("market wants more"))
        assert quote not in view.styles_at(body.index("SHANGHAI"))
        assert quote not in view.styles_at(body.index("Governing AI"))  # a theme is no quotation


async def test_a_speaker_s_entry_shows_their_quotes_and_enter_opens_one(quoting_app: ReaderApp) -> None:
    app = quoting_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "lumina-toolkit")
        chen = speaker_id(app, "Chen Li")
        app.xref.option_list.focus()
        app.xref.focus_entity(chen)
        await settle(pilot)
        roles = str(app.query_one("#roles").content)
        assert "Quoted 3 times in 2 articles" in roles
        assert "We will open the toolkit" in roles
        assert "Quoted 3 times in 2 articles" in screen_text(app)

        assert app.xref.option_list.highlighted_option.id == ENTITY + chen
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MentionsScreen)
        assert [q.text for q in screen.quotes] == ["We will open the toolkit this year,",
                                                    "Developers have waited long enough.",
                                                    "The toolkit ships in September."]
        text = screen_text(app)
        assert "Quoted 3 times in 2 articles" in text and "Mentions" in text
        # The cursor starts on the first quotation, past the heading; go to
        # the one in the other article and open it.
        listing = screen.query_one("#mentions-list")
        assert screen.entry(int(listing.highlighted_option.id)) is screen.quotes[0]
        await pilot.press("down", "down")
        await settle(pilot)
        chosen = screen.entry(int(listing.highlighted_option.id))
        assert chosen is screen.quotes[2]
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, MentionsScreen)
        assert app.view.article.id == "lumina-shares"
        y = app.view.line_of(chosen.start)
        assert app.view.scroll_y <= y < app.view.scroll_y + app.view.size.height


async def test_an_entity_nobody_quotes_shows_no_quotes(quoting_app: ReaderApp) -> None:
    app = quoting_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "lumina-toolkit")
        company = speaker_id(app, "Brightline Capital")
        app.xref.option_list.focus()
        app.xref.focus_entity(company)
        await settle(pilot)
        assert "Quoted" not in str(app.query_one("#roles").content)
