"""Measure name discovery (``reader.discovery``): precision, recall and speed.

Two evaluations, printed and saved as Markdown (``bench/reports/discovery_eval.md``):

1. The hand annotation ``tests/data/discovery_gold.yaml``: the people and
   organisations of the bundled articles and of the two test articles. The
   known names come from ``articles/entities.yaml`` (matcher and short
   references), discovery adds the rest, exactly as extraction does.
2. Reuters-21578 (``../shared/corpora/reuters21578.jsonl``), read with an
   empty entity list, against the people and organisation tags of each record.
   The tags name only the principal people and use short codes, so the figures
   are rough; they show whether the rules generalise to text nobody here wrote.

Usage: ``.venv/bin/python bench/discovery_eval.py [--limit N]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.corpus import Article, load_article, load_corpus  # noqa: E402
from reader.discovery import PERSON, Found, discover, short_references  # noqa: E402
from reader.entities import EntityList, load_entity_list, name_key  # noqa: E402
from reader.matcher import Matcher  # noqa: E402
from reader.yamlsafe import load_yaml  # noqa: E402

GOLD = ROOT / "tests" / "data" / "discovery_gold.yaml"
FIXTURES = ROOT / "tests" / "data" / "discovery"
ARTICLES = ROOT / "articles"
REUTERS = ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl"
REPORT = ROOT / "bench" / "reports" / "discovery_eval.md"

ORG_KINDS = ("company", "organization")
_WORD = re.compile(r"[\w'’-]+")
_SMALL = frozenset("of and the for on de & in".split())


# --------------------------------------------------------------------------
# Name comparison


def words_of(name: str) -> list[str]:
    """Lower-case words of a name, compared as name_key compares names."""
    return _WORD.findall(name_key(name))


def contains_words(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """Is ``needle`` a run of consecutive words of ``haystack``?"""
    n = len(needle)
    return n > 0 and any(list(haystack[i : i + n]) == list(needle) for i in range(len(haystack) - n + 1))


def names_match(candidate_names: Iterable[str], gold: str) -> bool:
    """A gold name is found by an entity when one of the entity's names equals
    it or holds it as whole words ("X (formerly Twitter)" holds "X")."""
    gold_words = words_of(gold)
    return any(name_key(c) == name_key(gold) or contains_words(words_of(c), gold_words) for c in candidate_names)


def broad_kind(kind: str) -> str:
    return "person" if kind == PERSON else "org"


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


# --------------------------------------------------------------------------
# 1. The hand annotation


@dataclass
class GoldScore:
    article: str
    gold: int = 0
    gold_new: int = 0  # gold names no known entity of the article covers
    found_by_known: int = 0
    found_new: int = 0  # of gold_new, recalled by discovery
    found_all: int = 0  # recalled by known or discovered
    discovered: int = 0
    discovered_ok: int = 0
    known: int = 0  # known people and organisations mentioned
    known_ok: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)


def gold_articles() -> tuple[dict[str, dict[str, list[str]]], list[Article]]:
    gold = load_yaml(GOLD.read_text(encoding="utf-8")) or {}
    articles = load_corpus(ARTICLES).articles + [load_article(p) for p in sorted(FIXTURES.glob("*.md"))]
    return gold, [a for a in articles if a.id in gold]


def score_gold_article(article: Article, gold: dict[str, list[str]], entity_list: EntityList, matcher: Matcher) -> GoldScore:
    text = article.body
    known = matcher.match(text)
    known = sorted(known + short_references(text, known, entity_list), key=lambda m: m.start)
    found = discover(text, known, entity_list)
    entities = [entity_list.get(i) for i in dict.fromkeys(m.entity for m in known)]
    known_named = [e for e in entities if e is not None and (e.kind == PERSON or e.kind in ORG_KINDS)]
    gold_items = [(g, "person") for g in gold.get("people") or []] + [(g, "org") for g in gold.get("orgs") or []]
    score = GoldScore(article.id, gold=len(gold_items))
    for name, kind in gold_items:
        by_known = any(names_match(e.names, name) for e in known_named if broad_kind(e.kind) == kind)
        by_found = any(names_match([f.name], name) for f in found if broad_kind(f.kind) == kind)
        score.found_by_known += by_known
        score.found_all += by_known or by_found
        if not by_known:
            score.gold_new += 1
            score.found_new += by_found
            if not by_found:
                score.misses.append(f"{name} ({kind})")
    gold_by_kind = {k: [g for g, gk in gold_items if gk == k] for k in ("person", "org")}
    for f in found:
        ok = any(names_match([f.name], g) for g in gold_by_kind[broad_kind(f.kind)])
        score.discovered += 1
        score.discovered_ok += ok
        if not ok:
            score.false.append(f"{f.name} ({f.kind})")
    for e in known_named:
        score.known += 1
        score.known_ok += any(names_match(e.names, g) for g in gold_by_kind[broad_kind(e.kind)])
    return score


def evaluate_gold() -> list[GoldScore]:
    entity_list = load_entity_list(ARTICLES)
    matcher = Matcher.from_list(entity_list)
    gold, articles = gold_articles()
    return [score_gold_article(a, gold[a.id], entity_list, matcher) for a in articles]


def unannotated() -> list[str]:
    """Bundled articles the gold file leaves out (they are not scored)."""
    gold = load_yaml(GOLD.read_text(encoding="utf-8")) or {}
    return [a.id for a in load_corpus(ARTICLES).articles if a.id not in gold]


def gold_table(scores: list[GoldScore]) -> list[str]:
    lines = [
        "| article | gold | of which new | discovered | disc. P | disc. R (new) | known+disc. P | known+disc. R |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    total = GoldScore("**total**")
    for s in scores + [total]:
        if s is not total:
            for name in ("gold", "gold_new", "found_by_known", "found_new", "found_all", "discovered", "discovered_ok", "known", "known_ok"):
                setattr(total, name, getattr(total, name) + getattr(s, name))
        lines.append(
            f"| {s.article} | {s.gold} | {s.gold_new} | {s.discovered} | {pct(ratio(s.discovered_ok, s.discovered))} "
            f"| {pct(ratio(s.found_new, s.gold_new))} | {pct(ratio(s.known_ok + s.discovered_ok, s.known + s.discovered))} "
            f"| {pct(ratio(s.found_all, s.gold))} |"
        )
    lines.append("")
    for s in scores:
        if s.misses:
            lines.append(f"- {s.article}: missed {', '.join(s.misses)}")
        if s.false:
            lines.append(f"- {s.article}: wrongly discovered {', '.join(s.false)}")
    if not any(s.misses or s.false for s in scores):
        lines.append("- no missed and no wrongly discovered names")
    return lines


# --------------------------------------------------------------------------
# 2. Reuters


@dataclass
class ReutersScore:
    records: int = 0  # records read
    tagged: int = 0  # records with people or org tags
    person_tags: int = 0
    person_tags_found: int = 0
    org_tags: int = 0
    org_tags_found: int = 0
    people: int = 0  # discovered people in tagged records
    people_tagged: int = 0  # of those, whose last name is a people tag of the record
    orgs: int = 0
    times_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    missed_people: dict[str, int] = field(default_factory=dict)
    missed_orgs: dict[str, int] = field(default_factory=dict)


def read_reuters(path: Path, limit: int | None) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for index, line in enumerate(handle):
            if limit is not None and index >= limit:
                break
            if line.strip():
                yield json.loads(line)


def tag_words(tag: str) -> list[str]:
    """"james-baker" -> ["james", "baker"]; "de-clercq" -> ["de", "clercq"]."""
    return [w for w in tag.lower().split("-") if w]


def person_tag_found(tag: str, people: Sequence[Found]) -> bool:
    """The tag's words are whole words of a discovered person's name (hyphens
    in names count as spaces: "Leigh-Pemberton")."""
    wanted = tag_words(tag)
    return any(contains_words(words_of(p.name.replace("-", " ")), wanted) for p in people)


def initials(name: str) -> str:
    return "".join(w[0] for w in words_of(name.replace("-", " ")) if w not in _SMALL and w[0].isalpha())


def org_tag_found(tag: str, orgs: Sequence[Found]) -> bool:
    """Org tags are codes: "imf", "ec", "worldbank", "ico-coffee". The code
    (before any "-") is found when it is a whole word of a discovered
    organisation's name, its initials, or the name with spaces removed."""
    code = tag.lower().split("-")[0]
    whole = tag.lower().replace("-", "")
    for org in orgs:
        name_words = words_of(org.name.replace("-", " "))
        if code in name_words or initials(org.name) == code or "".join(name_words) in (code, whole):
            return True
    return False


