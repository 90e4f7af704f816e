"""reader.ingest and `reader import`: text, folders, JSON Lines and Markdown into
the articles folder, never outside it, never overwriting silently."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import reader.ingest as ingest
from reader.cli import main
from reader.corpus import iter_article_files, load_article, load_corpus
from reader.ingest import ImportError_, import_paths, safe_id

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "articles"
from proc_helpers import entries  # noqa: E402
from shared_data import BBC, REUTERS, seed_files  # noqa: E402
HOSTILE_MARKUP = "[bold]bold[/bold] [/foo] [link=https://evil.example]click[/link] [@click=app.quit]quit[/]"


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def all_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def make_hostile_sources(root: Path, big: bool = True) -> Path:
    """The hostile corpus of DESIGN.md ("Tests"), made at test time."""
    src = root / "hostile"
    write(src / "markup.txt", f"Markup {HOSTILE_MARKUP}\n\nBody with {HOSTILE_MARKUP} inside.\n")
    write(src / "escapes.txt", "Esc\x1b[31maped title\x1b[0m\n\nRed \x1b[31mtext\x1b[0m and a \x1b]0;title\x07 change"
                               " and \x1b]8;;http://evil\x1b\\a link\x1b]8;;\x1b\\.\n")
    write(src / "nul.txt", b"Nul title\n\nText\x00 with\x00 NUL\x00 bytes and \x07 bells.\n")
    write(src / "invalid-utf8.txt", b"Bad bytes\n\nText \xff\xfe with \xc3\x28 invalid UTF-8.\n")
    if big:
        write(src / "big.txt", "A five megabyte story\n\n" + ("All work and no play makes Jack a dull boy. " * 24 + "\n") * 4800)
    write(src / "broken-yaml.md", "---\nid: broken\ntitle: [unclosed\n---\nBody.\n")
    write(src / "python-tag.md", "---\nid: evil\ntitle: !!python/object/apply:os.system ['echo owned']\n---\nBody.\n")
    write(src / "alias-bomb.md", "---\nid: bomb\na: &a [x, x]\nb: [*a, *a]\n---\nBody.\n")
    write(src / "markup-front.md", f"---\nid: markup-front\ntitle: '{HOSTILE_MARKUP}'\nauthor: \"\\x1b[31mEvil\"\n---\n{HOSTILE_MARKUP}\n")
    write(src / "records.jsonl", "\n".join([
        json.dumps({"id": "j-markup", "title": HOSTILE_MARKUP, "body": f"Body {HOSTILE_MARKUP}."}),
        json.dumps({"id": "j-escape", "title": "\x1b[2Jclear", "body": "Text \x1b[31mred\x1b[0m\x00."}),
        "{not json",
        json.dumps(["a", "list"]),
    ]) + "\n")
    return src


# --- formats --------------------------------------------------------------------------

def test_import_text_file(tmp_path: Path) -> None:
    src = write(tmp_path / "src" / "Big News Today.txt", "Big news today\n\nBy Jane Doe\n\nFirst paragraph.\nSecond paragraph.\n")
    folder = tmp_path / "articles"
    report = import_paths([src], folder)
    assert report.added == ["big-news-today"] and not report.failed and not report.skipped
    article = load_article(folder / "big-news-today.md", folder)
    assert article.title == "Big news today"
    assert article.author == "Jane Doe"
    assert article.body == "First paragraph.\n\nSecond paragraph."
    assert article.original == "Big News Today.txt"


def test_import_folder_recursively(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src / "one.txt", "One\n\nText one.\n")
    write(src / "sport" / "002.txt", "Two\n\nText two.\n")
    write(src / "sport" / "deeper" / "three.text", "Three\n\nText three.\n")
    write(src / "notes.pdf", b"%PDF")
    write(src / ".hidden.txt", "Hidden\n\nNo.\n")
    folder = tmp_path / "articles"
    report = import_paths([src], folder)
    assert sorted(report.added) == ["one", "sport-002", "sport-deeper-three"]
    assert [Path(s).name for s, _ in report.skipped] == ["notes.pdf"]
    assert "not an article file" in report.skipped[0][1]
    assert load_article(folder / "sport-002.md").original == "sport/002.txt"


def test_import_jsonl_with_mapping(tmp_path: Path) -> None:
    src = write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in [
        {"uid": "a-1", "headline": "First headline", "text": "Body one.\n\nMore.", "when": "2024-07-04",
         "writer": "Jane Doe", "tags": ["x", "y"], "nested": {"dropped": True}},
        {"uid": "a-2", "headline": "Second", "text": "Body two.", "when": None},
        {"headline": "No id", "text": "Body three."},
        {"uid": "a-4", "headline": "Empty body", "text": "   "},
        {"uid": "a-5", "headline": "Bad date", "text": "Body.", "when": "last Tuesday"},
    ]) + "\n\n")
    folder = tmp_path / "articles"
    mapping = {"id": "uid", "title": "headline", "body": "text", "date": "when", "author": "writer"}
    report = import_paths([src], folder, mapping=mapping, source="Feed Wire")
    assert report.added == ["a-1", "a-2", "feed-3"]
    failed = dict(report.failed)
    assert set(failed) == {"feed.jsonl:4", "feed.jsonl:5"}
    assert "no text in field 'text'" in failed["feed.jsonl:4"]
    assert "ISO 8601" in failed["feed.jsonl:5"]
    first = load_article(folder / "a-1.md")
    assert (first.title, first.date, first.author, first.source) == ("First headline", "2024-07-04", "Jane Doe", "Feed Wire")
    assert first.body == "Body one.\n\nMore."
    assert first.extra["tags"] == ["x", "y"] and "nested" not in first.extra
    assert first.original == "feed.jsonl:1"


def test_import_jsonl_bad_lines_are_failed_with_line_numbers(tmp_path: Path) -> None:
    src = write(tmp_path / "feed.jsonl", b'{"id": "ok", "body": "Fine."}\n{broken\n["list"]\n{"id": "b", "body": "\xff"}\n')
    report = import_paths([src], tmp_path / "articles")
    assert report.added == ["ok"]
    failed = dict(report.failed)
    assert "invalid JSON" in failed["feed.jsonl:2"]
    assert "must be an object" in failed["feed.jsonl:3"]
    assert "UTF-8" in failed["feed.jsonl:4"]


def test_import_markdown_with_front_matter(tmp_path: Path) -> None:
    src = write(tmp_path / "src" / "story.md",
                "---\nid: my-story\ntitle: My story\ndate: 2024-07-04\ndateline: Shanghai\nrating: 5\n---\n\nThe text.\n")
    folder = tmp_path / "articles"
    report = import_paths([src], folder)
    assert report.added == ["my-story"]
    article = load_article(folder / "my-story.md")
    assert (article.title, article.date, article.body) == ("My story", "2024-07-04", "The text.")
    assert article.extra == {"dateline": "Shanghai", "rating": 5}
    assert article.original == "story.md"


def test_import_bundled_articles_round_trip(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    report = import_paths(sorted(ARTICLES.glob("*.md")), folder)
    assert len(report.added) == 5 and not report.failed
    for path in ARTICLES.glob("*.md"):
        original = load_article(path, ARTICLES)
        copy = load_article(folder / path.name, folder)
        assert (copy.id, copy.title, copy.body, copy.date, copy.author, copy.source) == (
            original.id, original.title, original.body, original.date, original.author, original.source)


def test_import_seeds_gives_the_bundled_bodies(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(ARTICLES / "entities.yaml", folder / "entities.yaml")
    from reader.entities import load_entity_list

    seeds = seed_files()
    assert len(seeds) == 5
    entity_list = load_entity_list(folder)
    names = [n for e in entity_list.entities.values() for n in e.names]
    report = import_paths(seeds, folder, known_places=entity_list.places(), known_names=names)
    assert len(report.added) == 5 and not report.failed
    bundled = {a.original: a for a in load_corpus(ARTICLES).articles}
    imported = {a.original: a for a in load_corpus(folder).articles}
    assert set(imported) == set(bundled)
    for original, article in imported.items():
        assert article.body == bundled[original].body
        assert article.title == bundled[original].title
        assert article.author == bundled[original].author
        assert article.date == bundled[original].date
        assert article.source == bundled[original].source  # "SCMP" in two raw texts, spelled out


def test_crlf_is_normalised(tmp_path: Path) -> None:
    src = write(tmp_path / "crlf.txt", b"Title line\r\n\r\nFirst.\r\nSecond.\r\n")
    folder = tmp_path / "articles"
    import_paths([src], folder)
    raw = (folder / "crlf.md").read_bytes()
    assert b"\r" not in raw
    article = load_article(folder / "crlf.md")
    assert article.title == "Title line" and article.body == "First.\n\nSecond."


def test_undecodable_file_fails_with_a_reason_and_the_rest_is_imported(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src / "a.txt", "Good\n\nFine text.\n")
    write(src / "b.txt", b"Bad\n\ncaf\xe9 latin-1\n")
    write(src / "c.txt", "Also good\n\nMore text.\n")
    write(src / "d.txt", b"")
    report = import_paths([src], tmp_path / "articles")
    assert sorted(report.added) == ["a", "c"]
    reasons = {Path(s).name: r for s, r in report.failed}
    assert set(reasons) == {"b.txt", "d.txt"}
    assert "not valid UTF-8" in reasons["b.txt"] and "offset 8" in reasons["b.txt"]
    assert reasons["d.txt"] == "empty file"


def test_missing_source_is_reported(tmp_path: Path) -> None:
    report = import_paths([tmp_path / "nope.txt"], tmp_path / "articles")
    assert report.failed == [(str(tmp_path / "nope.txt"), "no such file or folder")]


def test_same_id_is_skipped_then_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write(tmp_path / "v1" / "story.txt", "Version one\n\nOld text.\n")
    write(tmp_path / "v2" / "story.txt", "Version two\n\nNew text.\n")
    assert import_paths([tmp_path / "v1" / "story.txt"], folder).added == ["story"]
    report = import_paths([tmp_path / "v2" / "story.txt"], folder)
    assert report.added == [] and len(report.skipped) == 1
    assert "exists" in report.skipped[0][1] and "--replace" in report.skipped[0][1]
    assert load_article(folder / "story.md").title == "Version one"
    report = import_paths([tmp_path / "v2" / "story.txt"], folder, replace=True)
    assert report.replaced == ["story"]
    assert load_article(folder / "story.md").title == "Version two"
    assert entries(folder) == ["story.md"]  # no temporary files left


def test_same_id_twice_in_one_import(tmp_path: Path) -> None:
    src = write(tmp_path / "f.jsonl", '{"id": "x", "body": "One."}\n{"id": "x", "body": "Two."}\n')
    report = import_paths([src], tmp_path / "articles")
    assert report.added == ["x"]
    assert "appears twice" in report.skipped[0][1]
    assert load_article(tmp_path / "articles" / "x.md").body == "One."


def test_replace_finds_the_existing_file_by_id(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write(folder / "some-other-name.md", "---\nid: story\ntitle: Old\n---\nOld.\n")
    write(tmp_path / "story.txt", "New\n\nNew text.\n")
    assert import_paths([tmp_path / "story.txt"], folder).skipped
    report = import_paths([tmp_path / "story.txt"], folder, replace=True)
    assert report.replaced == ["story"]
    assert entries(folder) == ["some-other-name.md"]
    assert load_article(folder / "some-other-name.md").title == "New"


def test_file_name_taken_by_another_article_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write(folder / "story.md", "---\nid: something-else\n---\nOther.\n")
    write(tmp_path / "story.txt", "New\n\nNew text.\n")
    report = import_paths([tmp_path / "story.txt"], folder, replace=True)
    assert not report.added and not report.replaced
    assert "holds another article" in report.skipped[0][1]
    assert load_article(folder / "story.md").id == "something-else"


def test_running_twice_changes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src / "a.txt", "A\n\nText a.\n")
    write(src / "b.jsonl", '{"id": "b", "body": "Text b."}\n')
    write(src / "c.md", "---\nid: c\n---\nText c.\n")
    folder = tmp_path / "articles"
    first = import_paths([src], folder)
    assert sorted(first.added) == ["a", "b", "c"]
    before = snapshot(folder)
    second = import_paths([src], folder)
    assert second.added == [] and second.replaced == [] and second.failed == []
    assert len(second.skipped) == 3
    assert snapshot(folder) == before


@pytest.mark.parametrize("raw_id", ["../../etc/passwd", "/abs", "..", ".hidden", "a/../../b", "~/x", "..\\..\\win"])
def test_ids_never_escape_the_folder(tmp_path: Path, raw_id: str) -> None:
    folder = tmp_path / "deep" / "articles"
    src = write(tmp_path / "src" / "f.jsonl", json.dumps({"id": raw_id, "body": "Text."}) + "\n")
    before = all_files(tmp_path)
    report = import_paths([src], folder)
    after = all_files(tmp_path)
    new = after - before
    assert all(name.startswith(os.path.join("deep", "articles") + os.sep) for name in new), new
    for art_id in report.added:
        assert art_id == safe_id(raw_id)
        assert (folder / f"{art_id}.md").is_file()
        assert not art_id.startswith(".") and "/" not in art_id and ".." not in art_id
    if not report.added:
        assert report.failed and "usable" in report.failed[0][1]


@pytest.mark.parametrize("raw_id", ["../../etc/passwd", "/abs", "..", ".hidden"])
def test_markdown_ids_that_escape_are_refused(tmp_path: Path, raw_id: str) -> None:
    folder = tmp_path / "articles"
    src = write(tmp_path / "src" / "x.md", f"---\nid: '{raw_id}'\n---\nText.\n")
    report = import_paths([src], folder)
    assert report.added == []
    assert report.failed and "id" in report.failed[0][1]
    assert not folder.exists() or entries(folder) == []


def test_symlinks_out_of_the_folder_and_loops_are_skipped(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside" / "secret.txt", "Secret\n\nDo not import.\n")
    src = tmp_path / "src"
    write(src / "real.txt", "Real\n\nImported.\n")
    os.symlink(outside, src / "link-out.txt")
    os.symlink(tmp_path / "outside", src / "dir-link")
    os.symlink("loop-b.txt", src / "loop-a.txt")
    os.symlink("loop-a.txt", src / "loop-b.txt")
    os.symlink(src, src / "self-dir")
    os.symlink(src / "real.txt", src / "inside-link.txt")
    report = import_paths([src], tmp_path / "articles")
    assert sorted(report.added) == ["inside-link", "real"]
    skipped = {Path(s).name: r for s, r in report.skipped}
    failed = {Path(s).name: r for s, r in report.failed}
    assert "outside" in skipped["link-out.txt"]
    assert "not followed" in skipped["dir-link"] and "not followed" in skipped["self-dir"]
    assert "looping" in failed["loop-a.txt"] and "looping" in failed["loop-b.txt"]


def test_replace_never_writes_through_a_symlink_out_of_the_folder(tmp_path: Path) -> None:
    victim = write(tmp_path / "outside" / "victim.md", "---\nid: victim\n---\nPrecious.\n")
    folder = tmp_path / "articles"
    folder.mkdir()
    os.symlink(victim, folder / "victim.md")
    os.symlink(tmp_path / "outside" / "missing.md", folder / "dangling.md")
    write(tmp_path / "src" / "victim.txt", "Overwrite\n\nEvil.\n")
    write(tmp_path / "src" / "dangling.txt", "Dangling\n\nEvil.\n")
    before = victim.read_bytes()
    report = import_paths([tmp_path / "src"], folder, replace=True)
    assert report.added == [] and report.replaced == []
    assert len(report.failed) == 2 and all("leave the articles folder" in r for _, r in report.failed)
    assert victim.read_bytes() == before
    assert not (tmp_path / "outside" / "missing.md").exists()


def _make_read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod the folder read-only; as root (who may write anyway) also make
    os.access report it the way it would for anyone else."""
    folder.chmod(0o555)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        real_access = os.access
        target = folder.resolve()

        def access(path, mode, *args, **kwargs):  # type: ignore[no-untyped-def]
            if mode & os.W_OK and Path(path).resolve() == target:
                return False
            return real_access(path, mode, *args, **kwargs)

        monkeypatch.setattr(ingest.os, "access", access)


