"""The `reader` command: every subcommand, with and without --json, exit codes
0/1/2, one-line errors, --articles/--index and the environment variables."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
PREVIEW, SPEAKERS, POWERS, QUALCOMM, COOPERATION = (
    "waic-2024-preview", "waic-2024-opening-speakers", "china-powers-global-ai-innovation",
    "waic-qualcomm-sole-us-sponsor", "china-ai-international-cooperation")
ALL = sorted([PREVIEW, SPEAKERS, POWERS, QUALCOMM, COOPERATION])


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-index")


@pytest.fixture
def cli(index_dir: Path, capsys: pytest.CaptureFixture[str]):
    """Run `reader --articles ARTICLES --index INDEX ...` in process: (code, stdout, stderr)."""

    def run(*args: str, articles: Path = ARTICLES, index: Path | None = None) -> tuple[int, str, str]:
        code = main(["--articles", str(articles), "--index", str(index or index_dir), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def run_json(cli, *args: str, **kwargs: Path):  # type: ignore[no-untyped-def]
    code, out, err = cli(*args, "--json", **kwargs)
    return code, json.loads(out), err


def assert_one_line_error(err: str, fragment: str) -> None:
    lines = [l for l in err.splitlines() if l.startswith("reader:")]
    assert len(lines) == 1, err
    assert fragment in lines[0], err
    assert "Traceback" not in err


def subprocess_reader(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                      ) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True,
                          cwd=cwd, env=full_env, timeout=120)


# --- list ---------------------------------------------------------------------------------

def test_list_json(cli) -> None:  # type: ignore[no-untyped-def]
    code, data, _ = run_json(cli, "list")
    assert code == 0
    rows = data["articles"]
    assert sorted(r["id"] for r in rows) == ALL
    for row in rows:
        assert set(row) == {"id", "title", "source", "author", "date", "path", "read", "starred", "tags"}
        assert row["path"] == f"{row['id']}.md"
        assert row["title"]
    by_id = {r["id"]: r for r in rows}
    assert by_id[QUALCOMM]["author"] == "Tracy Qu"
    assert by_id[PREVIEW]["date"] == "2024-07-04"
    assert by_id[PREVIEW]["title"].startswith("Shanghai is set to kick off")  # derived title
    assert rows[0]["id"] == PREVIEW  # newest first; the only dated article


def test_list_text(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("list")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("4 Jul 2024 ") and lines[0].endswith(f"[{PREVIEW}]")
    assert any("South China Morning Post" in l and l.endswith(f"[{QUALCOMM}]") for l in lines)


def test_list_empty_folder_exits_1(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty").mkdir()
    code, data, _ = run_json(cli, "list", articles=tmp_path / "empty", index=tmp_path / "ix")
    assert code == 1 and data == {"articles": []}


# --- show ---------------------------------------------------------------------------------

def test_show_json(cli) -> None:  # type: ignore[no-untyped-def]
    code, data, _ = run_json(cli, "show", QUALCOMM)
    assert code == 0
    assert set(data) >= {"id", "title", "source", "author", "date", "body"}
    assert data["id"] == QUALCOMM and data["author"] == "Tracy Qu"
    assert data["body"] == (ARTICLES / f"{QUALCOMM}.md").read_text("utf-8").split("---\n", 2)[2].strip("\n")


def test_show_text(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("show", QUALCOMM)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("China’s biggest AI conference")
    assert lines[1] == "South China Morning Post · Tracy Qu"
    assert lines[2] == ""
    assert lines[3].startswith("Chinese tech giants, including sanctions-hit Huawei")


def test_show_unknown_exits_1(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("show", "no-such-article")
    assert code == 1 and out == ""
    assert_one_line_error(err, "no article with id 'no-such-article'")


# --- search -------------------------------------------------------------------------------

def test_search_json(cli) -> None:  # type: ignore[no-untyped-def]
    code, data, _ = run_json(cli, "search", "SenseNova")
    assert code == 0
    assert set(data) >= {"query", "total", "hits", "suggestion"}
    assert data["query"] == "SenseNova" and data["total"] == 3 and data["suggestion"] is None
    assert sorted(h["id"] for h in data["hits"]) == sorted([PREVIEW, SPEAKERS, POWERS])
    for hit in data["hits"]:
        assert set(hit) >= {"id", "title", "score", "snippet", "highlights"}
        assert hit["highlights"]
        for start, end in hit["highlights"]:
            assert hit["snippet"][start:end] == "SenseNova"


def test_search_text_marks_hits(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("search", "SenseNova")
    assert code == 0
    assert out.splitlines()[0] == "3 articles match 'SenseNova'"
    assert out.count("«SenseNova»") >= 3
    assert "\x1b" not in out


def test_search_no_hits_suggests_and_exits_1(cli) -> None:  # type: ignore[no-untyped-def]
    code, data, _ = run_json(cli, "search", "sensetme")
    assert code == 1 and data["total"] == 0 and data["hits"] == [] and data["suggestion"] == "sensetime"
    code, out, _ = cli("search", "sensetme")
    assert code == 1 and "Did you mean: sensetime" in out


def test_search_limit_and_sort(cli) -> None:  # type: ignore[no-untyped-def]
    code, data, _ = run_json(cli, "search", "Shanghai", "--limit", "2", "--sort", "date")
    assert code == 0 and len(data["hits"]) == 2 and data["total"] == 5
    assert data["hits"][0]["id"] == PREVIEW


def test_search_notes_go_to_stderr(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("search", "x~5")
    assert "fuzzy terms allow at most 2 edits" in err
    assert "fuzzy" not in out


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["search", "date:notadate"], "cannot understand the query"),
        (["search", "q" * 1001], "longer than 1000"),
        (["search", "x", "--sort", "random"], "invalid choice"),
        (["search", "x", "--limit", "many"], "invalid int value"),
        (["search"], "required"),
        (["bogus"], "invalid choice"),
        (["show"], "required"),
    ],
)
def test_bad_input_exits_2_with_one_line(cli, args: list[str], fragment: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert_one_line_error(err, fragment)


# --- index --------------------------------------------------------------------------------

def test_index_json_and_text(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = tmp_path / "ix"
    code, data, _ = run_json(cli, "index", index=index)
    assert code == 0
    assert set(data) >= {"added", "updated", "deleted", "unchanged", "seconds"}
    assert (data["added"], data["updated"], data["deleted"], data["unchanged"]) == (5, 0, 0, 0)
    assert isinstance(data["seconds"], float)
    assert data["index"] == str(index)
    code, out, _ = cli("index", index=index)
    assert code == 0
    assert out.startswith("added 0, updated 0, deleted 0, unchanged 5 in ")
    code, data, err = run_json(cli, "index", "--rebuild", index=index)
    assert code == 0 and data["rebuilt"] is True and data["added"] == 5


def test_index_reports_bad_files_on_stderr(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    (folder / "broken.md").write_bytes(b"---\nid: broken\n---\n\xff\n")
    code, out, err = cli("index", articles=folder, index=tmp_path / "ix")
    assert code == 0 and "added 5" in out
    assert "skipped" in err and "broken.md" in err and "UTF-8" in err
    code, data, _ = run_json(cli, "index", "--rebuild", articles=folder, index=tmp_path / "ix")
    assert [Path(e["path"]).name for e in data["errors"]] == ["broken.md"]


# --- entities ------------------------------------------------------------------------------

def test_entities_json(cli) -> None:  # type: ignore[no-untyped-def]
    code, data, _ = run_json(cli, "entities")
    assert code == 0
    rows = {r["id"]: r for r in data["entities"]}
    for row in rows.values():
        assert set(row) >= {"id", "name", "kind", "aliases", "status", "articles", "mentions"}
    assert rows["huawei"]["aliases"] == ["Huawei Technologies"]
    assert rows["huawei"]["status"] == "confirmed"
    assert sorted(rows["huawei"]["articles"]) == sorted([SPEAKERS, QUALCOMM, POWERS])
    assert rows["huawei"]["mentions"] == 7
    assert rows["elon-musk"]["kind"] == "person"


def test_entities_filters_and_text(cli) -> None:  # type: ignore[no-untyped-def]
    code, data, _ = run_json(cli, "entities", "--kind", "people")
    assert code == 0 and data["entities"] and {r["kind"] for r in data["entities"]} == {"person"}
    code, data, _ = run_json(cli, "entities", "--status", "discovered")
    assert code == 1 and data["entities"] == []  # the bundled list names everyone
    code, out, _ = cli("entities", "--kind", "product")
    assert code == 0
    assert any(l.startswith("product") and "SenseNova  [sensenova]  3 mentions in 3 articles" in l
               for l in out.splitlines())
    code, _, err = cli("entities", "--kind", "animal")
    assert code == 2
    assert_one_line_error(err, "unknown kind 'animal'")


# --- mentions ------------------------------------------------------------------------------

@pytest.mark.parametrize("article", ALL)
def test_mentions_offsets_are_into_the_shown_title_and_body(cli, article: str) -> None:  # type: ignore[no-untyped-def]
    code, shown, _ = run_json(cli, "show", article)
    texts = {"title": " ".join(shown["title"].split()), "body": shown["body"]}
    code, data, _ = run_json(cli, "mentions", article)
    assert code == 0
    assert data["article"] == article
    previous = {"title": 0, "body": 0}
    for m in data["mentions"]:
        assert set(m) >= {"field", "start", "end", "text", "entity", "name", "kind", "status"}
        assert texts[m["field"]][m["start"]:m["end"]] == m["text"]
        assert m["start"] >= previous[m["field"]]
        previous[m["field"]] = m["end"]
    assert [m for m in data["mentions"] if m["field"] == "body"]
    # The title comes first, read like the body.
    fields = [m["field"] for m in data["mentions"]]
    assert fields == sorted(fields, key=lambda f: f != "title")


def test_title_mentions_count_in_entity_fields(cli) -> None:  # type: ignore[no-untyped-def]
    code, data, _ = run_json(cli, "mentions", "waic-qualcomm-sole-us-sponsor")
    title = [(m["text"], m["entity"]) for m in data["mentions"] if m["field"] == "title"]
    assert ("Qualcomm", "qualcomm") in title
    code, found, _ = run_json(cli, "search", "company:Qualcomm")
    assert code == 0
    assert {h["id"] for h in found["hits"]} == {
        "waic-qualcomm-sole-us-sponsor", "china-ai-international-cooperation", "china-powers-global-ai-innovation"}


def test_mentions_json_content(cli) -> None:  # type: ignore[no-untyped-def]
    code, data, _ = run_json(cli, "mentions", SPEAKERS)
    found = {(m["text"], m["entity"]) for m in data["mentions"]}
    assert {("Premier Li Qiang", "li-qiang"), ("Elon Musk", "elon-musk"), ("Robin Li Yanhong", "robin-li"),
            ("Huawei Technologies", "huawei"), ("Tencent Holdings", "tencent"),
            ("Alibaba Group Holding", "alibaba")} <= found
    musk = next(m for m in data["mentions"] if m["entity"] == "elon-musk")
    assert (musk["name"], musk["kind"], musk["status"]) == ("Elon Musk", "person", "confirmed")


def test_mentions_text_and_not_found(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("mentions", SPEAKERS)
    assert code == 0 and "Elon Musk  -> Elon Musk" in out
    code, _, err = cli("mentions", "no-such-article")
    assert code == 1
    assert_one_line_error(err, "no article with id")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "plain.md").write_text("---\nid: plain\n---\nnothing named here at all.\n")
    code, data, _ = run_json(cli, "mentions", "plain", articles=folder, index=tmp_path / "ix")
    assert code == 1 and data == {"article": "plain", "mentions": []}


# --- xref ---------------------------------------------------------------------------------

def test_xref_json(cli) -> None:  # type: ignore[no-untyped-def]
    code, data, _ = run_json(cli, "xref", PREVIEW)
    assert code == 0
    assert data["article"] == PREVIEW
    entities = {e["id"]: e for e in data["entities"]}
    for row in data["entities"]:
        assert set(row) >= {"id", "name", "kind", "articles"}
    for entity_id in ("li-qiang", "elon-musk", "robin-li", "eric-jing", "wang-jian", "baidu", "ant-group",
                      "alibaba", "sensetime"):
        assert SPEAKERS in entities[entity_id]["articles"]
    assert data["related"][0]["id"] == SPEAKERS
    for row in data["related"]:
        assert set(row) >= {"id", "title", "shared"}
        assert row["shared"] > 0


def test_xref_text_and_not_found(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("xref", PREVIEW)
    assert code == 0
    assert out.startswith("Entities:\n") and "\nRelated:\n" in out
    assert f"[{SPEAKERS}]" in out.split("Related:")[1]
    code, _, err = cli("xref", "no-such-article")
    assert code == 1
    assert_one_line_error(err, "no article with id")


def test_xref_text_counts_other_articles_and_names_the_first_few(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "entities.yaml").write_text(
        "entities:\n  - name: Brenna Holt\n    kind: person\n", encoding="utf-8")
    for number in range(1, 8):
        (folder / f"note-{number}.md").write_text(
            f"---\nid: note-{number}\ntitle: Note {number}\n---\nBrenna Holt wrote note {number}.\n",
            encoding="utf-8")
    code, out, _ = cli("xref", "note-1", articles=folder, index=tmp_path / "ix")
    assert code == 0
    line = next(l for l in out.splitlines() if "Brenna Holt" in l)
    assert "6 other articles: " in line and "(3 more: --all)" in line
    assert sum(f"note-{n}" in line for n in range(2, 8)) == 3
    code, out, _ = cli("xref", "note-1", "--all", articles=folder, index=tmp_path / "ix")
    line = next(l for l in out.splitlines() if "Brenna Holt" in l)
    assert all(f"note-{n}" in line for n in range(2, 8)) and "more" not in line
    code, data, _ = run_json(cli, "xref", "note-1", articles=folder, index=tmp_path / "ix")
    assert len(data["entities"][0]["articles"]) == 6  # scripts get every id


# --- entity -------------------------------------------------------------------------------

def test_entity_json(cli) -> None:  # type: ignore[no-untyped-def]
    code, data, _ = run_json(cli, "entity", "Musk")
    assert code == 0
    assert (data["id"], data["name"], data["kind"], data["status"]) == ("elon-musk", "Elon Musk", "person", "confirmed")
    assert data["aliases"] == ["Musk"]
    assert sorted(data["articles"]) == sorted([PREVIEW, SPEAKERS])
    assert {(a["title"], a["org"]) for a in data["affiliations"]} >= {("chief executive", "tesla")}
    assert len(data["mentions"]) == 2
    for m in data["mentions"]:
        assert m["text"] == "Elon Musk" and m["text"] in m["context"]


def test_entity_members_of_an_organisation(cli) -> None:  # type: ignore[no-untyped-def]
    code, data, _ = run_json(cli, "entity", "Ant Group")
    assert code == 0
    assert {(m["id"], m["article"]) for m in data["members"]} == {("eric-jing", PREVIEW), ("eric-jing", SPEAKERS)}


def test_entity_text(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("entity", "elon-musk")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Elon Musk [elon-musk], person"
    assert "Also: Musk" in lines
    assert "Role: chief executive at Tesla (waic-2024-opening-speakers)" in lines
    assert "2 mentions:" in lines


def test_entity_unknown_and_ambiguous(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("entity", "Nobody At All")
    assert code == 1
    assert_one_line_error(err, "no entity is named 'Nobody At All'")
    code, _, err = cli("entity", "Li")
    assert code == 2
    assert_one_line_error(err, "names several entities")
    code, data, _ = run_json(cli, "entity", "Li Qiang")  # an exact name picks one
    assert code == 0 and data["id"] == "li-qiang"


# --- folders, environment and errors -------------------------------------------------------

def test_missing_articles_folder(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("list", articles=tmp_path / "nope")
    assert code == 2 and out == ""
    assert_one_line_error(err, "no articles folder at")


def test_bad_entity_list_is_a_one_line_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    (folder / "entities.yaml").write_text("entities:\n  - name: X\n    kind: nope\n", "utf-8")
    code, _, err = cli("list", articles=folder, index=tmp_path / "ix")
    assert code == 2
    assert_one_line_error(err, "entities.yaml: line 2:")


def test_index_option_is_where_the_index_goes(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = tmp_path / "my-index"
    cli("list", index=index)
    assert (index / "reader-index.json").is_file()
    assert not (Path(os.environ["XDG_CACHE_HOME"]) / "reader").exists()


def test_environment_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    (folder / "waic-2024-preview.md").unlink()
    monkeypatch.setenv("READER_ARTICLES", str(folder))
    monkeypatch.setenv("READER_INDEX", str(tmp_path / "env-index"))
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["articles"]
    assert len(rows) == 4
    assert (tmp_path / "env-index" / "reader-index.json").is_file()
    # the options win over the environment
    assert main(["--articles", str(ARTICLES), "--index", str(tmp_path / "opt-index"), "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["articles"]) == 5
    assert (tmp_path / "opt-index" / "reader-index.json").is_file()


def test_subprocess_help_and_version() -> None:
    proc = subprocess_reader("--help")
    assert proc.returncode == 0
    for command in ("list", "show", "search", "index", "import", "entities", "mentions", "xref", "entity"):
        assert command in proc.stdout
    assert "--articles" in proc.stdout and "--index" in proc.stdout
    proc = subprocess_reader("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == "reader 0.1.0"
    proc = subprocess_reader("search", "--help")
    assert proc.returncode == 0 and "--sort" in proc.stdout and "--json" in proc.stdout


def test_subprocess_env_vars_and_json(tmp_path: Path) -> None:
    env = {"READER_ARTICLES": str(ARTICLES), "READER_INDEX": str(tmp_path / "ix")}
    proc = subprocess_reader("search", "company:Huawei", "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert sorted(h["id"] for h in data["hits"]) == sorted([SPEAKERS, QUALCOMM, POWERS])


def test_subprocess_errors_are_one_line(tmp_path: Path) -> None:
    env = {"READER_ARTICLES": str(ARTICLES), "READER_INDEX": str(tmp_path / "ix")}
    proc = subprocess_reader("search", "date:notadate", env=env)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("reader: ") and "Traceback" not in proc.stderr
    proc = subprocess_reader("show", "nope", env=env)
    assert proc.returncode == 1 and proc.stderr == "reader: no article with id 'nope'\n"
    proc = subprocess_reader("--articles", str(tmp_path / "missing"), "list", env=env)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1


def test_subprocess_default_articles_folder(tmp_path: Path) -> None:
    # ./articles in the working folder is the default ...
    work = tmp_path / "work"
    shutil.copytree(ARTICLES, work / "articles")
    (work / "articles" / "waic-2024-preview.md").unlink()
    env = {"READER_INDEX": str(tmp_path / "ix1"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env_clean = {k: v for k, v in os.environ.items() if k != "READER_ARTICLES"}
    proc = subprocess.run([sys.executable, "-m", "reader", "list", "--json"], capture_output=True, text=True,
                          cwd=work, env={**env_clean, **env}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["articles"]) == 4
    # ... and without it, the bundled corpus; with no --index the cache folder is used
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    env2 = {k: v for k, v in env_clean.items() if k != "READER_INDEX"}
    env2["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    proc = subprocess.run([sys.executable, "-m", "reader", "list", "--json"], capture_output=True, text=True,
                          cwd=empty, env=env2, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert sorted(r["id"] for r in json.loads(proc.stdout)["articles"]) == ALL
    assert list((tmp_path / "cache" / "reader" / "indexes").iterdir())


def test_output_to_a_closed_pipe(tmp_path: Path) -> None:
    env = {**os.environ, "READER_ARTICLES": str(ARTICLES), "READER_INDEX": str(tmp_path / "ix")}
    proc = subprocess.run(f"'{sys.executable}' -m reader entities | head -1", shell=True, capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.stdout.count("\n") == 1
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


def test_import_of_the_seeds_gives_the_bundled_metadata(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`reader import` of the raw seed texts, with the bundled entity list beside
    them: titles, authors, dates and sources as the bundled articles have them
    (two seeds name their source only as "SCMP")."""
    from reader.corpus import load_corpus

    from shared_data import seed_files
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(ARTICLES / "entities.yaml", folder / "entities.yaml")
    code, _out, err = cli("import", *map(str, seed_files()), articles=folder,
                          index=tmp_path / "index")
    assert code == 0, err
    bundled = {a.original: a for a in load_corpus(ARTICLES).articles}
    imported = {a.original: a for a in load_corpus(folder).articles}
    assert set(imported) == set(bundled)
    for original, article in imported.items():
        expected = bundled[original]
        assert (article.title, article.author, article.date, article.source) == \
            (expected.title, expected.author, expected.date, expected.source), original


