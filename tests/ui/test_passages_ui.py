"""Shared passages in the reader: the cross-reference pane names the
articles that share passages with the open one, the shared text is marked in
the article, and a near-duplicate article is marked in the list."""

from __future__ import annotations

from pathlib import Path

from reader.library import Library
from reader.ui.app import ReaderApp
from reader.ui.widgets.xref_pane import PASSAGES

from ui_helpers import SIZE, open_article, screen_text, settle

PREVIEW = "waic-2024-preview"
OPENING = "waic-2024-opening-speakers"


async def test_pane_lists_the_sharing_article_and_the_text_is_marked(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, PREVIEW)
        await settle(pilot)
        option_ids = [o.id for o in app.xref.option_list.options if o.id]
        assert PASSAGES + OPENING in option_ids
        assert "Shared passages" in [o.prompt.plain for o in app.xref.option_list.options]
        # After the related articles: the rows above it are as they were.
        assert option_ids.index(PASSAGES + OPENING) > max(
            i for i, o in enumerate(option_ids) if o.startswith("related:"))

        view = app.view
        body = view.article.body
        start = body.index("More than 500 enterprises")
        passage = view._style("passage")
        assert passage in view.styles_at(start)
        outside = body.index("Shanghai") if body.index("Shanghai") < start else 0
        assert passage not in view.styles_at(outside)
        assert passage.background is not None  # a band of its own

        # Enter on the entry opens the article it names.
        app.xref.option_list.focus()
        app.xref.option_list.highlighted = app.xref.option_list.get_option_index(PASSAGES + OPENING)
        await settle(pilot)
        assert "passage" in screen_text(app)  # the cursor's entry says what it shares
        await pilot.press("enter")
        await settle(pilot)
        assert app.view.article is not None and app.view.article.id == OPENING
        assert PASSAGES + PREVIEW in [o.id for o in app.xref.option_list.options]


async def test_article_without_shared_passages_has_no_section(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "china-powers-global-ai-innovation")
        await settle(pilot)
        assert not any((o.id or "").startswith(PASSAGES) for o in app.xref.option_list.options)
        assert app.view.passages == []


async def test_near_duplicate_is_marked_in_the_list(corpus: Path, tmp_path: Path) -> None:
    preview = (corpus / f"{PREVIEW}.md").read_text("utf-8")
    body = preview.split("---\n", 2)[2]
    (corpus / "preview-resent.md").write_text(
        "---\nid: preview-resent\ntitle: Re-sent preview\ndate: 2024-07-04\n---\n" + body, encoding="utf-8")
    library = Library(corpus, tmp_path / "index")
    app = ReaderApp(library, watch=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await open_article(pilot, PREVIEW)
            await settle(pilot)
            assert app.table.duplicates == {PREVIEW, "preview-resent"}
            assert "≈" in screen_text(app)
            entry = next(o for o in app.xref.option_list.options if o.id == PASSAGES + "preview-resent")
            assert "≈" in entry.prompt.plain
    finally:
        library.close()
