"""Articles from the web: saved HTML pages, RSS and Atom feed files, and OPML
lists of feeds.

Nothing here touches the network. Every parser is given the bytes the
importer read itself, never a URL; links are kept as data (``url:`` in the
front matter) and never fetched; scripts are dropped, never run. A page or
feed that is too big, undecodable or hostile (an XML entity bomb) fails in one
line of the import report, and the import goes on.

A page's article is found by trafilatura (the main text without navigation,
cookie banners, related-article boxes, scripts or comments), and its title,
author, date, site name and URL from the page's metadata (``og:`` and other
meta tags, JSON-LD, ``<time>``). A feed gives one article per item: its
title, link, date, author, and its content or summary with HTML stripped.
Ids come from the article's URL (or the item's guid), so the same article
imported twice, from a page or a feed, has the same id and is skipped.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import hashlib
import io
import re
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

from reader.cleaning import Cleaner
from reader.corpus import ArticleError, normalise_date, slugify
from reader.fsutil import is_within
from reader.ingest import Candidate, ImportReport, _ordered, _read_bytes, safe_id
from reader.sanitize import sanitize_line

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
OPML_SUFFIXES = {".opml"}
WEB_SUFFIXES = HTML_SUFFIXES | FEED_SUFFIXES | OPML_SUFFIXES
SNIFF_BYTES = 2048  # where an encoding declaration or a feed's root element must stand
ID_CHARS = 120  # past this, an id from a URL is cut and given a hash of the whole URL
# Elements whose text is never article text, in a feed item's HTML.
_DROPPED = ("script", "style", "noscript", "iframe", "object", "embed", "template", "form",
            "button", "nav", "aside", "footer", "header", "svg", "canvas", "select", "textarea")
_BLOCKS = {"p", "div", "section", "article", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
           "h6", "table", "tr", "pre", "figure", "figcaption", "dl", "dt", "dd", "main", "br", "hr"}
# Never the article, whichever of trafilatura's extractors reads the page:
# navigation, asides, footers, forms, and the boxes pages mark as cookie
# banners, related articles, sharing or comments.
_FURNITURE_XPATH = [
    "//nav", "//aside", "//footer", "//form", "//noscript", "//template",
    *(f"//*[contains(translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), '{word}') or "
      f"contains(translate(@id, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), '{word}')]"
      for word in ("cookie", "consent", "related", "comments", "share-", "newsletter", "promo")),
]
_ENTITY_DECLARATION = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_ROOT_ELEMENT = re.compile(rb"<[A-Za-z_]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.IGNORECASE)
_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_[a-z]+)=", re.IGNORECASE)


# --- decoding ---------------------------------------------------------------

def _codec(label: bytes | str, origin: str) -> str:
    name = label.decode("ascii", "replace") if isinstance(label, bytes) else label
    try:
        codec = codecs.lookup(name.strip()).name
    except LookupError:
        raise ArticleError(origin, f"unknown character set {name.strip()[:40]!r}") from None
    # As browsers do (WHATWG Encoding): a page labelled Latin-1 is windows-1252.
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def decode_page(data: bytes, origin: str) -> str:
    """A page's text: by its byte order mark, else the charset its head
    declares, else UTF-8. Bytes that are no text in that charset are a
    one-line error, never silently replaced."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            break
    else:
        head = data[:SNIFF_BYTES]
        declared = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
        codec = _codec(declared.group(1), origin) if declared else "utf-8"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ArticleError(origin, f"not valid {codec} text at byte {exc.start}"
                           + ("" if codec != "utf-8" else " (and the page declares no other charset)")) from None


# --- ids --------------------------------------------------------------------

