"""Nothing lost, atomic writes, crash recovery: real processes, real SIGKILLs.

What these tests prove (see README, "Guarantees"):

* Reading, indexing and searching never write to the articles folder: every
  file keeps its bytes and its mtime and no file appears, also when the folder
  is really read-only.  The tests run as root here, and root ignores
  ``chmod a-w``; so the read-only runs drop CAP_DAC_OVERRIDE (and its
  relatives) with ``setpriv --bounding-set`` before exec'ing ``reader``: the
  process is still uid 0 but the permission bits now bind it, and
  ``os.access`` answers "not writable".  Where ``setpriv`` cannot do that, the
  import refusal is checked in process with ``os.access`` monkeypatched, and
  the byte-for-byte snapshot still proves that nothing was written.
* Import and curating write atomically: a temporary dotfile in the same
  folder, flushed to disk (fsync, or one ``os.sync`` per batch of an import),
  then renamed into place; the loader never reads the temporary files.
* ``reader`` is killed with SIGKILL at random moments (fixed seeds, printed)
  during a bulk import of 3,000 JSON Lines records, during an index build of
  2,105 articles (the size at which Whoosh forks sub-writer processes), and
  during a loop of curating commands; after each kill every article file is
  absent or byte-identical to what a clean import writes, entities.yaml is
  the version before or after the interrupted change, the index is the last
  committed one or is rebuilt with a message, and no orphan process keeps
  the index locked.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from whoosh import index as whoosh_index

from reader import curate
from reader.corpus import iter_article_files, load_article, load_corpus
from reader.entities import load_entity_list
from reader.ingest import ImportError_, import_paths

from proc_helpers import entries, leftovers, reader_cmd, subprocess_env

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "articles"
BUNDLED = sorted(p.name for p in ARTICLES.iterdir())
KILLS = 10  # random kill points per scenario
TEMP_NAME = re.compile(r"^\..+\.tmp$")  # what an interrupted atomic write may leave behind


# --- helpers ---------------------------------------------------------------------------------



def run(cmd: list[str], *, timeout: float = 180, env: dict[str, str] | None = None,
        prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run((prefix or []) + cmd, capture_output=True, text=True, timeout=timeout,
                          env=env or subprocess_env())


def assert_clean_exit(result: subprocess.CompletedProcess[str], codes: tuple[int, ...] = (0,)) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in codes, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])


def run_and_kill(cmd: list[str], delay: float, workdir: Path, *, ready: str | None = None) -> tuple[bool, str]:
    """Start ``cmd``; SIGKILL it ``delay`` seconds after it starts (or after it prints
    the line ``ready``). Returns (killed, stdout). Only the process itself is killed,
    as the OOM killer or ``kill -9`` would: children must cope on their own."""
    out_path = workdir / f"out-{time.monotonic_ns()}.txt"
    err_path = out_path.with_suffix(".err")
    with open(out_path, "w") as out, open(err_path, "w") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=subprocess_env())
        try:
            if ready is not None:
                deadline = time.monotonic() + 120
                while ready not in out_path.read_text() and proc.poll() is None:
                    assert time.monotonic() < deadline, "the child never became ready"
                    time.sleep(0.02)
            proc.wait(timeout=delay)
            killed = False
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            killed = True
        proc.wait(timeout=60)
    stderr = err_path.read_text()
    assert "Traceback" not in stderr, stderr
    return killed, out_path.read_text()


def processes_mentioning(marker: str) -> list[int]:
    """Pids of live processes whose command line contains ``marker`` (a tmp path
    only our own children use)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmdline and state != "Z":
            pids.append(int(entry.name))
    return pids


