"""How counts, dates and bylines read, the same in the reader and on the
command line: "1 article", "20 Oct 1987 22:53", "Reuters · Jane Doe"."""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SEPARATOR = " · "


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` and the noun in the right number: "1 article", "2 articles",
    "1 entity", "3 entities"; ``nouns`` for a plural the rule does not make."""
    if count == 1:
        return f"{count} {noun}"
    if nouns is None:
        if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
            nouns = noun[:-1] + "ies"
        elif noun.endswith(("s", "x", "ch", "sh")):
            nouns = noun + "es"
        else:
            nouns = noun + "s"
    return f"{count} {nouns}"


@lru_cache(maxsize=4096)  # the article list draws each row's date on every repaint
def show_date(iso: str) -> str:
    """An ISO 8601 date or date-time as people read it: "6 Jul 2024", or
    "20 Oct 1987 22:53" with a time (seconds and the time zone left out).
    Text that is not such a date is returned as it is."""
    text = (iso or "").strip()
    if not text:
        return ""
    try:
        if len(text) == 10:
            day = _dt.date.fromisoformat(text)
            return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        moment = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} {moment.hour:02d}:{moment.minute:02d}"


def _bare(part: str) -> str:
    """A part without the separators it may end or begin with (an author
    given as "By Jane Doe, Reuters ·"), so joining leaves none dangling."""
    return (part or "").strip().strip("·,;:|-–— ").strip()


def byline_parts(source: str, author: str, date: str) -> list[str]:
    """What the line under a title shows, as far as it is known: source,
    author and date, each stripped of separators it ends or begins with."""
    return [p for p in (_bare(source), _bare(author), show_date(date)) if p]


def byline(source: str, author: str, date: str) -> str:
    """The line under a title: "Reuters · By Jane Doe · 6 Jul 2024"."""
    return SEPARATOR.join(byline_parts(source, author, date))