def url_id(url: str) -> str:
    """An article id from its URL: host and path as a slug (scheme, "www.",
    fragment and tracking parameters left out), cut with a hash when long."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    query = "&".join(p for p in parts.query.split("&") if p and not _TRACKING.match(p))
    path = unquote(parts.path).rstrip("/")
    path = re.sub(r"/index\.s?html?$", "", path)
    slug = slugify(" ".join(filter(None, (host, path, query))), limit=400)
    if len(slug) > ID_CHARS:
        digest = hashlib.sha1(url.strip().encode("utf-8", "replace")).hexdigest()[:10]
        slug = slug[:ID_CHARS - 11].rstrip("-") + "-" + digest
    return safe_id(slug)


def _is_url(text: str) -> bool:
    return urlsplit(text.strip()).scheme in ("http", "https") and bool(urlsplit(text.strip()).hostname)


def _file_id(rel: str) -> str:
    stem = rel.rsplit(".", 1)[0] if "." in Path(rel).name else rel
    return safe_id(slugify(stem.replace("/", "-"), limit=200) or stem)


# --- text from HTML -----------------------------------------------------------

def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed item's content): scripts, styles,
    forms and navigation dropped, a paragraph per block, white space folded."""
    import lxml.html
    from lxml import etree

    if "<" not in fragment:
        return _paragraphs(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for bad in list(root.iter(*_DROPPED)):
        bad.drop_tree()
    pieces: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""  # "" for a comment: its text is skipped
        if tag in _BLOCKS:
            pieces.append("\n\n")
        if element.text and tag:
            pieces.append(element.text)
        for child in element:
            walk(child)
        if tag in _BLOCKS:
            pieces.append("\n\n")
        if element.tail:
            pieces.append(element.tail)

    walk(root)
    return _paragraphs("".join(pieces))


def _paragraphs(text: str) -> str:
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def _one_line(value: Any) -> str:
    if value in (None, ""):
        return ""
    text = str(value)
    if "<" in text:
        text = html_to_text(text)
    return sanitize_line(" ".join(text.split()))


def _date(value: Any) -> str:
    if not value:
        return ""
    if hasattr(value, "tm_year"):  # feedparser's time.struct_time, in UTC
        try:
            return _dt.datetime(*value[:6], tzinfo=_dt.timezone.utc).isoformat()
        except (ValueError, OverflowError):
            return ""
    try:
        return normalise_date(str(value).strip())
    except ValueError:
        return ""


# --- pages --------------------------------------------------------------------

def from_html(path: Path, rel: str, cleaner: Cleaner, source: str = "") -> Candidate:
    """A saved page's article, with its metadata."""
    import trafilatura

    text = decode_page(_read_bytes(path), str(path))
    try:
        document = trafilatura.bare_extraction(
            text, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
            include_links=False, favor_precision=True, prune_xpath=_FURNITURE_XPATH, output_format="python")
    except (ValueError, TypeError, RecursionError) as exc:
        raise ArticleError(path, f"cannot read the page: {str(exc)[:80] or 'malformed HTML'}") from None
    data = document.as_dict() if hasattr(document, "as_dict") else (document or {})
    title = _one_line(data.get("title"))
    body = _paragraphs(str(data.get("text") or "").replace("\n", "\n\n"))
    first, _, rest = body.partition("\n\n")
    if title and first.casefold() == title.casefold():  # the headline, already the title
        body = rest
    if not body:
        raise ArticleError(path, "no article text found in the page")
    cleaned = cleaner.clean(body, title_line=False)
    if not cleaned.body.strip():
        raise ArticleError(path, "no article text left after cleaning")
    url = str(data.get("url") or "").strip()
    url = url if _is_url(url) else ""
    meta = {
        "id": url_id(url) if url else _file_id(rel),
        "title": title,
        "source": _one_line(data.get("sitename")) or source,
        "author": _one_line(data.get("author")) or cleaned.author,
        "date": _date(data.get("date")) or cleaned.date,
        "url": url,
        "original": rel,
    }
    return Candidate(_ordered(meta), cleaned.body, str(path))


# --- feeds --------------------------------------------------------------------

def _refuse_entities(data: bytes, origin: str, *, strict: bool = False) -> None:
    """XML that declares entities (the billion laughs) or refers to external
    ones is refused before any parser that would expand them reads it. With
    ``strict``, XML that is not well-formed is refused too (a feed that is
    not is left to feedparser's lenient reading, which expands no entity)."""
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree
    from defusedxml import DefusedXmlException

    refused = ArticleError(origin, "the file declares XML entities, which are refused (an entity bomb or an "
                                   "external reference)")
    root = _ROOT_ELEMENT.search(data)
    if _ENTITY_DECLARATION.search(data, 0, root.start() if root else len(data)):  # in the prolog's DTD
        raise refused
    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise refused from None
    except ParseError as exc:
        if strict:
            raise ArticleError(origin, f"not well-formed XML: {exc}") from None


def looks_like(data: bytes) -> str:
    """"feed", "opml" or "" from the root element of an XML file."""
    head = data[:SNIFF_BYTES * 2].lower()
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>", b"", head, flags=re.DOTALL)
    match = re.search(rb"<([a-z][\w:.-]*)", head)
    root = match.group(1) if match else b""
    if root in (b"rss", b"feed", b"rdf:rdf", b"rdf"):
        return "feed"
    if root == b"opml":
        return "opml"
    return ""


def read_feed(path: Path, cleaner: Cleaner, report: ImportReport, source: str = "") -> Iterator[Candidate]:
    """One article per item of an RSS or Atom feed file."""
    data = _read_bytes(path)
    kind = looks_like(data)
    if kind == "opml":
        yield from read_opml(path, cleaner, report, source)
        return
    if kind != "feed":
        report.skipped.append((str(path), "not a feed (no <rss>, <feed> or <rdf:RDF> root element)"))
        return
    yield from _feed_items(path, data, cleaner, report, source)


def _feed_items(path: Path, data: bytes, cleaner: Cleaner, report: ImportReport, source: str) -> Iterator[Candidate]:
    import feedparser

    _refuse_entities(data, str(path))
    # A stream, never a string: feedparser fetches a string that looks like a URL.
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=False)
    if not parsed.entries and parsed.get("bozo"):
        raise ArticleError(path, f"cannot read the feed: {str(parsed.get('bozo_exception', ''))[:80]}")
    feed = parsed.feed
    site = _one_line(feed.get("title")) or source
    feed_slug = url_id(feed.get("link", "")) if _is_url(feed.get("link", "")) else _file_id(path.name)
    for number, entry in enumerate(parsed.entries, start=1):
        origin = f"{path.name}:item {number}"
        try:
            yield _feed_item(entry, origin, site, feed_slug, cleaner)
        except ArticleError as exc:
            report.failed.append((origin, exc.reason))


