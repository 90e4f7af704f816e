"""The article: a title block, then the text in blocks of paragraphs, with
entity mentions and search hits drawn as spans.

The text is a few ``Static`` widgets, each a run of paragraphs: restyling
(selecting an entity, stepping through hits) redraws only the blocks that
change, Textual's text selection keeps working for ``y``, and opening even a
very long text mounts a bounded number of widgets.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content, Span
from textual.message import Message
from textual.widgets import Static

from reader.corpus import Article
from reader.extract import Extraction
from reader.ui.kinds import KINDS, component_style, kind_class
from reader.ui.safe import plain, styled

BLOCK_CHARS = 2500
MAX_BLOCKS = 40


@dataclass
class Block:
    start: int  # offsets of the block in the body
    end: int
    mentions: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, entity id)
    hits: list[int] = field(default_factory=list)  # indexes into ArticleView.hits


def split_blocks(body: str) -> list[Block]:
    """Ranges of the body, each a run of whole paragraphs of about
    ``BLOCK_CHARS`` characters (a news story is one or two blocks), and never
    more than ``MAX_BLOCKS`` of them: mounting a widget costs milliseconds,
    so a long text must not become thousands of widgets."""
    ranges: list[tuple[int, int]] = []
    position = 0
    length = len(body)
    while position < length:
        end = body.find("\n\n", position)
        if end == -1:
            end = length
        if body[position:end].strip():
            ranges.append((position, end))
        position = end + 2
    if not ranges:
        return [Block(0, length)]
    target = max(BLOCK_CHARS, -(-length // MAX_BLOCKS))
    blocks: list[Block] = []
    start, end = ranges[0]
    for next_start, next_end in ranges[1:]:
        if next_end - start > target:
            blocks.append(Block(start, end))
            start = next_start
        end = next_end
    blocks.append(Block(start, end))
    return blocks


class Paragraph(Static):
    """One block of the article text."""

    def __init__(self, content: Content, index: int) -> None:
        super().__init__(content, markup=False, classes="paragraph")
        self.index = index


class ArticleView(VerticalScroll, can_focus=True):
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
        "article--meta",
    }

    class EntityKinds(Message):
        """Mentions were drawn; which kinds the article holds (for the legend)."""

        def __init__(self, kinds: dict[str, int]) -> None:
            super().__init__()
            self.kinds = kinds

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.extraction = Extraction()
        self.kinds_of: dict[str, str] = {}  # entity id -> kind
        self.discovered_ids: set[str] = set()
        self.blocks: list[Block] = []
        self._starts: list[int] = []
        self.kinds_on: set[str] = set(KINDS)
        self.selected: str = ""
        self.hits: list[tuple[int, int]] = []
        self.hit_index = -1

    def compose(self):
        yield Static(Content("Choose an article from the list (Enter), or press / to search."),
                     id="article-title", markup=False)

    # --- opening ---------------------------------------------------------------------

    async def show(self, article: Article, extraction: Extraction, kinds_of: dict[str, str],
                   hits: list[tuple[int, int]] | None = None, selected: str = "") -> None:
        """Draw an article; offsets in ``extraction`` and ``hits`` are into its body."""
        self.article = article
        self.extraction = extraction
        self.kinds_of = kinds_of
        self.discovered_ids = set(extraction.discovered)
        self.selected = selected
        self.hits = list(hits or [])
        self.hit_index = -1
        self.blocks = split_blocks(article.body)
        self._starts = [b.start for b in self.blocks]
        for mention in extraction.mentions:
            block = self.block_at(mention.start)
            if block is not None:
                block.mentions.append((mention.start, mention.end, mention.entity))
        for number, (start, _end) in enumerate(self.hits):
            block = self.block_at(start)
            if block is not None:
                block.hits.append(number)
        self.query_one("#article-title", Static).update(self._title_content(article))
        await self.query(Paragraph).remove()
        await self.mount_all([Paragraph(self._block_content(i), i) for i in range(len(self.blocks))])
        self.scroll_home(animate=False, immediate=True)
        counts: dict[str, int] = {}
        for mention in extraction.mentions:
            kind = kinds_of.get(mention.entity, "")
            counts[kind] = counts.get(kind, 0) + 1
        self.post_message(self.EntityKinds(counts))

    def clear(self) -> None:
        self.article = None
        self.blocks = []
        self.query(Paragraph).remove()
        self.query_one("#article-title", Static).update(Content("No article open."))

    def _title_content(self, article: Article) -> Content:
        meta = " · ".join(part for part in (article.source, article.author, article.date) if part)
        title = styled(article.display_title, "bold")
        if meta:
            return Content.assemble(title, "\n", styled(meta, component_style(self, "article--meta")))
        return title

    def block_at(self, offset: int) -> Block | None:
        number = bisect.bisect_right(self._starts, offset) - 1
        if 0 <= number < len(self.blocks):
            return self.blocks[number]
        return None

    # --- drawing ---------------------------------------------------------------------

    def _block_content(self, number: int) -> Content:
        block = self.blocks[number]
        assert self.article is not None
        text = self.article.body[block.start:block.end]
        spans: list[Span] = []
        base = block.start
        kind_styles = {kind: component_style(self, kind_class(kind)) for kind in KINDS}
        discovered = component_style(self, "entity--discovered")
        selected = component_style(self, "entity--selected")
        for start, end, entity_id in block.mentions:
            kind = self.kinds_of.get(entity_id, "")
            s, e = start - base, end - base
            if kind in self.kinds_on:
                spans.append(Span(s, e, kind_styles[kind]))
                if entity_id in self.discovered_ids:
                    spans.append(Span(s, e, discovered))
            if entity_id == self.selected:
                spans.append(Span(s, e, selected))
        if block.hits:
            hit = component_style(self, "hit")
            current = component_style(self, "hit--current")
            for number_ in block.hits:
                start, end = self.hits[number_]
                spans.append(Span(start - base, min(end, block.end) - base,
                                  current if number_ == self.hit_index else hit))
        # Text is sanitised by the domain, so no character is dropped and offsets hold.
        return Content(text, spans, strip_control_codes=False)

    def redraw(self, numbers: set[int] | None = None) -> None:
        """Restyle some blocks (or all), keeping the text and the scroll position."""
        for paragraph in self.query(Paragraph):
            if numbers is None or paragraph.index in numbers:
                paragraph.update(self._block_content(paragraph.index))
        if numbers is None and self.article is not None:
            self.query_one("#article-title", Static).update(self._title_content(self.article))

    def _blocks_naming(self, entity_id: str) -> set[int]:
        return {i for i, b in enumerate(self.blocks) if any(m[2] == entity_id for m in b.mentions)}

    def select_entity(self, entity_id: str) -> None:
        """Emphasise every mention of one entity (and no longer the previous one)."""
        if entity_id == self.selected:
            return
        changed = self._blocks_naming(self.selected) | self._blocks_naming(entity_id)
        self.selected = entity_id
        self.redraw(changed)

    def set_kinds(self, kinds_on: set[str]) -> None:
        self.kinds_on = set(kinds_on)
        self.redraw()

    # --- positions -------------------------------------------------------------------

    def mentions_of(self, entity_id: str) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.extraction.mentions if m.entity == entity_id]

    def set_hit(self, index: int) -> None:
        """Make one search hit current and scroll to it."""
        if not self.hits:
            return
        old = self.hit_index
        self.hit_index = index % len(self.hits)
        changed = set()
        for number in (old, self.hit_index):
            if 0 <= number < len(self.hits):
                block = self.block_at(self.hits[number][0])
                if block is not None:
                    changed.add(self.blocks.index(block))
        self.redraw(changed)
        self.scroll_to_offset(self.hits[self.hit_index][0])

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so that the body offset is on screen, a third of the way down."""
        self.call_after_refresh(self._scroll_to_offset, offset)

    def _scroll_to_offset(self, offset: int) -> None:
        block = self.block_at(offset)
        if block is None or self.article is None:
            return
        number = self.blocks.index(block)
        paragraphs = [p for p in self.query(Paragraph) if p.index == number]
        if not paragraphs:
            return
        paragraph = paragraphs[0]
        width = max(1, paragraph.content_region.width)
        prefix = self.article.body[block.start:offset]
        line = max(0, len(Content(prefix).wrap(width)) - 1) if prefix else 0
        y = paragraph.virtual_region.y + line
        self.scroll_to(y=max(0, y - self.scrollable_content_region.height // 3), animate=False, immediate=True)

    def offset_in_view(self) -> int:
        """The body offset of the first paragraph on screen (to come back to it)."""
        top = self.scroll_y
        for paragraph in self.query(Paragraph):
            region = paragraph.virtual_region
            if region.y + region.height > top:
                return self.blocks[paragraph.index].start
        return 0
