"""Turn a raw article text into title, body and metadata, dropping page furniture.

Raw scrapes arrive with furniture around the story (advertisement markers,
reading-time badges, image captions, promotional paragraphs, copyright
footers). The rules that recognise furniture are data, in ``furniture.yaml``,
so a user can extend them without touching code. Everything else here is about
structure: where the title is, inline date markers, bylines and datelines, and
how lines form paragraphs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from reader.corpus import normalise_date
from reader.sanitize import sanitize
from reader.yamlsafe import YamlError, load_yaml

DEFAULT_RULES = Path(__file__).with_name("furniture.yaml")
USER_RULES_NAME = "cleaning.yaml"
TITLE_MAX_CHARS = 200
TITLE_MAX_WORDS = 30
BYLINE_WINDOW = 6  # lines after the title in which a byline may stand

_DATE_MARKER = re.compile(
    r"^\s*(?:date|published|posted)\s*[:\-]?\s*(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\s*",
    re.IGNORECASE,
)
# The marker ending a headline line ("... conference date 2024-07-06").
_TRAILING_DATE_MARKER = re.compile(
    r"\s+(?:date|published|posted)\s*[:\-]?\s*(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\s*$",
    re.IGNORECASE,
)
# Only references with their closing semicolon: HTML also reads "&not" or
# "&copy" without one, which would turn "AT&T&notes" into other text.
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")
_BULLET = re.compile(r"^\s*[•·▪●◦‣∙*-]\s+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")
_NAME_WORD = r"[A-Z][\w'’.-]*"
# Only "by" ignores case: with re.IGNORECASE the name words would take "in"
# too, and "By Tracy Qu in Shanghai" would make "Tracy Qu in Shanghai" the author.
_BY = re.compile(rf"^(?i:by)\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})(?:\s*(?:,|in)\s+(?P<place>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}))?$")
_NAME_IN_PLACE = re.compile(
    rf"^(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})\s+in\s+(?P<place>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})$"
)
# A byline run into its dateline: "Tracy Quin Shanghai" is "Tracy Qu in Shanghai".
_RUN_TOGETHER = re.compile(
    rf"^(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}\s+[A-Z][\w'’-]*?)in\s+(?P<place>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})$"
)


class RulesError(ValueError):
    pass


_BACKREF = re.compile(r"\\[1-9]|\(\?P=")


def _anonymous(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]


@dataclass
class Cleaned:
    body: str
    title: str = ""
    date: str = ""
    author: str = ""
    dateline: str = ""
    source: str = ""  # named by a furniture line such as a copyright footer
    dropped: list[str] = field(default_factory=list)  # names of the rules that fired


def decode_references(text: str) -> str:
    """``&#163;1.8m`` -> ``£1.8m``, ``&amp;`` -> ``&``: HTML character references
    left in scraped text, named or numeric, decoded once (``&amp;lt;`` is
    ``&lt;``). The result is plain text like the rest: it is sanitised after
    (a reference to a control character is stripped with the others) and
    never read as markup, so a decoded ``<`` is a character."""
    if "&" not in text:
        return text
    return _CHARACTER_REFERENCE.sub(lambda m: html.unescape(m.group(0)), text)


def _valid_date(text: str) -> bool:
    try:
        normalise_date(text)
    except ValueError:
        return False
    return True


def _date_after_title(title: str, lines: list[str]) -> tuple[str, str, list[str]]:
    """(date, title, lines) with a date marker that ends the headline or opens
    the line after it taken out; ("", title, lines) when there is none."""
    ending = _TRAILING_DATE_MARKER.search(title)
    if ending and ending.start() > 0 and _valid_date(ending.group(1)):
        return ending.group(1), title[:ending.start()], lines
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        marker = _DATE_MARKER.match(line)
        if marker and _valid_date(marker.group(1)):
            rest = line[marker.end():]
            return marker.group(1), title, lines[:index] + ([rest] if rest.strip() else []) + lines[index + 1:]
        break
    return "", title, lines


def _parse_rules(data: object, origin: str) -> tuple[list[Rule], list[str]]:
    if data is None:
        return [], []
    if not isinstance(data, dict):
        raise RulesError(f"{origin}: expected a mapping with 'rules' and 'disable'")
    rules: list[Rule] = []
    for number, item in enumerate(data.get("rules") or [], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("pattern"), str):
            raise RulesError(f"{origin}: rule {number} needs a 'pattern' string")
        name = str(item.get("name") or f"rule-{number}")
        try:
            compiled = re.compile(item["pattern"], re.IGNORECASE)
        except re.error as exc:
            raise RulesError(f"{origin}: rule {name!r}: bad pattern: {exc}") from None
        rules.append(Rule(name, compiled))
    disable = data.get("disable") or []
    if not isinstance(disable, list):
        raise RulesError(f"{origin}: 'disable' must be a list of rule names")
    return rules, [str(d) for d in disable]


def _load_rules_file(path: Path) -> tuple[list[Rule], list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot read: {exc}") from None
    try:
        return _parse_rules(load_yaml(text), str(path))
    except YamlError as exc:
        raise RulesError(f"{path}: {exc}") from None


@lru_cache(maxsize=8)
def _builtin_rules() -> tuple[Rule, ...]:
    rules, _ = _load_rules_file(DEFAULT_RULES)
    return tuple(rules)


class Cleaner:
    """Applies furniture rules and structural parsing to raw text."""

    def __init__(self, extra_files: Iterable[Path] = (), known_places: Iterable[str] = (),
                 known_names: Iterable[str] = ()) -> None:
        """``known_names`` (the entity list's) spell out a source named by its
        initials ("Why you can trust SCMP") when the text itself does not."""
        rules = {rule.name: rule for rule in _builtin_rules()}
        for path in extra_files:
            extra, disable = _load_rules_file(Path(path))
            for name in disable:
                rules.pop(name, None)
            for rule in extra:
                rules[rule.name] = rule
        self.rules = list(rules.values())
        self.known_places = {p.lower() for p in known_places}
        self.known_initials = by_initials(known_names)
        # One alternation is far faster than trying each rule in turn.
        # Named groups are per rule, so they are made anonymous in the union.
        # A rule the union cannot hold (global flags such as "(?i)", or a
        # back-reference whose group number would shift) means trying each rule.
        self._combined = None
        if self.rules and not any(_BACKREF.search(r.pattern.pattern) for r in self.rules):
            try:
                self._combined = re.compile(
                    "|".join(f"(?:{_anonymous(r.pattern.pattern)})" for r in self.rules), re.IGNORECASE
                )
            except re.error:
                self._combined = None

    def furniture_rule(self, line: str) -> tuple[str, str] | None:
        """(rule name, source named by the line or "") when the whole trimmed line
        is furniture, else None."""
        stripped = line.strip()
        if not stripped or (self._combined is not None and not self._combined.fullmatch(stripped)):
            return None
        for rule in self.rules:
            match = rule.pattern.fullmatch(stripped)
            if match:
                source = match.groupdict().get("source") or ""
                return rule.name, " ".join(source.split())
        return None

    def parse_byline(self, line: str) -> tuple[str, str] | None:
        """(author, dateline) when ``line`` is a byline, else None."""
        line = line.strip()
        if len(line.split()) > 8:
            return None
        match = _BY.match(line)
        if match:
            return match.group("name"), match.group("place") or ""
        match = _NAME_IN_PLACE.match(line)
        if match and self._is_place(match.group("place")):
            return match.group("name"), match.group("place")
        match = _RUN_TOGETHER.match(line)
        if match and self._is_place(match.group("place")):
            name = match.group("name").strip()
            if len(name.split()[-1]) >= 2:
                return name, match.group("place")
        return None

    def _is_place(self, name: str) -> bool:
        return name.lower() in self.known_places

    def clean(self, raw: str, *, title_line: bool = True) -> Cleaned:
        """Parse raw text. With ``title_line`` the first line may be the headline."""
        text = sanitize(decode_references(raw))
        date = ""
        marker = _DATE_MARKER.match(text)
        if marker:
            date = marker.group(1)
            text = text[marker.end():]
        dropped: list[str] = []
        lines: list[str] = []
        source = ""
        for line in text.split("\n"):
            found = self.furniture_rule(line)
            if found:
                dropped.append(found[0])
                source = source or found[1]
                continue
            lines.append(line.rstrip())
        title = ""
        if title_line:
            title, lines = _take_title(lines)
            if title:  # a marker after the headline leaves the text, and dates it when nothing else does
                after, title, lines = _date_after_title(title, lines)
                date = date or after
        author = dateline = ""
        for index, line in enumerate(lines[:BYLINE_WINDOW + 4]):
            if not line.strip():
                continue
            byline = self.parse_byline(line)
            if byline:
                author, dateline = byline
                del lines[index]
                break
        body = "\n\n".join(paragraphs(lines))
        if source:
            source = spell_out(source, text, self.known_initials)
        return Cleaned(body=body, title=title, date=date, author=author, dateline=dateline,
                       source=source, dropped=dropped)


# --- a source named by its initials ---------------------------------------------------

_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,7}")
_SMALL_WORDS = frozenset({"of", "and", "the", "for", "&", "de", "la", "le", "du", "der", "und"})
# Capitalised words (small words allowed between them) just before "(SCMP)";
# words are bounded, so a long run of capitals cannot make the search slow.
_DEFINED = re.compile(r"((?:[A-Z][\w'’.-]{0,30}\s+(?:(?:of|and|the|for|de|la|le|du|der|und|&)\s+)*){1,8})\(\s*$")


def initials(name: str) -> str:
    """"South China Morning Post" -> "SCMP"; small words do not count."""
    return "".join(word[0] for word in name.split() if word.lower() not in _SMALL_WORDS).upper()


def by_initials(names: Iterable[str]) -> dict[str, list[str]]:
    """Names of two words or more, by their initials."""
    table: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        if len(name.split()) > 1:
            table.setdefault(initials(name), []).append(name)
    return table


def spell_out(short: str, text: str, known: dict[str, list[str]] | None = None) -> str:
    """The full name behind a source given as initials: the one the text
    defines ("the South China Morning Post (SCMP)"), else the one known name
    (``by_initials`` of the entity list) with those initials. Anything else,
    or more than one candidate, leaves it as it is: capitalised words that
    merely have the right initials ("After President Biden" for AP) are not
    evidence."""
    short = short.strip()
    if not _ACRONYM.fullmatch(short):
        return short
    wanted = short.replace("&", "")
    for found in re.finditer(rf"\(\s*{re.escape(short)}\s*\)", text):
        before = _DEFINED.search(text[max(0, found.start() - 300):found.start() + 1])
        if before:
            words = before.group(1).split()
            for start in range(len(words)):  # the name may follow other capitalised words
                name = " ".join(words[start:])
                if words[start].lower() not in _SMALL_WORDS and initials(name) == wanted:
                    return name
    names = (known or {}).get(wanted, [])
    return names[0] if len(names) == 1 else short


def _looks_like_title(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > TITLE_MAX_CHARS or len(line.split()) > TITLE_MAX_WORDS:
        return False
    return not _SENTENCE_END.search(line)


_HEADLINE_END = re.compile(r"(?:[?!…]|\.\.\.)[\"'”’)]*$")


def _take_title(lines: list[str]) -> tuple[str, list[str]]:
    for index, line in enumerate(lines):
        if line.strip():
            # A line with a full stop is the text's first sentence; a short
            # question or exclamation standing alone above the text is a
            # headline ("Could Yukos be a blessing in disguise?").
            alone = index + 1 >= len(lines) or not lines[index + 1].strip()
            if _looks_like_title(line) or (alone and _HEADLINE_END.search(line.strip())
                                           and _looks_like_title(_HEADLINE_END.sub("", line.strip()))):
                return " ".join(line.split()), lines[index + 1:]
            return "", lines
    return "", lines


# --- paragraphs -------------------------------------------------------------------------

# A figure: "9.0", "(8.8)", "155,221", "-1.5%", "n.a.", "--".
_FIGURE = r"(?:\(?[-+]?\d[\d.,]*%?\)?|n\.a\.|--)"
_FIGURES_AT_END = re.compile(rf"\s{_FIGURE}\s+{_FIGURE}\s*$")
_GAP_BEFORE_FIGURE = re.compile(rf"\S {{2,}}{_FIGURE}(?:\s|$)")
_ANY_FIGURE = re.compile(rf"(?:^|\s){_FIGURE}(?=\s|$)")
_COLUMN_GAP = re.compile(r"\S {3,}\S")
TABLE_ROW_MAX_CHARS = 60  # a row of figures is short; prose wrapped near 70 columns is not
WRAPPED_MIN_LINES = 3  # two lines are no evidence of a wrap width
WRAP_WIDTHS = (40, 100)  # the longest line of hard-wrapped text


def _is_table_row(line: str, following: str = "") -> bool:
    """A line of a table: columns (two runs of three spaces or more between
    words), or a short line that is not a sentence and reads as a label with
    figures: two figures at its end ("Sterling 14.3 (13.8)"), a figure set off
    by spaces ("Dollar  9.0"), or, indented and not carried on by the
    ``following`` line, two figures anywhere ("Shr 1.20 dlrs vs 1.05 dlrs").
    Wrapped prose that ends in one figure is none of these."""
    stripped = line.strip()
    if not stripped or _BULLET.match(line):  # a list item, not a row
        return False
    if len(_COLUMN_GAP.findall(line)) >= 2:
        return True
    if len(stripped) > TABLE_ROW_MAX_CHARS or _SENTENCE_END.search(stripped) or not any(c.isalpha() for c in stripped):
        return False
    if _FIGURES_AT_END.search(stripped) or _GAP_BEFORE_FIGURE.search(stripped):
        return True
    carried_on = bool(following.strip()) and not following[:1].isspace()
    return line[:1].isspace() and not carried_on and _is_label_with_figures(line)


def _table_rows(lines: list[str]) -> list[bool]:
    """Which lines are table rows. A short line with two figures beside a row
    is one too: the first row of a table that opens the text is not indented
    ("Shr 80 cts vs 62 cts", its dateline taken away)."""
    rows = [_is_table_row(line, lines[i + 1] if i + 1 < len(lines) else "") for i, line in enumerate(lines)]
    for i, line in enumerate(lines):
        beside = (i > 0 and rows[i - 1]) or (i + 1 < len(lines) and rows[i + 1])
        if not rows[i] and beside and _is_label_with_figures(line):
            rows[i] = True
    return rows


def _is_label_with_figures(line: str) -> bool:
    stripped = line.strip()
    return (len(stripped) <= TABLE_ROW_MAX_CHARS and not _SENTENCE_END.search(stripped)
            and not _BULLET.match(line) and len(_ANY_FIGURE.findall(stripped)) >= 2)


def _starts_item(line: str, wrapped: bool) -> bool:
    """A bullet. In wrapped wire copy a dash at the start of a line that is not
    indented carries the sentence on ("four factors\n- higher prices")."""
    if not _BULLET.match(line):
        return False
    return not wrapped or line[:1].isspace() or line.lstrip()[:1] not in "-*"


def table_rows(lines: list[str]) -> list[bool]:
    """Which lines are rows of a table."""
    return _table_rows(lines)


def starts_item(line: str) -> bool:
    """Does this line of hard-wrapped text start a list item?"""
    return _starts_item(line, True)


def is_hard_wrapped(lines: list[str], rows: list[bool] | None = None) -> bool:
    """Newswire text wraps its lines near 70 columns, so most of its line ends
    fall inside a sentence; web text puts a paragraph on each line. Line ends
    next to a table row, a blank line or an indented line say nothing, and the
    first line may be short (the dateline stood before it). ``rows`` are
    the lines' ``_table_rows`` when the caller has them."""
    rows = _table_rows(lines) if rows is None else rows
    prose = [line for line, row in zip(lines, rows) if line.strip() and not row]
    if len(prose) < WRAPPED_MIN_LINES:
        return False
    width = max(len(line) for line in prose)
    if not WRAP_WIDTHS[0] <= width <= WRAP_WIDTHS[1]:
        return False
    inside = ends = 0
    for index, (line, following) in enumerate(zip(lines, lines[1:])):
        if (not line.strip() or not following.strip() or following[:1].isspace()
                or rows[index] or rows[index + 1] or _starts_item(following, True)):
            continue
        ends += 1
        if not _SENTENCE_END.search(line.strip()) and len(line.rstrip()) >= width // 2:
            inside += 1
    return inside > 0 and inside * 2 >= ends


def paragraphs(lines: list[str]) -> list[str]:
    """Group lines into paragraphs.

    Plain web text usually puts one paragraph on each line, with or without a
    blank line between; newswire text is hard-wrapped, with paragraphs marked by
    an indented first line or a blank line, and is reflowed. Tables keep their
    lines and their alignment: consecutive rows are one block, one row a line.
    Bullets lose their marker and start a paragraph of their own.
    """
    wrapped = is_hard_wrapped(lines)
    result: list[str] = []
    current: list[str] = []
    table: list[str] = []

    def close() -> None:
        if current:
            result.append(" ".join(" ".join(current).split()) if wrapped else current[0])
            current.clear()
        if table:
            result.append("\n".join(table))
            table.clear()

    for line, row in zip(lines, _table_rows(lines)):
        if not line.strip():
            close()
            continue
        if row:
            if current:
                close()
            table.append(line.rstrip())
            continue
        if table:
            close()
        item = _starts_item(line, wrapped)
        if not wrapped or line[:1].isspace() or item:
            close()
        text = _BULLET.sub("", line.strip()) if item or not wrapped else line.strip()
        if text:
            current.append(text)
    close()
    return [p for p in result if p.strip()]
