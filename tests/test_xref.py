"""reader.xref: which articles name an entity, what articles share, related articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library import Library
from reader.xref import context_of

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
PREVIEW, SPEAKERS, POWERS, QUALCOMM, COOPERATION = (
    "waic-2024-preview", "waic-2024-opening-speakers", "china-powers-global-ai-innovation",
    "waic-qualcomm-sole-us-sponsor", "china-ai-international-cooperation")
ALL = sorted([PREVIEW, SPEAKERS, POWERS, QUALCOMM, COOPERATION])


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory):
    lib = Library(ARTICLES, tmp_path_factory.mktemp("xref-index"))
    lib.update()
    yield lib
    lib.close()


def entity_sets(library: Library) -> dict[str, set[str]]:
    """Entities per article, computed from the text by the extractor (not from the index)."""
    result = {}
    for art_id in ALL:
        article = library.article(art_id)
        extraction = library.extraction(article)
        result[art_id] = {m.entity for m in extraction.title_mentions + extraction.mentions}
    return result


def test_preview_and_opening_speakers_share_the_named_people_and_companies(library: Library) -> None:
    shared = {s.entity.id: s for s in library.shared(PREVIEW)}
    expected = {"li-qiang", "elon-musk", "robin-li", "eric-jing", "wang-jian", "baidu", "ant-group", "alibaba",
                "sensetime"}
    for entity_id in expected:
        assert entity_id in shared, entity_id
        assert SPEAKERS in shared[entity_id].others, entity_id
    assert PREVIEW not in {o for s in shared.values() for o in s.others}  # never itself


def test_shared_lists_every_entity_with_the_other_articles(library: Library) -> None:
    sets = entity_sets(library)
    for art_id in ALL:
        shared = library.shared(art_id)
        assert {s.entity.id for s in shared} == sets[art_id]
        for item in shared:
            expected_others = sorted(o for o in ALL if o != art_id and item.entity.id in sets[o])
            assert item.others == expected_others, (art_id, item.entity.id)
            assert item.count >= 1


def test_shared_puts_people_first(library: Library) -> None:
    kinds = [s.entity.kind for s in library.shared(PREVIEW)]
    order = {"person": 0, "company": 1, "organization": 2, "place": 3, "product": 4, "event": 5}
    assert kinds == sorted(kinds, key=order.get)
    assert kinds[0] == "person"


def test_related_ranking(library: Library) -> None:
    sets = entity_sets(library)
    related = library.related(PREVIEW)
    assert [r.id for r in related][0] == SPEAKERS
    assert {r.id for r in related} == {o for o in ALL if o != PREVIEW and sets[o] & sets[PREVIEW]}
    weights = [r.weight for r in related]
    assert weights == sorted(weights, reverse=True)
    for r in related:
        assert r.shared == len(sets[PREVIEW] & sets[r.id]) == len(r.entities)
    assert "Elon Musk" in related[0].entities and "Li Qiang" in related[0].entities
    assert library.related(PREVIEW, limit=2) == related[:2]
    assert library.related("no-such-article") == []


def test_related_weighs_rare_entities_above_common_ones(tmp_path: Path, monkeypatch) -> None:
    """Sharing a person two articles name beats sharing two cities twelve name."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "entities.yaml").write_text((ARTICLES / "entities.yaml").read_text(encoding="utf-8"), encoding="utf-8")

    def article(article_id: str, body: str) -> None:
        (folder / f"{article_id}.md").write_text(f"---\nid: {article_id}\ntitle: {article_id}\n---\n{body}\n",
                                                 encoding="utf-8")

    article("a", "Elon Musk spoke in Shanghai, then flew to Beijing.")
    article("b", "Elon Musk said little.")
    for n in range(12):
        article(f"city-{n:02d}", "Shanghai and Beijing traded places again.")
    library = Library(folder, tmp_path / "index")
    try:
        library.update()
        related = library.related("a", limit=20)
        assert related[0].id == "b" and related[0].entities == ["Elon Musk"]
        assert related[1].shared == 2 and related[1].weight < related[0].weight
        assert [r.id for r in related[1:]] == [f"city-{n:02d}" for n in range(12)]  # ties: titles A to Z
        assert library.related("a", limit=3) == related[:3]
        # The cut inside the run of twelve equal ranks takes the first titles.
        assert [r.id for r in library.related("a", limit=4)] == ["b", "city-00", "city-01", "city-02"]
        # Many tied at the cut: index order, and only what is shown is read.
        import reader.xref as xref

        reads: list[int] = []
        monkeypatch.setattr(xref, "MAX_TIED_READS", 5)
        with library.index.searching() as searcher:  # the searcher related() will use
            real = searcher.stored_fields
            monkeypatch.setattr(searcher, "stored_fields", lambda docnum: reads.append(docnum) or real(docnum))
        capped = library.related("a", limit=4)
        assert capped[0].id == "b" and len({r.id for r in capped[1:]}) == 3
        assert all(r.id.startswith("city-") for r in capped[1:])
        assert 0 < len(reads) <= 1 + 4  # the article itself and the four shown, not the twelve tied
    finally:
        library.close()


