"""reader.cleaning: furniture rules, title, date marker, byline, paragraphs,
and the five seed texts that the bundled corpus was made from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.cleaning import Cleaner, RulesError, by_initials, paragraphs, spell_out
from reader.corpus import load_article
from reader.entities import load_entity_list

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "articles"
from shared_data import REUTERS, seed_files  # noqa: E402
SEED_ARTICLES = {
    "000": "waic-2024-preview",
    "001": "waic-2024-opening-speakers",
    "002": "china-powers-global-ai-innovation",
    "003": "waic-qualcomm-sole-us-sponsor",
    "004": "china-ai-international-cooperation",
}


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner(known_places=load_entity_list(ARTICLES).places())


def seed_path(prefix: str) -> Path:
    matches = seed_files(f"{prefix}_*.txt")
    assert len(matches) == 1, f"one seed {prefix} expected, found {matches}"
    return matches[0]


# --- furniture rules --------------------------------------------------------------

@pytest.mark.parametrize(
    "rule, line, source",
    [
        ("advertisement", "Advertisement", ""),
        ("advertisement", "  ADVERTISEMENT  ", ""),
        ("advertisement", "Sponsored content", ""),
        ("advertisement", "[Ad]", ""),
        ("reading-time", "Reading Time:2 minutes", ""),
        ("reading-time", "reading time: 4 min", ""),
        ("trust-notice", "Why you can trust SCMP", "SCMP"),
        ("counter", "2", ""),
        ("counter", "147", ""),
        ("image-alt-caption", "Elon Musk speaks. Photo: Reuters alt=Elon Musk speaks. Photo: Reuters>", ""),
        ("photo-caption", "A staff member looks at a robot in Shanghai on July 9, 2020. Photo: Reuters", ""),
        ("photo-caption", "Visitors attend the conference. Photo: Xinhua", ""),
        ("copyright", "Copyright (c) 2024. South China Morning Post Publishers Ltd. All rights reserved.", ""),
        ("copyright", "© 2024 Example Media. All rights reserved", ""),
        (
            "originally-appeared",
            "This article originally appeared in the South China Morning Post (SCMP), the most authoritative "
            "voice reporting on China and Asia for more than a century.",
            "South China Morning Post",
        ),
        ("originally-appeared", "This article first appeared on Example Daily.", "Example Daily"),
        (
            "scmp-knowledge-promo",
            "Do you have questions about the biggest topics and trends from around the world? Get the answers "
            "with SCMP Knowledge, our new platform of curated content.",
            "",
        ),
        ("source-agencies", "Source Agencies", ""),
        ("source-agencies", "Source: agencies", ""),
        ("reuter-trailer", " Reuter", ""),
        ("reuter-trailer", "REUTER", ""),
        ("share-buttons", "Share this article", ""),
        ("share-buttons", "Share on Facebook", ""),
        ("share-buttons", "Print", ""),
        ("subscribe-promo", "Sign up for our daily newsletter and get the news first", ""),
    ],
)
def test_builtin_furniture_rules(cleaner: Cleaner, rule: str, line: str, source: str) -> None:
    assert cleaner.furniture_rule(line) == (rule, source)


@pytest.mark.parametrize(
    "line",
    [
        "The advertisement market grew 5% last year.",
        "Reading time is precious, he said.",
        "2024",
        "Apple, Amazon, Microsoft and Tesla will all be at the conference.",
        "The company said Reuters reported the deal first.",
        "Shares of the firm rose.",
        "Premier Li Qiang will deliver the opening speech.",
        "Chinese AI champion SenseTime said it would release its model.",
        "",
    ],
)
def test_story_lines_are_not_furniture(cleaner: Cleaner, line: str) -> None:
    assert cleaner.furniture_rule(line) is None


def test_furniture_is_dropped_and_recorded(cleaner: Cleaner) -> None:
    raw = "Headline here\n\nAdvertisement\nFirst paragraph.\nReading Time: 3 minutes\nSecond paragraph.\nWhy you can trust SCMP\n"
    cleaned = cleaner.clean(raw)
    assert cleaned.title == "Headline here"
    assert cleaned.body == "First paragraph.\n\nSecond paragraph."
    assert cleaned.dropped == ["advertisement", "reading-time", "trust-notice"]
    assert cleaned.source == "SCMP"


def _rules_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_rules_extend_and_disable(tmp_path: Path) -> None:
    rules = _rules_file(
        tmp_path / "cleaning.yaml",
        "rules:\n"
        "  - name: more-stories\n"
        "    pattern: 'more stories from .{0,80}'\n"
        "  - name: newsroom\n"
        "    pattern: 'published by (?P<source>[\\w ]+)'\n"
        "disable: [counter]\n",
    )
    cleaner = Cleaner([rules])
    assert cleaner.furniture_rule("More stories from our newsroom") == ("more-stories", "")
    assert cleaner.furniture_rule("Published by Example Wire") == ("newsroom", "Example Wire")
    assert cleaner.furniture_rule("42") is None  # counter switched off
    assert cleaner.furniture_rule("Advertisement") == ("advertisement", "")  # others still on
    cleaned = cleaner.clean("Title\n\n42\nStory.\nMore stories from the desk\n", title_line=True)
    assert cleaned.body == "42\n\nStory."


def test_user_rule_with_same_name_replaces_builtin(tmp_path: Path) -> None:
    rules = _rules_file(tmp_path / "r.yaml", "rules:\n  - name: advertisement\n    pattern: 'ADVERT'\n")
    cleaner = Cleaner([rules])
    assert cleaner.furniture_rule("advert") == ("advertisement", "")
    assert cleaner.furniture_rule("Advertisement") is None


@pytest.mark.parametrize(
    "pattern, line",
    [("'(?i)promo'", "PROMO"), ("'(x)\\1'", "xx"), ("'(?P<w>y)(?P=w)'", "yy")],
)
def test_rules_that_cannot_join_the_union_still_work(tmp_path: Path, pattern: str, line: str) -> None:
    rules = _rules_file(tmp_path / "r.yaml", f"rules:\n  - name: mine\n    pattern: {pattern}\n")
    cleaner = Cleaner([rules])
    assert cleaner.furniture_rule(line) == ("mine", "")
    assert cleaner.furniture_rule("Advertisement") == ("advertisement", "")
    assert cleaner.furniture_rule("A story line.") is None


@pytest.mark.parametrize(
    "text, message",
    [
        ("rules:\n  - name: broken\n    pattern: '([unclosed'\n", "rule 'broken': bad pattern"),
        ("rules:\n  - name: nopattern\n", "needs a 'pattern'"),
        ("rules:\n  - name: x\n    pattern: [a, b]\n", "needs a 'pattern'"),
        ("- just\n- a list\n", "expected a mapping"),
        ("disable: counter\n", "'disable' must be a list"),
        ("rules: [\n", "line"),
    ],
)
def test_bad_rules_file_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = _rules_file(tmp_path / "bad.yaml", text)
    with pytest.raises(RulesError) as info:
        Cleaner([path])
    assert message in str(info.value)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_rules_file(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read"):
        Cleaner([tmp_path / "nope.yaml"])


# --- title, date, byline ------------------------------------------------------------

def test_title_is_the_first_short_line_without_a_full_stop(cleaner: Cleaner) -> None:
    cleaned = cleaner.clean("\n\n  China powers the future of global AI innovation  \nBody sentence one.\n")
    assert cleaned.title == "China powers the future of global AI innovation"
    assert cleaned.body == "Body sentence one."


def test_a_sentence_is_not_a_title(cleaner: Cleaner) -> None:
    cleaned = cleaner.clean("This is a sentence of the story.\nAnd another.\n")
    assert cleaned.title == ""
    assert cleaned.body == "This is a sentence of the story.\n\nAnd another."


@pytest.mark.parametrize("headline", ["Could Yukos be a blessing in disguise?", "Stop the presses!",
                                      "What next for the euro...", "Who pays? \u201cNot us\u201d\u2026"])
def test_a_question_or_exclamation_standing_alone_is_a_title(cleaner: Cleaner, headline: str) -> None:
    cleaned = cleaner.clean(f"{headline}\n\nThe text begins here. It goes on.\n")
    assert cleaned.title == headline
    assert cleaned.body == "The text begins here. It goes on."


def test_a_question_that_runs_into_the_text_is_not_a_title(cleaner: Cleaner) -> None:
    cleaned = cleaner.clean("Why now?\nBecause the market moved. It did.\n")
    assert cleaned.title == ""


def test_a_very_long_line_is_not_a_title(cleaner: Cleaner) -> None:
    long_line = " ".join(["word"] * 40)
    cleaned = cleaner.clean(long_line + "\nNext.\n")
    assert cleaned.title == ""
    assert cleaned.body.startswith(long_line)


def test_no_title_line_when_told(cleaner: Cleaner) -> None:
    cleaned = cleaner.clean("Short first line\nBody.\n", title_line=False)
    assert cleaned.title == ""
    assert cleaned.body == "Short first line\n\nBody."


def test_title_after_furniture(cleaner: Cleaner) -> None:
    cleaned = cleaner.clean("Advertisement\n\nThe real headline\n\nStory.\n")
    assert cleaned.title == "The real headline"
    assert cleaned.body == "Story."


@pytest.mark.parametrize(
    "raw, date, rest",
    [
        (" date 2024-07-04 Shanghai is set to kick off.", "2024-07-04", "Shanghai is set to kick off."),
        ("Date: 2024-07-04\nStory.", "2024-07-04", "Story."),
        ("Published - 2023-01-31 10:15 Story.", "2023-01-31", "Story."),
        ("posted 2023-01-31T10:15:00 Story.", "2023-01-31", "Story."),
    ],
)
def test_inline_date_marker(cleaner: Cleaner, raw: str, date: str, rest: str) -> None:
    cleaned = cleaner.clean(raw, title_line=False)
    assert cleaned.date == date
    assert cleaned.body == rest


def test_a_date_inside_the_text_is_not_a_marker(cleaner: Cleaner) -> None:
    cleaned = cleaner.clean("The deal closed on date 2024-07-04 in Shanghai.", title_line=False)
    assert cleaned.date == ""
    assert "2024-07-04" in cleaned.body


@pytest.mark.parametrize(
    "line, author, dateline",
    [
        ("By Tracy Qu", "Tracy Qu", ""),
        ("by Tracy Qu", "Tracy Qu", ""),
        ("BY TRACY QU", "TRACY QU", ""),
        ("By Tracy Qu in Shanghai", "Tracy Qu", "Shanghai"),
        ("By Tracy Qu, Hong Kong", "Tracy Qu", "Hong Kong"),
        ("By Mary-Ann O’Neil", "Mary-Ann O’Neil", ""),
        ("Tracy Qu in Shanghai", "Tracy Qu", "Shanghai"),
        ("Tracy Quin Shanghai", "Tracy Qu", "Shanghai"),
        ("Josh Ye in Hong Kong", "Josh Ye", "Hong Kong"),
    ],
)
def test_bylines(cleaner: Cleaner, line: str, author: str, dateline: str) -> None:
    assert cleaner.parse_byline(line) == (author, dateline)


@pytest.mark.parametrize(
    "line",
    [
        "Tracy Qu in Atlantis",  # not a known place
        "Tracy Quin Atlantis",
        "Tracy Qu",  # a name alone is not a byline
        "by the way, the event was held in Shanghai",
        "Chinese firms in Shanghai",
        "The conference will be held in Shanghai this week with many firms attending",
    ],
)
def test_not_bylines(cleaner: Cleaner, line: str) -> None:
    assert cleaner.parse_byline(line) is None


def test_run_together_byline_needs_the_place_to_be_known() -> None:
    assert Cleaner().parse_byline("Tracy Quin Shanghai") is None
    assert Cleaner(known_places=["Shanghai"]).parse_byline("Tracy Quin Shanghai") == ("Tracy Qu", "Shanghai")


def test_byline_is_removed_from_the_body(cleaner: Cleaner) -> None:
    cleaned = cleaner.clean("Headline\n\nBy Jane Doe in Shanghai\n\nFirst.\nSecond.\n")
    assert (cleaned.title, cleaned.author, cleaned.dateline) == ("Headline", "Jane Doe", "Shanghai")
    assert cleaned.body == "First.\n\nSecond."


def test_a_byline_far_into_the_story_is_left_alone(cleaner: Cleaner) -> None:
    lines = [f"Paragraph {i} of the story." for i in range(15)] + ["By Jane Doe"]
    cleaned = cleaner.clean("Headline\n" + "\n".join(lines))
    assert cleaned.author == ""
    assert cleaned.body.endswith("By Jane Doe")


# --- paragraphs ---------------------------------------------------------------------

WRAPPED = """\
Showers continued throughout the week in
the Bahia cocoa zone, alleviating the drought since early
January and improving prospects for the coming temporao.
    The dry period means the temporao will be late this year.
    Arrivals for the week ended February 22 were 155,221 bags