def wait_for_no_orphans(marker: str, timeout: float = 30) -> None:
    """Every process started for ``marker`` must be gone soon after its parent was killed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not processes_mentioning(marker):
            return
        time.sleep(0.1)
    left = processes_mentioning(marker)
    for pid in left:  # leave no stray process behind, whatever the verdict
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    pytest.fail(f"processes still running {timeout:.0f} s after their parent was killed: {left}")


@pytest.fixture
def reaper(tmp_path: Path):
    """Kill (by pid) any process of ours that a failing test left running."""
    yield
    for pid in processes_mentioning(str(tmp_path)):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def delays(seed: int, low: float, high: float, count: int = KILLS) -> list[float]:
    rng = random.Random(seed)
    values = [round(rng.uniform(low, high), 3) for _ in range(count)]
    print(f"seed {seed}: kill delays {values}")
    return values


def kill_points(planned: list[float], enough, later: float, extra: int = 6):
    """The seeded delays; then, only if ``enough()`` is still false (a machine so
    slow that no seeded kill fell where it should), a few longer ones."""
    yield from planned
    for n in range(extra):
        if enough():
            return
        yield later * (n + 2)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Bytes, mtime and mode of every entry below ``folder`` (folders included)."""
    result = {}
    for path in sorted(Path(folder).rglob("*")):
        st = path.lstat()
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        result[str(path.relative_to(folder))] = (data, st.st_mtime_ns, st.st_mode)
    return result


def setpriv_prefix() -> list[str] | None:
    """A command prefix under which root obeys permission bits, or None."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    try:
        probe = subprocess.run(prefix + [sys.executable, "-c", "import os; print(os.access('/proc/1/root', os.W_OK))"],
                               capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return prefix if probe.returncode == 0 else None


def make_read_only(folder: Path) -> None:
    subprocess.run(["chmod", "-R", "a-w", str(folder)], check=True)


def make_writable(folder: Path) -> None:
    subprocess.run(["chmod", "-R", "u+w", str(folder)], check=True)


# --- nothing lost: reading never writes -------------------------------------------------------

READING_COMMANDS = [
    ("list",),
    ("list", "--json"),
    ("show", "waic-2024-preview"),
    ("show", "--json", "waic-qualcomm-sole-us-sponsor"),
    ("search", "Qualcomm"),
    ("search", "--json", 'person:"Elon Musk" OR title:china~'),
    ("search", "date:[2024-07-01 to 2024-07-31]", "--sort", "date"),
    ("index",),
    ("index", "--rebuild"),
    ("index", "--json"),
    ("xref", "waic-2024-preview"),
    ("xref", "--json", "waic-2024-opening-speakers"),
    ("mentions", "waic-2024-preview"),
    ("mentions", "--json", "china-powers-global-ai-innovation"),
    ("entity", "Elon Musk"),
    ("entity", "--json", "Qualcomm"),
    ("entities",),
    ("entities", "--json", "--kind", "person"),
    ("show", "no-such-article"),
    ("search", "title:("),
]


def test_reading_commands_never_write_to_the_articles_folder(tmp_path: Path) -> None:
    from reader.cli import main

    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    # A hand-made article and a broken one: reading must not "fix" either.
    (folder / "hand-made.md").write_text("No front matter at all.\n\nSecond paragraph.\n")
    (folder / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n")
    before = snapshot(folder)
    index = tmp_path / "index"
    for args in READING_COMMANDS:
        code = main(["--articles", str(folder), "--index", str(index), *args])
        assert code in (0, 1, 2), args
        assert snapshot(folder) == before, f"`reader {' '.join(args)}` changed the articles folder"
    assert (index / "reader-index.json").exists()  # the index went where it was told


@pytest.mark.timeout(240)
def test_reading_commands_work_on_a_read_only_folder_and_import_refuses(tmp_path: Path) -> None:
    prefix = setpriv_prefix()
    if prefix is None:
        pytest.skip("running as root without setpriv: chmod cannot make a folder read-only for this process")
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    index = tmp_path / "index"
    make_read_only(folder)
    try:
        before = snapshot(folder)
        for args in [("index", "--rebuild"), ("list",), ("show", "--json", "waic-2024-preview"),
                     ("search", "Qualcomm"), ("mentions", "waic-2024-preview")]:
            result = run(reader_cmd("--articles", folder, "--index", index, *args), prefix=prefix)
            assert_clean_exit(result)
            assert result.stdout.strip()
        source = tmp_path / "incoming.txt"
        source.write_text("A new headline\n\nSome text of a new article.\n")
        result = run(reader_cmd("--articles", folder, "--index", index, "import", source), prefix=prefix)
        assert_clean_exit(result, codes=(2,))
        assert result.stderr.count("\n") == 1 and "read-only" in result.stderr, result.stderr
        assert snapshot(folder) == before
    finally:
        make_writable(folder)


def test_import_refuses_a_read_only_folder_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same refusal without dropping privileges: ``os.access`` says what a
    non-root user would be told (as root it says "writable" whatever the bits)."""
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    source = tmp_path / "incoming.txt"
    source.write_text("A new headline\n\nSome text of a new article.\n")
    make_read_only(folder)
    try:
        before = snapshot(folder)
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == folder and mode & os.W_OK
                            else real_access(p, mode, **kw))
        with pytest.raises(ImportError_, match="read-only; nothing was imported"):
            import_paths([source], folder)
        assert snapshot(folder) == before
    finally:
        make_writable(folder)


