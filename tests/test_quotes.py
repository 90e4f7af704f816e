"""The quotes ledger: which quotations an article holds and who said them
(reader.quotes), read back across the corpus (reader.ledger, `reader quotes`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reader.cli import main
from reader.library import Library
from reader.quotes import EntityMention, Quote, find_quotes, is_title_like, quoted_spans


def mentions(body: str, names: dict[str, str]) -> list[EntityMention]:
    """Every occurrence of each name (name -> kind) as the extraction gives
    it: the entity's id and full name for the name and, for a person, their
    family name alone."""
    out = []
    for name, kind in names.items():
        entity_id = "e-" + name.lower().replace(" ", "-")
        forms = [name] + ([name.split()[-1]] if kind == "person" and " " in name else [])
        taken: list[tuple[int, int]] = []
        for form in forms:
            for m in re.finditer(r"\b" + re.escape(form) + r"\b", body):
                if any(s <= m.start() < e for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                out.append(EntityMention(m.start(), m.end(), entity_id, name, kind))
    return sorted(out)


def quotes_of(body: str, names: dict[str, str] | None = None) -> list[Quote]:
    return find_quotes(body, mentions(body, names or {}))


def said(body: str, names: dict[str, str] | None = None) -> list[tuple[str, str | None]]:
    """(quoted words, speaker's name) of each quotation found."""
    return [(q.text, q.speaker_name) for q in quotes_of(body, names)]


def speaker_of(body: str, words: str, names: dict[str, str]) -> str | None:
    found = [q for q in quotes_of(body, names) if words in q.text]
    assert len(found) == 1, f"{words!r} in {[q.text for q in quotes_of(body, names)]}"
    return found[0].speaker_name


CHEN = {"Chen Li": "person", "Lumina Robotics": "company"}


# --- the quote marks ---------------------------------------------------------------------

def test_straight_curly_and_guillemet_quotes_are_all_read():
    body = ('Chen Li said: "Straight quotes are read." Then Chen said: “Curly ones too.” '
            'And Chen said: «Guillemets as well.»')
    assert [t for t, _ in said(body, CHEN)] == ["Straight quotes are read.", "Curly ones too.", "Guillemets as well."]


def test_offsets_point_at_the_quoted_words_in_the_body():
    body = 'Chen Li of Lumina Robotics spoke.\n\n"We will open the toolkit this year," Chen said.'
    (q,) = quotes_of(body, CHEN)
    assert body[q.start:q.end] == q.text == "We will open the toolkit this year,"


def test_an_apostrophe_is_not_a_quote_mark():
    body = "Chen Li said: ‘It’s the company’s best year, and we’re not done.’"
    (q,) = quotes_of(body, CHEN)
    assert q.text == "It’s the company’s best year, and we’re not done."
    assert q.speaker_name == "Chen Li"


def test_a_quotation_over_several_paragraphs_is_one_quotation():
    body = ('John Park, who heads the Robotics Association, told reporters: "This is the first time\n'
            'a Chinese firm has done this.\n\n"It will not be the last."\n\nThe shares rose.')
    spans = quoted_spans(body)
    assert len(spans) == 1 and len(spans[0].parts) == 2
    (q,) = quotes_of(body, {"John Park": "person", "Robotics Association": "organization"})
    assert q.speaker_name == "John Park"
    assert q.text.startswith("This is the first time") and q.text.endswith("It will not be the last.")


# --- who said it -------------------------------------------------------------------------

def test_a_family_name_after_the_quote_is_the_person_named_in_full_earlier():
    body = ('Chen Li, chief executive of Lumina Robotics, spoke on Friday.\n\n'
            '"We will open the toolkit this year," Chen said.')
    assert speaker_of(body, "open the toolkit", CHEN) == "Chen Li"


def test_speaker_after_the_quote_with_the_verb_first():
    body = '"It is a good start," said Maria Gonzalez, an analyst at Brightline Capital.'
    assert speaker_of(body, "good start", {"Maria Gonzalez": "person", "Brightline Capital": "company"}) \
        == "Maria Gonzalez"


def test_speaker_before_the_quote():
    people = {"Chen Li": "person", "Maria Gonzalez": "person"}
    assert speaker_of('Asked about rivals, Chen Li said: "Competition makes us better."', "Competition",
                      people) == "Chen Li"
    assert speaker_of('Maria Gonzalez said, "The market wants more."', "market", people) == "Maria Gonzalez"
    assert speaker_of('Maria Gonzalez told reporters on Monday: "We are ready."', "ready", people) \
        == "Maria Gonzalez"


def test_according_to_before_and_after():
    people = {"Maria Gonzalez": "person"}
    assert speaker_of('According to Maria Gonzalez, "the toolkit alone will not move the shares."', "toolkit",
                      people) == "Maria Gonzalez"
    assert speaker_of('"Demand is soft," according to Maria Gonzalez.', "Demand", people) == "Maria Gonzalez"


def test_an_appositive_between_the_speaker_and_the_verb():
    body = 'Chen Li, chief executive of Lumina Robotics, said "the robots ship in May."'
    assert speaker_of(body, "robots ship", CHEN) == "Chen Li"


def test_a_quote_split_by_its_attribution_is_two_quotations_of_one_speaker():
    body = '"It is a good start," said Maria Gonzalez, an analyst, "but the market wants more."'
    found = said(body, {"Maria Gonzalez": "person"})
    assert found == [("It is a good start,", "Maria Gonzalez"), ("but the market wants more.", "Maria Gonzalez")]


def test_the_same_speaker_goes_on_in_the_next_sentence():
    body = ('Chen Li spoke first.\n\n"We will open the toolkit this year," Chen said. '
            '"Developers have waited long enough."')
    assert speaker_of(body, "Developers", CHEN) == "Chen Li"


def test_a_pronoun_stands_for_the_last_named_speaker():
    body = ('Union spokeswoman Lucía Serrano Ortiz said pilots had worked under a temporary deal since 2021. '
            '"Temporary has become permanent," she said.')
    assert speaker_of(body, "Temporary", {"Lucía Serrano Ortiz": "person"}) == "Lucía Serrano Ortiz"


def test_a_pronoun_after_another_person_is_named_is_that_person():
    body = ('"We will wait," Chen Li said.\n\nMaria Gonzalez, an analyst, disagreed. '
            '"Waiting is the risk," she said.')
    assert speaker_of(body, "Waiting", {"Chen Li": "person", "Maria Gonzalez": "person"}) == "Maria Gonzalez"


def test_a_role_stands_for_the_last_named_speaker():
    body = ('Lucía Serrano Ortiz, a spokeswoman for the union, said talks would resume. '
            '"We are watching closely," the spokesperson said.')
    assert speaker_of(body, "watching", {"Lucía Serrano Ortiz": "person"}) == "Lucía Serrano Ortiz"


def test_the_company_said_is_the_story_s_company_not_the_analyst_s_firm():
    body = ('Lumina Robotics will publish its toolkit, said Maria Gonzalez of Brightline Capital.\n\n'
            'The company said in a statement: "Lumina Robotics remains committed to open standards."')
    names = {"Lumina Robotics": "company", "Brightline Capital": "company", "Maria Gonzalez": "person"}
    assert speaker_of(body, "committed", names) == "Lumina Robotics"


def test_an_opening_phrase_before_the_subject_is_skipped():
    body = ('Ana Ruiz, the mayor, opened the bridge. Asked whether tolls would rise, she said: "Not this year."\n\n'
            'Harbour City Council backed her. In a statement, the council said it was "proud of the new crossing".')
    names = {"Ana Ruiz": "person", "Harbour City Council": "organization"}
    assert speaker_of(body, "Not this year", names) == "Ana Ruiz"
    assert speaker_of(body, "proud of", names) == "Harbour City Council"


def test_a_pronoun_subject_after_a_clause_is_the_speaker_not_a_name_in_the_clause():
    body = ('Ana Ruiz spoke at the launch.\n\nThe Skyline Tram cannot run in snow, she said, and it handles '
            'steep streets "slowly but safely, which is the point".')
    assert speaker_of(body, "slowly but safely", {"Ana Ruiz": "person", "Skyline Tram": "product"}) == "Ana Ruiz"


def test_an_abbreviation_does_not_end_the_attribution():
    body = '"We start in May," said Dr. Ana Ruiz, head of research at Helio Labs.'
    assert speaker_of(body, "start in May", {}) == "Ana Ruiz"


def test_an_everyday_word_or_a_possessive_is_no_speaker():
    body = ('It is sold, the makers say, as "a quieter kind of bicycle for busy streets". '
            'Norland\'s top envoy said the talks had been "frank and very useful for both sides".')
    assert all(speaker not in ("It", "Norland's") for _, speaker in said(body, {}))


def test_the_ministry_said_is_the_ministry_named_before():
    body = ('LAGOS (Wirenews) - Fuel prices rose again. The Ministry of Energy rejected that view.\n\n'
            '"There is no policy shift," the ministry said.')
    names = {"Wirenews": "organization", "Ministry of Energy": "organization"}
    assert speaker_of(body, "no policy shift", names) == "Ministry of Energy"


def test_the_company_said_is_the_company_of_its_paragraph():
    body = ('Lumina Robotics makes robots.\n\nBattery recycling is growing. Greencell, a recycler, processed '
            '40,000 tonnes last year. "Most of it can be reused," the company said.')
    names = {"Lumina Robotics": "company", "Greencell": "company"}
    assert speaker_of(body, "reused", names) == "Greencell"


def test_a_fragment_in_reported_speech_is_the_reporter_s_subject():
    body = 'John Park said the deal was "a turning point for the whole industry".'
    assert speaker_of(body, "turning point", {"John Park": "person"}) == "John Park"


def test_an_unnamed_speaker_is_kept_without_a_speaker():
    body = '"Nobody wants to sell before the results," a trader in Frankfurt said.'
    (q,) = quotes_of(body, {})
    assert q.text.startswith("Nobody wants") and q.speaker_id is None and q.speaker_name is None


def test_a_speaker_named_only_by_family_name_is_still_named():
    # No full name earlier: the name the text gives is the speaker's.
    body = '"We are ready for the vote," Okonkwo said.'
    assert speaker_of(body, "ready", {}) == "Okonkwo"


# --- what is not a quotation of anyone -----------------------------------------------

def test_a_slogan_or_title_is_attributed_to_no_one():
    body = ('Chen Li opened the summit. The summit\'s theme, "Governing AI for Good and for All", was chosen '
            'last year. The ministry published "Building Trust in Machines", its report.')
    assert all(speaker is None for _, speaker in said(body, CHEN))
    assert is_title_like("Governing AI for Good and for All")
    assert not is_title_like("We will open the toolkit this year")


def test_scare_quotes_are_no_quotation():
    body = ('Chen Li spoke. Critics call the plan a "smart" tariff, and what economists call '
            '"shrinkflation" is back.')
    assert said(body, CHEN) == []


def test_a_quoted_title_beside_a_speaker_is_not_theirs():
    body = 'Chen Li said the resolution, "Enhancing International Cooperation on Capacity-building of AI", passed.'
    assert all(speaker is None for _, speaker in said(body, CHEN))


def test_unclosed_and_stray_quote_marks_do_not_swallow_the_article():
    body = 'Chen Li said: "We will see.\n\nThe shares rose 3 per cent on the 12" screens.\n\nAnalysts agreed.'
    found = quotes_of(body, CHEN)
    assert all(len(q.text) < 40 for q in found)


def test_pack_and_unpack_keep_a_quotation():
    q = Quote(3, 10, "We will", "e-chen-li", "Chen Li", "said", "name")
    assert Quote.unpack(q.pack()) == q
    assert Quote.unpack(Quote(1, 2, "x").pack()).speaker_id is None


# --- the ledger: stored at index time, read across the corpus --------------------------

LUMINA = """---
id: lumina-toolkit
title: Toolkit to open this year, says Lumina chief
date: 2024-07-05
---
SHANGHAI, July 5 - Chen Li, chief executive of Lumina Robotics, said on Friday the company would publish its robot toolkit.

"We will open the toolkit this year," Chen said. "Developers have waited long enough."

"It is a good start," said Maria Gonzalez, an analyst at Brightline Capital, "but the market wants more."

The summit's theme, "Governing AI for Good and for All", was chosen last year.
"""

LUMINA_LATER = """---
id: lumina-shares
title: Lumina shares rise on toolkit plan
date: 2024-07-08
---
Shares of Lumina Robotics rose on Monday. Chen Li, the company's chief executive, told reporters: "The toolkit ships in September."
"""


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "lumina-toolkit.md").write_text(LUMINA, encoding="utf-8")
    (folder / "lumina-shares.md").write_text(LUMINA_LATER, encoding="utf-8")
    index = tmp_path / "index"
    Library(folder, index).update()
    return folder, index


