"""Make untrusted text safe to show in a terminal.

Article text, titles, entity names and queries all come from outside. Escape
sequences (CSI colour codes, OSC hyperlinks and title changes, DCS strings) and
raw control characters would reach the terminal through a widget untouched, so
they are removed as soon as text is read. Newlines and tabs are the only
control characters kept; line ends are normalised to ``\\n``.
"""

from __future__ import annotations

import re

# ESC-introduced sequences, longest forms first:
#   OSC  ESC ] ... (BEL | ESC \\)       window titles, hyperlinks, clipboard writes
#   DCS/SOS/PM/APC  ESC P|X|^|_ ... ESC \\
#   CSI  ESC [ params intermediates final
#   two-byte escapes  ESC + one char
# An unterminated OSC/DCS runs to the end of the text, which is what a
# terminal would swallow too.
_ESCAPES = re.compile(
    r"""
    \x1b\][^\x07\x1b]*(?:\x07|\x1b\\|$)      # OSC
  | \x1b[PX^_][^\x1b]*(?:\x1b\\|$)           # DCS, SOS, PM, APC
  | \x1b\[[0-?]*[ -/]*[@-~]?                 # CSI
  | \x1b[ -/]*[0-~]?                         # other ESC sequences
  | \x9b[0-?]*[ -/]*[@-~]?                   # 8-bit CSI
  | \x9d[^\x07\x9c]*(?:\x07|\x9c|$)          # 8-bit OSC
    """,
    re.VERBOSE,
)

# C0 controls except tab and newline, DEL, and C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Unicode direction overrides can make text display in an order other than
# the one it is stored in; they are never needed in news prose.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


# Characters that take no cell of their own: zero-width space, joiners and
# non-joiner, word joiner, the byte-order mark, and the direction marks. In a
# title or a name they only make the text's width uncertain (terminals
# disagree on them), so one-line fields drop them; bodies keep the joiners,
# which emoji sequences and some scripts need.
_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060\ufeff\u061c]")


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sanitize(text: str) -> str:
    """Return ``text`` without escape sequences or control characters.

    Line ends are normalised first so that a CR is not mistaken for a control
    character to drop.
    """
    text = normalise_newlines(text)
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text)
    return _BIDI.sub("", text)


def sanitize_line(text: str) -> str:
    """Sanitise and fold to one line: for titles, names and other short fields,
    without zero-width characters."""
    return " ".join(_ZERO_WIDTH.sub("", sanitize(text)).split())


def is_clean(text: str) -> bool:
    """True when ``sanitize`` would leave ``text`` unchanged."""
    return sanitize(text) == text
