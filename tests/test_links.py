"""One entity per name across the corpus: short forms linked to their one
full name, through the real index, and unlinked when a second claimant comes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.entities import EntityList
from reader.library import Library
from reader.links import compute_links


def write(folder: Path, article_id: str, title: str, body: str) -> None:
    (folder / f"{article_id}.md").write_text(f"---\nid: {article_id}\ntitle: {title}\n---\n{body}\n", "utf-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    write(folder, "full", "Fed chairman speaks",
          "Federal Reserve Board Chairman Paul Volcker told Congress on Tuesday that interest rates would stay "
          "where they are. Huawei Technologies Co said on Monday it would open a new plant in Shenzhen.")
    write(folder, "short", "Rates to stay, says Fed",
          "Volcker said on Wednesday that the dollar had fallen far enough. Analysts said Huawei would "
          "gain from the new plant.")
    write(folder, "other", "Markets quiet", "Trading was thin in London on Thursday as dealers waited for data.")
    return folder


def person_ids(library: Library, article_id: str, word: str) -> set[str]:
    article = library.article(article_id)
    extraction = library.extraction(article)
    return {m.entity for m in extraction.mentions if article.body[m.start : m.end] == word}


def test_a_short_form_takes_the_one_full_name_of_the_corpus(folder: Path, tmp_path: Path) -> None:
    library = Library(folder, tmp_path / "index")
    report = library.update()
    assert report.relinked >= 1
    assert person_ids(library, "short", "Volcker") == {"d-paul-volcker"}
    assert person_ids(library, "short", "Huawei") == {"d-huawei-technologies-co"}
    # Search and cross-references see one entity.
    assert {h.id for h in library.search('person:"Paul Volcker"').hits} == {"full", "short"}
    assert {r.id for r in library.articles_for("d-paul-volcker")} == {"full", "short"}
    names = {e.name for e in library.xref.entities(include_confirmed=False)}
    assert "Volcker" not in names and "Paul Volcker" in names
    library.close()
    # A new process reads the links the index keeps, without linking again.
    again = Library(folder, tmp_path / "index")
    assert again.update().changed == 0
    assert person_ids(again, "short", "Volcker") == {"d-paul-volcker"}
    again.close()


def test_two_people_of_one_family_name_take_neither(folder: Path, tmp_path: Path) -> None:
    library = Library(folder, tmp_path / "index")
    library.update()
    assert person_ids(library, "short", "Volcker") == {"d-paul-volcker"}
    write(folder, "second", "Another Volcker",
          "Economist Anne Volcker, who teaches at a university in Boston, said the data were weak.")
    report = library.update()
    assert report.relinked >= 1
    assert person_ids(library, "short", "Volcker") == {"d-volcker"}
    assert {r.id for r in library.articles_for("d-paul-volcker")} == {"full"}
    library.close()


def test_links_of_discovered_names() -> None:
    stored = [
        {"discovered": {"d-paul-volcker": ["Paul Volcker", "person", ""], "d-acme-holdings": ["Acme Holdings", "company", ""]}},
        {"discovered": {"d-volcker": ["Volcker", "person", ""], "d-acme": ["Acme", "company", ""],
                        "d-smith": ["Smith", "person", ""]}},
        # An article whose "Jones" was given to Jane Jones: what it said before the link counts.
        {"linked": {"d-jones": ["Jones", "person"]}, "discovered": {"d-jane-jones": ["Jane Jones", "person", ""]},
         "unlinked": {"entities": {}, "discovered": {"d-jones": ["Jones", "person", ""]}}},
        {"discovered": {"d-jane-jones": ["Jane Jones", "person", ""],
                        "d-mcdonnell-douglas-corp": ["McDonnell Douglas Corp", "company", ""]}},
        {"discovered": {"d-mcdonnell-douglas": ["McDonnell Douglas", "company", ""],
                        "d-mcdonnell": ["McDonnell", "company", ""]}},
    ]
    links = compute_links(stored, EntityList())
    assert links["d-volcker"] == ("d-paul-volcker", "Paul Volcker", "person")
    assert links["d-acme"][0] == "d-acme-holdings"
    assert links["d-jones"][0] == "d-jane-jones"
    # A name without its legal form is the company; so is their first word,
    # though both claim it.
    assert links["d-mcdonnell-douglas"][0] == "d-mcdonnell-douglas-corp"
    assert links["d-mcdonnell"][0] == "d-mcdonnell-douglas-corp"
    assert "d-smith" not in links  # nobody claims it


def test_links_left_unfinished_by_a_killed_process_are_made_by_the_next(folder: Path, tmp_path: Path) -> None:
    from reader.index import LINKS_FILE, LINKS_PENDING

    index = tmp_path / "index"
    library = Library(folder, index)
    library.update()
    library.close()
    # What a process killed after its commit, before its links, leaves behind.
    (index / LINKS_FILE).unlink()
    (index / LINKS_PENDING).touch()
    again = Library(folder, index)
    assert person_ids(again, "short", "Volcker") == {"d-volcker"}  # not linked: no links file
    report = again.update()
    assert report.relinked >= 1 and not (index / LINKS_PENDING).exists()
    assert person_ids(again, "short", "Volcker") == {"d-paul-volcker"}
    again.close()


def stored_parts(library: Library) -> dict[str, tuple]:
    with library.index.searching() as searcher:
        return {f["id"]: (f.get("entities"), f.get("discovered"), f.get("linked"), f.get("person"), f.get("unlinked"))
                for f in searcher.all_stored_fields()}


def read_in_full(library: Library) -> dict[str, tuple]:
    """The documents that extracting every article again, with the index's links, gives."""
    import os

    from reader.corpus import FileState, load_article
    from reader.index import extracted_document

    out = {}
    extractor = library.index.extractor
    for path in sorted(library.articles.glob("*.md")):
        st = os.stat(path)
        doc = extracted_document(extractor, load_article(path, library.articles), FileState(st.st_mtime_ns, st.st_size))
        out[doc["id"]] = (doc.get("entities"), doc.get("discovered"), doc.get("linked"), None, doc.get("unlinked"))
    return out


