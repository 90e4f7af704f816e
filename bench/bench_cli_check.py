"""What a command pays before it answers: `reader search` against a bare
`reader --version`, on big folders.

    python bench/bench_cli_check.py --folder ARTICLES --index INDEX [--folder ... --index ...]
                                    [--old CHECKOUT] [--runs 7]

Each run is its own process, timed by the wall clock. For every folder:

- `reader --version` (the floor: Python, the package and argparse);
- `reader search oil --limit 1` with the quick check (the default: a full
  check of the last few seconds answers while no folder's time changed);
- the same with a full check every time (`READER_CHECK_SECONDS=0`);
- with `--old CHECKOUT`, the same search by the code of another checkout
  (e.g. `git worktree add /tmp/old HEAD~1`), in the same run.

The report goes to bench/reports/cli-check.{json,md}. The machine is noisy:
compare the rows of one run, not runs of different days.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPORTS = BENCH_DIR / "reports"


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    # From a neutral folder: `python -m` puts the working folder first on the
    # path, which would shadow --old's PYTHONPATH with this checkout.
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd="/")
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return seconds


def measure(argv: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    timed(argv, env)  # warm the page cache and the check file
    times = [timed(argv, env) for _ in range(runs)]
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", action="append", type=Path, required=True)
    parser.add_argument("--index", action="append", type=Path, required=True)
    parser.add_argument("--old", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if len(args.folder) != len(args.index):
        parser.error("give one --index per --folder")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("READER_")}
    python = sys.executable
    rows: list[dict[str, Any]] = []
    for folder, index in zip(args.folder, args.index):
        count = sum(1 for _ in folder.rglob("*.md"))
        search = ["--articles", str(folder), "--index", str(index), "search", "oil", "--limit", "1"]
        variants = [
            ("reader --version", [python, "-m", "reader", "--version"], {}),
            ("search, quick check", [python, "-m", "reader", *search], {}),
            ("search, full check every time", [python, "-m", "reader", *search], {"READER_CHECK_SECONDS": "0"}),
        ]
        if args.old:
            variants.append((f"search, code of {args.old}", [python, "-m", "reader", *search],
                             {"PYTHONPATH": str(args.old)}))
        for label, argv, extra in variants:
            result = measure(argv, {**base_env, **extra}, args.runs)
            rows.append({"folder": str(folder), "articles": count, "what": label, **result})
            print(f"{count:>7} articles  {label:38} median {result['median']:.3f} s  "
                  f"(min {result['min']:.3f}, max {result['max']:.3f})", flush=True)
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "cli-check.json").write_text(json.dumps(rows, indent=1) + "\n", "utf-8")
    lines = ["# A command's cost before it answers", "",
             f"`bench/bench_cli_check.py`, {args.runs} runs each after one to warm up, wall clock per process.", "",
             "| articles | command | median | min | max | × `--version` |", "| --- | --- | --- | --- | --- | --- |"]
    floor = {r["folder"]: r["median"] for r in rows if r["what"] == "reader --version"}
    for r in rows:
        lines.append(f"| {r['articles']:,} | {r['what']} | {r['median']:.3f} s | {r['min']:.3f} s | "
                     f"{r['max']:.3f} s | {r['median'] / floor[r['folder']]:.1f} |")
    (REPORTS / "cli-check.md").write_text("\n".join(lines) + "\n", "utf-8")
    print(f"report: {REPORTS / 'cli-check.md'}")


if __name__ == "__main__":
    main()
