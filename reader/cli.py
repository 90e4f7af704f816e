"""The `reader` command: the TUI with no subcommand, and subcommands for scripts.

Every subcommand takes ``--json``. Exit codes: 0 success, 1 nothing found,
2 bad usage or bad input. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from reader import __version__
from reader.wording import byline, plural, show_date

EXIT_OK, EXIT_NOT_FOUND, EXIT_BAD = 0, 1, 2
# Seconds an import waits for another process's index writer before leaving
# the indexing of its files to the next update (reading commands never wait).
IMPORT_LOCK_WAIT = 5.0


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.print_usage(sys.stderr)
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="reader",
        description="A keyboard-first terminal reader for collections of news articles. "
        "With no command, opens the reader on the articles folder.",
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument("--articles", metavar="DIR", type=Path,
                        help="articles folder (default: $READER_ARTICLES, ./articles, or the bundled corpus)")
    parser.add_argument("--index", metavar="DIR", type=Path,
                        help="index folder (default: $READER_INDEX or a cache folder per articles folder)")
    parser.add_argument("--tagger", metavar="NAME",
                        help="name tagger for discovery: crf (default), rules, or spacy:PIPELINE "
                             "(default: $READER_TAGGER or crf)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("--json", action="store_true", help="print JSON for scripts")
        return p

    p = command("list", "list the articles")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--starred", action="store_true", help="only starred articles")
    p.add_argument("--tag", action="append", default=[], metavar="T", help="only articles with this tag")
    p.add_argument("--query", metavar="Q", help="only the articles this query matches")
    p = command("show", "print one article")
    p.add_argument("id", help="article id")
    p = command("search", "search the articles (Whoosh query syntax; see README)")
    p.add_argument("query", help="the query")
    p.add_argument("--limit", type=int, default=10, help="hits to print (default 10)")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.add_argument("--prefix", action="store_true",
                   help="the last word, with nothing after it, also matches the words it begins "
                        "(as the reader's search as you type)")
    p.add_argument("--save", metavar="NAME", help="also keep the query as a saved search NAME")
    p = command("index", "bring the index up to date (incremental)")
    p.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")
    p.add_argument("--progress-lines", action="store_true", help=argparse.SUPPRESS)
    p = command("import", "import articles from text, JSON Lines, Markdown, web pages, feeds and OPML lists")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--replace", action="store_true", help="overwrite articles whose id exists")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=KEY",
                   help="JSON Lines field mapping, e.g. --map title=headline --map body=text "
                   "(fields: id, title, body, date, author, source)")
    p.add_argument("--source", default="", help="source name for articles that give none")
    p.add_argument("--patterns", action="append", default=[], type=Path, metavar="FILE",
                   help="extra furniture rules (YAML, same shape as cleaning.yaml)")
    p.add_argument("--no-index", action="store_true",
                   help="write the articles only; the next command indexes them")
    p = command("entities", "list entities, or curate the entity list")
    p.add_argument("--kind", help="only this kind")
    p.add_argument("--status", choices=("confirmed", "discovered"), help="only this status")
    esub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    a = esub.add_parser("accept", help="confirm a discovered entity")
    a.add_argument("name")
    a.add_argument("--kind", dest="accept_kind", help="kind (default: the discovered kind)")
    a = esub.add_parser("alias", help="make NAME another name of CANONICAL (merge)")
    a.add_argument("name")
    a.add_argument("--to", required=True, metavar="CANONICAL")
    a = esub.add_parser("reject", help="never take NAME for an entity again")
    a.add_argument("name")
    a = esub.add_parser("unreject", help="undo a reject: NAME may be taken for an entity again")
    a.add_argument("name")
    a = esub.add_parser("add", help="add a confirmed entity")
    a.add_argument("name")
    a.add_argument("--kind", dest="add_kind", required=True)
    a.add_argument("--alias", action="append", default=[], dest="aliases")
    for action_parser in esub.choices.values():
        action_parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    p = command("mentions", "entity mentions in one article's title and body, as offsets into each")
    p.add_argument("id", help="article id")
    p = command("xref", "entities an article shares with the others, and related articles")
    p.add_argument("id", help="article id")
    p.add_argument("--all", action="store_true",
                   help=f"list every other article of each entity, not the first {XREF_IDS}")
    p = command("passages", "passages that articles share verbatim or nearly, and near-duplicate articles")
    p.add_argument("--article", metavar="ID", help="only the passages and duplicates of this article")
    p = command("figures", "figures that several articles state, and whether they agree")
    p.add_argument("--entity", metavar="E", help="only the articles that mention this entity (name, alias or id)")
    p = command("quotes", "direct quotations and who said them, with offsets into the body")
    p.add_argument("--by", metavar="ENTITY", help="only this speaker's quotations (name, alias or id)")
    p.add_argument("--article", metavar="ID", help="only the quotations of this article")
    p = command("grid", "people and companies (or any kind) by articles, with mention counts")
    p.add_argument("--kind", metavar="K", help="one kind (person, company, org, place, product, event) or all")
    p.add_argument("--sort", default="count", metavar="S", help="count (the default), articles, first or name")
    p.add_argument("--format", choices=("json", "csv"), help="the whole grid as JSON or CSV")
    p = command("entity", "one entity: its affiliations and every mention with context")
    p.add_argument("name", help="name, alias or id")
    p = command("export", "export articles, mentions, entities, search hits, quotes or figures")
    p.add_argument("what", metavar="WHAT", help="articles, mentions, entities, search, quotes or figures")
    p.add_argument("--format", required=True, metavar="FORMAT",
                   help="csv, jsonl, md (a reading list), bibtex or csl-json (these two: articles and search)")
    p.add_argument("--query", metavar="Q", help="only the articles this search matches (all of them)")
    p.add_argument("--ids", nargs="+", metavar="ID", help="only these articles")
    p.add_argument("--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)")
    from reader import cli_state

    cli_state.add_commands(command, sub)
    return parser


# --- helpers -------------------------------------------------------------------

def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _err(message: str) -> None:
    sys.stderr.write(f"reader: {' '.join(str(message).split())}\n")


def _progress(label: str):
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\r{label} {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def _open_library(args: argparse.Namespace, *, defer: bool = True, reports: list | None = None):
    """The library of ``--articles``, its index brought up to date first.

    ``defer``: a reading command never waits for, nor does the work of,
    another process's import or index update: while one holds the folder's
    import lock or the index's write lock, it answers from the last committed
    index and says so in one line. Otherwise it indexes what changed itself
    (files edited by hand), giving up at once if a writer starts meanwhile."""
    from reader.fsutil import held_elsewhere
    from reader.index import IndexProblem
    from reader.ingest import IMPORT_LOCK
    from reader.library import Library, default_articles

    articles = args.articles or default_articles()
    library = Library(articles, args.index)
    if defer and held_elsewhere(Path(articles) / IMPORT_LOCK):
        _err(f"another reader process is importing into {articles}; showing the last complete index "
             "(it is being updated)")
        return library
    try:
        report = library.update(timeout=0 if defer else IMPORT_LOCK_WAIT, progress=_progress("indexing"),
                                quick=defer)
    except IndexProblem as exc:
        # Another process is writing: read the last committed index.
        _err(f"{exc}; showing the last complete index")
        return library
    if reports is not None:
        reports.append(report)
    for message in report.messages:
        _err(message)
    for error in report.errors:
        _err(f"skipped {error.path}: {error.reason}")
    return library


# --- commands -------------------------------------------------------------------

def cmd_list(args: argparse.Namespace) -> int:
    library = _open_library(args)
    rows = library.rows()
    clauses = [f"tag:{t}" for t in args.tag] + ["is:unread"] * args.unread + ["is:starred"] * args.starred
    if args.query:
        clauses.append(f"({args.query})")
    if clauses:
        wanted = set(library.matching_ids(" AND ".join(clauses)))
        rows = [r for r in rows if r.id in wanted]
    filtered = bool(clauses)
    if args.json:
        state = library.state
        read, starred, tags = library.read_ids(), library.starred_ids(), state.all_tags()
        _print_json({"articles": [dict(r.as_dict(), read=r.id in read, starred=r.id in starred,
                                       tags=tags.get(r.id, [])) for r in rows]})
    else:
        for r in rows:
            print(f"{show_date(r.date) or '-':17}  {(r.source or '-')[:24]:24}  {r.title}  [{r.id}]")
        if not rows:
            _err("no articles match the filter" if filtered else
                 f"no articles in {library.articles}: add .md or .txt files there, or run 'reader import FILE'")
    return EXIT_OK if rows else EXIT_NOT_FOUND


def _find_article(library, article_id: str):
    """The article, or None after saying on stderr that there is none."""
    try:
        return library.article(article_id)
    except KeyError:
        _err(f"no article with id {article_id!r}")
        return None


def cmd_show(args: argparse.Namespace) -> int:
    library = _open_library(args)
    article = _find_article(library, args.id)
    if article is None:
        return EXIT_NOT_FOUND
    if args.json:
        state = library.state.of(article.id)
        _print_json({"id": article.id, "title": article.display_title, "source": article.source,
                     "author": article.author, "date": article.date, "body": article.body,
                     "path": article.path, "url": str(article.extra.get("url") or ""),
                     "read": state.read, "starred": state.starred, "tags": list(state.tags),
                     "notes": [n.as_dict() for n in state.notes]})
    else:
        print(article.display_title)
        meta = byline(article.source, article.author, article.date)
        if meta:
            print(meta)
        print()
        print(article.body)
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    library = _open_library(args)
    result = library.search(args.query, limit=args.limit, sort=args.sort, typing=args.prefix)
    if args.save:
        from reader.cli_state import save_search

        save_search(library, args.save, args.query)
        _err(f"saved the search {args.save!r}")
    if args.json:
        _print_json(result.as_dict())
    else:
        for note in result.notes:
            _err(note)
        verb = "matches" if result.total == 1 else "match"
        print(f"{plural(result.total, 'article')} {verb} {args.query!r}")
        for hit in result.hits:
            print(f"\n{_mark(hit.title, hit.title_highlights)}  [{hit.id}]  {hit.score:.2f}")
            meta = byline(hit.source, hit.author, hit.date)
            if meta:
                print(f"  {meta}")
            print("  " + _mark(hit.snippet, hit.highlights))
        if result.suggestion:
            print(f"\nDid you mean: {result.suggestion}")
        elif not result.total:
            _err("nothing matches: try fewer words, word* for the words it begins, word~ for a near spelling")
    return EXIT_OK if result.total else EXIT_NOT_FOUND


def _mark(text: str, spans: list[tuple[int, int]]) -> str:
    """Hits in plain text output are shown in «guillemets» (no terminal codes)."""
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start] + "«" + text[start:end] + "»")
        last = end
    out.append(text[last:])
    return "".join(out)


def cmd_index(args: argparse.Namespace) -> int:
    from reader.library import Library, default_articles

    library = Library(args.articles or default_articles(), args.index)
    progress = _progress("indexing")
    if args.progress_lines:  # read by a parent process that shows its own progress
        def progress(done: int, total: int) -> None:
            sys.stdout.write(f"progress {done} {total}\n")
            sys.stdout.flush()
    report = library.update(rebuild=args.rebuild, progress=progress)
    data = report.as_dict()
    data["index"] = str(library.index.index_dir) if not library.index.in_memory else None
    if args.json:
        _print_json(data)
    else:
        for message in report.messages:
            _err(message)
        for error in report.errors:
            _err(f"skipped {error.path}: {error.reason}")
        print(f"added {report.added}, updated {report.updated}, deleted {report.deleted}, "
              f"unchanged {report.unchanged} in {report.seconds:.2f} s")
    return EXIT_OK


def _parse_mapping(items: list[str]) -> dict[str, str]:
    from reader.ingest import DEFAULT_MAPPING

    mapping: dict[str, str] = {}
    for item in items:
        for part in item.split(","):
            if "=" not in part:
                raise UsageError(f"--map takes FIELD=KEY, not {part!r}")
            key, value = (s.strip() for s in part.split("=", 1))
            if key not in DEFAULT_MAPPING:
                raise UsageError(f"--map: unknown field {key!r} (one of {', '.join(DEFAULT_MAPPING)})")
            mapping[key] = value
    return mapping


IMPORT_PROGRESS_EVERY = 100_000  # records between two progress lines when stderr is not a terminal


def _import_progress() -> Callable[[int], None]:
    """Records read so far: a counter on a terminal, else a line now and then
    (a long import into a log still shows it is alive)."""
    tty = sys.stderr.isatty()

    def show(done: int) -> None:
        if tty:
            sys.stderr.write(f"\rimporting {done} records\x1b[K")
            sys.stderr.flush()
        elif done % IMPORT_PROGRESS_EVERY == 0:
            _err(f"importing: {done} records read")

    return show


def _end_progress_line() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


def cmd_import(args: argparse.Namespace) -> int:
    from reader.entities import EntityListTooLarge, load_entity_list
    from reader.ingest import import_paths
    from reader.library import default_articles

    folder = args.articles or default_articles()
    mapping = _parse_mapping(args.map)
    try:
        entity_list = load_entity_list(folder) if Path(folder).is_dir() else None
    except EntityListTooLarge:  # said again when the folder is opened to index the import
        entity_list = None
    places = entity_list.places() if entity_list else []
    # A source is a publisher: initials are spelled out from companies' and organisations' names.
    names = [n for e in entity_list.entities.values() if e.kind in ("company", "organization")
             for n in e.names] if entity_list else []
    reports: list = []

    def index(written) -> None:
        # Under the import lock: the update that opening the library runs is
        # the one that indexes the new articles (a second would find nothing
        # to do), and no other process indexes them meanwhile.
        if written.added or written.replaced:
            _open_library(args, defer=False, reports=reports)

    report = import_paths(args.paths, folder, replace=args.replace, mapping=mapping, source=args.source,
                          pattern_files=args.patterns, known_places=places, known_names=names,
                          on_wait=lambda: _err(f"waiting for another import into {folder}…"),
                          then=None if args.no_index else index, progress=_import_progress())
    _end_progress_line()
    data = report.as_dict()
    index_report = reports[0] if reports else None
    if args.json:
        data["index"] = index_report.as_dict() if index_report else None
        _print_json(data)
    else:
        for origin, reason in report.skipped:
            _err(f"skipped {origin}: {reason}")
        for origin, reason in report.failed:
            _err(f"failed {origin}: {reason}")
        print(f"added {len(report.added)}, replaced {len(report.replaced)}, "
              f"skipped {len(report.skipped)}, failed {len(report.failed)}")
    if report.failed and not (report.added or report.replaced or report.skipped):
        return EXIT_BAD
    return EXIT_OK


def cmd_entities(args: argparse.Namespace) -> int:
    if args.action:
        return _curate(args)
    library = _open_library(args)
    rows = library.xref.summary()
    if args.kind:
        from reader.entities import normalise_kind

        kind = normalise_kind(args.kind)
        if kind is None:
            raise UsageError(f"unknown kind {args.kind!r}")
        rows = [r for r in rows if r["kind"] == kind]
    if args.status:
        rows = [r for r in rows if r["status"] == args.status]
    if args.json:
        _print_json({"entities": rows})
    else:
        for r in sorted(rows, key=lambda r: (r["kind"], -r["mentions"], r["name"].lower())):
            mark = "" if r["status"] == "confirmed" else "  (discovered)"
            print(f"{r['kind']:12}  {r['name']}  [{r['id']}]  {plural(r['mentions'], 'mention')} in "
                  f"{plural(len(r['articles']), 'article')}{mark}")
        if not rows:
            what = " ".join(w for w in (args.status, args.kind) if w)
            _err(f"no {what + ' ' if what else ''}entities"
                 + (": every name the articles give is in the entity list, or was rejected"
                    if args.status == "discovered" else ""))
    return EXIT_OK if rows else EXIT_NOT_FOUND


def _curate(args: argparse.Namespace) -> int:
    library = _open_library(args)
    kind = getattr(args, "accept_kind", None) or getattr(args, "add_kind", None) or ""
    message, report = library.curate(args.action, args.name, kind=kind, to=getattr(args, "to", "") or "",
                                     aliases=getattr(args, "aliases", None))
    if args.json:
        _print_json({"message": message, "index": report.as_dict()})
    else:
        print(message)
        print(f"index: {plural(report.changed, 'article')} re-indexed in {report.seconds:.2f} s")
    return EXIT_OK


def cmd_mentions(args: argparse.Namespace) -> int:
    library = _open_library(args)
    article = _find_article(library, args.id)
    if article is None:
        return EXIT_NOT_FOUND
    extraction = library.extraction(article)
    rows = []
    title = " ".join(article.title.split())  # the title as extraction reads it
    for where, text, mentions in (("title", title, extraction.title_mentions), ("body", article.body, extraction.mentions)):
        for m in mentions:
            entity = library.entity_list.get(m.entity) or extraction.discovered.get(m.entity)
            rows.append({
                "field": where, "start": m.start, "end": m.end, "text": text[m.start:m.end], "entity": m.entity,
                "name": entity.name if entity else m.entity, "kind": entity.kind if entity else "",
                "status": entity.status if entity else "",
            })
    if args.json:
        _print_json({"article": article.id, "mentions": rows})
    else:
        for r in rows:
            mark = " (discovered)" if r["status"] == "discovered" else ""
            where = "title " if r["field"] == "title" else ""
            print(f"{where}{r['start']:>6}-{r['end']:<6} {r['kind']:12} {r['text']}  -> {r['name']}{mark}")
    return EXIT_OK if rows else EXIT_NOT_FOUND


XREF_IDS = 3  # other articles named per entity without --all


def other_articles(ids: list[str], every: bool) -> str:
    """How many other articles name an entity, and the first few of them (all
    with ``every``)."""
    if not ids:
        return "no other article"
    count = f"{len(ids)} other article{'s' if len(ids) != 1 else ''}"
    shown = ids if every else ids[:XREF_IDS]
    more = "" if len(shown) == len(ids) else f", … ({len(ids) - len(shown)} more: --all)"
    return f"{count}: {', '.join(shown)}{more}"


def cmd_xref(args: argparse.Namespace) -> int:
    library = _open_library(args)
    if library.xref.article(args.id) is None:
        _err(f"no article with id {args.id!r}")
        return EXIT_NOT_FOUND
    shared = library.shared(args.id)
    related = library.related(args.id)
    if args.json:
        _print_json({"article": args.id, "entities": [s.as_dict() for s in shared],
                     "related": [r.as_dict() for r in related]})
    else:
        print("Entities:")
        for s in shared:
            print(f"  {s.entity.kind:12} {s.entity.name}: {other_articles(s.others, args.all)}")
        print("Related:")
        for r in related:
            print(f"  {r.shared:3} shared  {r.title}  [{r.id}]")
    return EXIT_OK


def _one_entity(library, name: str):
    """The entity ``name`` names, or an exit code after saying why there is none."""
    found = library.find_entities(name)
    if not found:
        _err(f"no entity is named {name!r}")
        return EXIT_NOT_FOUND
    if len(found) > 1:
        exact = [e for e in found if e.name.lower() == name.lower() or e.id == name]
        if len(exact) != 1:
            _err(f"{name!r} names several entities: " + ", ".join(f"{e.name} [{e.id}]" for e in found))
            return EXIT_BAD
        found = exact
    return found[0]


def cmd_entity(args: argparse.Namespace) -> int:
    library = _open_library(args)
    entity = _one_entity(library, args.name)
    if isinstance(entity, int):
        return entity
    mentions = library.mention_contexts(entity.id)
    affiliations = library.affiliations(entity.id)
    members = library.xref.members(entity.id)
    if args.json:
        data = entity.as_dict()
        data["affiliations"] = [a.as_dict() for a in affiliations]
        data["members"] = [{"id": p.id, "name": p.name, "title": t, "article": a} for p, t, a in members]
        data["articles"] = sorted({m.article for m in mentions})
        data["mentions"] = [m.as_dict() for m in mentions]
        _print_json(data)
    else:
        status = "" if entity.status == "confirmed" else " (discovered)"
        print(f"{entity.name} [{entity.id}], {entity.kind}{status}")
        if entity.aliases:
            print("Also: " + ", ".join(entity.aliases))
        for a in affiliations:
            org = f" at {a.org.name}" if a.org else ""
            print(f"Role: {a.title}{org} ({a.article})")
        for person, title, article in members:
            print(f"Person: {person.name}, {title} ({article})")
        if entity.evidence:
            print(f"Evidence: {entity.evidence}")
        print(f"{plural(len(mentions), 'mention')}:")
        for m in mentions:
            print(f"  [{m.article}] {m.context}")
    return EXIT_OK


PASSAGE_PREVIEW = 100  # characters of a passage's text in the plain output


def cmd_passages(args: argparse.Namespace) -> int:
    library = _open_library(args)
    if args.article and library.xref.article(args.article) is None:
        _err(f"no article with id {args.article!r}")
        return EXIT_NOT_FOUND
    passages = library.passages(args.article)
    duplicates = library.duplicates(args.article)
    if args.json:
        _print_json({"passages": [p.as_dict() for p in passages],
                     "duplicates": [[a, b, round(s, 3)] for a, b, s in duplicates]})
    else:
        print(f"{plural(len(passages), 'shared passage')}:")
        for p in passages:
            where = ", ".join(f"{s.id} {s.start}-{s.end}" for s in p.spans)
            text = " ".join(p.text.split())
            if len(text) > PASSAGE_PREVIEW:
                text = text[: PASSAGE_PREVIEW - 1].rstrip() + "…"
            print(f"  {p.similarity:.2f}  {where}")
            print(f"        {text}")
        print(f"{plural(len(duplicates), 'near-duplicate pair')}:")
        for a, b, s in duplicates:
            print(f"  {s:.2f}  {a}  {b}")
    return EXIT_OK if passages or duplicates else EXIT_NOT_FOUND


def cmd_figures(args: argparse.Namespace) -> int:
    library = _open_library(args)
    entity_id = None
    if args.entity:
        entity = _one_entity(library, args.entity)
        if isinstance(entity, int):
            return entity
        entity_id = entity.id
    groups = library.figures(entity_id)
    if args.json:
        _print_json({"figures": [g.as_dict() for g in groups]})
    else:
        print(f"{plural(len(groups), 'figure')} stated in several articles:")
        for g in groups:
            print(f"  {g.what}: {'agree' if g.agree else 'DISAGREE'}")
            for c in g.claims:
                extra = f" ({c.dates})" if c.dates else ""
                print(f"    [{c.article}] {c.text}{extra}  {c.start}-{c.end}")
    return EXIT_OK if groups else EXIT_NOT_FOUND


def cmd_quotes(args: argparse.Namespace) -> int:
    library = _open_library(args)
    speaker = article_id = None
    if args.by:
        entity = _one_entity(library, args.by)
        if isinstance(entity, int):
            return entity
        speaker = entity.id
    if args.article:
        article = _find_article(library, args.article)
        if article is None:
            return EXIT_NOT_FOUND
        article_id = article.id
    quotes = library.quotes(speaker, article_id)
    if args.json:
        _print_json({"quotes": [q.as_dict() for q in quotes]})
    else:
        print(f"{plural(len(quotes), 'quotation')}:")
        for q in quotes:
            who = q.speaker_name if q.speaker_name is not None else "(no speaker named)"
            cue = f" ({q.cue})" if q.cue else ""
            print(f"  [{q.article}] {who}{cue}: \u201c{' '.join(q.text.split())}\u201d  {q.start}-{q.end}")
    return EXIT_OK if quotes else EXIT_NOT_FOUND


def cmd_grid(args: argparse.Namespace) -> int:
    from reader.grid import check_kind, check_sort

    try:
        check_kind(args.kind)
        check_sort(args.sort)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    grid = _open_library(args).grid(args.kind, args.sort)
    if args.format == "json" or (args.json and not args.format):
        _print_json(grid.as_dict())
    elif args.format == "csv":
        import csv

        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["entity", "name", "kind", *(a.id for a in grid.articles)])
        for row, entity in enumerate(grid.entities):
            out.writerow([entity.id, entity.name, entity.kind,
                          *((grid.count(row, column) or "") for column in range(len(grid.articles)))])
    else:
        print(f"{plural(len(grid.entities), 'entity')} in {plural(len(grid.articles), 'article')}:")
        for entity in grid.entities[:GRID_SHOWN]:
            first = f"  since {show_date(entity.first)}" if entity.first else ""
            print(f"  {entity.mentions:5} in {plural(entity.articles, 'article'):13} {entity.kind:12} {entity.name}{first}")
        if len(grid.entities) > GRID_SHOWN:
            print(f"  … and {len(grid.entities) - GRID_SHOWN} more (--format json or csv for all)")
    return EXIT_OK if grid.entities else EXIT_NOT_FOUND


GRID_SHOWN = 30  # entities the text summary lists


def cmd_export(args: argparse.Namespace) -> int:
    from reader.export import ExportError, NoSuchArticle, check, export
    from reader.fsutil import atomic_write_stream

    try:
        check(args.what, args.format, args.query)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    if args.output and not args.output.parent.is_dir():
        raise UsageError(f"--output: no folder {args.output.parent}")
    library = _open_library(args)
    try:
        if args.output:
            with atomic_write_stream(args.output) as out:  # the old file stays until the export is whole
                count = export(library, args.what, args.format, out, query=args.query, ids=args.ids)
        else:
            count = export(library, args.what, args.format, sys.stdout, query=args.query, ids=args.ids)
    except NoSuchArticle as exc:
        _err(str(exc))
        return EXIT_NOT_FOUND
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    if not count:
        _err(f"nothing to export: {'the query matches no article' if args.query else 'no ' + args.what}")
        return EXIT_NOT_FOUND
    return EXIT_OK


COMMANDS = {
    "list": cmd_list, "show": cmd_show, "search": cmd_search, "index": cmd_index,
    "import": cmd_import, "entities": cmd_entities, "mentions": cmd_mentions,
    "xref": cmd_xref, "entity": cmd_entity, "passages": cmd_passages,
    "figures": cmd_figures, "quotes": cmd_quotes, "grid": cmd_grid,
    "export": cmd_export,
}


def one_line_errors() -> tuple[type[Exception], ...]:
    """The errors whose message is the whole story: printed as one line, exit 2.
    Imported when an error is being matched, so that starting the reader does
    not load the importer and the curating code."""
    from reader.cleaning import RulesError
    from reader.corpus import ArticleError
    from reader.curate import CurateError
    from reader.entities import EntityListError
    from reader.index import IndexProblem
    from reader.ingest import ImportError_
    from reader.search import QueryError
    from reader.state import StateError
    from reader.tagger import TaggerError

    return (StateError, QueryError, EntityListError, CurateError, ImportError_, IndexProblem, ArticleError, RulesError,
            TaggerError)


def _use_tagger(value: str) -> None:
    """The tagger for this run and the processes it starts; checked now, so
    that a wrong name is one line before any work."""
    from reader.tagger import ENV, TaggerError, get_tagger

    try:
        get_tagger(value)
    except TaggerError as exc:
        raise UsageError(str(exc)) from None
    os.environ[ENV] = value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.tagger:
            _use_tagger(args.tagger)
        if args.command is None:
            from reader.library import default_articles
            from reader.ui.app import run

            return run(args.articles or default_articles(), args.index)
        if args.command not in COMMANDS:
            from reader.cli_state import COMMANDS as STATE_COMMANDS

            return STATE_COMMANDS[args.command](args)
        return COMMANDS[args.command](args)
    except UsageError as exc:
        _err(str(exc))
        return EXIT_BAD
    except one_line_errors() as exc:
        _err(str(exc))
        return EXIT_BAD
    except FileNotFoundError as exc:
        _err(str(exc) if not exc.filename else f"{exc.filename}: {exc.strerror}")
        return EXIT_BAD
    except BrokenPipeError:  # `reader list | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except PermissionError as exc:
        _err(f"{exc.filename or ''}: permission denied".strip(": "))
        return EXIT_BAD
    except OSError as exc:
        _err(f"{exc.filename or ''} {exc.strerror or exc}".strip())
        return EXIT_BAD
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
