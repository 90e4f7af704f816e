"""reader.corpus: the Article model and reading an articles folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reader.corpus as corpus
from reader.corpus import (
    Article,
    ArticleError,
    DERIVED_TITLE_CHARS,
    derive_title,
    iter_article_files,
    load_article,
    load_corpus,
    normalise_date,
    parse_article,
    scan,
    slugify,
)

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
BUNDLED_IDS = sorted(
    ["waic-2024-preview", "waic-2024-opening-speakers", "china-powers-global-ai-innovation",
     "waic-qualcomm-sole-us-sponsor", "china-ai-international-cooperation"]
)
HOSTILE_MARKUP = "[bold]bold[/bold] [/foo] [link=https://evil.example]click[/link] [@click=app.quit]quit[/]"
HOSTILE_ESCAPES = "\x1b[31mred\x1b[0m \x1b]0;owned\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x9b2J"


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


GOOD = "---\nid: good\ntitle: Good one\nsource: Wire\ndate: 2024-07-04\n---\nFirst paragraph.\n\nSecond.\n"


def test_bundled_corpus_loads_cleanly() -> None:
    result = load_corpus(ARTICLES)
    assert result.errors == []
    assert sorted(a.id for a in result.articles) == BUNDLED_IDS


def test_article_fields(tmp_path: Path) -> None:
    article = load_article(_write(tmp_path, "good.md", GOOD), tmp_path)
    assert article.id == "good"
    assert article.title == "Good one"
    assert article.source == "Wire"
    assert article.date == "2024-07-04"
    assert article.body == "First paragraph.\n\nSecond."
    assert article.path == "good.md"
    assert article.meta() == {
        "id": "good", "title": "Good one", "source": "Wire", "author": "", "date": "2024-07-04", "path": "good.md",
    }
    assert article.citation() == "Good one, Wire, 4 Jul 2024"


def test_unknown_keys_are_kept_as_extra(tmp_path: Path) -> None:
    article = load_article(_write(tmp_path, "a.md", "---\nid: a\ndateline: Shanghai\ntags: [x]\n---\nBody.\n"))
    assert article.extra == {"dateline": "Shanghai", "tags": ["x"]}


def test_id_defaults_to_the_file_name(tmp_path: Path) -> None:
    article = load_article(_write(tmp_path, "My Story 2024.md", "No front matter here.\n"), tmp_path)
    assert article.id == "my-story-2024"
    assert article.title == ""


def test_bad_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    data = b"---\nid: x\n---\nabc \xff def\n"
    path = _write(tmp_path, "bad.md", data)
    with pytest.raises(ArticleError) as info:
        load_article(path)
    assert info.value.path == str(path)
    assert "UTF-8" in info.value.reason
    offset = data.index(b"\xff")
    assert f"offset {offset}" in info.value.reason
    assert "0xff" in info.value.reason
    assert str(info.value).startswith(str(path))


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path, "bom.md", "\ufeff---\nid: bom\n---\nText.\n".encode("utf-8"))
    assert load_article(path).id == "bom"


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="empty file"):
        load_article(_write(tmp_path, "empty.md", b""))


@pytest.mark.parametrize("content", ["---\nid: x\n---\n", "---\nid: x\n---\n\n   \n\t\n", "\x00\x1b[0m\n"])
def test_article_without_text(tmp_path: Path, content: str) -> None:
    with pytest.raises(ArticleError, match="no text"):
        load_article(_write(tmp_path, "blank.md", content))


def test_too_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "MAX_ARTICLE_BYTES", 100)
    path = _write(tmp_path, "big.md", "---\nid: big\n---\n" + "word " * 50)
    with pytest.raises(ArticleError) as info:
        load_article(path)
    assert "limit" in info.value.reason
    # just under the limit is fine
    small = _write(tmp_path, "small.md", "---\nid: small\n---\nok\n")
    assert load_article(small).id == "small"


@pytest.mark.parametrize("bad_id", ["../escape", "has space", "-leading", "a/b", "", "x" * 201, "ünïcode"])
def test_bad_id(tmp_path: Path, bad_id: str) -> None:
    path = _write(tmp_path, "a.md", f"---\nid: {bad_id!r}\n---\nText.\n")
    with pytest.raises(ArticleError) as info:
        load_article(path)
    assert "id" in info.value.reason


@pytest.mark.parametrize("good_id", ["a", "A-1_b.c", "2024-07-04-story", "x" * 200])
def test_good_ids(tmp_path: Path, good_id: str) -> None:
    assert load_article(_write(tmp_path, "a.md", f"---\nid: '{good_id}'\n---\nT.\n")).id == good_id


@pytest.mark.parametrize("bad_date", ["yesterday", "2024-13-01", "2024-02-30", "07/04/2024", "2024-7-4x"])
def test_bad_date(tmp_path: Path, bad_date: str) -> None:
    with pytest.raises(ArticleError) as info:
        load_article(_write(tmp_path, "a.md", f"---\nid: a\ndate: '{bad_date}'\n---\nT.\n"))
    assert "date" in info.value.reason
    assert "ISO 8601" in info.value.reason


def test_dates_normalised() -> None:
    assert normalise_date("2024-07-04") == "2024-07-04"
    assert normalise_date(None) == ""
    assert normalise_date("") == ""
    assert normalise_date("2024-07-04T10:00:00Z") == "2024-07-04T10:00:00+00:00"
    assert normalise_date("2024-07-04 10:00") == "2024-07-04T10:00:00"
    with pytest.raises(ValueError):
        normalise_date("July 4")


@pytest.mark.parametrize("field", ["title", "source", "author", "url"])
def test_text_fields_must_be_text(tmp_path: Path, field: str) -> None:
    with pytest.raises(ArticleError, match=f"{field} must be text"):
        load_article(_write(tmp_path, "a.md", f"---\nid: a\n{field}: [x, y]\n---\nT.\n"))


def test_bad_front_matter_reports_path_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.md", "---\nid: a\ntitle: x: y\n---\nT.\n")
    with pytest.raises(ArticleError) as info:
        load_article(path)
    assert str(info.value).startswith(f"{path}: line 3:")


def test_control_characters_stripped_from_every_field(tmp_path: Path) -> None:
    content = (
        "---\n"
        'id: hostile\n'
        'title: "Ti\\x1b[31mtle\\x00 \\x9b2J"\n'
        'source: "So\\x07urce\\x1b]0;owned\\x07"\n'
        'author: "Au\\x1bcthor\\u202e"\n'
        'url: "http://x/\\x00y"\n'
        '---\n'
        f"Body {HOSTILE_ESCAPES} \x00\x01 end.\r\nSecond {HOSTILE_MARKUP}\r\n"
    )
    article = load_article(_write(tmp_path, "hostile.md", content))
    for value in (article.title, article.source, article.author, article.url, article.body):
        assert "\x1b" not in value and "\x00" not in value and "\x9b" not in value and "\r" not in value
        assert not any(ord(c) < 32 and c not in "\n\t" for c in value)
    assert article.title == "Title"
    assert article.source == "Source"
    assert article.author == "Author"
    assert article.url == "http://x/y"
    assert article.body.startswith("Body red  link   end.\nSecond ")
    # markup is text: it stays, to be shown literally
    assert HOSTILE_MARKUP in article.body


def test_title_fields_are_one_line(tmp_path: Path) -> None:
    article = load_article(_write(tmp_path, "a.md", "---\nid: a\ntitle: |\n  two\n  lines\n---\nT.\n"))
    assert article.title == "two lines"


def test_display_title_falls_back_to_the_first_sentence() -> None:
    article = Article(id="a", body="\n\nShanghai is set to kick off the WAIC today. More follows.\n\nNext.")
    assert article.title == ""
    assert article.display_title == "Shanghai is set to kick off the WAIC today."
    assert Article(id="b", body="One line without a stop").display_title == "One line without a stop"
    assert Article(id="c", body="x", title="Given").display_title == "Given"


def test_a_derived_title_is_the_whole_first_sentence() -> None:
    sentence = "A first sentence of " + "many words " * 30 + "that ends here."
    assert derive_title(sentence + " Then another.") == sentence
    assert "…" not in derive_title(sentence)


def test_a_derived_title_past_the_bound_is_cut_at_a_word_without_an_ellipsis() -> None:
    body = "word " * 1000
    title = derive_title(body)
    assert len(title) <= DERIVED_TITLE_CHARS and not title.endswith("…")
    assert title.split() == ["word"] * len(title.split())


def test_bundled_untitled_article_shows_its_first_sentence() -> None:
    article = load_article(ARTICLES / "waic-2024-preview.md", ARTICLES)
    assert article.title == ""
    assert article.display_title == (
        "Shanghai is set to kick off the World AI Conference (WAIC) & High-Level Meeting on Global AI Governance today."
    )


@given(st.text(max_size=1200))
def test_derive_title_is_one_line_and_from_the_text(body: str) -> None:
    title = derive_title(body)
    assert "\n" not in title
    assert len(title) <= DERIVED_TITLE_CHARS
    assert title in body or title == ""


def test_a_bad_file_does_not_stop_the_rest(tmp_path: Path) -> None:
    _write(tmp_path, "a-good.md", GOOD)
    _write(tmp_path, "b-bad-utf8.md", b"---\nid: b\n---\n\xc3\x28\n")
    _write(tmp_path, "c-empty.md", b"")
    _write(tmp_path, "d-broken.md", "---\nid: d\ntitle: [unclosed\n---\nT.\n")
    _write(tmp_path, "e-unclosed.md", "---\nid: e\nT.\n")
    _write(tmp_path, "f-also-good.md", "---\nid: f\n---\nFine.\n")
    _write(tmp_path, "sub/g-nested.md", "---\nid: g\n---\nNested.\n")
    _write(tmp_path, "notes.txt", "not an article file")
    _write(tmp_path, ".hidden.md", "---\nid: hidden\n---\nHidden.\n")
    _write(tmp_path, ".git/h.md", "---\nid: h\n---\nIn a hidden folder.\n")
    result = load_corpus(tmp_path)
    assert sorted(a.id for a in result.articles) == ["f", "g", "good"]
    failed = sorted(Path(e.path).name for e in result.errors)
    assert failed == ["b-bad-utf8.md", "c-empty.md", "d-broken.md", "e-unclosed.md"]
    for error in result.errors:
        assert error.reason and "\n" not in str(error)


def test_duplicate_ids_are_reported_and_skipped(tmp_path: Path) -> None:
    _write(tmp_path, "first.md", "---\nid: same\ntitle: First\n---\nOne.\n")
    _write(tmp_path, "second.md", "---\nid: same\ntitle: Second\n---\nTwo.\n")
    result = load_corpus(tmp_path)
    assert [a.title for a in result.articles] == ["First"]
    assert len(result.errors) == 1
    error = result.errors[0]
    assert Path(error.path).name == "second.md"
    assert "'same'" in error.reason and "first.md" in error.reason
    assert result.by_id()["same"].title == "First"


def test_symlink_loop_is_not_followed(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", GOOD)
    (tmp_path / "sub").mkdir()
    _write(tmp_path, "sub/b.md", "---\nid: b\n---\nB.\n")
    os.symlink(tmp_path, tmp_path / "sub" / "loop")  # folder link back up: a loop
    os.symlink(tmp_path / "sub", tmp_path / "again")
    os.symlink("self.md", tmp_path / "self.md")  # a file link to itself
    files = [p.relative_to(tmp_path).as_posix() for p in iter_article_files(tmp_path)]
    assert "a.md" in files and "sub/b.md" in files
    assert not any(f.startswith(("again/", "sub/loop/")) for f in files)
    result = load_corpus(tmp_path)  # finishes, and the loop is an error, not a hang
    assert sorted(a.id for a in result.articles) == ["b", "good"]
    assert [Path(e.path).name for e in result.errors] == ["self.md"]


def test_scan_states(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.md", GOOD)
    _write(tmp_path, "sub/b.md", "---\nid: b\n---\nB.\n")
    states = scan(tmp_path)
    assert set(states) == {"a.md", os.path.join("sub", "b.md")}
    assert states["a.md"].size == path.stat().st_size
    assert states["a.md"].mtime_ns == path.stat().st_mtime_ns


def test_parse_article_crlf(tmp_path: Path) -> None:
    article = parse_article("---\r\nid: crlf\r\ntitle: T\r\n---\r\nLine one.\r\n\r\nLine two.\r\n", "x.md")
    assert article.id == "crlf" and article.title == "T"
    assert article.body == "Line one.\n\nLine two."


@given(st.text(max_size=60))
def test_slugify_makes_valid_ids(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or corpus.ID_PATTERN.match(slug)
    assert slug == slug.lower()
    assert not slug.startswith("-") and not slug.endswith("-")


@given(st.text(max_size=300))
def test_parse_article_raises_only_article_error(text: str) -> None:
    try:
        article = parse_article(text, "x.md", "x.md")
    except ArticleError as exc:
        assert exc.reason
    else:
        assert article.body.strip()
        assert "\x1b" not in article.body and "\x00" not in article.body
