"""At 80x24 nothing that matters is cut: the list's titles and sources, the
footer's keys, the header's counts and the roles box, read from the screen."""

from __future__ import annotations

from hypothesis import example, given, strategies as st
from rich.cells import cell_len
from textual.widgets._footer import FooterKey

from reader.ui.app import ReaderApp
from reader.ui.widgets.article_table import wrap

from ui_helpers import screen_text, settle

SMALL = (80, 24)


def pane_text(app: ReaderApp, widget) -> list[str]:  # type: ignore[no-untyped-def]
    """The screen's characters inside a widget's region, line by line."""
    region = widget.region
    lines = screen_text(app).splitlines()
    return [line[region.x:region.right] for line in lines[region.y:region.bottom]]


def assert_footer_keys_whole(app: ReaderApp) -> list[str]:
    """Every key the footer shows is on screen whole; returns their descriptions."""
    footer = screen_text(app).splitlines()[-1]
    shown = [key for key in app.screen.query(FooterKey) if key.display]
    assert shown
    for key in shown:
        text = f"{key.key_display} {key.description}".strip()
        assert text in footer, (text, footer)
        assert key.region.right <= SMALL[0]
    return [key.description for key in shown]


async def test_at_80x24_the_list_shows_titles_and_sources_whole(app: ReaderApp) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        table = app.table
        listed = "\n".join(pane_text(app, table))
        visible_rows = table.size.height // table.row_height
        assert visible_rows >= 4
        for position in range(min(visible_rows, len(table.view))):
            row = table.rows[table.view[position]]
            lines = wrap(row.title, table.size.width - 2, 2)
            # Two lines of title, cut at a word, the second ending in an ellipsis if more is left.
            for line in lines:
                assert line in listed, (line, listed)
            assert " ".join(lines).split()[:2] == row.title.split()[:2]
            if row.source:
                assert row.source in listed  # "South China Morning Post", not "South China Morn…"
        # Header: the folder's counts.
        header = screen_text(app).splitlines()[0]
        assert "5 articles" in header and "entities" in header


async def test_at_80x24_the_footer_keys_are_whole_in_every_pane(app: ReaderApp) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        shown = assert_footer_keys_whole(app)
        assert {"Sort", "Filter", "Quit", "Help"} <= set(shown)
        await pilot.press("backslash", *"china")
        await pilot.pause()
        assert "Clear the filter" in assert_footer_keys_whole(app)
        await pilot.press("enter")
        await pilot.pause()
        shown = assert_footer_keys_whole(app)
        assert {"Sort", "Filter", "Clear filter", "Quit", "Help"} <= set(shown)
        await pilot.press("escape", "X")
        await pilot.pause()
        app.xref.option_list.focus()
        await pilot.pause()
        assert {"Quit", "Help"} <= set(assert_footer_keys_whole(app))


async def test_at_80x24_the_roles_box_shows_its_lines(app: ReaderApp) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.go_to_article("waic-2024-preview")
        await settle(pilot)
        await pilot.press("X")
        await pilot.pause()
        app.xref.option_list.focus()
        app.xref.focus_entity("li-qiang")
        await settle(pilot)
        roles = app.xref.query_one("#roles")
        assert roles.display and roles.region.height > 0
        shown = "\n".join(pane_text(app, roles))
        assert "Roles of Li Qiang" in shown
        assert "Premier, State Council" in shown
        xref = "\n".join(pane_text(app, app.xref))
        assert "Cross-references" in xref and "Li Qiang" in xref


@given(st.text(alphabet=st.sampled_from("ab 中x-"), max_size=120), st.integers(1, 40), st.integers(1, 3))
@example("aa  a", 2, 1)  # spaces past what the lines can hold hid the word after them
def test_a_wrapped_title_fits_its_lines_and_says_when_it_is_cut(text: str, width: int, lines: int) -> None:
    out = wrap(text, width, lines)
    assert len(out) <= lines
    assert all(cell_len(line) <= width for line in out)
    shown = "".join(out).replace(" ", "")
    if shown != text.replace(" ", "") and width > 1:
        assert out[-1].endswith("…")
        assert text.replace(" ", "").startswith(shown[:-1].rstrip("…"))
