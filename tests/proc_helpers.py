"""Running the installed ``reader`` command as a real process, for the tests
that kill it, race it or feed it hostile input."""

from __future__ import annotations

import os
import sys
from pathlib import Path

READER = Path(sys.executable).with_name("reader")


def reader_cmd(*args: object) -> list[str]:
    """The argv of ``reader ARGS``: the console script when installed, else ``python -m reader``."""
    base = [str(READER)] if READER.exists() else [sys.executable, "-m", "reader"]
    return base + [str(a) for a in args]


def subprocess_env(**extra: str) -> dict[str, str]:
    """This environment without the reader's own variables (each test names its
    folders itself), unbuffered so a killed process's last lines are kept."""
    env = dict(os.environ)
    env.pop("READER_ARTICLES", None)
    env.pop("READER_INDEX", None)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env
