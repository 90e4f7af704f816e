"""The reading-state commands: read, star, tag, untag, note, notes, searches
and state (export, import, path). They change only the state store
(reader.state), never the articles folder or the index."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from reader import cli as _cli
from reader.state import StateError, load_export
from reader.wording import plural

AddCommand = Callable[[str, str], argparse.ArgumentParser]


def add_commands(command: AddCommand, sub: argparse._SubParsersAction) -> None:
    p = command("read", "mark articles read (or unread again with --unread)")
    p.add_argument("ids", nargs="*", metavar="ID", help="article ids")
    p.add_argument("--query", metavar="Q", help="every article this query matches")
    p.add_argument("--unread", action="store_true", help="mark them unread")
    p = command("star", "star an article (unstar with --off)")
    p.add_argument("id", help="article id")
    p.add_argument("--off", action="store_true", help="take the star away")
    p = command("tag", "add tags to an article")
    p.add_argument("id", help="article id")
    p.add_argument("tags", nargs="+", metavar="TAG")
    p = command("untag", "remove tags from an article")
    p.add_argument("id", help="article id")
    p.add_argument("tags", nargs="+", metavar="TAG")
    p = command("note", "write a note on an article, or on a passage of it ($EDITOR without --text)")
    p.add_argument("id", help="article id")
    p.add_argument("--text", metavar="T", help="the note's text (else $VISUAL or $EDITOR opens)")
    p.add_argument("--passage", metavar="START:END", help="the note is on this passage of the body (offsets)")
    p.add_argument("--delete", type=int, metavar="N", help="delete note number N")
    p = command("notes", "the notes of one article, or of every article")
    p.add_argument("id", nargs="?", help="article id")
    p = command("searches", "saved searches, with their matches and unread counts")
    p.add_argument("--delete", metavar="NAME", help="forget this saved search")
    p = command("state", "the reading state: where it is, and moving it between machines as JSON")
    ssub = p.add_subparsers(dest="state_action", metavar="ACTION", parser_class=_cli._Parser, required=True)
    a = ssub.add_parser("export", help="print the whole reading state as JSON (or write it to --output)")
    a.add_argument("--output", type=Path, metavar="FILE")
    a = ssub.add_parser("import", help="merge a JSON export into this folder's reading state")
    a.add_argument("file", type=Path)
    ssub.add_parser("path", help="print where the reading state is kept")
    for action_parser in ssub.choices.values():
        action_parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def _library_with(args: argparse.Namespace, article_id: str):
    """The library, or None after saying in one line that it has no such article."""
    library = _cli._open_library(args)
    return library if _cli._find_article(library, article_id) is not None else None


def cmd_read(args: argparse.Namespace) -> int:
    if not args.ids and not args.query:
        raise _cli.UsageError("give article ids or --query")
    library = _cli._open_library(args)
    ids = list(args.ids)
    known = {r["id"] for r in library.index.stored()}
    for article_id in ids:
        if article_id not in known:
            _cli._err(f"no article with id {article_id!r}")
            return _cli.EXIT_NOT_FOUND
    if args.query:
        ids += library.matching_ids(args.query)
    if not ids:
        _cli._err(f"nothing matches {args.query!r}")
        return _cli.EXIT_NOT_FOUND
    changed = library.state.mark_read(ids, read=not args.unread)
    word = "unread" if args.unread else "read"
    if args.json:
        _cli._print_json({"marked": word, "articles": len(set(ids)), "changed": changed})
    else:
        print(f"{plural(len(set(ids)), 'article')} marked {word} ({changed} changed)")
    return _cli.EXIT_OK


def cmd_star(args: argparse.Namespace) -> int:
    library = _library_with(args, args.id)
    if library is None:
        return _cli.EXIT_NOT_FOUND
    library.state.star(args.id, not args.off)
    if args.json:
        _cli._print_json({"id": args.id, "starred": not args.off})
    else:
        print(f"{args.id}: {'unstarred' if args.off else 'starred'}")
    return _cli.EXIT_OK


def cmd_tag(args: argparse.Namespace) -> int:
    library = _library_with(args, args.id)
    if library is None:
        return _cli.EXIT_NOT_FOUND
    store = library.state
    changed = store.untag(args.id, args.tags) if args.command == "untag" else store.tag(args.id, args.tags)
    tags = store.tags_of(args.id)
    if args.json:
        _cli._print_json({"id": args.id, "tags": tags, ("removed" if args.command == "untag" else "added"): changed})
    else:
        print(f"{args.id}: {' '.join('#' + t for t in tags) or 'no tags'}")
    return _cli.EXIT_OK


def _passage(text: str | None, body: str) -> tuple[int | None, int | None]:
    if not text:
        return None, None
    try:
        start_s, end_s = text.split(":", 1)
        start, end = int(start_s), int(end_s)
    except ValueError:
        raise _cli.UsageError(f"--passage takes START:END offsets into the body, not {text!r}") from None
    if not 0 <= start < end <= len(body):
        raise _cli.UsageError(f"--passage {text} is not within the body (0:{len(body)})")
    return start, end


def _from_editor(article_title: str) -> str:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise _cli.UsageError("give the note with --text, or set $EDITOR")
    with tempfile.NamedTemporaryFile("w+", suffix=".txt", prefix="reader-note-", delete=False,
                                     encoding="utf-8") as handle:
        handle.write(f"\n# Note on: {' '.join(article_title.split())}\n# Lines starting with # are left out.\n")
        path = Path(handle.name)
    try:
        result = subprocess.run([*shlex.split(editor), str(path)], check=False)
        if result.returncode != 0:
            raise _cli.UsageError(f"the editor ({editor}) exited with status {result.returncode}; no note written")
        text = path.read_text("utf-8", errors="replace")
    except FileNotFoundError:
        raise _cli.UsageError(f"cannot run the editor {editor!r}") from None
    finally:
        path.unlink(missing_ok=True)
    return "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()


def cmd_note(args: argparse.Namespace) -> int:
    library = _cli._open_library(args)
    article = _cli._find_article(library, args.id)
    if article is None:
        return _cli.EXIT_NOT_FOUND
    store = library.state
    if args.delete is not None:
        if not any(n.note == args.delete for n in store.notes_of(args.id)):
            _cli._err(f"{args.id} has no note number {args.delete}")
            return _cli.EXIT_NOT_FOUND
        store.delete_note(args.delete)
        if args.json:
            _cli._print_json({"id": args.id, "deleted": args.delete})
        else:
            print(f"{args.id}: note {args.delete} deleted")
        return _cli.EXIT_OK
    start, end = _passage(args.passage, article.body)
    text = args.text if args.text is not None else _from_editor(article.display_title)
    if not text.strip():
        _cli._err("the note is empty; nothing written")
        return _cli.EXIT_BAD
    passage = article.body[start:end] if start is not None else ""
    note = store.add_note(args.id, text, start, end, passage)
    if args.json:
        _cli._print_json(note.as_dict())
    else:
        print(f"{args.id}: note {note.note} written")
    return _cli.EXIT_OK


def cmd_notes(args: argparse.Namespace) -> int:
    library = _library_with(args, args.id) if args.id is not None else _cli._open_library(args)
    if library is None:
        return _cli.EXIT_NOT_FOUND
    ids = [args.id] if args.id is not None else sorted(library.state.noted_ids())
    notes = [n for article_id in ids for n in library.state.notes_of(article_id)]
    if args.json:
        _cli._print_json({"notes": [n.as_dict() for n in notes]})
    else:
        for n in notes:
            where = f" on {n.start}:{n.end} \u201c{_short(n.passage)}\u201d" if n.start is not None else ""
            print(f"[{n.id}] note {n.note}{where}")
            for line in n.text.splitlines():
                print(f"  {line}")
        if not notes:
            _cli._err("no notes" + (f" on {args.id}" if args.id else ""))
    return _cli.EXIT_OK if notes else _cli.EXIT_NOT_FOUND


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def cmd_searches(args: argparse.Namespace) -> int:
    library = _cli._open_library(args)
    if args.delete:
        if not library.state.delete_search(args.delete):
            _cli._err(f"no saved search named {args.delete!r}")
            return _cli.EXIT_NOT_FOUND
        print(f"saved search {args.delete!r} deleted")
        return _cli.EXIT_OK
    rows = library.saved_searches()
    if args.json:
        _cli._print_json({"searches": [dict(s.as_dict(), matches=m, unread=u) for s, m, u in rows]})
    else:
        for saved, matches, unread in rows:
            counts = ("the query no longer parses" if matches < 0
                      else f"{matches} {'match' if matches == 1 else 'matches'}, {unread} unread")
            print(f"{saved.name:24}  {saved.query}  ({counts})")
        if not rows:
            _cli._err("no saved searches: save one with reader search QUERY --save NAME")
    return _cli.EXIT_OK if rows else _cli.EXIT_NOT_FOUND


def save_search(library, name: str, query: str) -> None:
    """``reader search Q --save NAME``: the query is checked before it is kept."""
    library.matching_ids(query)
    library.state.save_search(name, query)


def cmd_state(args: argparse.Namespace) -> int:
    from reader.library import Library, default_articles

    library = Library(args.articles or default_articles(), args.index)
    store = library.state
    if args.state_action == "path":
        if args.json:
            _cli._print_json({"path": str(store.path)})
        else:
            print(store.path)
        return _cli.EXIT_OK
    if args.state_action == "export":
        text = json.dumps(store.export(), ensure_ascii=False, indent=1) + "\n"
        if args.output:
            tmp = args.output.with_name(f".{args.output.name}.{os.getpid()}.tmp")
            tmp.write_text(text, "utf-8")
            os.replace(tmp, args.output)
            print(f"reading state written to {args.output}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return _cli.EXIT_OK
    counts = store.import_(load_export(args.file))
    if args.json:
        _cli._print_json({"added": counts})
    else:
        print("added " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return _cli.EXIT_OK


COMMANDS = {
    "read": cmd_read, "star": cmd_star, "tag": cmd_tag, "untag": cmd_tag, "note": cmd_note,
    "notes": cmd_notes, "searches": cmd_searches, "state": cmd_state,
}
ERRORS = (StateError,)
