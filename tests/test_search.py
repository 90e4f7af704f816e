"""reader.search: query syntax, entity fields, snippets, suggestions, limits."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import StemmingAnalyzer

from reader.errortext import error_words
from reader.library import Library
from reader.search import MAX_EXPANSION, MAX_QUERY_CHARS, QueryError, make_snippet, merge_spans, wildcard_regex

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
ALL = sorted(["waic-2024-preview", "waic-2024-opening-speakers", "china-powers-global-ai-innovation",
              "waic-qualcomm-sole-us-sponsor", "china-ai-international-cooperation"])
PREVIEW, SPEAKERS, POWERS, QUALCOMM, COOPERATION = (
    "waic-2024-preview", "waic-2024-opening-speakers", "china-powers-global-ai-innovation",
    "waic-qualcomm-sole-us-sponsor", "china-ai-international-cooperation")
_STEM = StemmingAnalyzer()


def stems(text: str) -> set[str]:
    return {t.text for t in _STEM(text)}


def ids(library: Library, query: str, **kwargs) -> list[str]:
    return sorted(h.id for h in library.search(query, limit=50, **kwargs).hits)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory):
    lib = Library(ARTICLES, tmp_path_factory.mktemp("search-index"))
    lib.update()
    yield lib
    lib.close()


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory):
    """A small corpus with dates, authors and many words starting with 'a'."""
    root = tmp_path_factory.mktemp("dated")
    folder = root / "articles"
    folder.mkdir()
    shutil.copy(ARTICLES / "entities.yaml", folder / "entities.yaml")
    rows = [
        ("early", "2024-06-30", "Ann Early", "Qualcomm chips in June."),
        ("mid", "2024-07-04", "Bo Mid", "Qualcomm and Huawei in July."),
        ("late", "2024-07-20", "Cy Late", "Qualcomm news later in July."),
        ("next-year", "2025-01-02", "Di Next", "Qualcomm in the new year."),
        ("undated", "", "", "Qualcomm without a date."),
    ]
    for art_id, date, author, body in rows:
        head = f"---\nid: {art_id}\ntitle: Story {art_id}\n" + (f"date: {date}\n" if date else "") + (
            f"author: {author}\n" if author else "") + "---\n"
        (folder / f"{art_id}.md").write_text(head + body + "\n", encoding="utf-8")
    a_words = ["a" + "".join(p) for p in itertools.product("bcdfghk", repeat=3)]  # 343 words
    (folder / "many-a.md").write_text("---\nid: many-a\n---\n" + " ".join(a_words) + ".\n", encoding="utf-8")
    lib = Library(folder, root / "index")
    lib.update()
    yield lib
    lib.close()


# --- plain words, fields, operators --------------------------------------------------------

def test_sensenova_finds_exactly_three(library: Library) -> None:
    assert ids(library, "SenseNova") == sorted([PREVIEW, SPEAKERS, POWERS])


def test_words_are_stemmed(library: Library) -> None:
    assert ids(library, "deglobalisation") == [COOPERATION]
    # "governing" and "governance" share a stem: every article has one of them
    assert ids(library, "governing") == ALL


@pytest.mark.parametrize(
    "query, expected",
    [
        ("title:Qualcomm", [QUALCOMM]),
        ("title:powers", [POWERS]),
        ('source:"South China Morning Post"', sorted([SPEAKERS, QUALCOMM, COOPERATION])),
        ("author:Qu", [QUALCOMM]),
        ('author:"Tracy Qu"', [QUALCOMM]),
        ("SenseTime AND Huawei", sorted([SPEAKERS, POWERS, QUALCOMM])),
        ("SenseTime Huawei", sorted([SPEAKERS, POWERS, QUALCOMM])),  # AND is the default
        ("SenseTime OR Shrivastava", sorted([PREVIEW, SPEAKERS, POWERS, QUALCOMM])),
        ("SenseTime NOT Huawei", [PREVIEW]),
        ("(Tesla OR Qualcomm) AND NOT Huawei", [COOPERATION]),
        ('"World Artificial Intelligence Conference"', sorted([SPEAKERS, POWERS, QUALCOMM, COOPERATION])),
        ('"Intelligence World Conference"', []),
        ('"Premier Li Qiang"', sorted([PREVIEW, SPEAKERS, COOPERATION])),
    ],
)
def test_fields_operators_and_phrases(library: Library, query: str, expected: list[str]) -> None:
    assert ids(library, query) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Qualcom~", sorted([QUALCOMM, POWERS, COOPERATION])),
        ("Qualcomn~", sorted([QUALCOMM, POWERS, COOPERATION])),
        ("Qualc*", sorted([QUALCOMM, POWERS, COOPERATION])),
        ("SenseN*", sorted([PREVIEW, SPEAKERS, POWERS])),
        ("Sense?ime", sorted([PREVIEW, SPEAKERS, POWERS, QUALCOMM])),
        ("S*e*T?me", sorted([PREVIEW, SPEAKERS, POWERS, QUALCOMM])),
        ("*nova", sorted([PREVIEW, SPEAKERS, POWERS])),
        ("Shrivastav?", [POWERS]),
        # Title and body hold stems, so a prefix finds what the word itself finds:
        # "governing" and "government" share the stem "govern".
        ("Governing*", sorted([PREVIEW, SPEAKERS, POWERS, COOPERATION, QUALCOMM])),
    ],
)
def test_fuzzy_prefix_and_wildcard(library: Library, query: str, expected: list[str]) -> None:
    assert ids(library, query) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab*?[.", max_size=8), st.text(alphabet="ab[.", max_size=8))
def test_wildcard_regex_matches_as_the_plain_translation(pattern: str, word: str) -> None:
    plain = re.compile(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".") + r"\Z", re.S)
    assert bool(wildcard_regex(pattern).match(word)) == bool(plain.match(word))


@pytest.mark.timeout(30)  # each took seconds to hours when every * became a backtracking .*
@pytest.mark.parametrize("query, same_as", [
    ("g(\x7f**\x7f\x7f\x7f" + "*" * 40 + "a\x00\x00uop", "g(\x7f*\x7f\x7f\x7f*a\x00\x00uop"),  # the fuzzer's
    ("s" + "*" * 60 + "x", "s*x"),
    ("*a" * 30 + "*q", "*a" * 30 + "*q"),
    ("company:s" + "*" * 60 + "x", "company:s*x"),
    ("person:" + "*e" * 30 + "*q", "person:*e*q"),
])
def test_many_stars_do_not_backtrack(library: Library, query: str, same_as: str) -> None:
    # A run of stars means what one star means.
    assert ids(library, query) == ids(library, same_as.replace("*" * 2, "*"))


def test_wildcards_match_the_typed_word_through_its_stem(library: Library) -> None:
    # "Sense*e" must end in e: SenseTime does (stem "sensetim"), SenseNova does not.
    assert ids(library, "Sense*e") == sorted([PREVIEW, SPEAKERS, POWERS, QUALCOMM])
    assert ids(library, "Sense*a") == sorted([PREVIEW, SPEAKERS, POWERS])
    result = library.search("Governing*")
    assert "govern" in result.terms["body"]
    assert "governance" not in result.terms["body"]  # its stem is "govern" too, but not as its own word


@pytest.mark.parametrize(
    "query, expected",
    [
        ("company:Huawei", sorted([SPEAKERS, QUALCOMM, POWERS])),
        ('company:"Huawei Technologies"', sorted([SPEAKERS, QUALCOMM, POWERS])),
        ("company:huawei", sorted([SPEAKERS, QUALCOMM, POWERS])),
        ("person:Musk", sorted([PREVIEW, SPEAKERS])),
        ('person:"Elon Musk"', sorted([PREVIEW, SPEAKERS])),
        ("person:elon-musk", sorted([PREVIEW, SPEAKERS])),
        ('person:"Premier Li Qiang"', sorted([PREVIEW, SPEAKERS, COOPERATION])),
        ('person:"Robin Li Yanhong"', sorted([PREVIEW, SPEAKERS])),
        ('company:"Alibaba Group Holding"', sorted([PREVIEW, SPEAKERS, QUALCOMM])),
        ('company:"Tencent Holdings"', sorted([SPEAKERS, QUALCOMM])),
        ('org:"United Nations"', sorted([SPEAKERS, POWERS])),
        ("place:Xuhui", [POWERS]),
        ("product:ChatGPT", sorted([SPEAKERS, QUALCOMM])),
        ("product:SenseNova", sorted([PREVIEW, SPEAKERS, POWERS])),
        ("entity:SenseTime", sorted([PREVIEW, SPEAKERS, POWERS, QUALCOMM])),
        ("entity:Huawei", sorted([SPEAKERS, QUALCOMM, POWERS])),
        ("event:WAIC", ALL),
        ("company:Musk", []),  # Musk is a person, not a company
        ("person:Huawei", []),
    ],
)
def test_entity_fields_match_any_alias(library: Library, query: str, expected: list[str]) -> None:
    assert ids(library, query) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("company:Hua*", sorted([SPEAKERS, QUALCOMM, POWERS])),
        ("company:Huawei*", sorted([SPEAKERS, QUALCOMM, POWERS])),
        ("person:Mus?", sorted([PREVIEW, SPEAKERS])),
        ("entity:sense*", sorted([PREVIEW, SPEAKERS, POWERS, QUALCOMM])),
        ("product:sense*", sorted([PREVIEW, SPEAKERS, POWERS])),  # SenseNova, not the company SenseTime
        ("SenseTime AND company:Ali*", sorted([PREVIEW, SPEAKERS, QUALCOMM])),
    ],
)
def test_entity_fields_take_patterns(library: Library, query: str, expected: list[str]) -> None:
    result = library.search(query, limit=50)
    assert sorted(h.id for h in result.hits) == expected
    assert result.notes == []


def test_entity_pattern_that_fits_nothing_says_so(library: Library) -> None:
    result = library.search("company:Zz*")
    assert result.total == 0
    assert result.notes == ["no company has a name like 'zz*'"]


def test_entity_field_with_unknown_name_says_so(library: Library) -> None:
    result = library.search("company:Nonexistent")
    assert result.total == 0
    assert result.notes == ["no company is named 'Nonexistent'"]


def test_entity_fields_combine_with_words(library: Library) -> None:
    assert ids(library, "company:Huawei AND person:Musk") == [SPEAKERS]
    assert ids(library, "company:Huawei NOT Shenzhen") == sorted([QUALCOMM, POWERS])


@pytest.mark.parametrize(
    "query, expected",
    [
        ("date:2024-07-04", ["mid"]),
        ("date:20240704", ["mid"]),
        ("date:2024-07", ["late", "mid"]),
        ("date:2024", ["early", "late", "mid"]),
        ("date:2025", ["next-year"]),
        ("date:[2024-07-01 to 2024-07-31]", ["late", "mid"]),
        ("date:[2024-07-05 to 2024-07-31]", ["late"]),
        ("date:[2024-08-01 to 2024-12-31]", []),
        ("date:[2024-06 to 2024-07]", ["early", "late", "mid"]),
        ("date:[2024-07-10 to]", ["late", "next-year"]),
        ("date:[to 2024-07-01]", ["early"]),
        ("date:>=2024-07-05", ["late", "next-year"]),
        # > and < are strict, >= and <= inclusive, at the typed precision
        ("date:>2024-07-04", ["late", "next-year"]),
        ("date:>=2024-07-04", ["late", "mid", "next-year"]),
        ("date:<2024-07-04", ["early"]),
        ("date:<=2024-07-04", ["early", "mid"]),
        ("date:>2024-06", ["late", "mid", "next-year"]),
        ("date:<2024-07", ["early"]),
        ("date:>2024", ["next-year"]),
        ("date:<2025", ["early", "late", "mid"]),
        ("date:<2024-03-01", []),
        ("NOT date:<2024-07-20 AND Qualcomm", ["late", "next-year", "undated"]),
        ("Qualcomm AND date:[2024-07-01 to 2024-07-31]", ["late", "mid"]),
    ],
)
def test_dates_days_months_and_ranges(dated: Library, query: str, expected: list[str]) -> None:
    assert ids(dated, query) == expected


def test_sort_by_date(dated: Library) -> None:
    result = dated.search("Qualcomm", sort="date", limit=10)
    assert [h.id for h in result.hits] == ["next-year", "late", "mid", "early", "undated"]  # undated last
    assert [h.date for h in result.hits] == ["2025-01-02", "2024-07-20", "2024-07-04", "2024-06-30", ""]
    assert [h.id for h in dated.search("Qualcomm", sort="date", limit=2).hits] == ["next-year", "late"]


def test_sort_by_date_keeps_relevance_scores_and_ranks_one_day_by_them(tmp_path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(ARTICLES / "entities.yaml", folder / "entities.yaml")
    rows = [("once", "2024-07-04", "Qualcomm once."), ("twice", "2024-07-04", "Qualcomm, Qualcomm twice."),
            ("older", "2024-07-01", "Qualcomm Qualcomm Qualcomm."), ("none", "", "Qualcomm, no date.")]
    for art_id, date, body in rows:
        head = f"---\nid: {art_id}\ntitle: Story\n" + (f"date: {date}\n" if date else "") + "---\n"
        (folder / f"{art_id}.md").write_text(head + body + "\n", encoding="utf-8")
    lib = Library(folder, tmp_path / "index")
    try:
        lib.update()
        by_date = lib.search("Qualcomm", sort="date")
        by_score = {h.id: h.score for h in lib.search("Qualcomm").hits}
    finally:
        lib.close()
    assert [h.id for h in by_date.hits] == ["twice", "once", "older", "none"]  # the same day: the more relevant first
    assert {h.id: h.score for h in by_date.hits} == by_score  # the relevance, not the date, is the score
    assert by_date.total == 4


def test_sort_by_relevance_orders_by_score(library: Library) -> None:
    hits = library.search("SenseTime", limit=10).hits
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)


@pytest.mark.parametrize("query", ["conference AI", "China OR Shanghai", "world artificial intelligence",
                                   '"artificial intelligence" OR governance', "company:* AI"])
def test_the_top_hits_are_the_best_of_all_matches(library: Library, query: str) -> None:
    """Every match is scored: the first N are the N best of the full ranking,
    and the count is exact."""
    every = library.search(query, limit=1000)
    assert every.total == len(every.hits) > 2
    for limit in (1, 2, 3):
        top = library.search(query, limit=limit)
        assert top.total == every.total
        assert [round(h.score, 6) for h in top.hits] == [round(h.score, 6) for h in every.hits[:limit]]


def test_bad_sort(library: Library) -> None:
    with pytest.raises(QueryError, match="sort must be one of"):
        library.search("x", sort="random")


def test_limit(library: Library) -> None:
    result = library.search("governing", limit=2)
    assert result.total == 5 and len(result.hits) == 2


# --- expansion limits ------------------------------------------------------------------------

def test_prefix_expansion_is_capped_with_a_note(dated: Library) -> None:
    result = dated.search("a*")
    assert any(n.startswith("a* matches") and f"the {MAX_EXPANSION} most common" in n for n in result.notes), result.notes
    # One note for the term, though title and body were both expanded.
    assert len([n for n in result.notes if n.startswith("a* matches")]) == 1
    assert "many-a" in [h.id for h in result.hits]
    assert len(result.terms["body"]) == MAX_EXPANSION


def test_wildcard_expansion_is_capped_with_a_note(dated: Library) -> None:
    result = dated.search("a???")
    assert any(f"the {MAX_EXPANSION} most common" in n for n in result.notes)


def test_fuzzy_distance_is_capped_with_a_note(library: Library) -> None:
    result = library.search("x~5")
    assert "x~5: fuzzy terms allow at most 2 edits" in result.notes


def test_small_expansions_have_no_note(library: Library) -> None:
    assert library.search("Qualc*").notes == []
    assert library.search("Qualcom~").notes == []


# --- invalid queries -------------------------------------------------------------------------

@pytest.mark.parametrize(
    "query, message",
    [
        ("date:notadate", "cannot understand the query"),
        ("date:<2024-02-30", "cannot understand a date in the query"),
        ("date:>2024-13", "cannot understand a date in the query"),
        ("oil date:>99999999", "cannot understand a date in the query"),
        # Whoosh read these as a whole year, both years or the word "date": refused instead.
        ("date:[2024-07-31 to 2024-07-01]", "ends before it starts"),
        ("date:-2024", "is not a date"),
        ("date:2024~2", "is not a date"),
        ("date:>", "needs a date after it"),
        ("", "empty"),
        ("   \x1b[0m  ", "empty"),
        ("x" * (MAX_QUERY_CHARS + 1), f"longer than {MAX_QUERY_CHARS}"),
        ("word " * 300, f"longer than {MAX_QUERY_CHARS}"),
    ],
)
def test_invalid_queries_are_one_line_errors(library: Library, query: str, message: str) -> None:
    with pytest.raises(QueryError) as info:
        library.search(query)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


QUERY_PIECES = list('abSenseTime ()"*?~:[]{}<>=-+^\\/!\x1b\x00İ’') + [
    "date:", "title:", "person:", "company:", " AND ", " OR ", " NOT ", "2024-07-04", " to ", "Huawei", "x~5"]


@settings(max_examples=80)
@given(st.lists(st.sampled_from(QUERY_PIECES), max_size=25).map("".join))
def test_any_query_gives_results_or_a_query_error(library: Library, query: str) -> None:
    try:
        result = library.search(query)
    except QueryError as exc:
        assert "\n" not in str(exc)
    else:
        assert result.total >= len(result.hits)
        for hit in result.hits:
            for start, end in hit.highlights:
                assert 0 <= start < end <= len(hit.snippet)


@pytest.mark.parametrize("query", ["[bold]", "[/foo]", "[link=x]SenseTime[/link]", "[@click=app.quit]", "\x1b[31mSenseTime"])
def test_hostile_queries(library: Library, query: str) -> None:
    result = library.search(query)
    assert "\x1b" not in (result.suggestion or "")
    for hit in result.hits:
        assert "\x1b" not in hit.snippet and "\x1b" not in hit.title
    if query.startswith("\x1b"):  # the escape code is dropped, the word is searched
        assert result.total == 4


# --- snippets and highlights -------------------------------------------------------------------

@pytest.mark.parametrize(
    "query", ["SenseTime", "governing", "Qualcom~", "Sense*", '"World Artificial Intelligence Conference"',
              "Huawei OR Tesla", "companies", "Sense?ime"]
)
def test_highlights_are_offsets_into_the_snippet_on_query_words(library: Library, query: str) -> None:
    result = library.search(query, limit=10)
    assert result.hits
    wanted_stems = stems(query.replace("*", "").replace("?", "").replace("~", ""))
    expanded = {w for ws in result.terms.values() for w in ws}
    for hit in result.hits:
        last = -1
        for start, end in hit.highlights:
            assert 0 <= start < end <= len(hit.snippet)
            assert start > last  # sorted, disjoint
            last = end
            word = hit.snippet[start:end]
            assert stems(word) & (wanted_stems | expanded) or word.lower() in expanded, (query, word)
        assert len(hit.snippet) <= 220 + 30 + 2  # the window may widen to the previous space


def test_snippet_contains_the_hit(library: Library) -> None:
    hit = next(h for h in library.search("Shrivastava").hits)
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["Shrivastava"]
    assert hit.snippet.startswith("…") and hit.snippet.endswith("India.")


def test_entity_query_highlights_the_mentions(library: Library) -> None:
    result = library.search("company:Huawei")
    texts = {h.snippet[s:e] for h in result.hits for s, e in h.highlights}
    assert texts and texts <= {"Huawei", "Huawei Technologies"}


def test_entity_query_highlights_every_mention_by_that_name_in_the_snippet(library: Library) -> None:
    """Every occurrence of the first-mention name inside the snippet window is
    highlighted, not only the first one."""
    entity = library.entity_list.get("elon-musk")
    for hit in library.search("person:elon-musk").hits:
        highlighted = [hit.snippet[s:e] for s, e in hit.highlights]
        assert highlighted and set(highlighted) <= set(entity.names) | {"Musk"}
        for name in set(highlighted):
            occurrences = re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", hit.snippet)
            assert highlighted.count(name) == len(occurrences)


def test_hit_spans_for_the_reader_view(library: Library) -> None:
    result = library.search("SenseNova")
    body = library.article(SPEAKERS).body
    spans = library.hit_spans(body, result)
    assert [body[s:e] for s, e in spans] == ["SenseNova"]


def test_negated_words_are_not_highlighted(library: Library) -> None:
    result = library.search("SenseTime NOT Huawei")
    assert "huawei" not in {w for ws in result.terms.values() for w in ws}


def test_hit_fields(library: Library) -> None:
    hit = library.search("author:Tracy").hits[0]
    assert hit.id == QUALCOMM
    data = hit.as_dict()
    assert set(data) >= {"id", "title", "score", "snippet", "highlights"}
    assert data["title"].startswith("China’s biggest AI conference")
    assert data["path"] == f"{QUALCOMM}.md"


# make_snippet is pure span arithmetic: check it on any text and spans.
@st.composite
def text_and_spans(draw):
    text = draw(st.text(alphabet=st.sampled_from(list("abc xyz\n.,")), min_size=0, max_size=700))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=20, unique=True)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    return text, spans


@given(text_and_spans())
def test_make_snippet_span_arithmetic(case: tuple[str, list[tuple[int, int]]]) -> None:
    text, spans = case
    snippet, highlights = make_snippet(text, spans)
    flat = text.replace("\n", " ")
    core = snippet[1:] if snippet.startswith("…") else snippet
    core = core[:-1] if core.endswith("…") else core
    assert core in flat
    assert len(core) <= 250
    previous = -1
    for start, end in highlights:
        assert 0 <= start < end <= len(snippet)
        assert start >= previous
        previous = end
        assert snippet[start:end] in flat
        assert "…" not in snippet[start:end]
    if spans and text:
        assert highlights  # the window is chosen around the hits
    # every highlighted piece is (a clipped part of) a span of the text
    offset = flat.find(core) if not snippet.startswith("…") else None
    if offset is not None and flat.count(core) == 1:
        for start, end in highlights:
            s, e = start + offset, end + offset
            assert any(a <= s and e <= b for a, b in spans)


@given(st.lists(st.tuples(st.integers(0, 100), st.integers(1, 10)), max_size=20))
def test_merge_spans(raw: list[tuple[int, int]]) -> None:
    spans = sorted((s, s + n) for s, n in raw)
    merged = merge_spans(spans)
    for (a, b), (c, d) in zip(merged, merged[1:]):
        assert b < c
    covered = {i for s, e in spans for i in range(s, e)}
    assert covered == {i for s, e in merged for i in range(s, e)}


# --- suggestions and the searcher ---------------------------------------------------------------

@pytest.mark.parametrize(
    "query, suggestion",
    [
        ("sensetme", "sensetime"),
        ("Qualcom", "qualcomm"),
        ("huwei OR sensetme", "huawei OR sensetime"),
        ("govenment", "government"),
    ],
)
def test_did_you_mean(library: Library, query: str, suggestion: str) -> None:
    result = library.search(query)
    assert result.total == 0
    assert result.suggestion == suggestion
    assert library.search(suggestion).total > 0


def test_no_suggestion_when_there_are_enough_hits(library: Library) -> None:
    assert library.search("SenseTime").suggestion is None


def test_searcher_is_reused_when_nothing_changed(library: Library) -> None:
    with library.index.searching() as first:
        pass
    library.search("SenseTime")
    library.search("company:Huawei")
    with library.index.searching() as second:
        pass
    assert first is second


def test_result_dict_shape(library: Library) -> None:
    data = library.search("sensetme").as_dict()
    assert set(data) >= {"query", "total", "hits", "suggestion"}
    assert data["query"] == "sensetme" and data["total"] == 0 and data["suggestion"] == "sensetime"


@pytest.mark.parametrize("entity_id", ["qualcomm", "sensetime", "shanghai", "li-qiang"])
def test_entity_queries_rank_by_mentions(library: Library, entity_id: str) -> None:
    """An entity field ranks the articles by how often they name the entity."""
    with library.index.searching() as searcher:
        mentions = {f["id"]: f["entities"][entity_id][0] for f in searcher.all_stored_fields()
                    if entity_id in f["entities"]}
    result = library.search(f"entity:{entity_id}", limit=10)
    assert {h.id for h in result.hits} == set(mentions)
    assert [h.score for h in result.hits] == sorted((float(n) for n in mentions.values()), reverse=True)
    assert [mentions[h.id] for h in result.hits] == [int(h.score) for h in result.hits]


@pytest.mark.parametrize("query", ["a*", "ab*", "Qualcom~", "Qualcomm OR Huawei OR July OR June OR news", "abc* AND NOT abd*"])
def test_large_ors_score_the_same_added_up_in_an_array(dated: Library, query: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.search as search_module

    arrays = dated.search(query, limit=50)
    monkeypatch.setattr(search_module, "PRELOAD_FROM", 10**9)  # Whoosh's binary tree of unions
    tree = dated.search(query, limit=50)
    assert arrays.total == tree.total
    assert [(h.id, round(h.score, 6)) for h in arrays.hits] == [(h.id, round(h.score, 6)) for h in tree.hits]


def test_warming_builds_the_discovered_word_tables(articles_copy, index_dir) -> None:
    from reader.index import ENTITY_FIELDS

    shutil.copy(Path(__file__).parent / "data" / "discovery" / "lumina-robotics-expo.md", articles_copy)
    lib = Library(articles_copy, index_dir)
    try:
        lib.update()
        lib.warm()
        generation, tables = lib.search_engine._discovered_cache
        assert generation == lib.index.ix.latest_generation() and set(tables) == set(ENTITY_FIELDS)
        assert tables["person"]  # the added article names people the entity list does not hold
        kept = dict(tables)
        person = next(iter(tables["person"]))  # a word of a discovered person's name
        assert lib.search(f"person:{person}").total > 0
        assert all(lib.search_engine._discovered_cache[1][f] is kept[f] for f in kept)  # used, not built again
    finally:
        lib.close()


# --- search as you type ---------------------------------------------------------------------

def test_the_word_being_typed_is_a_prefix(library: Library) -> None:
    typed = library.search("Sense", limit=50, typing=True)
    assert typed.total > 0 and typed.suggestion is None
    assert {h.id for h in typed.hits} == set(ids(library, "SenseTime OR SenseNova"))
    # Without type-ahead, and once the word is finished, it is matched whole.
    assert library.search("Sense").total == 0
    assert library.search("Sense ", typing=True).total == 0


def test_only_the_last_unfinished_word_is_a_prefix(library: Library) -> None:
    assert ids(library, "Shanghai Sense", typing=True) == ids(library, "Shanghai AND (SenseTime OR SenseNova)")
    # "Sense" is finished (a word follows it): matched whole, so nothing.
    assert library.search("Sense Shanghai", typing=True).total == 0
    assert library.search("Sense)", typing=True).total == 0


def test_a_typed_word_also_matches_itself_whole(library: Library) -> None:
    assert ids(library, "Qualcomm", typing=True) == ids(library, "Qualcomm")
    assert ids(library, "govern", typing=True) == ids(library, "govern*")


def test_a_typed_entity_name_is_a_prefix_of_the_name(library: Library) -> None:
    assert ids(library, "person:Mus", typing=True) == ids(library, "person:Musk")
    assert library.search("person:Mus").total == 0


def test_type_ahead_highlights_the_words_it_begins(library: Library) -> None:
    hit = library.search("Sense", typing=True).hits[0]
    words = {hit.snippet[s:e] for s, e in hit.highlights}
    assert words and all(w.lower().startswith("sense") for w in words)


def test_did_you_mean_only_when_the_prefix_finds_nothing(library: Library) -> None:
    assert library.search("SenseNo", typing=True).suggestion is None
    assert library.search("sensetme", typing=True).suggestion == "sensetime"


def test_a_hit_in_the_title_is_highlighted(library: Library) -> None:
    hit = next(h for h in library.search("Qualcom~", limit=50).hits if h.id == QUALCOMM)
    assert [hit.title[s:e] for s, e in hit.title_highlights] == ["Qualcomm"]
    assert hit.as_dict()["title_highlights"] == [list(span) for span in hit.title_highlights]
    entity_hit = next(h for h in library.search("company:Qualcomm", limit=50).hits if h.id == QUALCOMM)
    assert [entity_hit.title[s:e] for s, e in entity_hit.title_highlights] == ["Qualcomm"]


@pytest.mark.parametrize("query", ["foo:bar", "Shanghai nosuchfield:x", "x AND (bad:1)"])
def test_an_unknown_field_names_the_fields(library: Library, query: str) -> None:
    with pytest.raises(QueryError) as raised:
        library.search(query)
    message = str(raised.value)
    assert "\n" not in message and "unknown field" in message
    assert "title" in message and "person" in message and "date" in message


@pytest.mark.parametrize("query", ["Title:conference", "see http://example.com", '"note:x" Shanghai', "10:30"])
def test_what_only_looks_like_a_field_is_searched(library: Library, query: str) -> None:
    library.search(query)  # no QueryError
    assert ids(library, "Title:conference") == ids(library, "title:conference")


EXCEPTION_NAME = re.compile(r"\b\w*(?:Error|Exception)\b|\bTermNotFound\b")
QUERY_BITS = ["title:", "date:", "(", ")", '"', "[", "]", "{", "}", "to", "OR", "NOT", "x", "^", "~", "*", "<", ">",
              "=", "2024", " ", "/", ":"]


def test_query_errors_say_what_is_wrong_never_an_exception_class(library: Library) -> None:
    queries = ["<title:", 'date:<"', 'date:""', "entities:*"] + ["".join(p) for p in itertools.product(QUERY_BITS, repeat=2)]
    refused = 0
    for query in queries:
        try:
            library.search(query)
        except QueryError as exc:
            refused += 1
            message = str(exc)
            assert not EXCEPTION_NAME.search(message), (query, message)
            # One line of words: what is wrong, or which fields there are.
            assert "\n" not in message and message.startswith(
                ("cannot understand", "the query is empty", "unknown field", "date:")), (query, message)
    assert refused >= 4


@pytest.mark.parametrize("error, words", [
    (IndexError(), "an unexpected error"),
    (Exception("Exception"), "an unexpected error"),
    (ValueError("  bad\nvalue "), "bad value"),
    (OSError(28, "No space left on device", "/x/index"), "/x/index: No space left on device"),
])
def test_error_words_never_give_the_class_name(error: BaseException, words: str) -> None:
    assert error_words(error) == words
