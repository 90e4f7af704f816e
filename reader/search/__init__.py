"""Search: Whoosh query syntax over the article index, with bounded expansion,
entity fields, snippets whose hits are offsets, and did-you-mean suggestions.

Query syntax (see README): words match title and body (stemmed); ``"a phrase"``;
``AND``/``OR``/``NOT`` and parentheses; ``term~`` (fuzzy, at most 2 edits);
``term*`` and ``te?m`` (prefix and wildcard); ``title:``, ``source:``,
``author:``, ``date:`` (a day, month or year, or a range
``date:[2024-07-01 to 2024-07-31]``); and the entity fields ``person:``,
``company:``, ``org:``, ``place:``, ``product:``, ``event:`` and ``entity:``,
which match any alias of the entity (``company:Huawei`` finds "Huawei
Technologies").

Search as you type (``typing=True``): the last word, when nothing follows it,
is the word being typed, so it also matches the words it begins ("Sense"
finds SenseTime); a word followed by a space or an operator is matched whole.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import heapq
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable

from whoosh import query as Q
from whoosh.fields import ID
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem
from whoosh.qparser import FuzzyTermPlugin, GtLtPlugin, MultifieldPlugin, QueryParser
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.util.times import TimeError

from reader.search.whoosh import fastmatch
from reader.corpus import ArticleError, read_body
from reader.search.whoosh.datefilter import DateQueryError, DateSpan, check_date_clauses
from reader.errortext import error_words
from reader.search.whoosh.idfilter import IdSet, ids_by_docnum
from reader.entities import DISCOVERED_PREFIX, ENTITY_FIELDS, KIND_FIELDS, name_key
from reader.search.whoosh.lexicon import closest_word, words_within
from reader.sanitize import sanitize_line
from reader.search.whoosh.readers import term_text

if TYPE_CHECKING:
    from reader.index import ArticleIndex

DEFAULT_FIELDS = ("title", "body")
TEXT_FIELDS = ("title", "body")
MAX_EXPANSION = 32  # words a fuzzy, prefix or wildcard term may stand for
MAX_SCAN = 5_000  # lexicon entries looked at while expanding one term (bounds `a*`)
MAX_FUZZY = 2
MAX_QUERY_CHARS = 1000
SNIPPET_CHARS = 220
SUGGEST_BELOW = 3  # offer did-you-mean when fewer hits than this
SORTS = ("relevance", "date")
_WORD = re.compile(r"(?<![\w:~*?\"'])([A-Za-z][A-Za-z'-]{2,})(?![\w:~*?(])")
_OPERATORS = {"and", "or", "not", "andnot", "andmaybe", "to"}
# The fields a query may name, as the README lists them (others the index holds
# are internal: path, id, the stored fields).
QUERY_FIELDS = ("title", "source", "author", "date", "person", "company", "org", "place", "product",
                "event", "entity", "is", "tag", "has")
# Clauses answered from the reading state rather than the index
# (reader.state): ``is:unread``, ``is:read``, ``is:starred``, ``has:note``,
# ``has:tag``, ``tag:NAME`` (``tag:a*`` for every tag it begins).
STATE_FIELDS = ("is", "tag", "has")
STATE_VALUES = {"is": ("unread", "read", "starred"), "has": ("note", "tag")}
# (field, value) -> (article ids, whether the clause is every article but those)
StateFilter = Callable[[str, str], tuple[set[str], bool]]
_FIELD_NAME = re.compile(r"(?<![\w.:/\\])([A-Za-z][A-Za-z_]*):(?!//|\s)")
_QUOTED = re.compile(r'"[^"]*"?')
MIN_TYPED_PREFIX = 2  # letters the word being typed needs before it is taken as a prefix


class QueryError(ValueError):
    """A query that cannot be run; the message is one line for the user."""


@dataclass
class Hit:
    id: str
    title: str
    score: float
    snippet: str
    highlights: list[tuple[int, int]]
    path: str = ""
    source: str = ""
    author: str = ""
    date: str = ""
    title_highlights: list[tuple[int, int]] = field(default_factory=list)  # offsets into the title

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
            "title_highlights": [list(h) for h in self.title_highlights],
            "path": self.path,
            "source": self.source,
            "date": self.date,
        }


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    suggestion: str | None = None
    notes: list[str] = field(default_factory=list)
    terms: dict[str, set[str]] = field(default_factory=dict)  # field -> matched words

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "hits": [h.as_dict() for h in self.hits],
            "suggestion": self.suggestion,
            "notes": self.notes,
        }


class _Parser(QueryParser):
    """Whoosh runs the field's analyzer over a wildcard or prefix pattern, so a
    stemming field mangles it ("sense?ime" becomes "sense?im", "Sense*e" the
    prefix "sense"). Patterns are kept as typed (lower-cased) instead, and
    expanded against the field's stems (see ``_wildcard_terms``)."""

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):  # type: ignore[override]
        if (
            termclass in (Q.Wildcard, Q.Prefix)
            and self.schema is not None
            and fieldname in self.schema
            and not self.schema[fieldname].self_parsing()
        ):
            return termclass(fieldname, text.lower(), boost=boost)
        return super().term_query(fieldname, text, termclass, boost=boost, tokenize=tokenize, removestops=removestops)


