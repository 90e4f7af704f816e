"""The hand-annotated evaluation articles (tests/data/entity_eval): the gold
annotation is consistent with the texts, and the reader's extraction keeps a
floor of quality on them (the figures themselves are bench/tagger_eval.py's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reader.corpus import load_article
from reader.entities import EntityList, name_key
from reader.extract import Extractor
from reader.yamlsafe import load_yaml

EVAL = Path(__file__).resolve().parent / "data" / "entity_eval"


def test_gold_annotation_matches_the_articles() -> None:
    run = subprocess.run([sys.executable, str(EVAL / "check_gold.py")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(list(EVAL.glob("*.md"))) >= 20


def test_extraction_finds_most_of_the_annotated_people_and_places() -> None:
    gold = load_yaml((EVAL / "gold.yaml").read_text(encoding="utf-8"))
    extractor = Extractor(EntityList(), tagger="crf")
    found_people = wanted_people = found_places = wanted_places = 0
    for path in sorted(EVAL.glob("*.md")):
        article = load_article(path)
        extraction = extractor.extract(article.body, article.id, article.title)
        names = {(name_key(e.name), e.kind) for e in extraction.discovered.values()}
        for name in gold[article.id]["person"]:
            wanted_people += 1
            found_people += (name_key(name), "person") in names
        for name in gold[article.id]["place"]:
            wanted_places += 1
            found_places += (name_key(name), "place") in names
    # Floors well under what bench/tagger_eval.py measures (0.95 and 0.79 of recall).
    assert found_people / wanted_people > 0.8
    assert found_places / wanted_places > 0.6
