"""Check the quote-attribution evaluation set in this folder against its gold annotation.

Run from the repository root:

    python3 tests/data/quote_eval/check_gold.py

Checks:
- every article articles/<id>.md has YAML front matter with id (equal to the file name),
  title, source and a YYYY-MM-DD date, and a body of 250-700 words;
- gold.yaml has exactly one list of entries per article;
- each entry has a non-empty `quote` and either a `speaker` (a string or null) or
  `not_quote: true`, never both;
- every `quote` occurs exactly once in the body and lies inside a quoted span;
- entries are listed in order of appearance;
- every named speaker occurs verbatim in the body;
- every quoted span in the body is covered by at least one entry (an entry covers the
  innermost span that contains it, so a quote nested in a quote needs its own entry).

Quoted spans are read the way a careful human reads them: straight "..." pairs, curly
double quotes and curly single quotes. A curly right single quote between two letters
or digits (don't, 1990's) is an apostrophe, not a closing mark. A paragraph that ends
inside an open quotation continues in the next paragraph, which reopens it with a quote
mark (the multi-paragraph convention); each paragraph's part is its own span.

Uses only the standard library and PyYAML. Exits 1 and lists the problems if any check
fails; otherwise prints the counts.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
GOLD = HERE / "gold.yaml"
FRONT_KEYS = ("id", "title", "source", "date")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MIN_WORDS, MAX_WORDS = 250, 700

STRAIGHT = '"'
OPEN_DOUBLE, CLOSE_DOUBLE = "\u201c", "\u201d"
OPEN_SINGLE, CLOSE_SINGLE = "\u2018", "\u2019"


@dataclass(frozen=True)
class Span:
    """Inner text of one pair of quote marks, as offsets into the body."""

    start: int
    end: int
    depth: int

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def read_article(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError("no front matter")
    try:
        _, front, body = text.split("---\n", 2)
    except ValueError:
        raise ValueError("unterminated front matter") from None
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping")
    return meta, body


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def paragraph_spans(offset: int, para: str, problems: list[str]) -> tuple[list[Span], bool]:
    """Spans of one paragraph; an open quotation at the paragraph's end runs to its end."""
    spans: list[Span] = []
    stack: list[tuple[str, int]] = []  # (closing mark expected, start of inner text)
    for i, ch in enumerate(para):
        if ch == STRAIGHT:
            if stack and stack[-1][0] == STRAIGHT:
                _, start = stack.pop()
                spans.append(Span(offset + start, offset + i, len(stack)))
            else:
                stack.append((STRAIGHT, i + 1))
        elif ch == OPEN_DOUBLE:
            stack.append((CLOSE_DOUBLE, i + 1))
        elif ch == OPEN_SINGLE:
            stack.append((CLOSE_SINGLE, i + 1))
        elif ch == CLOSE_DOUBLE:
            if stack and stack[-1][0] == CLOSE_DOUBLE:
                _, start = stack.pop()
                spans.append(Span(offset + start, offset + i, len(stack)))
            else:
                problems.append(f"unmatched closing double quote near {para[max(0, i - 40):i + 1]!r}")
        elif ch == CLOSE_SINGLE and not _is_apostrophe(para, i):
            if stack and stack[-1][0] == CLOSE_SINGLE:
                _, start = stack.pop()
                spans.append(Span(offset + start, offset + i, len(stack)))
            # else: an apostrophe after a word (players’) outside any single quotation
    if stack:
        if len(stack) > 1:
            problems.append(f"paragraph ends with {len(stack)} quotations open: {para[:60]!r}")
        _, start = stack[0]
        spans.append(Span(offset + start, offset + len(para), 0))
    return spans, bool(stack)


def quoted_spans(body: str, problems: list[str]) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    paragraphs = body.split("\n\n")
    for n, para in enumerate(paragraphs):
        found, left_open = paragraph_spans(pos, para, problems)
        if left_open:
            nxt = paragraphs[n + 1].lstrip() if n + 1 < len(paragraphs) else ""
            if nxt[:1] not in (STRAIGHT, OPEN_DOUBLE, OPEN_SINGLE):
                problems.append(f"quotation left open at the end of a paragraph: {para[:60]!r}")
        spans.extend(found)
        pos += len(para) + 2
    return sorted(spans, key=lambda s: (s.start, -s.end))