def test_related_is_symmetric_in_shared_counts(library: Library) -> None:
    for a in ALL:
        for r in library.related(a):
            back = {x.id: x.shared for x in library.related(r.id)}
            assert back[a] == r.shared


@pytest.mark.parametrize(
    "entity_id, expected",
    [
        ("sensetime", {POWERS: 3, QUALCOMM: 2, SPEAKERS: 2, PREVIEW: 1}),
        ("elon-musk", {SPEAKERS: 1, PREVIEW: 1}),
        ("huawei", {SPEAKERS: 2, QUALCOMM: 2, POWERS: 3}),
        ("li-qiang", {PREVIEW: 1, SPEAKERS: 1, COOPERATION: 1}),
        ("xuhui", {POWERS: 1}),
    ],
)
def test_articles_for_counts_and_first_mention(library: Library, entity_id: str, expected: dict[str, int]) -> None:
    refs = library.articles_for(entity_id)
    assert {r.id: r.count for r in refs} == expected
    assert [r.count for r in refs] == sorted((r.count for r in refs), reverse=True)
    entity = library.entity(entity_id)
    names = {n.lower() for n in entity.names}
    for ref in refs:
        body = library.article(ref.id).body
        start, end = ref.first
        assert body[start:end].lower() in names
        # it is the first: no earlier mention of the entity in that body
        earlier = [m for m in library.extraction(library.article(ref.id)).mentions if m.entity == entity_id]
        assert (earlier[0].start, earlier[0].end) == (start, end)
        assert len(earlier) == ref.count


def test_articles_for_unknown_entity(library: Library) -> None:
    assert library.articles_for("no-such-entity") == []


def test_mention_contexts(library: Library) -> None:
    contexts = library.mention_contexts("sensetime")
    assert len(contexts) == 3 + 2 + 2 + 1
    for ctx in contexts:
        body = library.article(ctx.article).body
        assert body[ctx.start:ctx.end] == ctx.text
        assert ctx.text in ("SenseTime", "SENSETIME")
        assert ctx.context[ctx.offset:ctx.offset + len(ctx.text)] == ctx.text
        assert "\n" not in ctx.context
        assert len(ctx.context) <= len(ctx.text) + 2 * 80 + 2
    assert len(library.mention_contexts("sensetime", limit=2)) == 2


def test_context_of_cuts_at_words() -> None:
    body = "alpha beta gamma delta " * 20 + "TARGET" + " epsilon zeta eta" * 20
    start = body.index("TARGET")
    context, offset = context_of(body, start, start + 6, width=30)
    assert context.startswith("…") and context.endswith("…")
    assert context[offset:offset + 6] == "TARGET"
    assert context[1] != " " and context[-2] != " "
    short, off = context_of("TARGET here", 0, 6)
    assert short == "TARGET here" and off == 0


def test_affiliations_and_members(library: Library) -> None:
    roles = {(a.title, a.org.id if a.org else None) for a in library.affiliations("elon-musk")}
    assert roles == {("billionaire entrepreneur", None), ("chief executive", "tesla"), ("chief executive", "spacex"),
                     ("executive chairman", "x-corp")}
    assert all(a.article == SPEAKERS for a in library.affiliations("elon-musk"))
    li = library.affiliations("li-qiang")
    assert {a.article for a in li} == {PREVIEW, SPEAKERS, COOPERATION}
    assert any(a.org is not None and a.org.id == "state-council" for a in li)
    members = library.xref.members("ant-group")
    assert {(p.id, article) for p, _, article in members} == {("eric-jing", PREVIEW), ("eric-jing", SPEAKERS)}
    assert library.affiliations("tesla") == []
    assert library.affiliations("no-such-entity") == []


def test_find_and_entity(library: Library) -> None:
    assert [e.id for e in library.find_entities("Musk")] == ["elon-musk"]
    assert [e.id for e in library.find_entities("Huawei Technologies")] == ["huawei"]
    assert library.entity("sensetime").name == "SenseTime"
    assert library.entity("no-such-entity") is None


