"""Disk-backed lists: the item spool of pass 1 and the report lines of pass 2.

The source is read once. Pass 1 builds the index from the items as they stream past
and, on the way, appends each one (pickled) to an anonymous temporary file in the
output directory (:class:`ItemSpool`); pass 2 reads them back by position. So pass 2
neither parses the export again nor ships items between processes: a worker process,
which inherits the open file and the table of positions by ``fork``, reads its own
items with ``os.pread``. The report's 50k lines are kept the same way
(:class:`DiskList`), so memory holds two integers per item whatever the export size.
The files disappear when closed, also when the run is killed: they never have a name.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Generic, TypeVar

from wpmigrate.model import Post
from wpmigrate.sources.base import UnreadableItem

T = TypeVar("T")
Item = Post | UnreadableItem

_PREAD = getattr(os, "pread", None)


class DiskList(Generic[T]):
    """An append-only list whose elements live pickled in an unnamed file in ``folder``.

    Supports ``append``, ``len``, indexing and iteration, from any process that
    inherited it (reads use ``pread``, which leaves the file position alone).
    """

    def __init__(self, folder: Path) -> None:
        # closed by close() / __exit__ / garbage collection; it has no name to clean up
        self._file: IO[bytes] = tempfile.TemporaryFile(  # noqa: SIM115
            dir=folder, prefix=".wpmigrate-"
        )
        self._starts = array("q")
        self._sizes = array("q")
        self._end = 0
        self._unflushed = False

    def append(self, value: T) -> None:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        self._file.write(data)
        self._starts.append(self._end)
        self._sizes.append(len(data))
        self._end += len(data)
        self._unflushed = True

    def extend(self, values: Iterable[T]) -> None:
        for value in values:
            self.append(value)

    def flush(self) -> None:
        """Make what was appended readable by ``pread`` (and by forked processes)."""
        self._file.flush()
        self._unflushed = False

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, position: int) -> T:
        if position < 0:
            position += len(self)
        start, size = self._starts[position], self._sizes[position]
        if self._unflushed:
            self.flush()
        if _PREAD is not None:
            data = _PREAD(self._file.fileno(), size, start)
        else:  # no pread (Windows): seek, read, and go back to the end for appends
            self._file.seek(start)
            data = self._file.read(size)
            self._file.seek(0, os.SEEK_END)
        value: T = pickle.loads(data)
        return value

    def __iter__(self) -> Iterator[T]:
        for position in range(len(self)):
            yield self[position]

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> DiskList[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ItemSpool(DiskList[Item]):
    """The source's items in source order, stored while pass 1 reads them."""

    def record(self, items: Iterable[Item]) -> Iterator[Item]:
        """Yield ``items`` unchanged, storing each one as it goes by."""
        for item in items:
            self.append(item)
            yield item
        self.flush()

    def get(self, seq: int) -> Item:
        """The item at position ``seq`` (0-based, source order)."""
        return self[seq]
