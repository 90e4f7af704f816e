"""The article view: entity highlights by kind, the legend and kind toggles,
the cross-reference pane, mentions across the corpus, ] and [, history, copy."""

from __future__ import annotations

import re

from textual.content import Span

from reader.ui.app import ReaderApp
from reader.ui.kinds import component_style, kind_class
from reader.ui.screens.mentions import MentionsScreen

from ui_helpers import SIZE, open_article, screen_text, settle

PREVIEW = "waic-2024-preview"


def spans_at(app: ReaderApp, offset: int) -> list[Span]:
    """The spans drawn over a body offset in the article view."""
    view = app.view
    y = view.line_of(offset)  # the line that shows the offset, as it is drawn
    local = offset - view.offset_at(y)
    return [s for s in view.line_content(y).spans if s.start <= local < s.end]


def first_offset(app: ReaderApp, entity_id: str) -> int:
    return app.view.mentions_of(entity_id)[0][0]


async def select_in_xref(pilot, entity_id: str) -> None:
    app: ReaderApp = pilot.app
    app.xref.option_list.focus()
    app.xref.focus_entity(entity_id)
    await pilot.pause()
    assert app.selected is not None and app.selected.id == entity_id


async def test_entities_highlighted_by_kind(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, PREVIEW)
        view = app.view
        expected = {"li-qiang": "person", "elon-musk": "person", "sensetime": "company",
                    "shanghai": "place", "sensenova": "product"}
        by_name = {app.library.entity(i).name: i for i in view.kinds_of}
        for entity_id, kind in expected.items():
            assert view.kinds_of.get(entity_id) == kind, (entity_id, by_name)
            styles = [s.style for s in spans_at(app, first_offset(app, entity_id))]
            assert component_style(view, kind_class(kind)) in styles
        kinds = set(view.kinds_of.values())
        assert {"person", "company", "organization", "place", "product", "event"} <= kinds
        # Distinct colours per kind.
        colours = {component_style(view, kind_class(k)).foreground for k in kinds}
        assert len(colours) == len(kinds)
        legend = str(app.query_one("#legend").content)
        for word in ("person", "company", "org", "place", "product", "event", "discovered"):
            assert word in legend


async def test_kind_toggles_switch_highlighting(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, PREVIEW)
        person = component_style(app.view, kind_class("person"))
        offset = first_offset(app, "elon-musk")
        assert person in [s.style for s in spans_at(app, offset)]
        await pilot.press("1")
        assert "person" not in app.kinds_on
        assert person not in [s.style for s in spans_at(app, offset)]
        place = component_style(app.view, kind_class("place"))
        await pilot.press("4")
        assert place not in [s.style for s in spans_at(app, first_offset(app, "shanghai"))]
        assert app.kinds_on == {"company", "organization", "product", "event"}
        assert "place" in str(app.query_one("#status").content)
        await pilot.press("1", "4")
        assert len(app.kinds_on) == 6
        assert person in [s.style for s in spans_at(app, offset)]


async def test_xref_pane_lists_people_first_with_counts(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, PREVIEW)
        shared = app.xref.shared
        kinds = [s.entity.kind for s in shared]
        assert kinds[0] == "person"
        assert kinds.index("company") > max(i for i, k in enumerate(kinds) if k == "person")
        text = screen_text(app)
        for name in ("People", "Companies", "Li Qiang", "Elon Musk", "SenseTime"):
            assert name in text
        option_list = app.xref.option_list
        option_list.highlighted = option_list.option_count - 1  # scrolls to the related articles
        await pilot.pause()
        assert "Related articles" in screen_text(app)
        # One line per entity: its mentions here (×1) and the other articles naming it (+2).
        assert re.search(r"×1 \+2 Li Qiang *$", text, re.MULTILINE), text
        related = [r.id for r in app.xref.related]
        assert related[0] == "waic-2024-opening-speakers"


async def test_selected_entity_emphasised_and_roles_shown(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, PREVIEW)
        await select_in_xref(pilot, "li-qiang")
        selected_style = component_style(app.view, "entity--selected")
        assert selected_style in [s.style for s in spans_at(app, first_offset(app, "li-qiang"))]
        roles = str(app.query_one("#roles").content)
        assert "Roles of Li Qiang" in roles and "Premier" in roles and "State Council" in roles
        await select_in_xref(pilot, "elon-musk")
        assert selected_style not in [s.style for s in spans_at(app, first_offset(app, "li-qiang"))]
        assert selected_style in [s.style for s in spans_at(app, first_offset(app, "elon-musk"))]


async def test_enter_on_entity_lists_mentions_then_opens_other_article(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, PREVIEW)
        await select_in_xref(pilot, "li-qiang")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MentionsScreen)
        assert {c.article for c in screen.contexts} == {PREVIEW, "waic-2024-opening-speakers",
                                                      "china-ai-international-cooperation"}
        text = screen_text(app)
        assert "Mentions of Li Qiang" in text
        assert "Premier Li Qiang will deliver" in text
        target = next(i for i, c in enumerate(screen.contexts) if c.article == "china-ai-international-cooperation")
        context = screen.contexts[target]
        screen.query_one("#mentions-list").highlighted = target
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, MentionsScreen)
        assert app.view.article.id == "china-ai-international-cooperation"
        assert app.selected.id == "li-qiang"
        # Scrolled to the mention: its paragraph is on screen and emphasised.
        assert app.view.scroll_y > 0
        y = app.view.line_of(context.start)
        top, height = app.view.scroll_y, app.view.scrollable_content_region.height
        assert top <= y < top + height
        assert context.text.split()[0] in app.view.line_content(y).plain
        selected_style = component_style(app.view, "entity--selected")
        assert selected_style in [s.style for s in spans_at(app, context.start)]


