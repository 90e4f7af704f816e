"""From the tagger's spans to the reader's readings of names.

The tagger knows four kinds (PER, ORG, LOC, MISC); the reader knows six
(person, company, organization, place, product, event) and stricter rules
of what a name is. This module applies them:

* role words never enter a person's span ("President Ronald Reagan" gives
  "Ronald Reagan"); a span of two names joined by "and" is two names;
* an organisation is a company only with company evidence: a company ending
  (Inc, Corp, Group, Holdings...), a stock ticker, or a company word
  ("company", "shares", "stake", "merger"...) close by in its sentence;
  government bodies, central banks and international bodies stay
  organisations;
* a MISC span is an event when it reads as one ("World Artificial
  Intelligence Conference", "Olympics"), a product with product evidence
  ("its new Kirin 9000 chip", "GPT-4"), and nothing otherwise (nationalities,
  languages, ideas);
* acronyms such as AI, GPU or CEO are never names.

What needs the whole article (one kind per name, quoted slogans, headlines
in capitals or title case) is decided by ``reader.discovery``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from reader import discovery as D
from reader.tagger.base import LOC, MISC, ORG, PER, Span
from reader.tagger.lexicon import lexicon, name_or_place, zipf

PERSON, COMPANY, ORGANIZATION, PLACE, PRODUCT, EVENT = (
    "person", "company", "organization", "place", "product", "event",
)


@dataclass(frozen=True, slots=True)
class Reading:
    name: str
    kind: str
    start: int
    end: int


_EVENT_HEADS = frozenset(
    """
    conference forum summit expo exhibition festival games olympics olympiad cup championship
    championships open tournament congress convention fair week awards prize show biennale
    marathon grand prix series contest
    """.split()
)
# Words of a company's business near its name, in the same sentence.
_COMPANY_CONTEXT = re.compile(
    r"\b(?:company|companies|firm|shares?|stock|stake|merger|takeover|acquisition|acquire[sd]?|"
    r"subsidiary|unit|parent|shareholders?|dividend|earnings|profits?|revenues?|quarter|"
    r"chief executive|ceo|chipmaker|carmaker|automaker|startup|start-up|listed|nasdaq|nyse|"
    r"inc|corp|ltd|plc|products?|customers|brand)\b",
    re.IGNORECASE,
)
# Bodies that are never companies, whatever stands near them.
_PUBLIC_WORDS = frozenset(
    """
    ministry department government council commission committee agency authority reserve
    parliament congress senate assembly court union nations administration office bureau
    treasury police army navy party fund federation association organization organisation
    university institute academy board cabinet secretariat house league church
    """.split()
)
_PRODUCT_AFTER = re.compile(
    r"\s+(?:model|models|chip|chips|processor|phone|smartphone|handset|app|platform|software|"
    r"engine|device|car|vehicle|aircraft|jet|drug|vaccine|console|tablet|laptop|chatbot|series)\b"
)
_LAUNCH_BEFORE = re.compile(r"\b(?:launch(?:ed|es)?|unveil(?:ed|s)?|release[sd]?|introduc(?:ed|es))\s+(?:its|the|a|an|new|\s)*$")
_TICKER_AFTER = re.compile(r"\s*<[A-Z.]{1,6}>")
_JOIN = re.compile(r"\s+(?:and|&)\s+")
_IN_PLACE = re.compile(r"\s+(?:in|at)\s+(?=[A-Z])")


def readings(text: str, spans: Iterable[Span]) -> list[Reading]:
    out: list[Reading] = []
    for span in spans:
        for start, end in _split_and(text, span):
            reading = _reading(text, start, end, span.kind)
            if reading is not None:
                out.append(reading)
    return out


def _split_and(text: str, span: Span) -> list[tuple[int, int]]:
    """"Tesla and SpaceX" is two names; "Procter & Gamble" or "Securities
    and Exchange Commission" is one (an organisation's ending after "and",
    or a small word with "&")."""
    chunk = text[span.start : span.end]
    match = _JOIN.search(chunk)
    if match is None or span.kind not in (ORG, PER):
        return [(span.start, span.end)]
    left, right = chunk[: match.start()], chunk[match.end() :]
    lead = len(right) - len(right.removeprefix("the "))
    complete = len(left.split()) > 1 and D._org_kind(left.split()) is not None  # "World Bank and the Bank of England"
    if lead or complete:
        return [(span.start, span.start + len(left)), (span.start + match.end() + lead, span.end)]
    if "&" in match.group() or any(w.lower() in _CONNECTORS for w in (left + " " + right).split()):
        return [(span.start, span.end)]  # "Procter & Gamble", "Organisation for Security and Cooperation in Europe"
    if span.kind == ORG and D._org_kind(right.split()) and len(left.split()) == 1 and _zipf(left) >= _SPLIT_WORD:
        return [(span.start, span.end)]  # "Securities and Exchange Commission"; not "Tesla and ... Technologies"
    return [(span.start, span.start + len(left)), (span.start + match.end(), span.end)]


def _reading(text: str, start: int, end: int, tag: str) -> Reading | None:
    # "Bundesbank in Frankfurt": a name stops before "in" or "at" and a place.
    cut = _IN_PLACE.search(text, start, end)
    if cut is not None:
        left = text[start : cut.start()].split()
        if len(left) == 1 or D._org_kind(left) is not None:
            end = cut.start()
    start, end = _trim(text, start, end)
    words = text[start:end].split()
    # "The Conference": a leading article is not part of the name, nor is an
    # ordinary word capitalised because it starts the sentence ("Shares of Tesla").
    while len(words) > 1 and (
        words[0].lower() in ("the", "a", "an")
        or (_sentence_initial(text, start) and _plain_word(words[0]))
    ):
        start = text.index(words[1], start + len(words[0]))
        words.pop(0)
        while len(words) > 1 and words[0].lower() in _CONNECTORS:
            start = text.index(words[1], start + len(words[0]))
            words.pop(0)
    if not words or not _name_shaped(words) or any(c in text[start:end] for c in "()[]{}<>"):
        return None
    # "Mr Volcker", "President Reagan": a title of address makes a person,
    # whatever kind the tagger gave.
    if len(words) > 1 and words[0].lower().rstrip(".") in D.SINGLE_NAME_TITLES:
        tag = PER
    if tag == PER:
        # Role words never enter a person's span.
        while words and words[0].lower().rstrip(".") in D.TITLES:
            start = text.index(words[0], start) + len(words[0])
            words.pop(0)
        start, end = _trim(text, start, end)
        words = text[start:end].split()
        if not words or not all(
            D._is_name_word(w.rstrip(".")) or D._is_initial(w) or w.lower() in D.PARTICLES for w in words
        ):
            return None
        if len(words) == 1 and words[0].lower() in D.NON_PERSON_WORDS:
            return None
    lows = [w.lower().rstrip(".") for w in words]
    if len(words) == 1 and (
        lows[0] in D.NOT_ORG_ACRONYMS or lows[0] in D.LEAD_JUNK or lows[0] in D.PARTICLES or len(words[0]) < 2
    ):
        return None
    if all(w in D.LEAD_JUNK or w in D.GENERIC_WORDS for w in lows):
        return None
    if all(w in D.COMPANY_SUFFIXES or w in _CONNECTORS for w in lows):
        return None  # "Co Inc", "Corp": a company's suffixes without its name
    if len(words) == 1 and _table_label(text, start, end, words[0]):
        return None
    if tag != PER and _ordinary(text, start, words, tag):
        return None
    name = " ".join(words)
    if tag == PER:
        kind = PERSON
    elif tag == LOC:
        kind = PLACE
    elif tag == ORG:
        kind = _org_kind(text, start, end, words)
    else:
        kind = _misc_kind(text, start, end, words)
        if kind is None:
            return None
    return Reading(name, kind, start, end)


_CONNECTORS = frozenset("of and for the de del della la le du von van der on & in at y".split())
# Heads of a place's name; any other ordinary noun at the end makes the span
# a thing ("Shanghai Declaration", "High-Level Meeting"), not a place.
_PLACE_HEADS = frozenset(
    """
    street road avenue square park hall tower building airport station port bridge river lake
    sea ocean bay island islands mountain mountains valley hill city county district region
    province state states republic kingdom emirates coast gulf strait canal peninsula desert
    north south east west asia europe africa america valley heights beach harbour harbor
    """.split()
)
# What a title or a post is called: "Dr TMA Pai Fellow" is a post, not a body.
_POSTS = frozenset("fellow fellowship candidate scholar laureate professor chair".split())
# Ordinary words are those wordfreq gives at least this Zipf frequency.
_COMMON = 4.3
_VERY_COMMON = 5.0
_SPLIT_WORD = 3.9
_TERM_WORD = 3.8


# Nouns that head names but are no name alone.
_HEAD_NOUNS = (
    D.ORGANIZATION_SUFFIXES | D.COMPANY_SUFFIXES | D.TITLES | D.GENERIC_WORDS | _EVENT_HEADS | _PUBLIC_WORDS
    | frozenset("declaration resolution agreement treaty act law bill policy plan report index".split())
)


def _name_shaped(words: list[str]) -> bool:
    """A name starts and ends with a capitalised word (or figures, for a
    product) and has only small connecting words in lower case."""
    def capital(word: str) -> bool:
        return word[:1].isupper() or word[:1].isdigit()

    if not capital(words[0]) or not capital(words[-1]):
        return False
    return all(capital(w) or w.lower() in _CONNECTORS for w in words)


def _zipf(word: str) -> float:
    return zipf(word.lower().rstrip("."))


def _ordinary(text: str, start: int, words: list[str], tag: str) -> bool:
    """Ordinary words capitalised for their place, not names: "Reports" at the
    start of a sentence, "North" and "South" in "North–South cooperation",
    "Large Language Models", "AI Governance"."""
    lows = [w.lower().rstrip(".") for w in words]
    lex = lexicon()
    places = lex.places
    if len(words) == 1:
        word = lows[0]
        if word in places or word in D.PLACE_NAMES:
            return False  # a place, whatever the tagger calls it: never an ordinary word
        if word in _HEAD_NOUNS:
            return True  # "the Conference", "the Ministry": a noun, not a name
        if words[0].isupper() or not words[0][1:].islower():
            return False  # "OPEC", "SenseTime"
        freq = _zipf(word)
        if tag == PER and lex.last_names.get(word.upper(), 9) == 0 and not _sentence_initial(text, start):
            return False  # "Hill", "King" named as people
        if freq >= _VERY_COMMON and tag != ORG:
            return True
        if freq >= _COMMON and _sentence_initial(text, start):
            return True
        return tag == LOC and freq >= _COMMON
    if tuple(lows) in lex.place_phrases:
        return False
    if tag == LOC and lows[-1] in D.NON_PERSON_WORDS and lows[-1] not in _PLACE_HEADS:
        return True
    if tag == ORG and (lows[-1] in D.TITLES or lows[-1] in _POSTS):
        return True
    if any(w in D.COMPANY_SUFFIXES or w in D.ORGANIZATION_SUFFIXES or w in _PUBLIC_WORDS or w in _EVENT_HEADS for w in lows):
        return False
    # Every word ordinary and none a family name or a place: a term written
    # with capitals ("Large Language Models"), not "Real Madrid".
    content = [w for w in lows if w not in _CONNECTORS]
    if any(w in places for w in content):
        return False
    surnames = lexicon().last_names
    return all(
        w in D.NOT_ORG_ACRONYMS or (_zipf(w) >= _TERM_WORD and surnames.get(w.upper(), 9) > 0) for w in content
    )


def _table_label(text: str, start: int, end: int, word: str) -> bool:
    """The label of a row of figures ("Shr 1.20 dlrs vs 1.10", "Revs 45.6
    mln"): a short mixed-case word that starts its line, with figures after
    it on the line, and no name or place the lists know."""
    if len(word) > 5 or word.isupper() or name_or_place(word):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return False
    line_end = text.find("\n", end)
    rest = text[end: line_end if line_end >= 0 else len(text)]
    return any(c.isdigit() for c in rest[:40])


def _plain_word(word: str) -> bool:
    """An ordinary word that no name starts with: common, and not a first
    name, a family name, a place or a word of places ("New", "North")."""
    low = word.lower()
    return word[1:].islower() and _zipf(low) >= _COMMON and low not in D.PLACE_WORDS and not name_or_place(word)


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?\n:"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """No punctuation at either end, and no possessive."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    for tail in ("'s", "’s"):
        if text.endswith(tail, start, end):
            end -= 2
    return start, end


def _org_kind(text: str, start: int, end: int, words: list[str]) -> str:
    by_form = D._org_kind(words)
    if by_form is not None:
        return by_form
    lows = {w.lower() for w in words}
    if lows & _PUBLIC_WORDS:
        return ORGANIZATION
    if _TICKER_AFTER.match(text, end):
        return COMPANY
    left = text.rfind("\n\n", 0, start)
    window = text[max(start - 80, left + 1) : min(end + 80, len(text))]
    if _COMPANY_CONTEXT.search(window):
        return COMPANY
    # One word, written as a brand is ("Unilever", "Nvidia", not "NATO"), and
    # nothing public about it: a company more often than not.
    if len(words) == 1 and _brand_like(words[0]):
        return COMPANY
    return ORGANIZATION


def _brand_like(word: str) -> bool:
    """Not an acronym, a place, a people's name, a public body, or an
    ordinary word ("Standard", "Trade") that a tagger took for a name."""
    low = word.lower().rstrip(".")
    if word.isupper() or not word[:1].isupper() or low in _PUBLIC_SINGLE:
        return False
    if low in D.PLACE_NAMES or low in D.DEMONYMS or low in lexicon().places:
        return False
    return _zipf(low) < _COMMON


# Public bodies named by one word of their own.
_PUBLIC_SINGLE = frozenset(
    """
    fed bundesbank pentagon kremlin interpol europol greenpeace hamas hezbollah fatah taliban
    likud labour tories conservatives democrats republicans bundestag duma knesset eurostat
    """.split()
)


def _misc_kind(text: str, start: int, end: int, words: list[str]) -> str | None:
    lows = [w.lower() for w in words]
    if any(w in _EVENT_HEADS for w in lows) and len(words) > 1:
        return EVENT
    if len(words) == 1 and lows[0] in D.DEMONYMS:
        return None
    # Products: a model name with figures ("GPT-4", "Kirin 9000") or a product word close by.
    if any(any(c.isdigit() for c in w) and any(c.isalpha() for c in w) for w in words) or (
        len(words) > 1 and words[-1][:1].isdigit()
    ):
        return PRODUCT
    # Or a product word right after it ("the Kirin chip"), or a launch right before.
    if _PRODUCT_AFTER.match(text, end) or _LAUNCH_BEFORE.search(text, max(start - 30, 0), start):
        return PRODUCT
    return None