def check_article(art_id: str, meta: dict, body: str, entries: object) -> tuple[list[str], dict]:
    problems: list[str] = []
    counts = {"quotes": 0, "attributed": 0, "unnamed": 0, "traps": 0}
    for key in FRONT_KEYS:
        if not meta.get(key):
            problems.append(f"front matter lacks {key}")
    if meta.get("id") != art_id:
        problems.append(f"front matter id {meta.get('id')!r} differs from file name")
    if not DATE.match(str(meta.get("date", ""))):
        problems.append(f"date {meta.get('date')!r} is not YYYY-MM-DD")
    words = len(body.split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        problems.append(f"body has {words} words, outside {MIN_WORDS}-{MAX_WORDS}")
    if not isinstance(entries, list) or not entries:
        return problems + ["gold has no list of entries"], counts

    spans = quoted_spans(body, problems)
    covered: set[Span] = set()
    last = -1
    for n, entry in enumerate(entries):
        where = f"entry {n + 1}"
        if not isinstance(entry, dict) or not isinstance(entry.get("quote"), str) or not entry["quote"].strip():
            problems.append(f"{where}: needs a non-empty quote")
            continue
        quote = entry["quote"]
        where = f"entry {n + 1} {quote!r}"
        keys = set(entry) - {"quote"}
        if keys == {"not_quote"}:
            if entry["not_quote"] is not True:
                problems.append(f"{where}: not_quote must be true")
            counts["traps"] += 1
        elif keys == {"speaker"}:
            speaker = entry["speaker"]
            counts["quotes"] += 1
            if speaker is None:
                counts["unnamed"] += 1
            elif not isinstance(speaker, str) or not speaker.strip():
                problems.append(f"{where}: speaker must be a name or null")
            else:
                counts["attributed"] += 1
                if speaker not in body:
                    problems.append(f"{where}: speaker {speaker!r} does not occur in the body")
        else:
            problems.append(f"{where}: needs exactly one of speaker / not_quote, has {sorted(keys)}")
        hits = [m.start() for m in re.finditer(re.escape(quote), body)]
        if len(hits) != 1:
            problems.append(f"{where}: occurs {len(hits)} times in the body, needs exactly once")
            continue
        start, end = hits[0], hits[0] + len(quote)
        if start < last:
            problems.append(f"{where}: listed out of order of appearance")
        last = start
        holders = [s for s in spans if s.contains(start, end)]
        if not holders:
            problems.append(f"{where}: does not lie between quote marks")
            continue
        covered.add(max(holders, key=lambda s: (s.depth, s.start)))
    for span in spans:
        if span not in covered:
            problems.append(f"quoted span not covered by any entry: {body[span.start:span.end][:70]!r}")
    return problems, counts


def main() -> int:
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8")) or {}
    problems: list[str] = []
    totals = {"articles": 0, "quotes": 0, "attributed": 0, "unnamed": 0, "traps": 0}
    ids = sorted(p.stem for p in ARTICLES.glob("*.md"))
    for art_id in sorted(set(gold) - set(ids)):
        problems.append(f"{art_id}: in gold.yaml but has no article")
    for art_id in ids:
        try:
            meta, body = read_article(ARTICLES / f"{art_id}.md")
        except ValueError as exc:
            problems.append(f"{art_id}: {exc}")
            continue
        if art_id not in gold:
            problems.append(f"{art_id}: article has no gold entries")
            continue
        found, counts = check_article(art_id, meta, body, gold[art_id])
        problems.extend(f"{art_id}: {p}" for p in found)
        totals["articles"] += 1
        for key, value in counts.items():
            totals[key] += value
    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} problem(s)")
        return 1
    entries = totals["quotes"] + totals["traps"]
    print(
        f"ok: {totals['articles']} articles, {entries} entries: {totals['quotes']} quotations "
        f"({totals['attributed']} attributed, {totals['unnamed']} unnamed), {totals['traps']} not-quote traps"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