def _feed_item(entry: Any, origin: str, site: str, feed_slug: str, cleaner: Cleaner) -> Candidate:
    content = ""
    for part in entry.get("content") or []:
        if part.get("value"):
            content = part["value"]
            break
    content = content or entry.get("summary") or entry.get("description") or ""
    body = html_to_text(str(content))
    if not body:
        raise ArticleError(origin, "the item has no content or summary")
    link = str(entry.get("link") or "").strip()
    link = link if _is_url(link) else ""
    guid = str(entry.get("id") or "").strip()
    if link:
        art_id = url_id(link)
    elif _is_url(guid):
        art_id = url_id(guid)
    elif guid:
        art_id = safe_id(f"{feed_slug}-{slugify(guid, limit=100) or hashlib.sha1(guid.encode()).hexdigest()[:10]}")
    else:
        raise ArticleError(origin, "the item has neither a link nor a guid to give it an id")
    author = _author_name(_one_line(entry.get("author")))
    meta = {
        "id": art_id,
        "title": _one_line(entry.get("title")),
        "source": site,
        "author": author,
        "date": _date(entry.get("published_parsed") or entry.get("updated_parsed")),
        "url": link or (guid if _is_url(guid) else ""),
        "original": origin,
    }
    cleaned = cleaner.clean(body, title_line=False)
    if not cleaned.body.strip():
        raise ArticleError(origin, "no article text left after cleaning")
    meta["author"] = meta["author"] or cleaned.author
    return Candidate(_ordered(meta), cleaned.body, origin)


_ADDRESS_AND_NAME = re.compile(r"^\S+@\S+\s*\((?P<name>[^()]+)\)$|^(?P<before>[^<>@]+?)\s*<\S+@\S+>$")


def _author_name(author: str) -> str:
    """RSS writes an author as "desk@example.com (Sam Ortiz)", others as
    "Sam Ortiz <desk@example.com>": the name, not the address."""
    match = _ADDRESS_AND_NAME.match(author.strip())
    if match:
        return (match.group("name") or match.group("before") or "").strip() or author
    return author


# --- OPML ---------------------------------------------------------------------

def read_opml(path: Path, cleaner: Cleaner, report: ImportReport, source: str = "") -> Iterator[Candidate]:
    """The feeds an OPML list names that are saved beside it: a relative path
    or ``file:`` URL inside its folder, or a web address whose file name is
    a file beside the list. Remote feeds are never fetched: they are counted
    in one line of the report."""
    import defusedxml.ElementTree

    data = _read_bytes(path)
    _refuse_entities(data, str(path), strict=True)
    root = defusedxml.ElementTree.fromstring(data)
    folder = path.parent.resolve()
    remote = 0
    seen: set[Path] = set()
    for outline in root.iter("outline"):
        address = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not address:
            continue
        local = _local_feed(address, folder)
        if local is None:
            remote += 1
            continue
        if local in seen:
            continue
        seen.add(local)
        try:
            yield from _feed_items(local, _read_bytes(local), cleaner, report, source)
        except ArticleError as exc:
            report.failed.append((str(local), exc.reason))
        except OSError as exc:
            report.failed.append((str(local), exc.strerror or str(exc)))
    if remote:
        report.skipped.append((str(path), f"{remote} remote feed{'s are' if remote != 1 else ' is'} not fetched "
                                          "(links are never followed; save a feed beside the list to import it)"))


def _local_feed(address: str, folder: Path) -> Path | None:
    parts = urlsplit(address)
    if parts.scheme in ("http", "https", "feed"):
        name = Path(unquote(parts.path)).name
        candidate = folder / name if name else None
    elif parts.scheme == "file":
        candidate = Path(unquote(parts.path))
    elif not parts.scheme:
        candidate = folder / unquote(address)
    else:
        return None
    if candidate is None or not candidate.is_file():
        return None
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return resolved if is_within(resolved, folder) else None
