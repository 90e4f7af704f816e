"""What every name tagger gives back: spans of the text with a CoNLL kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

# The tagger's kinds, as CoNLL-2003 names them.
PER, ORG, LOC, MISC = "PER", "ORG", "LOC", "MISC"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str  # PER | ORG | LOC | MISC


def pack_spans(spans: list[Span]) -> str:
    """Spans as one compact string ("0 5 PER;12 20 ORG"), to keep beside an
    indexed article: curating reads the article again with the same tags,
    so the tagger (most of the cost of reading it) does not run again."""
    return ";".join(f"{s.start} {s.end} {s.kind}" for s in spans)


def unpack_spans(text: str) -> list[Span] | None:
    """The spans ``pack_spans`` gave, or None for text it did not give."""
    if not text:
        return []
    out = []
    try:
        for item in text.split(";"):
            start, end, kind = item.split(" ")
            out.append(Span(int(start), int(end), kind))
    except ValueError:
        return None
    return out


@dataclass(frozen=True)
class TaggedText:
    spans: list[Span]


class Tagger(Protocol):
    name: str

    def tag(self, text: str) -> TaggedText: ...
