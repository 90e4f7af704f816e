"""The coverage grid: which articles name which people and companies (or
entities of any kind), and how often.

Computed from what the index stores per article (``entities``: id -> [count,
first start, first end]; ``discovered``: id -> [name, kind, evidence]) and
the entity list's names and kinds, reading the stored fields once. The grid
of every kind is kept per index generation (``GridCache``): filtering by
kind and sorting work on it without reading the index again, and curating,
which commits a new generation, makes the next call compute it afresh."""

from __future__ import annotations

import datetime as _dt
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reader.entities import CONFIRMED, DISCOVERED, KINDS, normalise_kind

if TYPE_CHECKING:
    from reader.index import ArticleIndex

DEFAULT_KINDS = ("person", "company")
ALL_KINDS = "all"
SORTS = ("count", "articles", "first", "name")
# Timeline buckets by the corpus's date span: days up to about a quarter,
# months up to five years, years beyond.
DAY_SPAN = 92
MONTH_SPAN = 5 * 366


@dataclass(frozen=True)
class GridArticle:
    id: str
    title: str
    date: str  # ISO 8601 as the article gives it, or ""

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "date": self.date}


@dataclass
class GridEntity:
    id: str
    name: str
    kind: str
    status: str
    # article index -> (mentions, first start in the body)
    cells: dict[int, tuple[int, int]] = field(default_factory=dict)
    mentions: int = 0
    first: str = ""  # the earliest date of an article that names it

    @property
    def articles(self) -> int:
        return len(self.cells)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "mentions": self.mentions,
                "articles": self.articles, "first": self.first}


@dataclass
class Grid:
    """Entities down, articles across (oldest first, undated last)."""

    entities: list[GridEntity]
    articles: list[GridArticle]
    # Each article's day, parsed once (the timeline asks at every cursor move).
    days: list[_dt.date | None] | None = field(default=None, repr=False, compare=False)

    def article_days(self) -> list[_dt.date | None]:
        if self.days is None:
            self.days = [_day(a.date) for a in self.articles]
        return self.days

    def count(self, row: int, column: int) -> int:
        return self.entities[row].cells.get(column, (0, 0))[0]

    def first_offset(self, row: int, column: int) -> int:
        return self.entities[row].cells.get(column, (0, 0))[1]

    def counts(self) -> list[list[int]]:
        """[entity index, article index, mentions] for every non-empty cell."""
        return [[row, column, n] for row, entity in enumerate(self.entities)
                for column, (n, _start) in sorted(entity.cells.items())]

    def as_dict(self) -> dict[str, Any]:
        return {"entities": [e.as_dict() for e in self.entities],
                "articles": [a.as_dict() for a in self.articles],
                "counts": self.counts()}

    def undated_mentions(self, row: int) -> int:
        dates = self.article_days()
        return sum(n for column, (n, _s) in self.entities[row].cells.items() if dates[column] is None)

    def timeline(self, row: int) -> list[tuple[str, int]]:
        """The entity's mentions by article date, in buckets (days, months or
        years, by the corpus's date span), empty buckets included; undated
        articles are left out."""
        dates = self.article_days()
        known = [d for d in dates if d is not None]
        if not known:
            return []
        first, last = min(known), max(known)
        unit = bucket_unit(first, last)
        labels = _bucket_labels(first, last, unit)
        totals = dict.fromkeys(labels, 0)
        for column, (n, _start) in self.entities[row].cells.items():
            day = dates[column]
            if day is not None:
                totals[_label(day, unit)] += n
        return list(totals.items())


def bucket_unit(first: _dt.date, last: _dt.date) -> str:
    span = (last - first).days
    return "day" if span <= DAY_SPAN else "month" if span <= MONTH_SPAN else "year"


def _label(day: _dt.date, unit: str) -> str:
    return day.isoformat() if unit == "day" else day.isoformat()[:7] if unit == "month" else str(day.year)


def _bucket_labels(first: _dt.date, last: _dt.date, unit: str) -> list[str]:
    if unit == "day":
        return [(first + _dt.timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    if unit == "year":
        return [str(year) for year in range(first.year, last.year + 1)]
    labels, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def _day(text: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(text[:10])
    except (TypeError, ValueError):
        return None


def check_kind(kind: str | None) -> tuple[str, ...]:
    """The kinds a --kind value means; ValueError for one the reader lacks."""
    if kind is None or kind == "":
        return DEFAULT_KINDS
    if kind == ALL_KINDS:
        return tuple(KINDS)
    known = normalise_kind(kind)
    if known is None:
        raise ValueError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)} or {ALL_KINDS}")
    return (known,)


def check_sort(sort: str) -> str:
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}: choose one of {', '.join(SORTS)}")
    return sort


def build_grid(stored: list[dict[str, Any]], entity_list: Any) -> Grid:
    """The grid of every kind from the stored fields of every article."""
    stored = sorted(stored, key=lambda f: (not f.get("date_text"), f.get("date_text") or "", f.get("id") or ""))
    articles = [GridArticle(f.get("id", ""), f.get("title", "") or f.get("id", ""), f.get("date_text") or "")
                for f in stored]
    by_id: dict[str, GridEntity] = {}
    for column, fields in enumerate(stored):
        discovered = fields.get("discovered") or {}
        for entity_id, value in (fields.get("entities") or {}).items():
            entity = by_id.get(entity_id)
            if entity is None:
                known = entity_list.get(entity_id)
                if known is not None:
                    entity = GridEntity(entity_id, known.name, known.kind, CONFIRMED)
                elif entity_id in discovered:
                    name, kind, _evidence = discovered[entity_id]
                    entity = GridEntity(entity_id, name, kind, DISCOVERED)
                else:
                    continue  # neither listed nor discovered here: nothing to name it by
                by_id[entity_id] = entity
            count, start = int(value[0]), int(value[1])
            entity.cells[column] = (count, start)
            entity.mentions += count
            date = articles[column].date
            if date and (not entity.first or date < entity.first):
                entity.first = date
    return Grid(list(by_id.values()), articles)


def select(grid: Grid, kind: str | None = None, sort: str = "count") -> Grid:
    """The grid's rows of some kinds, sorted (the articles are shared)."""
    kinds = set(check_kind(kind))
    rows = [e for e in grid.entities if e.kind in kinds]
    rows.sort(key=lambda e: e.name.lower())
    if sort == "count":
        rows.sort(key=lambda e: (-e.mentions, -e.articles))
    elif sort == "articles":
        rows.sort(key=lambda e: (-e.articles, -e.mentions))
    elif sort == "first":
        rows.sort(key=lambda e: (not e.first, e.first))
    else:
        check_sort(sort)
    return Grid(rows, grid.articles, grid.article_days())


class GridCache:
    """The grid of every kind, kept until the index's generation changes."""

    def __init__(self, index: "ArticleIndex") -> None:
        self.index = index
        self._grid: Grid | None = None
        self._generation: int | None = None
        self._lock = threading.Lock()

    def grid(self) -> Grid:
        with self._lock:
            generation = self.index.ix.latest_generation()
            if self._grid is None or self._generation != generation:
                with self.index.searching() as searcher:
                    stored = [{k: f.get(k) for k in ("id", "title", "date_text", "entities", "discovered")}
                              for f in searcher.reader().all_stored_fields()]
                self._grid = build_grid(stored, self.index.entity_list)
                self._generation = generation
            return self._grid
