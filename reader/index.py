"""The Whoosh index: schema, where it lives, and keeping it in step with the files.

The index is a cache of the articles folder: it can always be rebuilt from the
files, so every failure to read it (corrupt files, a schema from another
version, a changed entity list) ends in a rebuild with a message, never a
traceback. Updates are incremental: the files' sizes and modification times
are compared with what the index stored, and only new, changed and deleted
articles are written, in one writer.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import platformdirs
from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.writing import CLEAR, LockError

from reader.search.whoosh import fixes  # noqa: F401 - Whoosh's NOT made to skip deleted documents
from reader.search.whoosh.analysis import StemmingAnalyzer
from reader.search.whoosh.bulkwriter import ArticleMpWriter, SubWriterFailed
from reader.corpus import Article, ArticleError, FileState, load_article, scan
from reader.errortext import error_words
from reader.search.whoosh.scoring import CachedBM25F
from reader.entities import DISCOVERED, ENTITY_FIELDS, KIND_FIELDS, Entity, EntityList, load_entity_list
from reader.search.whoosh.readers import segment_readers, term_text

if TYPE_CHECKING:
    from reader.extract import Extraction, Extractor
    from reader.links import Links, NameTally

# The rules of the analysis stored with each article (reader.quotes,
# reader.figures): when they change, every article is read again (the index
# answers meanwhile), not rebuilt from nothing.
ANALYSIS_VERSION = "quotes-2 figures-2"
SCHEMA_VERSION = 11  # 9: a derived title is the whole first sentence; the extraction before links is stored; 10: the tagger's spans are stored; 11: quotations and figures are stored
INDEX_NAME = "articles"
STALE_TEMP_SECONDS = 300.0  # an atomic write of the index's own files takes well under a second
META_FILE = "reader-index.json"
LINKS_FILE = "links.json"  # short discovered names -> their one full name (reader.links)
# What the links are computed from, tallied over the articles (reader.links.NameTally),
# tagged with the index generation it describes.
TALLY_FILE = "names.json"
# Present from a commit until its links are worked out: a process killed in
# between leaves it, and the next update links first.
LINKS_PENDING = "links.pending"
CLAIMS_FILE = "claims.pickle"  # what each discovered name claims (reader.links), kept to save working it out
# The last full check of the folder (reader.index.ArticleIndex.quick_check).
FOLDER_CHECK_FILE = "folder-check.json"
# A reading command trusts a full check this recent, if no folder has
# changed since: new, deleted and renamed files change their folder's time,
# an article edited in place does not, and is seen by the next full check.
FULL_CHECK_SECONDS = float(os.environ.get("READER_CHECK_SECONDS", 10))
CATALOG_FILE = "catalog.json"
# What the article list and the update check need of each article, kept in a
# small file beside the index: reading it is ten times faster than unpickling
# every stored document.
CATALOG_KEYS = ("path", "id", "title", "source", "author", "date_text", "mtime", "size")
WRITER_TIMEOUT = float(os.environ.get("READER_WRITER_TIMEOUT", 60))
MAX_WEIGHT = 10_000  # mentions counted towards an entity's weight in one article
BULK_THRESHOLD = 2000  # articles: above this, indexing uses every core


class IndexProblem(Exception):
    """A one-line, user-facing problem with the index."""


class IndexWriteError(IndexProblem):
    """The index's files cannot be written (a full or failing disk)."""


def build_schema() -> Schema:
    stem = StemmingAnalyzer()  # Whoosh's terms, in one pass
    plain = StandardAnalyzer(stoplist=None)
    # Source, author and entity fields filter rather than rank: a match weighs
    # its term frequency (for an entity, its number of mentions) instead of a
    # BM25 score over field lengths, which spares a length look-up per match
    # and per document indexed.
    source = TEXT(analyzer=plain, stored=True)
    author = TEXT(analyzer=plain, stored=True)
    source.scorable = author.scorable = False

    def entity() -> KEYWORD:
        return KEYWORD(commas=True, lowercase=True, scorable=False)

    # Dates are searched and sorted from the column alone (reader.search.whoosh.datefilter):
    # the eight tiers of numeric terms Whoosh would also index are never read.
    date = DATETIME(sortable=True)
    date.indexed = False
    return Schema(
        path=ID(unique=True, stored=True),
        id=ID(stored=True),
        title=TEXT(analyzer=stem, stored=True, field_boost=2.0),
        body=TEXT(analyzer=stem, phrase=True),
        source=source,
        author=author,
        date=date,
        date_text=STORED(),
        # Only compared with the files, never searched: stored, not indexed.
        mtime=STORED(),
        size=STORED(),
        entity=entity(),
        person=entity(),
        company=entity(),
        org=entity(),
        place=entity(),
        product=entity(),
        event=entity(),
        # id -> [count, first start, first end]; discovered id -> [name, kind, evidence]
        entities=STORED(),
        discovered=STORED(),
        # short forms given to a full name of another article: id -> [name, kind];
        # their ids are also indexed, to find the articles to read again when a
        # link goes
        linked=STORED(),
        shortform=entity(),
        # the extraction before those links, when they changed it:
        # {"entities": ..., "discovered": ...} as above
        unlinked=STORED(),
        # the tagger's spans of the title and body (reader.tagger.base.pack_spans):
        # an article read again because the entity list changed is not tagged again
        tagged=STORED(),
        # the body's quotations (reader.quotes.Quote.pack), their speakers as the
        # article names them: the corpus's links are applied when they are read
        quotes=STORED(),
        # the body's figures (reader.figures.Claim.pack), always present (an
        # empty list for none): the figures across articles read them here
        claims=STORED(),
    )


def default_index_dir(articles: Path) -> Path:
    """A cache folder per articles folder, so the articles folder may be read-only."""
    key = hashlib.sha256(str(Path(articles).resolve()).encode()).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("reader")) / "indexes" / key


def parse_date(text: str) -> _dt.datetime | None:
    if not text:
        return None
    try:
        if len(text) == 10:
            return _dt.datetime.combine(_dt.date.fromisoformat(text), _dt.time())
        value = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value


def catalog_row(article: Article, state: FileState) -> dict[str, Any]:
    """What the catalog keeps of an article (CATALOG_KEYS); also stored in its document."""
    return {
        "path": article.path,
        "id": article.id,
        "title": article.display_title,
        "source": article.source,
        "author": article.author,
        "date_text": article.date,
        "mtime": state.mtime_ns,
        "size": state.size,
    }


