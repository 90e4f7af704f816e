"""Big inputs: a JSON Lines import of many records, and a large entities.yaml.

    python bench/bench_big_inputs.py [import] [entities] [--records 100000,200000] [--entities 350000]

Every input is synthetic (names and records made up here), written to a
temporary folder. Each measured command runs as its own ``reader`` process;
its peak memory is that process's maximum resident set (``wait4``), its time
the wall clock. The report goes to bench/reports/bench_big_inputs.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
REPORTS = BENCH_DIR / "reports"
READER = Path(sys.executable).with_name("reader")
WORDS = ["harbour", "ferry", "cargo", "tea", "market", "council", "river", "bridge", "quay", "lantern",
         "signal", "weather", "tide", "crane", "ledger", "warehouse"]
SYLLABLES = ["ka", "lo", "mi", "ren", "tor", "vash", "el", "qui", "dar", "sen", "op", "ful", "zan", "bri",
             "mol", "tek"]
KINDS = ["person", "company", "organization", "place", "product", "event"]


def run(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``reader ARGS``; wall seconds, peak RSS in MB, exit code, stderr lines."""
    started = time.perf_counter()
    process = subprocess.Popen([str(READER), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, env=env)
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": round(time.perf_counter() - started, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "code": process.returncode, "stderr": err.splitlines()[-5:]}


def write_records(path: Path, count: int) -> None:
    rng = random.Random(count)
    with open(path, "w") as handle:
        for number in range(count):
            body = " ".join(rng.choice(WORDS) for _ in range(30))
            handle.write(json.dumps({"id": f"rec-{number}", "title": f"Record {number} {rng.choice(WORDS)}",
                                     "body": body + ".", "date": f"2024-07-0{1 + number % 9}"}) + "\n")


def bench_import(work: Path, sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        source = work / f"records-{size}.jsonl"
        write_records(source, size)
        folder = work / f"import-{size}"
        folder.mkdir()
        result = run(["--articles", str(folder), "--index", str(work / f"ix-{size}"), "import", "--no-index",
                      str(source)])
        result.update(records=size, records_per_second=round(size / result["seconds"]),
                      progress_lines=sum("records read" in line for line in result["stderr"]))
        print(f"import {size:>9,} records: {result['seconds']:8.1f} s, peak {result['peak_rss_mb']:7.1f} MB, "
              f"{result['records_per_second']}/s", flush=True)
        rows.append(result)
        shutil.rmtree(folder)
        source.unlink()
    return rows


def write_entities(path: Path, count: int) -> None:
    rng = random.Random(count)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    seen: set[str] = set()
    lines = ["entities:"]
    while len(seen) < count:
        name = f"{word()} {word()}"
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        lines.append(f"- name: {name}\n  kind: {KINDS[len(seen) % len(KINDS)]}")
    path.write_text("\n".join(lines) + "\n")


def bench_entities(work: Path, count: int) -> dict[str, Any]:
    bundled = work / "bundled"
    shutil.copytree(ROOT / "articles", bundled)
    big = work / "big"
    shutil.copytree(ROOT / "articles", big)
    write_entities(big / "entities.yaml", count)
    size_mb = (big / "entities.yaml").stat().st_size / 2**20
    env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"))
    result: dict[str, Any] = {"entities": count, "file_mb": round(size_mb, 1)}
    for name, folder in (("bundled", bundled), ("big", big)):
        index = work / f"ix-{name}"
        result[f"{name}_first"] = run(["--articles", str(folder), "--index", str(index), "search", "Shanghai"], env)
        result[f"{name}_warm"] = run(["--articles", str(folder), "--index", str(index), "search", "Shanghai"], env)
        print(f"{name}: first {result[f'{name}_first']['seconds']} s / {result[f'{name}_first']['peak_rss_mb']} MB, "
              f"warm {result[f'{name}_warm']['seconds']} s / {result[f'{name}_warm']['peak_rss_mb']} MB", flush=True)
    index = work / "ix-big"
    result["big_add"] = run(["--articles", str(big), "--index", str(index), "entities", "add", "Quaystone Ferries",
                             "--kind", "company"], env)
    result["big_after_add"] = run(["--articles", str(big), "--index", str(index), "search", "Shanghai"], env)
    print(f"entities add: {result['big_add']['seconds']} s / {result['big_add']['peak_rss_mb']} MB; "
          f"next search {result['big_after_add']['seconds']} s", flush=True)
    result["big_reject"] = run(["--articles", str(big), "--index", str(index), "entities", "reject",
                                "Lanternwick Noise"], env)
    result["big_alias"] = run(["--articles", str(big), "--index", str(index), "entities", "alias", "Quaystone",
                               "--to", "Quaystone Ferries"], env)
    for step in ("reject", "alias"):
        print(f"entities {step}: {result[f'big_{step}']['seconds']} s / {result[f'big_{step}']['peak_rss_mb']} MB",
              flush=True)
    result["warm_ratio"] = round(result["big_warm"]["seconds"] / result["bundled_warm"]["seconds"], 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("parts", nargs="*", default=["import", "entities"])
    parser.add_argument("--records", default="100000,200000")
    parser.add_argument("--entities", type=int, default=350_000)
    args = parser.parse_args()
    REPORTS.mkdir(exist_ok=True)
    report_path = REPORTS / "bench_big_inputs.json"
    report: dict[str, Any] = json.loads(report_path.read_text()) if report_path.exists() else {}
    with tempfile.TemporaryDirectory(prefix="reader-big-") as tmp:
        work = Path(tmp)
        if "import" in args.parts:
            report["import"] = bench_import(work, [int(n) for n in args.records.split(",")])
        if "entities" in args.parts:
            report["entities"] = bench_entities(work, args.entities)
    report["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    report_path.write_text(json.dumps(report, indent=2) + "\n")
    lines = ["# Big inputs", ""]
    for row in report.get("import", []):
        lines.append(f"- import {row['records']:,} JSONL records (`--no-index`): {row['seconds']} s, "
                     f"peak RSS {row['peak_rss_mb']} MB, {row['records_per_second']} records/s")
    if "entities" in report:
        e = report["entities"]
        lines.append(f"- entities.yaml of {e['entities']:,} entities ({e['file_mb']} MB):")
        for key in ("bundled_first", "bundled_warm", "big_first", "big_warm", "big_add", "big_after_add",
                    "big_reject", "big_alias"):
            if key in e:
                lines.append(f"  - {key}: {e[key]['seconds']} s, peak RSS {e[key]['peak_rss_mb']} MB")
        lines.append(f"  - warm command, big list / bundled list: {e['warm_ratio']}x")
    (REPORTS / "bench_big_inputs.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