def body_of(folder: Path, article_id: str) -> str:
    from reader.corpus import load_article

    return load_article(folder / f"{article_id}.md", folder).body


def test_the_ledger_gives_each_quotation_with_its_speaker_and_body_offsets(corpus):
    folder, index = corpus
    library = Library(folder, index)
    quotes = library.quotes()
    assert [q.article for q in quotes] == ["lumina-toolkit"] * 4 + ["lumina-shares"]  # oldest article first
    for q in quotes:
        assert body_of(folder, q.article)[q.start:q.end] == q.text
    by_text = {q.text: q.speaker_name for q in quotes}
    assert by_text["We will open the toolkit this year,"] == "Chen Li"
    assert by_text["Developers have waited long enough."] == "Chen Li"
    assert by_text["but the market wants more."] == "Maria Gonzalez"
    assert by_text["The toolkit ships in September."] == "Chen Li"
    assert "Governing AI for Good and for All" not in by_text  # a theme is no one's quotation


def test_one_speaker_across_articles_and_one_article(corpus):
    folder, index = corpus
    library = Library(folder, index)
    chen = {q.speaker_id for q in library.quotes() if q.speaker_name == "Chen Li"}
    assert len(chen) == 1  # one entity in both articles
    (chen_id,) = chen
    mine = library.quotes(speaker=chen_id)
    assert {q.article for q in mine} == {"lumina-toolkit", "lumina-shares"} and len(mine) == 3
    assert [q.text for q in library.quotes(article="lumina-shares")] == ["The toolkit ships in September."]


