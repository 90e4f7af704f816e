"""A parsed entity list kept in the user cache folder, so a big ``entities.yaml``
is parsed once, not by every command.

Parsing and validating 350,000 entities (15 MB of YAML) takes 20 s and most of
a gigabyte; unpickling the parsed list takes about a second. The cached copy is
keyed by the file's signature (size, modification time, inode and device):
any write to the file, in place or by an atomic rename, changes it, and the
cache is then ignored and replaced. Small lists are not cached: they parse
faster than a cache file is read. The cache is only a cache: a missing,
unreadable or outdated one is parsed again, never an error.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import platformdirs

from reader.fsutil import atomic_write_bytes

if TYPE_CHECKING:
    from reader.entities import Entity, EntityList

CACHE_FROM_BYTES = 256 * 1024  # smaller lists parse in well under the time a cache is read
# Raised whenever the parsed form (the Entity or EntityList classes) changes.
FORMAT = 2


def _cache_file(path: Path) -> Path:
    key = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("reader")) / "entity-lists" / f"{key}.pickle"


def signature(stat: os.stat_result) -> tuple[int, ...]:
    return (FORMAT, stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_dev)


def cached(path: Path, stat: os.stat_result) -> "EntityList | None":
    """The parsed list of the file ``path`` as ``stat`` describes it, if cached.

    Only its fingerprint and ignore list are read now; the entities are
    unpickled when first used, from the cache file as it was opened (a
    later rewrite of the cache renames a new file over it, which this open
    file never sees). A plain text search never uses them."""
    from reader.entities import EntityList

    if stat.st_size < CACHE_FROM_BYTES:
        return None
    try:
        handle = open(_cache_file(path), "rb")
    except OSError:
        return None
    try:
        if pickle.load(handle) != signature(stat):
            handle.close()
            return None
        fingerprint, ignore = pickle.load(handle)
    except Exception:  # torn or from another version: parsed again
        handle.close()
        return None
    entity_list = EntityList.__new__(EntityList)  # no __post_init__: the name table comes ready
    entity_list.ignore, entity_list.path, entity_list.fingerprint = ignore, Path(path), fingerprint
    entity_list._load = lambda: _read_entities(handle)
    return entity_list


def _read_entities(handle: BinaryIO) -> tuple[dict[str, "Entity"], dict[str, list[str]]]:
    from reader.entities import Entity, EntityListError, Role

    collecting = gc.isenabled()
    # Hundreds of thousands of new objects, none of them garbage: the
    # collector's passes over them would double the time.
    gc.disable()
    try:
        rows, by_name = pickle.load(handle)
        # Most entities have no roles: no list comprehension is run for them.
        entities = {row[0]: Entity(row[0], row[1], row[2], list(row[3]), [Role(*r) for r in row[4]] if row[4] else [])
                    for row in rows}
    except Exception as exc:  # the cache was torn after its head was read
        raise EntityListError(f"the cached entity list cannot be read ({exc}); run the command again") from None
    finally:
        handle.close()
        if collecting:
            gc.enable()
    return entities, by_name


def _packed(entity_list: "EntityList") -> tuple:
    """Plain tuples and strings: they unpickle several times faster than the
    same entities as objects."""
    rows = [(e.id, e.name, e.kind, tuple(e.aliases),
             tuple([(r.title, r.org, r.article) for r in e.roles]) if e.roles else ())
            for e in entity_list.entities.values()]
    return (rows, entity_list._by_name)


def keep(path: Path, entity_list: "EntityList", stat: os.stat_result | None = None) -> None:
    """Cache the parsed list of ``path`` under the signature ``stat`` (taken
    before the file was read; by default, the file's current one)."""
    try:
        stat = stat or Path(path).stat()
        if stat.st_size < CACHE_FROM_BYTES:
            return
        target = _cache_file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        # The key first, so an outdated cache is told from its first bytes.
        data = b"".join(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for part in (
            signature(stat), (entity_list.fingerprint, list(entity_list.ignore)), _packed(entity_list)))
        atomic_write_bytes(target, data)
    except OSError:
        pass  # a read-only or full cache: the next command parses the file again