def extracted_document(extractor: Extractor, article: Article, state: FileState,
                       tagged: str | None = None) -> dict[str, Any]:
    """Extract an article's entities and build its document (in a sub-writer,
    for bulk builds). ``tagged``: the tagger's spans its document stored, when
    the file has not changed since."""
    from reader.links import apply_links  # with the discovery rules: not at the reader's start
    from reader.figures import extract_claims
    from reader.quotes import article_mentions, find_quotes
    from reader.tagger.base import pack_spans, unpack_spans

    spans = unpack_spans(tagged) if tagged is not None else None
    raw = extractor.extract(article.body, article.id, article.title, linked=False, tagged=spans)
    found = apply_links(raw, extractor.links) if extractor.links else raw
    doc = document(article, state, found, extractor)
    quotes = find_quotes(article.body, article_mentions(raw, extractor.entity_list))
    if quotes:
        doc["quotes"] = [q.pack() for q in quotes]
    doc["claims"] = [c.pack() for c in extract_claims(article.id, article.body)]
    if raw.tagged is not None:
        doc["tagged"] = pack_spans(raw.tagged)
    if found is not raw:
        # What the article says before the corpus's links: when they change,
        # the document is rewritten from this without reading the article again.
        doc["unlinked"] = {"entities": {k: list(v) for k, v in raw.counts().items()},
                           "discovered": _stored_discovered(raw.discovered)}
    return doc


def document(article: Article, state: FileState, extraction: Extraction, extractor: Extractor) -> dict[str, Any]:
    """The Whoosh document of one article."""
    return parts_document(article, state, extraction.counts(), extraction.discovered, extraction.linked,
                          extractor.entity_list)


def parts_document(
    article: Article,
    state: FileState,
    counts: dict[str, tuple[int, int, int]],
    discovered: dict[str, Entity],
    linked: dict[str, tuple[str, str]],
    entity_list: EntityList,
) -> dict[str, Any]:
    """The Whoosh document of an article from what extraction found: each
    entity's count and first mention (``Extraction.counts``, in the order of
    first mention), the discovered entities and the linked short forms."""
    per_field: dict[str, list[str]] = {name: [] for name in ENTITY_FIELDS}
    for entity_id, (count, _start, _end) in counts.items():
        entity = entity_list.get(entity_id) or discovered.get(entity_id)
        kind = entity.kind if entity else ""
        # The id once per mention: an entity query ranks articles by how often
        # they name the entity (the term's frequency is its weight).
        mentions = [entity_id] * min(count, MAX_WEIGHT)
        per_field["entity"] += mentions
        if kind in KIND_FIELDS:
            per_field[KIND_FIELDS[kind]] += mentions
    doc: dict[str, Any] = catalog_row(article, state)
    doc["body"] = article.body
    doc["entities"] = {k: list(v) for k, v in counts.items()}
    doc["discovered"] = _stored_discovered(discovered)
    if linked:
        doc["linked"] = {k: list(v) for k, v in linked.items()}
        doc["shortform"] = ",".join(linked)
    date = parse_date(article.date)
    if date is not None:
        doc["date"] = date
    for name, ids in per_field.items():
        if ids:
            doc[name] = ",".join(ids)
    return doc


def _stored_discovered(discovered: dict[str, Entity]) -> dict[str, list[str]]:
    return {k: [e.name, e.kind, e.evidence] for k, e in discovered.items()}


def _delete_paths(writer: Any, paths: Iterable[str]) -> int:
    """Delete the indexed documents of ``paths``; returns how many went.

    One reader serves every path, and each path is one term look-up in it:
    Whoosh's ``delete_by_term`` opens a searcher per call and
    ``delete_by_query`` builds and runs a query, which made an update cost
    seconds per hundred articles. A path the index does not hold costs only
    its look-up, and no other document is touched."""
    paths = list(paths)
    if not paths:
        return 0
    deleted = 0
    reader = writer.reader()
    try:
        for path in paths:
            if ("path", path) not in reader:
                continue
            for docnum in reader.postings("path", path).all_ids():
                if not reader.is_deleted(docnum):
                    writer.delete_document(docnum)
                    deleted += 1
    finally:
        reader.close()
    return deleted


@dataclass
class UpdateReport:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    reason: str = ""  # why a rebuild happened
    relinked: int = 0  # articles read again because a short form's full name changed
    quick: bool = False  # a recent full check answered: the files were not looked at
    errors: list[ArticleError] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.deleted

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "seconds": round(self.seconds, 3),
            "rebuilt": self.rebuilt,
            "reason": self.reason,
            "relinked": self.relinked,
            "errors": [{"path": e.path, "reason": e.reason} for e in self.errors],
            "messages": self.messages,
        }


ProgressFn = Callable[[int, int], None]  # (done, total)



