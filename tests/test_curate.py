"""reader.curate and `reader entities ACTION`: changes to entities.yaml are
validated, written atomically, keep the user's comments and other entries, and
the index follows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import reader.fsutil as fsutil
from reader import curate
from reader.cli import main
from reader.curate import CurateError
from reader.entities import load_entity_list
from reader.library import Library

from proc_helpers import leftovers

HOLT = (
    "---\nid: holt-note\ntitle: Analysts weigh robot demand\n---\n"
    "Analyst Karen Holt of Hollowell Capital said demand from logistics firms was real but margins "
    "remained thin. “Humanoids are still a science project,” Holt said.\n"
)


@pytest.fixture
def folder(articles_copy: Path) -> Path:
    (articles_copy / "holt-note.md").write_text(HOLT, encoding="utf-8")
    return articles_copy


def entity_file(folder: Path) -> Path:
    return folder / "entities.yaml"


def entry_blocks(text: str) -> dict[str, str]:
    """The exact text of each top-level entry, keyed by id (for byte-for-byte checks)."""
    blocks: dict[str, str] = {}
    current = None
    for line in text.splitlines(keepends=True):
        if line.startswith("  - id: "):
            current = line.split(":", 1)[1].strip()
            blocks[current] = line
        elif current and line.startswith("    "):
            blocks[current] += line
        else:
            current = None
    return blocks


def run(folder: Path, index: Path, *args: str) -> int:
    return main(["--articles", str(folder), "--index", str(index), *args])


# --- the module ------------------------------------------------------------------------

def test_add_keeps_comments_and_other_entries(folder: Path) -> None:
    path = entity_file(folder)
    before = path.read_text("utf-8")
    inode = path.stat().st_ino
    result, entity_id = curate.add(folder, "Karen Holt", "person", aliases=["K. Holt"])
    after = path.read_text("utf-8")
    assert entity_id == "karen-holt"
    assert result.get("karen-holt").aliases == ["K. Holt"]
    assert path.stat().st_ino != inode  # replaced by a rename, not rewritten in place
    assert after.startswith("# The curated entity list of the bundled corpus.")
    for comment in ("  # People\n", "  # Companies\n", "  # Places\n", "  # Events (and the named resolution"):
        assert comment in after
    old_blocks, new_blocks = entry_blocks(before), entry_blocks(after)
    assert set(new_blocks) == set(old_blocks) | {"karen-holt"}
    for key, block in old_blocks.items():
        assert new_blocks[key] == block, key  # untouched byte for byte
    assert load_entity_list(folder).get("karen-holt").kind == "person"
    assert leftovers(folder) == []  # no temporary file left


def test_add_refuses_names_already_taken(folder: Path) -> None:
    before = entity_file(folder).read_bytes()
    with pytest.raises(CurateError, match="already a name of 'elon-musk'"):
        curate.add(folder, "musk", "person")
    with pytest.raises(CurateError, match="alias 'Huawei Technologies' is already a name of 'huawei'"):
        curate.add(folder, "New Co", "company", aliases=["Huawei Technologies"])
    with pytest.raises(CurateError, match="kind 'animal' is not one of"):
        curate.add(folder, "Rex", "animal")
    with pytest.raises(CurateError, match="empty"):
        curate.add(folder, " \x1b[0m ", "person")
    assert entity_file(folder).read_bytes() == before


def test_add_gives_a_fresh_id_when_the_slug_is_taken(folder: Path) -> None:
    _, first = curate.add(folder, "Apple Inc", "company")
    _, second = curate.add(folder, "Apple-Inc", "company")
    assert (first, second) == ("apple-inc", "apple-inc-2")
    _, third = curate.add(folder, "D-Wave", "company")
    assert third == "e-d-wave"  # d- is kept for discovered names


def test_alias_adds_a_name(folder: Path) -> None:
    before = entity_file(folder).read_text("utf-8")
    result, target = curate.alias(folder, "Tesla Inc", "Tesla")
    assert target == "tesla"
    assert result.get("tesla").aliases == ["Tesla Inc"]
    new_blocks = entry_blocks(entity_file(folder).read_text("utf-8"))
    for key, block in entry_blocks(before).items():
        if key != "tesla":
            assert new_blocks[key] == block


def test_alias_merges_an_entity_with_its_roles(folder: Path) -> None:
    curate.add(folder, "Mao N.", "person", aliases=["Spokeswoman Mao"])
    text = entity_file(folder).read_text("utf-8")
    text = text.replace("  - id: mao-n\n    name: Mao N.\n    kind: person\n",
                        "  - id: mao-n\n    name: Mao N.\n    kind: person\n    roles:\n      - title: spokeswoman\n")
    entity_file(folder).write_text(text, "utf-8")
    result, target = curate.alias(folder, "Mao N.", "Mao Ning")
    assert target == "mao-ning"
    assert result.get("mao-n") is None
    mao = result.get("mao-ning")
    assert {"Mao N.", "Spokeswoman Mao"} <= set(mao.aliases)
    assert "spokeswoman" in [r.title for r in mao.roles]
    assert "foreign ministry spokesperson" in [r.title for r in mao.roles]


@pytest.mark.parametrize(
    "name, canonical, message",
    [
        ("Whatever", "Nobody At All", "no entity is named 'Nobody At All'"),
        ("Whatever", "Li", "names several entities"),
        ("Musk", "Elon Musk", "already a name of 'elon-musk'"),
    ],
)
def test_alias_refusals_leave_the_file_alone(folder: Path, name: str, canonical: str, message: str) -> None:
    before = entity_file(folder).read_bytes()
    with pytest.raises(CurateError) as info:
        curate.alias(folder, name, canonical)
    assert message in str(info.value) and "\n" not in str(info.value)
    assert entity_file(folder).read_bytes() == before


def test_reject_adds_to_ignore_once(folder: Path) -> None:
    result = curate.reject(folder, "Great Firewall")
    assert result.ignore == ["Great Firewall"]
    result = curate.reject(folder, "great firewall")
    assert result.ignore == ["Great Firewall"]
    with pytest.raises(CurateError, match="is the confirmed entity 'tesla'"):
        curate.reject(folder, "Tesla")
    # adding the name later takes it off the ignore list
    result, _ = curate.add(folder, "Great Firewall", "product")
    assert result.ignore == []


def test_invalid_file_is_never_built_upon(folder: Path) -> None:
    broken = entity_file(folder).read_text("utf-8").replace("ignore: []", "  - name: No Kind\nignore: []")
    entity_file(folder).write_text(broken, "utf-8")
    from reader.entities import EntityListError

    with pytest.raises(EntityListError, match="kind"):
        curate.add(folder, "Karen Holt", "person")
    assert entity_file(folder).read_text("utf-8") == broken


def test_a_failed_write_leaves_the_old_file(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = entity_file(folder).read_bytes()

    def broken_replace(src, dst):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsutil.os, "replace", broken_replace)
    with pytest.raises(CurateError) as info:
        curate.add(folder, "Karen Holt", "person")
    assert "cannot write" in str(info.value) and "No space left" in str(info.value)
    monkeypatch.undo()
    assert entity_file(folder).read_bytes() == before
    assert leftovers(folder) == []


def test_curating_a_folder_without_a_list_creates_one(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    result, entity_id = curate.add(folder, "Karen Holt", "person")
    text = entity_file(folder).read_text("utf-8")
    assert text.startswith("# The entity list")
    assert [e.id for e in result] == [entity_id] == [e.id for e in load_entity_list(folder)]


def test_unknown_keys_survive(folder: Path) -> None:
    text = entity_file(folder).read_text("utf-8").replace(
        "  - id: tesla\n    name: Tesla\n    kind: company\n",
        "  - id: tesla\n    name: Tesla\n    kind: company\n    wikidata: Q478214  # my note\n")
    entity_file(folder).write_text(text, "utf-8")
    curate.alias(folder, "Tesla Motors", "Tesla")
    after = entity_file(folder).read_text("utf-8")
    assert "    wikidata: Q478214  # my note\n" in after
    assert "Tesla Motors" in after


# --- through the library: the index follows -----------------------------------------------

def test_accept_a_discovered_person_then_search_finds_it(folder: Path, tmp_path: Path) -> None:
    library = Library(folder, tmp_path / "index")
    library.update()
    discovered = {e.name: e for e in library.xref.entities(include_confirmed=False)}
    assert discovered["Karen Holt"].kind == "person" and discovered["Karen Holt"].discovered
    assert [h.id for h in library.search('person:"Karen Holt"').hits] == ["holt-note"]  # found as discovered
    message, report = library.curate("accept", "Karen Holt")
    assert "karen-holt" in message
    # Only the article that names her is read again, not the corpus.
    assert not report.rebuilt and report.updated == 1 and report.added == 0
    assert report.unchanged == len(library.rows()) - 1
    assert library.entity("karen-holt").status == "confirmed"
    assert [h.id for h in library.search("person:karen-holt").hits] == ["holt-note"]
    assert [h.id for h in library.search('person:"Karen Holt"').hits] == ["holt-note"]
    assert "Karen Holt" not in {e.name for e in library.xref.entities(include_confirmed=False)}
    refs = library.articles_for("karen-holt")
    assert [(r.id, r.count) for r in refs] == [("holt-note", 2)]  # "Karen Holt" and "Holt"
    library.close()


def test_add_then_search_by_the_new_name(folder: Path, tmp_path: Path) -> None:
    library = Library(folder, tmp_path / "index")
    library.update()
    assert library.search("company:Transwarp").total == 1
    library.curate("add", "Great Firewall", kind="product", aliases=["GFW"])
    assert [h.id for h in library.search('product:"Great Firewall"').hits] == ["waic-qualcomm-sole-us-sponsor"]
    assert [h.id for h in library.search("product:GFW").hits] == ["waic-qualcomm-sole-us-sponsor"]
    library.close()
    # a fresh process sees the same list and an index that needs nothing
    again = Library(folder, tmp_path / "index")
    assert again.update().changed == 0
    again.close()


def test_reject_removes_a_discovered_name(folder: Path, tmp_path: Path) -> None:
    library = Library(folder, tmp_path / "index")
    library.update()
    assert "Hollowell Capital" in {e.name for e in library.xref.entities(include_confirmed=False)}
    library.curate("reject", "Hollowell Capital")
    assert "Hollowell Capital" not in {e.name for e in library.xref.entities(include_confirmed=False)}
    assert library.search('company:"Hollowell Capital"').total == 0
    library.close()


def test_alias_a_discovered_name_to_a_known_entity(folder: Path, tmp_path: Path) -> None:
    library = Library(folder, tmp_path / "index")
    library.update()
    library.curate("alias", "Hollowell Capital", to="Ant Group")
    assert "holt-note" in {h.id for h in library.search("company:ant-group").hits}
    assert "Hollowell Capital" in library.entity("ant-group").aliases
    library.close()


def _stored_entities(library: Library) -> dict[str, tuple[dict, dict]]:
    with library.index.searching() as searcher:
        return {
            fields["path"]: (fields.get("entities") or {}, fields.get("discovered") or {})
            for fields in searcher.all_stored_fields()
        }


@pytest.mark.parametrize(
    "action, name, kwargs",
    [
        ("accept", "Karen Holt", {}),
        ("alias", "Tesla Inc", {"to": "Tesla"}),
        ("reject", "Hollowell Capital", {}),
        ("add", "Humanoids", {"kind": "product"}),
        ("add", "Great Firewall", {"kind": "product", "aliases": ["GFW"]}),
    ],
)
def test_curating_reads_only_what_it_changes_and_ends_as_a_rebuild(
    folder: Path, tmp_path: Path, action: str, name: str, kwargs: dict
) -> None:
    library = Library(folder, tmp_path / "index")
    library.update()
    before = _stored_entities(library)
    _message, report = library.curate(action, name, **kwargs)
    assert not report.rebuilt
    after = _stored_entities(library)
    fresh = Library(folder, tmp_path / "fresh")
    fresh.update(rebuild=True)
    # Reading only the touched articles gives the index a rebuild gives.
    assert after == _stored_entities(fresh)
    # Every article whose entities changed was read again, and few others.
    changed = {path for path in after if after[path] != before.get(path)}
    assert len(changed) <= report.changed <= 2 < len(after)
    library.close()
    fresh.close()


def test_unknown_action(folder: Path, tmp_path: Path) -> None:
    library = Library(folder, tmp_path / "index")
    with pytest.raises(CurateError, match="unknown action"):
        library.curate("explode", "x")
    library.close()


# --- through the command line -------------------------------------------------------------------

def test_cli_curating_round(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "index"
    assert run(folder, index, "entities", "--status", "discovered", "--json") == 0
    discovered = {e["name"]: e for e in json.loads(capsys.readouterr().out)["entities"]}
    assert discovered["Karen Holt"]["status"] == "discovered" and discovered["Karen Holt"]["articles"] == ["holt-note"]

    assert run(folder, index, "entities", "accept", "Karen Holt", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["message"] == "accepted 'Karen Holt' as karen-holt"
    assert data["index"]["rebuilt"] is False and data["index"]["updated"] == 1  # only her article

    assert run(folder, index, "entities", "add", "Great Firewall", "--kind", "product", "--alias", "GFW") == 0
    out = capsys.readouterr().out
    assert "added great-firewall" in out and "re-indexed" in out

    assert run(folder, index, "entities", "alias", "Tesla Inc", "--to", "Tesla") == 0
    assert "'Tesla Inc' is now a name of tesla" in capsys.readouterr().out

    assert run(folder, index, "entities", "reject", "Hollowell Capital", "--json") == 0
    assert "will not be taken" in json.loads(capsys.readouterr().out)["message"]

    entity_list = load_entity_list(folder)
    assert entity_list.get("karen-holt") and entity_list.get("great-firewall")
    assert "Tesla Inc" in entity_list.get("tesla").aliases
    assert entity_list.ignore == ["Hollowell Capital"]

    # A rejection can be undone; undoing one that is not there is a one-line error.
    assert run(folder, index, "entities", "unreject", "Hollowell Capital") == 0
    assert "may be taken for an entity again" in capsys.readouterr().out
    assert load_entity_list(folder).ignore == []
    assert run(folder, index, "entities", "unreject", "Hollowell Capital") == 2
    assert "is not on the ignore list" in capsys.readouterr().err

    assert run(folder, index, "search", 'person:"Karen Holt"', "--json") == 0
    assert [h["id"] for h in json.loads(capsys.readouterr().out)["hits"]] == ["holt-note"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["entities", "add", "Musk", "--kind", "person"], "already a name of 'elon-musk'"),
        (["entities", "add", "Rex", "--kind", "animal"], "kind 'animal' is not one of"),
        (["entities", "alias", "X", "--to", "Nobody At All"], "no entity is named"),
        (["entities", "reject", "Tesla"], "is the confirmed entity"),
        (["entities", "accept", "Nobody Discovered"], "no discovered entity is named"),
        (["entities", "add", "Rex"], "required"),
    ],
)
def test_cli_refusals_are_one_line_and_change_nothing(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      args: list[str], message: str) -> None:
    before = entity_file(folder).read_bytes()
    code = run(folder, tmp_path / "index", *args)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert [l for l in err.splitlines() if l.startswith("reader:")] == [err.splitlines()[-1]]
    assert entity_file(folder).read_bytes() == before


def test_cli_curate_in_a_subprocess(folder: Path, tmp_path: Path) -> None:
    env = {**os.environ, "READER_ARTICLES": str(folder), "READER_INDEX": str(tmp_path / "index")}
    proc = subprocess.run([sys.executable, "-m", "reader", "entities", "add", "Karen Holt", "--kind", "person", "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["message"] == "added karen-holt"
    proc = subprocess.run([sys.executable, "-m", "reader", "entities", "add", "Karen Holt", "--kind", "person"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("reader: ") and "Traceback" not in proc.stderr


def test_curating_reads_articles_again_without_tagging_them_again(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An article read again because the entity list changed keeps the
    tagger's spans its document stored: the tagger does not run, and what the
    article's document says is what a full reading says."""
    from reader.extract import Extractor
    from reader.tagger import get_tagger

    library = Library(folder, folder.parent / "index")
    library.update()
    tagger = get_tagger(library.index.tagger)
    assert tagger is not None
    calls: list[str] = []
    real_tag = tagger.tag
    monkeypatch.setattr(tagger, "tag", lambda text: (calls.append(text), real_tag(text))[1])
    message, report = library.curate("accept", "Karen Holt", kind="person")
    assert report.changed >= 1 and calls == []
    with library.index.searching() as searcher:
        stored = searcher.document(path="holt-note.md")
    assert "karen-holt" in stored["entities"]
    article = library.article("holt-note")
    fresh = Extractor(library.entity_list, tagger=library.index.tagger).extract(
        article.body, article.id, article.title, linked=False)
    assert calls  # the fresh reading did tag the text
    assert stored["entities"] == {k: list(v) for k, v in fresh.counts().items()}
    library.close()


