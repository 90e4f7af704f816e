"""The words of an index field, held once per index generation, for fuzzy terms.

Whoosh answers ``word~2`` by comparing the field's
sorted terms in Python: 70 ms for one word on Reuters' 41,000 body stems.
The words that share the typed word's first letter (which a fuzzy term keeps,
as Whoosh's ``prefix=1`` does) are instead listed once per searcher generation and
compared in C with RapidFuzz's optimal-string-alignment distance (an adjacent
swap is one edit, the Damerau-Levenshtein distance Whoosh documents for
``terms_within``): a few milliseconds.
"""

from __future__ import annotations

import weakref
from typing import Any

from reader.search.whoosh.readers import segment_readers

# Top-level reader -> (field, first letter) -> sorted words. A refreshed searcher
# has a new reader, so a changed index is listed again; a dropped one is forgotten.
_WORDS: "weakref.WeakKeyDictionary[Any, dict[tuple[str, str], list[str]]]" = weakref.WeakKeyDictionary()


def words_starting(reader: Any, fieldname: str, letter: str) -> list[str]:
    """The field's words that begin with ``letter``, listed once per reader
    (only that letter's share of the lexicon is read: 10-20 ms, not 250)."""
    groups = _WORDS.get(reader)
    if groups is None:
        groups = {}
        try:
            _WORDS[reader] = groups
        except TypeError:  # not weakly referenceable: answer without keeping
            pass
    words = groups.get((fieldname, letter))
    if words is None:
        found: set[str] = set()
        for leaf in segment_readers(reader):
            if fieldname in leaf.indexed_field_names():
                found.update(w.decode("utf-8") if isinstance(w, bytes) else w
                             for w in leaf.expand_prefix(fieldname, letter))
        words = groups[(fieldname, letter)] = sorted(found)
    return words


def _near(reader: Any, fieldname: str, word: str, maxdist: int) -> list[tuple[str, int]]:
    """(word, edits) for the field's words at most ``maxdist`` edits from
    ``word`` that share its first letter."""
    if not word:
        return []
    # Imported here: loading RapidFuzz's compiled module takes 70 ms, which the
    # reader's start need not wait for.
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    choices = words_starting(reader, fieldname, word[:1])
    found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=maxdist, limit=None)
    return [(match, int(distance)) for match, distance, _index in found]


def words_within(reader: Any, fieldname: str, word: str, maxdist: int) -> list[str]:
    """The field's words at most ``maxdist`` edits from ``word`` that share its
    first letter, in sorted order."""
    return sorted(match for match, _distance in _near(reader, fieldname, word, maxdist))


def closest_word(reader: Any, fieldname: str, word: str, maxdist: int = 2) -> str | None:
    """The field's word nearest to ``word`` (not ``word`` itself), for a
    did-you-mean: fewest edits first, then the most frequent, then A to Z."""
    ranked = sorted((distance, -reader.frequency(fieldname, match), match)
                    for match, distance in _near(reader, fieldname, word, maxdist) if match != word)
    return ranked[0][2] if ranked else None
