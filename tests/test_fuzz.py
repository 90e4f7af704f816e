"""Property-based fuzzing (hypothesis) of the parsers, the cleaner, the importer,
the query layer and the span arithmetic of highlighting.

Properties:

* ``frontmatter.parse`` (and ``corpus.parse_article``) raise nothing but their
  own one-line error;
* ``Cleaner().clean`` never raises and its output carries no control character;
* ``ingest.from_record`` raises nothing but ArticleError, whatever the JSON; an
  import of random JSON Lines only reports failures; and whatever the importer
  writes, the loader reads back with the same id and text;
* every JSON line is judged alone: good lines mixed with hostile ones (nesting
  thousands deep, lone surrogates, integers past Python's digit limit, fields
  of the wrong type, garbage bytes) are all imported, and each bad line is one
  failure of one line, never an exception that ends the import;
* ``ArticleSearch.search`` raises nothing but QueryError, and its hits'
  highlights lie inside their snippets;
* spans (``merge_spans``, ``make_snippet``, ``hit_spans``, ``Matcher.match``,
  ``Extractor.extract``) lie inside the text, are sorted, never overlap, and
  index the sanitised text they were computed on; the faster ``longest_first``
  and ``make_snippet`` agree with the quadratic versions they replaced.

A short atheris run of tests/fuzz/fuzz_reader.py ends the module when atheris
is installed (it is not a test dependency).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.cleaning import Cleaner
from reader.corpus import ID_PATTERN, ArticleError, parse_article
from reader.entities import load_entity_list, name_key
from reader.extract import Extractor
from reader.frontmatter import FrontMatterError, parse, render
from reader.index import build_schema
from reader.ingest import DEFAULT_MAPPING, ImportReport, from_record, import_paths
from reader.matcher import Matcher, Mention, fold, longest_first
from reader.sanitize import is_clean, sanitize, sanitize_line
from reader.search import QueryError, hit_spans, make_snippet, merge_spans

from proc_helpers import entries

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "articles"
FORBIDDEN = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {chr(c) for c in range(0x7F, 0xA0)} | set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
FAST = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))

# --- strategies --------------------------------------------------------------------------------

NASTY = ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1b[31m", "\x1b]0;t\x07", "\x1b]8;;http://x\x1b\\",
         "\x1bP1$r\x1b\\", "\x7f", "\x85", "\x9b", "\x9b2J", "\x9d0;t\x9c", "\u202e", "\u2066", "\ufeff", "\r",
         "\r\n", "\u2028", "\u00a0", "\u0130", "ß", "ﬁ", "’", "\U0001F600", "\udcff"[:0], "[bold]", "[/", "[@click=app.quit]"]
YAML_BITS = ["---\n", "...\n", "\n", "key: ", "id: ", "title: ", "date: ", "url: ", "- ", "  ", "&a ", "*a", "<<: *a\n",
             "!!python/object/apply:os.system ['x']", "!tag ", "|\n", ">\n", "{", "}", "[", "]", ",", "'", '"', "#", "%YAML 1.1\n",
             "? ", ": ", "2024-07-04", "2024-13-99", "null", "~", "yes", "0x1F", "1e400", ".inf", "\t", "\\", "\\x00", "\\u202e"]
WORDS = ["China", "Elon Musk", "Musk", "Qualcomm", "Li Qiang", "Premier Li", "Zhou Minghao", "said", "the", "AI",
         "Acme Holdings Ltd", "By John Smith in London", "Advertisement", "Read more", "© 2024 Reuters", "Published: 2024-07-01",
         "WAIC", "Shanghai", "government", "elections", "running", "ran", "don't", "U.S.", "co-founder", "—", "…"]

nasty_text = st.lists(st.one_of(st.sampled_from(NASTY), st.sampled_from(WORDS), st.text(max_size=8)), max_size=30).map("".join)
yaml_text = st.lists(st.one_of(st.sampled_from(YAML_BITS), st.sampled_from(NASTY), st.text(max_size=6)), max_size=40).map("".join)
document = st.one_of(
    st.builds(lambda head, body: "---\n" + head + "\n---\n" + body, yaml_text, nasty_text),
    st.builds(lambda head, body: "\ufeff---\r\n" + head + "\r\n...\r\n" + body, yaml_text, nasty_text),
    yaml_text,
    st.text(max_size=300),
)
prose = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from([" ", " ", ". ", ", ", "\n", "\n\n", "'s "]),
                           st.sampled_from(NASTY), st.text(max_size=5)), max_size=60).map("".join)


def forbidden_in(text: str) -> list[str]:
    return sorted({repr(c) for c in text if c in FORBIDDEN})


# --- front matter -----------------------------------------------------------------------------

@FAST
@given(document)
@example("---\n" + "[" * 5000 + "\n---\nx")
@example("---\na: &a [1]\nb: [*a, *a]\n---\nx")
@example("---\n\x00: x\n---\nbody")
@example("---\ndate: 2024-02-30\nflag: !!bool maybe\n---\nA typo in a date.")
def test_frontmatter_parse_raises_only_front_matter_error(text: str) -> None:
    try:
        doc = parse(text)
    except FrontMatterError as exc:
        assert str(exc) and "\n" not in str(exc)
        assert exc.line is None or exc.line >= 1
    else:
        assert isinstance(doc.meta, dict) and all(isinstance(k, str) for k in doc.meta)
        assert doc.body_line >= 1


@FAST
@given(document)
@example("---\nid: typo\ndate: 2024-02-30\n---\nA typo in a date.")
def test_parse_article_raises_only_article_error_and_its_output_is_clean(text: str) -> None:
    try:
        article = parse_article(text, "fuzz.md", "fuzz.md")
    except ArticleError as exc:
        assert exc.reason and "\n" not in str(exc)
        return
    assert ID_PATTERN.match(article.id)
    assert article.body.strip() and not forbidden_in(article.body)
    for value in (article.title, article.source, article.author, article.url, article.original, article.date):
        assert not forbidden_in(value) and "\n" not in value


@FAST
@given(st.dictionaries(st.sampled_from(["title", "source", "author", "url", "date", "extra", "tags"]),
                       st.one_of(st.text(max_size=30), st.sampled_from(["2024-07-04", "2024-07-04T10:00:00+08:00"]),
                                 st.lists(st.text(max_size=10), max_size=3)), max_size=5),
       nasty_text)
def test_render_then_parse_round_trips(meta: dict, body: str) -> None:
    body = sanitize(body)
    meta = {k: sanitize_line(v) if isinstance(v, str) else [sanitize_line(x) for x in v] for k, v in meta.items()}
    doc = parse(render(meta, body))
    for key, value in meta.items():
        if value in (None, "", [], {}):
            continue
        assert doc.meta[key] == value or str(doc.meta[key]) == str(value), (key, value, doc.meta[key])
    assert doc.body.strip("\n") == body.strip("\n")


# --- sanitising and cleaning -----------------------------------------------------------------

@FAST
@given(nasty_text)
def test_sanitize_is_idempotent_and_leaves_no_control_character(text: str) -> None:
    clean = sanitize(text)
    assert not forbidden_in(clean) and "\r" not in clean
    assert sanitize(clean) == clean and is_clean(clean)
    line = sanitize_line(text)
    assert "\n" not in line and not forbidden_in(line) and line == line.strip()


@FAST
@given(st.lists(st.one_of(prose, st.sampled_from(["Advertisement", "Read more:", "© 2024 Reuters. All rights reserved.",
                                                     "By John Smith in London", "Date: 2024-07-01", "    indented",
                                                     "• bullet", "Col one    two    three"])), max_size=25).map("\n".join),
       st.booleans())
def test_cleaner_never_raises_and_leaves_no_control_character(raw: str, title_line: bool) -> None:
    cleaned = Cleaner(known_places=["London", "Shanghai"]).clean(raw, title_line=title_line)
    assert not forbidden_in(cleaned.body)
    for value in (cleaned.title, cleaned.author, cleaned.dateline, cleaned.source, cleaned.date):
        assert not forbidden_in(value) and "\n" not in value
    if not title_line:
        assert cleaned.title == ""


# --- the importer ----------------------------------------------------------------------------

json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
              nasty_text, st.sampled_from(["2024-07-04", "2024-02-30", "yesterday", "../x", "..", "/etc/passwd"])),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.text(max_size=5), children, max_size=3)),
    max_leaves=8,
)
record_keys = st.one_of(st.sampled_from(list(DEFAULT_MAPPING) + ["url", "original", "dateline", "id ", "date!", "Title",
                                                                 "url!", "tags", "", "-", "é"]), st.text(max_size=6))
records = st.one_of(st.dictionaries(record_keys, json_value, max_size=8), json_value)


@FAST
@given(records)
@example({"id": "a", "body": "Text.", "date!": "not a date"})
@example({"id": "a", "body": "Text.", "url": ["http://x", "http://y"]})
@example({"id": "a", "body": "Text.", "id ": "../../b"})
def test_from_record_raises_only_article_error_and_writes_what_the_loader_reads(record) -> None:
    if isinstance(record, dict) and "body" not in record:
        record["body"] = "Some text of the article."
    try:
        candidate = from_record(record, "fuzz.jsonl:1", Cleaner(), DEFAULT_MAPPING, "fuzz-1")
    except ArticleError as exc:
        assert exc.reason and "\n" not in exc.reason
        return
    if not ID_PATTERN.match(candidate.id):
        return  # import_paths reports it as failed: "not usable as a file name"
    text = render(candidate.meta, candidate.body)
    article = parse_article(text, f"{candidate.id}.md", f"{candidate.id}.md")  # must not raise
    assert article.id == candidate.id
    assert article.body == candidate.body.strip("\n")


@SLOW
@given(st.lists(st.one_of(records.map(lambda r: json.dumps(r, allow_nan=True)), st.text(max_size=40),
                          st.binary(max_size=40).map(lambda b: b.decode("latin-1"))), max_size=12))
def test_importing_random_json_lines_only_reports_failures(tmp_path_factory, lines: list[str]) -> None:
    root = tmp_path_factory.mktemp("jsonl")
    source = root / "fuzz.jsonl"
    source.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape"))
    folder = root / "articles"
    report = import_paths([source], folder)
    assert isinstance(report, ImportReport)
    for origin, reason in report.failed + report.skipped:
        assert reason and "\n" not in reason
    written = entries(folder)  # the import's lock file aside
    assert written == sorted(f"{i}.md" for i in report.added)
    for art_id in report.added:
        assert parse_article((folder / f"{art_id}.md").read_text(), "x.md").id == art_id


# Lone ones only: a high surrogate followed by a low one is a valid pair (JSON's
# escape for a character past U+FFFF), which reads as that character.
LONE_SURROGATES = st.text(alphabet=st.characters(categories=["Cs"]), min_size=1, max_size=3).filter(
    lambda s: not any("\ud800" <= a <= "\udbff" and "\udc00" <= b <= "\udfff" for a, b in zip(s, s[1:])))
NOT_TEXT = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                     st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def nested(depth: int, kind: str) -> str:
    return "[" * depth + "]" * depth if kind == "list" else '{"a":' * depth + "1" + "}" * depth


# A hostile line and whether it can never import ("bad": exactly one failure) or may go
# either way ("odd": a wrong type the importer may take as text; one report at most).
hostile_line = st.one_of(
    st.builds(lambda depth, kind, whole: (nested(depth, kind) if whole else
                                          '{"body": "Deep text.", "extra": ' + nested(depth, kind) + "}", "bad"),
              st.integers(1500, 6000), st.sampled_from(["list", "dict"]), st.booleans()),
    st.builds(lambda digits, where: ('{"body": "Big text.", "%s": %s}' % (where, "7" * digits), "bad"),
              st.integers(4301, 12000), st.sampled_from(["n", "id", "date", "title"])),
    st.builds(lambda junk: (b"\xff" + junk.replace(b"\n", b""), "bad"), st.binary(max_size=40)),
    st.builds(lambda junk: ("{]" + junk.replace("\n", " "), "bad"), st.text(max_size=40)),
    st.builds(lambda body: (json.dumps({"body": body}), "bad"), NOT_TEXT),
    st.builds(lambda field, value: (json.dumps({"body": "Odd text.", field: value}), "odd"),
              st.sampled_from(["id", "title", "date", "author", "source", "url", "dateline"]), NOT_TEXT),
)


def good_line(number: int, surrogates: str, where: str) -> bytes:
    """A record that must import; ``surrogates`` (lone ones, escaped by json.dumps) go in one field."""
    record = {"id": f"good-{number}", "title": f"Good {number}", "body": f"Good article number {number}."}
    record[where] = record.get(where, "") + surrogates
    return json.dumps(record).encode("ascii")


@SLOW
@given(st.lists(st.one_of(hostile_line.map(lambda pair: ("hostile", pair)),
                          st.tuples(st.sampled_from(["title", "body", "author", "tag"]),
                                    st.one_of(st.just(""), LONE_SURROGATES)).map(lambda t: ("good", t))),
                min_size=1, max_size=10))
def test_each_json_line_is_judged_alone(tmp_path_factory, lines) -> None:
    root = tmp_path_factory.mktemp("hostile-jsonl")
    raw_lines: list[bytes] = []
    expected: dict[int, str] = {}  # line number -> "good", "bad" or "odd"
    replaced: set[int] = set()  # good lines with lone surrogates, which must read as U+FFFD
    for number, (sort, value) in enumerate(lines, start=1):
        if sort == "good":
            where, surrogates = value
            raw_lines.append(good_line(number, surrogates, where))
            expected[number] = "good"
            if surrogates:
                replaced.add(number)
        else:
            line, verdict = value
            raw_lines.append(line if isinstance(line, bytes) else line.encode("utf-8"))
            expected[number] = verdict
    source = root / "hostile.jsonl"
    source.write_bytes(b"\n".join(raw_lines) + b"\n")
    folder = root / "articles"
    report = import_paths([source], folder)  # any exception here fails the property
    failures: dict[int, list[str]] = {}
    for origin, reason in report.failed + report.skipped:
        assert origin.startswith("hostile.jsonl:"), origin
        failures.setdefault(int(origin.rsplit(":", 1)[1]), []).append(reason)
        assert reason and "\n" not in reason and len(reason) < 300, reason
        assert "Error" not in reason and "Traceback" not in reason, reason  # no exception class named
    written: dict[int, str] = {}  # line number -> the id of the article it became
    for name in entries(folder):
        text = (folder / name).read_text(encoding="utf-8")  # strict: no surrogate was written
        article = parse_article(text, name)
        assert article.id == name[:-3]
        written[int(article.original.rsplit(":", 1)[1])] = article.id
    assert sorted(written.values()) == sorted(report.added)
    for number, verdict in expected.items():
        reported = failures.get(number, [])
        # Every line is one article or one report, never both, never two reports.
        assert len(reported) + (number in written) == 1, (number, verdict, reported)
        if verdict == "good":
            assert written.get(number) == f"good-{number}", (number, reported)
            article = parse_article((folder / f"good-{number}.md").read_text(encoding="utf-8"), "x.md")
            assert article.body.startswith(f"Good article number {number}")
            if number in replaced:
                assert "\ufffd" in (folder / f"good-{number}.md").read_text(encoding="utf-8")
        elif verdict == "bad":
            assert number not in written, number


# --- the query layer ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def search_library(tmp_path_factory: pytest.TempPathFactory):
    from reader.library import Library

    library = Library(ARTICLES, tmp_path_factory.mktemp("fuzz-index"))
    library.update()
    yield library
    library.close()


QUERY_BITS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "to", "(", ")", "[", "]", "{", "}", '"', "'", "*", "?", "~",
              "~2", "~9", "/3", "^2", ":", "title:", "body:", "words:", "source:", "author:", "date:", "person:", "company:",
              "org:", "place:", "product:", "event:", "entity:", "path:", "id:", "mtime:", "nosuch:", ">", "<", ">=", "<=",
              "=", "-", "+", "!", "\\", "/", "china", "Musk", "elon", "qualcomm", "govenment", "2024", "2024-07-04",
              "20240704", "2024-13-45", "july", "yesterday", "entities:", "date_text:", "discovered:", "size:", "a", "é", "中文", "\x00", "\x1b[31m", "\u202e", " ", " ", " "]
query_text = st.one_of(st.lists(st.sampled_from(QUERY_BITS), max_size=14).map("".join),
                       st.lists(st.sampled_from(QUERY_BITS), max_size=10).map(" ".join),
                       st.text(max_size=40))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(query_text, st.sampled_from(["relevance", "date"]))
@example("NOT NOT NOT china", "relevance")
@example("date:[a to b]", "date")
@example("x" * 1001, "relevance")
@example("entities:*", "relevance")
@example('date:""', "relevance")
@example("china OR mtime:*", "date")
def test_search_raises_only_query_error(search_library, query: str, sort: str) -> None:
    try:
        result = search_library.search(query, limit=5, sort=sort)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert result.total >= len(result.hits)
    for hit in result.hits:
        previous = -1
        for start, end in hit.highlights:
            assert previous <= start < end <= len(hit.snippet)
            previous = end
        assert not forbidden_in(hit.snippet)


# --- span arithmetic ---------------------------------------------------------------------------

def check_spans(spans, length: int, *, allow_touching: bool = True) -> None:
    previous_end = -1
    for start, end in spans:
        assert 0 <= start < end <= length, (start, end, length)
        assert start >= previous_end if allow_touching else start > previous_end
        previous_end = end


@st.composite
def text_and_spans(draw):
    text = sanitize(draw(prose))
    n = len(text)
    spans = []
    if n:
        for _ in range(draw(st.integers(0, 12))):
            start = draw(st.integers(0, n - 1))
            spans.append((start, draw(st.integers(start + 1, n))))
    return text, spans


@FAST
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 30)), max_size=30))
def test_merge_spans_sorts_joins_and_keeps_coverage(raw) -> None:
    spans = sorted((s, s + length) for s, length in raw)
    merged = merge_spans(spans)
    check_spans(merged, 10**6, allow_touching=False)
    covered = {i for s, e in spans for i in range(s, e)}
    assert {i for s, e in merged for i in range(s, e)} == covered


@FAST
@given(text_and_spans(), st.sampled_from([10, 40, 220]), st.booleans())
def test_make_snippet_highlights_index_the_snippet(data, width: int, merged: bool) -> None:
    text, spans = data
    spans = merge_spans(sorted(spans)) if merged else spans
    snippet, highlights = make_snippet(text, spans, width)
    if not text:
        assert (snippet, highlights) == ("", [])
        return
    assert not forbidden_in(snippet) and "\n" not in snippet
    if merged:
        check_spans(highlights, len(snippet))
    hits = [text[s:e].replace("\n", " ") for s, e in spans]
    for start, end in highlights:
        assert 0 <= start < end <= len(snippet)
        assert any(snippet[start:end] in hit for hit in hits), (snippet[start:end], hits)


def _quadratic_make_snippet():
    """make_snippet with the window counted as it was before the binary search
    (a scan of every later hit for every hit): the reference for the fast path."""
    import inspect
    import textwrap

    import reader.search as search

    source = textwrap.dedent(inspect.getsource(search.make_snippet))
    fast = "ordered = all(a <= b for a, b in zip(ends, ends[1:]))"
    assert fast in source
    namespace = dict(vars(search))
    exec(source.replace(fast, "ordered = False"), namespace)  # noqa: S102 - our own source
    return namespace["make_snippet"]


_old_make_snippet = _quadratic_make_snippet()


@FAST
@given(text_and_spans(), st.sampled_from([10, 40, 220]), st.booleans())
def test_make_snippet_agrees_with_the_quadratic_version(data, width: int, merged: bool) -> None:
    text, spans = data
    if merged:
        spans = merge_spans(sorted(spans))
    assert make_snippet(text, spans, width) == _old_make_snippet(text, spans, width)


SCHEMA = build_schema()


@FAST
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(NASTY), st.sampled_from([" ", ". ", "\n"])),
                max_size=40).map("".join),
       st.data())
def test_hit_spans_index_the_sanitised_text(raw: str, data) -> None:
    text = sanitize(raw)
    analyzer = SCHEMA["body"].analyzer
    tokens = [t.text for t in analyzer(text, mode="index", removestops=False)]
    terms = {}
    if tokens:
        terms[data.draw(st.sampled_from(["body", "title"]))] = set(data.draw(st.lists(st.sampled_from(tokens), max_size=4)))
    spans = hit_spans(SCHEMA, text, terms)
    check_spans(spans, len(text))
    wanted = set().union(*terms.values()) if terms else set()
    for start, end in spans:
        piece = text[start:end]
        found = {t.text for t in analyzer(piece, mode="index", removestops=False)}
        assert found & wanted, (piece, wanted)
    # Every occurrence is found: as many spans as tokens of the text that are wanted.
    assert len(spans) == sum(1 for t in tokens if t in wanted)


def test_hit_spans_find_a_word_whose_lower_case_is_longer() -> None:
    # Found by the property above: "İ" lower-cases to two characters.
    text = sanitize("İChina and China")
    wanted = {t.text for t in SCHEMA["body"].analyzer(text, mode="index")}
    assert hit_spans(SCHEMA, text, {"body": wanted}) == [(0, 6), (11, 16)]


@pytest.fixture(scope="module")
def bundled_entities():
    return load_entity_list(ARTICLES)


@FAST
@given(prose)
def test_matcher_mentions_index_the_sanitised_text(bundled_entities, raw: str) -> None:
    text = sanitize(raw)
    matcher = Matcher.from_list(bundled_entities)
    mentions = matcher.match(text)
    check_spans([(m.start, m.end) for m in mentions], len(text))
    folded = fold(text)
    for m in mentions:
        entity = bundled_entities.get(m.entity)
        surface = " ".join(folded[m.start:m.end].split())
        keys = {" ".join(fold(n).split()) for n in entity.names}
        assert surface in keys, (text[m.start:m.end], entity.names)


@SLOW
@given(prose)
def test_extractor_mentions_are_sorted_disjoint_and_inside(bundled_entities, raw: str) -> None:
    text = sanitize(raw)
    extraction = Extractor(bundled_entities).extract(text, "fuzz")
    check_spans([(m.start, m.end) for m in extraction.mentions], len(text))
    for m in extraction.mentions:
        assert text[m.start:m.end].strip()
        assert bundled_entities.get(m.entity) is not None or m.entity in extraction.discovered
    for entity in extraction.discovered.values():
        assert not forbidden_in(entity.name) and name_key(entity.name)


def _old_longest_first(mentions):
    chosen, taken = [], []
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if any(mention.start < e and s < mention.end for s, e in taken):
            continue
        chosen.append(mention)
        taken.append((mention.start, mention.end))
    chosen.sort(key=lambda m: m.start)
    return chosen


@FAST
@given(st.lists(st.builds(lambda s, n, e: Mention(s, s + n, e), st.integers(0, 60), st.integers(-2, 15),
                          st.sampled_from(["a", "b", "c"])), max_size=40))
def test_longest_first_agrees_with_the_quadratic_version(mentions) -> None:
    fast = longest_first(mentions)
    assert fast == _old_longest_first(mentions)
    real = [(m.start, m.end) for m in fast if m.end > m.start]
    check_spans(real, 10**6)


# --- atheris ------------------------------------------------------------------------------------

@pytest.mark.timeout(180)
def test_atheris_harness_runs_clean(tmp_path: Path) -> None:
    """libFuzzer, guided by coverage, from seeds made of the bundled articles; a
    finding makes it exit non-zero and save the input. READER_ATHERIS_SECONDS
    runs it longer."""
    import atheris  # noqa: F401  (a test dependency: a missing install is a failure, not a skip)
    harness = Path(__file__).with_name("fuzz") / "fuzz_reader.py"
    seconds = os.environ.get("READER_ATHERIS_SECONDS", "15")
    seeds = tmp_path / "seeds"
    subprocess.run([sys.executable, str(harness), "--write-seeds", str(seeds)], check=True, timeout=120,
                   capture_output=True)
    # -timeout: an input that keeps one target busy for 20 s is a finding
    # (a denial of service), saved like a crash, not a hung test.
    command = [sys.executable, str(harness), f"-max_total_time={seconds}", "-max_len=4096", "-rss_limit_mb=2048",
               "-timeout=20", f"-artifact_prefix={tmp_path}/", str(seeds)]
    log = tmp_path / "fuzz.log"
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path)
        try:
            returncode = process.wait(timeout=int(seconds) + 140)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            returncode = None
    output = "\n".join(line for line in log.read_text(errors="replace").splitlines()
                       if not line.startswith("INFO: Instrumenting"))
    findings = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-")))
    assert returncode == 0 and "Done " in output and not findings, (returncode, findings, output[-4000:])
    print(output[output.rfind("#"):][:300])
