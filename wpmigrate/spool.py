"""Disk-backed lists: the item spool of pass 1 and the report lines of pass 2.

The source is read once. Pass 1 builds the index from the items as they stream past
and, on the way, appends each one (pickled) to an anonymous temporary file in the
output directory (:class:`ItemSpool`); pass 2 reads them back by position. So pass 2
neither parses the export again nor ships items between processes: a worker process,
which inherits the open file and the table of positions by ``fork``, reads its own
items with ``os.pread``. The report's 50k lines are kept the same way
(:class:`DiskList`), so memory holds two integers per item whatever the export size.
The files disappear when closed, also when the run is killed: they never have a name.

Each element is a pickle of its own, but every pickle of a list is made by one
pickler that knows the record classes beforehand (:class:`_Codec`), so a pickle names
a class by a number instead of by module and name, and unpickling does not look the
class up again for every element.
"""

from __future__ import annotations

import io
import os
import pickle
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from wpmigrate.model import Post, pickle_globals
from wpmigrate.sources.base import UnreadableItem

T = TypeVar("T")
Item = Post | UnreadableItem

_PREAD = getattr(os, "pread", None)

#: Where a DiskList's elements lie in its file: starts, sizes (``array`` bytes), end.
Positions = tuple[bytes, bytes, int]


class _Codec:
    """Pickles values one by one, each pickle standing alone, with the classes and
    functions records' pickles refer to (:func:`~wpmigrate.model.pickle_globals`)
    known beforehand to both the pickler and the unpickler.

    Both start every value from the same memo, holding those objects at fixed
    positions: a pickle names them by position (two bytes) instead of by module and
    name, which pickling would look up, and unpickling import, for every value. The
    pickler runs in "fast" mode, which adds nothing to the memo, so no pickle depends
    on another; the values spooled are records, which share no mutable parts whose
    identity would matter. A list's codec is made once, before any process that
    inherits the list forks, so writers and readers agree on the positions.
    """

    def __init__(self) -> None:
        known = tuple(_by_reference(pickle_globals()))
        seed = io.BytesIO()
        template = pickle.Pickler(seed, pickle.HIGHEST_PROTOCOL)
        template.dump(known)  # memoizes every object of ``known``, and their names
        reader = pickle.Unpickler(io.BytesIO(seed.getvalue()))
        reader.load()  # the same memo, built by loading that pickle
        self._pickle_memo = template.memo
        self._unpickle_memo = reader.memo
        self._out = io.BytesIO()
        self._pickler = pickle.Pickler(self._out, pickle.HIGHEST_PROTOCOL)
        self._pickler.fast = True
        self._in = io.BytesIO()
        self._unpickler = pickle.Unpickler(self._in)

    def dumps(self, value: Any) -> bytes:
        out = self._out
        out.seek(0)
        out.truncate()
        self._pickler.memo = self._pickle_memo  # a copy: the seed alone, every time
        self._pickler.dump(value)
        return out.getvalue()

    def loads(self, data: bytes) -> Any:
        self._in.__init__(data)  # type: ignore[misc]  # BytesIO may be re-initialized
        self._unpickler.memo = self._unpickle_memo
        return self._unpickler.load()


def _by_reference(objects: Iterable[object]) -> Iterator[object]:
    """The objects that pickle by reference (a class defined in a function does not)."""
    for obj in objects:
        try:
            pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, AttributeError, TypeError):
            continue
        yield obj


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
        self._codec = _Codec()

    def append(self, value: T) -> None:
        data = self._codec.dumps(value)
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
        value: T = self._codec.loads(data)
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
