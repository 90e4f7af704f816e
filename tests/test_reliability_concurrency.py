"""Concurrency with real processes: one writer at a time, readers never crash.

* ``reader search`` run again and again while another process rebuilds the
  index answers from the last committed index (or waits for the lock and then
  answers), and never crashes: exit codes 0/1 only, no traceback.
* Two ``reader index`` at once: one gets the lock, the other waits or says so
  in one line; the index is complete afterwards.
* A process holding the Whoosh write lock: ``reader search`` answers at once
  from the last complete index, with a message, while the holder still runs;
  ``reader index`` gives up after READER_WRITER_TIMEOUT with one line; once the
  holder is killed, the OS lock is gone and the next update succeeds.
* Two Library objects in one process (two TUIs would hold two) on one index:
  what one commits, the other sees on its next search (searcher refresh).
* Two ``reader import`` of different contents into one folder at once (with
  ``--replace`` or without): the second waits for the first's import lock,
  saying so once; every article is wholly one version, never the head of one
  and the tail of the other, and no temporary file is left.
* Curating commands at once (8 ``reader entities add``; an ``alias`` beside a
  ``reject``; the reader's own curating beside a command): every change lands
  in entities.yaml, none undoes another.

Waits are generous and never asserted as timings; the times are printed.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from reader.entities import load_entity_list
from reader.ingest import import_paths
from reader.library import Library

from proc_helpers import entries, leftovers, reader_cmd, subprocess_env

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "articles"
BUNDLED_IDS = sorted(p.stem for p in ARTICLES.glob("*.md"))
WORDS = ("market shares growth profit quarter bank trade minister talks election court climate energy "
         "factory export chip model network research union strike harvest storm league final").split()
LOCK_MESSAGE = "showing the last complete index"




def run(cmd: list[str], *, timeout: float = 240, **extra_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=subprocess_env(**extra_env))


def no_traceback(result: subprocess.CompletedProcess[str], codes: tuple[int, ...] = (0, 1)) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in codes, (result.returncode, result.stdout[-1500:], result.stderr[-1500:])


def one_line(stderr: str) -> bool:
    return stderr.count("\n") == 1 and stderr.startswith("reader: ")


def write_corpus(folder: Path, count: int, seed: int = 3) -> int:
    """``count`` generated articles; returns how many contain the word marker3."""
    rng = random.Random(seed)
    hits = 0
    for i in range(count):
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 50))) + "." for _ in range(3)]
        paragraphs.append(f"Tag marker{i % 7}.")
        hits += i % 7 == 3
        (folder / f"gen-{i:04d}.md").write_text(
            f"---\nid: gen-{i:04d}\ntitle: Generated {i}\nsource: Concurrency Wire\n---\n" + "\n\n".join(paragraphs) + "\n"
        )
    return hits


@pytest.fixture
def reaper(tmp_path: Path):
    """Processes this test starts are tracked and, if still running at the end, killed by pid."""
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def run_all(cmds: list[list[str]], reaper: list[subprocess.Popen],
            timeout: float = 300) -> list[subprocess.CompletedProcess[str]]:
    """Start every command at once (as close together as Popen allows), then wait for all."""
    procs = []
    for cmd in cmds:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=subprocess_env())
        reaper.append(proc)
        procs.append(proc)
    results = []
    for cmd, proc in zip(cmds, procs):
        out, err = proc.communicate(timeout=timeout)
        results.append(subprocess.CompletedProcess(cmd, proc.returncode, out, err))
    return results


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\n{text}\n")
    # make sure the change is seen even on a file system with coarse mtimes
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def search_json(folder: Path, index: Path, query: str, **env: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    # A full check of the folder at every search: these files are edited in
    # place, which a recent check's quick answer leaves to the next full one
    # (tests/test_quick_check.py).
    env = {"READER_CHECK_SECONDS": "0", **env}
    result = run(reader_cmd("--articles", folder, "--index", index, "search", "--json", query, "--limit", "3"), **env)
    no_traceback(result)
    return result, json.loads(result.stdout)


# --- a search while another process rebuilds ---------------------------------------------------

@pytest.mark.timeout(420)
def test_searches_while_another_process_rebuilds_never_crash(tmp_path: Path, reaper) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    hits = write_corpus(folder, 500)
    index = tmp_path / "index"
    Library(folder, index).update()  # a committed index to start from

    rebuild = subprocess.Popen(reader_cmd("--articles", folder, "--index", index, "index", "--rebuild"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=subprocess_env())
    reaper.append(rebuild)
    log = []
    changed = False
    started = time.monotonic()
    while len(log) < 25:
        running = rebuild.poll() is None
        if not running and len(log) >= 3:
            break
        if len(log) == 1 and not changed:
            # A change while the rebuild holds the lock: this search must wait or read the last commit.
            append(folder / "gen-0001.md", "zebracrossing")
            changed = True
        result, data = search_json(folder, index, "marker3")
        assert data["total"] == hits, data  # old index or new, the answer is the same
        waited = LOCK_MESSAGE in result.stderr
        if waited:
            assert all(line.startswith("reader: ") for line in result.stderr.splitlines()), result.stderr
        log.append((round(time.monotonic() - started, 2), running and rebuild.poll() is None, waited))
    out, err = rebuild.communicate(timeout=300)
    assert "Traceback" not in err, err
    assert rebuild.returncode == 0, err
    print("search (seconds since start, rebuild still running at the end, read last commit):", log)
    assert any(during for _, during, _ in log), "no search ran while the rebuild did"

    # After both: the next search brings the index up to date and the answers are right.
    result, data = search_json(folder, index, "zebracrossing")
    assert data["total"] == 1 and data["hits"][0]["id"] == "gen-0001", (data, result.stderr)
    library = Library(folder, index)
    assert library.update().changed == 0
    assert library.index.doc_count() == 505
    assert library.search("marker3").total == hits
    library.close()


# --- two index runs at once --------------------------------------------------------------------

@pytest.mark.timeout(420)
@pytest.mark.parametrize("existing", [False, True], ids=["first-build", "rebuild"])
def test_two_index_runs_at_once(tmp_path: Path, reaper, existing: bool) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    hits = write_corpus(folder, 250)
    index = tmp_path / "index"
    if existing:
        Library(folder, index).update()
    cmd = reader_cmd("--articles", folder, "--index", index, "index", *(["--rebuild"] if existing else []))
    procs = []
    for delay in (0.0, 0.6):
        time.sleep(delay)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=subprocess_env())
        reaper.append(proc)
        procs.append(proc)
    outcomes = []
    for proc in procs:
        out, err = proc.communicate(timeout=400)
        assert "Traceback" not in err, err
        if proc.returncode == 0:
            assert out.startswith("added "), out
        else:
            # The one that could not have the lock says so in one line.
            assert proc.returncode == 2 and one_line(err) and "another reader process" in err, (proc.returncode, err)
        outcomes.append((proc.returncode, err.strip()))
    print("two index runs:", outcomes)
    assert 0 in [code for code, _ in outcomes]
    # Whatever the order, the index is whole: nothing to do, and the counts match the files.
    library = Library(folder, index)
    report = library.update()
    assert (report.added, report.updated, report.deleted, report.unchanged) == (0, 0, 0, 255), report
    assert library.index.doc_count() == 255
    assert library.search("marker3").total == hits
    library.close()


# --- a process holding the write lock ------------------------------------------------------------

HOLDER = textwrap.dedent(
    """
    import sys, time
    from whoosh import index
    ix = index.open_dir(sys.argv[1], indexname="articles")
    writer = ix.writer()
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    """
)


@pytest.mark.timeout(300)
def test_search_answers_while_another_process_holds_the_write_lock(tmp_path: Path, reaper) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    index = tmp_path / "index"
    Library(folder, index).update()
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    holder = subprocess.Popen([sys.executable, str(script), str(index), "600"], stdout=subprocess.PIPE, text=True,
                              env=subprocess_env())
    reaper.append(holder)
    assert holder.stdout.readline().strip() == "locked"

    # Nothing changed: nothing to write, so the lock does not matter.
    result, data = search_json(folder, index, "Qualcomm")
    assert data["total"] >= 1 and LOCK_MESSAGE not in result.stderr

    # A changed file needs the writer: the search does not wait for it, and
    # answers from the last commit while the holder still runs.
    append(folder / "waic-2024-preview.md", "zebracrossing")
    started = time.monotonic()
    result, data = search_json(folder, index, "zebracrossing")
    waited = time.monotonic() - started
    print(f"search with the lock held elsewhere answered in {waited:.1f} s")
    assert holder.poll() is None
    assert LOCK_MESSAGE in result.stderr and one_line(result.stderr), result.stderr
    assert data["total"] == 0  # the last complete index predates the change

    # `reader index` gives up after READER_WRITER_TIMEOUT, in one line.
    result = run(reader_cmd("--articles", folder, "--index", index, "index"), READER_WRITER_TIMEOUT="1")
    no_traceback(result, codes=(2,))
    assert one_line(result.stderr) and "another reader process is updating the index" in result.stderr

    # The holder is killed: the OS lock dies with it and the next update goes through.
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    result, data = search_json(folder, index, "zebracrossing")
    assert LOCK_MESSAGE not in result.stderr
    assert data["total"] == 1 and data["hits"][0]["id"] == "waic-2024-preview"


# --- two libraries in one process ----------------------------------------------------------------

def test_two_libraries_in_one_process_see_each_others_commits(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    index = tmp_path / "index"
    first = Library(folder, index)
    first.update()
    second = Library(folder, index)
    assert second.update().changed == 0
    assert second.search("zebracrossing").total == 0  # the second library's searcher is open now
    assert sorted(r.id for r in second.rows()) == BUNDLED_IDS

    append(folder / "waic-2024-preview.md", "zebracrossing")
    assert first.update().updated == 1
    result = second.search("zebracrossing")
    assert result.total == 1 and result.hits[0].id == "waic-2024-preview"
    assert "zebracrossing" in second.article("waic-2024-preview").body

    # A new article and a deleted one: the other library's list, search and
    # cross-references follow (a refreshed searcher keeps no stale segment).
    (folder / "new-one.md").write_text("---\nid: new-one\ntitle: Okapi sighting\n---\nAn okapi met Elon Musk.\n")
    (folder / "waic-2024-opening-speakers.md").unlink()
    report = first.update()
    assert (report.added, report.deleted) == (1, 1)
    ids = sorted(r.id for r in second.rows())
    assert "new-one" in ids and "waic-2024-opening-speakers" not in ids and len(ids) == 5
    assert second.search("okapi").total == 1
    assert [h.id for h in second.search("okapi").hits] == ["new-one"]
    assert all(h.id != "waic-2024-opening-speakers" for h in second.search("china", limit=50).hits)
    assert "new-one" in {ref.id for ref in second.articles_for("elon-musk")}
    assert second.update().changed == 0  # the work was done once, by the first

    # Both at once from threads (as two TUIs' workers would): edits and updates
    # through one, searches through the other; no exception, right answers.
    errors: list[BaseException] = []
    stop = threading.Event()

    def searcher() -> None:
        try:
            while not stop.is_set():
                assert second.search("okapi").total == 1
                second.rows()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=searcher)
    thread.start()
    try:
        for n in range(8):
            append(folder / "new-one.md", f"word{n}x")
            first.update()
    finally:
        stop.set()
        thread.join(timeout=120)
    assert not errors, errors
    assert second.search("word7x").total == 1
    first.close()
    second.close()


# --- two imports into one folder at once ---------------------------------------------------------

IMPORT_RECORDS = 600
IMPORT_ROUNDS = 4


def write_version(path: Path, version: str) -> None:
    """The same ids in two versions: "short" a line, "long" a hundred times as long, so a
    torn file (the short one's head over the long one's tail) can never pass for either."""
    path.parent.mkdir(parents=True)
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(IMPORT_RECORDS):
            if version == "short":
                body = f"Short version of record {i}."
            else:
                body = "\n\n".join(f"Long version of record {i}, paragraph {n}: " + " ".join(WORDS) + "."
                                   for n in range(12))
            record = {"id": f"{i}", "title": f"Record {i} ({version})", "body": body, "source": "Race Wire"}
            handle.write(json.dumps(record) + "\n")


@pytest.mark.timeout(600)
@pytest.mark.parametrize("replace", [True, False], ids=["replace", "no-replace"])
def test_two_imports_into_one_folder_never_tear_an_article(tmp_path: Path, reaper, replace: bool) -> None:
    sources = {v: tmp_path / v / "records.jsonl" for v in ("short", "long")}
    versions: dict[str, dict[str, bytes]] = {}
    for version, path in sources.items():
        write_version(path, version)
        reference = tmp_path / f"reference-{version}"
        assert len(import_paths([path], reference).added) == IMPORT_RECORDS
        versions[version] = {name: (reference / name).read_bytes() for name in entries(reference)}
    assert versions["short"].keys() == versions["long"].keys()
    flags = ["--replace"] if replace else []
    waited = []
    for round_ in range(IMPORT_ROUNDS):
        folder = tmp_path / f"articles-{round_}"
        folder.mkdir()
        if replace:  # every id exists already, so both imports overwrite every file
            import_paths([sources["short" if round_ % 2 else "long"]], folder)
        order = ("short", "long") if round_ % 2 == 0 else ("long", "short")
        results = run_all([reader_cmd("--articles", folder, "--index", tmp_path / f"index-{round_}-{v}",
                                      "import", sources[v], *flags) for v in order], reaper)
        for result in results:
            no_traceback(result, codes=(0,))
            assert "failed" not in result.stderr and "No such file" not in result.stderr, result.stderr
            assert result.stderr.count("waiting for another import") <= 1, result.stderr
        waited.append(sum("waiting for another import into" in r.stderr for r in results))
        assert leftovers(folder) == [], f"round {round_}: temporary files left"
        names = entries(folder)
        assert names == sorted(versions["short"]), f"round {round_}: {len(names)} files"
        whole = {}
        for name in names:
            data = (folder / name).read_bytes()
            matches = [v for v in versions if versions[v][name] == data]
            assert matches, f"round {round_}: {name} is torn: {data[:120]!r}...{data[-120:]!r}"
            whole[name] = matches[0]
        # The imports ran one after the other, so the folder is one version throughout:
        # the last one with --replace, else the first (the second skipped every id).
        assert len(set(whole.values())) == 1, f"round {round_}: versions mixed {sorted(set(whole.values()))}"
    print("imports that waited for the lock, per round:", waited)
    assert any(waited), "the two imports never overlapped"


def test_an_import_removes_what_a_killed_import_left(tmp_path: Path, reaper) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    # A real process that dies (SIGKILL) after writing a temporary file named as an import
    # names its own: what a killed import leaves, with a pid that is now dead.
    killed = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import os, signal, tempfile
        fd, name = tempfile.mkstemp(prefix=".9.md." + str(os.getpid()) + ".", suffix=".import.tmp",
                                    dir={str(folder)!r})
        os.write(fd, b"---\\nid: 9\\ntitle: torn")
        print(name, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)], stdout=subprocess.PIPE, text=True)
    dead = Path(killed.communicate(timeout=60)[0].strip())
    assert killed.returncode == -signal.SIGKILL and dead.exists()
    # A live writer's fresh file stays; its file that is an hour old (pid reused) goes, and
    # so does an hour-old file in the old naming, which named no process.
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    reaper.append(live)
    fresh = folder / f".8.md.{live.pid}.abcd1234.import.tmp"
    old_live = folder / f".7.md.{live.pid}.efgh5678.import.tmp"
    old_style = folder / ".6.md.import.tmp"
    for path in (fresh, old_live, old_style):
        path.write_text("---\nid: torn\n")
    hour_ago = time.time() - 3600
    for path in (old_live, old_style):
        os.utime(path, (hour_ago, hour_ago))
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"id": "one", "body": "One whole article."}) + "\n")
    result = run(reader_cmd("--articles", folder, "--index", tmp_path / "index", "import", source))
    no_traceback(result, codes=(0,))
    assert leftovers(folder) == [fresh.name]
    assert (folder / "one.md").is_file()
    live.kill()
    live.wait(timeout=30)
    run(reader_cmd("--articles", folder, "--index", tmp_path / "index", "import", source))
    assert leftovers(folder) == []  # its owner is gone now


# --- curating commands at once -------------------------------------------------------------------

def curate_cmd(folder: Path, index: Path, *args: str) -> list[str]:
    return reader_cmd("--articles", folder, "--index", index, "entities", *args)


@pytest.mark.timeout(600)
def test_eight_concurrent_adds_all_land(tmp_path: Path, reaper) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    before = {e.id for e in load_entity_list(folder)}
    names = [f"Race Company {n}" for n in range(8)]
    # An index each: the race is over entities.yaml, not over Whoosh's write lock.
    results = run_all([curate_cmd(folder, tmp_path / f"index-{n}", "add", name, "--kind", "company")
                       for n, name in enumerate(names)], reaper)
    for result in results:
        no_traceback(result, codes=(0,))
    after = load_entity_list(folder)
    assert {e.id for e in after} == before | {f"race-company-{n}" for n in range(8)}
    assert sorted(e.name for e in after if e.name.startswith("Race Company")) == names
    assert leftovers(folder) == []


@pytest.mark.timeout(600)
def test_an_alias_beside_a_reject_both_land(tmp_path: Path, reaper) -> None:
    for round_ in range(3):
        folder = tmp_path / f"articles-{round_}"
        shutil.copytree(ARTICLES, folder)
        order = [("alias", f"Mr Musk {round_}", "--to", "Elon Musk"), ("reject", f"Noise Word {round_}")]
        if round_ % 2:
            order.reverse()
        results = run_all([curate_cmd(folder, tmp_path / f"index-{round_}-{n}", *args)
                           for n, args in enumerate(order)], reaper)
        for result in results:
            no_traceback(result, codes=(0,))
        after = load_entity_list(folder)
        assert f"Mr Musk {round_}" in after.get("elon-musk").names, f"round {round_}: the alias was lost"
        assert f"Noise Word {round_}" in after.ignore, f"round {round_}: the reject was lost"
        assert leftovers(folder) == []


@pytest.mark.timeout(600)
def test_the_readers_curating_and_a_command_at_once_both_land(tmp_path: Path, reaper) -> None:
    """The reader's a/m/x call Library.curate (in a worker thread): the same locked
    read-change-write as the command line, so neither undoes the other. The reader
    rejects name after name for as long as the command runs."""
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    library = Library(folder, tmp_path / "index-ui")
    library.update()
    rejected: list[str] = []
    for round_ in range(3):
        command = subprocess.Popen(curate_cmd(folder, tmp_path / f"index-cli-{round_}", "add", f"Cli Company {round_}",
                                              "--kind", "company"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=subprocess_env())
        reaper.append(command)
        while command.poll() is None:
            rejected.append(f"Ui Noise {len(rejected)}")
            library.curate("reject", rejected[-1])
        out, err = command.communicate(timeout=300)
        no_traceback(subprocess.CompletedProcess(command.args, command.returncode, out, err), codes=(0,))
        after = load_entity_list(folder)
        assert after.get(f"cli-company-{round_}") is not None, f"round {round_}: the command's add was lost"
        assert set(rejected) <= set(after.ignore), f"round {round_}: lost {set(rejected) - set(after.ignore)}"
    print("names the reader rejected while the commands ran:", len(rejected))
    library.close()
