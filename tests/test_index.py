"""reader.index: building, incremental updates, refresh, and recovering from a
broken, foreign, read-only or locked index."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from whoosh import query as Q

import reader.index as index_module
from reader.index import SCHEMA_VERSION, ArticleIndex, IndexProblem, build_schema, default_index_dir, open_index
from reader.search import ArticleSearch

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
BUNDLED_IDS = sorted(
    ["waic-2024-preview", "waic-2024-opening-speakers", "china-powers-global-ai-innovation",
     "waic-qualcomm-sole-us-sponsor", "china-ai-international-cooperation"]
)


def write_article(folder: Path, art_id: str, body: str, title: str = "") -> Path:
    path = folder / f"{art_id}.md"
    head = f"---\nid: {art_id}\n" + (f"title: {title}\n" if title else "") + "---\n"
    path.write_text(head + body + "\n", encoding="utf-8")
    return path


def touch_later(path: Path) -> None:
    """Make sure the mtime moves even on file systems with coarse timestamps."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def ids_for(index: ArticleIndex, query: str) -> list[str]:
    return sorted(h.id for h in ArticleSearch(index).search(query, limit=100).hits)


def stored_ids(index: ArticleIndex) -> list[str]:
    return sorted(f["id"] for f in index.stored())


@pytest.fixture
def index(articles_copy: Path, index_dir: Path):
    ix = ArticleIndex(articles_copy, index_dir)
    yield ix
    ix.close()


@pytest.fixture(scope="module")
def _pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("pristine")
    shutil.copytree(ARTICLES, root / "articles")
    built = ArticleIndex(root / "articles", root / "index")
    assert built.update().added == 5
    built.close()
    return root / "articles", root / "index"


