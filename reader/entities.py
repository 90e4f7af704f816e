"""The curated entity list (``entities.yaml``): people, companies, organisations,
places, products and events, with their aliases and, for people, the roles the
articles state.

The file is the user's: loading it validates every entry and reports a bad one
with its line; writing it (curating) goes through ``curate.py``, which keeps
comments and unknown keys and replaces the file atomically.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from reader import entitycache
from reader.corpus import ENTITIES_FILE, slugify
from reader.sanitize import sanitize_line
from reader.yamlsafe import YamlError, _NoAliasLoader, load_yaml

KINDS = ("person", "company", "organization", "place", "product", "event")
KIND_ALIASES = {
    "people": "person",
    "persons": "person",
    "companies": "company",
    "org": "organization",
    "orgs": "organization",
    "organisation": "organization",
    "organizations": "organization",
    "organisations": "organization",
    "places": "place",
    "location": "place",
    "products": "product",
    "events": "event",
}
# Query field for each kind (``org:`` is shorter to type than ``organization:``).
KIND_FIELDS = {
    "person": "person",
    "company": "company",
    "organization": "org",
    "place": "place",
    "product": "product",
    "event": "event",
}
# The index's entity fields: one per kind, and ``entity`` for any kind.
ENTITY_FIELDS = tuple(KIND_FIELDS.values()) + ("entity",)
ENTITY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
DISCOVERED_PREFIX = "d-"
CONFIRMED = "confirmed"
DISCOVERED = "discovered"


# The largest entities.yaml read: a list of 350,000 entities is about 15 MB.
# A bigger file is refused from its size alone, before a byte of it is read.
MAX_ENTITY_LIST_BYTES = 64 * 1024 * 1024


class EntityListError(ValueError):
    """entities.yaml cannot be used; the message names the file and line."""


class EntityListTooLarge(EntityListError):
    """entities.yaml is larger than MAX_ENTITY_LIST_BYTES."""


@dataclass
class Role:
    title: str
    org: str = ""  # id of an organisation in the list, when the role is at one
    article: str = ""  # id of the article that states it

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("title", self.title), ("org", self.org), ("article", self.article)) if v}


@dataclass
class Entity:
    id: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    status: str = CONFIRMED
    evidence: str = ""  # for a discovered entity: the sentence that revealed it
    article: str = ""  # for a discovered entity: the article it was found in

    @property
    def names(self) -> list[str]:
        """Canonical name first, then aliases, without duplicates."""
        seen: dict[str, None] = {self.name: None}
        for alias in self.aliases:
            seen.setdefault(alias, None)
        return list(seen)

    @property
    def discovered(self) -> bool:
        return self.status == DISCOVERED

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "aliases": [a for a in self.aliases if a != self.name],
            "status": self.status,
        }
        if self.roles:
            data["roles"] = [r.as_dict() for r in self.roles]
        if self.evidence:
            data["evidence"] = self.evidence
        return data


def normalise_kind(value: Any) -> str | None:
    text = str(value or "").strip().lower()
    text = KIND_ALIASES.get(text, text)
    return text if text in KINDS else None


def name_key(name: str) -> str:
    """How names are compared: case-insensitive, white space folded, curly
    apostrophes straightened, a trailing possessive dropped."""
    text = " ".join(name.replace("’", "'").split()).lower()
    if text.endswith("'s"):
        text = text[:-2]
    return text.rstrip("'")


def discovered_id(name: str) -> str:
    return DISCOVERED_PREFIX + (slugify(name, limit=100) or "name")


@dataclass
class EntityList:
    entities: dict[str, Entity] = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)
    path: Path | None = None
    fingerprint: str = ""  # hash of the file's bytes; the index rebuilds when it changes

    def __post_init__(self) -> None:
        self._by_name: dict[str, list[str]] = {}
        for entity in self.entities.values():
            self._register(entity)

    def __getattr__(self, name: str) -> Any:
        # Only for a list read from the cache (reader.entitycache): its
        # entities and name table are unpickled when first used.
        load = self.__dict__.get("_load")
        if load is not None and name in ("entities", "_by_name"):
            del self.__dict__["_load"]
            self.entities, self._by_name = load()
            return self.__dict__[name]
        raise AttributeError(name)

    def _register(self, entity: Entity) -> None:
        for name in entity.names:
            ids = self._by_name.setdefault(name_key(name), [])
            if entity.id not in ids:
                ids.append(entity.id)

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self):
        return iter(self.entities.values())

    def get(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    def lookup(self, name: str) -> list[Entity]:
        """Entities whose name or alias is ``name`` (case-insensitive)."""
        return [self.entities[i] for i in self._by_name.get(name_key(name), [])]

    def ignored(self) -> set[str]:
        return {name_key(n) for n in self.ignore}

    def places(self) -> list[str]:
        return [n for e in self.entities.values() if e.kind == "place" for n in e.names]

    def resolve(self, text: str) -> list[Entity]:
        """Entities a user means by ``text``: an exact name, alias or id first;
        otherwise those with a name containing all of its words (``Musk`` finds
        Elon Musk; ``Huawei`` finds Huawei Technologies)."""
        exact = self.lookup(text)
        if exact:
            return exact
        if text.lower() in self.entities:
            return [self.entities[text.lower()]]
        words = name_key(text).split()
        if not words:
            return []
        found = []
        for entity in self.entities.values():
            for name in entity.names:
                tokens = re.findall(r"[\w'-]+", name_key(name))
                if all(w in tokens for w in words):
                    found.append(entity)
                    break
        return found


    def extended(self, text: str, entity: Entity | None = None, ignored: str | None = None) -> "EntityList":
        """This list with one more entity, or one more ignored name, as
        ``parse_entity_list(text)`` reads ``text``, this list's file with the
        entry added. The entry itself must come from the parser; the rules
        that span entries (an id or a name used twice) are checked here, as
        the parser checks them. Raises ValueError."""
        if entity is not None and entity.id in self.entities:
            raise ValueError(f"id {entity.id!r} is used twice")
        return self._with(text, entity, [*self.ignore, *([ignored] if ignored is not None else [])])


    def with_alias(self, text: str, entity: Entity) -> "EntityList":
        """This list with ``entity`` (one of its entities, read back by the
        parser with a new alias) in place of the old one, as
        ``parse_entity_list(text)`` reads ``text``. Raises ValueError when a
        new name belongs to another entity."""
        return self._with(text, entity, list(self.ignore))

    def _with(self, text: str, entity: Entity | None, ignore: list[str]) -> "EntityList":
        """A new list: ``entity`` added or put in place of the one of its id
        (its names checked against the others' as the parser checks them),
        ``ignore`` the ignore list, the fingerprint that of ``text``."""
        entities, by_name = self.entities, self._by_name
        if entity is not None:
            by_name = dict(by_name)  # the old table's lists are shared, never changed
            for name in entity.names:
                key = name_key(name)
                owners = by_name.get(key, [])
                if any(owner != entity.id for owner in owners):
                    raise ValueError(f"name {name!r} already belongs to {owners[0]!r}")
                by_name[key] = [entity.id]
            entities = {**entities, entity.id: entity}
        result = EntityList.__new__(EntityList)  # no __post_init__: the name table is extended, not rebuilt
        result.entities, result._by_name, result.ignore = entities, by_name, ignore
        result.path, result.fingerprint = self.path, fingerprint_of(text)
        return result


def _line_of_item(text: str, index: int) -> int | None:
    """Line (1-based) of item ``index`` of the top-level ``entities`` list."""
    try:
        node = yaml.compose(text, Loader=_NoAliasLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if getattr(key, "value", None) == "entities" and isinstance(value, yaml.SequenceNode):
            if 0 <= index < len(value.value):
                return value.value[index].start_mark.line + 1
    return None


def _as_str_list(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ValueError(f"{what} must be a list of names")
    return [sanitize_line(str(v)) for v in value if str(v).strip()]


def _parse_entity(item: Any) -> Entity:
    if not isinstance(item, dict):
        raise ValueError("each entity must be a mapping with at least 'name' and 'kind'")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("entity has no 'name'")
    name = sanitize_line(name)
    kind = normalise_kind(item.get("kind"))
    if kind is None:
        raise ValueError(f"entity {name!r}: kind {item.get('kind')!r} is not one of {', '.join(KINDS)}")
    entity_id = str(item.get("id") or slugify(name, limit=120))
    if not ENTITY_ID.match(entity_id):
        raise ValueError(f"entity {name!r}: id {entity_id!r} may hold only a-z, 0-9 and '-'")
    if entity_id.startswith(DISCOVERED_PREFIX):
        raise ValueError(f"entity {name!r}: ids starting with {DISCOVERED_PREFIX!r} are kept for discovered names")
    aliases = _as_str_list(item.get("aliases"), f"entity {name!r}: aliases")
    roles = []
    raw_roles = item.get("roles") or []
    if not isinstance(raw_roles, list):
        raise ValueError(f"entity {name!r}: roles must be a list")
    for raw in raw_roles:
        if isinstance(raw, str):
            roles.append(Role(sanitize_line(raw)))
        elif isinstance(raw, dict) and isinstance(raw.get("title"), str):
            roles.append(
                Role(
                    sanitize_line(raw["title"]),
                    str(raw.get("org") or ""),
                    str(raw.get("article") or ""),
                )
            )
        else:
            raise ValueError(f"entity {name!r}: each role needs a 'title'")
    return Entity(entity_id, name, kind, aliases, roles)


def parse_entity_list(text: str, origin: str = ENTITIES_FILE) -> EntityList:
    """Validate the text of an entity list; raise EntityListError with the line."""
    try:
        data = load_yaml(text, limit=MAX_ENTITY_LIST_BYTES)
    except YamlError as exc:
        raise EntityListError(f"{origin}: {exc}") from None
    if data is None:
        data = {}
    if isinstance(data, list):  # a bare list of entities is accepted too
        data = {"entities": data}
    if not isinstance(data, dict):
        raise EntityListError(f"{origin}: line 1: expected 'entities:' and 'ignore:' keys")
    items = data.get("entities") or []
    if not isinstance(items, list):
        raise EntityListError(f"{origin}: 'entities' must be a list")
    entities: dict[str, Entity] = {}
    owners: dict[str, str] = {}
    for index, item in enumerate(items):
        try:
            entity = _parse_entity(item)
            if entity.id in entities:
                raise ValueError(f"id {entity.id!r} is used twice")
            for name in entity.names:
                key = name_key(name)
                if key in owners and owners[key] != entity.id:
                    raise ValueError(f"name {name!r} already belongs to {owners[key]!r}")
                owners[key] = entity.id
        except ValueError as exc:
            line = _line_of_item(text, index)
            where = f"line {line}: " if line else f"entity {index + 1}: "
            raise EntityListError(f"{origin}: {where}{exc}") from None
        entities[entity.id] = entity
    try:
        ignore = _as_str_list(data.get("ignore"), "ignore")
    except ValueError as exc:
        raise EntityListError(f"{origin}: {exc}") from None
    return EntityList(entities, ignore, fingerprint=fingerprint_of(text))


def fingerprint_of(text: str) -> str:
    """The fingerprint of an entity list's text (EntityList.fingerprint)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_entity_list(folder_or_file: Path) -> EntityList:
    """Load ``entities.yaml`` from an articles folder (or a file path). A missing
    file is an empty list; a bad one raises EntityListError."""
    return _read_entity_file(folder_or_file, with_text=False)[0]


def read_entity_file(folder_or_file: Path) -> tuple[EntityList, str | None]:
    """The list and the text it was read from, in one read (the text is None
    when there is no file). A big list's parsed form comes from its cache."""
    return _read_entity_file(folder_or_file, with_text=True)


def _read_entity_file(folder_or_file: Path, with_text: bool) -> tuple[EntityList, str | None]:
    path = Path(folder_or_file)
    if path.is_dir():
        path = path / ENTITIES_FILE
    if not path.exists():
        return EntityList(path=path), None
    try:
        with open(path, "rb") as handle:
            # The signature of what is read, taken first: a file changed while
            # it is read gets a new one, so its cached copy is never used.
            stat = os.fstat(handle.fileno())
            if stat.st_size > MAX_ENTITY_LIST_BYTES:
                raise EntityListTooLarge(f"{path}: {stat.st_size / 2**20:.0f} MB is larger than the "
                                         f"{MAX_ENTITY_LIST_BYTES // 2**20} MB an entity list may hold")
            known = entitycache.cached(path, stat)
            if known is not None and not with_text:
                return known, None
            data = handle.read()
    except OSError as exc:
        raise EntityListError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EntityListError(f"{path}: not valid UTF-8 at byte {exc.start}") from None
    if known is None:
        known = parse_entity_list(text, str(path))
        known.path = path
        entitycache.keep(path, known, stat)
    if data.startswith(b"\xef\xbb\xbf"):
        text = "\ufeff" + text  # the text as it is on disk, byte order mark and all
    return known, text


def iter_names(entities: Iterable[Entity]) -> Iterable[tuple[str, Entity]]:
    for entity in entities:
        for name in entity.names:
            yield name, entity
