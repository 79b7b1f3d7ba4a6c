"""Cutting a large export into parts that separate processes can read at once.

An export is a channel header (site, authors, terms) followed by thousands of
``<item>`` elements. Part *k* is read as its own small document: the header, then the
bytes of its items, then ``</channel></rss>`` when more items follow. A cut is made
only in front of an ``<item>`` start tag that directly follows an ``</item>`` end tag.
Such a pair can still sit inside a CDATA section (a post quoting an export), so the
reader treats a part as usable only when libxml2 read it without a single repair;
otherwise the whole file is read in one pass (see ``pass1.py``). The byte filter and
the parser therefore never need to agree across a cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MIN_SPLIT_BYTES = 16 * 1024 * 1024  # below this, a second process costs more than it saves
_ITEM_START = b"<item>"
_ITEM_END = b"</item>"
_MAX_CANDIDATES = 1000  # windows tried per cut before giving up on it
_WINDOW = 1 << 16
_LOOK_BEHIND = 256  # enough to see the ``</item>`` (and whitespace) before an ``<item>``
_CLOSE = b"\n</channel>\n</rss>\n"
_COUNT_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class WxrPart:
    """A run of consecutive items of an export, read by one process."""

    number: int
    head_end: int  # offset of the export's first <item>: the header every part reads
    start: int  # offset of this part's first <item>
    stop: int | None  # offset of the next part's first <item>; None: the end of the file
    line_shift: int  # added to the parser's line numbers to give the file's own

    def pieces(self) -> tuple[tuple[int, int | None], ...]:
        """Byte ranges of the file this part reads, in order."""
        if self.start == self.head_end:
            return ((0, self.stop),)
        return ((0, self.head_end), (self.start, self.stop))

    def suffix(self) -> bytes:
        """What closes the document when the file's own end is not in this part."""
        return _CLOSE if self.stop is not None else b""


def split_export(path: Path, count: int) -> list[WxrPart]:
    """Up to ``count`` parts of about equal size; [] when the file is small or no cut
    point is found (then it is read in one pass)."""
    size = path.stat().st_size
    if count < 2 or size < MIN_SPLIT_BYTES:
        return []
    # Plain reads, not mmap: mapped pages would count in this process's RSS.
    with path.open("rb") as handle:
        head_end = _find_item(handle, 0, need_end_before=False)
        if head_end is None:
            return []
        starts = [head_end]
        for number in range(1, count):
            cut = _find_item(handle, max(starts[-1] + 1, size * number // count))
            if cut is None:
                break
            starts.append(cut)
        if len(starts) < 2:
            return []
        lines = _lines_before(handle, starts)
    stops: list[int | None] = [*starts[1:], None]
    return [
        WxrPart(number, head_end, start, stop, lines[number] - lines[0] if number else 0)
        for number, (start, stop) in enumerate(zip(starts, stops, strict=True))
    ]


def _find_item(handle: BinaryIO, position: int, need_end_before: bool = True) -> int | None:
    """The offset of the first ``<item>`` at or after ``position`` (that follows an
    ``</item>``, unless ``need_end_before`` is False)."""
    for _ in range(_MAX_CANDIDATES):
        handle.seek(max(0, position - _LOOK_BEHIND))
        window = handle.read(_LOOK_BEHIND + _WINDOW)
        base = max(0, position - _LOOK_BEHIND)
        found = window.find(_ITEM_START, position - base)
        if found < 0:
            if len(window) < _LOOK_BEHIND + _WINDOW:
                return None  # end of file
            position = base + len(window) - len(_ITEM_START)
            continue
        if not need_end_before or window[:found].rstrip(b" \t\r\n").endswith(_ITEM_END):
            return base + found
        position = base + found + 1
    return None


def _lines_before(handle: BinaryIO, offsets: list[int]) -> list[int]:
    """Newlines before each of ``offsets`` (ascending), counted in one sweep."""
    lines, total, done = [], 0, 0
    handle.seek(0)
    for offset in offsets:
        while done < offset:
            chunk = handle.read(min(_COUNT_CHUNK, offset - done))
            if not chunk:
                break
            total += chunk.count(b"\n")
            done += len(chunk)
        lines.append(total)
    return lines


class PartReader:
    """A read-only binary file-like object over a part's byte ranges plus its suffix."""

    def __init__(self, path: Path, part: WxrPart) -> None:
        self._handle = path.open("rb")
        self._ranges = list(part.pieces())
        self._suffix = part.suffix()
        self._current: tuple[int, int | None] | None = None

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (a short read only at the end of a range)."""
        size = size if size >= 0 else 1 << 30
        while self._current is not None or self._ranges:
            if self._current is None:
                start, stop = self._ranges.pop(0)
                self._handle.seek(start)
                self._current = (start, stop)
            start, stop = self._current
            want = size if stop is None else min(size, stop - start)
            chunk = self._handle.read(want) if want > 0 else b""
            if chunk:
                self._current = (start + len(chunk), stop)
                return chunk
            self._current = None
        chunk, self._suffix = self._suffix[:size], self._suffix[size:]
        return chunk

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> PartReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
