"""The reading state: read and unread, stars, tags, notes, saved searches, the
query clauses that read them, export and import, and what two processes or a
kill do to it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reader.library import Library
from reader.search import QueryError
from reader.state import StateError, StateStore, default_state_path, normalise_tag
from proc_helpers import reader_cmd, subprocess_env

QUALCOMM_ARTICLE = "waic-qualcomm-sole-us-sponsor"


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    s = StateStore(tmp_path / "state.sqlite3")
    yield s
    s.close()


@pytest.fixture
def library(articles_copy: Path, tmp_path: Path) -> Library:
    lib = Library(articles_copy, tmp_path / "index", state_path=tmp_path / "state.sqlite3")
    lib.update()
    yield lib
    lib.close()


def test_the_store_lives_in_the_user_data_folder_per_articles_folder(tmp_path: Path) -> None:
    a, b = default_state_path(tmp_path / "one"), default_state_path(tmp_path / "two")
    assert a != b
    assert str(a).startswith(os.environ["XDG_DATA_HOME"])  # apart from the cache, never the articles folder
    assert not str(a).startswith(os.environ["XDG_CACHE_HOME"])
    assert default_state_path(tmp_path / "one") == a


def test_read_star_tag_and_note_round_trip(store: StateStore) -> None:
    assert store.mark_read(["a", "b", "a"]) == 2
    assert store.read_ids() == {"a", "b"}
    assert store.mark_read(["a"], read=False) == 1
    assert store.read_ids() == {"b"}
    assert store.toggle_star("a") is True and store.starred_ids() == {"a"}
    assert store.toggle_star("a") is False and store.starred_ids() == set()
    assert store.tag("a", ["Follow-up", "#chips", "follow-up"]) == ["follow-up", "chips"]
    assert store.tag("a", ["chips"]) == []
    assert store.tags_of("a") == ["chips", "follow-up"]
    assert store.untag("a", ["CHIPS", "absent"]) == ["chips"]
    note = store.add_note("a", "  check the figure \x1b[31m ", 3, 9, "passage")
    assert note.text == "check the figure"  # no escape sequence, nor what is left of one, reaches the terminal
    assert store.notes_of("a")[0].start == 3 and store.noted_ids() == {"a"}
    edited = store.edit_note(note.note, "new text")
    assert edited.text == "new text"
    store.edit_note(note.note, "")  # an empty text deletes it
    assert store.notes_of("a") == []


@pytest.mark.parametrize("bad", ["", "two words", "x" * 65, "semi;colon"])
def test_a_bad_tag_is_one_clear_error(bad: str) -> None:
    with pytest.raises(StateError) as error:
        normalise_tag(bad)
    assert "\n" not in str(error.value) and "tag" in str(error.value)


def test_the_query_clauses_read_the_state(library: Library) -> None:
    every = {r["id"] for r in library.index.stored()}
    assert set(library.matching_ids("is:unread")) == every
    assert library.matching_ids("is:read") == []
    library.state.mark_read([QUALCOMM_ARTICLE])
    assert set(library.matching_ids("is:unread")) == every - {QUALCOMM_ARTICLE}
    assert library.matching_ids("is:read") == [QUALCOMM_ARTICLE]
    library.state.tag(QUALCOMM_ARTICLE, ["chips"])
    library.state.star(QUALCOMM_ARTICLE)
    library.state.add_note(QUALCOMM_ARTICLE, "a note")
    for query in ("tag:chips", "tag:CHI*", "is:starred", "has:note", "has:notes", "has:tag",
                  "company:Qualcomm tag:chips", "Qualcomm AND is:read", "is:starred OR tag:nothing"):
        assert library.matching_ids(query) == [QUALCOMM_ARTICLE], query
    assert library.matching_ids("company:Qualcomm NOT is:read")  # the other Qualcomm articles
    assert QUALCOMM_ARTICLE not in library.matching_ids("company:Qualcomm NOT is:read")
    result = library.search("Qualcomm is:unread")
    assert result.total == len(library.matching_ids("Qualcomm")) - 1
    assert library.unread_count() == len(every) - 1


def test_a_clause_being_typed_completes_and_a_wrong_one_says_what_it_takes(library: Library) -> None:
    assert library.search("is:unr", typing=True).total == 5
    with pytest.raises(QueryError) as error:
        library.search("is:bogus")
    assert "is:unread" in str(error.value) and "\n" not in str(error.value)


def test_the_clauses_see_another_process_s_changes(library: Library, tmp_path: Path) -> None:
    assert library.matching_ids("tag:elsewhere") == []
    other = StateStore(tmp_path / "state.sqlite3")
    other.tag(QUALCOMM_ARTICLE, ["elsewhere"])
    other.close()
    assert library.matching_ids("tag:elsewhere") == [QUALCOMM_ARTICLE]


def test_saved_searches_count_their_unread_matches(library: Library) -> None:
    library.state.save_search("qualcomm", "company:Qualcomm")
    library.state.save_search("broken", "is:bogus")
    rows = {s.name: (m, u) for s, m, u in library.saved_searches()}
    matches = len(library.matching_ids("company:Qualcomm"))
    assert rows["qualcomm"] == (matches, matches)
    assert rows["broken"] == (-1, -1)  # it no longer parses: counted apart, not failing the others
    library.state.mark_read([QUALCOMM_ARTICLE])
    assert {s.name: (m, u) for s, m, u in library.saved_searches()}["qualcomm"] == (matches, matches - 1)


def test_a_renamed_file_keeps_its_state(library: Library, articles_copy: Path) -> None:
    library.state.tag(QUALCOMM_ARTICLE, ["kept"])
    path = articles_copy / f"{QUALCOMM_ARTICLE}.md"
    assert f"id: {QUALCOMM_ARTICLE}" in path.read_text("utf-8")  # the id is in the file, not its name
    path.rename(articles_copy / "renamed-file.md")
    library.update()
    assert library.matching_ids("tag:kept") == [QUALCOMM_ARTICLE]


def test_export_and_import_move_the_state_to_another_machine(store: StateStore, tmp_path: Path) -> None:
    store.mark_read(["a"])
    store.star("b")
    store.tag("a", ["x", "y"])
    store.add_note("b", "on a passage", 1, 4, "abc")
    store.save_search("s", "oil is:unread")
    data = json.loads(json.dumps(store.export()))
    other = StateStore(tmp_path / "other.sqlite3")
    other.tag("c", ["z"])
    assert other.import_(data) == {"read": 1, "starred": 1, "tags": 2, "notes": 1, "searches": 1}
    assert other.import_(data) == {"read": 0, "starred": 0, "tags": 0, "notes": 0, "searches": 0}
    assert other.read_ids() == {"a"} and other.starred_ids() == {"b"}
    assert other.all_tags() == {"a": ["x", "y"], "c": ["z"]}
    assert [(n.start, n.end, n.text) for n in other.notes_of("b")] == [(1, 4, "on a passage")]
    assert [s.query for s in other.searches()] == ["oil is:unread"]
    other.close()


@pytest.mark.parametrize("data", [[], {"read": []}, {"reader_state": 99}, {"reader_state": 1, "tags": [{"id": 3}]},
                                  {"reader_state": 1, "read": "x"}, {"reader_state": 1, "notes": [{"id": "a"}]}])
def test_a_bad_export_is_refused_whole(store: StateStore, data: object) -> None:
    store.tag("a", ["kept"])
    with pytest.raises(StateError):
        store.import_(data)
    assert store.all_tags() == {"a": ["kept"]}  # all or nothing


def test_a_corrupt_database_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StateError) as error:
        StateStore(path).read_ids()
    assert str(path) in str(error.value)


WRITER = textwrap.dedent("""
    import sys
    from reader.state import StateStore
    store = StateStore(sys.argv[1])
    name = sys.argv[2]
    for i in range(int(sys.argv[3])):
        store.tag(f"article-{i % 7}", [f"{name}-{i}"])
        store.mark_read([f"{name}-read-{i}"])
        print(i, flush=True)
