"""Entity kinds as the UI shows them: order, labels, keys and the styles that
the stylesheet defines for them."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.style import Style

from reader.entities import KINDS

# The order of the xref pane and of the legend; key N toggles KINDS[N-1].
KIND_LABELS = {
    "person": "People",
    "company": "Companies",
    "organization": "Organisations",
    "place": "Places",
    "product": "Products",
    "event": "Events",
}


def kind_class(kind: str) -> str:
    """The component class that styles mentions of one kind."""
    return f"kind--{kind}"


def component_style(node: DOMNode, name: str) -> Style:
    """A style from a component class that carries only what the stylesheet
    sets, so it layers over other spans instead of resetting them."""
    styles = node.get_component_styles(name)
    has = styles.has_rule
    text_style = styles.text_style if has("text_style") else None

    def flag(value: bool) -> bool | None:
        return True if value else None

    return Style(
        background=styles.background if has("background") else None,
        foreground=styles.color if has("color") else None,
        bold=flag(text_style.bold) if text_style else None,
        dim=flag(text_style.dim) if text_style else None,
        italic=flag(text_style.italic) if text_style else None,
        underline=flag(text_style.underline) if text_style else None,
        reverse=flag(text_style.reverse) if text_style else None,
        strike=flag(text_style.strike) if text_style else None,
    )


__all__ = ["KINDS", "KIND_LABELS", "kind_class", "component_style"]
