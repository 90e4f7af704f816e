"""Incremental indexing against a full rebuild, on part of Reuters-21578.

Imports ``--base`` Reuters articles with ``reader import`` into a temporary
folder (which indexes them), then, each through the ``reader`` command as a
user runs it:

1. imports the next ``--add`` articles (the import indexes them);
2. rebuilds the whole index (``reader index --rebuild``): the yardstick;
3. updates with nothing changed, then with one file changed: the constant an
   update that writes pays (the tagger's start-up);
4. deletes ``--delete`` article files and updates (``reader index``);
5. changes ``--change`` article files (a paragraph appended) and updates;
6. rebuilds again, a second yardstick;
7. runs ``reader search`` while another import (``--late`` articles) holds
   the folder's import lock and then the index's write lock: it must answer
   at once from the last committed index.

Extraction (the entity tagger) costs a few milliseconds per article whatever
the path, so the fair comparison is the cost per article written: an update
of N articles should cost at most N times the rebuild's cost per article,
plus the constant of step 3 (the update of one changed file). The seconds compared are those each update
reports (without the process's start-up), and the wall-clock of each command.

Prints the report and saves ``bench/reports/incremental.md`` and ``.json``.

Usage: ``.venv/bin/python bench/bench_incremental.py [--base 10000 --add 5000 --delete 3000 --change 500]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    REPORTS, Report, add_common_args, bench_env, md_table, progress, reader_command, reuters_records,
    run_timed, workdir, write_jsonl,
)

# Appended to changed articles: words of our own, not of the corpus.
REVISION = "\n\nThis paragraph was added in a later revision of the story.\n"


def reader_json(base: list[str], *args: str, env: dict[str, str]) -> tuple[dict[str, Any], tuple[float, float]]:
    """Run ``reader ARGS --json``; its JSON answer and the command's (wall-clock,
    CPU) seconds, the CPU of the indexing processes it forked included."""
    run = run_timed(base + list(args), env=env)
    return json.loads(run.stdout), (run.seconds, run.cpu_s)


def search_during(base: list[str], env: dict[str, str], articles: Path, holder: list[str],
                  wait_for: str) -> dict[str, Any]:
    """Time ``reader search`` while ``holder`` (another reader process) works;
    ``wait_for``: the lock file whose holding marks the moment to search."""
    import fcntl

    process = subprocess.Popen(holder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        lock = Path(wait_for)
        deadline = time.monotonic() + 60
        held = False
        while time.monotonic() < deadline and process.poll() is None:
            if lock.exists():
                fd = os.open(lock, os.O_RDONLY)
                try:
                    fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                    fcntl.flock(fd, fcntl.LOCK_UN)
                except BlockingIOError:
                    held = True
                finally:
                    os.close(fd)
                if held:
                    break
            time.sleep(0.05)
        run = run_timed(base + ["search", "oil", "--limit", "3"], env=env, check=False)
        note = next((line for line in run.stderr.splitlines() if "updat" in line), "")
        return {"lock_held": held, "seconds": round(run.seconds, 2), "exit": run.returncode, "note": note}
    finally:
        process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=int, default=10_000, help="articles of the first import")
    parser.add_argument("--add", type=int, default=5000, help="articles imported next")
    parser.add_argument("--delete", type=int, default=3000, help="article files deleted")
    parser.add_argument("--change", type=int, default=500, help="article files changed")
    parser.add_argument("--late", type=int, default=2000, help="articles of the import a search meets")
    add_common_args(parser)
    args = parser.parse_args()
    records = reuters_records()
    if len(records) < args.base + args.add + 100:
        parser.error(f"Reuters has only {len(records)} records")
    report = Report("incremental", "Incremental indexing against a rebuild")
    with workdir(args.keep, base=args.tmp) as tmp:
        env = bench_env(tmp)
        articles, index = tmp / "articles", tmp / "index"
        base = reader_command() + ["--articles", str(articles), "--index", str(index)]
        write_jsonl(records[: args.base], tmp / "base.jsonl")
        write_jsonl(records[args.base : args.base + args.add], tmp / "add.jsonl")
        late_records = records[args.base + args.add :][: args.late]
        write_jsonl(late_records, tmp / "late.jsonl")
        rows: list[dict[str, Any]] = []

        def step(name: str, articles_written: int, data: dict[str, Any], times: tuple[float, float]) -> None:
            wall, cpu = times
            rows.append({"step": name, "articles": articles_written, "seconds": data["seconds"],
                         "wall": round(wall, 2), "cpu": round(cpu, 2), "added": data["added"], "updated": data["updated"],
                         "deleted": data["deleted"], "unchanged": data["unchanged"], "rebuilt": data["rebuilt"],
                         "relinked": data.get("relinked", 0)})
            progress(f"{name}: {data['seconds']:.2f} s ({wall:.2f} s wall, {cpu:.2f} CPU-s)")

        progress(f"importing {args.base} articles")
        data, wall = reader_json(base, "import", str(tmp / "base.jsonl"), "--json", env=env)
        step(f"import {args.base} (new index)", args.base, data["index"], wall)
        progress(f"importing {args.add} more")
        data, wall = reader_json(base, "import", str(tmp / "add.jsonl"), "--json", env=env)
        step(f"import {args.add} more", args.add, data["index"], wall)
        total = args.base + args.add
        data, wall = reader_json(base, "index", "--rebuild", "--json", env=env)
        step(f"rebuild all {total}", total, data, wall)
        rebuild_seconds, rebuild_cpu = data["seconds"], wall[1]
        data, wall = reader_json(base, "index", "--json", env=env)
        step("update, nothing changed", 0, data, wall)
        # An update that writes pays once what one that finds nothing does
        # not: the tagger's start-up (its word-frequency list, its modules).
        # One changed article measures that constant.
        one = random.Random(8).choice(sorted(articles.glob("*.md")))
        with open(one, "a", encoding="utf-8") as handle:
            handle.write(REVISION)
        data, wall = reader_json(base, "index", "--json", env=env)
        step("change 1", 1, data, wall)
        constant, constant_cpu = data["seconds"], wall[1]

        files = sorted(p for p in articles.glob("*.md") if p != one)
        chosen = random.Random(7).sample(files, args.delete + args.change)
        for path in chosen[: args.delete]:
            path.unlink()
        data, wall = reader_json(base, "index", "--json", env=env)
        step(f"delete {args.delete}", args.delete, data, wall)
        for path in chosen[args.delete :]:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(REVISION)
        data, wall = reader_json(base, "index", "--json", env=env)
        step(f"change {args.change}", args.change, data, wall)
        # A second yardstick after the updates: the machine is shared, and one
        # rebuild alone may fall in a busy or a quiet minute.
        remaining = total - args.delete
        data, wall = reader_json(base, "index", "--rebuild", "--json", env=env)
        step(f"rebuild all {remaining}", remaining, data, wall)
        rebuild_seconds += data["seconds"]
        rebuild_cpu += wall[1]
        rebuilt_articles = total + remaining

        # A search while another process imports: first while it writes the
        # files (import lock), then while it indexes them (write lock).
        late = tmp / "late.jsonl"
        importer = base + ["import", str(late), "--json"]
        during_files = search_during(base, env, articles, importer, str(articles / ".reader-import.lock"))
        write_jsonl(late_records, late)  # the same articles again, replaced
        importer = base + ["import", str(late), "--replace", "--json"]
        during_index = search_during(base, env, articles, importer, str(index / "articles_WRITELOCK"))

    per_article = rebuild_seconds / rebuilt_articles  # both rebuilds together
    cpu_per_article = rebuild_cpu / rebuilt_articles
    table = []
    for row in rows:
        n = row["articles"]
        budget = n * per_article + constant
        cpu_budget = n * cpu_per_article + constant_cpu
        ratio = (row["seconds"] / n) / per_article if n else None
        cpu_ratio = (row["cpu"] / n) / cpu_per_article if n else None
        row.update(budget=round(budget, 2), cpu_budget=round(cpu_budget, 2),
                   per_article_ms=round(1000 * row["seconds"] / n, 2) if n else None,
                   vs_rebuild_per_article=round(ratio, 2) if ratio is not None else None,
                   cpu_vs_rebuild_per_article=round(cpu_ratio, 2) if cpu_ratio is not None else None)
        table.append((row["step"], str(n), f"{row['seconds']:.2f}", f"{row['wall']:.2f}", f"{row['cpu']:.2f}",
                      str(row["relinked"]), "-" if n == 0 else f"{row['per_article_ms']:.2f}",
                      "-" if ratio is None else f"{ratio:.2f}", "-" if cpu_ratio is None else f"{cpu_ratio:.2f}",
                      f"{budget:.2f}", f"{cpu_budget:.2f}"))
        if n > 1 and not row["rebuilt"]:
            report.target(f"{row['step']}, seconds", f"{row['seconds']:.2f} s",
                          f"<= {budget:.2f} s ({n} x rebuild per article + the update of 1)",
                          row["seconds"] <= budget)
            report.target(f"{row['step']}, CPU", f"{row['cpu']:.2f} CPU-s",
                          f"<= {cpu_budget:.2f} CPU-s (the same, in CPU)", row["cpu"] <= cpu_budget)
    for name, result in (("search during an import's file writing", during_files),
                         ("search during an import's indexing", during_index)):
        report.target(name, f"{result['seconds']:.2f} s, note: {result['note'] or '(none)'}",
                      "answers at once (start-up only) with a note", result["lock_held"] and result["exit"] in (0, 1)
                      and bool(result["note"]) and result["seconds"] < 5)
    report.section("What ran", (
        f"Reuters-21578: {args.base} articles imported into an empty folder, then {args.add} more; a rebuild "
        f"of all {total}; an update with nothing changed; one with 1 file changed; {args.delete} files deleted; {args.change} files "
        f"changed (a paragraph appended); a rebuild of the {total - args.delete} left. Each step is one "
        "`reader` command; *seconds* is what the update reports (without start-up), *wall* the whole "
        "command; *CPU-s* the command's user and system CPU, its forked indexing processes included "
        "(steadier than seconds on a shared machine); *relinked*: articles rewritten because a short form's full name changed. Budget: the "
        "step's articles times the two rebuilds' seconds per article, plus the update of one changed "
        "article (the constant an update that writes pays: the tagger's start-up).\n"))
    report.add(md_table(["step", "articles", "seconds", "wall", "CPU-s", "relinked", "ms per article",
                         "x rebuild per article", "CPU x rebuild per article", "budget (s)", "CPU budget"],
                        table))
    report.section("A search while another process imports", md_table(
        ["while", "lock held", "seconds (wall)", "exit", "note"],
        [(name, str(r["lock_held"]), f"{r['seconds']:.2f}", str(r["exit"]), r["note"] or "-")
         for name, r in (("the import writes files", during_files), ("the import indexes", during_index))]))
    report.data = {"steps": rows, "rebuild_per_article_ms": round(1000 * per_article, 3),
                   "rebuild_cpu_per_article_ms": round(1000 * cpu_per_article, 3),
                   "constant_seconds": constant, "search_during_import": during_files,
                   "search_during_indexing": during_index,
                   "args": {k: v for k, v in vars(args).items() if k in ("base", "add", "delete", "change", "late")}}
    report.save(args.out, args.suffix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
