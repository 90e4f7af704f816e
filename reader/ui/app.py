"""The reader app: the article list, the article and its cross-references.

Every call into the library that touches the index (update, search,
cross-references, curating, even loading an article, which looks its path up
in the index) runs in a thread worker: the index is shared under a lock, so a
re-scan in the background must never stall a key press. Results come back
with ``call_from_thread`` and are dropped when they no longer match what the
user is looking at.
"""

from __future__ import annotations

import functools
import gc
import inspect
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Input, ProgressBar, Static
from textual.timer import Timer
from textual.worker import Worker, get_current_worker

from reader.corpus import Article, ArticleError, load_article
from reader.entities import Entity, EntityListError
from reader.errortext import error_words
from reader.extraction import Extraction
from reader.figures import Claim, group_summary
from reader.folderwatch import FolderWatcher
from reader.fsutil import held_elsewhere
from reader.index import UpdateReport
from reader.library import ArticleRow, Library
from reader.quotes import SPEAKER_KINDS
from reader.search import SearchResult
from reader.ui.commands import (ActionCommands, ArticleCommands, Candidate, EntityCommands, SavedSearchCommands,
                                open_palette)
from reader.ui import collector, keys, palette, reading, rowcache
from reader.ui.history import History, Place
from reader.ui.kinds import KINDS
from reader.ui.safe import plain
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.figures import FiguresScreen
from reader.ui.screens.grid import GridChoice, GridScreen
from reader.ui.screens.mentions import MentionsScreen
from reader.ui.screens.merge import MergeScreen
from reader.ui.screens.search import SearchChoice, SearchScreen
from reader.ui.widgets.article_table import ArticleTable
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.filter_input import FilterInput
from reader.ui.widgets.footer import ReaderFooter
from reader.ui.widgets.grid_view import GridView
from reader.ui.widgets.legend import Legend
from reader.ui.widgets.pick_list import PickList
from reader.ui.widgets.xref_pane import XrefList, XrefPane
from reader.wording import plural
from reader.xref import MentionContext

# The folder is watched through the system's file notifications (reader.folderwatch);
# a check by stats runs every SAFETY_POLL_SECONDS all the same (a network file system
# may not notify), and every WATCH_SECONDS where the folder cannot be watched.
WATCH_SECONDS = 5.0
SAFETY_POLL_SECONDS = 60.0
WRITERS = ("update", "curate")  # the worker groups that write the index
IMPORT_POLL_SECONDS = 2.0  # while another process imports, the folder is looked at again this often
FIRST_PAINT_WAIT = 2.0  # seconds the first check of the folder waits for the first article to be drawn
PAINT_WAIT = 0.5  # seconds the search for an article's entities waits for its text to be drawn
NARROW = 100  # below this width only one side pane shows
STATUS_SECONDS = 6.0  # a message in the header's corner fades after this
STATUS_CELLS = 30  # the corner's width in reader.tcss
HEADER_TITLE_CELLS = 24  # what a long message leaves of the header's title ("reader · news · 5 art…")
DARK, LIGHT = "textual-dark", "textual-light"


_IMPORTED = time.monotonic()


def live(method):
    """For handlers of worker results and pane messages: do nothing once the
    app is shutting down (its screens are already emptied; a result or a
    message still on its way must not fail on a query)."""
    if inspect.iscoroutinefunction(method):
        @functools.wraps(method)
        async def run_async(self, *args, **kwargs):
            if self.is_running:
                return await method(self, *args, **kwargs)
            return None
        return run_async

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        if self.is_running:
            return method(self, *args, **kwargs)
        return None
    return run


def process_age() -> float:
    """Seconds since this process started (from /proc on Linux; elsewhere,
    since this module was imported)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            started = int(handle.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime", encoding="ascii") as handle:
            return max(0.0, float(handle.read().split()[0]) - started)
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _IMPORTED


def css_path() -> Path:
    """reader.tcss inside an installed wheel, else the one beside the package."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "reader.tcss"
    return inside if inside.is_file() else package.parent / "reader.tcss"


@dataclass
class Loaded:
    """An article read and extracted in a worker, ready to draw."""

    article: Article
    extraction: Extraction
    kinds_of: dict[str, str]
    hits: list[tuple[int, int]]
    place: Place
    mention: str  # "first"/"last": scroll to that mention of place.entity
    selected: Entity | None = None  # place.entity, looked up here (a discovered one asks the index)
    quotes: list[tuple[int, int]] = field(default_factory=list)  # the body's quotations


