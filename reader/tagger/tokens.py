"""Cutting raw article text into the tokens and sentences the tagger reads.

The tokens follow the CoNLL-2003 conventions the model was trained on
("U.S." and "Inc." keep their full stops, "'s" and punctuation stand alone,
"Jae-in" and "O'Brien" stay whole), and every token keeps its offsets into the
text so that the tags come back as spans of the original.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Abbreviations that keep their full stop as part of the word.
_DOTTED = frozenset(
    """
    mr mrs ms dr prof gen sen rep gov lt col capt sgt adm rev st jr sr inc corp co cos ltd
    bros no vs etc jan feb mar apr jun jul aug sep sept oct nov dec mt ft messrs
    """.split()
)

_TOKEN = re.compile(
    r"""
    (?P<dots>(?:[^\W\d_]\.){2,})                       # U.S.  U.K.  p.m.
    | (?P<num>\d+(?:[.,:/]\d+)*%?)                     # 1,500  17.39  4-6 is three tokens
    | (?P<word>[^\W_](?:[\w]|[-'’&](?=[^\W_]))*)       # words, inner hyphens and apostrophes
    | (?P<punct>[^\w\s])                               # one punctuation mark
    """,
    re.VERBOSE,
)
_POSSESSIVE = re.compile(r"(?i)(.+?)(['’]s)$")
_LINE_BREAK = re.compile(r"\n")


class Token(NamedTuple):  # a tuple: articles have thousands
    start: int
    end: int
    text: str


def tokenise(text: str) -> list[Token]:
    """Every token of ``text``, in order."""
    out: list[Token] = []
    append = out.append
    taken = -1  # the end of a full stop an abbreviation took
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if start < taken:
            continue
        kind = match.lastgroup
        word = match.group()
        if kind == "word":
            possessive = _POSSESSIVE.match(word)
            if possessive and len(possessive.group(1)) > 0:
                cut = start + len(possessive.group(1))
                append(Token(start, cut, possessive.group(1)))
                append(Token(cut, end, possessive.group(2)))
                continue
            # "Mr." and "Corp.": the full stop belongs to the abbreviation.
            # "J. Smith": an initial keeps its full stop too.
            if end < len(text) and text[end] == "." and (
                word.lower() in _DOTTED or (len(word) == 1 and word.isupper())
            ):
                append(Token(start, end + 1, word + "."))
                taken = end + 1
                continue
        append(Token(start, end, word))
    return out


_ENDS = frozenset(".!?")
_CLOSERS = frozenset("\"'”’)]")


def sentences(text: str, tokens: list[Token] | None = None) -> list[list[Token]]:
    """The tokens of ``text`` cut into sentences: after a full stop, a question
    or an exclamation mark (with any closing quotes), at a blank line, and at
    a line end unless the text is hard-wrapped prose (wire copy), where lines
    stop mid-sentence."""
    if tokens is None:
        tokens = tokenise(text)
    if not tokens:
        return []
    line_breaks = _line_breaks(text)
    out: list[list[Token]] = []
    current: list[Token] = []
    bi = 0
    for i, tok in enumerate(tokens):
        while bi < len(line_breaks) and line_breaks[bi] <= tok.start:
            if current and line_breaks[bi] >= current[-1].end:
                out.append(current)
                current = []
            bi += 1
        current.append(tok)
        if tok.text in _ENDS:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and nxt.text in _CLOSERS and nxt.start == tok.end:
                continue  # the quote closes first
            out.append(current)
            current = []
        elif tok.text in _CLOSERS and len(current) >= 2 and current[-2].text in _ENDS:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _line_breaks(text: str) -> list[int]:
    """Offsets where a line end also ends a sentence."""
    if "\n" not in text:
        return []
    lines = text.split("\n")
    full = [line.rstrip() for line in lines if line.strip()]
    wrapped = len(full) >= 3 and sum(
        1 for line in full if 40 <= len(line) <= 100 and line[-1] not in ".!?:\"”’'"
    ) >= 0.4 * len(full)
    breaks = []
    offset = 0
    previous_apart = False  # the line before was blank, a heading or a table row
    for line in lines:
        apart = not line.strip() or _short_line(line)
        if offset and (not wrapped or apart or previous_apart):
            breaks.append(offset)
        previous_apart = apart
        offset += len(line) + 1
    return breaks


def _short_line(line: str) -> bool:
    """A table row or a heading inside wrapped copy: starts with spaces or a
    run of figures, or is short."""
    stripped = line.strip()
    return len(stripped) < 40 or line.startswith(("  ", "\t"))
