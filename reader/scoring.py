"""BM25F as Whoosh computes it, with each document's length part computed once.

Whoosh's BM25F scorer looks a matching document's field length up in the
segment's length column for every match it scores: three Python calls and a
byte decode, the largest single cost of a search that matches thousands of
articles. The length part of the formula, ``K1 * ((1 - B) + B * fl / avgfl)``,
depends on nothing but the document and the index, so it is computed once per
segment and field and kept beside the segment reader. The scores are Whoosh's
to the last bit (the same float operations in the same order), which a test
checks against Whoosh's own scorer."""

from __future__ import annotations

import threading
import weakref
from array import array
from typing import Any

from whoosh import scoring

# segment reader -> {(field, avgfl, B, K1): norms}; dropped with the reader.
_NORMS: "weakref.WeakKeyDictionary[Any, dict[tuple[str, float, float, float], array]]" = \
    weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _norms(reader: Any, fieldname: str, avgfl: float, B: float, K1: float) -> array:
    key = (fieldname, avgfl, B, K1)
    with _LOCK:
        per_reader = _NORMS.setdefault(reader, {})
        norms = per_reader.get(key)
    if norms is None:
        length = reader.doc_field_length
        # A document without the field has length 0 (Whoosh returns None for it).
        norms = array("d", (K1 * ((1 - B) + B * (length(docnum, fieldname, 0) or 0) / avgfl)
                            for docnum in range(reader.doc_count_all())))
        with _LOCK:
            per_reader[key] = norms
    return norms


class CachedBM25FScorer(scoring.BM25FScorer):
    """Whoosh's BM25F scorer; ``score`` reads the length part from the cache."""

    def __init__(self, searcher: Any, fieldname: str, text: bytes, B: float, K1: float, qf: int = 1) -> None:
        super().__init__(searcher, fieldname, text, B, K1, qf=qf)
        self._reader = searcher.reader()
        self._fieldname = fieldname
        self._k1_plus_1 = K1 + 1
        # Built on the first score: Whoosh also makes scorers it never scores with
        # (the top-level one of a multi-segment search).
        self._norms: array | None = None

    def score(self, matcher: Any) -> float:
        norms = self._norms
        if norms is None:
            norms = self._norms = _norms(self._reader, self._fieldname, self.avgfl, self.B, self.K1)
        tf = matcher.weight()
        # scoring.bm25 with K1 * ((1 - B) + B * fl / avgfl) read from the cache.
        return self.idf * ((tf * self._k1_plus_1) / (tf + norms[matcher.id()]))


class CachedBM25F(scoring.BM25F):
    """``scoring.BM25F`` (same parameters, same scores), faster on large result sets."""

    def warm(self, searcher: Any, fieldnames: tuple[str, ...]) -> None:
        """Compute the length parts of these fields for every segment now (a
        background moment after start), not in the first search that needs
        them: about 1 ms per 1,000 articles and field."""
        for subsearcher, _offset in searcher.leaf_searchers():
            reader = subsearcher.reader()
            for fieldname in fieldnames:
                if fieldname in searcher.schema and searcher.schema[fieldname].scorable:
                    avgfl = searcher.avg_field_length(fieldname) or 1
                    _norms(reader, fieldname, avgfl, self._field_B.get(fieldname, self.B), self.K1)

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        B = self._field_B.get(fieldname, self.B)
        return CachedBM25FScorer(searcher, fieldname, text, B, self.K1, qf=qf)
