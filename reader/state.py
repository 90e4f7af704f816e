"""What a reader keeps about the articles of one folder: read or unread,
stars, tags, notes and saved searches.

It lives in one SQLite database per articles folder in the user's data folder
(platformdirs), not beside the index: the index is a cache that may be thrown
away and rebuilt, this is the user's work. The articles folder itself is never
written. Rows are keyed by article id, so the state follows an article whose
file is renamed and keeps its id.

Every change is one transaction begun with BEGIN IMMEDIATE in WAL mode: two
processes writing at once wait for each other (up to ``BUSY_TIMEOUT``) instead
of overwriting each other's work, and a process killed mid-write leaves every
committed change intact. Changes are written as inserts and deletes of single
facts ("article X has tag Y"), never as a read-modify-write of a whole record,
so no update can be lost between two writers.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from reader.sanitize import sanitize

ENV_STATE = "READER_STATE"
STATE_VERSION = 1
BUSY_TIMEOUT = 30.0  # seconds a writer waits for another process's transaction
MAX_TAG_CHARS = 64
MAX_NOTE_CHARS = 100_000
MAX_SEARCH_NAME_CHARS = 80
# A tag is a word a query can name: letters, digits and - _ / . (no spaces).
_TAG = re.compile(r"[^\W][\w\-/.]*")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS read (id TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS starred (id TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS tags (
    id TEXT NOT NULL, tag TEXT NOT NULL, at REAL NOT NULL, PRIMARY KEY (id, tag));
CREATE INDEX IF NOT EXISTS tags_by_tag ON tags (tag);
CREATE TABLE IF NOT EXISTS notes (
    note INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL,
    start INTEGER, end INTEGER, passage TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL, created REAL NOT NULL, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS notes_by_id ON notes (id);
CREATE TABLE IF NOT EXISTS searches (
    name TEXT PRIMARY KEY, query TEXT NOT NULL, created REAL NOT NULL);
"""


class StateError(ValueError):
    """A state request that cannot be carried out: one line that says why."""


@dataclass(frozen=True)
class Note:
    note: int  # the note's number, for editing or deleting it
    id: str  # the article
    text: str
    start: int | None = None  # a passage of the body, when the note is on one
    end: int | None = None
    passage: str = ""  # the passage's text when the note was written
    created: float = 0.0
    updated: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"note": self.note, "id": self.id, "text": self.text, "start": self.start, "end": self.end,
                "passage": self.passage, "created": _iso(self.created), "updated": _iso(self.updated)}


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str
    created: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "query": self.query, "created": _iso(self.created)}


@dataclass(frozen=True)
class ArticleState:
    id: str
    read: bool
    starred: bool
    tags: tuple[str, ...]
    notes: tuple[Note, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "read": self.read, "starred": self.starred, "tags": list(self.tags),
                "notes": [n.as_dict() for n in self.notes]}


def _iso(stamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp)) if stamp else ""


def default_state_path(articles: Path) -> Path:
    """$READER_STATE, or a database per articles folder in the user's data
    folder, keyed as the index cache is (by the folder's resolved path)."""
    env = os.environ.get(ENV_STATE)
    if env:
        return Path(env)
    key = hashlib.sha256(str(Path(articles).resolve()).encode()).hexdigest()[:16]
    return Path(platformdirs.user_data_dir("reader")) / "state" / f"{key}.sqlite3"


def normalise_tag(raw: str) -> str:
    """Tags are compared without case: "Follow-up" and "follow-up" are one tag."""
    tag = raw.strip().lstrip("#").lower()
    if not tag:
        raise StateError("a tag cannot be empty")
    if len(tag) > MAX_TAG_CHARS:
        raise StateError(f"a tag is at most {MAX_TAG_CHARS} characters")
    if not _TAG.fullmatch(tag):
        raise StateError(f"tag {raw!r} may hold only letters, digits and - _ / . (no spaces)")
    return tag


def _clean_text(text: str, limit: int, what: str) -> str:
    # Escape sequences and control characters never reach the terminal (the
    # project's sanitiser, as for article text).
    cleaned = sanitize(text)
    if len(cleaned) > limit:
        raise StateError(f"{what} is longer than {limit} characters")
    return cleaned