def last_name_tagged(person: Found, tags: Sequence[str]) -> bool:
    last = words_of(person.name.replace("-", " "))[-1:]
    surnames = {tag_words(t)[-1] for t in tags if tag_words(t)}
    whole = {t.lower() for t in tags}
    return bool(last) and (last[0] in surnames or name_key(person.name.split()[-1]) in whole)


def evaluate_reuters(path: Path, limit: int | None) -> ReutersScore:
    score = ReutersScore()
    empty = EntityList()
    for record in read_reuters(path, limit):
        body = record.get("body") or ""
        start, cpu = time.perf_counter(), time.process_time()
        found = discover(body, [], empty)
        score.times_ms.append((time.perf_counter() - start) * 1000)
        score.cpu_ms.append((time.process_time() - cpu) * 1000)
        score.records += 1
        people_tags, org_tags = record.get("people") or [], record.get("orgs") or []
        if not (people_tags or org_tags):
            continue
        score.tagged += 1
        people = [f for f in found if f.kind == PERSON]
        orgs = [f for f in found if f.kind in ORG_KINDS]
        for tag in people_tags:
            hit = person_tag_found(tag, people)
            score.person_tags += 1
            score.person_tags_found += hit
            if not hit:
                score.missed_people[tag] = score.missed_people.get(tag, 0) + 1
        for tag in org_tags:
            hit = org_tag_found(tag, orgs)
            score.org_tags += 1
            score.org_tags_found += hit
            if not hit:
                score.missed_orgs[tag] = score.missed_orgs.get(tag, 0) + 1
        if people_tags:
            score.people += len(people)
            score.people_tagged += sum(last_name_tagged(p, people_tags) for p in people)
        score.orgs += len(orgs)
    return score


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def most_common(counts: dict[str, int], n: int = 12) -> str:
    return ", ".join(f"{k} ({v})" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])[:n]) or "none"


