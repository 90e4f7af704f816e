"""Markdown files with YAML front matter: the on-disk form of an article."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from reader.yamlsafe import YamlError, dump_yaml, load_yaml

DELIMITER = "---"


class FrontMatterError(ValueError):
    """The front matter cannot be read; ``line`` is 1-based in the file."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class Document:
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line on which the body starts


def has_front_matter(text: str) -> bool:
    text = text.lstrip("\ufeff")
    return text.startswith(DELIMITER + "\n") or text.startswith(DELIMITER + "\r\n") or text.strip() == DELIMITER


def split(text: str) -> tuple[str | None, str, int]:
    """Return (yaml text or None, body, body start line). Expects LF line ends."""
    text = text.lstrip("\ufeff")
    if not text.startswith(DELIMITER + "\n"):
        return None, text, 1
    lines = text.split("\n")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in (DELIMITER, "..."):
            yaml_text = "\n".join(lines[1:number])
            body = "\n".join(lines[number + 1 :])
            return yaml_text, body, number + 2
    raise FrontMatterError("front matter is not closed by a '---' line", 1)


def _plain(value: Any) -> Any:
    """Dates become ISO strings; everything else stays as YAML gave it."""
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def parse(text: str) -> Document:
    """Parse a Markdown document; front matter is optional but must be a mapping."""
    yaml_text, body, body_line = split(text)
    if yaml_text is None:
        return Document({}, body, 1)
    try:
        data = load_yaml(yaml_text, line_offset=1)
    except YamlError as exc:
        raise FrontMatterError(f"front matter: {exc.message}", exc.line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError("front matter must be a mapping of keys to values", 2)
    meta = {str(key): _plain(value) for key, value in data.items()}
    return Document(meta, body, body_line)


def render(meta: dict[str, Any], body: str) -> str:
    """Front matter then body; keys with empty values are left out."""
    kept = {k: v for k, v in meta.items() if v not in (None, "", [], {})}
    head = dump_yaml(kept) if kept else ""
    body = body.strip("\n") + "\n"
    return f"{DELIMITER}\n{head}{DELIMITER}\n{body}"
