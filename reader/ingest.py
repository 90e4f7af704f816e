"""Import articles from outside files into the articles folder.

Sources: plain-text files (title on the first line), folders of them
(recursively), JSON Lines with a field mapping, and Markdown with front matter.
Each imported article becomes ``<articles>/<id>.md``. Import never overwrites
an article silently: an id that exists is skipped with a message unless
``replace`` is set, so running the same import twice changes nothing.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from reader import frontmatter
from reader.cleaning import USER_RULES_NAME, Cleaner, decode_references
from reader.corpus import (
    ARTICLE_SUFFIX,
    ID_PATTERN,
    MAX_ARTICLE_BYTES,
    TEXT_FIELDS as ARTICLE_TEXT_FIELDS,
    ArticleError,
    decode,
    iter_article_files,
    normalise_date,
    parse_article,
    slugify,
)
from reader.fsutil import exclusive_lock, fsync_dir, is_within, umask_mode, write_temp
from reader.sanitize import sanitize_line

TEXT_SUFFIXES = {".txt", ".text", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
# Saved web pages, feeds and OPML lists (reader.webimport, loaded when one is met).
WEB_SUFFIXES = {".html", ".htm", ".xhtml", ".rss", ".atom", ".xml", ".opml"}
DEFAULT_MAPPING = {
    "id": "id",
    "title": "title",
    "body": "body",
    "date": "date",
    "author": "author",
    "source": "source",
}
# Front matter keys written in this order; other kept keys follow.
KEY_ORDER = ("id", "title", "source", "author", "dateline", "date", "url", "original")
BATCH = 400  # files written between two syncs in a bulk import
# One import into a folder at a time: a second waits for this lock (a hidden
# file in the articles folder, which the loader never reads).
IMPORT_LOCK = ".reader-import.lock"
# Temporary files are ".<target>.<pid>.<random>.import.tmp": unique to each
# writer, and naming the process that owns them so a later import can tell a
# dead import's leftovers from live work. Older versions wrote
# ".<target>.import.tmp", with no pid; those are cleaned by age alone.
TEMP_SUFFIX = ".import.tmp"
_TEMP_OWNER = re.compile(r"^\..+\.(\d+)\.[^.]+" + re.escape(TEMP_SUFFIX) + "$")
STALE_TEMP_SECONDS = 300.0  # a batch is written and renamed in seconds; 5 minutes is long dead
_ID_HEAD = re.compile(r"^id:\s*['\"]?([^'\"\n]+?)['\"]?\s*$", re.MULTILINE)


class ImportError_(ValueError):
    """A whole import that cannot start (for example a read-only folder)."""


@dataclass
class Candidate:
    """One article ready to be written, with where it came from."""

    meta: dict[str, Any]
    body: str
    origin: str

    @property
    def id(self) -> str:
        # A file name with no usable character ("日本.txt", "..txt") gives no id:
        # "" is then refused as a file name instead of failing the whole import.
        return str(self.meta.get("id", ""))


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "replaced": self.replaced,
            "skipped": [{"source": s, "reason": r} for s, r in self.skipped],
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
        }


def safe_id(raw: str) -> str:
    """Turn any string into an id that is a plain file name inside the folder."""
    text = sanitize_line(str(raw))
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    return cleaned[:200].strip("-.")


def existing_ids(folder: Path) -> dict[str, Path]:
    """Ids of the articles already in ``folder``, read from the head of each file."""
    ids: dict[str, Path] = {}
    for path in iter_article_files(folder):
        try:
            with open(path, "rb") as handle:
                head = handle.read(4096).decode("utf-8", "replace")
        except OSError:
            continue
        match = _ID_HEAD.search(head.split("\n---", 1)[0]) if head.startswith("---") else None
        ids[match.group(1).strip() if match else slugify(path.stem) or path.stem] = path
    return ids


# --- reading sources -------------------------------------------------------

def _ordered(meta: dict[str, Any]) -> dict[str, Any]:
    ordered = {k: meta[k] for k in KEY_ORDER if meta.get(k) not in (None, "", [])}
    for key, value in meta.items():
        if key not in ordered and value not in (None, "", [], {}):
            ordered[key] = value
    return ordered


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise ArticleError(path, "empty file")
    if size > MAX_ARTICLE_BYTES:
        raise ArticleError(path, f"file is {size / 1048576:.1f} MB, over the {MAX_ARTICLE_BYTES // 1048576} MB limit")
    return path.read_bytes()


def from_text(path: Path, cleaner: Cleaner, rel: str, source: str = "") -> Candidate:
    text = decode(_read_bytes(path), path)
    cleaned = cleaner.clean(text)
    if not cleaned.body.strip():
        raise ArticleError(path, "no article text left after cleaning")
    stem = rel.rsplit(".", 1)[0] if "." in Path(rel).name else rel
    meta = {
        "id": safe_id(slugify(stem.replace("/", "-"), limit=200) or stem),
        "title": cleaned.title,
        "source": source or cleaned.source,
        "author": cleaned.author,
        "dateline": cleaned.dateline,
        "date": cleaned.date,
        "original": rel,
    }
    return Candidate(_ordered(meta), cleaned.body, str(path))


def from_markdown(path: Path, rel: str, source: str = "") -> Candidate:
    text = decode(_read_bytes(path), path)
    article = parse_article(text, path, rel)  # validates front matter, id and date
    meta: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "source": article.source or source,
        "author": article.author,
        "date": article.date,
        "url": article.url,
        "original": article.original or rel,
    }
    meta.update({k: v for k, v in article.extra.items() if _keepable(v)})
    return Candidate(_ordered(meta), article.body, str(path))


def _keepable(value: Any) -> bool:
    if isinstance(value, (str, int, float, bool)):
        return True
    return isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value)


def _clean_extra(value: Any) -> Any:
    if isinstance(value, str):
        return sanitize_line(value)
    if isinstance(value, list):
        return [sanitize_line(str(v)) for v in value if str(v).strip()]
    return value


def from_record(
    record: Any,
    origin: str,
    cleaner: Cleaner,
    mapping: dict[str, str],
    fallback_id: str,
    source: str = "",
) -> Candidate:
    if not isinstance(record, dict):
        raise ArticleError(origin, "a JSON Lines record must be an object")
    body_raw = record.get(mapping["body"])
    if not isinstance(body_raw, str) or not body_raw.strip():
        raise ArticleError(origin, f"no text in field {mapping['body']!r}")
    if len(body_raw) > MAX_ARTICLE_BYTES:
        raise ArticleError(origin, "body is over the size limit")
    cleaned = cleaner.clean(body_raw, title_line=False)
    if not cleaned.body.strip():
        raise ArticleError(origin, "no article text left after cleaning")
    raw_id = record.get(mapping["id"])
    art_id = safe_id(str(raw_id)) if raw_id not in (None, "") else fallback_id
    if not art_id:
        raise ArticleError(origin, f"id {raw_id!r} has no usable characters")
    try:
        date = normalise_date(record.get(mapping["date"])) or cleaned.date  # the record's own date first
    except ValueError as exc:
        raise ArticleError(origin, str(exc)) from None

    def text_field(key: str) -> str:
        value = record.get(mapping[key])
        return sanitize_line(decode_references(str(value))) if value not in (None, "") else ""

    meta: dict[str, Any] = {
        "id": art_id,
        "title": text_field("title"),
        "source": text_field("source") or source,
        "author": text_field("author") or cleaned.author,
        "date": date,
        "original": origin,
    }
    used = set(mapping.values())
    for key, value in record.items():
        name = safe_key(key)
        # "id " or "date!" would become "id" or "date" and replace the real
        # ones; a list under "url" is a url the reader refuses to load.
        if key in used or key in meta or name in meta or not _keepable(value):
            continue
        if name in ARTICLE_TEXT_FIELDS and isinstance(value, list):
            continue
        value = _clean_extra(value)
        if key == "dateline" and isinstance(value, str):
            value = value.rstrip(" -–—")
        if value not in ("", []):
            meta[name] = value
    return Candidate(_ordered(meta), cleaned.body, origin)


def safe_key(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", str(key)).strip("_") or "field"


def _walk_files(root: Path, report: ImportReport) -> Iterator[Path]:
    """Files below ``root``; links that leave it, and link loops, are reported and skipped."""
    root_resolved = root.resolve()
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        kept = []
        for name in sorted(dirs):
            if name.startswith("."):
                continue
            if (here / name).is_symlink():
                report.skipped.append((str(here / name), "symbolic link to a folder is not followed"))
                continue
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = here / name
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    report.failed.append((str(path), "broken or looping symbolic link"))
                    continue
                if not is_within(target, root_resolved):
                    report.skipped.append((str(path), "symbolic link points outside the imported folder"))
                    continue
            yield path


def read_sources(
    paths: Iterable[Path],
    cleaner: Cleaner,
    report: ImportReport,
    mapping: dict[str, str] | None = None,
    source: str = "",
) -> Iterator[Candidate]:
    """Yield every candidate article from the given files and folders; failures go to the report."""
    fields = dict(DEFAULT_MAPPING)
    fields.update(mapping or {})
    for given in paths:
        given = Path(given)
        if not given.exists():
            report.failed.append((str(given), "no such file or folder"))
            continue
        if given.is_dir():
            files = ((p, p.relative_to(given).as_posix()) for p in _walk_files(given, report))
        else:
            files = iter([(given, given.name)])
        for path, rel in files:
            suffix = path.suffix.lower()
            try:
                if suffix in JSONL_SUFFIXES:
                    yield from _read_jsonl(path, cleaner, report, fields, source)
                elif suffix in MARKDOWN_SUFFIXES:
                    yield from_markdown(path, rel, source)
                elif suffix in TEXT_SUFFIXES:
                    yield from_text(path, cleaner, rel, source)
                elif suffix in WEB_SUFFIXES:
                    yield from _read_web(path, rel, cleaner, report, source)
                else:
                    report.skipped.append((str(path), f"not an article file ({suffix or 'no suffix'})"))
            except ArticleError as exc:
                report.failed.append((str(path), exc.reason))
            except OSError as exc:
                report.failed.append((str(path), exc.strerror or str(exc)))


def _read_web(path: Path, rel: str, cleaner: Cleaner, report: ImportReport, source: str) -> Iterator[Candidate]:
    from reader import webimport

    suffix = path.suffix.lower()
    if suffix in webimport.HTML_SUFFIXES:
        yield webimport.from_html(path, rel, cleaner, source)
    elif suffix in webimport.OPML_SUFFIXES:
        yield from webimport.read_opml(path, cleaner, report, source)
    else:
        yield from webimport.read_feed(path, cleaner, report, source)


def _read_jsonl(
    path: Path, cleaner: Cleaner, report: ImportReport, mapping: dict[str, str], source: str
) -> Iterator[Candidate]:
    stem = safe_id(slugify(path.stem)) or "record"
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            origin = f"{path.name}:{number}"
            if not raw.strip():
                continue
            try:
                record = parse_json_line(decode(raw, origin), origin)
                candidate = from_record(record, origin, cleaner, mapping, f"{stem}-{number}", source)
            except ArticleError as exc:
                report.failed.append((origin, exc.reason))
                continue
            except RecursionError:  # a field nested nearly to the parser's limit, turned into text
                report.failed.append((origin, "a field is nested too deeply"))
                continue
            yield candidate


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# No article record needs more; far less than what exhausts the parser's stack,
# which depends on how deep the caller already is: bounded here, a line fails
# or imports the same way wherever the import runs.
MAX_JSON_DEPTH = 256
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _too_deep(line: str) -> bool:
    if line.count("[") + line.count("{") <= MAX_JSON_DEPTH:
        return False  # the common case, at the cost of two counts
    depth = 0
    for char in _NOT_BRACKET.sub("", _JSON_STRING.sub("", line)):
        depth += 1 if char in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            return True
    return False


def parse_json_line(line: str, origin: str) -> Any:
    """One JSON Lines record, or an ArticleError that says in one line what is wrong.

    Whatever a line holds, it fails alone: nesting past MAX_JSON_DEPTH and the
    parser's own limits (its recursion, integers past Python's digit limit for
    int/str conversion) are reported as invalid JSON, as a syntax error is.
    A lone surrogate ("\\ud800") is valid JSON but no character: UTF-8 cannot
    write it, so it becomes U+FFFD here and the record still imports."""
    if _too_deep(line):
        raise ArticleError(origin, f"invalid JSON: arrays or objects nested more than {MAX_JSON_DEPTH} deep")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ArticleError(origin, f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:  # not expected under MAX_JSON_DEPTH; kept so that no stack can end the import
        raise ArticleError(origin, "invalid JSON: arrays or objects nested too deeply") from None
    except ValueError:  # only the integer digit limit raises a bare ValueError here
        raise ArticleError(
            origin, f"invalid JSON: a number longer than {sys.get_int_max_str_digits()} digits"
        ) from None
    # Strictly decoded UTF-8 holds no surrogate: only a \u escape can make one.
    return _without_surrogates(record) if "\\u" in line else record


def _without_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings and keys replaced by U+FFFD.

    The parsed value may nest as deep as the parser allowed, so this walks it
    with a stack of its own rather than by recursion."""
    def fix(item: Any) -> Any:
        return _LONE_SURROGATE.sub("\ufffd", item) if isinstance(item, str) else item

    root = [fix(value)]
    stack: list[list[Any] | dict[str, Any]] = [root]
    while stack:
        container = stack.pop()
        if isinstance(container, dict):
            items = list(container.items())
            container.clear()
            for key, item in items:
                container[fix(key)] = fixed = fix(item)
                if isinstance(fixed, (list, dict)):
                    stack.append(fixed)
        else:
            for index, item in enumerate(container):
                container[index] = fixed = fix(item)
                if isinstance(fixed, (list, dict)):
                    stack.append(fixed)
    return root[0]


