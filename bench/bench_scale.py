"""reader at 100,000 articles: import, index, search, start-up and memory.

The corpus is made from the BBC and Reuters texts: every article of both is
repeated (shuffled once with a fixed seed) until there are ``--size`` of them,
each copy with its own id, its paragraphs rotated, and (Reuters) its date
moved on by one year per copy, so the copies are distinct documents with
realistic text. They are written to one JSON Lines file in a temporary folder
and brought in as ``reader import`` does, in two timed processes:
``import_paths`` (the files), then the installed ``reader index``; then a second ``reader index`` with
nothing changed; the fixed query set through ``ArticleSearch`` in a worker
process (bench_index_search.py); the start of the app with a warm index in a
fresh process (``Library(...)`` + ``update()`` with nothing changed +
``rows()``), and, when ``reader.ui.app`` is there, the time to the first paint
of the populated article list through ``App.run_test()``.

    nohup .venv/bin/python bench/bench_scale.py > /tmp/bench_scale.log 2>&1 &     # 100,000 articles
    .venv/bin/python bench/bench_scale.py --size 5000 --suffix=-small
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import random
import re
import shutil
import sys
import time
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402

warnings.filterwarnings("ignore", category=SyntaxWarning)
warnings.filterwarnings("ignore", category=DeprecationWarning, module="whoosh")

TARGET_P95_MS = 100.0
TARGET_START_S = 2.0
TARGET_MEMORY_MB = 1024.0
_REUTERS_PARA = re.compile(r"\n(?=\s{2,}\S)")


# --- the corpus ---------------------------------------------------------------------------------

def _rotate(paragraphs: list[str], k: int) -> list[str]:
    if len(paragraphs) < 2 or k == 0:
        return paragraphs
    k %= len(paragraphs)
    return paragraphs[k:] + paragraphs[:k]


def variant(record: dict[str, Any], kind: str, copy: int) -> dict[str, Any]:
    rec = dict(record)
    if kind == "reuters":
        rec["id"] = f"reuters-{record['id']}-v{copy}"
        rec["source"] = "Reuters"
        paras = [p.strip("\n") for p in _REUTERS_PARA.split(record["body"]) if p.strip()]
        rec["body"] = "\n".join(_rotate(paras, copy))
        date = record.get("date") or ""
        if copy and len(date) >= 4 and date[:4].isdigit():
            year = int(date[:4]) + copy
            rec["date"] = f"{year:04d}{date[4:]}"
            if rec["date"][5:10] == "02-29":  # not a leap year any more
                rec["date"] = rec["date"][:8] + "28" + rec["date"][10:]
    else:
        rec["id"] = f"{record['id']}-v{copy}"
        rec["source"] = "BBC"
        paras = [p for p in record["body"].split("\n\n") if p.strip()]
        rec["body"] = "\n\n".join(_rotate(paras, copy))
    return rec


def write_corpus(path: Path, size: int, seed: int = 1987) -> dict[str, int]:
    base = [("reuters", r) for r in C.reuters_records()] + [("bbc", r) for r in C.bbc_records()]
    random.Random(seed).shuffle(base)
    counts = {"reuters": 0, "bbc": 0, "copies": 0}

    def records():
        n = 0
        copy = 0
        while True:
            for kind, record in base:
                if n >= size:
                    return
                counts[kind] += 1
                n += 1
                yield variant(record, kind, copy)
            copy += 1
            counts["copies"] = copy

    C.write_jsonl(records(), path)
    counts["copies"] = max(counts["copies"], 1) if size <= len(base) else counts["copies"] + 1
    return counts


# --- workers -----------------------------------------------------------------------------------

def worker_start(articles: Path, index_dir: Path, spawned: float) -> dict[str, Any]:
    """The app's start with a warm index, without drawing: what the UI waits for."""
    t0 = time.time()
    from reader.library import Library

    t1 = time.time()
    library = Library(articles, index_dir)
    t2 = time.time()
    report = library.update()
    t3 = time.time()
    rows = library.rows()
    t4 = time.time()
    return {
        "total_s": t4 - spawned,
        "interpreter_s": t0 - spawned,
        "imports_s": t1 - t0,
        "library_s": t2 - t1,
        "update_s": t3 - t2,
        "rows_s": t4 - t3,
        "rows": len(rows),
        "changed": report.changed,
    }


