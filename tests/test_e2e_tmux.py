"""End to end: the installed ``reader`` command in a real terminal (tmux), driven
by keys and read back from the screen, as a user would use it.

CI installs tmux; a machine without it fails this test rather than skip it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 15.0

pytestmark = pytest.mark.e2e


def reader_command() -> str:
    found = shutil.which("reader") or str(Path(sys.executable).with_name("reader"))
    assert Path(found).exists(), "the reader console script is not installed"
    return found


def tmux(*args: str) -> str:
    tmux_path = shutil.which("tmux")
    assert tmux_path, "tmux is required for the end-to-end test (CI installs it)"
    done = subprocess.run([tmux_path, *args], capture_output=True, text=True, timeout=10)
    assert done.returncode == 0, done.stderr
    return done.stdout


class Terminal:
    def __init__(self, session: str) -> None:
        self.session = session

    def screen(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        tmux("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        tmux("send-keys", "-t", self.session, "-l", text)

    def wait_for(self, *texts: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"never saw {texts!r}; the screen was:\n{screen}")

    def alive(self) -> bool:
        done = subprocess.run(["tmux", "has-session", "-t", self.session], capture_output=True)
        return done.returncode == 0


@pytest.fixture
def terminal(tmp_path: Path):
    articles = tmp_path / "articles"
    shutil.copytree(REPO / "articles", articles)
    session = f"reader-e2e-{uuid.uuid4().hex[:8]}"
    env_index = tmp_path / "index"
    # COLUMNS/LINES as a CI runner or a shell may export them: the reader
    # must size itself from the terminal (120x40), not from these.
    command = (
        f"env READER_INDEX={env_index} TERM=xterm-256color COLUMNS=80 LINES=24 "
        f"{reader_command()} --articles {articles}; echo READER-EXITED $?; sleep 30"
    )
    tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", session, command)
    term = Terminal(session)
    try:
        yield term
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def expected_route(articles: Path, index: Path) -> tuple[str, str, str, int, str, str]:
    """What the keys below should lead to, asked of the domain directly:
    (first SenseTime hit, its first entity, that entity's name, how many
    mentions down the first one in another article is, that article's title,
    the first hit's title)."""
    from reader.library import Library

    library = Library(articles, index)
    try:
        library.update()
        hit = library.search("SenseTime").hits[0]
        first = hit.id
        entity = library.shared(first)[0].entity
        contexts = library.mention_contexts(entity.id, limit=1000)
        position = next(i for i, c in enumerate(contexts) if c.article != first)
        return first, entity.id, entity.name, position, contexts[position].title, hit.title
    finally:
        library.close()


def test_search_open_follow_entity_and_quit(terminal: Terminal, tmp_path: Path) -> None:
    _first, _entity_id, name, position, other_title, first_title = expected_route(
        tmp_path / "articles", tmp_path / "expected-index")

    screen = terminal.wait_for("5 articles", "Cross-references", "ready", "Li Qiang")
    assert "Shanghai is set to kick off" in screen
    lines = screen.splitlines()
    assert max(len(line) for line in lines) > 100, "the reader did not fill the 120-column terminal"
    assert len(lines) >= 39, "the reader did not fill the 40-line terminal"

    # Search for SenseTime as you type; Enter goes to the results, Enter opens one.
    terminal.keys("/")
    terminal.wait_for("Type to search")
    terminal.type("SenseTime")
    screen = terminal.wait_for("4 articles")
    assert screen.count("SenseTime") >= 3  # in the input and in the snippets
    terminal.keys("Enter")
    time.sleep(0.3)
    terminal.keys("Enter")
    # The first hit is open (its title in the article pane), its entities listed.
    screen = terminal.wait_for("Cross-references", " ".join(first_title.split()[:4]), name)
    assert "Type to search" not in screen
    assert "hit 1/" in screen or "SenseTime" in screen

    # Follow the article's first entity through the cross-reference pane.
    terminal.keys("Tab", "Tab")
    time.sleep(0.3)
    terminal.keys("Enter")
    screen = terminal.wait_for(f"Mentions of {name}", "mentions in")
    for _ in range(position):
        terminal.keys("j")
    time.sleep(0.3)
    terminal.keys("Enter")
    words = " ".join(other_title.split()[:3])
    screen = terminal.wait_for("Cross-references", words)
    assert "Mentions of" not in screen
    assert name in screen

    # Back returns to the search result.
    terminal.keys("b")
    terminal.wait_for("Cross-references")

    terminal.keys("q")
    terminal.wait_for("READER-EXITED 0")
