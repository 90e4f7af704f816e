"""reader.entities: the entity list, its validation and name resolution."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.corpus import load_corpus
from reader.entities import (
    KINDS,
    Entity,
    EntityList,
    EntityListError,
    discovered_id,
    load_entity_list,
    name_key,
    normalise_kind,
    parse_entity_list,
)

ARTICLES = Path(__file__).resolve().parent.parent / "articles"


@pytest.fixture(scope="module")
def bundled() -> EntityList:
    return load_entity_list(ARTICLES)


# --- the bundled list -------------------------------------------------------------------

def test_bundled_list_loads(bundled: EntityList) -> None:
    assert len(bundled) > 50
    assert bundled.path == ARTICLES / "entities.yaml"
    assert bundled.fingerprint
    kinds = {e.kind for e in bundled}
    assert kinds == set(KINDS)
    assert all(e.status == "confirmed" for e in bundled)


@pytest.mark.parametrize(
    "alias, entity_id",
    [
        ("Premier Li Qiang", "li-qiang"),
        ("Alibaba Group Holding", "alibaba"),
        ("Huawei Technologies", "huawei"),
        ("Tencent Holdings", "tencent"),
        ("Robin Li Yanhong", "robin-li"),
        ("Space Exploration Technologies", "spacex"),
        ("Musk", "elon-musk"),
    ],
)
def test_bundled_list_has_the_aliases_the_texts_use(bundled: EntityList, alias: str, entity_id: str) -> None:
    assert [e.id for e in bundled.lookup(alias)] == [entity_id]
    texts = "\n".join(a.body for a in load_corpus(ARTICLES).articles)
    assert alias in texts


def test_bundled_people_have_roles_with_articles(bundled: EntityList) -> None:
    article_ids = {a.id for a in load_corpus(ARTICLES).articles}
    people_with_roles = [e for e in bundled if e.kind == "person" and e.roles]
    assert {e.id for e in people_with_roles} >= {"li-qiang", "elon-musk", "robin-li", "eric-jing", "wang-jian"}
    for person in people_with_roles:
        for role in person.roles:
            assert role.title
            assert role.article in article_ids
            if role.org:
                assert bundled.get(role.org) is not None, (person.id, role.org)
    musk = bundled.get("elon-musk")
    assert {(r.title, r.org) for r in musk.roles} >= {("chief executive", "tesla"), ("executive chairman", "x-corp")}


def test_places_are_listed(bundled: EntityList) -> None:
    places = bundled.places()
    assert "Shanghai" in places and "Hong Kong" in places and "US" in places
    assert "Tesla" not in places


# --- resolve --------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, ids",
    [
        ("Elon Musk", ["elon-musk"]),
        ("elon musk", ["elon-musk"]),
        ("Musk", ["elon-musk"]),
        ("elon-musk", ["elon-musk"]),
        ("Huawei", ["huawei"]),
        ("HUAWEI TECHNOLOGIES", ["huawei"]),
        ("SenseTime’s", ["sensetime"]),
        ("Robin", ["robin-li"]),
        ("Qiang", ["li-qiang"]),
        ("Exploration", ["spacex"]),
        ("Li", ["li-qiang", "robin-li"]),
        ("Nobody Here", []),
        ("", []),
    ],
)
def test_resolve(bundled: EntityList, text: str, ids: list[str]) -> None:
    assert [e.id for e in bundled.resolve(text)] == ids


def test_name_key() -> None:
    assert name_key("  SenseTime’s ") == "sensetime"
    assert name_key("Elon   Musk") == "elon musk"
    assert name_key("Jesus'") == "jesus"


def test_normalise_kind() -> None:
    assert normalise_kind("People") == "person"
    assert normalise_kind("org") == "organization"
    assert normalise_kind("organisation") == "organization"
    assert normalise_kind("location") == "place"
    assert normalise_kind("animal") is None
    assert normalise_kind(None) is None


def test_entity_names_and_dict() -> None:
    entity = Entity("x", "Name", "company", aliases=["Alias", "Name", "Alias"])
    assert entity.names == ["Name", "Alias"]
    assert entity.as_dict() == {"id": "x", "name": "Name", "kind": "company", "aliases": ["Alias", "Alias"],
                                "status": "confirmed"}
    assert discovered_id("Zhou Minghao") == "d-zhou-minghao"


# --- validation ---------------------------------------------------------------------------

GOOD = """\
# comment
entities:
  - id: acme
    name: Acme Corp
    kind: company
    aliases: [Acme]
  - name: Jane Doe
    kind: people
    roles:
      - Chief executive
      - title: founder
        org: acme
        article: story-1
