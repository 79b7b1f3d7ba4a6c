"""Safe, streaming XML input: a byte filter and a hardened ``iterparse``.

Real WordPress exports are not always well-formed XML 1.0. Two defects are common
enough to repair silently (while counting what was repaired):

* C0 control characters other than tab, newline and carriage return (pasted from
  Word, terminals, old databases). XML 1.0 forbids them anywhere, and older libxml2
  versions stop parsing at the first one, losing the rest of the export.
* Whitespace or a byte-order mark before the ``<?xml`` declaration (a stray newline
  printed by a WordPress plugin before the export). The declaration must come first.

Once the filter has removed the control bytes, a forbidden character can reach the
parsed text only through a character reference (``&#16;``), which libxml2's recovery
mode keeps, or through a file whose encoding is not a superset of ASCII. The filter
watches for both (:attr:`XmlByteFilter.may_hold_forbidden`), so a reader searches the
text for such characters only in a file where they can occur.

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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from lxml import etree

from wpmigrate.background import Background

CHUNK_SIZE = 1 << 16
_SCAN_CHUNK = 1 << 20

#: Bytes XML 1.0 forbids: C0 controls except tab (09), newline (0A), carriage return (0D).
_FORBIDDEN_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_FORBIDDEN_BYTE_RE = re.compile(b"[" + re.escape(_FORBIDDEN_BYTES) + b"]")
_FORBIDDEN_SINGLE_BYTES = tuple(bytes([byte]) for byte in _FORBIDDEN_BYTES)
_LEADING_JUNK = b" \t\r\n\xef\xbb\xbf"
_UTF8_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MAX_LINES_KEPT = 1000
_ITEM_TAG_RE = re.compile(rb"<item[> \t\n\r]")  # the start tag with its name ended
_ITEM_TAG_LENGTH = 6

#: A character reference that may stand for a character XML 1.0 forbids: a C0 control,
#: a surrogate, U+FFFE or U+FFFF (a few more numbers match; a false alarm only costs
#: time). What follows the number must be known, so a reference cut by the end of a
#: chunk is looked at with the next one (see ``_REF_START_RE``).
_FORBIDDEN_REF_RE = re.compile(
    rb"&#(?:[xX]0*(?:1?[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF])(?![0-9a-fA-F])"
    rb"|0*(?:[12]?[0-9]|3[01]|5[5-7][0-9]{3}|6553[45])(?![0-9]))"
)
#: The start of a character reference that the end of a chunk may have cut.
_REF_START_RE = re.compile(rb"&(?:#[xX]?[0-9a-fA-F]*)?")
_REF_TAIL = 32  # a cut reference longer than this may raise a false alarm
_HASH_LOOKS = 64  # '#' looked at one by one in a chunk, before searching for '&#'
_AMPERSAND = ord("&")
#: Encodings in which bytes other than C0 control bytes never decode to C0 controls.
_ASCII_SAFE_ENCODING_RE = re.compile(
    rb"utf-?8|(?:us-)?ascii|iso[-_]?8859[-_]?[0-9]{1,2}|latin-?[0-9]{1,2}|(?:windows|cp)-?125[0-8]",
    re.IGNORECASE,
)
_DECLARED_ENCODING_RE = re.compile(rb"""<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']""")
_HEAD_LIMIT = 1024  # bytes looked at for the XML declaration's encoding

