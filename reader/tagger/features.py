"""Delexicalised features for the name tagger.

No feature names a word of running text. A token is described by its shape
("Xxxx", "X.X."), its case, its length, where it stands, the line it is on
(all capitals, a table of figures), public word lists (word frequency, census
first and last names, places; see ``lexicon``), and the reader's own closed
lists (function words, titles and roles, company and organisation endings,
months, demonyms). Only words of those closed lists appear by name. So the
model trained on these features holds no word of its training text.

Word features depend on the word alone and are computed once per distinct
word; the sentence and document features are added per token.
"""

from __future__ import annotations

import functools
import re
from typing import Sequence

from reader.tagger.lexicon import frequency_band, lexicon, name_or_place
from reader.tagger import wordlists as W

_SHAPE_MAP = {}


def _char_class(c: str) -> str:
    if c.isupper():
        return "X"
    if c.islower():
        return "x"
    if c.isdigit():
        return "d"
    if c.isalpha():  # letters without case (CJK)
        return "o"
    return c if c in ".,-'&/%:$()\"" else "*"


@functools.lru_cache(maxsize=65_536)
def shape(word: str) -> str:
    """"Volcker" -> "Xxxxxxx" cut to 8 signs; "U.S." -> "X.X."."""
    return "".join(_char_class(c) for c in word[:8])


@functools.lru_cache(maxsize=65_536)
def short_shape(word: str) -> str:
    """The shape with repeats folded: "Volcker" -> "Xx", "1,500" -> "d,d"."""
    out = []
    for c in word:
        k = _char_class(c)
        if not out or out[-1] != k:
            out.append(k)
    return "".join(out)


