"""End to end: the installed ``reader`` command in a real terminal (tmux), driven
by keys and read back from the screen, as a user would use it.

CI installs tmux; a machine without it fails this test rather than skip it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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


    def coloured(self) -> str:
        """The screen with its colours (SGR escape sequences)."""
        return tmux("capture-pane", "-p", "-e", "-t", self.session)

    def wait_until_gone(self, text: str, line: int, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen.splitlines()[line]:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never left line {line}; the screen was:\n{screen}")


@contextmanager
def reader_in_tmux(tmp_path: Path, width: int, height: int) -> Iterator[Terminal]:
    articles = tmp_path / "articles"
    if not articles.exists():  # a second launch on the same folder keeps it
        shutil.copytree(REPO / "articles", articles)
    session = f"reader-e2e-{uuid.uuid4().hex[:8]}"
    env_index = tmp_path / "index"
    # The reading state of the test's own (tmux passes its server's
    # environment, not the test's).
    state = tmp_path / "state.sqlite3"
    # COLUMNS/LINES as a CI runner or a shell may export them: the reader
    # must size itself from the terminal, not from these.
    command = (
        f"env READER_INDEX={env_index} READER_STATE={state} TERM=xterm-256color COLUMNS=80 LINES=24 "
        f"{reader_command()} --articles {articles}; echo READER-EXITED $?; sleep 30"
    )
    tmux("new-session", "-d", "-x", str(width), "-y", str(height), "-s", session, command)
    try:
        yield Terminal(session)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    with reader_in_tmux(tmp_path, 120, 40) as term:
        yield term


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


def expected_look(articles: Path, index: Path) -> tuple[str, list[str], list[str]]:
    """What the screens should show, asked of the domain and the bindings: the
    header's counts, the descriptions of the first keys of the help, and the
    titles of the articles related to the one the reader opens first (the newest)."""
    from reader.library import Library
    from reader.ui.app import ReaderApp, header_counts

    library = Library(articles, index)
    try:
        library.update()
        rows = library.rows()
        newest = max(rows, key=lambda r: (r.date, r.title.lower()))
        counts = header_counts(len(rows), library.entity_counts())
        related = [" ".join((r.title or r.id).split()) for r in library.related(newest.id, 10)]
    finally:
        library.close()
    keys = {b.id: b.description for b in ReaderApp.BINDINGS if getattr(b, "id", None)}
    return counts, [keys["app.quit"], keys["app.search"], keys["app.help"]], related


def background_codes(coloured_line: str) -> set[str]:
    return set(re.findall(r"\x1b\[[0-9;]*48;[0-9;]+m", coloured_line))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_the_screens_read_whole_in_both_themes(tmp_path: Path, size: tuple[int, int]) -> None:
    """The real reader at 120x40 and 80x24, dark then light: the header's
    counts whole, the start's message fading, the help's first keys, the
    related articles in the cross-reference pane. Text, not colours: these
    hold for any palette; the themes are only checked to differ."""
    width, height = size
    with reader_in_tmux(tmp_path, width, height) as term:
        counts, help_lines, related = expected_look(tmp_path / "articles", tmp_path / "expected-index")
        screen = term.wait_for(counts, "ready in")
        assert counts in screen.splitlines()[0]
        # The start's message fades (after six seconds); the counts stay whole.
        screen = term.wait_until_gone("ready in", 0)
        assert counts in screen.splitlines()[0]
        lines = screen.splitlines()
        assert len(lines) >= height - 1 and max(len(line) for line in lines) > width - 10
        dark = background_codes(term.coloured().splitlines()[0])
        for theme in ("dark", "light"):
            if theme == "light":
                term.keys("t")
                deadline = time.monotonic() + TIMEOUT
                while background_codes(term.coloured().splitlines()[0]) == dark:
                    assert time.monotonic() < deadline, f"t did not change the theme:\n{term.screen()}"
                    time.sleep(0.2)
            term.wait_for(counts)
            # The help: its first keys, described as their bindings say.
            term.keys("?")
            term.wait_for(*help_lines)
            term.keys("Escape")
            time.sleep(0.3)
            # The related articles, at the end of the cross-reference pane
            # (swapped in with X where the screen is narrow).
            if width < 100:
                term.keys("X")
                time.sleep(0.3)
            term.keys("Tab", "Tab")
            time.sleep(0.3)
            term.keys("G")
            screen = term.wait_for(*[title[:10] for title in related[:3]])
            assert "Cross-references" in screen
            if width < 100:
                term.keys("X")  # the list back, for the next round
            term.keys("BTab", "BTab")  # back to the list (Tab would go round to the filter line)
            time.sleep(0.3)
        term.keys("q")
        term.wait_for("READER-EXITED 0")


def test_read_and_tagged_in_one_launch_still_so_in_the_next(tmp_path: Path) -> None:
    """The open article is read after a few seconds; the next one is marked
    read with u and tagged; after quitting, the next launch still counts
    them read and finds the tagged one by its tag."""
    with reader_in_tmux(tmp_path, 120, 40) as term:
        term.wait_for("5 unread", "Li Qiang")
        term.wait_for("4 unread")  # the first article, open a few seconds
        term.keys("j")
        time.sleep(0.3)
        second = term.screen().splitlines()[5][:28]  # the second article's title, in the list
        term.keys("u")
        term.wait_for("3 unread")
        term.keys("#")
        term.wait_for("Tags of")
        term.type("keep")
        term.keys("Enter")
        term.wait_for("#keep")
        term.keys("q")
        term.wait_for("READER-EXITED 0")
    with reader_in_tmux(tmp_path, 120, 40) as term:
        term.wait_for("3 unread", "Li Qiang")  # the state read, the first article drawn
        term.type("\\")  # to the filter line
        time.sleep(0.3)
        term.type("tag:keep")
        screen = term.wait_for("1 of 5")
        assert screen.splitlines()[3][:28] == second
        term.keys("Escape")
        time.sleep(0.5)  # else the terminal sends Esc q as Alt+q
        term.keys("q")
        term.wait_for("READER-EXITED 0")