# --- atomic writes --------------------------------------------------------------------------

def _fd_path(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return f"fd:{fd}"


def test_curating_writes_a_synced_temporary_file_then_renames_it(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    target = folder / "entities.yaml"
    events: list[tuple[str, str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", _fd_path(fd), ""))
        real_fsync(fd)

    def replace(src, dst, **kw) -> None:
        events.append(("replace", str(src), str(dst)))
        assert load_entity_list(Path(src)).get("atomic-test-co") is not None, "renamed before it was complete"
        real_replace(src, dst, **kw)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    curate.add(folder, "Atomic Test Co", "company")
    replaces = [e for e in events if e[0] == "replace"]
    assert len(replaces) == 1
    _, src, dst = replaces[0]
    assert dst == str(target)
    assert Path(src).parent == folder and Path(src).name.startswith(".") and src.endswith(".tmp")
    order = [e[0] for e in events]
    synced_tmp = [i for i, e in enumerate(events) if e[0] == "fsync" and e[1] == src]
    assert synced_tmp and synced_tmp[0] < order.index("replace"), events  # data on disk before the rename
    assert any(e[0] == "fsync" and e[1] == str(folder) for e in events[order.index("replace"):]), events
    assert not leftovers(folder)


def test_import_syncs_each_batch_before_renaming_it_into_place(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.ingest as ingest

    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    jsonl = tmp_path / "records.jsonl"
    write_records(jsonl, 25)
    monkeypatch.setattr(ingest, "BATCH", 10)
    events: list[tuple[str, str, str]] = []
    real_sync, real_replace = os.sync, os.replace

    def sync() -> None:
        # At sync time the batch exists only as hidden temporary files.
        renamed = sum(1 for e in events if e[0] == "replace")
        assert len(list(folder.glob("rec-*.md"))) == renamed
        events.append(("sync", "", ""))
        real_sync()

    def replace(src, dst, **kw) -> None:
        events.append(("replace", str(src), str(dst)))
        assert Path(src).name.startswith(".") and Path(src).parent == folder
        assert load_article(Path(src), folder).id == Path(dst).stem  # complete before it is visible
        real_replace(src, dst, **kw)

    monkeypatch.setattr(os, "sync", sync)
    monkeypatch.setattr(os, "replace", replace)
    report = import_paths([jsonl], folder)
    assert len(report.added) == 25
    kinds = [e[0] for e in events]
    assert kinds.count("sync") == 3 and kinds.count("replace") == 25
    # every rename follows a sync made after its file was written: sync, 10 renames, sync, 10, sync, 5
    assert kinds == ["sync"] + ["replace"] * 10 + ["sync"] + ["replace"] * 10 + ["sync"] + ["replace"] * 5
    assert not leftovers(folder)


def test_a_failed_rename_leaves_no_partial_article_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.ingest as ingest

    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    jsonl = tmp_path / "records.jsonl"
    write_records(jsonl, 30)
    monkeypatch.setattr(ingest, "BATCH", 10)
    real_replace = os.replace
    calls = {"n": 0}

    def replace(src, dst, **kw) -> None:
        calls["n"] += 1
        if calls["n"] == 15:
            raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst, **kw)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError):
        import_paths([jsonl], folder)
    monkeypatch.setattr(os, "replace", real_replace)
    assert not leftovers(folder)
    corpus = load_corpus(folder)
    assert not corpus.errors and len(corpus.articles) == 5 + 14
    # A restart completes the import; nothing written before is changed.
    before = snapshot(folder)
    report = import_paths([jsonl], folder)
    assert len(report.added) == 16 and len(report.skipped) == 14
    after = snapshot(folder)
    assert all(after[name] == value for name, value in before.items())


def test_a_failed_entity_list_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    before = (folder / "entities.yaml").read_bytes()

    def replace(src, dst, **kw) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(curate.CurateError, match="cannot write"):
        curate.add(folder, "Never Written Co", "company")
    assert (folder / "entities.yaml").read_bytes() == before
    assert not leftovers(folder)


def test_the_loader_ignores_temporary_and_hidden_files(tmp_path: Path) -> None:
    from reader.cli import main

    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    garbage = "---\nid: [torn\n"  # what a torn write would look like
    (folder / ".waic-2024-preview.md.import.tmp").write_text(garbage)
    (folder / ".entities.yaml.k2j3h4.tmp").write_text("entities: [torn")
    (folder / ".hidden.md").write_text(garbage)
    (folder / ".cache").mkdir()
    (folder / ".cache" / "x.md").write_text(garbage)
    assert [p.name for p in iter_article_files(folder)] == [n for n in BUNDLED if n.endswith(".md")]
    corpus = load_corpus(folder)
    assert not corpus.errors and len(corpus.articles) == 5
    assert len(load_entity_list(folder)) == len(load_entity_list(ARTICLES))
    assert main(["--articles", str(folder), "--index", str(tmp_path / "index"), "list"]) == 0


# --- (a) a bulk import killed at random points ----------------------------------------------

WORDS = ("market shares growth profit quarter bank trade minister talks election court climate energy "
         "factory export chip model network research union strike harvest storm league final").split()
NAMES = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Acme Holdings", "Globex Corporation", "Initech"]


def write_records(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(count):
            paragraphs = []
            for _ in range(rng.randint(1, 4)):
                words = [rng.choice(WORDS) for _ in range(rng.randint(8, 40))]
                words.insert(rng.randrange(len(words)), rng.choice(NAMES))
                paragraphs.append(" ".join(words).capitalize() + ".")
            body = "\n\n".join(paragraphs)
            if i % 97 == 0:
                body = "\x1b[31mALERT\x1b[0m " + body + "\x00\x07"
            record = {
                "id": f"rec-{i:05d}",
                "title": f"Record {i}: {rng.choice(WORDS)} {rng.choice(WORDS)}",
                "body": body,
                "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "author": rng.choice(NAMES[:3]),
                "source": "Kill Test Wire",
                "dateline": "LONDON -",
            }
            handle.write(json.dumps(record, ensure_ascii=bool(i % 2)) + "\n")


def check_import_state(folder: Path, reference: dict[str, bytes], bundled: dict[str, bytes],
                       parsed: set[str]) -> int:
    """Every entry is a bundled file, a complete imported article, or a hidden
    temporary file the loader ignores. Returns the number of imported articles."""
    imported = 0
    for entry in leftovers(folder):
        assert TEMP_NAME.match(entry), f"unexpected hidden file {entry}"
    for entry in os.listdir(folder):
        path = folder / entry
        if entry.startswith("."):
            continue
        data = path.read_bytes()
        if entry in bundled:
            assert data == bundled[entry], f"{entry} changed"
            continue
        assert entry in reference, f"unexpected file {entry}"
        assert data == reference[entry], f"{entry} differs from a clean import (torn write?)"
        if entry not in parsed:
            article = load_article(path, folder)
            assert article.id + ".md" == entry
            parsed.add(entry)
        imported += 1
    listed = [p.name for p in iter_article_files(folder)]
    assert not [n for n in listed if n.startswith(".")], "the loader sees a temporary file"
    return imported


@pytest.mark.timeout(300)
def test_import_killed_at_random_points_leaves_only_complete_articles(tmp_path: Path, reaper) -> None:
    records = 3000
    jsonl = tmp_path / "records.jsonl"
    write_records(jsonl, records)
    reference_dir = tmp_path / "reference"
    shutil.copytree(ARTICLES, reference_dir)
    clean = import_paths([jsonl], reference_dir)
    assert len(clean.added) == records and not clean.failed
    bundled = {name: (ARTICLES / name).read_bytes() for name in BUNDLED}
    reference = {name: (reference_dir / name).read_bytes() for name in entries(reference_dir) if name not in bundled}
    assert len(reference) == records

    folder = tmp_path / "articles"
    parsed: set[str] = set()
    progress = []
    chain = 0
    def mid_import() -> bool:
        return any(killed and 0 < n < records for _, killed, n in progress)

    for delay in kill_points(delays(20240704, 0.3, 3.0), mid_import, later=3.0):
        if not folder.exists():
            shutil.copytree(ARTICLES, folder)
            parsed.clear()
            chain += 1
        index = tmp_path / f"index-{chain}"
        killed, _ = run_and_kill(reader_cmd("--articles", folder, "--index", index, "import", jsonl),
                                 delay, tmp_path)
        wait_for_no_orphans(str(index))
        imported = check_import_state(folder, reference, bundled, parsed)
        progress.append((delay, killed, imported))
        if imported == records:
            # Complete: the next kill starts a fresh import; this one is checked whole first.
            assert not load_corpus(folder).errors
            shutil.rmtree(folder)
    print("kill delay, killed, articles on disk:", progress)
    assert mid_import(), "no kill landed mid-import"

    # Restart: the interrupted import completes and the folder is exactly a clean import.
    if not folder.exists():
        shutil.copytree(ARTICLES, folder)
    before = {n: (folder / n).read_bytes() for n in os.listdir(folder) if not n.startswith(".")}
    report = import_paths([jsonl], folder)
    assert not report.failed and len(report.added) + len(report.skipped) == records
    assert len(report.skipped) == len(before) - len(bundled)  # what was there is not rewritten
    final = {n: (folder / n).read_bytes() for n in os.listdir(folder) if not n.startswith(".")}
    assert final == {**bundled, **reference}
    assert leftovers(folder) == []  # the killed imports' temporary files went with the restart
    corpus = load_corpus(folder)
    assert not corpus.errors and len(corpus.articles) == 5 + records


# --- (b) an index build killed at random points ---------------------------------------------

def write_tiny_corpus(folder: Path, count: int) -> None:
    rng = random.Random(11)
    for i in range(count):
        body = " ".join(rng.choice(WORDS) for _ in range(12)) + f" marker{i % 7}."
        (folder / f"gen-{i:04d}.md").write_text(f"---\nid: gen-{i:04d}\ntitle: Generated {i}\n---\n{body}\n")


def check_index(folder: Path, index: Path, total: int, marker_hits: int) -> str:
    """The index is usable and complete after ``reader index`` (in process): the
    search answers, counts match the files, and the write lock is free."""
    from reader.library import Library

    library = Library(folder, index)
    try:
        report = library.update(timeout=30)
        assert not report.errors
        assert library.index.doc_count() == total
        assert len(library.rows()) == total
        result = library.search("marker3", limit=5)
        assert result.total == marker_hits
        assert library.search("Qualcomm").total >= 1
        # No orphan sub-writer holds the lock: a writer can be had at once.
        writer = library.index.ix.writer(timeout=10)
        writer.cancel()
        return "rebuilt" if report.rebuilt else f"unchanged {report.unchanged}"
    finally:
        library.close()


@pytest.mark.timeout(420)
def test_index_build_killed_at_random_points_recovers(tmp_path: Path, reaper) -> None:
    count = 2100  # with the bundled 5, above index.BULK_THRESHOLD: Whoosh forks sub-writers
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    write_tiny_corpus(folder, count)
    total = count + 5
    marker_hits = len(range(3, count, 7))
    before = snapshot(folder)
    index = tmp_path / "index"
    seeds = delays(20240705, 0.5, 3.5)

    # The very first build, killed: the next `reader index` rebuilds with a message.
    killed, _ = run_and_kill(reader_cmd("--articles", folder, "--index", index, "index"), seeds[0] + 1.0, tmp_path)
    wait_for_no_orphans(str(index))
    left_toc = any(index.glob("*.toc"))
    result = run(reader_cmd("--articles", folder, "--index", index, "index"), timeout=400)
    assert_clean_exit(result)
    # A build killed before its commit is redone in full; one that committed
    # before the kill landed (a fast machine) leaves nothing to do. Either way
    # every article is indexed once, which check_index below verifies.
    expected = [f"added {total},", f"unchanged {total} "] if killed else [f"unchanged {total} "]
    assert any(e in result.stdout for e in expected), (killed, result.stdout, result.stderr)
    if killed and left_toc and f"added {total}," in result.stdout:
        # Redone in full: it says why. (A kill after the commit, while the
        # links between names were worked out, leaves a complete index.)
        assert "rebuilding" in result.stderr, result.stderr
    outcomes = [check_index(folder, index, total, marker_hits)]

    # Rebuilds of a complete index, killed: the last committed index stays usable.
    for delay in seeds[1:]:
        killed, _ = run_and_kill(reader_cmd("--articles", folder, "--index", index, "index", "--rebuild"),
                                 delay, tmp_path)
        wait_for_no_orphans(str(index))
        outcomes.append(("killed" if killed else "finished", check_index(folder, index, total, marker_hits)))
    print("after each kill:", outcomes)
    # And the command line agrees: a search right after a kill answers from the index.
    killed, _ = run_and_kill(reader_cmd("--articles", folder, "--index", index, "index", "--rebuild"), 1.5, tmp_path)
    wait_for_no_orphans(str(index))
    result = run(reader_cmd("--articles", folder, "--index", index, "search", "--json", "marker3", "--limit", "3"))
    assert_clean_exit(result)
    assert json.loads(result.stdout)["total"] == marker_hits
    assert snapshot(folder) == before  # indexing never touched the articles


# --- (c) curating killed at random points ---------------------------------------------------

CURATE_LOOP = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from reader import curate

    folder = Path(sys.argv[1])
    print("ready", flush=True)
    for i in range(int(sys.argv[2])):
        step = i % 3
        if step == 0:
            curate.add(folder, f"Reliability Corp {i}", "company", [f"RelCorp {i}"])
        elif step == 1:
            curate.alias(folder, f"Rel Alias {i}", f"Reliability Corp {i - 1}")
        else:
            curate.reject(folder, f"Noise Name {i}")
        print(i + 1, flush=True)
    """
)


class Versions:
    """Every version of entities.yaml the loop writes, computed by replaying it."""

    def __init__(self, tmp_path: Path) -> None:
        self.folder = tmp_path / "replay"
        shutil.copytree(ARTICLES, self.folder)
        self.texts = [(self.folder / "entities.yaml").read_text()]

    def upto(self, n: int) -> list[str]:
        while len(self.texts) <= n:
            i = len(self.texts) - 1
            step = i % 3
            if step == 0:
                curate.add(self.folder, f"Reliability Corp {i}", "company", [f"RelCorp {i}"])
            elif step == 1:
                curate.alias(self.folder, f"Rel Alias {i}", f"Reliability Corp {i - 1}")
            else:
                curate.reject(self.folder, f"Noise Name {i}")
            self.texts.append((self.folder / "entities.yaml").read_text())
        return self.texts


@pytest.mark.timeout(300)
def test_curating_killed_at_random_points_keeps_the_old_or_the_new_entity_list(tmp_path: Path, reaper) -> None:
    script = tmp_path / "curate_loop.py"
    script.write_text(CURATE_LOOP)
    versions = Versions(tmp_path)
    seen = []
    for number, delay in enumerate(kill_points(delays(20240706, 0.05, 1.0),
                                               lambda: any(completed > 0 for _, completed, _ in seen), later=1.0)):
        folder = tmp_path / f"articles-{number}"
        shutil.copytree(ARTICLES, folder)
        killed, out = run_and_kill([sys.executable, str(script), str(folder), "100000"], delay, tmp_path,
                                   ready="ready")
        assert killed
        done = [int(line) for line in out.split() if line.isdigit()]
        completed = done[-1] if done else 0
        texts = versions.upto(completed + 1)
        text = (folder / "entities.yaml").read_text()
        assert text in (texts[completed], texts[completed + 1]), \
            f"kill {number}: entities.yaml is neither version {completed} nor {completed + 1}"
        entity_list = load_entity_list(folder)  # always parses
        for entry in leftovers(folder):
            assert TEMP_NAME.match(entry) and entry.startswith(".entities.yaml."), entry
        assert len(load_corpus(folder).articles) == 5 and not load_corpus(folder).errors
        # Restart: curating goes on from whatever version is there, and loses nothing.
        after = curate.add(folder, f"Restarted Co {number}", "company")[0]
        assert {e.id for e in entity_list} | {f"restarted-co-{number}"} == {e.id for e in after}
        assert set(entity_list.ignore) == set(after.ignore)
        seen.append((delay, completed, texts.index(text)))
    print("kill delay, changes completed, version on disk:", seen)
    assert any(completed > 0 for _, completed, _ in seen), "no kill landed after a completed change"


@pytest.mark.timeout(600)
def test_the_next_writer_removes_what_a_killed_index_build_left(tmp_path: Path, reaper) -> None:
    count = 2100  # a bulk build: Whoosh's scratch folder and sub-writers' segments are in use
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    write_tiny_corpus(folder, count)
    index = tmp_path / "index"
    assert_clean_exit(run(reader_cmd("--articles", folder, "--index", index, "index"), timeout=400))
    run_and_kill(reader_cmd("--articles", folder, "--index", index, "index", "--rebuild"), 2.0, tmp_path)
    wait_for_no_orphans(str(index))
    # Besides whatever the kill left, the shapes a kill can leave at any moment:
    scratch = index / "articles.tmp"
    scratch.mkdir(exist_ok=True)
    (scratch / "leftover.pst").write_bytes(b"x" * 100)
    (index / "articles_zzzzkilled1234.seg").write_bytes(b"")  # an empty segment no table of contents names
    (index / "articles_zzzzkilled5678.pst").write_bytes(b"half")
    stale = index / ".links.json.abc123.tmp"
    stale.write_text("{")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    fresh = index / ".links.json.def456.tmp"  # a write in flight elsewhere: young, kept
    fresh.write_text("{")
    (folder / "gen-0003.md").write_text("---\nid: gen-0003\ntitle: Changed\n---\nChanged marker3 text.\n")
    result = run(reader_cmd("--articles", folder, "--index", index, "index"), timeout=400)
    assert_clean_exit(result)
    left = sorted(p.name for p in index.iterdir())
    assert "articles.tmp" not in left and not any("zzzzkilled" in name for name in left), left
    assert not stale.exists() and fresh.exists()
    toc = whoosh_index.open_dir(str(index), indexname="articles")._read_toc()
    named = {s.segment_id() for s in toc.segments}
    for name in left:  # every segment file on disk belongs to the live index
        if name.startswith("articles_") and not name.endswith((".toc", "_WRITELOCK")):
            assert name.split(".")[0] in named, (name, named)
    result = run(reader_cmd("--articles", folder, "--index", index, "search", "--json", "title:changed"))
    assert_clean_exit(result)
    assert json.loads(result.stdout)["total"] == 1
