"""How fast the reader answers a person: start, opening a long article, keys, search.

Benchmarks, not tests. Each figure is measured several times and quoted as the
median and the 95th percentile, in two ways where it can be:

* headless: the app in ``App.run_test(size=(120, 40))`` in a fresh worker
  process, with a hook on ``App._display`` (where Textual hands a finished frame
  to the driver): an event is "shown" at the first frame that holds it and for
  which the widget that draws it was rendered after the key (a frame that only
  moved a scrollbar does not count; text is checked on the composed screen
  where the state alone could mislead).
  Keys go through the driver's queue (``driver.send_message``) as a terminal's
  would, one at a time, each after the previous one's frame.
* tmux: the installed ``reader`` in a real terminal (tmux, 120x40), polled with
  ``tmux capture-pane`` until the screen shows the event: what a user sees,
  including the terminal, plus a few ms of polling granularity.

What is measured:

(a) start to first paint, with a warm index, on the bundled corpus and on the
    19,043-article Reuters corpus: from the parent's clock before it starts the
    process (``Popen``/``tmux respawn-pane``) to the article list painted with
    its rows, and on to the first article painted;
(b) opening long articles (~200 KB: the bundled texts repeated, with thousands
    of entity spans; Reuters tables as many short paragraphs; the same as
    line-broken tables): from Enter to the article's text painted;
    then scroll keys (j/k/PgDn/PgUp/G/g), ``]`` (next mention) and ``n`` (next
    hit) inside it;
(c) a key press in the list of 19,043 rows (j/k/PgDn/PgUp/G/g): to the moved
    cursor painted;
(d) search as you type on Reuters: each keystroke in the search input to the
    results for that text shown (the echo of the character is reported too).

Targets: Reuters with a warm index usable within about a second of launch;
every key press and keystroke answered within 50 ms.

    .venv/bin/python bench/bench_ui.py                                  # imports Reuters into a temp folder
    .venv/bin/python bench/bench_ui.py --reuters /tmp/big/articles --reuters-index /tmp/big/ix
    .venv/bin/python bench/bench_ui.py --runs 3 --no-tmux --suffix=-small
    .venv/bin/python bench/bench_ui.py --profile open        # pyinstrument/cProfile of one phase
    .venv/bin/python bench/bench_ui.py --reuters /tmp/big/articles --workdir /tmp/uibench   # keep and reuse

An existing Reuters index is copied into the temporary folder and brought up to
date there (``reader index``), so the folder given is only read. ``--workdir``
keeps the work folder (copied index, long articles and their index) and reuses
what an earlier run left there. The report is bench/reports/bench_ui.md|.json;
the profiles behind the UI changes are in bench/reports/bench_ui-profiles.md.

Note on the headless start figures: the worker process loads this script
before the app, so "interpreter" includes ~0.1 s that ``reader`` does not spend;
the tmux figures are the real command.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
if "--worker" not in sys.argv:  # a worker measures its own start: it loads no more than it needs
    import common as C  # noqa: E402

warnings.filterwarnings("ignore", category=SyntaxWarning)
warnings.filterwarnings("ignore", category=DeprecationWarning, module="whoosh")

TARGET_START_S = 1.0
TARGET_KEY_MS = 50.0
SIZE = (120, 40)
LONG_BYTES = 200_000
LIST_KEYS = ["j", "k", "pagedown", "pageup", "G", "g"]
ARTICLE_KEYS = ["j", "k", "pagedown", "pageup", "G", "g"]
SEARCH_TEXTS = ["oil prices", "interest rates", "company:Texaco", "goverment~", '"central bank"']
LONG_KINDS = {
    "long-entities": "the bundled texts repeated (bundled entity list)",
    "long-paragraphs": "Reuters tables and stories as many short paragraphs",
    "long-lines": "the same Reuters text as line-broken tables",
}
MARKERS = {kind: f"LONGTEXT-{kind.split('-')[1].upper()} begins here." for kind in LONG_KINDS}


# --- corpora ------------------------------------------------------------------------------

def _front(article_id: str, title: str, date: str) -> str:
    return f"---\nid: {article_id}\ntitle: {json.dumps(title)}\nsource: Bench\ndate: {date}\n---\n"


def _body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---", 2)[2].strip("\n")


def build_long_folder(folder: Path, reuters_articles: Path) -> dict[str, dict[str, Any]]:
    """The bundled corpus plus three ~200 KB articles, the oldest of the folder
    (so they sit at the end of the list and the app does not open them at start)."""
    shutil.copytree(C.ROOT / "articles", folder)
    bundled = "\n\n".join(_body(p) for p in sorted((C.ROOT / "articles").glob("*.md")))
    texts: dict[str, str] = {}
    parts: list[str] = []
    while sum(map(len, parts)) < LONG_BYTES:
        parts.append(bundled)
    texts["long-entities"] = "\n\n".join(parts)
    tables: list[str] = []
    size = 0
    for path in sorted(reuters_articles.glob("*.md"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0):
        body = _body(path)
        if body.count("\n\n") < 6:
            continue  # stories with tables: many short paragraphs
        tables.append(body)
        size += len(body)
        if size >= LONG_BYTES:
            break
    texts["long-paragraphs"] = "\n\n".join(tables)
    texts["long-lines"] = "\n\n".join(t.replace("\n\n", "\n") for t in tables)
    for number, (kind, text) in enumerate(texts.items(), start=1):
        body = f"{MARKERS[kind]}\n\n{text}\n"
        (folder / f"{kind}.md").write_text(_front(kind, f"Long article: {kind}", f"1900-01-0{number}") + body,
                                           encoding="utf-8")
    return long_info(folder)


def long_info(folder: Path) -> dict[str, dict[str, Any]]:
    info = {}
    for kind in LONG_KINDS:
        body = _body(folder / f"{kind}.md")
        info[kind] = {"bytes": len(body.encode("utf-8")), "paragraphs": body.count("\n\n") + 1,
                      "lines": body.count("\n") + 1, "what": LONG_KINDS[kind]}
    return info


def reader_index(articles: Path, index: Path, env: dict[str, str]) -> float:
    result = C.run_timed([*C.reader_command(), "--articles", str(articles), "--index", str(index), "index"],
                         env=env)
    return result.seconds


# --- the headless worker: frames seen through App._display ----------------------------------

class Frames:
    """Calls back on each frame the app hands to its driver.

    Each widget's last render is stamped too (``rendered_since``): a frame
    "shows" a change only once the widget that draws it has been rendered
    after the key; a frame that only moved a scrollbar does not count."""

    def __init__(self, app: Any) -> None:
        from textual.widget import Widget

        if not getattr(Widget, "_bench_stamped", False):
            render_lines = Widget.render_lines

            def stamped(widget: Any, crop: Any) -> Any:
                widget._bench_rendered = time.perf_counter()
                return render_lines(widget, crop)

            Widget.render_lines = stamped  # type: ignore[method-assign]
            Widget._bench_stamped = True  # type: ignore[attr-defined]
        self.app = app
        self.count = 0
        self.waiters: list[tuple[Callable[[], bool], asyncio.Future]] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            stamp = time.perf_counter()
            cpu = time.process_time()
            original(screen, renderable)
            if renderable is None:
                return
            self.count += 1
            for item in list(self.waiters):
                predicate, future = item
                if future.done():
                    self.waiters.remove(item)
                    continue
                try:
                    ok = predicate()
                except Exception:  # noqa: BLE001 - a predicate on a half-built screen
                    ok = False
                if ok:
                    future.set_result((stamp, cpu))
                    self.waiters.remove(item)

        app._display = display

    async def until(self, predicate: Callable[[], bool], timeout: float = 60.0) -> float:
        """The perf_counter() of the first frame for which ``predicate()`` holds."""
        return (await self.until_cpu(predicate, timeout))[0]

    async def until_cpu(self, predicate: Callable[[], bool], timeout: float = 60.0) -> tuple[float, float]:
        """(perf_counter(), process_time()) at that frame."""
        future = asyncio.get_running_loop().create_future()
        self.waiters.append((predicate, future))
        return await asyncio.wait_for(future, timeout)


def rendered_since(widget: Any, stamp: float) -> bool:
    return getattr(widget, "_bench_rendered", 0.0) > stamp


def screen_text(app: Any) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


KEY_NAMES = {" ": "space", '"': "quotation_mark", ":": "colon", "~": "tilde", "*": "asterisk"}


def send_key(app: Any, key: str) -> float:
    from textual import events

    chars = {name: char for char, name in KEY_NAMES.items()}
    char = chars.get(key, key if len(key) == 1 else None)
    stamp = time.perf_counter()
    app._driver.send_message(events.Key(key, char))
    return stamp


def key_name(char: str) -> str:
    return KEY_NAMES.get(char, char)


async def idle(seconds: float = 0.05) -> None:
    await asyncio.sleep(seconds)


def worker_paint(articles: Path, index_dir: Path, spawned: float) -> dict[str, Any]:
    """From the parent's clock to the list and the first article painted (headless)."""
    t0 = time.time()
    from reader.library import Library

    t1 = time.time()
    from reader.ui import app as ui_app

    t2 = time.time()
    if hasattr(ui_app, "pause_collector"):
        ui_app.pause_collector()  # as reader.ui.app.run does
    ReaderApp = ui_app.ReaderApp  # noqa: N806
    library = Library(articles, index_dir)
    t3 = time.time()
    app = ReaderApp(library, watch=False)
    frames = Frames(app)
    out: dict[str, Any] = {"interpreter_s": t0 - spawned, "domain_imports_s": t1 - t0, "ui_imports_s": t2 - t1,
                           "library_s": t3 - t2}

    async def run() -> None:
        async with app.run_test(size=SIZE):
            loop_clock = time.perf_counter() - time.time()  # perf_counter = time.time() + offset

            def at(stamp: float) -> float:
                return stamp - loop_clock - spawned

            first, cpu = await frames.until_cpu(lambda: True)
            out["first_frame_s"] = at(first)
            out["first_frame_cpu_s"] = cpu

            def listed() -> bool:
                rows = app.table.rows
                return bool(rows) and app.table.cursor_row is not None and \
                    app.table.cursor_row.title[:20] in screen_text(app)

            stamp, cpu = await frames.until_cpu(listed)
            out["list_painted_s"] = at(stamp)
            out["list_painted_cpu_s"] = cpu
            out["rows"] = len(app.table.rows)

            def article_shown() -> bool:
                article = app.view.article
                return article is not None and article.display_title[:20] in screen_text(app)

            stamp, cpu = await frames.until_cpu(article_shown)
            out["first_article_s"] = at(stamp)
            out["first_article_cpu_s"] = cpu
            out["frames"] = frames.count

    asyncio.run(run())
    library.close()
    out["total_s"] = time.time() - spawned
    return out


