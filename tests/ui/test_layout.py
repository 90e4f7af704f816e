"""Start-up, layout, the article list, themes, panes and the help screen."""

from __future__ import annotations

from textual.widgets import Input

from reader.ui.app import DARK, LIGHT, ReaderApp
from reader.ui.screens.help import HelpScreen, help_rows

from ui_helpers import SIZE, screen_text, settle

IDS = {
    "waic-2024-preview",
    "waic-2024-opening-speakers",
    "china-powers-global-ai-innovation",
    "waic-qualcomm-sole-us-sponsor",
    "china-ai-international-cooperation",
}


async def test_start_shows_list_header_and_first_article(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert {row.id for row in app.table.rows} == IDS
        text = screen_text(app)
        assert "5 articles" in text
        assert f"{len(app.library.entity_list)} entities" in text
        assert "Cross-references" in text
        # The newest article opens at start, with its title block.
        assert app.view.article is not None
        assert app.view.article.id == app.table.cursor_row.id
        assert "Shanghai is set to kick off" in text
        assert "4 Jul 2024" in text and "2024-07-04" not in text  # dates read as dates


async def test_enter_in_list_opens_article(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is app.table
        await pilot.press("j", "j")
        chosen = app.table.cursor_row
        await pilot.press("enter")
        await settle(pilot)
        assert app.view.article.id == chosen.id
        assert app.table.current_id == chosen.id
        await pilot.press("G")
        assert app.table.cursor == len(app.table.view) - 1
        await pilot.press("g")
        assert app.table.cursor == 0
        await pilot.press("pagedown")
        assert app.table.cursor == len(app.table.view) - 1
        await pilot.press("pageup", "down", "up", "k")
        assert app.table.cursor == 0


async def test_sort_key_cycles_date_title_source(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.table
        dates = [table.rows[i].date for i in table.view]
        assert dates[0] == "2024-07-04"
        await pilot.press("s")
        assert table.sort == "title"
        titles = [table.rows[i].title.lower() for i in table.view]
        assert titles == sorted(titles)
        assert "by title" in screen_text(app)
        await pilot.press("s")
        assert table.sort == "source"
        sources = [table.rows[i].source.lower() for i in table.view]
        assert sources == sorted(sources)
        await pilot.press("s")
        assert table.sort == "date"


async def test_filter_narrows_the_list(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        filter_input = app.query_one("#filter", Input)
        filter_input.focus()
        await pilot.press(*"qualcomm")
        await pilot.pause()
        assert [app.table.rows[i].id for i in app.table.view] == ["waic-qualcomm-sole-us-sponsor"]
        assert "1 of 5" in screen_text(app)
        await pilot.press("enter")
        assert app.focused is app.table
        filter_input.value = ""
        await pilot.pause()
        assert len(app.table.view) == 5


async def test_tab_moves_between_panes(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is app.table
        await pilot.press("tab")
        assert app.focused is app.view
        await pilot.press("tab")
        assert app.focused is app.xref.option_list
        await pilot.press("shift+tab")
        assert app.focused is app.view


async def test_article_scroll_keys(app: ReaderApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.view.focus()
        await pilot.press("j", "j")
        await pilot.pause()
        assert app.view.scroll_y == 2
        await pilot.press("k")
        await pilot.pause()
        assert app.view.scroll_y == 1
        await pilot.press("G")
        await pilot.pause()
        assert app.view.scroll_y == app.view.max_scroll_y > 0
        await pilot.press("g")
        await pilot.pause()
        assert app.view.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.view.scroll_y > 5


async def test_small_terminal_collapses_xref_and_toggles_panes(app: ReaderApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        body = app.query_one("#body")
        assert body.has_class("narrow")
        assert not app.xref.display or app.xref.region.width == 0
        assert app.table.region.width > 0 and app.view.region.width > 30
        text = screen_text(app)
        assert "Shanghai is set" in text
        await pilot.press("X")
        await pilot.pause()
        assert app.xref.region.width > 0
        assert app.table.region.width == 0  # one side pane at a time when narrow
        assert "Li Qiang" in screen_text(app)
        await pilot.press("X")  # the same key again: the list it swapped out is back
        await pilot.pause()
        assert app.xref.region.width == 0
        assert app.table.region.width > 0 and app.focused is app.table
        await pilot.press("L")
        await pilot.pause()
        assert app.table.region.width == 0
        assert app.view.region.width > 70
        await pilot.press("L")
        await pilot.pause()
        assert app.table.region.width > 0


async def test_theme_toggle(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == DARK
        app.view.focus()

        def colours() -> tuple[object, object]:
            """The background of the article's title, and that of a blank line
            between its paragraphs, as the view draws them."""
            view = app.view
            title = view.article.display_title[:20]
            titled = next(s for y in range(view.size.height) for s in view.render_line(y) if title in s.text)
            blank = next(y for y in range(view.size.height) if not view.line_content(y).plain.strip())
            (background,) = {s.style.bgcolor for s in view.render_line(blank)}
            return titled.style.bgcolor, background

        dark = colours()
        await pilot.press("t")
        await settle(pilot)
        assert app.theme == LIGHT
        assert app.current_theme.dark is False
        light = colours()
        # The article is drawn again in the light theme's colours, its text and the
        # space around it alike.
        assert light[0] != dark[0] and light[1] != dark[1]
        await pilot.press("t")
        await settle(pilot)
        assert app.theme == DARK
        assert colours() == dark


async def test_help_lists_every_binding(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = " ".join(app.screen.query_one("#help-text").content.plain.split())
        rows = [row for _title, types in app.binding_sections() for row in help_rows(types)]
        assert len(rows) > 40
        for _keys, words in rows:
            assert " ".join(words.split()) in help_text
        # Every binding we declare has an id.
        for _title, types in app.binding_sections():
            for cls in types if isinstance(types, tuple) else (types,):
                if cls.__module__.startswith("reader."):
                    for binding in cls.__dict__.get("BINDINGS", []):
                        assert binding.id, binding
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)


async def test_quit(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_the_open_article_is_marked_in_the_list_and_the_last_one_no_longer(app: ReaderApp) -> None:
    """Opening an article from elsewhere (a search, the palette) draws again
    the list rows whose mark changed."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.table
        first, plain, other = (table.rows[table.view[n]] for n in (4, 1, 2))
        await pilot.press("j", "j", "j", "j", "enter")  # open the fifth article
        await settle(pilot)
        await pilot.press("k", "k", "k", "k")  # the cursor leaves it
        assert table.current_id == first.id and table.cursor == 0
        app.view.focus()
        await settle(pilot)

        def background(row) -> object:
            """The background of the row's title line, as the screen shows it."""
            for strip in app.screen._compositor.render_strips():
                if row.title[:20] in strip.text:
                    return next(iter(strip)).style.bgcolor
            raise AssertionError(f"{row.title!r} is not on screen")

        assert background(first) != background(plain)  # the open article's mark
        assert background(other) == background(plain)
        app.go_to_article(other.id)
        await settle(pilot)
        assert table.current_id == other.id and table.cursor == 2
        assert background(other) != background(plain)
        assert background(first) == background(plain)  # drawn again without the mark


async def test_the_list_scrolls_by_whole_articles(tmp_path) -> None:
    """Moving down past the bottom of the list scrolls it to a row boundary,
    whatever the pane's height: the top line is always an article's title."""
    from reader.library import Library
    folder = tmp_path / "articles"
    folder.mkdir()
    for number in range(60):
        (folder / f"a{number:02d}.md").write_text(
            f"---\nid: a{number:02d}\ntitle: Article number {number:02d}\nsource: Wire\ndate: 2024-07-{number % 28 + 1:02d}\n"
            f"---\nText {number}.\n", encoding="utf-8")
    library = Library(folder, tmp_path / "index")
    try:
        for size in ((120, 40), (120, 41), (80, 24), (80, 25)):  # list panes of either parity, rows of 2 and 3 lines
            app = ReaderApp(library, watch=False)
            async with app.run_test(size=size) as pilot:
                await settle(pilot)
                table = app.table
                table.focus()
                row_height = table.row_height
                assert row_height == (2 if size[0] > 100 else 3)  # a narrow list wraps titles over two lines
                seen = set()
                for _ in range(45):
                    await pilot.press("j")
                    seen.add(int(table.scroll_y))
                    assert int(table.scroll_y) % row_height == 0
                    top_row = table.rows[table.view[int(table.scroll_y) // row_height]]
                    await pilot.pause()
                    assert top_row.title[:20] in screen_text(app).splitlines()[table.region.y]
                assert len(seen) > 1  # it did scroll
                await pilot.press("G")
                await pilot.pause()
                assert int(table.scroll_y) % row_height == 0 and table.scroll_y == table.max_scroll_y
                top_row = table.rows[table.view[int(table.scroll_y) // row_height]]
                assert top_row.title[:20] in screen_text(app).splitlines()[table.region.y]
    finally:
        library.close()
