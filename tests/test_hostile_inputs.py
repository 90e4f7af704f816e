"""Hostile input: a clear one-line error or a correct result, never a traceback or a hang.

Each test feeds one kind of bad input to the real code paths (mostly the
``reader`` command run in process, whose uncaught exception would fail the
test just as a traceback would; subprocesses where a crash, a memory blow-up
or a segfault must be seen from outside). Every test has a timeout, so a hang
fails instead of blocking the run. The read-only articles folder is covered in
test_reliability_kill.py (``test_reading_commands_work_on_a_read_only_folder_and_import_refuses``,
``test_import_refuses_a_read_only_folder_in_process``).
"""

from __future__ import annotations

import errno
import json
import os
import random
import resource
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from reader.cli import main
from reader.corpus import ID_PATTERN, iter_article_files, load_article, load_corpus
from reader.entities import EntityListError, load_entity_list
from reader.frontmatter import FrontMatterError, parse
from reader.ingest import import_paths
from reader.library import Library
from reader.search import QueryError

from proc_helpers import entries, leftovers, reader_cmd, subprocess_env

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "articles"
BUNDLED_IDS = sorted(p.stem for p in ARTICLES.glob("*.md"))
# Characters that must never reach the terminal: C0 controls but tab and
# newline, DEL, C1 controls (8-bit CSI/OSC), and direction overrides.
FORBIDDEN = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {chr(c) for c in range(0x7F, 0xA0)} | set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def forbidden_in(text: str) -> list[str]:
    return sorted({repr(c) for c in text if c in FORBIDDEN})




def limited_memory(limit: int = 1536 * 1024 * 1024):
    """preexec_fn: cap the address space, so an expanding YAML bomb fails the run."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run_limited(cmd: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=subprocess_env(),
                          preexec_fn=limited_memory())


def assert_error_lines(stderr: str) -> list[str]:
    """Every line on stderr is a one-line ``reader: ...`` message (usage lines aside)."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if not line.startswith("usage:")]
    for line in lines:
        assert line.startswith("reader: "), f"not a one-line message: {line!r}"
    return lines


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "articles"
    shutil.copytree(ARTICLES, dest)
    return dest


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """`reader --articles FOLDER --index TMP ...` in process: (code, stdout, stderr)."""

    def run(folder: Path, *args: object, index: Path | None = None) -> tuple[int, str, str]:
        code = main(["--articles", str(folder), "--index", str(index or tmp_path / "index"), *map(str, args)])
        out, err = capsys.readouterr()
        assert_error_lines(err)
        assert code in (0, 1, 2)
        return code, out, err

    return run


def listed_ids(cli, folder: Path) -> list[str]:
    code, out, _ = cli(folder, "list", "--json")
    assert code == 0
    return sorted(a["id"] for a in json.loads(out)["articles"])


# --- front matter -----------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_broken_front_matter_is_reported_with_path_and_line_and_the_rest_opens(folder: Path, cli) -> None:
    (folder / "broken.md").write_text("---\nid: broken\ntitle: [unclosed\ndate: 2024-07-01\n---\nBody.\n")
    (folder / "unclosed.md").write_text("---\nid: unclosed\ntitle: never closed\nBody without an end.\n")
    (folder / "not-a-mapping.md").write_text("---\n- a\n- list\n---\nBody.\n")
    (folder / "bad-date.md").write_text("---\nid: bad-date\ndate: yesterday\n---\nBody.\n")
    (folder / "bad-id.md").write_text("---\nid: has space/slash\n---\nBody.\n")
    (folder / "tabs.md").write_text("---\nid: tabs\n\ttitle: x\n---\nBody.\n")
    # PyYAML builds dates itself and raised a plain ValueError here: every command crashed.
    (folder / "typo-date.md").write_text("---\nid: typo-date\ndate: 2024-02-30\nflag: !!bool maybe\n---\nBody.\n")
    code, out, err = cli(folder, "list")
    assert code == 0
    assert listed_ids(cli, folder) == BUNDLED_IDS
    lines = assert_error_lines(err)
    for name in ("broken.md", "unclosed.md", "not-a-mapping.md", "bad-date.md", "bad-id.md", "tabs.md", "typo-date.md"):
        assert [line for line in lines if name in line], f"{name} is not reported: {lines}"
    assert any("broken.md: line 4: front matter:" in line for line in lines), lines  # where YAML notices
    code, _, err = cli(folder, "show", "broken")
    assert code == 1 and "no article with id 'broken'" in err
    entities = folder / "entities.yaml"
    entities.write_text(entities.read_text().replace("ignore: []", "ignore: []\nupdated: 2024-02-30"))
    code, _, err = cli(folder, "list")
    lines = assert_error_lines(err)
    assert code == 2 and len(lines) == 1 and "entities.yaml" in lines[0] and "day is out of range" in lines[0]


