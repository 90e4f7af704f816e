"""Figure extraction (reader.figures.extract_claims) against the code of an
earlier revision, in the same run: milliseconds per Reuters article, runs
interleaved, and the articles whose figures differ.

Usage: ``.venv/bin/python bench/ab_figures.py --articles DIR [--rev HEAD~1] [--limit 6000]``
(``DIR``: an articles folder, such as Reuters imported by ``reader import``).
Prints the report and saves it as ``bench/reports/figures-ab.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Report, md_table  # noqa: E402

import reader.figures as current  # noqa: E402
from reader.corpus import load_article  # noqa: E402


def earlier(rev: str, tmp: Path):
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:reader/figures.py"], check=True,
                            capture_output=True, text=True).stdout
    path = tmp / "figures_earlier.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("figures_earlier", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["figures_earlier"] = module
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument("--rev", default="HEAD~1")
    parser.add_argument("--limit", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    files = sorted(args.articles.glob("*.md"))[: args.limit]
    bodies = [load_article(f, args.articles).body for f in files]
    with tempfile.TemporaryDirectory() as tmp:
        before = earlier(args.rev, Path(tmp))
        differ = sum(
            [(c.what, c.text, c.value, c.start) for c in before.extract_claims("x", b)]
            != [(c.what, c.text, c.value, c.start) for c in current.extract_claims("x", b)] for b in bodies)
        rows = []
        for n in range(args.rounds):
            for name, module in ((f"{args.rev}", before), ("this code", current)):
                started = time.perf_counter()
                for body in bodies:
                    module.extract_claims("x", body)
                rows.append((n + 1, name, f"{1000 * (time.perf_counter() - started) / len(bodies):.3f}"))
    report = Report("figures-ab", "Figure extraction against an earlier revision")
    report.section("Milliseconds per article", md_table(["round", "code", "ms"], rows))
    report.section("Differences", f"{differ} of {len(bodies)} articles have other figures.")
    report.data.update(rows=rows, differ=differ, articles=len(bodies), rev=args.rev)
    report.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
