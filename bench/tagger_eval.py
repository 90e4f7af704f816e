"""Measure entity discovery with the trained tagger beside the rules alone.

Three measures, each for ``--taggers`` (default: ``rules crf``), printed and
saved as Markdown and JSON (``bench/reports/tagger_eval.md``/``.json``):

1. CoNLL-2003 valid (``../shared/corpora/conll2003/valid.txt``): the stories
   written back as text (tokens joined by spaces, a sentence a line) and read by
   the reader's whole extraction with an empty entity list; persons,
   organisations and places scored by exact span and kind. The CRF model was
   tuned on this file (its regularisation), so its figures here are a little
   kind to it; the test part of CoNLL is kept apart from the project.
2. Reuters-21578: the share of the records' ``people`` tags (family names)
   that the extraction finds as a person, and the share of articles naming one
   of the most tagged people by family name whose mention is highlighted as a
   person.
3. The hand-annotated articles of ``tests/data/entity_eval`` (written for the
   project; see ``gold.yaml``): precision and recall of the entities found,
   by name and kind.

Usage: ``.venv/bin/python bench/tagger_eval.py [--limit N] [--taggers rules crf]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.corpus import load_article  # noqa: E402
from reader.entities import EntityList, name_key  # noqa: E402
from reader.extract import Extractor  # noqa: E402
from reader.tagger.conll import documents, read_sentences, spans  # noqa: E402
from reader.yamlsafe import load_yaml  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpora"
CONLL_VALID = SHARED / "conll2003" / "valid.txt"
REUTERS = SHARED / "reuters21578.jsonl"
HAND = ROOT / "tests" / "data" / "entity_eval"
REPORTS = ROOT / "bench" / "reports"

CONLL_KIND = {"person": "PER", "company": "ORG", "organization": "ORG", "place": "LOC", "product": "MISC", "event": "MISC"}


def prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "gold": gold, "found": predicted}


def kind_of(extractor: Extractor, extraction: Any, entity_id: str) -> str:
    return extractor.kind_of(entity_id, extraction)


# --------------------------------------------------------------------------
# 1. CoNLL valid through the whole extraction


def conll(extractor: Extractor) -> dict[str, Any]:
    counts = {k: [0, 0, 0] for k in ("PER", "ORG", "LOC")}
    started = time.perf_counter()
    tokens = 0
    for doc in documents(read_sentences(CONLL_VALID)):
        lines, gold = [], set()
        offset = 0
        for sent in doc:
            starts = []
            for word in sent.words:
                starts.append(offset + sum(len(w) + 1 for w in sent.words[: len(starts)]))
            for a, b, kind in spans(sent.tags):
                gold.add((starts[a], starts[b - 1] + len(sent.words[b - 1]), kind))
            line = " ".join(sent.words)
            lines.append(line)
            offset += len(line) + 1
            tokens += len(sent.words)
        text = "\n".join(lines)
        extraction = extractor.extract(text)
        got = {(m.start, m.end, CONLL_KIND.get(kind_of(extractor, extraction, m.entity), "")) for m in extraction.mentions}
        for kind, c in counts.items():
            g = {s for s in gold if s[2] == kind}
            p = {s for s in got if s[2] == kind}
            c[0] += len(g & p)
            c[1] += len(p)
            c[2] += len(g)
    seconds = time.perf_counter() - started
    result = {kind: prf(*c) for kind, c in counts.items()}
    both = [counts["PER"][i] + counts["ORG"][i] for i in range(3)]
    result["PER+ORG"] = prf(*both)
    result["ms_per_1000_tokens"] = round(1000 * seconds / tokens * 1000, 1)
    return result


# --------------------------------------------------------------------------
# 2. Reuters people tags


def reuters(extractor: Extractor, limit: int) -> dict[str, Any]:
    records = []
    with REUTERS.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("people"):
                records.append(record)
            if limit and len(records) >= limit:
                break
    tags = Counter(tag for r in records for tag in r["people"])
    top = [tag for tag, _ in tags.most_common(10)]
    found_tags = total_tags = 0
    named = {tag: [0, 0] for tag in top}  # articles naming the family name, of them highlighted
    for record in records:
        title, body = record.get("title") or "", record.get("body") or ""
        extraction = extractor.extract(body, str(record.get("id")), title)
        people = [m for m in extraction.mentions if kind_of(extractor, extraction, m.entity) == "person"]
        words = {w.lower() for m in people for w in re.findall(r"[\w'-]+", body[m.start : m.end])}
        names = {w.lower() for m in people for e in [extractor.entity_list.get(m.entity) or extraction.discovered.get(m.entity)]
                 if e for w in re.findall(r"[\w'-]+", e.name)}
        for tag in record["people"]:
            family = tag.replace("-", " ").split()[-1].lower()
            total_tags += 1
            found_tags += family in words or family in names
        for tag in top:
            family = tag.replace("-", " ").split()[-1]
            pattern = re.compile(rf"\b{re.escape(family.capitalize())}\b")
            hits = [m.start() for m in pattern.finditer(body)]
            if not hits:
                continue
            named[tag][0] += 1
            covered = any(m.start <= h < m.end for h in hits for m in people)
            named[tag][1] += covered
    shares = {tag: {"articles": n, "highlighted": ok, "share": round(ok / n, 3) if n else None} for tag, (n, ok) in named.items()}
    articles = sum(n for n, _ in named.values())
    highlighted = sum(ok for _, ok in named.values())
    return {
        "records": len(records),
        "people_tag_recall": round(found_tags / total_tags, 4) if total_tags else None,
        "family_name_share": round(highlighted / articles, 4) if articles else None,
        "by_person": shares,
    }


# --------------------------------------------------------------------------
# 3. The hand-annotated articles

BROAD = {"company": "org", "organization": "org"}


def hand(extractor: Extractor) -> dict[str, Any] | None:
    gold_file = HAND / "gold.yaml"
    if not gold_file.is_file():
        return None
    gold = load_yaml(gold_file.read_text(encoding="utf-8")) or {}
    exact = [0, 0, 0]
    broad = [0, 0, 0]
    per_kind: dict[str, list[int]] = {}
    misses: list[str] = []
    false: list[str] = []
    for path in sorted(HAND.glob("*.md")):
        article = load_article(path)
        wanted = gold.get(article.id) or {}
        extraction = extractor.extract(article.body, article.id, article.title)
        ids = dict.fromkeys(m.entity for m in extraction.title_mentions + extraction.mentions)
        found = []
        for entity_id in ids:
            entity = extractor.entity_list.get(entity_id) or extraction.discovered.get(entity_id)
            if entity is not None:
                found.append((entity.name, entity.kind))
        gold_items = [(name, kind) for kind, names in wanted.items() for name in (names or [])]

        def same(a: str, b: str) -> bool:
            return name_key(a) == name_key(b)

        for name, kind in gold_items:
            c = per_kind.setdefault(kind, [0, 0, 0])
            c[2] += 1
            hit = any(same(n, name) and k == kind for n, k in found)
            exact[0] += hit
            c[0] += hit
            broad[0] += any(same(n, name) and BROAD.get(k, k) == BROAD.get(kind, kind) for n, k in found)
            if not hit:
                misses.append(f"{article.id}: {name} ({kind})")
        for name, kind in found:
            c = per_kind.setdefault(kind, [0, 0, 0])
            c[1] += 1
            if not any(same(name, g) for g, _ in gold_items):
                false.append(f"{article.id}: {name} ({kind})")
        exact[1] += len(found)
        exact[2] += len(gold_items)
        broad[1] += len(found)
        broad[2] += len(gold_items)
    return {
        "articles": len(list(HAND.glob("*.md"))),
        "exact_kind": prf(*exact),
        "broad_kind": prf(*broad),
        "by_kind": {k: prf(*c) for k, c in sorted(per_kind.items())},
        "misses": misses,
        "false": false,
    }


# --------------------------------------------------------------------------


def fmt(score: dict[str, float]) -> str:
    return f"P {score['precision']:.3f} / R {score['recall']:.3f} / F1 {score['f1']:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--taggers", nargs="+", default=["rules", "crf"])
    parser.add_argument("--limit", type=int, default=0, help="Reuters records with people tags to read (0: all)")
    parser.add_argument("--suffix", default="", help="report name suffix")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    for tagger in args.taggers:
        extractor = Extractor(EntityList(), tagger=tagger)
        results[tagger] = {"conll_valid": conll(extractor), "reuters": reuters(extractor, args.limit), "hand": hand(extractor)}
        print(f"{tagger}: CoNLL valid PER+ORG {fmt(results[tagger]['conll_valid']['PER+ORG'])}", file=sys.stderr)
    lines = ["# Entity discovery: the trained tagger beside the rules alone", ""]
    lines.append("CoNLL-2003 valid, the reader's whole extraction, exact span and kind:")
    lines.append("")
    lines.append("| tagger | PER | ORG | PER+ORG | LOC | ms / 1,000 tokens |")
    lines.append("| --- | --- | --- | --- | --- | --- |")
    for tagger, r in results.items():
        c = r["conll_valid"]
        lines.append(f"| {tagger} | {fmt(c['PER'])} | {fmt(c['ORG'])} | {fmt(c['PER+ORG'])} | {fmt(c['LOC'])} | {c['ms_per_1000_tokens']} |")
    lines += ["", "Reuters-21578 people tags:", "", "| tagger | records | tag recall | family name highlighted |", "| --- | --- | --- | --- |"]
    for tagger, r in results.items():
        x = r["reuters"]
        lines.append(f"| {tagger} | {x['records']} | {x['people_tag_recall']:.3f} | {x['family_name_share']:.3f} |")
    for tagger, r in results.items():
        by = ", ".join(f"{t} {v['highlighted']}/{v['articles']}" for t, v in r["reuters"]["by_person"].items())
        lines.append(f"\n{tagger}, by person: {by}")
    if any(r["hand"] for r in results.values()):
        lines += ["", "Hand-annotated articles (tests/data/entity_eval):", "",
                  "| tagger | articles | exact kind | person/org/place/... |", "| --- | --- | --- | --- |"]
        for tagger, r in results.items():
            h = r["hand"]
            if h:
                lines.append(f"| {tagger} | {h['articles']} | {fmt(h['exact_kind'])} | {fmt(h['broad_kind'])} |")
        for tagger, r in results.items():
            h = r["hand"]
            if h:
                lines.append(f"\n{tagger} by kind: " + "; ".join(f"{k} {fmt(v)}" for k, v in h["by_kind"].items()))
    report = "\n".join(lines) + "\n"
    print(report)
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"tagger_eval{args.suffix}.md").write_text(report, encoding="utf-8")
    (REPORTS / f"tagger_eval{args.suffix}.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
