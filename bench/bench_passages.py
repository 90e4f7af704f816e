"""Shared passages on Reuters-21578: the whole corpus analysed, then one
article at a time.

Imports Reuters into a temporary folder with ``reader import`` (or uses
``--articles`` with ``--index``), then measures through the library, as the
CLI and the reader use it:

- a cold analysis of every article (no cache file), ``--runs`` times;
- a new process's first answer with the cache file there and nothing changed;
- a new article: the index update, then the passages brought up to date in
  the same process (the finder in memory); an article removed, followed by a
  new process (the cache file read, the change applied);
- what was found: shared passages, articles that share one, near-duplicate pairs.

Prints the report and saves it as ``bench/reports/bench_passages.md`` and ``.json``.

Usage: ``.venv/bin/python bench/bench_passages.py [--articles DIR --index DIR] [--runs 3]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Report, add_common_args, fmt, imported_reuters, md_table, median, progress, workdir  # noqa: E402

from reader.library import Library  # noqa: E402
from reader.passage_cache import PASSAGES_FILE, SAVE_AFTER  # noqa: E402

TARGET_FULL_SECONDS = 60.0


def cold(articles: Path, index: Path) -> tuple[float, float, Library]:
    """Wall and CPU seconds of analysing every article with no cache file."""
    (index / PASSAGES_FILE).unlink(missing_ok=True)
    library = Library(articles, index)
    started, cpu = time.perf_counter(), time.process_time()
    library.passage_cache.finder()
    return time.perf_counter() - started, time.process_time() - cpu, library


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=Path)
    parser.add_argument("--index", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    add_common_args(parser)
    args = parser.parse_args()
    report = Report("bench_passages", "Shared passages on Reuters-21578")
    with workdir(args.keep, base=args.tmp) as tmp:
        articles, index = imported_reuters(args, tmp)

        full: list[float] = []
        full_cpu: list[float] = []
        for run in range(args.runs):
            progress(f"cold analysis, run {run + 1}/{args.runs}")
            seconds, cpu, library = cold(articles, index)
            full.append(seconds)
            full_cpu.append(cpu)
            if run < args.runs - 1:
                library.close()
        finder = library.passage_cache.finder()
        started = time.perf_counter()
        passages = library.passages()
        answer_all = time.perf_counter() - started
        sentences = sum(len(e.spans) for e in finder.entries.values())
        sharing = {i for p in passages for i in p.ids}
        duplicates = library.duplicates()
        cache_mb = (index / PASSAGES_FILE).stat().st_size / 1024 / 1024

        progress("a new process, nothing changed")
        again = Library(articles, index)
        started = time.perf_counter()
        again.passage_cache.finder()
        warm_load = time.perf_counter() - started
        started = time.perf_counter()
        again.passages(next(iter(sharing)))
        answer_one = time.perf_counter() - started
        again.close()

        progress("a new article, in the same process")
        rows = library.rows()
        source = library.article(rows[len(rows) // 2].id)
        (articles / "bench-passages-new.md").write_text(
            "---\nid: bench-passages-new\ntitle: A re-sent story\n---\n"
            + source.body + "\n\nThis paragraph was added to the re-sent story by the benchmark.\n",
            encoding="utf-8")
        started = time.perf_counter()
        library.update()
        index_seconds = time.perf_counter() - started
        started = time.perf_counter()
        library.passage_cache.finder()
        same_process = time.perf_counter() - started
        added = library.passage_cache.last.added
        new_dups = library.duplicates("bench-passages-new")
        library.close()

        progress("an article removed, in a new process")
        (articles / "bench-passages-new.md").unlink()
        fresh = Library(articles, index)
        fresh.update()
        started = time.perf_counter()
        fresh.passage_cache.finder()
        new_process = time.perf_counter() - started
        removed = fresh.passage_cache.last.removed
        fresh.close()

    report.target("whole corpus analysed", f"{fmt(median(full), 1)} s wall, {fmt(median(full_cpu), 1)} s CPU "
                  f"(median of {len(full)})", f"< {TARGET_FULL_SECONDS:.0f} s", median(full) < TARGET_FULL_SECONDS)
    report.target("a new article, finder in memory", f"{fmt(same_process * 1000, 1)} ms ({added} hashed)",
                  "milliseconds", same_process < 1.0)
    report.section("Corpus", md_table(["measure", "value"], [
        ("articles", len(finder.entries)),
        ("sentences compared", sentences),
        ("shared passages", len(passages)),
        ("articles sharing a passage", len(sharing)),
        ("near-duplicate pairs", len(duplicates)),
        ("cache file", f"{fmt(cache_mb, 1)} MB"),
    ]))
    report.section("Timings", md_table(["step", "seconds"], [
        ("cold analysis, every article (each run)", ", ".join(fmt(s, 1) for s in full)),
        ("the same, CPU seconds of this process", ", ".join(fmt(s, 1) for s in full_cpu)),
        ("every passage of the corpus, with texts", fmt(answer_all, 2)),
        ("new process: cache read, nothing changed", fmt(warm_load, 2)),
        ("new process: one article's passages after that", fmt(answer_one, 3)),
        ("new article: index update (reader's own indexing)", fmt(index_seconds, 2)),
        ("new article: passages followed, same process", fmt(same_process, 4)),
        ("article removed: cache read and followed, new process", fmt(new_process, 2)),
    ]))
    report.add(f"The new article is a re-sent copy with one paragraph added: flagged as a near duplicate of "
               f"{', '.join(a if a != 'bench-passages-new' else b for a, b, _ in new_dups) or 'nothing'}; "
               f"after it was deleted, a new process took {removed} article out of the cache file (0: the file was "
               f"written before the article came, as it is only every {SAVE_AFTER} changes).")
    report.data = {"full_seconds": full, "full_cpu_seconds": full_cpu, "answer_all": answer_all, "warm_load": warm_load,
                   "answer_one": answer_one, "index_seconds": index_seconds, "same_process": same_process,
                   "new_process": new_process, "articles": len(finder.entries), "sentences": sentences,
                   "passages": len(passages), "sharing": len(sharing), "duplicates": len(duplicates),
                   "cache_mb": cache_mb}
    report.save(args.out, args.suffix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
