"""One entity per name across the corpus: a short form that an article uses
alone ("Volcker", "Huawei") is the one full name that other articles, or the
entity list, give it ("Paul Volcker", "Huawei Technologies").

Within one article the discovery rules already give a family name to the full
name the article uses. Across articles that needs the whole corpus, so the
index computes the links after each update (``compute_links``) from what every
article discovered, keeps them beside itself, and extraction applies them
(``apply_links``): the short form's mentions then carry the full name's id,
in the index and on screen alike.

A short form is linked only when exactly one full name claims it: where two
people share a family name, neither takes the other's mentions, and a word
that is a person's family name and a company's first word goes to neither.
"""

from __future__ import annotations

import functools
import os
import pickle
from pathlib import Path
from typing import Any, Iterable, Iterator

from reader.discovery import (
    COMPANY, LEGAL_FORMS, NON_PERSON_WORDS, ORGANIZATION, PERSON, PLACE_NAMES, _company_stem, family_name,
)
from reader.entities import DISCOVERED, DISCOVERED_PREFIX, Entity, EntityList
from reader.extraction import Extraction
from reader.matcher import Mention

# short discovered id -> (full name's id, its name, its kind)
Links = dict[str, tuple[str, str, str]]

_ORGS = (COMPANY, ORGANIZATION)


@functools.lru_cache(maxsize=65_536)
def _common_start(word: str) -> bool:
    from reader.tagger.lexicon import lexicon

    low = word.lower()
    return low in NON_PERSON_WORDS or low in PLACE_NAMES or low in lexicon().places


# (name, kind) -> what it claims: worked out once per name, and kept beside
# the index (``load_claims``/``save_claims``), because a new process computing
# the links of Reuters' 34,000 names spent 0.3 s on it before its first step.
_CLAIMS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
# Raised whenever what a name claims changes (the rules below, the word lists).
CLAIMS_VERSION = 1


def _claims(name: str, kind: str) -> tuple[tuple[str, str], ...]:
    key = (name, kind)
    found = _CLAIMS.get(key)
    if found is None:
        found = _CLAIMS[key] = _name_claims(name, kind)
    return found


def claims_signature() -> str:
    """What the kept claims depend on: these rules and the word lists' packages."""
    from reader.tagger.lexicon import cache_key

    return f"{CLAIMS_VERSION}-{cache_key()}"


def load_claims(path: Path) -> None:
    """Take in the claims kept at ``path``, if they were made by these rules;
    a missing or foreign file is only slower."""
    try:
        with open(path, "rb") as handle:
            signature, kept = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a cache: missing, torn or of another version
        return
    if signature == claims_signature() and isinstance(kept, dict):
        for key, value in kept.items():
            _CLAIMS.setdefault(key, value)


