"""Import, index and search the BBC and Reuters corpora, next to SQLite FTS5.

What a user sees: ``reader import`` and ``reader index`` run as the installed
command in a subprocess (``reader import`` indexes what it added, so its time is
split into writing the files and indexing them, using the index report it
prints with ``--json``); a second ``reader index`` with nothing changed; and a
full ``reader index --rebuild``. Then a fixed query set (bench/common.py) runs
through ``ArticleSearch`` in a worker process (after a warm-up, each query
several times), and the same documents go into an SQLite FTS5 table in another
worker, built and queried with the equivalent FTS5 queries, so the ratio
Whoosh/FTS5 is measured in the same run on the same machine.

    .venv/bin/python bench/bench_index_search.py                 # full corpora, 3 runs
    .venv/bin/python bench/bench_index_search.py --limit 2000 --runs 1 --suffix=-small
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import time
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402

warnings.filterwarnings("ignore", category=SyntaxWarning)
warnings.filterwarnings("ignore", category=DeprecationWarning, module="whoosh")

CORPUS_SOURCES = {"bbc": "BBC", "reuters": "Reuters"}
IMPORT_ONLY = """
import sys
from pathlib import Path
from reader.entities import load_entity_list
from reader.ingest import import_paths
folder = Path(sys.argv[2])
report = import_paths([Path(sys.argv[1])], folder, source=sys.argv[3],
                      known_places=load_entity_list(folder).places())