# --- search as people type, and how results read ------------------------------------------

def test_search_is_whole_words_unless_prefix_is_asked(cli) -> None:  # type: ignore[no-untyped-def]
    code, data, _ = run_json(cli, "search", "Sense")
    assert code == 1 and data["total"] == 0
    code, data, _ = run_json(cli, "search", "Sense", "--prefix")
    assert code == 0 and {PREVIEW, SPEAKERS, POWERS} <= {h["id"] for h in data["hits"]}
    assert data["suggestion"] is None


def test_search_json_highlights_a_hit_in_the_title(cli) -> None:  # type: ignore[no-untyped-def]
    _, data, _ = run_json(cli, "search", "Qualcom~")
    hit = next(h for h in data["hits"] if h["id"] == QUALCOMM)
    assert [hit["title"][s:e] for s, e in hit["title_highlights"]] == ["Qualcomm"]


def test_search_text_marks_title_hits_and_counts_in_the_right_number(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("search", "title:Qualcomm")
    assert code == 0
    assert out.startswith("1 article matches 'title:Qualcomm'")
    assert "«Qualcomm»" in out.splitlines()[2]


def test_an_unknown_field_is_a_one_line_error_naming_the_fields(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("search", "foo:bar")
    assert code == 2
    assert_one_line_error(err, "unknown field 'foo:'; the fields are title, source, author, date")


def test_json_titles_are_never_cut(cli) -> None:  # type: ignore[no-untyped-def]
    _, listed, _ = run_json(cli, "list")
    _, found, _ = run_json(cli, "search", "Shanghai", "--limit", "50")
    _, shown, _ = run_json(cli, "show", PREVIEW)
    titles = [a["title"] for a in listed["articles"]] + [h["title"] for h in found["hits"]] + [shown["title"]]
    assert titles and not [t for t in titles if t.endswith("…")]
    assert shown["title"].endswith("Global AI Governance today.")


def test_empty_answers_say_what_to_do(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = cli("list", articles=empty, index=tmp_path / "empty-index")
    assert code == 1 and out == ""
    assert_one_line_error(err, "no articles in")
    assert "reader import" in err
    code, out, err = cli("search", "zzzqqqx")
    assert code == 1 and "0 articles match" in out
    assert_one_line_error(err, "nothing matches: try fewer words")
    code, out, err = cli("entities", "--status", "discovered", "--kind", "product")
    assert code == 1 and out == ""
    assert_one_line_error(err, "no discovered product entities")