""")


def test_two_processes_writing_at_once_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    script = tmp_path / "writer.py"
    script.write_text(WRITER, "utf-8")
    procs = [subprocess.Popen([sys.executable, str(script), str(path), name, "150"], stdout=subprocess.DEVNULL,
                              env=subprocess_env()) for name in ("one", "two", "three")]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    store = StateStore(path)
    tags = {t for ts in store.all_tags().values() for t in ts}
    assert tags == {f"{name}-{i}" for name in ("one", "two", "three") for i in range(150)}
    assert len(store.read_ids()) == 450
    store.close()


def test_a_kill_during_writes_keeps_every_committed_change(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    script = tmp_path / "writer.py"
    script.write_text(WRITER, "utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(path), "k", "100000"], stdout=subprocess.PIPE,
                            text=True, env=subprocess_env())
    committed = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while len(committed) < 300 and time.monotonic() < deadline:
        committed.append(int(proc.stdout.readline()))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert len(committed) >= 300
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = StateStore(path)
    tags = {t for ts in store.all_tags().values() for t in ts}
    assert {f"k-{i}" for i in committed} <= tags  # every change printed after its commit is there
    assert {f"k-read-{i}" for i in committed} <= store.read_ids()
    store.close()


def test_eight_cli_taggers_at_once_keep_all_eight_tags(articles_copy: Path, tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    env = subprocess_env(READER_STATE=str(state))
    index = tmp_path / "index"
    subprocess.run(reader_cmd("--articles", articles_copy, "--index", index, "index"), env=env, check=True,
                   capture_output=True, timeout=240)
    procs = [subprocess.Popen(reader_cmd("--articles", articles_copy, "--index", index, "tag", QUALCOMM_ARTICLE,
                                         f"t{n}"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for n in range(8)]
    for proc in procs:
        _out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    store = StateStore(state)
    assert store.tags_of(QUALCOMM_ARTICLE) == [f"t{n}" for n in range(8)]
    store.close()
