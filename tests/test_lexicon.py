"""Fuzzy expansion over the listed words finds the words Whoosh's
``terms_within`` documents: within a Damerau-Levenshtein distance (an adjacent
swap is one edit), sharing the first letter. (Whoosh itself answers so on a
multi-segment index but with plain Levenshtein on a single segment.)"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from whoosh.support.levenshtein import damerau_levenshtein

from reader.search.whoosh.lexicon import words_within
from reader.library import Library

REPO_ARTICLES = __import__("pathlib").Path(__file__).resolve().parent.parent / "articles"


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory):
    library = Library(REPO_ARTICLES, tmp_path_factory.mktemp("index"))
    library.update()
    with library.index.searching() as searcher:
        yield searcher.reader()
    library.close()


def whoosh_within(reader, fieldname: str, word: str, maxdist: int) -> list[str]:
    words = (t.decode() if isinstance(t, bytes) else t for t in reader.expand_prefix(fieldname, word[:1]))
    return sorted(w for w in words if damerau_levenshtein(w, word) <= maxdist)


@pytest.mark.parametrize("word", ["govern", "qualcom", "shanghia", "confer", "sensetim", "ai", "x", "zzzz", "2024"])
@pytest.mark.parametrize("maxdist", [1, 2])
def test_same_words_as_whoosh(reader, word: str, maxdist: int) -> None:
    assert words_within(reader, "body", word, maxdist) == whoosh_within(reader, "body", word, maxdist)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="abcdegilnorstuw", min_size=1, max_size=9), st.integers(0, 2))
def test_same_words_as_whoosh_for_any_word(reader, word: str, maxdist: int) -> None:
    assert words_within(reader, "title", word, maxdist) == whoosh_within(reader, "title", word, maxdist)


def test_an_adjacent_swap_is_one_edit(reader) -> None:
    assert "shanghai" in words_within(reader, "body", "shanghia", 1)


def test_unknown_field_and_empty_word_find_nothing(reader) -> None:
    assert words_within(reader, "body", "", 2) == []
    assert words_within(reader, "no-such-field", "word", 2) == []
