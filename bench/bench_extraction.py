"""Entity extraction on Reuters: matching alone, full extraction, and what
extraction adds to indexing.

1. Matching (``Matcher.match``) of every Reuters body (cleaned as ``reader
   import`` cleans it) with the bundled entity list (articles/entities.yaml)
   and with a synthetic list of ~7,000 names: the bundled list plus the most
   frequent capitalised bigrams of the Reuters text ("Federal Reserve",
   "James Baker", ...), to stress the automaton.
2. Full extraction (``Extractor.extract``: matcher + short references +
   discovery), and the same without discovery, for both lists; a cProfile of
   full extraction shows where the time goes.
3. Indexing the imported Reuters folder (``ArticleIndex.update(rebuild=True)``,
   default process count) with extraction and without it (the index's
   extractor monkeypatched to return an empty ``Extraction``), alternating, in
   a fresh worker process per build; ratio of the medians.

    .venv/bin/python bench/bench_extraction.py
    .venv/bin/python bench/bench_extraction.py --limit 3000 --runs 2 --index-runs 1 --suffix=-small
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402

warnings.filterwarnings("ignore", category=SyntaxWarning)
warnings.filterwarnings("ignore", category=DeprecationWarning, module="whoosh")

TARGET_MATCH_MS = 1.0
TARGET_INDEX_RATIO = 1.5
# Full extraction with the trained tagger, mean per Reuters article (about 160
# tokens): the tagger's features and CRF, the rules and discovery.
TARGET_EXTRACT_MS = 5.0
BIGRAM = re.compile(r"\b([A-Z][a-z]{2,}) ([A-Z][a-z]{2,})\b")
STOP_FIRST = {"The", "This", "That", "These", "They", "There", "But", "And", "For", "With", "When", "What",
              "Its", "His", "Her", "Our", "Their", "After", "Also", "Under", "From", "Some", "Most", "Other",
              "Both", "Last", "Next", "First", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
              "Saturday", "Sunday", "January", "February", "March", "April", "June", "July", "August",
              "September", "October", "November", "December"}
KIND_CYCLE = ("company", "person", "organization", "place", "company", "person", "product")


# --- data ------------------------------------------------------------------------------------

def reuters_bodies(limit: int | None, places: list[str]) -> list[tuple[str, str]]:
    """(id, body) of Reuters records, cleaned the way ``reader import`` cleans them."""
    from reader.cleaning import Cleaner

    cleaner = Cleaner((), places)
    out = []
    for record in C.reuters_records(limit):
        body = record.get("body") or ""
        cleaned = cleaner.clean(body, title_line=False).body
        if cleaned.strip():
            out.append((str(record["id"]), cleaned))
    return out


def synthetic_list(bodies: list[tuple[str, str]], base: Any, size: int) -> Any:
    """The bundled list plus the most frequent capitalised bigrams, ``size`` names in all."""
    from reader.corpus import slugify
    from reader.entities import Entity, EntityList, name_key

    counts: Counter[str] = Counter()
    for _, body in bodies:
        for first, second in BIGRAM.findall(body):
            if first not in STOP_FIRST and second not in STOP_FIRST:
                counts[f"{first} {second}"] += 1
    entities = dict(base.entities)
    taken = {name_key(n) for e in entities.values() for n in e.names}
    names = sum(len(e.names) for e in entities.values())
    for n, (name, _) in enumerate(counts.most_common()):
        if names >= size:
            break
        key = name_key(name)
        entity_id = "s-" + slugify(name, limit=100)
        if key in taken or entity_id in entities:
            continue
        taken.add(key)
        entities[entity_id] = Entity(entity_id, name, KIND_CYCLE[n % len(KIND_CYCLE)])
        names += 1
    result = EntityList(entities, list(base.ignore), fingerprint="synthetic")
    return result


def write_list_yaml(entity_list: Any, path: Path) -> None:
    import yaml

    items = [{"id": e.id, "name": e.name, "kind": e.kind, **({"aliases": e.aliases} if e.aliases else {})}
             for e in entity_list]
    path.write_text(yaml.safe_dump({"entities": items, "ignore": list(entity_list.ignore)}, allow_unicode=True),
                    encoding="utf-8")


# --- measurements ----------------------------------------------------------------------------

def per_article(fn: Any, bodies: list[tuple[str, str]], runs: int) -> dict[str, Any]:
    """Run fn over every body ``runs`` times: totals per run, per-article ms of the median run."""
    totals, per_runs, found = [], [], 0
    for _ in range(runs):
        times = []
        found = 0
        started = time.perf_counter()
        for art_id, body in bodies:
            t = time.perf_counter()
            result = fn(body, art_id)
            times.append((time.perf_counter() - t) * 1000)
            found += len(result)
        totals.append(time.perf_counter() - started)
        per_runs.append(times)
    median_run = sorted(range(runs), key=lambda i: totals[i])[runs // 2]
    total = C.median(totals)
    stats = C.summary(per_runs[median_run])
    return {
        "articles": len(bodies),
        "total_s": total,
        "totals_s": totals,
        "articles_per_s": len(bodies) / total,
        "mean_ms": total * 1000 / len(bodies),
        "p50_ms": stats["p50"],
        "p95_ms": stats["p95"],
        "max_ms": stats["max"],
        "mentions": found,
    }


def profile_text(fn: Any, bodies: list[tuple[str, str]], top: int = 18) -> str:
    prof = cProfile.Profile()
    prof.enable()
    for art_id, body in bodies:
        fn(body, art_id)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(top)
    text = buf.getvalue()
    keep = text[text.find("   ncalls"):] if "   ncalls" in text else text
    return "\n".join(line.replace(str(C.ROOT) + "/", "").rstrip() for line in keep.splitlines()).strip()


def worker_index(articles: Path, index_dir: Path, mode: str, entities: Path | None) -> dict[str, Any]:
    from reader.entities import load_entity_list
    from reader.extract import Extraction
    from reader.index import ArticleIndex

    entity_list = load_entity_list(entities or articles)
    with C.MemorySampler(children=True) as mem:
        index = ArticleIndex(articles, index_dir, entity_list).open()
        if mode == "without":
            index.extractor.extract = lambda text, article_id="": Extraction()  # type: ignore[method-assign]
        t0 = time.perf_counter()
        report = index.update(rebuild=True)
        seconds = time.perf_counter() - t0
        docs = index.doc_count()
        index.close()
    return {"mode": mode, "seconds": seconds, "docs": docs, "added": report.added,
            "index_bytes": C.dir_size(index_dir), "peak_rss_mb": mem.peak / C.MB}


def index_build(articles: Path, index_dir: Path, mode: str, env: dict[str, str], entities: Path | None = None
                ) -> dict[str, Any]:
    argv = [sys.executable, __file__, "--worker", mode, "--w-articles", str(articles), "--w-index", str(index_dir)]
    if entities:
        argv += ["--w-entities", str(entities)]
    result = C.run_timed(argv, env=env)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["process_peak_rss_mb"] = result.peak_rss_mb
    import shutil

    shutil.rmtree(index_dir, ignore_errors=True)
    return data


# --- main --------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="Reuters records to use (default: all 19,043)")
    parser.add_argument("--runs", type=int, default=3, help="passes over the corpus per measure (default 3)")
    parser.add_argument("--index-runs", type=int, default=3,
                        help="index builds with and without extraction, each (default 3; 0 skips)")
    parser.add_argument("--names", type=int, default=7000, help="names in the synthetic list (default 7000)")
    parser.add_argument("--big-index", action="store_true",
                        help="also index once with the synthetic list (extraction with ~7,000 names)")
    parser.add_argument("--profile-articles", type=int, default=3000,
                        help="articles in the cProfile of full extraction (default 3000; 0 skips)")
    parser.add_argument("--worker", choices=("with", "without"), help=argparse.SUPPRESS)
    parser.add_argument("--w-articles", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--w-index", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--w-entities", type=Path, help=argparse.SUPPRESS)
    C.add_common_args(parser)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker_index(args.w_articles, args.w_index, args.worker, args.w_entities)))
        return 0

    from reader.entities import load_entity_list
    from reader.matcher import Matcher

    bundled = load_entity_list(C.BUNDLED_ENTITIES)
    C.progress("reading and cleaning the Reuters bodies")
    bodies = reuters_bodies(args.limit or None, bundled.places())
    big = synthetic_list(bodies, bundled, args.names)
    lists = {"bundled": bundled, "synthetic": big}
    names = {k: sum(len(e.names) for e in v) for k, v in lists.items()}
    chars = sum(len(b) for _, b in bodies)

    report = C.Report("extraction", "Entity extraction on Reuters")
    report.add(
        f"{len(bodies):,} Reuters bodies ({chars / len(bodies):,.0f} characters on average), cleaned as "
        f"`reader import` cleans them. Entity lists: **bundled** = articles/entities.yaml ({len(bundled)} entities, "
        f"{names['bundled']} names); **synthetic** = the bundled list plus the most frequent capitalised bigrams "
        f"of the Reuters text, {len(big):,} entities and {names['synthetic']:,} names. Times are medians of "
        f"{args.runs} passes over the corpus; per-article p50/p95 come from the median pass.\n")
    results: dict[str, Any] = {"articles": len(bodies), "names": names}

    C.progress("matching")
    matching = {}
    for key, entity_list in lists.items():
        t0 = time.perf_counter()
        matcher = Matcher.from_list(entity_list)
        build_ms = (time.perf_counter() - t0) * 1000
        matching[key] = per_article(lambda body, _id, m=matcher: m.match(body), bodies, args.runs)
        matching[key]["build_ms"] = build_ms
    results["matching"] = matching

    if not args.no_wait:
        C.wait_for_module("reader.discovery")
    from reader.extract import Extractor

    C.progress("full extraction")
    extraction = {}
    for key, entity_list in lists.items():
        for discovery, tagger in ((True, "crf"), (True, "rules"), (False, "rules")):
            extractor = Extractor(entity_list, discovery=discovery, tagger=tagger)
            label = (f"{key}, full with the {tagger} tagger (matcher + short references + discovery)" if discovery
                     else f"{key}, without discovery")
            res = per_article(lambda body, art_id, x=extractor: x.extract(body, art_id).mentions, bodies, args.runs)
            res["label"] = label
            extraction[f"{key}-{'full-' + tagger if discovery else 'nodiscovery'}"] = res
    results["extraction"] = extraction

    rows = []
    for key, res in matching.items():
        rows.append((f"matching only, {key} ({names[key]:,} names; automaton built in {res['build_ms']:.0f} ms)",
                     res["articles_per_s"], res["mean_ms"], res["p50_ms"], res["p95_ms"], res["max_ms"],
                     res["mentions"]))
    for res in extraction.values():
        rows.append((res["label"], res["articles_per_s"], res["mean_ms"], res["p50_ms"], res["p95_ms"],
                     res["max_ms"], res["mentions"]))
    report.section("Throughput per article")
    report.add(C.md_table(["what", "articles/s", "mean ms", "p50 ms", "p95 ms", "max ms", "mentions"], rows))

    if args.profile_articles:
        C.progress("profiling full extraction")
        extractor = Extractor(bundled)
        prof = profile_text(lambda body, art_id: extractor.extract(body, art_id), bodies[: args.profile_articles])
        results["profile_full_bundled"] = prof
        report.add(f"<details><summary>cProfile: full extraction, bundled list, first {args.profile_articles} "
                   f"articles (by own time)</summary>\n\n```\n{prof}\n```\n</details>\n")
        extractor = Extractor(big)
        prof = profile_text(lambda body, art_id: extractor.extract(body, art_id), bodies[: args.profile_articles])
        results["profile_full_synthetic"] = prof
        report.add(f"<details><summary>cProfile: full extraction, synthetic list, first {args.profile_articles} "
                   f"articles (by own time)</summary>\n\n```\n{prof}\n```\n</details>\n")

    index_results: dict[str, Any] = {}
    if args.index_runs:
        from reader.ingest import import_paths

        with C.workdir(args.keep, base=args.tmp) as tmp:
            env = C.bench_env(tmp)
            articles = tmp / "articles"
            C.add_entity_list(articles)
            source = C.limited_reuters_file(tmp, args.limit)
            C.progress("importing Reuters for the index builds")
            imp = import_paths([source], articles, source="Reuters", known_places=bundled.places())
            builds: dict[str, list[dict[str, Any]]] = {"with": [], "without": []}
            for run in range(args.index_runs):
                for mode in ("with", "without") if run % 2 == 0 else ("without", "with"):
                    C.progress(f"index build {run + 1}/{args.index_runs} {mode} extraction")
                    builds[mode].append(index_build(articles, tmp / f"index-{mode}-{run}", mode, env))
            if args.big_index:
                yaml_path = tmp / "synthetic-entities.yaml"
                write_list_yaml(big, yaml_path)
                C.progress("index build with the synthetic list")
                builds["with-synthetic"] = [index_build(articles, tmp / "index-big", "with", env, yaml_path)]
            index_results = {"imported": len(imp.added), "builds": builds}
        med = {mode: C.median(b["seconds"] for b in runs) for mode, runs in builds.items()}
        docs = builds["with"][0]["docs"]
        ratio = med["with"] / med["without"]
        index_results.update({"median_s": med, "ratio": ratio, "docs": docs})
        report.section(f"What extraction adds to indexing ({docs:,} Reuters articles, median of {args.index_runs})")
        rows = []
        labels = {"with": "with extraction (bundled list)", "without": "without extraction (empty Extraction)",
                  "with-synthetic": f"with extraction (synthetic list, {names['synthetic']:,} names)"}
        for mode, runs in builds.items():
            rows.append((labels[mode], med[mode], docs / med[mode], C.median(b["index_bytes"] for b in runs) / C.MB,
                         C.median(b["peak_rss_mb"] for b in runs),
                         ", ".join(f"{b['seconds']:.1f}" for b in runs)))
        report.add(C.md_table(["index build (`update(rebuild=True)`, default procs)", "seconds", "docs/s",
                               "index MB", "peak RSS MB (with workers)", "runs (s)"], rows))
        report.add(f"Ratio with / without: **{ratio:.2f}x**" + (
            f"; synthetic list / without: {med['with-synthetic'] / med['without']:.2f}x" if "with-synthetic" in med
            else "") + ".\n")
    results["index"] = index_results

    for key in ("bundled", "synthetic"):
        res = matching[key]
        report.target(f"matching, {key} list ({names[key]:,} names), mean per article", f"{res['mean_ms']:.3f} ms "
                      f"(p95 {res['p95_ms']:.3f} ms)", f"< {TARGET_MATCH_MS:g} ms", res["mean_ms"] < TARGET_MATCH_MS)
    full = extraction["bundled-full-crf"]
    report.target("full extraction with the tagger, bundled list, mean per article", f"{full['mean_ms']:.2f} ms "
                  f"(p95 {full['p95_ms']:.2f} ms)", f"< {TARGET_EXTRACT_MS:g} ms", full["mean_ms"] < TARGET_EXTRACT_MS)
    if index_results:
        report.target("indexing with extraction / without", f"{index_results['ratio']:.2f}x",
                      f"<= {TARGET_INDEX_RATIO}x", index_results["ratio"] <= TARGET_INDEX_RATIO)
    report.data = {"args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}, **results}
    report.save(args.out, args.suffix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
