"""Check the entity evaluation set in this folder against its gold annotation.

Run from the repository root:

    .venv/bin/python tests/data/entity_eval/check_gold.py

Checks:
- every article <id>.md has YAML front matter with id (equal to the file name), title,
  source, date and kind (one of KINDS);
- gold.yaml has exactly one entry per article, and each entry has exactly the six entity
  kinds, each a list of distinct non-empty strings;
- no name is listed under two kinds of the same article;
- no entry carries a possessive 's, a leading "the" or stray whitespace;
- every gold name appears verbatim (case-sensitive) in the article's title or body. The
  only exception is a name that the article prints only in capitals: a name may match
  case-insensitively inside an ALL CAPS title or inside the upper-case dateline that opens
  a wire body ("SANTIAGO, March 3 -" matches "Santiago").

Uses only the standard library and PyYAML. Exits 1 and lists the problems if any check
fails; otherwise prints a summary.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold.yaml"
ENTITY_KINDS = ("person", "organization", "company", "place", "product", "event")
KINDS = ("wire", "feature", "opinion", "results", "tech", "politics")
FRONT_KEYS = ("id", "title", "source", "date", "kind")
# Dateline: upper-case place words at the start of a line, then a comma or a dash.
DATELINE = re.compile(r"^\s*([A-Z][A-Z .'\-]+?)\s*(?:,|\s[-\u2014])", re.MULTILINE)
# Names that genuinely end in 's (not a possessive).
POSSESSIVE_OK = {"Moody's"}


def read_article(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError("no front matter")
    try:
        _, front, body = text.split("---\n", 2)
    except ValueError:
        raise ValueError("unterminated front matter") from None
    meta = yaml.safe_load(front)
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping")
    return meta, body


def caps_segments(title: str, body: str) -> list[str]:
    """Text that the article prints only in capitals: an ALL CAPS title, the dateline."""
    segments = []
    if title.upper() == title:
        segments.append(title)
    # The dateline is the first line that looks like one, within the first few lines
    # (features put a byline or "5 min read" first).
    for line in body.splitlines()[:8]:
        match = DATELINE.match(line)
        if match and match.group(1).upper() == match.group(1) and len(match.group(1)) > 2:
            segments.append(match.group(1))
            break
    return segments


def name_problems(name: str) -> list[str]:
    problems = []
    if name != name.strip() or "  " in name or "\n" in name:
        problems.append("stray whitespace")
    if name.lower().startswith("the "):
        problems.append('leading "the"')
    if re.search(r"['\u2019]s$", name) and name not in POSSESSIVE_OK:
        problems.append("possessive 's")
    return problems


def main() -> int:
    errors: list[str] = []
    articles: dict[str, tuple[dict, str]] = {}
    for path in sorted(HERE.glob("*.md")):
        try:
            meta, body = read_article(path)
        except (ValueError, yaml.YAMLError) as exc:
            errors.append(f"{path.name}: {exc}")
            continue
        missing = [key for key in FRONT_KEYS if key not in meta]
        if missing:
            errors.append(f"{path.name}: front matter lacks {', '.join(missing)}")
        if meta.get("id") != path.stem:
            errors.append(f"{path.name}: id {meta.get('id')!r} does not match the file name")
        if meta.get("kind") not in KINDS:
            errors.append(f"{path.name}: kind {meta.get('kind')!r} is not one of {KINDS}")
        if not str(meta.get("title", "")).strip():
            errors.append(f"{path.name}: empty title")
        articles[path.stem] = (meta, body)

    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    if not isinstance(gold, dict):
        print(f"{GOLD.name}: not a mapping")
        return 1

    for aid in sorted(set(articles) - set(gold)):
        errors.append(f"{aid}: article has no gold entry")
    for aid in sorted(set(gold) - set(articles)):
        errors.append(f"{aid}: gold entry has no article {aid}.md")

    totals: Counter[str] = Counter()
    for aid in sorted(set(articles) & set(gold)):
        meta, body = articles[aid]
        title = str(meta.get("title", ""))
        text = title + "\n" + body
        caps = [segment.casefold() for segment in caps_segments(title, body)]
        entry = gold[aid]
        if not isinstance(entry, dict) or set(entry) != set(ENTITY_KINDS):
            errors.append(f"{aid}: gold entry must have exactly the kinds {ENTITY_KINDS}")
            continue
        seen: dict[str, str] = {}
        for kind in ENTITY_KINDS:
            names = entry[kind]
            if not isinstance(names, list):
                errors.append(f"{aid}.{kind}: not a list")
                continue
            for name in names:
                if not isinstance(name, str) or not name.strip():
                    errors.append(f"{aid}.{kind}: bad entry {name!r}")
                    continue
                if name in seen:
                    errors.append(f"{aid}: {name!r} listed under {seen[name]} and {kind}")
                    continue
                seen[name] = kind
                totals[kind] += 1
                for problem in name_problems(name):
                    errors.append(f"{aid}.{kind}: {name!r} has a {problem}")
                if name in text:
                    continue
                if any(name.casefold() in segment for segment in caps):
                    continue
                errors.append(f"{aid}.{kind}: {name!r} does not appear in the title or body")

    if errors:
        print(f"{len(errors)} problem(s):")
        for error in errors:
            print(f"  {error}")
        return 1

    kinds = Counter(meta.get("kind") for meta, _ in articles.values())
    print(f"OK: {len(articles)} articles, {sum(totals.values())} gold entities")
    print("articles per kind: " + ", ".join(f"{k} {kinds[k]}" for k in KINDS))
    print("entities per kind: " + ", ".join(f"{k} {totals[k]}" for k in ENTITY_KINDS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
