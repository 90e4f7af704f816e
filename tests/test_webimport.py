"""Import of saved web pages, RSS and Atom feed files and OPML lists: the
article's text without the page's furniture, its metadata, ids from URLs so a
second import adds only what is new, and hostile pages and feeds failing in
one line while nothing touches the network."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from reader import ingest, webimport
from reader.cli import main
from reader.corpus import MAX_ARTICLE_BYTES, load_article

NEWS_URL = "https://www.coastaltimes.example/news/2024/07/harbour-bridge-reopens"
NEWS_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Harbour Bridge Reopens | Coastal Times</title>
<meta property="og:title" content="Harbour bridge reopens after two-year repair">
<meta property="og:site_name" content="Coastal Times">
<meta property="og:url" content="{NEWS_URL}?utm_source=feed">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Harbour bridge reopens after two-year repair",
 "author": {{"@type": "Person", "name": "Maria Lindqvist"}},
 "publisher": {{"@type": "Organization", "name": "Coastal Times"}}}}</script>
<script>document.write("SCRIPT-TEXT"); fetch("https://tracker.example/beacon");</script>
<style>.banner {{ color: red }} STYLE-TEXT</style>
</head><body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience.
Accept all cookies or manage your preferences.</p><button>Accept all</button></div>
<nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
<header><div class="masthead">Coastal Times</div></header>
<main><article>
<h1>Harbour bridge reopens after two-year repair</h1>
<p class="byline">By <span class="author">Maria Lindqvist</span>,
<time datetime="2024-07-04T09:30:00Z" pubdate>4 July 2024</time></p>
<p>The harbour bridge reopened to traffic on Thursday morning after a repair programme that lasted
two years and cost the city 48 million euros, officials said.</p>
<p>Engineers replaced the steel cables that hold the main span, and the deck was resurfaced along
its whole length of 1.2 kilometres. "It is as strong as the day it was built," said the city's
chief engineer, Pieter Janssen.</p>
<script>var inline = "INLINE-SCRIPT-TEXT";</script>
<p>Commuters had faced detours of up to forty minutes while the bridge was closed. The ferry service
that ran in its place will stop at the end of the month.</p>
<aside class="related-articles"><h3>Related articles</h3><ul>
<li><a href="/a">RELATED-BOX City council approves new tram line</a></li>
<li><a href="/b">RELATED-BOX Port traffic at record high</a></li></ul></aside>
<p>The council plans a public celebration on the bridge next Saturday, with the road closed to cars
for the afternoon.</p>
</article></main>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>COMMENT-TEXT finally, it took them long enough!</p></div></section>
<footer><p>FOOTER-TEXT Copyright 2024 Coastal Times. All rights reserved.</p></footer>
</body></html>
"""
FURNITURE = ("SCRIPT-TEXT", "INLINE-SCRIPT-TEXT", "STYLE-TEXT", "cookies", "Weather", "RELATED-BOX",
             "COMMENT-TEXT", "FOOTER-TEXT", "tracker.example", "<", ">")

# windows-1252 bytes: curly quotes (0x93, 0x94), an e acute (0xE9), a euro sign (0x80).
LATIN_PAGE = (
    b'<html><head><meta charset="ISO-8859-1"><title>Caf\xe9 prices</title>'
    b'<meta property="og:title" content="Caf\xe9 prices rise in the old town">'
    b'<meta property="og:site_name" content="Le Petit Journal">'
    b'<meta name="author" content="Ren\xe9e Dupont"></head><body><article>'
    b'<h1>Caf\xe9 prices rise in the old town</h1>'
    b'<p>A coffee at the caf\xe9s of the old town now costs \x803.20, up from \x802.80 a year ago, '
    b'the owners\x92 association said on Monday in its yearly survey of prices.</p>'
    b'<p>\x93We had no choice,\x94 said one owner, who pointed to the cost of milk and of rent. '
    b'The association expects prices to stay where they are until the spring.</p>'
    b'</article></body></html>'
)


