"""Small helpers over Whoosh's readers and terms, shared by the index and
the query clauses."""

from __future__ import annotations

from typing import Any


def segment_readers(reader: Any) -> list[Any]:
    """The per-segment readers of a Whoosh reader (the reader itself for one segment)."""
    return [sub for sub, _offset in reader.leaf_readers()] if hasattr(reader, "leaf_readers") else [reader]


def term_text(term: str | bytes) -> str:
    """A term as text: Whoosh's lexicons hand back UTF-8 bytes, its queries str."""
    return term.decode("utf-8") if isinstance(term, bytes) else term
