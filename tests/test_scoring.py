"""CachedBM25F scores exactly as Whoosh's BM25F, across segments, fields of
different lengths, empty fields and index changes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import collectors, scoring
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import MultifieldParser, OrGroup

from reader.search.whoosh.scoring import CachedBM25F

WORDS = ["oil", "price", "bank", "rate", "china", "ai", "summit", "qualcomm", "market", "the"]
TEXT_OF_WORDS = st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)
DOCS = st.lists(st.tuples(TEXT_OF_WORDS, TEXT_OF_WORDS), min_size=1, max_size=25)
QUERIES = st.sampled_from(["oil", "oil price", '"central bank" OR bank', "title:market rate",
                           "ai OR china OR summit OR qualcomm", "pric*", "the"])


def build(batches: list[list[tuple[str, str]]]):
    schema = Schema(id=ID(stored=True, unique=True), title=TEXT, body=TEXT)
    ix = RamStorage().create_index(schema)
    number = 0
    for batch in batches:
        writer = ix.writer()
        for title, body in batch:
            writer.add_document(id=str(number), title=title, body=body)
            number += 1
        writer.commit(merge=False)  # one segment per batch
    return ix


def ranked(ix, weighting, text: str, searcher=None) -> list[tuple[str, float]]:
    if searcher is None:
        with ix.searcher(weighting=weighting) as own:
            return ranked(ix, weighting, text, own)
    query = MultifieldParser(["title", "body"], ix.schema, group=OrGroup).parse(text)
    collector = collectors.TopCollector(limit=1000, usequality=False, replace=0)
    searcher.search_with_collector(query, collector)
    return [(hit["id"], hit.score) for hit in collector.results()]


@settings(max_examples=60, deadline=None)
@given(st.lists(DOCS, min_size=1, max_size=3), QUERIES, st.floats(0.0, 1.0), st.floats(0.5, 2.0))
def test_same_scores_as_whoosh(batches, text, b, k1) -> None:
    ix = build(batches)
    ours = ranked(ix, CachedBM25F(B=b, K1=k1, title_B=b / 2), text)
    whoosh = ranked(ix, scoring.BM25F(B=b, K1=k1, title_B=b / 2), text)
    # Equal to the last bit, so equal ranks too (ties are broken by document number).
    assert ours == whoosh


def test_scores_follow_index_changes() -> None:
    """A new segment changes the average field length: a refreshed searcher,
    whose older segment's reader is reused, scores with the new statistics."""
    ix = build([[("oil", "oil price oil"), ("bank", "bank rate")]])
    searcher = ix.searcher(weighting=CachedBM25F())
    try:
        first = ranked(ix, None, "oil", searcher)
        assert first == ranked(ix, scoring.BM25F(), "oil")
        writer = ix.writer()
        writer.add_document(id="9", title="oil oil oil", body="oil " * 40)
        writer.commit(merge=False)
        searcher = searcher.refresh()
        after = ranked(ix, None, "oil", searcher)
    finally:
        searcher.close()
    assert after == ranked(ix, scoring.BM25F(), "oil")
    assert dict(after)["0"] != dict(first)["0"]  # the average length moved, so did the score


def plain_scores(library, query: str) -> list[tuple[str, float]]:
    """The same search with Whoosh's own BM25F."""
    with library.index.searching() as searcher:
        ours = searcher.weighting
        searcher.weighting = scoring.BM25F()
        try:
            return [(h.id, h.score) for h in library.search(query).hits]
        finally:
            searcher.weighting = ours


def test_warm_and_index_changes(tmp_path) -> None:
    import shutil
    from pathlib import Path

    from reader.library import Library

    articles = tmp_path / "articles"
    shutil.copytree(Path(__file__).resolve().parent.parent / "articles", articles)
    library = Library(articles, tmp_path / "index")
    weighting = library.index.weighting
    query = "SenseTime OR Shanghai"
    try:
        library.update()
        library.warm()
        with library.index.searching() as searcher:
            readers = [sub.reader() for sub, _ in searcher.leaf_searchers()]
        for reader in readers:  # the scored fields only: entity fields are not scored
            assert set(weighting._norms[reader]) == {("title", 0.75, 1.2), ("body", 0.75, 1.2)}
        norms = {id(r): dict(weighting._norms[r]) for r in readers}
        first = [(h.id, h.score) for h in library.search(query).hits]
        assert {id(r): dict(weighting._norms[r]) for r in readers} == norms  # nothing computed again
        assert first == plain_scores(library, query)

        # A new article: a new segment, new readers for the old ones, a new average.
        kept = dict(weighting._lengths)
        (articles / "more.md").write_text("---\nid: more\ntitle: More on SenseTime\n---\nSenseTime, SenseTime.\n",
                                          encoding="utf-8")
        library.update()
        library.warm()
        reused = [key for key in kept if key in weighting._lengths]
        assert reused  # the first segment is still there (a small commit does not merge it away)
        assert all(weighting._lengths[key] is kept[key] for key in reused)  # not computed again
        assert [(h.id, h.score) for h in library.search(query).hits] == plain_scores(library, query)
        assert "more" in [h.id for h in library.search(query).hits]
    finally:
        library.close()


@settings(max_examples=40, deadline=None)
@given(batches=st.lists(DOCS, min_size=1, max_size=3), deleted=st.integers(min_value=0, max_value=5))
def test_the_lengths_read_in_one_piece_are_whooshs_one_by_one(batches, deleted) -> None:
    from array import array

    from reader.search.whoosh.scoring import _column_lengths

    ix = build(batches)
    if deleted:
        with ix.writer() as writer:
            writer.delete_by_term("id", str(deleted))
    with ix.searcher() as searcher:
        for sub, _offset in searcher.leaf_searchers():
            reader = sub.reader()
            for field in ("title", "body", "id"):
                one_by_one = array("L", ((reader.doc_field_length(d, field, 0) or 0)
                                         for d in range(reader.doc_count_all())))
                assert _column_lengths(reader, field) == one_by_one
