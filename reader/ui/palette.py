"""The reader's colours, one set for dark themes and one for light ones.

Each is a solid colour (no alpha, no "auto"), chosen so that every text the
reader draws meets WCAG AA against every background it is drawn on: the
panes, the list's and the cross-references' cursor rows, the band of a
search hit and the legend's bar (``tests/ui/test_contrast.py`` measures what
is on screen). The entity kinds take six hues far apart (CIE ΔE over 30 for
every pair), light and pale on dark backgrounds, deep on light ones.

They reach the stylesheet as ``$reader-…`` variables; a few of Textual's own
variables are replaced too, where Textual's value is translucent or falls
short of the contrast (muted text is "auto 60%": 2.2:1 on the light theme's
panels; disabled text, which Textual gives the headings and notes of lists
and the suggestion in an input, is "auto 38%"; the block cursor of the dark theme is a saturated blue on which the
kinds' colours vanish).
"""

from __future__ import annotations

DARK: dict[str, str] = {
    "reader-muted": "#B0B0B0",  # secondary text: dates, counts, status lines
    "reader-secondary": "#9FC3E0",  # sources in the list
    "reader-cursor": "#1C3F66",  # the cursor row of a focused list
    "reader-cursor-blurred": "#2B3440",  # the cursor row of a list without the focus
    "reader-current": "#262D36",  # the open article's row in the list
    "reader-hit": "#4D3B00",  # a search hit in the text
    "reader-hit-current": "#FEA62B",  # the hit the cursor is on
    "reader-passage": "#1E2E40",  # a passage other articles share, under the text
    "reader-quote": "#E8E88C",  # a quotation's words: a yellow the kinds leave (far from the companies' orange)
    "reader-on-hit-current": "#000000",
    "reader-focus": "#FEA62B",  # the mark of the focused pane: its title bar, its border
    "reader-on-focus": "#000000",
    "reader-rule": "#45505A",  # lines between panes
    "reader-hover": "#30363D",  # a row under the mouse
    "reader-accent": "#FFC473",  # headings in the help, the search's "Did you mean"
    "reader-bar": "#9FC3E0",  # the bar beside an article's title
    "reader-kind-person": "#8EC5FF",
    "reader-kind-company": "#FFB86B",
    "reader-kind-organization": "#D4A8FF",
    "reader-kind-place": "#86E08A",
    "reader-kind-product": "#5EE0E0",
    "reader-kind-event": "#FF8FA3",
}

LIGHT: dict[str, str] = {
    "reader-muted": "#4A4A4A",
    "reader-secondary": "#1F4F7A",
    "reader-cursor": "#B8D4F0",
    "reader-cursor-blurred": "#C8CED6",
    "reader-current": "#CDD9E5",
    "reader-hit": "#FFD970",
    "reader-hit-current": "#B35C00",
    "reader-passage": "#DCE8F4",
    "reader-quote": "#4E5A00",
    "reader-on-hit-current": "#FFFFFF",
    "reader-focus": "#004578",
    "reader-on-focus": "#FFFFFF",
    "reader-rule": "#A0A0A0",
    "reader-hover": "#CCD3DB",
    "reader-accent": "#7A4500",
    "reader-bar": "#1F4F7A",
    "reader-kind-person": "#0A4AA0",
    "reader-kind-company": "#804000",
    "reader-kind-organization": "#6A2A9A",
    "reader-kind-place": "#1A5E24",
    "reader-kind-product": "#005F66",
    "reader-kind-event": "#A3162E",
}

# Textual's own variables that the reader's colours replace.
OVERRIDES = {
    "text-muted": "reader-muted",
    "text-disabled": "reader-muted",  # headings and notes in lists are disabled options
    "block-cursor-background": "reader-cursor",
    "block-cursor-blurred-background": "reader-cursor-blurred",
    "block-cursor-foreground": "foreground",
    "block-hover-background": "reader-hover",
    "block-cursor-blurred-foreground": "foreground",
    "footer-key-foreground": "reader-focus",
}


def css_variables(dark: bool, base: dict[str, str]) -> dict[str, str]:
    """The reader's variables for a dark or a light theme, and the Textual
    variables they replace, over the theme's own (``base``)."""
    merged = {**base, **(DARK if dark else LIGHT)}
    merged.update({name: merged[source] for name, source in OVERRIDES.items()})
    return merged
