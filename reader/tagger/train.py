"""Train the name tagger's CRF model and measure it.

    python -m reader.tagger.train --train ../shared/corpora/conll2003/train.txt \
        --valid ../shared/corpora/conll2003/valid.txt --out reader/tagger/ner.crfsuite

Trains on the training file, picks the regularisation on the validation file
(``--grid``), then writes the model and prints its figures per kind (exact span
and kind). ``--limit`` trains on the first N sentences only (tests use it).
The model holds only feature names of ``reader.tagger.features``, which name
no word of the training text; ``check_model`` verifies it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Sequence

from reader.tagger.conll import Sentence, documents, read_sentences, spans
from reader.tagger.features import DocumentView, sentence_features
from reader.tagger import wordlists as W


def featurise(sentences: list[Sentence]) -> list[tuple[list[list[str]], list[str]]]:
    out = []
    for doc in documents(sentences):
        view = DocumentView([s.words for s in doc])
        for sent in doc:
            out.append((sentence_features(sent.words, view), sent.tags))
    return out


def train(
    data: list[tuple[list[list[str]], list[str]]], out: Path, c1: float, c2: float, iterations: int
) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in data:
        trainer.append(xseq, yseq)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": 2,
        }
    )
    trainer.train(str(out))


def evaluate(model: Path, sentences: list[Sentence]) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 per kind and for PER+ORG, exact span and kind."""
    from reader.tagger.crf import CrfTagger

    tagger = CrfTagger(model)
    counts: dict[str, list[int]] = {}
    for doc in documents(sentences):
        predicted = tagger.tag_words([s.words for s in doc])
        for sent, tags in zip(doc, predicted):
            gold = spans(sent.tags)
            got = spans(tags)
            for kind in ("PER", "ORG", "LOC", "MISC"):
                g = {s for s in gold if s[2] == kind}
                p = {s for s in got if s[2] == kind}
                c = counts.setdefault(kind, [0, 0, 0])
                c[0] += len(g & p)
                c[1] += len(p)
                c[2] += len(g)
    counts["PER+ORG"] = [counts["PER"][i] + counts["ORG"][i] for i in range(3)]
    counts["all"] = [sum(counts[k][i] for k in ("PER", "ORG", "LOC", "MISC")) for i in range(3)]
    return {kind: _prf(*c) for kind, c in counts.items()}


def _prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "gold": gold}


# Every feature name is one of these forms; the values after "=" are shapes
# (X upper, x lower, d digit, o other letter),
# bands, flags or words of the reader's own closed lists.
_FORM = re.compile(r"^(?:[+-]\d:)?(?P<key>[a-z_|]+)(?:=(?P<value>.*))?$")
_FREE_VALUES = {"s", "ss"}
_FLAGS = {"first", "second", "last", "edge", "hyphen", "compound", "apostrophe", "dot", "has_digit"}  # shapes: signs such as "Xx" and "d,d", never letters of a word


def check_model(model: Path) -> list[str]:
    """The feature names of ``model`` that name a word outside the reader's
    closed lists (should be none)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    info = tagger.info()
    names = {attribute for attribute, _label in info.state_features}
    classes = {name for name, _ in W.CLASSES}
    bad = []
    for name in sorted(names):
        match = _FORM.match(name)
        if match is None:
            bad.append(name)
            continue
        key, value = match.group("key"), match.group("value")
        if value is None:
            if key not in _FLAGS:
                bad.append(name)
            continue
        if key in _FREE_VALUES:
            if any(c.isalnum() and c not in "Xxdo" for c in value):
                bad.append(name)
        elif key in ("w",):
            if value not in W.CLOSED:
                bad.append(name)
        elif key in ("pw|c", "c|nw"):
            words = [v for v in value.split("|") if v not in ("?", "^")]
            if any(v not in W.CLOSED and not _is_case(v) for v in words):
                bad.append(name)
        elif key == "cl":
            if value not in classes:
                bad.append(name)
        elif key == "sfx":
            if value not in W.SUFFIXES:
                bad.append(name)
        elif key == "p":
            if any(c.isalnum() for c in value):
                bad.append(name)
        elif key in ("c", "len", "f", "fn", "ln", "pl", "line", "gz", "doc"):
            if not re.fullmatch(r"[a-z0-9+\-]{1,6}|[BI]\d", value) or (key == "c" and not _is_case(value)):
                bad.append(name)
        else:
            bad.append(name)
    return bad


def _is_case(value: str) -> bool:
    return value in ("upper", "single", "lower", "title", "mixed", "digit", "punct")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--valid", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N sentences only")
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--grid", action="store_true", help="pick c1 and c2 on the validation file")
    parser.add_argument("--c1", type=float, default=0.2)
    parser.add_argument("--c2", type=float, default=0.05)
    parser.add_argument("--report", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)

    train_sents = read_sentences(args.train)
    if args.limit:
        train_sents = train_sents[: args.limit]
    valid_sents = read_sentences(args.valid)
    started = time.perf_counter()
    data = featurise(train_sents)
    print(f"features of {len(data)} sentences in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    settings = [(args.c1, args.c2)]
    if args.grid:
        settings = [(c1, c2) for c1 in (0.02, 0.05, 0.1, 0.2) for c2 in (0.001, 0.01, 0.05)]
    best = None
    for c1, c2 in settings:
        started = time.perf_counter()
        candidate = args.out.with_suffix(f".c1_{c1}_c2_{c2}.tmp")
        train(data, candidate, c1, c2, args.iterations)
        figures = evaluate(candidate, valid_sents)
        seconds = time.perf_counter() - started
        score = figures["all"]["f1"]
        print(
            f"c1={c1} c2={c2}: valid F1 all {score:.4f}, PER+ORG {figures['PER+ORG']['f1']:.4f} ({seconds:.0f} s)",
            file=sys.stderr,
        )
        if best is None or score > best[0]:
            if best is not None:
                best[1].unlink()
            best = (score, candidate, c1, c2, figures)
        else:
            candidate.unlink()
    assert best is not None
    _, path, c1, c2, figures = best
    path.replace(args.out)
    bad = check_model(args.out)
    if bad:
        print(f"the model names words outside the closed lists: {bad[:10]}", file=sys.stderr)
        return 1
    report = {
        "train_sentences": len(train_sents),
        "c1": c1,
        "c2": c2,
        "iterations": args.iterations,
        "model_bytes": args.out.stat().st_size,
        "valid": figures,
    }
    print(json.dumps(report, indent=1))
    if args.report:
        args.report.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
