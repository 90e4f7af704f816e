"""Shared helpers of the benchmark scripts: the corpora, the fixed query set,
timing and percentiles, memory sampling, subprocess timing, and the reports.

Nothing here writes outside a temporary folder or ``bench/reports/``: the
corpora are read in place from ``../shared/corpora`` and never copied into the
project, and every index lives in a temporary folder (never the user cache).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import psutil

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
REPORTS = BENCH_DIR / "reports"
CORPORA = Path(os.environ.get("READER_CORPORA", ROOT.parent / "shared" / "corpora"))
if not CORPORA.is_dir():  # the work tree may sit elsewhere than beside shared/
    CORPORA = Path("/work/shared/corpora")
BBC = CORPORA / "bbc"
REUTERS = CORPORA / "reuters21578.jsonl"
BUNDLED_ENTITIES = ROOT / "articles" / "entities.yaml"
MB = 1024 * 1024

# --- the fixed query set ---------------------------------------------------------
#
# Whoosh syntax (what a user types in reader) and, where one exists, the SQLite
# FTS5 equivalent (None: FTS5 has no such query). ``date`` ranges run in FTS5
# as an SQL range on an indexed column next to the FTS table.

QUERIES: dict[str, list[tuple[str, str | None]]] = {
    "term": [
        ("oil", "oil"), ("bank", "bank"), ("dollar", "dollar"), ("coffee", "coffee"),
        ("profit", "profit"), ("wheat", "wheat"), ("gold", "gold"), ("tokyo", "tokyo"),
        ("merger", "merger"), ("dividend", "dividend"),
    ],
    "multi-term": [
        ("oil prices", "oil prices"), ("interest rates", "interest rates"),
        ("trade deficit", "trade deficit"), ("stock market", "stock market"),
        ("central bank", "central bank"), ("crude output", "crude output"),
    ],
    "phrase": [
        ('"interest rates"', '"interest rates"'), ('"crude oil"', '"crude oil"'),
        ('"trade deficit"', '"trade deficit"'), ('"central bank"', '"central bank"'),
        ('"net income"', '"net income"'), ('"stock split"', '"stock split"'),
    ],
    "fuzzy": [
        ("goverment~", None), ("petrolium~", None), ("ecomomy~", None),
        ("finacial~", None), ("dollr~", None), ("excange~", None),
    ],
    "field": [
        ("title:oil", "title:oil"),
        ("source:reuters", "source:reuters"),
        ("date:[1987-03-01 to 1987-03-31]", "@date:1987-03-01:1987-03-31"),
        ("company:Reuters", None),
        ('place:"United States"', None),
        ("place:Washington", None),
        ('org:"United Nations"', None),
        ("person:Volcker", None),
        ("company:Texaco", None),
    ],
    "prefix": [
        ("econ*", "econ*"), ("petro*", "petro*"), ("bank*", "bank*"),
        ("export*", "export*"), ("inflat*", "inflat*"),
    ],
}
QUERY_TYPES = tuple(QUERIES)


def all_queries() -> list[tuple[str, str]]:
    """(type, whoosh query) for every query of the set."""
    return [(kind, q) for kind, items in QUERIES.items() for q, _ in items]


# --- statistics --------------------------------------------------------------------

def percentile(values: Sequence[float], p: float) -> float:
    """Linear-interpolated percentile (p in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    data = sorted(values)
    if len(data) == 1:
        return data[0]
    k = (len(data) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    if lo == hi:
        return data[lo]
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def summary(values: Sequence[float]) -> dict[str, float]:
    """p50, p95, mean, max and n of a list (e.g. latencies in ms)."""
    if not values:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "mean": float("nan"), "max": float("nan")}
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "mean": statistics.fmean(values),
        "max": max(values),
    }


def median(values: Iterable[float]) -> float:
    data = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return statistics.median(data) if data else float("nan")


def fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


# --- machine -------------------------------------------------------------------------

def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def reader_package() -> Path:
    """The reader package the measured processes import: this checkout's, or
    another one that PYTHONPATH puts first (to measure earlier code beside it)."""
    import importlib.util

    spec = importlib.util.find_spec("reader")
    return Path(spec.origin).parent if spec and spec.origin else ROOT / "reader"


def machine_info() -> dict[str, Any]:
    import sqlite3

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import hashlib

    package = reader_package()
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.read_bytes())
    return {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "reader_source_sha256": digest.hexdigest()[:12],
        "reader_package": str(package),
        "host": platform.node(),
        "os": f"{platform.system()} {platform.release()}",
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "versions": {
            "reader": _version("reader"),
            "Whoosh": _version("Whoosh"),
            "textual": _version("textual"),
            "pyahocorasick": _version("pyahocorasick"),
            "PyYAML": _version("PyYAML"),
            "psutil": _version("psutil"),
            "sqlite": sqlite3.sqlite_version,
        },
    }


