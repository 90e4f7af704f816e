"""An OptionList with vim keys, and an id on every binding."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


class PickList(OptionList, inherit_bindings=False):
    """The list used by the xref pane and the search, mentions and merge screens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="pick.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="pick.up"),
        Binding("home,g", "first", "First", show=False, id="pick.first"),
        Binding("end,G", "last", "Last", show=False, id="pick.last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="pick.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="pick.page_up"),
        Binding("enter", "select", "Open", show=False, id="pick.select"),
    ]
