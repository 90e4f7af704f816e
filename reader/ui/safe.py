"""Untrusted strings (titles, names, queries, messages) become widget content
here and nowhere else: as ``Content`` built from the plain string, never from
markup, after the domain's sanitiser has removed escape sequences."""

from __future__ import annotations

from textual.content import Content
from textual.style import Style

from reader.sanitize import sanitize_line


def plain(text: str) -> Content:
    """One line of untrusted text, shown literally."""
    return Content(sanitize_line(text or ""))


def styled(text: str, style: Style | str) -> Content:
    """One line of untrusted text in a style of ours."""
    line = sanitize_line(text or "")
    return Content(line).stylize(style) if line else Content("")


def with_spans(text: str, spans: list[tuple[int, int]], style: Style | str) -> Content:
    """Text (already sanitised by the domain, so offsets hold) with ranges styled."""
    content = Content(text, strip_control_codes=False)
    for start, end in spans:
        content = content.stylize(style, start, end)
    return content