def machine_markdown(info: dict[str, Any]) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    return (
        f"- Date: {info['date']}\n"
        f"- Machine: {info['cores']} cores ({info['cpu']}), {info['memory_gb']} GB RAM, {info['os']}\n"
        f"- Python {info['python']}; {versions}\n"
        f"- reader source (sha256 of reader/**/*.py): {info.get('reader_source_sha256', '?')}"
        f" ({info.get('reader_package', 'reader')})\n"
        f"- Load average (1, 5, 15 min) at the start: {info.get('load_at_start')}, at the end: "
        f"{info.get('load_at_end')} (2 cores: above ~1 means other work shared the machine)\n"
    )


# --- memory --------------------------------------------------------------------------

class MemorySampler:
    """Samples the RSS of this process (and optionally its children) in a thread;
    ``peak`` is the highest sum seen. Use as a context manager."""

    def __init__(self, interval: float = 0.02, children: bool = False, pid: int | None = None) -> None:
        self.interval = interval
        self.children = children
        self.process = psutil.Process(pid) if pid else psutil.Process()
        self.peak = 0
        self.start_rss = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def rss(self) -> int:
        try:
            total = self.process.memory_info().rss
        except psutil.Error:
            return 0
        if self.children:
            try:
                for child in self.process.children(recursive=True):
                    try:
                        total += child.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            self._stop.wait(self.interval)

    def __enter__(self) -> "MemorySampler":
        self.start_rss = self.rss()
        self.peak = self.start_rss
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self.peak = max(self.peak, self.rss())


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / MB


def max_rss_self_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- subprocesses ---------------------------------------------------------------------

@dataclass
class RunResult:
    argv: list[str]
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float  # ru_maxrss of the child and the descendants it waited for
    cpu_s: float = 0.0  # user + system CPU of the child and the descendants it waited for

    def json(self) -> Any:
        try:
            return json.loads(self.stdout)
        except ValueError:
            return None


def run_timed(argv: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None,
              check: bool = True) -> RunResult:
    """Run a command, timing wall-clock and reading the child's peak RSS with wait4."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    started = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                            env=env, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    result = RunResult(list(argv), seconds, proc.returncode, out.read().decode("utf-8", "replace"),
                       err.read().decode("utf-8", "replace"), usage.ru_maxrss / 1024,
                       usage.ru_utime + usage.ru_stime)
    out.close()
    err.close()
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result


def reader_command() -> list[str]:
    """The installed ``reader`` console script beside this Python, else ``python -m reader``."""
    script = Path(sys.executable).parent / "reader"
    if script.exists():
        return [str(script)]
    found = shutil.which("reader")
    return [found] if found else [sys.executable, "-m", "reader"]


def bench_env(tmp: Path) -> dict[str, str]:
    """Environment for subprocesses: caches point into the temp folder, so nothing
    lands in the user's cache even if an ``--index`` were forgotten."""
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(tmp / "cache")
    env.pop("READER_ARTICLES", None)
    env.pop("READER_INDEX", None)
    env["PYTHONWARNINGS"] = "ignore::SyntaxWarning"
    # Start-up is measured as a user meets it after the first run, with the
    # compiled bytecode on disk (a shell that sets PYTHONDONTWRITEBYTECODE
    # would otherwise make every start compile the reader's sources anew).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    compile_sources()
    return env


def compile_sources() -> None:
    """Write the reader's bytecode now, as its first run on a user's machine
    does: a start measured without it compiles every module first (100 ms and
    more), whatever a shell's PYTHONDONTWRITEBYTECODE says."""
    import compileall

    compileall.compile_dir(str(reader_package()), quiet=1, force=False)


# --- temporary folders --------------------------------------------------------------------

@contextmanager
def workdir(keep: bool = False, prefix: str = "reader-bench-", base: str | None = None) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    try:
        yield path
    finally:
        if keep:
            print(f"(kept {path})", file=sys.stderr)
        else:
            shutil.rmtree(path, ignore_errors=True)


