"""One run at a time per output directory, and no scratch files left by killed runs.

A run keeps scratch files in its output directory while it works: the index's SQLite
databases (``.wpmigrate-index-*.sqlite``, tens of MB for a big site) and, for a file
being written, a temporary sibling (``.wpm-<pid>-<n>.tmp``). A run that ends normally
deletes them; one that is killed cannot, and they would stay in the user's site, to
be committed or deployed with it. Two runs writing into one directory at once would
also overwrite each other's files and report each other's as stale.

``OutputLock`` settles both: a run holds an exclusive ``flock`` on
``.wpmigrate.lock`` for as long as it writes, so a second run stops at once with a
clear error; and whoever holds the lock knows that any scratch file in the
directory belongs to a run that is gone, so it deletes them. The lock file itself is
deleted when the run ends. Where ``fcntl`` does not exist (Windows) there is no lock
and leftovers are not touched.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from wpmigrate.errors import OutputError
from wpmigrate.writers.safe import is_temp_name

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".wpmigrate.lock"
#: Scratch databases of the index (``IndexStore``), at the top of the output.
SCRATCH_PATTERN = ".wpmigrate-index-*.sqlite"


def is_leftover_temp(name: str) -> bool:
    """Whether a file name is ``SafeWriter``'s temporary file (``.wpm-<pid>-<n>.tmp``)."""
    return is_temp_name(name)


class OutputLock:
    """Exclusive use of an output directory for one run (a context manager)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        if fcntl is not None:
            self._fd = self._acquire()
            for leftover in sorted(self.root.glob(SCRATCH_PATTERN)):
                leftover.unlink(missing_ok=True)
        return self

    def _acquire(self) -> int:
        """Lock ``.wpmigrate.lock``, retrying if the file was replaced meanwhile (the
        holder deletes it on the way out: a lock on a deleted file locks nothing)."""
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_pid(fd)
                os.close(fd)
                raise OutputError(
                    f"{self.root} is being written by another wpmigrate run"
                    f"{f' (process {holder})' if holder else ''}; wait for it to finish "
                    "or choose another -o"
                ) from None
            if _same_file(fd, self.path):
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                return fd
            os.close(fd)

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            self.path.unlink(missing_ok=True)  # (before unlocking: see _acquire)
            os.close(self._fd)
            self._fd = None


def remove_leftover_temps(folder: str, names: Iterable[str]) -> None:
    """Delete ``SafeWriter`` temporary files among ``names`` in ``folder`` (only for a
    run holding the lock: then no live writer owns them)."""
    if fcntl is None:
        return
    for name in names:
        if is_leftover_temp(name):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(folder, name))


def _read_pid(fd: int) -> str:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return text if text.isdigit() else ""


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)
