"""reader.search.whoosh.fastmatch finds the same documents, with the same scores to the last
bit, in the same order, as Whoosh's own collector: over several segments,
deleted documents, inlined and block postings, scored and unscored fields,
boosts, NOT, phrases, and the preloaded ORs of expanded terms."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import collectors, scoring
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import RamStorage
from whoosh.matching import wrappers
from whoosh.qparser import MultifieldParser, OrGroup

from reader.search.whoosh import fastmatch, fixes as whoosh_fixes
from reader.search.whoosh.scoring import CachedBM25F
from reader.search import _preloaded

WORDS = ["oil", "price", "bank", "rate", "china", "ai", "summit", "qualcomm", "market", "the"]
TAGS = ["alpha", "beta", "gamma"]
TEXT_OF_WORDS = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)
# Every seventh document ends with a word of its own ("solo14"): a posting list
# of one.
SOLO = st.integers(0, 10).map(lambda n: f"solo{7 * n}")
DOC = st.tuples(TEXT_OF_WORDS, TEXT_OF_WORDS, st.lists(st.sampled_from(TAGS), max_size=3).map(",".join))
# Up to 160 documents a segment: a common word's postings fill more than one
# block (Whoosh writes 128 postings a block).
SEGMENTS = st.lists(st.lists(DOC, min_size=1, max_size=160), min_size=1, max_size=3)


def term() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(WORDS),
        SOLO,
        st.sampled_from(WORDS).map(lambda w: f"title:{w}"),
        st.tuples(st.sampled_from(WORDS), SOLO).map(lambda p: f'"{p[0]} {p[1]}"'),
        st.sampled_from(TAGS).map(lambda t: f"tag:{t}"),  # unscored: the weight is the score
        st.tuples(st.sampled_from(WORDS), st.sampled_from(["2", "0.5", "3"])).map(lambda p: f"{p[0]}^{p[1]}"),
        st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)).map(lambda p: f'"{p[0]} {p[1]}"'),  # phrase
        st.lists(st.sampled_from(WORDS), min_size=3, max_size=4).map(lambda w: '"' + " ".join(w) + '"'),
        st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS), st.integers(2, 4)).map(
            lambda p: f'"{p[0]} {p[1]}"~{p[2]}'),  # words within a distance
        st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)).map(lambda p: f'title:"{p[0]} {p[1]}"^2'),
        st.sampled_from(["pri*", "ba*", "*a*", "ma?ket"]),
    )


QUERY = st.recursive(
    term(),
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=5).map(lambda parts: "(" + " OR ".join(parts) + ")"),
        st.lists(inner, min_size=2, max_size=3).map(lambda parts: "(" + " AND ".join(parts) + ")"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]} NOT ({p[1]}))"),
        inner.map(lambda q: f"NOT ({q})"),
    ),
    max_leaves=8,
)


def build(segments: list[list[tuple[str, str, str]]], deleted: list[int]):
    schema = Schema(id=ID(stored=True, unique=True), title=TEXT, body=TEXT,
                    tag=KEYWORD(commas=True, scorable=False))
    ix = RamStorage().create_index(schema)
    number = 0
    for count, batch in enumerate(segments):
        # Segments written with different block sizes: posting lists of many blocks.
        writer = ix.writer(codec=W3Codec(blocklimit=[128, 8, 16][count % 3]))
        for title, body, tags in batch:
            if number % 7 == 0:
                body += f" solo{number}"
            writer.add_document(id=str(number), title=title, body=body, tag=tags)
            number += 1
        writer.commit(merge=False)  # one segment per batch
    if deleted and number:
        writer = ix.writer()
        for n in deleted:
            writer.delete_by_term("id", str(n % number))
        writer.commit(merge=False)
    return ix


def whoosh_top(searcher, query, limit: int):
    """What Whoosh's collector finds: the oracle."""
    collector = collectors.TopCollector(limit=limit, usequality=False, replace=0)
    searcher.search_with_collector(query, collector)
    results = collector.results()
    return len(results), [(hit.score, hit.docnum) for hit in results]


@settings(max_examples=100)
@given(SEGMENTS, st.lists(st.integers(0, 10_000), max_size=20), st.lists(QUERY, min_size=1, max_size=6),
       st.integers(1, 40), st.booleans(), st.booleans())
def test_same_matches_scores_and_order_as_whoosh(segments, deleted, texts, limit, cached, preload) -> None:
    ix = build(segments, deleted)
    weighting = CachedBM25F() if cached else scoring.BM25F()
    parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup)
    with ix.searcher(weighting=weighting) as searcher:
        for text in texts:
            query = parser.parse(text)
            if preload:  # as reader.search rewrites ORs of many clauses
                query = _preloaded(query.normalize())
            expected = whoosh_top(searcher, query, limit)
            assert fastmatch.top(searcher, query, limit) == expected, text
            # Again, now from the kept postings.
            assert fastmatch.top(searcher, query, limit) == expected, text


