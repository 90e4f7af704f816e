"""Precision and recall of quote attribution on the hand-annotated articles
of ``tests/data/quote_eval`` (original news stories written for the project,
annotated quotation by quotation: see its README).

The articles are indexed as a user's folder would be (the tagger on, no
entity list), and each article's quotations are read back from the ledger
(``Library.quotes``), as ``reader quotes`` prints them. Then, against the
gold entries:

- **attribution**: a gold quotation with a named speaker is right when a
  quotation found over its words names that speaker (the same person or
  organisation: the full name, or the found name's words all in the gold
  name with the same last word, "Gonzalez" for "Maria Gonzalez", or the other way);
  precision over every quotation found with a speaker (a speaker given to an
  unnamed source's words, a slogan or a title is wrong), recall over the
  gold quotations with a speaker;
- **detection**: gold quotations (named or not) found at all;
- **traps**: slogans, titles and scare quotes (``not_quote``) found as a
  quotation, and given a speaker.

Prints the report and saves it as ``bench/reports/quote_eval.md`` and ``.json``.

Usage: ``.venv/bin/python bench/quote_eval.py [--gold DIR]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reader.corpus import load_article  # noqa: E402
from reader.library import Library  # noqa: E402
from reader.yamlsafe import load_yaml  # noqa: E402

GOLD = ROOT / "tests" / "data" / "quote_eval"
HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "sir", "dame"}


def name_words(name: str) -> list[str]:
    words = [w.strip(".,").casefold() for w in name.replace("’", "'").split()]
    return [w for w in words if w and w not in HONORIFICS]


def same_speaker(found: str | None, gold: str) -> bool:
    if not found:
        return False
    a, b = name_words(found), name_words(gold)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return shorter[-1] == longer[-1] and set(shorter) <= set(longer)


def evaluate(gold_dir: Path = GOLD, index_dir: Path | None = None) -> dict[str, Any]:
    gold = load_yaml((gold_dir / "gold.yaml").read_text(encoding="utf-8"))
    articles = gold_dir / "articles"
    with tempfile.TemporaryDirectory(prefix="reader-quote-eval-") as tmp:
        library = Library(articles, index_dir or Path(tmp) / "index")
        library.update()
        counts: Counter[str] = Counter()
        errors: list[dict[str, Any]] = []
        for article_id, entries in sorted(gold.items()):
            body = load_article(articles / f"{article_id}.md", articles).body
            found = library.quotes(article=article_id)
            used: set[int] = set()
            for entry in entries or []:
                at = body.find(entry["quote"])
                span = (at, at + len(entry["quote"]))
                over = [n for n, q in enumerate(found) if q.start < span[1] and q.end > span[0]]
                used.update(over)
                speakers = [found[n].speaker_name for n in over]
                if entry.get("not_quote"):
                    counts["traps"] += 1
                    counts["traps found"] += bool(over)
                    if any(speakers):
                        counts["traps attributed"] += 1
                        counts["wrong speakers"] += 1
                        errors.append({"article": article_id, "quote": entry["quote"], "gold": None,
                                       "found": next(s for s in speakers if s), "trap": True})
                    continue
                counts["quotations"] += 1
                counts["quotations found"] += bool(over)
                speaker = entry.get("speaker")
                named = [s for s in speakers if s]
                if speaker is None:
                    counts["unnamed"] += 1
                    if named:
                        counts["wrong speakers"] += 1
                        errors.append({"article": article_id, "quote": entry["quote"], "gold": None,
                                       "found": named[0]})
                    continue
                counts["attributed"] += 1
                if any(same_speaker(s, speaker) for s in named):
                    counts["right speakers"] += 1
                elif named:
                    counts["wrong speakers"] += 1
                    errors.append({"article": article_id, "quote": entry["quote"], "gold": speaker,
                                   "found": named[0]})
                else:
                    errors.append({"article": article_id, "quote": entry["quote"], "gold": speaker,
                                   "found": None})
            # Quotations found where the gold has none (not every pair of marks
            # is annotated only if check_gold.py was not run): counted as wrong
            # when they name a speaker.
            for n, q in enumerate(found):
                if n not in used:
                    counts["found outside the gold"] += 1
                    if q.speaker_name:
                        counts["wrong speakers"] += 1
                        errors.append({"article": article_id, "quote": q.text, "gold": None,
                                       "found": q.speaker_name, "outside": True})
        library.close()
    right, wrong = counts["right speakers"], counts["wrong speakers"]
    precision = right / (right + wrong) if right + wrong else 0.0
    recall = right / counts["attributed"] if counts["attributed"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"articles": len(gold), "counts": dict(counts), "precision": precision, "recall": recall, "f1": f1,
            "detection recall": counts["quotations found"] / max(1, counts["quotations"]), "errors": errors}


def main() -> int:
    from common import Report, md_table

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "reports")
    args = parser.parse_args()
    result = evaluate(args.gold)
    counts = result["counts"]
    report = Report("quote_eval", "Quote attribution on the hand-annotated articles")
    report.section("Attribution", md_table(["measure", "value"], [
        ("articles", result["articles"]),
        ("gold quotations (with a speaker / unnamed)",
         f"{counts.get('quotations', 0)} ({counts.get('attributed', 0)} / {counts.get('unnamed', 0)})"),
        ("precision", f"{result['precision']:.3f}"), ("recall", f"{result['recall']:.3f}"),
        ("F1", f"{result['f1']:.3f}"),
        ("quotations found at all (detection recall)", f"{result['detection recall']:.3f}"),
        ("traps (slogans, titles, scare quotes)", counts.get("traps", 0)),
        ("traps found as a quotation / given a speaker",
         f"{counts.get('traps found', 0)} / {counts.get('traps attributed', 0)}"),
    ]))
    report.section("Errors", md_table(["article", "quotation", "gold speaker", "found"], [
        (e["article"], e["quote"][:60], e["gold"] or "(none)", e["found"] or "(none)") for e in result["errors"]]))
    report.data.update({k: v for k, v in result.items() if k != "errors"}, errors=result["errors"])
    report.save(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
