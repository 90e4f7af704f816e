"""Text-level edits of entities.yaml: one new item at the end of the top-level
``entities:`` or ``ignore:`` list, every other byte of the file kept.

A round trip through a YAML library re-reads and re-writes the whole file: on
a list of 350,000 entities that takes minutes. Appending an item needs only to
know where the list ends and how its items are indented, which a look at the
file's top-level lines tells, for the layouts a person or ``reader`` writes:
a block mapping whose ``entities:`` and ``ignore:`` keys each hold a block
list (or ``[]``, or are missing). Any other layout (flow style, a document
marker, tabs, CRLF line ends, a byte order mark, a key given twice, a list
whose items cannot be told from their lines) gets None, and the caller goes
the long way round.

What is returned is the new text and a *snippet*: a small YAML document of the
key with the list's last item as the file has it, then the new one. The caller
parses it with the strict parser: the last item must read as the list's last
entry does, and the new one as meant, or the edit is not used.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import islice
from typing import Callable

import yaml

# Column-0 lines other than blank lines, comments and list items ("- x", "-").
_TOP_LINE = re.compile(r"^(?:[^ \n#-]|-[^ \n]).*$", re.M)
_KEY_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*):((?: .*)?)$")
_BLOCK = re.compile(r"^(?: *| +#.*)$")  # what may follow a key that opens a block
_EMPTY_FLOW = re.compile(r"^ *\[\]( +#.*)?$")
_ITEM_AT_0 = re.compile(r"^-(?: |$)", re.M)
_FIRST_CONTENT = re.compile(r"^( *)([^ \n#].*)$", re.M)
_OPENS = tuple("\"'[{&*!%@`")  # a block scalar ("|", ">") is fine: its lines are indented
_PLAIN = re.compile(r"[A-Za-z0-9(][^:#\[\]{},\"'`|>&*!%@\\\n\t]*")
DEFAULT_INDENT = 2


@dataclass
class Edit:
    text: str  # the whole new file
    snippet: str  # the key, the list's last item as it stands, the new item


@dataclass
class _Key:
    start: int  # offset of the key's line
    end: int  # offset just past its line (and newline)
    block_end: int  # offset of the next top-level key, or of the end of the text
    block: bool  # "key:" alone on its line (or with a comment)
    empty_flow: bool  # "key: []"
    comment: str  # what follows "key:" on its line


def scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when that reads back as the same
    string, else double-quoted (a JSON string is a YAML double-quoted one)."""
    if _PLAIN.fullmatch(value) and value == value.strip():
        try:
            if yaml.load(value, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == value:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def _top_keys(text: str) -> dict[str, _Key] | None:
    """The file's top-level keys, or None when its top level is not a plain
    block mapping the edit can trust."""
    keys: dict[str, _Key] = {}
    order: list[_Key] = []
    for match in _TOP_LINE.finditer(text):
        found = _KEY_LINE.match(match.group())
        if found is None:
            return None  # a document marker, a directive, a tab, a continued scalar...
        name, rest = found.groups()
        empty_flow = bool(_EMPTY_FLOW.match(rest))
        block = bool(_BLOCK.match(rest))
        if not empty_flow and not block and rest.lstrip().startswith(_OPENS):
            return None  # a value that may run on over lines
        if name in keys:
            return None  # a key given twice: which one counts is the YAML library's choice
        end = match.end() + 1
        flow_comment = _EMPTY_FLOW.match(rest)
        key = _Key(match.start(), min(end, len(text)), len(text), block, empty_flow,
                   (flow_comment.group(1) or "") if flow_comment else rest)
        if order:
            order[-1].block_end = match.start()
        keys[name] = key
        order.append(key)
    first = order[0].start if order else len(text)
    if _ITEM_AT_0.search(text, 0, first):
        return None  # a bare list at the top
    return keys


def _block_items(text: str, start: int, end: int) -> tuple[int, int, int] | None:
    """(indentation, number, start of the last) of the items of the block
    list between ``start`` (a line's start) and ``end``: the lines that hold
    "- " or "-" alone at the first item's indentation. None when the list's
    first content is not an item."""
    first = _FIRST_CONTENT.search(text, start, end)
    if first is None:
        return DEFAULT_INDENT, 0, -1
    indent = len(first.group(1))
    if not re.match(r"-(?: |$)", first.group(2)):
        return None
    # str.count and str.rfind: a list of 350,000 items is scanned in milliseconds.
    marks = ("\n" + " " * indent + "- ", "\n" + " " * indent + "-\n")
    count = sum(text.count(mark, start - 1, end) for mark in marks)
    last = max(text.rfind(mark, start - 1, end) for mark in marks) + 1
    return indent, count, last


def _content_end(text: str, start: int, end: int, comments: bool = True) -> int:
    """Just past the last line between ``start`` and ``end`` that belongs to
    the list: an indented line with something on it, or an item at column 0.
    Blank lines and column-0 comments after it (often a heading for the next
    key) stay where they are; with ``comments`` false, indented ones too."""
    position = end
    while position > start:
        line_start = text.rfind("\n", start, position - 1) + 1
        if line_start < start:
            line_start = start
        line = text[line_start:position]
        stripped = line.strip()
        if stripped and (line[0] == " " or line.startswith("-")) and (comments or not stripped.startswith("#")):
            return position
        position = line_start
    return start


def append(text: str, key: str, count: int, item: Callable[[int], str]) -> Edit | None:
    """``text`` with one more item at the end of the top-level list ``key``,
    which holds ``count`` items. ``item(indent)`` gives the new item's lines
    for items indented by ``indent`` spaces. None when the layout is not one
    this edit handles."""
    if not text.endswith("\n") or "\r" in text or text.startswith("\ufeff"):
        return None
    keys = _top_keys(text)
    if keys is None:
        return None
    found = keys.get(key)
    header = f"{key}:\n"
    if found is None:
        if count:
            return None
        lines = item(DEFAULT_INDENT)
        return Edit(text + header + lines, header + lines)
    if found.empty_flow:
        if count:
            return None
        lines = item(DEFAULT_INDENT)
        return Edit(text[:found.start] + f"{key}:{found.comment}\n" + lines + text[found.end:], header + lines)
    if not found.block:
        return None
    items = _block_items(text, found.end, found.block_end)
    if items is None:
        return None
    indent, items_found, last = items
    if items_found != count:
        return None  # items the line scan cannot tell apart
    lines = item(indent)
    if not items_found:
        return Edit(text[:found.end] + lines + text[found.end:], header + lines)
    insert = _content_end(text, last, found.block_end)
    tail = text[last:insert]
    return Edit(text[:insert] + lines + text[insert:], header + tail + lines)


def entity_lines(entity_id: str, name: str, kind: str, aliases: list[str]) -> Callable[[int], str]:
    def lines(indent: int) -> str:
        pad = " " * indent
        out = [f"{pad}- id: {scalar(entity_id)}\n", f"{pad}  name: {scalar(name)}\n", f"{pad}  kind: {kind}\n"]
        if aliases:
            out.append(f"{pad}  aliases:\n")
            out.extend(f"{pad}    - {scalar(alias)}\n" for alias in aliases)
        return "".join(out)

    return lines


def ignore_lines(name: str) -> Callable[[int], str]:
    return lambda indent: f"{' ' * indent}- {scalar(name)}\n"


def add_alias(text: str, count: int, index: int, alias: str) -> tuple[str, str, str] | None:
    """``text`` with ``alias`` added to the aliases of item ``index`` of the
    top-level ``entities:`` list (which holds ``count`` items): (new text, the
    item as it was, the item as it is now), for the caller to read both back
    with the parser. None when the layout is not one this edit handles: the
    list's own shape as for ``append``, or an item whose ``aliases`` is in
    flow style or that starts with it."""
    if not text.endswith("\n") or "\r" in text or text.startswith("\ufeff"):
        return None
    keys = _top_keys(text)
    found = keys.get("entities") if keys else None
    if found is None or not found.block:
        return None
    items = _block_items(text, found.end, found.block_end)
    if items is None or items[1] != count or not 0 <= index < count:
        return None
    indent = items[0]
    item_line = re.compile(rf"^ {{{indent}}}-(?: |$)", re.M)
    if index == count - 1:
        start, stop = items[2], found.block_end
    else:
        # islice skips the items before it without a Python step for each.
        here, after = islice(item_line.finditer(text, found.end, found.block_end), index, index + 2)
        start, stop = here.start(), after.start()
    end = _content_end(text, start, stop)
    old = text[start:end]
    head = re.match(rf" {{{indent}}}- +(?=[^ \n])", old)
    if head is None or old[head.end():].startswith("aliases:"):
        return None
    column = head.end()  # where the item's keys stand
    pad = " " * column
    key = re.search(rf"^{pad}aliases:(.*)\n", old, re.M)
    if key is None:
        insert = _content_end(old, 0, len(old), comments=False)  # a comment after the item may head the next
        new = old[:insert] + f"{pad}aliases:\n{pad}  - {scalar(alias)}\n" + old[insert:]
    elif not _BLOCK.match(key.group(1)):
        return None
    else:
        # The aliases' list runs to the next line that is less indented, or as
        # indented but not an item of it.
        after = key.end()
        limit = re.compile(rf"^(?: {{0,{column - 1}}}[^ \n#]| {{{column}}}(?!-(?: |$))[^ \n#])", re.M)
        following = limit.search(old, after)
        list_end = following.start() if following else len(old)
        first = _FIRST_CONTENT.search(old, after, list_end)
        if first is None:
            line = f"{pad}  - {scalar(alias)}\n"
            insert = after
        else:
            if not first.group(2).startswith("-"):
                return None
            line = f"{first.group(1)}- {scalar(alias)}\n"
            insert = _content_end(old, after, list_end, comments=False)
        new = old[:insert] + line + old[insert:]
    return text[:start] + new + text[end:], old, new
