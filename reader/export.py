"""Exports: articles, mentions, entities, search hits, quotations and figures
as CSV, JSON Lines or a Markdown reading list; articles and search hits as
citations too (BibTeX, CSL-JSON, see ``reader.citations``).

Every export is streamed: one generator per kind of row reads the articles
one at a time, and the writers write each row as it comes, so memory stays
flat on a corpus of any size. Offsets (``start``, ``end``) are those of
``reader mentions``, ``reader quotes`` and ``reader figures``: into the
article's body as ``reader show --json`` prints it (or into the title, for a
mention whose ``field`` is ``title``).
"""

from __future__ import annotations

import csv
import json
import re
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Iterator

from reader.citations import write_bibtex, write_csl_json
from reader.corpus import Article, ArticleError, load_article
from reader.wording import show_date

if TYPE_CHECKING:
    from reader.library import Library

WHATS = ("articles", "mentions", "entities", "search", "quotes", "figures")
FORMATS = ("csv", "jsonl", "md", "bibtex", "csl-json")
CITATION_FORMATS = ("bibtex", "csl-json")
CITABLE = ("articles", "search")
ARTICLE_COLUMNS = ("id", "title", "source", "author", "date", "url", "path")
COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ARTICLE_COLUMNS,
    "search": ("rank", "score") + ARTICLE_COLUMNS,
    "mentions": ("article_id", "field", "start", "end", "text", "entity_id", "name", "kind", "status"),
    "entities": ("id", "name", "kind", "status", "aliases", "articles", "mentions"),
    "quotes": ("article", "title", "date", "start", "end", "text", "speaker_id", "speaker_name", "cue"),
    "figures": ("group", "what", "agree", "article", "text", "value", "high", "qualifier", "dates", "start", "end"),
}
LIST_SEPARATOR = "; "  # a list (aliases, articles) in one CSV cell


class ExportError(ValueError):
    """An export that cannot be made as asked (a wrong combination); one line."""


class NoSuchArticle(ExportError):
    """``--ids`` names an article the library does not have."""


