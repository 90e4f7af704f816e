"""Citations of articles in BibTeX and CSL-JSON: author, title, source, date
and URL, as the article's front matter gives them (nothing is guessed).

Keys read ``source-year-firstword`` (``coastal-times-2024-harbour``), made
unique within one export by a letter (``…-harbour-b``). Both writers take
articles one at a time and write each entry as it comes.
"""

from __future__ import annotations

import json
import re
from typing import IO, Any, Iterable

from reader.corpus import slugify

# BibTeX's special characters, escaped for LaTeX; the backslash first.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "$": r"\$", "&": r"\&", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _BIBTEX_ESCAPES))
_STOP = {"a", "an", "the", "of", "on", "in", "to", "and", "for", "at", "by", "as"}
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|&|\band\b|,\s*(?=\S+\s+\S))\s*")


def bibtex_escape(text: str) -> str:
    """``text`` safe inside a braced BibTeX field: special characters escaped,
    white space (new lines too) folded to single spaces."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES[m.group(0)], " ".join(str(text).split()))


def authors(author: str) -> list[str]:
    """The names in a byline ("Jane Doe and John Roe", "Jane Doe, John Roe")."""
    return [name for name in (n.strip(" ,") for n in _AUTHOR_SPLIT.split(author or "")) if name]


class KeyMaker:
    """Citation keys, unique within one run: ``source-year-firstword``."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def key(self, article: dict[str, Any]) -> str:
        source = slugify(article.get("source") or "", limit=30) or "article"
        year = str(article.get("date") or "")[:4]
        words = [w for w in slugify(article.get("title") or "", limit=200).split("-") if w]
        word = next((w for w in words if w not in _STOP), words[0] if words else "") or slugify(article["id"], 30)
        base = "-".join(p for p in (source, year if year.isdigit() else "nd", word) if p)
        key, n = base, 0
        while key in self.used:
            n += 1
            key = f"{base}-{_letters(n)}"
        self.used.add(key)
        return key


def _letters(n: int) -> str:
    """The suffix of the n-th repeat of a key: 1 -> b, 25 -> z, 26 -> aa."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
        if not n:
            return out
        n -= 1


def _date_parts(date: str) -> list[int]:
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date or "")
    return [int(p) for p in match.groups() if p] if match else []


def bibtex_entry(article: dict[str, Any], key: str) -> str:
    """One ``@article`` entry (a news story: journal is its source)."""
    fields: list[tuple[str, str]] = []
    names = authors(article.get("author") or "")
    if names:
        fields.append(("author", " and ".join(bibtex_escape(n) for n in names)))
    # Double braces keep the title's capitals as written.
    fields.append(("title", "{" + bibtex_escape(article.get("title") or article["id"]) + "}"))
    if article.get("source"):
        fields.append(("journal", bibtex_escape(article["source"])))
    parts = _date_parts(article.get("date") or "")
    if parts:
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", str(parts[1])))
        fields.append(("date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))))
    if article.get("url"):
        # A URL keeps its characters (the url package reads it verbatim); braces
        # would end the field, so they are escaped as %7B and %7D.
        fields.append(("url", str(article["url"]).replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")))
    fields.append(("note", f"reader id: {bibtex_escape(article['id'])}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{key},\n{body}\n}}\n"


def csl_item(article: dict[str, Any], key: str) -> dict[str, Any]:
    """One CSL-JSON item, of type ``article-newspaper``."""
    item: dict[str, Any] = {"id": key, "type": "article-newspaper",
                            "title": article.get("title") or article["id"]}
    names = authors(article.get("author") or "")
    if names:
        item["author"] = [_csl_name(n) for n in names]
    if article.get("source"):
        item["container-title"] = article["source"]
    parts = _date_parts(article.get("date") or "")
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if article.get("url"):
        item["URL"] = article["url"]
    item["note"] = f"reader id: {article['id']}"
    return item


def _csl_name(name: str) -> dict[str, str]:
    words = name.split()
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return {"family": words[-1], "given": " ".join(words[:-1])}
    return {"literal": name}


def write_bibtex(articles: Iterable[dict[str, Any]], out: IO[str]) -> int:
    keys = KeyMaker()
    count = 0
    for article in articles:
        if count:
            out.write("\n")
        out.write(bibtex_entry(article, keys.key(article)))
        count += 1
    return count


def write_csl_json(articles: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """A JSON array written an item at a time."""
    keys = KeyMaker()
    count = 0
    out.write("[")
    for article in articles:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(csl_item(article, keys.key(article)), ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count

