"""The article list as the last run saw it, kept beside the index, so that a
large corpus lists at once.

Reading the list from the index means unpickling the stored fields of every
article: about 0.7 s of CPU on 19,000 Reuters articles, most of the time to a
usable screen. The rows are a pure function of the index's files, so they are
saved as JSON keyed by those files (names, sizes, modification times) and
taken back only while the index is byte for byte the one they came from; any
commit (by this app, ``reader index`` or another process) changes the key.
The app still checks the folder right after, as it always does. Every failure
here (a read-only or missing folder, a broken file) just means no cache.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from reader.library import ArticleRow
from reader.index import FOLDER_CHECK_FILE
from reader.passage_cache import PASSAGES_FILE

CACHE_NAME = "reader-ui-rows.json"
VERSION = 2
FIELDS = ("id", "title", "source", "author", "date", "path")
SEP = "\x1f"  # between the values of a column (sanitised text holds no control character)

Key = list[Any]


def index_key(index_dir: Path | None, articles: Path) -> Key | None:
    """What the rows depend on: the index's files as they are now."""
    if index_dir is None:
        return None
    try:
        entries = []
        with os.scandir(index_dir) as scan:
            for entry in scan:
                name = entry.name
                # The write lock is touched by writers that may commit nothing;
                # the shared passages' cache is written after the rows are read,
                # and the record of the last folder check after every check.
                if name in (CACHE_NAME, PASSAGES_FILE, FOLDER_CHECK_FILE) or name.startswith(".") or name.endswith("LOCK") or name.endswith(".tmp"):
                    continue
                state = entry.stat()
                entries.append([name, state.st_size, state.st_mtime_ns])
    except OSError:
        return None
    if not entries:
        return None
    entries.sort()
    return [VERSION, str(Path(articles).resolve()), entries]


def load(index_dir: Path | None, articles: Path) -> tuple[Key, list[ArticleRow]] | None:
    """The saved rows, if the index is still the one they were read from."""
    key = index_key(index_dir, articles)
    if key is None or index_dir is None:
        return None
    try:
        with open(Path(index_dir) / CACHE_NAME, encoding="utf-8") as handle:
            saved = json.load(handle)
        if saved.get("key") != key:
            return None
        count = saved["count"]
        # One string per field: parsing 19,000 rows this way takes a third of
        # the time a list of lists does.
        columns = [column.split(SEP) if count else [] for column in saved["columns"]]
        if len(columns) != len(FIELDS) or any(len(column) != count for column in columns):
            return None
        rows = list(map(ArticleRow, *columns))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return key, rows


def save(index_dir: Path | None, key: Key | None, rows: list[ArticleRow]) -> bool:
    """Save rows read while the index had ``key``; only if it still has it."""
    if index_dir is None or key is None or index_key(index_dir, Path(key[1])) != key:
        return False
    path = Path(index_dir) / CACHE_NAME
    temp = path.with_name(f"{CACHE_NAME}.{os.getpid()}.tmp")
    try:
        columns = [[str(getattr(row, name)) for row in rows] for name in FIELDS]
        if any(SEP in value for column in columns for value in column):
            return False
        payload = {"key": key, "count": len(rows), "columns": [SEP.join(column) for column in columns]}
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(temp, path)
    except OSError:
        try:
            temp.unlink()
        except OSError:
            pass
        return False
    return True
