"""The quotes ledger on Reuters-21578: what finding the quotations (and the
figures, also read at index time) adds to indexing, and the ledger read back
across the corpus.

Imports Reuters into a temporary folder with ``reader import`` (or uses
``--articles`` with ``--index``), then, for every article, the extraction the
index runs (with the tagger's spans the index stored, as curating reads an
article again) and, timed apart, ``find_quotes`` over its mentions: the share
of the indexing work that the quotations take. Then the ledger as the CLI and
the reader ask it: the whole corpus (every stored document read once), one
speaker cold (only the articles that name them) and warm.

Prints the report and saves it as ``bench/reports/bench_quotes.md`` and ``.json``.

Usage: ``.venv/bin/python bench/bench_quotes.py [--articles DIR --index DIR]``
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Report, corpus_parser, fmt, imported_reuters, md_table, progress, workdir  # noqa: E402

from reader.figures import extract_claims  # noqa: E402
from reader.library import Library  # noqa: E402
from reader.quotes import article_mentions, find_quotes  # noqa: E402
from reader.tagger.base import unpack_spans  # noqa: E402


def analysis_times(library: Library) -> dict[str, float | int]:
    extractor = library.index.extractor
    with library.index.searching() as searcher:
        stored = {f["id"]: f.get("tagged") for f in searcher.reader().all_stored_fields()}
    extracting = quoting = claiming = 0.0
    figures = 0
    articles = quotes = attributed = 0
    cues: Counter[str] = Counter()
    for row in library.rows():
        try:
            article = library.article(row.id)
        except Exception:  # noqa: BLE001 - removed since it was indexed
            continue
        tagged = stored.get(row.id)
        started = time.perf_counter()
        raw = extractor.extract(article.body, article.id, article.title, linked=False,
                                tagged=unpack_spans(tagged) if tagged is not None else None)
        middle = time.perf_counter()
        found = find_quotes(article.body, article_mentions(raw, extractor.entity_list))
        after = time.perf_counter()
        quoting += after - middle
        figures += len(extract_claims(article.id, article.body))
        claiming += time.perf_counter() - after
        extracting += middle - started
        articles += 1
        quotes += len(found)
        attributed += sum(1 for q in found if q.speaker_name)
        cues.update(q.cue or "(none)" for q in found)
    return {"articles": articles, "extract s": extracting, "quotes s": quoting, "figures s": claiming,
            "figures": figures, "quotes": quotes,
            "attributed": attributed, "cues": dict(cues.most_common(8))}


def main() -> int:
    args = corpus_parser(__doc__).parse_args()
    report = Report("bench_quotes", "The quotes ledger on Reuters-21578")
    with workdir(args.keep, base=args.tmp) as tmp:
        articles, index = imported_reuters(args, tmp)
        library = Library(articles, index)
        progress("every article: the extraction and its quotations")
        times = analysis_times(library)
        library.close()
        library = Library(articles, index)
        top = None
        started = time.perf_counter()
        everything = library.quotes()
        corpus_s = time.perf_counter() - started
        speakers = Counter(q.speaker_id for q in everything if q.speaker_id)
        top = speakers.most_common(1)[0][0] if speakers else None
        library.close()
        speaker_cold = speaker_warm = 0.0
        if top is not None:
            library = Library(articles, index)
            started = time.perf_counter()
            library.quotes(speaker=top)
            speaker_cold = time.perf_counter() - started
            library.quotes()
            started = time.perf_counter()
            library.quotes(speaker=top)
            speaker_warm = time.perf_counter() - started
            library.close()

    per_article_ms = 1000 * times["quotes s"] / max(1, times["articles"])
    share = times["quotes s"] / max(1e-9, times["extract s"] + times["quotes s"])
    report.target("quotations found, whole corpus", f"{fmt(times['quotes s'])} s", "< 10 s", times["quotes s"] < 10)
    report.target("ledger of the whole corpus, cold", f"{fmt(corpus_s)} s", "< 10 s", corpus_s < 10)
    report.target("one speaker's quotations, cold", f"{fmt(speaker_cold, 3)} s", "< 0.5 s", speaker_cold < 0.5)
    report.section("Indexing", md_table(["step", "seconds"], [
        ("extraction of every article (stored tagger spans)", fmt(times["extract s"])),
        ("quotations of every article", fmt(times["quotes s"])),
        ("quotations per article", f"{fmt(per_article_ms, 3)} ms"),
        ("share of the two", f"{100 * share:.1f} %"),
        ("figures of every article (reader.figures, also stored at index time)", fmt(times["figures s"])),
        ("figures per article", f"{fmt(1000 * times['figures s'] / max(1, times['articles']), 3)} ms"),
    ]))
    report.section("Found", md_table(["", "count"], [
        ("articles", times["articles"]), ("quotations", times["quotes"]), ("figures", times["figures"]),
        ("with a speaker", times["attributed"]), ("speakers", len(speakers)),
        *((f"cue: {cue}", n) for cue, n in times["cues"].items()),
    ]))
    report.section("Ledger", md_table(["question", "seconds"], [
        ("every quotation (a new process)", fmt(corpus_s, 3)),
        ("the most quoted speaker, a new process", fmt(speaker_cold, 3)),
        ("the same, the corpus's ledger read", fmt(speaker_warm, 4)),
    ]))
    report.data.update(times=times, corpus_s=corpus_s, speaker_cold=speaker_cold, speaker_warm=speaker_warm)
    report.save(args.out, args.suffix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
