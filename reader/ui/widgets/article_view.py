"""The article: a title block, then the text, with entity mentions and search
hits drawn as spans.

The view is a line-API ``ScrollView``: the text is wrapped once into lines
(each a range of offsets into the body, found with ``str.rfind`` on ASCII
lines, a few ms for 200 KB), and only the lines on screen are ever styled and
drawn. Opening a long article therefore costs the same as a short one, and
restyling (selecting an entity, stepping through hits, hiding a kind) is a
repaint of the visible lines: nothing is re-wrapped or re-laid out. Textual's
own text wrapping, which the view used before through one ``Static`` per run of
paragraphs, took most of the ~0.7 s a 200 KB article needed to open.
"""

from __future__ import annotations

import bisect
import re
from typing import Callable, ClassVar, Iterable

from rich.cells import cell_len, get_character_cell_size
from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style

from reader.corpus import Article
from reader.extraction import Extraction
from reader.ui.kinds import KINDS, component_style, kind_class
from reader.ui.safe import styled
from reader.wording import SEPARATOR, byline_parts

PLACEHOLDER = "Choose an article from the list (Enter), or press / to search."
BAR = "█"  # the title's left bar (what a thick left border draws)
CACHE_LINES = 400  # drawn lines kept until the next restyle


# Characters that do not take exactly one cell: East Asian wide and
# full-width forms, emoji, combining marks, zero-width spaces and joiners.
_NOT_ONE_CELL = re.compile(
    "[\u0300-\u036f\u1100-\u115f\u200b-\u200f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f300-\U0001faff\U00020000-\U0003fffd]"
)


def one_cell_each(text: str) -> bool:
    """Does every character of ``text`` take one cell (so offsets are columns)?"""
    return text.isascii() or _NOT_ONE_CELL.search(text) is None


