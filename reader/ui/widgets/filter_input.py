"""The article list's filter line."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from reader.ui.keys import PassOnInput


class FilterInput(PassOnInput):
    """Esc empties the filter and goes back to the list (on an empty filter,
    it only goes back)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.clear_filter", "Clear the filter", id="filter.clear"),
    ]