class ArticleSearch:
    """Parses and runs queries against one ArticleIndex, using its shared searcher."""

    def __init__(self, index: ArticleIndex) -> None:
        self.index = index
        self.schema = index.schema
        # The parser also knows the reading-state fields, which the index has not.
        parse_schema = self.schema.copy()
        for name in STATE_FIELDS:
            parse_schema.add(name, ID())
        self.parser = _Parser(None, parse_schema)
        # Set by the library: answers the reading-state clauses.
        self.state_filter: StateFilter | None = None
        self.parser.add_plugin(MultifieldPlugin(list(DEFAULT_FIELDS)))
        self.parser.add_plugin(FuzzyTermPlugin())
        self.parser.add_plugin(GtLtPlugin())
        self.parser.add_plugin(DateParserPlugin(free=False))
        self._discovered_cache: tuple[int | None, dict[str, dict[str, list[str]]]] = (None, {})

    # --- parsing ------------------------------------------------------------------

    def parse(self, text: str, searcher: Any, typing: bool = False) -> tuple[Any, list[str]]:
        """Parse and rewrite a query; returns (query, notes). ``typing``: the
        query is being typed, so its last word, when nothing follows it, is
        also a prefix."""
        typing = typing and bool(text) and not text[-1].isspace()
        text = sanitize_line(text)
        if not text:
            raise QueryError("the query is empty")
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters")
        text = self._known_fields(text)
        try:
            check_date_clauses(text)
        except DateQueryError as exc:
            raise QueryError(str(exc)) from None
        text = _compact_dates(text)
        # A run of stars means one star; Whoosh's parser cut "s**x" to "s**".
        text = re.sub(r"\*{2,}", "*", text)
        try:
            parsed = self.parser.parse(text)
        except TimeError:  # a date Whoosh's date parser cannot place ("date:2024-02-30")
            raise QueryError("cannot understand a date in the query (write 2024, 2024-07 or 2024-07-04)") from None
        except Exception:  # Whoosh raises a variety of errors on odd input, their messages no help
            raise QueryError("cannot understand the query (check its brackets, quotes and field names)") from None
        errors = _parse_errors(parsed)
        if errors:
            raise QueryError(f"cannot understand the query: {errors[0]}")
        notes: list[str] = []
        typed_end = len(text) if typing and text[-1].isalnum() else None
        rewritten = self._rewrite(parsed, text, searcher.reader(), notes, typed_end)
        return _preloaded(rewritten.normalize()), list(dict.fromkeys(notes))

    def _known_fields(self, text: str) -> str:
        """Field names in lower case (``Title:`` is ``title:``); a field the
        index does not have is an error that names those it has (Whoosh would
        search "foo:bar" as the words foo and bar)."""
        unquoted = _QUOTED.sub(lambda m: " " * len(m.group()), text)
        for match in reversed(list(_FIELD_NAME.finditer(unquoted))):
            name = match.group(1)
            low = name.lower()
            if low not in QUERY_FIELDS and low not in self.schema.names():
                raise QueryError(f"unknown field {name + ':'!r}; the fields are {', '.join(QUERY_FIELDS)}")
            if low != name:
                text = text[: match.start(1)] + low + text[match.end(1):]
        return text

    def _rewrite(self, q: Any, text: str, reader: Any, notes: list[str], typed_end: int | None = None) -> Any:
        fieldname = getattr(q, "fieldname", None)
        if (typed_end is not None and isinstance(q, Q.Term) and getattr(q, "endchar", None) == typed_end
                and fieldname in TEXT_FIELDS + ENTITY_FIELDS):
            typed = _original(q, text)
            if len(typed) >= MIN_TYPED_PREFIX and typed.isalnum():
                return self._typed_word(q, typed, reader, notes)
        if fieldname in STATE_FIELDS and isinstance(q, (Q.Term, Q.Prefix, Q.Wildcard)):
            return self._state_clause(q, text, typed_end)
        if isinstance(q, Q.Every) and fieldname in TEXT_FIELDS:
            # ``*`` alone: every article has a title and a body, so this is every
            # document; Every(field) would read the postings of every word (13 s
            # for a lexicon of 60,000 words), Every() only lists the documents.
            return Q.Every()
        if isinstance(q, Q.NumericRange) and fieldname == "date":
            return DateSpan.from_range(q, self.schema["date"].default)
        if fieldname in self.schema.names() and not self.schema[fieldname].indexed:
            # "entities:*" parses, then Whoosh raises TermNotFound while searching.
            raise QueryError(f"cannot understand the query: {fieldname}: is not a field that can be searched")
        if isinstance(q, Q.Term) and fieldname in self.schema.names() and isinstance(q.text, str):
            try:  # 'date:""' parses to a term Whoosh only refuses (with a bare Exception) while searching
                self.schema[fieldname].to_bytes(q.text)
            except Exception as exc:  # noqa: BLE001 - Whoosh raises plain Exception here
                raise QueryError(f"cannot understand the query: {error_words(exc, 'a value no field can hold')}") from None
        if fieldname in ENTITY_FIELDS and isinstance(q, (Q.Term, Q.Phrase, Q.Prefix, Q.Wildcard, Q.FuzzyTerm)):
            # A pattern's offsets in the query are not reliable; its text is as typed.
            typed = q.text + "*" if isinstance(q, Q.Prefix) else q.text if isinstance(q, Q.Wildcard) else _original(q, text)
            return self._entity_query(fieldname, typed, reader, notes)
        if isinstance(q, Q.FuzzyTerm):
            word = _original(q, text).rstrip("~0123456789/").lower() or q.text
            maxdist = min(int(q.maxdist), MAX_FUZZY)
            if maxdist < q.maxdist:
                notes.append(f"{word}~{q.maxdist}: fuzzy terms allow at most {MAX_FUZZY} edits")
            # The text fields hold stems: compare the stem of the typed word
            # ("goverment" -> "gover" is one edit from "govern").
            target = _stem(word) if fieldname in TEXT_FIELDS else word
            terms = _scan(words_within(reader, fieldname, target, maxdist))
            return self._expanded(fieldname, reader, notes, f"{word}~", terms)
        if isinstance(q, (Q.Prefix, Q.Wildcard)):
            pattern = q.text.lower()
            if isinstance(q, Q.Prefix):
                terms = _scan(reader.expand_prefix(fieldname, pattern))
                stemmed = _stem(pattern) if fieldname in TEXT_FIELDS else pattern
                if stemmed != pattern:  # "governing*" also finds the stem "govern"
                    terms += _scan(reader.expand_prefix(fieldname, stemmed))
            else:
                terms = _scan(_wildcard_terms(reader, fieldname, pattern))
            label = pattern + ("*" if isinstance(q, Q.Prefix) else "")
            return self._expanded(fieldname, reader, notes, label, dict.fromkeys(terms))
        if isinstance(q, Q.Not):
            return Q.Not(self._rewrite(q.query, text, reader, notes, typed_end))
        if q.is_leaf():
            return q
        return q.apply(lambda child: self._rewrite(child, text, reader, notes, typed_end))

    def _state_clause(self, q: Any, text: str, typed_end: int | None) -> Any:
        """``is:unread``, ``tag:NAME``…: the articles the reading state names."""
        value = q.text + "*" if isinstance(q, Q.Prefix) else q.text
        being_typed = typed_end is not None and getattr(q, "endchar", None) == typed_end
        ids, negate, label = self.state_clause(q.fieldname, value, being_typed)
        return IdSet(ids, label, negate=negate, boost=q.boost)

    def state_clause(self, fieldname: str, value: str, being_typed: bool = False) -> tuple[set[str], bool, str]:
        """(ids, negate, label) of one reading-state clause: the articles are
        ``ids``, or with ``negate`` every article but those. ``being_typed``:
        a value that begins one allowed value is taken for it (``is:unr``)."""
        value = value.lower()
        if fieldname in STATE_VALUES:
            allowed = STATE_VALUES[fieldname]
            if value.endswith("s") and value[:-1] in allowed:  # has:notes, has:tags
                value = value[:-1]
            if value not in allowed:
                begun = [v for v in allowed if v.startswith(value.rstrip("*"))]
                if len(begun) == 1 and (being_typed or value.endswith("*")):
                    value = begun[0]
                else:
                    raise QueryError(f"cannot understand the query: {fieldname}: takes "
                                     + " or ".join(f"{fieldname}:{v}" for v in allowed))
        if self.state_filter is None:
            raise QueryError(f"cannot understand the query: {fieldname}:{value} needs the reading state")
        ids, negate = self.state_filter(fieldname, value)
        return ids, negate, f"{fieldname}:{value}"

    def _typed_word(self, q: Any, typed: str, reader: Any, notes: list[str]) -> Any:
        """The word being typed: the whole word (as a finished word matches it)
        or any word it begins. The prefix is the letters typed, not their stem:
        "Sense" is the stem "sens" whole, or a word that begins with "sense"
        (SenseTime), not every word that begins with "sens" (sensible)."""
        fieldname = q.fieldname
        if fieldname in ENTITY_FIELDS:
            return self._entity_query(fieldname, typed + "*", reader, notes)
        prefix = typed.lower()
        terms = [t for t in _scan(reader.expand_prefix(fieldname, prefix)) if term_text(t) != q.text]
        begun = self._expanded(fieldname, reader, notes, prefix + "…", terms)
        return Q.Or([q, begun]) if begun is not Q.NullQuery else q

    def _expanded(self, field_: str, reader: Any, notes: list[str], label: str, terms: Iterable[Any]) -> Any:
        words = [term_text(t) for t in terms]
        if not words:
            return Q.NullQuery
        if len(words) > MAX_EXPANSION:
            words.sort(key=lambda w: -reader.doc_frequency(field_, w))
            # One note per term, not per field: the larger count (the body's, usually).
            head = f"{label} matches "
            counts = [int(n[len(head):].split("+", 1)[0]) for n in notes if n.startswith(head)]
            if not counts or len(words) > max(counts):
                notes[:] = [n for n in notes if not n.startswith(head)]
                notes.append(f"{head}{len(words)}+ words; searching the {MAX_EXPANSION} most common")
            words = words[:MAX_EXPANSION]
        return Q.Or([Q.Term(field_, w) for w in words])

    def _entity_query(self, fieldname: str, name: str, reader: Any, notes: list[str]) -> Any:
        """``person:Musk`` -> the ids of every entity the name means, known or discovered."""
        entity_list = self.index.entity_list
        kinds = {k for k, f in KIND_FIELDS.items() if f == fieldname}
        pattern = name.strip("\"' ").lower()
        if "*" in pattern or "?" in pattern:  # company:Hua*: every entity with a name or a word of one it fits
            regex = wildcard_regex(pattern)

            def fits(key: str, sep: str = " ") -> bool:
                return bool(regex.fullmatch(key.replace(sep, " ")) or any(regex.fullmatch(w) for w in key.split(sep)))

            ids = [e.id for e in entity_list if (not kinds or e.kind in kinds) and any(fits(name_key(n)) for n in e.names)]
            for term in reader.expand_prefix(fieldname, DISCOVERED_PREFIX):
                term = term_text(term)
                if fits(term[len(DISCOVERED_PREFIX):], "-"):
                    ids.append(term)
            if not ids:
                notes.append(f"no {fieldname if fieldname != 'entity' else 'entity'} has a name like {name!r}")
                return Q.NullQuery
            return Q.Or([Q.Term(fieldname, i) for i in dict.fromkeys(ids)])
        name = name.strip("\"'*~ ")
        ids = [e.id for e in entity_list.resolve(name) if not kinds or e.kind in kinds]
        slug_words = re.findall(r"[a-z0-9]+", name.lower())
        if slug_words:
            by_word = self._discovered_words(fieldname, reader)
            candidates = set(by_word.get(slug_words[0], ()))
            for word in slug_words[1:]:
                candidates &= set(by_word.get(word, ()))
            ids.extend(sorted(candidates))
        if not ids:
            notes.append(f"no {fieldname if fieldname != 'entity' else 'entity'} is named {name!r}")
            return Q.NullQuery
        return Q.Or([Q.Term(fieldname, i) for i in dict.fromkeys(ids)])

    def warm(self) -> None:
        """Build the discovered names' word tables now (up to 70 ms a field on
        Reuters), a field at a time under the index's lock, rather than in the
        first entity query typed."""
        for fieldname in ENTITY_FIELDS:
            with self.index.searching() as searcher:
                self._discovered_words(fieldname, searcher.reader())

    def _discovered_words(self, fieldname: str, reader: Any) -> dict[str, list[str]]:
        """word of a discovered name -> ids, per field, built once per index
        generation (a large corpus holds tens of thousands of discovered names)."""
        generation = self.index.ix.latest_generation()
        if self._discovered_cache[0] != generation:
            self._discovered_cache = (generation, {})
        table = self._discovered_cache[1].get(fieldname)
        if table is None:
            table = {}
            for term in reader.expand_prefix(fieldname, DISCOVERED_PREFIX):
                term = term_text(term)
                for part in set(term[len(DISCOVERED_PREFIX):].split("-")):
                    table.setdefault(part, []).append(term)
            self._discovered_cache[1][fieldname] = table
        return table

    # --- running ------------------------------------------------------------------

    def search(self, text: str, *, limit: int = 10, sort: str = "relevance", typing: bool = False) -> SearchResult:
        """``typing``: the query is being typed (search as you type): its last
        word, when nothing follows it, also matches the words it begins."""
        if sort not in SORTS:
            raise QueryError(f"sort must be one of: {', '.join(SORTS)}")
        limit = max(1, min(int(limit), 1000))
        with self.index.searching() as searcher:
            query, notes = self.parse(text, searcher, typing)
            if sort == "date":
                total, best = _newest_first(searcher, query, limit, self.schema["date"].default)
            else:
                # Every match scored, the count with it, by whole posting blocks
                # (reader.search.whoosh.fastmatch): the top hits are the best of all matches.
                total, best = fastmatch.top(searcher, query, limit)
            rows = [(dict(searcher.stored_fields(docnum)), score) for score, docnum in best]
            terms = _positive_terms(query)
            suggestion = self._suggest(text, searcher, typing) if total < SUGGEST_BELOW else None
        hits = [self._hit(fields, score, terms) for fields, score in rows]
        return SearchResult(text, total, hits, suggestion, notes, terms)

    def matching_ids(self, text: str) -> list[str]:
        """The id of every article the query matches, in index order (for
        counts, exports and acting on a whole filter)."""
        with self.index.searching() as searcher:
            query, _notes = self.parse(text, searcher)
            by_docnum = ids_by_docnum(searcher)
            found: list[str] = []
            for _subsearcher, offset, scores in fastmatch.matches(searcher, query):
                found.extend(by_docnum[offset + d] for d in sorted(scores) if offset + d in by_docnum)
            return found

    def matching(self, text: str) -> list[tuple[str, float]]:
        """Every article the query matches, as (id, score), best first: all of
        what search() counts, not only its top hits (for exports). Ids and
        scores only: no article, and no stored document, is read."""
        with self.index.searching() as searcher:
            query, _notes = self.parse(text, searcher)
            _total, best = fastmatch.top(searcher, query, max(1, searcher.doc_count_all()))
            by_docnum = ids_by_docnum(searcher)
            return [(by_docnum.get(docnum, ""), float(score)) for score, docnum in best]

    def _hit(self, fields: dict[str, Any], score: float, terms: dict[str, set[str]]) -> Hit:
        body = self._body(fields.get("path", ""))
        spans = hit_spans(self.schema, body, terms)
        if terms.get("entity") and body:
            # Extracting every hit's entities would cost milliseconds per hit; the
            # index stored where each entity is first named, and its other
            # mentions by that name are found by the name itself.
            spans = merge_spans(sorted(spans + _stored_entity_spans(body, fields.get("entities"), terms["entity"])))
        snippet, highlights = make_snippet(body, spans)
        title = fields.get("title", "")
        return Hit(
            id=fields.get("id", ""),
            title=title,
            score=float(score),
            snippet=snippet,
            highlights=highlights,
            path=fields.get("path", ""),
            source=fields.get("source", ""),
            author=fields.get("author", ""),
            date=fields.get("date_text", ""),
            title_highlights=self.title_spans(title, terms, fields.get("discovered")),
        )

    def title_spans(self, title: str, terms: dict[str, set[str]], discovered: Any = None) -> list[tuple[int, int]]:
        """The hits in a title: its words that a query term matches, and the
        names of the entities an entity field asked for (a headline in
        capitals names them in capitals, so case is not compared)."""
        spans = hit_spans(self.schema, title, terms)
        wanted = terms.get("entity")
        if wanted and title:
            names: set[str] = set()
            for entity_id in wanted:
                entity = self.index.entity_list.get(entity_id)
                if entity is not None:
                    names.update(entity.names)
                elif isinstance(discovered, dict) and isinstance(discovered.get(entity_id), (list, tuple)):
                    names.add(str(discovered[entity_id][0]))
            for name in filter(None, names):
                pattern = re.compile(rf"(?<!\w){re.escape(name)}(?:['’]s)?(?!\w)", re.IGNORECASE)
                spans.extend(match.span() for match in pattern.finditer(title))
        return merge_spans(sorted(spans))

    def _body(self, rel: str) -> str:
        try:
            return read_body(self.index.articles / rel)
        except (ArticleError, OSError):
            return ""

    def spans_in(self, body: str, terms: dict[str, set[str]]) -> list[tuple[int, int]]:
        """Every hit of a result's terms in an article body (for the reader view):
        matching words, and mentions of the entities an entity field asked for."""
        spans = hit_spans(self.schema, body, terms)
        wanted = terms.get("entity")
        if wanted and body:
            extractor = self.index.extractor
            if any(w.startswith(DISCOVERED_PREFIX) for w in wanted):
                mentions = extractor.extract(body).mentions
            else:
                mentions = extractor.known_mentions(body)
            spans = merge_spans(sorted(spans + [(m.start, m.end) for m in mentions if m.entity in wanted]))
        return spans

    def _suggest(self, text: str, searcher: Any, typing: bool = False) -> str | None:
        reader = searcher.reader()
        changed = False
        typed_end = len(text) if typing and text[-1:].isalnum() else -1

        def begins_a_word(prefix: str) -> bool:
            return any(next(iter(reader.expand_prefix(field_, prefix)), None) is not None for field_ in TEXT_FIELDS)

        def replace(match: re.Match[str]) -> str:
            nonlocal changed
            word = match.group(1)
            low = word.lower()
            if low in _OPERATORS or word.isupper() and low in _OPERATORS:
                return word
            stemmed = _stem(low)
            if reader.doc_frequency("body", stemmed) > 0 or reader.doc_frequency("title", stemmed) > 0:
                return word
            if match.end() == typed_end and begins_a_word(low):
                return word  # the word being typed begins words the index has: not misspelt
            closest = closest_word(reader, "body", stemmed)
            if closest:
                surface = self._surface_word(searcher, closest, low)
                if surface and surface != low:
                    changed = True
                    return surface
            return word

        suggestion = _WORD.sub(replace, text)
        return suggestion if changed else None

    def _surface_word(self, searcher: Any, stemmed: str, typed: str) -> str | None:
        """A real word for a stem, the closest to what was typed: the index holds
        stems ("govern"), a suggestion must be a word ("government", not
        "governance"); the words are read from a few articles that have the stem."""
        from whoosh.support.levenshtein import distance

        found: set[str] = set()
        for count, docnum in enumerate(searcher.docs_for_query(Q.Term("body", stemmed))):
            if count >= 3:
                break
            body = self._body(searcher.stored_fields(docnum).get("path", ""))
            for match in default_pattern.finditer(body):
                word = match.group().lower()
                if word not in found and _stem(word) == stemmed:
                    found.add(word)
        if not found:
            return None
        return min(sorted(found), key=lambda w: distance(w, typed))


