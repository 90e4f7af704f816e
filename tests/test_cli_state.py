"""The reading-state commands: read, star, tag, untag, note, notes, list's
filters, search --save, searches and state export/import/path; each with
--json, exit codes 0/1/2 and one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from reader.cli import main

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
QUALCOMM, PREVIEW = "waic-qualcomm-sole-us-sponsor", "waic-2024-preview"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-state-index")


@pytest.fixture
def cli(index_dir: Path, capsys: pytest.CaptureFixture[str]):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--articles", str(ARTICLES), "--index", str(index_dir), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def listed(cli, *flags: str) -> list[str]:
    code, out, _err = cli("list", "--json", *flags)
    return sorted(a["id"] for a in json.loads(out)["articles"]) if code == 0 else []


def test_tag_untag_star_read_and_list_filters(cli) -> None:
    assert cli("tag", QUALCOMM, "Chips", "follow-up")[0] == 0
    code, out, _ = cli("tag", QUALCOMM, "chips", "--json")
    assert code == 0 and json.loads(out) == {"id": QUALCOMM, "tags": ["chips", "follow-up"], "added": []}
    assert listed(cli, "--tag", "chips") == [QUALCOMM]
    assert listed(cli, "--starred") == []
    assert cli("star", QUALCOMM)[0] == 0
    assert listed(cli, "--starred", "--tag", "follow-up") == [QUALCOMM]
    assert len(listed(cli, "--unread")) == 5
    code, out, _ = cli("read", QUALCOMM, PREVIEW, "--json")
    assert json.loads(out) == {"marked": "read", "articles": 2, "changed": 2}
    assert QUALCOMM not in listed(cli, "--unread") and len(listed(cli, "--unread")) == 3
    code, out, _ = cli("list", "--json")
    row = next(a for a in json.loads(out)["articles"] if a["id"] == QUALCOMM)
    assert row["read"] and row["starred"] and row["tags"] == ["chips", "follow-up"]
    assert cli("read", "--query", "company:Qualcomm", "--unread")[0] == 0
    assert QUALCOMM in listed(cli, "--unread")
    assert listed(cli, "--query", "company:Qualcomm", "--unread") == listed(cli, "--query", "company:Qualcomm")
    assert cli("untag", QUALCOMM, "chips")[1].strip() == f"{QUALCOMM}: #follow-up"
    assert cli("star", QUALCOMM, "--off")[0] == 0
    code, _out, err = cli("list", "--starred")
    assert code == 1 and err.strip() == "reader: no articles match the filter"


@pytest.mark.parametrize("args, code, words", [
    (("tag", "no-such-article", "x"), 1, "no article with id"),
    (("tag", QUALCOMM, "two words"), 2, "no spaces"),
    (("star", "nope"), 1, "no article with id"),
    (("read",), 2, "give article ids or --query"),
    (("read", "--query", "is:nonsense"), 2, "is: takes"),
    (("note", QUALCOMM, "--text", "x", "--passage", "9:3"), 2, "--passage"),
    (("note", QUALCOMM, "--text", "x", "--passage", "abc"), 2, "START:END"),
    (("note", QUALCOMM, "--delete", "999"), 1, "no note number 999"),
    (("searches", "--delete", "never-saved"), 1, "no saved search"),
    (("search", "is:bogus", "--save", "x"), 2, "is: takes"),
])
def test_bad_requests_are_one_line(cli, args: tuple[str, ...], code: int, words: str) -> None:
    got, _out, err = cli(*args)
    assert got == code
    assert err.count("\n") <= 2 and words in err and "Traceback" not in err


def test_notes_by_text_by_editor_and_on_a_passage(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, out, _ = cli("note", QUALCOMM, "--text", "check the 2024 figure", "--passage", "0:19", "--json")
    note = json.loads(out)
    assert code == 0 and note["passage"] == "Chinese tech giants" and (note["start"], note["end"]) == (0, 19)
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'a').write('written in the editor\\n')\n", "utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    assert cli("note", QUALCOMM)[0] == 0
    code, out, _ = cli("notes", QUALCOMM, "--json")
    texts = [n["text"] for n in json.loads(out)["notes"]]
    assert texts == ["check the 2024 figure", "written in the editor"]  # the editor's help lines left out
    code, out, _ = cli("notes")
    assert code == 0 and "on 0:19 “Chinese tech giants”" in out
    monkeypatch.delenv("EDITOR")
    code, _out, err = cli("note", PREVIEW)
    assert code == 2 and "set $EDITOR" in err
    number = json.loads(cli("notes", QUALCOMM, "--json")[1])["notes"][0]["note"]
    assert cli("note", QUALCOMM, "--delete", str(number))[0] == 0
    assert cli("list", "--json", "--query", "has:note")[0] == 0


def test_saved_searches_with_their_unread_counts(cli) -> None:
    code, _out, err = cli("search", "company:Huawei", "--save", "huawei")
    assert code == 0 and "saved the search 'huawei'" in err
    code, out, _ = cli("searches", "--json")
    saved = {s["name"]: s for s in json.loads(out)["searches"]}
    matches = saved["huawei"]["matches"]
    assert saved["huawei"]["query"] == "company:Huawei" and matches >= 1
    assert saved["huawei"]["unread"] == matches
    huawei_ids = json.loads(cli("search", "company:Huawei", "--json", "--limit", "50")[1])["hits"]
    cli("read", huawei_ids[0]["id"])
    saved = {s["name"]: s for s in json.loads(cli("searches", "--json")[1])["searches"]}
    assert saved["huawei"]["unread"] == matches - 1
    code, out, _ = cli("searches")
    assert code == 0 and "huawei" in out and f"{matches - 1} unread" in out
    assert cli("searches", "--delete", "huawei")[0] == 0
    assert cli("searches")[0] == 1


def test_state_export_import_and_path(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("tag", QUALCOMM, "moved")
    cli("star", PREVIEW)
    code, out, _ = cli("state", "path")
    assert code == 0 and out.strip().endswith(".sqlite3")
    export = tmp_path / "state.json"
    assert cli("state", "export", "--output", str(export))[0] == 0
    data = json.loads(export.read_text("utf-8"))
    assert {"id": QUALCOMM, "tag": "moved"}.items() <= data["tags"][0].items()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "another-machine"))
    assert listed(cli, "--tag", "moved") == []
    code, out, _ = cli("state", "import", str(export), "--json")
    assert code == 0 and json.loads(out)["added"]["tags"] == 1
    assert listed(cli, "--tag", "moved") == [QUALCOMM] and listed(cli, "--starred") == [PREVIEW]
    (tmp_path / "bad.json").write_text("{not json", "utf-8")
    code, _out, err = cli("state", "import", str(tmp_path / "bad.json"))
    assert code == 2 and "not JSON" in err and err.count("\n") == 1


def test_show_json_gives_the_reading_state(cli) -> None:
    cli("tag", PREVIEW, "shown")
    cli("note", PREVIEW, "--text", "seen in show")
    code, out, _ = cli("show", PREVIEW, "--json")
    data = json.loads(out)
    assert code == 0 and data["tags"] == ["shown"] and data["notes"][0]["text"] == "seen in show"
    assert data["read"] is False and data["starred"] is False
