"""Where the tests find the outside data: the raw seed texts and the real
corpora of the workspace's shared folder (beside the project, or named by
READER_SHARED). Missing data fails the tests that need it with a message that
says where it was looked for; it is never a reason to skip them."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_PLACES = [Path(p) for p in (os.environ.get("READER_SHARED"),) if p] + [REPO.parent / "shared", Path("/work/shared")]
SHARED = next((p for p in _PLACES if (p / "seeds").is_dir()), _PLACES[0])
SEEDS = SHARED / "seeds"
CORPORA = SHARED / "corpora"
BBC = CORPORA / "bbc"
REUTERS = CORPORA / "reuters21578.jsonl"


def seed_files(pattern: str = "0*.txt") -> list[Path]:
    """The seed texts, which the tests of the bundled corpus are about."""
    found = sorted(SEEDS.glob(pattern))
    assert found, f"no seed texts {pattern} in {SEEDS} (looked in {', '.join(map(str, _PLACES))}; set READER_SHARED)"
    return found