def rss(items: list[tuple[str, str, str]], *, extra: str = "") -> str:
    """An RSS 2.0 feed of (guid, title, html content) items."""
    body = "".join(f"""
  <item>
    <title>{title}</title>
    <link>https://www.coastaltimes.example/news/{guid}</link>
    <guid isPermaLink="false">ct-{guid}</guid>
    <pubDate>Thu, 04 Jul 2024 09:30:00 GMT</pubDate>
    <dc:creator>Maria Lindqvist</dc:creator>
    <description>Short summary of {guid}.</description>
    <content:encoded><![CDATA[{content}]]></content:encoded>
  </item>""" for guid, title, content in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>{extra}
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Coastal Times</title><link>https://www.coastaltimes.example/</link>
<description>News from the coast</description>{body}
</channel></rss>
"""


ITEM_HTML = ("<p>The ferry company said on Thursday that it would add two boats to the summer timetable, "
             "after a season of record crowds.</p><script>alert('ITEM-SCRIPT')</script>"
             "<p>Tickets go on sale on <b>Monday</b> &amp; cost the same as last year.</p>"
             "<div class='share'><iframe src='https://ads.example/x'>IFRAME-TEXT</iframe></div>")

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Hill Gazette</title>
  <link href="https://gazette.example/"/>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2024-07-05T10:00:00Z</updated>
  <entry>
    <title type="html">Orchard &lt;em&gt;harvest&lt;/em&gt; starts early</title>
    <id>tag:gazette.example,2024:orchard-harvest</id>
    <updated>2024-07-05T10:00:00Z</updated>
    <published>2024-07-05T08:00:00Z</published>
    <author><name>Tom Okafor</name></author>
    <summary type="html">&lt;p&gt;The apple harvest in the hill orchards began two weeks early this
      year after a warm spring, growers said on Friday.&lt;/p&gt;</summary>
  </entry>
</feed>
"""

BILLION_LAUGHS = """<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>"""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any attempt to reach the network is recorded and refused; each test
    checks at its end (through this fixture's teardown) that there was none."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        attempts.append(repr(args[:2]))
        raise OSError("network access during an import")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield attempts
    assert attempts == [], f"the import tried to reach the network: {attempts}"


def run_import(capsys: pytest.CaptureFixture[str], folder: Path, *paths: Path, index: bool = False,
               tmp: Path | None = None) -> tuple[int, dict, str]:
    args = ["--articles", str(folder)]
    if tmp is not None:
        args += ["--index", str(tmp)]
    args += ["import", *map(str, paths), "--json"]
    if not index:
        args.append("--no-index")
    code = main(args)
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def article(folder: Path, article_id: str):  # type: ignore[no-untyped-def]
    return load_article(folder / f"{article_id}.md", folder)


def test_the_suffixes_ingest_hands_over_are_those_webimport_reads() -> None:
    assert ingest.WEB_SUFFIXES == webimport.WEB_SUFFIXES


def test_a_news_page_gives_its_article_alone_with_the_metadata_of_its_head(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "saved" / "bridge.html"
    page.parent.mkdir()
    page.write_text(NEWS_PAGE, encoding="utf-8")
    folder = tmp_path / "articles"
    code, report, err = run_import(capsys, folder, page, index=True, tmp=tmp_path / "index")
    assert code == 0, err
    expected_id = "coastaltimes-example-news-2024-07-harbour-bridge-reopens"  # from og:url, tracking dropped
    assert report["added"] == [expected_id]
    got = article(folder, expected_id)
    assert got.title == "Harbour bridge reopens after two-year repair"  # og:title, not the <title>
    assert got.source == "Coastal Times"  # og:site_name
    assert got.author == "Maria Lindqvist"  # JSON-LD
    assert got.date == "2024-07-04"  # <time datetime>
    assert got.url == NEWS_URL + "?utm_source=feed"
    assert got.original == "bridge.html"
    paragraphs = got.body.split("\n\n")
    assert paragraphs[0].startswith("The harbour bridge reopened to traffic on Thursday morning")
    assert paragraphs[-1].startswith("The council plans a public celebration")
    assert '"It is as strong as the day it was built," said' in got.body
    assert len(paragraphs) == 4  # no headline repeated, no byline, no box
    for furniture in FURNITURE:
        assert furniture not in got.body, furniture
    # Indexed with the import: found by search, shown as any article.
    assert main(["--articles", str(folder), "--index", str(tmp_path / "index"), "search", "ferry", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert [h["id"] for h in hits] == [expected_id]


def test_a_page_in_a_declared_latin_charset_is_read_as_windows_1252(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "cafe.htm"
    page.write_bytes(LATIN_PAGE)
    folder = tmp_path / "articles"
    code, report, err = run_import(capsys, folder, page)
    assert code == 0, err
    assert report["added"] == ["cafe"]  # no URL in the page: the file's name
    got = article(folder, "cafe")
    assert got.title == "Café prices rise in the old town"
    assert got.source == "Le Petit Journal"
    assert got.author == "Renée Dupont"
    assert "costs €3.20, up from €2.80" in got.body
    assert "owners’ association" in got.body
    assert "“We had no choice,” said one owner" in got.body
    assert "\ufffd" not in got.body


def test_a_page_whose_bytes_are_no_text_in_its_charset_fails_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"<html><head><meta charset='utf-8'></head><body><p>caf\xe9 \xff\xfe</p></body></html>")
    unknown = tmp_path / "unknown.html"
    unknown.write_bytes(b"<html><head><meta charset='x-no-such-charset'></head><body><p>text</p></body></html>")
    good = tmp_path / "good.html"
    good.write_text(NEWS_PAGE, encoding="utf-8")
    code, report, err = run_import(capsys, tmp_path / "articles", bad, unknown, good)
    assert code == 0
    failed = {Path(f["source"]).name: f["reason"] for f in report["failed"]}
    assert "not valid utf-8 text at byte" in failed["bad.html"]
    assert "unknown character set" in failed["unknown.html"]
    assert len(report["added"]) == 1  # the import went on
    assert all("\n" not in reason for reason in failed.values())


def test_rss_items_are_articles_and_a_second_import_adds_only_new_items(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "coastal.rss"
    first = [("ferry-boats", "Ferry company adds two boats", ITEM_HTML),
             ("tide-record", "Highest tide in a decade", "<p>The tide rose to 3.1 metres on Wednesday night, "
                                                         "the highest in ten years.</p>")]
    feed.write_text(rss(first), encoding="utf-8")
    folder = tmp_path / "articles"
    code, report, err = run_import(capsys, folder, feed)
    assert code == 0, err
    ids = ["coastaltimes-example-news-ferry-boats", "coastaltimes-example-news-tide-record"]
    assert report["added"] == ids  # from each item's link
    got = article(folder, ids[0])
    assert got.title == "Ferry company adds two boats"
    assert got.source == "Coastal Times"
    assert got.author == "Maria Lindqvist"
    assert got.date == "2024-07-04T09:30:00+00:00"
    assert got.url == "https://www.coastaltimes.example/news/ferry-boats"
    assert got.body == ("The ferry company said on Thursday that it would add two boats to the summer timetable, "
                        "after a season of record crowds.\n\nTickets go on sale on Monday & cost the same as last year.")
    for hostile in ("ITEM-SCRIPT", "IFRAME-TEXT", "alert", "<"):
        assert hostile not in got.body

    # The same feed again: nothing new, no --replace needed.
    code, report, _ = run_import(capsys, folder, feed)
    assert code == 0 and report["added"] == []
    assert [s["reason"].split(" exists")[0] for s in report["skipped"]] == [f"article {i!r}" for i in ids]
    # The feed a day later, with one new item on top.
    feed.write_text(rss([("storm-warning", "Storm warning for the weekend", "<p>Winds of up to 90 km/h are "
                                                                            "expected on Saturday.</p>")] + first))
    code, report, _ = run_import(capsys, folder, feed)
    assert report["added"] == ["coastaltimes-example-news-storm-warning"]
    assert len(report["skipped"]) == 2
    assert len(list(folder.glob("*.md"))) == 3


def test_an_item_without_a_link_takes_its_id_from_its_guid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = rss([("x", "Tide", "<p>The tide rose to 3.1 metres on Wednesday night.</p>")])
    text = text.replace("<link>https://www.coastaltimes.example/news/x</link>", "")
    feed = tmp_path / "feed.xml"
    feed.write_text(text)
    code, report, err = run_import(capsys, tmp_path / "articles", feed)
    assert report["added"] == ["coastaltimes-example-ct-x"], err  # the feed's site and the guid


def test_an_atom_feed_gives_title_author_date_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "gazette.atom"
    feed.write_text(ATOM)
    folder = tmp_path / "articles"
    code, report, err = run_import(capsys, folder, feed)
    assert code == 0, err
    # No link: the feed's site and the entry's guid.
    assert report["added"] == ["gazette-example-tag-gazette-example-2024-orchard-harvest"]
    got = article(folder, report["added"][0])
    assert got.title == "Orchard harvest starts early"  # the HTML title stripped
    assert got.author == "Tom Okafor"
    assert got.source == "Hill Gazette"
    assert got.date == "2024-07-05T08:00:00+00:00"  # published, not updated
    assert got.body == ("The apple harvest in the hill orchards began two weeks early this year after a warm "
                        "spring, growers said on Friday.")


def test_an_opml_list_imports_the_feeds_saved_beside_it_and_fetches_none(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "feeds"
    saved.mkdir()
    (saved / "coastal.xml").write_text(rss([("ferry-boats", "Ferry company adds two boats", ITEM_HTML)]))
    (saved / "gazette.atom").write_text(ATOM)
    outside = tmp_path / "outside.rss"
    outside.write_text(rss([("secret", "Outside", "<p>Not beside the list.</p>")]))
    opml = saved / "subscriptions.opml"
    opml.write_text(f"""<?xml version="1.0"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="News">
    <outline text="Coastal Times" type="rss" xmlUrl="https://www.coastaltimes.example/coastal.xml"/>
    <outline text="Gazette" type="rss" xmlUrl="gazette.atom"/>
    <outline text="Escape" type="rss" xmlUrl="../outside.rss"/>
    <outline text="Elsewhere" type="rss" xmlUrl="https://elsewhere.example/feed"/>
    <outline text="Also elsewhere" type="rss" xmlUrl="https://other.example/rss.xml"/>
  </outline>
</body></opml>""")
    code, report, err = run_import(capsys, tmp_path / "articles", opml)
    assert code == 0, err
    assert len(report["added"]) == 2
    assert "coastaltimes-example-news-ferry-boats" in report["added"]
    assert not any("secret" in a for a in report["added"])  # a path out of the list's folder is not read
    [skip] = report["skipped"]
    assert skip["reason"].startswith("3 remote feeds are not fetched")


def test_an_xml_bomb_in_a_feed_fails_in_one_line_and_the_import_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.rss"
    bomb.write_text(rss([("lol", "&lol9;", "<p>&lol9;</p>")], extra=BILLION_LAUGHS).replace(
        "<![CDATA[<p>&lol9;</p>]]>", "&lol9;"))
    opml_bomb = tmp_path / "bomb.opml"
    opml_bomb.write_text(BILLION_LAUGHS.replace("rss", "opml") + '<opml><body><outline xmlUrl="&lol9;"/></body></opml>')
    good = tmp_path / "good.rss"
    good.write_text(rss([("tide-record", "Tide", "<p>The tide rose to 3.1 metres.</p>")]))
    code, report, err = run_import(capsys, tmp_path / "articles", bomb, opml_bomb, good)
    assert code == 0
    reasons = {Path(f["source"]).name: f["reason"] for f in report["failed"]}
    assert set(reasons) == {"bomb.rss", "bomb.opml"}
    assert all("declares XML entities" in r for r in reasons.values())
    assert report["added"] == ["coastaltimes-example-news-tide-record"]
    assert code == 0 and "Traceback" not in err


def test_hostile_pages_fail_or_import_in_one_line_without_scripts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = tmp_path / "huge.html"
    with open(huge, "wb") as handle:
        handle.write(b"<html><body>")
        chunk = b"<p>" + b"padding words " * 1000 + b"</p>\n"
        while handle.tell() <= MAX_ARTICLE_BYTES:
            handle.write(chunk)
    malformed = tmp_path / "malformed.html"
    malformed.write_text("<html><body><div><p>The mayor opened the new library on Tuesday, the first in the "
                         "district for forty years, and said that it would be open seven days a week.<p>Half a "
                         "million books <b><i>are on <table><td>its shelves</div></span></html>", encoding="utf-8")
    scripts = tmp_path / "scripts.html"
    scripts.write_text("<html><body><article><p>The school board voted on Monday to keep the old building, "
                       "which parents had asked it to save, and to repair its roof by the autumn.</p>"
                       "<script>document.cookie='SCRIPT-RAN'</script><noscript>NOSCRIPT-TEXT</noscript>"
                       "<p onclick=\"alert('HANDLER')\">Work starts in August and should take three months, "
                       "the board said.</p><img src=x onerror=\"alert('ONERROR')\"></article></body></html>")
    empty_page = tmp_path / "nav-only.html"
    empty_page.write_text("<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>")
    not_a_feed = tmp_path / "config.xml"
    not_a_feed.write_text("<?xml version='1.0'?><settings><colour>blue</colour></settings>")
    folder = tmp_path / "articles"
    code, report, err = run_import(capsys, folder, huge, malformed, scripts, empty_page, not_a_feed)
    assert code == 0, err
    failed = {Path(f["source"]).name: f["reason"] for f in report["failed"]}
    assert "over the 16 MB limit" in failed["huge.html"]
    assert failed["nav-only.html"] == "no article text found in the page"
    skipped = {Path(s["source"]).name: s["reason"] for s in report["skipped"]}
    assert skipped["config.xml"].startswith("not a feed")
    assert sorted(report["added"]) == ["malformed", "scripts"]
    assert "Half a million books are on" in article(folder, "malformed").body
    body = article(folder, "scripts").body
    assert "Work starts in August" in body
    for hostile in ("SCRIPT-RAN", "NOSCRIPT-TEXT", "HANDLER", "ONERROR", "<", "cookie"):
        assert hostile not in body
    assert "Traceback" not in err


def test_a_feed_item_with_control_sequences_is_sanitised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "esc.rss"
    feed.write_text(rss([("esc", "Title \x1b]0;pwned\x07 here", "<p>Text \x1b[31mred\x1b[0m and plain, long "
                                                             "enough to be an article.</p>")]))
    folder = tmp_path / "articles"
    code, report, err = run_import(capsys, folder, feed)
    got = article(folder, report["added"][0])
    assert "\x1b" not in got.title and "\x07" not in got.title
    assert "\x1b" not in got.body and "red and plain" in got.body.replace("[31m", "").replace("[0m", "")


def test_url_ids_are_stable_plain_file_names() -> None:
    assert webimport.url_id("https://www.example.com/news/2024/story.html?utm_source=x#top") == \
        "example-com-news-2024-story-html"
    assert webimport.url_id("https://example.com/a/index.html") == webimport.url_id("https://example.com/a/")
    long_a = webimport.url_id("https://example.com/" + "word-" * 60 + "a")
    long_b = webimport.url_id("https://example.com/" + "word-" * 60 + "b")
    assert long_a != long_b and len(long_a) <= webimport.ID_CHARS
    assert ingest.ID_PATTERN.match(long_a)


def test_an_rss_author_written_with_an_address_gives_the_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = rss([("x", "Tide", "<p>The tide rose to 3.1 metres on Wednesday night.</p>")])
    text = re.sub(r"<author>.*?</author>|<dc:creator>.*?</dc:creator>", "", text)
    text = text.replace("<title>Tide</title>", "<title>Tide</title><author>desk@coastaltimes.example (Sam Ortiz)</author>")
    feed = tmp_path / "feed.rss"
    feed.write_text(text)
    code, report, err = run_import(capsys, tmp_path / "articles", feed)
    assert code == 0, err
    assert article(tmp_path / "articles", report["added"][0]).author == "Sam Ortiz"


@pytest.mark.parametrize("raw, name", [("desk@coastaltimes.example (Sam Ortiz)", "Sam Ortiz"),
                                       ("Sam Ortiz <desk@coastaltimes.example>", "Sam Ortiz"),
                                       ("Sam Ortiz", "Sam Ortiz"), ("desk@coastaltimes.example", "desk@coastaltimes.example")])
def test_an_author_with_an_address_is_its_name(raw: str, name: str) -> None:
    from reader.webimport import _author_name

    assert _author_name(raw) == name