def check(what: str, fmt: str, query: str | None) -> None:
    """Refuse a combination that makes no sense, before any work."""
    if what not in WHATS:
        raise ExportError(f"cannot export {what!r}: one of {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    if fmt in CITATION_FORMATS and what not in CITABLE:
        raise ExportError(f"--format {fmt} cites articles: it applies to 'articles' and 'search', not {what!r}")
    if what == "search" and not query:
        raise ExportError("export search needs --query")


# --- which articles -------------------------------------------------------------

def selection(library: Library, query: str | None = None, ids: Iterable[str] | None = None
              ) -> list[tuple[str, float]] | None:
    """The selected articles as (id, score), in order (best match first for a
    query, as given for ids), or None for every article. Only ids and scores
    are held, never the articles."""
    chosen: list[tuple[str, float]] | None = None
    if ids:
        chosen = []
        for article_id in dict.fromkeys(ids):
            if library.xref.article(article_id) is None:
                raise NoSuchArticle(f"no article with id {article_id!r}")
            chosen.append((article_id, 0.0))
    if query:
        matches = library.matching(query)
        if chosen is not None:
            wanted = {i for i, _ in chosen}
            matches = [(i, s) for i, s in matches if i in wanted]
        chosen = matches
    return chosen


def iter_articles(library: Library, chosen: list[tuple[str, float]] | None) -> Iterator[tuple[Article, float]]:
    """Each selected article, read when it is needed (newest first when all
    are exported); one that became unreadable since it was indexed is passed over."""
    if chosen is None:
        paths: Iterable[tuple[str, float]] = ((row.path, 0.0) for row in library.rows())
    else:
        paths = ((library.path_of(article_id), score) for article_id, score in chosen)
    for path, score in paths:
        if path is None:
            continue
        try:
            yield load_article(library.articles / path, library.articles), score
        except (ArticleError, OSError):
            continue


def article_record(article: Article) -> dict[str, Any]:
    return {"id": article.id, "title": article.display_title, "source": article.source,
            "author": article.author, "date": article.date, "url": article.url, "path": article.path}


# --- rows, one generator per kind -------------------------------------------------

def article_rows(library: Library, chosen, *, body: bool = False) -> Iterator[dict[str, Any]]:
    for article, _score in iter_articles(library, chosen):
        row = article_record(article)
        if body:
            row["body"] = article.body
        yield row


def search_rows(library: Library, chosen, *, body: bool = False) -> Iterator[dict[str, Any]]:
    for rank, (article, score) in enumerate(iter_articles(library, chosen), start=1):
        row = {"rank": rank, "score": round(score, 4), **article_record(article)}
        if body:
            row["body"] = article.body
        yield row


def mention_rows(library: Library, chosen) -> Iterator[dict[str, Any]]:
    """As ``reader mentions --json`` gives them, an article at a time."""
    for article, _score in iter_articles(library, chosen):
        extraction = library.extraction(article)
        title = " ".join(article.title.split())  # the title as extraction reads it
        for where, text, mentions in (("title", title, extraction.title_mentions),
                                      ("body", article.body, extraction.mentions)):
            for m in mentions:
                entity = library.entity_list.get(m.entity) or extraction.discovered.get(m.entity)
                yield {"article_id": article.id, "field": where, "start": m.start, "end": m.end,
                       "text": text[m.start:m.end], "entity_id": m.entity,
                       "name": entity.name if entity else m.entity, "kind": entity.kind if entity else "",
                       "status": entity.status if entity else ""}


def entity_rows(library: Library, chosen) -> Iterator[dict[str, Any]]:
    """As ``reader entities --json`` gives them, an entity at a time; with a
    selection, the entities its articles mention, counted in them alone."""
    wanted = None if chosen is None else {article_id for article_id, _ in chosen}
    for entity in library.xref.entities():
        refs = library.articles_for(entity.id)
        if wanted is not None:
            refs = [r for r in refs if r.id in wanted]
            if not refs:
                continue
        row = entity.as_dict()
        yield {"id": row["id"], "name": row["name"], "kind": row["kind"], "status": row["status"],
               "aliases": row.get("aliases", []), "articles": [r.id for r in refs],
               "mentions": sum(r.count for r in refs)}


def quote_rows(library: Library, chosen) -> Iterator[dict[str, Any]]:
    """As ``reader quotes --json`` gives them, the speaker flattened."""
    if chosen is None:
        quotes: Iterable[Any] = library.quotes()
    else:
        quotes = (q for article_id, _ in chosen for q in library.quotes(article=article_id))
    for q in quotes:
        yield {"article": q.article, "title": q.title, "date": q.date, "start": q.start, "end": q.end,
               "text": q.text, "speaker_id": q.speaker_id if q.speaker_name is not None else None,
               "speaker_name": q.speaker_name, "cue": q.cue}


def figure_rows(library: Library, chosen) -> Iterator[dict[str, Any]]:
    """As ``reader figures --json`` gives them, a claim a row; ``group``
    numbers the figure the claim belongs to. With a selection, the figures
    that one of its articles states, with every claim of each."""
    wanted = None if chosen is None else {article_id for article_id, _ in chosen}
    number = 0
    for group in library.figures():
        if wanted is not None and not group.articles & wanted:
            continue
        number += 1
        agree = group.agree
        for claim in group.claims:
            data = claim.as_dict()
            yield {"group": number, "what": group.what, "agree": agree, "article": data["article"],
                   "text": data["text"], "value": data["value"], "high": data.get("high"),
                   "qualifier": data["qualifier"], "dates": data.get("dates"),
                   "start": data["start"], "end": data["end"]}


def rows(library: Library, what: str, chosen, *, body: bool = False) -> Iterator[dict[str, Any]]:
    if what == "articles":
        return article_rows(library, chosen, body=body)
    if what == "search":
        return search_rows(library, chosen, body=body)
    return {"mentions": mention_rows, "entities": entity_rows, "quotes": quote_rows,
            "figures": figure_rows}[what](library, chosen)


# --- writers: a row in, a line (or a few) out ----------------------------------------

def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def write_csv(records: Iterable[dict[str, Any]], columns: tuple[str, ...], out: IO[str]) -> int:
    """RFC 4180: a header row, CRLF line ends, fields quoted where they hold
    a comma, a quote or a line break."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for record in records:
        writer.writerow([_cell(record.get(c)) for c in columns])
        count += 1
    return count


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md(text: Any) -> str:
    """Text on one line of Markdown, its markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


class _Cite:
    """``*Title*, Source, 4 July 2024 [id]`` from the index's stored fields."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.last: tuple[str, str] = ("", "")

    def __call__(self, article_id: str) -> str:
        if self.last[0] == article_id:
            return self.last[1]
        stored = self.library.xref.article(article_id) or {}
        parts = [f"*{md(stored.get('title') or article_id)}*"]
        if stored.get("source"):
            parts.append(md(stored["source"]))
        if stored.get("date_text"):
            parts.append(show_date(stored["date_text"]))
        text = ", ".join(parts) + f" `[{article_id}]`"
        self.last = (article_id, text)
        return text


def reading_entry(record: dict[str, Any]) -> str:
    """One article of the reading list: title, author, source, date, URL, id."""
    title = md(record["title"] or record["id"])
    line = f"**{title}**" + ("" if title.endswith((".", "?", "!")) else ".")
    if record.get("author"):
        line += f" {md(record['author'])}."
    where = ", ".join(p for p in (f"*{md(record['source'])}*" if record.get("source") else "",
                                  show_date(record.get("date") or "")) if p)
    if where:
        line += f" {where}."
    if record.get("url"):
        line += f" <{record['url'].replace('>', '%3E').replace(' ', '%20')}>"
    return line + f" `[{record['id']}]`"


def write_md(what: str, records: Iterable[dict[str, Any]], out: IO[str], library: Library,
             query: str | None = None) -> int:
    """A Markdown reading list (articles, search hits), or the rows of the
    other kinds as lists with a citation of each article."""
    cite = _Cite(library)
    titles = {"articles": "Reading list", "search": "Reading list", "mentions": "Entity mentions",
              "entities": "Entities", "quotes": "Quotations", "figures": "Figures across articles"}
    out.write(f"# {titles[what]}\n\n")
    if query:
        out.write(f"Articles matching `{query.replace('`', chr(39))}`, best first.\n\n")
    count = 0
    heading = None
    for r in records:
        count += 1
        if what in ("articles", "search"):
            out.write(f"{count}. {reading_entry(r)}\n")
        elif what == "mentions":
            if r["article_id"] != heading:
                heading = r["article_id"]
                out.write(f"\n## {cite(heading)}\n\n")
            mark = " (discovered)" if r["status"] == "discovered" else ""
            out.write(f"- {md(r['name'])} ({r['kind'] or 'entity'}{mark}): “{md(r['text'])}”, "
                      f"{r['field']} {r['start']}–{r['end']}\n")
        elif what == "entities":
            mark = ", discovered" if r["status"] == "discovered" else ""
            also = f"; also {md(LIST_SEPARATOR.join(r['aliases']))}" if r["aliases"] else ""
            out.write(f"- **{md(r['name'])}** ({r['kind']}{mark}{also}): {r['mentions']} mentions in "
                      f"{len(r['articles'])} articles `[{r['id']}]`\n")
        elif what == "quotes":
            who = md(r["speaker_name"]) if r["speaker_name"] is not None else "no speaker named"
            cue = f" ({r['cue']})" if r["cue"] else ""
            out.write(f"> “{md(r['text'])}”\n>\n> — {who}{cue}, {cite(r['article'])}, {r['start']}–{r['end']}\n\n")
        else:  # figures
            if r["group"] != heading:
                heading = r["group"]
                out.write(f"\n## {md(r['what'])}: {'agree' if r['agree'] else 'disagree'}\n\n")
            dates = f" ({r['dates']})" if r.get("dates") else ""
            out.write(f"- “{md(r['text'])}”{dates}, {cite(r['article'])}, {r['start']}–{r['end']}\n")
    return count


def export(library: Library, what: str, fmt: str, out: IO[str], *, query: str | None = None,
           ids: Iterable[str] | None = None) -> int:
    """Write the export to ``out`` as it is read; returns the number of rows
    (articles, for the citation formats)."""
    check(what, fmt, query)
    chosen = selection(library, query, ids)
    writers: dict[str, Callable[[], int]] = {
        "csv": lambda: write_csv(rows(library, what, chosen), COLUMNS[what], out),
        "jsonl": lambda: write_jsonl(rows(library, what, chosen, body=what in CITABLE), out),
        "md": lambda: write_md(what, rows(library, what, chosen), out, library, query),
        "bibtex": lambda: write_bibtex(rows(library, what, chosen), out),
        "csl-json": lambda: write_csl_json(rows(library, what, chosen), out),
    }
    return writers[fmt]()
