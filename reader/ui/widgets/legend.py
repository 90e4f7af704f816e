"""The legend under the article: the colour of each entity kind, its toggle
key, how many mentions of it the article holds, and whether it is shown."""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.widgets import Static

from reader.ui.kinds import KINDS, component_style, kind_class


LONG = {"person": "person", "company": "company", "organization": "org", "place": "place",
        "product": "product", "event": "event"}
SHORT = {"person": "pers", "company": "comp", "organization": "org", "place": "place",
         "product": "prod", "event": "event"}


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

    def on_resize(self) -> None:
        self.draw()

    def variants(self) -> list[Content]:
        """The legend from the most to the least wordy; ``draw`` shows the
        widest that fits."""
        key = component_style(self, "legend--key")
        off = component_style(self, "legend--off")
        out = []
        for labels, gap, new in ((LONG, "  ", "discovered"), (SHORT, "  ", "new"), (SHORT, " ", "new"),
                                 (None, " ", "")):
            parts: list[Content | str] = []
            for number, kind in enumerate(KINDS, start=1):
                style = component_style(self, kind_class(kind)) if kind in self.kinds_on else off
                count = self.counts.get(kind, 0)
                if labels is None:  # the key in the kind's colour, and the count
                    parts += [Content(str(number)).stylize(key).stylize(style), f"·{count}" if count else "", gap]
                    continue
                label = Content(labels[kind]).stylize(style)
                parts += [Content(str(number)).stylize(key), " ", label, f" {count}" if count else "", gap]
            if new:
                parts.append(Content(new).stylize(component_style(self, "entity--discovered")))
            out.append(Content.assemble(*parts).rstrip())
        return out

    def draw(self) -> None:
        width = self.content_region.width
        variants = self.variants()
        chosen = variants[-1]
        for variant in variants:
            if not width or variant.cell_length <= width:
                chosen = variant
                break
        self.update(chosen, layout=False)  # one line, always: no layout pass

    def set_state(self, kinds_on: set[str] | None = None, counts: dict[str, int] | None = None) -> None:
        if kinds_on is not None:
            self.kinds_on = set(kinds_on)
        if counts is not None:
            self.counts = counts
        self.draw()
