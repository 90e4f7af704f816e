"""How the title and body are cut into index terms.

The terms are exactly those of Whoosh's ``StemmingAnalyzer()``: words by its
default pattern, lower-cased, English stop words and one-letter words dropped,
positions renumbered over the words kept, Porter stems. Whoosh builds that as
a tokenizer and three filters chained as generators, one Python call per filter
per word; indexing spends most of its analysis time passing the token along
the chain. This analyzer does the same work in one loop, which roughly halves
the analysis cost of an index build, and keeps its stems in a plain dict.
``tests/test_analysis.py`` checks that both give the same tokens for every
option Whoosh passes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import STOP_WORDS, Token, Tokenizer
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem as porter_stem
from whoosh.util.text import rcompile

STEM_CACHE_SIZE = 200_000  # distinct words kept stemmed; ~30 MB at most


class StemmingAnalyzer(Tokenizer):
    """A drop-in, single-pass ``whoosh.analysis.StemmingAnalyzer()``."""

    is_morph = True

    def __init__(self) -> None:
        self.expression = rcompile(default_pattern)
        self.stops = frozenset(STOP_WORDS)
        self._stems: dict[str, str] = {}

    # The schema is pickled into the index: keep the cache out of it.
    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]

    def __eq__(self, other: object) -> bool:
        return other is not None and type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        return "reader.analysis.StemmingAnalyzer()"

    def has_morph(self) -> bool:
        return True

    def clean(self) -> None:
        self._stems.clear()

    def stem(self, word: str) -> str:
        stems = self._stems
        found = stems.get(word)
        if found is None:
            if len(stems) >= STEM_CACHE_SIZE:
                stems.clear()
            found = stems[word] = porter_stem(word)
        return found

    def __call__(  # noqa: PLR0913 - Whoosh's analyzer protocol
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Token]:
        assert isinstance(value, str), f"{value!r} is not text"
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stops = self.stops
        stems = self._stems
        stem = self.stem
        if tokenize:
            pieces: Any = ((m.group(0), m.start(), m.end()) for m in self.expression.finditer(value))
        else:
            # Whoosh's tokenizer gives the whole value as one token (its
            # original always set); the filters then apply as usual.
            keeporiginal = True
            pieces = ((value, 0, len(value)),)
        pos: int | None = None  # position of the last word kept (renumbered)
        for i, (raw, start, end) in enumerate(pieces):
            text = raw.lower()
            if len(text) >= 2 and text not in stops:
                if positions:
                    pos = start_pos + i if pos is None else pos + 1
                    t.pos = pos
                t.stopped = False
                if not no_morph:
                    found = stems.get(text)
                    text = found if found is not None else stem(text)
            elif removestops:
                continue
            else:
                if positions:
                    t.pos = start_pos + i
                t.stopped = True
            t.text = text
            t.boost = 1.0
            if keeporiginal:
                t.original = raw
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


# An index's table of contents holds its schema pickled, and the analyzer's
# class by the module it was defined in: indexes made before this module moved
# under reader/search/whoosh/ name it "reader.analysis". The old name points
# here, so they open as they are instead of reading as damaged and being rebuilt.
sys.modules.setdefault("reader.analysis", sys.modules[__name__])
