"""reader.matcher: known names found in text as (start, end, entity) spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from reader.entities import Entity, EntityList, load_entity_list
from reader.matcher import Matcher, Mention, boundary_ok, case_ok, fold, longest_first

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
_LIST = load_entity_list(ARTICLES)
_MATCHER = Matcher.from_list(_LIST)


@pytest.fixture(scope="module")
def bundled() -> EntityList:
    return load_entity_list(ARTICLES)


@pytest.fixture(scope="module")
def matcher(bundled: EntityList) -> Matcher:
    return Matcher.from_list(bundled)


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.entity) for m in matcher.match(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tesla said", [("Tesla", "tesla")]),
        ("Teslas and TeslaX and xTesla", []),  # never inside another word
        ("Tesla-backed and (Tesla)", [("Tesla", "tesla"), ("Tesla", "tesla")]),
        ("Baidu_cloud Baidu2 Baidu.", [("Baidu", "baidu")]),
        ("USB drives in the US", [("US", "united-states")]),
    ],
)
def test_whole_words_only(matcher: Matcher, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Huawei Technologies said", [("Huawei Technologies", "huawei")]),
        ("Alibaba Group Holding owns", [("Alibaba Group Holding", "alibaba")]),
        ("the United Nations General Assembly", [("United Nations General Assembly", "un-general-assembly")]),
        ("the 78th session of the United Nations General Assembly",
         [("78th session of the United Nations General Assembly", "un-general-assembly-78th-session")]),
        ("at the Hong Kong Science Park", [("Hong Kong Science Park", "hong-kong-science-park")]),
        ("Premier Li Qiang will speak", [("Premier Li Qiang", "li-qiang")]),
        ("Robin Li Yanhong and Robin Li", [("Robin Li Yanhong", "robin-li"), ("Robin Li", "robin-li")]),
        ("SenseNova 5.5 and SenseNova", [("SenseNova 5.5", "sensenova"), ("SenseNova", "sensenova")]),
    ],
)
def test_longest_match_first(matcher: Matcher, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    "text",
    ["SenseTime's shares rose", "SenseTime’s shares rose", "SenseTime' shares", "SENSETIME'S SHARES"],
)
def test_possessives(matcher: Matcher, text: str) -> None:
    mentions = matcher.match(text)
    assert [(m.start, m.end, m.entity) for m in mentions] == [(0, 9, "sensetime")]


def test_all_caps_titles_match(matcher: Matcher) -> None:
    assert found(matcher, "BAIDU AND SENSETIME UNVEIL MODELS") == [("BAIDU", "baidu"), ("SENSETIME", "sensetime")]
    assert found(matcher, "HUAWEI TECHNOLOGIES PROFIT") == [("HUAWEI TECHNOLOGIES", "huawei")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("an apple pie", []),
        ("Apple pie", [("Apple", "apple")]),  # capitalised: could be the company
        ("tesla coils", []),
        ("in shanghai", []),
        ("the sensetime model", []),
        ("Sensetime said", [("Sensetime", "sensetime")]),  # first letters agree
        ("Us and them; US and China", [("US", "united-states"), ("China", "china")]),  # acronyms keep capitals
        ("Un and UN", [("UN", "united-nations")]),
        ("elon musk", []),
        ("Elon musk", []),
    ],
)
def test_case_of_common_words(matcher: Matcher, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(matcher, text) == expected


def test_case_ok_rules() -> None:
    assert case_ok("Apple", "Apple")
    assert not case_ok("apple", "Apple")
    assert case_ok("APPLE", "Apple")
    assert not case_ok("APPLE", "apple")  # a lower-case name is not found in shouting
    assert case_ok("apple", "apple")
    assert not case_ok("Elon", "Elon Musk")


def test_offsets_survive_characters_that_grow_when_lower_cased(matcher: Matcher) -> None:
    text = "İİ İstanbul: Tesla and İ SenseTime’s İ"
    assert "İ".lower() != "İ" and len("İ".lower()) == 2  # the trap
    mentions = matcher.match(text)
    assert [(text[m.start:m.end], m.entity) for m in mentions] == [("Tesla", "tesla"), ("SenseTime", "sensetime")]
    assert len(fold(text)) == len(text)


def test_names_across_line_breaks(matcher: Matcher) -> None:
    text = "said Elon\nMusk today"
    assert found(matcher, text) == [("Elon\nMusk", "elon-musk")]


def test_ignored_names_are_not_matched() -> None:
    entities = [Entity("acme", "Acme", "company", aliases=["Monday"])]
    assert [m.entity for m in Matcher(entities).match("Acme on Monday")] == ["acme", "acme"]
    assert [m.entity for m in Matcher(entities, ignore=["monday"]).match("Acme on Monday")] == ["acme"]


def test_empty_matcher() -> None:
    matcher = Matcher([])
    assert matcher.empty and matcher.match("Anything at all") == []
    assert Matcher([Entity("a", "A", "company")]).match("A b") == []  # one-letter names are never keys


def test_same_alias_in_two_entities_is_resolved_by_case() -> None:
    entities = [Entity("apple", "Apple", "company"), Entity("fruit", "apple", "product")]
    matcher = Matcher(entities)
    assert [m.entity for m in matcher.match("Apple sells apple juice")] == ["apple", "fruit"]


def test_longest_first_resolution() -> None:
    mentions = [Mention(0, 5, "a"), Mention(0, 10, "b"), Mention(6, 12, "c"), Mention(12, 15, "d"), Mention(3, 8, "e")]
    assert longest_first(mentions) == [Mention(0, 10, "b"), Mention(12, 15, "d")]


def test_bundled_articles_mention_what_they_say(matcher: Matcher) -> None:
    from reader.corpus import load_article

    body = load_article(ARTICLES / "waic-2024-opening-speakers.md").body
    ids = {m.entity for m in matcher.match(body)}
    assert ids >= {"li-qiang", "elon-musk", "robin-li", "eric-jing", "wang-jian", "baidu", "ant-group", "alibaba",
                   "sensetime", "huawei", "tencent", "spacex", "tesla", "sensenova", "united-nations", "beijing"}


def test_boundary_ok() -> None:
    assert boundary_ok("a Tesla b", 2, 7)
    assert not boundary_ok("aTesla b", 1, 6)
    assert not boundary_ok("a Tesla_b", 2, 7)
    assert boundary_ok("Tesla", 0, 5)


# --- properties -----------------------------------------------------------------------------

NAMES = [
    "Elon Musk", "Musk", "SenseTime", "Huawei Technologies", "Huawei", "US", "United States",
    "Hong Kong", "Hong Kong Science Park", "Li Qiang", "Premier Li Qiang", "GPT-4", "X (formerly Twitter)",
]
FILLER = ["the", "and", "said", "İ", "ß", "’s", "'s", "-", ",", ".", "\n", "  ", "x", "Kong", "Hong", "Elon",
          "apple", "Apple", "États-Unis", "日本", "us", "Us"]


def _variants(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from([name, name.upper(), name.lower(), name.title()])


piece = st.one_of(st.sampled_from(NAMES).flatmap(_variants), st.sampled_from(FILLER))
glue = st.sampled_from(["", " ", "  ", "\n", "’", "-", "İ"])


@given(st.lists(st.tuples(piece, glue), max_size=40).map(lambda parts: "".join(p + g for p, g in parts)))
@example("İElon Musk")
@example("Hong Kong Science Park’s")
def test_mentions_are_sorted_disjoint_inside_and_spell_a_name(text: str) -> None:
    entity_list, matcher = _LIST, _MATCHER
    mentions = matcher.match(text)
    previous_end = 0
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.start >= previous_end  # sorted and non-overlapping
        previous_end = mention.end
        surface = " ".join(text[mention.start:mention.end].replace("’", "'").split()).lower()
        entity = entity_list.get(mention.entity)
        assert surface in {" ".join(n.replace("’", "'").split()).lower() for n in entity.names}
        assert boundary_ok(text, mention.start, mention.end)


@given(st.text(max_size=300))
def test_any_text_gives_valid_spans(text: str) -> None:
    mentions = _MATCHER.match(text)
    ends = [0]
    for mention in mentions:
        assert ends[-1] <= mention.start < mention.end <= len(text)
        ends.append(mention.end)


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 10), st.sampled_from("abc")), max_size=30))
def test_longest_first_is_disjoint_and_keeps_a_longest(raw: list[tuple[int, int, str]]) -> None:
    mentions = [Mention(s, s + n, e) for s, n, e in raw]
    chosen = longest_first(mentions)
    assert chosen == sorted(chosen, key=lambda m: m.start)
    for a, b in zip(chosen, chosen[1:]):
        assert a.end <= b.start
    if mentions:
        longest = max(m.end - m.start for m in mentions)
        assert any(m.end - m.start == longest for m in chosen)
    # every dropped mention overlaps a chosen one at least as long
    for m in mentions:
        if m not in chosen:
            assert any(c.start < m.end and m.start < c.end and c.end - c.start >= m.end - m.start for c in chosen)
