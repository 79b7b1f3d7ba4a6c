"""Safe, streaming XML input: a byte filter and a hardened ``iterparse``.

Real WordPress exports are not always well-formed XML 1.0. Two defects are common
enough to repair silently (while counting what was repaired):

* C0 control characters other than tab, newline and carriage return (pasted from
  Word, terminals, old databases). XML 1.0 forbids them anywhere, and older libxml2
  versions stop parsing at the first one, losing the rest of the export.
* Whitespace or a byte-order mark before the ``<?xml`` declaration (a stray newline
  printed by a WordPress plugin before the export). The declaration must come first.

:class:`XmlByteFilter` wraps the binary file and removes both while streaming in
chunks, so memory does not depend on the file size. Control characters are single
bytes in UTF-8 and in every ASCII-compatible encoding, and no byte of a multi-byte
UTF-8 sequence is below 0x80, so a byte-level filter never splits a character and
never needs to look across chunk boundaries for them. Line numbers are preserved
(newlines are never removed after the start), so the parser's line numbers stay
true to the original file, offset by :attr:`XmlByteFilter.line_offset`.

:func:`safe_iterparse` builds the parser with the options that make untrusted XML
safe to read (no external entities, no network, no DTD loading).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from lxml import etree

CHUNK_SIZE = 1 << 16

#: Bytes XML 1.0 forbids: C0 controls except tab (09), newline (0A), carriage return (0D).
_FORBIDDEN_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_FORBIDDEN_BYTE_RE = re.compile(b"[" + re.escape(_FORBIDDEN_BYTES) + b"]")
_LEADING_JUNK = b" \t\r\n\xef\xbb\xbf"
_UTF8_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MAX_LINES_KEPT = 1000
_ITEM_TAG_RE = re.compile(rb"<item[> \t\n\r]")  # the start tag with its name ended
_ITEM_TAG_LENGTH = 6

#: Characters XML 1.0 forbids, as they can still reach the text through character
#: references (``&#16;``) that libxml2's recovery mode keeps.
FORBIDDEN_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class FilterStats:
    """What :class:`XmlByteFilter` removed, for the reader's ``lost_data()``."""

    removed: Counter[int] = field(default_factory=Counter)  # byte value → count
    lines: list[int] = field(default_factory=list)  # lines of the first removals
    leading_bytes: int = 0  # whitespace/BOM bytes removed before the first '<'
    item_tags: int = 0  # ``<item>`` start tags seen in the raw bytes (a rough count)
    bytes_read: int = 0
    eof: bool = False

    def total_removed(self) -> int:
        """How many forbidden control characters were removed."""
        return sum(self.removed.values())


