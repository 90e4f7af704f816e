"""Words for an unexpected error, for messages a person reads.

An exception's class name ("IndexError", "Exception") tells a reader nothing;
its message usually does, and where it is empty a plain phrase stands in."""

from __future__ import annotations

MAX_CHARS = 200


def error_words(error: BaseException, fallback: str = "an unexpected error") -> str:
    """The error's own message folded to one line, else ``fallback``; never the class name."""
    if isinstance(error, OSError) and error.strerror:
        text = f"{error.filename}: {error.strerror}" if error.filename else error.strerror
    else:
        text = str(error)
    text = " ".join(text.split())
    if not text or text == type(error).__name__ or text in ("''", '""'):
        return fallback
    return text[:MAX_CHARS]