def reuters_lines(score: ReutersScore, path: Path) -> list[str]:
    total_s = sum(score.times_ms) / 1000
    return [
        f"Source: `{path}`, {score.records} records read, {score.tagged} with people or org tags; "
        "empty entity list.",
        "",
        "| measure | value |",
        "| --- | ---: |",
        f"| person tags recalled | {score.person_tags_found} / {score.person_tags} = {pct(ratio(score.person_tags_found, score.person_tags))} |",
        f"| org tags recalled | {score.org_tags_found} / {score.org_tags} = {pct(ratio(score.org_tags_found, score.org_tags))} |",
        f"| discovered people whose last name is a people tag (precision, lower bound) | {score.people_tagged} / {score.people} = {pct(ratio(score.people_tagged, score.people))} |",
        f"| discovered organisations in tagged records | {score.orgs} |",
        f"| throughput (all records read) | {score.records / total_s:.0f} articles/s |" if total_s else "| throughput | n/a |",
        f"| wall time per article, p50 / p95 / max | {percentile(score.times_ms, 0.5):.2f} / {percentile(score.times_ms, 0.95):.2f} / {max(score.times_ms, default=0):.2f} ms |",
        f"| CPU time per article, p50 / p95 | {percentile(score.cpu_ms, 0.5):.2f} / {percentile(score.cpu_ms, 0.95):.2f} ms |",
        "",
        "The precision figure is a rough lower bound: Reuters tags only the principal people of",
        "a story, so a correctly found person who is not its subject counts as wrong here.",
        "Org tags are mostly acronyms (ec, imf, opec); an org tag counts as recalled when it is a",
        "whole word of a discovered organisation's name, its initials, or the name without spaces",
        "(worldbank); a qualifier after a hyphen (ico-coffee) is dropped.",
        "",
        f"Most often missed person tags: {most_common(score.missed_people)}.",
        "",
        f"Most often missed org tags: {most_common(score.missed_orgs)}.",
    ]


# --------------------------------------------------------------------------


def build_report(scores: list[GoldScore], reuters: ReutersScore | None, path: Path) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# Discovery evaluation",
        "",
        f"Generated by `bench/discovery_eval.py` on {time.strftime('%Y-%m-%d %H:%M')}; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load:.2f} at the end of the run.",
        "",
        "## 1. Hand annotation (`tests/data/discovery_gold.yaml`)",
        "",
        "Known names come from `articles/entities.yaml` (matcher and short references); discovery",
        "adds the rest. A gold name is recalled when a known or discovered entity's name or alias",
        "equals it or holds it as whole words. *New* gold names are those no known entity of the",
        "article covers: discovery's recall is measured on them. A discovered name is correct when",
        "it matches a gold name of the same broad kind (person, or company/organisation).",
        f"Not annotated, so not scored: {', '.join(unannotated()) or 'none'}.",
        "",
        *gold_table(scores),
        "",
        "## 2. Reuters-21578 (empty entity list)",
        "",
    ]
    lines += reuters_lines(reuters, path) if reuters else ["Not run (file missing)."]
    return "\n".join(line for line in lines if line is not None) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="read at most N Reuters records (default: all)")
    parser.add_argument("--reuters", type=Path, default=REUTERS, help="Reuters-21578 JSON lines file")
    parser.add_argument("--report", type=Path, default=REPORT, help="where to write the Markdown report")
    args = parser.parse_args(argv)
    scores = evaluate_gold()
    reuters = evaluate_reuters(args.reuters, args.limit) if args.reuters.exists() else None
    report = build_report(scores, reuters, args.reuters)
    print(report)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report, encoding="utf-8")
    print(f"report written to {args.report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
