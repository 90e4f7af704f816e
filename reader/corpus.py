"""The articles folder: the Article model, and reading and validating its files.

Every string that leaves this module has been sanitised (see ``sanitize``), so
offsets computed on ``Article.body`` are the offsets every other layer uses.
A file that cannot be used is reported with its path and one reason and is
skipped; the rest of the corpus still opens.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from reader import frontmatter
from reader.fsutil import is_within
from reader.sanitize import sanitize, sanitize_line
from reader.wording import show_date

ARTICLE_SUFFIX = ".md"
ENTITIES_FILE = "entities.yaml"
MAX_ARTICLE_BYTES = int(os.environ.get("READER_MAX_ARTICLE_BYTES", 16 * 1024 * 1024))
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
TEXT_FIELDS = ("title", "source", "author", "url", "original")
# A first "sentence" longer than this is a table or a run-on line, not a
# title: it is cut at the last word before it. Titles are never cut shorter
# here (nor marked with "…"): the places that show them fit them to their
# width, and `--json` gives them whole.
DERIVED_TITLE_CHARS = 1000


class ArticleError(ValueError):
    """One file that cannot be read as an article."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass(slots=True)
class Article:
    id: str
    body: str
    title: str = ""
    source: str = ""
    author: str = ""
    date: str = ""  # ISO 8601 date or date-time, or "" when the text gives none
    url: str = ""
    original: str = ""
    path: str = ""  # path of the file, relative to the articles folder
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def display_title(self) -> str:
        """The title, or the opening words of the text when there is none."""
        return self.title or derive_title(self.body)

    def citation(self) -> str:
        parts = [self.display_title]
        if self.source:
            parts.append(self.source)
        if self.date:
            parts.append(show_date(self.date))
        return ", ".join(parts)

    def meta(self) -> dict[str, str]:
        return {
            "id": self.id,
            "title": self.display_title,
            "source": self.source,
            "author": self.author,
            "date": self.date,
            "path": self.path,
        }


def derive_title(body: str, limit: int = DERIVED_TITLE_CHARS) -> str:
    """First sentence of the first paragraph, whole (past ``limit``
    characters, cut at the last word before it)."""
    first = next((p.strip() for p in body.split("\n") if p.strip()), "")
    match = re.search(r"(?<=[.!?])\s", first)
    sentence = first[: match.start()] if match else first
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:")


def normalise_date(value: Any) -> str:
    """Accept an ISO date or date-time; return it as an ISO string or raise ValueError."""
    if value is None or value == "":
        return ""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    text = str(value).strip()
    try:
        if len(text) == 10:
            return _dt.date.fromisoformat(text).isoformat()
        parsed = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsed.isoformat()
    except ValueError:
        # A hostile value may be megabytes long: the message quotes its start only.
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise ValueError(f"date {shown!r} is not an ISO 8601 date (YYYY-MM-DD)") from None


