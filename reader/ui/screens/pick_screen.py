"""A screen that is one list to pick from: Enter gives back the picked
entry, Esc gives back None."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import on
from textual.screen import Screen
from textual.widgets.option_list import Option

from reader.ui.widgets.pick_list import PickList

T = TypeVar("T")


class PickScreen(Screen[T | None], Generic[T]):
    def entry(self, index: int) -> T:
        """The entry behind the option whose id is ``index``."""
        raise NotImplementedError

    def fill(self, options: list[Option]) -> None:
        picker = self.query_one(PickList)
        picker.set_options(options)
        first = next((i for i, option in enumerate(options) if not option.disabled), None)
        if first is not None:
            picker.highlighted = first  # past any heading

    @on(PickList.OptionSelected)
    def chosen(self, event: PickList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.entry(int(event.option.id)))

    def action_back(self) -> None:
        self.dismiss(None)
