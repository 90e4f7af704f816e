"""Every match of a query scored at once, a posting block at a time.

Whoosh walks a query's matcher tree one document at a time: each level of a
union or an intersection costs several Python calls per matching document,
which is most of a search for a word that thousands of articles hold
("company" matches 6,150 of Reuters' 19,043 articles). Here the very tree
Whoosh builds for the query, segment by segment, is evaluated instead into
``{docnum: score}`` maps: a leaf's postings are read a block at a time and
scored in one comprehension, a union or an intersection merges two maps.
Every score is made by the same float operations as Whoosh's (sums of two
children, a boost multiplied in, a preloaded OR's running sum in clause
order), so scores, counts and the order of the top hits are Whoosh's to the
last bit; tests/test_fastmatch.py checks that against Whoosh's collector.

A matcher this module does not know (a coordination bonus, a span query
other than a phrase of plain words, a leaf with a scorer of its own) is
walked as Whoosh's collector walks it, and its map joins the others. The
leaf readers use private attributes of Whoosh 2.7.4's postings format,
which the project pins (pyproject.toml); matchers are told apart by their
exact class, so a subclass with other behaviour is walked, never mistaken
for its parent."""

from __future__ import annotations

import threading
import weakref
from array import array
from bisect import bisect_left
from collections import OrderedDict
from typing import Any, Callable, Iterator

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import binary, combo, mcore, wrappers
from whoosh.query.spans import SpanNear2
from whoosh.scoring import WeightScorer

Scores = dict[int, float]


def matches(searcher: Any, query: Any) -> Iterator[tuple[Any, int, Scores]]:
    """(segment searcher, its docnum offset, {docnum in the segment: score})
    for each segment: every document the query matches, with Whoosh's score."""
    context = searcher.context()  # as search_with_collector makes it: the same matcher trees
    for subsearcher, offset in searcher.leaf_searchers():
        yield subsearcher, offset, scores_of(query.matcher(subsearcher, context))


def top(searcher: Any, query: Any, limit: int) -> tuple[int, list[tuple[float, int]]]:
    """(number of matches, the best ``limit`` as (score, docnum)), ordered as
    Whoosh's TopCollector orders them: score descending, then docnum
    ascending. (reader.search.whoosh.scoring's weighting has no final step, which only
    Whoosh's collector would apply.)"""
    total = 0
    best: list[tuple[float, int]] = []
    for _subsearcher, offset, found in matches(searcher, query):
        total += len(found)
        if 0 < limit < len(found):
            # Only what can reach the top: the scores at least the limit-th best
            # (a sort of bare floats in C, not of a tuple per match).
            floor = sorted(found.values(), reverse=True)[limit - 1]
            best.extend((-s, offset + d) for d, s in found.items() if s >= floor)
        else:
            best.extend((-s, offset + d) for d, s in found.items())
    best.sort()
    return total, [(-negated, docnum) for negated, docnum in best[:limit]]


def scores_of(matcher: Any) -> Scores:
    """Every document the matcher would yield from where it stands, with the
    score it would give."""
    return _EVALUATORS.get(type(matcher), _walk)(matcher)


def _walk(m: Any) -> Scores:
    """A matcher known only to Whoosh (a coordination bonus, a span query),
    walked as Whoosh's collector walks it: the same documents, the same scores."""
    found: Scores = {}
    while m.is_active():
        found[m.id()] = m.score()
        m.next()
    return found


# --- leaves -------------------------------------------------------------------------


def _bulk(scorer: Any) -> Callable[[Any, Any], Any] | None:
    """How to score many postings of a leaf at once, or None when only the
    scorer's own per-posting call will do."""
    if scorer is None or type(scorer) is WeightScorer:  # the weight is the score
        return lambda ids, weights: weights
    return getattr(scorer, "scores", None)  # reader.scoring.CachedBM25FScorer


