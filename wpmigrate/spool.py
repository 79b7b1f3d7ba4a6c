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

#: Where a DiskList's elements lie in its file: starts, sizes (``array`` bytes), end.
Positions = tuple[bytes, bytes, int]


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

    def positions(self) -> Positions:
        """Where each element lies in the file, to hand to the process that made the
        file's inherited twin (see :meth:`take_positions`)."""
        self.flush()
        return self._starts.tobytes(), self._sizes.tobytes(), self._end

    def take_positions(self, positions: Positions) -> None:
        """Adopt what another process appended to this same (inherited) file."""
        starts, sizes, end = positions
        self._starts = array("q", starts)
        self._sizes = array("q", sizes)
        self._end = end

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


class ItemSpool:
    """The source's items in source order, stored while pass 1 reads them.

    Items are appended to the first segment; when the export was read in parts by
    several processes, each part's own list joins as a further segment (``adopt``).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._segments: list[DiskList[Item]] = [DiskList(folder)]

    def record(self, items: Iterable[Item]) -> Iterator[Item]:
        """Yield ``items`` unchanged, storing each one as it goes by."""
        first = self._segments[0]
        for item in items:
            first.append(item)
            yield item
        first.flush()

    def append(self, item: Item) -> None:
        self._segments[0].append(item)

    def new_segment(self) -> DiskList[Item]:
        """An empty list in the same folder, for another process to fill before
        :meth:`adopt` (create it before forking: the child inherits the file)."""
        return DiskList(self.folder)

    def adopt(self, segment: DiskList[Item]) -> None:
        """Add a filled list after the items stored so far."""
        self._segments[0].flush()
        self._segments.append(segment)

    def __len__(self) -> int:
        return sum(len(segment) for segment in self._segments)

    def get(self, seq: int) -> Item:
        """The item at position ``seq`` (0-based, source order)."""
        for segment in self._segments:
            if seq < len(segment):
                return segment[seq]
            seq -= len(segment)
        raise IndexError(seq)

    def __iter__(self) -> Iterator[Item]:
        for segment in self._segments:
            yield from segment

    def close(self) -> None:
        for segment in self._segments:
            segment.close()

    def __enter__(self) -> ItemSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
