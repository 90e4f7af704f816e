"""The optional spaCy tagger, behind the same interface as the CRF: a tiny
pipeline trained here, loaded with ``--tagger spacy:PATH``."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from reader.tagger import TaggerError, get_tagger

TRAIN = [
    ("Anna Berg met Lars Holm in Oslo .", [("Anna Berg", "PERSON"), ("Lars Holm", "PERSON"), ("Oslo", "GPE")]),
    ("Lars Holm works for Nordic Steel in Bergen .", [("Lars Holm", "PERSON"), ("Nordic Steel", "ORG"), ("Bergen", "GPE")]),
    ("Nordic Steel said profits rose in Oslo .", [("Nordic Steel", "ORG"), ("Oslo", "GPE")]),
    ("Anna Berg flew to Bergen on Monday .", [("Anna Berg", "PERSON"), ("Bergen", "GPE")]),
]


def _entities(text: str, names: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    out = []
    for name, label in names:
        start = text.index(name)
        out.append((start, start + len(name), label))
    return out


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import spacy
    from spacy.training import Example

    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for _, names in TRAIN:
        for _, label in names:
            ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": _entities(t, n)}) for t, n in TRAIN]
    random.seed(0)
    spacy.util.fix_random_seed(0)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    path = tmp_path_factory.mktemp("spacy") / "tiny"
    nlp.to_disk(path)
    return path


def test_spacy_tagger_tags_through_the_same_interface(pipeline: Path) -> None:
    tagger = get_tagger(f"spacy:{pipeline}")
    assert tagger is not None and tagger.name == f"spacy:{pipeline}"
    text = "Anna Berg met Lars Holm in Oslo ."
    got = {(text[s.start : s.end], s.kind) for s in tagger.tag(text).spans}
    assert {("Anna Berg", "PER"), ("Lars Holm", "PER"), ("Oslo", "LOC")} <= got


def test_reader_uses_the_spacy_tagger_from_the_command_line(pipeline: Path, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.md").write_text(
        "---\nid: a\ntitle: Steel news\n---\nLars Holm works for Nordic Steel in Bergen .\n", encoding="utf-8")
    env = {**os.environ, "READER_INDEX": str(tmp_path / "index")}
    run = subprocess.run(
        [sys.executable, "-m", "reader", "--articles", str(articles), "--tagger", f"spacy:{pipeline}",
         "mentions", "a", "--json"], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    found = {(m["text"], m["kind"]) for m in json.loads(run.stdout)["mentions"]}
    assert ("Lars Holm", "person") in found
    assert ("Bergen", "place") in found


def test_a_missing_pipeline_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(TaggerError, match="cannot load the spaCy pipeline"):
        get_tagger(f"spacy:{tmp_path / 'none'}")
    run = subprocess.run([sys.executable, "-m", "reader", "--tagger", f"spacy:{tmp_path / 'none'}", "list"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "cannot load the spaCy pipeline" in run.stderr
