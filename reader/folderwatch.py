"""Notice article files that change on disk, from the system's file
notifications (inotify, FSEvents, ReadDirectoryChanges through watchfiles).

Checking a folder by its files' stats costs a stat per file: 0.1 s of CPU on
19,000 articles and 1 s on 100,000, which a reader checking every few seconds
would spend for nothing, and which competes with the keys for the one
interpreter lock. A watcher costs nothing while nothing changes; it only says
*that* article files changed, and the index update finds out what."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Any, Callable

from reader.corpus import ARTICLE_SUFFIX
from reader.errortext import error_words

# Changes are gathered until none has come for STEP_MS, or for at most
# DEBOUNCE_MS: an editor's save (write, rename) or a copy of many files
# becomes one notice.
DEBOUNCE_MS = 400
STEP_MS = 100
# Where the system's notices cannot be had (a network file system, which does
# not report other machines' changes; WSL's Windows drives), watchfiles looks
# at the files itself, off the interpreter lock, this often.
POLL_MS = 5_000
NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre", "gpfs",
    "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.glusterfs", "fuse.davfs", "davfs",
    # a host's folders seen from a virtual machine or WSL 1
    "drvfs", "virtiofs", "vboxsf", "fuse.vmhgfs-fuse", "fuse.grpcfuse",
})
# Names editors and download or sync tools give their temporary files.
_TEMPORARY = re.compile(r"(~|\.(tmp|temp|swp|swx|part|crdownload|partial|bak))$|^(4913|\.#.*|#.*#)$", re.I)


def network_file_system(folder: Path, mountinfo: str = "/proc/self/mountinfo") -> str | None:
    """The type of the network file system ``folder`` is on (Linux), else None."""
    try:
        with open(mountinfo, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    real = os.path.realpath(folder)
    best, kind = "", None
    for line in lines:
        # "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw"
        fields, _, rest = line.partition(" - ")
        parts = fields.split()
        if len(parts) < 5 or not rest:
            continue
        mount = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), parts[4])  # "\040" is a space
        inside = real == mount or real.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, kind = mount, rest.split()[0]
    return kind if kind in NETWORK_FILE_SYSTEMS else None


def _one_line(error: BaseException) -> str:
    return error_words(error, "the system gave no reason")


class FolderWatcher:
    """Calls ``on_change(paths)`` (paths relative to the folder) from its own
    thread when article files change, and ``on_error(message)`` once if the
    folder cannot be watched (no notifications on this file system, the
    system's limit of watches reached): the caller then checks by polling.

    The thread is a daemon, so an unstopped watcher never holds up the exit."""

    def __init__(self, folder: Path, on_change: Callable[[set[str]], None],
                 on_error: Callable[[str], None]) -> None:
        self.folder = Path(folder)
        self.on_change = on_change
        self.on_error = on_error
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._root = os.path.realpath(self.folder)
        self._identity = self._folder_identity()

    def _folder_identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.folder)
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="reader-folder-watch", daemon=True)
        self._thread.start()

    def stop(self, wait: float = 0.0) -> None:
        self._stop.set()
        if wait and self._thread is not None:
            self._thread.join(wait)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def relative(self, path: str) -> str | None:
        """``path`` relative to the folder, or None if it is outside it. Only
        the folders are resolved: an article that is a link counts where it is."""
        real = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
        if real == self._root or not real.startswith(self._root + os.sep):
            return None
        return real[len(self._root) + 1:].replace(os.sep, "/")

    def wanted(self, change: Any, path: str) -> bool:
        """Article files, and folders (a folder moved away takes its articles
        with it, with no event for each file); never hidden names, as the scan."""
        rel = self.relative(path)
        if not rel or any(part.startswith(".") for part in rel.split("/")):
            return False
        if rel.endswith(ARTICLE_SUFFIX) or os.path.isdir(path):
            return True
        # A name that is no file now: something removed that may have been a
        # folder, unless it was an editor's or a download's temporary file.
        return not os.path.exists(path) and not _TEMPORARY.search(rel.rsplit("/", 1)[-1])

    def _run(self) -> None:
        try:
            import watchfiles  # loaded in the thread: the start does not wait for it

            network = network_file_system(self.folder) is not None
            # On a network file system, watchfiles looks every POLL_MS; elsewhere
            # it decides (notices, or its own brisk polling where they fail).
            polling = {"force_polling": True, "poll_delay_ms": POLL_MS} if network else {}
            for changes in watchfiles.watch(self.folder, watch_filter=self.wanted, debounce=DEBOUNCE_MS,
                                            step=STEP_MS, stop_event=self._stop, raise_interrupt=False,
                                            **polling):
                if self._stop.is_set():
                    return
                if self._folder_identity() != self._identity or os.path.realpath(self.folder) != self._root:
                    # Removed, replaced by another folder of the same name, or a
                    # link now pointing elsewhere: the watch is on what was.
                    self.on_error("the folder was moved or replaced")
                    return
                paths = {rel for _, path in changes if (rel := self.relative(path))}
                if paths:
                    self.on_change(paths)
        except Exception as error:  # noqa: BLE001 - any failure means: poll instead
            if not self._stop.is_set():
                self.on_error(_one_line(error))