of 60 kilos making a cumulative total for the season of 5.93
mln against 5.81 at the same stage last year.
 Reuter
"""


def test_hard_wrapped_newswire_is_unwrapped(cleaner: Cleaner) -> None:
    cleaned = cleaner.clean(WRAPPED, title_line=False)
    assert cleaned.body.split("\n\n") == [
        "Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought since "
        "early January and improving prospects for the coming temporao.",
        "The dry period means the temporao will be late this year.",
        "Arrivals for the week ended February 22 were 155,221 bags of 60 kilos making a cumulative total "
        "for the season of 5.93 mln against 5.81 at the same stage last year.",
    ]
    assert cleaned.dropped == ["reuter-trailer"]


def test_tables_in_wrapped_text_keep_their_lines() -> None:
    lines = [
        "The company reported the following results for the quarter",
        "ended March 31, compared with the same period a year ago.",
        "    Net income rose on higher sales of its main products and",
        "lower costs in the period, the company said in a statement.",
        "    Shr      1.20 dlrs     vs     1.05 dlrs",
        "    Net      12.0 mln      vs     10.5 mln",
    ]
    result = paragraphs(lines)
    assert result[0].startswith("The company reported") and result[0].endswith("a year ago.")
    # One block, one row a line, aligned as written.
    assert result[2] == "    Shr      1.20 dlrs     vs     1.05 dlrs\n    Net      12.0 mln      vs     10.5 mln"
    assert len(result) == 3


def test_one_paragraph_per_line_web_text_and_bullets() -> None:
    lines = ["First paragraph, a long line of web text that is not wrapped at all.", "", "  • A bullet point", "Last."]
    assert paragraphs(lines) == [
        "First paragraph, a long line of web text that is not wrapped at all.",
        "A bullet point",
        "Last.",
    ]


def test_real_reuters_record_is_unwrapped_without_losing_words(cleaner: Cleaner) -> None:
    with open(REUTERS, encoding="utf-8") as handle:
        record = json.loads(handle.readline())
    cleaned = cleaner.clean(record["body"], title_line=False)
    raw_words = record["body"].split()
    assert raw_words[-1] == "Reuter"
    assert cleaned.body.split() == raw_words[:-1]
    indented = sum(1 for line in record["body"].split("\n") if line.startswith("    "))
    assert len(cleaned.body.split("\n\n")) == indented + 1
    assert all("\n" not in p for p in cleaned.body.split("\n\n"))


# Words that no furniture rule, byline or date marker can take.
story_word = st.sampled_from(["xylo", "quartz", "zephyr", "jinx", "vex", "qoph", "wyvern"])
story_line = st.lists(story_word, min_size=1, max_size=14).map(" ".join)
furniture_line = st.sampled_from(
    ["Advertisement", "Reading Time:2 minutes", "Why you can trust SCMP", "3", "Source Agencies", " Reuter",
     "Copyright (c) 2024 X Ltd. All rights reserved."]
)


@given(st.lists(story_line | st.just(""), max_size=30), st.booleans())
def test_cleaning_keeps_every_story_word_in_order(lines: list[str], indent: bool) -> None:
    text = "\n".join(("    " + l if indent and i % 3 == 0 and l else l) for i, l in enumerate(lines))
    cleaned = Cleaner().clean(text, title_line=False)
    assert cleaned.body.split() == text.split()
    assert "\n\n\n" not in cleaned.body
    assert cleaned.body == cleaned.body.strip()


@given(st.lists(st.tuples(st.booleans(), story_line, furniture_line), max_size=25))
def test_furniture_anywhere_is_removed_and_nothing_else(rows: list[tuple[bool, str, str]]) -> None:
    lines: list[str] = []
    story: list[str] = []
    for is_furniture, line, furniture in rows:
        if is_furniture:
            lines.append(furniture)
        else:
            lines.append(line)
            story.extend(line.split())
    cleaned = Cleaner().clean("\n".join(lines), title_line=False)
    assert cleaned.body.split() == story


@given(st.text(max_size=500))
def test_clean_never_fails_and_returns_clean_text(text: str) -> None:
    cleaned = Cleaner(known_places=["Shanghai"]).clean(text)
    for value in (cleaned.body, cleaned.title, cleaned.author, cleaned.dateline, cleaned.source):
        assert "\x1b" not in value and "\r" not in value
        assert not any(ord(c) < 32 and c not in "\n\t" for c in value)
    assert "\n" not in cleaned.title


# --- a source named by its initials --------------------------------------------------------

@pytest.mark.parametrize("short, text, names, expected", [
    ("SCMP", "It appeared in the South China Morning Post (SCMP), the voice of Asia.", [], "South China Morning Post"),
    ("BBC", "The British Broadcasting Corporation (BBC) said so.", [], "British Broadcasting Corporation"),
    ("NYT", "Nothing here.", ["The New York Times", "Shanghai"], "The New York Times"),
    ("SCMP", "Alibaba owns the South China Morning Post.", ["South China Morning Post"], "South China Morning Post"),
    # Capitalised words with the right initials are no evidence without a definition.
    ("SCMP", "Alibaba owns the South China Morning Post.", [], "SCMP"),
    ("AP", "After President Biden spoke, reporters left.", [], "AP"),
    ("AFP", "The Armed Forces of the Philippines said so.", ["Agence France Presse"], "Agence France Presse"),
    # Two known names fit: neither is taken.
    ("SCMP", "Nothing here.", ["South China Morning Post", "Sky City Media Partners"], "SCMP"),
    ("SCMP", "Why you can trust SCMP", [], "SCMP"),
    # Not initials: as it is.
    ("Reuters", "Reuters Ltd (Reuters)", ["Reuters"], "Reuters"),
    ("Xinhua News", "x", [], "Xinhua News"),
])
def test_a_source_given_by_initials_is_spelled_out(short: str, text: str, names: list[str], expected: str) -> None:
    assert spell_out(short, text, by_initials(names)) == expected


@pytest.mark.timeout(10)
def test_spelling_out_stays_fast_on_long_runs_of_capitals() -> None:
    # Each took seconds when the name pattern could span an unbounded word.
    for text in ("A" * 20_000 + " (AP)", "Abc " * 20_000 + "(AP)", "(AP) " * 5_000):
        assert spell_out("AP", text) == "AP"


# --- the seeds ------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", sorted(SEED_ARTICLES))
def test_seed_cleans_to_exactly_the_bundled_body(cleaner: Cleaner, prefix: str) -> None:
    raw = seed_path(prefix).read_text(encoding="utf-8")
    cleaned = cleaner.clean(raw)
    article = load_article(ARTICLES / f"{SEED_ARTICLES[prefix]}.md", ARTICLES)
    assert cleaned.body == article.body
    assert cleaned.title == article.title
    assert cleaned.date == article.date
    assert cleaned.author == article.author
    assert cleaned.dateline == article.extra.get("dateline", "")
    assert article.original == seed_path(prefix).name


def test_seed_metadata(cleaner: Cleaner) -> None:
    entity_list = load_entity_list(ARTICLES)
    preview = cleaner.clean(seed_path("000").read_text(encoding="utf-8"))
    assert preview.date == "2024-07-04" and preview.title == ""
    assert preview.body.startswith("Shanghai is set to kick off")
    speakers = cleaner.clean(seed_path("001").read_text(encoding="utf-8"))
    assert speakers.title == "" and speakers.source == "South China Morning Post"
    assert set(speakers.dropped) >= {"scmp-knowledge-promo", "image-alt-caption", "originally-appeared",
                                     "copyright", "source-agencies"}
    qualcomm = cleaner.clean(seed_path("003").read_text(encoding="utf-8"))
    assert (qualcomm.author, qualcomm.dateline) == ("Tracy Qu", "Shanghai")
    # The trust notice names the source by its initials, which the text never
    # defines; the entity list's names spell them out when the cleaner knows them.
    assert qualcomm.source == "SCMP"
    assert entity_list.lookup("South China Morning Post")
    names = [n for e in entity_list.entities.values() for n in e.names]
    for prefix in ("003", "004"):
        raw = seed_path(prefix).read_text(encoding="utf-8")
        assert Cleaner(known_names=names).clean(raw).source == "South China Morning Post"
    assert "counter" in qualcomm.dropped and "photo-caption" in qualcomm.dropped


@pytest.mark.parametrize("prefix", sorted(SEED_ARTICLES))
def test_seed_story_sentences_survive_and_furniture_goes(cleaner: Cleaner, prefix: str) -> None:
    raw = seed_path(prefix).read_text(encoding="utf-8")
    body = cleaner.clean(raw).body
    for furniture in ("Advertisement", "Reading Time", "Why you can trust", "alt=", "Copyright",
                      "Source Agencies", "Do you have questions", "originally appeared", "Photo:"):
        assert furniture not in body
    assert body.count("\n\n") >= 3


# --- shapes seen in real imports ------------------------------------------------------

def test_character_references_are_decoded_once_in_title_and_body(cleaner: Cleaner) -> None:
    raw = ("Profits of &#163;1.8m at Caf&eacute; chain\n\n"
           "Shares rose to &#x20AC;3 &amp; more; the 2&frac12;% rise beat R&D and AT&T&notes.\n"
           "Written &amp;lt;b&amp;gt; it stays &amp;lt;b&amp;gt;.\n")
    cleaned = cleaner.clean(raw)
    assert cleaned.title == "Profits of £1.8m at Café chain"
    assert cleaned.body.split("\n\n") == [
        "Shares rose to €3 & more; the 2½% rise beat R&D and AT&T&notes.",
        "Written &lt;b&gt; it stays &lt;b&gt;.",
    ]


def test_a_decoded_reference_is_text_not_markup_or_control(cleaner: Cleaner) -> None:
    raw = "A &lt;b&gt;bold&lt;/b&gt; claim &#91;link=x&#93; &#27;&#91;31mred&#7; &#0;end &#xD800;.\n"
    body = cleaner.clean(raw, title_line=False).body
    assert body == "A <b>bold</b> claim [link=x] [31mred \ufffdend \ufffd."
    assert not any(ord(c) < 32 for c in body)


@pytest.mark.parametrize("badge", ["3 min read", "12 min read", "5-minute read", "4 mins to read", "About 3 min read",
                                   "Read time: 4 min", "Reading Time:2 minutes", "Estimated reading time 6 minutes"])
def test_reading_time_badges_are_furniture(cleaner: Cleaner, badge: str) -> None:
    cleaned = cleaner.clean(f"A headline\n{badge}\n\nThe story took 3 min to read aloud.\n")
    assert cleaned.body == "The story took 3 min to read aloud."
    assert cleaned.dropped == ["reading-time"]


@pytest.mark.parametrize("raw", [
    "Port reopens after the storm\ndate 2024-07-06 The port reopened on Saturday.\n",
    "Port reopens after the storm\n\ndate 2024-07-06\n\nThe port reopened on Saturday.\n",
    "Port reopens after the storm date 2024-07-06\n\nThe port reopened on Saturday.\n",
    "Port reopens after the storm\nPublished: 2024-07-06 09:30\nThe port reopened on Saturday.\n",
])
def test_a_date_marker_after_the_headline_dates_the_article_and_leaves_the_text(cleaner: Cleaner, raw: str) -> None:
    cleaned = cleaner.clean(raw)
    assert (cleaned.title, cleaned.date, cleaned.body) == (
        "Port reopens after the storm", "2024-07-06", "The port reopened on Saturday.")


def test_a_marker_at_the_start_wins_and_an_impossible_date_stays_text(cleaner: Cleaner) -> None:
    cleaned = cleaner.clean("date 2024-07-01 Port reopens\ndate 2024-07-06 The port reopened.\n")
    assert (cleaned.title, cleaned.date, cleaned.body) == ("Port reopens", "2024-07-01", "The port reopened.")
    cleaned = cleaner.clean("Port reopens\ndate 2024-13-45 is a code.\n")
    assert (cleaned.date, cleaned.body) == ("", "date 2024-13-45 is a code.")


# Wire copy the way a newswire sends it: the first line short (the dateline
# stood before it), paragraphs indented, a table of labels with figures.
WIRE_WITH_TABLE = """\
The harbour board said it has changed
the mix of fees it charges shipping lines from next month.
Fees  follow each line's share of the cargo moved through
the port.
    Fees in units compared with the former fees.
    Containers  4.0 (3.8)
    Bulk cargo 11.3 (12.8)
    Cruise ships 2.4 (2.6)
    The board said the change would be reviewed