print(len(report.added))
"""
TARGET_IMPORT_S = 60.0
TARGET_P95_MS = 50.0
TARGET_NOOP_S = 1.0


# --- workers (run in their own process so their peak memory is their own) ------------

# Expansions capped at MAX_EXPANSION words (reader.search), fuzzy at 2 edits,
# and a pattern of many stars (which once backtracked for minutes).
BOUNDED_QUERIES = ["a*", "*a*", "x~5", "*e*e*e*e*e*q", "s" + "*" * 40 + "x"]


def worker_whoosh(articles: Path, index_dir: Path, repeat: int) -> dict[str, Any]:
    from reader.entities import load_entity_list
    from reader.index import ArticleIndex
    from reader.search import ArticleSearch

    with C.MemorySampler() as mem:
        t0 = time.perf_counter()
        index = ArticleIndex(articles, index_dir, load_entity_list(articles)).open()
        if index.needs_rebuild:
            raise SystemExit(f"the index needs a rebuild ({index.needs_rebuild}); the benchmark expects a built one")
        search = ArticleSearch(index)
        with index.searching():
            pass
        open_ms = (time.perf_counter() - t0) * 1000
        rss_open = C.rss_mb()
        first: dict[str, float] = {}
        hits: dict[str, int] = {}
        for kind, q in C.all_queries():  # warm-up: every query once
            t = time.perf_counter()
            hits[q] = search.search(q).total
            first[q] = (time.perf_counter() - t) * 1000
        latencies: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        for _ in range(repeat):  # interleaved, so no query runs on a hot cache only
            for kind, q in C.all_queries():
                c = time.thread_time()
                t = time.perf_counter()
                search.search(q)
                latencies.setdefault(q, []).append((time.perf_counter() - t) * 1000)
                cpu.setdefault(q, []).append((time.thread_time() - c) * 1000)
        # Queries that expand to many words or could take long: bounded, with a note.
        bounded: dict[str, dict[str, Any]] = {}
        for q in BOUNDED_QUERIES:
            times = []
            for _ in range(3):
                t = time.perf_counter()
                result = search.search(q)
                times.append((time.perf_counter() - t) * 1000)
            bounded[q] = {"ms": times, "hits": result.total, "notes": result.notes}
        docs = index.doc_count()
    return {
        "docs": docs,
        "bounded": bounded,
        "open_ms": open_ms,
        "rss_after_open_mb": rss_open,
        "peak_rss_mb": mem.peak / C.MB,
        "first_ms": first,
        "hits": hits,
        "latencies": latencies,
        "cpu_latencies": cpu,
    }


def _fts_query(fts: str) -> tuple[str, str]:
    """(top-10 SQL, count SQL) for an FTS5 query string of the set."""
    return (
        "SELECT m.id, m.title, snippet(docs, 1, '[', ']', '…', 30) FROM docs JOIN meta m "
        "ON m.rowid = docs.rowid WHERE docs MATCH ? ORDER BY bm25(docs, 2.0, 1.0, 1.0) LIMIT 10",
        "SELECT count(*) FROM docs WHERE docs MATCH ?",
    )


def worker_fts5(articles: Path, db_path: Path, repeat: int) -> dict[str, Any]:
    from reader.corpus import load_corpus

    with C.MemorySampler() as mem:
        t0 = time.perf_counter()
        corpus = load_corpus(articles)
        load_s = time.perf_counter() - t0
        db_path.unlink(missing_ok=True)
        con = sqlite3.connect(db_path)
        t0 = time.perf_counter()
        con.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, source, tokenize='porter unicode61')")
        con.execute("CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT, title TEXT, path TEXT, date TEXT)")
        with con:
            for n, a in enumerate(corpus.articles, start=1):
                con.execute("INSERT INTO docs(rowid, title, body, source) VALUES (?,?,?,?)",
                            (n, a.display_title, a.body, a.source))
                con.execute("INSERT INTO meta VALUES (?,?,?,?,?)", (n, a.id, a.display_title, a.path, a.date))
            con.execute("CREATE INDEX meta_date ON meta(date)")
        con.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        con.commit()
        build_s = time.perf_counter() - t0
        size = db_path.stat().st_size
        con.close()
        t0 = time.perf_counter()
        con = sqlite3.connect(db_path)
        open_ms = (time.perf_counter() - t0) * 1000

        def run(fts: str) -> int:
            if fts.startswith("@date:"):
                _, lo, hi = fts.split(":")
                hi += "T99"  # the whole last day
                con.execute("SELECT id, title FROM meta WHERE date >= ? AND date <= ? "
                                   "ORDER BY date DESC LIMIT 10", (lo, hi)).fetchall()
                total = con.execute("SELECT count(*) FROM meta WHERE date >= ? AND date <= ?", (lo, hi)).fetchone()[0]
                return total
            match = fts if ":" in fts else "{title body} : (" + fts + ")"
            top, count = _fts_query(match)
            con.execute(top, (match,)).fetchall()
            return con.execute(count, (match,)).fetchone()[0]

        pairs = [(kind, w, f) for kind, items in C.QUERIES.items() for w, f in items if f]
        hits = {w: run(f) for _, w, f in pairs}  # warm-up
        latencies: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        for _ in range(repeat):
            for _, w, f in pairs:
                c = time.thread_time()
                t = time.perf_counter()
                run(f)
                latencies.setdefault(w, []).append((time.perf_counter() - t) * 1000)
                cpu.setdefault(w, []).append((time.thread_time() - c) * 1000)
        con.close()
    return {
        "docs": len(corpus.articles),
        "load_s": load_s,
        "build_s": build_s,
        "size_bytes": size,
        "open_ms": open_ms,
        "peak_rss_mb": mem.peak / C.MB,
        "hits": hits,
        "latencies": latencies,
        "cpu_latencies": cpu,
        "fts_queries": {w: f for _, w, f in pairs},
    }


def run_worker(kind: str, articles: Path, target: Path, repeat: int, env: dict[str, str]) -> dict[str, Any]:
    argv = [sys.executable, __file__, "--worker", kind, "--w-articles", str(articles),
            "--w-target", str(target), "--repeat", str(repeat)]
    result = C.run_timed(argv, env=env)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["process_peak_rss_mb"] = result.peak_rss_mb
    data["process_seconds"] = result.seconds
    return data


# --- the benchmark ------------------------------------------------------------------------

def build_runs(name: str, source_path: Path, runs: int, tmp: Path, env: dict[str, str],
               rebuild: bool) -> tuple[list[dict[str, Any]], Path, Path]:
    reader = C.reader_command()
    results = []
    articles = index_dir = Path()
    for run in range(runs):
        base = tmp / f"{name}-{run}"
        articles, index_dir = base / "articles", base / "index"
        C.add_entity_list(articles)
        # The file-writing half of `reader import` alone (the same import_paths call
        # the command makes), into a scratch folder: `reader import` then indexes
        # what it added, and its --json index report shows only its second, no-op
        # update, so the indexing half is the difference.
        scratch = base / "import-only"
        C.add_entity_list(scratch)
        C.progress(f"{name} run {run + 1}/{runs}: import_paths alone (files only)")
        only = C.run_timed([sys.executable, "-c", IMPORT_ONLY, str(source_path), str(scratch),
                            CORPUS_SOURCES[name]], env=env)

        shutil.rmtree(scratch, ignore_errors=True)
        C.progress(f"{name} run {run + 1}/{runs}: reader import")
        imp = C.run_timed(reader + ["--articles", str(articles), "--index", str(index_dir), "import",
                                    str(source_path), "--source", CORPUS_SOURCES[name], "--json"], env=env)
        data = imp.json() or {}
        index_s = max(0.0, imp.seconds - only.seconds)
        C.progress(f"{name} run {run + 1}/{runs}: second reader index (nothing changed)")
        noop = C.run_timed(reader + ["--articles", str(articles), "--index", str(index_dir), "index", "--json"],
                           env=env)
        noop_data = noop.json() or {}
        row: dict[str, Any] = {
            "added": len(data.get("added", [])),
            "skipped": len(data.get("skipped", [])),
            "failed": len(data.get("failed", [])),
            "import_total_s": imp.seconds,
            "index_in_import_s": index_s,
            "import_only_s": only.seconds,
            "import_reported_index_s": float((data.get("index") or {}).get("seconds") or 0.0),
            "import_peak_rss_mb": imp.peak_rss_mb,
            "import_cpu_s": imp.cpu_s,
            "import_only_cpu_s": only.cpu_s,
            "index_bytes": C.dir_size(index_dir),
            "articles_bytes": C.dir_size(articles),
            "noop_index_s": noop.seconds,
            "noop_index_internal_s": float(noop_data.get("seconds") or 0.0),
            "noop_changed": (noop_data.get("added", 0) + noop_data.get("updated", 0) + noop_data.get("deleted", 0)),
            "noop_rebuilt": int(bool(noop_data.get("rebuilt"))),
        }
        if rebuild and run == 0:  # one full rebuild per corpus: the index build on its own
            C.progress(f"{name} run {run + 1}/{runs}: reader index --rebuild")
            reb = C.run_timed(reader + ["--articles", str(articles), "--index", str(index_dir), "index",
                                        "--rebuild", "--json"], env=env)
            reb_data = reb.json() or {}
            row.update({
                "rebuild_s": reb.seconds,
                "rebuild_internal_s": float(reb_data.get("seconds") or 0.0),
                "rebuild_peak_rss_mb": reb.peak_rss_mb,
                "rebuild_cpu_s": reb.cpu_s,
                "index_bytes_after_rebuild": C.dir_size(index_dir),
            })
        results.append(row)
        if run < runs - 1:
            shutil.rmtree(base, ignore_errors=True)
    return results, articles, index_dir


def type_stats(latencies: dict[str, list[float]], only: set[str] | None = None) -> dict[str, dict[str, float]]:
    out = {}
    for kind, items in C.QUERIES.items():
        values = [v for q, _ in items if (only is None or q in only) for v in latencies.get(q, [])]
        out[kind] = C.summary(values)
    return out


def bench_corpus(name: str, source_path: Path, args: argparse.Namespace, tmp: Path,
                 env: dict[str, str], report: C.Report) -> dict[str, Any]:
    n_runs = args.reuters_runs if name == "reuters" and args.reuters_runs else args.runs
    runs, articles, index_dir = build_runs(name, source_path, n_runs, tmp, env, not args.no_rebuild)
    med = {k: C.median(r[k] for r in runs if k in r) for k in runs[0] if isinstance(runs[0][k], (int, float))}
    C.progress(f"{name}: Whoosh searches ({args.repeat} x {len(C.all_queries())} queries)")
    whoosh = run_worker("whoosh", articles, index_dir, args.repeat, env)
    fts = None
    if not args.no_fts:
        C.progress(f"{name}: SQLite FTS5 build and searches")
        fts = run_worker("fts5", articles, tmp / f"{name}-fts.sqlite", args.repeat, env)
    w_types = type_stats(whoosh["latencies"])
    comparable = set(fts["fts_queries"]) if fts else set()
    w_comp = type_stats(whoosh["latencies"], comparable)
    f_types = type_stats(fts["latencies"], comparable) if fts else {}

    added = med["added"]
    label = CORPUS_SOURCES[name]
    report.section(f"{label}: import and index (`reader` CLI, median of {n_runs} run(s); "
                   f"`--rebuild` once)")
    rows = [
        ("articles imported (skipped, failed)", f"{int(added):,} ({int(med['skipped'])}, {int(med['failed'])})"),
        ("`reader import` total (writes files, then indexes them)", f"{med['import_total_s']:.1f} s"),
        ("  of which writing the article files (`import_paths` alone, own process)",
         f"{med['import_only_s']:.1f} s ({added / med['import_only_s']:,.0f} docs/s)"),
        ("  of which indexing (the difference)", f"{med['index_in_import_s']:.1f} s "
         f"({added / med['index_in_import_s']:,.0f} docs/s)" if med["index_in_import_s"] else "n/a"),
        ("import + index throughput", f"{added / med['import_total_s']:,.0f} docs/s"),
        ("CPU time of `reader import` (user + system, with its index workers)",
         f"{med['import_cpu_s']:.1f} s (files alone: {med['import_only_cpu_s']:.1f} s)"),
        ("peak RSS of `reader import`", f"{med['import_peak_rss_mb']:.0f} MB"),
        ("index size on disk", f"{med['index_bytes'] / C.MB:.1f} MB (articles folder {med['articles_bytes'] / C.MB:.1f} MB)"),
        ("second `reader index` (nothing changed), wall", f"{med['noop_index_s']:.2f} s "
         f"(in-process update {med['noop_index_internal_s']:.2f} s; changed {int(med['noop_changed'])}"
         + ("; REBUILT: the reader sources changed during the run" if med.get("noop_rebuilt") else "") + ")"),
    ]
    if not args.no_rebuild:
        rows += [
            ("`reader index --rebuild`, wall", f"{med['rebuild_s']:.1f} s ({added / med['rebuild_s']:,.0f} docs/s; "
             f"update {med['rebuild_internal_s']:.1f} s)"),
            ("CPU time of `reader index --rebuild`", f"{med['rebuild_cpu_s']:.1f} s"),
            ("peak RSS of `reader index --rebuild`", f"{med['rebuild_peak_rss_mb']:.0f} MB"),
            ("index size after rebuild", f"{med['index_bytes_after_rebuild'] / C.MB:.1f} MB"),
        ]
    report.add(C.md_table(["measure", "value"], rows))
    report.add("Per run: " + "; ".join(
        f"import {r['import_total_s']:.1f} s (index {r['index_in_import_s']:.1f} s), no-op {r['noop_index_s']:.2f} s"
        + (f", rebuild {r['rebuild_s']:.1f} s" if "rebuild_s" in r else "") for r in runs) + "\n")

    report.section(f"{label}: search latency (ms; {args.repeat} timed runs of each query after a warm-up)")
    w_cpu = type_stats(whoosh.get("cpu_latencies", {}))
    f_cpu = type_stats(fts.get("cpu_latencies", {}), comparable) if fts else {}
    rows = []
    for kind in C.QUERY_TYPES:
        w, wc, f, wu, fu = w_types[kind], w_comp[kind], f_types.get(kind), w_cpu[kind], f_cpu.get(kind)
        has = bool(f and f["n"])
        ratio50 = wc["p50"] / f["p50"] if has else float("nan")
        ratio95 = wc["p95"] / f["p95"] if has else float("nan")
        rows.append((kind, len(C.QUERIES[kind]), w["p50"], w["p95"], f"{wu['p50']:.1f} / {wu['p95']:.1f}",
                     f["p50"] if has else "n/a", f["p95"] if has else "n/a",
                     f"{fu['p50']:.2f} / {fu['p95']:.2f}" if has and fu else "n/a",
                     f"{ratio50:.1f}x / {ratio95:.1f}x" if has else "n/a"))
    report.add(C.md_table(["type", "queries", "Whoosh p50", "Whoosh p95", "Whoosh CPU p50 / p95",
                           "FTS5 p50", "FTS5 p95", "FTS5 CPU p50 / p95",
                           "Whoosh/FTS5 p50 / p95 (same queries)"], rows))
    report.add("Wall-clock latency is what a user waits for; CPU time (`time.thread_time()` of the searching "
               "thread) leaves out waiting for a core, so it shows what the search itself costs when other "
               "processes share the 2 cores.\n")
    report.add(f"Whoosh: opening the index and a searcher {whoosh['open_ms']:.0f} ms; RSS after opening "
               f"{whoosh['rss_after_open_mb']:.0f} MB; peak RSS of the search process "
               f"{whoosh['process_peak_rss_mb']:.0f} MB ({whoosh['docs']:,} documents).\n")
    if fts:
        report.add(f"FTS5: build {fts['build_s']:.1f} s for {fts['docs']:,} documents (reading the files first: "
                   f"{fts['load_s']:.1f} s), {fts['size_bytes'] / C.MB:.1f} MB on disk; peak RSS "
                   f"{fts['process_peak_rss_mb']:.0f} MB. Whoosh index build (`reader index --rebuild`, update "
                   f"time) / FTS5 build: "
                   + (f"{med['rebuild_internal_s'] / fts['build_s']:.1f}x" if not args.no_rebuild else "n/a")
                   + "; size ratio " + f"{med['index_bytes'] / fts['size_bytes']:.1f}x.\n")
    if whoosh.get("bounded"):
        report.add(f"Bounded queries ({label}; median of 3 runs after the query set):\n")
        report.add(C.md_table(["query", "median ms", "max ms", "hits", "note"], [
            (f"`{q[:24]}{'…' if len(q) > 24 else ''}`", C.median(b["ms"]), max(b["ms"]), b["hits"],
             "; ".join(b["notes"]) or "-")
            for q, b in whoosh["bounded"].items()]))
    rows = []
    for kind, items in C.QUERIES.items():
        for q, f in items:
            lat = whoosh["latencies"].get(q, [])
            rows.append((kind, f"`{q}`", whoosh["hits"].get(q, 0), C.median(lat), max(lat) if lat else float("nan"),
                         whoosh["first_ms"].get(q, float("nan")),
                         f"`{f}`" if f else "n/a",
                         fts["hits"].get(q, "n/a") if fts and f else "n/a",
                         C.median(fts["latencies"].get(q, [])) if fts and f else "n/a"))
    report.add("<details><summary>Every query</summary>\n\n" + C.md_table(
        ["type", "Whoosh query", "hits", "median ms", "max ms", "first run ms", "FTS5 query", "FTS5 hits",
         "FTS5 median ms"], rows) + "\n</details>\n")
    return {"runs": runs, "median": med, "whoosh": whoosh, "fts5": fts, "whoosh_types": w_types,
            "whoosh_cpu_types": w_cpu, "fts5_cpu_types": f_cpu,
            "whoosh_types_comparable": w_comp, "fts5_types": f_types}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="articles per corpus (default: all)")
    parser.add_argument("--runs", type=int, default=3, help="import+index runs per corpus (default 3)")
    parser.add_argument("--reuters-runs", type=int, default=0, help="runs for Reuters only (default: --runs)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each query (default 7)")
    parser.add_argument("--corpora", default="bbc,reuters", help="comma-separated: bbc, reuters")
    parser.add_argument("--no-fts", action="store_true", help="skip the SQLite FTS5 comparison")
    parser.add_argument("--no-rebuild", action="store_true", help="skip `reader index --rebuild`")
    parser.add_argument("--worker", choices=("whoosh", "fts5"), help=argparse.SUPPRESS)
    parser.add_argument("--w-articles", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--w-target", type=Path, help=argparse.SUPPRESS)
    C.add_common_args(parser)
    args = parser.parse_args(argv)

    if args.worker:
        fn = worker_whoosh if args.worker == "whoosh" else worker_fts5
        print(json.dumps(fn(args.w_articles, args.w_target, args.repeat)))
        return 0

    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE VIRTUAL TABLE t USING fts5(a)")
    except sqlite3.OperationalError:
        print("this sqlite3 has no FTS5: the comparison is skipped", file=sys.stderr)
        args.no_fts = True
    con.close()
    if not args.no_wait:
        C.wait_for_module("reader.discovery")

    names = [n.strip() for n in args.corpora.split(",") if n.strip()]
    report = C.Report("index_search", "Import, index and search: BBC and Reuters, Whoosh next to SQLite FTS5")
    report.add(
        "Import and index run as the installed `reader` command in a subprocess (what a user waits for); "
        "searches run through `ArticleSearch` in a separate worker process (so its peak memory is its own), "
        "each query of the fixed set once as a warm-up, then timed; every search returns the top 10 hits with "
        "snippets and the total count. FTS5 (stdlib sqlite3, `porter unicode61`, title weighted 2.0 like "
        "Whoosh's field boost) holds the same documents, read from the imported files, and answers the "
        "equivalent query (top 10 by bm25 with `snippet()` plus `count(*)`); fuzzy and entity-field queries "
        "have no FTS5 equivalent (n/a). The articles folders hold the bundled `entities.yaml`. "
        + (f"Limited to {args.limit} articles per corpus. " if args.limit else "")
        + "Nothing else ran on the machine unless noted.\n")
    with C.workdir(args.keep, base=args.tmp) as tmp:
        env = C.bench_env(tmp)
        results = {}
        for name in names:
            if name == "bbc":
                source = C.limited_bbc_dir(tmp, args.limit)
            elif name == "reuters":
                source = C.limited_reuters_file(tmp, args.limit)
            else:
                parser.error(f"unknown corpus {name!r}")
            results[name] = bench_corpus(name, source, args, tmp, env, report)
    report.data = {"args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                   "corpora": results}

    r = results.get("reuters")
    if r:
        med = r["median"]
        report.target("Reuters imported and indexed (`reader import`, wall)",
                      f"{med['import_total_s']:.1f} s (CPU {med['import_cpu_s']:.1f} s)",
                      f"< {TARGET_IMPORT_S:.0f} s", med["import_total_s"] < TARGET_IMPORT_S)
        for kind in C.QUERY_TYPES:
            p95 = r["whoosh_types"][kind]["p95"]
            cpu95 = r["whoosh_cpu_types"][kind]["p95"]
            report.target(f"Reuters search p95, {kind}", f"{p95:.1f} ms (CPU {cpu95:.1f} ms)",
                          f"< {TARGET_P95_MS:.0f} ms", p95 < TARGET_P95_MS)
        report.target("second `reader index`, nothing changed (Reuters, wall)", f"{med['noop_index_s']:.2f} s",
                      f"< {TARGET_NOOP_S:.0f} s", med["noop_index_s"] < TARGET_NOOP_S)
    b = results.get("bbc")
    if b:
        report.target("second `reader index`, nothing changed (BBC, wall)", f"{b['median']['noop_index_s']:.2f} s",
                      f"< {TARGET_NOOP_S:.0f} s", b["median"]["noop_index_s"] < TARGET_NOOP_S)
    report.save(args.out, args.suffix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
