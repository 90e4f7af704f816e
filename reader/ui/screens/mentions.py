"""Every mention of one entity across the corpus, each inside its context,
after what the entity is quoted as saying; Enter opens the article there."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Footer, Static
from textual.widgets.option_list import Option

from reader.entities import Entity
from reader.ledger import LedgerQuote
from reader.quotes import SPEAKER_KINDS
from reader.ui.kinds import component_style
from reader.ui.safe import styled, with_spans
from reader.ui.screens.pick_screen import PickScreen
from reader.ui.widgets.pick_list import PickList
from reader.xref import MentionContext
from reader.wording import plural

if TYPE_CHECKING:
    from reader.library import Library

MENTION_LIMIT = 1000


class MentionsScreen(PickScreen["MentionContext | LedgerQuote"]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="mentions.back"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"mentions--mention", "mentions--title", "mentions--heading",
                                             "mentions--quote"}

    def __init__(self, library: "Library", entity: Entity) -> None:
        super().__init__()
        self.library = library
        self.entity = entity
        self.contexts: list[MentionContext] = []
        self.quotes: list[LedgerQuote] = []
        self.entries: list[MentionContext | LedgerQuote] = []  # by option id

    def compose(self):
        status = "discovered" if self.entity.discovered else self.entity.kind
        yield Static(Content.assemble(("Mentions of ", "bold"), styled(self.entity.name, "bold"), f"  ({status})"),
                     id="mentions-title", markup=False)
        yield Static(Content("Loading…"), id="mentions-status", markup=False)
        yield PickList(id="mentions-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(PickList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="mentions")
    def load(self) -> None:
        quotes = self.library.quotes(speaker=self.entity.id) if self.entity.kind in SPEAKER_KINDS else []
        contexts = self.library.mention_contexts(self.entity.id, limit=MENTION_LIMIT)
        self.app.call_from_thread(self.show, contexts, quotes)

    def show(self, contexts: list[MentionContext], quotes: list[LedgerQuote] | None = None) -> None:
        self.contexts = contexts
        self.quotes = quotes or []
        self.entries = []
        mention = component_style(self, "mentions--mention")
        title_style = component_style(self, "mentions--title")
        heading = component_style(self, "mentions--heading")
        quote_style = component_style(self, "mentions--quote")
        options = []
        if self.quotes:
            said = len({q.article for q in self.quotes})
            options.append(Option(Content.styled(
                f"Quoted {plural(len(self.quotes), 'time')} in {plural(said, 'article')}", heading), disabled=True))
            for q in self.quotes:
                cue = f" ({q.cue})" if q.cue else ""
                words = styled(f"\u201c{' '.join(q.text.split())}\u201d", quote_style)
                options.append(Option(Content.assemble(styled(q.title or q.article, title_style), cue, "\n  ", words),
                                      id=str(len(self.entries))))
                self.entries.append(q)
            options.append(Option(Content.styled("Mentions", heading), disabled=True))
        for item in contexts:
            context = with_spans(item.context, [(item.offset, item.offset + len(item.text))], mention)
            options.append(Option(Content.assemble(styled(item.title or item.article, title_style), "\n  ", context),
                                  id=str(len(self.entries))))
            self.entries.append(item)
        articles = len({c.article for c in contexts})
        text = f"{plural(len(contexts), 'mention')} in {plural(articles, 'article')}"
        if len(contexts) >= MENTION_LIMIT:
            text += f" (first {MENTION_LIMIT})"
        if self.quotes:
            text = f"{plural(len(self.quotes), 'quotation')} · " + text
        self.query_one("#mentions-status", Static).update(Content(text + " · Enter opens · Esc back"))
        self.fill(options)

    def entry(self, index: int) -> "MentionContext | LedgerQuote":
        return self.entries[index]
