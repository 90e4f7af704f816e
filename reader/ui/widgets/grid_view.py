"""The coverage grid drawn line by line: entity names down a frozen left
column, articles across under a frozen header row, a count in each cell.

Only the visible cells are drawn (Textual's line API: ``render_line`` gives
one Strip per screen line), so a grid of 16,000 entities by 19,000 articles
costs what a screenful costs. The view scrolls by whole cells and the cursor
keeps itself in view."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.grid import Grid
from reader.ui.kinds import KINDS, kind_class
from reader.wording import show_date

CELL = 7  # a count of up to five figures and a gap
NAME_WIDTH = 26
HEADER_ROWS = 1


def column_label(date: str, article_id: str) -> str:
    """What heads an article's column: its date ("4 Jul"), else its id's start."""
    if date:
        day = show_date(date[:10]).rsplit(" ", 1)[0]  # "4 Jul 2024" -> "4 Jul"
        return day[: CELL - 1]
    return article_id[: CELL - 1]


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells, cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)


class GridView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    GridView { height: 1fr; background: $background; color: $foreground; }
    GridView > .grid--header { color: $reader-muted; text-style: bold; }
    GridView > .grid--zero { color: $reader-muted; }
    GridView > .grid--count { color: $foreground; text-style: bold; }
    GridView > .grid--cursor { background: $reader-cursor; color: $foreground; text-style: bold; }
    GridView > .grid--cross { background: $reader-current; }
    GridView > .kind--person { color: $reader-kind-person; }
    GridView > .kind--company { color: $reader-kind-company; }
    GridView > .kind--organization { color: $reader-kind-organization; }
    GridView > .kind--place { color: $reader-kind-place; }
    GridView > .kind--product { color: $reader-kind-product; }
    GridView > .kind--event { color: $reader-kind-event; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "grid--header", "grid--zero", "grid--count", "grid--cursor", "grid--cross",
        *(kind_class(kind) for kind in KINDS),
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1, 0)", "Down", show=False, id="grid.down"),
        Binding("up,k", "move(-1, 0)", "Up", show=False, id="grid.up"),
        Binding("right,l", "move(0, 1)", "Right", show=False, id="grid.right"),
        Binding("left,h", "move(0, -1)", "Left", show=False, id="grid.left"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="grid.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="grid.page_up"),
        Binding("home,g", "row_end(-1)", "First entity", show=False, id="grid.first"),
        Binding("end,G", "row_end(1)", "Last entity", show=False, id="grid.last"),
        Binding("0", "column_end(-1)", "First article", show=False, id="grid.first_article"),
        Binding("dollar_sign", "column_end(1)", "Last article", show=False, id="grid.last_article"),
        Binding("enter", "open", "Open", id="grid.open"),
    ]

    class CursorMoved(Message):
        def __init__(self, row: int, column: int) -> None:
            super().__init__()
            self.row, self.column = row, column

    class Opened(Message):
        def __init__(self, row: int, column: int) -> None:
            super().__init__()
            self.row, self.column = row, column

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.grid: Grid | None = None
        self.row = 0
        self.column = 0
        self._styles: dict[str, Style] = {}

    # --- data ----------------------------------------------------------------------

    def show(self, grid: Grid, row: int = 0, column: int = 0) -> None:
        self.grid = grid
        self.row = min(max(0, row), max(0, len(grid.entities) - 1))
        self.column = min(max(0, column), max(0, len(grid.articles) - 1))
        self.virtual_size = Size(self.name_width + CELL * len(grid.articles),
                                 HEADER_ROWS + len(grid.entities))
        self._follow()

    @property
    def name_width(self) -> int:
        return min(NAME_WIDTH, max(10, self.size.width // 3))

    def _view(self) -> tuple[int, int]:
        """(rows, columns) of cells the view shows."""
        region = self.scrollable_content_region
        return max(1, region.height - HEADER_ROWS), max(1, (region.width - self.name_width) // CELL)

    # --- moving --------------------------------------------------------------------

    def _follow(self) -> None:
        """Scroll so the cursor's cell shows, and say where it is."""
        rows, columns = self._view()
        top, left = int(self.scroll_y), int(self.scroll_x) // CELL
        if self.row < top:
            top = self.row
        elif self.row >= top + rows:
            top = self.row - rows + 1
        if self.column < left:
            left = self.column
        elif self.column >= left + columns:
            left = self.column - columns + 1
        self.scroll_to(left * CELL, top, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.CursorMoved(self.row, self.column))

    def _go(self, row: int, column: int) -> None:
        if self.grid is None or not self.grid.entities:
            return
        self.row = min(max(0, row), len(self.grid.entities) - 1)
        self.column = min(max(0, column), max(0, len(self.grid.articles) - 1))
        self._follow()

    def action_move(self, rows: int, columns: int) -> None:
        self._go(self.row + rows, self.column + columns)

    def action_page(self, step: int) -> None:
        self._go(self.row + step * self._view()[0], self.column)

    def action_row_end(self, step: int) -> None:
        self._go(0 if step < 0 else len(self.grid.entities) - 1 if self.grid else 0, self.column)

    def action_column_end(self, step: int) -> None:
        self._go(self.row, 0 if step < 0 else len(self.grid.articles) - 1 if self.grid else 0)

    def action_open(self) -> None:
        if self.grid is not None and self.grid.entities:
            self.post_message(self.Opened(self.row, self.column))

    def on_resize(self) -> None:
        if self.grid is not None:
            self.show(self.grid, self.row, self.column)

    # --- drawing -------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = {}  # the theme changed: read the component styles again

    def _style(self, name: str) -> Style:
        if name not in self._styles:
            self._styles[name] = self.get_component_rich_style(name)
        return self._styles[name]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        grid = self.grid
        if grid is None or not grid.entities:
            return Strip.blank(width, base)
        name_width = self.name_width
        left = int(self.scroll_x) // CELL
        columns = range(left, min(len(grid.articles), left + (width - name_width) // CELL + 1))
        if y < HEADER_ROWS:
            header = base + self._style("grid--header")
            segments = [Segment(" " * name_width, base)]
            for column in columns:
                article = grid.articles[column]
                style = header + self._style("grid--cursor") if column == self.column else header
                segments.append(Segment(column_label(article.date, article.id).rjust(CELL - 1) + " ", style))
            return Strip(segments).adjust_cell_length(width, base).crop(0, width)
        row = int(self.scroll_y) + y - HEADER_ROWS
        if row >= len(grid.entities):
            return Strip.blank(width, base)
        entity = grid.entities[row]
        on_row = row == self.row
        line = base + self._style("grid--cross") if on_row else base
        name_style = line + self._style(kind_class(entity.kind))
        if on_row:
            name_style += self._style("grid--cursor")
        # Names are untrusted text: plain segments, never markup.
        segments = [Segment(fit(entity.name, name_width - 1) + " ", name_style)]
        for column in columns:
            count = entity.cells.get(column, (0, 0))[0]
            cross = line if on_row or column != self.column else base + self._style("grid--cross")
            style = cross + self._style("grid--count" if count else "grid--zero")
            if on_row and column == self.column:
                style += self._style("grid--cursor")
            text = str(count) if count else "·"
            segments.append(Segment(text.rjust(CELL - 1) + " ", style))
        return Strip(segments).adjust_cell_length(width, line).crop(0, width)