def test_read_only_articles_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "articles"
    write(folder / "existing.md", "---\nid: existing\n---\nText.\n")
    write(tmp_path / "src" / "new.txt", "New\n\nText.\n")
    before = snapshot(folder)
    _make_read_only(folder, monkeypatch)
    try:
        with pytest.raises(ImportError_) as info:
            import_paths([tmp_path / "src"], folder)
        assert "read-only" in str(info.value) and "\n" not in str(info.value)
        assert snapshot(folder) == before
        assert entries(folder) == ["existing.md"]
    finally:
        folder.chmod(0o755)


def test_read_only_folder_via_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "articles"
    write(folder / "existing.md", "---\nid: existing\n---\nText.\n")
    write(tmp_path / "src" / "new.txt", "New\n\nText.\n")
    _make_read_only(folder, monkeypatch)
    try:
        code = main(["--articles", str(folder), "--index", str(tmp_path / "ix"), "import", str(tmp_path / "src")])
    finally:
        folder.chmod(0o755)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "read-only" in err and "Traceback" not in err
    assert entries(folder) == ["existing.md"]


def test_articles_folder_is_created(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "A\n\nText.\n")
    report = import_paths([tmp_path / "a.txt"], tmp_path / "new" / "articles")
    assert report.added == ["a"]