async def _measure_keys(app: Any, frames: Frames, keys: list[str], rounds: int,
                        state: Callable[[], Any], widget: Any) -> dict[str, list[float]]:
    """Each key, in turn, ``rounds`` times: ms from the key sent to the first
    frame whose ``state()`` differs from before the key, with ``widget``
    rendered after the key."""
    times: dict[str, list[float]] = {k: [] for k in keys}
    for _ in range(rounds):
        for key in keys:
            before = state()
            stamp = send_key(app, key)
            try:
                shown = await frames.until(lambda: state() != before and rendered_since(widget, stamp), timeout=10)
            except asyncio.TimeoutError:
                continue  # the key changed nothing (at an end): not a latency
            times[key].append((shown - stamp) * 1000)
            await idle(0.03)
    return times


def worker_interact(articles: Path, index_dir: Path, plan: dict[str, Any]) -> dict[str, Any]:
    from reader.library import Library
    from reader.ui.app import ReaderApp
    from reader.ui.screens.search import SearchScreen

    library = Library(articles, index_dir)
    app = ReaderApp(library, watch=False)
    frames = Frames(app)
    out: dict[str, Any] = {}
    rounds = plan["rounds"]

    async def ready() -> None:
        await frames.until(lambda: app.ready and app.view.article is not None, timeout=300)
        await idle(0.5)
        await app.workers.wait_for_complete()
        await idle(0.2)

    async def list_keys() -> None:
        table = app.table
        table.focus()
        table.cursor = len(table.view) // 2
        await idle(0.2)
        out["list_keys"] = await _measure_keys(app, frames, LIST_KEYS, rounds,
                                               lambda: (table.cursor, int(table.scroll_y)), table)
        out["rows"] = len(table.rows)

    async def search() -> None:
        send_key(app, "slash")
        await frames.until(lambda: isinstance(app.screen, SearchScreen))
        screen = app.screen
        per_key: list[float] = []
        echo: list[float] = []
        by_text: dict[str, list[float]] = {}
        texts = plan["search_texts"][: plan.get("search_count", len(SEARCH_TEXTS))]
        for text in texts * plan.get("search_rounds", 1):
            screen.input.value = ""
            await frames.until(lambda: screen.shown_query == "", timeout=10)
            await idle(0.1)
            typed = ""
            for char in text:
                typed += char
                target = typed
                stamp = send_key(app, key_name(char))
                echo_at = await frames.until(lambda: screen.input.value == target
                                             and rendered_since(screen.input, stamp), timeout=10)
                shown = await frames.until(lambda: screen.shown_query == target
                                           and rendered_since(screen.results, stamp), timeout=30)
                echo.append((echo_at - stamp) * 1000)
                per_key.append((shown - stamp) * 1000)
                by_text.setdefault(text, []).append((shown - stamp) * 1000)
                await idle(0.05)
        out["search_ms"] = per_key
        out["search_echo_ms"] = echo
        out["search_by_text"] = by_text
        send_key(app, "escape")
        await frames.until(lambda: not isinstance(app.screen, SearchScreen))

    async def long_articles() -> None:
        from reader.ui.history import Place

        table = app.table
        results: dict[str, Any] = {}
        small = table.rows[0].id
        for kind in plan["long"]:
            marker = MARKERS[kind]
            opens: list[float] = []
            for _ in range(plan["opens"]):
                # Back to a small article first, so each Enter opens the long one afresh.
                app.go_to_article(small)
                await frames.until(lambda: app.view.article is not None and app.view.article.id == small)
                await app.workers.wait_for_complete()
                await idle(0.2)
                table.focus()
                table.cursor = table.position_of(kind)
                await idle(0.1)
                stamp = send_key(app, "enter")
                shown = await frames.until(lambda: app.view.article is not None and app.view.article.id == kind
                                           and rendered_since(app.view, stamp) and marker in screen_text(app),
                                           timeout=60)
                opens.append((shown - stamp) * 1000)
                await app.workers.wait_for_complete()
                await idle(0.3)
            view = app.view
            view.focus()
            await idle(0.1)
            keys = await _measure_keys(app, frames, ARTICLE_KEYS, rounds,
                                       lambda: int(view.scroll_y), view)
            entry: dict[str, Any] = {"open_ms": opens, "keys": keys,
                                     "mentions": len(view.extraction.mentions)}
            # ] : the next mention of the most mentioned entity.
            counts: dict[str, int] = {}
            for mention in view.extraction.mentions:
                counts[mention.entity] = counts.get(mention.entity, 0) + 1
            if counts:
                entity_id = max(counts, key=counts.get)
                app.select_entity(app.library.entity(entity_id) or view.extraction.discovered.get(entity_id))
                view.scroll_home(animate=False)
                app.mention_offset = -1
                await idle(0.2)
                entry["mention_entity"] = entity_id
                entry["mention_ms"] = (await _measure_keys(
                    app, frames, ["right_square_bracket"], rounds * 2,
                    lambda: (app.mention_offset, int(view.scroll_y)), view))["right_square_bracket"]
            # n : the next search hit (the article opened from a search result).
            word = plan["hit_words"].get(kind)
            if word:
                result = app.library.search(word, limit=50)
                app.open_place(Place(kind), search=result)
                await frames.until(lambda: app.view.article is not None and app.view.article.id == kind
                                   and view.hit_index == 0)
                await app.workers.wait_for_complete()
                await idle(0.3)
                view.focus()
                entry["hits"] = len(view.hits)
                entry["hit_ms"] = (await _measure_keys(app, frames, ["n"], rounds * 2,
                                                       lambda: view.hit_index, view))["n"]
                app.action_clear_search()
            results[kind] = entry
        out["long"] = results

    async def run() -> None:
        async with app.run_test(size=SIZE):
            await ready()
            for part in plan["parts"]:
                await {"list": list_keys, "search": search, "long": long_articles}[part]()

    asyncio.run(run())
    library.close()
    return out


