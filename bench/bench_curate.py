"""Curating on a big corpus: how long accept, alias, reject and add take.

Imports Reuters-21578 into a temporary folder (or uses ``--articles`` with
``--index``), then curates discovered names mentioned in about ``--mentions``
articles, each step through the library as the CLI and the reader do, and
times it. Every step reads again only the articles that name what changed.
Prints the report and saves it as ``bench/reports/curate.md`` and ``.json``.

Usage: ``.venv/bin/python bench/bench_curate.py [--articles DIR --index DIR] [--mentions 100]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.library import Library  # noqa: E402

REUTERS = ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl"
REPORTS = ROOT / "bench" / "reports"


def pick(library: Library, kind: str, target: int, taken: set[str]) -> tuple[str, int]:
    """A discovered name of ``kind`` whose article count is nearest ``target``."""
    best = None
    for entity in library.xref.entities(include_confirmed=False):
        if entity.kind != kind or entity.name in taken:
            continue
        count = len(library.articles_for(entity.id))
        if best is None or abs(count - target) < abs(best[1] - target):
            best = (entity.name, count)
    assert best is not None, f"no discovered {kind}"
    taken.add(best[0])
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=Path)
    parser.add_argument("--index", type=Path)
    parser.add_argument("--mentions", type=int, default=100)
    parser.add_argument("--suffix", default="")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reader-curate-"))
    articles = args.articles or work / "articles"
    index = args.index or work / "index"
    lines = ["# Curating on Reuters-21578", ""]
    if args.articles is None:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "reader", "--articles", str(articles), "--index", str(index),
                        "import", str(REUTERS)], check=True, stdout=subprocess.DEVNULL)
        lines.append(f"import and index: {time.perf_counter() - started:.1f} s")
    library = Library(articles, index)
    library.update()
    taken: set[str] = set()
    steps = []
    person, person_articles = pick(library, "person", args.mentions, taken)
    org, org_articles = pick(library, "organization", args.mentions, taken)
    company, company_articles = pick(library, "company", args.mentions, taken)
    plan = [
        ("accept", person, {}, person_articles),
        ("alias", company, {"to": person}, company_articles),  # a merge (of unlike kinds: only the cost counts)
        ("reject", org, {}, org_articles),
        # A name no article has (each run adds a new one: the folder may be reused).
        ("add", f"Quillmere Holdings {int(time.time())}", {"kind": "company"}, 0),
    ]
    for action, name, kwargs, count in plan:
        started = time.perf_counter()
        message, report = library.curate(action, name, **kwargs)
        seconds = time.perf_counter() - started
        steps.append({"action": action, "name": name, "articles_named": count, "seconds": round(seconds, 2),
                      "re_read": report.changed, "rebuilt": report.rebuilt, "message": message})
    library.close()
    lines += ["", "| step | name | articles naming it | re-read | seconds |", "| --- | --- | --- | --- | --- |"]
    for s in steps:
        lines.append(f"| {s['action']} | {s['name']} | {s['articles_named']} | {s['re_read']}"
                     f"{' (rebuilt)' if s['rebuilt'] else ''} | {s['seconds']} |")
    report_text = "\n".join(lines) + "\n"
    print(report_text)
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"curate{args.suffix}.md").write_text(report_text, encoding="utf-8")
    (REPORTS / f"curate{args.suffix}.json").write_text(json.dumps(steps, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
