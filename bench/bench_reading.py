"""Reading an article that is already indexed: its entities with the tagger
run again, against with the tagger spans the index kept; and what a new
process pays to load wordfreq's frequencies, as a dictionary against as the
flat table the reader keeps.

    python bench/bench_reading.py --articles DIR --index DIR [--count 2000]

Both ways are measured in the same run, interleaved in blocks of 100
articles. The report goes to bench/reports/reading.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPORTS = BENCH_DIR / "reports"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()

    from reader.library import Library
    from reader.tagger.lexicon import FrequencyTable

    library = Library(args.articles, args.index)
    library.update()
    articles = [library.article(r.id) for r in library.rows()[: args.count]]
    extractor = library.index.extractor
    extractor.extract(articles[0].body, articles[0].id, articles[0].title)  # load the tagger once
    fresh = kept = 0.0
    same = 0
    for block in range(0, len(articles), 100):
        part = articles[block: block + 100]
        started = time.perf_counter()
        again = [extractor.extract(a.body, a.id, a.title) for a in part]
        fresh += time.perf_counter() - started
        started = time.perf_counter()
        stored = [library.extraction(a) for a in part]
        kept += time.perf_counter() - started
        same += sum(1 for x, y in zip(again, stored)
                    if [(m.start, m.end, m.entity) for m in x.mentions] == [(m.start, m.end, m.entity) for m in y.mentions])
    library.close()

    from wordfreq import get_frequency_dict

    frequencies = get_frequency_dict("en", wordlist="best")
    as_dict, as_table = pickle.dumps(frequencies, protocol=5), pickle.dumps(FrequencyTable(frequencies), protocol=5)
    loads = {}
    for label, blob in (("dictionary", as_dict), ("flat table", as_table)):
        times = []
        for _ in range(5):
            started = time.perf_counter()
            pickle.loads(blob)
            times.append(time.perf_counter() - started)
        loads[label] = (min(times), len(blob))

    n = len(articles)
    result = {"articles": n, "fresh_ms": 1000 * fresh / n, "kept_ms": 1000 * kept / n, "same": same,
              "loads": {k: {"seconds": v[0], "bytes": v[1]} for k, v in loads.items()}}
    lines = ["# Reading an indexed article", "",
             f"`bench/bench_reading.py` on {args.articles}, the first {n} articles of the list.", "",
             "| what | figure |", "| --- | --- |",
             f"| entities with the tagger run again | {result['fresh_ms']:.2f} ms an article |",
             f"| entities with the spans the index kept | {result['kept_ms']:.2f} ms an article |",
             f"| the same mentions both ways | {same} of {n} articles |"]
    for label, (seconds, size) in loads.items():
        lines.append(f"| wordfreq's {len(frequencies):,} frequencies unpickled, as a {label} | "
                     f"{seconds * 1000:.1f} ms ({size / 1e6:.1f} MB) |")
    text = "\n".join(lines) + "\n"
    print(text)
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "reading.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    (REPORTS / "reading.md").write_text(text, "utf-8")


if __name__ == "__main__":
    main()