# --- helpers ---------------------------------------------------------------------

def _newest_first(searcher: Any, query: Any, limit: int, missing: int) -> tuple[int, list[tuple[float, int]]]:
    """(number of matches, the first ``limit`` as (score, docnum)): newest
    first, undated last (the date column holds ``missing`` for them), and
    articles of the same date the more relevant first."""
    total = 0
    ranked: list[tuple[int, float, int]] = []
    for subsearcher, offset, found in fastmatch.matches(searcher, query):
        total += len(found)
        reader = subsearcher.reader()
        if not found or not reader.has_column("date"):
            ranked.extend((-1, s, -(offset + d)) for d, s in found.items())
            continue
        column = reader.column_reader("date", translate=False)
        for d, s in found.items():
            value = column[d]
            ranked.append((-1 if value == missing else value, s, -(offset + d)))
    return total, [(s, -negated) for _date, s, negated in heapq.nlargest(limit, ranked)]


_DATE_CLAUSE = re.compile(r"(?i)\bdate:(\[[^\]]*\]|\{[^}]*\}|[<>]=?\S+|\S+)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b(?![:T\d])")


_STRICT_DATE = re.compile(r"(?i)\bdate:([<>])(\d{4}|\d{6}|\d{8})(?![\d:T])")


def _compact_dates(text: str) -> str:
    """Whoosh's date parser reads ``2024-07-01`` right on its own, but inside a
    range or after ``>``/``<`` only as the year 2024 (so ``date:[2024-08-01 to
    2024-12-31]`` matched all of 2024); ``20240701`` is read right everywhere.
    Whoosh also reads ``>`` as ``>=`` and ``<`` as ``<=``: strict comparisons
    are turned into inclusive ones from the next or to the previous period."""
    text = _DATE_CLAUSE.sub(
        lambda m: m.group(0)[:5] + _ISO_DATE.sub(lambda d: "".join(g for g in d.groups() if g), m.group(1)), text
    )
    return _STRICT_DATE.sub(_inclusive, text)