def test_cannot_create_articles_folder(tmp_path: Path) -> None:
    blocker = write(tmp_path / "file", "x")
    write(tmp_path / "a.txt", "A\n\nText.\n")
    with pytest.raises(ImportError_, match="cannot create"):
        import_paths([tmp_path / "a.txt"], blocker / "articles")


# --- cleaning rules during import -------------------------------------------------------

def test_cleaning_yaml_in_the_articles_folder_applies(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write(folder / "cleaning.yaml", "rules:\n  - name: promo\n    pattern: 'more from the desk.*'\ndisable: [counter]\n")
    write(tmp_path / "s.txt", "Title\n\n7\nStory.\nMore from the desk: sign up\n")
    import_paths([tmp_path / "s.txt"], folder)
    assert load_article(folder / "s.md").body == "7\n\nStory."


def test_patterns_file_applies(tmp_path: Path) -> None:
    rules = write(tmp_path / "extra.yaml", "rules:\n  - name: promo\n    pattern: 'more from the desk.*'\n")
    write(tmp_path / "s.txt", "Title\n\nStory.\nMore from the desk\n")
    import_paths([tmp_path / "s.txt"], tmp_path / "articles", pattern_files=[rules])
    assert load_article(tmp_path / "articles" / "s.md").body == "Story."


def test_bad_patterns_file_via_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = write(tmp_path / "bad.yaml", "rules:\n  - name: broken\n    pattern: '(['\n")
    write(tmp_path / "s.txt", "Title\n\nStory.\n")
    code = main(["--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "ix"),
                 "import", str(tmp_path / "s.txt"), "--patterns", str(rules)])
    err = capsys.readouterr().err
    assert code == 2
    assert "bad pattern" in err and err.count("\n") == 1 and "Traceback" not in err


# --- hostile input ------------------------------------------------------------------------

def test_hostile_corpus(tmp_path: Path) -> None:
    src = make_hostile_sources(tmp_path)
    folder = tmp_path / "articles"
    report = import_paths([src], folder)
    failed = {Path(origin).name: reason for origin, reason in report.failed}  # records.jsonl:N keeps its line
    assert sorted(report.added) == ["big", "escapes", "j-escape", "j-markup", "markup", "markup-front", "nul"]
    assert "UTF-8" in failed["invalid-utf8.txt"]
    # the flow list opened on line 3 is still open where the front matter ends (line 4)
    assert failed["broken-yaml.md"].startswith(("line 3:", "line 4:"))
    assert "tag" in failed["python-tag.md"]
    assert "alias" in failed["alias-bomb.md"].lower()
    assert "invalid JSON" in failed["records.jsonl:3"]
    assert "must be an object" in failed["records.jsonl:4"]
    assert len(report.failed) == 6

    result = load_corpus(folder)
    assert result.errors == []
    by_id = result.by_id()
    for article in result.articles:
        for value in (article.title, article.author, article.source, article.body):
            assert "\x1b" not in value and "\x00" not in value and "\x07" not in value
    assert HOSTILE_MARKUP in by_id["markup"].body  # kept as text, literally
    assert by_id["markup"].title == f"Markup {HOSTILE_MARKUP}"
    assert by_id["markup-front"].title == HOSTILE_MARKUP
    assert by_id["markup-front"].author == "Evil"
    assert by_id["j-markup"].title == HOSTILE_MARKUP
    assert by_id["escapes"].title == "Escaped title"
    assert by_id["escapes"].body == "Red text and a  change and a link."
    assert by_id["nul"].body == "Text with NUL bytes and  bells."
    assert by_id["j-escape"].body == "Text red."
    assert len(by_id["big"].body) > 5_000_000


def test_hostile_import_via_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Without the 5 MB article: its import is covered above, and indexing it is slow.
    src = make_hostile_sources(tmp_path, big=False)
    folder = tmp_path / "articles"
    code = main(["--articles", str(folder), "--index", str(tmp_path / "ix"), "import", str(src), "--json"])
    out = capsys.readouterr().out
    data = json.loads(out)
    assert code == 0
    assert len(data["added"]) == 6 and len(data["failed"]) == 6
    assert all(set(item) == {"source", "reason"} for item in data["failed"] + data["skipped"])
    # the index report is the update that indexed the new articles
    assert data["index"]["added"] == 6 and data["index"]["errors"] == []


# --- the CLI --------------------------------------------------------------------------------

def test_cli_import_with_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "feed.jsonl", json.dumps({"key": "k1", "headline": "Mapped title", "text": "Mapped body."}) + "\n")
    folder = tmp_path / "articles"
    code = main(["--articles", str(folder), "--index", str(tmp_path / "ix"), "import", str(src),
                 "--map", "title=headline", "--map", "body=text,id=key", "--source", "Feed"])
    captured = capsys.readouterr()
    assert code == 0
    assert "added 1, replaced 0, skipped 0, failed 0" in captured.out
    article = load_article(folder / "k1.md")
    assert (article.title, article.body, article.source) == ("Mapped title", "Mapped body.", "Feed")


