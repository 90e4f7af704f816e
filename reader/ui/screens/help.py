"""Every key, generated from the BINDINGS of the app, its screens and widgets,
so the help can never drift from what the keys do."""

from __future__ import annotations

from typing import Callable, ClassVar, Iterable

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.kinds import component_style


# Textual's own bindings (they carry no id): what they do, in our words.
TEXTUAL_BINDINGS = {
    "quit": "Quit (Textual's key)",
    "help_quit": "How to quit (Textual's key)",
    "command_palette": "Palette: go to an article, an entity",
}


def help_rows(node_type: type[DOMNode], display: Callable[[Binding], str] | None = None
              ) -> list[tuple[str, str, str]]:
    """(keys, description, id) for each binding; keys of one id are joined.
    Textual's own bindings have no id: theirs reads ``textual:ACTION``."""
    by_id: dict[str, tuple[list[str], str]] = {}
    for keys in node_type._merge_bindings().key_to_bindings.values():
        for binding in keys:
            ident = binding.id or f"textual:{binding.action}"
            description = binding.description or binding.action
            if not binding.id:
                description = TEXTUAL_BINDINGS.get(binding.action, f"{description} (Textual's key)")
            entry = by_id.setdefault(ident, ([], description))
            key = display(binding) if display else binding.key
            if key not in entry[0]:
                entry[0].append(key)
    return [(" ".join(keys), description, ident) for ident, (keys, description) in by_id.items()]


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close help", id="help.close"),
        Binding("down,j", "scroll(1)", "Scroll down", show=False, id="help.down"),
        Binding("up,k", "scroll(-1)", "Scroll up", show=False, id="help.up"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"help--section", "help--key", "help--id"}

    def __init__(self, sections: Iterable[tuple[str, type[DOMNode]]]) -> None:
        super().__init__()
        self.sections = list(sections)

    def compose(self):
        with VerticalScroll(id="help-box"):
            yield Static(Content("Keys"), id="help-title", markup=False)
            yield Static(self.build(), id="help-text", markup=False)

    def rows(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        out = []
        for title, node_type in self.sections:
            rows = help_rows(node_type, self.app.get_key_display)
            if node_type is type(self.app) and self.app.ENABLE_COMMAND_PALETTE:
                palette = Binding(self.app.COMMAND_PALETTE_BINDING, "command_palette")
                rows.append((self.app.get_key_display(palette), TEXTUAL_BINDINGS["command_palette"],
                             "textual:command_palette"))
            if rows:
                out.append((title, rows))
        return out

    def build(self, width: int = 0) -> Content:
        """Keys, description, id in columns that fit ``width`` cells (the
        description is cut first; the id never)."""
        section = component_style(self, "help--section")
        key = component_style(self, "help--key")
        ident = component_style(self, "help--id")
        sections = self.rows()
        all_rows = [row for _title, rows in sections for row in rows]
        keys_width = min(18, max((len(k) for k, _d, _i in all_rows), default=8))
        id_width = max((len(i) for _k, _d, i in all_rows), default=10)
        description_width = max((len(d) for _k, d, _i in all_rows), default=10)
        if width:
            description_width = max(12, min(description_width, width - 2 - keys_width - 2 - id_width - 1))
        lines: list[Content] = []
        for title, rows in sections:
            lines.append(Content(title).stylize(section))
            for keys, description, binding_id in rows:
                keys_cell = Content(keys).truncate(keys_width, ellipsis=True, pad=True)
                text = Content(description).truncate(description_width, ellipsis=True, pad=True)
                lines.append(Content.assemble("  ", keys_cell.stylize(key), "  ", text, " ",
                                              Content(binding_id).stylize(ident)))
            lines.append(Content(""))
        return Content("\n").join(lines)

    def on_mount(self) -> None:
        # Styles resolve once mounted; rebuild so the component colours apply.
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        text = self.query_one("#help-text", Static)
        text.update(self.build(text.content_region.width or self.query_one("#help-box").content_region.width - 1))

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-box", VerticalScroll).scroll_relative(y=delta, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
