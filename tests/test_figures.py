"""Figures in article bodies, grouped across articles, and `reader figures`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.figures import Claim, claims_agree, extract_claims, group_claims, lemma

ARTICLES = Path(__file__).resolve().parent.parent / "articles"


def one(body: str) -> Claim:
    claims = extract_claims("a", body)
    assert len(claims) == 1, claims
    return claims[0]


@pytest.mark.parametrize("qualifier", ["more than", "over", "around", "about", "at least", "nearly",
                                       "up to", "almost", "less than"])
def test_qualifiers_are_read_and_the_offsets_cover_the_claim(qualifier: str) -> None:
    body = f"The fair drew {qualifier} 320 visiting schools last spring."
    claim = one(body)
    assert (claim.qualifier, claim.value, claim.what) == (qualifier, 320.0, "school")
    assert body[claim.start:claim.end] == f"{qualifier} 320 visiting schools"


def test_head_noun_skips_hyphenated_modifiers_and_adjectives() -> None:
    claim = one("Stalls showed 2,750 robot-built painted chairs.")
    assert (claim.value, claim.what) == (2750.0, "chair")


def test_million_is_scaled_and_currency_is_the_noun() -> None:
    claim = one("The town raised 12.5 million euros for the bridge.")
    assert (claim.value, claim.what) == (12_500_000.0, "euro")


def test_per_cent() -> None:
    claim = one("Turnout fell 4.25 per cent on the day.")
    assert (claim.value, claim.what, claim.text) == (4.25, "per cent", "4.25 per cent")


def test_range_of_numbers_and_plus() -> None:
    ranged = one("Between them, 60-80 bakeries opened.")
    assert (ranged.value, ranged.high, ranged.what) == (60.0, 80.0, "bakery")
    plus = one("We counted 90+ bakeries.")
    assert (plus.value, plus.qualifier) == (90.0, "+")


def test_years_ordinals_and_model_numbers_are_skipped() -> None:
    assert extract_claims("a", "In 2019 the 12th meeting of Model-3 fans took place.") == []


def test_date_range_with_and_without_year() -> None:
    claim = one("The festival runs 9–11 March 2031 in the park.")
    assert (claim.what, claim.dates, claim.value) == ("event dates", "2031-03-09..2031-03-11", 3.0)
    bare = one("It runs 9-11 March.")
    assert bare.dates == "03-09..03-11"


def test_days_ending_on_a_date_is_one_date_range() -> None:
    claim = one("The show lasts 5 days ending on 20th May 2030.")
    assert (claim.what, claim.dates) == ("event dates", "2030-05-16..2030-05-20")


def test_duration_from_a_number_word() -> None:
    claim = one("A two-week course for pilots.")
    assert (claim.what, claim.value) == ("duration (weeks)", 2.0)


def test_lemma() -> None:
    assert [lemma(w) for w in ("countries", "boxes", "businesses", "enterprises", "status")] == [
        "country", "box", "business", "enterprise", "status"]


def test_grouping_agrees_allowing_for_qualifiers() -> None:
    claims = (extract_claims("x", "More than 700 firms came.") + extract_claims("y", "Over 700 companies came.")
              + extract_claims("z", "There were 700+ enterprises.") + extract_claims("w", "About 30 tents."))
    groups = group_claims(claims)
    assert [(g.what, g.agree, sorted(g.articles)) for g in groups] == [("company", True, ["x", "y", "z"])]


def test_grouping_disagrees_and_comes_first() -> None:
    claims = (extract_claims("x", "More than 700 firms and 8 tents.")
              + extract_claims("y", "More than 600 companies and 8 tents."))
    groups = group_claims(claims)
    assert [(g.what, g.agree) for g in groups] == [("company", False), ("tent", True)]


def test_above_and_below_the_same_figure_disagree_and_approximate_has_slack() -> None:
    a, b = one("more than 50 boats"), one("fewer than 50 boats")
    assert not claims_agree(a, b)
    assert claims_agree(one("about 50 boats"), one("52 boats"))
    assert not claims_agree(one("50 boats"), one("52 boats"))


def test_differing_date_ranges_disagree() -> None:
    groups = group_claims(extract_claims("x", "on 2-4 June 2030") + extract_claims("y", "on 2–5 June 2030"))
    assert [(g.what, g.agree) for g in groups] == [("event dates", False)]


def test_cli_figures_on_the_bundled_articles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--articles", str(ARTICLES), "--index", str(tmp_path), "figures", "--json"])
    figures = json.loads(capsys.readouterr().out)["figures"]
    assert code == 0
    by_what = {g["what"]: g for g in figures}
    companies = by_what["company"]
    assert companies["agree"] is False
    assert sorted(c["value"] for c in companies["claims"]) == [400.0, 500.0, 500.0, 500.0]
    assert figures.index(companies) < figures.index(by_what["product"])  # disagreeing first
    assert by_what["product"]["agree"] is True
    assert by_what["event dates"]["agree"] is False
    for group in figures:
        for c in group["claims"]:
            body = main_body(c["article"])
            assert " ".join(body[c["start"]:c["end"]].split()) == c["text"]


def main_body(article_id: str) -> str:
    from reader.corpus import load_article

    return load_article(ARTICLES / f"{article_id}.md", ARTICLES).body


def test_cli_figures_for_an_entity_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--articles", str(ARTICLES), "--index", str(tmp_path), "figures", "--entity", "Qualcomm",
                 "--json"])
    figures = json.loads(capsys.readouterr().out)["figures"]
    assert code == 0
    assert {c["article"] for g in figures for c in g["claims"]} <= {
        "waic-qualcomm-sole-us-sponsor", *_articles_naming("Qualcomm")}
    code = main(["--articles", str(ARTICLES), "--index", str(tmp_path), "figures", "--entity", "no such thing"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "no entity" in err


def _articles_naming(word: str) -> set[str]:
    return {p.stem for p in ARTICLES.glob("*.md") if word in p.read_text(encoding="utf-8")}


def test_figures_are_stored_at_index_time_and_follow_an_edited_article(tmp_path: Path) -> None:
    import shutil

    from reader.library import Library

    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    library = Library(folder, tmp_path / "index")
    library.update()
    stored = library.claims()
    for article_id, claims in stored.items():
        assert claims == extract_claims(article_id, main_body(article_id))  # what the index kept is what is read
    path = folder / "waic-qualcomm-sole-us-sponsor.md"
    text = path.read_text(encoding="utf-8")
    assert "400 " in text
    path.write_text(text.replace("400 ", "500 "), encoding="utf-8")
    library.update()
    companies = next(g for g in library.figures() if g.what == "company")
    assert {c.value for c in companies.claims} == {500.0}
    assert companies.agree
    library.close()


def test_wire_abbreviations_scale_and_name_what_is_counted() -> None:
    claims = {c.text: c for c in extract_claims("a", "Profit rose to 6.4 mln dlrs, up 2.6 pct, or 45 cts a share.")}
    assert (claims["6.4 mln dlrs"].what, claims["6.4 mln dlrs"].value) == ("dollar", 6.4e6)
    assert claims["2.6 pct"].what == "per cent" and claims["45 cts"].what == "cent"


def test_unrelated_stories_are_not_compared_and_related_ones_are() -> None:
    strike = extract_claims("strike-1", "About 300 workers walked out at the port.") + extract_claims(
        "strike-2", "Some 450 workers walked out at the port.")
    factory = extract_claims("factory", "The new plant will employ 5,000 workers.")
    context = {"strike-1": {"port-union"}, "strike-2": {"port-union"}, "factory": {"carmaker"}}
    groups = group_claims(strike + factory, context)
    assert [sorted(g.articles) for g in groups] == [["strike-1", "strike-2"]]
    assert not groups[0].agree
    # Without the entity context every count of workers is one group.
    assert [sorted(g.articles) for g in group_claims(strike + factory)] == [["factory", "strike-1", "strike-2"]]


def test_a_qualifier_is_a_whole_word_before_the_number() -> None:
    (claim,) = extract_claims("a", "It failed to recover 19 mln dlrs, and turnover 12 mln dlrs fell.")[:1]
    assert claim.qualifier == "" and claim.text == "19 mln dlrs"
    assert [c.qualifier for c in extract_claims("a", "It paid over 19 mln dlrs.")] == ["over"]