def make_app(library: Any) -> Any:
    from reader.ui import app as ui_app

    cls = getattr(ui_app, "ReaderApp", None)
    if cls is None:
        from textual.app import App

        cls = next(v for v in vars(ui_app).values() if isinstance(v, type) and issubclass(v, App) and v is not App)
    try:
        return cls(library, watch=False)
    except TypeError:
        return cls(library)


def list_rows(app: Any) -> int:
    table = getattr(app, "table", None)
    return len(getattr(table, "rows", []) or []) if table is not None else 0


def worker_paint(articles: Path, index_dir: Path, spawned: float) -> dict[str, Any]:
    """Time from process start to the first paint of the populated list (App.run_test)."""
    t0 = time.time()
    from reader.library import Library

    app_module_s = time.time()
    import reader.ui.app  # noqa: F401

    imports_done = time.time()
    library = Library(articles, index_dir)
    app = make_app(library)
    out: dict[str, Any] = {"interpreter_s": t0 - spawned, "imports_s": imports_done - t0,
                           "ui_import_s": imports_done - app_module_s}

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            out["mounted_s"] = time.time() - spawned
            deadline = time.time() + 300
            while not (getattr(app, "ready", True) and list_rows(app)) and time.time() < deadline:
                await asyncio.sleep(0.005)
            await pilot.pause()  # the refresh that draws the rows
            out["list_painted_s"] = time.time() - spawned
            out["rows"] = list_rows(app)
            view = getattr(app, "view", None)
            while view is not None and getattr(view, "article", None) is None and time.time() < deadline:
                await asyncio.sleep(0.005)
            await pilot.pause()
            out["first_article_s"] = time.time() - spawned
            screen = app.screen
            out["screen"] = type(screen).__name__

    asyncio.run(run())
    library.close()
    return out


def tmux_starts(articles: Path, index_dir: Path, env: dict[str, str], runs: int, rows: int) -> list[float]:
    """The installed ``reader`` in a real terminal (tmux, 120x40), as a user
    starts it: seconds from launch to the screen showing the populated list.
    One run first as a warm-up (it also saves the list beside the index)."""
    if not shutil.which("tmux"):
        return []
    from bench_ui import Tmux, tmux_command

    wanted = f"{rows:,} articles", f"{rows} articles"
    times: list[float] = []
    term = Tmux(env)
    try:
        for run in range(runs + 1):
            started = term.start(tmux_command(articles, index_dir, env))
            shown, _ = term.wait(lambda screen: "by date" in screen and any(w in screen for w in wanted), 120)
            if run:
                times.append(shown - started)
            term.keys("q")
            time.sleep(1.0)
    finally:
        term.close()
    return times


def run_worker(mode: str, articles: Path, index_dir: Path, env: dict[str, str]) -> dict[str, Any]:
    argv = [sys.executable, __file__, "--worker", mode, "--w-articles", str(articles), "--w-index", str(index_dir)]
    spawned = time.time()
    result = C.run_timed(argv + ["--w-spawned", repr(spawned)], env=env)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["wall_s"] = result.seconds
    data["peak_rss_mb"] = result.peak_rss_mb
    return data