#: Characters XML 1.0 forbids, as they can still reach the text through character
#: references (``&#16;``) that libxml2's recovery mode keeps.
FORBIDDEN_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class FilterStats:
    """What :class:`XmlByteFilter` removed, for the reader's ``lost_data()``."""

    removed: Counter[int] = field(default_factory=Counter)  # byte value → count
    lines: list[int] = field(default_factory=list)  # lines of the first removals
    leading_bytes: int = 0  # whitespace/BOM bytes removed before the first '<'
    #: ``<item>`` start tags seen in the raw bytes (a rough count); with ``reopen``
    #: counted only when asked for (:meth:`XmlByteFilter.item_tags`)
    item_tags: int = 0
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

    ``reopen``, when given, opens the same input afresh from its first byte. Counts
    that are rarely needed (the ``<item`` tags; the newlines before the first removed
    byte, for its line number) are then not kept while streaming but made from a
    second read when asked for: that read is needed only for a malformed export.
    """

    def __init__(
        self,
        raw: BinaryIO,
        chunk_size: int = CHUNK_SIZE,
        reopen: Callable[[], BinaryIO] | None = None,
    ) -> None:
        self._raw = raw
        self._chunk_size = chunk_size
        self._reopen = reopen
        self._started = False
        self._passthrough = False  # UTF-16/32 input: bytes below 0x20 are not controls
        #: newlines already passed through; None: not counted (yet), see ``reopen``
        self._lines_before: int | None = None if reopen is not None else 0
        self._tags_counted = True  # stats.item_tags is up to date (see ``reopen``)
        self._tail = b""  # end of the previous chunk, to count tags split across chunks
        self._junk_head = b""  # first bytes of the junk before the declaration (a BOM?)
        self._junk_length = 0
        self._junk_lf = 0
        self._junk_cr = 0
        self.line_offset = 0  # newlines removed before the XML declaration
        self.stats = FilterStats()
        self._head = b""  # the document's first bytes, until its encoding is known
        self._encoding_known = False
        self._alarm = False  # seen: a reference to a forbidden character, or a non-ASCII encoding
        self._ref_tail = b""  # a reference that the end of the previous chunk cut
        #: Whether text parsed from the bytes read so far may hold characters XML 1.0
        #: forbids (so it must be searched for them). True until the encoding is known.
        self.may_hold_forbidden = True

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
            self._passthrough = True  # may_hold_forbidden stays True
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
        if self._reopen is None:
            self._count_items(chunk)
        else:
            self._tags_counted = False
        cleaned = chunk
        if any(byte in chunk for byte in _FORBIDDEN_SINGLE_BYTES):  # memchr: cheaper
            cleaned = chunk.translate(None, _FORBIDDEN_BYTES)
            self._record(chunk)
        if self._lines_before is not None:
            self._lines_before += cleaned.count(b"\n")
        if not self._alarm:
            self._scan_refs(cleaned)
        if not self._encoding_known:
            self._read_head(cleaned)
        self.may_hold_forbidden = self._alarm or not self._encoding_known
        return cleaned

    def _scan_refs(self, chunk: bytes) -> None:
        """Note a character reference that may stand for a forbidden character."""
        window = self._ref_tail + chunk if self._ref_tail else chunk
        end = len(window)
        self._ref_tail = b""
        cut = window.rfind(b"&", max(end - _REF_TAIL, 0))  # a longer one is a false alarm
        if cut >= 0 and _REF_START_RE.fullmatch(window, cut) is not None:
            self._ref_tail = window[cut:]
            end = cut
        # '#' is rare in an export, and one byte is found with memchr: far fewer
        # instructions than searching for '&#' (or a regex) in every byte.
        at = window.find(b"#", 1, end)
        for _ in range(_HASH_LOOKS):
            if at < 0:
                return
            if window[at - 1] == _AMPERSAND and _FORBIDDEN_REF_RE.match(window, at - 1, end):
                self._alarm = True
                return
            at = window.find(b"#", at + 1, end)
        if at >= 0 and _FORBIDDEN_REF_RE.search(window, at - 1, end) is not None:  # many '#'
            self._alarm = True

    def _read_head(self, chunk: bytes) -> None:
        """Learn from the XML declaration whether the encoding is a superset of ASCII
        (where only control bytes, all removed, decode to control characters)."""
        self._head += chunk[: _HEAD_LIMIT - len(self._head)]
        head = self._head
        if head.startswith(b"<?xml"):
            end = head.find(b">")
            if end < 0 and len(head) < _HEAD_LIMIT:
                return  # the declaration goes on in the next chunk
            match = _DECLARED_ENCODING_RE.match(head, 0, end + 1 if end >= 0 else len(head))
            if match is not None and _ASCII_SAFE_ENCODING_RE.fullmatch(match.group(1)) is None:
                self._alarm = True  # another encoding: always search the text
        elif len(head) < len(b"<?xml") and b"<?xml".startswith(head):
            return  # too short to tell yet
        self._encoding_known = True
        self._head = b""

    def _record(self, chunk: bytes) -> None:
        """Note each forbidden byte of ``chunk`` (value, and line for the first ones)."""
        lines_before = self._lines_before
        if lines_before is None:  # the first removal: count the newlines before it now
            with self._reopen() as raw:  # type: ignore[misc]  # not None here
                start = self.stats.bytes_read - len(chunk)
                lines_before = self._lines_before = _count_newlines(raw, start) - self._junk_lf
        for match in _FORBIDDEN_BYTE_RE.finditer(chunk):
            self.stats.removed[match.group()[0]] += 1
            if len(self.stats.lines) < _MAX_LINES_KEPT:
                line = lines_before + chunk.count(b"\n", 0, match.start()) + 1
                self.stats.lines.append(line + self.line_offset)

    def item_tags(self) -> int:
        """``<item`` start tags in the raw bytes read so far (a rough count of the
        items), counted now from a second read when ``reopen`` was given."""
        if not self._tags_counted:
            with self._reopen() as raw:  # type: ignore[misc]  # not None here
                self.stats.item_tags = _count_item_tags(raw, self.stats.bytes_read)
            self._tags_counted = True
        return self.stats.item_tags

    def _count_items(self, chunk: bytes) -> None:
        """Count ``<item`` start tags, including ones split across chunks.

        The tail kept from earlier chunks is one byte shorter than a tag, so every tag
        found in tail + chunk ends in this chunk and is counted exactly once.
        """
        window = self._tail + chunk
        self.stats.item_tags += len(_ITEM_TAG_RE.findall(window))
        self._tail = window[-(_ITEM_TAG_LENGTH - 1) :]


def _count_newlines(raw: BinaryIO, limit: int) -> int:
    """Newlines in the first ``limit`` bytes of ``raw``."""
    count = 0
    while limit > 0:
        chunk = raw.read(min(limit, _SCAN_CHUNK))
        if not chunk:
            break
        limit -= len(chunk)
        count += chunk.count(b"\n")
    return count


def _count_item_tags(raw: BinaryIO, limit: int) -> int:
    """``<item`` start tags in the first ``limit`` bytes of ``raw``, as
    :meth:`XmlByteFilter._count_items` counts them while streaming (the whitespace it
    skips before the declaration holds none)."""
    count, tail = 0, b""
    while limit > 0:
        chunk = raw.read(min(limit, _SCAN_CHUNK))
        if not chunk:
            break
        limit -= len(chunk)
        window = tail + chunk
        count += len(_ITEM_TAG_RE.findall(window))
        tail = window[-(_ITEM_TAG_LENGTH - 1) :]
    return count


def safe_iterparse(
    source: XmlByteFilter,
    events: Iterable[Literal["start", "end", "comment", "pi"]] = ("start", "end"),
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


def strip_forbidden_tree(elem: etree._Element) -> None:
    """Remove the characters XML 1.0 forbids from all text inside ``elem``: its own
    text and its descendants' texts and tails (not its tail, not attribute values).

    A text that cannot be decoded at all (a surrogate from ``&#xD800;``) is left as it
    is, so whoever reads it meets the same error it would have met anyway.
    """
    try:
        if FORBIDDEN_CHARS_RE.search("".join(elem.itertext())) is None:
            return
    except UnicodeDecodeError:
        pass  # look at every text on its own
    for node in elem.iter():
        if isinstance(node.tag, str):  # an element: comments, PIs, entities have no text here
            _strip_text(node, "text")
        if node is not elem:
            _strip_text(node, "tail")


def _strip_text(node: etree._Element, name: str) -> None:
    """Strip forbidden characters from ``node.text`` or ``node.tail``."""
    try:
        text = getattr(node, name)
    except UnicodeDecodeError:
        return
    if text and FORBIDDEN_CHARS_RE.search(text) is not None:
        setattr(node, name, FORBIDDEN_CHARS_RE.sub("", text))


#: An item's end tag followed only by the next item's start or by the end of the file.
_AFTER_ITEM = re.compile(
    rb"</item\s*>\s*(?:<item[\s>]|(</channel\s*>\s*</rss\s*>\s*)\Z)"
)
#: An item's end tag simply followed by the next item's start. Other end tags need a
#: closer look (the last item, anything else, or a tag cut by the chunk's end).
_NEXT_ITEM = re.compile(rb"</item\s*>\s*<item[\s>]")
_SCAN_SLACK = 4096  # bytes kept in view after an end tag to decide what follows it
_COLON, _LESS, _SLASH = ord(":"), ord("<"), ord("/")


def only_items_after_first_item(raw: BinaryIO) -> bool:
    """Whether, in the export ``raw``, nothing but items can follow the first ``<item>``.

    A byte scan (no parsing; about a second per GB) that lets the channel
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
    ok, closes = _scan_items(raw, head, 0, None)
    return ok and closes


def only_items_after_first_item_in(path: Path, processes: int = 1) -> bool:
    """``only_items_after_first_item`` for the file ``path``; with two ``processes``, a
    big file's second half is scanned at once by a forked one (each end tag is judged
    on the bytes after it, wherever the halves meet)."""
    size = path.stat().st_size
    if processes < 2 or size < PARALLEL_SCAN_BYTES:
        with path.open("rb") as raw:
            return only_items_after_first_item(raw)
    middle = size // 2
    with Background(_scan_from, path, middle) as second:
        with path.open("rb") as raw:
            head = raw.read(4)
            if head.startswith(_WIDE_BOMS) or b"\0" in head:
                return False
            ok, closes = _scan_items(raw, head, 0, middle)
        if not ok:
            return False
        later_ok, later_closes = second.result()
    return later_ok and (closes or later_closes)


#: Files from this size on are scanned in two halves at once (see above).
PARALLEL_SCAN_BYTES = 16 * 1024 * 1024


def _scan_from(path: Path, start: int) -> tuple[bool, bool]:
    """``_scan_items`` for the "item"s from byte ``start`` of ``path`` to its end."""
    with path.open("rb") as raw:
        before = max(start - 2, 0)  # the two bytes that tell what an "item" there is
        raw.seek(before)
        return _scan_items(raw, raw.read(start - before), before, None, start - before)


def _scan_items(
    raw: BinaryIO, buffer: bytes, base: int, stop: int | None, start: int = 0
) -> tuple[bool, bool]:
    """(whether no "item" that begins before ``stop`` says that something other than
    items follows the first one, whether one of them is an end tag), reading ``raw``,
    which ``buffer`` (from file offset ``base``) was read from, searching from
    ``buffer[start]`` on. Bytes past ``stop`` are read as far as judging the items
    before it needs."""
    # One search, for "item": the byte before it tells a prefixed name (":item"), a
    # start tag (an empty one is "<item/>") or an end tag ("</item"), whose context
    # the regexes check. (Searching for each of the three costs three sweeps.)
    closes, eof = False, False
    next_item, after_item = _NEXT_ITEM.match, _AFTER_ITEM.match
    while not eof:
        chunk = raw.read(_SCAN_CHUNK)
        eof = not chunk
        buffer += chunk
        size, find = len(buffer), buffer.find
        at, resume = find(b"item", start), -1
        while at >= 0:
            if stop is not None and base + at >= stop:
                return True, closes
            end = at + 4
            if end >= size and not eof:  # what follows is not read yet
                resume = at
                break
            before = buffer[at - 1] if at else 0
            if before == _COLON:
                return False, closes
            if before == _LESS:
                if end < size and buffer[end] == _SLASH:
                    return False, closes
            elif before == _SLASH and at >= 2 and buffer[at - 2] == _LESS:
                closes, tag = True, at - 2
                if next_item(buffer, tag) is None:
                    if not eof and size - tag < _SCAN_SLACK:
                        resume = at
                        break
                    match = after_item(buffer, tag)
                    if match is None or (match.group(1) is not None and not eof):
                        return False, closes
                    end = match.end()
            at = find(b"item", end)
        if resume < 0:  # an "item" may begin in the last three bytes
            resume = max(size - 3, 0)
        cut = max(resume - 2, 0)  # with the two bytes that tell what it is
        buffer, start, base = buffer[cut:], resume - cut, base + cut
    return True, closes
