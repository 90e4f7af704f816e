"""The article view draws a hard-wrapped paragraph as one (reader.reflow)."""

from __future__ import annotations

from pathlib import Path

from reader.library import Library
from reader.ui.app import ReaderApp

from test_reflow import WIRE
from ui_helpers import open_article, screen_text, settle


async def test_the_article_view_draws_a_wrapped_paragraph_as_one(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "wire.md").write_text(f"---\nid: wire\ntitle: Basket revised\n---\n{WIRE}", "utf-8")
    library = Library(folder, tmp_path / "index")
    library.update()
    try:
        app = ReaderApp(library, watch=False)
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(pilot)
            await open_article(pilot, "wire")
            text = screen_text(app)
            # The file breaks the line after "currencies"; the view flows on.
            assert "currencies in its basket" in text
            assert "Sterling     14.3 (13.8)" in text  # a table row keeps its columns
            # Offsets are the body's: a search hit is drawn on the words it found.
            view = app.query_one("ArticleView")
            start = library.article("wire").body.index("basket")
            assert view._text[start : start + 6] == "basket"
    finally:
        library.close()
