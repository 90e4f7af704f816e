"""Shared passages and near-duplicate articles (reader.passages), and the
cache beside the index that follows the articles (reader.passage_cache)."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from reader.library import Library
from reader.passage_cache import PASSAGES_FILE
from reader.passages import PassageFinder, normal_words, sentence_spans

HARBOUR = (
    "The harbour authority approved a new ferry terminal for the northern district on Monday. "
    "Construction of the terminal will begin in the spring and take about three years. "
    "Local traders welcomed the plan, though some residents worried about traffic."
)
# The first two sentences, quoted, with a comma added, one word dropped and
# an exclamation mark, among sentences of its own.
HARBOUR_REWRITTEN = (
    "Officials in the coastal city gave few details about the cost. "
    "The harbour authority approved a new ferry terminal for the “northern district”, on Monday. "
    "'Construction of the terminal will begin in spring and take about three years!' "
    "A spokesman declined to comment further."
)
RAIN = (
    "Heavy rain flooded several streets in the old town, the fire service said on Tuesday. "
    "Schools stayed open and buses ran on shortened routes through the day."
)
MARKETS = (
    "Shares of the regional lender fell sharply after its quarterly results, analysts said on Tuesday. "
    "The bank blamed higher funding costs and a slowdown in mortgage lending for the drop."
)
LONG_STORY = (
    "The city council voted to extend the tram line to the airport by the end of the decade. "
    "The extension will add six stations and cost an estimated two billion crowns. "
    "Council members from the opposition said the budget had been underestimated. "
    "Work on the first section is expected to start next year after a public consultation. "
    "The transport department said trams would run every seven minutes at peak times."
)
LONG_STORY_RESENT = LONG_STORY.replace("two billion crowns", "2 billion crowns") + " (Corrects figure in paragraph two.)"


def finder_of(**articles: str) -> PassageFinder:
    finder = PassageFinder()
    for article_id, body in articles.items():
        finder.add(article_id, body)
    return finder


def test_sentences_and_words_ignore_punctuation_and_quotes() -> None:
    body = "First one here. “Second,” she said!\nA table row"
    assert [body[a:b] for a, b in sentence_spans(body)] == ["First one here.", "“Second,” she said!", "A table row"]
    assert normal_words("China’s “big” plan, isn't it?") == normal_words("china's \"big\" plan isnt it")


def test_changed_punctuation_and_quotes_still_share_the_passage() -> None:
    finder = finder_of(a=HARBOUR, b=HARBOUR_REWRITTEN)
    passages = finder.passages()
    assert len(passages) == 1
    passage = passages[0]
    a, b = passage.span_in("a"), passage.span_in("b")
    assert a is not None and b is not None
    assert HARBOUR[a.start : a.end].startswith("The harbour authority approved")
    assert HARBOUR[a.start : a.end].endswith("about three years.")
    assert HARBOUR_REWRITTEN[b.start : b.end].startswith("The harbour authority approved")
    assert HARBOUR_REWRITTEN[b.start : b.end].endswith("about three years!'")
    assert 0.8 <= passage.similarity < 1.0  # not word for word
    assert finder.sharing("a") == ["b"] and finder.sharing("b") == ["a"]


def test_two_adjacent_shared_sentences_are_one_passage() -> None:
    finder = finder_of(a=HARBOUR, b=HARBOUR_REWRITTEN)
    [passage] = finder.passages("b")
    span = passage.span_in("b")
    assert span is not None
    # One passage of two sentences in each article, not two of one.
    a = passage.span_in("a")
    assert a is not None and len(sentence_spans(HARBOUR[a.start : a.end])) == 2
    assert len(sentence_spans(HARBOUR_REWRITTEN[span.start : span.end])) == 2
    assert passage.ids[0] == "b"  # the article asked about comes first


def test_a_common_phrase_alone_is_not_a_shared_passage() -> None:
    finder = finder_of(rain=RAIN, markets=MARKETS)
    assert finder.passages() == []
    assert finder.sharing("rain") == []


def test_near_duplicate_articles_are_flagged_and_unrelated_ones_not() -> None:
    finder = finder_of(story=LONG_STORY, resent=LONG_STORY_RESENT, harbour=HARBOUR, rain=RAIN)
    [(a, b, similarity)] = finder.duplicate_pairs()
    assert (a, b) == ("resent", "story") and 0.8 <= similarity < 1.0
    assert finder.duplicate_ids() == {"story", "resent"}
    assert finder.duplicate_pairs("harbour") == []


def test_three_articles_sharing_one_sentence_give_one_passage() -> None:
    third = "An unrelated opening sentence about the weather in the hills. " + HARBOUR.split(". ")[0] + "."
    finder = finder_of(a=HARBOUR, b=HARBOUR_REWRITTEN, c=third)
    with_c = [p for p in finder.passages() if "c" in p.ids]
    assert len(with_c) == 1 and sorted(with_c[0].ids) == ["a", "b", "c"]


def test_removing_or_replacing_an_article_forgets_what_it_shared() -> None:
    finder = finder_of(a=HARBOUR, b=HARBOUR_REWRITTEN, story=LONG_STORY, resent=LONG_STORY_RESENT)
    finder.remove("b")
    assert finder.passages("a") == [] and "b" not in finder
    finder.add("resent", RAIN)  # the same id, a new text
    assert finder.duplicate_pairs() == []
    assert finder.sharing("story") == []


def test_the_finder_survives_pickling_and_keeps_finding() -> None:
    finder = pickle.loads(pickle.dumps(finder_of(a=HARBOUR, story=LONG_STORY)))
    finder.add("b", HARBOUR_REWRITTEN)
    finder.add("resent", LONG_STORY_RESENT)
    assert finder.sharing("b") == ["a"]
    assert finder.duplicate_ids() == {"story", "resent"}


# --- the bundled corpus, through the library and its cache ---------------------------------


@pytest.fixture
def library(articles_copy: Path, tmp_path: Path):
    lib = Library(articles_copy, tmp_path / "index")
    lib.update()
    yield lib
    lib.close()


def test_bundled_preview_and_opening_share_their_sentences(library: Library) -> None:
    passages = library.passages("waic-2024-preview")
    assert {other for p in passages for other in p.ids} >= {"waic-2024-preview", "waic-2024-opening-speakers"}
    body = library.article("waic-2024-preview").body
    other = library.article("waic-2024-opening-speakers").body
    texts = [body[p.span_in("waic-2024-preview").start : p.span_in("waic-2024-preview").end] for p in passages]
    assert any(t.startswith("More than 500 enterprises are expected to take part") for t in texts)
    assert any(t.lstrip('"“').startswith("Other speakers expected at WAIC include Baidu co-founder") for t in texts)
    for p in passages:
        assert p.text == body[p.spans[0].start : p.spans[0].end]
        span = p.span_in("waic-2024-opening-speakers")
        if span is not None:
            assert normal_words(other[span.start : span.end])[:5] == normal_words(p.text)[:5]
    assert "waic-2024-opening-speakers" in library.sharing("waic-2024-preview")
    assert library.duplicates() == []


def test_cache_lives_beside_the_index_and_follows_changes(library: Library, articles_copy: Path) -> None:
    before = sorted(p.name for p in articles_copy.rglob("*"))
    library.passages()
    cache = library.index_dir / PASSAGES_FILE if library.index_dir else None
    assert cache is not None and cache.is_file()
    assert sorted(p.name for p in articles_copy.rglob("*")) == before  # nothing written into the articles
    assert library.passage_cache.last.added == 5

    # A new article: only it is hashed, in this process and in the next.
    (articles_copy / "resent.md").write_text(
        "---\nid: resent\ntitle: Re-sent\n---\n" + library.article("waic-2024-preview").body, encoding="utf-8")
    library.update()
    assert library.duplicates() and {library.duplicates()[0][0], library.duplicates()[0][1]} \
        == {"resent", "waic-2024-preview"}
    assert library.passage_cache.last.added == 1 and library.passage_cache.last.removed == 0

    again = Library(articles_copy, library.index_dir)
    try:
        assert [d[:2] for d in again.duplicates()] == [d[:2] for d in library.duplicates()]
        # The file was written before the new article: only it is hashed again.
        assert again.passage_cache.last.loaded and again.passage_cache.last.added == 1
        os.remove(articles_copy / "resent.md")
        again.update()
        assert again.duplicates() == []
        assert again.passage_cache.last.removed == 1 and again.passage_cache.last.added == 0
    finally:
        again.close()


def test_a_broken_cache_file_is_rebuilt(library: Library) -> None:
    library.passages()
    assert library.index_dir is not None
    (library.index_dir / PASSAGES_FILE).write_bytes(b"not a pickle")
    again = Library(library.articles, library.index_dir)
    try:
        assert "waic-2024-opening-speakers" in again.sharing("waic-2024-preview")
        assert not again.passage_cache.last.loaded and again.passage_cache.last.added == 5
    finally:
        again.close()


# --- the command line --------------------------------------------------------------------


def test_cli_passages_json_shape(articles_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import main

    code = main(["--articles", str(articles_copy), "--index", str(tmp_path / "index"), "passages",
                 "--article", "waic-2024-preview", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(data) == {"passages", "duplicates"} and data["duplicates"] == []
    assert data["passages"]
    for passage in data["passages"]:
        assert set(passage) == {"articles", "text", "similarity"}
        assert len(passage["articles"]) >= 2 and "waic-2024-preview" in [a["id"] for a in passage["articles"]]
        for span in passage["articles"]:
            assert set(span) == {"id", "start", "end"} and 0 <= span["start"] < span["end"]
        assert 0.8 <= passage["similarity"] <= 1.0


def test_cli_passages_text_and_unknown_article(articles_copy: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import main

    base = ["--articles", str(articles_copy), "--index", str(tmp_path / "index"), "passages"]
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "shared passages:" in out and "waic-2024-preview" in out and "More than 500 enterprises" in out
    assert "0 near-duplicate pairs:" in out
    assert main(base + ["--article", "no-such-article"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-article" in err


def test_empty_short_and_repeating_texts_share_nothing() -> None:
    sentence = "The committee will publish its final report on the new rail link next month."
    finder = finder_of(empty="", short="Reuter\n\nShr 10 cts vs 12 cts", twice=f"{sentence} {sentence}")
    assert finder.passages() == [] and finder.duplicate_pairs() == []
    finder.add("markup", f"[bold]Intro[/bold] [@click=app.quit]x[/] {sentence}")
    [passage] = finder.passages("markup")
    assert sorted(passage.ids) == ["markup", "twice"]  # the repeated sentence is shared once per copy at most
