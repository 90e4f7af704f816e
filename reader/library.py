"""One articles folder with its index: the single entry point for the command
line and the UI. Every question the UI asks goes through here, so the UI
never reads files, parses queries or walks the index itself."""

from __future__ import annotations

import os
import re
from collections import Counter
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from reader.corpus import ENTITIES_FILE, Article, ArticleError, load_article
from reader.entities import Entity, EntityList, EntityListTooLarge, load_entity_list
from reader.index import ArticleIndex, UpdateReport
from reader.grid import Grid, GridCache, select
from reader.ledger import LedgerQuote, QuoteLedger
from reader.quotes import Quote
from reader.passage_cache import PassageCache
from reader.passages import Passage, SharingArticle
from reader.search import ArticleSearch, SearchResult
from reader.state import SavedSearch, StateStore, default_state_path
from reader.xref import Affiliation, ArticleRef, CrossReference, MentionContext, Related, SharedEntity

if TYPE_CHECKING:
    from reader.extract import Extraction
    from reader.figures import Claim, FigureGroup

ENV_ARTICLES = "READER_ARTICLES"
ENV_INDEX = "READER_INDEX"


def bundled_articles() -> Path:
    """The corpus shipped with reader: inside the wheel, or beside the package
    in a source checkout."""
    inside = Path(__file__).with_name("bundled_articles")
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parent.parent / "articles"


def default_articles() -> Path:
    """``--articles`` default: $READER_ARTICLES, ./articles, or the bundled corpus."""
    env = os.environ.get(ENV_ARTICLES)
    if env:
        return Path(env)
    local = Path.cwd() / "articles"
    if local.is_dir():
        return local
    return bundled_articles()


@dataclass
class ArticleRow:
    """What the article list shows, from the index's stored fields."""

    id: str
    title: str
    source: str
    author: str
    date: str
    path: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "source": self.source, "author": self.author,
                "date": self.date, "path": self.path}


# The figures of two articles are compared when the articles share one of
# these (reader.figures.group_claims), unless it is in more than
# CONTEXT_SHARE of the corpus (and CONTEXT_FLOOR articles).
CONTEXT_KINDS = {"person", "company", "organization", "event", "product"}
CONTEXT_SHARE = 0.01
CONTEXT_FLOOR = 20

# Past this many articles, curating rebuilds the index instead (the bulk
# builder is faster than reading most of the corpus one article at a time).
REREAD_LIMIT = 2000


