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

from reader.tagger.lexicon import frequency_band, lexicon
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
    for suffix in W.SUFFIXES:
        if len(key) > len(suffix) + 2 and key.endswith(suffix):
            out.append(f"sfx={suffix}")
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


# A neighbour is described by a few of its word features only.
_CONTEXT_KEYS = ("ss=", "c=", "w=", "cl=", "f=", "fn=", "ln=", "pl=", "p=")


@functools.lru_cache(maxsize=200_000)
def _context_features(word: str, offset: int) -> tuple[str, ...]:
    prefix = f"{offset:+d}:"
    return tuple(prefix + f for f in word_features(word) if f.startswith(_CONTEXT_KEYS))


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
    letters = [w for w in sent if any(c.isalpha() for c in w)]
    return len(letters) >= 2 and all(w.upper() == w for w in letters)


def _table_line(sent: Sequence[str]) -> bool:
    figures = sum(1 for w in sent if _FIGURE.match(w))
    return figures >= 2 and figures * 3 >= len(sent)


def sentence_features(sent: Sequence[str], doc: DocumentView) -> list[list[str]]:
    """The feature lists of one sentence's tokens."""
    n = len(sent)
    line = []
    if _all_caps(sent):
        line.append("line=caps")
    if _table_line(sent):
        line.append("line=table")
    if n <= 4:
        line.append("line=short")
    gazetteer = _place_phrases(sent)
    out = []
    for i, word in enumerate(sent):
        feats = list(word_features(word))
        feats.extend(line)
        if i == 0:
            feats.append("first")
        elif i == 1:
            feats.append("second")
        if i == n - 1:
            feats.append("last")
        if gazetteer[i]:
            feats.append(gazetteer[i])
        if word[:1].isalpha() and not word.islower():
            low = word.lower()
            if low in doc.lower:
                feats.append("doc=lower")
            if low in doc.mid_cap:
                feats.append("doc=midcap")
            if word.isupper() and low in doc.titled:
                feats.append("doc=titled")
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                feats.extend(_context_features(sent[j], off))
            else:
                feats.append(f"{off:+d}:edge")
        # Two conjunctions that carry much: the word before with this case,
        # and this case with the case after ("of" + title, title + "said").
        prev = sent[i - 1].lower() if i else "^"
        feats.append(f"pw|c={prev if prev in W.CLOSED else '?'}|{case_class(word)}")
        if i + 1 < n:
            nxt = sent[i + 1].lower().rstrip(".")
            feats.append(f"c|nw={case_class(word)}|{nxt if nxt in W.CLOSED else '?'}")
        out.append(feats)
    return out


def _place_phrases(sent: Sequence[str]) -> list[str]:
    """Marks the tokens inside a many-word place of the public lists
    ("Saudi Arabia", "New York"), begin and inside."""
    lex = lexicon()
    marks = [""] * len(sent)
    lowered = [w.lower() for w in sent]
    i = 0
    while i < len(sent):
        if not sent[i][:1].isupper():
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
