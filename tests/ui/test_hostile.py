"""Hostile text (markup, escape sequences, NUL) in titles, bodies, entity
names and queries is shown literally and never crashes the app."""

from __future__ import annotations

import shutil
from pathlib import Path

from reader.library import Library
from reader.ui.app import ReaderApp
from reader.ui.screens.mentions import MentionsScreen
from reader.ui.screens.search import SearchScreen

from ui_helpers import ARTICLES, SIZE, screen_text, settle

MARKUP = "[bold]B[/bold] [/foo] [link=x]L[/link] [@click=app.quit]Q[/]"
ESCAPES = "\x1b[31mred\x1b[0m \x1b]0;owned\x07 nul\x00here"
EVIL_NAME = "[bold]Evil[/foo] Corp"


def hostile_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    shutil.copytree(ARTICLES, folder)
    title = f"Hostile {MARKUP} {ESCAPES}".replace("\x00", "\\0").replace("\x1b", "\\e").replace("\x07", "\\a")
    body = (
        f"{MARKUP}\n\n"
        f"The firm {EVIL_NAME} met Elon Musk in Shanghai. {ESCAPES}\n\n"
        f"[bold]{EVIL_NAME}[/bold] said [/] nothing.\n"
    )
    # The title goes through YAML with escapes so that the control characters are real.
    yaml_title = title.replace("\\", "\\\\").replace('"', '\\"').replace("\\\\0", "\\0").replace("\\\\e", "\\e").replace("\\\\a", "\\a")
    raw = f'---\nid: hostile\ntitle: "{yaml_title}"\ndate: 2031-01-01\n---\n{body}'.encode("utf-8")
    (folder / "hostile.md").write_bytes(raw)
    entities = (folder / "entities.yaml").read_text(encoding="utf-8")
    entities = entities.replace(
        "entities:\n",
        'entities:\n  - id: evil-corp\n    name: "[bold]Evil[/foo] Corp"\n    kind: company\n'
        '    aliases:\n      - "[@click=app.quit]Evil"\n',
        1,
    )
    (folder / "entities.yaml").write_text(entities, encoding="utf-8")
    return folder


async def test_hostile_corpus_renders_literally(tmp_path: Path) -> None:
    folder = hostile_corpus(tmp_path)
    library = Library(folder, tmp_path / "index")
    app = ReaderApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "hostile" in {row.id for row in app.table.rows}
        app.go_to_article("hostile")
        await settle(pilot)
        assert app.is_running
        text = screen_text(app)
        assert "[/foo]" in text and "[@click=app.quit]" in text and "[link=x]" in text
        assert "\x1b" not in text and "\x00" not in text
        assert "[bold]Evil[/foo] Corp" in text  # in the body and in the xref pane
        assert "evil-corp" in app.view.kinds_of
        # The entity's mentions, with its hostile name in the title and contexts.
        app.xref.option_list.focus()
        app.xref.focus_entity("evil-corp")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MentionsScreen)
        assert "Mentions of [bold]Evil[/foo] Corp" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        # A hostile query, typed.
        await pilot.press("slash")
        await pilot.press(*"[/foo] [@click=app.quit] [bold]")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.is_running
        app.screen.input.value = "Evil"
        await settle(pilot)
        assert "hostile" in {h.id for h in app.screen.result.hits}
        assert "[bold]Evil[/foo] Corp" in screen_text(app) or "Hostile [bold]B[/bold]" in screen_text(app)
        await pilot.press("escape")
        # Notifications with hostile text.
        app.notify(MARKUP, markup=False)
        await pilot.press("y")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+p")
        await pilot.press(*"evil")
        await pilot.pause(0.3)
        assert app.is_running
    library.close()


async def test_hostile_title_in_list_and_header(tmp_path: Path) -> None:
    folder = hostile_corpus(tmp_path)
    renamed = folder.parent / "[bold]evil["
    shutil.move(str(folder), renamed)
    library = Library(renamed, tmp_path / "index")
    app = ReaderApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.view.article.id == "hostile"  # the newest
        title = app.view.title_content.plain
        assert f"Hostile {MARKUP}" in title
        text = screen_text(app)
        assert "Hostile [bold]B[/bold]" in text  # in the list and the title block
        assert "[bold]evil[" in text  # the folder's name in the header
        await pilot.press("s")  # sort by title puts it among the others
        await pilot.pause()
        assert app.is_running
    library.close()


ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202e\u2066"


async def test_zero_width_characters_in_a_title_do_not_shift_the_list(tmp_path: Path) -> None:
    folder = tmp_path / "zw"
    shutil.copytree(ARTICLES, folder)
    title = "".join(f"{c}{ZERO_WIDTH}" for c in "Zero width title")
    (folder / "zw.md").write_text(f"---\nid: zw\ntitle: \"{title}\"\ndate: 2031-01-01\n---\nText.\n", encoding="utf-8")
    library = Library(folder, tmp_path / "index")
    app = ReaderApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.view.article.id == "zw"
        assert app.view.title_content.plain.startswith("Zero width title")
        lines = screen_text(app).split("\n")
        row = next(i for i, line in enumerate(lines) if "Zero width title" in line)
        assert not any(c in lines[row] for c in ZERO_WIDTH)
        # The list's right edge stands in the same column on the row and on its neighbours.
        border = {line.find("▏") if "▏" in line else line.find("│") for line in lines[row - 1:row + 3]}
        assert len(border) == 1 and border != {-1}, lines[row - 1:row + 3]
    library.close()