class XmlByteFilter:
    """A read-only binary file-like object that streams ``raw`` minus what XML forbids.

    Only ``read(size)`` is provided; that is all lxml's parsers call. It also counts
    ``<item`` start tags in the raw bytes, so a reader that recovered from malformed
    XML can say how many items the file seemed to hold.
    """

    def __init__(self, raw: BinaryIO, chunk_size: int = CHUNK_SIZE) -> None:
        self._raw = raw
        self._chunk_size = chunk_size
        self._started = False
        self._passthrough = False  # UTF-16/32 input: bytes below 0x20 are not controls
        self._lines_before = 0  # newlines already passed through
        self._tail = b""  # end of the previous chunk, to count tags split across chunks
        self._junk_head = b""  # first bytes of the junk before the declaration (a BOM?)
        self._junk_length = 0
        self._junk_lf = 0
        self._junk_cr = 0
        self.line_offset = 0  # newlines removed before the XML declaration
        self.stats = FilterStats()

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` filtered bytes (fewer is fine); ``b""`` only at end of file."""
        want = self._chunk_size if size is None or size < 0 else max(size, 1)
        while True:
            chunk = self._raw.read(want)
            if not chunk:
                self.stats.eof = True
                return b""
            self.stats.bytes_read += len(chunk)
            if not self._started:
                chunk = self._skip_leading(chunk)
                if not chunk:
                    continue
            chunk = self._filter(chunk)
            if chunk:
                return chunk

    def _skip_leading(self, chunk: bytes) -> bytes:
        """Drop a BOM and whitespace before the first ``<`` (the XML declaration)."""
        if not self._junk_head and chunk.startswith(_WIDE_BOMS):
            self._passthrough = True
            self._started = True
            return chunk
        stripped = chunk.lstrip(_LEADING_JUNK)
        removed = chunk[: len(chunk) - len(stripped)]
        if len(self._junk_head) < len(_UTF8_BOM):
            self._junk_head += removed[: len(_UTF8_BOM) - len(self._junk_head)]
        self._junk_length += len(removed)
        self._junk_lf += removed.count(b"\n")
        self._junk_cr += removed.count(b"\r")
        bom = len(_UTF8_BOM) if self._junk_head == _UTF8_BOM else 0
        self.stats.leading_bytes = self._junk_length - bom
        self.line_offset = self._junk_lf or self._junk_cr
        if stripped:
            self._started = True
        return stripped

    def _filter(self, chunk: bytes) -> bytes:
        """Remove forbidden control bytes, recording values and line numbers."""
        if self._passthrough:
            return chunk
        self._count_items(chunk)
        cleaned = chunk.translate(None, _FORBIDDEN_BYTES)
        if len(cleaned) != len(chunk):
            self._record(chunk)
        self._lines_before += cleaned.count(b"\n")
        return cleaned

    def _record(self, chunk: bytes) -> None:
        """Note each forbidden byte of ``chunk`` (value, and line for the first ones)."""
        for match in _FORBIDDEN_BYTE_RE.finditer(chunk):
            self.stats.removed[match.group()[0]] += 1
            if len(self.stats.lines) < _MAX_LINES_KEPT:
                line = self._lines_before + chunk.count(b"\n", 0, match.start()) + 1
                self.stats.lines.append(line + self.line_offset)

    def _count_items(self, chunk: bytes) -> None:
        """Count ``<item`` start tags, including ones split across chunks.

        The tail kept from earlier chunks is one byte shorter than a tag, so every tag
        found in tail + chunk ends in this chunk and is counted exactly once.
        """
        window = self._tail + chunk
        self.stats.item_tags += len(_ITEM_TAG_RE.findall(window))
        self._tail = window[-(_ITEM_TAG_LENGTH - 1) :]


def safe_iterparse(
    source: XmlByteFilter,
    events: Iterable[str] = ("start", "end"),
    tag: str | Sequence[str] | None = None,
) -> etree.iterparse:
    """An ``iterparse`` over ``source`` that cannot be turned against the reader.

    * ``resolve_entities=False``: entity references stay unexpanded, so an external
      entity (``file:///etc/passwd``) is never read and entity bombs are not expanded;
      libxml2's amplification limit still stops a "billion laughs" DTD early.
    * ``no_network=True``, ``load_dtd=False``: nothing outside the file is fetched.
    * ``recover=True``: a malformed export yields what can be read; the caller reads
      ``error_log`` and reports what was lost instead of giving up on the whole file.
    * ``huge_tree=True`` is needed: without it libxml2 drops any text node over
      10 MB, and a post with pasted base64 images easily has more. The limits it
      lifts (text size, nesting depth) are not what protects against entity attacks;
      entity expansion is off and the amplification limit stays in force.

    ``tag`` restricts the events to elements of those names (``"{*}item"``): libxml2
    then builds the rest of the tree without calling back into Python at all.
    """
    return etree.iterparse(
        source,
        events=tuple(events),
        tag=tag,
        recover=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_blank_text=False,
        strip_cdata=True,
    )


def strip_forbidden_chars(text: str) -> str:
    """``text`` without characters XML 1.0 forbids (left by ``&#16;``-style references)."""
    if FORBIDDEN_CHARS_RE.search(text) is None:
        return text
    return FORBIDDEN_CHARS_RE.sub("", text)


#: An item's end tag followed only by the next item's start or by the end of the file.
_AFTER_ITEM = re.compile(
    rb"</item\s*>\s*(?:<item[\s>]|(</channel\s*>\s*</rss\s*>\s*)\Z)"
)
#: An item's end tag that is not simply followed by the next item's start: only these
#: need a closer look (the last item, anything else, or a tag cut by the chunk's end).
_ITEM_END_TO_CHECK = re.compile(rb"</item(?!\s*>\s*<item[\s>])")
_SCAN_CHUNK = 1 << 20
_SCAN_SLACK = 4096  # bytes kept in view after an end tag to decide what follows it


def only_items_after_first_item(raw: BinaryIO) -> bool:
    """Whether, in the export ``raw``, nothing but items can follow the first ``<item>``.

    A byte scan (no parsing; tens of milliseconds per 100 MB) that lets the channel
    reader stop at the first item: WordPress writes every author and term before the
    items, so the rest of the file needs no second parse. Conservative: anything it
    does not recognize (a namespace prefix on ``item``, an empty ``<item/>``, anything
    but whitespace between an ``</item>`` and the next ``<item>``, a second channel, a
    UTF-16 file, an ``</item>`` inside CDATA followed by other text) gives False, and
    the caller then reads the whole file.
    """
    head = raw.read(4)
    if head.startswith(_WIDE_BOMS) or b"\0" in head:
        return False
    buffer, closes, eof = head, False, False
    while not eof:
        chunk = raw.read(_SCAN_CHUNK)
        eof = not chunk
        buffer += chunk
        if b":item" in buffer or b"<item/" in buffer:
            return False
        closes = closes or b"</item" in buffer
        keep = max(len(buffer) - _ITEM_TAG_LENGTH, 0)
        found = _ITEM_END_TO_CHECK.search(buffer)
        while found is not None:
            at = found.start()
            if not eof and len(buffer) - at < _SCAN_SLACK:
                keep = at
                break
            match = _AFTER_ITEM.match(buffer, at)
            if match is None or (match.group(1) is not None and not eof):
                return False
            found = _ITEM_END_TO_CHECK.search(buffer, match.end())
        buffer = buffer[keep:]
    return closes
