"""Find the known entities in a text: (start, end, entity id) spans.

One Aho-Corasick automaton over every name and alias finds all candidates in
a single pass over the lower-cased text; the rules that make a candidate a
mention are then applied to each: whole words only (a possessive "'s" may
follow), longest match first, and a case check so that "apple" the fruit is not
Apple the company while all-caps headlines ("BAIDU PROFIT RISES") still match.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable

import ahocorasick

from reader.entities import Entity, EntityList, name_key


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    entity: str  # entity id

    def as_tuple(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.entity)


def fold(text: str) -> str:
    """Lower-case without changing the length (offsets must stay valid), with
    curly apostrophes and line breaks made plain so aliases match across them."""
    low = text.lower()
    if len(low) != len(text):  # a few characters (İ) grow when lower-cased
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.replace("’", "'").replace("\n", " ")


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def boundary_ok(text: str, start: int, end: int) -> bool:
    if start > 0 and is_word_char(text[start - 1]):
        return False
    if end < len(text) and is_word_char(text[end]):
        return False
    return True


def case_ok(found: str, name: str) -> bool:
    """The text spells the name in a way that means the name.

    Exact spelling always counts; an all-caps run (headlines, wire titles)
    counts when the name has capitals of its own; otherwise every word must
    start with the same case as in the name ("Sensetime" is SenseTime,
    "apple" is not Apple).
    """
    if found == name:
        return True
    if found.isupper() and any(c.isupper() for c in name):
        return True
    found_words = found.split()
    name_words = name.split()
    if len(found_words) != len(name_words):
        return False
    # An acronym keeps its capitals: "Us" at the start of a sentence is not the US.
    return all(
        f[:1].isupper() == n[:1].isupper() and (f.isupper() or not _is_acronym(n))
        for f, n in zip(found_words, name_words) if f and n
    )


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


class Matcher:
    """Matches the names of an entity list in texts. Build once, use for many."""

    def __init__(self, entities: Iterable[Entity], ignore: Iterable[str] = ()) -> None:
        self._automaton = ahocorasick.Automaton()
        ignored = {name_key(n) for n in ignore}
        self.entities: dict[str, Entity] = {}
        keys: dict[str, list[tuple[str, str]]] = {}
        for entity in entities:
            self.entities[entity.id] = entity
            for name in entity.names:
                key = fold(" ".join(name.split()))
                if len(key) < 2 or name_key(name) in ignored:
                    continue
                keys.setdefault(key, []).append((name, entity.id))
        for key, owners in keys.items():
            self._automaton.add_word(key, (len(key), tuple(owners)))
        self.empty = not keys
        if not self.empty:
            self._automaton.make_automaton()

    @classmethod
    def from_list(cls, entity_list: EntityList) -> "Matcher":
        return cls(entity_list, entity_list.ignore)

    def candidates(self, text: str, folded: str | None = None) -> list[Mention]:
        """Every acceptable match, before overlaps are resolved."""
        if self.empty or not text:
            return []
        folded = fold(text) if folded is None else folded
        found: list[Mention] = []
        for end_index, (length, owners) in self._automaton.iter(folded):
            end = end_index + 1
            start = end - length
            if not boundary_ok(folded, start, end):
                continue
            surface = " ".join(text[start:end].replace("’", "'").split())
            for name, entity_id in owners:
                if case_ok(surface, " ".join(name.replace("’", "'").split())):
                    found.append(Mention(start, end, entity_id))
                    break
        return found

    def match(self, text: str) -> list[Mention]:
        """Non-overlapping mentions in text order; at any place the longest wins."""
        return longest_first(self.candidates(text))


def longest_first(mentions: Iterable[Mention]) -> list[Mention]:
    """Resolve overlaps: longer spans win, then earlier ones.

    The spans taken so far never overlap, so kept sorted by start they are
    sorted by end too, and the two neighbours of a new span tell whether it
    overlaps any of them (comparing it with every taken span made this
    quadratic: about a minute for the mentions of a 1 MB article)."""
    chosen: list[Mention] = []
    starts: list[int] = []
    ends: list[int] = []
    odd: list[tuple[int, int]] = []  # empty spans (never found in real text), checked one by one
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        start, end = mention.start, mention.end
        if end <= start:  # sorted after every real span
            if any(start < e and s < end for s, e in [*zip(starts, ends), *odd]):
                continue
            odd.append((start, end))
            chosen.append(mention)
            continue
        i = bisect_right(starts, start)
        if (i and ends[i - 1] > start) or (i < len(starts) and starts[i] < end):
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        chosen.append(mention)
    chosen.sort(key=lambda m: m.start)
    return chosen
