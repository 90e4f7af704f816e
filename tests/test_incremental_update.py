"""An incremental update costs what it changes, and a search never does an
import's indexing.

* New files are added without a single Whoosh delete; a changed or deleted
  file deletes exactly its own document, and no other document is touched.
* A search while another process holds the folder's import lock (a real
  process) answers from the last committed index at once, with a one-line
  note, and leaves the import's files to the importer.
* An import indexes what it wrote while it still holds the import lock.

Counting deletes wraps Whoosh's own ``SegmentWriter.delete_document`` and
calls through to it: the index is real, only the calls are tallied.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from whoosh.query import Term
from whoosh.writing import SegmentWriter

from reader.fsutil import held_elsewhere
from reader.index import ArticleIndex
from reader.ingest import IMPORT_LOCK, import_paths

from proc_helpers import reader_cmd, subprocess_env

WORDS = "harbour ferry timetable council budget orchard rainfall bakery museum cyclist".split()


def write_article(folder: Path, number: int, extra: str = "") -> Path:
    path = folder / f"note-{number:03d}.md"
    body = " ".join(WORDS[(number + i) % len(WORDS)] for i in range(40))
    path.write_text(f"---\nid: note-{number:03d}\ntitle: Note {number}\nsource: Parish Gazette\n---\n"
                    f"{body}. Serial marker{number}.\n{extra}")
    return path


@pytest.fixture
def deletes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The document numbers Whoosh is asked to delete, in order."""
    calls: list[int] = []
    original = SegmentWriter.delete_document

    def counted(self, docnum, delete=True):  # type: ignore[no-untyped-def]
        calls.append(docnum)
        return original(self, docnum, delete)

    monkeypatch.setattr(SegmentWriter, "delete_document", counted)
    return calls


def indexed_paths(index: ArticleIndex) -> list[str]:
    with index.searching() as searcher:
        return sorted(f["path"] for f in searcher.all_stored_fields())


def test_new_changed_and_deleted_files_touch_only_their_own_documents(tmp_path: Path, deletes: list[int]) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(20):
        write_article(folder, n)
    index = ArticleIndex(folder, tmp_path / "index")
    assert index.update().added == 20
    assert deletes == []  # a new index deletes nothing

    for n in range(20, 25):
        write_article(folder, n)
    report = index.update()
    assert (report.added, report.updated, report.deleted) == (5, 0, 0)
    assert deletes == []  # files never indexed are not looked for in the index

    with index.searching() as searcher:
        before = {f["path"]: n for n, f in ((n, searcher.stored_fields(n)) for n in searcher.document_numbers())}
    write_article(folder, 3, extra="A revised closing line.\n")
    write_article(folder, 11, extra="A revised closing line.\n")
    (folder / "note-007.md").unlink()
    report = index.update()
    assert (report.added, report.updated, report.deleted) == (0, 2, 1)
    assert sorted(deletes) == sorted(before[p] for p in ("note-003.md", "note-011.md", "note-007.md"))
    paths = indexed_paths(index)
    assert paths == sorted(f"note-{n:03d}.md" for n in range(25) if n != 7)  # each once, none lost
    with index.searching() as searcher:
        assert len(searcher.search(Term("body", "revis"))) == 2  # the new versions


def test_an_update_with_many_deletes_and_changes_deletes_each_document_once(tmp_path: Path,
                                                                             deletes: list[int]) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(60):
        write_article(folder, n)
    index = ArticleIndex(folder, tmp_path / "index")
    index.update()
    for n in range(0, 60, 3):
        (folder / f"note-{n:03d}.md").unlink()
    for n in range(1, 60, 6):
        write_article(folder, n, extra="Changed.\n")
    report = index.update()
    assert (report.deleted, report.updated) == (20, 10)
    assert len(deletes) == len(set(deletes)) == 30
    assert len(indexed_paths(index)) == 40


IMPORT_HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from reader.fsutil import exclusive_lock
    with exclusive_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


@pytest.mark.timeout(120)
def test_a_search_during_another_process_import_answers_from_the_last_index(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(10):
        write_article(folder, n)
    index_dir = tmp_path / "index"
    ArticleIndex(folder, index_dir).update()
    script = tmp_path / "holder.py"
    script.write_text(IMPORT_HOLDER)
    holder = subprocess.Popen([sys.executable, str(script), str(folder / IMPORT_LOCK), "300"],
                              stdout=subprocess.PIPE, text=True, env=subprocess_env())
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        write_article(folder, 50)  # as the import writes its files
        result = subprocess.run(reader_cmd("--articles", folder, "--index", index_dir, "search", "--json",
                                           "marker50"), capture_output=True, text=True, timeout=60,
                                env=subprocess_env())
        assert holder.poll() is None  # it answered while the import still held the folder
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert json.loads(result.stdout)["total"] == 0  # the last committed index
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and "importing into" in lines[0] and "showing the last complete index" in lines[0]
        assert "note-050.md" not in indexed_paths(ArticleIndex(folder, index_dir))  # left to the importer
    finally:
        holder.kill()
        holder.wait(timeout=30)
    result = subprocess.run(reader_cmd("--articles", folder, "--index", index_dir, "search", "--json", "marker50"),
                            capture_output=True, text=True, timeout=60, env=subprocess_env())
    assert result.returncode == 0 and json.loads(result.stdout)["total"] == 1 and result.stderr == ""


def test_an_import_indexes_while_it_still_holds_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"item-{n}", "title": f"Item {n}", "body": f"Text {WORDS[n]}."})
                              + "\n" for n in range(3)))
    seen: list[tuple[bool, int]] = []

    def index(report) -> None:  # type: ignore[no-untyped-def]
        seen.append((held_elsewhere(folder / IMPORT_LOCK), len(report.added)))
        ArticleIndex(folder, tmp_path / "index").update()

    import_paths([source], folder, then=index)
    assert seen == [(True, 3)]
    assert not held_elsewhere(folder / IMPORT_LOCK)
    assert len(indexed_paths(ArticleIndex(folder, tmp_path / "index"))) == 3