in a year - or sooner - if volumes fell.
"""


def test_wire_copy_is_reflowed_and_its_table_keeps_its_lines(cleaner: Cleaner) -> None:
    cleaned = cleaner.clean(WIRE_WITH_TABLE, title_line=False)
    assert cleaned.body.split("\n\n") == [
        "The harbour board said it has changed the mix of fees it charges shipping lines from next month. "
        "Fees follow each line's share of the cargo moved through the port.",
        "Fees in units compared with the former fees.",
        "    Containers  4.0 (3.8)\n    Bulk cargo 11.3 (12.8)\n    Cruise ships 2.4 (2.6)",
        "The board said the change would be reviewed in a year - or sooner - if volumes fell.",
    ]


def test_results_rows_are_one_block_each_and_a_dash_carries_the_sentence_on() -> None:
    lines = [
        "Shr 80 cts vs 62 cts",
        "    Net 11.1 mln vs 8,545,000",
        "    Revs 68.6 mln vs 41.9 mln",
        "    Nine mths",
        "    Shr 1.96 dlrs vs 1.88 dlrs",
        "    Net 26.8 mln vs 24.1 mln",
        "    The company said its results came from three sources",
        "- higher prices, lower costs and a larger share of the",
        "market, it said in a statement issued on Tuesday.",
        "    It listed its new plants:",
        "    - one in the north,",
        "    - one in the south.",
    ]
    assert paragraphs(lines) == [
        "Shr 80 cts vs 62 cts\n    Net 11.1 mln vs 8,545,000\n    Revs 68.6 mln vs 41.9 mln",
        "Nine mths",
        "    Shr 1.96 dlrs vs 1.88 dlrs\n    Net 26.8 mln vs 24.1 mln",
        "The company said its results came from three sources - higher prices, lower costs and a larger "
        "share of the market, it said in a statement issued on Tuesday.",
        "It listed its new plants:",
        "one in the north,",
        "one in the south.",
    ]


def test_a_paragraph_opening_with_figures_is_prose_not_a_row() -> None:
    lines = [
        "Cocoa arrivals rose again in the week to the end of",
        "the month, traders said, as the weather held.",
        "    Arrivals for the week ended May 22 were 155,221 bags",
        "of 60 kilos for a season total of 5.93",
        "mln bags against 5.81 mln a year ago.",
    ]
    assert paragraphs(lines) == [
        "Cocoa arrivals rose again in the week to the end of the month, traders said, as the weather held.",
        "Arrivals for the week ended May 22 were 155,221 bags of 60 kilos for a season total of 5.93 "
        "mln bags against 5.81 mln a year ago.",
    ]


def test_short_lines_of_web_text_are_not_reflowed() -> None:
    lines = ["Key points", "Schools open late", "Buses run as usual", "Roads stay closed until noon"]
    assert paragraphs(lines) == lines


def test_a_real_wire_record_with_a_short_first_line_is_one_paragraph(cleaner: Cleaner) -> None:
    """Reuters 11972: its first two lines are one sentence, its figures a table."""
    with open(REUTERS, encoding="utf-8") as handle:
        record = next(r for r in map(json.loads, handle) if r["id"] == 11972)
    raw_lines = record["body"].split("\n")
    body = cleaner.clean(record["body"], title_line=False).body
    first = body.split("\n\n")[0]
    assert first.startswith(" ".join(raw_lines[0].split() + raw_lines[1].split()))
    rows = [line.rstrip() for line in raw_lines if line.startswith("    ") and line.rstrip()[-1:] == ")"]
    assert len(rows) >= 5 and "\n".join(rows) in body.split("\n\n")