class ReaderApp(reading.ReadingMixin, App[int]):
    CSS_PATH = css_path()
    TITLE = "reader"
    AUTO_FOCUS = "ArticleTable"  # keys typed at start go to the list, not the filter
    COMMANDS = App.COMMANDS | {ArticleCommands, EntityCommands, ActionCommands, SavedSearchCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit_reader", "Quit", id="app.quit"),
        Binding("slash", "search", "Search", id="app.search"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("f1", "help_anywhere", "Help (also while typing)", show=False, id="app.help_f1"),
        Binding("n", "hit(1)", "Next hit", show=False, id="app.next_hit"),
        Binding("N", "hit(-1)", "Previous hit", show=False, id="app.prev_hit"),
        Binding("right_square_bracket", "mention(1)", "Next mention", id="app.next_mention"),
        Binding("left_square_bracket", "mention(-1)", "Previous mention", show=False, id="app.prev_mention"),
        Binding("b,alt+left,backspace", "back", "Back", id="app.back"),
        Binding("f,alt+right,shift+backspace", "forward", "Forward", show=False, id="app.forward"),
        Binding("y", "copy", "Copy", show=False, id="app.copy"),
        Binding("r", "rescan", "Re-scan", show=False, id="app.rescan"),
        Binding("F", "figures", "Figures across articles", show=False, id="app.figures"),
        Binding("C", "grid", "Coverage grid", show=False, id="app.grid"),
        Binding("right_curly_bracket", "figure(1)", "Next figure other articles state", show=False,
                id="app.next_figure"),
        Binding("left_curly_bracket", "figure(-1)", "Previous figure other articles state", show=False,
                id="app.prev_figure"),
        Binding("t", "toggle_theme", "Theme", show=False, id="app.theme"),
        Binding("L", "toggle_pane('list')", "List pane", show=False, id="app.toggle_list"),
        Binding("X", "toggle_pane('xref')", "Xref pane", show=False, id="app.toggle_xref"),
        Binding("escape", "clear_search", "Clear hits", show=False, id="app.clear_search"),
        # Letters are keys of their own here (j, s, b, f…), so the filter has a key of its own.
        Binding("backslash", "filter", "Filter the list", show=False, id="app.filter"),
        *(Binding(str(number), f"toggle_kind('{kind}')", f"Toggle {kind}", show=False, id=f"app.kind_{kind}")
          for number, kind in enumerate(KINDS, start=1)),
        *reading.BINDINGS,
    ]

    def __init__(self, library: Library, *, watch: bool = True, launched: bool = False) -> None:
        """``launched``: the process was started to run this app (``reader``),
        so "ready in" counts from the process's start, else from here."""
        super().__init__()
        self._created = time.monotonic()
        self._launched = launched
        self.library = library
        self.watch = watch
        self.history = History()
        self.kinds_on: set[str] = set(KINDS)
        self.selected: Entity | None = None
        self.search_query = ""
        self.search_result: SearchResult | None = None
        self._palette_articles: list[Candidate] | None = []  # None: to build from the list's rows
        self.palette_entities: list[Candidate] = []
        # (name, entity id) rejected in this session, the last one undone first.
        self.rejected: list[tuple[str, str]] = []
        self.ready = False  # the list shows the articles (from the index, before the folder is checked)
        self.last_report: UpdateReport | None = None
        self.entity_counts: tuple[int, int] | None = None  # (confirmed, discovered), once counted
        self._status_timer: Timer | None = None
        self._open_serial = 0  # drops an article load that a later one overtook
        self._last_progress = 0.0
        self._paths: dict[str, str] = {}  # article id -> file, from the list's rows
        self._first_paint = threading.Event()
        self._extract_lock = threading.Lock()  # the first article is drawn (or the list, if none opens)
        self._watcher: FolderWatcher | None = None
        self._folder_dirty = False  # a change was noticed while an update ran: check again after it
        self.collector = collector.IdleCollector()
        self._last_failure = ""  # the last update's error, told once until an update succeeds
        self._swapped_out = ""  # the side pane that showing the other hid, on a narrow screen
        self._deferred_for_import = False  # an update waited for another process's import
        self.theme = DARK
        self._reading_init()

    # --- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="header"):
            yield Static(Content("reader"), id="header-title", markup=False)
            yield Static(Content("opening…"), id="status", markup=False)
        with Horizontal(id="body"):
            with Vertical(id="list-pane"):
                yield FilterInput(id="filter", placeholder="filter articles (\\)…",
                                  focus_on={"enter": lambda: self.table})
                yield Static(Content(""), id="list-status", markup=False)
                yield ArticleTable(id="articles")
                yield Static(Content(""), id="saved-searches", markup=False)
            with Vertical(id="article-pane"):
                yield ArticleView(id="article")
            yield XrefPane(id="xref")
        yield Legend(id="legend")  # the whole width: every kind with its words fits at 80 columns
        yield ReaderFooter()

    @property
    def table(self) -> ArticleTable:
        return self.query_one(ArticleTable)

    @property
    def filter_input(self) -> FilterInput:
        return self.query_one(FilterInput)

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def xref(self) -> XrefPane:
        return self.query_one(XrefPane)

    def _index_dir(self) -> Path | None:
        index = self.library.index
        return None if getattr(index, "in_memory", False) else getattr(index, "index_dir", None)

    def on_mount(self) -> None:
        self.collector.attach()
        self.set_interval(collector.TICK_SECONDS, self._collect_garbage)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._header()
        self._layout_for(self.size.width)
        if not getattr(self.library.index, "needs_rebuild", ""):
            # The rows the last run saved, while the index is unchanged: read
            # here (tens of ms for 19,000), the first frame shows the list.
            cached = rowcache.load(self._index_dir(), self.library.articles)
            if cached is not None and cached[1]:
                self.rows_loaded(cached[1], None)
        self.run_update(initial=True)
        # (DOMNode.watch: the app's "watch" is the folder-watching flag)
        DOMNode.watch(self, self.view, "scroll_y", lambda _value: self.reading_scrolled(), init=False)
        if self.watch:
            # Started by the first update, once the first article is drawn.
            self._watcher = FolderWatcher(self.library.articles, self._files_changed, self._watch_failed)
            self._poll = self.set_interval(SAFETY_POLL_SECONDS, self.check_folder)

    def on_unmount(self) -> None:
        self.state_writer.stop()  # what is queued is written before the app ends
        if self._watcher is not None:
            self._watcher.stop()
        self.collector.detach()

    def _collect_garbage(self) -> None:
        self.collector.tick(busy=any(worker.is_running for worker in self.workers))

    def _files_changed(self, paths: set[str]) -> None:
        """From the watcher's thread."""
        if self._watcher is None or not self.is_running:
            return  # stopped, or the app is on its way out
        try:
            self.call_from_thread(self.check_folder)
        except RuntimeError:
            pass  # the app has stopped

    def _watch_failed(self, message: str) -> None:
        """From the watcher's thread: the folder cannot be watched; poll it."""
        try:
            self.call_from_thread(self._poll_instead, message)
        except RuntimeError:
            pass

    @live
    def _poll_instead(self, message: str) -> None:
        self._watcher = None
        self._poll.stop()
        self._poll = self.set_interval(WATCH_SECONDS, self.check_folder)
        self.notify(f"Checking the folder every {WATCH_SECONDS:g} s: it cannot be watched ({message}).",
                    title="Articles", severity="warning", markup=False)

    # Actions on the article and the panes under it: off (and out of the
    # footer) while a search, the mentions or a dialog covers them.
    MAIN_SCREEN_ACTIONS = frozenset({
        "search", "hit", "mention", "back", "forward", "copy", "rescan", "toggle_kind",
        "toggle_pane", "clear_search", "filter", "clear_filter", *reading.ACTIONS,
    })

    # Actions on printable keys: while an input has the focus those keys are
    # typed into it, so the footer must not offer them.
    TYPED_ACTIONS = frozenset({
        "quit_reader", "search", "help", "hit", "mention", "back", "forward", "copy", "rescan",
        "toggle_theme", "toggle_pane", "toggle_kind", "filter", *reading.ACTIONS,
    })

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MAIN_SCREEN_ACTIONS and len(self.screen_stack) > 1:
            return False
        if action in self.TYPED_ACTIONS and isinstance(self.focused, Input):
            return False
        if action == "clear_filter":  # offered while there is a filter to clear
            return bool(self.filter_input.value) or self.focused is self.filter_input
        return True

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.collector.input()
            if keys.target_of(event) is None:
                keys.mark(event, self.focused)  # where Textual is about to hand it
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        # A key back from the widget it was handed to, not taken there.
        # (Textual then runs App._on_key too, unless prevented: it checks the
        # bindings and the key_ methods.)
        if await self._check_bindings(event.key) or keys.hand_on(self, event):
            event.prevent_default()

    async def action_quit_reader(self) -> None:
        await self.action_quit()

    def action_help_anywhere(self) -> None:
        self.action_help()

    def on_resize(self, event: events.Resize) -> None:
        self._layout_for(event.size.width)

    PANES = ("#list-pane", "#article-pane", "#xref")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # The focused pane is marked by a class, not by :focus-within, which
        # Textual does not apply again to the pane's children (its title bar).
        widget = event.widget
        if widget.screen is not self.screen or not self.screen.is_current:
            return
        for selector in self.PANES:
            pane = self.query_one(selector)
            pane.set_class(pane is widget or pane in widget.ancestors, "-focused")

    def _layout_for(self, width: int) -> None:
        body = self.query_one("#body")
        narrow = width < NARROW
        if narrow != body.has_class("narrow"):
            body.set_class(narrow, "narrow")
            body.set_class(narrow, "-no-xref")
            body.remove_class("-no-list")
            self._swapped_out = ""

    def _header(self) -> None:
        lib = self.library
        self.query_one("#header-title", Static).update(Content.assemble(
            ("reader", "bold"), " · ", plain(lib.name), " · ",
            header_counts(len(self.table.rows), self.entity_counts),
        ))

    def _count_entities(self) -> None:
        """In a worker, after the index changed: the header's entity counts."""
        try:
            counts = self.library.entity_counts()
        except Exception:  # noqa: BLE001 - the header keeps what it showed
            return
        self.call_from_thread(self._entities_counted, counts)

    @live
    def _entities_counted(self, counts: tuple[int, int]) -> None:
        self.entity_counts = counts
        self._header()

    def _status(self, text: str, fade: bool = True) -> None:
        """A message in the header's corner. It fades after STATUS_SECONDS
        (``fade``: not a progress line, which stays until the next one) or when
        another article opens. The corner has a fixed width (reader.tcss), so a
        message that fits needs no layout pass ("hit 3/59"); a longer one
        widens it, over the header's counts (cut for as long as it shows), and one that still does not fit
        is told in a notification as well, so no message is cut off. With no
        message the corner takes no room: the counts show whole at 80 columns."""
        status = self.query_one("#status", Static)
        if self._status_timer is not None:
            self._status_timer.stop()
            self._status_timer = None
        needed = cell_len(text) + 2  # the padding
        room = max(STATUS_CELLS, self.size.width - HEADER_TITLE_CELLS)  # the counts give way for a while
        wanted = STATUS_CELLS if needed <= STATUS_CELLS else min(needed, room)
        widened = status.styles.width is not None and status.styles.width.value != STATUS_CELLS
        if wanted != STATUS_CELLS or widened:
            status.styles.width = wanted
            status.styles.max_width = wanted
        status.update(plain(text), layout=wanted != STATUS_CELLS or widened)
        if status.display != bool(text):
            status.display = bool(text)
        if needed > wanted:
            self.notify(text, markup=False)
        if fade and text:
            self._status_timer = self.set_timer(STATUS_SECONDS, lambda: self._status("", fade=False))

    # --- updating the corpus ------------------------------------------------------------

    @live
    def check_folder(self) -> None:
        """Bring the index in line with the folder (on a notice from the watcher,
        or the periodic check); only when nothing else writes the index."""
        if self._writing():
            self._folder_dirty = True  # what changed now may be past the running scan
        else:
            self._folder_dirty = False
            self.run_update(initial=False, quiet=True)

    def _writing(self) -> bool:
        """An update or a curating action is writing the index."""
        return any(w.group in WRITERS and w.is_running for w in self.workers)

    def _warm(self) -> None:
        """In a writer's thread, once it is done: ready what the next search
        would otherwise prepare while the user waits (the index opens new
        readers for every change; the BM25 length parts follow the new average)."""
        try:
            self.library.warm()
        except Exception:  # noqa: BLE001 - only a head start: a search reports any problem
            pass

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A change noticed while the index was being written: look again now that
        # it is not (from here, not from the worker's own result handler, during
        # which the worker still counts as running).
        if event.worker.group in WRITERS and event.worker.is_finished and self._folder_dirty:
            self.check_folder()

    @work(thread=True, exclusive=True, group="update")
    def run_update(self, initial: bool = False, quiet: bool = False) -> None:
        started = time.monotonic()
        shown = self.ready  # listed already (from the saved rows, in on_mount)
        index = self.library.index
        index_dir = self._index_dir()
        key = None  # the index state that ``rows`` were read in
        rows: list[ArticleRow] | None = None
        if initial and not shown and not getattr(index, "needs_rebuild", ""):
            # The list shows what the index holds at once; the folder is
            # checked for changes after (a stat of every file: seconds on
            # 19,000 articles).
            key = rowcache.index_key(index_dir, self.library.articles)
            try:
                rows = self.library.rows()
            except Exception:  # noqa: BLE001 - the update below reports what is wrong
                rows, key = None, None
            if rows:
                self.call_from_thread(self.rows_loaded, rows, None)
                shown = True
        if initial and shown:
            # Let the list and the first article be drawn before checking the
            # folder: the check's CPU would slow them down (one interpreter lock).
            self._first_paint.wait(FIRST_PAINT_WAIT)
        if initial and self._watcher is not None:
            # Before the scan, so that nothing changed after it goes unseen.
            self._watcher.start()

        def progress(done: int, total: int) -> None:
            # At most ten updates a second reach the event loop.
            now = time.monotonic()
            if now - self._last_progress > 0.1 or done == total:
                self._last_progress = now
                self.call_from_thread(self.show_progress, done, total)

        from reader.ingest import IMPORT_LOCK  # (not at start-up: the importer is 0.1 s of imports)

        after_import = self._deferred_for_import
        if shown and held_elsewhere(self.library.articles / IMPORT_LOCK):
            # Another process is importing into the folder: the files it writes
            # are its to index. Indexing them here too would double the work
            # and hold up its index writer; the list follows once it is done.
            self.call_from_thread(self._import_elsewhere)
            return
        try:
            report = self.library.update(progress=progress)
        except Exception as error:  # noqa: BLE001 - shown, and the app keeps running
            self.call_from_thread(self.update_failed, error_words(error))
            return
        # After another process's import, the index holds its articles though
        # no file changed since this process last looked: the list is read again.
        fresh = (initial and not shown) or not self.ready or after_import
        if fresh or report.changed:
            key = rowcache.index_key(index_dir, self.library.articles)
            rows = self.library.rows()
        if rows is not None and key is not None:
            rowcache.save(index_dir, key, rows)  # only if the index is still as it was read
        if not (fresh or report.changed):
            rows = None
        entities = self._entity_candidates() if (initial or report.changed) else None
        self.call_from_thread(self.update_done, report, rows, entities, initial, quiet,
                              time.monotonic() - started)
        if initial or report.changed or self.entity_counts is None:
            self._count_entities()
        if initial or report.changed:
            self._warm()  # after the list is drawn

    def _entity_candidates(self) -> list[Candidate]:
        candidates = []
        for entity in sorted(self.library.entity_list, key=lambda e: e.name.lower()):
            candidates.append(Candidate(entity.name, entity.id, entity.kind))
            for alias in entity.aliases:
                if alias != entity.name:
                    candidates.append(Candidate(alias, entity.id, f"{entity.kind} (another name)"))
        return candidates

    @live
    def show_progress(self, done: int, total: int, what: str = "indexing") -> None:
        if total > 50 and done < total:
            bar = self._progress_bar()
            bar.display = True
            bar.update(total=total, progress=done)
        self._status(f"{what} {done}/{total}", fade=False)

    @live
    def _progress_bar(self) -> ProgressBar:
        """The header's progress bar, mounted the first time indexing needs it."""
        bars = self.query("#progress").results(ProgressBar)
        bar = next(bars, None)
        if bar is None:
            bar = ProgressBar(id="progress", show_eta=False)
            self.query_one("#header").mount(bar)
        return bar

    def _hide_progress(self) -> None:
        for bar in self.query("#progress"):
            bar.display = False

    @property
    def palette_articles(self) -> list[Candidate]:
        """Go-to-article candidates, built when the palette first asks."""
        if self._palette_articles is None:
            self._palette_articles = [Candidate(r.title or r.id, r.id, "article") for r in self.table.rows]
        return self._palette_articles

    @live
    def _import_elsewhere(self) -> None:
        """Say so, and look again shortly: once the import lets the folder
        go, the update finds its articles already indexed."""
        self._hide_progress()
        self._status("another process is importing: the list follows when it is done", fade=False)
        self._deferred_for_import = True
        self._folder_dirty = False
        self.set_timer(IMPORT_POLL_SECONDS, self.check_folder)

    def update_failed(self, message: str) -> None:
        freeze_long_lived()
        self._hide_progress()
        self._status("update failed")
        if message != self._last_failure:  # the periodic check meets the same problem again and again
            self.notify(message, title="Update failed", severity="error", markup=False)
        self._last_failure = message

    @live
    def rows_loaded(self, rows: list[ArticleRow], entities: list[Candidate] | None) -> None:
        """Articles to list (at start, from the index; after a change, the new set)."""
        first = not self.ready
        self.table.set_rows(rows)
        self._palette_articles = None
        self._paths = {row.id: row.path for row in rows}
        if entities is not None:
            self.palette_entities = entities
        # The rows, their search keys and the palette's candidates live as long
        # as the app: keep them out of the garbage collector's scans, which
        # otherwise stall key presses for ~100 ms on 19,000 articles. (No
        # collection first: a full one takes a few hundred ms at this size.)
        freeze_long_lived()
        self._header()
        if first:
            self.load_state()
        if first:
            self.ready = True
            age = process_age() if self._launched else time.monotonic() - self._created
            self._status(f"ready in {age:.1f} s")
            if self.view.article is None and not self.table.opened_by_keys and self.table.cursor_row is not None:
                self.open_place(Place(self.table.cursor_row.id), record=False)
            elif not self.table.opened_by_keys:
                self.call_after_refresh(self._first_paint.set)

    @live
    def update_done(self, report: UpdateReport, rows, entities, initial: bool, quiet: bool,
                    seconds: float) -> None:
        self._last_failure = ""
        self._hide_progress()
        self.last_report = report
        if self._deferred_for_import:
            self._deferred_for_import = False
            self._status(f"the import is done: {plural(len(rows), 'article')}" if rows is not None else "")
        current = self.view.article
        if rows is not None:
            self.rows_loaded(rows, entities)
        elif entities is not None:
            self.palette_entities = entities
        self._header()
        changes = [f"{n} {what}" for n, what in ((report.added, "added"), (report.updated, "updated"),
                                                 (report.deleted, "deleted")) if n]
        if changes and not initial:
            self._status(", ".join(changes))
            self.notify(", ".join(changes), title="Articles", markup=False)
        elif changes and initial and not report.rebuilt:
            self._status(f"ready · {', '.join(changes)} since the last run")
        elif not quiet and not initial:
            self._status("no changes")
            self.notify("No changes on disk.", markup=False)
        for error in report.errors[:3]:
            self.notify(f"{error.path}: {error.reason}", title="Skipped a file", severity="warning", markup=False)
        if current is not None and report.changed:
            self.reopen()
        if report.changed and not initial:
            self.count_saved()  # new articles are unread: the saved searches' counts change
        if initial or report.changed:
            # The update read the index's catalog (a dict per article) after the
            # list was shown: out of the collector's scans too, or each full
            # collection would stall a key press by 15-30 ms on 19,000 articles.
            freeze_long_lived()

    def action_rescan(self) -> None:
        if self._writing():
            # Not a second writer beside the running one (a cancelled thread
            # worker goes on writing): once it is done, the folder is looked at again.
            self._folder_dirty = True
            self._status("re-scan after this update…", fade=False)
            return
        self._status("re-scanning…", fade=False)
        self.run_update(initial=False, quiet=False)

    # --- opening articles ---------------------------------------------------------------

    def current_place(self) -> Place | None:
        article = self.view.article
        if article is None:
            return None
        return Place(article.id, self.view.offset_in_view(), self.selected.id if self.selected else "")

    def open_place(self, place: Place, *, record: bool = True, mention: str = "",
                   search: SearchResult | None = None) -> None:
        """Go to a place: load the article in a worker, then draw it."""
        if record:
            self.history.visit(self.current_place())
        if self._status_timer is not None and self.view.article is not None:  # it was about the article left
            self._status("", fade=False)
        if search is not None:
            self.search_result = search
        self._open_serial += 1
        self.load_article(place, mention, self.search_result, self._open_serial)

    def go_to_article(self, article_id: str) -> None:
        self.open_place(Place(article_id), search=None)

    def reopen(self, keep: str | None = None) -> None:
        """Re-read the open article (changed on disk, or re-extracted after
        curating); ``keep``: the entity to leave the cursor on."""
        place = self.current_place()
        if place is not None:
            if keep is not None:
                place = Place(place.article_id, place.offset, keep)
            self._open_serial += 1
            self.load_article(place, "", self.search_result, self._open_serial)

    @work(thread=True, group="open")
    def load_article(self, place: Place, mention: str, search: SearchResult | None, serial: int) -> None:
        lib = self.library
        article = None
        path = self._paths.get(place.article_id)
        if path:
            # Straight from the file the list names: the index's look-up waits
            # while another thread holds the index (a long article's
            # cross-references take the domain seconds).
            try:
                article = load_article(lib.articles / path, lib.articles)
            except (ArticleError, OSError, ValueError):
                article = None
            if article is not None and article.id != place.article_id:
                article = None
        if article is None:
            try:
                article = lib.article(place.article_id)
            except (KeyError, ArticleError, OSError) as error:
                self.call_from_thread(self.notify, f"Cannot open {place.article_id}: {error}",
                                      severity="error", markup=False)
                return
        from reader.reflow import soft_breaks

        soft_breaks(article.body)  # the text as drawn, worked out here: the view finds it kept
        hits = lib.hit_spans(article.body, search) if search is not None else []
        title_hits = lib.title_hit_spans(" ".join(article.display_title.split()), search) if search is not None else []
        if get_current_worker().is_cancelled:
            return
        # The text first: finding the entities of a long article takes seconds.
        # And only once it is drawn: the extraction's CPU would slow the
        # drawing down (one interpreter lock for both threads).
        painted = threading.Event()
        self.call_from_thread(self.article_read, article, hits, place, mention, serial, painted, title_hits)
        painted.wait(PAINT_WAIT)
        # One article's entities and cross-references at a time: opening
        # several long articles in a row must not pile up threads that each
        # take the domain seconds of CPU (the drawing would share the
        # interpreter with all of them). One that was overtaken while it
        # waited is skipped.
        with self._extract_lock:
            if get_current_worker().is_cancelled or serial != self._open_serial:
                return
            extraction = lib.extraction(article)
            kinds_of: dict[str, str] = {}
            for item in extraction.title_mentions + extraction.mentions:
                if item.entity not in kinds_of:
                    entity = lib.entity_list.get(item.entity) or extraction.discovered.get(item.entity)
                    kinds_of[item.entity] = entity.kind if entity else ""
            selected = None
            if place.entity and place.entity in kinds_of:
                selected = lib.entity(place.entity) or extraction.discovered.get(place.entity)
            quotes = [(q.start, q.end) for q in lib.article_quotes(article, extraction)]
            loaded = Loaded(article, extraction, kinds_of, hits, place, mention, selected, quotes)
            if get_current_worker().is_cancelled or serial != self._open_serial:
                return
            self.call_from_thread(self.article_loaded, loaded, serial)
            if serial != self._open_serial:
                return
            shared = lib.shared(article.id, extraction)
            if serial != self._open_serial:
                return
            related = lib.related(article.id, 10)
        self.call_from_thread(self.xref_loaded, article.id, shared, related, place.entity, serial)

    @live
    async def article_read(self, article: Article, hits: list[tuple[int, int]], place: Place,
                           mention: str, serial: int, painted: threading.Event | None = None,
                           title_hits: list[tuple[int, int]] | None = None) -> None:
        """Draw the text as soon as it is read (the mentions follow)."""
        if serial != self._open_serial:
            if painted is not None:
                painted.set()
            return  # a later request overtook this one
        if painted is not None:
            self.call_after_refresh(painted.set)
        self.call_after_refresh(self._first_paint.set)
        view = self.view
        await view.show(article, hits=hits, title_hits=title_hits)
        self.table.select_id(article.id)
        if hits and not place.offset and not mention:
            view.set_hit(0)
        elif place.offset:
            view.scroll_to_offset(place.offset)
        self.sub_title = article.display_title
        if self.xref.shown_for != article.id:
            # A frame later: the text is what the reader waits for, and the
            # pane's redraw would hold its first frame back.
            self.call_after_refresh(self._xref_pending, article.id, serial)

    def _xref_pending(self, article_id: str, serial: int) -> None:
        if serial == self._open_serial and self.xref.shown_for != article_id:
            self.xref.show_pending()

    @live
    def article_loaded(self, loaded: Loaded, serial: int) -> None:
        if serial != self._open_serial or self.view.article is not loaded.article:
            return  # a later request overtook this one
        place = loaded.place
        entity = place.entity
        if entity and entity not in loaded.kinds_of:
            entity = ""
        view = self.view
        view.set_extraction(loaded.extraction, loaded.kinds_of, entity)
        view.set_quotes(loaded.quotes)
        self.reading_opened(loaded.article.id)
        if entity:
            self.selected = loaded.selected
        offset = place.offset
        if loaded.mention and entity:
            spans = view.mentions_of(entity)
            if spans:
                offset = spans[0][0] if loaded.mention == "first" else spans[-1][0]
                view.scroll_to_offset(offset)
        self.mention_offset = offset if entity else -1

    @live
    def xref_loaded(self, article_id: str, shared, related, keep: str, serial: int) -> None:
        if serial != self._open_serial:
            return
        self.xref.show(shared, related, keep=keep, article_id=article_id)
        self._roles()
        self.load_passages(article_id, serial)

    @work(thread=True, exclusive=True, group="passages")
    def load_passages(self, article_id: str, serial: int) -> None:
        """The article's shared passages and the corpus's near duplicates: the
        first call after the index changed brings the cache up to date (every
        article on a new index, seconds on a big one), so not in the loader."""
        try:
            passages, sharing = self.library.shared_passages(article_id)
            duplicates = self.library.duplicate_ids()
        except Exception as error:  # noqa: BLE001 - shown; the article stays open
            self.call_from_thread(self._status, f"shared passages: {error_words(error)}")
            return
        spans = [(s.start, s.end) for p in passages for s in p.spans if s.id == article_id]
        self.call_from_thread(self.passages_loaded, article_id, spans, sharing, duplicates, serial)

    @live
    def passages_loaded(self, article_id: str, spans: list[tuple[int, int]], sharing, duplicates: set[str],
                        serial: int) -> None:
        self.table.set_duplicates(duplicates)
        if serial != self._open_serial or self.view.article is None or self.view.article.id != article_id:
            return
        self.view.set_passages(spans)
        self.xref.show_sharing(article_id, sharing)

    # --- messages from the panes -----------------------------------------------------

    @on(ArticleTable.Opened)
    @live
    def article_chosen(self, event: ArticleTable.Opened) -> None:
        self.open_place(Place(event.row.id))

    @on(ArticleTable.ViewChanged)
    @live
    def list_changed(self, event: ArticleTable.ViewChanged | None = None) -> None:
        """The list's title bar: how many it shows, how many of those are
        unread, and the sort."""
        table = self.table
        shown, total = len(table.view), len(table.rows)
        counted = f"{shown} of {total}" if shown != total else f"{total}"
        unread = table.unread_count(shown_only=True) if table.state_known else 0
        text = f"{counted} · {unread} unread · by {table.sort} (s)" if unread else f"{counted} · by {table.sort} (s)"
        self.query_one("#list-status", Static).update(Content(text), layout=False)

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        had_filter = bool(self.table.filter_text) or self.table.allowed is not None
        words, allowed = self.filter_state(event.value)
        self.table.set_filter(words, allowed)
        if had_filter != (bool(self.table.filter_text) or self.table.allowed is not None):
            self.refresh_bindings()  # the footer offers Esc to clear it, or no longer

    def action_filter(self) -> None:
        """To the filter line, showing the list first if it is hidden."""
        if self.query_one("#body").has_class("-no-list"):
            self.action_toggle_pane("list")
            self.call_after_refresh(self.filter_input.focus)  # focusable once displayed
        else:
            self.filter_input.focus()

    def action_clear_filter(self) -> None:
        """Esc in the filter line, or in the list while a filter narrows it:
        every article again, the cursor on the one it was on."""
        if self.filter_input.value:
            self.filter_input.value = ""
            self.table.set_filter("")  # now, not when the input's message arrives
            self.refresh_bindings()
        self.table.focus()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.table.focus()

    @on(ArticleView.EntityKinds)
    @live
    def kinds_counted(self, event: ArticleView.EntityKinds) -> None:
        self.query_one(Legend).set_state(counts=event.kinds)

    @on(XrefPane.EntityHighlighted)
    @live
    def entity_highlighted(self, event: XrefPane.EntityHighlighted) -> None:
        self.select_entity(event.entity)

    @live
    def select_entity(self, entity: Entity | None) -> None:
        if (entity.id if entity else "") != (self.selected.id if self.selected else ""):
            self.mention_offset = -1  # ] starts again from the top of the view
        self.selected = entity
        self.view.select_entity(entity.id if entity else "")
        self._roles()

    @live
    def _roles(self) -> None:
        entity = self.selected
        affiliations = self.library.affiliations(entity.id) if entity is not None and not entity.discovered else []
        self.xref.show_roles(entity, affiliations)
        if entity is not None and entity.kind in SPEAKER_KINDS:
            self.load_speaker_quotes(entity)

    @work(thread=True, exclusive=True, group="speaker-quotes")
    def load_speaker_quotes(self, entity: Entity) -> None:
        """The highlighted speaker's quotations across the corpus: the first
        look at a speaker reads only the articles that name them."""
        try:
            quotes = self.library.quotes(speaker=entity.id)
        except Exception as error:  # noqa: BLE001 - shown; the pane stays as it is
            self.call_from_thread(self._status, f"quotations: {error_words(error)}")
            return
        self.call_from_thread(self.xref.show_quotes, entity, quotes)

    @on(XrefPane.EntityChosen)
    @live
    def entity_chosen(self, event: XrefPane.EntityChosen) -> None:
        self.push_mentions(event.entity)

    def show_mentions(self, entity_id: str) -> None:
        entity = self.library.entity_list.get(entity_id)
        if entity is not None:
            self.push_mentions(entity)

    def push_mentions(self, entity: Entity) -> None:
        def chosen(context: MentionContext | None) -> None:
            if context is not None:
                self.open_place(Place(context.article, context.start, entity.id))

        self.push_screen(MentionsScreen(self.library, entity), chosen)

    def action_figures(self) -> None:
        def chosen(claim: Claim | None) -> None:
            if claim is not None:
                self.open_place(Place(claim.article, claim.start))

        self.push_screen(FiguresScreen(self.library, self.selected), chosen)

    def action_grid(self) -> None:
        def chosen(choice: GridChoice | None) -> None:
            if choice is not None:
                self.open_place(Place(choice.article, choice.offset, choice.entity))

        self.push_screen(GridScreen(self.library), chosen)

    @on(XrefPane.RelatedChosen)
    @live
    def related_chosen(self, event: XrefPane.RelatedChosen) -> None:
        self.open_place(Place(event.article_id, 0, self.selected.id if self.selected else ""), mention="first")

    # --- search ------------------------------------------------------------------------

    def action_search(self) -> None:
        def chosen(choice: SearchChoice | None) -> None:
            screen_query = screen.input.value
            self.search_query = screen_query
            if choice is not None:
                self.open_place(Place(choice.hit.id), search=choice.result)

        screen = SearchScreen(self.library, self.search_query)
        self.push_screen(screen, chosen)

    def action_hit(self, step: int) -> None:
        view = self.view
        if not view.hits:
            self.notify("No search hits in this article.", markup=False)
            return
        view.set_hit(view.hit_index + step if view.hit_index >= 0 else 0)
        self._status(f"hit {view.hit_index + 1}/{len(view.hits)}")

    def action_clear_search(self) -> None:
        if self.view.hits or self.view.title_hits:
            self.view.clear_hits()
        self.search_result = None

    # --- figures of the open article that other articles state ----------------------

    def action_figure(self, step: int) -> None:
        article = self.view.article
        if article is None:
            self.notify("Open an article first.", markup=False)
            return
        self.load_figures_in(article.id, step)

    @work(thread=True, exclusive=True, group="figures-here")
    def load_figures_in(self, article_id: str, step: int) -> None:
        """The open article's figures with their groups: the first call after
        the index changed groups the corpus's figures (a second on Reuters)."""
        try:
            found = self.library.figures_in(article_id)
        except Exception as error:  # noqa: BLE001 - shown; the article stays open
            self.call_from_thread(self._status, f"figures: {error_words(error)}")
            return
        self.call_from_thread(self.step_figure, article_id, found, step)

    @live
    def step_figure(self, article_id: str, found: list, step: int) -> None:
        view = self.view
        if view.article is None or view.article.id != article_id:
            return
        if not found:
            view.set_figure(None)
            self.notify("No figure of this article is stated by another article.", markup=False)
            return
        starts = [claim.start for claim, _ in found]
        current = view.figure[0] if view.figure is not None else None
        if current in starts:
            at = (starts.index(current) + step) % len(found)
        else:
            at = 0 if step > 0 else len(found) - 1
        claim, group = found[at]
        view.set_figure((claim.start, claim.end))
        self._status(f"figure {at + 1}/{len(found)} · {group_summary(group, claim)}")

    # --- mentions of the selected entity across articles ---------------------------

    mention_offset = -1

    def action_mention(self, step: int) -> None:
        entity = self.selected
        view = self.view
        if entity is None or view.article is None:
            self.notify("Select an entity in the cross-references first.", markup=False)
            return
        spans = view.mentions_of(entity.id)
        here = self.mention_offset
        if here < 0:
            here = view.offset_in_view() - 1 if step > 0 else view.offset_in_view() + 1
        following = [s for s, _e in spans if (s > here if step > 0 else s < here)]
        if following:
            offset = following[0] if step > 0 else following[-1]
            self.mention_offset = offset
            view.scroll_to_offset(offset)
            position = [s for s, _e in spans].index(offset) + 1
            self._status(f"{entity.name}: mention {position}/{len(spans)}")
            return
        self.next_article_for(entity.id, view.article.id, step)

    @work(thread=True, exclusive=True, group="mentions-across")
    def next_article_for(self, entity_id: str, article_id: str, step: int) -> None:
        refs = self.library.articles_for(entity_id)
        ids = [ref.id for ref in refs]
        if len(ids) < 2 and article_id in ids:
            self.call_from_thread(self.notify, "No other article mentions it.", markup=False)
            return
        index = ids.index(article_id) if article_id in ids else -1
        number = (index + step) % len(ids)
        wrapped = index >= 0 and (index + step >= len(ids) or index + step < 0)
        self.call_from_thread(self.moved_to_article, Place(ids[number], 0, entity_id),
                              "first" if step > 0 else "last", refs[number].title or refs[number].id,
                              number + 1, len(ids), wrapped)

    @live
    def moved_to_article(self, place: Place, mention: str, title: str, number: int, total: int,
                         wrapped: bool) -> None:
        """``]``/``[`` went on to another article: say which, and when it went
        round from the last to the first (or back)."""
        self.open_place(place, mention=mention)
        round_ = (" (round to the first)" if mention == "first" else " (round to the last)") if wrapped else ""
        self._status(f"article {number}/{total}{round_}: {title}")

    # --- history ----------------------------------------------------------------------

    def action_back(self) -> None:
        place = self.history.back(self.current_place())
        if place is None:
            self.notify("Nothing to go back to.", markup=False)
        else:
            self.open_place(place, record=False)

    def action_forward(self) -> None:
        place = self.history.forward(self.current_place())
        if place is None:
            self.notify("Nothing to go forward to.", markup=False)
        else:
            self.open_place(place, record=False)

    # --- small actions -----------------------------------------------------------------

    def action_copy(self) -> None:
        selected = self.screen.get_selected_text()
        if selected:
            self.copy_to_clipboard(selected)
            self.notify(f"Copied {plural(len(selected), 'character')}: {copied_preview(selected)}", markup=False)
        elif self.view.article is not None:
            citation = self.view.article.citation()
            self.copy_to_clipboard(citation)
            self.notify(f"Copied the citation: {citation}", markup=False)

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def get_css_variables(self) -> dict[str, str]:
        # The reader's own colours (reader.ui.palette), for a dark or a light theme.
        return palette.css_variables(self.current_theme.dark, super().get_css_variables())

    def _theme_changed(self, _theme: object) -> None:
        # Spans carry resolved colours: draw them again with the new theme's.
        self.call_after_refresh(self._redraw_all)

    def _redraw_all(self) -> None:
        self.view.redraw()
        self.query_one(Legend).draw()
        if self.xref.shared or self.xref.related:
            keep = self.selected.id if self.selected else ""
            self.xref.show(self.xref.shared, self.xref.related, keep=keep)

    def action_toggle_kind(self, kind: str) -> None:
        self.kinds_on ^= {kind}
        self.view.set_kinds(self.kinds_on)
        self.query_one(Legend).set_state(kinds_on=self.kinds_on)
        self._status(f"{kind}: {'shown' if kind in self.kinds_on else 'hidden'}")

    def action_toggle_pane(self, pane: str) -> None:
        body = self.query_one("#body")
        name, other = ("-no-list", "-no-xref") if pane == "list" else ("-no-xref", "-no-list")
        showing = body.has_class(name)
        body.set_class(not showing, name)
        narrow = body.has_class("narrow")
        shown = pane if showing else ""
        swapped = ""
        if showing and narrow and not body.has_class(other):
            body.add_class(other)  # narrow: one side pane at a time
            swapped = other
        elif not showing and narrow and self._swapped_out == other:
            # The same key again puts back the pane it swapped out (X, X: the list again).
            body.remove_class(other)
            shown = "list" if other == "-no-list" else "xref"
        self._swapped_out = swapped
        focused = self.focused
        hidden = [self.query_one("#list-pane")] if body.has_class("-no-list") else []
        hidden += [self.xref] if body.has_class("-no-xref") else []
        if focused is not None and any(focused is p or p in focused.ancestors for p in hidden):
            self.view.focus()
        if shown:
            target = self.table if shown == "list" else self.xref.option_list
            self.call_after_refresh(target.focus)  # focusable once displayed

    def action_command_palette(self) -> None:
        open_palette(self)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.binding_sections()))

    def binding_sections(self) -> list[tuple[str, type[DOMNode] | tuple[type[DOMNode], ...]]]:
        return [
            ("Everywhere", (type(self), Screen)),  # the screen's: Tab between the panes
            ("Article list", (ArticleTable, FilterInput)),
            ("Article", ArticleView),
            ("Cross-references", XrefList),
            ("Search", SearchScreen),
            ("Mentions", MentionsScreen),
            ("Figures", FiguresScreen),
            ("Coverage grid", (GridScreen, GridView)),
            ("Merge", MergeScreen),
            ("Lists (results, mentions, candidates)", PickList),
            ("Help", HelpScreen),
        ]

    # --- curating ------------------------------------------------------------------------

    @on(XrefPane.CurateRequested)
    @live
    def curate_requested(self, event: XrefPane.CurateRequested) -> None:
        entity = event.entity
        if event.action == "unreject":
            if not self.rejected:
                self.notify("No rejection to undo.", markup=False)
            else:
                name, entity_id = self.rejected[-1]
                self.run_curate("unreject", name, keep=entity_id)
            return
        assert entity is not None
        if event.action == "alias":
            candidates = sorted(self.library.entity_list,
                                key=lambda e: (e.kind != entity.kind, e.name.lower()))

            def merged(target: str | None) -> None:
                if target:
                    self.run_curate("alias", entity.name, to=target)

            self.push_screen(MergeScreen(entity, candidates), merged)
        elif event.action == "accept":
            self.run_curate("accept", entity.name, kind=entity.kind)
        else:
            self.run_curate("reject", entity.name, keep=event.neighbour, rejected=entity.id)

    @work(thread=True, exclusive=True, group="curate")
    def run_curate(self, action: str, name: str, kind: str = "", to: str = "", keep: str = "",
                   rejected: str = "") -> None:
        """One curating step, off the event loop; the status line says how far
        it got, and the cursor stays on the entity it acted on (for a
        rejection, on the one after it; for a merge, on the entity merged
        into; for an undone rejection, on the name back in the pane).
        ``rejected``: the id of the entity a rejection takes away."""
        from reader.curate import CurateError

        words = {"accept": "accepting", "alias": "merging", "reject": "rejecting", "unreject": "restoring"}
        doing = f"{words.get(action, action)} {name!r}"
        self.call_from_thread(self._status, f"{doing}: finding the articles that name it…", False)

        def progress(done: int, total: int) -> None:
            self.call_from_thread(self.show_progress, done, total, f"{doing}: reading again")

        try:
            message, _report = self.library.curate(action, name, kind=kind, to=to, progress=progress)
        except (CurateError, EntityListError, OSError) as error:
            self.call_from_thread(self.notify, str(error), title="Not changed", severity="error", markup=False)
            return
        if action == "reject":
            self.rejected.append((name, rejected))
            message += " (u undoes it)"
        elif action == "unreject" and self.rejected and self.rejected[-1][0] == name:
            self.rejected.pop()
        entities = self._entity_candidates()
        self.call_from_thread(self.curated, message, entities, self.library.curated_id or keep)
        self._count_entities()
        self._warm()

    @live
    def curated(self, message: str, entities: list[Candidate], keep: str = "") -> None:
        self.palette_entities = entities
        self._hide_progress()
        self._status(message)
        self.notify(message, title="Entity list", markup=False)
        self._header()
        self.selected = None
        self.reopen(keep=keep)
        self.refresh_bindings()  # u is offered while there is a rejection to undo