@pytest.mark.timeout(60)
def test_unknown_yaml_tags_are_refused_and_never_run(tmp_path: Path, folder: Path, cli) -> None:
    marker = tmp_path / "pwned"
    payloads = [
        f"!!python/object/apply:os.system ['touch {marker}']",
        f"!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "!!python/name:os.system",
        "!custom-tag value",
    ]
    for n, payload in enumerate(payloads):
        (folder / f"tag-{n}.md").write_text(f"---\nid: tag-{n}\ntitle: {payload}\n---\nBody.\n")
    code, _, err = cli(folder, "list")
    assert code == 0 and not marker.exists()
    assert sum("tag" in line and "line 3" in line for line in err.splitlines()) == len(payloads), err
    assert listed_ids(cli, folder) == BUNDLED_IDS
    # The same tag in the entity list and in the user's cleaning rules: one line, exit 2.
    entities = folder / "entities.yaml"
    entities.write_text(f"entities:\n  - name: Evil\n    kind: {payloads[0]}\n")
    code, _, err = cli(folder, "list")
    assert code == 2 and len(assert_error_lines(err)) == 1 and "entities.yaml" in err and not marker.exists()
    shutil.copy(ARTICLES / "entities.yaml", entities)
    (folder / "cleaning.yaml").write_text(f"rules:\n  - name: x\n    pattern: {payloads[0]}\n")
    source = tmp_path / "in.txt"
    source.write_text("Title\n\nBody text.\n")
    code, _, err = cli(folder, "import", source)
    assert code == 2 and len(assert_error_lines(err)) == 1 and "cleaning.yaml" in err and not marker.exists()


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(60)
def test_alias_bomb_and_deep_nesting_in_front_matter_fail_fast(tmp_path: Path, folder: Path) -> None:
    # In process: the parser refuses at once (9**9 strings if it expanded).
    started = time.perf_counter()
    with pytest.raises(FrontMatterError, match="aliases"):
        parse("---\n" + alias_bomb() + "---\nBody.\n")
    print(f"alias bomb refused in {time.perf_counter() - started:.4f} s")
    merge_bomb = "base: &b {x: 1}\nchild:\n  <<: *b\n"
    with pytest.raises(FrontMatterError):
        parse("---\n" + merge_bomb + "---\nBody.\n")
    # In a real process with 1.5 GB of address space: a blow-up or a C-stack
    # overflow (the C loader recurses on deep nesting) would kill it.
    (folder / "bomb.md").write_text("---\nid: bomb\n" + alias_bomb() + "---\nBody.\n")
    (folder / "deep-flow.md").write_text("---\nid: deep-flow\nx: " + "[" * 200_000 + "]" * 200_000 + "\n---\nBody.\n")
    (folder / "deep-block.md").write_text(
        "---\nid: deep-block\nx:\n" + "".join("  " * i + "- \n" for i in range(1, 3000)) + "---\nBody.\n")
    result = run_limited(reader_cmd("--articles", folder, "--index", tmp_path / "index", "list", "--json"))
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    lines = assert_error_lines(result.stderr)
    assert sorted(a["id"] for a in json.loads(result.stdout)["articles"]) == BUNDLED_IDS
    assert any("bomb.md" in line and "aliases" in line for line in lines), lines
    assert any("deep-flow.md" in line and "nest" in line for line in lines), lines  # nested / nesting (PyYAML 6.0.4+)
    assert any("deep-block.md" in line for line in lines), lines


