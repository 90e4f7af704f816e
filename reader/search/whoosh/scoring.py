"""BM25F as Whoosh computes it, with each document's length part computed once.

Whoosh's BM25F scorer looks a matching document's field length up in the
segment's length column for every match it scores: three Python calls and a
byte decode, the largest single cost of a search that matches thousands of
articles. The length part of the formula, ``K1 * ((1 - B) + B * fl / avgfl)``,
depends on nothing but the document and the index, so it is computed once per
segment and field and kept beside the segment reader. The scores are Whoosh's
to the last bit (the same float operations in the same order), which a test
checks against Whoosh's own scorer.

Whoosh opens new readers for every segment when the index changes (its
``refresh`` never finds the old ones to reuse), and any change moves the
average length, so the length parts are computed again after each update; the
field lengths themselves never change within a segment, so they are kept by
segment id, and the second time costs a pass over an array, not a look-up per
document."""

from __future__ import annotations

import threading
import weakref
from array import array
from typing import Any

from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import NumericColumn
from whoosh.util.numeric import byte_to_length


def _segment_id(reader: Any) -> str | None:
    segment = getattr(reader, "segment", None)
    try:
        return segment().segment_id() if callable(segment) else None
    except Exception:  # noqa: BLE001 - not a segment reader: its lengths are not kept
        return None


class CachedBM25FScorer(scoring.BM25FScorer):
    """Whoosh's BM25F scorer; ``score`` reads the length part from the cache."""

    def __init__(self, weighting: "CachedBM25F", searcher: Any, fieldname: str, text: bytes, B: float, K1: float,
                 qf: int = 1) -> None:
        super().__init__(searcher, fieldname, text, B, K1, qf=qf)
        self._weighting = weighting
        self._reader = searcher.reader()
        self._fieldname = fieldname
        self._k1_plus_1 = K1 + 1
        # Built on the first score: Whoosh also makes scorers it never scores with
        # (the top-level one of a multi-segment search).
        self._norms: array | None = None

    def score(self, matcher: Any) -> float:
        norms = self._norms
        if norms is None:
            norms = self._norms = self._weighting.norms(self._reader, self._fieldname, self.avgfl, self.B, self.K1)
        tf = matcher.weight()
        # scoring.bm25 with K1 * ((1 - B) + B * fl / avgfl) read from the cache.
        return self.idf * ((tf * self._k1_plus_1) / (tf + norms[matcher.id()]))

    def scores(self, ids: "list[int]", weights: "list[float]") -> list[float]:
        """``score`` for many postings at once (reader.search.whoosh.fastmatch): the same
        operations in the same order, so the same bits."""
        norms = self._norms
        if norms is None:
            norms = self._norms = self._weighting.norms(self._reader, self._fieldname, self.avgfl, self.B, self.K1)
        idf, k1_plus_1 = self.idf, self._k1_plus_1
        return [idf * ((tf * k1_plus_1) / (tf + norms[d])) for d, tf in zip(ids, weights)]


class CachedBM25F(scoring.BM25F):
    """``scoring.BM25F`` (same parameters, same scores), faster on large result
    sets. One instance per index: it keeps that index's field lengths by
    segment id (random, so only unique within one index)."""

    def __init__(self, B: float = 0.75, K1: float = 1.2, **kwargs: float) -> None:
        super().__init__(B=B, K1=K1, **kwargs)
        # segment reader -> {(field, B, K1): (avgfl, norms)}; dropped with the reader.
        self._norms: "weakref.WeakKeyDictionary[Any, dict[tuple[str, float, float], tuple[float, array]]]" = \
            weakref.WeakKeyDictionary()
        # (segment id, field) -> each document's field length.
        self._lengths: dict[tuple[str, str], array] = {}
        self._lock = threading.Lock()

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        B = self._field_B.get(fieldname, self.B)
        return CachedBM25FScorer(self, searcher, fieldname, text, B, self.K1, qf=qf)

    def lengths(self, reader: Any, fieldname: str) -> array:
        """Each document's length in the field (0 where it has none)."""
        segment = _segment_id(reader)
        key = (segment or "", fieldname)
        with self._lock:
            kept = self._lengths.get(key) if segment else None
        if kept is not None and len(kept) == reader.doc_count_all():
            return kept
        lengths = _column_lengths(reader, fieldname)
        if lengths is None:
            length = reader.doc_field_length
            # Whoosh returns None for a document without the field.
            lengths = array("L", ((length(docnum, fieldname, 0) or 0) for docnum in range(reader.doc_count_all())))
        if segment:
            with self._lock:
                self._lengths[key] = lengths
        return lengths

    def norms(self, reader: Any, fieldname: str, avgfl: float, B: float, K1: float) -> array:
        """``K1 * ((1 - B) + B * fl / avgfl)`` for each document of the segment."""
        key = (fieldname, B, K1)
        with self._lock:
            per_reader = self._norms.setdefault(reader, {})
            kept = per_reader.get(key)
        if kept is not None and kept[0] == avgfl:
            return kept[1]
        norms = array("d", (K1 * ((1 - B) + B * fl / avgfl) for fl in self.lengths(reader, fieldname)))
        with self._lock:
            per_reader[key] = (avgfl, norms)  # the latest average only: one array per field
        return norms

    def warm(self, searcher: Any, fieldnames: tuple[str, ...], segment: int | None = None) -> None:
        """Compute the length parts of these fields for every segment (or the
        one numbered ``segment``) now, at a quiet moment after start or an
        update, not in the first search that needs them; forget the lengths of
        segments the index no longer has."""
        leaves = searcher.leaf_searchers()
        current = {_segment_id(sub.reader()) for sub, _ in leaves}
        with self._lock:
            for key in [k for k in self._lengths if k[0] not in current]:
                del self._lengths[key]
        for subsearcher, _offset in leaves if segment is None else leaves[segment:segment + 1]:
            reader = subsearcher.reader()
            for fieldname in fieldnames:
                if fieldname in searcher.schema and searcher.schema[fieldname].scorable:
                    avgfl = searcher.avg_field_length(fieldname) or 1
                    self.norms(reader, fieldname, avgfl, self._field_B.get(fieldname, self.B), self.K1)


# Whoosh keeps a field's lengths as one byte a document (a lossy code that
# byte_to_length reads back; 0: the document has no such field).
_BYTE_LENGTHS = [byte_to_length(b) if b else 0 for b in range(256)]


def _column_lengths(reader: Any, fieldname: str) -> array | None:
    """Every document's length in the field, read from the segment's length
    column in one piece: 100,000 look-ups one at a time cost a new process
    0.3 s before its first search. The same values as doc_field_length
    (tests/test_scoring.py); None where the column is not the one Whoosh
    2.7.4 writes, and the caller asks document by document."""
    try:
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        count_all = reader.doc_count_all()
        if column is None:  # no document has the field
            return array("L", [0]) * count_all
        if type(column) is not NumericColumn.Reader or column._typecode != "B":
            return None
        stored = min(column._count, count_all)
        block = column._dbfile.get(column._basepos, stored)
    except (AttributeError, TypeError):
        return None
    lengths = array("L", map(_BYTE_LENGTHS.__getitem__, block))
    if stored < count_all:  # the documents past the column's end have the default
        lengths.extend([0] * (count_all - stored))
    return lengths
