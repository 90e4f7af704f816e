"""Curating the entity list: accept, merge (alias), reject and add.

A new entity (add, accept) or a new rejection is appended to the file as
text, at the end of its list, and a new alias that merges nothing is written
into its entity's item, every other byte kept (reader.entitytext): what
changed is read back by the same parser that reads the file, and the new list
is the old one (from the cache, for a big list) with that change, checked
against the others by the parser's rules. Any other change, and a file whose
layout the text edit does not handle, is made on a round-trip copy of
``entities.yaml`` (ruamel.yaml keeps the user's comments, key order and
unknown keys), validated by the same parser. Either way the file is written
atomically: the file on disk is always the old version or the new one. The whole read-change-write holds an exclusive
lock on a file beside the list, so two curating processes (two commands, a
command and the reader's a/m/x) each build on the other's change instead of
one silently undoing the other.
"""

from __future__ import annotations

import io
from dataclasses import replace
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from ruamel.yaml import YAML, YAMLError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from reader import entitycache, entitytext
from reader.corpus import ENTITIES_FILE, slugify
from reader.entities import (
    DISCOVERED_PREFIX,
    KINDS,
    Entity,
    EntityList,
    EntityListError,
    name_key,
    normalise_kind,
    parse_entity_list,
    read_entity_file,
)
from reader.fsutil import atomic_write_text, exclusive_lock
from reader.sanitize import sanitize_line

LOCK_FILE = f".{ENTITIES_FILE}.lock"  # hidden: the loader and the folder watcher skip it
HEADER = "# The entity list: see README.md, \"entities.yaml\".\n"


class CurateError(ValueError):
    """A curating request that cannot be carried out; one line for the user."""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