@functools.lru_cache(maxsize=200_000)
def case_class(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return "digit" if any(c.isdigit() for c in word) else "punct"
    if all(c.isupper() for c in letters):
        return "upper" if len(letters) > 1 else "single"
    if all(c.islower() for c in letters):
        return "lower"
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return "title"
    return "mixed"  # "SenseTime", "iPhone", "McDonald"


def _length_band(n: int) -> str:
    return "1" if n == 1 else "2" if n == 2 else "3" if n == 3 else "4-5" if n <= 5 else "6-8" if n <= 8 else "9+"


@functools.lru_cache(maxsize=200_000)
def word_features(word: str) -> tuple[str, ...]:
    """Everything about a token that its word alone decides."""
    lower = word.lower()
    key = lower.rstrip(".")
    lex = lexicon()
    cls = case_class(word)
    out = [f"s={shape(word)}", f"ss={short_shape(word)}", f"c={cls}", f"len={_length_band(len(word))}"]
    if cls == "punct":
        out.append(f"p={word[:1]}")
        return tuple(out)
    if key in W.CLOSED:
        out.append(f"w={key}")
    for name, words in W.CLASSES:
        if key in words:
            out.append(f"cl={name}")
    if any(c.isalpha() for c in word):
        out.append(f"f={frequency_band(lower)}")
    upper = key.upper().replace("’", "'")
    if upper in lex.first_names:
        out.append(f"fn={lex.first_names[upper]}")
    if upper in lex.last_names:
        out.append(f"ln={lex.last_names[upper]}")
    if key in lex.places:
        out.append(f"pl={lex.places[key]}")
    for size in _SUFFIX_SIZES:  # the longest ending of the list that the word has
        if len(key) > size + 2 and key[-size:] in _SUFFIX_SET:
            out.append(f"sfx={key[-size:]}")
            break
    if "-" in word:
        out.append("hyphen")
        head, _, tail = key.rpartition("-")
        if tail in W.COMPOUND_TAILS:
            out.append("compound")  # "Shanghai-based"
    if "'" in word or "’" in word:
        out.append("apostrophe")
    if word.endswith(".") and len(word) > 1:
        out.append("dot")
    if any(c.isdigit() for c in word):
        out.append("has_digit")
    return tuple(out)


_SUFFIX_SET = frozenset(W.SUFFIXES)
_SUFFIX_SIZES = sorted({len(s) for s in W.SUFFIXES}, reverse=True)

# A neighbour is described by a few of its word features only; the words
# two away by fewer still.
_CONTEXT_KEYS = ("ss=", "c=", "w=", "cl=", "f=", "fn=", "ln=", "pl=", "p=")
_FAR_CONTEXT_KEYS = ("c=", "w=", "p=")


@functools.lru_cache(maxsize=200_000)
def _context_features(word: str, offset: int) -> tuple[str, ...]:
    prefix = f"{offset:+d}:"
    keys = _CONTEXT_KEYS if abs(offset) == 1 else _FAR_CONTEXT_KEYS
    return tuple(prefix + f for f in word_features(word) if f.startswith(keys))


@functools.lru_cache(maxsize=65_536)
def _plain_first(word: str) -> bool:
    """A sentence's first word that is no name: a closed-list word, or a
    common word that is neither a census name nor a place."""
    low = word.lower()
    if low in W.CLOSED or not word[:1].isupper():
        return True
    return word[1:].islower() and frequency_band(low) >= 5 and not name_or_place(word)


def may_hold_a_name(sent: Sequence[str]) -> bool:
    """Whether a sentence is worth tagging: it has a capitalised word past its
    first, or a first word that may be a name. About half of the sentences of
    wire copy have neither ("He said the rate would fall."), and their tags are
    all O."""
    if not sent:
        return False
    return not _plain_first(sent[0]) or any(w[:1].isupper() for w in sent[1:])


@functools.lru_cache(maxsize=200_000)
def _contexts(word: str) -> tuple[tuple[str, ...], ...]:
    """The word as seen from two before, one before, one after, two after."""
    return tuple(_context_features(word, off) for off in (-2, -1, 1, 2))


class DocumentView:
    """What a whole article says about its words: which are also written in
    lower case, which stand capitalised mid-sentence, which in title case."""

    def __init__(self, sentences: Sequence[Sequence[str]]) -> None:
        lower: set[str] = set()
        mid_cap: set[str] = set()
        titled: set[str] = set()
        for sent in sentences:
            caps_line = _all_caps(sent)
            for i, word in enumerate(sent):
                if not word[:1].isalpha():
                    continue
                if word.islower():
                    lower.add(word)
                elif not caps_line and word[:1].isupper():
                    if not word.isupper():
                        titled.add(word.lower())
                    if i > 0 and sent[i - 1] not in _OPENERS:
                        mid_cap.add(word.lower())
        self.lower = lower
        self.mid_cap = mid_cap
        self.titled = titled


_OPENERS = frozenset(("\"", "“", "'", "‘", "(", "-", ":", "--"))
_FIGURE = re.compile(r"^[\d.,:/%+-]+$")


def _all_caps(sent: Sequence[str]) -> bool:
    letters = [w for w in sent if case_class(w) not in ("digit", "punct")]
    return len(letters) >= 2 and all(w.isupper() for w in letters)


def _table_line(sent: Sequence[str]) -> bool:
    figures = sum(1 for w in sent if _FIGURE.match(w))
    return figures >= 2 and figures * 3 >= len(sent)


_EDGES = {off: (f"{off:+d}:edge",) for off in (-2, -1, 1, 2)}


@functools.lru_cache(maxsize=200_000)
def _closed(word: str) -> str:
    """The word itself when it is in the closed lists, else "?"."""
    low = word.lower().rstrip(".")
    return low if low in W.CLOSED else "?"


_PAIRS: dict[tuple[str, str, str], tuple[str, ...]] = {}


def _pair(before: str, case: str, after: str) -> tuple[str, ...]:
    """Two conjunctions that carry much: the word before with this case, and
    this case with the word after ("of" + title, title + "said"). ``before``
    and ``after`` are closed-list words, "?", or "" at the sentence's edge."""
    key = (before, case, after)
    found = _PAIRS.get(key)
    if found is None:
        first = f"pw|c={before or '^'}|{case}"
        found = _PAIRS[key] = (first, f"c|nw={case}|{after}") if after else (first,)
    return found


def sentence_features(sent: Sequence[str], doc: DocumentView) -> list[list[str]]:
    """The feature lists of one sentence's tokens. Everything that depends on
    a word alone, or on a word and its neighbour, is cached; a token's list is
    then a few joined tuples."""
    n = len(sent)
    line: list[str] = []
    if _all_caps(sent):
        line.append("line=caps")
    if _table_line(sent):
        line.append("line=table")
    if n <= 4:
        line.append("line=short")
    line_feats = tuple(line)
    gazetteer = _place_phrases(sent)
    lower, mid_cap, titled = doc.lower, doc.mid_cap, doc.titled
    # The context tuples of each position, looked up once: every token reads
    # its neighbours' four times.
    contexts = [_contexts(w) for w in sent]
    m2 = [c[0] for c in contexts]
    m1 = [c[1] for c in contexts]
    p1 = [c[2] for c in contexts]
    p2 = [c[3] for c in contexts]
    closed = ["", *(_closed(w) for w in sent), ""]
    out = []
    for i, word in enumerate(sent):
        extra = []
        if i == 0:
            extra.append("first")
        elif i == 1:
            extra.append("second")
        if i == n - 1:
            extra.append("last")
        if gazetteer[i]:
            extra.append(gazetteer[i])
        if word[:1].isalpha() and not word.islower():
            low = word.lower()
            if low in lower:
                extra.append("doc=lower")
            if low in mid_cap:
                extra.append("doc=midcap")
            if low in titled and word.isupper():
                extra.append("doc=titled")
        out.append(
            list(
                word_features(word)
                + line_feats
                + tuple(extra)
                + (m2[i - 2] if i >= 2 else _EDGES[-2])
                + (m1[i - 1] if i >= 1 else _EDGES[-1])
                + (p1[i + 1] if i + 1 < n else _EDGES[1])
                + (p2[i + 2] if i + 2 < n else _EDGES[2])
                + _pair(closed[i], case_class(word), closed[i + 2])
            )
        )
    return out


def _place_phrases(sent: Sequence[str]) -> list[str]:
    """Marks the tokens inside a many-word place of the public lists
    ("Saudi Arabia", "New York"), begin and inside."""
    lex = lexicon()
    marks = [""] * len(sent)
    starts = lex.phrase_starts
    if not any(w.lower() in starts for w in sent[:-1]):
        return marks
    lowered = [w.lower() for w in sent]
    i = 0
    while i < len(sent):
        if not sent[i][:1].isupper() or lowered[i] not in starts:
            i += 1
            continue
        found = 0
        for size in range(min(lex.longest_phrase, len(sent) - i), 1, -1):
            band = lex.place_phrases.get(tuple(lowered[i : i + size]))
            if band is not None:
                found = size
                marks[i] = f"gz=B{band}"
                for k in range(i + 1, i + size):
                    marks[k] = f"gz=I{band}"
                break
        i += found or 1
    return marks
