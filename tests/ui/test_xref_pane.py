"""The cross-reference pane uses its width: names and titles are cut only at
its edge, the cursor's entry shows in full (a related article with the
entities it shares), and the roles box leaves the list its room."""

from __future__ import annotations

import pytest

from reader.ui.app import ReaderApp
from reader.ui.widgets.xref_pane import ENTITY, RELATED

from ui_helpers import open_article, screen_text, settle

SIZES = ((120, 40), (80, 24))
PREVIEW = "waic-2024-preview"


def folded(text: str) -> str:
    return " ".join(text.split())


async def show_pane(pilot, size: tuple[int, int]) -> ReaderApp:
    app: ReaderApp = pilot.app  # type: ignore[assignment]
    await settle(pilot)
    await open_article(pilot, PREVIEW)
    if not app.xref.region.width:
        await pilot.press("X")  # narrow: the cross-references swap in
        await settle(pilot)
    app.xref.option_list.focus()
    await settle(pilot)
    return app


def prompts(app: ReaderApp, prefix: str) -> dict[str, str]:
    option_list = app.xref.option_list
    return {option.id: option.prompt.plain for option in option_list.options
            if option.id and option.id.startswith(prefix)}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_entries_are_cut_only_at_the_panes_edge(app: ReaderApp, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        await show_pane(pilot, size)
        width = app.xref.line_width()
        assert width >= 20
        names = {ENTITY + s.entity.id: s.entity.name for s in app.xref.shared}
        titles = {RELATED + r.id: r.title for r in app.xref.related}
        highlighted = app.xref.option_list.highlighted_option.id
        cut = 0
        for option_id, prompt in {**prompts(app, ENTITY), **prompts(app, RELATED)}.items():
            if option_id == highlighted:
                continue
            full = names.get(option_id) or titles[option_id]
            assert "\n" not in prompt and len(prompt) <= width
            if full in prompt:
                continue
            # Cut: at the edge, with all of the text that fits before it.
            cut += 1
            assert prompt.endswith("…") and len(prompt) == width, (prompt, width)
            figures = 2 if option_id.startswith(ENTITY) and prompt.split()[1].startswith("+") else 1
            shown = prompt[:-1].split(maxsplit=figures)[-1]
            assert full.startswith(shown.rstrip()), (full, shown)
        assert cut  # the long event names and titles of the bundled corpus do not fit
        # Related articles whose titles start alike still read apart.
        related = list(prompts(app, RELATED).values())
        assert len(set(related)) == len(related)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_cursors_entry_shows_in_full(app: ReaderApp, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        await show_pane(pilot, size)
        option_list = app.xref.option_list
        longest = max(app.xref.shared, key=lambda s: len(s.entity.name))
        app.xref.focus_entity(longest.entity.id)
        await settle(pilot)
        assert folded(longest.entity.name) in folded(option_list.highlighted_option.prompt.plain)
        # A related article: its whole title and the entities it shares.
        rel = max(app.xref.related, key=lambda r: len(r.title))
        option_list.highlighted = option_list.get_option_index(RELATED + rel.id)
        await settle(pilot)
        shown = folded(option_list.highlighted_option.prompt.plain)
        # The whole title, or as much as FULL_LINES lines hold (a title taken
        # from a first sentence can be a paragraph long).
        from reader.ui.widgets.xref_pane import FULL_LINES

        title_lines = option_list.highlighted_option.prompt.plain.split(" shares ")[0].split("\n")
        assert folded(rel.title) in shown or (
            len(title_lines) >= FULL_LINES and folded(rel.title[:60]) in shown and " … shares" in shown)
        names = {s.entity.id: s.entity.name for s in app.xref.shared}
        assert "shares" in shown and all(folded(names[e]) in shown for e in rel.entities if e in names)
        # The entry it left is one line again, and the whole of the new one is in view.
        assert "\n" not in prompts(app, ENTITY)[ENTITY + longest.entity.id]
        await pilot.pause()
        lines = option_list.highlighted_option.prompt.plain.split("\n")
        screen = screen_text(app)
        assert len(lines) > 1 and all(line.strip() in screen for line in lines)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_roles_box_leaves_the_list_its_room(app: ReaderApp, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        await show_pane(pilot, size)
        roles = app.query_one("#roles")
        with_roles = [s.entity for s in app.xref.shared
                      if app.library.affiliations(s.entity.id) and not s.entity.discovered]
        person = max(with_roles, key=lambda e: len(app.library.affiliations(e.id)))
        app.xref.focus_entity(person.id)
        await settle(pilot)
        assert roles.display and roles.region.height >= 2
        pane = app.xref.region.height
        assert app.xref.option_list.region.height >= pane // 2
        assert roles.region.height <= pane * 0.3 + 1
        # The related articles can be reached and seen with the roles shown.
        await pilot.press("G")
        await settle(pilot)
        assert "Related articles" in screen_text(app) or app.xref.option_list.highlighted_option.id.startswith(RELATED)