def _inclusive(match: re.Match[str]) -> str:
    """``date:>20240704`` -> ``date:>=20240705``; ``date:<202407`` -> ``date:<=202406``."""
    op, digits = match.groups()
    step = 1 if op == ">" else -1
    year = int(digits[:4])
    try:
        if len(digits) == 8:
            day = _dt.date(year, int(digits[4:6]), int(digits[6:8])) + _dt.timedelta(days=step)
            bound = day.strftime("%Y%m%d")
        elif len(digits) == 6:
            month = int(digits[4:6])
            if not 1 <= month <= 12:
                return match.group(0)
            index = year * 12 + month - 1 + step
            bound = f"{index // 12:04d}{index % 12 + 1:02d}"
        else:
            bound = f"{year + step:04d}"
    except (ValueError, OverflowError):
        return match.group(0)  # not a date: Whoosh says so
    if len(bound) != len(digits) or bound.startswith("0000"):
        return match.group(0)  # past the calendar's ends: left to Whoosh
    return f"date:{op}={bound}"


def _parse_errors(q: Any) -> list[str]:
    """Whoosh does not raise on bad field values (``date:notadate``): it leaves
    a NullQuery carrying the text it could not read."""
    errors = []
    stack = [q]
    while stack:
        node = stack.pop()
        if isinstance(node, Q.NullQuery.__class__) and getattr(node, "error", None):
            errors.append(str(node.error))
        try:
            stack.extend(node.children())
        except Exception:
            pass
    return errors


