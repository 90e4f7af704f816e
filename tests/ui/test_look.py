"""The screens as a user sees them, at 120x40 and 80x24, in both themes: the
header's counts, a status message that fades, the help's first lines, and the
cross-reference pane's related articles, read from the rendered screen. The
checks are about text being there whole, not about colours, so they hold for
any palette."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.ui.app as app_module
from reader.library import Library
from reader.ui.app import DARK, LIGHT, NARROW, ReaderApp, header_counts
from reader.ui.screens.help import HelpScreen
from reader.ui.widgets.xref_pane import RELATED

from test_ui_curate import add_article
from ui_helpers import screen_text, settle

LOOKS = [(size, theme) for size in ((120, 40), (80, 24)) for theme in (DARK, LIGHT)]


def region_text(app: ReaderApp, widget) -> str:  # type: ignore[no-untyped-def]
    region = widget.region
    lines = screen_text(app).splitlines()
    return "\n".join(line[region.x:region.right] for line in lines[region.y:region.bottom])


@pytest.mark.parametrize(("size", "theme"), LOOKS, ids=[f"{w}x{h}-{t.split('-')[1]}" for (w, h), t in LOOKS])
async def test_the_screens_read_whole(size: tuple[int, int], theme: str, corpus: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "STATUS_SECONDS", 1.5)  # long enough to be read on a busy machine
    add_article(corpus)  # discovered names: the longest form of the counts
    library = Library(corpus, tmp_path / "index")
    app = ReaderApp(library, watch=False)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            if theme == LIGHT:
                await pilot.press("t")
                await settle(pilot)
            assert app.theme == theme and app.current_theme.dark is (theme == DARK)
            await pilot.pause(2.0)  # "ready in …" fades

            # The header: the folder's counts, whole.
            counts = header_counts(6, app.entity_counts)
            assert "discovered" in counts
            assert counts in screen_text(app).splitlines()[0]

            # A message shows in the header, then fades, and the counts are whole again.
            app.go_to_article("waic-2024-preview")
            await settle(pilot)
            app.view.focus()
            await pilot.press("1")
            await pilot.pause()
            assert "person: hidden" in screen_text(app).splitlines()[0]
            await pilot.pause(2.0)
            header = screen_text(app).splitlines()[0]
            assert "person: hidden" not in header and counts in header
            await pilot.press("1")

            # The help: its title and first lines, not cut.
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            shown = screen_text(app)
            title = str(app.screen.query_one("#help-title").render()).strip()
            first = [line.strip() for line in str(app.screen.query_one("#help-text").content).splitlines()[:4]]
            for line in [title, *first]:
                if line:
                    assert line in shown, (line, shown)
            await pilot.press("escape")
            await pilot.pause()

            # The cross-references: the related articles on screen (behind X when narrow).
            if size[0] < NARROW:
                await pilot.press("X")
                await pilot.pause()
            app.xref.option_list.focus()
            await pilot.press("G")
            await settle(pilot)
            related = [o for o in app.xref.option_list.options if o.id and o.id.startswith(RELATED)]
            assert related
            pane = region_text(app, app.xref)
            on_screen = [o for o in related if str(o.prompt).strip()[:10] in pane]
            assert len(on_screen) >= min(3, len(related)), pane
    finally:
        library.close()


README = Path(__file__).resolve().parents[2] / "README.md"


async def test_the_readme_capture_is_what_the_screen_shows(library: Library) -> None:
    """The README's text capture of the reader (120x36, the first article
    open) line for line, but for the cut it marks with "…"."""
    text = README.read_text("utf-8")
    block = text.split("The bundled corpus at 120x36", 1)[1].split("```text\n", 1)[1].split("\n```", 1)[0]
    captured = block.split("\n")
    cut = captured.index("…")
    app = ReaderApp(library, watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(1.0)  # the entities are drawn after the text
        screen = [line.rstrip() for line in screen_text(app).splitlines()]
    assert captured[:cut] == screen[:cut]
    assert captured[cut + 1 :] == screen[-len(captured[cut + 1 :]) :]
