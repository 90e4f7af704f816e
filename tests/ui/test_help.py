"""The help lists the reader's keys by pane, in words, and fits and scrolls
at 80x24 as at 120x40; the command palette says what it finds and lists the
reader's own entries first."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Static

from reader.ui.app import ReaderApp
from reader.ui.screens.help import WORDS, HelpScreen, help_rows
from reader.ui.commands import PLACEHOLDER

from ui_helpers import settle

SIZES = ((120, 40), (80, 24))
TEXTUAL_COMMANDS = {"Theme", "Quit", "Keys", "Screenshot", "Maximize", "Minimize"}


def folded(text: str) -> str:
    return " ".join(text.split())


async def open_help(pilot) -> HelpScreen:
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    return screen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_help_tells_every_key_in_words_by_pane(app: ReaderApp, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        screen = await open_help(pilot)
        text = screen.query_one("#help-text", Static).content
        plain = folded(text.plain)
        # Every binding of ours is told in the reader's words, none by an internal name.
        for _title, types in app.binding_sections():
            for _keys, words in help_rows(types):
                assert folded(words) in plain
        for ident in WORDS:
            assert ident not in plain
        assert "textual:" not in plain and "app." not in plain and "Textual" not in plain
        assert "quit" not in plain.lower().replace("quit", "", 1)  # one "Quit" (q, Ctrl+Q), no "how to quit"
        # By pane, in words, Tab among them.
        titles = [line.plain for line in text.split("\n") if line.plain and not line.plain.startswith(" ")]
        assert titles[:4] == ["Everywhere", "Article list", "Article", "Cross-references"]
        assert "tab Next pane" in plain and "shift+tab Previous pane" in plain
        assert "n Next search hit in the article" in plain
        assert "Command palette: find an article, an entity or an action" in plain
        # Nothing is cut: every line fits the box, which fits the screen.
        box = screen.box
        room = box.content_region.width - box.styles.scrollbar_size_vertical
        assert all(line.cell_length <= room for line in text.split("\n"))
        assert "…" not in text.plain
        assert box.region.right <= size[0] and box.region.bottom <= size[1]


async def test_every_binding_of_ours_has_words(app: ReaderApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _title, types in app.binding_sections():
            for cls in types if isinstance(types, tuple) else (types,):
                if not cls.__module__.startswith("reader."):
                    continue  # Textual's own: told by TEXTUAL_WORDS
                for binding in cls.__dict__.get("BINDINGS", []):
                    assert binding.id in WORDS, binding


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_help_scrolls_with_page_keys_space_and_g(app: ReaderApp, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        screen = await open_help(pilot)
        box = screen.box
        assert box.max_scroll_y > 0  # longer than the screen at both sizes
        await pilot.press("pagedown")
        first_page = box.scroll_y
        assert first_page > 1
        await pilot.press("space")
        assert box.scroll_y > first_page or box.scroll_y == box.max_scroll_y
        await pilot.press("pageup")
        assert box.scroll_y < max(first_page * 2, box.max_scroll_y)
        await pilot.press("G")
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("g")
        assert box.scroll_y == 0
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_says_what_it_finds_and_lists_the_readers_entries_first(app: ReaderApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(Input).placeholder == PLACEHOLDER
        # "the" matches Textual's "Theme" and the reader's articles and entities.
        await pilot.press(*"the")
        command_list = palette.query_one("CommandList")
        for _ in range(40):
            await pilot.pause(0.05)
            if command_list.option_count > 3:
                break
        prompts = [command_list.get_option_at_index(i).prompt.plain for i in range(command_list.option_count)]
        textual_rows = [i for i, p in enumerate(prompts) if p.split("\n")[0] in TEXTUAL_COMMANDS]
        reader_rows = [i for i, p in enumerate(prompts) if i not in textual_rows]
        assert textual_rows and reader_rows, prompts
        assert max(reader_rows) < min(textual_rows)
