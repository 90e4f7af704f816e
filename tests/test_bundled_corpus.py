"""The bundled corpus (articles/): five clean articles made from the seeds, with
the front matter the raw texts support and an entity list grounded in them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader import frontmatter
from reader.corpus import load_corpus
from reader.entities import load_entity_list
from reader.sanitize import is_clean

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
from shared_data import seed_files  # noqa: E402
SEED_ARTICLES = {
    "000": "waic-2024-preview",
    "001": "waic-2024-opening-speakers",
    "002": "china-powers-global-ai-innovation",
    "003": "waic-qualcomm-sole-us-sponsor",
    "004": "china-ai-international-cooperation",
}
KNOWN_KEYS = {"id", "title", "source", "author", "dateline", "date", "url", "original"}
FURNITURE = ["Advertisement", "Reading Time", "Why you can trust", "alt=", "Copyright", "Source Agencies",
             "All rights reserved", "Do you have questions about", "originally appeared", "Photo:"]


def raw_meta(art_id: str) -> dict:
    return frontmatter.parse((ARTICLES / f"{art_id}.md").read_text("utf-8")).meta


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ARTICLES)


def test_five_articles_and_an_entity_list(corpus) -> None:  # type: ignore[no-untyped-def]
    assert corpus.errors == []
    assert sorted(a.id for a in corpus.articles) == sorted(SEED_ARTICLES.values())
    assert sorted(p.name for p in ARTICLES.iterdir()) == sorted(
        [f"{i}.md" for i in SEED_ARTICLES.values()] + ["entities.yaml"])
    for art_id in SEED_ARTICLES.values():
        assert (ARTICLES / f"{art_id}.md").name == f"{raw_meta(art_id)['id']}.md"


@pytest.mark.parametrize("prefix, art_id", sorted(SEED_ARTICLES.items()))
def test_front_matter_keys_and_origin(prefix: str, art_id: str) -> None:
    meta = raw_meta(art_id)
    assert set(meta) <= KNOWN_KEYS
    assert all(value not in (None, "", []) for value in meta.values())  # fields are left out, not left empty
    seeds = seed_files(f"{prefix}_*.txt")
    assert meta["original"] == seeds[0].name


def test_front_matter_carries_what_the_raw_texts_say() -> None:
    preview = raw_meta("waic-2024-preview")
    assert preview["date"] == "2024-07-04"
    assert "title" not in preview  # the raw text has no headline, only a date marker
    assert "source" not in preview and "author" not in preview
    speakers = raw_meta("waic-2024-opening-speakers")
    assert "title" not in speakers  # the raw text starts with a sentence
    assert speakers["source"] == "South China Morning Post"  # from "This article originally appeared in ..."
    powers = raw_meta("china-powers-global-ai-innovation")
    assert powers["title"] == "China powers the future of global AI innovation"
    assert "source" not in powers and "date" not in powers and "author" not in powers
    qualcomm = raw_meta("waic-qualcomm-sole-us-sponsor")
    assert qualcomm["author"] == "Tracy Qu"
    assert qualcomm["dateline"] == "Shanghai"
    assert qualcomm["title"].startswith("China’s biggest AI conference kicks off this week with Qualcomm")
    assert qualcomm["source"] == "South China Morning Post"
    cooperation = raw_meta("china-ai-international-cooperation")
    assert cooperation["title"] == "Opinion | Why China is pushing so hard for international cooperation on AI"
    assert cooperation["source"] == "South China Morning Post"
    dated = [a for a in SEED_ARTICLES.values() if "date" in raw_meta(a)]
    assert dated == ["waic-2024-preview"]


@pytest.mark.parametrize("art_id", sorted(SEED_ARTICLES.values()))
def test_no_furniture_in_any_body(corpus, art_id: str) -> None:  # type: ignore[no-untyped-def]
    body = corpus.by_id()[art_id].body
    for furniture in FURNITURE:
        assert furniture not in body, (art_id, furniture)
    assert not re.search(r"^\s*\d{1,3}\s*$", body, re.MULTILINE)  # counters
    assert is_clean(body)


@pytest.mark.parametrize("art_id", sorted(SEED_ARTICLES.values()))
def test_bodies_are_paragraphs(corpus, art_id: str) -> None:  # type: ignore[no-untyped-def]
    body = corpus.by_id()[art_id].body
    paragraphs = body.split("\n\n")
    assert len(paragraphs) >= 4
    for paragraph in paragraphs:
        assert paragraph == paragraph.strip() and "\n" not in paragraph and paragraph


@pytest.mark.parametrize("prefix, art_id", sorted(SEED_ARTICLES.items()))
def test_every_story_sentence_of_the_seed_is_kept(corpus, prefix: str, art_id: str) -> None:  # type: ignore[no-untyped-def]
    """Long lines of the seed that are story (not captions, promos or footers) appear in the body."""
    seed = seed_files(f"{prefix}_*.txt")[0].read_text("utf-8")
    article = corpus.by_id()[art_id]
    text = article.title + " " + " ".join(article.body.split())
    kept = 0
    for line in seed.splitlines():
        line = " ".join(line.split()).removeprefix("• ")
        if prefix == "000" and line.startswith("date 2024-07-04 "):
            line = line[len("date 2024-07-04 "):]
        if len(line) < 60 or any(f in line for f in FURNITURE):
            continue
        assert line in text, (art_id, line[:80])
        kept += 1
    assert kept >= 5


def entity_aliases() -> list[tuple[str, str]]:
    entity_list = load_entity_list(ARTICLES)
    return [(e.id, alias) for e in entity_list for alias in e.aliases if alias != e.name]


def _article_text() -> str:
    corpus = load_corpus(ARTICLES)
    parts = []
    for article in corpus.articles:
        parts += [article.body, article.title, article.source, article.author]
    return "\n".join(parts)


@pytest.mark.parametrize("entity_id, alias", entity_aliases())
def test_every_alias_appears_in_some_article(entity_id: str, alias: str) -> None:
    assert alias in _article_text(), f"{entity_id}: alias {alias!r} is in no article"


def test_entity_list_roles_point_at_articles_and_entities() -> None:
    entity_list = load_entity_list(ARTICLES)
    ids = set(SEED_ARTICLES.values())
    for entity in entity_list:
        for role in entity.roles:
            assert role.article in ids, (entity.id, role)
            assert not role.org or entity_list.get(role.org) is not None, (entity.id, role.org)


def test_entity_list_is_in_sync_with_the_texts_it_was_made_for() -> None:
    """The names the articles use most resolve to one entity each."""
    entity_list = load_entity_list(ARTICLES)
    for name in ("Premier Li Qiang", "Elon Musk", "Robin Li Yanhong", "Eric Jing", "Wang Jian", "Baidu", "Ant Group",
                 "Alibaba Group Holding", "SenseTime", "SenseNova 5.5", "Huawei Technologies", "Tencent Holdings",
                 "Qualcomm", "Megha Shrivastava", "Mao Ning", "World Artificial Intelligence Conference", "WAIC"):
        assert len(entity_list.lookup(name)) == 1, name
