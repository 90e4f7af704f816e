"""Python's cyclic garbage collector: the full passes run when nobody waits.

Left to itself the collector now and then makes a full pass, which walks every
tracked object that is not frozen: with the reader's caches (rendered lines,
search results, Whoosh's readers) that is 15-30 ms on Reuters, and a key press
or a search result that meets one waits for it. So while the app runs, the
automatic collector keeps its cheap passes over young objects but never starts
a full one; the app asks for a full pass once no key has come for a moment
and no worker is busy (and, should the user stay busy for very long, anyway).
What start-up built is frozen (``gc.freeze``) and never walked again.

Reference counting frees almost everything as before; only objects in
reference cycles wait for these passes."""

from __future__ import annotations

import gc
import sys
import time

IDLE_SECONDS = 0.5  # no key for this long: a full pass delays nothing
DUE = 10  # young passes between full ones, as Python's own default threshold
OVERDUE = 50  # ... and the most a busy user puts it off (memory stays bounded)
NEVER = 1 << 30  # a threshold the automatic collector never reaches
TICK_SECONDS = 0.25  # how often the app asks
# The generational collector this relies on (three thresholds, the third count
# counting middle passes): CPython 3.11 to 3.13 with the interpreter lock. On
# other interpreters the automatic collector is left as it is.
SUPPORTED = (sys.implementation.name == "cpython" and (3, 11) <= sys.version_info[:2] < (3, 14)
             and getattr(sys, "_is_gil_enabled", lambda: True)())


class IdleCollector:
    def __init__(self) -> None:
        self.last_input = time.monotonic()
        self.full = 0  # full passes run
        self._thresholds: tuple[int, int, int] | None = None

    def attach(self) -> None:
        """The automatic collector stops starting full passes (the app is mounted)."""
        if not SUPPORTED:
            return
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, NEVER)

    def detach(self) -> None:
        """Python's thresholds back as they were (the app is leaving)."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def input(self) -> None:
        self.last_input = time.monotonic()

    def tick(self, busy: bool) -> bool:
        """A full pass if one is due and now is a good time; True if it ran."""
        if not SUPPORTED:
            return False
        # The third count: passes over the middle generation since the last full one.
        due = gc.get_count()[2]
        idle = not busy and time.monotonic() - self.last_input >= IDLE_SECONDS
        if (idle and due >= DUE) or due >= OVERDUE:
            gc.collect()
            self.full += 1
            return True
        return False
