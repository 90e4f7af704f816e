"""Direct quotations in an article, and who the text says spoke them.

Two steps, both pure functions of the text:

- ``quoted_spans`` pairs the quote marks of the body (straight, curly and
  guillemets; curly single quotes at the top level), paragraph by paragraph.
  A paragraph that ends inside a quotation and is followed by one that opens
  with a quote mark continues it: the news convention for a quotation over
  several paragraphs.
- ``find_quotes`` reads the sentence around each quotation for an
  attribution ("…," Chen said; X said: "…"; according to X, "…"; X, chief
  executive of Y, said "…") and links its speaker to the article's mentions.
  A pronoun or a definite role ("she said", "the spokesperson said") stands
  for the last named speaker, and "the company said" for the last company or
  organisation named.

A quotation nobody is said to have said has no speaker; a title-case slogan
or title, and a short term in scare quotes, is no quotation at all.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, NamedTuple

if TYPE_CHECKING:
    from reader.entities import EntityList
    from reader.extraction import Extraction

PERSON = "person"
ORGS = ("company", "organization")
SPEAKER_KINDS = (PERSON, *ORGS)  # who the quotations are attributed to

# The verbs that introduce what someone said. "according to" is handled apart.
# What this module finds is stored with each article: a change to its rules
# bumps reader.index.ANALYSIS_VERSION, so that indexes read their articles again.
CUE_VERBS = (
    "said", "says", "say", "added", "adds", "told", "tells", "explained", "explains", "noted", "notes",
    "stated", "states", "warned", "warns", "wrote", "writes", "asked", "asks", "replied", "replies",
    "insisted", "insists", "argued", "argues", "claimed", "claims", "commented", "declared", "announced",
    "remarked", "continued", "recalled", "recalls", "admitted", "admits", "acknowledged", "stressed",
    "emphasised", "emphasized", "observed", "suggested", "conceded", "concluded", "cautioned",
    "predicted", "countered", "complained", "joked", "tweeted", "posted", "quipped", "confirmed",
    "urged", "responded", "agreed", "vowed", "promised", "estimated", "pointed out", "went on",
)
PRONOUNS = {"he", "she", "they", "we"}
# Words that open a sentence before its subject ("In a statement, the council said").
CLAUSE_OPENERS = {"in", "on", "at", "after", "before", "when", "while", "asked", "speaking", "later", "earlier",
           "separately", "meanwhile", "however", "but", "and", "yet", "still", "privately", "publicly", "then",
           "writing", "interviewed", "pressed", "challenged", "today", "yesterday", "last", "for", "since"}
# A single capitalised word this common (wordfreq's Zipf scale) is an
# everyday word, not a name, unless the name lists know it ("Park").
COMMON_ZIPF = 5.0
# A role word after "the" stands for the last named speaker ("the spokesperson said").
ROLE_WORDS = {
    "spokesperson", "spokesman", "spokeswoman", "official", "minister", "executive", "chief", "president",
    "chairman", "chairwoman", "chair", "director", "analyst", "economist", "secretary", "governor",
    "founder", "ceo", "head", "leader", "manager", "mayor", "senator", "premier", "coach", "captain",
    "general", "commissioner", "prosecutor", "lawyer", "researcher", "professor", "scientist", "author",
    "veteran", "official's", "chancellor", "ambassador", "envoy", "negotiator", "trader", "dealer",
}
# After "the", these stand for the last company or organisation named.
BODY_WORDS = {
    "company", "firm", "group", "bank", "ministry", "agency", "government", "union", "department",
    "airline", "carrier", "court", "police", "statement", "board", "council", "commission", "committee",
    "regulator", "exchange", "club", "team", "party", "organisation", "organization", "institute",
    "university", "fund", "maker", "manufacturer", "operator", "authority", "office", "association",
}
# Of those, the ones that stand for a company rather than any organisation.
COMPANY_WORDS = {"company", "firm", "group", "maker", "manufacturer", "operator", "airline", "carrier"}
# Lower-case words a title-case title or slogan may keep ("Governing AI for Good and for All").
TITLE_SMALL = {"a", "an", "and", "the", "of", "for", "in", "on", "to", "at", "by", "or", "with", "from",
               "as", "is", "de", "la", "vs", "via"}

OPENERS = {'“': '”', '«': '»', '‘': '’'}
CLOSERS = {'”', '»', '’'}

_CUE = re.compile(r"\b(?P<cue>according\s+to|" + "|".join(v.replace(" ", r"\s+") for v in CUE_VERBS) + r")\b",
                  re.IGNORECASE)
_ABBREVIATIONS = ("[A-Z]", "Mr", "Ms", "Mrs", "Dr", "St", "Prof", "Gen", "Sen", "Rep", "Gov", "Col", "Lt", "No", "Jr", "Sr")  # "said Dr. Vogelsang", "J. Smith": no end there
_SENTENCE_END = re.compile("[.!?]" + "".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS) + r"(?=\s|$)|\n\s*\n")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ][\w'’.-]*")
_CAPITALISED_RUN = re.compile(
    r"(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)?[A-ZÀ-ÖØ-Þ][\w'’-]*\.?(?:\s+(?:(?:de|da|van|von|der|bin|al|le|la|del|di)\s+)?"
    r"[A-ZÀ-ÖØ-Þ][\w'’-]*\.?)*")
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+")
_APPOSITIVE = re.compile(r"^\s*(?:,[^,.;:!?]*,|\([^)]*\))?\s*$")
_DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "these", "those"}
_LEAD_FUNCTION_WORDS = {"the", "a", "an", "one", "another", "this", "that", "its", "his", "her", "their"}


class EntityMention(NamedTuple):
    """A mention the extraction found, as the quotes need it."""

    start: int
    end: int
    id: str
    name: str
    kind: str


@dataclass
class Quote:
    """One quotation; ``start``/``end`` are offsets into the body of its words,
    without the quote marks (a quotation over several paragraphs runs from
    the first paragraph's words to the last's)."""

    start: int
    end: int
    text: str
    speaker_id: str | None = None
    speaker_name: str | None = None
    cue: str | None = None
    # what stood for the speaker: "name", "pronoun", "role", "body" or "" (unattributed)
    by: str = ""

    def as_dict(self, article: str) -> dict:
        speaker = None if self.speaker_name is None else {"id": self.speaker_id, "name": self.speaker_name}
        return {"article": article, "start": self.start, "end": self.end, "text": self.text,
                "speaker": speaker, "cue": self.cue}

    def pack(self) -> list:
        return [self.start, self.end, self.text, self.speaker_id or "", self.speaker_name or "", self.cue or "",
                self.by]

    @classmethod
    def unpack(cls, row: list) -> "Quote":
        start, end, text, speaker_id, name, cue, by = row
        return cls(start, end, text, speaker_id or None, name or None, cue or None, by)


@dataclass
class QuotedSpan:
    """A pair of quote marks (or a run of them over paragraphs): ``open`` is
    the offset of the first opening mark, ``close`` that of the last closing
    mark (or the paragraph's end where none closes it)."""

    open: int
    close: int
    parts: list[tuple[int, int]]  # the words of each paragraph of it

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


# --- the quote marks ---------------------------------------------------------------


def _paragraphs(body: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for match in re.finditer(r"\n[ \t]*\n\s*", body):
        out.append((start, match.start()))
        start = match.end()
    out.append((start, len(body)))
    return [(s, e) for s, e in out if e > s]


def _is_opening_straight(body: str, i: int) -> bool:
    before = body[i - 1] if i > 0 else " "
    after = body[i + 1] if i + 1 < len(body) else " "
    if before.isspace() or before in "([{—–-/" or i == 0:
        return not after.isspace()
    return False


_QUOTE_CHARS = re.compile('["“”«»‘’]')
# A sentence is not looked for further back than this (a run-on table or a
# text without full stops would make every quotation read it all).
SENTENCE_REACH = 1500


def _marks(body: str, start: int, end: int) -> list[tuple[int, str]]:
    """The paragraph's quote marks as (offset, "open" | "close")."""
    out: list[tuple[int, str]] = []
    for found in _QUOTE_CHARS.finditer(body, start, end):
        i = found.start()
        c = body[i]
        if c == '"':
            out.append((i, "open" if _is_opening_straight(body, i) else "close"))
        elif c in ('“', '«'):
            out.append((i, "open"))
        elif c in ('”', '»'):
            out.append((i, "close"))
        elif c == '‘' and (i == 0 or body[i - 1].isspace() or body[i - 1] in "([—–"):
            out.append((i, "open1"))
        elif c == '’' and (i + 1 >= len(body) or not body[i + 1].isalnum()) and i > 0 and not body[i - 1].isspace():
            out.append((i, "close1"))
    return out


def quoted_spans(body: str) -> list[QuotedSpan]:
    """Every pair of quote marks in the body, a quotation over several
    paragraphs as one span."""
    spans: list[QuotedSpan] = []
    pending: QuotedSpan | None = None  # a quotation still open at its paragraph's end
    for p_start, p_end in _paragraphs(body):
        marks = _marks(body, p_start, p_end)
        if pending is not None:
            first = marks[0] if marks else None
            if first and first[0] == _skip_space(body, p_start) and first[1] == "open":
                # the next paragraph opens with a quote mark: the quotation goes on
                marks = marks[1:]
                current: QuotedSpan | None = pending
                part_start = first[0] + 1
            else:
                spans.append(pending)  # never closed: it ran to its paragraph's end
                current, part_start = None, 0
            pending = None
        else:
            current, part_start = None, 0
        single: int | None = None  # an open curly single quote at the top level
        for offset, kind in marks:
            if kind == "open" and current is None:
                current = QuotedSpan(offset, offset, [])
                part_start = offset + 1
            elif kind == "close" and current is not None:
                current.parts.append((part_start, offset))
                current.close = offset
                spans.append(current)
                current = None
            elif kind == "open" and current is not None and body[offset] == '"':
                # a straight mark read as opening inside a quotation closes it
                # ("…said "no" to…" is rarer than a missing space)
                current.parts.append((part_start, offset))
                current.close = offset
                spans.append(current)
                current = None
            elif kind == "open1" and current is None:
                single = offset
            elif kind == "close1" and current is None and single is not None:
                spans.append(QuotedSpan(single, offset, [(single + 1, offset)]))
                single = None
        if current is not None:
            current.parts.append((part_start, _trim_end(body, p_end)))
            current.close = p_end
            pending = current
    if pending is not None:
        spans.append(pending)
    return [s for s in spans if any(body[a:b].strip() for a, b in s.parts)]


def _skip_space(body: str, i: int) -> int:
    while i < len(body) and body[i].isspace():
        i += 1
    return i


def _trim_end(body: str, i: int) -> int:
    while i > 0 and body[i - 1].isspace():
        i -= 1
    return i


# --- attribution ---------------------------------------------------------------------


@dataclass
class _Speaker:
    by: str  # "name", "pronoun", "role", "body"
    start: int
    end: int
    mention: EntityMention | None = None
    name: str | None = None
    phrase: str = ""


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_title_like(text: str) -> bool:
    """A title, slogan or name in title case rather than a sentence someone spoke."""
    words = _words(text)
    if not words or text.rstrip().endswith(("?", "!")):
        return False
    capitalised = [w for w in words if w[0].isupper() or w[0].isdigit()]
    small = [w for w in words if w.lower() in TITLE_SMALL]
    return len(capitalised) + len(small) == len(words) and len(capitalised) >= max(1, len(words) // 2)


def _sentence_before(body: str, floor: int, at: int) -> int:
    """Where the sentence that holds ``at`` starts (not before ``floor``)."""
    start = floor = max(floor, at - SENTENCE_REACH)
    for match in _SENTENCE_END.finditer(body, floor, at):
        start = match.end()
    return _skip_space(body, start)


def _sentence_after(body: str, at: int, ceiling: int) -> int:
    match = _SENTENCE_END.search(body, at, ceiling)
    return match.start() + (1 if match and body[match.start()] in ".!?" else 0) if match else ceiling


class _Article:
    """The article's mentions, for looking speakers up by position."""

    def __init__(self, mentions: Iterable[EntityMention]) -> None:
        self.mentions = sorted(mentions)
        self.starts = [m.start for m in self.mentions]

    def within(self, start: int, end: int, kinds: tuple[str, ...]) -> list[EntityMention]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            m = self.mentions[i]
            if m.end <= end and m.kind in kinds:
                out.append(m)
            i += 1
        return out

    def last_before(self, at: int, kinds: tuple[str, ...], skip: list[tuple[int, int]]) -> EntityMention | None:
        i = bisect.bisect_left(self.starts, at) - 1
        while i >= 0:
            m = self.mentions[i]
            if m.kind in kinds and m.end <= at and not any(a <= m.start < b for a, b in skip):
                return m
            i -= 1
        return None

    def named_with(self, at: int, kinds: tuple[str, ...], words: set[str],
                   skip: list[tuple[int, int]]) -> EntityMention | None:
        """The last entity before ``at`` whose name holds one of ``words``."""
        if not words:
            return None
        i = bisect.bisect_left(self.starts, at) - 1
        while i >= 0:
            m = self.mentions[i]
            if (m.kind in kinds and m.end <= at and not any(a <= m.start < b for a, b in skip)
                    and words & {w.lower() for w in m.name.split()}):
                return m
            i -= 1
        return None

    def recent_before(self, at: int, kinds: tuple[str, ...], skip: list[tuple[int, int]],
                      floor: int) -> EntityMention | None:
        """The last entity of these kinds named between ``floor`` and ``at``."""
        m = self.last_before(at, kinds, skip)
        return m if m is not None and m.start >= floor else None

    @staticmethod
    def paragraph_floor(body: str, at: int) -> int:
        """The start of the paragraph that holds ``at``: "the company said"
        means the company this paragraph names, else the story's."""
        here = body.rfind("\n\n", 0, at)
        return 0 if here < 0 else here

    def main_before(self, at: int, kinds: tuple[str, ...], skip: list[tuple[int, int]]) -> EntityMention | None:
        """The entity of these kinds named most often before ``at``, the first
        named on a tie: "the company said" means the story's company, which
        is rarely the analyst's firm named a line earlier."""
        counts: dict[str, list] = {}
        for m in self.mentions:
            if m.start >= at:
                break
            if m.kind in kinds and m.end <= at and not any(a <= m.start < b for a, b in skip):
                entry = counts.setdefault(m.id, [0, -m.start, m])
                entry[0] += 1
        if not counts:
            return None
        return max(counts.values(), key=lambda e: (e[0], e[1]))[2]

    def by_family(self, name: str, before: int) -> EntityMention | None:
        """A person named in full earlier whose name holds this word ("Chen" -> Chen Li)."""
        words = name.split()
        if not words:
            return None
        last = words[-1]
        found = None
        for m in self.mentions:
            if m.start >= before:
                break
            if m.kind == PERSON and last in m.name.split() and m.name != name:
                if found is not None and found.id != m.id:
                    return None  # two people share the word: neither
                found = m
        return found


def _classify(body: str, start: int, end: int, article: _Article, subject_near_end: bool) -> _Speaker | None:
    """Who a phrase names as the speaker. ``subject_near_end``: the speaker is
    the phrase's last name (before its verb, past any appositive) rather than
    its first (after the verb)."""
    phrase = body[start:end]
    if not phrase.strip():
        return None
    words = [w.lower().rstrip(".,’'") for w in _words(phrase)]
    if not words:
        return None
    if subject_near_end and words[0] in CLAUSE_OPENERS and "," in phrase:
        # "In a statement, the council said" / "Asked whether…, she said": the
        # subject follows the opening phrase
        cut = phrase.rindex(",") if words[0] == "asked" else phrase.index(",")
        if phrase[cut + 1:].strip():
            return _classify(body, start + cut + 1, end, article, subject_near_end)
    people = article.within(start, end, (PERSON,))
    if subject_near_end and words[-1] in PRONOUNS and (len(words) <= 2 or phrase.rstrip()[:-len(words[-1])]
                                                       .rstrip().endswith(",")):
        # "Atlas Home cannot climb stairs, she said": the pronoun is the subject
        if not (people and people[-1].end > end - len(words[-1]) - 2):
            return _Speaker("pronoun", start, end)
    if people:
        if subject_near_end:
            for m in reversed(people):
                if _APPOSITIVE.match(body[m.end:end]) or not body[m.end:end].strip(" ,"):
                    return _Speaker("name", m.start, m.end, m)
                # the name sits in an appositive of someone else ("X, who met Y,"): go on back
            # an appositive after the subject may hold a person ("X, adviser to Y,"): the first one
            return _Speaker("name", people[0].start, people[0].end, people[0])
        return _Speaker("name", people[0].start, people[0].end, people[0])
    first = words[0]
    if first in PRONOUNS and len(words) <= 2:
        return _Speaker("pronoun", start, end)
    lead = first in ("the", "its", "his", "her", "their")
    if lead and any(w in ROLE_WORDS for w in words[1:4]) and not article.within(start, end, ORGS):
        return _Speaker("role", start, end)
    orgs = article.within(start, end, ORGS)
    if orgs:
        m = orgs[-1] if subject_near_end else orgs[0]
        return _Speaker("name", m.start, m.end, m)
    if lead and any(w in BODY_WORDS for w in words[1:4]):
        return _Speaker("body", start, end, phrase=phrase)
    if first in _LEAD_FUNCTION_WORDS:
        return None  # "a trader", "one resident": someone the text does not name
    runs = [r for r in _CAPITALISED_RUN.finditer(phrase) if _may_name_a_speaker(r.group())]
    if runs:
        run = runs[-1] if subject_near_end else runs[0]
        honorific = _HONORIFIC.match(run.group())
        at = start + run.start() + (honorific.end() if honorific else 0)
        name = run.group()[at - start - run.start():].rstrip(".")
        return _Speaker("name", at, at + len(name), None, name)
    return None


def _may_name_a_speaker(run: str) -> bool:
    """A capitalised run the text may name a speaker by: not a pronoun, a
    possessive ("Japan's top diplomat"), nor one everyday word capitalised
    at a sentence's start ("It", "Asked"), unless it is a known name."""
    run = run.rstrip(".")
    if run.lower() in PRONOUNS or run.endswith(("'s", "’s")):
        return False
    if " " not in run:
        from reader.tagger.lexicon import name_or_place, zipf

        return not (zipf(run.lower()) >= COMMON_ZIPF and not name_or_place(run))
    return True


def _attribution_after(body: str, span: QuotedSpan, ceiling: int, article: _Article
                       ) -> tuple[str, _Speaker | None, int] | None:
    """'"…," Chen said' / '"…," said Chen Li, chief executive of Y' / '"…," according to X'."""
    at = span.close + 1
    end = _sentence_after(body, at, ceiling)
    if not body[at:end].strip():
        return None
    cue = _CUE.search(body, at, end)
    if cue is None:
        return None
    lead = body[at:cue.start()]
    if len(_words(lead)) > 8:
        return None
    word = " ".join(cue.group("cue").lower().split())
    if word == "according to" or not lead.strip(" ,\n"):
        stop = _phrase_end(body, cue.end(), end)
        return word, _classify(body, cue.end(), stop, article, subject_near_end=False), end
    return word, _classify(body, at, cue.start(), article, subject_near_end=True), end


def _phrase_end(body: str, start: int, end: int) -> int:
    """The speaker phrase after a verb: up to the sentence's end, or a clause
    that is not about the speaker ("…said X, adding that…")."""
    match = re.search(r",\s+(?:adding|who|which|as|while|when|after|before|in\s+a|on\s+\w+day)\b|[;:]",
                      body[start:end])
    return start + match.start() if match else end


def _attribution_before(body: str, span: QuotedSpan, floor: int, article: _Article
                        ) -> tuple[str, _Speaker | None, int] | None:
    """'X said: "…"' / 'X said, "…"' / 'according to X, "…"' / 'X, chief of Y, said "…"'."""
    start = _sentence_before(body, floor, span.open)
    text = body[start:span.open]
    stripped = text.rstrip()
    if not stripped:
        return None
    cues = list(_CUE.finditer(body, start, span.open))
    if not cues:
        return None
    cue = cues[-1]
    word = " ".join(cue.group("cue").lower().split())
    tail = body[cue.end():span.open]
    tail_words = _words(tail)
    ends = stripped[-1]
    if word == "according to":
        if ends != "," or len(tail_words) > 8:
            return None
        return word, _classify(body, cue.end(), span.open, article, subject_near_end=False), start
    if ends == ":" and len(tail_words) <= 10:
        pass  # 'X told reporters on Monday: "…"'
    elif ends == "," and len(tail_words) <= 3 and not (tail_words and tail_words[0].lower() in _DETERMINERS):
        pass  # 'X said, "…"' (but 'X praised the resolution, "…"' names the resolution)
    elif not tail.strip() or [w.lower() for w in tail_words] == ["that"]:
        pass  # 'X said "…"'
    else:
        return None
    return word, _classify(body, start, cue.start(), article, subject_near_end=True), start


def _fragment_speaker(body: str, span: QuotedSpan, floor: int, article: _Article
                      ) -> tuple[str, _Speaker | None, int] | None:
    """A fragment quoted in reported speech: 'X said the plan was "dead on arrival".'"""
    start = _sentence_before(body, floor, span.open)
    cues = list(_CUE.finditer(body, start, span.open))
    if not cues:
        return None
    cue = cues[0]
    word = " ".join(cue.group("cue").lower().split())
    if word == "according to":
        return None
    speaker = _classify(body, start, cue.start(), article, subject_near_end=True)
    return (word, speaker, start) if speaker is not None else None


def find_quotes(body: str, mentions: Iterable[EntityMention] = ()) -> list[Quote]:
    """The quotations of the body with their speakers, in order."""
    if not any(c in body for c in '"“”«»‘'):
        return []
    article = _Article(mentions)
    spans = quoted_spans(body)
    quoted = [(s.start, s.end) for s in spans]
    quotes: list[Quote] = []
    # (speaker id, name, where its attribution ran) of the last quotation that named one
    last_named: tuple[str | None, str, tuple[int, int]] | None = None
    previous_end = 0  # where the previous quotation's closing mark stood
    for n, span in enumerate(spans):
        words = _words(" ".join(body[a:b] for a, b in span.parts))
        text = " ".join(" ".join(body[a:b].split()) for a, b in span.parts)
        following = spans[n + 1].open if n + 1 < len(spans) else len(body)
        found = (_attribution_before(body, span, previous_end, article)
                 or _attribution_after(body, span, following, article))
        continued = False
        if found is None and quotes and quotes[-1].speaker_name and _same_speaker_run(body, spans[n - 1], span):
            continued = True  # '"A," Chen said. "B."': the same speaker goes on
        title_like = is_title_like(text)
        if found is None and not continued and not title_like and len(words) >= 3:
            found = _fragment_speaker(body, span, previous_end, article)
        previous_end = span.close + 1
        if continued:
            prior = quotes[-1]
            quotes.append(Quote(span.start, span.end, text, prior.speaker_id, prior.speaker_name, prior.cue, prior.by))
            continue
        if found is None or found[1] is None:
            if title_like or len(words) <= 3:
                continue  # a title, slogan or term in quote marks: not a quotation
            cue = found[0] if found else None
            quotes.append(Quote(span.start, span.end, text, cue=cue))
            continue
        cue, speaker, region_start = found
        region = (region_start, _sentence_after(body, span.close + 1, following))
        speaker_id, name = _resolve(body, speaker, span, article, quoted, last_named)
        if speaker.by == "name" and name:
            last_named = (speaker_id, name, region)
        if name is None and (title_like or len(words) <= 3):
            continue
        quotes.append(Quote(span.start, span.end, text, speaker_id, name, cue, speaker.by if name else ""))
    return quotes


def _same_speaker_run(body: str, before: QuotedSpan, span: QuotedSpan) -> bool:
    """The quotation follows the previous one in the same paragraph with only
    that one's attribution between: '"A," Chen said. "B."'."""
    between = body[before.close + 1:span.open]
    if "\n\n" in between or len(_words(between)) > 12:
        return False
    # '"A," Chen said, "B."' (one quotation split by its attribution) or
    # '"A," Chen said. "B."' (the same speaker goes on)
    return bool(_CUE.search(between)) and between.rstrip().endswith((".", ":", ","))


def _resolve(body: str, speaker: _Speaker, span: QuotedSpan, article: _Article, quoted: list[tuple[int, int]],
             last_named: tuple[str | None, str, tuple[int, int]] | None) -> tuple[str | None, str | None]:
    if speaker.by == "name":
        if speaker.mention is not None:
            return speaker.mention.id, speaker.mention.name
        assert speaker.name is not None
        full = article.by_family(speaker.name, speaker.start)
        return (full.id, full.name) if full else (None, speaker.name)
    if speaker.by == "body":
        words = {w.lower() for w in _words(speaker.phrase)} & BODY_WORDS
        kinds = ("company",) if words & COMPANY_WORDS else ORGS
        m = (article.named_with(span.open, ORGS, words, quoted)  # "the ministry": the Ministry of X
             or article.recent_before(span.open, kinds, quoted, article.paragraph_floor(body, span.open))
             or article.main_before(span.open, kinds, quoted)
             or article.main_before(span.open, ORGS, quoted))
        return (m.id, m.name) if m else (None, None)
    # a pronoun or a role: the last named speaker, unless someone else was
    # named since outside that speaker's own attribution
    person = article.last_before(span.open, (PERSON,), quoted)
    if last_named is not None:
        region = last_named[2]
        named_since = person is not None and person.start >= region[1]
        if not named_since:
            return last_named[0], last_named[1]
    if person is not None:
        return person.id, person.name
    return None, None




def article_mentions(extraction: "Extraction", entity_list: "EntityList") -> list[EntityMention]:
    """The body mentions of an extraction with their entities' names and kinds."""
    out = []
    for m in extraction.mentions:
        entity = entity_list.get(m.entity) or extraction.discovered.get(m.entity)
        if entity is not None:
            out.append(EntityMention(m.start, m.end, m.entity, entity.name, entity.kind))
    return out


__all__ = ["Quote", "EntityMention", "find_quotes", "quoted_spans", "is_title_like", "article_mentions"]
