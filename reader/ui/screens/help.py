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
    "help_quit": "Says how to quit (Textual's key)",
    "command_palette": "Command palette: go to an article or an entity",
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

    def build(self) -> Content:
        section = component_style(self, "help--section")
        key = component_style(self, "help--key")
        ident = component_style(self, "help--id")
        lines: list[Content] = []
        for title, node_type in self.sections:
            rows = help_rows(node_type, self.app.get_key_display)
            if node_type is type(self.app) and self.app.ENABLE_COMMAND_PALETTE:
                palette = Binding(self.app.COMMAND_PALETTE_BINDING, "command_palette")
                rows.append((self.app.get_key_display(palette), TEXTUAL_BINDINGS["command_palette"],
                             "textual:command_palette"))
            if not rows:
                continue
            lines.append(Content(title).stylize(section))
            for keys, description, binding_id in rows:
                lines.append(Content.assemble(
                    "  ", Content(f"{keys:<18}").stylize(key), f"{description:<48} ",
                    Content(binding_id).stylize(ident),
                ))
            lines.append(Content(""))
        return Content("\n").join(lines)

    def on_mount(self) -> None:
        # Styles resolve once mounted; rebuild so the component colours apply.
        self.query_one("#help-text", Static).update(self.build())

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-box", VerticalScroll).scroll_relative(y=delta, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