# --- writing ---------------------------------------------------------------

def _check_writable(folder: Path) -> None:
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise ImportError_(f"cannot create the articles folder {folder}: {exc.strerror}") from None
    if not os.access(folder, os.W_OK):
        raise ImportError_(f"the articles folder {folder} is read-only; nothing was imported")


def _owner_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process is only starting its import: nothing of its own is in flight
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


def clean_stale_temps(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove the temporary files a killed import left below ``folder``.

    A file goes when its owner process is gone, or, whatever the pid says (pids
    are reused; another machine's pids mean nothing here), when it is older
    than STALE_TEMP_SECONDS. Called under the import lock, so no import that
    honours the lock is writing at the time. Returns what was removed."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    for here, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
                continue
            path = Path(here) / name
            match = _TEMP_OWNER.match(name)
            try:
                stale = (match is not None and not _owner_alive(int(match.group(1)))) or \
                    now - path.lstat().st_mtime > STALE_TEMP_SECONDS
                if stale:
                    path.unlink()
                    removed.append(path)
            except OSError:
                continue  # gone already, or not ours to remove: the next run tries again
    return removed


def _flush(batch: list[tuple[Path, Path]]) -> None:
    """Make the batch durable, then move every file into place.

    One ``os.sync`` for a batch costs what a single fsync does, where one per
    file would dominate a bulk import; the rename after it keeps each file
    atomic: readers see the old article or the new one, never a torn file.
    """
    if not batch:
        return
    os.sync()
    for tmp, final in batch:
        os.replace(tmp, final)
    fsync_dir(batch[0][1].parent)
    batch.clear()


def import_paths(
    paths: Iterable[Path],
    folder: Path,
    *,
    replace: bool = False,
    mapping: dict[str, str] | None = None,
    source: str = "",
    pattern_files: Iterable[Path] = (),
    known_places: Iterable[str] = (),
    known_names: Iterable[str] = (),
    progress: Callable[[int], None] | None = None,
    on_wait: Callable[[], None] | None = None,
    then: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import ``paths`` into ``folder``, one import per folder at a time.

    A second import into the same folder waits for the first (``on_wait`` is
    called once when it has to), then sees what the first wrote: without
    ``replace`` it skips those ids, with it each file is wholly one version.
    ``then`` is called with the report while the folder is still locked: the
    importer indexes what it wrote before any other process sees the lock go
    (a search meanwhile answers from the last index instead of indexing the
    import itself).
    """
    folder = Path(folder)
    _check_writable(folder)
    held = ExitStack()  # the import lock, released once every file is in place
    try:
        held.enter_context(exclusive_lock(folder / IMPORT_LOCK, on_wait))
    except OSError as exc:
        raise ImportError_(f"cannot lock the articles folder {folder}: {exc.strerror}") from None
    with held:
        clean_stale_temps(folder)
        report = _write_articles(paths, folder, replace, mapping, source, pattern_files, known_places,
                                 known_names, progress)
        if then is not None:
            then(report)
        return report


def _write_articles(paths: Iterable[Path], folder: Path, replace: bool, mapping: dict[str, str] | None,
                    source: str, pattern_files: Iterable[Path], known_places: Iterable[str],
                    known_names: Iterable[str], progress: Callable[[int], None] | None) -> ImportReport:
    """The import proper; the caller holds the folder's import lock."""
    rules = list(pattern_files)
    user_rules = folder / USER_RULES_NAME
    if user_rules.exists():
        rules.insert(0, user_rules)
    cleaner = Cleaner(rules, known_places, known_names)
    report = ImportReport()
    existing = existing_ids(folder)
    seen_now: set[str] = set()
    batch: list[tuple[Path, Path]] = []
    count = 0
    mode = umask_mode()
    owner = f"{os.getpid()}."
    try:
        for candidate in read_sources(paths, cleaner, report, mapping, source):
            count += 1
            if progress and count % 500 == 0:
                progress(count)
            art_id = candidate.id
            if not ID_PATTERN.match(art_id):
                report.failed.append((candidate.origin, f"id {art_id!r} is not usable as a file name"))
                continue
            if art_id in seen_now:
                report.skipped.append((candidate.origin, f"id {art_id!r} appears twice in this import"))
                continue
            target = existing.get(art_id) or folder / f"{art_id}{ARTICLE_SUFFIX}"
            # An id that fits ID_PATTERN is a plain file name, so a new file stays
            # in the folder; only an existing file or a symbolic link can lead out.
            if (art_id in existing or target.is_symlink()) and not is_within(target, folder):
                report.failed.append((candidate.origin, f"id {art_id!r} would leave the articles folder"))
                continue
            if art_id in existing and not replace:
                report.skipped.append((candidate.origin, f"article {art_id!r} exists (use --replace to overwrite)"))
                continue
            if art_id not in existing and target.exists():
                report.skipped.append((candidate.origin, f"{target.name} exists and holds another article"))
                continue
            seen_now.add(art_id)
            text = frontmatter.render(candidate.meta, candidate.body)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.{owner}", suffix=TEMP_SUFFIX,
                                            dir=target.parent)
            batch.append((Path(tmp_name), target))  # first, so a failed write is cleaned up too
            write_temp(fd, text.encode("utf-8"), mode=mode, sync=False)  # the batch is synced at once
            (report.replaced if art_id in existing else report.added).append(art_id)
            if len(batch) >= BATCH:
                _flush(batch)
        _flush(batch)
    finally:
        for tmp, _ in batch:  # an error mid-batch: never leave temporary files behind
            try:
                tmp.unlink()
            except OSError:
                pass
    return report
