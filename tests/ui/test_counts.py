"""What the header counts, and how counts, dates and bylines read on screen."""

from __future__ import annotations

from pathlib import Path

from reader.library import Library
from reader.ui.app import ReaderApp, header_counts

from ui_helpers import SIZE, open_article, screen_text, settle

STORY = """---
id: {id}
title: {title}
source: Wire
author: "By Jan Novak, Wire ·"
date: {date}
---
Marta Kowalczyk, chief executive of Zentrix Technologies, said on Monday that the
company would open a plant in Gdansk. Kowalczyk said the plant would employ 400 people.
"""


def discovered_only(tmp_path: Path) -> Library:
    """A folder with no entity list: every entity the reader shows is discovered."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.md").write_text(STORY.format(id="one", title="Zentrix to open plant", date="1987-10-20T22:53:00"))
    (folder / "two.md").write_text(STORY.format(id="two", title="Plant opens", date="2024-07-06"))
    library = Library(folder, tmp_path / "index")
    library.update()
    return library


def test_header_counts_read_right() -> None:
    assert header_counts(1, None) == "1 article"
    assert header_counts(5, (1, 0)) == "5 articles · 1 entity"
    assert header_counts(5, (40, 12)) == "5 articles · 52 entities (40 confirmed, 12 discovered)"
    assert header_counts(2, (0, 3)) == "2 articles · 3 entities (all discovered)"


async def test_the_header_counts_confirmed_entities(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        confirmed = len(app.library.entity_list)
        assert f"5 articles · {confirmed} entities" in screen_text(app)


async def test_discovered_entities_are_counted_and_listed(tmp_path: Path) -> None:
    library = discovered_only(tmp_path)
    try:
        confirmed, discovered = library.entity_counts()
        assert confirmed == 0 and discovered > 0
        app = ReaderApp(library, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await open_article(pilot, "one")
            text = screen_text(app)
            assert f"2 articles · {discovered} entities (all discovered)" in text
            assert "0 entities" not in text
            assert "No entities in this article." not in text
            assert "Marta Kowalczyk" in text.split("Cross-references", 1)[1]
            # The byline: a date as a date, and no separator left dangling.
            # (the byline may break between its parts at the pane's width)
            assert "Wire · By Jan Novak, Wire" in text and "20 Oct 1987 22:53" in text
            assert not any(line.rstrip(" ▕▏█").endswith("·") for line in text.splitlines())
            assert "1987-10-20" not in text
            assert "6 Jul 2024" in text  # the other article's date in the list
    finally:
        library.close()


async def test_an_article_not_yet_indexed_lists_what_the_reader_found(tmp_path: Path) -> None:
    library = discovered_only(tmp_path)
    try:
        article = library.article("one")
        extraction = library.extraction(article)
        found = library.xref.found(extraction, "one")
        assert {s.entity.name for s in found} >= {"Marta Kowalczyk"}
        assert all(s.others == [] for s in found)
    finally:
        library.close()
