"""Figures stated in articles, and whether the articles that state the same
figure agree.

A claim is a number with what it counts ("more than 500 enterprises"), a
range of event dates ("4-6 July 2024", "4 days ending on 7th July") or a
duration ("three-day"). Claims are grouped by what they count, and a group
stated in two or more articles says whether its claims agree, allowing for
their qualifiers: "more than 500" agrees with "over 500" and "500+", not
with "more than 400".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

QUALIFIERS = ("more than", "over", "around", "about", "at least", "nearly", "up to", "almost",
              "less than", "fewer than")
ABOVE = {"more than", "over", "at least", "+"}
BELOW = {"up to", "less than", "fewer than", "nearly", "almost"}
APPROXIMATE = {"around", "about", "nearly", "almost"}
# How far apart two figures may be when one of them is approximate.
APPROXIMATE_SLACK = 0.1

# What this module finds is stored with each article: a change to its rules
# bumps reader.index.ANALYSIS_VERSION, so that indexes read their articles again.
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
                "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}
# With the wire services' abbreviations ("6.4 mln dlrs", "2.6 pct").
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mln": 1e6, "bln": 1e9}
TIME_UNITS = {"day": 1, "week": 7, "month": 30, "year": 365, "hour": 1 / 24}
MONTHS = {m: i + 1 for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))}
# Words that name the same kind of thing counted: news reports use them
# interchangeably for the businesses taking part in an event, so a count of
# one is a count of the others.
SAME_THING = {"enterprise": "company", "firm": "company", "business": "company",
              "dlr": "dollar", "cts": "cent"}  # the wire's "dlrs" and "cts"
# Words between a number and its noun that do not name what is counted.
SKIP_WORDS = {"new", "more", "other", "major", "big", "large", "small", "leading", "top", "key",
              "global", "local", "foreign", "domestic", "different", "various", "main"}
ADJECTIVE_ENDINGS = ("ed", "ing", "al", "ic", "ive", "ous", "ful", "able", "ible", "ish", "ary")
STOP_WORDS = {"of", "which", "and", "or", "the", "a", "an", "in", "to", "on", "at", "for", "by",
              "with", "from", "as", "is", "are", "was", "were", "that", "this", "it"}

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDS = "|".join(NUMBER_WORDS)
_MONTH = "(?P<month>" + "|".join(MONTHS) + ")"
_DASH = r"\s*[-–—]\s*"

DATE_RANGE = re.compile(
    r"\b(?P<d1>\d{1,2})(?:st|nd|rd|th)?" + _DASH + r"(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH
    + r"(?:,?\s+(?P<year>\d{4}))?\b", re.IGNORECASE)
DAYS_ENDING = re.compile(
    r"\b(?P<n>\d+|" + _WORDS + r")[\s-]+days?\s+(?:ending|ended|until|through|to)\s+(?:on\s+)?"
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?P<year>\d{4}))?\b",
    re.IGNORECASE)
DURATION = re.compile(
    r"\b(?P<n>\d+|" + _WORDS + r")-(?P<unit>" + "|".join(TIME_UNITS) + r")\b", re.IGNORECASE)
# The qualifier is looked for before a number found (QUALIFIER_BEFORE), not
# tried at every offset of the text: that made the pattern five times slower.
QUALIFIER_BEFORE = re.compile(r"(?:^|(?<=[^\w]))(?P<qual>" + "|".join(q.replace(" ", r"\s+") for q in QUALIFIERS)
                              + r")\s+$", re.IGNORECASE)
QUALIFIER_REACH = 16  # "fewer than " and some spaces
NUMBER = re.compile(
    r"(?<![\w.,$-])(?P<num>" + _DIGITS + r"|\b(?:" + _WORDS + r")(?=\s))"
    r"(?P<plus>\+)?(?:\s*(?P<scale>" + "|".join(SCALES) + r"))?"
    r"(?P<pct>\s*(?:per\s*cent|percent|pct\b|%))?", re.IGNORECASE)
WORD = re.compile(r"[“”\"'‘’(]*([A-Za-z][\w-]*)")


@dataclass
class Claim:
    """One figure in one article; ``start``/``end`` are offsets into its body."""

    article: str
    what: str
    text: str
    value: float
    qualifier: str
    start: int
    end: int
    high: float | None = None  # the top of a range ("400-500 companies")
    dates: str = ""  # a date range: "2024-07-04..2024-07-06" ("07-04..07-06" without a year)

    @property
    def low(self) -> float:
        return self.value

    @property
    def top(self) -> float:
        return self.value if self.high is None else self.high

    def pack(self) -> list:
        """The claim as the index stores it (the article is the document's)."""
        return [self.what, self.text, self.value, self.qualifier, self.start, self.end, self.high, self.dates]

    @classmethod
    def unpack(cls, article: str, row: list) -> "Claim":
        what, text, value, qualifier, start, end, high, dates = row
        return cls(article, what, text, value, qualifier, start, end, high, dates)

    def as_dict(self) -> dict:
        data = {"article": self.article, "text": self.text, "value": self.value,
                "qualifier": self.qualifier, "start": self.start, "end": self.end}
        if self.high is not None:
            data["high"] = self.high
        if self.dates:
            data["dates"] = self.dates
        return data


@dataclass
class FigureGroup:
    what: str
    claims: list[Claim] = field(default_factory=list)

    @property
    def agree(self) -> bool:
        return all(claims_agree(a, b) for i, a in enumerate(self.claims) for b in self.claims[i + 1:])

    @property
    def articles(self) -> set[str]:
        return {c.article for c in self.claims}

    def as_dict(self) -> dict:
        return {"what": self.what, "claims": [c.as_dict() for c in self.claims], "agree": self.agree}


def lemma(word: str) -> str:
    """The singular of an English plural, by the regular rules."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _number(text: str) -> float:
    word = text.lower()
    return float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(text.replace(",", ""))


def _is_modifier(word: str) -> bool:
    w = word.lower()
    return "-" in w or w in SKIP_WORDS or (len(w) > 4 and w.endswith(ADJECTIVE_ENDINGS))


def head_noun(body: str, pos: int) -> str:
    """The noun the number at ``pos`` counts: the first word after it that is
    not a modifier, within three words; "" when a stop word or punctuation
    comes first."""
    for _ in range(3):
        m = WORD.match(body, pos) if pos < len(body) and body[pos] != " " else WORD.match(body, pos + 1)
        if m is None or m.start() > pos + 1:
            return ""
        word = m.group(1)
        if word.lower() in STOP_WORDS:
            return ""
        if not _is_modifier(word):
            noun = lemma(word)
            return SAME_THING.get(noun, noun)
        pos = m.end()
    return ""


def _dates(first: int, last: int, month: int, year: str | None) -> str:
    y = int(year) if year else 2000
    start, end = date(y, month, first), date(y, month, last)
    fmt = "%Y-%m-%d" if year else "%m-%d"
    return f"{start.strftime(fmt)}..{end.strftime(fmt)}"


def _date_claims(article: str, body: str, taken: list[tuple[int, int]]) -> list[Claim]:
    claims: list[Claim] = []
    # Each pattern is run only on a text that holds the words it needs: most
    # articles name no month, and the patterns try every offset.
    lower = body.lower()
    month = any(name in lower for name in MONTHS)
    for m in DAYS_ENDING.finditer(body) if month and "day" in lower else ():
        days, last, month = int(_number(m["n"])), int(m["d"]), MONTHS[m["month"].lower()]
        try:
            end = date(int(m["year"]) if m["year"] else 2000, month, last)
        except ValueError:
            continue
        start = end - timedelta(days=days - 1)
        fmt = "%Y-%m-%d" if m["year"] else "%m-%d"
        claims.append(Claim(article, "event dates", m.group(0), float(days), "", m.start(), m.end(),
                            dates=f"{start.strftime(fmt)}..{end.strftime(fmt)}"))
        taken.append(m.span())
    for m in DATE_RANGE.finditer(body) if month else ():
        if _overlaps(m.span(), taken):
            continue
        first, last = int(m["d1"]), int(m["d2"])
        try:
            dates = _dates(first, last, MONTHS[m["month"].lower()], m["year"])
        except ValueError:
            continue
        if last < first:
            continue
        claims.append(Claim(article, "event dates", m.group(0), float(last - first + 1), "",
                            m.start(), m.end(), dates=dates))
        taken.append(m.span())
    for m in DURATION.finditer(body) if "-" in body and any("-" + unit in lower for unit in TIME_UNITS) else ():
        if _overlaps(m.span(), taken):
            continue
        unit = m["unit"].lower()
        claims.append(Claim(article, f"duration ({unit}s)", m.group(0), _number(m["n"]), "",
                            m.start(), m.end()))
        taken.append(m.span())
    return claims


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def _is_year(text: str, qualifier: str) -> bool:
    return qualifier == "" and re.fullmatch(r"1[89]\d\d|20\d\d", text) is not None


def extract_claims(article: str, body: str) -> list[Claim]:
    """Every figure in ``body`` with what it counts, in the order they stand."""
    taken: list[tuple[int, int]] = []
    claims = _date_claims(article, body, taken)
    for m in NUMBER.finditer(body):
        num_start = m.start("num")
        if _overlaps((num_start, m.end()), taken):
            continue
        before = QUALIFIER_BEFORE.search(body, max(0, num_start - QUALIFIER_REACH), num_start)
        qualifier = " ".join(before["qual"].lower().split()) if before else ""
        if _is_year(m["num"], qualifier) and not m["scale"] and not m["pct"]:
            continue
        end = m.end()
        rng = None if m["pct"] else re.match(_DASH + r"(" + _DIGITS + r")\b", body[end:])
        if re.match(r"(?:st|nd|rd|th)\b", body[end:end + 3]) or (body[end:end + 1] == "-" and not rng):
            continue  # an ordinal ("78th") or a modifier ("7-nanometre")
        value = _number(m["num"]) * SCALES.get((m["scale"] or "").lower(), 1)
        high = None
        if rng:
            high = float(rng.group(1).replace(",", "")) * SCALES.get((m["scale"] or "").lower(), 1)
            end += rng.end()
        if m["pct"]:
            of = re.match(r"\s+of\s+", body[end:])
            noun = head_noun(body, end + of.end()) if of else ""
            what = f"per cent of {noun}" if noun else "per cent"
        else:
            what = head_noun(body, end)
        if not what:
            continue
        if m["plus"]:
            qualifier = qualifier or "+"
        start = before.start("qual") if before and qualifier != "+" else num_start
        if not m["pct"]:
            end = _noun_end(body, end, what)
        claims.append(Claim(article, what, " ".join(body[start:end].split()), value, qualifier, start, end,
                            high=high))
        taken.append((start, end))
    claims.sort(key=lambda c: c.start)
    return claims


def _noun_end(body: str, end: int, noun: str) -> int:
    """Where the words from the figure to its noun end: "1,500 AI-related products"."""
    for m in WORD.finditer(body, end, min(len(body), end + 80)):
        mapped = lemma(m.group(1))
        if SAME_THING.get(mapped, mapped) == noun:
            return m.end()
    return end


def claims_agree(a: Claim, b: Claim) -> bool:
    """Whether two claims can both be true, given their qualifiers: the same
    figure (or a figure in the other's range), unless one says above it and
    the other below; an approximate figure may be off by APPROXIMATE_SLACK."""
    if a.dates or b.dates:
        return _same_dates(a.dates, b.dates)
    slack = APPROXIMATE_SLACK if a.qualifier in APPROXIMATE or b.qualifier in APPROXIMATE else 0.0
    size = max(abs(a.top), abs(b.top), 1e-9)
    if a.low - b.top > slack * size or b.low - a.top > slack * size:
        return False
    if a.value == b.value and a.high is None and b.high is None:
        directions = {_direction(a.qualifier), _direction(b.qualifier)}
        return not {"above", "below"} <= directions
    return True


def _direction(qualifier: str) -> str:
    return "above" if qualifier in ABOVE else "below" if qualifier in BELOW else ""


def _same_dates(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if len(a) != len(b):  # one without a year: compare months and days
        strip = (lambda d: "..".join(part[-5:] for part in d.split("..")))
        return strip(a) == strip(b)
    return a == b


def group_summary(group: FigureGroup, here: Claim) -> str:
    """One line on what the other articles say of the figure ``here`` states:
    '500 enterprises: disagree, 400 enterprises in 1 other article, more than
    500 enterprises in 2'."""
    articles: dict[str, set[str]] = {}
    for claim in group.claims:
        if claim.article != here.article:
            articles.setdefault(" ".join(claim.text.split()), set()).add(claim.article)
    said = sorted(articles.items(), key=lambda item: (-len(item[1]), item[0]))
    parts = [f"{text} in {len(ids)} other article{'s' if len(ids) != 1 else ''}" for text, ids in said]
    verdict = "the articles agree" if group.agree else "the articles disagree"
    return f"{' '.join(here.text.split())}: {verdict}; " + ", ".join(parts)


def group_claims(claims: list[Claim], context: dict[str, set[str]] | None = None) -> list[FigureGroup]:
    """Groups of what two or more articles count, disagreeing ones first,
    then by how many articles state them. Where one article states a figure
    twice, both claims are kept.

    ``context`` (article -> the entities that place it: its people,
    companies, organisations, events and products) keeps apart the articles
    of unrelated stories: claims of one noun are compared only among
    articles linked by a shared entity, directly or through others (the
    "enterprises" of five articles about one conference, not the "workers"
    of a strike and of an unrelated factory)."""
    by_what: dict[str, list[Claim]] = {}
    for claim in claims:
        by_what.setdefault(claim.what, []).append(claim)
    compared: list[FigureGroup] = []
    for what, members in by_what.items():
        for part in _linked(members, context) if context is not None else [members]:
            group = FigureGroup(what, part)
            if len(group.articles) >= 2:
                compared.append(group)
    compared.sort(key=lambda g: (g.agree, -len(g.articles), g.what, min(c.article for c in g.claims)))
    return compared


def _linked(claims: list[Claim], context: dict[str, set[str]]) -> list[list[Claim]]:
    """The claims split by the articles' components: two articles are linked
    when their contexts share an entity."""
    parent: dict[str, str] = {}

    def root(article: str) -> str:
        while parent[article] != article:
            parent[article] = parent[parent[article]]
            article = parent[article]
        return article

    holder: dict[str, str] = {}  # entity -> the first article seen with it
    for claim in claims:
        article = claim.article
        if article in parent:
            continue
        parent[article] = article
        for entity in context.get(article, ()):
            other = holder.setdefault(entity, article)
            if other != article:
                a, b = root(article), root(other)
                if a != b:
                    parent[a] = b
    parts: dict[str, list[Claim]] = {}
    for claim in claims:
        parts.setdefault(root(claim.article), []).append(claim)
    return list(parts.values())
