"""Curating discovered entities from the cross-reference pane."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from reader.ui.app import ReaderApp
from reader.ui.screens.merge import MergeScreen

from ui_helpers import SIZE, screen_text, settle


def footer_line(app: ReaderApp) -> str:
    return screen_text(app).splitlines()[-1]


def status_text(app: ReaderApp) -> str:
    return str(app.query_one("#status").render()).strip()

NEWCOMER = "newcomer-article"
BODY = """Acme Robotics chief executive Zorana Velikova said on Monday that the
company would open a research centre in Shanghai next year.

Velikova told reporters that Acme Robotics and SenseTime would work together.
"""


def add_article(folder: Path) -> None:
    (folder / f"{NEWCOMER}.md").write_text(
        f"---\nid: {NEWCOMER}\ntitle: Acme Robotics opens a Shanghai lab\ndate: 2024-07-05\n---\n{BODY}",
        encoding="utf-8",
    )


@pytest.fixture
def curating(corpus: Path, tmp_path: Path) -> Iterator[tuple[Library, ReaderApp]]:
    """The reader on a corpus with one more article, whose names are new."""
    add_article(corpus)
    library = Library(corpus, tmp_path / "index")
    yield library, ReaderApp(library, watch=False)
    library.close()


async def discovered_entity(pilot, app: ReaderApp) -> str:
    app.go_to_article(NEWCOMER)
    await settle(pilot)
    found = [s.entity for s in app.xref.shared if s.entity.discovered]
    assert found, "discovery found no new name"
    entity = next((e for e in found if e.kind == "person"), found[0])
    app.xref.option_list.focus()
    app.xref.focus_entity(entity.id)
    await pilot.pause()
    assert app.xref.highlighted_entity().id == entity.id
    return entity.name


async def test_accept_discovered(curating: tuple[Library, ReaderApp], corpus: Path) -> None:
    library, app = curating
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        name = await discovered_entity(pilot, app)
        await pilot.press("a")
        await settle(pilot)
        assert any(e.name == name and not e.discovered for e in library.entity_list)
        assert name in (corpus / "entities.yaml").read_text(encoding="utf-8")
        # The open article was extracted again: the name is now confirmed.
        assert app.view.article.id == NEWCOMER
        names = {s.entity.name: s.entity.discovered for s in app.xref.shared}
        assert names.get(name) is False
        # The cursor stayed on the entity, now confirmed, in the pane that has the focus.
        highlighted = app.xref.highlighted_entity()
        assert highlighted is not None and highlighted.name == name and not highlighted.discovered
        assert app.focused is app.xref.option_list
        # Confirmed now: a, m, x are no longer offered.
        assert "Accept" not in footer_line(app)


async def test_merge_discovered_into_existing(curating: tuple[Library, ReaderApp], corpus: Path) -> None:
    library, app = curating
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        name = await discovered_entity(pilot, app)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MergeScreen)
        await pilot.press(*"elon mu")
        await pilot.pause()
        assert app.screen.shown[0].id == "elon-musk"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, MergeScreen)
        musk = library.entity_list.get("elon-musk")
        assert name in musk.aliases
        assert all(not (s.entity.discovered and s.entity.name == name) for s in app.xref.shared)
        assert "elon-musk" in {s.entity.id for s in app.xref.shared}
        # The cursor is on the entity the name was merged into.
        assert app.xref.highlighted_entity().id == "elon-musk"
        assert app.focused is app.xref.option_list


async def test_merge_can_be_cancelled(curating: tuple[Library, ReaderApp], corpus: Path) -> None:
    library, app = curating
    before = (corpus / "entities.yaml").read_text(encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await discovered_entity(pilot, app)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("q")  # typed in the merge box, not quitting
        await pilot.pause()
        assert app.is_running and app.screen.query_one("#merge-input").value == "q"
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, MergeScreen)
    assert (corpus / "entities.yaml").read_text(encoding="utf-8") == before


async def test_reject_discovered(curating: tuple[Library, ReaderApp], corpus: Path) -> None:
    library, app = curating
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        name = await discovered_entity(pilot, app)
        await pilot.press("x")
        await settle(pilot)
        assert name not in {s.entity.name for s in app.xref.shared}
        assert any(name in str(n.message) for n in app._notifications)


async def test_curating_a_confirmed_entity_is_refused(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.go_to_article("waic-2024-preview")
        await settle(pilot)
        app.xref.option_list.focus()
        app.xref.focus_entity("li-qiang")
        await pilot.pause()
        footer = footer_line(app)
        # On a confirmed entity the footer offers no curating (nor an undo: nothing was rejected).
        assert "Accept" not in footer and "Reject" not in footer and "Undo" not in footer
        before = app.library.entity_list.get("li-qiang")
        for key in ("a", "m", "x"):
            app._notifications.clear()
            await pilot.press(key)
            await settle(pilot)
            assert any("already in the entity list" in str(n.message) for n in app._notifications), key
        assert app.library.entity_list.get("li-qiang") == before
        assert "li-qiang" not in app.library.entity_list.ignore
        await pilot.press("u")
        await settle(pilot)
        assert any(n.message == "No rejection to undo." for n in app._notifications)


async def test_curating_keys_are_offered_on_a_discovered_entity(curating: tuple[Library, ReaderApp]) -> None:
    library, app = curating
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await discovered_entity(pilot, app)
        footer = footer_line(app)
        assert "a Accept" in footer and "m Merge" in footer and "x Reject" in footer


async def test_reject_moves_to_the_next_entity_and_u_undoes_it(curating: tuple[Library, ReaderApp],
                                                              corpus: Path) -> None:
    library, app = curating
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        name = await discovered_entity(pilot, app)
        following = app.xref.neighbour_of(app.xref.highlighted_entity().id)
        await pilot.press("x")
        await settle(pilot)
        assert name in library.entity_list.ignore
        assert name not in {s.entity.name for s in app.xref.shared}
        highlighted = app.xref.highlighted_entity()
        assert highlighted is not None and highlighted.id == following
        # The status says how to take it back, and the footer offers it.
        assert status_text(app).endswith("(u undoes it)")
        assert "u Undo reject" in footer_line(app)
        await pilot.press("u")
        await settle(pilot)
        assert name not in library.entity_list.ignore
        assert name in {s.entity.name for s in app.xref.shared}
        assert name not in (corpus / "entities.yaml").read_text("utf-8")
        # Back where it was, the cursor on it; nothing left to undo.
        highlighted = app.xref.highlighted_entity()
        assert highlighted is not None and highlighted.name == name
        assert "may be taken for an entity again" in status_text(app)
        assert "Undo reject" not in footer_line(app)
