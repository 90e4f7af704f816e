"""WCAG contrast of what the app draws: every cell of text on screen, in the
colours the terminal is sent (after Textual's line filters, with reversed
cells swapped), and the CIE ΔE between two colours."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.screen import ModalScreen

NORMAL = 4.5  # WCAG AA for text
BOLD = 3.0  # WCAG AA for large text; a terminal's bold text stands for it


def luminance(color: Color) -> float:
    """The relative luminance of an sRGB colour (WCAG 2.x)."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def ratio(a: Color, b: Color) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def delta_e(a: Color, b: Color) -> float:
    """CIE76 ΔE between two colours in CIELAB (D65)."""
    def lab(color: Color) -> tuple[float, float, float]:
        def linear(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(v) for v in (color.r, color.g, color.b))
        x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

        def f(t: float) -> float:
            return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

        fx, fy, fz = f(x), f(y), f(z)
        return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)

    return math.dist(lab(a), lab(b))


def _color(color: RichColor | None, fallback: Color) -> Color:
    if color is None or color.is_default:
        return fallback
    triplet = color.get_truecolor()
    return Color(triplet.red, triplet.green, triplet.blue)


@dataclass(frozen=True)
class Cell:
    """A run of text on screen in one style."""

    x: int
    y: int
    text: str
    foreground: Color
    background: Color
    bold: bool

    @property
    def ratio(self) -> float:
        return ratio(self.foreground, self.background)

    @property
    def required(self) -> float:
        return BOLD if self.bold else NORMAL


def screen_cells(app: App) -> list[Cell]:
    """Every run of visible text the screen shows now, with the colours it is
    drawn in. Over a modal screen (the help, a dialog, the palette) only what
    the modal's own widgets cover counts: the screen behind is faded on
    purpose, to show that it does not take keys."""
    screen = app.screen
    inside = [child.region for child in screen.children] if isinstance(screen, ModalScreen) else None
    variables = app.get_css_variables()
    fallback_fg = Color.parse(variables["foreground"])
    fallback_bg = Color.parse(variables["background"])
    cells: list[Cell] = []
    # The strips as the terminal gets them (each widget's line filters, such
    # as the one that turns dim text into a blended colour, already applied).
    for y, strip in enumerate(screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            text, style = segment.text, segment.style or Style()
            if isinstance(segment, Segment) and segment.control:
                continue
            fg = _color(style.color, fallback_fg)
            bg = _color(style.bgcolor, fallback_bg)
            if style.reverse:
                fg, bg = bg, fg
            shown = inside is None or any(region.contains(x, y) for region in inside)
            if shown and text.strip() and not all(ch in BLOCKS for ch in text.strip()):
                cells.append(Cell(x, y, text, fg, bg, bool(style.bold)))
            x += segment.cell_length
    return cells


# Glyphs that draw shapes, not words: borders, bars, scrollbars.
BLOCKS = set("▌▐█▀▄▁▂▃▅▆▇▉▊▋▍▎▏▕▔━─│┃┆┇┊┋╭╮╯╰┌┐└┘├┤┬┴┼═║╔╗╚╝╠╣╦╩╬▕▏▔▁╸╺╹╻ ")


def illegible(app: App) -> list[str]:
    """A line for each run of text under its required contrast."""
    return [
        f"{cell.ratio:.2f}:1 < {cell.required}:1 at ({cell.x},{cell.y}) {cell.text.strip()[:30]!r} "
        f"{cell.foreground.hex} on {cell.background.hex}{' bold' if cell.bold else ''}"
        for cell in screen_cells(app)
        if cell.ratio < cell.required
    ]
