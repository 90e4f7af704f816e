"""The coverage grid on Reuters-21578: Library.grid() cold and warm, and the
grid screen's first draw.

Imports Reuters into a temporary folder with ``reader import`` (or uses
``--articles`` with ``--index``), then measures through the library, as the
CLI and the reader use it:

- cold: a new Library, the first ``grid()`` (every stored document read once),
  ``--runs`` times;
- warm: ``grid()`` again in the same process (the index generation unchanged),
  people and companies, every kind, and each sort;
- the screen: the app started, ``C`` pressed, until the grid is drawn, then a
  page down and a move right (only the visible cells are drawn).

Prints the report and saves it as ``bench/reports/bench_grid.md`` and ``.json``.

Usage: ``.venv/bin/python bench/bench_grid.py [--articles DIR --index DIR] [--runs 3]``
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Report, corpus_parser, fmt, imported_reuters, md_table, median, progress, workdir  # noqa: E402

from reader.grid import SORTS  # noqa: E402
from reader.library import Library  # noqa: E402


def cold(articles: Path, index: Path) -> tuple[float, Library]:
    library = Library(articles, index)
    started = time.perf_counter()
    library.grid()
    return time.perf_counter() - started, library


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


async def screen_times(library: Library) -> dict[str, float]:
    """Seconds from C to the grid drawn (the worker's result shown), and for
    a page down and a move right after it."""
    from reader.ui.app import ReaderApp
    from reader.ui.screens.grid import GridScreen

    app = ReaderApp(library, watch=False)
    result: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("C")
        while not (isinstance(app.screen, GridScreen) and app.screen.grid is not None):
            await pilot.pause(0.01)
        await pilot.pause()
        result["first draw"] = time.perf_counter() - started
        for name, key in (("page down", "pagedown"), ("move right", "l"), ("sort", "s")):
            started = time.perf_counter()
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            result[name] = time.perf_counter() - started
    return result


def main() -> int:
    args = corpus_parser(__doc__).parse_args()
    report = Report("bench_grid", "The coverage grid on Reuters-21578")
    with workdir(args.keep, base=args.tmp) as tmp:
        articles, index = imported_reuters(args, tmp)
        colds: list[float] = []
        for run in range(args.runs):
            progress(f"cold grid, run {run + 1}/{args.runs}")
            seconds, library = cold(articles, index)
            colds.append(seconds)
            if run < args.runs - 1:
                library.close()
        grid = library.grid(kind="all")
        warm = {f"{kind or 'people and companies'}, by {sort}": median(
                    [timed(lambda: library.grid(kind or None, sort)) for _ in range(3)])
                for kind in ("", "all") for sort in SORTS}
        # The reader works out the shared passages on first use after an
        # import, in a worker: measured alone here (bench_passages), so that
        # it does not share the two cores with the grid's screen.
        progress("shared passages, first use after the import")
        library.passages()
        progress("the screen")
        screen = asyncio.run(screen_times(library))
        library.close()

    cells = sum(len(e.cells) for e in grid.entities)
    report.target("grid cold (every stored document read)", f"{fmt(median(colds))} s", "< 10 s", median(colds) < 10)
    report.target("grid warm (same generation)", f"{fmt(max(warm.values()), 3)} s", "< 0.5 s",
                  max(warm.values()) < 0.5)
    report.target("screen: C to the grid drawn", f"{fmt(screen['first draw'])} s", "< 2 s", screen["first draw"] < 2)
    report.section("Corpus", f"{len(grid.articles)} articles, {len(grid.entities)} entities of every kind, "
                   f"{cells} non-empty cells.\n")
    report.section("Cold", md_table(["run", "seconds"], [(i + 1, fmt(s)) for i, s in enumerate(colds)]))
    report.section("Warm", md_table(["grid", "seconds"], [(k, fmt(v, 4)) for k, v in warm.items()]))
    report.section("Screen", md_table(["step", "seconds"], [(k, fmt(v, 3)) for k, v in screen.items()]))
    report.data.update({"cold": colds, "warm": warm, "screen": screen, "articles": len(grid.articles),
                        "entities": len(grid.entities), "cells": cells})
    report.save(args.out, args.suffix)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