def test_packed_spans_read_back() -> None:
    from reader.tagger.base import Span, pack_spans, unpack_spans

    spans = [Span(0, 5, "PER"), Span(12, 30, "ORG")]
    assert unpack_spans(pack_spans(spans)) == spans
    assert unpack_spans("") == []
    assert unpack_spans("12 x ORG") is None and unpack_spans("garbage") is None


def test_a_rejection_reads_again_only_where_the_name_has_its_capitals(folder: Path, tmp_path: Path) -> None:
    # The name's words in lower case, and in capitals in a headline: only the
    # second can have given it to discovery, so only it is read again.
    (folder / "lower-note.md").write_text(
        "---\nid: lower-note\ntitle: Funds look at hollowell capital\n---\n"
        "A fund manager said the hollowell capital idea was a fad.\n", encoding="utf-8")
    (folder / "caps-note.md").write_text(
        "---\nid: caps-note\ntitle: HOLLOWELL CAPITAL BUYS A ROBOT MAKER\n---\n"
        "The deal was announced on Monday.\n", encoding="utf-8")
    library = Library(folder, tmp_path / "index")
    library.update()
    assert library.index.articles_naming({"Hollowell Capital"}) >= {"lower-note.md", "caps-note.md", "holt-note.md"}
    assert library._rejection_touches({"Hollowell Capital"}) == {"holt-note.md", "caps-note.md"}
    _message, report = library.curate("reject", "Hollowell Capital")
    assert report.changed == 2
    assert library.search('company:"Hollowell Capital"').total == 0
    fresh = Library(folder, tmp_path / "fresh")
    fresh.update(rebuild=True)
    assert _stored_entities(library) == _stored_entities(fresh)
    library.close()
    fresh.close()