def test_an_edited_article_s_quotations_follow(corpus):
    folder, index = corpus
    path = folder / "lumina-shares.md"
    path.write_text(LUMINA_LATER.replace("The toolkit ships in September.", "We ship in October, not before."),
                    encoding="utf-8")
    library = Library(folder, index)
    library.update()
    assert [q.text for q in library.quotes(article="lumina-shares")] == ["We ship in October, not before."]


def test_a_merge_moves_the_quotations_to_the_merged_entity(corpus):
    folder, index = corpus
    library = Library(folder, index)
    library.curate("add", "Chen Li Wei", kind="person")
    target = library.curated_id
    library.curate("alias", "Chen Li", to=target)
    library = Library(folder, index)
    moved = library.quotes(speaker=target)
    assert len(moved) == 3 and {q.speaker_name for q in moved} == {"Chen Li Wei"}
    assert not [q for q in library.quotes() if q.speaker_name == "Chen Li"]


def run_cli(capsys, folder: Path, index: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--articles", str(folder), "--index", str(index), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_has_the_documented_shape(corpus, capsys):
    folder, index = corpus
    code, out, _ = run_cli(capsys, folder, index, "quotes", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"quotes"}
    for q in data["quotes"]:
        assert set(q) == {"article", "start", "end", "text", "speaker", "cue"}
        assert q["speaker"] is None or set(q["speaker"]) == {"id", "name"}
        assert body_of(folder, q["article"])[q["start"]:q["end"]] == q["text"]
    code, out, _ = run_cli(capsys, folder, index, "quotes", "--by", "Chen Li", "--article", "lumina-shares", "--json")
    assert code == 0
    assert [(q["text"], q["speaker"]["name"], q["cue"]) for q in json.loads(out)["quotes"]] == [
        ("The toolkit ships in September.", "Chen Li", "told")]


def test_cli_text_and_one_line_errors(corpus, capsys):
    folder, index = corpus
    code, out, _ = run_cli(capsys, folder, index, "quotes", "--by", "Maria Gonzalez")
    assert code == 0 and "2 quotations" in out and "Maria Gonzalez (said)" in out
    code, out, err = run_cli(capsys, folder, index, "quotes", "--by", "Nobody Here")
    assert code != 0 and err.strip() == "reader: no entity is named 'Nobody Here'"
    code, out, err = run_cli(capsys, folder, index, "quotes", "--article", "nope")
    assert code != 0 and err.strip().count("\n") == 0 and "nope" in err
