"""Figures that several articles state, disagreeing ones first; Enter opens
the article at the claim, e keeps the articles of the selected entity."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Footer, Static
from textual.widgets.option_list import Option

from reader.figures import Claim, FigureGroup
from reader.ui.safe import plain, styled
from reader.ui.screens.pick_screen import PickScreen
from reader.ui.widgets.pick_list import PickList
from reader.wording import plural

if TYPE_CHECKING:
    from reader.entities import Entity
    from reader.library import Library


class FiguresScreen(PickScreen[Claim]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="figures.back"),
        Binding("e", "entity", "Selected entity only", id="figures.entity"),
    ]

    def __init__(self, library: "Library", entity: "Entity | None" = None) -> None:
        super().__init__()
        self.library = library
        self.claims: list[Claim] = []
        self.entity = entity  # the entity selected in the reader, for e
        self.only = False  # only the articles that mention it

    def _title(self) -> Content:
        if self.only and self.entity is not None:
            return Content.assemble(("Figures across the articles that name ", "bold"),
                                    styled(self.entity.name, "bold"))
        return Content.assemble(("Figures across articles", "bold"))

    def action_entity(self) -> None:
        if self.entity is None:
            self.notify("Select an entity in the cross-references first: e then keeps the articles "
                        "that name it.", markup=False)
            return
        self.only = not self.only
        self.query_one("#figures-title", Static).update(self._title())
        self.query_one("#figures-status", Static).update(Content("Loading…"))
        self.load()

    def compose(self):
        yield Static(self._title(), id="figures-title", markup=False)
        yield Static(Content("Loading…"), id="figures-status", markup=False)
        yield PickList(id="figures-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(PickList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="figures")
    def load(self) -> None:
        entity = self.entity.id if self.only and self.entity is not None else None
        groups = self.library.figures(entity)
        self.app.call_from_thread(self.show, groups)

    def show(self, groups: list[FigureGroup]) -> None:
        self.claims = []
        options = []
        for group in groups:
            verdict = "agree" if group.agree else "DISAGREE"
            for claim in group.claims:
                # Article text is untrusted: it goes in as plain content.
                label = Content.assemble(styled(f"{group.what}: {verdict}", "bold"), "\n  ",
                                         styled(f"[{claim.article}] ", "dim"), plain(claim.text))
                options.append(Option(label, id=str(len(self.claims))))
                self.claims.append(claim)
        disagree = sum(not g.agree for g in groups)
        self.query_one("#figures-status", Static).update(
            Content(f"{plural(len(groups), 'figure')}, {disagree} disagreeing · Enter opens · "
                    f"e {'all articles' if self.only else 'the selected entity only'} · Esc back"))
        self.fill(options)

    def entry(self, index: int) -> Claim:
        return self.claims[index]
