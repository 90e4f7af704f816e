"""A query clause that matches a set of article ids: how ``is:unread``,
``tag:NAME`` and the other reading-state filters join a Whoosh query.

The set comes from outside the index (the state store), so it cannot be a
term of the index. It could be an OR of ``id:`` terms, but ``is:unread`` on a
large folder is thousands of terms, each a lexicon look-up and a matcher.
Instead every segment's ids are mapped to document numbers once (from the id
field's term infos, no postings read) and a set is a sorted list of numbers
handed to a ListMatcher, as reader.search.whoosh.datefilter does for dates.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any

from reader.search.whoosh.readers import DocnumsQuery, term_text

ID_FIELD = "id"

# Per segment reader: (live documents when built, id -> docnums).
_MAPS: "weakref.WeakKeyDictionary[Any, tuple[int, dict[str, list[int]]]]" = weakref.WeakKeyDictionary()


def id_docnums(reader: Any) -> dict[str, list[int]]:
    """A segment's live documents by article id."""
    live = reader.doc_count()
    cached = _MAPS.get(reader)
    if cached is not None and cached[0] == live:
        return cached[1]
    mapping: dict[str, list[int]] = {}
    deleted = reader.has_deletions()
    for text, info in reader.iter_field(ID_FIELD):
        first, last = info.min_id(), info.max_id()
        docnums = [first] if first == last else list(reader.postings(ID_FIELD, text).all_ids())
        if deleted:
            docnums = [d for d in docnums if not reader.is_deleted(d)]
        if docnums:
            mapping[term_text(text)] = docnums
    try:
        _MAPS[reader] = (live, mapping)
    except TypeError:  # a reader that cannot be weakly referenced is not cached
        pass
    return mapping


class IdSet(DocnumsQuery):
    """Documents whose article id is in ``ids`` (or, with ``negate``, is
    not), each scored ``boost``. ``label`` is how the clause was written."""

    def __init__(self, ids: Iterable[str], label: str, negate: bool = False, boost: float = 1.0) -> None:
        self.ids = frozenset(ids)
        self.label = label
        self.negate = negate
        self.boost = boost
        self.fieldname = ID_FIELD

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self) and self.ids == other.ids and self.negate == other.negate  # type: ignore[attr-defined]
                and self.boost == other.boost)  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self.ids, self.negate, self.boost))

    def __repr__(self) -> str:
        return f"IdSet({self.label!r}, {len(self.ids)} ids, negate={self.negate})"

    def __unicode__(self) -> str:
        return self.label

    __str__ = __unicode__

    def _docnums(self, reader: Any) -> list[int]:
        mapping = id_docnums(reader)
        if self.negate:
            found = [d for i, ds in mapping.items() if i not in self.ids for d in ds]
        else:
            found = [d for i in self.ids for d in mapping.get(i, ())]
        return sorted(found)


def ids_by_docnum(searcher: Any) -> dict[int, str]:
    """Every live document's article id, by its number in the searcher
    (segment offsets added)."""
    return {offset + d: article_id for sub, offset in searcher.leaf_searchers()
            for article_id, docnums in id_docnums(sub.reader()).items() for d in docnums}