def save_claims(path: Path) -> None:
    """Keep the claims worked out so far (renamed into place, not synced)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            pickle.dump((claims_signature(), dict(_CLAIMS)), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def claims_count() -> int:
    return len(_CLAIMS)


def _name_claims(name: str, kind: str) -> tuple[tuple[str, str], ...]:
    """The short forms a full name claims: (word, kind group)."""
    words = name.split()
    if len(words) < 2 or all(w.isupper() for w in words if w[:1].isalpha()):
        return ()  # "IMF APPROVES": a headline's words, not a full name
    if kind == PERSON:
        family = family_name(name)
        return ((family, PERSON),) if family and family != name else ()
    if kind in _ORGS:
        out = {words[0]}
        stem = _company_stem(name)
        if stem and len(stem.split()) == 1:
            out.add(stem)
        bare = list(words)
        while len(bare) > 1 and bare[-1].lower().rstrip(".") in LEGAL_FORMS:
            bare.pop()
        if 1 < len(bare) < len(words):
            out.add(" ".join(bare))  # "McDonnell Douglas" is McDonnell Douglas Corp
        # "CCC" in one article, "Commodity Credit Corporation" in another; the
        # legal form may be in the initials or not ("GM", "General Motors Corp").
        # Two letters only from the name without its legal form: "Tesla Inc" is not "TI".
        acronyms = {a for a in _initials(words) if len(a) >= 3} | _initials(bare)
        # Not a word that starts many names ("First Boston", "New York Times"),
        # nor a place ("Ontario" is not the Ontario Securities Commission).
        words_claimed = [(w, "org") for w in sorted(out) if w[:1].isupper() and len(w) > 1 and not _common_start(w)]
        return tuple(words_claimed + [(a, "acronym") for a in sorted(acronyms - out) if not _common_start(a)])
    return ()


# What an article tells the links: (id, name, kind) of a name it discovered.
Entry = tuple[str, str, str]


def link_entries(fields: dict[str, Any]) -> Iterator[Entry]:
    """The names an article discovered, as its extraction found them before
    any link (its stored ``unlinked`` part, when links changed it): the links
    are a function of what the articles say, never of the links before them."""
    raw = fields.get("unlinked") or fields
    for entity_id, value in (raw.get("discovered") or {}).items():
        yield (entity_id, value[0], value[1])


class NameTally:
    """How many articles give each entry: what the links are computed from,
    kept up to date article by article, so that curating one name does not
    read every stored document of the corpus again."""

    def __init__(self, counts: dict[Entry, int] | None = None) -> None:
        self.counts: dict[Entry, int] = dict(counts or {})

    def add(self, fields: dict[str, Any], sign: int = 1) -> None:
        counts = self.counts
        for entry in link_entries(fields):
            n = counts.get(entry, 0) + sign
            if n > 0:
                counts[entry] = n
            else:
                counts.pop(entry, None)

    def entries(self) -> list[Entry]:
        # The most articles last: where articles read a name as different
        # kinds, the kind most of them give is the one kept. Ties go by the
        # entry itself, so the links are a function of the counts alone, not
        # of the order the articles were read in (a curated index and a
        # rebuilt one give the same).
        counts = self.counts
        return sorted(counts, key=lambda entry: (counts[entry], entry))

    def to_json(self) -> list[list[Any]]:
        return [[*entry, n] for entry, n in self.counts.items()]

    @classmethod
    def from_json(cls, rows: list[list[Any]]) -> "NameTally":
        return cls({(str(r[0]), str(r[1]), str(r[2])): int(r[3]) for r in rows})


_JOINING = frozenset(("of", "and", "for", "the", "&", "de", "du", "des", "la", "le", "del"))


def _initials(words: list[str]) -> set[str]:
    """The acronym a name of capitalised words gives: their first letters,
    the joining words ("of", "and") left out: "Commodity Credit Corporation"
    -> "CCC", "Bank of England" -> "BE" (which no text uses, so links nothing)."""
    if len(words) < 2 or any(not w[:1].isalpha() for w in words):
        return set()
    if any(not (w[:1].isupper() or w.lower() in _JOINING) for w in words):
        return set()
    main = "".join(w[0] for w in words if w.lower() not in _JOINING)
    return {main} if len(main) >= 2 else set()


def compute_links(stored: Iterable[dict[str, Any]], entity_list: EntityList) -> Links:
    """The links of a corpus, from every article's stored fields and the entity list."""
    return links_of((entry for fields in stored for entry in link_entries(fields)), entity_list)


