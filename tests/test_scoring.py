"""CachedBM25F scores exactly as Whoosh's BM25F, across segments, fields of
different lengths, empty fields and index changes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import collectors, scoring
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import MultifieldParser, OrGroup

from reader.scoring import CachedBM25F

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


def test_warm_computes_the_length_parts_the_first_search_would(tmp_path) -> None:
    import shutil
    from pathlib import Path

    from reader import scoring as S
    from reader.library import Library

    articles = tmp_path / "articles"
    shutil.copytree(Path(__file__).resolve().parent.parent / "articles", articles)
    library = Library(articles, tmp_path / "index")
    try:
        library.update()
        library.warm()
        with library.index.searching() as searcher:
            readers = [sub.reader() for sub, _ in searcher.leaf_searchers()]
            for reader in readers:
                fields = {key[0] for key in S._NORMS.get(reader, {})}
                assert fields == {"title", "body"}  # the scored fields; entity fields are not scored
        cached = {id(r): dict(S._NORMS[r]) for r in readers}
        first = [(h.id, h.score) for h in library.search("SenseTime OR Shanghai").hits]
        # The search used the warmed parts (nothing new computed) and scores as Whoosh does.
        assert {id(r): dict(S._NORMS[r]) for r in readers} == cached
        with library.index.searching() as searcher:
            searcher.weighting = scoring.BM25F()
            try:
                plain = [(h.id, h.score) for h in library.search("SenseTime OR Shanghai").hits]
            finally:
                searcher.weighting = S.CachedBM25F()
        assert first == plain
    finally:
        library.close()