def test_summary_counts(library: Library) -> None:
    rows = {r["id"]: r for r in library.xref.summary()}
    assert rows["sensetime"]["mentions"] == 8
    assert sorted(rows["sensetime"]["articles"]) == sorted([POWERS, QUALCOMM, SPEAKERS, PREVIEW])
    assert rows["bloomberg"]["mentions"] == 0 and rows["bloomberg"]["articles"] == []  # only in a dropped caption


def test_a_new_article_links_after_update(articles_copy: Path, tmp_path: Path) -> None:
    library = Library(articles_copy, tmp_path / "index")
    library.update()
    (articles_copy / "musk-meets-premier.md").write_text(
        "---\nid: musk-meets-premier\ntitle: Musk meets Premier Li\ndate: 2024-07-05\n---\n"
        "Tesla boss Musk met Premier Li in Beijing on Friday to discuss self-driving cars.\n\n"
        "Li said China welcomed foreign investment.\n",
        encoding="utf-8",
    )
    report = library.update()
    assert report.added == 1
    ids = {s.entity.id for s in library.shared("musk-meets-premier")}
    assert {"elon-musk", "li-qiang", "tesla", "beijing", "china"} <= ids
    assert not any(s.entity.status == "discovered" and s.entity.name == "Li" for s in library.shared("musk-meets-premier"))
    assert "musk-meets-premier" in {r.id for r in library.articles_for("elon-musk")}
    assert "musk-meets-premier" in {r.id for r in library.articles_for("li-qiang")}
    related = {r.id: r for r in library.related("musk-meets-premier")}
    assert {"waic-2024-preview", "waic-2024-opening-speakers"} <= set(related)
    li_mentions = [m for m in library.extraction(library.article("musk-meets-premier")).mentions if m.entity == "li-qiang"]
    body = library.article("musk-meets-premier").body
    assert [body[m.start:m.end] for m in li_mentions] == ["Premier Li", "Li"]
    assert sorted(h.id for h in library.search("person:Musk").hits) == sorted([PREVIEW, SPEAKERS, "musk-meets-premier"])
    library.close()


def test_deleted_article_leaves_the_cross_references(articles_copy: Path, tmp_path: Path) -> None:
    library = Library(articles_copy, tmp_path / "index")
    library.update()
    (articles_copy / f"{SPEAKERS}.md").unlink()
    library.update()
    assert SPEAKERS not in {r.id for r in library.articles_for("elon-musk")}
    assert all(SPEAKERS not in s.others for s in library.shared(PREVIEW))
    assert library.shared(SPEAKERS) == []
    library.close()


# --- "Premier Li": a title and a family name the list gives one person -----------------------

def _extract(text: str, entities_yaml: str | None = None):  # type: ignore[no-untyped-def]
    from reader.entities import load_entity_list, parse_entity_list
    from reader.extract import Extractor

    entity_list = parse_entity_list(entities_yaml) if entities_yaml else load_entity_list(ARTICLES)
    extraction = Extractor(entity_list).extract(text)
    return [(text[m.start:m.end], m.entity) for m in extraction.mentions]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Musk met Premier Li in Beijing.", [("Musk", "elon-musk"), ("Premier Li", "li-qiang"), ("Beijing", "beijing")]),
        ("Premier Li spoke. Later, Li said more.", [("Premier Li", "li-qiang"), ("Li", "li-qiang")]),
        ("Premier Li Qiang spoke.", [("Premier Li Qiang", "li-qiang")]),  # the longer alias wins
        ("Robin Li met Premier Li.", [("Robin Li", "robin-li"), ("Premier Li", "li-qiang")]),
        ("Chief Executive Musk said", [("Chief Executive Musk", "elon-musk")]),
    ],
)
def test_title_and_family_name_mean_the_person(text: str, expected: list[tuple[str, str]]) -> None:
    assert _extract(text) == expected


def test_title_references_need_a_capital_and_one_owner() -> None:
    assert ("premier Li", "li-qiang") not in _extract("the premier Li said")
    two = ("entities:\n"
           "  - {name: Li Qiang, kind: person, roles: [{title: Premier}]}\n"
           "  - {name: Li Peng, kind: person, roles: [{title: Premier}]}\n")
    assert all(entity not in ("li-qiang", "li-peng") for _, entity in _extract("Premier Li spoke.", two))
    ignored = ("entities:\n  - {name: Li Qiang, kind: person, roles: [{title: Premier}]}\nignore: [Premier Li]\n")
    assert ("Premier Li", "li-qiang") not in _extract("Premier Li spoke.", ignored)
    assert ("Premier Li", "li-qiang") in _extract("Premier Li spoke.", ignored.replace("ignore: [Premier Li]", ""))
