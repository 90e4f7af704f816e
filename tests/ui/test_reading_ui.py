"""The reading state in the app: unread in bold with a count, u, the next
unread, A, *, tags with completion, notes, saving a search and the saved
searches' counts, the list filter's is:/tag: clauses, and articles arriving
unread."""

from __future__ import annotations

import shutil
from pathlib import Path

from reader.ui import reading
from reader.ui.app import ReaderApp
from reader.ui.screens.state_dialogs import NoteScreen, SaveSearchScreen, TagScreen
from ui_helpers import ARTICLES, open_article, screen_text, settle

SIZE = (120, 40)
QUALCOMM = "waic-qualcomm-sole-us-sponsor"


async def wait_for(pilot, condition, rounds: int = 40) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.1)


def bold_titles(app: ReaderApp) -> set[str]:
    """The ids whose title line the list draws in bold."""
    table = app.table
    out = set()
    for position, number in enumerate(table.view):
        row = table.rows[number]
        strip = table.render_line(position * table.row_height - int(table.scroll_y))
        if any(seg.style is not None and seg.style.bold and seg.text.strip() for seg in strip):
            out.add(row.id)
    return out


async def test_unread_articles_are_bold_and_counted_and_u_toggles(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: app.table.state_known)
        assert "5 unread" in app.query_one("#list-status").render().plain
        assert bold_titles(app) == {r.id for r in app.table.rows}
        app.table.focus()
        await settle(pilot)
        first = app.table.cursor_row.id
        await pilot.press("u")
        await wait_for(pilot, lambda: first in app.library.state.read_ids())
        assert first in app.library.state.read_ids()
        assert first not in bold_titles(app)
        assert "4 unread" in app.query_one("#list-status").render().plain
        await pilot.press("u")
        await wait_for(pilot, lambda: first not in app.library.state.read_ids())
        assert first in bold_titles(app)


async def test_an_article_open_a_few_seconds_is_read(app: ReaderApp, monkeypatch) -> None:
    monkeypatch.setattr(reading, "READ_AFTER_SECONDS", 0.3)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, QUALCOMM)
        await wait_for(pilot, lambda: QUALCOMM in app.library.state.read_ids())
        assert QUALCOMM in app.library.state.read_ids()


async def test_scrolled_to_its_end_an_article_is_read(app: ReaderApp, monkeypatch) -> None:
    monkeypatch.setattr(reading, "READ_AFTER_SECONDS", 600)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, QUALCOMM)
        assert QUALCOMM not in app.library.state.read_ids()
        app.view.focus()
        await pilot.press("end")
        await wait_for(pilot, lambda: QUALCOMM in app.library.state.read_ids())
        assert QUALCOMM in app.library.state.read_ids()


async def test_next_unread_and_mark_all_read(app: ReaderApp, monkeypatch) -> None:
    monkeypatch.setattr(reading, "READ_AFTER_SECONDS", 600)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: app.table.state_known)
        app.table.focus()
        rows = [app.table.rows[i].id for i in app.table.view]
        app.library.state.mark_read([rows[1]])
        app.table.set_state({rows[1]}, set())
        await pilot.press("full_stop")
        await settle(pilot)
        assert app.table.cursor == 2 and app.view.article.id == rows[2]  # the read one is passed over
        await pilot.press("comma")
        await settle(pilot)
        assert app.view.article.id == rows[0]
        app.table.focus()
        await pilot.press("A")  # asks first
        await settle(pilot)
        assert app.library.state.read_ids() == {rows[1]}
        await pilot.press("A")
        await wait_for(pilot, lambda: len(app.library.state.read_ids()) == 5)
        assert app.library.state.read_ids() == set(rows)
        await pilot.press("full_stop")
        await settle(pilot)
        assert "Every article shown is read." in [n.message for n in app._notifications]


async def test_star_tag_with_completion_and_the_filter_clauses(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.library.state.tag("waic-2024-preview", ["follow-up"])
        await open_article(pilot, QUALCOMM)
        app.view.focus()
        await pilot.press("asterisk")
        await wait_for(pilot, lambda: QUALCOMM in app.library.state.starred_ids())
        assert QUALCOMM in app.library.state.starred_ids()
        assert "★" in screen_text(app)
        await pilot.press("number_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, TagScreen))
        assert isinstance(app.screen, TagScreen)
        await pilot.press("f", "o")
        await settle(pilot)
        await pilot.press("tab")  # completed from the tags in use
        await settle(pilot)
        assert app.screen.query_one("#tag-input").value == "follow-up"
        await pilot.press("space", "c", "h", "i", "p", "s", "enter")
        await wait_for(pilot, lambda: app.library.state.tags_of(QUALCOMM) == ["chips", "follow-up"])
        assert app.library.state.tags_of(QUALCOMM) == ["chips", "follow-up"]
        await pilot.press("backslash", *"is:starred")
        await settle(pilot)
        assert [app.table.rows[i].id for i in app.table.view] == [QUALCOMM]
        await pilot.press("ctrl+u", *"tag:follow-up")
        await settle(pilot)
        assert {app.table.rows[i].id for i in app.table.view} == {QUALCOMM, "waic-2024-preview"}
        await pilot.press("ctrl+u", *"tag:follow-up qualcomm")
        await settle(pilot)
        assert [app.table.rows[i].id for i in app.table.view] == [QUALCOMM]
        await pilot.press("ctrl+u", *"has:note")
        await settle(pilot)
        assert app.table.view == [] and "No article is in" in screen_text(app)


async def test_a_note_on_the_article_and_a_search_saved(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, QUALCOMM)
        app.view.focus()
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen))
        await pilot.press(*"ask about the sponsor", "ctrl+s")
        await wait_for(pilot, lambda: app.library.state.notes_of(QUALCOMM) != [])
        assert [n.text for n in app.library.state.notes_of(QUALCOMM)] == ["ask about the sponsor"]
        await pilot.press("S")
        await settle(pilot)
        assert "Search first" in " ".join(n.message for n in app._notifications)
        app.search_query = "company:Qualcomm"
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveSearchScreen))
        await pilot.press("ctrl+u", *"qualcomm", "enter")
        await wait_for(pilot, lambda: [s.name for s in app.library.state.searches()] == ["qualcomm"])
        await wait_for(pilot, lambda: app.query_one("#saved-searches").display)
        box = app.query_one("#saved-searches").render().plain
        matches = len(app.library.matching_ids("company:Qualcomm"))
        assert f"qualcomm  {matches}/{matches}" in box or f"qualcomm  {matches - 1}/{matches}" in box
        assert any("Saved search: qualcomm" in c.text for c in app.saved_candidates)