def copied_preview(text: str, limit: int = 60) -> str:
    """The start of what was copied, on one line, in quotation marks."""
    line = " ".join(text.split())
    return f"“{line}”" if len(line) <= limit else f"“{line[:limit].rstrip()}…”"


def header_counts(articles: int, entities: tuple[int, int] | None) -> str:
    """"5 articles · 52 entities (40 confirmed, 12 discovered)": every entity
    the reader knows, and how many are confirmed and how many discovered (not
    yet curated); the entities are left out until they are counted."""
    text = plural(articles, "article")
    if entities is None:
        return text
    confirmed, discovered = entities
    text += f" · {plural(confirmed + discovered, 'entity')}"
    if discovered and confirmed:
        text += f" ({confirmed} confirmed, {discovered} discovered)"
    elif discovered:
        text += " (all discovered)"
    return text


def pause_collector() -> None:
    """Start-up allocates a great deal and frees little, so the cyclic garbage
    collector's passes then are wasted (0.1-0.3 s of CPU before the list shows
    on 19,000 articles). ``freeze_long_lived`` turns it back on once the list
    is shown, after freezing what the start built."""
    gc.disable()


def freeze_long_lived() -> None:
    """Freeze what exists now (it lives as long as the app), so no pass of the
    collector walks it again, and let the collector run (its full passes
    wait for an idle moment: reader.ui.collector)."""
    gc.freeze()
    gc.enable()


def trust_the_terminal_size() -> None:
    """Textual sizes the screen with ``shutil.get_terminal_size``, which
    prefers the COLUMNS and LINES variables to the terminal itself; a shell
    or a CI runner that exports them would pin the reader to that size and
    ignore every resize. The terminal knows its own size, so ask it."""
    if sys.stdout.isatty():
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)


def run(articles: Path, index_dir: Path | None) -> int:
    """Open the reader on a folder; returns the exit code."""
    trust_the_terminal_size()
    pause_collector()
    try:
        try:
            library = Library(articles, index_dir)
        except (FileNotFoundError, NotADirectoryError, EntityListError, ArticleError) as error:
            print(f"reader: {error}", file=sys.stderr)
            return 2
        app = None
        try:
            app = ReaderApp(library, launched=True)
            code = app.run()
        finally:
            if app is not None:
                app.collector.detach()  # Python's own thresholds back, however the app ended
            library.close()
        return code or 0
    finally:
        gc.enable()