def _original(q: Any, text: str) -> str:
    """The words the user typed for a query node (before analysis), without the field."""
    start, end = getattr(q, "startchar", None), getattr(q, "endchar", None)
    if start is not None and end is not None and 0 <= start < end <= len(text):
        raw = text[start:end]
        if ":" in raw:
            raw = raw.split(":", 1)[1]
        return raw.strip().strip('"')
    if isinstance(q, Q.Phrase):
        return " ".join(q.words)
    return str(getattr(q, "text", ""))


def _scan(terms: Iterable[Any]) -> list[Any]:
    result = []
    for count, term in enumerate(terms):
        if count >= MAX_SCAN:
            break
        result.append(term)
    return result


# Endings the Porter stemmer takes off words: a wildcard pattern is typed as a
# word ("Sense?ime") but the title and body fields hold stems ("sensetim").
STEM_ENDINGS = ("", "e", "s", "es", "ed", "ing", "y", "ies", "ion", "ions", "er", "ers", "al", "ment", "ness")


def wildcard_regex(pattern: str) -> re.Pattern[str]:
    """The whole-word match of a pattern of ``*`` and ``?`` (``[`` is literal).
    fnmatch's translation keeps each ``*`` from backtracking into the next, so
    ``a*****…b`` takes linear time where a plain ``.*.*…`` regex took seconds to
    hours on a word it does not fit."""
    return re.compile(fnmatch.translate(pattern.replace("[", "[[]")))