async def test_a_new_article_arrives_unread_and_counts_in_its_saved_search(tmp_path: Path, corpus: Path,
                                                                         library) -> None:
    library.state.save_search("qualcomm", "company:Qualcomm")
    library.state.mark_read([r["id"] for r in library.index.stored()])
    app = ReaderApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: app.query_one("#saved-searches").display)
        assert "/" in app.query_one("#saved-searches").render().plain
        matches = len(library.matching_ids("company:Qualcomm"))
        assert f"qualcomm  0/{matches}" in app.query_one("#saved-searches").render().plain
        (corpus / "new-qualcomm.md").write_text(
            "---\nid: new-qualcomm\ntitle: Qualcomm Inc shows new chips\n---\n"
            "Qualcomm Inc said on Monday that its new chips ship next year.\n", "utf-8")
        app.check_folder()
        await wait_for(pilot, lambda: f"qualcomm  1/{matches + 1}" in app.query_one("#saved-searches").render().plain,
                       rounds=100)
        assert f"qualcomm  1/{matches + 1}" in app.query_one("#saved-searches").render().plain
        assert "new-qualcomm" in bold_titles(app)


async def test_a_saved_search_from_the_palette_runs_its_query(app: ReaderApp) -> None:
    from reader.ui.commands import SavedSearchCommands
    from reader.ui.screens.search import SearchScreen

    app.library.state.save_search("qualcomm", "company:Qualcomm")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: bool(app.saved_candidates))
        provider = SavedSearchCommands(app.screen)
        hits = [hit async for hit in provider.search("qualcomm")]
        assert hits and "Saved search: qualcomm" in str(hits[0].text)
        hits[0].command()
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-input").value == "company:Qualcomm"
        await wait_for(pilot, lambda: app.screen.result is not None)
        assert app.screen.result.total == len(app.library.matching_ids("company:Qualcomm"))


async def test_the_open_article_shows_its_star_tags_and_notes(app: ReaderApp) -> None:
    app.library.state.tag(QUALCOMM, ["chips"])
    app.library.state.add_note(QUALCOMM, "ask about the sponsor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, QUALCOMM)
        await wait_for(pilot, lambda: "#chips" in app.view.state_line)
        assert "#chips" in app.view.state_line and "1 note" in app.view.state_line
        assert "#chips" in screen_text(app)
        app.view.focus()
        await pilot.press("asterisk")
        await wait_for(pilot, lambda: "starred" in app.view.state_line)
        assert app.view.state_line.startswith("★ starred")
        await open_article(pilot, "waic-2024-preview")
        await settle(pilot)
        assert app.view.state_line == ""  # nothing kept about this one


async def test_notes_are_edited_and_deleted_from_their_list(app: ReaderApp) -> None:
    from textual.widgets import TextArea

    from reader.ui.screens.state_dialogs import NotesScreen

    first = app.library.state.add_note(QUALCOMM, "first thought")
    second = app.library.state.add_note(QUALCOMM, "second thought")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, QUALCOMM)
        app.view.focus()
        await pilot.press("W")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesScreen))
        await pilot.press("down", "enter")  # the second note
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen))
        assert app.screen.query_one(TextArea).text == "second thought"
        await pilot.press(*"revised ", "ctrl+s")
        await wait_for(pilot, lambda: app.library.state.notes_of(QUALCOMM)[1].text != "second thought")
        assert [n.text for n in app.library.state.notes_of(QUALCOMM)] == ["first thought", "revised second thought"]
        await pilot.press("W")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen))
        app.screen.query_one(TextArea).text = ""
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(app.library.state.notes_of(QUALCOMM)) == 1)
        assert [n.note for n in app.library.state.notes_of(QUALCOMM)] == [second.note]
        assert first.note != second.note


async def test_a_broken_state_database_is_told_and_the_reader_goes_on(corpus: Path, tmp_path: Path) -> None:
    from reader.library import Library
    from reader.ui.screens.search import SearchScreen

    broken = tmp_path / "state.sqlite3"
    broken.write_text("this is not a database " * 50, "utf-8")
    library = Library(corpus, tmp_path / "index", state_path=broken)
    app = ReaderApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("reading state" in n.message for n in app._notifications)
        app.table.focus()
        await pilot.press("backslash", *"is:unread")
        await settle(pilot)  # read as words: nothing breaks
        await pilot.press("escape", "slash", *"oil is:unread")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.shown_query == "oil is:unread")
        assert "reading state" in screen_text(app)
        assert app.is_running
    library.close()