@pytest.fixture
def prebuilt(_pristine: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the bundled articles with an up-to-date index (copied, not rebuilt:
    copies keep the files' mtimes, so the index sees nothing to do)."""
    articles, index_dir = tmp_path / "built-articles", tmp_path / "built-index"
    shutil.copytree(_pristine[0], articles)
    shutil.copytree(_pristine[1], index_dir)
    return articles, index_dir


def test_prebuilt_copy_is_up_to_date(prebuilt: tuple[Path, Path]) -> None:
    index = ArticleIndex(*prebuilt)
    report = index.update()
    assert (report.rebuilt, report.added, report.unchanged) == (False, 0, 5)
    index.close()


# --- building and updating ---------------------------------------------------------------------

def test_build(index: ArticleIndex, index_dir: Path) -> None:
    report = index.update()
    assert (report.added, report.updated, report.deleted, report.unchanged) == (5, 0, 0, 0)
    assert report.rebuilt and report.reason == "new"
    assert report.errors == [] and report.messages == []
    assert stored_ids(index) == BUNDLED_IDS
    assert index.doc_count() == 5
    assert not index.in_memory
    meta = json.loads((index_dir / "reader-index.json").read_text())
    assert meta["schema"] == SCHEMA_VERSION and meta["entities"] == index.entity_list.fingerprint
    rows = {f["id"]: f for f in index.stored()}
    assert rows["waic-qualcomm-sole-us-sponsor"]["author"] == "Tracy Qu"
    assert rows["waic-2024-preview"]["date_text"] == "2024-07-04"
    assert rows["waic-2024-preview"]["title"].startswith("Shanghai is set to kick off")  # display title stored


def test_a_vanished_folder_leaves_the_index_alone(index: ArticleIndex, articles_copy: Path) -> None:
    """A folder moved away (or a drive unmounted) is not an empty folder."""
    index.update()
    before = sorted(stored_ids(index))
    moved = articles_copy.with_name("moved-away")
    articles_copy.rename(moved)
    with pytest.raises(IndexProblem, match="is not there"):
        index.update()
    assert sorted(stored_ids(index)) == before
    moved.rename(articles_copy)
    report = index.update()
    assert not report.changed and sorted(stored_ids(index)) == before


def test_second_update_with_nothing_changed_reports_unchanged_only(index: ArticleIndex) -> None:
    assert index.update().added == 5
    report = index.update()
    assert report.as_dict()["added"] == 0
    assert (report.added, report.updated, report.deleted, report.unchanged) == (0, 0, 0, 5)
    assert not report.rebuilt and report.reason == "" and report.messages == [] and report.changed == 0


def test_reopening_a_built_index_changes_nothing(articles_copy: Path, index_dir: Path) -> None:
    first = ArticleIndex(articles_copy, index_dir)
    first.update()
    first.close()
    second = ArticleIndex(articles_copy, index_dir)
    report = second.update()
    assert (report.added, report.updated, report.deleted, report.unchanged, report.rebuilt) == (0, 0, 0, 5, False)
    second.close()


def test_incremental_add_change_delete(index: ArticleIndex, articles_copy: Path) -> None:
    index.update()
    write_article(articles_copy, "new-one", "Zebrafish research in Shenzhen, said Musk.", title="Zebrafish")
    changed = articles_copy / "waic-2024-preview.md"
    changed.write_text(changed.read_text("utf-8").replace("Shanghai is set", "Hangzhou quokka is set"), "utf-8")
    touch_later(changed)
    (articles_copy / "china-ai-international-cooperation.md").unlink()
    report = index.update()
    assert (report.added, report.updated, report.deleted, report.unchanged) == (1, 1, 1, 3)
    assert not report.rebuilt
    assert stored_ids(index) == sorted(set(BUNDLED_IDS) - {"china-ai-international-cooperation"} | {"new-one"})
    assert ids_for(index, "zebrafish") == ["new-one"]
    assert ids_for(index, "quokka") == ["waic-2024-preview"]
    assert ids_for(index, "deglobalisation") == []
    assert index.doc_count() == 5
    again = index.update()
    assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 5)


def test_file_moved_to_a_subfolder(index: ArticleIndex, articles_copy: Path) -> None:
    index.update()
    (articles_copy / "sub").mkdir()
    shutil.move(str(articles_copy / "waic-2024-preview.md"), articles_copy / "sub" / "waic-2024-preview.md")
    report = index.update()
    assert (report.added, report.deleted) == (1, 1)
    assert report.errors == []
    assert stored_ids(index) == BUNDLED_IDS
    assert {f["path"] for f in index.stored()} >= {os.path.join("sub", "waic-2024-preview.md")}


def test_a_file_that_becomes_invalid_leaves_the_index_with_an_error(index: ArticleIndex, articles_copy: Path) -> None:
    index.update()
    bad = articles_copy / "waic-2024-preview.md"
    bad.write_bytes(b"---\nid: waic-2024-preview\n---\n\xff\xfe broken\n")
    touch_later(bad)
    report = index.update()
    assert report.deleted == 1 and len(report.errors) == 1
    assert "UTF-8" in report.errors[0].reason
    assert "waic-2024-preview" not in stored_ids(index)


def test_duplicate_id_in_a_new_file_is_an_error(index: ArticleIndex, articles_copy: Path) -> None:
    index.update()
    write_article(articles_copy, "zz-copy", "Another text claiming the id.")
    path = articles_copy / "zz-copy.md"
    path.write_text(path.read_text().replace("id: zz-copy", "id: waic-2024-preview"))
    report = index.update()
    assert report.added == 0
    assert len(report.errors) == 1 and "already used" in report.errors[0].reason
    assert stored_ids(index) == BUNDLED_IDS


def test_bad_files_do_not_stop_a_build(articles_copy: Path, index_dir: Path) -> None:
    (articles_copy / "empty.md").write_bytes(b"")
    (articles_copy / "broken.md").write_text("---\nid: x\ntitle: [\n---\nB.\n")
    index = ArticleIndex(articles_copy, index_dir)
    report = index.update()
    assert report.added == 5
    assert sorted(Path(e.path).name for e in report.errors) == ["broken.md", "empty.md"]
    index.close()


def test_progress_is_reported(index: ArticleIndex) -> None:
    calls: list[tuple[int, int]] = []
    index.update(progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (5, 5)


def test_requested_rebuild(index: ArticleIndex) -> None:
    index.update()
    report = index.update(rebuild=True)
    assert report.rebuilt and report.reason == "requested" and report.added == 5
    assert stored_ids(index) == BUNDLED_IDS  # no duplicates after a rebuild


def test_open_index_helper(articles_copy: Path, index_dir: Path) -> None:
    index, report = open_index(articles_copy, index_dir)
    assert report is not None and report.added == 5
    index.close()
    index, report = open_index(articles_copy, index_dir, update=False)
    assert report is None and index.doc_count() == 5
    index.close()


def test_default_index_dir_is_in_the_user_cache_keyed_by_folder(tmp_path: Path) -> None:
    a, b = default_index_dir(tmp_path / "a"), default_index_dir(tmp_path / "b")
    assert a != b and a.parent == b.parent
    assert str(a).startswith(os.environ["XDG_CACHE_HOME"])  # the test cache, never the real one
    assert default_index_dir(tmp_path / "a") == a


# --- refresh (guards the Whoosh==2.7.4 pin) --------------------------------------------------------------

def test_searcher_refresh_after_update_and_delete_with_raw_whoosh(tmp_path: Path) -> None:
    from whoosh.filedb.filestore import FileStorage

    schema = build_schema()
    storage = FileStorage(str(tmp_path))
    ix = storage.create_index(schema, indexname="t")
    writer = ix.writer()
    for n in range(4):
        writer.add_document(path=f"p{n}", id=f"doc{n}", title=f"title {n}", body=f"alpha body number{n}")
    writer.commit()
    searcher = ix.searcher()
    assert searcher.doc_count() == 4

    writer = ix.writer()
    writer.update_document(path="p1", id="doc1", title="changed", body="beta replaced")
    writer.delete_by_term("path", "p2")
    writer.commit()
    assert not searcher.up_to_date()
    searcher = searcher.refresh()
    assert searcher.doc_count() == 3
    ids = sorted(searcher.stored_fields(d)["id"] for d in searcher.document_numbers())
    assert ids == ["doc0", "doc1", "doc3"]
    assert sorted(h["id"] for h in searcher.search(Q.Term("body", "alpha"))) == ["doc0", "doc3"]
    assert [h["id"] for h in searcher.search(Q.Term("body", "beta"))] == ["doc1"]

    writer = ix.writer()
    writer.update_document(path="p1", id="doc1", title="again", body="gamma")
    writer.commit(optimize=True)
    searcher = searcher.refresh()
    assert searcher.doc_count() == 3
    assert [h["id"] for h in searcher.search(Q.Term("body", "gamma"))] == ["doc1"]
    assert list(searcher.search(Q.Term("body", "beta"))) == []
    assert len([d for d in searcher.document_numbers(id="doc1")]) == 1
    searcher.close()


def test_shared_searcher_shows_updates_and_deletes(index: ArticleIndex, articles_copy: Path) -> None:
    index.update()
    with index.searching() as searcher:
        first = searcher
        assert searcher.doc_count() == 5
    changed = articles_copy / "waic-qualcomm-sole-us-sponsor.md"
    changed.write_text(changed.read_text("utf-8") + "\nA wombat appeared at the booth.\n", "utf-8")
    touch_later(changed)
    (articles_copy / "waic-2024-preview.md").unlink()
    index.update()
    with index.searching() as searcher:
        assert searcher is not first  # refreshed, not the stale one
        assert searcher.doc_count() == 4
        hits = list(searcher.search(Q.Term("body", "wombat")))
        assert [h["id"] for h in hits] == ["waic-qualcomm-sole-us-sponsor"]
        assert searcher.document_number(id="waic-2024-preview") is None
        sponsor = list(searcher.document_numbers(id="waic-qualcomm-sole-us-sponsor"))
        assert len(sponsor) == 1  # no stale duplicate


def test_searcher_sees_another_process_commit(articles_copy: Path, index_dir: Path) -> None:
    reader_side = ArticleIndex(articles_copy, index_dir)
    reader_side.update()
    assert ids_for(reader_side, "platypus") == []
    writer_side = ArticleIndex(articles_copy, index_dir)
    write_article(articles_copy, "platypus", "A platypus in Shanghai.")
    assert writer_side.update().added == 1
    assert ids_for(reader_side, "platypus") == ["platypus"]  # up_to_date() noticed the commit
    writer_side.close()
    reader_side.close()


# --- rebuilds ------------------------------------------------------------------------------------------

def test_schema_version_mismatch_rebuilds_with_a_message(prebuilt: tuple[Path, Path]) -> None:
    articles_copy, index_dir = prebuilt
    meta_path = index_dir / "reader-index.json"
    meta = json.loads(meta_path.read_text())
    meta["schema"] = SCHEMA_VERSION - 1
    meta_path.write_text(json.dumps(meta))
    index = ArticleIndex(articles_copy, index_dir)
    report = index.update()
    assert report.rebuilt and report.reason == "schema"
    assert any("another version" in m for m in report.messages)
    assert report.added == 5 and stored_ids(index) == BUNDLED_IDS
    assert json.loads(meta_path.read_text())["schema"] == SCHEMA_VERSION
    assert not index.update().rebuilt
    index.close()


def test_index_with_another_schema_rebuilds(articles_copy: Path, index_dir: Path) -> None:
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.filedb.filestore import FileStorage

    index_dir.mkdir()
    old = FileStorage(str(index_dir)).create_index(Schema(path=ID(stored=True), body=TEXT), indexname="articles")
    writer = old.writer()
    writer.add_document(path="x.md", body="old")
    writer.commit()
    (index_dir / "reader-index.json").write_text(json.dumps({"schema": SCHEMA_VERSION}))
    index = ArticleIndex(articles_copy, index_dir)
    report = index.update()
    assert report.reason == "schema" and report.added == 5
    assert stored_ids(index) == BUNDLED_IDS
    index.close()


def test_entity_list_change_rebuilds(prebuilt: tuple[Path, Path]) -> None:
    articles_copy, index_dir = prebuilt
    entities = articles_copy / "entities.yaml"
    entities.write_text(entities.read_text("utf-8").replace(
        "  - id: eric-jing\n", "  - id: premier-title\n    name: Premier\n    kind: person\n  - id: eric-jing\n"), "utf-8")
    index = ArticleIndex(articles_copy, index_dir)
    report = index.update()
    assert report.rebuilt and report.reason == "entities"
    assert any("entity list changed" in m for m in report.messages)
    assert report.added == 5 and stored_ids(index) == BUNDLED_IDS
    assert not index.update().rebuilt
    index.close()


def test_new_analysis_rules_read_every_article_again(prebuilt: tuple[Path, Path]) -> None:
    articles_copy, index_dir = prebuilt
    meta_path = index_dir / "reader-index.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta["analysis"] = "quotes-0 figures-0"  # what an index made by earlier rules says
    meta_path.write_text(json.dumps(meta), "utf-8")
    index = ArticleIndex(articles_copy, index_dir)
    assert stored_ids(index) == BUNDLED_IDS  # it answers while it waits
    report = index.update()
    assert report.rebuilt and report.reason == "analysis"
    assert any("quotations and figures" in m for m in report.messages)
    assert report.added == 5 and stored_ids(index) == BUNDLED_IDS
    assert not index.update().rebuilt
    index.close()


CORRUPTIONS = {
    "garbled-toc": lambda d: [p.write_bytes(b"garbage" * 20) for p in d.glob("*.toc")],
    "truncated-toc": lambda d: [p.write_bytes(b"") for p in d.glob("*.toc")],
    "deleted-toc": lambda d: [p.unlink() for p in d.glob("*.toc")],
    "truncated-segment": lambda d: [p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]) for p in d.glob("*.seg")],
    "garbled-segment": lambda d: [p.write_bytes(bytes((b + 13) % 256 for b in p.read_bytes())) for p in d.glob("*.seg")],
    "deleted-segment": lambda d: [p.unlink() for p in d.glob("*.seg")],
    "every-file-emptied": lambda d: [p.write_bytes(b"") for p in d.iterdir() if p.is_file()],
    "garbled-version-file": lambda d: (d / "reader-index.json").write_text("{not json"),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_corrupt_index_is_rebuilt_with_a_message(prebuilt: tuple[Path, Path], corruption: str) -> None:
    articles_copy, index_dir = prebuilt
    CORRUPTIONS[corruption](index_dir)
    index = ArticleIndex(articles_copy, index_dir)
    report = index.update()  # no exception
    assert report.rebuilt and report.added == 5
    assert report.messages, "a rebuild of a broken index must say so"
    assert any("rebuilding" in m for m in report.messages)
    assert stored_ids(index) == BUNDLED_IDS
    assert ids_for(index, "SenseNova") == ["china-powers-global-ai-innovation", "waic-2024-opening-speakers",
                                           "waic-2024-preview"]
    assert not index.update().rebuilt
    index.close()


def test_corrupt_index_via_cli(prebuilt: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import main

    articles_copy, index_dir = prebuilt
    CORRUPTIONS["garbled-segment"](index_dir)
    capsys.readouterr()
    assert main(["--articles", str(articles_copy), "--index", str(index_dir), "search", "SenseNova", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["total"] == 3
    assert "rebuilding" in captured.err and "Traceback" not in captured.err


# --- where the index cannot be written --------------------------------------------------------------------

def test_index_dir_that_cannot_be_created_falls_back_to_memory(articles_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    index = ArticleIndex(articles_copy, blocker / "index")
    report = index.update()
    assert index.in_memory
    assert any("in memory" in m for m in report.messages)
    assert report.added == 5
    assert ids_for(index, "Qualcomm") == ["china-ai-international-cooperation", "china-powers-global-ai-innovation",
                                          "waic-qualcomm-sole-us-sponsor"]
    assert blocker.read_text() == "x"
    index.close()


def test_read_only_index_dir_falls_back_to_memory(articles_copy: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    ro = tmp_path / "ro-index"
    ro.mkdir()
    ro.chmod(0o555)
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # root may write anyway: make access() say what it would
        real_access = os.access
        monkeypatch.setattr(index_module.os, "access",
                            lambda p, m, *a, **k: False if Path(p) == ro and m & os.W_OK else real_access(p, m, *a, **k))
    try:
        index = ArticleIndex(articles_copy, ro)
        report = index.update()
        assert index.in_memory
        assert any("not writable" in m and "memory" in m for m in report.messages)
        assert report.added == 5 and index.doc_count() == 5
        assert list(ro.iterdir()) == []
        index.close()
    finally:
        ro.chmod(0o755)


def test_in_memory_index_via_cli(articles_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = main(["--articles", str(articles_copy), "--index", str(blocker / "ix"), "index", "--json"])
    captured = capsys.readouterr()
    assert code == 0
    data = json.loads(captured.out)
    assert data["index"] is None and data["added"] == 5
    assert any("memory" in m for m in data["messages"])


# --- locks ------------------------------------------------------------------------------------------

HOLD_WRITER = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path
    from reader.index import ArticleIndex
    index = ArticleIndex(Path(sys.argv[1]), Path(sys.argv[2]))
    index.open()
    writer = index.ix.writer()
    writer.add_document(path="orphan.md", id="orphan", body="half written orphan document")
    print("locked", flush=True)
    if sys.argv[3] == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif sys.argv[3] == "exit":
        os._exit(3)
    else:
        time.sleep(60)
    """
)


def _hold_writer(articles: Path, index_dir: Path, how: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(articles), str(index_dir), how],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "locked", proc.stderr.read() if proc.stderr else ""
    return proc


@pytest.mark.parametrize("how", ["kill", "exit"])
def test_stale_lock_from_a_killed_writer(prebuilt: tuple[Path, Path], how: str) -> None:
    articles_copy, index_dir = prebuilt
    proc = _hold_writer(articles_copy, index_dir, how)
    proc.wait(timeout=30)
    assert proc.returncode == (-signal.SIGKILL if how == "kill" else 3)
    write_article(articles_copy, "after-crash", "Written after the writer died: axolotl.")
    index = ArticleIndex(articles_copy, index_dir)
    report = index.update(timeout=5)
    assert report.added == 1
    assert ids_for(index, "axolotl") == ["after-crash"]
    assert ids_for(index, "orphan") == []  # the dead writer's document never became visible
    assert index.doc_count() == 6
    index.close()


def test_live_writer_makes_update_wait_then_fail_with_a_message(prebuilt: tuple[Path, Path]) -> None:
    articles_copy, index_dir = prebuilt
    proc = _hold_writer(articles_copy, index_dir, "hold")
    try:
        write_article(articles_copy, "blocked", "Waiting for the lock.")
        index = ArticleIndex(articles_copy, index_dir)
        started = time.perf_counter()
        with pytest.raises(IndexProblem) as info:
            index.update(timeout=0.5)
        assert time.perf_counter() - started < 10
        assert "another reader process" in str(info.value)
        assert index.doc_count() == 5  # the last committed index can still be read
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert index.update(timeout=5).added == 1
    index.close()


# --- bulk builds on several processes ---------------------------------------------------------

def _many_articles(folder: Path, copies: int) -> None:
    """The bundled articles again under new ids, so a build spans several sub-writer batches."""
    bodies = [p.read_text(encoding="utf-8").split("---\n", 2)[2] for p in sorted(ARTICLES.glob("*.md"))]
    for n in range(copies):
        write_article(folder, f"copy-{n:04d}", bodies[n % len(bodies)], title=f"Copy {n} of a WAIC story")


def _documents(index: ArticleIndex) -> dict[str, dict]:
    with index.searching() as searcher:
        return {f["path"]: f for f in searcher.all_stored_fields()}


def test_bulk_build_on_two_processes_equals_a_single_process_build(articles_copy: Path, tmp_path: Path) -> None:
    _many_articles(articles_copy, 260)
    single = ArticleIndex(articles_copy, tmp_path / "single")
    bulk = ArticleIndex(articles_copy, tmp_path / "bulk")
    try:
        assert single.update(procs=1).added == bulk.update(procs=2).added == 265
        assert _documents(bulk) == _documents(single)  # entities, discovered names, catalog fields
        assert sorted(bulk.stored(), key=lambda r: r["path"]) == sorted(single.stored(), key=lambda r: r["path"])
        for query in ("SenseTime", "person:li-qiang", "company:qualcomm", '"world artificial intelligence"'):
            # Every hit with its score (the order of equal scores follows the
            # documents' numbers, which differ between one segment and two).
            hits = {engine: {(h.id, round(h.score, 6)) for h in ArticleSearch(engine).search(query, limit=1000).hits}
                    for engine in (bulk, single)}
            assert hits[bulk] == hits[single] and len(hits[bulk]) > 100
    finally:
        single.close()
        bulk.close()


def test_a_failing_sub_writer_commits_nothing(articles_copy: Path, index_dir: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _many_articles(articles_copy, 120)
    index = ArticleIndex(articles_copy, index_dir)
    try:
        index.update(procs=1)
        before = _documents(index)
        real = index_module.extracted_document

        def broken(extractor, article, state):  # runs in the forked sub-writers
            if article.id == "copy-0077":
                os._exit(3)  # as a process killed mid-build would
            return real(extractor, article, state)

        monkeypatch.setattr(index_module, "extracted_document", broken)
        with pytest.raises(IndexProblem, match="indexing process failed"):
            index.update(rebuild=True, procs=2)
        monkeypatch.setattr(index_module, "extracted_document", real)
        assert _documents(index) == before  # the last complete index stands
        assert index.update(rebuild=True, procs=2).added == 125  # and the lock was released
    finally:
        index.close()


def test_reading_an_article_uses_the_tagger_spans_its_index_kept(articles_copy: Path, tmp_path: Path) -> None:
    """An unchanged article's entities come from the spans the index stored,
    the same as a fresh reading; an edited file is read afresh."""
    from reader.library import Library

    library = Library(articles_copy, tmp_path / "index")
    library.update()
    for row in library.rows():
        article = library.article(row.id)
        spans = library.index.stored_spans(article)
        assert spans is not None
        kept = library.extraction(article)
        fresh = library.index.extractor.extract(article.body, article.id, article.title)
        assert [(m.start, m.end, m.entity) for m in kept.mentions] == \
            [(m.start, m.end, m.entity) for m in fresh.mentions]
        assert [(m.start, m.end, m.entity) for m in kept.title_mentions] == \
            [(m.start, m.end, m.entity) for m in fresh.title_mentions]
    path = articles_copy / "waic-qualcomm-sole-us-sponsor.md"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\nCristiano Amon of Qualcomm Inc spoke in Shanghai.\n")
    edited = library.article("waic-qualcomm-sole-us-sponsor")
    assert library.index.stored_spans(edited) is None  # the file is not the one indexed
    read = library.extraction(edited)
    fresh = library.index.extractor.extract(edited.body, edited.id, edited.title)
    assert [(m.start, m.end, m.entity) for m in read.mentions] == [(m.start, m.end, m.entity) for m in fresh.mentions]
    assert any(m.start >= len(edited.body) - 60 for m in read.mentions)  # the added sentence was read
    library.close()