def _wildcard_terms(reader: Any, fieldname: str, pattern: str) -> Iterable[Any]:
    prefix = re.split(r"[*?]", pattern, 1)[0]
    regex = wildcard_regex(pattern)
    endings = STEM_ENDINGS if fieldname in TEXT_FIELDS else ("",)
    source = reader.expand_prefix(fieldname, prefix) if prefix else reader.lexicon(fieldname)
    for count, term in enumerate(source):
        if count >= MAX_SCAN:
            return
        word = term_text(term)
        if any(regex.match(word + ending) for ending in endings):
            yield word



PRELOAD_FROM = 4  # OR-ed clauses from which their matches are added up in an array


def _preloaded(q: Any) -> Any:
    """An OR of many clauses (a prefix, wildcard or fuzzy term expanded over two
    fields: up to 64 terms) walked as Whoosh's default binary tree of union
    matchers costs a Python call per level per match; adding each clause's
    postings into an array of scores first gives the same scores at a third of
    the cost. Small ORs keep the tree."""
    if isinstance(q, Q.Or) and not isinstance(q, Q.compound.PreloadedOr) and len(q.subqueries) >= PRELOAD_FROM:
        return Q.compound.PreloadedOr([_preloaded(sub) for sub in q.subqueries], boost=q.boost,
                                      minmatch=q.minmatch, scale=q.scale)
    if q.is_leaf():
        return q
    return q.apply(_preloaded)


