"""The shared passages of an indexed folder, kept beside the index.

Like the index, this is derived data: a file in the index folder
(``passages.pickle``), tagged with the index generation it describes and
never written into the articles folder. It holds the finder's whole state
(the LSH tables and each article's sentences), so bringing it up to date
after the index changed re-hashes only the articles whose file changed
(their size or modification time, as the index's catalog records them).
A cache that cannot be read, or of another format, is rebuilt."""

from __future__ import annotations

import gc
import pickle
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from reader.corpus import ArticleError, read_body
from reader.passages import FORMAT, Passage, PassageFinder

if TYPE_CHECKING:
    from reader.index import ArticleIndex

PASSAGES_FILE = "passages.pickle"
# Articles re-hashed since the file was written before it is written again.
# Writing it takes seconds on Reuters (50 MB), hashing an article a
# millisecond: a new process re-hashes the few articles changed since the
# file was written rather than every update paying for the write.
SAVE_AFTER = 200

ProgressFn = Callable[[int, int], None]


@dataclass
class PassageReport:
    added: int = 0
    removed: int = 0
    seconds: float = 0.0
    loaded: bool = False  # read from the cache file


class PassageCache:
    def __init__(self, index: "ArticleIndex") -> None:
        self.index = index
        self._finder: PassageFinder | None = None
        self._generation: int | None = None
        self._unsaved = 0  # articles hashed or removed since the file was written
        self._lock = threading.RLock()
        self.last = PassageReport()

    @property
    def path(self) -> Path:
        return Path(self.index.index_dir) / PASSAGES_FILE

    def finder(self, progress: ProgressFn | None = None) -> PassageFinder:
        """The finder, brought in line with what the index holds now."""
        with self._lock:
            generation = self.index.ix.latest_generation()
            if self._finder is not None and self._generation == generation:
                return self._finder
            started = time.perf_counter()
            report = PassageReport()
            built = False
            if self._finder is None:
                with paused_gc():
                    self._finder, self._generation = self._load()
                report.loaded = self._finder is not None
                if self._finder is None:
                    self._finder, built = PassageFinder(), True
            if self._generation != generation:
                with paused_gc():
                    report.added, report.removed = self._follow(self._finder, progress)
                self._generation = generation
                self._unsaved += report.added + report.removed
                if built or self._unsaved >= SAVE_AFTER:
                    self._save(generation)
            report.seconds = time.perf_counter() - started
            self.last = report
            return self._finder

    def _follow(self, finder: PassageFinder, progress: ProgressFn | None) -> tuple[int, int]:
        """Remove and re-hash the articles whose file changed since the finder saw them."""
        rows = {row["id"]: row for row in self.index.stored() if row.get("id")}
        gone = [i for i in finder.entries if i not in rows]
        changed = [i for i, row in rows.items() if finder.fingerprint(i) != _fingerprint(row)]
        for article_id in gone:
            finder.remove(article_id)
        articles = Path(self.index.articles)
        for done, article_id in enumerate(changed, start=1):
            if progress and (done % 500 == 0 or done == len(changed)):
                progress(done, len(changed))
            row = rows[article_id]
            try:
                body = read_body(articles / row["path"])
            except (ArticleError, OSError):
                finder.remove(article_id)  # the next update of the index reports the file
                continue
            finder.add(article_id, body, _fingerprint(row))
        return len(changed), len(gone)

    def _load(self) -> tuple[PassageFinder | None, int | None]:
        if self.index.in_memory:
            return None, None
        try:
            with open(self.path, "rb") as handle:
                data: dict[str, Any] = pickle.load(handle)
            finder = data["finder"]
            if data.get("format") != FORMAT or data.get("articles") != str(self.index.articles) \
                    or not isinstance(finder, PassageFinder):
                return None, None
            return finder, data.get("generation")
        except Exception:  # noqa: BLE001 - missing, torn or of another version: rebuilt
            return None, None

    def _save(self, generation: int) -> None:
        if self.index.in_memory:
            return
        from reader.fsutil import atomic_write_bytes

        data = {"format": FORMAT, "articles": str(self.index.articles), "generation": generation,
                "finder": self._finder}
        try:
            atomic_write_bytes(self.path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
            self._unsaved = 0
        except OSError:
            pass  # only a cache: the next run works it out again

    def passages(self, article_id: str | None = None) -> list[Passage]:
        """The finder's passages, each with its text as the first article has it."""
        finder = self.finder()
        bodies: dict[str, str] = {}

        def body_of(article_id: str) -> str:
            if article_id not in bodies:
                path = str((finder.fingerprint(article_id) or ("",))[0])  # see _fingerprint
                try:
                    bodies[article_id] = read_body(Path(self.index.articles) / path) if path else ""
                except (ArticleError, OSError):
                    bodies[article_id] = ""  # gone since: the next update drops its passages
            return bodies[article_id]

        return finder.passages(article_id, body_of)

    def forget(self) -> None:
        """Drop what is in memory (the index was rebuilt by another process)."""
        with self._lock:
            self._finder = None
            self._generation = None


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off while the finder's many small objects
    are made: it would walk them all again and again (unpickling the
    Reuters cache took five times as long with it on), and they hold no
    cycles to collect."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _fingerprint(row: dict[str, Any]) -> tuple[object, ...]:
    return (row.get("path", ""), row.get("mtime", 0), row.get("size", 0))
