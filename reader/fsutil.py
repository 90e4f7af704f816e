"""Atomic file writes: a reader must never leave a torn article or entity list."""

from __future__ import annotations

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator


def atomic_write_text(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new file, never half.

    The data goes to a temporary file in the same folder, is flushed and
    fsynced, then renamed over the target; the folder is fsynced so the rename
    itself survives a power cut.
    """
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    with _replacing(path) as fd:
        write_temp(fd, data, mode=file_mode(path, 0o644), sync=True)


@contextmanager
def atomic_write_stream(path: Path, *, encoding: str = "utf-8") -> Iterator[Any]:
    """A text file to write a line at a time, that appears at ``path`` whole
    when the block ends (temporary file, sync, rename); on an error the old
    file, if any, is left as it was and the temporary file removed."""
    path = Path(path)
    with _replacing(path) as fd:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            yield handle
            handle.flush()
            os.fchmod(handle.fileno(), file_mode(path, umask_mode()))
            os.fsync(handle.fileno())


@contextmanager
def _replacing(path: Path) -> Iterator[int]:
    """A temporary file beside ``path`` (its descriptor) that is renamed over
    ``path`` when the block ends, and removed if the block fails."""
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        yield fd
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(folder)


def write_temp(fd: int, data: bytes, *, mode: int, sync: bool) -> None:
    """Fill and close a temporary file made by ``mkstemp``.

    ``mkstemp`` creates it 0600; the file it becomes must have the mode the
    target had (or would have had), so it is set here, before the rename makes
    it visible. ``sync=False`` leaves durability to the caller (a bulk import
    syncs a whole batch at once)."""
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        os.fchmod(handle.fileno(), mode)
        if sync:
            handle.flush()
            os.fsync(handle.fileno())


def file_mode(path: Path, default: int) -> int:
    """The permission bits of ``path``, or ``default`` when it does not exist yet."""
    try:
        return Path(path).stat().st_mode & 0o777
    except FileNotFoundError:
        return default


def umask_mode(mode: int = 0o666) -> int:
    """``mode`` as a plain ``open`` would create it under the process's umask.

    Reading the umask means setting it; the two calls are adjacent, and only
    the command-line import (one thread) calls this."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mode & ~mask


@contextmanager
def exclusive_lock(lock_path: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``lock_path`` (created when missing) for the block.

    The lock file itself is never removed: unlinking it while another process
    waits on it would let a third lock a fresh file and run beside the second.
    The OS drops the lock when its holder dies, so a killed writer never blocks
    the next one. ``on_wait`` is called once, only when the lock is taken, just
    before waiting for it."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def held_elsewhere(lock_path: Path) -> bool:
    """True when another open file holds an exclusive ``flock`` on ``lock_path``
    (another process's import or index writer). A missing or unreadable file
    is not held. The probe takes a shared lock for an instant and never
    creates the file: the folder may be read-only."""
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # releases the shared lock, when it was taken
    return False


def fsync_dir(folder: Path) -> None:
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def is_within(path: Path, folder: Path) -> bool:
    """True when ``path`` resolves to a place inside ``folder``."""
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True
