"""The default name tagger: a linear-chain CRF (python-crfsuite) over the
delexicalised features of ``features``. The model ships inside the package
(``ner.crfsuite``); ``reader.tagger.train`` rebuilds it."""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

from reader.tagger.base import Span, TaggedText
from reader.tagger.features import DocumentView, may_hold_a_name, sentence_features
from reader.tagger.tokens import Token, sentences as cut_sentences, tokenise

MODEL_NAME = "ner.crfsuite"


def default_model() -> Path:
    return Path(str(resources.files("reader.tagger").joinpath(MODEL_NAME)))


class CrfTagger:
    name = "crf"

    def __init__(self, model: Path | None = None) -> None:
        import pycrfsuite

        self.model = model or default_model()
        if not self.model.is_file():
            raise FileNotFoundError(f"the tagger's model is missing: {self.model}")
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.model))
        # A crfsuite tagger holds the sequence being tagged: one caller at a time.
        self._lock = threading.Lock()

    def tag_words(self, sentences: list[list[str]]) -> list[list[str]]:
        """IOB2 tags for sentences given as words (one document)."""
        doc = DocumentView(sentences)
        out = []
        with self._lock:
            for sent in sentences:
                if may_hold_a_name(sent):
                    out.append(self._tagger.tag(sentence_features(sent, doc)))
                else:
                    out.append(["O"] * len(sent))
        return out

    def tag(self, text: str) -> TaggedText:
        sents = cut_sentences(text, tokenise(text))
        words = [[t.text for t in s] for s in sents]
        tags = self.tag_words(words)
        return TaggedText(_spans(sents, tags))


def _spans(sents: list[list[Token]], tags: list[list[str]]) -> list[Span]:
    found: list[Span] = []
    for sent, labels in zip(sents, tags):
        start = -1
        kind = ""
        for i, label in enumerate(labels + ["O"]):
            inside = label.startswith("I-") and label[2:] == kind
            if start >= 0 and not inside:
                found.append(Span(sent[start].start, sent[i - 1].end, kind))
                start, kind = -1, ""
            if label != "O" and not inside:
                start, kind = i, label[2:]
    return found