def wrap_ranges(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text[start:end]`` (one line, no newline) to ``width``
    cells, as (start, end) offsets into ``text``; the spaces a line breaks at
    belong to no line. A word longer than the width is cut."""
    width = max(1, width)
    segment = text[start:end]
    if one_cell_each(segment):
        if end - start <= width:
            return [(start, end)]
        lines = []
        position = start
        while end - position > width:
            cut = text.rfind(" ", position, position + width + 1)
            if cut <= position:
                lines.append((position, position + width))
                position += width
            else:
                lines.append((position, cut))
                position = cut + 1
            while position < end and text[position] == " ":
                position += 1
        if position < end or not lines:
            lines.append((position, end))
        return lines
    if cell_len(segment) <= width:
        return [(start, end)]
    # Wide characters: walk the cells.
    lines = []
    position = start
    cells = 0
    last_space = -1
    index = start
    while index < end:
        char = text[index]
        size = get_character_cell_size(char)
        if char == " ":
            last_space = index
        if cells + size > width and index > position:
            if last_space > position:
                lines.append((position, last_space))
                index = last_space + 1
            else:
                lines.append((position, index))
            while index < end and text[index] == " ":
                index += 1
            position, cells, last_space = index, 0, -1
            continue
        cells += size
        index += 1
    if position < end or not lines:
        lines.append((position, end))
    return lines


def byline_lines(parts: list[str], width: int) -> list[str]:
    """The byline's parts joined by " · " on as few lines as fit ``width``,
    broken between parts, so that no line ends or begins with a separator
    (a part wider than a line is wrapped by itself)."""
    lines: list[str] = []
    for part in parts:
        if lines and cell_len(lines[-1]) + cell_len(SEPARATOR) + cell_len(part) <= width:
            lines[-1] += SEPARATOR + part
        else:
            lines.append(part)
    return lines


def wrap_body(body: str, width: int) -> tuple[list[int], list[int]]:
    """The display lines of a body: parallel lists of start and end offsets.
    A newline ends a line (tables stay tables); an empty line is a blank line
    (between paragraphs)."""
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    length = len(body)
    while position <= length:
        end = body.find("\n", position)
        if end == -1:
            end = length
        if end == position:
            starts.append(position)
            ends.append(position)
        else:
            for s, e in wrap_ranges(body, position, end, width):
                starts.append(s)
                ends.append(e)
        position = end + 1
    # No trailing blank lines.
    while len(starts) > 1 and starts[-1] == ends[-1]:
        starts.pop()
        ends.pop()
    return starts, ends


def _clipped(out: list[Span], ranges: list[tuple[int, int]], start: int, end: int, style: Style) -> None:
    """Add the parts of body ``ranges`` that fall on body[start:end], relative
    to ``start``, in ``style``."""
    for r_start, r_end in ranges:
        if r_start < end and r_end > start:
            out.append(Span(max(r_start, start) - start, min(r_end, end) - start, style))


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """Scrolls through the open article."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="article.down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="article.up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="article.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="article.page_up"),
        Binding("home,g", "scroll_home", "Top", show=False, id="article.top"),
        Binding("end,G", "scroll_end", "Bottom", show=False, id="article.bottom"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(kind_class(kind) for kind in KINDS),
        "entity--discovered",
        "entity--selected",
        "hit",
        "hit--current",
        "passage",
        "quote",
        "figure",
        "article--meta",
        "article--title",
        "article--bar",
    }

    class EntityKinds(Message):
        """Mentions were drawn; which kinds the article holds (for the legend)."""

        def __init__(self, kinds: dict[str, int]) -> None:
            super().__init__()
            self.kinds = kinds

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self._text = ""  # the body as drawn: wrapped paragraphs flowed (reader.reflow), offsets the same
        self.extraction = Extraction()
        self.kinds_of: dict[str, str] = {}  # entity id -> kind
        self.discovered_ids: set[str] = set()
        self.kinds_on: set[str] = set(KINDS)
        self.selected: str = ""
        self.hits: list[tuple[int, int]] = []
        self.title_hits: list[tuple[int, int]] = []  # into the title as drawn (white space folded)
        self.hit_index = -1
        self.passages: list[tuple[int, int]] = []  # body spans other articles share
        self.quotes: list[tuple[int, int]] = []  # the body's quotations (reader.quotes)
        self.figure: tuple[int, int] | None = None  # the figure stepped to ({ and })
        self.message = PLACEHOLDER  # shown when no article is open
        self.title_content = Content("")  # the open article's title, as drawn (before wrapping)
        # Mentions sorted by start, as parallel lists for bisect.
        self._m_starts: list[int] = []
        self._m_ends: list[int] = []
        self._m_ids: list[str] = []
        # The layout: head lines (the title block), then body lines.
        self._head: list[Content] = []
        self.state_line = ""  # the star, tags and notes of the open article (the app sets it)
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._wrapped_width = 0
        self._pending_offset: int | None = None
        self._cache: dict[int, Strip] = {}
        self._styles: dict[str, Style] | None = None

    # --- scrolling: at once (Textual animates these by default, which leaves a
    # one-line scroll half done for the length of the animation) -------------------

    def action_scroll_down(self) -> None:
        self.scroll_relative(y=1, animate=False)

    def action_scroll_up(self) -> None:
        self.scroll_relative(y=-1, animate=False)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False)

    # --- opening ---------------------------------------------------------------------

    async def show(self, article: Article, extraction: Extraction | None = None,
                   kinds_of: dict[str, str] | None = None, hits: list[tuple[int, int]] | None = None,
                   selected: str = "", title_hits: list[tuple[int, int]] | None = None) -> None:
        """Draw an article; offsets in ``extraction`` and ``hits`` are into its body,
        those of ``title_hits`` into its title with white space folded.
        Without an extraction the text shows plain; ``set_extraction`` adds
        the mentions when they are found (a long text takes the domain seconds)."""
        from reader.reflow import soft_breaks  # with the import rules: not at the reader's start

        self.article = article
        self.state_line = ""  # the new article's arrives with its reading state
        self._text = soft_breaks(article.body)
        self.hits = sorted(hits or [])
        self.title_hits = sorted(title_hits or [])
        self.hit_index = -1
        self.passages = []  # the new article's arrive later (set_passages)
        self.quotes = []  # and its quotations with its entities (set_quotes)
        self.figure = None
        self._pending_offset = None
        self._set_mentions(extraction or Extraction(), kinds_of or {}, selected)
        self._layout(keep=None)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._post_kinds()

    def set_extraction(self, extraction: Extraction, kinds_of: dict[str, str], selected: str = "") -> None:
        """The mentions of the open article, found after its text was drawn."""
        self._set_mentions(extraction, kinds_of, selected)
        self._cache.clear()
        self._restyle_head()  # the title's mentions
        self.refresh()
        self._post_kinds()

    def _restyle(self) -> None:
        """Draw the lines again with the spans as they are now."""
        self._cache.clear()
        self.refresh()

    def set_passages(self, spans: list[tuple[int, int]]) -> None:
        """Mark the spans of the open article's body that other articles share."""
        spans = sorted(spans)
        if spans != self.passages:
            self.passages = spans
            self._restyle()

    def set_quotes(self, spans: list[tuple[int, int]]) -> None:
        """Draw the open article's quotations apart from the narrative."""
        spans = sorted(spans)
        if spans != self.quotes:
            self.quotes = spans
            self._restyle()

    def set_figure(self, span: tuple[int, int] | None) -> None:
        """Mark one figure of the body (None: none) and scroll to it; as
        set_hit, only the lines of this figure and the last one are drawn again."""
        ranges = [r for r in (span, self.figure) if r is not None]
        self.figure = span
        self._forget_lines(lambda start, end: any(s < end and e > start for s, e in ranges))
        if span is not None:
            self.scroll_to_offset(span[0])

    def _set_mentions(self, extraction: Extraction, kinds_of: dict[str, str], selected: str) -> None:
        self.extraction = extraction
        self.kinds_of = kinds_of
        self.discovered_ids = set(extraction.discovered)
        self.selected = selected
        mentions = sorted((m.start, m.end, m.entity) for m in extraction.mentions)
        self._m_starts = [m[0] for m in mentions]
        self._m_ends = [m[1] for m in mentions]
        self._m_ids = [m[2] for m in mentions]

    def _post_kinds(self) -> None:
        counts: dict[str, int] = {}
        for mention in self.extraction.mentions:
            kind = self.kinds_of.get(mention.entity, "")
            counts[kind] = counts.get(kind, 0) + 1
        self.post_message(self.EntityKinds(counts))

    def clear(self) -> None:
        self.article = None
        self._text = ""
        self.message = "No article open."
        self._layout(keep=None)

    # --- layout ----------------------------------------------------------------------

    @property
    def text_width(self) -> int:
        return self.scrollable_content_region.width

    def _head_lines(self, width: int) -> list[Content]:
        """The title block: a blank line, the title and the source line behind a
        bar, a blank line."""
        article = self.article
        bar = Content(BAR + " ").stylize(self._style("article--bar"))
        blank = Content("")
        if article is None:
            return [blank, *(bar + line for line in Content(self.message).wrap(max(1, width - 2)))]
        lines: list[Content] = [blank]
        title = self.title_content = self._title()
        for line in title.wrap(max(1, width - 2)):
            lines.append(bar + line)
        for meta in byline_lines(byline_parts(article.source, article.author, article.date), max(1, width - 2)):
            for line in styled(meta, self._style("article--meta")).wrap(max(1, width - 2)):
                lines.append(bar + line)
        if self.state_line:
            for line in styled(self.state_line, self._style("article--meta")).wrap(max(1, width - 2)):
                lines.append(bar + line)
        lines.append(blank)
        return lines

    def set_state_line(self, text: str) -> None:
        """What the reader keeps about the article (its star, tags and
        notes), a line under the byline; "" for none."""
        if text == self.state_line:
            return
        self.state_line = text
        if self.article is not None and self._wrapped_width:
            self._layout(self.offset_in_view() if self.scroll_y > 0 else None)

    def _title(self) -> Content:
        """The title in its style, with its entity mentions styled by kind as
        in the text. The mentions' offsets are into the title as extraction
        reads it (white space folded), which is the title drawn here."""
        assert self.article is not None
        shown = " ".join(self.article.display_title.split())
        title = styled(shown, self._style("article--title"))
        if title.plain != shown:
            return title
        hit = self._style("hit")
        for start, end in self.title_hits:
            if end <= len(shown):
                title = title.stylize(hit, start, end)
        discovered = self._style("entity--discovered")
        for mention in self.extraction.title_mentions:
            kind = self.kinds_of.get(mention.entity, "")
            if kind in self.kinds_on and mention.end <= len(shown):
                title = title.stylize(self._style(kind_class(kind)), mention.start, mention.end)
                if mention.entity in self.discovered_ids:
                    title = title.stylize(discovered, mention.start, mention.end)
            if mention.entity == self.selected:
                title = title.stylize(self._style("entity--selected"), mention.start, mention.end)
        return title

    def _layout(self, keep: int | None) -> None:
        """Wrap the text to the current width; ``keep`` is a body offset to keep
        at the top of the view."""
        width = self.text_width
        self._cache.clear()
        if width <= 0:
            self._wrapped_width = 0  # laid out when the view gets a size
            self._head, self._starts, self._ends = [], [], []
            self.virtual_size = Size(0, 0)
            return
        self._wrapped_width = width
        self._head = self._head_lines(width)
        if self.article is not None:
            self._starts, self._ends = wrap_body(self._text, width)
        else:
            self._starts, self._ends = [], []
        self.virtual_size = Size(width, len(self._head) + len(self._starts))
        if keep is not None:
            self.scroll_to(y=self.line_of(keep), animate=False, immediate=True)
        if self._pending_offset is not None:
            offset, self._pending_offset = self._pending_offset, None
            self._scroll_to_offset(offset)
        self.refresh()

    def on_resize(self) -> None:
        if self.text_width != self._wrapped_width:
            scrolled = self._wrapped_width and self.scroll_y > 0
            keep = self.offset_in_view() if scrolled else None
            self._layout(keep)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._cache.clear()

    def _style(self, name: str) -> Style:
        """A component class's style, or for ``""`` the widget's own, resolved
        once per style change (Textual works the widget's own out from every
        ancestor on each call: most of drawing a line)."""
        if self._styles is None:
            self._styles = {}
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = component_style(self, name) if name else self.rich_style
        return style

    # --- positions -------------------------------------------------------------------

    @property
    def head_height(self) -> int:
        return len(self._head)

    def line_of(self, offset: int) -> int:
        """The virtual line (y) that shows a body offset."""
        if not self._starts:
            return 0
        number = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return len(self._head) + number

    def offset_at(self, y: int, x: int = 0) -> int:
        """The body offset shown at virtual line ``y``, column ``x``."""
        number = y - len(self._head)
        if not self._starts or number < 0:
            return 0
        if number >= len(self._starts):
            return len(self.article.body) if self.article else 0
        start, end = self._starts[number], self._ends[number]
        if x <= 0:
            return start
        assert self.article is not None
        text = self._text[start:end]
        if one_cell_each(text):
            return start + min(x, len(text))
        cells = 0
        for index, char in enumerate(text):
            cells += get_character_cell_size(char)
            if cells > x:
                return start + index
        return end

    def mentions_of(self, entity_id: str) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.extraction.mentions if m.entity == entity_id]

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so that the body offset is on screen, a third of the way down."""
        if self._wrapped_width:
            self._scroll_to_offset(offset)
        else:
            self._pending_offset = offset

    def _scroll_to_offset(self, offset: int) -> None:
        if self.article is None:
            return
        y = self.line_of(offset)
        height = self.scrollable_content_region.height
        self.scroll_to(y=max(0, y - height // 3), animate=False, immediate=True)

    def offset_in_view(self) -> int:
        """The body offset of the first text line on screen (to come back to it)."""
        if not self._starts:
            return 0
        number = min(max(0, int(self.scroll_y) - len(self._head)), len(self._starts) - 1)
        return self._starts[number]

    # --- styling ---------------------------------------------------------------------

    def _mention_spans(self, start: int, end: int) -> Iterable[tuple[int, int, str]]:
        """Mentions that overlap body[start:end]."""
        starts, ends, ids = self._m_starts, self._m_ends, self._m_ids
        first = bisect.bisect_left(starts, start)
        back = first - 1
        while back >= 0 and first - back <= 8:  # one starting before the line may run into it
            if ends[back] > start:
                yield starts[back], ends[back], ids[back]
            back -= 1
        index = first
        while index < len(starts) and starts[index] < end:
            yield starts[index], ends[index], ids[index]
            index += 1

    def spans_in(self, start: int, end: int) -> list[Span]:
        """The styled spans drawn over body[start:end], relative to ``start``."""
        spans: list[Span] = []
        # First, so that mentions and hits are drawn over the passage's band.
        _clipped(spans, self.passages, start, end, self._style("passage"))
        _clipped(spans, self.quotes, start, end, self._style("quote"))
        discovered = self._style("entity--discovered")
        selected = self._style("entity--selected")
        for m_start, m_end, entity_id in self._mention_spans(start, end):
            s, e = max(m_start, start) - start, min(m_end, end) - start
            if e <= s:
                continue
            kind = self.kinds_of.get(entity_id, "")
            if kind in self.kinds_on:
                spans.append(Span(s, e, self._style(kind_class(kind))))
                if entity_id in self.discovered_ids:
                    spans.append(Span(s, e, discovered))
            if entity_id == self.selected:
                spans.append(Span(s, e, selected))
        if self.figure is not None:
            _clipped(spans, [self.figure], start, end, self._style("figure"))
        if self.hits:
            first = bisect.bisect_left(self.hits, (start, -1))
            index = max(0, first - 1)
            while index < len(self.hits) and self.hits[index][0] < end:
                h_start, h_end = self.hits[index]
                s, e = max(h_start, start) - start, min(h_end, end) - start
                if e > s:
                    name = "hit--current" if index == self.hit_index else "hit"
                    spans.append(Span(s, e, self._style(name)))
                index += 1
        return spans

    def styles_at(self, offset: int) -> list[Style]:
        """The styles drawn over one body offset (what the line there shows)."""
        return [span.style for span in self.spans_in(offset, offset + 1)]  # type: ignore[misc]

    def line_content(self, y: int) -> Content:
        """What virtual line ``y`` shows, with its spans."""
        if y < len(self._head):
            return self._head[y]
        number = y - len(self._head)
        if self.article is None or number >= len(self._starts):
            return Content("")
        start, end = self._starts[number], self._ends[number]
        # The text is sanitised by the domain, so no character is dropped and offsets hold.
        return Content(self._text[start:end], self.spans_in(start, end), strip_control_codes=False)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        line = scroll_y + y
        selection = self.text_selection
        strip = self._cache.get(line) if selection is None else None
        if strip is None:
            base = self._style("")
            content = self.line_content(line)
            if selection is not None and line >= len(self._head):
                span = selection.get_span(line)
                if span is not None:
                    start, end = span
                    end = len(content.plain) if end == -1 else end
                    if end > start:
                        content = content.stylize(self.screen.get_visual_style("screen--selection"), start, end)
            segments = content.render_segments(self.visual_style)
            strip = Strip(segments, sum(cell_len(s.text) for s in segments))
            strip = strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, line)
            if selection is None:
                if len(self._cache) > CACHE_LINES:
                    self._cache.clear()
                self._cache[line] = strip
        return strip

    def redraw(self, numbers: object = None) -> None:
        """Draw again with the current styles (a restyle is only a repaint)."""
        self._styles = None
        self._cache.clear()
        if self.article is not None and self._wrapped_width:
            self._head = self._head_lines(self._wrapped_width)
        self.refresh()

    def _forget_lines(self, touched: "Callable[[int, int], bool]") -> None:
        """Draw again the drawn lines for which ``touched(start, end)`` holds
        (a restyle that changes a few spans repaints only their lines)."""
        head = len(self._head)
        for y in list(self._cache):
            number = y - head
            if 0 <= number < len(self._starts) and touched(self._starts[number], self._ends[number]):
                del self._cache[y]
        self.refresh()

    def select_entity(self, entity_id: str) -> None:
        """Emphasise every mention of one entity (and no longer the previous one)."""
        if entity_id == self.selected:
            return
        changed = {self.selected, entity_id}
        self.selected = entity_id
        if any(m.entity in changed for m in self.extraction.title_mentions):
            self._restyle_head()
        self._forget_lines(lambda start, end: any(m[2] in changed for m in self._mention_spans(start, end)))

    def _restyle_head(self) -> None:
        """Draw the title block again (its mentions changed style)."""
        if self.article is None or not self._wrapped_width:
            return
        self._head = self._head_lines(self._wrapped_width)
        for y in range(len(self._head)):
            self._cache.pop(y, None)

    def set_kinds(self, kinds_on: set[str]) -> None:
        self.kinds_on = set(kinds_on)
        self._cache.clear()
        self._restyle_head()
        self.refresh()

    def clear_hits(self) -> None:
        self.hits = []
        self.hit_index = -1
        if self.title_hits:
            self.title_hits = []
            self._restyle_head()
        self._restyle()

    def set_hit(self, index: int) -> None:
        """Make one search hit current and scroll to it."""
        if not self.hits:
            return
        old = self.hits[self.hit_index] if 0 <= self.hit_index < len(self.hits) else None
        self.hit_index = index % len(self.hits)
        ranges = [self.hits[self.hit_index]] + ([old] if old else [])
        self._forget_lines(lambda start, end: any(s < end and e > start for s, e in ranges))
        self.scroll_to_offset(self.hits[self.hit_index][0])

    # --- selection -------------------------------------------------------------------

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text, taken from the body (soft wraps are not newlines)."""
        if self.article is None or not self._starts:
            return None
        head = len(self._head)
        start = selection.start
        end = selection.end
        first = 0 if start is None else self.offset_at(max(start.y, head), start.x if start.y >= head else 0)
        last = len(self.article.body) if end is None else self.offset_at(end.y, end.x)
        if end is not None and end.y < head:
            return None
        return self.article.body[first:last], "\n"

    def selected_range(self) -> tuple[int, int, str] | None:
        """(start, end, text) of the body's selected passage, if any."""
        selection = self.text_selection
        if selection is None or self.article is None or not self._starts:
            return None
        head = len(self._head)
        start, end = selection.start, selection.end
        if end is not None and end.y < head:
            return None
        first = 0 if start is None else self.offset_at(max(start.y, head), start.x if start.y >= head else 0)
        last = len(self.article.body) if end is None else self.offset_at(end.y, end.x)
        body = self.article.body
        # Not the spaces around it.
        while first < last and body[first].isspace():
            first += 1
        while last > first and body[last - 1].isspace():
            last -= 1
        return (first, last, body[first:last]) if first < last else None

    def selection_updated(self, selection: Selection | None) -> None:
        self._restyle()
