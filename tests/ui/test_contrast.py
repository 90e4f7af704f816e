"""Every text the reader draws meets WCAG AA contrast (4.5:1, 3:1 for bold)
in the dark and the light theme, the entity kinds are told apart by colour,
and the focused pane is marked plainly.

Two measures, both from the running app: what the screen shows in each of
the reader's states (every cell of text, in the colours the terminal is
sent), and every component style that a mounted widget or screen declares,
against every background it can be drawn on, so a style added later is
measured without a change here."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Iterator

import pytest
from textual.color import Color
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList

from contrast import BOLD, NORMAL, delta_e, illegible, ratio
from reader.library import Library
from reader.ui.app import DARK, LIGHT, ReaderApp
from reader.ui.kinds import KINDS, component_style, kind_class
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.merge import MergeScreen
from reader.ui.widgets.article_view import ArticleView
from ui_helpers import open_article, settle

THEMES = (DARK, LIGHT)
RULES = {"option-list--separator"}  # component classes that draw a line, not text
SIZES = ((120, 40), (80, 24))


async def keys(pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


NEW_NAMES = """Halvor Brekke, the founder of Tindra Labs, said on Tuesday that the
start-up would show its sorting robot in Shanghai.

Brekke said Tindra Labs had hired forty engineers this year.
"""


@pytest.fixture
def library(corpus: Path, tmp_path: Path) -> Iterator[Library]:
    """The bundled corpus and one article whose names the entity list lacks
    (discovered names have a style of their own)."""
    (corpus / "new-names.md").write_text(
        f"---\nid: new-names\ntitle: A sorting robot for Shanghai\ndate: 2024-07-06\n---\n{NEW_NAMES}",
        encoding="utf-8")
    lib = Library(corpus, tmp_path / "index")
    yield lib
    lib.close()


async def open_discovered(pilot) -> None:
    """Open the article with discovered names; the cross-references' cursor
    on one of them."""
    app: ReaderApp = pilot.app  # type: ignore[assignment]
    await open_article(pilot, "new-names")
    discovered = [s.entity for s in app.xref.shared if s.entity.discovered]
    assert discovered, "discovery found no new name"
    app.xref.option_list.focus()
    app.xref.focus_entity(discovered[0].id)
    await settle(pilot)


async def visit_every_state(pilot, check) -> int:
    """Walk the reader through its screens and states; ``check(name)`` runs at
    each. Returns how many states were visited."""
    app: ReaderApp = pilot.app  # type: ignore[assignment]
    states = [
        ("the list with the focus", ()),
        ("the cross-references with the focus, an entity selected", ("down",)),
        ("the mentions of an entity", ("enter",)),
        ("search results, the focus in the query", ("escape", "slash", *"shanghai")),
        ("search results with the focus", ("down",)),
        ("an article with its hits, the article with the focus", ("enter", "n")),
        ("the help", ("question_mark",)),
        ("the command palette", ("escape", "ctrl+p", *"sen")),
    ]
    for number, (name, pressed) in enumerate(states):
        xref = number == 1
        if xref:
            if not app.xref.region.width:
                await keys(pilot, "X")  # narrow: the cross-references swap in
            app.xref.option_list.focus()
        await keys(pilot, *pressed)
        await pilot.pause(0.1)
        await settle(pilot)
        await check(name)
        if xref:
            assert app.focused is app.xref.option_list and app.selected is not None
            await open_discovered(pilot)
            await keys(pilot, "m")
            assert isinstance(app.screen, MergeScreen)
            await check("the merge dialog over a discovered entity")
            await keys(pilot, "escape")
    assert isinstance(app.screen, CommandPalette)
    await keys(pilot, "escape")
    return len(states) + 1


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
async def test_every_text_on_screen_meets_wcag_aa(library: Library, theme: str, size: tuple[int, int]) -> None:
    app = ReaderApp(library, watch=False)
    failures: list[str] = []
    async with app.run_test(size=size) as pilot:
        app.theme = theme
        await settle(pilot)
        assert app.current_theme.dark is (theme == DARK)

        async def check(name: str) -> None:
            failures.extend(f"{name}: {line}" for line in illegible(app))

        assert await visit_every_state(pilot, check) == 9
    assert failures == [], "\n".join(failures)


def classes(node: DOMNode) -> list[str]:
    """The component classes of a node, its bases' included (an option
    list's cursor row, an input's placeholder)."""
    return sorted(type(node)._get_component_classes())


def backgrounds(node: DOMNode) -> dict[str, Color]:
    """The backgrounds a node's component styles can be drawn on: its own
    (for a screen, those of the widgets inside it: a modal's own is a faded
    veil), each shown descendant's but those that set a text colour of their
    own (a title bar draws its own text), the backgrounds its own component classes
    lay under text (a cursor row, a hit), and the rows of the option lists
    inside it (a pane's entries are drawn on its list's cursor row)."""
    out: dict[str, Color] = {}
    nodes = list(node.query("*")) if isinstance(node, Screen) else [node, *node.query("*")]
    for each in nodes:
        if not isinstance(each, Widget) or not each.display:
            continue
        if each is not node and not isinstance(each, OptionList) and each.styles.has_rule("color"):
            continue  # a title bar, a status line: draws its own text in its own colour
        base = each.background_colors[1]
        out[repr(each)] = base
        if each is not node and not isinstance(each, OptionList):
            continue
        for name in classes(each):
            styles = each.get_component_styles(name)
            if styles.has_rule("background") and not (each is node and styles.has_rule("color")):
                # A class of the node itself that sets a colour too (the
                # current hit) draws its own colour over its background:
                # measured as its own pair.
                out[f"{each!r} .{name}"] = base + styles.background
    return out


def text_on(node: DOMNode, name: str, ground: Color) -> tuple[Color, Color] | None:
    """The colour a component class draws its text in over ``ground``, and
    the background under it, as Textual works them out; None for a class
    that sets no colour."""
    styles = node.get_component_styles(name)
    if not styles.has_rule("color") or styles.color.a == 0 or name in RULES:
        return None  # a transparent colour leaves the text's own
    if styles.has_rule("background"):
        ground = ground + styles.background
    colour = styles.color
    if styles.has_rule("auto_color") and styles.auto_color:
        colour = ground.get_contrast_text(colour.a)
    return ground + colour, ground


def component_nodes(app: ReaderApp) -> list[DOMNode]:
    """The screen and every widget shown on it that has component classes."""
    return [node for node in [app.screen, *app.screen.query("*")] if classes(node) and node.display]


@pytest.mark.parametrize("theme", THEMES)
async def test_every_component_style_is_legible_on_every_background_it_meets(library: Library, theme: str) -> None:
    app = ReaderApp(library, watch=False)
    measured: set[str] = set()
    failures: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        await settle(pilot)

        async def check(state: str) -> None:
            for node in component_nodes(app):
                grounds = backgrounds(node)
                for name in classes(node):
                    style = component_style(node, name)
                    if style.reverse:
                        continue  # text and background swapped: the same pair as unswapped
                    own = node.get_component_styles(name).has_rule("background")
                    for where, ground in grounds.items():
                        if own and where != repr(node):
                            continue  # its own background over the node's: one pair
                        pair = text_on(node, name, ground)
                        if pair is None:
                            break
                        measured.add(f"{type(node).__name__}.{name}")
                        required = BOLD if style.bold else NORMAL
                        value = ratio(*pair)
                        if value < required:
                            failures.append(f"{state}: {type(node).__name__} .{name} {pair[0].hex} on {where} "
                                            f"{pair[1].hex}: {value:.2f}:1 < {required}:1")

        await visit_every_state(pilot, check)
    # Every kind in the three places it shows, the list's and the help's styles among them.
    for kind in KINDS:
        for owner in ("ArticleView", "XrefPane", "Legend"):
            assert f"{owner}.{kind_class(kind)}" in measured
    assert {"ArticleTable.article-table--source", "HelpScreen.help--key", "XrefPane.xref--count"} <= measured
    assert failures == [], "\n".join(sorted(set(failures)))


@pytest.mark.parametrize("theme", THEMES)
async def test_entity_kinds_are_told_apart_by_colour(library: Library, theme: str) -> None:
    app = ReaderApp(library, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        await settle(pilot)
        view = app.query_one(ArticleView)
        colours = {kind: view.get_component_styles(kind_class(kind)).color for kind in KINDS}
        ground = view.background_colors[1]
        for kind, colour in colours.items():
            assert ratio(colour, ground) >= NORMAL, kind
        for a, b in combinations(KINDS, 2):
            assert delta_e(colours[a], colours[b]) >= 30, (a, b, colours[a].hex, colours[b].hex)
        # Discovered names keep their kind's colour and add a mark of their own.
        discovered = component_style(view, "entity--discovered")
        assert discovered.underline and discovered.italic and not discovered.dim


def focus_marks(app: ReaderApp) -> dict[str, Color]:
    """What marks each pane shown: the background of the side panes' title
    bars, the colour of the lines beside the article."""
    base = app.query_one("#body").background_colors[1]
    article = app.query_one("#article-pane").styles
    side = article.border_left if article.border_left[0] not in ("", "none") else article.border_right
    marks = {"article": base + side[1]}
    if app.table.region.width:
        marks["list"] = base + app.query_one("#list-status").styles.background
    if app.xref.region.width:
        marks["xref"] = base + app.query_one("#xref-title").styles.background
    return marks


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
async def test_the_focused_pane_is_marked_plainly(library: Library, theme: str, size: tuple[int, int]) -> None:
    app = ReaderApp(library, watch=False)
    async with app.run_test(size=size) as pilot:
        app.theme = theme
        await settle(pilot)
        panes = {"list": (app.table, "L"), "article": (app.view, ""), "xref": (app.xref.option_list, "X")}
        for name, (widget, toggle) in panes.items():
            if not widget.region.width:
                await pilot.press(toggle)  # narrow: one side pane at a time
                await settle(pilot)
            widget.focus()
            await settle(pilot)
            marks = focus_marks(app)
            assert name in marks
            ground = app.query_one("#body").background_colors[1]
            # The focused pane's mark stands out from the background as a
            # part of the interface must (WCAG 1.4.11: 3:1); the others' do not.
            for other, colour in marks.items():
                if other == name:
                    assert ratio(colour, ground) >= 3, (name, colour.hex, ground.hex)
                else:
                    assert ratio(colour, ground) < 3, (name, other, colour.hex)