@pytest.mark.parametrize("bad", ["title", "color=hue"])
def test_cli_bad_map(tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str) -> None:
    write(tmp_path / "f.jsonl", '{"body": "x"}\n')
    code = main(["--articles", str(tmp_path / "a"), "--index", str(tmp_path / "ix"), "import",
                 str(tmp_path / "f.jsonl"), "--map", bad])
    err = capsys.readouterr().err
    assert code == 2 and "--map" in err and "Traceback" not in err


def test_cli_import_twice_and_replace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "s.txt", "Title\n\nStory.\n")
    args = ["--articles", str(tmp_path / "a"), "--index", str(tmp_path / "ix"), "import", str(tmp_path / "s.txt")]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "added 0, replaced 0, skipped 1, failed 0" in captured.out
    assert "skipped" in captured.err and "--replace" in captured.err
    assert main(args + ["--replace"]) == 0
    assert "replaced 1" in capsys.readouterr().out


def test_cli_import_only_failures_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "bad.txt", b"\xff\xfe")
    code = main(["--articles", str(tmp_path / "a"), "--index", str(tmp_path / "ix"), "import", str(tmp_path / "bad.txt")])
    captured = capsys.readouterr()
    assert code == 2
    assert "failed" in captured.err and "UTF-8" in captured.err


