"""The legend under the article: the colour of each entity kind, its toggle
key, how many mentions of it the article holds, and whether it is shown."""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.widgets import Static

from reader.ui.kinds import KINDS, component_style, kind_class


class Legend(Static):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(kind_class(kind) for kind in KINDS),
        "entity--discovered",
        "legend--off",
        "legend--key",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content(""), id=id, markup=False)
        self.kinds_on: set[str] = set(KINDS)
        self.counts: dict[str, int] = {}

    def on_mount(self) -> None:
        self.draw()

    def draw(self) -> None:
        key = component_style(self, "legend--key")
        off = component_style(self, "legend--off")
        parts: list[Content | str] = []
        for number, kind in enumerate(KINDS, start=1):
            label = Content(kind if kind != "organization" else "org")
            label = label.stylize(component_style(self, kind_class(kind)) if kind in self.kinds_on else off)
            count = self.counts.get(kind, 0)
            parts += [Content(str(number)).stylize(key), " ", label, f" {count}" if count else "", "  "]
        parts.append(Content("discovered").stylize(component_style(self, "entity--discovered")))
        self.update(Content.assemble(*parts))

    def set_state(self, kinds_on: set[str] | None = None, counts: dict[str, int] | None = None) -> None:
        if kinds_on is not None:
            self.kinds_on = set(kinds_on)
        if counts is not None:
            self.counts = counts
        self.draw()
