"""Fixes to bugs of Whoosh 2.7.4 (the version the project pins), applied when
the index module is imported.

Whoosh's NOT (``InverseMatcher``) skips deleted documents, except one just
after the last document its child matched: once the child has no postings
left it stops looking, so that deleted document is counted and can be a hit
(an article's old version, after the article changed), and a NOT over other
NOTs can match documents it should not. The fix skips deleted documents
always; everything else it does as before."""

from __future__ import annotations

from typing import Any

from whoosh.matching import wrappers


def _inverse_find_next(self: Any) -> None:
    """Move to the first document at or after the current one that is
    neither deleted nor matched by the child."""
    child, missing = self.child, self.missing
    while self._id < self.limit:
        if missing(self._id):
            self._id += 1
        elif child.is_active() and child.id() < self._id:
            child.skip_to(self._id)
        elif child.is_active() and child.id() == self._id:
            self._id += 1
            child.next()
        else:
            return


WHOOSH_INVERSE_FIND_NEXT = wrappers.InverseMatcher._find_next
wrappers.InverseMatcher._find_next = _inverse_find_next