def test_documents_rewritten_for_new_links_are_those_a_full_read_gives(folder: Path, tmp_path: Path) -> None:
    library = Library(folder, tmp_path / "index")
    library.update()

    def check() -> None:
        stored = stored_parts(library)
        full = read_in_full(library)
        assert set(stored) == set(full)
        for article_id, (entities, discovered, linked, _person, unlinked) in full.items():
            assert stored[article_id][:3] == (entities, discovered, linked), article_id
            assert stored[article_id][4] == unlinked, article_id

    check()
    assert set(stored_parts(library)["short"][2]) == {"d-volcker", "d-huawei"}
    # A second Volcker takes the link away: the short article's document goes
    # back to its own "Volcker", rewritten without reading its entities again.
    write(folder, "second", "Another Volcker",
          "Economist Anne Volcker, who teaches at a university in Boston, said the data were weak.")
    report = library.update()
    assert report.relinked >= 1
    check()
    assert "d-volcker" in stored_parts(library)["short"][0]
    library.close()


def test_the_tally_the_links_come_from_follows_every_change(folder: Path, tmp_path: Path) -> None:
    """Kept from update to update (and in the index folder for the next
    process), the tally is always what counting every stored document gives."""
    import json

    from reader.index import TALLY_FILE
    from reader.links import NameTally

    def counted(library: Library) -> dict:
        tally = NameTally()
        with library.index.searching() as searcher:
            for fields in searcher.all_stored_fields():
                tally.add(fields)
        return tally.counts

    def kept(library: Library) -> dict:
        data = json.loads((tmp_path / "index" / TALLY_FILE).read_text("utf-8"))
        assert data["generation"] == library.index.ix.latest_generation()
        return NameTally.from_json(data["rows"]).counts

    library = Library(folder, tmp_path / "index")
    library.update()
    assert kept(library) == counted(library) and ("d-paul-volcker", "Paul Volcker", "person") in kept(library)
    # A new article, a changed one (its link goes), a deleted one.
    write(folder, "second", "Another Volcker",
          "Economist Anne Volcker, who teaches at a university in Boston, said the data were weak.")
    library.update()
    assert kept(library) == counted(library)
    write(folder, "other", "Markets quiet", "Trading was thin in Frankfurt as Deutsche Bundesbank officials met.")
    (folder / "second.md").unlink()
    library.update()
    assert kept(library) == counted(library)
    assert not any(entry[0] == "d-anne-volcker" for entry in kept(library))
    library.close()
    # Curating in a new process starts from the kept tally.
    again = Library(folder, tmp_path / "index")
    again.curate("accept", "Paul Volcker")
    assert kept(again) == counted(again)
    again.close()