ignore:
  - Monday
"""


def test_valid_list() -> None:
    result = parse_entity_list(GOOD)
    assert [e.id for e in result] == ["acme", "jane-doe"]  # the id defaults to the slug of the name
    jane = result.get("jane-doe")
    assert jane.kind == "person"
    assert [(r.title, r.org, r.article) for r in jane.roles] == [("Chief executive", "", ""), ("founder", "acme", "story-1")]
    assert result.ignore == ["Monday"]
    assert result.ignored() == {"monday"}
    assert [e.id for e in result.lookup("acme")] == ["acme"]


def test_bare_list_and_empty_file() -> None:
    assert [e.id for e in parse_entity_list("- name: Acme\n  kind: company\n")] == ["acme"]
    assert len(parse_entity_list("")) == 0
    assert len(parse_entity_list("entities:\n")) == 0


def test_single_string_alias_is_accepted() -> None:
    result = parse_entity_list("entities:\n  - name: Acme\n    kind: company\n    aliases: ACME Inc\n")
    assert result.get("acme").aliases == ["ACME Inc"]


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("entities:\n  - id: a\n    kind: company\n", 2, "has no 'name'"),
        ("entities:\n  - name: A\n    kind: company\n  - name: B\n    kind: animal\n", 4, "kind 'animal' is not one of"),
        ("entities:\n  - name: A\n    kind: company\n  - name: B\n", 4, "kind None is not one of"),
        ("entities:\n  - id: x\n    name: A\n    kind: company\n  - id: x\n    name: B\n    kind: company\n", 5,
         "id 'x' is used twice"),
        ("entities:\n  - name: A\n    kind: company\n    aliases: [Shared]\n"
         "  - name: B\n    kind: company\n    aliases: [shared]\n", 5, "name 'shared' already belongs to 'a'"),
        ("entities:\n  - name: A\n    kind: company\n  - name: a\n    kind: person\n    id: other\n", 4,
         "already belongs to 'a'"),
        ("entities:\n  - name: A\n    kind: company\n    aliases: {x: y}\n", 2, "aliases must be a list of names"),
        ("entities:\n  - name: A\n    kind: company\n    aliases: [[nested]]\n", 2, "aliases must be a list"),
        ("entities:\n  - name: A\n    kind: company\n    id: Bad_Id\n", 2, "may hold only"),
        ("entities:\n  - name: A\n    kind: company\n    id: d-a\n", 2, "kept for discovered names"),
        ("entities:\n  - name: A\n    kind: person\n    roles: chief\n", 2, "roles must be a list"),
        ("entities:\n  - name: A\n    kind: person\n    roles:\n      - org: x\n", 2, "each role needs a 'title'"),
        ("entities:\n  - just a string\n", 2, "must be a mapping"),
        ("entities:\n  - name: A\n    kind: company\n  - name: '  '\n    kind: company\n", 4, "has no 'name'"),
    ],
)
def test_invalid_entries_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(EntityListError) as info:
        parse_entity_list(text, "entities.yaml")
    text_ = str(info.value)
    assert text_.startswith(f"entities.yaml: line {line}: "), text_
    assert message in text_
    assert "\n" not in text_


@pytest.mark.parametrize(
    "text, message",
    [
        ("entities: {a: b}\n", "'entities' must be a list"),
        ("just text\n", "expected 'entities:'"),
        ("entities:\n  - name: [\n", "line"),
        ("entities: []\nignore: {a: b}\n", "ignore must be a list"),
        ("a: &x [1]\nb: *x\n", "alias"),
        ("entities: !!python/object:os.system {}\n", "tag"),
    ],
)
def test_invalid_files(text: str, message: str) -> None:
    with pytest.raises(EntityListError) as info:
        parse_entity_list(text, "entities.yaml")
    assert message in str(info.value)
    assert str(info.value).startswith("entities.yaml: ")


def test_load_from_folder_or_file(tmp_path: Path) -> None:
    assert len(load_entity_list(tmp_path)) == 0  # no file: an empty list
    (tmp_path / "entities.yaml").write_text(GOOD, encoding="utf-8")
    from_folder = load_entity_list(tmp_path)
    from_file = load_entity_list(tmp_path / "entities.yaml")
    assert [e.id for e in from_folder] == [e.id for e in from_file] == ["acme", "jane-doe"]
    assert from_folder.path == tmp_path / "entities.yaml"
    assert from_folder.fingerprint == from_file.fingerprint


def test_fingerprint_follows_the_content(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    path.write_text(GOOD, encoding="utf-8")
    first = load_entity_list(path).fingerprint
    path.write_text(GOOD + "  - Tuesday\n", encoding="utf-8")
    assert load_entity_list(path).fingerprint != first


def test_invalid_utf8_file(tmp_path: Path) -> None:
    (tmp_path / "entities.yaml").write_bytes(b"entities:\n  - name: \xff\n")
    with pytest.raises(EntityListError, match="not valid UTF-8 at byte 20"):
        load_entity_list(tmp_path)


def test_names_are_sanitised() -> None:
    result = parse_entity_list('entities:\n  - name: "Evil\\x1b[31m Corp\\x00"\n    kind: company\n'
                               '    aliases: ["E\\x1b]0;x\\x07vil"]\n')
    entity = result.get("evil-31m-corp") or next(iter(result))
    assert entity.name == "Evil Corp"
    assert entity.aliases == ["Evil"]


@settings(max_examples=60)
@given(st.lists(st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8}){0,2}", fullmatch=True), min_size=1, max_size=20, unique_by=name_key))
def test_every_name_resolves_to_its_entity(names: list[str]) -> None:
    text = "entities:\n" + "".join(f"  - name: '{n}'\n    kind: company\n" for n in names)
    try:
        result = parse_entity_list(text)
    except EntityListError as exc:  # two names with the same slug are the same id
        assert "used twice" in str(exc)
        return
    for name in names:
        found = result.lookup(name)
        assert len(found) == 1 and found[0].name == name
        assert found[0] in result.resolve(name.upper())


def _write_big_list(path: Path, count: int, extra: str = "") -> None:
    """A list of made-up names, large enough to be cached (past CACHE_FROM_BYTES)."""
    syllables = ["ka", "lo", "mi", "ren", "tor", "vash", "el", "qui"]
    lines = ["entities:"]
    for number in range(count):
        first = "".join(syllables[(number >> shift) % 8] for shift in (0, 3, 6)).capitalize()
        lines.append(f"- name: {first} Quay{number}\n  kind: person")
    path.write_text("\n".join(lines) + "\n" + extra)


def test_a_big_entity_list_is_parsed_once_then_read_from_its_cache(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.entities as entities_module
    from reader import entitycache

    folder = tmp_path / "articles"
    folder.mkdir()
    path = folder / "entities.yaml"
    _write_big_list(path, 12_000)
    assert path.stat().st_size > entitycache.CACHE_FROM_BYTES
    first = load_entity_list(folder)
    assert len(first) == 12_000

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cached list was parsed again")

    monkeypatch.setattr(entities_module, "parse_entity_list", no_parsing)
    again = load_entity_list(folder)
    assert len(again) == 12_000 and again.fingerprint == first.fingerprint
    assert [e.name for e in again.lookup("Kakaka Quay0")] == ["Kakaka Quay0"]
    monkeypatch.undo()

    # A changed file (here appended in place) is parsed anew: its signature changed.
    with open(path, "a") as handle:
        handle.write("- name: Lanternwick Ferries\n  kind: company\n")
    changed = load_entity_list(folder)
    assert len(changed) == 12_001 and changed.lookup("Lanternwick Ferries")
    assert changed.fingerprint != first.fingerprint

    # A torn cache is parsed around, never an error.
    for cache_file in (tmp_path / "xdg-cache").rglob("*.pickle"):
        cache_file.write_bytes(b"\x80\x05 torn")
    assert len(load_entity_list(folder)) == 12_001


def test_curating_a_big_list_leaves_its_cache_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.entities as entities_module
    from reader import curate

    folder = tmp_path / "articles"
    folder.mkdir()
    _write_big_list(folder / "entities.yaml", 12_000)
    load_entity_list(folder)
    curate.add(folder, "Lanternwick Ferries", "company", [])
    monkeypatch.setattr(entities_module, "parse_entity_list",
                        lambda *a, **k: pytest.fail("the list curating wrote was parsed again"))
    loaded = load_entity_list(folder)
    assert len(loaded) == 12_001 and loaded.lookup("Lanternwick Ferries")