class StateStore:
    """The state of one articles folder. Safe to share between threads (one
    connection, used under a lock) and between processes (SQLite's locks)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        # Bumped by every change made here; with the database's data_version,
        # tells a reader whether its cached sets are still true.
        self._changes = 0

    # --- the connection -------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None,
                                   check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StateError(f"cannot open the reading state at {self.path}: {_why(exc)}") from None
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            with _immediate(conn):
                for statement in _statements(_SCHEMA):  # executescript would commit on its own
                    conn.execute(statement)
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (str(STATE_VERSION),))
            row = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()
            if row and int(row[0]) > STATE_VERSION:
                raise StateError(f"the reading state at {self.path} was written by a newer reader")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StateError(f"cannot read the reading state at {self.path}: {_why(exc)}") from None
        self._conn = conn
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._connect()
            try:
                with _immediate(conn):
                    yield conn
            except sqlite3.OperationalError as exc:
                raise StateError(f"cannot save the reading state at {self.path}: {_why(exc)}") from None
            self._changes += 1

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            conn = self._connect()
            try:
                return conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.OperationalError as exc:
                raise StateError(f"cannot read the reading state at {self.path}: {_why(exc)}") from None

    def version(self) -> tuple[int, int]:
        """Changes since this store was opened: (here, in the database). The
        second part changes when another process commits (PRAGMA data_version)."""
        with self._lock:
            conn = self._connect()
            return self._changes, conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # --- read and unread ------------------------------------------------------------

    def mark_read(self, ids: Iterable[str], read: bool = True) -> int:
        """Mark articles read (or unread again); returns how many changed."""
        ids = list(dict.fromkeys(ids))
        now = time.time()
        with self._write() as conn:
            before = conn.total_changes
            if read:
                conn.executemany("INSERT OR IGNORE INTO read VALUES (?, ?)", ((i, now) for i in ids))
            else:
                conn.executemany("DELETE FROM read WHERE id = ?", ((i,) for i in ids))
            return conn.total_changes - before

    def read_ids(self) -> set[str]:
        return {r[0] for r in self._read("SELECT id FROM read")}

    def is_read(self, article_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM read WHERE id = ?", (article_id,)))

    # --- stars ----------------------------------------------------------------------

    def star(self, article_id: str, starred: bool = True) -> bool:
        """Star or unstar; returns whether anything changed."""
        with self._write() as conn:
            before = conn.total_changes
            if starred:
                conn.execute("INSERT OR IGNORE INTO starred VALUES (?, ?)", (article_id, time.time()))
            else:
                conn.execute("DELETE FROM starred WHERE id = ?", (article_id,))
            return conn.total_changes > before

    def toggle_star(self, article_id: str) -> bool:
        """Star an unstarred article or unstar a starred one, in one
        transaction; returns whether it is starred now."""
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM starred WHERE id = ?", (article_id,)).fetchone():
                conn.execute("DELETE FROM starred WHERE id = ?", (article_id,))
                return False
            conn.execute("INSERT INTO starred VALUES (?, ?)", (article_id, time.time()))
            return True

    def starred_ids(self) -> set[str]:
        return {r[0] for r in self._read("SELECT id FROM starred")}

    # --- tags -----------------------------------------------------------------------

    def tag(self, article_id: str, tags: Iterable[str]) -> list[str]:
        """Add tags; returns those that were new on the article."""
        wanted = list(dict.fromkeys(normalise_tag(t) for t in tags))
        now = time.time()
        added = []
        with self._write() as conn:
            for tag in wanted:
                cur = conn.execute("INSERT OR IGNORE INTO tags VALUES (?, ?, ?)", (article_id, tag, now))
                if cur.rowcount:
                    added.append(tag)
        return added

    def untag(self, article_id: str, tags: Iterable[str]) -> list[str]:
        """Remove tags; returns those the article had."""
        wanted = list(dict.fromkeys(normalise_tag(t) for t in tags))
        removed = []
        with self._write() as conn:
            for tag in wanted:
                cur = conn.execute("DELETE FROM tags WHERE id = ? AND tag = ?", (article_id, tag))
                if cur.rowcount:
                    removed.append(tag)
        return removed

    def tags_of(self, article_id: str) -> list[str]:
        return [r[0] for r in self._read("SELECT tag FROM tags WHERE id = ? ORDER BY tag", (article_id,))]

    def all_tags(self) -> dict[str, list[str]]:
        """article id -> its tags, for every tagged article."""
        out: dict[str, list[str]] = {}
        for article_id, tag in self._read("SELECT id, tag FROM tags ORDER BY id, tag"):
            out.setdefault(article_id, []).append(tag)
        return out

    def tag_counts(self) -> dict[str, int]:
        """Every tag in use with its number of articles, most used first."""
        rows = self._read("SELECT tag, COUNT(*) FROM tags GROUP BY tag ORDER BY COUNT(*) DESC, tag")
        return {tag: count for tag, count in rows}

    def tagged_ids(self, tag: str) -> set[str]:
        """The articles with this tag; ``a/*`` or ``a*`` also takes every tag it begins."""
        tag = tag.strip().lstrip("#").lower()
        if tag.endswith("*"):
            stem = tag.rstrip("*")
            rows = self._read("SELECT id FROM tags WHERE substr(tag, 1, ?) = ?", (len(stem), stem))
        else:
            rows = self._read("SELECT id FROM tags WHERE tag = ?", (tag,))
        return {r[0] for r in rows}

    def any_tag_ids(self) -> set[str]:
        return {r[0] for r in self._read("SELECT DISTINCT id FROM tags")}

    # --- notes ----------------------------------------------------------------------

    def add_note(self, article_id: str, text: str, start: int | None = None, end: int | None = None,
                 passage: str = "") -> Note:
        text = _clean_text(text, MAX_NOTE_CHARS, "a note").strip()
        if not text:
            raise StateError("a note cannot be empty")
        if (start is None) != (end is None) or (start is not None and not 0 <= start < end):  # type: ignore[operator]
            raise StateError("a note's passage needs a start before its end")
        passage = _clean_text(passage, MAX_NOTE_CHARS, "a passage")
        now = time.time()
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO notes (id, start, end, passage, text, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (article_id, start, end, passage, text, now, now))
            number = int(cur.lastrowid or 0)
        return Note(number, article_id, text, start, end, passage, now, now)

    def edit_note(self, number: int, text: str) -> Note:
        """Replace a note's text; an empty text deletes the note."""
        text = _clean_text(text, MAX_NOTE_CHARS, "a note").strip()
        with self._write() as conn:
            row = conn.execute("SELECT id FROM notes WHERE note = ?", (number,)).fetchone()
            if row is None:
                raise StateError(f"no note number {number}")
            if not text:
                conn.execute("DELETE FROM notes WHERE note = ?", (number,))
            else:
                conn.execute("UPDATE notes SET text = ?, updated = ? WHERE note = ?", (text, time.time(), number))
        notes = [n for n in self.notes_of(row[0]) if n.note == number]
        return notes[0] if notes else Note(number, row[0], "")

    def delete_note(self, number: int) -> bool:
        with self._write() as conn:
            return conn.execute("DELETE FROM notes WHERE note = ?", (number,)).rowcount > 0

    def notes_of(self, article_id: str) -> list[Note]:
        rows = self._read("SELECT note, id, text, start, end, passage, created, updated FROM notes "
                          "WHERE id = ? ORDER BY note", (article_id,))
        return [Note(*r) for r in rows]

    def noted_ids(self) -> set[str]:
        return {r[0] for r in self._read("SELECT DISTINCT id FROM notes")}

    # --- one article ----------------------------------------------------------------

    def of(self, article_id: str) -> ArticleState:
        starred = bool(self._read("SELECT 1 FROM starred WHERE id = ?", (article_id,)))
        return ArticleState(article_id, self.is_read(article_id), starred,
                            tuple(self.tags_of(article_id)), tuple(self.notes_of(article_id)))

    # --- saved searches -------------------------------------------------------------

    def save_search(self, name: str, query: str) -> SavedSearch:
        name = " ".join(_clean_text(name, MAX_SEARCH_NAME_CHARS, "a search's name").split())
        query = " ".join(_clean_text(query, 1000, "a query").split())
        if not name:
            raise StateError("a saved search needs a name")
        if not query:
            raise StateError("a saved search needs a query")
        now = time.time()
        with self._write() as conn:
            conn.execute("INSERT INTO searches VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET query = excluded.query",
                         (name, query, now))
        return SavedSearch(name, query, now)

    def delete_search(self, name: str) -> bool:
        with self._write() as conn:
            return conn.execute("DELETE FROM searches WHERE name = ?", (name,)).rowcount > 0

    def searches(self) -> list[SavedSearch]:
        return [SavedSearch(*r) for r in self._read("SELECT name, query, created FROM searches ORDER BY name")]

    # --- moving between machines ----------------------------------------------------

    def export(self) -> dict[str, Any]:
        """Everything, as JSON-ready data (``reader state export``)."""
        read = self._read("SELECT id, at FROM read ORDER BY id")
        starred = self._read("SELECT id, at FROM starred ORDER BY id")
        tags = self._read("SELECT id, tag, at FROM tags ORDER BY id, tag")
        notes = self._read("SELECT id, start, end, passage, text, created, updated FROM notes ORDER BY note")
        return {
            "reader_state": STATE_VERSION,
            "read": [{"id": i, "at": at} for i, at in read],
            "starred": [{"id": i, "at": at} for i, at in starred],
            "tags": [{"id": i, "tag": t, "at": at} for i, t, at in tags],
            "notes": [{"id": i, "start": s, "end": e, "passage": p, "text": t, "created": c, "updated": u}
                      for i, s, e, p, t, c, u in notes],
            "searches": [{"name": s.name, "query": s.query, "created": s.created} for s in self.searches()],
        }

    def import_(self, data: Any) -> dict[str, int]:
        """Merge an export into this store: facts are added, nothing is taken
        away; a note already here (same article, passage and text) is not
        added twice. Returns how many of each were new. All or nothing."""
        if not isinstance(data, dict) or "reader_state" not in data:
            raise StateError("not a reading state export (no 'reader_state' key)")
        if not isinstance(data["reader_state"], int) or data["reader_state"] > STATE_VERSION:
            raise StateError("the export was written by a newer reader")
        counts = {"read": 0, "starred": 0, "tags": 0, "notes": 0, "searches": 0}
        try:
            with self._write() as conn:
                for item in _items(data, "read"):
                    counts["read"] += conn.execute("INSERT OR IGNORE INTO read VALUES (?, ?)",
                                                   (_id(item), _stamp(item, "at"))).rowcount
                for item in _items(data, "starred"):
                    counts["starred"] += conn.execute("INSERT OR IGNORE INTO starred VALUES (?, ?)",
                                                      (_id(item), _stamp(item, "at"))).rowcount
                for item in _items(data, "tags"):
                    counts["tags"] += conn.execute("INSERT OR IGNORE INTO tags VALUES (?, ?, ?)",
                                                   (_id(item), normalise_tag(str(item.get("tag", ""))),
                                                    _stamp(item, "at"))).rowcount
                for item in _items(data, "notes"):
                    text = _clean_text(str(item.get("text", "")), MAX_NOTE_CHARS, "a note").strip()
                    start, end = item.get("start"), item.get("end")
                    if not text or not (start is None or isinstance(start, int)) or not (end is None or isinstance(end, int)):
                        raise StateError("a note in the export has no text or a wrong passage")
                    passage = _clean_text(str(item.get("passage", "") or ""), MAX_NOTE_CHARS, "a passage")
                    exists = conn.execute(
                        "SELECT 1 FROM notes WHERE id = ? AND start IS ? AND end IS ? AND text = ?",
                        (_id(item), start, end, text)).fetchone()
                    if not exists:
                        conn.execute("INSERT INTO notes (id, start, end, passage, text, created, updated) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                     (_id(item), start, end, passage, text, _stamp(item, "created"),
                                      _stamp(item, "updated")))
                        counts["notes"] += 1
                for item in _items(data, "searches"):
                    name, query = str(item.get("name", "")).strip(), str(item.get("query", "")).strip()
                    if not name or not query:
                        raise StateError("a saved search in the export has no name or no query")
                    counts["searches"] += conn.execute("INSERT OR IGNORE INTO searches VALUES (?, ?, ?)",
                                                       (name, query, _stamp(item, "created"))).rowcount
        except (TypeError, AttributeError):
            raise StateError("the export is not in the reading state's format") from None
        return counts


def load_export(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except UnicodeDecodeError:
        raise StateError(f"{path}: not UTF-8 text") from None
    except ValueError as exc:
        raise StateError(f"{path}: not JSON ({exc})") from None


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise StateError(f"the export's {key!r} is not a list of objects")
    return items


def _id(item: dict[str, Any]) -> str:
    value = item.get("id")
    if not isinstance(value, str) or not value or len(value) > 300:
        raise StateError("an entry of the export has no article id")
    return value


def _stamp(item: dict[str, Any], key: str) -> float:
    value = item.get(key, 0)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else time.time()


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


@contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """One transaction that holds the write lock from its start, so two
    writers are serialised rather than one failing at commit."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _why(exc: BaseException) -> str:
    return str(exc) or "the database is unreadable"