class Library:
    def __init__(self, articles: Path, index_dir: Path | None = None, state_path: Path | None = None) -> None:
        self.articles = Path(articles)
        if not self.articles.is_dir():
            raise FileNotFoundError(f"no articles folder at {self.articles}")
        env_index = os.environ.get(ENV_INDEX)
        self.index_dir = Path(index_dir) if index_dir else (Path(env_index) if env_index else None)
        try:
            entity_list = load_entity_list(self.articles)
            refused = ""
        except EntityListTooLarge as exc:
            # The articles still open, listed and searchable, without the list.
            entity_list, refused = EntityList(path=self.articles / ENTITIES_FILE), str(exc)
        self.index = ArticleIndex(self.articles, self.index_dir, entity_list)
        if refused:
            self.index.messages.append(f"{refused}; opening the articles without it")
        self.index.open()
        self.search_engine = ArticleSearch(self.index)
        self.xref = CrossReference(self.index)
        self.passage_cache = PassageCache(self.index)
        # figures per article with the index generation they were read at
        self._claims: tuple[int, dict[str, list[Claim]]] | None = None
        self._claims_lock = threading.Lock()
        self._claim_contexts: dict[str, set[str]] = {}  # article -> entities placing its story
        self.grid_cache = GridCache(self.index)
        self.quote_ledger = QuoteLedger(self.index)
        self.curated_id = ""  # what the last curating step made or merged into
        self._state: StateStore | None = None
        self._state_path = state_path
        # (state version, field, value) -> ids, for the filters of a query typed
        self._state_sets: dict[tuple[str, str], tuple[tuple[int, int], set[str]]] = {}
        self.search_engine.state_filter = self._state_filter

    # --- corpus -----------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.articles.resolve().name

    @property
    def entity_list(self) -> EntityList:
        return self.index.entity_list

    def update(self, **kwargs: Any) -> UpdateReport:
        return self.index.update(**kwargs)

    def rows(self) -> list[ArticleRow]:
        rows = [
            ArticleRow(f.get("id", ""), f.get("title", ""), f.get("source", ""), f.get("author", ""),
                       f.get("date_text", ""), f.get("path", ""))
            for f in self.index.stored()
        ]
        # Newest first, undated last; titles A to Z within a date.
        rows.sort(key=lambda r: r.title.lower())
        rows.sort(key=lambda r: r.date or "", reverse=True)
        return rows

    def path_of(self, article_id: str) -> Path | None:
        stored = self.xref.article(article_id)
        return self.articles / stored["path"] if stored else None

    def article(self, article_id: str) -> Article:
        path = self.path_of(article_id)
        if path is None:
            raise KeyError(article_id)
        return load_article(path, self.articles)

    def extraction(self, article: Article) -> Extraction:
        """The article's entities, with the tagger's spans the index keeps for
        it when its file is unchanged (the tagger is most of the cost)."""
        return self.index.extractor.extract(article.body, article.id, article.title,
                                            tagged=self.index.stored_spans(article))

    def entity(self, entity_id: str) -> Entity | None:
        return self.xref.entity(entity_id)

    # --- search and cross-references ------------------------------------------------

    def warm(self) -> None:
        """What the first search would otherwise prepare while the user waits:
        the index's searcher and scoring caches, the words of the discovered
        entities' names (an entity field's first query), and the fuzzy
        matcher's compiled module (70 ms to load)."""
        self.index.warm()
        self.search_engine.warm()
        import rapidfuzz.distance.OSA  # noqa: F401 - loaded for reader.search.whoosh.lexicon
        import rapidfuzz.process  # noqa: F401

    def search(self, query: str, limit: int = 20, sort: str = "relevance", typing: bool = False) -> SearchResult:
        """``typing``: search as you type (the last word, with nothing after
        it, also matches the words it begins)."""
        return self.search_engine.search(query, limit=limit, sort=sort, typing=typing)

    def matching(self, query: str) -> list[tuple[str, float]]:
        """Every article ``query`` matches as (id, score), best first (exports)."""
        return self.search_engine.matching(query)

    def hit_spans(self, body: str, result: SearchResult) -> list[tuple[int, int]]:
        return self.search_engine.spans_in(body, result.terms)

    def title_hit_spans(self, title: str, result: SearchResult) -> list[tuple[int, int]]:
        return self.search_engine.title_spans(title, result.terms)

    def entity_counts(self) -> tuple[int, int]:
        """(confirmed, discovered) entities, as the reader's header shows them."""
        return self.xref.counts()

    def shared(self, article_id: str, extraction: Extraction | None = None) -> list[SharedEntity]:
        """The article's entities with the other articles that name them; for
        an article not indexed yet, those ``extraction`` found."""
        shared = self.xref.shared(article_id)
        if not shared and extraction is not None and self.xref.article(article_id) is None:
            shared = self.xref.found(extraction, article_id)
        return shared

    def related(self, article_id: str, limit: int = 10) -> list[Related]:
        return self.xref.related(article_id, limit)

    def articles_for(self, entity_id: str) -> list[ArticleRef]:
        return self.xref.articles_for(entity_id)

    def mention_contexts(self, entity_id: str, limit: int | None = None) -> list[MentionContext]:
        return self.xref.mention_contexts(entity_id, limit)

    def affiliations(self, entity_id: str) -> list[Affiliation]:
        return self.xref.affiliations(entity_id)

    def find_entities(self, name: str) -> list[Entity]:
        return self.xref.find(name)

    # --- shared passages (reader.passages) -------------------------------------------
    # Worked out on first use after the index changed, then kept beside the
    # index: only the articles whose files changed are hashed again.

    def passages(self, article_id: str | None = None) -> list[Passage]:
        """The passages this article (or any article) shares with others."""
        return self.passage_cache.passages(article_id)

    def duplicates(self, article_id: str | None = None) -> list[tuple[str, str, float]]:
        """Pairs of near-duplicate articles (id, id, similarity)."""
        return self.passage_cache.finder().duplicate_pairs(article_id)

    def duplicate_ids(self) -> set[str]:
        """The articles that are a near duplicate of another."""
        return self.passage_cache.finder().duplicate_ids()

    def sharing(self, article_id: str) -> list[str]:
        """The other articles that share a passage with this one."""
        return self.passage_cache.finder().sharing(article_id)

    def shared_passages(self, article_id: str) -> tuple[list[Passage], list[SharingArticle]]:
        """What the reader shows of an article's shared passages: the passages
        (their spans in it mark the text), and each other article that shares
        one, with how many and whether it is a near duplicate."""
        passages = self.passages(article_id)
        counts: dict[str, int] = {}
        for passage in passages:
            for other in set(passage.ids) - {article_id}:
                counts[other] = counts.get(other, 0) + 1
        duplicates = {a if b == article_id else b for a, b, _ in self.duplicates(article_id)}
        sharing = []
        for other in sorted(counts.keys() | duplicates):
            stored = self.xref.article(other) or {}
            sharing.append(SharingArticle(other, stored.get("title", "") or other, counts.get(other, 0),
                                          other in duplicates))
        sharing.sort(key=lambda s: (not s.duplicate, -s.passages, s.title.lower()))
        return passages, sharing

    # --- figures compared across articles (reader.figures) ----------------------------

    def claims(self) -> dict[str, list[Claim]]:
        """Every article's figures, as the index stored them (kept until the
        index changes); an article indexed before figures were stored is read."""
        from reader.figures import Claim, extract_claims

        with self._claims_lock:
            generation = self.index.ix.latest_generation()
            if self._claims is not None and self._claims[0] == generation:
                return self._claims[1]
            claims: dict[str, list[Claim]] = {}
            unread: list[str] = []
            entities: dict[str, set[str]] = {}
            with self.index.searching() as searcher:
                for fields in searcher.reader().all_stored_fields():
                    entities[fields["id"]] = self._context_of(fields)
                    rows = fields.get("claims")
                    if rows is None:
                        unread.append(fields["id"])
                    elif rows:
                        claims[fields["id"]] = [Claim.unpack(fields["id"], row) for row in rows]
            for article_id in unread:
                try:
                    article = self.article(article_id)
                except (KeyError, OSError, ArticleError):
                    continue  # removed or unreadable since it was indexed
                claims[article_id] = extract_claims(article_id, article.body)
            # An entity in a large share of the corpus ("Reuters", "U.S."
            # government) places no story: it would link them all.
            named = Counter(e for es in entities.values() for e in es)
            cap = max(CONTEXT_FLOOR, CONTEXT_SHARE * len(entities))
            self._claim_contexts = {a: {e for e in es if named[e] <= cap} for a, es in entities.items()}
            self._claims = (generation, claims)
            return claims

    def _context_of(self, fields: dict) -> set[str]:
        """The entities of a stored article that place its story."""
        discovered = fields.get("discovered") or {}
        out = set()
        for entity_id in fields.get("entities") or {}:
            known = self.index.entity_list.get(entity_id)
            kind = known.kind if known is not None else (discovered.get(entity_id) or ["", ""])[1]
            if kind in CONTEXT_KINDS:
                out.add(entity_id)
        return out

    def figures(self, entity: str | None = None) -> list[FigureGroup]:
        """Figures that two or more articles state, disagreeing ones first;
        with ``entity`` (an entity id), only those of the articles that
        mention it."""
        from reader.figures import group_claims

        claims = self.claims()
        ids = set(claims) if entity is None else {ref.id for ref in self.articles_for(entity)}
        return group_claims([c for article_id in sorted(ids) for c in claims.get(article_id, [])],
                            self._claim_contexts)

    def figures_in(self, article_id: str) -> list[tuple[Claim, FigureGroup]]:
        """The figures of one article that other articles state too, in the
        order they stand, each with its group across the corpus."""
        from reader.figures import group_claims

        claims = self.claims()
        here = claims.get(article_id, [])
        whats = {c.what for c in here}
        if not whats:
            return []
        groups = group_claims([c for cs in claims.values() for c in cs if c.what in whats], self._claim_contexts)
        of = {(c.article, c.start): g for g in groups for c in g.claims if c.article == article_id}
        return [(c, of[(c.article, c.start)]) for c in here if (c.article, c.start) in of]

    # --- the quotes ledger (reader.ledger) --------------------------------------------

    def article_quotes(self, article: Article, extraction: Extraction) -> list[Quote]:
        """The quotations of an article as read now (the text the reader
        draws, which may be newer than the index)."""
        from reader.quotes import article_mentions, find_quotes

        return find_quotes(article.body, article_mentions(extraction, self.index.entity_list))

    def quotes(self, speaker: str | None = None, article: str | None = None) -> list[LedgerQuote]:
        """Quotations with their speakers: of one article, one speaker (an
        entity id) or the whole corpus."""
        return self.quote_ledger.quotes(speaker, article)

    # --- the coverage grid (reader.grid) ---------------------------------------------

    def grid(self, kind: str | None = None, sort: str = "count") -> Grid:
        """Entities by articles with their mention counts: people and companies,
        or one kind, or every kind (``"all"``); kept per index generation."""
        return select(self.grid_cache.grid(), kind, sort)

    # --- curating -----------------------------------------------------------------

    def _reload_entities(self, entity_list: EntityList, touched: set[str]) -> None:
        """Use a new entity list. ``touched``: the articles it can change, read
        again at the next update (past REREAD_LIMIT, the index is rebuilt)."""
        self.index.entity_list = entity_list
        from reader.extract import Extractor

        self.index.extractor = Extractor(entity_list, tagger=self.index.tagger)
        if len(touched) >= REREAD_LIMIT:
            self.index.needs_rebuild = "entities"
        else:
            self.index.pending |= touched
        self.xref.entity_list = entity_list

    def _rejection_touches(self, names: set[str]) -> set[str]:
        """The articles a rejection can change: those that store one of the
        names' entities (or short forms), and those whose text has a name
        with its capitals. Discovery only ever takes capitalised words, so the
        many articles that say "central bank" in lower case cannot have
        discovered "Central Bank" and need not be read again."""
        from reader.entities import discovered_id

        ids = {discovered_id(n) for n in names}
        for name in names:
            ids.update(entity.id for entity in self.index.entity_list.lookup(name))
        touched = self.index.articles_naming((), ids, fields=("entity", "shortform"))
        patterns = [_capitalised_pattern(n) for n in names if n.strip()]
        for rel in self.index.articles_naming(names) - touched:
            try:
                text = (self.articles / rel).read_text(encoding="utf-8", errors="replace")
            except OSError:
                touched.add(rel)  # the update reports what became of it
                continue
            if any(p.search(text) for p in patterns):
                touched.add(rel)
        return touched

    def _touched_by(self, names: set[str]) -> set[str]:
        """The articles a curating step about ``names`` can change: those that
        have one of the names in their text (or a name of the entity a name
        belonged to, which a merge moves), or mention the entities involved.
        The articles of a merge's target change only where the merged name
        stands, so its other names are not looked for."""
        from reader.entities import discovered_id

        everything = set(names)
        ids = {discovered_id(n) for n in names}
        for name in names:
            for entity in self.index.entity_list.lookup(name):
                ids.add(entity.id)
                everything.update(entity.names)
        return self.index.articles_naming(everything, ids)

    def curate(self, action: str, name: str, *, kind: str = "", to: str = "",
               aliases: list[str] | None = None, progress: Callable[[int, int], None] | None = None
               ) -> tuple[str, UpdateReport]:
        """Apply one curating action (accept, alias, reject, unreject, add),
        then update the index. Returns (message, report); ``curated_id`` is
        then the id of the entity the step made or merged into."""
        from reader import curate  # ruamel.yaml: loaded only when curating

        names = {name, *(aliases or [])}
        if action == "accept":
            entity_list, entity_id = curate.accept(self.articles, name, kind or self._kind_of(name))
            message = f"accepted {name!r} as {entity_id}"
        elif action == "alias":
            entity_list, entity_id = curate.alias(self.articles, name, to)
            message = f"{name!r} is now a name of {entity_id}"
        elif action == "reject":
            entity_list = curate.reject(self.articles, name)
            message = f"{name!r} will not be taken for an entity again"
            entity_id = ""
        elif action == "unreject":
            entity_list = curate.unreject(self.articles, name)
            message = f"{name!r} may be taken for an entity again"
            entity_id = ""
        elif action == "add":
            entity_list, entity_id = curate.add(self.articles, name, kind, aliases)
            message = f"added {entity_id}"
        else:
            raise curate.CurateError(f"unknown action {action!r}")
        # Only the articles that name what changed are read again: a name
        # mentioned in 100 of Reuters' 19,000 articles costs a second, not a
        # rebuild.
        touched = self._rejection_touches(names) if action == "reject" else self._touched_by(names)
        self._reload_entities(entity_list, touched)
        report = self.index.update(progress=progress)
        self.curated_id = entity_id  # the entity the step made or merged into ("" for a rejection)
        return message, report

    def _kind_of(self, name: str) -> str:
        from reader.curate import CurateError

        for entity in self.xref.find(name):
            return entity.kind
        raise CurateError(f"no discovered entity is named {name!r}; give --kind")

    # --- reading state ----------------------------------------------------------------

    @property
    def state(self) -> StateStore:
        """The folder's reading state (read, stars, tags, notes, saved
        searches), opened on first use: commands that never touch it never
        create it."""
        if self._state is None:
            self._state = StateStore(self._state_path or default_state_path(self.articles))
        return self._state

    def _state_filter(self, fieldname: str, value: str) -> tuple[set[str], bool]:
        """The ids a reading-state clause names, cached until the state changes
        (here or in another process), so that a filter typed key by key does
        not read the database at every key. A state that cannot be read makes
        the query fail in one line, as any query error does."""
        from reader.search import QueryError
        from reader.state import StateError

        try:
            return self._state_ids(fieldname, value)
        except StateError as exc:
            raise QueryError(str(exc)) from None

    def _state_ids(self, fieldname: str, value: str) -> tuple[set[str], bool]:
        version = self.state.version()
        cached = self._state_sets.get((fieldname, value))
        if cached is not None and cached[0] == version:
            ids = cached[1]
        else:
            store = self.state
            if fieldname == "is":
                ids = store.starred_ids() if value == "starred" else store.read_ids()
            elif fieldname == "has":
                ids = store.noted_ids() if value == "note" else store.any_tag_ids()
            else:
                ids = store.tagged_ids(value)
            self._state_sets[(fieldname, value)] = (version, ids)
        return ids, (fieldname, value) == ("is", "unread")

    def read_ids(self) -> set[str]:
        return self._state_ids("is", "read")[0]

    def starred_ids(self) -> set[str]:
        return self._state_ids("is", "starred")[0]

    def matching_ids(self, query: str) -> list[str]:
        """Every article the query matches (no limit)."""
        return self.search_engine.matching_ids(query)

    def unread_count(self, query: str | None = None) -> int:
        """Unread articles of the folder, or of a query's matches."""
        read = self.read_ids()
        ids = self.matching_ids(query) if query else [r["id"] for r in self.index.stored()]
        return sum(1 for i in ids if i not in read)

    def saved_searches(self) -> list[tuple[SavedSearch, int, int]]:
        """Each saved search with (matches, unread); a search that no longer
        parses (a field renamed) counts -1 rather than failing the others."""
        from reader.search import QueryError

        read = self.read_ids()
        out = []
        for saved in self.state.searches():
            try:
                ids = self.matching_ids(saved.query)
            except QueryError:
                out.append((saved, -1, -1))
                continue
            out.append((saved, len(ids), sum(1 for i in ids if i not in read)))
        return out

    def close(self) -> None:
        self.index.close()
        if self._state is not None:
            self._state.close()


def _capitalised_pattern(name: str) -> re.Pattern[str]:
    """``name`` as text may give it to discovery: each word's capital as
    written, the rest in any case (a headline in capitals counts), any
    spacing between words."""

    def word(w: str) -> str:
        head, rest = w[0], w[1:]
        return (re.escape(head) if head.isupper() else f"(?i:{re.escape(head)})") + \
            (f"(?i:{re.escape(rest)})" if rest else "")

    return re.compile(r"(?<!\w)" + r"\s+".join(word(w) for w in name.split()) + r"(?!\w)")


__all__ = ["Library", "ArticleRow", "ArticleError", "default_articles", "bundled_articles"]
