"""Coverage-guided fuzzing of reader's parsers with atheris (libFuzzer).

tests/test_fuzz.py::test_atheris_harness_runs_clean runs this for a bounded
number of inputs; for a longer hunt run it by hand, for example:

    .venv/bin/pip install atheris
    .venv/bin/python tests/fuzz/fuzz_reader.py -max_total_time=600 corpus-dir/

The first byte of each input picks a target; the rest becomes its text. Any
exception other than the target's documented one-line error is a finding:
libFuzzer stops and saves the input as crash-<sha1>.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["reader"]):
    from reader.cleaning import Cleaner
    from reader.corpus import ID_PATTERN, ArticleError, parse_article
    from reader.entities import EntityListError, parse_entity_list
    from reader.frontmatter import FrontMatterError, parse, render
    from reader.ingest import DEFAULT_MAPPING, from_record
    from reader.matcher import Matcher
    from reader.sanitize import sanitize, sanitize_line
    from reader.search import QueryError, make_snippet, merge_spans

from reader.entities import load_entity_list  # noqa: E402
from reader.library import Library  # noqa: E402

ARTICLES = Path(__file__).resolve().parents[2] / "articles"
FORBIDDEN = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {chr(c) for c in range(0x7F, 0xA0)}
CLEANER = Cleaner(known_places=["London", "Shanghai"])
ENTITY_LIST = load_entity_list(ARTICLES)
MATCHER = Matcher.from_list(ENTITY_LIST)
INDEX_DIR = Path(tempfile.mkdtemp(prefix="reader-atheris-"))
LIBRARY = Library(ARTICLES, INDEX_DIR)
LIBRARY.update()


def _clean(text: str) -> None:
    bad = {c for c in text if c in FORBIDDEN}
    if bad:
        raise AssertionError(f"control characters left: {sorted(map(repr, bad))}")


def _spans(spans, length: int) -> None:
    previous = -1
    for start, end in spans:
        if not (0 <= start < end <= length) or start < previous:
            raise AssertionError(f"bad span {(start, end)} (length {length}, previous end {previous})")
        previous = end


def target_front_matter(text: str) -> None:
    try:
        doc = parse(text)
    except FrontMatterError as exc:
        if "\n" in str(exc):
            raise AssertionError("a multi-line error") from None
        return
    assert isinstance(doc.meta, dict)


def target_article(text: str) -> None:
    try:
        article = parse_article(text, "fuzz.md", "fuzz.md")
    except ArticleError:
        return
    _clean(article.body)
    for value in (article.title, article.source, article.author, article.date):
        _clean(value)


def target_cleaner(text: str) -> None:
    cleaned = CLEANER.clean(text)
    _clean(cleaned.body)
    _clean(cleaned.title + cleaned.author + cleaned.dateline + cleaned.source)


def target_record(text: str) -> None:
    try:
        record = json.loads(text)
    except (ValueError, RecursionError):
        return
    try:
        candidate = from_record(record, "fuzz.jsonl:1", CLEANER, DEFAULT_MAPPING, "fuzz-1")
    except ArticleError:
        return
    if ID_PATTERN.match(candidate.id):
        article = parse_article(render(candidate.meta, candidate.body), "x.md")  # what import writes must load
        assert article.id == candidate.id


def target_entities(text: str) -> None:
    try:
        parse_entity_list(text)
    except EntityListError:
        return


def target_search(text: str) -> None:
    try:
        result = LIBRARY.search(text, limit=3)
    except QueryError:
        return
    for hit in result.hits:
        _spans(hit.highlights, len(hit.snippet))


def target_spans(text: str) -> None:
    clean = sanitize(text)
    assert sanitize(clean) == clean
    assert "\n" not in sanitize_line(text)
    mentions = MATCHER.match(clean)
    _spans([(m.start, m.end) for m in mentions], len(clean))
    snippet, highlights = make_snippet(clean, merge_spans([(m.start, m.end) for m in mentions]), 60)
    _spans(highlights, len(snippet))


TARGETS = [target_front_matter, target_article, target_cleaner, target_record, target_entities, target_search,
           target_spans]


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    target = TARGETS[fdp.ConsumeIntInRange(0, len(TARGETS) - 1)]
    fence = fdp.ConsumeBool()
    text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    if fence and target in (target_front_matter, target_article):
        text = "---\n" + text
    target(text)


def seed_texts() -> list[tuple[int, str]]:
    """Starting inputs, so the fuzzer begins from real documents rather than from nothing."""
    seeds = []
    for path in sorted(ARTICLES.glob("*.md")):
        text = path.read_text()[:1500]
        seeds += [(0, text), (1, text), (2, text.split("---\n", 2)[-1]), (6, text)]
    entities = (ARTICLES / "entities.yaml").read_text()
    seeds.append((4, entities[:3000]))
    seeds.append((3, json.dumps({"id": "rec-1", "title": "A title", "body": "By John Smith in London\n\nText of it.",
                                 "date": "2024-07-04", "url": "http://x", "tags": ["a", "b"]})))
    for query in ('china AND "elon musk"', "title:(qualcomm OR sponsor)", "date:[2024-07-01 to 2024-07-31]",
                  "person:musk", "gover* NOT shanghai~2", "company:huawei^2 -ai"):
        seeds.append((5, query))
    return seeds


def write_seeds(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n, (target, text) in enumerate(seed_texts()):
        # target byte, "no fence" byte, then ASCII text (atheris reads a first byte
        # whose low bit 0 means ASCII)
        fence = 0 if target in (0, 1) else 1
        (folder / f"seed-{n:03d}").write_bytes(bytes([target, fence, 0]) + text.encode("ascii", "replace"))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--write-seeds":
        write_seeds(Path(sys.argv[2]))
        return
    try:
        atheris.Setup(sys.argv, test_one_input)
        atheris.Fuzz()
    finally:
        LIBRARY.close()
        shutil.rmtree(INDEX_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
