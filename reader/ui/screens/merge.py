"""Merge a discovered name into an entity of the list: an input with fuzzy
completion over the confirmed names."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import FuzzySearch
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.widgets.option_list import Option

from reader.entities import Entity
from reader.ui.safe import plain, styled
from reader.ui.widgets.pick_list import PickList

SHOWN = 30


class MergeScreen(ModalScreen[str | None]):
    """Returns the chosen entity's canonical name, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="merge.cancel"),
        Binding("down", "to_list", "Candidates", show=False, id="merge.to_list"),
    ]

    def __init__(self, entity: Entity, candidates: list[Entity]) -> None:
        super().__init__()
        self.entity = entity
        self.candidates = candidates
        self.fuzzy = FuzzySearch()
        self.shown: list[Entity] = []

    def compose(self):
        with Vertical(id="merge-box"):
            yield Static(Content.assemble("Merge ", styled(self.entity.name, "bold"), " into:"),
                         id="merge-title", markup=False)
            yield Input(id="merge-input", placeholder="name of an entity in the list")
            yield PickList(id="merge-list")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.fill("")

    @on(Input.Changed, "#merge-input")
    def changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def fill(self, text: str) -> None:
        query = text.strip()
        if query:
            scored = []
            for entity in self.candidates:
                score = max((self.fuzzy.match(query, name)[0] for name in entity.names), default=0.0)
                if score > 0:
                    scored.append((score, entity))
            scored.sort(key=lambda pair: (-pair[0], pair[1].name.lower()))
            self.shown = [entity for _score, entity in scored[:SHOWN]]
        else:
            self.shown = self.candidates[:SHOWN]
        picker = self.query_one(PickList)
        picker.set_options([Option(Content.assemble(plain(e.name), f"  {e.kind}"), id=str(i))
                            for i, e in enumerate(self.shown)])
        if self.shown:
            picker.highlighted = 0

    @on(Input.Submitted, "#merge-input")
    def submitted(self) -> None:
        picker = self.query_one(PickList)
        if picker.highlighted is not None and self.shown:
            self.dismiss(self.shown[picker.highlighted].name)

    @on(PickList.OptionSelected)
    def chosen(self, event: PickList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.shown[int(event.option.id)].name)

    def action_to_list(self) -> None:
        self.query_one(PickList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