def links_of(entries: Iterable[Entry], entity_list: EntityList) -> Links:
    """The links that the corpus's entries and the entity list give."""
    claimants: dict[tuple[str, str], set[str]] = {}
    names: dict[str, tuple[str, str]] = {}
    shorts: dict[str, tuple[str, str]] = {}

    def claim(entity_id: str, name: str, kind: str) -> None:
        for key in _claims(name, kind):
            claimants.setdefault(key, set()).add(entity_id)
        names[entity_id] = (name, kind)

    for entity in entity_list:
        if entity.kind == PERSON or entity.kind in _ORGS:
            for name in entity.names:
                claim(entity.id, name, entity.kind)
    longer: dict[str, tuple[str, str]] = {}  # many-word names that may be short forms
    for entity_id, name, kind in entries:
        if len(name.split()) > 1:
            claim(entity_id, name, kind)
            if kind in _ORGS:
                longer[entity_id] = (name, kind)
        elif (kind == PERSON or kind in _ORGS) and not _common_start(name):
            shorts[entity_id] = (name, kind)  # not "Houston": a place is not a short form
    # First the names that are another's without its legal form ("McDonnell
    # Douglas", "McDonnell Douglas Corp"), then single words, which may then
    # count the two as one owner.
    links: Links = {}
    for short_id, (name, _kind) in longer.items():
        owners = claimants.get((name, "org"), set()) - {short_id}
        if len(owners) == 1:
            (owner,) = owners
            links[short_id] = (owner, *names[owner])
    for short_id, (name, kind) in shorts.items():
        # A word alone is where a tagger most often mistakes the kind ("Volcker
        # said" read as an organisation), so every full name that claims the
        # word counts, person or organisation: it is linked to one, or to none.
        owners = claimants.get((name, PERSON), set()) | claimants.get((name, "org"), set())
        if not owners and kind in _ORGS:
            # An acronym goes to the one name it abbreviates, when no name
            # claims it as a word of its own ("IBM Corp" before "International
            # Business Machines").
            owners = claimants.get((name, "acronym"), set())
        owners = {links[o][0] if o in links else o for o in owners}
        if len(owners) == 1:
            (owner,) = owners
            if owner != short_id:
                links[short_id] = (owner, *names[owner])
    return links


def _renamed(discovered: dict[str, Entity], links: Links) -> tuple[
        dict[str, tuple[str, str, str]], dict[str, Entity], dict[str, tuple[str, str]]]:
    """Which of an article's discovered ids the links rename, and its
    discovered entities and linked short forms once they are renamed."""
    renamed = {entity_id: links[entity_id] for entity_id in discovered if entity_id in links}
    kept = {k: v for k, v in discovered.items() if k not in renamed}
    linked: dict[str, tuple[str, str]] = {}
    for short_id, (target, name, kind) in renamed.items():
        short = discovered[short_id]
        linked[short_id] = (short.name, short.kind)
        if target.startswith(DISCOVERED_PREFIX) and target not in kept:
            kept[target] = Entity(id=target, name=name, kind=kind, status=DISCOVERED,
                                  evidence=short.evidence, article=short.article)
    return renamed, kept, linked


def apply_links(extraction: Extraction, links: Links) -> Extraction:
    """The extraction with each linked short form's mentions given to its full name."""
    renamed, discovered, linked = _renamed(extraction.discovered, links)
    if not renamed:
        return extraction

    def rename(mentions: list[Mention]) -> list[Mention]:
        return [Mention(m.start, m.end, renamed[m.entity][0]) if m.entity in renamed else m for m in mentions]

    return Extraction(rename(extraction.mentions), discovered, rename(extraction.title_mentions),
                      {**extraction.linked, **linked}, extraction.tagged)


Counts = dict[str, tuple[int, int, int]]  # entity id -> (mentions, first start, first end): Extraction.counts()


def link_counts(counts: Counts, discovered: dict[str, Entity], links: Links) -> tuple[
        Counts, dict[str, Entity], dict[str, tuple[str, str]]]:
    """What ``apply_links`` then ``Extraction.counts`` give, from the counts of
    an extraction without links: the index rewrites an article whose links
    changed from what it stored, without reading the article again."""
    renamed, kept, linked = _renamed(discovered, links)
    if not renamed:
        return counts, discovered, {}
    out: Counts = {}
    for entity_id, (n, start, end) in counts.items():
        entity_id = renamed[entity_id][0] if entity_id in renamed else entity_id
        if entity_id not in out:
            out[entity_id] = (n, start, end)
            continue
        m, s, e = out[entity_id]
        # (0, 0): only the title names it; else the first mention in the body.
        first = (s, e) if (s, e) != (0, 0) and ((start, end) == (0, 0) or s <= start) else (start, end)
        out[entity_id] = (m + n, *first)
    return out, kept, linked