def test_cli_import_subprocess(tmp_path: Path) -> None:
    write(tmp_path / "src" / "one.txt", "One\n\nText.\n")
    env = {**os.environ, "READER_ARTICLES": str(tmp_path / "a"), "READER_INDEX": str(tmp_path / "ix")}
    proc = subprocess.run([sys.executable, "-m", "reader", "import", str(tmp_path / "src"), "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["added"] == ["one"]
    assert (tmp_path / "a" / "one.md").is_file()
    assert (tmp_path / "ix").is_dir()


# --- the real corpora -------------------------------------------------------------------------

@pytest.mark.slow
def test_all_bbc_files_import(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    report = import_paths([BBC], folder)
    assert report.failed == [] and report.skipped == []
    assert len(report.added) == 2225
    files = list(iter_article_files(folder))
    assert len(files) == 2225
    sample = load_article(folder / "business-001.md", folder)
    assert sample.title == "Ad sales boost Time Warner profit"
    assert sample.body.startswith("Quarterly profits at US media giant TimeWarner jumped 76%")
    assert "\r" not in sample.body
    assert sample.original == "business/001.txt"


@pytest.mark.slow
def test_all_reuters_records_import(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    report = import_paths([REUTERS], folder)
    assert report.failed == [] and report.skipped == []
    assert len(report.added) == 19043
    first = load_article(folder / "1.md", folder)
    assert first.title == "BAHIA COCOA REVIEW"
    assert first.date == "1987-02-26T15:01:01"
    assert first.extra["dateline"] == "SALVADOR, Feb 26"
    assert first.body.startswith("Showers continued throughout the week in the Bahia cocoa zone")
    assert not first.body.rstrip().endswith("Reuter")
    # every written file reads back as a valid article
    names = set(entries(folder))
    assert len(names) == 19043 and all(n.endswith(".md") for n in names)


def test_import_decodes_character_references_in_titles_and_bodies(tmp_path: Path) -> None:
    src = write(tmp_path / "feed.jsonl", json.dumps(
        {"id": "refs", "title": "Caf&eacute; &lt;b&gt;chain&lt;/b&gt; makes &#163;1.8m",
         "body": "Profit was &#163;1.8m &amp; rising.\n&#27;[2J&lt;script&gt;"}) + "\n")
    write(tmp_path / "text" / "story.txt", "Caf&eacute; &#163;2m deal\n\nThe &quot;deal&quot; closed.\n")
    folder = tmp_path / "articles"
    report = import_paths([src, tmp_path / "text"], folder)
    assert sorted(report.added) == ["refs", "story"] and not report.failed
    article = load_article(folder / "refs.md")
    assert article.title == "Café <b>chain</b> makes £1.8m"
    assert article.body == "Profit was £1.8m & rising.\n\n[2J<script>"
    story = load_article(folder / "story.md")
    assert (story.title, story.body) == ("Café £2m deal", 'The "deal" closed.')


def test_import_takes_the_date_marker_after_a_headline(tmp_path: Path) -> None:
    write(tmp_path / "src" / "port.txt", "Port reopens after the storm\ndate 2024-07-06 The port reopened.\n\nMore.\n")
    write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in [
        {"id": "dated", "title": "Port reopens", "date": "2024-07-01", "body": "date 2024-07-06 The port reopened."},
        {"id": "undated", "title": "Port reopens", "body": "date 2024-07-06\nThe port reopened."},
    ]) + "\n")
    folder = tmp_path / "articles"
    report = import_paths([tmp_path / "src", tmp_path / "feed.jsonl"], folder)
    assert sorted(report.added) == ["dated", "port", "undated"]
    port = load_article(folder / "port.md")
    assert (port.title, port.date, port.body) == ("Port reopens after the storm", "2024-07-06", "The port reopened.\n\nMore.")
    dated, undated = load_article(folder / "dated.md"), load_article(folder / "undated.md")
    assert (dated.date, dated.body) == ("2024-07-01", "The port reopened.")  # the record's own date wins
    assert (undated.date, undated.body) == ("2024-07-06", "The port reopened.")


def test_a_long_jsonl_import_says_how_far_it_is_and_can_leave_indexing_for_later(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.cli as cli

    monkeypatch.setattr(cli, "IMPORT_PROGRESS_EVERY", 1000)  # 100,000 in real use
    source = tmp_path / "records.jsonl"
    with open(source, "w") as handle:
        for number in range(2600):
            handle.write(json.dumps({"id": f"log-{number}", "title": f"Lighthouse log {number}",
                                     "body": f"The lamp was trimmed at dusk on night {number}."}) + "\n")
    folder = tmp_path / "articles"
    folder.mkdir()
    index = tmp_path / "index"
    code = main(["--articles", str(folder), "--index", str(index), "import", "--no-index", str(source)])
    out, err = capsys.readouterr()
    assert code == 0 and out.strip() == "added 2600, replaced 0, skipped 0, failed 0"
    assert err.splitlines() == ["reader: importing: 1000 records read", "reader: importing: 2000 records read"]
    assert not index.exists()  # left for the next command
    assert len(list(folder.glob("*.md"))) == 2600
    code = main(["--articles", str(folder), "--index", str(index), "search", "--json", "lamp"])
    out, _ = capsys.readouterr()
    assert code == 0 and json.loads(out)["total"] == 2600