def test_a_not_never_yields_a_deleted_document() -> None:
    """Whoosh 2.7.4's NOT stops skipping deleted documents once its child has
    no postings left, so the deleted document just after the last one it
    excludes was a hit; reader.search.whoosh.fixes mends it, and fastmatch never
    had it."""
    docs = [("", "", "")] * 9 + [("", "oil", ""), ("", "", "")]
    ix = build([docs], [10])
    query = MultifieldParser(["title", "body"], ix.schema, group=OrGroup).parse("NOT oil")
    with ix.searcher(weighting=CachedBM25F()) as searcher:
        expected = (9, [(1.0, docnum) for docnum in range(9)])
        assert whoosh_top(searcher, query, 20) == expected
        assert fastmatch.top(searcher, query, 20) == expected
        wrappers.InverseMatcher._find_next = whoosh_fixes.WHOOSH_INVERSE_FIND_NEXT
        try:
            assert 10 in [docnum for _, docnum in whoosh_top(searcher, query, 20)[1]]  # the bug, unmended
        finally:
            wrappers.InverseMatcher._find_next = whoosh_fixes._inverse_find_next


def test_segments_larger_than_a_preloaded_part() -> None:
    """Whoosh's preloaded OR reads 2,048 documents at a time; its clauses go
    on from where the first part left them."""
    rng = random.Random(11)
    docs = [(" ".join(rng.choices(WORDS, k=3)), " ".join(rng.choices(WORDS, k=6)),
             ",".join(rng.sample(TAGS, k=rng.randint(0, 2)))) for _ in range(5000)]
    ix = build([docs[:3000], docs[3000:]], rng.sample(range(5000), 200))
    parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup)
    texts = ["oil OR bank OR rate OR china", "pri* OR ma* OR tag:alpha", "(oil OR bank OR rate) AND NOT tag:beta",
             '"oil price" OR "bank rate" OR summit OR the', "title:oil^2 OR ai OR market OR tag:gamma"]
    with ix.searcher(weighting=CachedBM25F()) as searcher:
        for text in texts:
            query = _preloaded(parser.parse(text).normalize())
            for limit in (1, 10, 5000):
                assert fastmatch.top(searcher, query, limit) == whoosh_top(searcher, query, limit), text


def test_kept_postings_follow_index_changes() -> None:
    """A new segment and deletions give new readers and new statistics: the
    kept postings of the old ones are not taken for the new ones."""
    rng = random.Random(7)
    docs = [(" ".join(rng.choices(WORDS, k=8)), " ".join(rng.choices(WORDS, k=60)), "alpha") for _ in range(400)]
    ix = build([docs], [])
    query = MultifieldParser(["title", "body"], ix.schema, group=OrGroup).parse("oil bank OR rate")
    searcher = ix.searcher(weighting=CachedBM25F())
    try:
        assert fastmatch.top(searcher, query, 10) == whoosh_top(searcher, query, 10)
        writer = ix.writer()
        for n in range(0, 400, 3):
            writer.delete_by_term("id", str(n))
        writer.add_document(id="new", title="oil oil bank", body="oil " * 30, tag="beta")
        writer.commit(merge=False)
        searcher = searcher.refresh()
        assert fastmatch.top(searcher, query, 10) == whoosh_top(searcher, query, 10)
    finally:
        searcher.close()


def test_kept_postings_stay_within_their_budget() -> None:
    rng = random.Random(3)
    docs = [(" ".join(rng.choices(WORDS, k=5)), " ".join(rng.choices(WORDS, k=50)), "") for _ in range(600)]
    ix = build([docs], [])
    kept = fastmatch._Postings(budget=2_000)
    original, fastmatch.POSTINGS = fastmatch.POSTINGS, kept
    try:
        with ix.searcher(weighting=CachedBM25F()) as searcher:
            for word in WORDS:
                query = MultifieldParser(["title", "body"], ix.schema).parse(word)
                assert fastmatch.top(searcher, query, 5) == whoosh_top(searcher, query, 5)
                assert kept.size <= kept.budget
                assert kept.size == sum(len(entry[1]) for entry in kept._entries.values())
    finally:
        fastmatch.POSTINGS = original
    assert kept._entries  # something was kept


@pytest.mark.parametrize("text", [
    "SenseTime", "Shanghai conference", "AI OR chip OR Qualcomm OR Huawei", '"artificial intelligence"',
    "China NOT Qualcomm", "company:Huawei", "person:Musk OR place:Shanghai", "date:2024", "govern*",
    "Qualcom~", "title:conference^2 OR body:summit", "NOT China",
])
def test_reader_searches_rank_as_whoosh(articles_copy, index_dir, text) -> None:
    from reader.library import Library

    library = Library(articles_copy, index_dir)
    try:
        library.update()
        # An article changed: the index holds a deleted document.
        changed = articles_copy / "waic-2024-preview.md"
        changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more line about Shanghai.\n",
                           encoding="utf-8")
        library.update()
        result = library.search(text, limit=50)
        with library.index.searching() as searcher:
            assert searcher.reader().has_deletions()
            query, _ = library.search_engine.parse(text, searcher)
            total, best = whoosh_top(searcher, query, 50)
            ids = [searcher.stored_fields(docnum)["id"] for _, docnum in best]
        assert result.total == total
        assert [(h.id, h.score) for h in result.hits] == list(zip(ids, (score for score, _ in best)))
    finally:
        library.close()