class _Postings:
    """The decoded postings (document numbers and weights) of the leaves read
    lately, so that the words a query kept from one keystroke to the next are
    not unpickled again (most of the reading). A segment's postings never
    change (deletions are filtered above the leaf), so an entry holds while
    its postings file is open; a new reader opens a new file object. At most
    ``budget`` postings are kept, 12 bytes each; the least recently used go."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._entries: OrderedDict[tuple[int, int], tuple[Any, array, array]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, m: W3LeafMatcher) -> tuple[array, array] | None:
        key = (id(m._postfile), m._startoffset)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0]() is not m._postfile:  # an id reused by a later file
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1], entry[2]

    def put(self, m: W3LeafMatcher, ids: array, weights: array) -> None:
        if len(ids) > self.budget // 4:
            return  # one huge list would push out everything else
        key = (id(m._postfile), m._startoffset)
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (weakref.ref(m._postfile), ids, weights)
            self.size += len(ids)
            while self.size > self.budget:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple[int, int]) -> None:
        self.size -= len(self._entries.pop(key)[1])


POSTINGS = _Postings(budget=1_000_000)


def _w3_leaf(m: W3LeafMatcher) -> Scores:
    bulk = _bulk(m.scorer)
    if bulk is None:
        return _walk(m)
    if not m.is_active():
        return {}
    kept = POSTINGS.get(m)
    if kept is None:
        # The whole list, read by a matcher of its own (the tree's may have been
        # moved on already: an intersection lines its children up as it is made).
        kept = _read_all(_fresh(m))
        POSTINGS.put(m, *kept)
    ids, weights = kept
    start = bisect_left(ids, m.id())  # from where this matcher stands
    if start:
        ids, weights = ids[start:], weights[start:]
    return dict(zip(ids, bulk(ids, weights)))


def _fresh(m: W3LeafMatcher) -> W3LeafMatcher:
    """A matcher of the same posting list, at its start."""
    return W3LeafMatcher(m._postfile, m._startoffset, m._length, m.format, term=m._term, byteids=m._byteids)


def _read_all(m: W3LeafMatcher) -> tuple[array, array]:
    ids = array("L")
    weights = array("d")  # exact for Whoosh's float32 weights and for any float
    while m.is_active():
        m._read_ids()
        m._read_weights()
        # Tuples, lists or arrays of another type code, by how the block was written.
        ids.fromlist(list(m._ids))
        weights.fromlist(list(m._weights))
        m._next_block()
    return ids, weights


def _list_leaf(m: mcore.ListMatcher) -> Scores:
    # Postings held in memory, each of the same weight: a date range's
    # documents (reader.search.whoosh.datefilter). Anything else is walked.
    bulk = _bulk(m._scorer)
    if bulk is None or not m._all_weights:
        return _walk(m)
    ids = list(m._ids[m._i:])
    return dict(zip(ids, bulk(ids, [m._all_weights] * len(ids))))


def _null(m: Any) -> Scores:
    return {}


# --- wrappers -----------------------------------------------------------------------


def _boosted(found: Scores, boost: float) -> Scores:
    # x * 1.0 is x: skipping it changes no bit.
    return found if boost == 1.0 else {d: s * boost for d, s in found.items()}


def _wrapping(m: wrappers.WrappingMatcher) -> Scores:
    return _boosted(scores_of(m.child), m.boost)


def _filter(m: wrappers.FilterMatcher) -> Scores:
    ids = m._ids
    child = scores_of(m.child)
    if m._exclude:  # the deleted documents of a segment
        kept = {d: s for d, s in child.items() if d not in ids}
    else:
        kept = {d: s for d, s in child.items() if d in ids}
    return _boosted(kept, m.boost)


def _inverse(m: wrappers.InverseMatcher) -> Scores:
    present = scores_of(m.child)
    missing = m.missing
    weight = m._weight
    return {d: weight for d in range(m._id, m.limit) if d not in present and not missing(d)}


# --- combinations -------------------------------------------------------------------


def _union(m: binary.UnionMatcher) -> Scores:
    a, b = scores_of(m.a), scores_of(m.b)
    if len(a) < len(b):
        a, b = b, a  # a + b == b + a, bit for bit
    merged = dict(a)
    get = merged.get
    for d, s in b.items():
        t = get(d)
        merged[d] = s if t is None else t + s
    return merged


def _intersection(m: binary.IntersectionMatcher) -> Scores:
    a, b = scores_of(m.a), scores_of(m.b)
    if len(a) > len(b):
        a, b = b, a
    return {d: s + b[d] for d, s in a.items() if d in b}


def _array_union(m: combo.ArrayUnionMatcher) -> Scores:
    # Whoosh adds each clause's score, times the boost, into a zeroed array,
    # 2,048 documents at a time and in clause order, and yields the documents
    # whose sum is above zero (and the first, which it starts on). Making the
    # matcher read the first part: its sums are taken as they are, and the
    # clauses go on from where that left them.
    total: Scores = {}
    first, offset, end = m._docnum, m._offset, min(m._limit, m._doccount)
    part = m._a
    for d in range(first, end):
        s = part[d - offset]
        if s > 0 or d == first:
            total[d] = s
    boost = m._boost
    get = total.get
    for sub in m._submatchers:
        if m._scored:
            for d, s in scores_of(sub).items():
                total[d] = get(d, 0.0) + s * boost
        else:
            for d in scores_of(sub):
                total[d] = 1
    return {d: s for d, s in total.items() if (s > 0 or d == first) and d < m._doccount}


# --- phrases ------------------------------------------------------------------------


def _phrase(m: SpanNear2.SpanNear2Matcher) -> Scores:
    """A phrase: the intersection of its words, scored as Whoosh scores it
    (the intersection's score), kept where the words' positions make the
    phrase (Whoosh's span test, on plain position numbers)."""
    leaves = [_unfiltered(sub) for sub in m.ms]
    if any(leaf is None for leaf in leaves) or not all(leaf.supports("positions") for leaf in leaves):
        return _walk(m)
    candidates = scores_of(m.child)  # the words' intersection (this moves the leaves to their ends)
    if not candidates:
        return {}
    wanted = sorted(candidates)
    positions = [_positions(leaf, wanted) for leaf in leaves]
    slop, mindist, ordered = m.slop, m.mindist, m.ordered
    found = {d: candidates[d] for d in wanted
             if _spans_meet([p.get(d, []) for p in positions], slop, mindist, ordered)}
    return _boosted(found, m.boost)


def _unfiltered(m: Any) -> W3LeafMatcher | None:
    """The postings under a leaf (the deleted documents' filter taken off:
    the intersection has already left them out), or None for anything else."""
    if type(m) is wrappers.FilterMatcher and m._exclude and m.boost == 1.0:
        m = m.child
    return m if type(m) is W3LeafMatcher else None


def _positions(leaf: W3LeafMatcher, wanted: list[int]) -> dict[int, list[int]]:
    """The word's positions in each of the ``wanted`` documents (sorted) it holds."""
    decode = leaf.format.decoder("positions")
    out: dict[int, list[int]] = {}
    m = _fresh(leaf)
    low = 0
    while m.is_active() and low < len(wanted):
        if wanted[low] > m._maxid:  # no wanted document in this block: not unpickled
            m._next_block()
            continue
        m._read_ids()
        high = bisect_left(wanted, m._maxid + 1, low)
        block = set(wanted[low:high])
        m._read_values()
        for d, value in zip(m._ids, m._values):
            if d in block:
                out[d] = decode(value)
        low = high
        m._next_block()
    return out


def _spans_meet(positions: list[list[int]], slop: int, mindist: int, ordered: bool) -> bool:
    """Whoosh's SpanNear2 test (spans._get_spans) on (start, end) pairs: the
    words follow one another, each within ``slop`` of the span so far. A
    word's span is its one position."""
    aspans = [(p, p) for p in positions[0]]
    for following in positions[1:]:
        if not aspans:
            return False
        spans = set()
        for astart, aend in aspans:
            j = bisect_left(following, astart if ordered else max(0, astart - slop))
            while j < len(following):
                b = following[j]
                j += 1
                if b < astart - slop or (ordered and astart > b):
                    continue
                if b > aend + slop:
                    break
                dist = 0 if astart <= b <= aend else (b - aend if aend < b else astart - b)
                if mindist <= dist <= slop:
                    spans.add((min(astart, b), max(aend, b)))
        aspans = sorted(spans)
    return bool(aspans)


_EVALUATORS: dict[type, Callable[[Any], Scores]] = {
    W3LeafMatcher: _w3_leaf,
    mcore.ListMatcher: _list_leaf,
    mcore.NullMatcherClass: _null,  # (Whoosh's NullMatcher is its instance)
    wrappers.WrappingMatcher: _wrapping,
    wrappers.FilterMatcher: _filter,
    wrappers.InverseMatcher: _inverse,
    binary.UnionMatcher: _union,
    binary.IntersectionMatcher: _intersection,
    combo.ArrayUnionMatcher: _array_union,
    SpanNear2.SpanNear2Matcher: _phrase,
}