def worker_profile(articles: Path, index_dir: Path, phase: str, out_path: Path) -> dict[str, Any]:
    """A profile of one phase in this process: 'start' (imports to first article),
    'open' (opening the long articles), 'search' (typing the search texts)."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None  # noqa: N806
    import cProfile
    import pstats

    profiler = Profiler(interval=0.0005) if Profiler else cProfile.Profile()
    profiler.start() if Profiler else profiler.enable()
    if phase == "start":
        worker_paint(articles, index_dir, time.time())
        result: dict[str, Any] = {}
    else:
        plan = {"rounds": 2, "opens": 2, "parts": ["long"] if phase == "open" else ["search"],
                "long": list(LONG_KINDS), "hit_words": {}, "search_texts": SEARCH_TEXTS}
        result = worker_interact(articles, index_dir, plan)
    if Profiler:
        profiler.stop()
        out_path.write_text(profiler.output_text(unicode=False, color=False, show_all=False), encoding="utf-8")
    else:
        profiler.disable()
        with open(out_path, "w", encoding="utf-8") as handle:
            pstats.Stats(profiler, stream=handle).sort_stats("cumulative").print_stats(60)
    return result


def run_worker(args: list[str], env: dict[str, str], spawned: bool = False) -> dict[str, Any]:
    argv = [sys.executable, __file__, *args]
    stamp = time.time()
    result = C.run_timed(argv + (["--w-spawned", repr(stamp)] if spawned else []), env=env)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["wall_s"] = result.seconds
    data["peak_rss_mb"] = result.peak_rss_mb
    return data


# --- tmux ---------------------------------------------------------------------------------

class Tmux:
    def __init__(self, env: dict[str, str]) -> None:
        self.name = f"bench-ui-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.tmux = shutil.which("tmux") or "tmux"
        self.run("new-session", "-d", "-s", self.name, "-x", str(SIZE[0]), "-y", str(SIZE[1]), "sleep 100000")

    def run(self, *args: str) -> str:
        done = subprocess.run([self.tmux, *args], capture_output=True, text=True, timeout=20)
        if done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr}")
        return done.stdout

    def start(self, command: str) -> float:
        stamp = time.perf_counter()
        self.run("respawn-pane", "-k", "-t", self.name, command)
        return stamp

    def screen(self, colours: bool = False) -> str:
        return self.run("capture-pane", "-p", *(["-e"] if colours else []), "-t", self.name)

    def keys(self, *keys: str) -> float:
        stamp = time.perf_counter()
        self.run("send-keys", "-t", self.name, *keys)
        return stamp

    def wait(self, predicate: Callable[[str], bool], timeout: float = 60.0, colours: bool = False
             ) -> tuple[float, str]:
        deadline = time.perf_counter() + timeout
        while True:
            screen = self.screen(colours)
            stamp = time.perf_counter()
            if predicate(screen):
                return stamp, screen
            if stamp > deadline:
                raise TimeoutError(f"tmux: never saw it; the screen was:\n{screen}")
            # Polling without a pause would take a core from the reader being
            # measured (two cores: tmux and this loop against the app).
            time.sleep(0.005)

    def close(self) -> None:
        subprocess.run([self.tmux, "kill-session", "-t", self.name], capture_output=True)


def tmux_command(articles: Path, index: Path, env: dict[str, str]) -> str:
    reader = C.reader_command()[0]
    cache = env.get("XDG_CACHE_HOME", "/tmp")
    return (f"env XDG_CACHE_HOME={cache} TERM=xterm-256color PYTHONWARNINGS=ignore::SyntaxWarning "
            f"{reader} --articles {articles} --index {index}; sleep 100000")


def _header_count(screen: str) -> int:
    match = re.search(r"· ([\d,]+) articles? ·", screen.splitlines()[0] if screen else "")
    return int(match.group(1).replace(",", "")) if match else -1


def tmux_start(term: Tmux, articles: Path, index: Path, rows: int, first_words: str, env: dict[str, str]
               ) -> dict[str, float]:
    stamp = term.start(tmux_command(articles, index, env))
    seen_at, _ = term.wait(lambda s: bool(s.strip()) and "sleep" not in s, timeout=60)
    listed_at, _ = term.wait(lambda s: _header_count(s) == rows and f"{rows} · by" in s, timeout=120)
    article_at, _ = term.wait(lambda s: first_words in s, timeout=120)
    return {"first_frame_s": seen_at - stamp, "list_painted_s": listed_at - stamp,
            "first_article_s": article_at - stamp}


def tmux_quit(term: Tmux) -> None:
    term.keys("q")
    time.sleep(0.3)


def tmux_keys(term: Tmux, keys: list[str], rounds: int) -> dict[str, list[float]]:
    names = {"pagedown": "PgDn", "pageup": "PgUp"}
    times: dict[str, list[float]] = {k: [] for k in keys}
    for _ in range(rounds):
        for key in keys:
            before = term.screen(colours=True)
            stamp = term.keys(names.get(key, key))
            try:
                shown, _ = term.wait(lambda s: s != before, timeout=5, colours=True)
            except TimeoutError:
                continue
            times[key].append((shown - stamp) * 1000)
            time.sleep(0.1)
    return times


def tmux_open_long(term: Tmux, kinds: list[str], opens: int) -> dict[str, list[float]]:
    """In the long folder: filter the list to one long article, Enter opens it
    (after a short article was opened, so that each Enter opens it afresh)."""
    out: dict[str, list[float]] = {}

    def only(text: str) -> None:
        term.keys("BTab")  # from the list to its filter
        time.sleep(0.3)
        term.keys("C-u")
        term.run("send-keys", "-t", term.name, "-l", text)
        term.wait(lambda s: " 1 of " in s and text in s.splitlines()[1], timeout=30)
        term.keys("Enter")  # back to the list, its cursor on the only match
        time.sleep(0.3)

    for kind in kinds:
        marker = MARKERS[kind]
        out[kind] = []
        for _ in range(opens):
            only("Opinion")
            term.keys("Enter")
            term.wait(lambda s: marker not in s and "█ Opinion" in s, timeout=60)
            time.sleep(1.0)
            only(kind)
            stamp = term.keys("Enter")
            shown, _ = term.wait(lambda s: marker in s, timeout=60)
            out[kind].append((shown - stamp) * 1000)
            time.sleep(1.0)
    return out


# --- the report ---------------------------------------------------------------------------

def s(values: list[float]) -> dict[str, float]:
    return C.summary(values)


def ms(stats: dict[str, float]) -> str:
    return f"{C.fmt(stats['p50'], 1)} / {C.fmt(stats['p95'], 1)}"


def flat(groups: dict[str, list[float]]) -> list[float]:
    return [v for values in groups.values() for v in values]


def worker_main(argv: list[str]) -> int:
    """A measuring process: loads no more than it measures (not bench/common.py)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=("paint", "interact", "profile"), required=True)
    parser.add_argument("--w-articles", type=Path)
    parser.add_argument("--w-index", type=Path)
    parser.add_argument("--w-spawned", type=float)
    parser.add_argument("--w-plan")
    parser.add_argument("--w-out", type=Path)
    args = parser.parse_args(argv)
    if args.worker == "paint":
        result = worker_paint(args.w_articles, args.w_index, args.w_spawned)
    elif args.worker == "interact":
        result = worker_interact(args.w_articles, args.w_index, json.loads(args.w_plan))
    else:
        result = worker_profile(args.w_articles, args.w_index, args.w_plan, args.w_out)
    print(json.dumps(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--worker" in argv:
        return worker_main(argv)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="start measurements per corpus and way (default 7)")
    parser.add_argument("--rounds", type=int, default=5, help="presses of each key (default 5)")
    parser.add_argument("--opens", type=int, default=5, help="opens of each long article (default 5)")
    parser.add_argument("--search-rounds", type=int, default=3,
                        help="times each search text is typed (default 3)")
    parser.add_argument("--reuters", type=Path, help="an imported Reuters articles folder (skips the import)")
    parser.add_argument("--reuters-index", type=Path, help="its index (copied, then brought up to date)")
    parser.add_argument("--no-tmux", action="store_true", help="headless figures only")
    parser.add_argument("--workdir", type=Path,
                        help="work in this folder and keep it; what an earlier run left there is reused")
    parser.add_argument("--profile", choices=("start", "open", "search"),
                        help="profile one phase (pyinstrument if installed, else cProfile) and stop")
    C.add_common_args(parser)
    args = parser.parse_args(argv)

    report = C.Report("bench_ui", "UI: start, long articles, keys and search as you type")
    data: dict[str, Any] = report.data
    import contextlib

    place = contextlib.nullcontext(args.workdir) if args.workdir else C.workdir(args.keep, base=args.tmp)
    with place as tmp:
        tmp.mkdir(parents=True, exist_ok=True)
        env = C.bench_env(tmp)
        # Corpora and warm indexes.
        bundled, bundled_ix = tmp / "bundled", tmp / "bundled-ix"
        if not bundled.is_dir():
            shutil.copytree(C.ROOT / "articles", bundled)
        reader_index(bundled, bundled_ix, env)
        reuters_ix = tmp / "reuters-ix"
        if args.reuters:
            reuters = args.reuters
            if args.reuters_index and not reuters_ix.is_dir():
                C.progress(f"copying the index {args.reuters_index}")
                shutil.copytree(args.reuters_index, reuters_ix)
        else:
            reuters = tmp / "reuters"
            if not reuters.is_dir():
                C.progress("importing Reuters (a minute or two)")
                C.run_timed([*C.reader_command(), "--articles", str(reuters), "--index", str(reuters_ix), "import",
                             str(C.REUTERS), "--source", "Reuters"], env=env)
        C.progress("bringing the Reuters index up to date")
        data["reuters_index_update_s"] = reader_index(reuters, reuters_ix, env)
        reader_index(reuters, reuters_ix, env)  # warm: nothing to do, files in the page cache
        long_dir, long_ix = tmp / "long", tmp / "long-ix"
        if not long_dir.is_dir():
            build_long_folder(long_dir, reuters)
        data["long_articles"] = long_info(long_dir)
        reader_index(long_dir, long_ix, env)
        corpora = {"bundled": (bundled, bundled_ix), "reuters": (reuters, reuters_ix)}

        if args.profile:
            articles, index = (long_dir, long_ix) if args.profile == "open" else corpora["reuters"]
            out = (args.out or C.REPORTS) / f"bench_ui-profile-{args.profile}{args.suffix}.txt"
            run_worker(["--worker", "profile", "--w-articles", str(articles), "--w-index", str(index),
                        "--w-plan", args.profile, "--w-out", str(out)], env)
            print(out.read_text(encoding="utf-8"))
            print(f"saved {out}")
            return 0

        # (a) start, headless.
        starts: dict[str, list[dict[str, Any]]] = {}
        for name, (articles, index) in corpora.items():
            C.progress(f"start, headless, {name} x{args.runs}")
            run_worker(["--worker", "paint", "--w-articles", str(articles), "--w-index", str(index)], env,
                       spawned=True)  # warm-up: page cache, .pyc
            starts[name] = [run_worker(["--worker", "paint", "--w-articles", str(articles), "--w-index", str(index)],
                                       env, spawned=True) for _ in range(args.runs)]
        data["start_headless"] = starts

        # (b), (c), (d) headless.
        plan = {"rounds": args.rounds, "opens": args.opens, "search_texts": SEARCH_TEXTS,
                "search_rounds": args.search_rounds}
        C.progress("list keys and search, headless, Reuters")
        data["reuters_interact"] = run_worker(
            ["--worker", "interact", "--w-articles", str(reuters), "--w-index", str(reuters_ix),
             "--w-plan", json.dumps({**plan, "parts": ["list", "search"]})], env)
        C.progress("long articles, headless")
        data["long_interact"] = run_worker(
            ["--worker", "interact", "--w-articles", str(long_dir), "--w-index", str(long_ix),
             "--w-plan", json.dumps({**plan, "parts": ["long"], "long": list(LONG_KINDS),
                                     "hit_words": {"long-entities": "China", "long-paragraphs": "profit",
                                                   "long-lines": "profit"}})], env)

        # tmux.
        tmux_ok = not args.no_tmux and shutil.which("tmux") is not None
        if tmux_ok:
            term = Tmux(env)
            try:
                tstarts: dict[str, list[dict[str, float]]] = {}
                for name, (articles, index) in corpora.items():
                    rows = starts[name][0]["rows"]
                    from reader.library import Library

                    library = Library(articles, index)
                    first = library.rows()[0]
                    library.close()
                    words = (first.title or first.id)[:14]
                    C.progress(f"start, tmux, {name} x{args.runs}")
                    tmux_start(term, articles, index, rows, words, env)  # warm-up
                    tmux_quit(term)
                    tstarts[name] = []
                    for _ in range(args.runs):
                        tstarts[name].append(tmux_start(term, articles, index, rows, words, env))
                        if name == "reuters" and len(tstarts[name]) == args.runs:
                            time.sleep(1.0)
                            C.progress("list keys, tmux, Reuters")
                            data["tmux_list_keys"] = tmux_keys(term, LIST_KEYS, args.rounds)
                        tmux_quit(term)
                data["start_tmux"] = tstarts
                C.progress("long articles, tmux")
                tmux_start(term, long_dir, long_ix, 8, "Shanghai is set", env)
                time.sleep(1.0)
                data["tmux_long_open"] = tmux_open_long(term, list(LONG_KINDS), max(2, args.opens // 2))
                tmux_quit(term)
            finally:
                term.close()
        write_report(report, data, args, tmux_ok)
    report.save(args.out or C.REPORTS, args.suffix)
    return 0


def write_report(report: C.Report, data: dict[str, Any], args: argparse.Namespace, tmux_ok: bool) -> None:
    starts = data["start_headless"]
    rows = []
    for name, runs in starts.items():
        for key, label in (("first_frame_s", "first frame"), ("list_painted_s", "list painted"),
                           ("first_article_s", "first article painted")):
            rows.append((name, "headless", label, ms(s([r[key] * 1000 for r in runs]))))
        if tmux_ok:
            truns = data["start_tmux"][name]
            for key, label in (("first_frame_s", "first frame"), ("list_painted_s", "list painted"),
                               ("first_article_s", "first article painted")):
                rows.append((name, "tmux", label, ms(s([r[key] * 1000 for r in truns]))))
    report.section("(a) Start to first paint (warm index)",
                   f"From the parent's clock before it starts the process; {args.runs} runs each after one "
                   "warm-up; ms, p50 / p95.\n\n" + C.md_table(["corpus", "way", "event", "ms p50 / p95"], rows))
    parts = []
    for name, runs in starts.items():
        parts.append((name, *(C.fmt(C.median(r[k] for r in runs) * 1000, 0) for k in
                              ("interpreter_s", "domain_imports_s", "ui_imports_s", "library_s", "first_frame_s",
                               "list_painted_s", "first_article_s")), C.fmt(C.median(r["peak_rss_mb"] for r in runs), 0)))
    report.add("Where the headless start goes (medians, ms from the parent's clock, cumulative from "
               "`first frame` on):\n\n" + C.md_table(
                   ["corpus", "interpreter", "domain imports", "UI imports", "Library()", "first frame",
                    "list painted", "first article", "peak RSS MB"], parts))

    long = data["long_interact"]["long"]
    rows = []
    for kind, entry in long.items():
        meta = data["long_articles"][kind]
        tm = ms(s(data["tmux_long_open"][kind])) if tmux_ok else "n/a"
        rows.append((kind, f"{meta['bytes'] // 1000} KB, {meta['paragraphs']} paragraphs, {entry['mentions']} "
                           "entity spans", ms(s(entry["open_ms"])), tm))
    report.section("(b) Opening a long article",
                   "Enter in the list to the article's text painted; ms, p50 / p95.\n\n" +
                   C.md_table(["article", "size", "headless", "tmux"], rows))
    rows = []
    for kind, entry in long.items():
        for key, values in entry["keys"].items():
            rows.append((kind, key, ms(s(values))))
        if entry.get("mention_ms"):
            rows.append((kind, f"] ({entry['mention_entity']})", ms(s(entry["mention_ms"]))))
        if entry.get("hit_ms"):
            rows.append((kind, f"n ({entry['hits']} hits)", ms(s(entry["hit_ms"]))))
    report.add("Keys inside the long articles (headless; to the frame that shows the move), ms p50 / p95:\n\n"
               + C.md_table(["article", "key", "ms p50 / p95"], rows))

    inter = data["reuters_interact"]
    rows = [(key, ms(s(values)), ms(s(data["tmux_list_keys"][key])) if tmux_ok else "n/a")
            for key, values in inter["list_keys"].items()]
    report.section("(c) Keys in the list of 19,043 rows (Reuters)",
                   "To the frame (headless) or the screen (tmux) that shows the moved cursor; ms, p50 / p95.\n\n"
                   + C.md_table(["key", "headless", "tmux"], rows))

    rows = [(text, ms(s(values))) for text, values in inter["search_by_text"].items()]
    report.section("(d) Search as you type (Reuters, headless)",
                   f"Each text typed {args.search_rounds} times, each keystroke after the previous one's "
                   "results were shown, to the results for the "
                   f"text so far shown; all keystrokes: {ms(s(inter['search_ms']))} ms (p50 / p95); the echo "
                   f"of the character in the input: {ms(s(inter['search_echo_ms']))} ms.\n\n"
                   + C.md_table(["typed text", "ms per keystroke p50 / p95"], rows))

    # Targets.
    reuters_start = s([r["list_painted_s"] for r in starts["reuters"]])
    report.target("Reuters usable after launch (headless: list painted)", f"{reuters_start['p50']:.2f} s",
                  f"<= {TARGET_START_S} s", reuters_start["p50"] <= TARGET_START_S)
    if tmux_ok:
        tstart = s([r["list_painted_s"] for r in data["start_tmux"]["reuters"]])
        report.target("Reuters usable after launch (tmux: list painted)", f"{tstart['p50']:.2f} s",
                      f"<= {TARGET_START_S} s", tstart["p50"] <= TARGET_START_S)
    bstart = s([r["list_painted_s"] for r in starts["bundled"]])
    report.target("bundled corpus usable after launch (headless)", f"{bstart['p50']:.2f} s",
                  f"<= {TARGET_START_S} s", bstart["p50"] <= TARGET_START_S)
    list_all = s(flat(inter["list_keys"]))
    report.target("key press in the list, 19k rows (headless p95)", f"{list_all['p95']:.1f} ms",
                  f"<= {TARGET_KEY_MS:.0f} ms", list_all["p95"] <= TARGET_KEY_MS)
    if tmux_ok:
        tl = s(flat(data["tmux_list_keys"]))
        report.target("key press in the list, 19k rows (tmux p95)", f"{tl['p95']:.1f} ms",
                      f"<= {TARGET_KEY_MS:.0f} ms", tl["p95"] <= TARGET_KEY_MS)
    search = s(inter["search_ms"])
    report.target("search keystroke to results (headless p95)", f"{search['p95']:.1f} ms",
                  f"<= {TARGET_KEY_MS:.0f} ms", search["p95"] <= TARGET_KEY_MS)
    keys_long = s([v for e in long.values() for v in flat(e["keys"]) + e.get("mention_ms", []) + e.get("hit_ms", [])])
    report.target("key press in a long article (headless p95)", f"{keys_long['p95']:.1f} ms",
                  f"<= {TARGET_KEY_MS:.0f} ms", keys_long["p95"] <= TARGET_KEY_MS)
    opens = s([v for e in long.values() for v in e["open_ms"]])
    report.target("Enter to a long article painted (headless p95)", f"{opens['p95']:.0f} ms",
                  f"<= {TARGET_KEY_MS:.0f} ms", opens["p95"] <= TARGET_KEY_MS)
    for target in report.targets:
        print(f"{target['result']}  {target['target']}: {target['measured']} (goal {target['goal']})")


if __name__ == "__main__":
    sys.exit(main())