# --- a new entity or rejection appended as text ------------------------------------------

@pytest.fixture
def round_trips(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files curating read through the YAML round trip (the long way)."""
    used: list[Path] = []
    real = curate.EntityFile._round_trip

    def recorded(self: curate.EntityFile):  # type: ignore[no-untyped-def]
        used.append(self.path)
        return real(self)

    monkeypatch.setattr(curate.EntityFile, "_round_trip", recorded)
    return used


def same_list(made, parsed) -> None:  # type: ignore[no-untyped-def]
    """Two EntityLists are the same list: entries in file order, names, kinds,
    aliases, roles, the name table, the ignore list and the fingerprint."""
    assert [(e.id, e.name, e.kind, e.aliases, e.roles, e.status) for e in made] == \
           [(e.id, e.name, e.kind, e.aliases, e.roles, e.status) for e in parsed]
    assert made._by_name == parsed._by_name
    assert made.ignore == parsed.ignore
    assert made.fingerprint == parsed.fingerprint


def only_added(before: str, after: str) -> list[str]:
    """The lines ``after`` adds to ``before``; fails if any line of ``before``
    is gone or changed (every other byte kept)."""
    import difflib
    import re

    # "key: []" is the one line an edit rewrites: it becomes "key:" and the list.
    before, after = (re.sub(r"^(\w+): *\[\]( *#.*)?$", r"\1:\2", text, flags=re.M) for text in (before, after))
    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    assert not [line for line in diff if line.startswith("- ")], "a line of the file was changed"
    return [line[2:] for line in diff if line.startswith("+ ")]


def list_folder(tmp_path: Path, text: str) -> tuple[Path, Path]:
    """An articles folder holding only an entities.yaml of ``text``: (folder, file)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    entity_file(folder).write_bytes(text.encode("utf-8"))
    return folder, entity_file(folder)


LAYOUTS = {
    "indented, ignore: []": (
        "# My list\nentities:\n  # People\n  - id: ada\n    name: Ada Quill\n    kind: person\n"
        "    roles:\n      - title: chief executive\n        org: quill-co\n  - name: Quill Co\n"
        "    kind: company  # the firm\n    aliases: [Quill, \"Quill & Sons\"]\n\n"
        "# Names never taken\nignore: []  # none yet\n"),
    "items at column 0, no ignore key": (
        "entities:\n- name: Ada Quill\n  kind: person\n- name: 'Quill Co'\n  kind: company\n"),
    "ignore first, a block of names, other keys": (
        "version: 1\nignore:\n    - Al\n    - \"The Day\"\n\n    # later\nentities:\n"
        "    -   name: Ada Quill\n        kind: person\n        aliases:\n        - A. Quill\n"
        "notes: |\n  free text\n  over lines\n"),
    "empty list": "entities: []\nignore: []\n",
    "no entries, a comment": "# Nothing yet\nentities:  # to fill\n  # soon\nignore:\n",
    "comments only": "# An entity list to come\n",
    "a block scalar last": (
        "entities:\n  - name: Ada Quill\n    kind: person\n    note: >\n      folded\n      text\n"
        "ignore:\n  - Al\n"),
    # What the last item holds is read back by the parser, so an item in
    # flow style or a name over two lines there is no obstacle.
    "a name over two lines": "entities:\n  - name: Ada\n      Quill\n    kind: person\n",
    "a quoted name over two lines": "entities:\n  - kind: person\n    name: \"Ada\n      Quill\"\n",
    "an item in flow style": "entities:\n  - {name: Ada Quill, kind: person}\n",
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_new_entity_and_a_rejection_are_appended_as_text(tmp_path: Path, round_trips: list[Path],
                                                           layout: str) -> None:
    folder, path = list_folder(tmp_path, LAYOUTS[layout])
    names = ["Karen Holt", "Yes", "AT&T: Labs", "Mao N.", "#1 Fans", "'Quoted' Co", "Ünïcode Straße",
             "100%", "null", "- Dash", "[Bracket]", "O’Brien’s", "2024"]
    for number, name in enumerate(names):
        before = path.read_text("utf-8")
        aliases = [f"{name} Group"] if number % 2 else []
        result, entity_id = curate.add(folder, name, "company", aliases=aliases)
        after = path.read_text("utf-8")
        added = only_added(before, after)
        if added[0] == "entities:\n":  # the key was missing
            added = added[1:]
        assert added and added[0].lstrip().startswith("- id: ") and entity_id in added[0], added
        assert result.get(entity_id).name == name and result.get(entity_id).aliases == aliases
        same_list(result, curate.parse_entity_list(after))
        same_list(load_entity_list(folder), result)
    for name in ["Great Firewall", "No", "a: b", "Ünïcode Nonsense"]:
        before = path.read_text("utf-8")
        result = curate.reject(folder, name)
        assert only_added(before, path.read_text("utf-8"))
        assert result.ignore[-1] == name
        same_list(result, curate.parse_entity_list(path.read_text("utf-8")))
    assert round_trips == []  # never the long way
    assert leftovers(folder) == []


def test_the_bundled_list_keeps_every_byte_but_the_new_lines(folder: Path, round_trips: list[Path]) -> None:
    path = entity_file(folder)
    before = path.read_text("utf-8")
    curate.add(folder, "Karen Holt", "person", aliases=["K. Holt"])
    curate.reject(folder, "Hollowell Capital")
    after = path.read_text("utf-8")
    assert only_added(before.replace("ignore: []\n", ""), after) == [
        "  - id: karen-holt\n", "    name: Karen Holt\n", "    kind: person\n", "    aliases:\n",
        "      - K. Holt\n", "ignore:\n", "  - Hollowell Capital\n"]
    assert round_trips == []
    # A rejection already made changes nothing.
    curate.reject(folder, "hollowell capital")
    assert path.read_text("utf-8") == after


FALLBACKS = {
    "flow style": "entities: [{name: Ada Quill, kind: person}]\nignore: []\n",
    "CRLF line ends": "entities:\r\n  - name: Ada Quill\r\n    kind: person\r\n",
    "a byte order mark": "\ufeffentities:\n  - name: Ada Quill\n    kind: person\n",
    "a document marker": "---\nentities:\n  - name: Ada Quill\n    kind: person\n",
    "no newline at the end": "entities:\n  - name: Ada Quill\n    kind: person",
    "a bare list": "- name: Ada Quill\n  kind: person\n",
    "a quoted value over lines at the top": "note: \"one\nentities: two\"\nentities:\n  - name: Ada Quill\n"
                                            "    kind: person\nignore: []\n",
}


@pytest.mark.parametrize("layout", FALLBACKS)
def test_layouts_the_text_edit_cannot_trust_take_the_round_trip(tmp_path: Path, round_trips: list[Path],
                                                                layout: str) -> None:
    folder, path = list_folder(tmp_path, FALLBACKS[layout])
    before = load_entity_list(folder)
    result, entity_id = curate.add(folder, "Karen Holt", "person")
    assert round_trips == [path]
    same_list(result, curate.parse_entity_list(path.read_text("utf-8-sig")))
    assert [e.id for e in result] == [*(e.id for e in before), entity_id]
    path.write_bytes(FALLBACKS[layout].encode("utf-8"))  # the round trip wrote it anew, in its own layout
    result = curate.reject(folder, "Great Firewall")
    assert round_trips == [path, path]
    assert result.ignore[-1] == "Great Firewall"
    same_list(result, curate.parse_entity_list(path.read_text("utf-8-sig")))


@pytest.mark.parametrize("ignore", ["ignore: Al", "ignore: [Al]", "ignore: [\n    Al]"])
def test_a_rejection_beside_an_ignore_list_of_another_shape_takes_the_round_trip(
        tmp_path: Path, round_trips: list[Path], ignore: str) -> None:
    folder, path = list_folder(tmp_path, f"entities:\n  - name: Ada Quill\n    kind: person\n{ignore}\n")
    curate.add(folder, "Karen Holt", "person")
    # The entities' list is a plain one, but a value in flow style at the top
    # could run on over lines: the text edit is not trusted beside it.
    assert round_trips == ([] if ignore == "ignore: Al" else [path])
    path.write_text(f"entities:\n  - name: Ada Quill\n    kind: person\n{ignore}\n")
    result = curate.reject(folder, "Great Firewall")
    assert round_trips[-1:] == [path] and result.ignore == ["Al", "Great Firewall"]
    same_list(result, curate.parse_entity_list(path.read_text("utf-8")))


def test_adding_a_rejected_name_takes_the_round_trip_and_unrejects_it(folder: Path,
                                                                      round_trips: list[Path]) -> None:
    curate.reject(folder, "Great Firewall")
    assert round_trips == []
    result, _ = curate.add(folder, "Great Firewall", "product")
    assert round_trips == [entity_file(folder)] and result.ignore == []
    same_list(result, curate.parse_entity_list(entity_file(folder).read_text("utf-8")))


def test_the_text_edit_refuses_what_the_parser_refuses(folder: Path, round_trips: list[Path]) -> None:
    before = entity_file(folder).read_bytes()
    with pytest.raises(CurateError, match="already a name of 'elon-musk'"):
        curate.add(folder, "Some Co", "company", aliases=["Elon Musk"])
    assert entity_file(folder).read_bytes() == before
    # The rules that span entries, checked as the parser checks them.
    current = load_entity_list(folder)
    musk = current.get("elon-musk")
    with pytest.raises(ValueError, match="id 'elon-musk' is used twice"):
        current.extended("", entity=musk)
    from reader.entities import Entity

    with pytest.raises(ValueError, match="name 'Tesla' already belongs to 'tesla'"):
        current.extended("", entity=Entity("tesla-2", "Tesla", "company"))


def _big_list(count: int) -> str:
    syllables = ["ka", "lo", "mi", "ren", "tor", "vash", "el", "qui"]
    lines = ["# A long list", "entities:"]
    for number in range(count):
        first = "".join(syllables[(number >> shift) % 8] for shift in (0, 3, 6)).capitalize()
        lines.append(f"  - name: {first} Quay{number}\n    kind: {'person' if number % 3 else 'company'}")
        if number % 1000 == 7:
            lines.append(f"    aliases: [Q{number}]  # short form\n  # section {number}")
    return "\n".join(lines) + "\nignore:\n  - Al\n"


def test_a_big_list_is_curated_as_text_and_its_cache_follows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             round_trips: list[Path]) -> None:
    import reader.entities as entities_module
    from reader import entitycache

    folder, path = list_folder(tmp_path, _big_list(15_000))
    assert path.stat().st_size > entitycache.CACHE_FROM_BYTES
    load_entity_list(folder)  # parsed once, cached
    parsing = []
    real_parse = entities_module.parse_entity_list

    def counted(text: str, origin: str = "entities.yaml"):  # type: ignore[no-untyped-def]
        parsing.append(len(text))
        return real_parse(text, origin)

    monkeypatch.setattr(entities_module, "parse_entity_list", counted)
    monkeypatch.setattr(curate, "parse_entity_list", counted)
    made = []
    for step in range(3):
        before = path.read_text()
        made.append(curate.add(folder, f"Lanternwick Ferries {step}", "company", [f"LF{step}"])[0])
        made.append(curate.reject(folder, f"Noise Name {step}"))
        assert len(only_added(before, path.read_text())) == 6
    # Only the few lines of each snippet were parsed, never the 15,000 entities.
    assert parsing and max(parsing) < 1000
    monkeypatch.setattr(entities_module, "parse_entity_list", real_parse)
    monkeypatch.setattr(curate, "parse_entity_list", real_parse)
    assert round_trips == []
    text = path.read_text()
    parsed = curate.parse_entity_list(text)
    same_list(made[-1], parsed)
    assert len(parsed) == 15_003 and parsed.ignore == ["Al", "Noise Name 0", "Noise Name 1", "Noise Name 2"]
    # The cache holds the list just written: the next command parses nothing.
    monkeypatch.setattr(entities_module, "parse_entity_list",
                        lambda *a, **k: pytest.fail("the list curating wrote was parsed again"))
    same_list(load_entity_list(folder), parsed)


def test_a_key_given_twice_is_refused_in_one_line(tmp_path: Path) -> None:
    text = "entities:\n  - name: Ada Quill\n    kind: person\nentities:\n  - name: Bo Quill\n    kind: person\n"
    folder, _ = list_folder(tmp_path, text)
    with pytest.raises(CurateError, match="cannot be rewritten") as info:
        curate.add(folder, "Karen Holt", "person")
    assert "\n" not in str(info.value) and "entities" in str(info.value)
    assert entity_file(folder).read_text() == text


def test_a_step_that_reads_no_article_again_never_builds_the_name_automaton(folder: Path, tmp_path: Path) -> None:
    library = Library(folder, tmp_path / "index")
    library.update()
    _message, report = library.curate("add", "Quaystone Ferries", kind="company")
    assert report.changed == 0
    extractor = library.index.extractor
    assert "matcher" not in vars(extractor)  # a list of 350,000 names takes seconds to build into one
    assert extractor.ready() is extractor and "matcher" in vars(extractor)
    assert [m.entity for m in extractor.matcher.match("Quaystone Ferries said so.")] == ["quaystone-ferries"]
    library.close()
    # The index knows the list it now answers for: the next process rebuilds nothing.
    again = Library(folder, tmp_path / "index")
    report = again.update()
    assert not report.rebuilt and report.changed == 0
    again.close()


ALIAS_LAYOUTS = {
    "no aliases yet, roles after": (
        "entities:\n  - id: ada\n    name: Ada Quill\n    kind: person\n    roles:\n      - title: founder\n"
        "  # the firm\n  - name: Quill Co\n    kind: company\nignore: []\n"),
    "a block of aliases, then roles": (
        "entities:\n  - name: Ada Quill\n    kind: person\n    aliases:\n      - A. Quill  # short\n"
        "      - \"Ada Q\"\n\n    roles:\n      - title: founder\n  - name: Quill Co\n    kind: company\n"),
    "aliases at column 0 of the item, items at column 0": (
        "entities:\n- name: Ada Quill\n  aliases:\n  - A. Quill\n  kind: person\n- name: Quill Co\n"
        "  kind: company\n  aliases:\n"),
    "wide item indentation": "entities:\n  -   name: Ada Quill\n      kind: person\n  -   name: Quill Co\n"
                             "      kind: company\n      aliases:\n        - QC\n",
}


@pytest.mark.parametrize("layout", ALIAS_LAYOUTS)
def test_a_new_alias_is_written_into_its_item_as_text(tmp_path: Path, round_trips: list[Path], layout: str) -> None:
    folder, path = list_folder(tmp_path, ALIAS_LAYOUTS[layout])
    for name, target in [("Ms Quill", "Ada Quill"), ("Quill & Co", "Quill Co"), ("Yes", "Ada Quill"),
                         ("Quill Company", "Quill Co")]:
        before = path.read_text()
        result, entity_id = curate.alias(folder, name, target)
        added = only_added(before, path.read_text())
        assert added[-1].strip() in (f"- {name}", f'- "{name}"'), added
        assert name in result.get(entity_id).aliases
        same_list(result, curate.parse_entity_list(path.read_text()))
        same_list(load_entity_list(folder), result)
    assert round_trips == []


@pytest.mark.parametrize("text, name, target", [
    ("entities:\n  - name: Ada Quill\n    kind: person\n    aliases: [A. Quill]\n", "Ms Quill", "Ada Quill"),
    ("entities:\n  - aliases:\n      - A. Quill\n    name: Ada Quill\n    kind: person\n", "Ms Quill", "Ada Quill"),
    ("entities:\n  - name: Ada Quill\n    kind: person\n  - name: Ada Q\n    kind: person\n", "Ada Q", "Ada Quill"),
    ("entities:\n  - name: Ada Quill\n    kind: person\nignore:\n  - Ms Quill\n", "Ms Quill", "Ada Quill"),
], ids=["aliases in flow style", "aliases first in the item", "a merge", "a name on the ignore list"])
def test_an_alias_the_text_edit_cannot_make_takes_the_round_trip(tmp_path: Path, round_trips: list[Path],
                                                                 text: str, name: str, target: str) -> None:
    folder, path = list_folder(tmp_path, text)
    result, entity_id = curate.alias(folder, name, target)
    assert round_trips == [path] and name in result.get(entity_id).aliases
    same_list(result, curate.parse_entity_list(path.read_text()))


def test_an_alias_on_a_big_list_is_text_and_its_cache_follows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              round_trips: list[Path]) -> None:
    import reader.entities as entities_module

    folder, path = list_folder(tmp_path, _big_list(15_000))
    names = [e.name for e in load_entity_list(folder)]
    for name, target in [("Quay Zero", names[0]), ("Quay One", names[1]), ("Middle Quay", names[8192]),
                         ("Last Quay", names[-1])]:
        before = path.read_text()
        result, entity_id = curate.alias(folder, name, target)
        assert only_added(before, path.read_text())
    assert round_trips == []
    parsed = curate.parse_entity_list(path.read_text())
    same_list(result, parsed)
    assert "Middle Quay" in parsed.lookup(names[8192])[0].aliases
    monkeypatch.setattr(entities_module, "parse_entity_list",
                        lambda *a, **k: pytest.fail("the list curating wrote was parsed again"))
    same_list(load_entity_list(folder), parsed)


