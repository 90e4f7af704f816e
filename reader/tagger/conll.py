"""Reading CoNLL-2003 files: one token a line (``word POS chunk NER``), a blank
line between sentences. Used to train and to measure the tagger; nothing of
the files is kept in the project."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

_DATELINE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Sentence:
    words: list[str]
    tags: list[str]  # IOB2: B-PER, I-ORG, O


def read_sentences(path: Path) -> list[Sentence]:
    out: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if not parts:
                if words:
                    out.append(Sentence(words, tags))
                    words, tags = [], []
                continue
            if parts[0] == "-DOCSTART-":
                continue
            words.append(parts[0])
            tags.append(parts[-1])
    if words:
        out.append(Sentence(words, tags))
    return out


def documents(sentences: list[Sentence]) -> Iterator[list[Sentence]]:
    """The sentences grouped into stories. This copy has no document marks,
    so a story is taken to start at the headline just before each dateline
    ("BRUSSELS 1996-08-22"), or two lines before when a byline stands between."""
    starts = [0]
    for i, sent in enumerate(sentences):
        if len(sent.words) <= 6 and _DATELINE.match(sent.words[-1]) and i > 0:
            start = i - 1
            if i >= 2 and len(sentences[i - 1].words) <= 4 and starts[-1] < i - 2:
                start = i - 2  # headline, byline, dateline
            if start > starts[-1]:
                starts.append(start)
    starts.append(len(sentences))
    for a, b in zip(starts, starts[1:]):
        if b > a:
            yield sentences[a:b]


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """(first token, end token, kind) of each IOB2 entity."""
    out: set[tuple[int, int, str]] = set()
    start, kind = -1, ""
    for i, tag in enumerate(tags + ["O"]):
        if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != kind):
            if start >= 0:
                out.add((start, i, kind))
                start, kind = -1, ""
            if tag != "O":
                start, kind = i, tag[2:]
    return out
