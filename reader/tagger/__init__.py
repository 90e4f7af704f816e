"""Name taggers: the trained CRF (the default) or a spaCy pipeline.

The setting comes from ``--tagger`` or the ``READER_TAGGER`` variable:

* ``crf`` (default): the CRF model shipped with the reader;
* ``spacy:NAME``: a spaCy pipeline the user has installed (``en_core_web_sm``,
  or a path to a pipeline folder), with the ``reader[spacy]`` extra;
* ``rules``: no tagger, the discovery rules alone.
"""

from __future__ import annotations

import functools
import os

from reader.tagger.base import Span, TaggedText, Tagger

ENV = "READER_TAGGER"
DEFAULT = "crf"


class TaggerError(Exception):
    """A tagger setting that cannot be used; the message says why in one line."""


def setting(value: str | None = None) -> str:
    return (value or os.environ.get(ENV) or DEFAULT).strip()


@functools.lru_cache(maxsize=4)
def _load(name: str) -> Tagger | None:
    if name == "rules":
        return None
    if name == "crf":
        from reader.tagger.crf import CrfTagger

        return CrfTagger()
    if name.startswith("spacy:") and len(name) > len("spacy:"):
        from reader.tagger.spacy_tagger import SpacyTagger

        return SpacyTagger(name[len("spacy:") :])
    raise TaggerError(f"unknown tagger {name!r}: use crf, rules or spacy:PIPELINE")


@functools.lru_cache(maxsize=4)
def signature(value: str | None = None) -> str:
    """What the index records of the tagger that made it: a different tagger
    or model means every article is read again."""
    name = setting(value)
    if name == "crf":
        import hashlib

        from reader.tagger.crf import default_model

        try:
            digest = hashlib.sha1(default_model().read_bytes()).hexdigest()[:12]
        except OSError:
            digest = "missing"
        return f"crf:{digest}"
    return name


def get_tagger(value: str | None = None) -> Tagger | None:
    """The tagger for a setting (None for the rules alone); loaded once per process."""
    return _load(setting(value))


__all__ = ["Span", "TaggedText", "Tagger", "TaggerError", "get_tagger", "setting", "signature", "ENV"]
