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


@dataclass(frozen=True)
class TaggedText:
    spans: list[Span]


class Tagger(Protocol):
    name: str

    def tag(self, text: str) -> TaggedText: ...
