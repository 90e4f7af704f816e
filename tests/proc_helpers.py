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



def entries(folder: Path) -> list[str]:
    """The names in ``folder`` but the writers' lock files, which stay on
    purpose (removing one would let two writers lock two different files)."""
    from reader.curate import LOCK_FILE
    from reader.ingest import IMPORT_LOCK

    return sorted(name for name in os.listdir(folder) if name not in (IMPORT_LOCK, LOCK_FILE))


def leftovers(folder: Path) -> list[str]:
    """What an interrupted or racing write could leave in ``folder``: hidden
    files other than the lock files (temporary files)."""
    return [name for name in entries(folder) if name.startswith(".")]
