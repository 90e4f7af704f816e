"""The trained name tagger: its tokens, its features (no word of the training
text), the shipped model, retraining on a slice, and the reader's rules on top."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.discovery import discover
from reader.entities import EntityList
from reader.tagged_names import readings
from reader.tagger import TaggerError, get_tagger
from reader.tagger.conll import Sentence, documents, read_sentences, spans
from reader.tagger.crf import CrfTagger, default_model
from reader.tagger.features import DocumentView, sentence_features, word_features
from reader.tagger.tokens import sentences, tokenise
from reader.tagger.train import check_model, main as train_main

from shared_data import CORPORA

EMPTY = EntityList()


def tagged(text: str) -> dict[str, str]:
    tagger = get_tagger("crf")
    assert tagger is not None
    return {r.name: r.kind for r in readings(text, tagger.tag(text).spans)}


def discovered(text: str) -> dict[str, str]:
    tagger = get_tagger("crf")
    assert tagger is not None
    found = discover(text, [], EMPTY, readings(text, tagger.tag(text).spans))
    return {f.name: f.kind for f in found}


# --- tokens ---------------------------------------------------------------------------


def test_tokens_follow_conll_and_keep_offsets() -> None:
    text = "Mr. Paul A. Volcker, the U.S. Fed's chairman, said (up 4.5%) Jae-in O'Brien of Apple Inc. spoke."
    tokens = tokenise(text)
    words = [t.text for t in tokens]
    assert words[:6] == ["Mr.", "Paul", "A.", "Volcker", ",", "the"]
    assert "U.S." in words and "'s" in words and "4.5%" in words and "Inc." in words
    assert "Jae-in" in words and "O'Brien" in words
    for tok in tokens:
        assert text[tok.start : tok.end] == tok.text


def test_sentences_break_at_stops_and_headline_lines() -> None:
    text = "HEADLINE IN CAPITALS\n\nFirst sentence here. Second one \"quoted.\" Third"
    cut = [[t.text for t in s] for s in sentences(text)]
    assert cut[0] == ["HEADLINE", "IN", "CAPITALS"]
    assert cut[1] == ["First", "sentence", "here", "."]
    assert cut[2][-2:] == [".", '"']
    assert cut[3] == ["Third"]


def test_wrapped_wire_copy_is_one_sentence_across_lines() -> None:
    text = (
        "The Bank of Finland said it has revised the weightings in its\n"
        "currency basket to reflect changes in the structure of trade\n"
        "flows between Finland and its main partners over the year.\n"
    )
    assert len(sentences(text)) == 1


# --- features -------------------------------------------------------------------------


def test_word_features_name_no_open_class_word() -> None:
    feats = word_features("Volcker")
    assert not any("volcker" in f.lower() for f in feats)
    assert "c=title" in feats and "s=Xxxxxxx" in feats
    # Closed-list words are named: they are the reader's own.
    assert "w=said" in word_features("said")


def test_sentence_features_carry_document_evidence() -> None:
    doc = DocumentView([["BAKER", "SAYS", "NO"], ["Baker", "said", "the", "baker", "left", "."]])
    feats = sentence_features(["BAKER", "SAYS", "NO"], doc)
    assert "line=caps" in feats[0] and "doc=titled" in feats[0] and "doc=lower" in feats[0]


def test_shipped_model_names_no_word_outside_the_closed_lists() -> None:
    model = default_model()
    assert model.is_file()
    assert check_model(model) == []


# --- the shipped model ----------------------------------------------------------------


def test_shipped_model_tags_unseen_news() -> None:
    found = tagged(
        "Federal Reserve Board Chairman Paul Volcker told the House Banking Committee in Washington "
        "that Alan Greenspan would meet officials of the International Monetary Fund in Tokyo."
    )
    assert found.get("Paul Volcker") == "person"
    assert found.get("Alan Greenspan") == "person"
    assert found.get("Washington") == "place" and found.get("Tokyo") == "place"
    assert found.get("International Monetary Fund") == "organization"


def test_unknown_tagger_is_a_clear_error() -> None:
    with pytest.raises(TaggerError, match="unknown tagger"):
        get_tagger("nonsense")
    assert get_tagger("rules") is None


# --- the reader's rules on top ----------------------------------------------------------


def test_role_words_never_enter_a_persons_span() -> None:
    found = discovered("Treasury Secretary James Baker said on Tuesday that the dollar had fallen.")
    assert "James Baker" in found and found["James Baker"] == "person"
    assert not any("Secretary" in name for name in found)


def test_two_names_joined_by_and_are_two() -> None:
    found = tagged("Shares of Tesla and SpaceX rose after the company results, analysts said.")
    assert "Tesla and SpaceX" not in found


def test_acronyms_and_title_case_slogans_are_not_names() -> None:
    found = discovered(
        "The forum, themed 'Governing AI for Good and for All', drew AI and GPU makers and their CEO guests."
    )
    assert not set(found) & {"AI", "GPU", "CEO", "Governing AI", "Good", "All"}


def test_government_bodies_and_central_banks_are_organisations() -> None:
    found = discovered(
        "The World Bank and the Bank of England said the Treasury and the White House had agreed, "
        "while Acme Holdings Inc shares rose."
    )
    for name in ("World Bank", "Bank of England"):
        assert found.get(name) == "organization", found
    assert found.get("Acme Holdings Inc") == "company", found


def test_headline_in_capitals_gets_the_family_name() -> None:
    from reader.extract import Extractor

    extractor = Extractor(EMPTY, tagger="crf")
    body = "Paul Volcker will not be renamed as chairman of the Federal Reserve, officials said. Volcker declined to comment."
    extraction = extractor.extract(body, "x", title="NO DECISION YET ON RENAMING VOLCKER AT FED")
    title_words = {"NO DECISION YET ON RENAMING VOLCKER AT FED"[m.start : m.end] for m in extraction.title_mentions}
    assert "VOLCKER" in title_words
    volcker = {m.entity for m in extraction.title_mentions if m.entity}
    body_people = {m.entity for m in extraction.mentions if body[m.start : m.end] in ("Paul Volcker", "Volcker")}
    assert volcker & body_people  # one person in the headline and in the text


# --- training --------------------------------------------------------------------------


@pytest.mark.slow
def test_retraining_on_a_slice_tags_a_held_aside_sentence(tmp_path: Path) -> None:
    corpora = CORPORA / "conll2003"
    assert (corpora / "train.txt").is_file(), f"CoNLL-2003 is not in {corpora}"
    train = corpora / "train.txt"
    valid = corpora / "valid.txt"
    out = tmp_path / "small.crfsuite"
    report = tmp_path / "report.json"
    code = train_main(
        ["--train", str(train), "--valid", str(valid), "--out", str(out), "--limit", "1500",
         "--iterations", "40", "--report", str(report)]
    )
    assert code == 0 and out.is_file()
    assert check_model(out) == []
    tagger = CrfTagger(out)
    # A sentence of neither file, tagged by the small model.
    text = "Prime Minister John Howard met President Bill Clinton in Washington on Monday."
    got = {(text[s.start : s.end], s.kind) for s in tagger.tag(text).spans}
    assert ("Washington", "LOC") in got
    assert any(kind == "PER" and "Clinton" in name for name, kind in got)


def test_conll_spans_and_documents() -> None:
    assert spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG"]) == {
        (0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC"), (5, 6, "ORG")}
    story = ["A", "sentence", "of", "the", "story", "."]
    sents = [Sentence(["Headline", "here"], ["O", "O"]), Sentence(["BRUSSELS", "1996-08-22"], ["B-LOC", "O"]),
             Sentence(story, ["O"] * 6), Sentence(story, ["O"] * 6),
             Sentence(["Next", "story", "has", "a", "headline"], ["O"] * 5),
             Sentence(["LONDON", "1996-08-23"], ["B-LOC", "O"])]
    docs = list(documents(sents))
    assert [len(d) for d in docs] == [4, 2]


def test_conll_reader(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\nPeter NNP B-NP B-PER\n", "utf-8")
    sents = read_sentences(path)
    assert [s.words for s in sents] == [["EU", "rejects"], ["Peter"]]
    assert sents[0].tags == ["B-ORG", "O"]


def test_a_title_of_address_makes_a_person_and_the_white_house_an_organisation() -> None:
    found = discovered("He met Mr Volcker today in Washington. White House spokesman Marlin Fitzwater said so.")
    assert found.get("Volcker") == "person"
    assert found.get("White House") == "organization"
    assert found.get("Marlin Fitzwater") == "person"
    assert found.get("Washington") == "place"


def test_the_word_lists_are_kept_in_the_cache_and_rebuilt_when_broken(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.tagger.lexicon import _kept

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built: list[int] = []

    def build() -> dict[str, int]:
        built.append(1)
        return {"shanghai": 1}

    assert _kept("test-lists", build) == {"shanghai": 1}
    assert _kept("test-lists", build) == {"shanghai": 1} and len(built) == 1  # read back, not built
    (kept,) = (tmp_path / "reader" / "lexicon").glob("test-lists-*.pickle")
    kept.write_bytes(b"\x80\x05 not a pickle")  # a copy cut short or foreign
    assert _kept("test-lists", build) == {"shanghai": 1} and len(built) == 2
    assert not list((tmp_path / "reader" / "lexicon").glob(".*.tmp"))


def test_results_table_labels_suffixes_alone_and_state_abbreviations() -> None:
    from reader.extract import Extractor

    text = ("SUNNYVALE, Calif., March 3 - Acme Devices Co Inc said it earned more.\n"
            "Shr 1.20 dlrs vs 1.10 dlrs\nRevs 45.6 mln vs 40.1 mln\nQtly div 12 cts vs 12 cts prior\n")
    found = {d.name: d.kind for d in Extractor(EntityList(), tagger="crf").extract(text, "x", "").discovered.values()}
    assert found.get("Calif") == "place"
    assert found.get("Acme Devices Co Inc") == "company"
    assert not {"Shr", "Revs", "Qtly", "Co Inc"} & set(found)