def test_an_acronym_links_to_the_one_name_it_abbreviates() -> None:
    stored = [
        {"discovered": {"d-commodity-credit-corporation": ["Commodity Credit Corporation", "organization", ""],
                        "d-general-motors-corp": ["General Motors Corp", "company", ""],
                        "d-tesla-inc": ["Tesla Inc", "company", ""],
                        "d-ibm-corp": ["IBM Corp", "company", ""],
                        "d-international-business-machines": ["International Business Machines", "company", ""]}},
        {"discovered": {"d-ccc": ["CCC", "organization", ""], "d-gm": ["GM", "company", ""],
                        "d-ti": ["TI", "company", ""], "d-ibm": ["IBM", "company", ""],
                        "d-jones": ["JONES", "person", ""]}},
    ]
    links = compute_links(stored, EntityList())
    assert links["d-ccc"][0] == "d-commodity-credit-corporation"
    assert links["d-gm"][0] == "d-general-motors-corp"  # the initials without the legal form
    assert "d-ti" not in links  # two letters need two words of the name itself
    assert links["d-ibm"][0] == "d-ibm-corp"  # a name's own word comes before initials
    # Two names of the same initials: the acronym goes to neither.
    stored.append({"discovered": {"d-commodity-credit-council": ["Commodity Credit Council", "organization", ""]}})
    assert "d-ccc" not in compute_links(stored, EntityList())


def test_an_acronym_in_one_article_is_the_name_another_spells_out(folder: Path, tmp_path: Path) -> None:
    write(folder, "a", "Grain credits approved",
          "The Commodity Credit Corporation (CCC) approved 200 mln dlrs in export credit guarantees for wheat "
          "sales to Algeria, the Agriculture Department said on Tuesday.")
    write(folder, "b", "More credits for Iraq",
          "A CCC spokesman said on Friday that the guarantees for Iraq would be raised. Exporters welcomed the "
          "decision, a trade official in Washington said.")
    library = Library(folder, tmp_path / "index")
    library.update()
    assert person_ids(library, "b", "CCC") == {"d-commodity-credit-corporation"}
    assert {r.id for r in library.articles_for("d-commodity-credit-corporation")} == {"a", "b"}
    library.close()


def test_links_are_what_the_articles_say_so_an_unrelated_step_rewrites_nothing(folder: Path, tmp_path: Path) -> None:
    library = Library(folder, tmp_path / "index")
    first = library.update()
    assert first.relinked >= 1
    links = dict(library.index.links)
    # The rewritten articles now carry the links; the links are worked out
    # from what they said before them, so they come out the same.
    _message, report = library.curate("add", "Quillmere Holdings", kind="company")
    assert report.relinked == 0 and library.index.links == links
    write(folder, "other", "Markets quiet", "Trading was thin in Frankfurt on Friday as dealers waited.")
    assert library.update().relinked == 0 and library.index.links == links
    library.close()


def test_the_claims_of_names_are_kept_beside_the_index(tmp_path: Path, monkeypatch) -> None:
    """What each discovered name claims is worked out once and kept: a new
    process reads it back (and the links it gives are the same), a file of
    other rules is not taken."""
    import reader.links as links_module
    from reader.index import CLAIMS_FILE
    from reader.library import Library

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.md").write_text("---\nid: one\ntitle: One\n---\nPaul Volcker said on Monday the Federal "
                                   "Reserve would act.\n", "utf-8")
    (folder / "two.md").write_text("---\nid: two\ntitle: Two\n---\nVolcker said so again.\n", "utf-8")
    library = Library(folder, tmp_path / "index")
    library.update()
    links = dict(library.index.links)
    library.close()
    kept = tmp_path / "index" / CLAIMS_FILE
    assert kept.is_file()
    monkeypatch.setattr(links_module, "_CLAIMS", {})
    links_module.load_claims(kept)
    assert links_module.claims_count() > 0
    assert ("Paul Volcker", "person") in links_module._CLAIMS
    library = Library(folder, tmp_path / "index")
    assert library.index.links == links
    library.close()
    monkeypatch.setattr(links_module, "_CLAIMS", {})
    monkeypatch.setattr(links_module, "CLAIMS_VERSION", links_module.CLAIMS_VERSION + 1)
    links_module.load_claims(kept)
    assert links_module.claims_count() == 0  # made by other rules: not taken


def test_the_links_depend_on_the_counts_not_the_order_articles_were_read() -> None:
    """A curated index and a rebuilt one read the articles in another order;
    ties between names given by as many articles must not decide the links."""
    from reader.links import NameTally, links_of

    rows = [("d-glaxo-holdings-plc", "Glaxo Holdings Plc", "company"), ("d-glaxo-holdings-plc", "Glaxo Holdings PLC", "company"),
            ("d-glaxo", "Glaxo", "company"), ("d-hanson-trust", "Hanson Trust", "company"),
            ("d-hanson-trust-plc", "Hanson Trust Plc", "company"), ("d-hanson", "Hanson", "company")]
    one = NameTally({row: 1 for row in rows})
    other = NameTally({row: 1 for row in reversed(rows)})
    assert one.entries() == other.entries()
    assert links_of(one.entries(), EntityList()) == links_of(other.entries(), EntityList())
