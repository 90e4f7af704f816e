"""The footer, with its keys whole: where they do not all fit the width (80
columns), the least needed keys leave it, never a key cut in half."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Actions whose keys leave first, in this order: how to get about (their keys
# are in the help, `?`); after them, the last keys first, which are the app's
# (the focused pane's keys come first in the footer).
DROP_FIRST = ("back", "mention", "search")


def drop_rank(action: str, position: int) -> tuple[int, int]:
    name = action.split("(", 1)[0].rsplit(".", 1)[-1]
    return (DROP_FIRST.index(name), 0) if name in DROP_FIRST else (len(DROP_FIRST), -position)


class ReaderFooter(Footer):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._fitted_width = 0

    def compose(self):  # type: ignore[no-untyped-def]
        yield from super().compose()
        self.call_after_refresh(self.fit_keys)  # once the new keys are laid out

    def on_resize(self, event: events.Resize) -> None:
        if self._fitted_width and event.size.width != self._fitted_width:  # not at the start: compose fits them
            self.call_after_refresh(self.recompose)  # the keys that left may fit again

    def fit_keys(self) -> None:
        """Hide the keys that do not fit, least needed first."""
        if not self.is_attached:
            return
        self._fitted_width = self.size.width
        keys = list(self.query(FooterKey))
        palette = [key for key in keys if key.has_class("-command-palette")]
        keys = [key for key in keys if key not in palette]

        def width(key: FooterKey) -> int:
            return key.outer_size.width + key.styles.margin.left + key.styles.margin.right

        room = self.size.width - sum(width(key) for key in palette)
        used = sum(width(key) for key in keys)
        for position, key in sorted(enumerate(keys), key=lambda item: drop_rank(item[1].action, item[0])):
            if used <= room:
                break
            used -= width(key)
            key.display = False