# --- main -------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="articles (default 100000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query (default 5)")
    parser.add_argument("--start-runs", type=int, default=5, help="app start measurements (default 5)")
    parser.add_argument("--no-ui", action="store_true", help="skip the run_test first-paint measure")
    parser.add_argument("--articles", type=Path, help="reuse an articles folder built by an earlier --keep run")
    parser.add_argument("--index", type=Path, help="its index folder (with --articles)")
    parser.add_argument("--worker", choices=("start", "paint"), help=argparse.SUPPRESS)
    parser.add_argument("--w-articles", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--w-index", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--w-spawned", type=float, help=argparse.SUPPRESS)
    C.add_common_args(parser)
    args = parser.parse_args(argv)

    if args.worker:
        fn = worker_start if args.worker == "start" else worker_paint
        print(json.dumps(fn(args.w_articles, args.w_index, args.w_spawned)))
        return 0
    if not args.no_wait:
        C.wait_for_module("reader.discovery")
    import bench_index_search as BIS

    report = C.Report("scale", f"reader at {args.size:,} articles")
    results: dict[str, Any] = {"size": args.size}
    load = C.psutil.getloadavg()
    with C.workdir(args.keep, base=args.tmp) as tmp:
        env = C.bench_env(tmp)
        reader = C.reader_command()
        if args.articles:
            articles, index_dir = args.articles, args.index or tmp / "index"
            results["reused"] = str(articles)
        else:
            articles, index_dir = tmp / "articles", tmp / "index"
            C.add_entity_list(articles)
            source = tmp / "corpus.jsonl"
            C.progress(f"writing {args.size:,} records")
            t0 = time.perf_counter()
            results["corpus"] = write_corpus(source, args.size)
            results["corpus"]["jsonl_bytes"] = source.stat().st_size
            results["corpus"]["write_s"] = time.perf_counter() - t0
            # `reader import` is these two steps in one process: import_paths (the files),
            # then the index update; run apart, each is timed on its own.
            C.progress("import_paths (writes the article files)")
            only = C.run_timed([sys.executable, "-c", BIS.IMPORT_ONLY, str(source), str(articles), ""], env=env)
            C.progress("reader index (indexes them)")
            idx = C.run_timed(reader + ["--articles", str(articles), "--index", str(index_dir), "index", "--json"],
                              env=env)
            data = idx.json() or {}
            added = int(only.stdout.strip().splitlines()[-1])
            results["import"] = {
                "added": added, "indexed": data.get("added", 0), "errors": len(data.get("errors", [])),
                "total_s": only.seconds + idx.seconds, "index_s": idx.seconds, "index_update_s": data.get("seconds"),
                "import_only_s": only.seconds, "import_peak_rss_mb": only.peak_rss_mb, "peak_rss_mb": idx.peak_rss_mb,
                "import_cpu_s": only.cpu_s, "index_cpu_s": idx.cpu_s,
            }
            source.unlink()
        results["index_bytes"] = C.dir_size(index_dir)
        results["articles_bytes"] = C.dir_size(articles)
        C.progress("second reader index (nothing changed)")
        noop = C.run_timed(reader + ["--articles", str(articles), "--index", str(index_dir), "index", "--json"],
                           env=env)
        noop_data = noop.json() or {}
        results["noop"] = {"wall_s": noop.seconds, "update_s": float(noop_data.get("seconds") or 0.0),
                           "peak_rss_mb": noop.peak_rss_mb, "rebuilt": bool(noop_data.get("rebuilt")),
                           "reason": noop_data.get("reason", ""),
                           "changed": sum(int(noop_data.get(k, 0) or 0) for k in ("added", "updated", "deleted"))}
        C.progress("searches")
        whoosh = BIS.run_worker("whoosh", articles, index_dir, args.repeat, env)
        results["search"] = whoosh
        types = BIS.type_stats(whoosh["latencies"])
        results["search_types"] = types
        cpu_types = BIS.type_stats(whoosh.get("cpu_latencies", {}))
        results["search_cpu_types"] = cpu_types
        C.progress("app start with a warm index")
        starts = [run_worker("start", articles, index_dir, env) for _ in range(args.start_runs)]
        results["start"] = starts
        paints: list[dict[str, Any]] = []
        ui_note = ""
        if args.no_ui:
            ui_note = "skipped (--no-ui)"
        elif importlib.util.find_spec("reader.ui") is None or importlib.util.find_spec("reader.ui.app") is None:
            ui_note = "reader.ui.app is not there yet"
        else:
            C.progress("first paint through App.run_test")
            try:
                paints = [run_worker("paint", articles, index_dir, env) for _ in range(max(1, args.start_runs // 2))]
            except Exception as exc:  # the UI is young: report, do not lose the other figures
                ui_note = f"failed: {str(exc).splitlines()[-1][:300]}"
        results["paint"] = paints
        results["paint_note"] = ui_note
        if not args.no_ui:
            C.progress("the installed reader in tmux")
            results["tmux_starts"] = tmux_starts(articles, index_dir, env, args.start_runs, starts[0]["rows"])

    imp = results.get("import")
    n = imp["added"] if imp else whoosh["docs"]
    corpus = results.get("corpus", {})
    report.add(
        f"{n:,} articles" + (f" ({corpus['reuters']:,} from Reuters, {corpus['bbc']:,} from BBC; up to "
                             f"{corpus['copies']} copies of each text with rotated paragraphs, distinct ids and "
                             f"shifted dates)" if corpus else "")
        + f". Load average at the start: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} (2 cores: anything above "
        "~0.3 means another job shared the machine).\n")
    rows = []
    if imp:
        rows += [
            ("import + index total", f"{imp['total_s']:.0f} s ({n / imp['total_s']:,.0f} docs/s)"),
            ("  import: writing the article files (`import_paths`, own process)",
             f"{imp['import_only_s']:.0f} s ({n / imp['import_only_s']:,.0f} docs/s), CPU "
             f"{imp['import_cpu_s']:.0f} s, peak RSS {imp['import_peak_rss_mb']:.0f} MB"),
            ("  index: `reader index` on the new files", f"{imp['index_s']:.0f} s ({n / imp['index_s']:,.0f} docs/s; "
             f"update {imp['index_update_s'] or 0:.0f} s; CPU {imp['index_cpu_s']:.0f} s with its workers; "
             f"{imp['indexed']:,} indexed, {imp['errors']} errors)"),
            ("peak RSS of `reader index` (with its index workers)", f"{imp['peak_rss_mb']:.0f} MB"),
        ]
    rows += [
        ("index size on disk", f"{results['index_bytes'] / C.MB:,.0f} MB (articles {results['articles_bytes'] / C.MB:,.0f} MB)"),
        ("second `reader index`, nothing changed", f"{results['noop']['wall_s']:.2f} s wall (update "
         f"{results['noop']['update_s']:.2f} s), peak RSS {results['noop']['peak_rss_mb']:.0f} MB"
         + (f"; NOT a no-op: it rebuilt the index ({results['noop']['reason']})" if results["noop"]["rebuilt"]
            else f"; changed {results['noop']['changed']}")),
        ("opening the index and a searcher", f"{whoosh['open_ms']:.0f} ms"),
        ("search process RSS after opening / peak", f"{whoosh['rss_after_open_mb']:.0f} / "
         f"{whoosh['process_peak_rss_mb']:.0f} MB"),
    ]
    report.section("Import, index, memory")
    report.add(C.md_table(["measure", "value"], rows))

    report.section(f"Search latency (ms; {args.repeat} timed runs of each query after a warm-up)")
    report.add(C.md_table(["type", "queries", "p50", "p95", "max", "CPU p50", "CPU p95"],
                          [(k, len(C.QUERIES[k]), v["p50"], v["p95"], v["max"], cpu_types[k]["p50"],
                            cpu_types[k]["p95"]) for k, v in types.items()]))
    report.add("CPU: `time.thread_time()` of the searching thread (leaves out waiting for a core).\n")
    rows = [(k, f"`{q}`", whoosh["hits"].get(q, 0), C.median(whoosh["latencies"][q]), max(whoosh["latencies"][q]))
            for k, items in C.QUERIES.items() for q, _ in items]
    report.add("<details><summary>Every query</summary>\n\n" + C.md_table(
        ["type", "query", "hits", "median ms", "max ms"], rows) + "\n</details>\n")

    report.section(f"Start with a warm index (fresh process; median of {args.start_runs})")
    keys = ("total_s", "interpreter_s", "imports_s", "library_s", "update_s", "rows_s", "peak_rss_mb")
    med = {k: C.median(s[k] for s in starts) for k in keys}
    report.add(C.md_table(
        ["process start to rows ready", "interpreter", "imports", "Library()", "update() (no change)", "rows()",
         "peak RSS"],
        [(f"{med['total_s']:.2f} s", f"{med['interpreter_s']:.2f} s", f"{med['imports_s']:.2f} s",
          f"{med['library_s']:.2f} s", f"{med['update_s']:.2f} s", f"{med['rows_s']:.2f} s",
          f"{med['peak_rss_mb']:.0f} MB")]))
    report.add(f"Rows: {starts[0]['rows']:,}; changed on update: {starts[0]['changed']}. Runs: "
               + ", ".join(f"{s['total_s']:.2f}" for s in starts) + " s.\n")
    paint_med = None
    if paints:
        paint_med = {k: C.median(p.get(k, float('nan')) for p in paints)
                     for k in ("interpreter_s", "imports_s", "mounted_s", "list_painted_s", "first_article_s",
                               "peak_rss_mb")}
        report.add(f"First paint through `App.run_test(size=(120, 40))` (headless; median of {len(paints)}):\n")
        report.add(C.md_table(
            ["process start to: imports done", "app mounted", "list painted (rows shown)", "first article shown",
             "peak RSS"],
            [(f"{paint_med['imports_s'] + paint_med['interpreter_s']:.2f} s", f"{paint_med['mounted_s']:.2f} s",
              f"{paint_med['list_painted_s']:.2f} s", f"{paint_med['first_article_s']:.2f} s",
              f"{paint_med['peak_rss_mb']:.0f} MB")]))
    else:
        report.add(f"First paint through `App.run_test`: {ui_note}.\n")
    tmux_times = results.get("tmux_starts") or []
    if tmux_times:
        report.add(f"The installed `reader` in tmux (120x40), launch to the list painted on screen (what a user "
                   f"waits for; the command pauses the garbage collector while it starts, the pilot harness above "
                   f"does not): median {C.median(tmux_times):.2f} s; runs: "
                   + ", ".join(f"{t:.2f}" for t in tmux_times) + " s.\n")

    worst_p95 = max(v["p95"] for v in types.values())
    for kind, v in types.items():
        report.target(f"search p95, {kind}", f"{v['p95']:.1f} ms (CPU {cpu_types[kind]['p95']:.1f} ms)",
                      f"< {TARGET_P95_MS:.0f} ms", v["p95"] < TARGET_P95_MS)
    report.target("start with a warm index (Library + update + rows, from process start)",
                  f"{med['total_s']:.2f} s", f"< {TARGET_START_S:.0f} s", med["total_s"] < TARGET_START_S)
    if paint_med:
        report.target("first paint of the populated list (run_test, from process start)",
                      f"{paint_med['list_painted_s']:.2f} s", f"< {TARGET_START_S:.0f} s",
                      paint_med["list_painted_s"] < TARGET_START_S)
    if tmux_times:
        report.target("the installed reader in tmux: launch to the list painted", f"{C.median(tmux_times):.2f} s",
                      f"< {TARGET_START_S:.0f} s", C.median(tmux_times) < TARGET_START_S)
    peak = max([whoosh["process_peak_rss_mb"], med["peak_rss_mb"]] + ([paint_med["peak_rss_mb"]] if paint_med else []))
    report.target("peak memory of searching / the app (max of the search, start and paint processes)",
                  f"{peak:.0f} MB", f"< {TARGET_MEMORY_MB:.0f} MB", peak < TARGET_MEMORY_MB)
    if imp:
        report.target("peak memory of the first `reader index` at this size (for information)",
                      f"{imp['peak_rss_mb']:.0f} MB", f"< {TARGET_MEMORY_MB:.0f} MB", imp["peak_rss_mb"] < TARGET_MEMORY_MB)
    results["worst_p95_ms"] = worst_p95
    report.data = {"args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                   **{k: v for k, v in results.items() if k != "search"},
                   "search": {k: v for k, v in whoosh.items() if k != "latencies"},
                   "search_latencies": whoosh["latencies"]}
    report.save(args.out, args.suffix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
