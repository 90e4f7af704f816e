"""Export of a big folder: time and peak memory of `reader export`.

    python bench/bench_export.py --articles DIR --index DIR [--kinds articles:csv,mentions:jsonl,...]

Each export runs as its own ``reader`` process writing to a file in a
temporary folder; its peak memory is that process's maximum resident set
(``wait4``, so the index opening is counted too), its time the wall clock.
The index is brought up to date first, outside the measure. For Reuters:

    reader --articles /tmp/reu/articles --index /tmp/reu/index import reuters21578.jsonl --source Reuters
    python bench/bench_export.py --articles /tmp/reu/articles --index /tmp/reu/index

The report goes to bench/reports/export.{json,md}; nothing of the corpus is
copied (the exported files are deleted).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPORTS = BENCH_DIR / "reports"
READER = [sys.executable, "-m", "reader"]
# WHAT:FORMAT, or WHAT:FORMAT@N for the first N articles (by file name) alone, through --ids: the
# same export at two sizes shows what grows with the folder.
DEFAULT_KINDS = ("articles:csv@1000,articles:csv,articles:jsonl,articles:bibtex,search:csv,"
                 "mentions:jsonl@1000,mentions:jsonl,mentions:csv,entities:csv,quotes:jsonl,figures:csv")
QUERY = "oil"  # the search export's query: a common word, thousands of hits on Reuters


def run(args: list[str]) -> dict[str, Any]:
    """Run ``reader ARGS``: wall seconds, peak RSS in MB, exit code, last stderr lines."""
    started = time.perf_counter()
    process = subprocess.Popen([*READER, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return {"seconds": round(time.perf_counter() - started, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "code": code, "stderr": err.splitlines()[-3:]}


def count_rows(path: Path, fmt: str) -> int:
    with open(path, encoding="utf-8", newline="") as handle:
        if fmt == "jsonl":
            return sum(1 for _ in handle)
        if fmt == "csv":
            import csv

            return sum(1 for _ in csv.reader(handle)) - 1
        if fmt == "bibtex":
            return sum(1 for line in handle if line.startswith("@article{"))
        return len(json.load(handle)) if fmt == "csl-json" else sum(1 for _ in handle)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--kinds", default=DEFAULT_KINDS, help="WHAT:FORMAT,... to export")
    args = parser.parse_args()
    base = ["--articles", str(args.articles), "--index", str(args.index)]
    articles = sum(1 for _ in args.articles.rglob("*.md"))
    opened = run([*base, "list"])  # the index up to date, and the cost of opening it alone
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="reader-export-bench-") as tmp:
        for item in args.kinds.split(","):
            what, fmt = item.split(":")
            fmt, _, first = fmt.partition("@")
            out = Path(tmp) / f"{what}.{fmt}"
            extra = ["--query", QUERY] if what == "search" else []
            if first:
                names = sorted(p.stem for p in args.articles.glob("*.md"))[:int(first)]
                extra += ["--ids", *names]
            result = run([*base, "export", what, "--format", fmt, *extra, "--output", str(out)])
            result.update({"what": what, "format": fmt, "query": QUERY if what == "search" else "",
                           "first": int(first) if first else None,
                           "rows": count_rows(out, fmt) if out.exists() else 0,
                           "output_mb": round(out.stat().st_size / 1048576, 1) if out.exists() else 0})
            out.unlink(missing_ok=True)
            rows.append(result)
            print(f"{what:9} {fmt:8} {result['rows']:>8} rows  {result['output_mb']:>6} MB  "
                  f"{result['seconds']:>7} s  peak RSS {result['peak_rss_mb']} MB  exit {result['code']}")
    report = {"articles": articles, "folder": args.articles.name, "python": platform.python_version(),
              "machine": f"{platform.machine()}, {os.cpu_count()} CPUs", "list": opened, "exports": rows}
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "export.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "# Export of a big folder",
        "",
        f"{articles} articles ({args.articles.name}); Python {report['python']}, {report['machine']}. Each export "
        "is one `reader export … --output FILE` process; peak RSS is its maximum resident set (opening the "
        "index included), time the wall clock.",
        "",
        f"Opening the index alone (`reader list`): {opened['seconds']} s, peak RSS {opened['peak_rss_mb']} MB.",
        "",
        "| export | format | rows | output MB | seconds | peak RSS MB |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        label = f"{r['what']} `--query {r['query']}`" if r["query"] else r["what"]
        if r.get("first"):
            label += f" (first {r['first']} articles, `--ids`)"
        lines.append(f"| {label} | {r['format']} | {r['rows']} | {r['output_mb']} | {r['seconds']} | "
                     f"{r['peak_rss_mb']} |")
    lines += [
        "",
        "An export holds one article at a time, so an articles export costs what opening the index "
        "does, at any size. A mentions export reads every article through the extractor, whose "
        "word caches (the tagger's features, bounded LRU caches of up to 200,000 words each) fill as "
        "it meets new words: that, not the export, is what its peak grows with, as in any pass of "
        "the extractor over the folder. "
        "The `--ids` rows look each article up in the index's searcher, which the whole-folder "
        "export (read from the catalog) does not open: hence their higher floor.",
    ]
    (REPORTS / "export.md").write_text("\n".join(lines) + "\n")
    print(f"report: {REPORTS / 'export.md'}")
    return 0 if all(r["code"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