def dir_size(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def add_entity_list(folder: Path, source: Path | None = BUNDLED_ENTITIES) -> None:
    """Put an entity list into a benchmark articles folder (the bundled one by default)."""
    folder.mkdir(parents=True, exist_ok=True)
    if source is not None and Path(source).exists():
        shutil.copyfile(source, folder / "entities.yaml")


# --- corpora ----------------------------------------------------------------------------

def reuters_records(limit: int | None = None) -> list[dict[str, Any]]:
    records = []
    with open(REUTERS, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            records.append(json.loads(line))
            if limit and len(records) >= limit:
                break
    return records


def bbc_files(limit: int | None = None) -> list[Path]:
    files = sorted(p for p in BBC.rglob("*.txt"))
    return files[:limit] if limit else files


def bbc_records(limit: int | None = None) -> list[dict[str, Any]]:
    """BBC texts as records: first line is the title, the rest the body (CRLF folded)."""
    records = []
    for path in bbc_files(limit):
        text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
        title, _, body = text.partition("\n")
        rel = path.relative_to(BBC).with_suffix("").as_posix().replace("/", "-")
        records.append({"id": f"bbc-{rel}", "title": title.strip(), "body": body.strip("\n")})
    return records


def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> int:
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def limited_reuters_file(tmp: Path, limit: int | None) -> Path:
    """The Reuters file itself, or (with a limit) its first ``limit`` records in tmp."""
    if not limit:
        return REUTERS
    path = tmp / "reuters-limited.jsonl"
    write_jsonl(reuters_records(limit), path)
    return path


def limited_bbc_dir(tmp: Path, limit: int | None) -> Path:
    """The BBC folder itself, or (with a limit) links to its first ``limit`` files in tmp."""
    if not limit:
        return BBC
    root = tmp / "bbc-limited"
    for path in bbc_files(limit):
        target = root / path.relative_to(BBC)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)  # a temporary subset, deleted with tmp
    return root


# --- timing -------------------------------------------------------------------------------

def time_calls(fn: Callable[[], Any], repeat: int) -> list[float]:
    """Milliseconds of ``repeat`` calls of fn."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def wait_for_module(name: str, poll: float = 120.0, timeout: float = 3 * 3600) -> None:
    """Block until ``name`` can be imported (a colleague may still be writing it)."""
    import importlib

    waited = 0.0
    while True:
        try:
            importlib.import_module(name)
            return
        except ModuleNotFoundError as exc:
            if exc.name not in (name, name.rsplit(".", 1)[0]) and not name.startswith(str(exc.name)):
                raise
            if waited >= timeout:
                raise
            print(f"waiting for {name} ({exc}); checking again in {poll:.0f} s", file=sys.stderr)
            time.sleep(poll)
            waited += poll


# --- reports --------------------------------------------------------------------------------

def md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    for row in rows:
        lines.append("| " + " | ".join(fmt(c) if not isinstance(c, str) else c for c in row) + " |")
    return "\n".join(lines) + "\n"


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


@dataclass
class Report:
    name: str
    title: str
    info: dict[str, Any] = field(default_factory=machine_info)
    parts: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    targets: list[dict[str, Any]] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text.rstrip("\n") + "\n")

    def section(self, heading: str, text: str = "") -> None:
        self.add(f"## {heading}\n\n{text}" if text else f"## {heading}\n")

    def target(self, name: str, measured: str, goal: str, ok: bool | None) -> None:
        self.targets.append({"target": name, "measured": measured, "goal": goal, "result": verdict(ok)})

    def markdown(self) -> str:
        self.info["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
        out = [f"# {self.title}\n", machine_markdown(self.info)]
        if self.targets:
            out.append("## Targets\n")
            out.append(md_table(["target", "measured", "goal", "result"],
                                [(t["target"], t["measured"], t["goal"], t["result"]) for t in self.targets]))
        out.extend(self.parts)
        return "\n".join(out)

    def save(self, reports: Path = REPORTS, suffix: str = "") -> Path:
        reports.mkdir(parents=True, exist_ok=True)
        text = self.markdown()
        md = reports / f"{self.name}{suffix}.md"
        md.write_text(text, encoding="utf-8")
        payload = {"name": self.name, "title": self.title, "machine": self.info, "targets": self.targets,
                   "data": self.data}
        (reports / f"{self.name}{suffix}.json").write_text(
            json.dumps(_jsonable(payload), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(text)
        print(f"saved {md} and {md.with_suffix('.json')}")
        return md


def add_common_args(parser: Any) -> None:
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--tmp", metavar="DIR", help="where to make the temporary folder (default: system temp)")
    parser.add_argument("--out", metavar="DIR", type=Path, default=REPORTS,
                        help=f"folder for the reports (default: {REPORTS})")
    parser.add_argument("--suffix", default="", help="added to the report file names (e.g. -small)")
    parser.add_argument("--no-wait", action="store_true",
                        help="fail at once when reader.discovery is missing instead of waiting for it")


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def corpus_parser(doc: str) -> argparse.ArgumentParser:
    """The options of a benchmark on an imported corpus: --articles/--index
    (an existing folder and index instead of a fresh import) and --runs."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--articles", type=Path)
    parser.add_argument("--index", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    add_common_args(parser)
    return parser


def imported_reuters(args: Any, tmp: Path) -> tuple[Path, Path]:
    """The articles folder and index to measure: those given, else Reuters
    imported into ``tmp`` with ``reader import``; brought up to date."""
    from reader.library import Library

    articles = args.articles or tmp / "articles"
    index = args.index or tmp / "index"
    if args.articles is None:
        progress("importing Reuters")
        subprocess.run([sys.executable, "-m", "reader", "--articles", str(articles), "--index", str(index),
                        "import", str(REUTERS), "--source", "Reuters"], check=True, stdout=subprocess.DEVNULL)
    Library(articles, index).update()
    return articles, index
