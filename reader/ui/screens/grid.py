"""The coverage grid: people and companies (or one kind, or all) by articles,
with their mention counts; the entity under the cursor's timeline and the
article under the cursor's title below. Enter opens the article at the
entity's first mention in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from reader.grid import SORTS, Grid
from reader.ui.safe import plain
from reader.ui.widgets.grid_view import GridView
from reader.wording import plural, show_date

if TYPE_CHECKING:
    from reader.library import Library

# The kind filter's cycle: people and companies (the grid's default), then each
# kind alone, then every kind.
KIND_CYCLE = ("", "person", "company", "organization", "place", "product", "event", "all")
KIND_NAMES = {"": "people and companies", "all": "every kind"}
SPARKS = " ▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class GridChoice:
    article: str
    offset: int  # the entity's first mention in the article's body
    entity: str


def sparkline(values: list[int], width: int) -> str:
    """The values as bars in at most ``width`` cells (neighbours summed)."""
    if not values or width <= 0:
        return ""
    per = -(-len(values) // width)  # buckets per cell, rounded up
    folded = [sum(values[i:i + per]) for i in range(0, len(values), per)]
    top = max(folded) or 1
    return "".join(SPARKS[0 if v == 0 else max(1, round(v * (len(SPARKS) - 1) / top))] for v in folded)


class GridScreen(Screen[GridChoice | None]):
    DEFAULT_CSS = """
    GridScreen { background: $background; }
    #grid-title { height: 1; padding: 0 1; background: $panel; }
    #grid-status { height: 1; padding: 0 1; color: $reader-muted; }
    #grid-article { height: 1; padding: 0 1; }
    #grid-timeline { height: 2; padding: 0 1; color: $reader-bar; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", id="grid.back"),
        Binding("s", "sort", "Sort", id="grid.sort"),
        Binding("K", "kind", "Kind", id="grid.kind"),
    ]

    def __init__(self, library: "Library") -> None:
        super().__init__()
        self.library = library
        self.sort = SORTS[0]
        self.kind = KIND_CYCLE[0]
        self.grid: Grid | None = None

    def compose(self):
        yield Static(Content.assemble(("Coverage grid", "bold")), id="grid-title", markup=False)
        yield Static(Content("Working…"), id="grid-status", markup=False)
        yield GridView(id="grid-view")
        yield Static(Content(""), id="grid-article", markup=False)
        yield Static(Content(""), id="grid-timeline", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(GridView).focus()
        self.load()

    @property
    def view(self) -> GridView:
        return self.query_one(GridView)

    @work(thread=True, exclusive=True, group="grid")
    def load(self) -> None:
        # Reading the index and sorting thousands of rows: off the event loop.
        kind, sort = self.kind, self.sort
        grid = self.library.grid(kind or None, sort)
        self.app.call_from_thread(self.show, grid, kind, sort)

    def show(self, grid: Grid, kind: str, sort: str) -> None:
        if (kind, sort) != (self.kind, self.sort):
            return  # a newer sort or filter is on its way
        keep = self.grid.entities[self.view.row].id if self.grid and self.grid.entities else ""
        self.grid = grid
        row = next((i for i, e in enumerate(grid.entities) if e.id == keep), 0)
        self.view.show(grid, row, self.view.column)
        self._status()
        self._describe(self.view.row, self.view.column)

    def _status(self, working: bool = False) -> None:
        grid = self.grid
        what = KIND_NAMES.get(self.kind, self.kind)
        if working or grid is None:
            text = f"Working… ({what}, by {self.sort})"
        else:
            text = (f"{plural(len(grid.entities), 'entity')} ({what}) in {plural(len(grid.articles), 'article')}"
                    f" · by {self.sort} (s) · kind (K) · Enter opens · Esc back")
        self.query_one("#grid-status", Static).update(Content(text))

    @on(GridView.CursorMoved)
    def moved(self, event: GridView.CursorMoved) -> None:
        self._describe(event.row, event.column)

    def _describe(self, row: int, column: int) -> None:
        grid = self.grid
        article_line = self.query_one("#grid-article", Static)
        timeline = self.query_one("#grid-timeline", Static)
        if grid is None or not grid.entities:
            article_line.update(Content("Nothing to show: no entity of this kind is named" if grid else ""))
            timeline.update(Content(""))
            return
        entity = grid.entities[row]
        if grid.articles:
            article = grid.articles[column]
            date = f"{show_date(article.date)} · " if article.date else ""
            count = grid.count(row, column)
            # Titles and names are untrusted: plain content, never markup.
            article_line.update(Content.assemble(
                f"{plural(count, 'mention')} here · ", date, plain(article.title)))
        buckets = grid.timeline(row)
        width = max(10, self.size.width - 4)
        undated = grid.undated_mentions(row)
        if buckets:
            bars = sparkline([n for _label, n in buckets], width - 2)
            span = f"{buckets[0][0]} … {buckets[-1][0]}" if len(buckets) > 1 else buckets[0][0]
            aside = f", {undated} in undated articles" if undated else ""
            head = Content.assemble(plain(entity.name), f": {plural(entity.mentions, 'mention')} in "
                                    f"{plural(entity.articles, 'article')}, by date {span}{aside}")
            timeline.update(Content.assemble(head, "\n", bars))
        else:
            timeline.update(Content.assemble(plain(entity.name), ": the articles have no dates"))

    def _reload(self) -> None:
        self._status(working=True)
        self.load()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._reload()

    def action_kind(self) -> None:
        self.kind = KIND_CYCLE[(KIND_CYCLE.index(self.kind) + 1) % len(KIND_CYCLE)]
        self._reload()

    @on(GridView.Opened)
    def opened(self, event: GridView.Opened) -> None:
        grid = self.grid
        if grid is None or not grid.articles:
            return
        if not grid.count(event.row, event.column):
            self.notify("This article does not name it: move to a cell with a count")
            return
        entity = grid.entities[event.row]
        self.dismiss(GridChoice(grid.articles[event.column].id, grid.first_offset(event.row, event.column), entity.id))

    def action_back(self) -> None:
        self.dismiss(None)
