"""`reader export`: every kind of row in every format, parsed back (CSV with
the csv module, JSON Lines with offsets that index the article's text,
BibTeX and CSL-JSON), selection by query and ids, one-line usage errors,
and that every export is streamed: rows are read and written one at a time."""

from __future__ import annotations

import csv
import inspect
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from reader import export
from reader.citations import KeyMaker, bibtex_escape
from reader.cli import main
from reader.library import Library

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
TRICKY_ID = "harbour-ports-ferries"
TRICKY_TITLE = 'Ports, "ferries" & {braces}: 100% of co_op #1 ~ ^ \\ costs $5'
TRICKY_SOURCE = 'Coastal Times, "Weekend" edition'
LIGHTHOUSES = 15  # more than a search's default ten hits


def write_article(folder: Path, article_id: str, meta: dict[str, str], body: str) -> None:
    lines = ["---", f"id: {article_id}"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    (folder / f"{article_id}.md").write_text("\n".join(lines + ["---", body, ""]), encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The bundled articles, one with every character CSV and BibTeX must
    escape, and a run of articles about lighthouses; indexed once."""
    root = tmp_path_factory.mktemp("export")
    folder = root / "articles"
    shutil.copytree(ARTICLES, folder)
    write_article(folder, TRICKY_ID, {
        "title": TRICKY_TITLE, "source": TRICKY_SOURCE, "author": "Maria Lindqvist and Tom Okafor",
        "date": "2024-07-04", "url": "https://coastaltimes.example/news/ports?a=1&b=2"},
        "The port authority said on Thursday that 500 ships called at the harbour in June.\n\n"
        '"We have never been busier," said Pieter Janssen, the harbour master.\n\n'
        "Ferries carried 1.2 million passengers, the authority said.")
    for n in range(LIGHTHOUSES):
        write_article(folder, f"lighthouse-{n:02d}", {
            "title": f"Lighthouse keepers meet {n}", "source": "Coastal Times", "date": f"2024-06-{n + 1:02d}"},
            "The lighthouse keepers of the coast met in the old harbour. " + "lighthouse " * (n + 1)
            + "\n\nThey discussed the lamps.")
    index = root / "index"
    assert main(["--articles", str(folder), "--index", str(index), "index"]) == 0
    return folder, index


@pytest.fixture
def run(corpus: tuple[Path, Path], capsys: pytest.CaptureFixture[str]):
    folder, index = corpus

    def go(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--articles", str(folder), "--index", str(index), "export", *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return go


@pytest.fixture(scope="module")
def library(corpus: tuple[Path, Path]) -> Library:
    return Library(*corpus)


def one_line_error(err: str, fragment: str) -> None:
    lines = [line for line in err.splitlines() if line.startswith("reader:")]
    assert len(lines) == 1 and fragment in lines[0], err
    assert "Traceback" not in err


def parse_csv(out: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out, newline="")))


def parse_jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def parse_bibtex(text: str) -> dict[str, dict[str, str]]:
    """Entries by key; each field's braced value (nested braces kept)."""
    entries: dict[str, dict[str, str]] = {}
    for match in re.finditer(r"@article\{([^,]+),\n(.*?)\n\}\n", text, re.DOTALL):
        fields = {}
        for line in match.group(2).split(",\n"):
            name, value = line.strip().split(" = ", 1)
            assert value.startswith("{") and value.endswith("}"), line
            depth = 0
            for i, char in enumerate(value):  # braces balance, ignoring escaped ones
                if char in "{}" and value[i - 1] != "\\":
                    depth += 1 if char == "{" else -1
                    assert depth >= 0, line
            assert depth == 0, line
            fields[name] = value[1:-1]
        entries[match.group(1)] = fields
    return entries


@pytest.mark.parametrize("what", export.WHATS)
@pytest.mark.parametrize("fmt", ("csv", "jsonl", "md"))
def test_every_kind_exports_in_every_format(run, what: str, fmt: str) -> None:
    args = [what, "--format", fmt] + (["--query", "lighthouse OR harbour"] if what == "search" else [])
    code, out, err = run(*args)
    assert code == 0, err
    if fmt == "csv":
        assert out.splitlines()[0] == ",".join(export.COLUMNS[what])
        rows = parse_csv(out)
        assert rows and all(set(r) == set(export.COLUMNS[what]) for r in rows)
    elif fmt == "jsonl":
        rows = parse_jsonl(out)
        assert rows and all(set(export.COLUMNS[what]) <= set(r) for r in rows)
    else:
        assert out.startswith("# ") and len(out.splitlines()) > 3


@pytest.mark.parametrize("what", ("mentions", "entities", "quotes", "figures"))
@pytest.mark.parametrize("fmt", export.CITATION_FORMATS)
def test_citation_formats_apply_to_articles_and_search_only(run, what: str, fmt: str) -> None:
    code, out, err = run(what, "--format", fmt)
    assert code == 2 and out == ""
    one_line_error(err, f"--format {fmt} cites articles")


@pytest.mark.parametrize("args, fragment", [
    (("stories", "--format", "csv"), "cannot export 'stories'"),
    (("articles", "--format", "xlsx"), "unknown format 'xlsx'"),
    (("search", "--format", "csv"), "export search needs --query"),
    (("articles", "--format", "csv", "--query", "date:-1987"), "date"),
])
def test_bad_usage_is_one_line_and_exit_2(run, args: tuple[str, ...], fragment: str) -> None:
    code, out, err = run(*args)
    assert code == 2 and out == ""
    one_line_error(err, fragment)


def test_nothing_found_is_exit_1(run) -> None:
    code, out, err = run("articles", "--format", "csv", "--query", "zeppelin")
    assert code == 1
    one_line_error(err, "the query matches no article")
    assert out.strip() == ",".join(export.COLUMNS["articles"])  # the header alone
    code, out, err = run("articles", "--format", "jsonl", "--ids", "no-such-article")
    assert code == 1 and out == ""
    one_line_error(err, "no article with id 'no-such-article'")


def test_csv_is_rfc_4180_and_parses_back_with_commas_quotes_and_braces(run) -> None:
    code, out, err = run("articles", "--format", "csv")
    assert code == 0, err
    assert "\r\n" in out and out.count("\r\n") == out.count("\n")  # CRLF line ends throughout
    rows = {r["id"]: r for r in parse_csv(out)}
    assert len(rows) == 5 + 1 + LIGHTHOUSES
    tricky = rows[TRICKY_ID]
    assert tricky == {"id": TRICKY_ID, "title": TRICKY_TITLE, "source": TRICKY_SOURCE,
                      "author": "Maria Lindqvist and Tom Okafor", "date": "2024-07-04",
                      "url": "https://coastaltimes.example/news/ports?a=1&b=2", "path": f"{TRICKY_ID}.md"}
    assert '"Coastal Times, ""Weekend"" edition"' in out  # quoted, inner quotes doubled


def test_a_csv_field_with_a_line_break_is_quoted_and_parses_back() -> None:
    out = io.StringIO(newline="")
    records = [{"id": "a", "title": 'one\ntwo, "three"\r\nfour', "source": None, "author": ["x", "y"]}]
    assert export.write_csv(iter(records), ("id", "title", "source", "author"), out) == 1
    [row] = parse_csv(out.getvalue())
    assert row == {"id": "a", "title": 'one\ntwo, "three"\r\nfour', "source": "", "author": "x; y"}


def test_jsonl_offsets_index_the_article_text(run, library: Library) -> None:
    code, out, err = run("articles", "--format", "jsonl")
    assert code == 0, err
    bodies = {r["id"]: r["body"] for r in parse_jsonl(out)}
    titles = {r["id"]: " ".join(r["title"].split()) for r in parse_jsonl(out)}
    assert bodies[TRICKY_ID] == library.article(TRICKY_ID).body
    code, out, err = run("mentions", "--format", "jsonl")
    mentions = parse_jsonl(out)
    assert len(mentions) > 50
    assert {m["field"] for m in mentions} == {"title", "body"}
    for m in mentions:
        text = bodies[m["article_id"]] if m["field"] == "body" else titles[m["article_id"]]
        assert text[m["start"]:m["end"]] == m["text"], m
    janssen = [m for m in mentions if m["article_id"] == TRICKY_ID and m["name"] == "Pieter Janssen"]
    assert janssen and janssen[0]["kind"] == "person"
    for kind in ("quotes", "figures"):
        code, out, err = run(kind, "--format", "jsonl")
        rows = parse_jsonl(out)
        assert rows, kind
        for r in rows:
            assert bodies[r["article"]][r["start"]:r["end"]] == r["text"], (kind, r)
    quote = next(r for r in parse_jsonl(run("quotes", "--format", "jsonl")[1]) if r["article"] == TRICKY_ID)
    assert quote["speaker_name"] == "Pieter Janssen" and quote["cue"] == "said"


def test_the_exports_reuse_the_json_of_the_reading_commands(run, corpus, capsys) -> None:
    folder, index = corpus
    main(["--articles", str(folder), "--index", str(index), "quotes", "--json"])
    quotes = json.loads(capsys.readouterr().out)["quotes"]
    exported = parse_jsonl(run("quotes", "--format", "jsonl")[1])
    assert [(q["article"], q["start"], q["end"], q["text"], (q["speaker"] or {}).get("name"), q["cue"])
            for q in quotes] == [(q["article"], q["start"], q["end"], q["text"], q["speaker_name"], q["cue"])
                                 for q in exported]
    main(["--articles", str(folder), "--index", str(index), "entities", "--json"])
    entities = {e["id"]: e for e in json.loads(capsys.readouterr().out)["entities"]}
    for row in parse_jsonl(run("entities", "--format", "jsonl")[1]):
        assert row["articles"] == entities[row["id"]]["articles"]
        assert row["mentions"] == entities[row["id"]]["mentions"]
    main(["--articles", str(folder), "--index", str(index), "figures", "--json"])
    groups = json.loads(capsys.readouterr().out)["figures"]
    claims = parse_jsonl(run("figures", "--format", "jsonl")[1])
    assert len(claims) == sum(len(g["claims"]) for g in groups)
    assert max(c["group"] for c in claims) == len(groups)


def test_the_md_export_is_a_reading_list_with_citations(run) -> None:
    code, out, err = run("articles", "--format", "md", "--ids", TRICKY_ID, "waic-2024-preview")
    assert code == 0, err
    lines = [line for line in out.splitlines() if line]
    assert lines[0] == "# Reading list"
    assert lines[1] == (r"1. **Ports, \"ferries\" & {braces}: 100% of co\_op \#1 ~ ^ \\ costs $5**."
                        .replace(r"\"", '"') + " Maria Lindqvist and Tom Okafor. *Coastal Times, \"Weekend\" "
                        "edition*, 4 Jul 2024. <https://coastaltimes.example/news/ports?a=1&b=2> "
                        f"`[{TRICKY_ID}]`")
    assert lines[2].startswith("2. **Shanghai is set to kick off") and lines[2].endswith("`[waic-2024-preview]`")
    code, out, _ = run("quotes", "--format", "md", "--ids", TRICKY_ID)
    assert "> “We have never been busier,”" in out
    assert "> — Pieter Janssen (said), *Ports" in out and "4 Jul 2024 `[harbour-ports-ferries]`" in out


def test_bibtex_escapes_special_characters_and_makes_unique_keys(run) -> None:
    code, out, err = run("articles", "--format", "bibtex")
    assert code == 0, err
    entries = parse_bibtex(out)
    assert len(entries) == 5 + 1 + LIGHTHOUSES
    tricky = entries["coastal-times-weekend-edition-2024-ports"]
    assert tricky["title"] == ("{Ports, \"ferries\" \\& \\{braces\\}: 100\\% of co\\_op \\#1 "
                               "\\textasciitilde{} \\textasciicircum{} \\textbackslash{} costs \\$5}")
    assert tricky["author"] == "Maria Lindqvist and Tom Okafor"
    assert tricky["journal"] == 'Coastal Times, "Weekend" edition'
    assert (tricky["year"], tricky["month"], tricky["date"]) == ("2024", "7", "2024-07-04")
    assert tricky["url"] == "https://coastaltimes.example/news/ports?a=1&b=2"
    lighthouse_keys = sorted(k for k in entries if k.startswith("coastal-times-2024-lighthouse"))
    assert len(lighthouse_keys) == LIGHTHOUSES  # one stem, made unique
    assert "coastal-times-2024-lighthouse" in lighthouse_keys and "coastal-times-2024-lighthouse-b" in lighthouse_keys


def test_csl_json_is_an_array_of_newspaper_articles(run) -> None:
    code, out, err = run("search", "--format", "csl-json", "--query", "harbour master")
    assert code == 0, err
    items = json.loads(out)
    assert [i["note"] for i in items] == [f"reader id: {TRICKY_ID}"]
    [item] = items
    assert item == {"id": "coastal-times-weekend-edition-2024-ports", "type": "article-newspaper",
                    "title": TRICKY_TITLE, "author": [{"family": "Lindqvist", "given": "Maria"},
                                                      {"family": "Okafor", "given": "Tom"}],
                    "container-title": TRICKY_SOURCE, "issued": {"date-parts": [[2024, 7, 4]]},
                    "URL": "https://coastaltimes.example/news/ports?a=1&b=2",
                    "note": f"reader id: {TRICKY_ID}"}
    code, out, _ = run("articles", "--format", "csl-json", "--query", "zeppelin")
    assert code == 1 and json.loads(out) == []


def test_a_query_selects_every_match_not_only_the_top_ten(run, library: Library) -> None:
    code, out, err = run("search", "--format", "csv", "--query", "lighthouse")
    assert code == 0, err
    rows = parse_csv(out)
    assert len(rows) == LIGHTHOUSES
    assert [int(r["rank"]) for r in rows] == list(range(1, LIGHTHOUSES + 1))
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    assert [r["id"] for r in rows] == [i for i, _ in library.matching("lighthouse")]
    code, out, _ = run("mentions", "--format", "jsonl", "--query", "lighthouse")
    assert {m["article_id"] for m in parse_jsonl(out)} <= {f"lighthouse-{n:02d}" for n in range(LIGHTHOUSES)}
    code, out, _ = run("articles", "--format", "jsonl", "--query", "lighthouse", "--ids", "lighthouse-03",
                       "waic-2024-preview")
    assert [r["id"] for r in parse_jsonl(out)] == ["lighthouse-03"]  # both: the ids the query matches
    code, out, _ = run("entities", "--format", "jsonl", "--ids", TRICKY_ID)
    assert {"Pieter Janssen"} <= {r["name"] for r in parse_jsonl(out)}
    assert all(r["articles"] == [TRICKY_ID] for r in parse_jsonl(out))


def test_output_goes_to_a_file_when_asked(run, tmp_path: Path) -> None:
    target = tmp_path / "list.csv"
    code, out, err = run("articles", "--format", "csv", "--output", str(target))
    assert code == 0 and out == "", err
    assert len(parse_csv(target.read_text(encoding="utf-8"))) == 5 + 1 + LIGHTHOUSES
    assert [p.name for p in tmp_path.iterdir()] == ["list.csv"]  # no temporary file left
    code, out, err = run("articles", "--format", "csv", "--output", str(tmp_path / "missing" / "list.csv"))
    assert code == 2 and out == ""
    one_line_error(err, "--output: no folder")


class Recorder(io.StringIO):
    """A file that notes how many rows had been read at each write."""

    def __init__(self, consumed: list[int]) -> None:
        super().__init__(newline="")
        self.consumed = consumed
        self.at: list[int] = []

    def write(self, text: str) -> int:
        self.at.append(self.consumed[0])
        return super().write(text)


@pytest.mark.parametrize("fmt", ("csv", "jsonl", "md", "bibtex", "csl-json"))
def test_every_export_is_streamed_a_row_at_a_time(library: Library, fmt: str) -> None:
    source = export.rows(library, "articles", None, body=True)
    assert inspect.isgenerator(source)  # nothing is read before it is asked for
    consumed = [0]

    def counted():
        for row in source:
            consumed[0] += 1
            yield row

    out = Recorder(consumed)
    writers = {
        "csv": lambda: export.write_csv(counted(), export.COLUMNS["articles"], out),
        "jsonl": lambda: export.write_jsonl(counted(), out),
        "md": lambda: export.write_md("articles", counted(), out, library),
        "bibtex": lambda: export.write_bibtex(counted(), out),
        "csl-json": lambda: export.write_csl_json(counted(), out),
    }
    total = writers[fmt]()
    assert total == 5 + 1 + LIGHTHOUSES
    # Each row is written before the next is read: the writes climb with the reads.
    written_after = sorted(set(out.at))
    assert written_after[-1] == total and len(written_after) >= total
    assert out.at == sorted(out.at)
    for kind in export.WHATS[1:]:
        assert inspect.isgenerator(export.rows(library, kind, [(TRICKY_ID, 0.0)]))


def test_citation_keys_and_escapes() -> None:
    keys = KeyMaker()
    article = {"id": "x", "title": "The Harbour", "source": "Coastal Times", "date": "2024-07-04"}
    assert [keys.key(article) for _ in range(3)] == ["coastal-times-2024-harbour", "coastal-times-2024-harbour-b",
                                                      "coastal-times-2024-harbour-c"]
    assert keys.key({"id": "y", "title": "", "source": "", "date": ""}) == "article-nd-y"
    assert bibtex_escape("a\nb  {c}") == r"a b \{c\}"
