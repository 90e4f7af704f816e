"""The reader's working day in the app: read and unread, stars, tags, notes
and saved searches. The app mixes this in; the state itself is the library's
(reader.state), and this only asks it and draws the answer.

Changes are shown at once and written by one thread of their own, in the
order they were made: a write that waits for another process's transaction
never stalls a key, and two quick toggles never land out of order."""

from __future__ import annotations

import queue
import threading
import time
from typing import TYPE_CHECKING, Any, Callable

from textual import work
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from reader.errortext import error_words
from reader.search import STATE_FIELDS, QueryError
from reader.state import StateError
from reader.ui.commands import Candidate
from reader.sanitize import sanitize_line
from reader.wording import plural

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp
    from reader.ui.screens.state_dialogs import NoteText, TagChange

# The dialogs (reader.ui.screens.state_dialogs) are imported when one opens:
# the note box's TextArea is 20 ms of the reader's start otherwise.

READ_AFTER_SECONDS = 3.0  # an article open this long counts as read
CONFIRM_SECONDS = 4.0  # a second A within this marks the shown articles read
SAVED_SHOWN = 6  # saved searches listed under the article list

BINDINGS = [
    Binding("u", "toggle_read", "Read/unread", show=False, id="app.toggle_read"),
    Binding("full_stop", "next_unread(1)", "Next unread", show=False, id="app.next_unread"),
    Binding("comma", "next_unread(-1)", "Previous unread", show=False, id="app.prev_unread"),
    Binding("A", "mark_all_read", "Mark the shown articles read", show=False, id="app.mark_all_read"),
    Binding("asterisk", "toggle_star", "Star", show=False, id="app.star"),
    Binding("number_sign", "tags", "Tags", show=False, id="app.tags"),
    Binding("w", "note", "Write a note", show=False, id="app.note"),
    Binding("W", "notes", "The article's notes", show=False, id="app.notes"),
    Binding("S", "save_search", "Save the search", show=False, id="app.save_search"),
]
ACTIONS = frozenset({"toggle_read", "next_unread", "mark_all_read", "toggle_star", "tags", "note", "notes",
                     "save_search"})


class StateWriter:
    """One thread that carries out state changes in the order given; each
    result (or error) goes back to the app's thread."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[Callable[[], Any], Callable[[Any, Exception | None], None]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def submit(self, change: Callable[[], Any], done: Callable[[Any, Exception | None], None]) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="reader-state", daemon=True)
            self._thread.start()
        self._queue.put((change, done))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            change, done = item
            try:
                result, error = change(), None
            except Exception as exc:  # noqa: BLE001 - told to the user by ``done``
                result, error = None, exc
            done(result, error)

    def stop(self, wait: float = 5.0) -> None:
        """Write what is queued, then end (at quit: no change is lost)."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(wait)
            self._thread = None