def _positive_terms(q: Any) -> dict[str, set[str]]:
    """Words of the query that a hit matches, by field (negated parts left out)."""
    result: dict[str, set[str]] = {}
    stack = [q]
    while stack:
        node = stack.pop()
        if isinstance(node, Q.Not):
            continue
        if isinstance(node, Q.Term) and node.fieldname in ENTITY_FIELDS:
            result.setdefault("entity", set()).add(node.text)
        elif isinstance(node, Q.Term) and node.fieldname in TEXT_FIELDS:
            text = term_text(node.text)
            result.setdefault(node.fieldname, set()).add(text)
        elif isinstance(node, Q.Phrase) and node.fieldname in TEXT_FIELDS:
            result.setdefault(node.fieldname, set()).update(node.words)
        elif isinstance(node, Q.AndNot):
            stack.append(node.a)
            continue
        else:
            try:
                stack.extend(node.children())
            except Exception:
                pass
    return result


def _stored_entity_spans(body: str, stored: Any, wanted: set[str]) -> list[tuple[int, int]]:
    """Every whole-word occurrence, in ``body``, of the name by which each
    wanted entity is first mentioned (the index keeps its offsets)."""
    spans: list[tuple[int, int]] = []
    if not isinstance(stored, dict):
        return spans
    for entity_id, value in stored.items():
        if entity_id not in wanted or not isinstance(value, (list, tuple)) or len(value) != 3:
            continue
        _count, start, end = value
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(body)):
            continue  # the file changed since it was indexed
        name = re.compile(rf"(?<!\w){re.escape(body[start:end])}(?!\w)")
        spans.extend(match.span() for match in name.finditer(body))
    return spans


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return stem(word)