@pytest.mark.timeout(60)
def test_alias_bomb_in_entities_yaml_fails_fast(tmp_path: Path, folder: Path) -> None:
    entities = folder / "entities.yaml"
    entities.write_text(alias_bomb() + "entities:\n  - name: Lol\n    kind: company\n    aliases: *a9\n")
    started = time.perf_counter()
    with pytest.raises(EntityListError, match="aliases"):
        load_entity_list(folder)
    print(f"entity list bomb refused in {time.perf_counter() - started:.4f} s")
    before = entities.read_bytes()
    for args in (["list"], ["entities", "add", "Someone New", "--kind", "person"]):
        result = run_limited(reader_cmd("--articles", folder, "--index", tmp_path / "index", *args))
        assert result.returncode == 2, (args, result.returncode, result.stderr[-2000:])
        lines = assert_error_lines(result.stderr)
        assert len(lines) == 1 and "entities.yaml" in lines[0] and "aliases" in lines[0], lines
    assert entities.read_bytes() == before  # curating never rewrote the refused file
    entities.write_text("entities: " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = run_limited(reader_cmd("--articles", folder, "--index", tmp_path / "index", "list"))
    assert result.returncode == 2 and len(assert_error_lines(result.stderr)) == 1, result.stderr[-2000:]


# --- bytes ----------------------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_invalid_utf8_is_reported_with_its_offset(tmp_path: Path, folder: Path, cli) -> None:
    (folder / "latin1.md").write_bytes("---\nid: latin1\n---\nCaf\xe9 cr\xe8me.\n".encode("latin-1"))
    (folder / "truncated.md").write_bytes("---\nid: truncated\n---\nEnds in half a character \u20ac".encode()[:-1])
    code, _, err = cli(folder, "list")
    assert code == 0 and listed_ids(cli, folder) == BUNDLED_IDS
    assert any("latin1.md" in line and "not valid UTF-8 (byte 0xe9 at offset" in line for line in err.splitlines())
    assert any("truncated.md" in line and "UTF-8" in line for line in err.splitlines())
    source = tmp_path / "in"
    source.mkdir()
    (source / "bad.txt").write_bytes(b"Title\n\nBad \xff byte.\n")
    (source / "good.txt").write_text("Good title\n\nGood text.\n")
    (source / "records.jsonl").write_bytes(
        b'{"id": "ok-1", "body": "Fine text."}\n{"id": "bad-1", "body": "Bad \xff."}\n{"id": "ok-2", "body": "More."}\n')
    report = import_paths([source], folder)
    assert sorted(report.added) == ["good", "ok-1", "ok-2"]
    reasons = dict(report.failed)
    assert "UTF-8" in reasons[str(source / "bad.txt")] and "UTF-8" in reasons["records.jsonl:2"]


@pytest.mark.timeout(60)
def test_nul_and_control_bytes_are_removed_everywhere(tmp_path: Path, folder: Path, cli) -> None:
    raw = ("---\nid: controls\ntitle: \"Ti\\0tle\\x07 with\\x08 controls\"\nsource: \"Wire\\x1f\"\n---\n"
           "Body\x00 with NUL\x00, bell\x07, backspace\x08, form feed\x0c, DEL\x7f and C1\x85\x80\x9f.\r\nCRLF line.\rCR.\n")
    (folder / "controls.md").write_text(raw)
    code, out, _ = cli(folder, "show", "--json", "controls")
    assert code == 0
    data = json.loads(out)
    for key in ("title", "source", "body"):
        assert not forbidden_in(data[key]), (key, data[key])
    assert data["title"] == "Title with controls" and data["source"] == "Wire"
    assert "Body with NUL, bell, backspace, form feed, DEL and C1." in data["body"]
    assert "\r" not in data["body"] and "CRLF line.\nCR." in data["body"]
    source = tmp_path / "nul.txt"
    source.write_bytes(b"Nul\x00 title\x07\n\nText\x00 with\x00 NULs\x1b[2J.\n")
    code, _, _ = cli(folder, "import", source)
    assert code == 0
    article = load_article(folder / "nul.md", folder)
    assert article.title == "Nul title" and article.body == "Text with NULs."
    assert not forbidden_in((folder / "nul.md").read_text())


@pytest.mark.timeout(90)
def test_terminal_escapes_never_reach_the_output(tmp_path: Path, folder: Path, cli) -> None:
    esc = "\x1b[31mred\x1b[0m \x1b]0;owned title\x07 \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ " \
          "\x1b]52;c;cm0gLXJmIH4=\x07 \x1bP+q\x1b\\ \x9b2J \x9d0;t\x9c \u202eevil\u202c \x1b[?1049h \x1bc"
    (folder / "escapes.md").write_text(
        "---\nid: escapes\ntitle: " + json.dumps("Esc " + esc) + "\nsource: " + json.dumps("Src " + esc)
        + "\nauthor: " + json.dumps("Au " + esc) + "\n---\n"
        + f"Escapes {esc} in the body. Elon Musk {esc} spoke.\n\nEscapee Holdings Ltd said {esc}.\n")
    entities = folder / "entities.yaml"
    text = entities.read_text()
    assert text.rstrip().endswith("ignore: []")
    entry = "  - name: " + json.dumps("Esc\x1b[31m Corp\x07") + "\n    kind: company\n"
    entities.write_text(text.replace("ignore: []", entry + "ignore: []"))
    outputs = []
    for args in (["list"], ["list", "--json"], ["show", "escapes"], ["show", "--json", "escapes"],
                 ["search", "escapes"], ["search", "--json", "\x1b[31mred"], ["search", "owned"],
                 ["mentions", "escapes"], ["mentions", "--json", "escapes"], ["xref", "escapes"],
                 ["entity", "Elon Musk"], ["entity", "--json", "Esc Corp"], ["entities"],
                 ["entities", "--json", "--status", "discovered"], ["show", "\x1b]0;x\x07"]):
        code, out, err = cli(folder, *args)
        assert not forbidden_in(out) and not forbidden_in(err), (args, forbidden_in(out + err))
        outputs.append(out)
    shown = json.loads(outputs[3])
    assert shown["title"].startswith("Esc red") and "link" in shown["body"] and "evil" in shown["body"]
    assert "Esc Corp" in outputs[11]
    # Through the subprocess too: the bytes on the real stdout carry no ESC.
    result = subprocess.run(reader_cmd("--articles", folder, "--index", tmp_path / "index", "show", "escapes"),
                            capture_output=True, timeout=60, env=subprocess_env())
    assert result.returncode == 0 and b"\x1b" not in result.stdout + result.stderr
    assert b"\xc2\x9b" not in result.stdout and b"\x07" not in result.stdout


# --- size -------------------------------------------------------------------------------------------

@pytest.mark.timeout(120)
def test_50mb_article_is_refused_and_the_rest_of_the_corpus_opens(tmp_path: Path, folder: Path, cli) -> None:
    chunk = b"All work and no play makes Jack a dull boy. " * 1000
    with open(folder / "huge.md", "wb") as handle:
        handle.write(b"---\nid: huge\ntitle: Huge\n---\n")
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            handle.write(chunk)
    started = time.perf_counter()
    code, _, err = cli(folder, "list")
    listed = time.perf_counter() - started
    assert code == 0 and listed_ids(cli, folder) == BUNDLED_IDS
    lines = assert_error_lines(err)
    assert any("huge.md" in line and "over the 16 MB limit" in line for line in lines), lines
    # Import refuses it with the same reason, from a text file and from a JSON Lines record.
    big_txt = tmp_path / "huge.txt"
    shutil.move(folder / "huge.md", big_txt)
    big_jsonl = tmp_path / "huge.jsonl"
    with open(big_jsonl, "w") as handle:
        handle.write(json.dumps({"id": "huge-record", "body": "word " * (17 * 1024 * 1024 // 5)}) + "\n")
        handle.write(json.dumps({"id": "small-record", "body": "A small one."}) + "\n")
    code, out, err = cli(folder, "import", big_txt, big_jsonl)
    assert code == 0 and out.startswith("added 1,")
    assert any("huge.txt" in line and "limit" in line for line in err.splitlines()), err
    assert any("huge.jsonl:1" in line and "limit" in line for line in err.splitlines()), err
    print(f"list with a 50 MB article: {listed:.1f} s")


def one_megabyte_line() -> str:
    """A scrape that lost its line breaks: the bundled stories, run together into one 1 MB line."""
    corpus = load_corpus(ARTICLES)
    text = " ".join(" ".join(a.body.split()) for a in corpus.articles)
    return (text + " ") * (1024 * 1024 // len(text) + 1)


@pytest.mark.timeout(180)
def test_a_1mb_single_line_imports_and_indexes(tmp_path: Path, folder: Path, cli) -> None:
    source = tmp_path / "one-line.txt"
    line = one_megabyte_line()[: 1024 * 1024]
    source.write_text(line + "\n")
    timings = {}
    started = time.perf_counter()
    code, out, err = cli(folder, "import", source)
    timings["import and index"] = time.perf_counter() - started
    assert code == 0 and out.startswith("added 1,"), (out, err)
    article = load_article(folder / "one-line.md", folder)
    assert len(article.body) > 1_000_000 and "\n" not in article.body
    started = time.perf_counter()
    code, out, _ = cli(folder, "search", "--json", "Qualcomm sponsor", "--limit", "3")
    timings["search"] = time.perf_counter() - started
    hits = json.loads(out)["hits"]
    assert code == 0 and "one-line" in [h["id"] for h in hits]
    hit = next(h for h in hits if h["id"] == "one-line")
    assert len(hit["snippet"]) < 400 and hit["highlights"]
    for start, end in hit["highlights"]:
        assert 0 <= start < end <= len(hit["snippet"])
    started = time.perf_counter()
    code, out, _ = cli(folder, "mentions", "--json", "one-line")
    timings["mentions"] = time.perf_counter() - started
    mentions = json.loads(out)["mentions"]
    assert code == 0 and len(mentions) > 1000
    assert all(article.body[m["start"]:m["end"]] == m["text"] for m in mentions[:200])
    print("1 MB single line:", {k: round(v, 1) for k, v in timings.items()})


# How many tiny files: the issue asks for 100,000. On this 2-core machine, busy
# with other work, importing 100,000 took 237 s of wall time (42 s of CPU:
# the rest is waiting for the disk and the CPU), 10,000 took 10-16 s. So the
# default is 25,000, which runs in about a minute here; set
# READER_TINY_FILES=100000 to run the full size (the code path is the same,
# and nothing in it grows faster than the number of files).
TINY_FILES = int(os.environ.get("READER_TINY_FILES", 25_000))


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_folder_of_many_tiny_files_imports(tmp_path: Path, folder: Path) -> None:
    source = tmp_path / "tiny"
    started = time.perf_counter()
    for i in range(TINY_FILES):
        if i % 1000 == 0:
            sub = source / f"{i // 1000:03d}"
            sub.mkdir(parents=True)
        with open(sub / f"note-{i}.txt", "w") as handle:
            handle.write(f"Note {i}\nWord{i} alpha beta.\n")
    generated = time.perf_counter() - started
    started = time.perf_counter()
    # What `reader import` runs before it indexes (indexing 25,000 or 100,000
    # articles is the benchmarks' business, bench/bench_scale.py).
    report = import_paths([source], folder)
    elapsed = time.perf_counter() - started
    print(f"{TINY_FILES} tiny files: generated in {generated:.1f} s, imported in {elapsed:.1f} s "
          f"({TINY_FILES / elapsed:.0f} files/s)")
    assert len(report.added) == TINY_FILES and not report.failed and not report.skipped
    names = [p.name for p in iter_article_files(folder)]
    assert len(names) == TINY_FILES + 5
    assert not leftovers(folder)
    for i in random.Random(5).sample(range(TINY_FILES), 20):
        article = load_article(folder / f"{i // 1000:03d}-note-{i}.md", folder)
        assert article.title == f"Note {i}" and article.body == f"Word{i} alpha beta."


def test_hostile_json_lines_fail_alone_in_a_real_import(tmp_path: Path, folder: Path) -> None:
    """A lone surrogate, nesting 5,000 deep, a 5,000-digit integer and garbage
    bytes, between good records: the real command imports every good record,
    the surrogate one with U+FFFD, and says one line per bad record."""
    deep = "[" * 5000 + "]" * 5000
    lines = [
        json.dumps({"id": "first", "body": "The first good record."}).encode(),
        b'{"id": "lone", "title": "Half \\ud800 a pair", "body": "Text \\udc00 here.", "tag": "\\udbff"}',
        ('{"id": "deep", "body": "Deep.", "extra": %s}' % deep).encode(),
        deep.encode(),
        ('{"id": "huge", "body": "Huge.", "count": %s}' % ("9" * 5000)).encode(),
        b'{"id": "garbage", "body": "\xff\xfe\x00"}',
        b"\x00\x01{not json",
        json.dumps({"id": "last", "body": "The last good record."}).encode(),
    ]
    source = tmp_path / "hostile.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    result = run_limited(reader_cmd("--articles", folder, "--index", tmp_path / "index", "import", source),
                         timeout=120)
    errors = assert_error_lines(result.stderr)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("added 3, replaced 0, skipped 0, failed 5"), result.stdout
    failed = {int(line.split(":", 3)[2]): line for line in errors if line.startswith("reader: failed hostile.jsonl:")}
    assert sorted(failed) == [3, 4, 5, 6, 7] and len(errors) == 5, errors
    for number in (3, 4, 5, 7):
        assert f"hostile.jsonl:{number}: invalid JSON: " in failed[number], failed[number]
    assert "not valid UTF-8" in failed[6]
    for line in errors:  # no exception class, and no hostile value echoed whole
        assert "Error" not in line and len(line) < 200, line
    lone = load_article(folder / "lone.md")
    assert (lone.title, lone.body, lone.extra["tag"]) == ("Half \ufffd a pair", "Text \ufffd here.", "\ufffd")
    assert load_article(folder / "first.md").body == "The first good record."
    assert load_article(folder / "last.md").body == "The last good record."


@pytest.mark.timeout(60)
def test_empty_files_are_reported_not_fatal(tmp_path: Path, folder: Path, cli) -> None:
    (folder / "empty.md").write_bytes(b"")
    (folder / "blank.md").write_text("\n\n   \n")
    (folder / "only-front-matter.md").write_text("---\nid: only\ntitle: Nothing else\n---\n")
    code, _, err = cli(folder, "list")
    assert code == 0 and listed_ids(cli, folder) == BUNDLED_IDS
    for name, reason in (("empty.md", "empty file"), ("blank.md", "no text"), ("only-front-matter.md", "no text")):
        assert any(name in line and reason in line for line in err.splitlines()), (name, err)
    source = tmp_path / "in"
    source.mkdir()
    (source / "empty.txt").write_bytes(b"")
    (source / "blank.txt").write_text(" \n\t\n")
    (source / "title-only.txt").write_text("Just a title\n")
    (source / "empty.jsonl").write_bytes(b"")
    (source / "blank-lines.jsonl").write_text("\n\n  \n")
    (source / "empty-body.jsonl").write_text('{"id": "e", "body": ""}\n{}\n[]\nnull\n"text"\n')
    code, out, err = cli(folder, "import", source)
    assert code == 2 and out.startswith("added 0,")  # nothing but failures
    failed = [line for line in err.splitlines() if line.startswith("reader: failed")]
    assert len(failed) == 3 + 5, err
    assert listed_ids(cli, folder) == BUNDLED_IDS


# --- the file system --------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_symlink_loops_and_links_out_of_the_folder_during_import(tmp_path: Path, folder: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret title\n\nSECRET-TEXT that must not be imported.\n")
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    (source / "real.txt").write_text("Real title\n\nReal text.\n")
    (source / "sub" / "nested.txt").write_text("Nested title\n\nNested text.\n")
    os.symlink(outside / "secret.txt", source / "out.txt")
    os.symlink(outside, source / "outdir")
    os.symlink("loop.txt", source / "loop.txt")
    os.symlink("ping.txt", source / "pong.txt")
    os.symlink("pong.txt", source / "ping.txt")
    os.symlink("missing.txt", source / "broken.txt")
    os.symlink("..", source / "sub" / "up")
    os.symlink(".", source / "here")
    os.symlink(source / "real.txt", source / "alias.txt")  # inside: allowed
    report = import_paths([source], folder)
    assert sorted(report.added) == ["alias", "real", "sub-nested"]
    reasons = {Path(origin).name: reason for origin, reason in report.skipped + report.failed}
    assert "outside" in reasons["out.txt"]
    assert "not followed" in reasons["outdir"] and "not followed" in reasons["up"] and "not followed" in reasons["here"]
    for name in ("loop.txt", "ping.txt", "pong.txt", "broken.txt"):
        assert "looping" in reasons[name], (name, reasons)
    assert not any("SECRET" in p.read_text() for p in iter_article_files(folder))
    # Reading a folder with a link loop and a link out: the walk ends, nothing is followed twice.
    os.symlink("loop.md", folder / "loop.md")
    os.symlink(".", folder / "self")
    os.symlink(outside, folder / "outdir")
    corpus = load_corpus(folder)
    assert sorted(a.id for a in corpus.articles) == sorted(BUNDLED_IDS + ["alias", "real", "sub-nested"])
    assert any("loop.md" in e.path for e in corpus.errors)
    library = Library(folder, tmp_path / "index")
    assert library.update().added == 8
    library.close()


HOSTILE_IDS = ["../x", "../../../../tmp/evil", "/etc/passwd", "..", ".", ".hidden", "...", "a/../../b",
               "x" * 5000, "nul\x00id", "\x1b]0;t\x07esc", "\u202egnp.exe", "日本語", "   ", "-", "CON", "a" * 199 + "/b",
               "entities.yaml", "..\\..\\win", "~root", "$(touch pwned)", "%2e%2e%2fx"]


@pytest.mark.timeout(60)
def test_ids_that_try_to_escape_the_folder_stay_inside(tmp_path: Path, folder: Path, cli) -> None:
    def tree() -> set[str]:
        return {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")
                if folder not in p.parents and p != folder and "index" not in p.parts}

    source = tmp_path / "records.jsonl"
    with open(source, "w") as handle:
        for n, raw in enumerate(HOSTILE_IDS):
            handle.write(json.dumps({"id": raw, "title": f"Hostile {n}", "body": f"Hostile id number {n}."}) + "\n")
    markdown = tmp_path / "escape.md"
    markdown.write_text("---\nid: ../../escape\n---\nBody.\n")
    weird = tmp_path / "..txt"
    weird.write_text("Title\n\nBody.\n")
    before = tree()
    report = import_paths([source, markdown, weird], folder)
    assert tree() == before, "a file was written outside the articles folder"
    assert not Path("/etc/passwd.md").exists() and not (tmp_path / "pwned").exists()
    for art_id in report.added:
        assert ID_PATTERN.match(art_id) and not art_id.startswith(".")
        path = folder / f"{art_id}.md"
        assert path.parent == folder and load_article(path, folder).id == art_id
    assert len(report.added) + len(report.failed) + len(report.skipped) == len(HOSTILE_IDS) + 2
    failed = dict(report.failed)
    assert str(markdown) in failed and str(weird) in failed
    assert set(entries(folder)) == {f"{i}.md" for i in report.added} | {p.name for p in ARTICLES.iterdir()}
    # Reading: ids like these are refused in files and never resolve to a path.
    (folder / "sneaky.md").write_text("---\nid: ../../etc/passwd\n---\nBody.\n")
    for raw in ("../x", "/etc/passwd", "..", ".hidden", "x" * 5000, "nul\x00id", "../waic-2024-preview"):
        code, _, err = cli(folder, "show", raw)
        assert code == 1 and "no article with id" in err
    code, _, err = cli(folder, "list")
    assert any("sneaky.md" in line and "may hold only" in line for line in err.splitlines())


# --- the index folder ---------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_index_folder_that_cannot_be_created_gives_an_index_in_memory(tmp_path: Path, folder: Path, cli) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, out, err = cli(folder, "search", "--json", "Qualcomm", index=blocker / "index")
    assert code == 0 and json.loads(out)["total"] >= 1
    lines = assert_error_lines(err)
    assert len(lines) == 1 and "in memory" in lines[0], lines
    code, out, _ = cli(folder, "index", "--json", index=blocker / "index")
    assert code == 0 and json.loads(out)["index"] is None and json.loads(out)["added"] == 5


@pytest.mark.timeout(120)
def test_read_only_index_folder(tmp_path: Path, folder: Path) -> None:
    """A real read-only cache folder (root drops CAP_DAC_OVERRIDE via setpriv, as in
    test_reliability_kill.py): a new index goes to memory with a message; an
    existing one is read, and a change that cannot be written is said in one line."""
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root without setpriv: permission bits do not bind this process")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    else:
        prefix = []
    empty = tmp_path / "empty-index"
    empty.mkdir()
    built = tmp_path / "built-index"
    Library(folder, built).update()
    subprocess.run(["chmod", "-R", "a-w", str(empty), str(built)], check=True)
    try:
        result = subprocess.run(prefix + reader_cmd("--articles", folder, "--index", empty, "search", "Qualcomm"),
                                capture_output=True, text=True, timeout=60, env=subprocess_env())
        lines = assert_error_lines(result.stderr)
        assert result.returncode == 0 and "Qualcomm" in result.stdout
        assert len(lines) == 1 and "not writable" in lines[0] and "in memory" in lines[0], lines
        with open(folder / "waic-2024-preview.md", "a") as handle:
            handle.write("\nZebracrossing.\n")
        result = subprocess.run(prefix + reader_cmd("--articles", folder, "--index", built, "search", "Qualcomm"),
                                capture_output=True, text=True, timeout=60, env=subprocess_env())
        lines = assert_error_lines(result.stderr)
        assert result.returncode == 0 and "Qualcomm" in result.stdout
        assert len(lines) == 1 and "showing the last complete index" in lines[0], lines
        result = subprocess.run(prefix + reader_cmd("--articles", folder, "--index", built, "index"),
                                capture_output=True, text=True, timeout=60, env=subprocess_env())
        lines = assert_error_lines(result.stderr)
        assert result.returncode == 2 and len(lines) == 1 and "cannot write the index" in lines[0], lines
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(empty), str(built)], check=True)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("where", ["opening-the-writer", "committing"])
def test_full_cache_disk_keeps_the_last_index_and_says_so(tmp_path: Path, folder: Path, cli,
                                                          monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    import whoosh.filedb.filestore as filestore
    import whoosh.writing as writing

    index = tmp_path / "index"
    code, _, _ = cli(folder, "index", index=index)
    assert code == 0
    with open(folder / "waic-2024-preview.md", "a") as handle:
        handle.write("\nZebracrossing.\n")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "opening-the-writer":
        monkeypatch.setattr(filestore.FileStorage, "create_file", full)
    else:
        monkeypatch.setattr(writing.SegmentWriter, "commit", full)
    code, out, err = cli(folder, "search", "--json", "Qualcomm", index=index)
    lines = assert_error_lines(err)
    assert code == 0 and json.loads(out)["total"] >= 1
    assert len(lines) == 1 and "No space left on device" in lines[0] and "showing the last complete index" in lines[0]
    code, out, err = cli(folder, "index", index=index)
    lines = assert_error_lines(err)
    assert code == 2 and len(lines) == 1 and "cannot write the index" in lines[0] and "No space left" in lines[0]
    monkeypatch.undo()
    code, out, err = cli(folder, "search", "--json", "zebracrossing", index=index)
    assert code == 0 and json.loads(out)["total"] == 1  # once there is room, the update goes through


# --- queries --------------------------------------------------------------------------------------

BAD_QUERIES = [
    "title:(", '"unclosed', "AND OR NOT", "NOT NOT NOT china", "date:notadate", "date:2024-13-45", "date:[a to b]",
    "date:[", "date:<=x", "*", "~", "[", "{}", "]", "}", "(", ")", "((((((", "))))))", ":", "title:", "title:title:x",
    "üñíçødé 中文 العربية עברית", "\U0001F600\U0001F4A9", "\x00", "\u202e", "\ufeff", "x" * 10_000, "a" * 999,
    "(" * 500, '"' * 51, "a OR " * 150 + "b", '"' + "a " * 400 + '"', "china^", "^", "china~-1",
    "china~99999999999999999999", "date_text:x", "entities:x", "nosuchfield:x", "mtime:[0 TO 1]", "person:",
    'person:"', "entity:~", "company:(", "org:[a TO b]", "[a TO]", "{a TO b}", "date:{2024 TO 2025}", "'", "a:b:c:d",
    "\\", "/", "+-!", "<=", "title:>a", "\x1b[31mred", "AND", "OR", "NOT", "entities:*", "date_text:*", "mtime:*",
    "china OR discovered:*", "size:[0 TO 10]",
]


@pytest.fixture(scope="module")
def bundled_search(tmp_path_factory: pytest.TempPathFactory):
    library = Library(ARTICLES, tmp_path_factory.mktemp("hostile-index"))
    library.update()
    yield library
    library.close()


@pytest.mark.timeout(120)
def test_queries_whoosh_cannot_parse_give_one_line_or_a_result(bundled_search, capsys) -> None:
    for query in BAD_QUERIES:
        try:
            result = bundled_search.search(query)
        except QueryError as exc:
            assert "\n" not in str(exc) and str(exc), query
        else:
            assert result.total >= 0 and all(0 <= s < e <= len(h.snippet) for h in result.hits
                                              for s, e in h.highlights)
    for query in ("title:(", "date:notadate", "x" * 10_000, "NOT NOT NOT china", "*", "\x00"):
        code = main(["--articles", str(ARTICLES), "--index", str(bundled_search.index.index_dir), "search", query])
        out, err = capsys.readouterr()
        assert code in (0, 1, 2)
        lines = assert_error_lines(err)
        if code == 2:
            assert len(lines) == 1, lines


@pytest.fixture(scope="module")
def big_lexicon(tmp_path_factory: pytest.TempPathFactory):
    """An index whose word list is large (about 20,000 distinct words), so that an
    unbounded fuzzy, prefix or wildcard expansion would show."""
    root = tmp_path_factory.mktemp("lexicon")
    folder = root / "articles"
    folder.mkdir()
    rng = random.Random(9)
    letters = "abcdefghijklmnopqrstuvwxyz"
    for n in range(100):
        words = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(200)]
        (folder / f"doc-{n}.md").write_text(f"---\nid: doc-{n}\ntitle: Doc {n}\n---\n" + " ".join(words) + ".\n")
    library = Library(folder, root / "index")
    library.update()
    yield library
    library.close()


EXTREME = ["a*", "*a*", "?", "??", "???*", "*", "*?*?*?*", "x~5", "abcdefgh~2", "a~2", "title:*a*",
           "a* OR b* OR c* OR d* OR e*", "z?z*", "person:*a*", "entity:*", '"a* b*"', "(a* OR *z) AND x~2"]


@pytest.mark.timeout(180)
def test_extreme_fuzzy_and_prefix_queries_stay_bounded(big_lexicon, record_property) -> None:
    schema = big_lexicon.index.schema
    field = "words" if "words" in schema.names() else "body"  # the unstemmed word list, where there is one
    with big_lexicon.index.searching() as searcher:
        lexicon = sum(1 for _ in searcher.reader().lexicon(field))
    timings = {}
    for query in EXTREME:
        started = time.perf_counter()
        try:
            result = big_lexicon.search(query, limit=10)
            outcome = f"{result.total} hits"
        except QueryError as exc:
            outcome = f"refused: {exc}"
        timings[query] = (round(time.perf_counter() - started, 3), outcome)
    # Reported, not asserted: the machine is shared.
    print(f"lexicon of {lexicon} words; seconds per query:", json.dumps(timings, indent=1, ensure_ascii=False))
    record_property("extreme_query_seconds", json.dumps(timings))
    assert lexicon > 15_000
    assert timings["*a*"][1].endswith("hits")


@pytest.mark.timeout(60)
def test_reading_skips_links_out_of_the_folder_and_reports_loops_and_dangling_links(tmp_path: Path, folder: Path,
                                                                                      cli) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    # A file outside that would parse as an article: only the link check keeps it out.
    (outside / "passwd.md").write_text("---\nid: outside-secret\ntitle: Outside secret\n---\nOUTSIDE-TEXT here.\n")
    os.symlink(outside / "passwd.md", folder / "x.md")
    os.symlink("loop.md", folder / "loop.md")
    os.symlink("nowhere.md", folder / "dangling.md")
    (folder / "sub").mkdir()
    os.symlink("../waic-2024-preview.md", folder / "sub" / "inside.md")  # inside: read (a duplicate id)
    code, out, err = cli(folder, "list", "--json")
    assert code == 0
    ids = [a["id"] for a in json.loads(out)["articles"]]
    assert "outside-secret" not in ids and sorted(set(ids)) == sorted(BUNDLED_IDS)
    messages = {line.split(": ", 2)[1].rsplit("/", 1)[-1]: line for line in err.splitlines()}
    assert "outside the articles folder" in messages["x.md"]
    assert "loop" in messages["loop.md"] and "does not exist" in messages["dangling.md"]
    # A link inside the folder is followed: the article it leads to is read twice, one id twice.
    assert sum("already used" in line for line in err.splitlines()) == 1
    assert len(err.splitlines()) == 4
    code, out, err = cli(folder, "search", "OUTSIDE-TEXT")
    assert code == 1 and out.startswith("0 articles")
    corpus = load_corpus(folder)
    assert "outside-secret" not in [a.id for a in corpus.articles]
    assert sorted(Path(e.path).name for e in corpus.errors if "link" in e.reason) == ["dangling.md", "loop.md", "x.md"]


@pytest.mark.timeout(60)
def test_an_oversize_entity_list_is_refused_unread_and_the_folder_still_opens(folder: Path, cli) -> None:
    from reader.entities import MAX_ENTITY_LIST_BYTES

    big = folder / "entities.yaml"
    with open(big, "wb") as handle:  # sparse: the size is real, the disk holds almost nothing
        handle.truncate(4 * MAX_ENTITY_LIST_BYTES)
    io_counters = Path("/proc/self/io")
    read_before = _bytes_read(io_counters)
    code, out, err = cli(folder, "list", "--json")
    lines = assert_error_lines(err)
    assert code == 0 and len(json.loads(out)["articles"]) == len(list(folder.glob("*.md")))
    assert any("entities.yaml" in line and "256 MB is larger than the 64 MB" in line and "without it" in line
               for line in lines), lines
    if read_before is not None:  # the bytes this process read: far fewer than the list holds
        assert _bytes_read(io_counters) - read_before < MAX_ENTITY_LIST_BYTES
    code, out, err = cli(folder, "search", "--json", "Qualcomm")
    assert code == 0 and json.loads(out)["total"] >= 1


def _bytes_read(io_counters: Path) -> int | None:
    """Bytes this process has read through read calls (Linux), None elsewhere."""
    try:
        return int(dict(line.split(": ") for line in io_counters.read_text().splitlines())["rchar"])
    except (OSError, KeyError, ValueError):
        return None
