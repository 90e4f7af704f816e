"""Shared passages: sentences that two or more articles share verbatim or
nearly (punctuation, quotes and small edits aside), merged into passages,
and articles that are near duplicates of each other as a whole.

Candidates come from MinHash signatures over word shingles and
locality-sensitive hashing (datasketch), so finding what a new article shares
costs a few look-ups, not a comparison with every other article. Each
candidate is then verified on its words (difflib), so a sentence that merely
has a common phrase in it ("said on Tuesday") is never reported.

The finder is incremental: ``add`` hashes one article and looks it up,
``remove`` takes one out; the state pickles, so a cache keeps it between runs
(reader.passage_cache)."""

from __future__ import annotations

import copy
import difflib
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from datasketch import MinHash
# numpy and datasketch (which loads scipy) are imported where they are used:
# together they cost a command 0.4 s to load, and most commands never compare passages.

FORMAT = 2  # bump when the state or what it means changes: a cache of another format is rebuilt
NUM_PERM = 32
SHINGLE_WORDS = 3
# A sentence of fewer words is not compared: short lines ("Reuter", "Shr 10
# cts") and stock phrases are shared by articles that share nothing else.
MIN_SENTENCE_WORDS = 7
SENTENCE_THRESHOLD = 0.5  # shingle Jaccard the LSH aims to catch
SENTENCE_SIMILARITY = 0.8  # word-level ratio a candidate must reach to count as shared
# A sentence that many other articles carry is boilerplate (a wire service's
# standard line): the first matches are kept, later ones are not looked for.
MAX_SENTENCE_MATCHES = 50
MAX_CANDIDATES = 200  # candidates verified per sentence, for the same reason
MIN_ARTICLE_WORDS = 20
ARTICLE_THRESHOLD = 0.7
DUPLICATE_SIMILARITY = 0.8  # Jaccard of the articles' shingle sets

# A sentence ends at . ! ? … (with closing quotes or brackets after it) before
# white space, and at every line break: paragraphs, list items and table rows
# are units of their own.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?=\s)|\n")
_WORD = re.compile(r"\w+")
# Apostrophes join a word ("don't", "China’s"): removed before words are cut,
# so a straight and a curly one read the same.
_APOSTROPHES = re.compile(r"(?<=\w)['’ʼ`](?=\w)")