def hit_spans(schema: Any, text: str, terms: dict[str, set[str]]) -> list[tuple[int, int]]:
    """(start, end) of every word of ``text`` that a query term matches.

    Words are found and normalised as the fields' analyzers do (Whoosh's
    default tokenizer pattern, lower case, the Porter stemmer for the stemmed
    fields), so a stemmed query word, or a stem a fuzzy or prefix term
    expanded to, matches every inflection of it. Running the analyzers' token pipeline itself costs ten times
    more, and snippets are made for every hit of every search.
    """
    if not text:
        return []
    stems = set(terms.get("body", ())) | set(terms.get("title", ()))
    if not stems:
        return []
    spans: list[tuple[int, int]] = []
    # The case-blind prefilter cannot see a word whose lower case is longer
    # ("İChina" is "i̇china"): such a text is scanned word by word.
    candidates = _candidates(frozenset(stems)) if len(text.lower()) == len(text) else default_pattern
    for match in candidates.finditer(text):
        if _stem(match.group().lower()) in stems:
            spans.append(match.span())
    return spans


@lru_cache(maxsize=256)
def _candidates(stems: frozenset[str]) -> re.Pattern[str]:
    """Words that may stem to one of ``stems``: a word begins with its stem but
    for the stem's last letter (the stemmer turns "happy" into "happi"), so the
    regular expression engine skips every other word without Python seeing it."""
    heads = sorted({s[:-1] if len(s) > 1 else s for s in stems}, key=len, reverse=True)
    alternation = "|".join(re.escape(h) for h in heads)
    return re.compile(rf"(?<![\w.])(?:{alternation})\w*(?:\.\w+)*", re.IGNORECASE)


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """The window of ``text`` with the most hits, cut at word boundaries, and the
    hits inside it as offsets into the snippet."""
    if not text:
        return "", []
    if not spans:
        start, end = 0, min(len(text), width)
    else:
        best, best_count = spans[0][0], 0
        ends = [e for _, e in spans]
        ordered = all(a <= b for a, b in zip(ends, ends[1:]))  # merged hits: a binary search counts them
        for index, (s, _) in enumerate(spans):
            if ordered:
                count = bisect_right(ends, s + width, index) - index
            else:
                count = sum(1 for s2, e2 in spans[index:] if e2 <= s + width)
            if count > best_count:
                best, best_count = s, count
        start = max(0, best - width // 4)
        end = min(len(text), start + width)
    if start > 0:
        # Start on a word: back to the previous space, or to the very start
        # when the text begins only a few characters earlier.
        space = text.rfind(" ", 0, start + 1)
        if space == -1 and start < 30:
            start = 0
        elif space >= 0 and start - space < 30:
            start = space + 1
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    snippet = text[start:end].replace("\n", " ")
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    highlights = [
        (max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start
    ]
    return prefix + snippet + suffix, highlights
