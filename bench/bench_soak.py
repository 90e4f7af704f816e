"""A bounded soak on Reuters: does memory stay flat over many operations?

1. Domain API: 10,000 searches (cycling the fixed query set of bench/common.py,
   sorted by relevance and by date in turn) and 1,000 article opens
   (``Library.article`` + ``Library.extraction``, the work the UI does to show
   an article), interleaved (ten searches, one open), through one ``Library``
   in a fresh worker process. RSS is sampled every 500 operations after a
   warm-up (every query once, 50 opens). Bound: growth after warm-up < 50 MB.
2. UI (when ``reader.ui.app`` is there): 1,000 key presses through the
   Textual pilot (``App.run_test``): j/k/g/G/PgDn/PgUp in the list and Enter to
   open articles, with RSS sampled every 100 keys; same bound.

The Reuters folder is imported and indexed once, with the installed ``reader``
command, in a temporary folder (or reuse one with --articles/--index).

    .venv/bin/python bench/bench_soak.py
    .venv/bin/python bench/bench_soak.py --limit 2000 --searches 1000 --opens 100 --keys 200 --suffix=-small
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import json
import random
import sys
import time
import tracemalloc
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402

warnings.filterwarnings("ignore", category=SyntaxWarning)
warnings.filterwarnings("ignore", category=DeprecationWarning, module="whoosh")

BOUND_MB = 50.0
KEYS = ["j"] * 6 + ["k"] * 3 + ["pagedown", "pagedown", "pageup", "g", "G", "enter", "j", "enter", "k", "enter"]


def _growth(samples: list[dict[str, Any]]) -> dict[str, float]:
    rss = [s["rss_mb"] for s in samples]
    half = len(rss) // 2
    second = samples[half:]
    slope = 0.0
    if len(second) >= 2 and second[-1]["ops"] > second[0]["ops"]:
        slope = (second[-1]["rss_mb"] - second[0]["rss_mb"]) / (second[-1]["ops"] - second[0]["ops"]) * 1000
    return {"start_mb": rss[0], "end_mb": rss[-1], "max_mb": max(rss), "growth_mb": rss[-1] - rss[0],
            "max_growth_mb": max(rss) - rss[0], "slope_second_half_mb_per_1000": slope}


def worker_domain(articles: Path, index_dir: Path, searches: int, opens: int, every: int,
                  trace: bool) -> dict[str, Any]:
    from reader.library import Library

    library = Library(articles, index_dir)
    report = library.update()
    ids = [row.id for row in library.rows()]
    rng = random.Random(21578)
    queries = [q for _, q in C.all_queries()]
    # warm-up: every query in both orders, 50 opens
    for q in queries:
        library.search(q)
        library.search(q, sort="date")
    for art_id in rng.sample(ids, min(50, len(ids))):
        library.extraction(library.article(art_id))
    gc.collect()
    if trace:
        tracemalloc.start(10)
        snap0 = tracemalloc.take_snapshot()
    samples = [{"ops": 0, "searches": 0, "opens": 0, "rss_mb": C.rss_mb(), "t": 0.0}]
    search_ms: list[float] = []
    open_ms: list[float] = []
    done_s = done_o = ops = 0
    total = searches + opens
    per_open = max(1, searches // max(1, opens))
    started = time.perf_counter()
    while done_s < searches or done_o < opens:
        if done_s < searches and (done_o >= opens or done_s < (done_o + 1) * per_open):
            q = queries[done_s % len(queries)]
            sort = "date" if (done_s // len(queries)) % 2 else "relevance"
            t = time.perf_counter()
            library.search(q, sort=sort)
            search_ms.append((time.perf_counter() - t) * 1000)
            done_s += 1
        else:
            art_id = ids[rng.randrange(len(ids))]
            t = time.perf_counter()
            article = library.article(art_id)
            library.extraction(article)
            open_ms.append((time.perf_counter() - t) * 1000)
            done_o += 1
        ops += 1
        if ops % every == 0 or ops == total:
            samples.append({"ops": ops, "searches": done_s, "opens": done_o, "rss_mb": C.rss_mb(),
                            "t": time.perf_counter() - started})
    gc.collect()
    samples.append({"ops": ops, "searches": done_s, "opens": done_o, "rss_mb": C.rss_mb(),
                    "t": time.perf_counter() - started, "after_gc": True})
    top: list[str] = []
    if trace:
        snap1 = tracemalloc.take_snapshot()
        top = [str(s) for s in snap1.compare_to(snap0, "traceback")[:8]]
        tracemalloc.stop()
    library.close()
    return {"docs": len(ids), "changed_on_open": report.changed, "samples": samples,
            "search": C.summary(search_ms), "open": C.summary(open_ms), "seconds": time.perf_counter() - started,
            "max_rss_mb": C.max_rss_self_mb(), "tracemalloc_top": top}


def worker_ui(articles: Path, index_dir: Path, keys: int, every: int) -> dict[str, Any]:
    from reader.library import Library
    from bench_scale import list_rows, make_app

    library = Library(articles, index_dir)
    app = make_app(library)
    out: dict[str, Any] = {}

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            deadline = time.time() + 300
            while not (getattr(app, "ready", True) and list_rows(app)) and time.time() < deadline:
                await asyncio.sleep(0.01)
            await pilot.pause()
            # warm-up: one round of every key
            for key in KEYS:
                await pilot.press(key)
                if key == "enter":
                    await pilot.press("escape")  # leaves focus where it was if Enter moved it
                    app.table.focus() if hasattr(app, "table") else None
            await pilot.pause()
            gc.collect()
            samples = [{"ops": 0, "rss_mb": C.rss_mb(), "t": 0.0}]
            press_ms: list[float] = []
            started = time.perf_counter()
            for n in range(1, keys + 1):
                key = KEYS[(n - 1) % len(KEYS)]
                t = time.perf_counter()
                await pilot.press(key)
                press_ms.append((time.perf_counter() - t) * 1000)
                if key == "enter" and hasattr(app, "table"):
                    app.table.focus()  # back to the list for the next j/k
                if n % every == 0 or n == keys:
                    await pilot.pause()
                    samples.append({"ops": n, "rss_mb": C.rss_mb(), "t": time.perf_counter() - started})
            await app.workers.wait_for_complete()
            await pilot.pause()
            gc.collect()
            samples.append({"ops": keys, "rss_mb": C.rss_mb(), "t": time.perf_counter() - started,
                            "after_gc": True})
            out.update({"samples": samples, "press": C.summary(press_ms), "seconds": time.perf_counter() - started,
                        "rows": list_rows(app),
                        "article_open": getattr(getattr(app, "view", None), "article", None) is not None})

    asyncio.run(run())
    library.close()
    out["max_rss_mb"] = C.max_rss_self_mb()
    return out


def run_worker(argv_tail: list[str], env: dict[str, str]) -> dict[str, Any]:
    argv = [sys.executable, __file__] + argv_tail
    result = C.run_timed(argv, env=env)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["process_peak_rss_mb"] = result.peak_rss_mb
    return data


def samples_table(samples: list[dict[str, Any]], label: str) -> str:
    rows = [(s["ops"], s.get("searches", ""), s.get("opens", ""), f"{s['rss_mb']:.1f}", f"{s['t']:.1f}",
             "after gc.collect()" if s.get("after_gc") else "") for s in samples]
    if label == "keys":
        rows = [(r[0], r[3], r[4], r[5]) for r in rows]
        return C.md_table(["keys", "RSS MB", "seconds", ""], rows)
    return C.md_table(["operations", "searches", "opens", "RSS MB", "seconds", ""], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="Reuters records (default: all)")
    parser.add_argument("--searches", type=int, default=10_000)
    parser.add_argument("--opens", type=int, default=1_000)
    parser.add_argument("--every", type=int, default=500, help="sample RSS every N operations (default 500)")
    parser.add_argument("--keys", type=int, default=1_000, help="key presses through the pilot (0 skips)")
    parser.add_argument("--key-every", type=int, default=100)
    parser.add_argument("--bound", type=float, default=BOUND_MB, help="allowed growth after warm-up, MB")
    parser.add_argument("--tracemalloc", action="store_true", help="report the biggest allocation growth")
    parser.add_argument("--articles", type=Path, help="reuse an articles folder (skips the import)")
    parser.add_argument("--index", type=Path, help="its index folder")
    parser.add_argument("--worker", choices=("domain", "ui"), help=argparse.SUPPRESS)
    parser.add_argument("--w-articles", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--w-index", type=Path, help=argparse.SUPPRESS)
    C.add_common_args(parser)
    args = parser.parse_args(argv)

    if args.worker == "domain":
        print(json.dumps(worker_domain(args.w_articles, args.w_index, args.searches, args.opens, args.every,
                                       args.tracemalloc)))
        return 0
    if args.worker == "ui":
        print(json.dumps(worker_ui(args.w_articles, args.w_index, args.keys, args.key_every)))
        return 0
    if not args.no_wait:
        C.wait_for_module("reader.discovery")

    report = C.Report("soak", "Soak: memory over many searches, article opens and key presses (Reuters)")
    results: dict[str, Any] = {}
    with C.workdir(args.keep, base=args.tmp) as tmp:
        env = C.bench_env(tmp)
        if args.articles:
            articles, index_dir = args.articles, args.index or tmp / "index"
        else:
            articles, index_dir = tmp / "articles", tmp / "index"
            C.add_entity_list(articles)
            source = C.limited_reuters_file(tmp, args.limit)
            C.progress("reader import (Reuters)")
            imp = C.run_timed(C.reader_command() + ["--articles", str(articles), "--index", str(index_dir),
                                                    "import", str(source), "--source", "Reuters"], env=env)
            results["import_s"] = imp.seconds
        C.progress(f"domain soak: {args.searches} searches, {args.opens} opens")
        tail = ["--worker", "domain", "--w-articles", str(articles), "--w-index", str(index_dir),
                "--searches", str(args.searches), "--opens", str(args.opens), "--every", str(args.every)]
        domain = run_worker(tail + (["--tracemalloc"] if args.tracemalloc else []), env)
        results["domain"] = domain
        ui: dict[str, Any] | None = None
        ui_note = ""
        if not args.keys:
            ui_note = "skipped (--keys 0)"
        elif importlib.util.find_spec("reader.ui") is None or importlib.util.find_spec("reader.ui.app") is None:
            ui_note = "reader.ui.app is not there yet; the pilot soak runs once it is"
        else:
            C.progress(f"UI soak: {args.keys} key presses")
            try:
                ui = run_worker(["--worker", "ui", "--w-articles", str(articles), "--w-index", str(index_dir),
                                 "--keys", str(args.keys), "--key-every", str(args.key_every)], env)
            except Exception as exc:  # the UI is young: report, keep the domain figures
                ui_note = f"failed: {str(exc).strip().splitlines()[-1][:300]}"
        results["ui"] = ui
        results["ui_note"] = ui_note

    g = _growth([s for s in domain["samples"] if not s.get("after_gc")])
    g_gc = domain["samples"][-1]["rss_mb"] - domain["samples"][0]["rss_mb"]
    results["domain_growth"] = g
    report.add(
        f"{domain['docs']:,} Reuters articles, bundled entities.yaml. RSS of the worker process (psutil), "
        f"sampled every {args.every} operations after a warm-up; the last row is after `gc.collect()`. "
        f"Bound: growth after warm-up < {args.bound:.0f} MB.\n")
    report.section(f"Domain API: {args.searches:,} searches and {args.opens:,} opens, interleaved")
    report.add(C.md_table(
        ["RSS start", "end", "max", "growth (end - start)", "after gc.collect()", "slope, second half",
         "peak RSS (ru_maxrss)"],
        [(f"{g['start_mb']:.1f} MB", f"{g['end_mb']:.1f} MB", f"{g['max_mb']:.1f} MB", f"{g['growth_mb']:+.1f} MB",
          f"{g_gc:+.1f} MB", f"{g['slope_second_half_mb_per_1000']:+.2f} MB / 1000 ops",
          f"{domain['process_peak_rss_mb']:.0f} MB")]))
    report.add(C.md_table(["operation", "n", "p50 ms", "p95 ms", "max ms"], [
        ("search (top 10 with snippets)", domain["search"]["n"], domain["search"]["p50"], domain["search"]["p95"],
         domain["search"]["max"]),
        ("open (article + extraction)", domain["open"]["n"], domain["open"]["p50"], domain["open"]["p95"],
         domain["open"]["max"]),
    ]) + f"\nTotal {domain['seconds']:.0f} s.\n")
    report.add("<details><summary>Samples</summary>\n\n" + samples_table(domain["samples"], "ops")
               + "\n</details>\n")
    if domain.get("tracemalloc_top"):
        report.add("tracemalloc, biggest growth:\n\n```\n" + "\n".join(domain["tracemalloc_top"]) + "\n```\n")
    report.target(f"domain soak: RSS growth after warm-up ({args.searches:,} searches + {args.opens:,} opens)",
                  f"{g['growth_mb']:+.1f} MB (max {g['max_growth_mb']:+.1f} MB)", f"< {args.bound:.0f} MB",
                  g["growth_mb"] < args.bound and g["max_growth_mb"] < args.bound)

    report.section(f"UI: {args.keys:,} key presses through the Textual pilot")
    if ui:
        gu = _growth([s for s in ui["samples"] if not s.get("after_gc")])
        results["ui_growth"] = gu
        report.add(f"Keys cycled: `{' '.join(KEYS)}` (Enter opens the article under the cursor; focus goes back "
                   f"to the list after each). `App.run_test(size=(120, 40))`, headless.\n")
        report.add(C.md_table(
            ["RSS start", "end", "max", "growth", "press p50", "press p95", "peak RSS"],
            [(f"{gu['start_mb']:.1f} MB", f"{gu['end_mb']:.1f} MB", f"{gu['max_mb']:.1f} MB",
              f"{gu['growth_mb']:+.1f} MB", f"{ui['press']['p50']:.1f} ms", f"{ui['press']['p95']:.1f} ms",
              f"{ui['process_peak_rss_mb']:.0f} MB")]))
        report.add("<details><summary>Samples</summary>\n\n" + samples_table(ui["samples"], "keys")
                   + "\n</details>\n")
        report.target(f"UI soak: RSS growth after warm-up ({args.keys:,} keys)", f"{gu['growth_mb']:+.1f} MB",
                      f"< {args.bound:.0f} MB", gu["growth_mb"] < args.bound and gu["max_growth_mb"] < args.bound)
    else:
        report.add(f"Not run: {ui_note}.\n")
        report.target("UI soak", ui_note, f"< {args.bound:.0f} MB", None)
    report.data = {"args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}, **results}
    report.save(args.out, args.suffix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