def _random_list(rng) -> str:  # type: ignore[no-untyped-def]
    """An entity list in one of the layouts people write: indentation, comments,
    quoting, aliases in block or flow style, roles, an ignore list or none."""
    indent = " " * rng.choice([0, 2, 4])
    gap = rng.choice(["", "  "])
    lines = ["# a list\n"] if rng.random() < 0.5 else []
    if rng.random() < 0.3:
        lines.append("version: 1  # unknown keys stay\n")
    lines.append("entities:" + rng.choice(["", "  # the list"]) + "\n")
    for number in range(rng.randint(1, 8)):
        name = rng.choice(["Ada", "Bo", "Cy", "Di"]) + f" Quill {number}"
        quoted = rng.choice([name, f'"{name}"', f"'{name}'"])
        lines.append(f"{indent}-{gap} name: {quoted}\n")
        pad = indent + " " * (2 + len(gap))
        lines.append(f"{pad}kind: {rng.choice(['person', 'company', 'place'])}\n")
        if rng.random() < 0.4:
            lines.append(f"{pad}aliases:\n" + "".join(f"{pad}  - {name} alias {a}\n" for a in range(rng.randint(1, 2))))
        elif rng.random() < 0.2:
            lines.append(f"{pad}aliases: [{name} short]\n")
        if rng.random() < 0.3:
            lines.append(f"{pad}roles:\n{pad}  - title: founder\n")
        if rng.random() < 0.3:
            lines.append(rng.choice([f"{pad}# a note\n", "\n", "# a heading\n"]))
    ignore = rng.choice(["", "ignore: []\n", "ignore:\n", f"ignore:\n{indent}- Al\n"])
    text = "".join(lines) + rng.choice(["", "\n"]) + ignore
    if rng.random() < 0.3:
        text = ignore + "".join(lines)  # ignore first
    return text


def test_random_layouts_and_steps_give_what_a_full_parse_gives(tmp_path: Path, round_trips: list[Path]) -> None:
    import random

    rng = random.Random(20261204)
    steps = as_text = 0
    for case in range(60):
        (tmp_path / str(case)).mkdir()
        folder, path = list_folder(tmp_path / str(case), _random_list(rng))
        for step in range(6):
            before, trips = path.read_text(), len(round_trips)
            current = load_entity_list(folder)
            action = rng.choice(["add", "reject", "alias"])
            if action == "add":
                result, _ = curate.add(folder, f"New Co {step}", "company",
                                       aliases=[f"NC {step}"] if rng.random() < 0.5 else [])
            elif action == "reject":
                result = curate.reject(folder, f"Noise {step}")
            else:
                result, _ = curate.alias(folder, f"Another Name {step}", rng.choice([e.id for e in current]))
            after = path.read_text()
            same_list(result, curate.parse_entity_list(after))
            same_list(load_entity_list(folder), result)
            steps += 1
            if len(round_trips) == trips:
                as_text += 1
                only_added(before, after)  # the text edit kept every other byte
    assert as_text > 0.8 * steps, (as_text, steps)