class ArticleIndex:
    """The index of one articles folder, with one shared searcher.

    Whoosh searchers are not thread-safe, so every use of the searcher goes
    through ``searching()``, which holds a lock; the searcher is opened once
    and refreshed after commits (ours or another process's).
    """

    def __init__(
        self,
        articles: Path,
        index_dir: Path | None = None,
        entity_list: EntityList | None = None,
    ) -> None:
        self.articles = Path(articles).resolve()
        self.index_dir = Path(index_dir) if index_dir else default_index_dir(self.articles)
        self.entity_list = entity_list if entity_list is not None else load_entity_list(self.articles)
        self._extractor: Extractor | None = None
        self.tagger: str | None = None  # the tagger setting; None: READER_TAGGER or the default
        # Articles to read again at the next update whatever their files say:
        # those a curating step touched (see ``articles_naming``).
        self.pending: set[str] = set()
        self._links: Links | None = None  # read from LINKS_FILE on first use
        self._tally: tuple[int, NameTally] | None = None  # (generation, tally); see TALLY_FILE
        self.schema = build_schema()
        self.weighting = CachedBM25F()  # keeps this index's field lengths (reader.search.whoosh.scoring)
        self.messages: list[str] = []
        self.in_memory = False
        self._ix: Any = None
        self._searcher: Any = None
        self._lock = threading.RLock()
        self._stored_cache: tuple[Any, list[dict[str, Any]]] | None = None

    @property
    def tagger_signature(self) -> str:
        from reader.tagger import signature

        return signature(self.tagger)

    @property
    def extractor(self) -> Extractor:
        """Built on first use: an update that finds nothing changed never needs it."""
        if self._extractor is None:
            from reader.extract import Extractor

            self._extractor = Extractor(self.entity_list, tagger=self.tagger)
            self._extractor.links = self.links
        return self._extractor

    @extractor.setter
    def extractor(self, value: Extractor) -> None:
        value.links = self.links
        self._extractor = value

    # --- one entity per name across the corpus (reader.links) -------------------------

    @property
    def links(self) -> "Links":
        if self._links is None:
            try:
                data = json.loads((self.index_dir / LINKS_FILE).read_text("utf-8"))
                self._links = {k: (v[0], v[1], v[2]) for k, v in data.items()}
            except (OSError, ValueError, TypeError, IndexError, AttributeError):
                self._links = {}
        return self._links

    def _links_pending(self, pending: bool) -> None:
        """Set or clear the mark that this index's links are not worked out yet."""
        if self.in_memory:
            return
        mark = self.index_dir / LINKS_PENDING
        try:
            mark.touch() if pending else mark.unlink(missing_ok=True)
        except OSError:
            pass  # without the mark, only a kill before the links goes unnoticed

    def _relink(self, report: "UpdateReport", progress: "ProgressFn | None") -> None:
        """Link the corpus's short forms to their one full name anew, and read
        again the articles whose links changed."""
        try:
            self._relink_articles(report, progress)
        finally:
            self._write_kept_catalog()
        self._links_pending(False)

    def _relink_articles(self, report: "UpdateReport", progress: "ProgressFn | None") -> None:
        new, changed = self._take_links(self._current_tally())
        if not changed:
            return
        self._write_links(new, report)
        # The articles that name a short form whose link came (its own id is
        # in their entity fields) or went (it is in their short forms). They
        # are read once: what they say then does not change the links.
        touched = self.articles_naming((), changed, fields=("entity", "shortform"))
        if touched:
            stale = self._rewrite_links(touched, report)
            if stale:
                self.pending |= stale
                # In one process: a child would not know what is pending.
                again = self.update(progress=progress, procs=None if threading.active_count() == 1 else 1,
                                    relink=False)
                report.relinked += again.changed + again.relinked

    def _write_links(self, links: "Links", report: "UpdateReport") -> None:
        if self.in_memory:
            return
        from reader.fsutil import atomic_write_text

        try:
            atomic_write_text(self.index_dir / LINKS_FILE, json.dumps({k: list(v) for k, v in links.items()}))
        except OSError as exc:
            report.messages.append(f"could not record the links between names: {exc.strerror}")

    def _current_tally(self) -> "NameTally":
        """The tally of the index as it is now: kept, read from TALLY_FILE, or
        counted from every stored document when neither describes this
        generation (another process committed, or an index of an older version)."""
        from reader.links import NameTally

        generation = self.ix.latest_generation()
        tally = self._tally_of(generation)
        if tally is None:
            tally = NameTally()
            with self.searching() as searcher:
                for fields in searcher.all_stored_fields():
                    tally.add(fields)
            self._keep_tally(generation, tally)
        return tally

    def _tally_of(self, generation: int) -> "NameTally | None":
        from reader.links import NameTally

        if self._tally is not None and self._tally[0] == generation:
            return self._tally[1]
        if self.in_memory:
            return None
        try:
            data = json.loads((self.index_dir / TALLY_FILE).read_text("utf-8"))
            if data.get("generation") != generation:
                return None
            tally = NameTally.from_json(data["rows"])
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None
        self._tally = (generation, tally)
        return tally

    def _keep_tally(self, generation: int, tally: "NameTally") -> None:
        self._tally = (generation, tally)
        if self.in_memory:
            return
        from reader.fsutil import atomic_write_text

        try:
            atomic_write_text(self.index_dir / TALLY_FILE,
                              json.dumps({"generation": generation, "rows": tally.to_json()}, ensure_ascii=False))
        except OSError:
            pass  # only a cache: the next update counts it again

    def stored_spans(self, article: Article) -> list[Any] | None:
        """The tagger's spans the index stored for this article, if its file
        is still the one indexed (same modification time and size): the same
        text gets the same tags, so reading an article need not run the
        tagger again. None otherwise."""
        if not article.path:
            return None
        try:
            st = os.stat(self.articles / article.path)
            with self.searching() as searcher:
                docnum = searcher.document_number(path=article.path)
                stored = searcher.stored_fields(docnum) if docnum is not None else None
        except (OSError, ValueError):
            return None
        if stored is None or stored.get("tagged") is None or stored.get("id") != article.id or \
                (stored.get("mtime"), stored.get("size")) != (st.st_mtime_ns, st.st_size):
            return None
        from reader.tagger.base import unpack_spans

        return unpack_spans(stored["tagged"])

    def _fields_of(self, paths: Iterable[str]) -> list[dict[str, Any]]:
        """The stored fields of the indexed documents of ``paths``."""
        out = []
        with self.searching() as searcher:
            for path in paths:
                docnum = searcher.document_number(path=path)
                if docnum is not None:
                    out.append(searcher.stored_fields(docnum))
        return out

    def _stored_parts(self, paths: Iterable[str]) -> tuple[list[tuple[dict[str, Any], Article, FileState]], set[str]]:
        """For each path, its stored fields, the article and its file state,
        where the file is still the one indexed; and the paths that must be
        read in full instead (a file that changed since it was indexed, or a
        document of an older layout)."""
        stale: set[str] = set()
        parts: list[tuple[dict[str, Any], Article, FileState]] = []
        with self.searching() as searcher:
            for path in sorted(paths):
                docnum = searcher.document_number(path=path)
                stored = searcher.stored_fields(docnum) if docnum is not None else None
                try:
                    st = os.stat(self.articles / path)
                    state = FileState(st.st_mtime_ns, st.st_size)
                    article = load_article(self.articles / path, self.articles)
                except (OSError, ArticleError):
                    stale.add(path)
                    continue
                if stored is None or (stored.get("mtime"), stored.get("size")) != (state.mtime_ns, state.size):
                    stale.add(path)
                    continue
                parts.append((stored, article, state))
        return parts, stale

    def _relinked_document(self, stored: dict[str, Any], article: Article, state: FileState,
                           links: "Links") -> dict[str, Any]:
        """An article's document with ``links`` applied to what its extraction
        found before any link (its ``unlinked`` part, else its entities): the
        body is not read for entities again."""
        from reader.links import link_counts

        raw = stored.get("unlinked") or {"entities": stored.get("entities") or {},
                                         "discovered": stored.get("discovered") or {}}
        counts = {k: (v[0], v[1], v[2]) for k, v in raw["entities"].items()}
        discovered = {
            k: Entity(id=k, name=v[0], kind=v[1], status=DISCOVERED, evidence=v[2], article=article.id)
            for k, v in raw["discovered"].items()
        }
        counts, discovered, linked = link_counts(counts, discovered, links)
        doc = parts_document(article, state, counts, discovered, linked, self.entity_list)
        for kept in ("tagged", "quotes", "claims"):
            if stored.get(kept) is not None:
                doc[kept] = stored[kept]
        if linked:
            doc["unlinked"] = raw
        return doc

    def _rewrite_links(self, paths: set[str], report: "UpdateReport") -> set[str]:
        """Rewrite the documents of ``paths`` with the current links, from what
        each stored of its extraction: only the body is read again, not the
        entities (the tagger costs several times the indexing). Returns the
        paths that must be read in full: a file that changed since it was
        indexed, or a document of an older layout."""
        parts, stale = self._stored_parts(paths)
        if not parts:
            return stale
        rows = self.stored()  # the files are the same: so is the catalog
        writer = self._writer(None, 1)
        tally = self._tally_of(writer.generation - 1)
        try:
            _delete_paths(writer, [article.path for _, article, _ in parts])
            for stored, article, state in parts:
                doc = self._relinked_document(stored, article, state, self.links)
                writer.add_document(**doc)
                if tally is not None:
                    tally.add(stored, -1)
                    tally.add(doc)
            generation = writer.generation
            writer.commit()
        except OSError as exc:
            writer.cancel()
            raise IndexProblem(f"cannot write the index in {self.index_dir}: {exc.strerror or exc}") from None
        except BaseException:
            writer.cancel()
            raise
        report.relinked += len(parts)
        self._committed(rows, write=False)
        if tally is not None:
            self._keep_tally(generation, tally)
        return stale

    def _new_links(self, tally: "NameTally") -> "Links":
        """The links the tally gives, with what each name claims kept beside
        the index (working it out for Reuters' 34,000 names costs a new
        process 0.3 s)."""
        from reader.links import claims_count, links_of, load_claims, save_claims

        claims_file = None if self.in_memory else self.index_dir / CLAIMS_FILE
        before = -1
        if claims_file is not None:
            load_claims(claims_file)
            before = claims_count()
        new = links_of(tally.entries(), self.entity_list)
        if claims_file is not None and claims_count() != before:
            save_claims(claims_file)
        return new

    def _take_links(self, tally: "NameTally") -> tuple["Links", set[str]]:
        """The links the tally gives, now this index's and its extractor's
        (in memory; the caller records them), and the short forms whose link
        came, went or moved (empty when nothing changed)."""
        new = self._new_links(tally)
        old = self.links
        changed = {k for k in set(new) | set(old) if new.get(k) != old.get(k)}
        if changed:
            self._links = new
            if self._extractor is not None:
                self._extractor.links = new
        return new, changed

    def _link_in_writer(self, writer: Any, batch: list[tuple[dict[str, Any], Article, FileState]],
                        tally: "NameTally", leaving: set[str], report: "UpdateReport"
                        ) -> tuple["Links | None", set[str]]:
        """Before an update's commit: the links its documents give, applied to
        them and to the other articles that name a short form whose link
        changed, all in the same writer, so that an update commits once.
        ``batch`` gets the rewritten documents. Returns the new links (None
        when they did not change) and the articles to read in full at the
        next update (a file changed since its document was written, after
        this update looked at the folder)."""
        new, changed = self._take_links(tally)
        if not changed:
            return None, set()
        batch[:] = [(self._relinked_document(doc, article, state, new), article, state) for doc, article, state in batch]
        written = {article.path for _doc, article, _state in batch}
        touched = self.articles_naming((), changed, fields=("entity", "shortform")) - written - leaving
        parts, stale = self._stored_parts(touched)
        _delete_paths(writer, [article.path for _stored, article, _state in parts])
        for stored, article, state in parts:
            doc = self._relinked_document(stored, article, state, new)
            tally.add(stored, -1)
            tally.add(doc)
            batch.append((doc, article, state))
        report.relinked += len(parts)
        return new, stale

    # --- opening --------------------------------------------------------------

    def _meta(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "entities": self.entity_list.fingerprint,
            "tagger": self.tagger_signature,
            "analysis": ANALYSIS_VERSION,
            "articles": str(self.articles),
        }

    def _read_meta(self) -> dict[str, Any]:
        try:
            return json.loads((self.index_dir / META_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            return {}

    def _write_meta(self) -> None:
        if self.in_memory:
            return
        from reader.fsutil import atomic_write_text

        try:
            atomic_write_text(self.index_dir / META_FILE, json.dumps(self._meta()))
        except OSError as exc:
            self.messages.append(f"could not record the index version: {exc.strerror}")

    def _writable_dir(self) -> bool:
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        return os.access(self.index_dir, os.W_OK)

    def _create(self) -> Any:
        """A new empty index on disk, or in memory when the cache cannot be written."""
        if self._writable_dir():
            try:
                storage = FileStorage(str(self.index_dir))
                lock_name = f"{INDEX_NAME}_WRITELOCK"
                lock = storage.lock(lock_name)
                if not lock.acquire(blocking=False):
                    # Another process is writing here (building this very index, most
                    # likely): deleting its files under it would wreck both builds.
                    raise IndexProblem(
                        f"another reader process is building the index in {self.index_dir}; "
                        "try again when it finishes"
                    )
                try:
                    for entry in self.index_dir.iterdir():  # old segments of a corrupt index
                        if entry.name == lock_name:
                            continue
                        if entry.name.startswith(("_", INDEX_NAME, "MAIN", META_FILE)) or entry.suffix in (
                            ".seg", ".toc", ".pst", ".trm", ".fvz", ".vps", ".dci", ".dcz", ".pos"
                        ):
                            if entry.is_dir():
                                shutil.rmtree(entry, ignore_errors=True)
                            else:
                                entry.unlink(missing_ok=True)
                    ix = storage.create_index(self.schema, indexname=INDEX_NAME)
                finally:
                    lock.release()
                return ix
            except OSError as exc:
                self.messages.append(f"cannot write the index in {self.index_dir} ({exc.strerror}); using a temporary index in memory")
        else:
            self.messages.append(f"the index folder {self.index_dir} is not writable; using a temporary index in memory")
        self.in_memory = True
        return RamStorage().create_index(self.schema, indexname=INDEX_NAME)

    def open(self) -> "ArticleIndex":
        """Open the index, creating it or discarding a broken one as needed.
        Returns self; ``needs_rebuild`` says whether the content must be rebuilt."""
        with self._lock:
            if self._ix is not None:
                return self
            self.needs_rebuild = ""
            exists = False
            try:
                exists = whoosh_index.exists_in(str(self.index_dir), indexname=INDEX_NAME)
            except Exception:  # unreadable folder: treated as missing
                exists = False
            if exists:
                meta = self._read_meta()
                try:
                    ix = whoosh_index.open_dir(str(self.index_dir), indexname=INDEX_NAME)
                    ix.schema  # touch the table of contents
                    reader = ix.reader()
                    reader.doc_count()
                    reader.close()
                except Exception as exc:  # corrupt in any of a dozen ways: rebuild
                    self.messages.append(f"the index in {self.index_dir} could not be read "
                                         f"({error_words(exc, 'damaged or incomplete')}); rebuilding it")
                    self.needs_rebuild = "corrupt"
                    self._ix = self._create()
                    return self
                if meta.get("schema") != SCHEMA_VERSION or set(ix.schema.names()) != set(self.schema.names()):
                    self.needs_rebuild = "schema"
                    self.messages.append(
                        "the index was made by another version of reader; rebuilding it" if meta else
                        f"the index in {self.index_dir} was not finished (an interrupted build?); rebuilding it"
                    )
                    self._ix = self._create()
                    return self
                if meta.get("entities") != self.entity_list.fingerprint or meta.get("tagger") != self.tagger_signature:
                    self.needs_rebuild = "entities"
                    self._ix = ix
                    return self
                if meta.get("analysis") != ANALYSIS_VERSION:
                    self.needs_rebuild = "analysis"
                    self._ix = ix
                    return self
                self._ix = ix
                return self
            # No readable table of contents. When an index was made here before
            # (its version file or segments remain), it is broken, not new: say so.
            if self._read_meta() or any(self.index_dir.glob(f"*{INDEX_NAME}*")):
                self.messages.append(f"the index in {self.index_dir} could not be read; rebuilding it")
                self.needs_rebuild = "corrupt"
            else:
                self.needs_rebuild = "new"
            self._ix = self._create()
            return self

    @property
    def ix(self) -> Any:
        if self._ix is None:
            self.open()
        return self._ix

    @contextmanager
    def searching(self) -> Iterator[Any]:
        """The shared searcher, brought up to date, used under the lock."""
        with self._lock:
            if self._searcher is None:
                self._searcher = self.ix.searcher(weighting=self.weighting)
            else:
                try:
                    if not self._searcher.up_to_date():
                        self._searcher = self._searcher.refresh()
                except Exception:
                    self._searcher = self.ix.searcher(weighting=self.weighting)
            yield self._searcher

    def warm(self) -> None:
        """Ready what the first search would otherwise prepare while the user
        waits: the searcher, and the BM25 length parts of the scored fields
        (reader.search.whoosh.scoring). For a quiet moment after start or an update."""
        fields = tuple(name for name, f in self.schema.items() if f.scorable)
        with self.searching() as searcher:
            segments = len(searcher.leaf_searchers())
        # A segment and a field at a time, so that a search waits for one piece
        # at most (the shared searcher is used under the lock).
        for number in range(segments):
            for fieldname in fields:
                with self.searching() as searcher:
                    if number < len(searcher.leaf_searchers()):
                        self.weighting.warm(searcher, (fieldname,), segment=number)

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._ix = None

    # --- what is indexed --------------------------------------------------------

    def articles_naming(
        self, names: Iterable[str], entity_ids: Iterable[str] = (), fields: tuple[str, ...] = ("entity",)
    ) -> set[str]:
        """Paths of the indexed articles whose title or body has one of
        ``names`` as words, or that mention one of ``entity_ids``: the articles
        a curating step about those names can change. The words are compared
        stemmed, so this finds a few more articles than it must, never fewer."""
        from whoosh.query import Or, Phrase, Term

        clauses: list[Any] = []
        for name in names:
            for field in ("title", "body"):
                words = [t.text for t in self.schema[field].analyzer(name)]
                if len(words) == 1:
                    clauses.append(Term(field, words[0]))
                elif words:
                    clauses.append(Phrase(field, words))
        clauses += [Term(field, entity_id.lower()) for entity_id in entity_ids for field in fields]
        if not clauses:
            return set()
        with self.searching() as searcher:
            reader = searcher.reader()
            return {
                searcher.stored_fields(docnum)["path"]
                for docnum in searcher.docs_for_query(Or(clauses))
                if not reader.is_deleted(docnum)
            }

    def stored(self) -> list[dict[str, Any]]:
        """The catalog: for every indexed article, the fields in CATALOG_KEYS.

        The article list and the update check both need it, so it is kept in
        memory until the index changes, and on disk (``catalog.json``, tagged
        with the index generation it describes) so that a new process need not
        unpickle every stored document. A catalog of another generation (another
        process committed since) is rebuilt from the stored fields."""
        with self.searching() as searcher:
            generation = self.ix.latest_generation()
            if self._stored_cache is not None and self._stored_cache[0] == generation:
                return self._stored_cache[1]
            rows = self._read_catalog(generation)
            if rows is None:
                rows = [
                    {k: f.get(k, "") for k in CATALOG_KEYS}
                    for f in searcher.reader().all_stored_fields()
                ]
                self._write_catalog(generation, rows)
            self._stored_cache = (generation, rows)
            return rows

    def _read_catalog(self, generation: int) -> list[dict[str, Any]] | None:
        if self.in_memory:
            return None
        try:
            data = json.loads((self.index_dir / CATALOG_FILE).read_text("utf-8"))
            if data.get("generation") != generation or data.get("keys") != list(CATALOG_KEYS):
                return None
            return [dict(zip(CATALOG_KEYS, row)) for row in data["rows"]]
        except (OSError, ValueError, TypeError, AttributeError, KeyError):
            return None

    def _write_catalog(self, generation: int, rows: list[dict[str, Any]]) -> None:
        if self.in_memory:
            return
        from reader.fsutil import atomic_write_text

        data = {"generation": generation, "keys": list(CATALOG_KEYS),
                "rows": [[r.get(k, "") for k in CATALOG_KEYS] for r in rows]}
        try:
            atomic_write_text(self.index_dir / CATALOG_FILE, json.dumps(data, ensure_ascii=False))
        except OSError:
            pass  # only a cache: the next reader rebuilds it

    def doc_count(self) -> int:
        with self.searching() as searcher:
            return searcher.doc_count()

    # --- updating ---------------------------------------------------------------

    def update(
        self,
        *,
        rebuild: bool = False,
        progress: ProgressFn | None = None,
        procs: int | None = None,
        timeout: float | None = None,
        relink: bool = True,
        quick: bool = False,
    ) -> UpdateReport:
        """Bring the index in line with the files. Raises IndexProblem when another
        writer holds the lock longer than ``timeout`` seconds, or when the
        articles folder is not there.

        ``quick`` (reading commands): when a full check found the index up to
        date less than FULL_CHECK_SECONDS ago, in this process or another,
        and no folder's time has changed since, the files are not looked at."""
        started = time.perf_counter()
        if not self.articles.is_dir():
            # A folder moved away or an unmounted drive reads as empty: that must
            # not delete every article from the index.
            raise IndexProblem(f"the articles folder {self.articles} is not there (moved or unmounted?); "
                               "the index is left as it was")
        self.open()
        report = UpdateReport()
        report.messages.extend(self.messages)
        self.messages.clear()
        reason = "requested" if rebuild else getattr(self, "needs_rebuild", "")
        if reason == "entities":
            report.messages.append("the entity list changed; re-indexing every article")
        elif reason == "analysis":
            report.messages.append("quotations and figures are read by new rules; re-indexing every article")
        if quick and not reason and not self.pending and self._recent_check_holds():
            report.quick = True
            report.seconds = time.perf_counter() - started
            return report
        check_started = time.time()
        dirs: dict[str, int] = {}
        files = scan(self.articles, report.errors, dirs)  # links out of the folder, loops and dangling links
        catalog: dict[str, dict[str, Any]] = {}
        if reason:
            indexed: dict[str, tuple[int, int]] = {}
            report.rebuilt = True
            report.reason = reason
        else:
            catalog = {f["path"]: f for f in self.stored()}
            indexed = {path: (f.get("mtime", 0), f.get("size", 0)) for path, f in catalog.items()}
        to_write = [
            rel for rel, st in files.items() if indexed.get(rel) != (st.mtime_ns, st.size) or rel in self.pending
        ]
        to_delete = [rel for rel in indexed if rel not in files]
        report.unchanged = len(files) - len(to_write)
        if not to_write and not to_delete and not reason:
            # Curating that touched no article: the list still changed.
            if self.pending or self._read_meta().get("entities") != self.entity_list.fingerprint:
                self.pending = set()
                self._write_meta()
            if relink and not self.in_memory and (self.index_dir / LINKS_PENDING).exists():
                self._relink(report, progress)  # an earlier process stopped before linking
            if not report.errors:
                self._note_check(check_started, dirs)
            report.seconds = time.perf_counter() - started
            return report
        bulk = len(to_write) >= BULK_THRESHOLD
        if bulk and procs is None and not self.in_memory and threading.active_count() > 1:
            # Whoosh indexes on several cores by forking, which is unsafe in a
            # process that runs threads (the reader's UI): a child process does
            # the bulk work instead, and this one reads its result.
            return self._update_in_subprocess(bool(reason), progress, timeout, started)
        if procs is None:
            procs = min(2, os.cpu_count() or 1) if bulk else 1
        try:
            writer = self._writer(timeout, procs if not self.in_memory else 1)
        except IndexWriteError as exc:
            if self._incomplete(reason):
                return self._update_in_memory(str(exc), progress, relink, started)
            raise
        generation = writer.generation
        # The links' tally follows the articles that change; a rebuild counts it anew.
        tally = None if reason else self._tally_of(generation - 1)
        # One writer, one process: the documents are kept until the links they
        # give are worked out and applied (to them and to the articles a changed
        # link renames), and the update commits once. A bulk build, a rebuild
        # or a tally to count anew links after its commit.
        one_pass = relink and tally is not None and not isinstance(writer, ArticleMpWriter)
        batch: list[tuple[dict[str, Any], Article, FileState]] = []
        new_links: Links | None = None
        relink_stale: set[str] = set()
        try:
            for rel in to_delete:
                catalog.pop(rel, None)
                report.deleted += 1
            # Every indexed version that goes, deleted in one pass: Whoosh's
            # delete_by_term (and update_document) opens a searcher per call,
            # which made re-reading 200 articles cost 15 s.
            replaced = [rel for rel in to_write if rel in indexed]
            # The tagger's spans of the files read again only because the
            # entity list changed: the same text gets the same tags.
            tags: dict[str, str] = {}
            if not reason and (to_delete or replaced):
                for fields in self._fields_of(to_delete + replaced):
                    if tally is not None:
                        tally.add(fields, -1)
                    rel = fields.get("path")
                    if fields.get("tagged") is not None and rel in files and \
                            (fields.get("mtime"), fields.get("size")) == (files[rel].mtime_ns, files[rel].size):
                        tags[rel] = fields["tagged"]
                _delete_paths(writer, to_delete + replaced)
            seen_ids: dict[str, str] = {}
            if not reason:
                # Ids of the articles that stay as they are; a file being deleted
                # in this update (an article moved or renamed) no longer owns its id.
                leaving = set(to_write) | set(to_delete)
                seen_ids = {f["id"]: f["path"] for f in self.stored() if f["path"] not in leaving}
            for done, rel in enumerate(sorted(to_write), start=1):
                if progress and (done % 200 == 0 or done == len(to_write)):
                    progress(done, len(to_write))
                path = self.articles / rel
                try:
                    article = load_article(path, self.articles)
                except ArticleError as exc:
                    report.errors.append(exc)
                    if rel in indexed:  # its old version was deleted above
                        catalog.pop(rel, None)
                        report.deleted += 1
                    continue
                owner = seen_ids.get(article.id)
                if owner is not None and owner != rel:
                    report.errors.append(ArticleError(path, f"id {article.id!r} is already used by {owner}"))
                    if rel in indexed:
                        catalog.pop(rel, None)
                    continue
                seen_ids[article.id] = rel
                if isinstance(writer, ArticleMpWriter):
                    writer.add_article(article, files[rel])
                elif one_pass:
                    batch.append((extracted_document(self.extractor, article, files[rel], tags.get(rel)), article,
                                  files[rel]))
                else:
                    writer.add_document(**extracted_document(self.extractor, article, files[rel], tags.get(rel)))
                catalog[rel] = catalog_row(article, files[rel])
                if rel in indexed:
                    report.updated += 1
                else:
                    report.added += 1
            if one_pass:
                assert tally is not None
                for doc, _article, _state in batch:
                    tally.add(doc)
                new_links, relink_stale = self._link_in_writer(writer, batch, tally, set(to_delete), report)
                for doc, _article, _state in batch:
                    writer.add_document(**doc)
                if new_links is not None:
                    self._links_pending(True)  # until the links file says what the documents say
            writer.commit(**({"mergetype": CLEAR} if reason else {}))
        except OSError as exc:  # a full or failing disk: the last commit is still intact
            _cancel_quietly(writer)
            problem = f"cannot write the index in {self.index_dir}: {exc.strerror or exc}"
            if self._incomplete(reason):
                return self._update_in_memory(problem, progress, relink, started)
            raise IndexProblem(problem) from None
        except SubWriterFailed as exc:  # the last commit is still intact
            _cancel_quietly(writer)
            problem = f"cannot update the index in {self.index_dir}: {exc}"
            if self._incomplete(reason):
                return self._update_in_memory(problem, progress, relink, started)
            raise IndexProblem(problem) from None
        except BaseException:
            writer.cancel()
            if one_pass:
                self._links = None  # read again from the links file, which still holds the old ones
                if self._extractor is not None:
                    self._extractor.links = self.links
            raise
        self.needs_rebuild = ""
        self.pending = relink_stale
        self._write_meta()
        if one_pass:
            if new_links is not None:
                self._write_links(new_links, report)
                self._links_pending(False)
            self._committed(list(catalog.values()))
            assert tally is not None
            self._keep_tally(generation, tally)
        else:
            # With links to work out, the catalog file waits for their commit.
            self._committed(list(catalog.values()), write=not relink)
            if tally is not None:
                for fields in self._fields_of(rel for rel in to_write if rel in catalog):
                    tally.add(fields)
                self._keep_tally(generation, tally)
            if relink:
                self._links_pending(True)
                self._relink(report, progress)
        if not report.errors:
            self._note_check(check_started, dirs)  # what it read is what the folder held
        report.seconds = time.perf_counter() - started
        return report

    def _recent_check_holds(self) -> bool:
        """Whether the last full check still answers: made on this index
        generation less than FULL_CHECK_SECONDS ago, with every folder's
        modification time as it was then (a folder gone, or new, changes
        its parent's)."""
        if self.in_memory or FULL_CHECK_SECONDS <= 0 or (self.index_dir / LINKS_PENDING).exists():
            return False
        try:
            data = json.loads((self.index_dir / FOLDER_CHECK_FILE).read_text("utf-8"))
            if data.get("generation") != self.ix.latest_generation() or \
                    data.get("folder") != str(self.articles.resolve()):
                return False
            if not 0 <= time.time() - float(data["checked"]) < FULL_CHECK_SECONDS:
                return False
            dirs = data["dirs"]
            if not isinstance(dirs, dict) or "" not in dirs:
                return False
            for rel, mtime in dirs.items():
                if os.stat(self.articles / rel if rel else self.articles).st_mtime_ns != mtime:
                    return False
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return False
        return True

    def _note_check(self, started: float, dirs: dict[str, int]) -> None:
        """Keep what a full check that found nothing to do saw, for the
        quick checks of the next few seconds."""
        if self.in_memory or not dirs:
            return
        data = {"generation": self.ix.latest_generation(), "folder": str(self.articles.resolve()),
                "checked": started, "dirs": dirs}
        # Renamed into place, not synced: a torn or lost file only costs the
        # next command a full check.
        tmp = self.index_dir / f".{FOLDER_CHECK_FILE}.{os.getpid()}.tmp"
        try:
            tmp.write_text(json.dumps(data), "utf-8")
            os.replace(tmp, self.index_dir / FOLDER_CHECK_FILE)
        except OSError:
            tmp.unlink(missing_ok=True)

    def _incomplete(self, reason: str) -> bool:
        """Whether the index on disk cannot answer for the files when an
        update for ``reason`` fails: it was never built, was cleared as
        broken or of another version, or follows another entity list. (A
        requested rebuild that fails leaves the last complete index.)"""
        return not self.in_memory and reason not in ("", "requested")

    def _update_in_memory(
        self, problem: str, progress: ProgressFn | None, relink: bool, started: float
    ) -> UpdateReport:
        """Index every article in memory after the cache could not be written:
        answers then come from all the files, never from an empty or stale
        index, and the message says why."""
        with self._lock:
            if self._searcher is not None:
                try:
                    self._searcher.close()
                except Exception:
                    pass
                self._searcher = None
            self._ix = RamStorage().create_index(self.schema, indexname=INDEX_NAME)
            self.in_memory = True
            self._stored_cache = None
            self._links = None
            self._tally = None
            self.needs_rebuild = "new"
        self.messages.append(f"{problem}; using a temporary index in memory")
        report = self.update(progress=progress, relink=relink)
        report.seconds = time.perf_counter() - started
        return report

    def _committed(self, rows: list[dict[str, Any]], write: bool = True) -> None:
        """After a commit: the shared searcher sees it, and the catalog of the
        new generation is ``rows``: written to its file now, or (``write``
        false: another commit follows) by ``_write_kept_catalog``."""
        with self._lock:
            if self._searcher is not None:
                self._searcher = self._searcher.refresh()
            generation = self.ix.latest_generation()
            if write:
                self._write_catalog(generation, rows)
            self._stored_cache = (generation, rows)

    def _write_kept_catalog(self) -> None:
        with self._lock:
            if self._stored_cache is not None:
                self._write_catalog(*self._stored_cache)

    def _update_in_subprocess(
        self, rebuild: bool, progress: ProgressFn | None, timeout: float | None, started: float
    ) -> UpdateReport:
        command = [
            sys.executable, "-m", "reader", "--articles", str(self.articles), "--index", str(self.index_dir),
            "index", "--json", "--progress-lines",
        ]
        if rebuild:
            command.append("--rebuild")
        env = dict(os.environ)
        if timeout is not None:
            env["READER_WRITER_TIMEOUT"] = str(timeout)
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        output: list[str] = []
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("progress "):
                parts = line.split()
                if progress and len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                    progress(int(parts[1]), int(parts[2]))
            else:
                output.append(line)
        errors = process.stderr.read() if process.stderr else ""
        if process.wait() != 0:
            problem = errors.strip().splitlines()[-1] if errors.strip() else "indexing failed"
            written = "cannot write the index" in problem or "cannot update the index" in problem
            if rebuild and written and self._incomplete(self.needs_rebuild):
                return self._update_in_memory(problem.removeprefix("reader: "), progress, True, started)
            raise IndexProblem(problem)
        try:
            data = json.loads("".join(output))
        except ValueError:
            raise IndexProblem("indexing gave no report") from None
        if rebuild and data.get("index") is None and not self.in_memory:
            # The child could not write the cache either and indexed in its
            # own memory: this process does the same rather than read the
            # unfinished index on disk.
            messages = [m for m in data.get("messages", []) if "in memory" in m]
            problem = messages[0].split("; using")[0] if messages else f"cannot write the index in {self.index_dir}"
            return self._update_in_memory(problem, progress, True, started)
        report = UpdateReport(
            added=data.get("added", 0), updated=data.get("updated", 0), deleted=data.get("deleted", 0),
            unchanged=data.get("unchanged", 0), rebuilt=data.get("rebuilt", False),
            reason=data.get("reason", ""), relinked=data.get("relinked", 0), messages=list(data.get("messages", [])),
            errors=[ArticleError(e["path"], e["reason"]) for e in data.get("errors", [])],
        )
        with self._lock:  # the child wrote a new generation: read it
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._ix = None
            self._stored_cache = None
            self.open()
            self.needs_rebuild = ""
            self._links = None  # the child may have linked short forms anew
            self._tally = None
            if self._extractor is not None:
                self._extractor.links = self.links
        report.seconds = time.perf_counter() - started
        return report

    def _writer(self, timeout: float | None, procs: int) -> Any:
        wait = WRITER_TIMEOUT if timeout is None else timeout
        if not self.in_memory:
            self._remove_leftovers()
        kwargs: dict[str, Any] = {"timeout": wait, "limitmb": 256}
        try:
            if procs > 1:
                _subwriters_exit_with_parent()
                # The sub-writers are forked: build the extractor first so that
                # they inherit it.
                build = functools.partial(extracted_document, self.extractor.ready())
                return ArticleMpWriter(self.ix, build, procs=procs, multisegment=True, **kwargs)
            return self.ix.writer(**kwargs)
        except LockError:
            raise IndexProblem(
                f"another reader process is updating the index in {self.index_dir}; try again when it finishes"
            ) from None
        except OSError as exc:
            raise IndexWriteError(f"cannot write the index in {self.index_dir}: {exc.strerror}") from None

    def _remove_leftovers(self) -> None:
        """Remove what a killed writer left in the index folder: Whoosh's
        ``articles.tmp/`` scratch folder, segment files no table of contents
        names (empty or half written), and old temporary files of atomic
        writes. Only while holding the write lock, so no live writer's files
        are touched; when another process holds it, its own commit cleans."""
        lock = self.ix.lock("WRITELOCK")
        try:
            if not lock.acquire(blocking=False):
                return
        except OSError:
            return
        try:
            shutil.rmtree(self.index_dir / f"{INDEX_NAME}.tmp", ignore_errors=True)
            toc = self.ix._read_toc()
            whoosh_index.clean_files(self.ix.storage, INDEX_NAME, toc.generation, toc.segments)
            now = time.time()
            for entry in self.index_dir.glob(".*.tmp"):
                try:
                    if now - entry.lstat().st_mtime > STALE_TEMP_SECONDS:
                        entry.unlink()
                except OSError:
                    continue
        except Exception:  # noqa: BLE001 - cleaning is a courtesy; the update goes on
            pass
        finally:
            lock.release()


def _cancel_quietly(writer: Any) -> None:
    """Release a writer whose commit failed part-way (its segment may be closed)."""
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - only the lock matters now
        pass
    try:
        writer._release_lock()
    except Exception:  # noqa: BLE001
        pass


_GUARD_REGISTERED = False


class _SubWriterGuard:
    """Registered with multiprocessing so that forked children run the guard."""


_SUBWRITER_GUARD = _SubWriterGuard()


def _exit_when_parent_dies(_: object = None) -> None:
    """In a forked Whoosh sub-writer: exit as soon as the parent process is gone.

    A sub-writer blocks on its job queue and holds the index's write lock (an
    inherited flock); if the ``reader index`` that forked it is killed, it
    would wait for ever and no later update could take the lock."""
    import multiprocessing
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="reader-parent-watch", daemon=True).start()


def _subwriters_exit_with_parent() -> None:
    global _GUARD_REGISTERED
    if not _GUARD_REGISTERED:
        from multiprocessing.util import register_after_fork

        register_after_fork(_SUBWRITER_GUARD, _exit_when_parent_dies)
        _GUARD_REGISTERED = True


def open_index(
    articles: Path, index_dir: Path | None = None, *, update: bool = True, **kwargs: Any
) -> tuple[ArticleIndex, UpdateReport | None]:
    """Open (and by default update) the index of an articles folder."""
    entity_list = load_entity_list(articles)
    index = ArticleIndex(articles, index_dir, entity_list).open()
    report = index.update(**kwargs) if update else None
    return index, report