class ReadingMixin:
    """Reading-state actions of ReaderApp."""

    def _reading_init(self: "ReaderApp") -> None:
        self.state_writer = StateWriter()
        self._read_timer = None
        self._confirm_all_until = 0.0
        self.saved_candidates: list[Candidate] = []
        self._saved_dirty = False

    # --- loading ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="state-load")
    def load_state(self: "ReaderApp") -> None:
        """The read and starred sets, in a worker (the first use creates the
        database), then the saved searches' counts."""
        try:
            read, starred = self.library.read_ids(), self.library.starred_ids()
        except StateError as exc:
            self.call_from_thread(self._state_failed, str(exc))
            return
        self.call_from_thread(self._state_loaded, read, starred)
        self._count_saved()

    def _state_loaded(self: "ReaderApp", read: set[str], starred: set[str]) -> None:
        if self.is_running:
            self.table.state_known = True
            self.table.set_state(read, starred)
            self.list_changed()

    def _state_failed(self: "ReaderApp", message: str) -> None:
        if self.is_running:
            self.notify(message, title="Reading state", severity="error", markup=False)

    def _count_saved(self: "ReaderApp") -> None:
        """From a worker: each saved search's unread count, for the list pane and the palette."""
        try:
            rows = self.library.saved_searches()
        except (StateError, QueryError):
            return
        self.call_from_thread(self._saved_counted, rows)

    @work(thread=True, exclusive=True, group="state-saved")
    def count_saved(self: "ReaderApp") -> None:
        self._count_saved()

    def _saved_counted(self: "ReaderApp", rows: list) -> None:
        if not self.is_running:
            return
        self.saved_candidates = [
            Candidate(f"Saved search: {s.name} ({'no longer parses' if m < 0 else f'{u} unread of {m}'})",
                      s.query, "Run the saved search") for s, m, u in rows]
        box = self.query_one("#saved-searches", Static)
        if not rows:
            box.display = False
            return
        lines = [f"{sanitize_line(s.name)}  {'?' if m < 0 else f'{u}/{m}'}" for s, m, u in rows[:SAVED_SHOWN]]
        if len(rows) > SAVED_SHOWN:
            lines.append(f"+{len(rows) - SAVED_SHOWN} more (Ctrl+P)")
        box.update(Content("\n".join(["Saved (unread/all)", *lines])))
        box.display = True

    # --- which article ------------------------------------------------------------------

    def _target(self: "ReaderApp") -> tuple[str, str] | None:
        """(id, title) of the article an action is on: the list's cursor when
        the list has the focus, else the open article."""
        if self.focused is self.table and self.table.cursor_row is not None:
            row = self.table.cursor_row
            return row.id, row.title
        article = self.view.article
        if article is not None:
            return article.id, article.display_title
        row = self.table.cursor_row
        return (row.id, row.title) if row is not None else None

    def _write(self: "ReaderApp", change: Callable[[], Any], done: Callable[[Any], None] | None = None) -> None:
        def finished(result: Any, error: Exception | None) -> None:
            try:
                self.call_from_thread(self._written, result, error, done)
            except RuntimeError:
                pass  # the app has stopped; the change is written

        self.state_writer.submit(change, finished)

    def _written(self: "ReaderApp", result: Any, error: Exception | None, done: Callable[[Any], None] | None) -> None:
        if not self.is_running:
            return
        if error is not None:
            self.notify(str(error) if isinstance(error, StateError) else f"cannot save: {error_words(error)}",
                        title="Reading state", severity="error", markup=False)
            self.load_state()  # show what the store holds
            return
        if done is not None:
            done(result)
        if self.view.article is not None:
            self.show_state_line(self.view.article.id)
        self._saved_dirty = True
        self.set_timer(0.5, self._recount_saved)

    def _recount_saved(self: "ReaderApp") -> None:
        if self._saved_dirty and self.is_running:
            self._saved_dirty = False
            self.count_saved()

    # --- read and unread ----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="state-line")
    def show_state_line(self: "ReaderApp", article_id: str) -> None:
        """The open article's star, tags and notes, under its byline."""
        try:
            store = self.library.state
            tags, notes = store.tags_of(article_id), store.notes_of(article_id)
        except StateError:
            return
        self.call_from_thread(self._state_line_read, article_id, tags, len(notes))

    def _state_line_read(self: "ReaderApp", article_id: str, tags: list[str], notes: int) -> None:
        article = self.view.article
        if not self.is_running or article is None or article.id != article_id:
            return
        parts = ["★ starred"] if article_id in self.table.starred else []
        if tags:
            parts.append(" ".join(f"#{t}" for t in tags))
        if notes:
            parts.append(f"{plural(notes, 'note')} (W lists them)")
        self.view.set_state_line(" · ".join(parts))

    def reading_opened(self: "ReaderApp", article_id: str) -> None:
        """An article was drawn: it is read once it stays open a few seconds."""
        self.show_state_line(article_id)
        if self._read_timer is not None:
            self._read_timer.stop()
        self._read_timer = None
        if article_id not in self.table.read_ids:
            self._read_timer = self.set_timer(READ_AFTER_SECONDS, lambda: self._read_if_open(article_id))

    def _read_if_open(self: "ReaderApp", article_id: str) -> None:
        article = self.view.article
        if article is not None and article.id == article_id:
            self.set_read([article_id], True)

    def reading_scrolled(self: "ReaderApp") -> None:
        """The article was scrolled to its end: read."""
        view = self.view
        article = view.article
        if article is not None and article.id not in self.table.read_ids and view.max_scroll_y > 0 \
                and view.scroll_y >= view.max_scroll_y:
            self.set_read([article.id], True)

    def set_read(self: "ReaderApp", ids: list[str], read: bool) -> None:
        table = self.table
        now = set(table.read_ids)
        now = now | set(ids) if read else now - set(ids)
        table.set_state(now, table.starred)
        self.list_changed()
        store = self.library.state
        self._write(lambda: store.mark_read(ids, read))

    def action_toggle_read(self: "ReaderApp") -> None:
        target = self._target()
        if target is None:
            return
        article_id, _title = target
        read = article_id not in self.table.read_ids
        if self._read_timer is not None and not read:
            self._read_timer.stop()  # marked unread: the open article stays so
            self._read_timer = None
        self.set_read([article_id], read)
        self._status("read" if read else "unread")

    def action_next_unread(self: "ReaderApp", step: int) -> None:
        table = self.table
        position = table.next_unread(step) if table.view else None
        if position is None:
            self.notify("Every article shown is read.", markup=False)
            return
        table.cursor = position
        row = table.cursor_row
        if row is not None:
            self.go_to_article(row.id)

    def action_mark_all_read(self: "ReaderApp") -> None:
        table = self.table
        ids = [i for i in table.shown_ids() if i not in table.read_ids]
        if not ids:
            self.notify("Every article shown is read.", markup=False)
            return
        now = time.monotonic()
        if now > self._confirm_all_until:
            self._confirm_all_until = now + CONFIRM_SECONDS
            shown = "shown " if table.filter_text or table.allowed is not None else ""
            self.notify(f"Press A again to mark the {plural(len(ids), shown + 'article')} read.",
                        title="Mark all read", markup=False)
            return
        self._confirm_all_until = 0.0
        self.set_read(ids, True)
        self.notify(f"Marked {plural(len(ids), 'article')} read.", markup=False)

    # --- stars, tags, notes -------------------------------------------------------------

    def action_toggle_star(self: "ReaderApp") -> None:
        target = self._target()
        if target is None:
            return
        article_id, _title = target
        table = self.table
        starred = article_id not in table.starred
        table.set_state(table.read_ids, table.starred | {article_id} if starred else table.starred - {article_id})
        store = self.library.state
        self._write(lambda: store.star(article_id, starred))
        self._status("starred" if starred else "unstarred")

    def action_tags(self: "ReaderApp") -> None:
        target = self._target()
        if target is None:
            return
        article_id, title = target
        self._open_tags(article_id, title)

    @work(thread=True, exclusive=True, group="state-read")
    def _open_tags(self: "ReaderApp", article_id: str, title: str) -> None:
        try:
            store = self.library.state
            current, in_use = store.tags_of(article_id), list(store.tag_counts())
        except StateError as exc:
            self.call_from_thread(self._state_failed, str(exc))
            return
        self.call_from_thread(self._push_tags, article_id, title, current, in_use)

    def _push_tags(self: "ReaderApp", article_id: str, title: str, current: list[str], in_use: list[str]) -> None:
        def chosen(change: TagChange | None) -> None:
            if change is None:
                return
            store = self.library.state

            def apply() -> list[str]:
                store.tag(article_id, change.add)
                store.untag(article_id, change.remove)
                return store.tags_of(article_id)

            self._write(apply, lambda tags: self._status(" ".join(f"#{t}" for t in tags) or "no tags"))

        if self.is_running:
            from reader.ui.screens.state_dialogs import TagScreen

            self.push_screen(TagScreen(title, current, in_use), chosen)

    def action_note(self: "ReaderApp") -> None:
        article = self.view.article
        target = self._target()
        if target is None:
            return
        article_id, title = target
        passage = None
        if article is not None and article.id == article_id:
            passage = self.view.selected_range()
        self._open_note(article_id, title, passage)

    @work(thread=True, exclusive=True, group="state-read")
    def _open_note(self: "ReaderApp", article_id: str, title: str, passage: tuple[int, int, str] | None) -> None:
        try:
            notes = self.library.state.notes_of(article_id)
        except StateError as exc:
            self.call_from_thread(self._state_failed, str(exc))
            return
        self.call_from_thread(self._push_note, article_id, title, notes, passage)

    def _push_note(self: "ReaderApp", article_id: str, title: str, notes: list, passage) -> None:
        def chosen(note: NoteText | None) -> None:
            if note is None:
                return
            store = self.library.state
            text = passage[2] if passage else ""
            self._write(lambda: store.add_note(article_id, note.text, note.start, note.end, text),
                        lambda saved: self._status(f"note {saved.note} saved"))

        if self.is_running:
            from reader.ui.screens.state_dialogs import NoteScreen

            self.push_screen(NoteScreen(title, notes, passage), chosen)

    def action_notes(self: "ReaderApp") -> None:
        target = self._target()
        if target is not None:
            self._open_notes(*target)

    @work(thread=True, exclusive=True, group="state-read")
    def _open_notes(self: "ReaderApp", article_id: str, title: str) -> None:
        try:
            notes = self.library.state.notes_of(article_id)
        except StateError as exc:
            self.call_from_thread(self._state_failed, str(exc))
            return
        self.call_from_thread(self._push_notes, article_id, title, notes)

    def _push_notes(self: "ReaderApp", article_id: str, title: str, notes: list) -> None:
        if not self.is_running:
            return
        if not notes:
            self.notify("No notes on this article yet: w writes one.", markup=False)
            return
        from reader.ui.screens.state_dialogs import NoteScreen, NotesScreen

        def edited(note: NoteText | None, number: int) -> None:
            if note is None:
                return
            store = self.library.state
            self._write(lambda: store.edit_note(number, note.text),
                        lambda saved: self._status(f"note {number} saved" if saved.text else f"note {number} deleted"))

        def chosen(note) -> None:
            if note is not None:
                self.push_screen(NoteScreen(title, [], None, editing=note), lambda text: edited(text, note.note))

        self.push_screen(NotesScreen(title, notes), chosen)

    # --- saved searches -----------------------------------------------------------------

    def action_save_search(self: "ReaderApp") -> None:
        query = self.search_query.strip()
        if not query:
            self.notify("Search first (/): S saves the query of the last search.", markup=False)
            return

        def chosen(name: str | None) -> None:
            if name:
                store = self.library.state
                self._write(lambda: store.save_search(name, query),
                            lambda saved: self.notify(f"Saved the search “{saved.name}”.", markup=False))

        from reader.ui.screens.state_dialogs import SaveSearchScreen

        self.push_screen(SaveSearchScreen(query), chosen)

    def run_saved_search(self: "ReaderApp", query: str) -> None:
        self.search_query = query
        self.action_search()

    # --- the list filter's reading-state clauses ------------------------------------------

    def filter_state(self: "ReaderApp", text: str) -> tuple[str, set[str] | None]:
        """Split the list filter into its words and its reading-state clauses
        (``is:unread tag:x``): the words, and the ids every clause allows."""
        words, allowed = [], None
        all_ids = None
        for word in text.split():
            field, sep, value = word.partition(":")
            if not sep or field.lower() not in STATE_FIELDS or not value:
                words.append(word)
                continue
            try:
                ids, negate, _label = self.library.search_engine.state_clause(field.lower(), value, True)
            except (QueryError, StateError):
                words.append(word)  # not a clause after all: filtered as text
                continue
            if all_ids is None:
                all_ids = {r.id for r in self.table.rows}
            ids = all_ids - ids if negate else ids & all_ids
            allowed = ids if allowed is None else allowed & ids
        return " ".join(words), allowed