async def test_mentions_screen_escape_goes_back(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, PREVIEW)
        await select_in_xref(pilot, "sensetime")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MentionsScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, MentionsScreen)
        assert app.view.article.id == PREVIEW


async def test_related_article_opens(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, PREVIEW)
        option_list = app.xref.option_list
        option_list.focus()
        option_list.highlighted = option_list.get_option_index("related:waic-qualcomm-sole-us-sponsor")
        await pilot.press("enter")
        await settle(pilot)
        assert app.view.article.id == "waic-qualcomm-sole-us-sponsor"


async def test_next_and_previous_mention_cross_articles(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, PREVIEW)
        await select_in_xref(pilot, "china")
        spans = app.view.mentions_of("china")
        assert len(spans) == 5
        app.view.focus()
        for expected in spans:
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert app.mention_offset == expected[0]
        order = [ref.id for ref in app.library.articles_for("china")]
        await pilot.press("right_square_bracket")
        await settle(pilot)
        following = order[(order.index(PREVIEW) + 1) % len(order)]
        assert app.view.article.id == following
        assert app.selected.id == "china"
        assert app.mention_offset == app.view.mentions_of("china")[0][0]
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.view.article.id == PREVIEW
        assert app.mention_offset == app.view.mentions_of("china")[-1][0]
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.mention_offset == app.view.mentions_of("china")[-2][0]


async def test_mention_keys_without_selection_explain(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.selected = None
        app.view.focus()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert any("Select an entity" in str(n.message) for n in app._notifications)


async def test_back_and_forward(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, PREVIEW)
        await open_article(pilot, "waic-qualcomm-sole-us-sponsor")
        await open_article(pilot, "china-powers-global-ai-innovation")
        app.view.focus()
        await pilot.press("b")
        await settle(pilot)
        assert app.view.article.id == "waic-qualcomm-sole-us-sponsor"
        await pilot.press("backspace")
        await settle(pilot)
        assert app.view.article.id == PREVIEW
        await pilot.press("f")
        await settle(pilot)
        assert app.view.article.id == "waic-qualcomm-sole-us-sponsor"
        await pilot.press("alt+right")
        await settle(pilot)
        assert app.view.article.id == "china-powers-global-ai-innovation"
        await pilot.press("alt+left")
        await settle(pilot)
        assert app.view.article.id == "waic-qualcomm-sole-us-sponsor"
        await pilot.press("shift+backspace")
        await settle(pilot)
        assert app.view.article.id == "china-powers-global-ai-innovation"


async def test_copy_citation_or_selection(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "waic-qualcomm-sole-us-sponsor")
        app.view.focus()
        await pilot.press("y")
        article = app.view.article
        assert app.clipboard == article.citation()
        assert article.display_title in app.clipboard
        # With text selected, y copies the selection.
        from textual.selection import Selection
        from textual.geometry import Offset

        first = app.view.head_height  # the first line of the text
        app.screen.selections = {app.view: Selection(Offset(0, first), Offset(5, first))}
        await pilot.press("y")
        assert app.clipboard == article.body[:5]


def test_wrapping_keeps_offsets_and_width() -> None:
    from rich.cells import cell_len

    from reader.ui.widgets.article_view import wrap_body

    body = ("Premier Li Qiang’s speech — “AI for good” — opened WAIC in 上海 with 3,000 guests.\n\n"
            "Shr 1.50 dlrs vs 1.20 dlrs\nNet 4,500,000 vs 3,900,000\n\n"
            + "averyveryverylongwordthatcannotbreak " * 3)
    for width in (8, 13, 40, 200):
        starts, ends = wrap_body(body, width)
        assert all(cell_len(body[s:e]) <= width for s, e in zip(starts, ends))
        # Lines are ranges of the body in order; only spaces and newlines fall between them.
        assert all(e <= s2 for e, s2 in zip(ends, starts[1:]))
        covered = "".join(body[s:e] for s, e in zip(starts, ends))
        assert covered.replace(" ", "") == body.replace(" ", "").replace("\n", "")
        # A table keeps its lines; a paragraph break is a blank line.
        assert body.index("Net 4,500,000") in starts
        assert any(s == e for s, e in zip(starts, ends))


async def test_title_block_highlights_the_headline_entities(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "waic-qualcomm-sole-us-sponsor")
        view = app.view
        title = view.title_content
        start = title.plain.index("Qualcomm")
        styles = [s.style for s in title.spans if s.start <= start < s.end]
        assert component_style(view, kind_class("company")) in styles
        # Toggling the kind off takes the colour off the title too.
        view.set_kinds(set(view.kinds_on) - {"company"})
        styles = [s.style for s in view.title_content.spans if s.start <= start < s.end]
        assert component_style(view, kind_class("company")) not in styles
