"""Cross-references, read from the index's entity fields: which articles name
an entity, which entities an article shares with the others, which articles
are related, and the roles that tie people to organisations."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as Q

from reader.corpus import ArticleError, load_article
from reader.entities import CONFIRMED, DISCOVERED, DISCOVERED_PREFIX, Entity, discovered_id
from reader.index import ArticleIndex
from reader.search.whoosh.readers import term_text

CONTEXT_CHARS = 80
KIND_ORDER = {"person": 0, "company": 1, "organization": 2, "place": 3, "product": 4, "event": 5}
MAX_TIED_READS = 500  # related articles tied at the cut read for their titles, at most


@dataclass
class ArticleRef:
    id: str
    title: str
    path: str
    count: int = 0  # mentions of the entity in that article
    first: tuple[int, int] = (0, 0)  # first mention (start, end)
    source: str = ""
    date: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "mentions": self.count, "first": list(self.first)}


def _in_pane_order(shared: list["SharedEntity"]) -> list["SharedEntity"]:
    """People and companies first, confirmed before discovered, the most shared first."""
    return sorted(shared, key=lambda s: (KIND_ORDER.get(s.entity.kind, 9), s.entity.status != CONFIRMED,
                                         -len(s.others), -s.count, s.entity.name.lower()))


@dataclass
class SharedEntity:
    entity: Entity
    count: int  # mentions in this article
    others: list[str]  # ids of the other articles that mention it

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.entity.id,
            "name": self.entity.name,
            "kind": self.entity.kind,
            "status": self.entity.status,
            "mentions": self.count,
            "articles": self.others,
        }


@dataclass
class Related:
    id: str
    title: str
    shared: int
    entities: list[str] = field(default_factory=list)
    weight: float = 0.0  # the rarity-weighted sum of the shared entities (see XRef.related)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "shared": self.shared, "entities": self.entities,
                "weight": round(self.weight, 4)}


@dataclass
class Affiliation:
    title: str
    org: Entity | None
    article: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "org": self.org.id if self.org else None,
            "org_name": self.org.name if self.org else None,
            "article": self.article,
        }


@dataclass
class MentionContext:
    article: str
    title: str
    start: int
    end: int
    text: str
    context: str  # the text around the mention, one line
    offset: int  # where ``text`` starts inside ``context``

    def as_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "context": self.context,
        }


def context_of(body: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, int]:
    """The line of text around a span and where the span starts in it."""
    left = max(0, start - width)
    right = min(len(body), end + width)
    if left > 0:
        space = body.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(body):
        space = body.rfind(" ", end, right)
        right = space if space != -1 else right
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(body) else ""
    text = prefix + body[left:right].replace("\n", " ") + suffix
    return text, start - left + len(prefix)


class CrossReference:
    """Answers cross-reference questions from one ArticleIndex."""

    def __init__(self, index: ArticleIndex) -> None:
        self.index = index
        self.entity_list = index.entity_list

    # --- look-ups ------------------------------------------------------------------

    def _stored_by_id(self, searcher: Any, article_id: str) -> dict[str, Any] | None:
        docnum = searcher.document_number(id=article_id)
        if docnum is None:
            return None
        return dict(searcher.stored_fields(docnum))

    def article(self, article_id: str) -> dict[str, Any] | None:
        with self.index.searching() as searcher:
            return self._stored_by_id(searcher, article_id)

    def _docs(self, searcher: Any, entity_id: str) -> list[int]:
        return list(searcher.docs_for_query(Q.Term("entity", entity_id)))

    def entity(self, entity_id: str) -> Entity | None:
        """A confirmed entity from the list, or a discovered one from the index."""
        known = self.entity_list.get(entity_id)
        if known is not None:
            return known
        with self.index.searching() as searcher:
            return self._discovered(searcher, entity_id)

    def _discovered(self, searcher: Any, entity_id: str, docs: list[int] | None = None) -> Entity | None:
        for docnum in docs if docs is not None else self._docs(searcher, entity_id):
            stored = searcher.stored_fields(docnum)
            found = (stored.get("discovered") or {}).get(entity_id)
            if found:
                name, kind, evidence = found
                return Entity(entity_id, name, kind, status=DISCOVERED, evidence=evidence, article=stored.get("id", ""))
        return None

    def find(self, name: str) -> list[Entity]:
        """Entities a name means: the list's names and aliases, then discovered names."""
        found = list(self.entity_list.resolve(name))
        if found:
            return found
        # The discovered id of the name itself first: one term lookup, where the
        # scan below reads every discovered entity of the corpus (seconds on
        # Reuters).
        key = " ".join(name.lower().split())
        exact = self.entity(discovered_id(name))
        if exact is not None and exact.status == DISCOVERED and exact.name.lower() == key:
            return [exact]
        for entity in self.entities(include_confirmed=False):
            if entity.name.lower() == key or entity.id == key:
                found.append(entity)
        if not found:
            words = key.split()
            found = [
                e for e in self.entities(include_confirmed=False)
                if all(w in e.name.lower().split() for w in words)
            ]
        return found

    def articles_for(self, entity_id: str) -> list[ArticleRef]:
        """Articles that mention an entity, most mentions first, with the first mention."""
        refs = []
        with self.index.searching() as searcher:
            for docnum in self._docs(searcher, entity_id):
                stored = searcher.stored_fields(docnum)
                count, start, end = (stored.get("entities") or {}).get(entity_id, (0, 0, 0))
                refs.append(
                    ArticleRef(stored["id"], stored.get("title", ""), stored.get("path", ""), count,
                               (start, end), stored.get("source", ""), stored.get("date_text", ""))
                )
        refs.sort(key=lambda r: (-r.count, r.title.lower()))
        return refs

    def shared(self, article_id: str) -> list[SharedEntity]:
        """The article's entities, people and companies first, each with the other
        articles that mention it."""
        result: list[SharedEntity] = []
        with self.index.searching() as searcher:
            stored = self._stored_by_id(searcher, article_id)
            if stored is None:
                return []
            counts = stored.get("entities") or {}
            discovered = stored.get("discovered") or {}
            for entity_id, (count, _start, _end) in counts.items():
                entity = self.entity_list.get(entity_id)
                if entity is None:
                    found = discovered.get(entity_id)
                    if not found:
                        continue
                    entity = Entity(entity_id, found[0], found[1], status=DISCOVERED, evidence=found[2], article=article_id)
                others = []
                for docnum in self._docs(searcher, entity_id):
                    other = searcher.stored_fields(docnum).get("id")
                    if other != article_id:
                        others.append(other)
                result.append(SharedEntity(entity, count, sorted(others)))
        return _in_pane_order(result)

    def found(self, extraction: Any, article_id: str) -> list[SharedEntity]:
        """The entities an extraction found in an article the index does not
        hold yet (being indexed): what ``shared`` says, without other articles."""
        result = []
        for entity_id, (count, _start, _end) in extraction.counts().items():
            entity = self.entity_list.get(entity_id) or extraction.discovered.get(entity_id)
            if entity is not None:
                result.append(SharedEntity(entity, count, []))
        return _in_pane_order(result)

    def related(self, article_id: str, limit: int = 10) -> list[Related]:
        """Other articles that share entities with this one, ranked by what they
        share: each shared entity weighs log(1 + N / n) for an entity named in n
        of the N articles, so a person three articles name counts for more than
        a city five hundred name. Ties go to more shared entities, then titles
        A to Z (index order when more than MAX_TIED_READS tie at the cut). Only
        the articles returned, and those tied at the cut, are read from the
        stored fields."""
        weights: dict[int, float] = {}
        labels: dict[int, list[str]] = {}
        with self.index.searching() as searcher:
            own = searcher.document_number(id=article_id)
            if own is None:
                return []
            stored = searcher.stored_fields(own)
            total = max(1, searcher.doc_count())
            for entity_id in (stored.get("entities") or {}):
                entity = self.entity_list.get(entity_id)
                label = entity.name if entity else (stored.get("discovered") or {}).get(entity_id, [entity_id])[0]
                docs = self._docs(searcher, entity_id)
                weight = math.log(1 + total / max(1, len(docs)))
                for docnum in docs:
                    if docnum != own:
                        weights[docnum] = weights.get(docnum, 0.0) + weight
                        labels.setdefault(docnum, []).append(label)

            def rank(docnum: int) -> tuple[float, int]:
                return -round(weights[docnum], 9), -len(labels[docnum])

            fields: dict[int, Any] = {}

            def title(docnum: int) -> str:
                if docnum not in fields:
                    fields[docnum] = searcher.stored_fields(docnum)
                return (fields[docnum].get("title") or "").lower()

            best = sorted(heapq.nsmallest(limit, weights, key=rank), key=lambda d: (rank(d), title(d)))
            if best and len(weights) > limit:
                # The cut may fall inside a run of equal ranks: within it, titles
                # A to Z, reading only the tied articles' titles, and only while
                # that is cheap (an article whose one entity is a country can tie
                # with tens of thousands); past that, index order.
                last = rank(best[-1])
                tied = [d for d in weights if rank(d) == last]
                tied.sort(key=title if len(tied) <= MAX_TIED_READS else None)
                ahead = [d for d in best if rank(d) < last]
                best = ahead + tied[: limit - len(ahead)]
                for docnum in best:
                    title(docnum)  # read what is shown
            return [Related(fields[d].get("id", ""), fields[d].get("title", ""), len(labels[d]), labels[d],
                            weights[d]) for d in best]

    def affiliations(self, entity_id: str) -> list[Affiliation]:
        entity = self.entity_list.get(entity_id)
        if entity is None:
            return []
        return [Affiliation(r.title, self.entity_list.get(r.org) if r.org else None, r.article) for r in entity.roles]

    def members(self, org_id: str) -> list[tuple[Entity, str, str]]:
        """People whose roles are at an organisation: (person, role title, article)."""
        return [
            (e, r.title, r.article)
            for e in self.entity_list if e.kind == "person"
            for r in e.roles if r.org == org_id
        ]

    def entities(self, include_confirmed: bool = True) -> list[Entity]:
        """Every entity: the list's, then every discovered one the index holds."""
        result = list(self.entity_list) if include_confirmed else []
        with self.index.searching() as searcher:
            reader = searcher.reader()
            for term in reader.lexicon("entity"):
                entity_id = term_text(term)
                if self.entity_list.get(entity_id) is None:
                    entity = self._discovered(searcher, entity_id)
                    if entity is not None:
                        result.append(entity)
        return result

    def counts(self) -> tuple[int, int]:
        """(confirmed, discovered): the entities of the list, and the discovered
        entities that articles in the index mention. Counted from the index's
        words, without reading any article; a word left by a deleted version
        of an article is checked against the live ones."""
        discovered = 0
        with self.index.searching() as searcher:
            reader = searcher.reader()
            deletions = reader.has_deletions()
            for term in reader.expand_prefix("entity", DISCOVERED_PREFIX):
                entity_id = term_text(term)
                if self.entity_list.get(entity_id) is not None:
                    continue
                if deletions and not any(not reader.is_deleted(docnum)
                                         for docnum in reader.postings("entity", entity_id).all_ids()):
                    continue
                discovered += 1
        return len(self.entity_list), discovered

    def summary(self) -> list[dict[str, Any]]:
        """`reader entities`: every entity with its articles and mention count."""
        rows = []
        for entity in self.entities():
            refs = self.articles_for(entity.id)
            row = entity.as_dict()
            row["articles"] = [r.id for r in refs]
            row["mentions"] = sum(r.count for r in refs)
            rows.append(row)
        return rows

    def mention_contexts(self, entity_id: str, limit: int | None = None) -> list[MentionContext]:
        """Every mention of an entity across the corpus, with its context.

        The index says which articles to read; only those are opened."""
        result: list[MentionContext] = []
        for ref in self.articles_for(entity_id):
            try:
                article = load_article(self.index.articles / ref.path, self.index.articles)
            except (ArticleError, OSError):
                continue
            extraction = self.index.extractor.extract(article.body, article.id, article.title)
            for mention in extraction.mentions:
                if mention.entity != entity_id:
                    continue
                context, offset = context_of(article.body, mention.start, mention.end)
                result.append(
                    MentionContext(article.id, article.display_title, mention.start, mention.end,
                                   article.body[mention.start:mention.end], context, offset)
                )
                if limit is not None and len(result) >= limit:
                    return result
        return result
