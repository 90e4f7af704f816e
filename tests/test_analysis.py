"""The single-pass analyzer gives exactly the tokens of Whoosh's StemmingAnalyzer."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import StemmingAnalyzer as WhooshStemming

from reader.search.whoosh.analysis import StemmingAnalyzer

WORDS = st.sampled_from(
    ["The", "running", "RUNS", "a", "of", "U.S.", "3.141", "under_score", "Qualcomm's", "it's", "AI", "x",
     "Governance", "ćafé", "naïve", "2024", "and", "is", "Zhou", "mln", "dlrs", "isn't", "—", "...", "\n"])
TEXTS = st.one_of(st.text(max_size=200), st.lists(WORDS, max_size=40).map(" ".join))
OPTIONS = st.fixed_dictionaries({
    "positions": st.booleans(),
    "chars": st.booleans(),
    "keeporiginal": st.booleans(),
    "removestops": st.booleans(),
    "start_pos": st.integers(0, 50),
    "start_char": st.integers(0, 50),
    "tokenize": st.booleans(),
    "mode": st.sampled_from(["", "index", "query"]),
    "no_morph": st.booleans(),
})


def tokens(analyzer, text: str, options: dict) -> list[tuple]:
    out = []
    for t in analyzer(text, **options):
        row = [t.text, t.stopped, t.boost]
        if options["positions"]:
            row.append(t.pos)
        if options["chars"]:
            row += [t.startchar, t.endchar]
        if options["keeporiginal"] or not options["tokenize"]:
            row.append(t.original)
        out.append(tuple(row))
    return out


@settings(max_examples=400, deadline=None)
@given(TEXTS, OPTIONS)
def test_same_tokens_as_whoosh(text: str, options: dict) -> None:
    assert tokens(StemmingAnalyzer(), text, options) == tokens(WhooshStemming(), text, options)


def test_index_time_terms_match_on_an_article() -> None:
    text = ("Shanghai is set to kick off the World AI Conference (WAIC) & High-Level Meeting on Global AI "
            "Governance today. Qualcomm's chips, running and runs; the U.S. said 3.5 mln dlrs.")
    options = {"positions": True, "chars": True, "mode": "index"}
    ours = [(t.text, t.pos, t.startchar, t.endchar) for t in StemmingAnalyzer()(text, **options)]
    theirs = [(t.text, t.pos, t.startchar, t.endchar) for t in WhooshStemming()(text, **options)]
    assert ours == theirs
    assert ("chip", 16, 122, 127) in ours  # "chips": stemmed, renumbered over the words kept


def test_pickles_without_its_cache_and_compares_equal() -> None:
    analyzer = StemmingAnalyzer()
    list(analyzer("many running words"))
    assert analyzer._stems
    copy = pickle.loads(pickle.dumps(analyzer))
    assert copy == analyzer and not copy._stems
    assert [t.text for t in copy("the chips and words")] == ["chip", "word"]
    assert analyzer.has_morph()


def test_an_index_schema_pickled_under_the_old_module_name_still_reads() -> None:
    """Indexes made before the analyzer moved to reader/search/whoosh name
    its class "reader.analysis.StemmingAnalyzer" in their table of contents."""
    import pickle

    from reader.index import build_schema
    from reader.search.whoosh.analysis import StemmingAnalyzer

    data = pickle.dumps(build_schema(), protocol=2)  # classes named as text: "c<module>\n<name>\n"
    assert b"creader.search.whoosh.analysis\n" in data
    old = data.replace(b"creader.search.whoosh.analysis\n", b"creader.analysis\n")
    assert old != data
    schema = pickle.loads(old)
    assert isinstance(schema["body"].analyzer, StemmingAnalyzer)
    assert [t.text for t in schema["body"].analyzer("Governing the markets")] == \
        [t.text for t in build_schema()["body"].analyzer("Governing the markets")]