def sentence_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``body``, white space trimmed."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(body):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(body)))
    out = []
    for a, b in spans:
        while a < b and body[a].isspace():
            a += 1
        while b > a and body[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def normal_words(text: str) -> list[str]:
    """The words of ``text`` in lower case, without punctuation or quotes."""
    return _WORD.findall(_APOSTROPHES.sub("", text.lower()))


def shingles(words: list[str], size: int = SHINGLE_WORDS) -> list[bytes]:
    if len(words) < size:
        return [" ".join(words).encode("utf-8")] if words else []
    return list({" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)})


def _hashed(value: int) -> int:
    """The MinHashes' hash function: shingles are hashed once, with crc32 (a
    stable 32-bit hash; Python's own ``hash`` changes between processes), and
    the numbers serve both the sentence's and the article's signature."""
    return value


def _band_key(data: bytes) -> int:
    """A band of a signature as a 32-bit number: the tables keep it instead
    of the band's 16 bytes (a rare collision only adds a candidate, which the
    words then reject)."""
    return zlib.crc32(data)


def word_similarity(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass(frozen=True)
class Span:
    id: str
    start: int
    end: int

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "start": self.start, "end": self.end}


@dataclass
class Passage:
    """A run of sentences that two or more articles share: where it stands in
    each, its text (as the first article has it), and how alike the copies
    are (1.0 when the words are the same)."""

    spans: list[Span]
    text: str
    similarity: float

    @property
    def ids(self) -> list[str]:
        return [s.id for s in self.spans]

    def span_in(self, article_id: str) -> Span | None:
        return next((s for s in self.spans if s.id == article_id), None)

    def as_dict(self) -> dict[str, object]:
        return {"articles": [s.as_dict() for s in self.spans], "text": self.text,
                "similarity": round(self.similarity, 3)}


@dataclass(frozen=True)
class SharingArticle:
    """Another article that shares passages with the one shown."""

    id: str
    title: str
    passages: int
    duplicate: bool  # a near duplicate of it as a whole


@dataclass
class _Entry:
    """What the finder keeps of one article: compact, since a cache holds it
    for every article of the corpus."""

    id: str
    fingerprint: tuple[object, ...]  # what the caller uses to tell a changed article (mtime, size)
    spans: list[tuple[int, int]]  # of the sentences compared
    words: list[str]  # each sentence's words, joined by spaces
    shingles: np.ndarray  # sorted 32-bit hashes of the article's shingles (duplicate check)
    whole: bool  # long enough to be compared as a whole


def _template() -> MinHash:
    """One MinHash whose permutations every signature copies (making them
    is the slow part of a new MinHash)."""
    global _TEMPLATE
    if _TEMPLATE is None:
        from datasketch import MinHash

        _TEMPLATE = MinHash(num_perm=NUM_PERM, hashfunc=_hashed)
    return _TEMPLATE


_TEMPLATE: MinHash | None = None


def _signature(items: list[int]) -> MinHash:
    signature = _template().copy()
    signature.update_batch(items)
    return signature


@dataclass
class PassageFinder:
    """The shared sentences and near-duplicate articles of a corpus, kept up
    to date one article at a time."""

    entries: dict[str, _Entry] = field(default_factory=dict)
    # (id, id) in sorted order -> [(sentence in the first, sentence in the second, similarity)]
    matches: dict[tuple[str, str], list[tuple[int, int, float]]] = field(default_factory=dict)
    duplicates: dict[tuple[str, str], float] = field(default_factory=dict)
    partners: dict[str, set[str]] = field(default_factory=dict)
    format: int = FORMAT

    def __post_init__(self) -> None:
        from datasketch import MinHashLSH

        self.sentence_lsh = MinHashLSH(threshold=SENTENCE_THRESHOLD, num_perm=NUM_PERM, hashfunc=_band_key)
        self.article_lsh = MinHashLSH(threshold=ARTICLE_THRESHOLD, num_perm=NUM_PERM, hashfunc=_band_key)

    # The sentence table's buckets are not pickled: unpickling a set per
    # bucket took five seconds on Reuters, while refilling them from the
    # bands each key keeps (its ``keys`` storage) takes under one.
    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        lsh = copy.copy(self.sentence_lsh)
        lsh.hashtables = []
        state["sentence_lsh"] = lsh
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        lsh = self.sentence_lsh
        from datasketch.storage import unordered_storage

        lsh.hashtables = [unordered_storage({"type": "dict"}) for _ in range(lsh.b)]
        for key in lsh.keys.keys():
            for band, table in zip(lsh.keys.get(key), lsh.hashtables):
                table.insert(band, key)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self.entries

    def fingerprint(self, article_id: str) -> tuple[object, ...] | None:
        entry = self.entries.get(article_id)
        return entry.fingerprint if entry else None

    # --- changes ---------------------------------------------------------------------

    def add(self, article_id: str, body: str, fingerprint: tuple[object, ...] = ()) -> None:
        """Hash one article, find what it shares with those already added, and
        add it (an article of that id is replaced)."""
        if article_id in self.entries:
            self.remove(article_id)
        sentence_lsh, article_lsh = self.sentence_lsh, self.article_lsh
        spans, words, signatures = [], [], []
        article_shingles: set[int] = set()
        word_count = 0
        crc32 = zlib.crc32
        for start, end in sentence_spans(body):
            sentence_words = normal_words(body[start:end])
            word_count += len(sentence_words)
            sentence_shingles = [crc32(shingle) for shingle in shingles(sentence_words)]
            article_shingles.update(sentence_shingles)
            if len(sentence_words) >= MIN_SENTENCE_WORDS:
                spans.append((start, end))
                words.append(sentence_words)
                signatures.append(_signature(sentence_shingles))
        import numpy as np

        hashes = np.array(sorted(article_shingles), dtype=np.uint32)
        whole = _signature(list(article_shingles)) if word_count >= MIN_ARTICLE_WORDS else None
        entry = _Entry(article_id, tuple(fingerprint), spans, [" ".join(w) for w in words], hashes,
                       whole is not None)
        self.entries[article_id] = entry
        with sentence_lsh.insertion_session() as session:
            for number, signature in enumerate(signatures):
                self._match_sentence(entry, number, words[number], signature)
                session.insert((article_id, number), signature, check_duplication=False)
        if whole is not None:
            for other in article_lsh.query(whole):
                similarity = _jaccard(hashes, self.entries[other].shingles)
                if similarity >= DUPLICATE_SIMILARITY:
                    self.duplicates[_pair(article_id, other)] = similarity
            article_lsh.insert(article_id, whole, check_duplication=False)

    def _match_sentence(self, entry: _Entry, number: int, words: list[str], signature: MinHash) -> None:
        sentence_lsh = self.sentence_lsh
        found = 0
        joined = entry.words[number]
        for checked, (other_id, other_number) in enumerate(sentence_lsh.query(signature)):
            if other_id == entry.id:
                continue  # a sentence an article repeats is not shared
            if checked >= MAX_CANDIDATES or found >= MAX_SENTENCE_MATCHES:
                break
            other_words = self.entries[other_id].words[other_number]
            if other_words == joined:
                similarity = 1.0
            else:
                similarity = word_similarity(words, other_words.split(" "))
                if similarity < SENTENCE_SIMILARITY:
                    continue
            pair = _pair(entry.id, other_id)
            match = (number, other_number, similarity) if pair[0] == entry.id else (other_number, number, similarity)
            self.matches.setdefault(pair, []).append(match)
            self.partners.setdefault(entry.id, set()).add(other_id)
            self.partners.setdefault(other_id, set()).add(entry.id)
            found += 1

    def remove(self, article_id: str) -> None:
        entry = self.entries.get(article_id)
        if entry is None:
            return
        sentence_lsh, article_lsh = self.sentence_lsh, self.article_lsh
        del self.entries[article_id]
        for number in range(len(entry.spans)):
            sentence_lsh.remove((article_id, number))
        if entry.whole:
            article_lsh.remove(article_id)
        for other in self.partners.pop(article_id, set()):
            self.matches.pop(_pair(article_id, other), None)
            self.partners.get(other, set()).discard(article_id)
        for pair in [p for p in self.duplicates if article_id in p]:
            del self.duplicates[pair]

    # --- answers ---------------------------------------------------------------------

    def sharing(self, article_id: str) -> list[str]:
        """The other articles that share a passage with this one."""
        return sorted(self.partners.get(article_id, ()))

    def passages(self, article_id: str | None = None, body_of: Callable[[str], str] | None = None) -> list[Passage]:
        """Every shared passage, or those of one article; a passage that three
        or more articles share at the same place is one passage. ``body_of``
        gives an article's text for the passages' ``text`` (the finder does
        not keep the articles' text); without it, the normalised words."""
        if article_id is None:
            pairs: Iterable[tuple[str, str]] = self.matches
        else:
            pairs = (_pair(article_id, other) for other in self.sharing(article_id))
        found: list[tuple[Span, Span, float]] = []
        for pair in pairs:
            found.extend(self._pair_passages(pair))
        return _group(found, self.entries, article_id, body_of)

    def _pair_passages(self, pair: tuple[str, str]) -> list[tuple[Span, Span, float]]:
        """Adjacent shared sentences of two articles merged into runs."""
        a, b = self.entries[pair[0]], self.entries[pair[1]]
        runs: list[list[tuple[int, int, float]]] = []
        for i, j, sim in sorted(self.matches.get(pair, [])):
            last = runs[-1][-1] if runs else None
            if last is not None and i == last[0] + 1 and j == last[1] + 1:
                runs[-1].append((i, j, sim))
            elif last is not None and i == last[0]:
                continue  # one sentence matching two of the other: the first is kept
            else:
                runs.append([(i, j, sim)])
        out = []
        for run in runs:
            weights = [len(a.words[i]) for i, _j, _s in run]
            similarity = sum(w * s for w, (_i, _j, s) in zip(weights, run)) / sum(weights)
            out.append((Span(a.id, a.spans[run[0][0]][0], a.spans[run[-1][0]][1]),
                        Span(b.id, b.spans[run[0][1]][0], b.spans[run[-1][1]][1]), similarity))
        return out

    def duplicate_pairs(self, article_id: str | None = None) -> list[tuple[str, str, float]]:
        pairs = [(a, b, s) for (a, b), s in self.duplicates.items() if article_id in (None, a, b)]
        return sorted(pairs)

    def duplicate_ids(self) -> set[str]:
        return {article_id for pair in self.duplicates for article_id in pair}


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if not len(a) or not len(b):
        return 0.0
    import numpy as np

    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def _group(found: list[tuple[Span, Span, float]], entries: dict[str, _Entry], first: str | None,
           body_of: Callable[[str], str] | None) -> list[Passage]:
    """Pairs of spans joined where they share a span: the copies of one
    passage in three articles are one passage with three spans."""
    parent: dict[Span, Span] = {}

    def root(span: Span) -> Span:
        while parent.setdefault(span, span) != span:
            parent[span] = parent[parent[span]]
            span = parent[span]
        return span

    for a, b, _sim in found:
        parent[root(a)] = root(b)
    groups: dict[Span, list[tuple[Span, Span, float]]] = defaultdict(list)
    for item in found:
        groups[root(item[0])].append(item)
    passages = []
    for items in groups.values():
        spans = sorted({s for a, b, _ in items for s in (a, b)}, key=lambda s: (s.id != first, s.id, s.start))
        similarity = min(sim for _a, _b, sim in items)
        head = spans[0]
        if body_of is not None:
            text = body_of(head.id)[head.start : head.end]
        else:
            entry = entries[head.id]
            text = " ".join(w for (start, end), w in zip(entry.spans, entry.words)
                            if start >= head.start and end <= head.end)
        passages.append(Passage(spans, text, similarity))
    passages.sort(key=lambda p: (p.spans[0].id, p.spans[0].start, p.spans[-1].id))
    return passages
