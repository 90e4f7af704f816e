"""reader.wording: counts in the right number, dates as dates, bylines without dangling separators."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.wording import SEPARATOR, byline, byline_parts, plural, show_date


@pytest.mark.parametrize("count, noun, expected", [
    (1, "article", "1 article"), (0, "article", "0 articles"), (2, "article", "2 articles"),
    (1, "entity", "1 entity"), (3, "entity", "3 entities"), (2, "day", "2 days"),
    (2, "match", "2 matches"), (1, "mention", "1 mention"), (2, "person", "2 people"),
])
def test_plural(count: int, noun: str, expected: str) -> None:
    nouns = "people" if noun == "person" else None
    assert plural(count, noun, nouns) == expected


@pytest.mark.parametrize("iso, shown", [
    ("2024-07-06", "6 Jul 2024"),
    ("1987-10-20T22:53:01", "20 Oct 1987 22:53"),
    ("2024-07-04T09:05:00+08:00", "4 Jul 2024 09:05"),
    ("2024-07-04T09:05:00Z", "4 Jul 2024 09:05"),
    ("", ""),
    ("not a date", "not a date"),
])
def test_show_date(iso: str, shown: str) -> None:
    assert show_date(iso) == shown


def test_a_byline_has_no_dangling_separator() -> None:
    assert byline("Reuters", "By JULIE VORMAN, Reuters", "") == "Reuters · By JULIE VORMAN, Reuters"
    assert byline("", "By JULIE VORMAN, Reuters ·", "") == "By JULIE VORMAN, Reuters"
    assert byline("", "", "2024-07-06") == "6 Jul 2024"
    assert byline(" · ", "", "") == ""


@given(st.text(max_size=30), st.text(max_size=30), st.sampled_from(["", "2024-07-06", "1987-10-20T22:53:00"]))
def test_bylines_never_begin_or_end_with_a_separator(source: str, author: str, date: str) -> None:
    line = byline(source, author, date)
    assert not line.startswith(SEPARATOR.strip()) and not line.endswith(SEPARATOR.strip())
    assert line == SEPARATOR.join(byline_parts(source, author, date))
