"""Hard-wrapped paragraphs read as paragraphs, offsets unchanged.

An article file may wrap its paragraphs near 70 columns, as wire copy does
(Markdown, which reads a single line break as a space, allows it). Drawn line
for line, such text is ragged at every width but its own. ``soft_breaks``
gives the text a view draws: each line break inside a wrapped paragraph
becomes a space, one character for one, so every offset into the body (a
mention, a search hit, a selection) stays where it was. Tables and lists keep
their lines; a text that is not hard-wrapped is left as it is.
"""

from __future__ import annotations

import functools

from reader.cleaning import WRAPPED_MIN_LINES, is_hard_wrapped, starts_item, table_rows


def soft_breaks(body: str) -> str:
    """``body`` with the line breaks inside its wrapped paragraphs made spaces."""
    if body.count("\n") < WRAPPED_MIN_LINES:
        return body
    return _soft_breaks(body)


@functools.lru_cache(maxsize=8)  # the open article and the last few: opened again, not worked out again
def _soft_breaks(body: str) -> str:
    lines = body.split("\n")
    rows = table_rows(lines)
    if not is_hard_wrapped(lines, rows):
        return body
    out = []
    for index, line in enumerate(lines[:-1]):
        following = lines[index + 1]
        # A break stays between paragraphs (a blank or an indented line),
        # around a table row, and before a list item.
        keep = (not line.strip() or not following.strip() or following[:1].isspace()
                or rows[index] or rows[index + 1] or starts_item(following))
        out.append(line + ("\n" if keep else " "))
    out.append(lines[-1])
    return "".join(out)