class EntityFile:
    """entities.yaml for one change: its text, its parsed list, and (read
    only when a change needs it) a round-trip view."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / ENTITIES_FILE
        # Validate with the strict loader first: curating never builds on a file
        # that the reader itself would refuse.
        self.current, self.text = read_entity_file(self.path)
        self.yaml = _yaml()
        self._data: CommentedMap | None = None

    @property
    def data(self) -> CommentedMap:
        if self._data is None:
            self._data = self._round_trip()
        return self._data

    def _round_trip(self) -> CommentedMap:
        if self.text is not None:
            try:
                data = self.yaml.load(self.text.removeprefix("\ufeff"))
            except YAMLError as exc:  # what the reader's own parser lets pass, the round trip may not
                problem = getattr(exc, "problem", None) or str(exc)
                raise CurateError(f"{self.path} cannot be rewritten: {' '.join(str(problem).split())}") from None
        else:
            data = None
        if data is None:
            data = CommentedMap()
        if not isinstance(data, CommentedMap):
            if isinstance(data, CommentedSeq):
                data = CommentedMap([("entities", data)])
            else:
                raise CurateError(f"{self.path}: expected 'entities:' at the top level")
        if data.get("entities") is None:
            data["entities"] = CommentedSeq()
        if "ignore" not in data or data.get("ignore") is None:
            data["ignore"] = CommentedSeq()
        elif isinstance(data["ignore"], str):  # one name, not in a list
            data["ignore"] = CommentedSeq([data["ignore"]])
        return data

    @property
    def items(self) -> CommentedSeq:
        return self.data["entities"]

    def item(self, entity_id: str) -> CommentedMap | None:
        for item in self.items:
            if isinstance(item, dict) and str(item.get("id") or slugify(str(item.get("name", "")), 120)) == entity_id:
                return item
        return None

    def save(self) -> EntityList:
        buffer = io.StringIO()
        self.yaml.dump(self.data, buffer)
        text = buffer.getvalue()
        if not self.path.exists():
            text = HEADER + text
        try:
            result = parse_entity_list(text, str(self.path))
        except EntityListError as exc:  # never write a file the reader would refuse
            raise CurateError(f"the change would make the entity list invalid: {exc}") from None
        return self.write(text, result)

    def write(self, text: str, result: EntityList) -> EntityList:
        """Write ``text``, whose parsed list is ``result``, atomically."""
        try:
            atomic_write_text(self.path, text)
        except OSError as exc:
            raise CurateError(f"cannot write {self.path}: {exc.strerror}") from None
        result.path = self.path
        entitycache.keep(self.path, result)  # the next command need not parse what was just checked
        return result

    def append(self, key: str, lines: Callable[[int], str]) -> tuple[str, EntityList] | None:
        """The file's text with one more item at the end of the list ``key``,
        and what the parser reads in the snippet (the list's last item as the
        file has it, then the new one); None when the text edit cannot be
        used on this file."""
        if self.text is None:
            return None
        count = len(self.current.entities) if key == "entities" else len(self.current.ignore)
        edit = entitytext.append(self.text, key, count, lines)
        if edit is None:
            return None
        try:
            return edit.text, parse_entity_list(edit.snippet, str(self.path))
        except EntityListError:
            return None

    def append_entity(self, entity: Entity) -> EntityList | None:
        """Add ``entity`` as text (see ``append``), or None."""
        appended = self.append("entities", entitytext.entity_lines(entity.id, entity.name, entity.kind,
                                                                  entity.aliases))
        if appended is None:
            return None
        text, snippet = appended
        read = list(snippet.entities.values())
        last = [next(reversed(self.current.entities.values()))] if self.current.entities else []
        if snippet.ignore or read != [*last, entity]:
            return None  # the list's end is not where the line scan put it, or the item reads otherwise
        return self._extended(text, entity=entity)

    def append_ignored(self, name: str) -> EntityList | None:
        """Put ``name`` on the ignore list as text (see ``append``), or None."""
        appended = self.append("ignore", entitytext.ignore_lines(name))
        if appended is None:
            return None
        text, snippet = appended
        if snippet.entities or snippet.ignore != [*self.current.ignore[-1:], name]:
            return None
        return self._extended(text, ignored=name)

    def add_alias(self, target: Entity, name: str) -> EntityList | None:
        """Add ``name`` to the aliases of ``target`` as text, every other byte
        of the file kept, or None when the text edit cannot be used: the item
        as the file has it must read as ``target``, and as edited as
        ``target`` with the alias."""
        if self.text is None:
            return None
        index = list(self.current.entities).index(target.id)
        edit = entitytext.add_alias(self.text, len(self.current.entities), index, name)
        if edit is None:
            return None
        text, old, new = edit
        wanted = replace(target, aliases=[*target.aliases, name])
        try:
            if (list(parse_entity_list("entities:\n" + old, str(self.path))) != [target]
                    or list(parse_entity_list("entities:\n" + new, str(self.path))) != [wanted]):
                return None
        except EntityListError:
            return None
        try:
            result = self.current.with_alias(text, wanted)
        except ValueError as exc:  # never write a file the reader would refuse
            raise CurateError(f"the change would make the entity list invalid: {str(self.path)}: {exc}") from None
        return self.write(text, result)

    def _extended(self, text: str, **entry: Any) -> EntityList:
        try:
            result = self.current.extended(text, **entry)
        except ValueError as exc:  # never write a file the reader would refuse
            raise CurateError(f"the change would make the entity list invalid: {str(self.path)}: {exc}") from None
        return self.write(text, result)


@contextmanager
def editing(folder: Path) -> Iterator[EntityFile]:
    """The entity list for one change, read under the curating lock, which is
    held until the block ends (after ``save``): no other change can land
    between this read and this write."""
    lock = Path(folder) / LOCK_FILE
    with ExitStack() as held:
        try:
            held.enter_context(exclusive_lock(lock))
        except OSError as exc:  # a missing or read-only folder: nothing can be curated there
            raise CurateError(f"cannot write {lock.parent}: {exc.strerror}") from None
        _clean_temps(Path(folder))
        yield EntityFile(folder)


def _clean_temps(folder: Path) -> None:
    """Remove what a killed curating process left mid-write. Only curating
    writes the list, and it holds the lock now, so every such file is an orphan."""
    for tmp in folder.glob(f".{ENTITIES_FILE}.*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass  # not ours to remove: it stays hidden from the loader all the same


def _new_id(current: EntityList, name: str) -> str:
    base = slugify(name, limit=100) or "entity"
    if base.startswith(DISCOVERED_PREFIX):
        base = "e-" + base
    candidate, n = base, 2
    while current.get(candidate) is not None:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _owner(current: EntityList, name: str) -> str | None:
    found = current.lookup(name)
    return found[0].id if found else None


def add(folder: Path, name: str, kind: str, aliases: list[str] | None = None) -> tuple[EntityList, str]:
    """Add a confirmed entity. Returns (new list, its id)."""
    name = sanitize_line(name)
    if not name:
        raise CurateError("the name is empty")
    normal = normalise_kind(kind)
    if normal is None:
        raise CurateError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    with editing(folder) as f:
        owner = _owner(f.current, name)
        if owner:
            raise CurateError(f"{name!r} is already a name of {owner!r}")
        clean_aliases = []
        for alias in aliases or []:
            alias = sanitize_line(alias)
            if alias and alias != name:
                other = _owner(f.current, alias)
                if other:
                    raise CurateError(f"alias {alias!r} is already a name of {other!r}")
                clean_aliases.append(alias)
        entity_id = _new_id(f.current, name)
        if not {name_key(n) for n in [name, *clean_aliases]} & f.current.ignored():
            appended = f.append_entity(Entity(entity_id, name, normal, clean_aliases))
            if appended is not None:
                return appended, entity_id
        item = CommentedMap([("id", entity_id), ("name", name), ("kind", normal)])
        if clean_aliases:
            item["aliases"] = CommentedSeq(clean_aliases)
        f.items.append(item)
        _unignore(f, [name, *clean_aliases])
        return f.save(), entity_id


def _unignore(f: EntityFile, names: list[str]) -> None:
    keys = {name_key(n) for n in names}
    ignore = f.data["ignore"]
    for index in reversed(range(len(ignore))):
        if name_key(str(ignore[index])) in keys:
            del ignore[index]


def accept(folder: Path, name: str, kind: str) -> tuple[EntityList, str]:
    """A discovered name becomes a confirmed entity of the given kind."""
    return add(folder, name, kind)


def alias(folder: Path, name: str, canonical: str) -> tuple[EntityList, str]:
    """Make ``name`` another name of the entity ``canonical`` names (merge).

    When ``name`` is itself a confirmed entity, that entity is merged: its
    names become aliases of the canonical one and its roles move with them."""
    name = sanitize_line(name)
    with editing(folder) as f:
        targets = f.current.resolve(canonical)
        if not targets:
            raise CurateError(f"no entity is named {canonical!r}")
        if len(targets) > 1:
            raise CurateError(f"{canonical!r} names several entities: {', '.join(t.id for t in targets)}; use an id")
        target = targets[0]
        source_id = _owner(f.current, name)
        if source_id == target.id:
            raise CurateError(f"{name!r} is already a name of {target.id!r}")
        if source_id is None and name and name_key(name) not in f.current.ignored():
            changed = f.add_alias(target, name)  # a new name, nothing merged: one item edited as text
            if changed is not None:
                return changed, target.id
        target_item = f.item(target.id)
        if target_item is None:  # pragma: no cover - the list and the file agree
            raise CurateError(f"entity {target.id!r} is not in {f.path}")
        moving_names = [name]
        roles: list[Any] = []
        if source_id is not None:
            source = f.current.get(source_id)
            assert source is not None
            moving_names = source.names
            source_item = f.item(source_id)
            if source_item is not None:
                roles = list(source_item.get("roles") or [])
                f.items.remove(source_item)
        aliases = target_item.get("aliases")
        if aliases is None:
            aliases = CommentedSeq()
            target_item["aliases"] = aliases
        existing = {name_key(a) for a in [target.name, *aliases]}
        for moving in moving_names:
            if name_key(moving) not in existing:
                aliases.append(moving)
                existing.add(name_key(moving))
        if roles:
            target_roles = target_item.get("roles")
            if target_roles is None:
                target_item["roles"] = CommentedSeq(roles)
            else:
                target_roles.extend(roles)
        _unignore(f, moving_names)
        return f.save(), target.id


def unreject(folder: Path, name: str) -> EntityList:
    """Undo a rejection: ``name`` may be taken for an entity again."""
    name = sanitize_line(name)
    if not name:
        raise CurateError("the name is empty")
    with editing(folder) as f:
        if name_key(name) not in {name_key(str(n)) for n in f.data["ignore"]}:
            raise CurateError(f"{name!r} is not on the ignore list")
        _unignore(f, [name])
        return f.save()


def reject(folder: Path, name: str) -> EntityList:
    """Never take ``name`` for an entity again (it goes on the ignore list)."""
    name = sanitize_line(name)
    if not name:
        raise CurateError("the name is empty")
    with editing(folder) as f:
        owner = _owner(f.current, name)
        if owner:
            entity = f.current.get(owner)
            if entity is not None and name_key(entity.name) == name_key(name):
                raise CurateError(
                    f"{name!r} is the confirmed entity {owner!r}; remove it from {ENTITIES_FILE} to drop it"
                )
        if name_key(name) in f.current.ignored():
            return f.current  # already there: nothing to write
        appended = f.append_ignored(name)
        if appended is not None:
            return appended
        f.data["ignore"].append(name)
        return f.save()