def slugify(text: str, limit: int = 80) -> str:
    """A lower-case id made of letters, digits and hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-")


def decode(data: bytes, path: Path | str) -> str:
    """Strict UTF-8 (a BOM is allowed); undecodable bytes are an error that says where."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def read_text_file(path: Path) -> str:
    """Read a text file with the size and encoding checks every reader of articles needs."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ArticleError(path, exc.strerror or str(exc)) from None
    if size == 0:
        raise ArticleError(path, "empty file")
    if size > MAX_ARTICLE_BYTES:
        raise ArticleError(
            path, f"file is {size / 1048576:.1f} MB, over the {MAX_ARTICLE_BYTES // 1048576} MB limit"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(path, exc.strerror or str(exc)) from None
    return decode(data, path)


def parse_article(text: str, path: Path | str, rel: str = "") -> Article:
    """Build a validated Article from the text of a Markdown file."""
    text = sanitize(text)
    try:
        doc = frontmatter.parse(text)
    except frontmatter.FrontMatterError as exc:
        raise ArticleError(path, str(exc)) from None
    meta = dict(doc.meta)
    body = doc.body.strip("\n")
    if not body.strip():
        raise ArticleError(path, "article has no text")
    stem = Path(str(path)).stem
    raw_id = meta.pop("id", None)
    art_id = str(raw_id).strip() if raw_id is not None else slugify(stem) or stem
    if not ID_PATTERN.match(art_id):
        raise ArticleError(path, f"id {art_id!r} may hold only letters, digits, '.', '_' and '-'")
    values: dict[str, str] = {}
    for key in TEXT_FIELDS:
        value = meta.pop(key, None)
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            raise ArticleError(path, f"front matter: {key} must be text, not {'a list' if isinstance(value, list) else 'a mapping'}")
        values[key] = sanitize_line(str(value))
    try:
        date = normalise_date(meta.pop("date", None))
    except ValueError as exc:
        raise ArticleError(path, f"front matter: {exc}") from None
    return Article(id=art_id, body=body, date=date, path=rel, extra=meta, **values)


def read_body(path: Path) -> str:
    """Only the text of an article file, as ``Article.body`` holds it, without
    reading its front matter: search snippets need the text of every hit, and
    parsing YAML for each would cost more than the search itself."""
    text = sanitize(read_text_file(Path(path)))
    try:
        _yaml, body, _line = frontmatter.split(text)
    except frontmatter.FrontMatterError as exc:
        raise ArticleError(path, str(exc)) from None
    return body.strip("\n")


def load_article(path: Path, folder: Path | None = None) -> Article:
    path = Path(path)
    rel = str(path.relative_to(folder)) if folder is not None else path.name
    return parse_article(read_text_file(path), path, rel)


def link_problem(path: Path, folder: Path) -> str | None:
    """Why the article file ``path``, a symbolic link, is not read, or None
    when it may be (it is no link, or a link to a file inside ``folder``).
    Reading follows no link out of the folder: ``x.md -> /etc/passwd`` would
    show a file the folder never held."""
    if not os.path.islink(path):
        return None
    try:
        target = Path(path).resolve(strict=True)
    except FileNotFoundError:
        return "symbolic link to a file that does not exist"
    except (OSError, RuntimeError):  # ELOOP (3.13) or "Symlink loop" (3.11, 3.12)
        return "symbolic link loop"
    if not is_within(target, folder):
        return "symbolic link points outside the articles folder"
    return None


def iter_article_files(folder: Path, problems: list[ArticleError] | None = None) -> Iterator[Path]:
    """Every article file below ``folder``, in a stable order; hidden names and
    symlinked folders are skipped so a link loop cannot trap the walk, and so
    are file links that lead out of the folder, loop or lead nowhere (each
    added to ``problems`` when given)."""
    folder = Path(folder)
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(ARTICLE_SUFFIX) and not name.startswith("."):
                path = Path(root) / name
                problem = link_problem(path, folder)
                if problem is None:
                    yield path
                elif problems is not None:
                    problems.append(ArticleError(path, problem))


@dataclass(frozen=True, slots=True)
class FileState:
    """What incremental indexing compares: a change in either means re-read."""

    mtime_ns: int
    size: int


def scan(folder: Path, problems: list[ArticleError] | None = None,
         dirs: dict[str, int] | None = None) -> dict[str, FileState]:
    """Map of relative path to FileState for every article file; cheap (stat only).
    File links that ``link_problem`` refuses are left out (and added to
    ``problems`` when given).

    ``os.scandir`` gives each entry's stat without another system call, which
    matters at 20,000 files; the walk skips the same names as
    ``iter_article_files`` and never follows a link to a folder.

    ``dirs``, when given, gets each folder's modification time, taken before
    the folder is listed (reader.index's quick check compares them)."""
    states: dict[str, FileState] = {}
    pending = [(str(folder), "")]
    if dirs is not None:
        try:
            dirs[""] = os.stat(folder).st_mtime_ns
        except OSError:
            pass
    while pending:
        path, prefix = pending.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{name}/"))
                    if dirs is not None:
                        dirs[f"{prefix}{name}/"] = entry.stat(follow_symlinks=False).st_mtime_ns
                elif name.endswith(ARTICLE_SUFFIX):
                    if entry.is_symlink():
                        problem = link_problem(Path(entry.path), Path(folder))
                        if problem is not None:
                            if problems is not None:
                                problems.append(ArticleError(entry.path, problem))
                            continue
                    st = entry.stat()
                    states[prefix + name] = FileState(st.st_mtime_ns, st.st_size)
            except OSError:
                continue
    return states


@dataclass
class Corpus:
    folder: Path
    articles: list[Article]
    errors: list[ArticleError]

    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}


def load_corpus(folder: Path) -> Corpus:
    """Read every article; bad files and duplicate ids become errors, not exceptions."""
    folder = Path(folder)
    articles: list[Article] = []
    errors: list[ArticleError] = []
    seen: dict[str, str] = {}
    for path in iter_article_files(folder, errors):
        try:
            article = load_article(path, folder)
        except ArticleError as exc:
            errors.append(exc)
            continue
        if article.id in seen:
            errors.append(ArticleError(path, f"id {article.id!r} is already used by {seen[article.id]}"))
            continue
        seen[article.id] = article.path
        articles.append(article)
    return Corpus(folder, articles, errors)
