"""A spaCy pipeline as the name tagger, for users who have one installed
(``pip install 'reader[spacy]'`` and a pipeline such as ``en_core_web_sm``).

Its entity labels are mapped to the tagger's four kinds; what spaCy calls
dates, quantities and the like is left out, as the CRF leaves it out.
"""

from __future__ import annotations

import threading

from reader.tagger.base import LOC, MISC, ORG, PER, Span, TaggedText

# OntoNotes labels (en_core_web_*), and the CoNLL ones a pipeline may use.
LABELS = {
    "PERSON": PER, "PER": PER,
    "ORG": ORG, "NORP": None,
    "GPE": LOC, "LOC": LOC, "FAC": LOC,
    "PRODUCT": MISC, "EVENT": MISC, "WORK_OF_ART": MISC, "LAW": MISC, "LANGUAGE": None, "MISC": MISC,
}


class SpacyTagger:
    def __init__(self, pipeline: str) -> None:
        from reader.tagger import TaggerError

        try:
            import spacy
        except ImportError:
            raise TaggerError("the spaCy tagger needs spaCy: pip install 'reader[spacy]'") from None
        try:
            # Only the entity recogniser and what it needs: the parser and
            # the lemmatiser cost time and give the tagger nothing.
            self.nlp = spacy.load(pipeline, exclude=["parser", "lemmatizer", "textcat"])
        except (OSError, ValueError) as exc:
            lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
            first = lines[0] if lines else "it gave no reason"  # never the exception's class name
            raise TaggerError(f"cannot load the spaCy pipeline {pipeline!r}: {first}") from None
        if "ner" not in self.nlp.pipe_names:
            raise TaggerError(f"the spaCy pipeline {pipeline!r} has no entity recogniser (ner)")
        self.name = f"spacy:{pipeline}"
        self._lock = threading.Lock()

    def tag(self, text: str) -> TaggedText:
        with self._lock:
            doc = self.nlp(text)
        spans = []
        for ent in doc.ents:
            kind = LABELS.get(ent.label_)  # dates, sums and the like are not names
            if kind is not None:
                spans.append(Span(ent.start_char, ent.end_char, kind))
        return TaggedText(spans)
