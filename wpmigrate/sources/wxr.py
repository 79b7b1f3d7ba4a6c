"""The WXR source: WordPress's own export format (Tools → Export), versions 1.0–1.2.

The export is streamed with ``lxml.etree.iterparse``: every direct child of
``<channel>`` (an ``<item>`` or a channel-level record) is handed over when it ends,
then cleared and unlinked from the tree, so memory stays flat however large the export
is. The file is read through :class:`~wpmigrate.sources.xmlsafe.XmlByteFilter`, which
removes what XML 1.0 forbids (control characters, junk before the declaration), and
parsed in recovery mode; whatever had to be repaired or dropped is reported by
:meth:`WxrSource.lost_data` rather than lost silently or fatal to the whole run.

A file that is not a WordPress export at all raises
:class:`~wpmigrate.errors.SourceError` saying what it is instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from wpmigrate.errors import SourceError
from wpmigrate.model import ItemReport, Post, SiteData
from wpmigrate.sources.base import MediaLocator, UnreadableItem
from wpmigrate.sources.wxr_channel import ChannelReader
from wpmigrate.sources.wxr_errors import (
    describe_non_xml,
    filter_notes,
    not_wxr,
    parser_notes,
    recovery_summary,
)
from wpmigrate.sources.wxr_fields import local_name, wp_version_of
from wpmigrate.sources.wxr_item import read_item
from wpmigrate.sources.wxr_split import PartReader, WxrPart, split_export
from wpmigrate.sources.xmlsafe import (
    XmlByteFilter,
    only_items_after_first_item_in,
    safe_iterparse,
    strip_forbidden_tree,
)

_SNIFF_BYTES = 16 * 1024
#: libxml2 keeps an element's line exactly only below this; from there on it reports
#: the line of the element's first child (for a text child, the line where it ends).
_BIG_LINE = 65535


def looks_like_wxr(path: Path) -> bool:
    """Whether ``path`` is probably a WXR file: an ``<rss`` with the WordPress namespace.

    Cheap (reads the first 16 KB only) and never raises, for source detection. The
    export header comments take about 1.5 KB, so the root element is always within it.
    """
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return False
    return b"<rss" in head and b"wordpress.org/export/" in head


class _Pass:
    """One streaming pass over the file: yields each ``<channel>`` child, in order.

    Validation (``<rss>`` root, ``<channel>`` with the wp namespace) is done first on
    the head of the file only, so a file that is not an export fails fast. The main
    parse then asks libxml2 for the end of ``<item>`` and ``<channel>`` elements only:
    Python does no work for the hundreds of thousands of elements inside items. The
    other children of a channel (authors, terms, site fields) are complete in the tree
    by the time the next item (or the channel) ends and are handed over then (unless
    ``items_only``: then they are just freed). After the consumer has handled an
    element it is cleared and unlinked, which is what keeps memory flat. An item's
    texts are stripped of characters XML 1.0 forbids before it is handed over, where
    the byte filter saw a way for them into the file. When the pass is over, ``notes``
    holds what was repaired or lost.
    """

    def __init__(self, path: Path, part: WxrPart | None = None, items_only: bool = False) -> None:
        self.path = path
        self.part = part  # read only this part of the file (see wxr_split.py)
        self.items_only = items_only
        self.ns_version = ""
        self.items_seen = 0
        self.last_item_line: int | None = None
        self.line_offset = 0
        self.notes: list[str] = []
        self._seen_root = False
        self._seen_channel = False

    def run(self) -> Iterator[etree._Element]:
        """The direct children of ``<channel>``, in order; raises SourceError if not WXR."""
        self._check_head()
        with self._open_part() as raw:
            source = XmlByteFilter(raw, reopen=self._open_part)
            parser = safe_iterparse(source, ("end",), tag=("{*}item", "{*}channel"))
            try:
                yield from self._walk(parser, source)
            except etree.XMLSyntaxError as error:
                line = (error.lineno or 0) + source.line_offset
                self.notes.append(f"malformed XML at line {line}: {error.msg}")
            self._finish(parser, source)

    def _check_head(self) -> None:
        """Check the root and the element in it, parsing only as far as the second."""
        with self._open() as raw:
            source = XmlByteFilter(raw)
            parser = safe_iterparse(source, ("start",))
            try:
                for depth, (_, elem) in enumerate(parser, 1):
                    self.line_offset = source.line_offset
                    self._check_start(elem, depth)
                    if depth == 2:
                        return
            except etree.XMLSyntaxError as error:
                if not self._seen_channel:
                    raise not_wxr(self.path, describe_non_xml(self.path)) from error
        if not self._seen_root:
            raise not_wxr(self.path, describe_non_xml(self.path))
        raise not_wxr(self.path, "found an <rss> document without a <channel>")

    def _open_part(self) -> BinaryIO:
        """The bytes this pass reads: the file, or the part of it."""
        if self.part is None:
            return self._open()
        return PartReader(self.path, self.part)  # type: ignore[return-value]  # file-like

    def _open(self) -> BinaryIO:
        """The file opened for reading, or a SourceError saying why it cannot be."""
        try:
            return self.path.open("rb")
        except FileNotFoundError:
            raise not_wxr(self.path, "the file does not exist") from None
        except IsADirectoryError:
            raise not_wxr(self.path, "it is a directory") from None
        except OSError as error:
            problem = f"cannot be read ({error.strerror or error})"
            hint = "check the path and its permissions"
            raise SourceError(str(self.path), problem, hint) from None

    def _walk(self, parser: etree.iterparse, source: XmlByteFilter) -> Iterator[etree._Element]:
        """Hand over, then free, each child of a ``<channel>`` that is the root's child.

        Only the ends of ``item`` and ``channel`` elements arrive. An item nested
        anywhere else (in another item, in a stray element) is not a record and is left
        alone. Top-level channels are siblings, so when an item ends only its own
        channel can hold children not yet handed over.
        """
        channel = None  # the top-level channel of the last item
        for _event, elem in parser:
            parent = elem.getparent()
            if parent is None:
                continue
            if local_name(elem.tag) == "channel":
                if parent.getparent() is None:  # it ended: its remaining children are complete
                    yield from self._take_children(elem, None)
                continue
            if parent is not channel:
                if not _is_top_channel(parent):
                    continue
                channel = parent
            if elem.getprevious() is not None:  # the channel's children before the item
                yield from self._take_children(parent, elem)
            self.items_seen += 1
            self.last_item_line = self.line_of(elem)
            if source.may_hold_forbidden:
                strip_forbidden_tree(elem)
            yield elem
            elem.clear(keep_tail=False)
            del parent[0]  # the item: everything before it is gone

    def _take_children(
        self, channel: etree._Element, stop: etree._Element | None
    ) -> Iterator[etree._Element]:
        """Hand over the channel's element children before ``stop`` (all when None),
        freeing each one after the consumer has seen it. Items among them were handed
        over already; with ``items_only`` nothing is handed over."""
        while len(channel) and channel[0] is not stop:
            child = channel[0]
            tag = child.tag
            if not self.items_only and isinstance(tag, str) and local_name(tag) != "item":
                yield child
            del channel[0]

    def _check_start(self, elem: etree._Element, depth: int) -> None:
        """Fail fast on a document that is not an RSS ``<channel>`` with the wp namespace.

        Only the root and the first element inside it are checked; anything after the
        channel (a second channel, stray elements) is tolerated, never fatal after the
        items have been read.
        """
        name = local_name(elem.tag)
        if depth == 1:
            if name != "rss":
                found = "found an HTML page" if name.lower() == "html" else f"found <{name}>"
                raise not_wxr(self.path, f"{found} where an <rss> export was expected")
            self._seen_root = True
            return
        if name != "channel":
            line = self.line_of(elem)
            raise not_wxr(self.path, f"found <{name}> where <channel> belongs (line {line})")
        found_versions = [wp_version_of(uri) for uri in elem.nsmap.values() if uri]
        versions = [version for version in found_versions if version is not None]
        if not versions:
            problem = "found an RSS feed without WordPress export data (no wp: namespace)"
            raise not_wxr(self.path, problem)
        self.ns_version = max(versions)
        self._seen_channel = True

    def line_of(self, elem: etree._Element) -> int | None:
        """The element's line in the original file (before leading junk was removed),
        the same whether the file is read whole or in parts; None when unknowable."""
        line = elem.sourceline
        if line is None:
            return None
        if line >= _BIG_LINE:
            text = elem.text
            line -= text.count("\n") if text else 0  # the line where the first text ends
        line += self.line_offset + (self.part.line_shift if self.part is not None else 0)
        if line >= _BIG_LINE and elem.text is None:
            return None  # libxml2 cannot say: not even a part read gives a line a pass won't
        return line

    def _finish(self, parser: etree.iterparse, source: XmlByteFilter) -> None:
        """Turn the filter's and the parser's records into ``lost_data()`` lines."""
        self.notes[:0] = filter_notes(source.stats)
        errors, malformed, truncated_at = parser_notes(parser.error_log, source.line_offset)
        self.notes.extend(errors)
        if malformed:
            total = max(source.item_tags(), self.items_seen)
            summary = recovery_summary(self.items_seen, total, self.last_item_line, truncated_at)
            self.notes.append(summary)


def _is_top_channel(elem: etree._Element) -> bool:
    """Whether ``elem`` is a ``<channel>`` that is the root's child."""
    parent = elem.getparent()
    return parent is not None and parent.getparent() is None and local_name(elem.tag) == "channel"


class PartUnusable(Exception):
    """A part of the export needed repairs to be read: read the whole file instead."""


class WxrSource:
    """A WordPress export file (WXR 1.0, 1.1 or 1.2), read as a stream.

    ``read_site`` reads the channel (site, authors, terms), which WordPress writes
    before the items; it reads the whole file only when something other than items
    follows the first item, so terms placed after items are not missed. ``iter_items``
    streams the items afresh on each call. Both raise
    :class:`~wpmigrate.errors.SourceError` when the file is not a WordPress export;
    malformed but recognisable exports are read as far as possible and the losses
    reported by :meth:`lost_data`.
    """

    kind = "wxr"

    def __init__(self, path: Path, workers: int = 0) -> None:
        self.path = Path(path)
        self.workers = workers  # processes it may use at once (0: one per CPU core)
        self._lost: dict[str, None] = {}  # an ordered set: passes repeat the same notes
        #: read_site stopped at the first item: the next full pass's notes (what the
        #: byte filter and the parser repaired) go first, where read_site puts them.
        self._pass_notes_first = False

    def read_site(self) -> SiteData:
        """Site, authors and terms from the channel.

        Reading stops at the first item when a byte scan shows that nothing but items
        follows it (how WordPress writes exports); otherwise, so that terms placed after
        items are not missed, the whole file is read.
        """
        run = _Pass(self.path)
        channel = ChannelReader()
        stopped = False
        for elem in run.run():
            if local_name(elem.tag) == "item":
                stopped = True
                break
            channel.add(elem)
        if stopped and not self._only_items_follow():
            return self._read_whole_channel()
        channel.ns_version = run.ns_version
        if stopped:
            self._pass_notes_first = True
            self._note(channel.notes)
        else:
            self._note(run.notes + channel.notes)
        return channel.site_data()

    def _only_items_follow(self) -> bool:
        """Whether the file holds nothing but items after its first item (a big one is
        scanned by two processes, unless only one is allowed)."""
        processes = 2 if (self.workers or os.cpu_count() or 1) > 1 else 1
        try:
            return only_items_after_first_item_in(self.path, processes)
        except OSError:
            return False

    def _read_whole_channel(self) -> SiteData:
        """Site, authors and terms from a pass over the whole file."""
        run = _Pass(self.path)
        channel = ChannelReader()
        for elem in run.run():
            if local_name(elem.tag) != "item":
                channel.add(elem)
        channel.ns_version = run.ns_version
        self._note(run.notes + channel.notes)
        return channel.site_data()

    def iter_items(self) -> Iterator[Post | UnreadableItem]:
        """Every ``<item>`` as a Post (or an UnreadableItem), in file order."""
        run = _Pass(self.path, items_only=True)
        path = str(self.path)
        for elem in run.run():
            yield self._read_item(elem, path, run.last_item_line)
        if self._pass_notes_first:
            self._pass_notes_first = False
            earlier = list(self._lost)
            self._lost = {}
            self._note(run.notes + earlier)
        else:
            self._note(run.notes)

    def split(self, count: int) -> list[WxrPart]:
        """Up to ``count`` parts for separate processes to read with :meth:`iter_part`
        ([] when the export is too small to be worth it, or cannot be cut)."""
        try:
            return split_export(self.path, count)
        except (OSError, ValueError):
            return []

    def iter_part(self, part: WxrPart, notes: list[str]) -> Iterator[Post | UnreadableItem]:
        """The items of one part, in file order; what the items' readers noted goes to
        ``notes``. Raises :class:`PartUnusable` at the end when reading the part needed
        any repair: then only a single pass over the whole file gives the true account."""
        run = _Pass(self.path, part, items_only=True)
        path = str(self.path)
        for elem in run.run():
            yield self._read_item(elem, path, run.last_item_line, notes)
        if run.notes:
            raise PartUnusable(run.notes)

    def finish_parts(self, notes: list[str]) -> None:
        """Record the item notes of a read done in parts (in part order), as
        :meth:`iter_items` would have: the parts needed no repair of their own."""
        self._note(notes)
        self._pass_notes_first = False

    def _read_item(
        self, elem: etree._Element, path: str, line: int | None, notes: list[str] | None = None
    ) -> Post | UnreadableItem:
        """One item, never raising: a reader bug on one odd item must not stop the run."""
        try:
            record, item_notes = read_item(elem, path, line)
        except Exception as error:  # deliberately broad: report the item, keep going
            source = f"{path}:{line}" if line is not None else path
            reason = f"could not be read ({type(error).__name__}: {error})"
            return UnreadableItem(id=f"line {line}", title="", reason=reason, source=source)
        if notes is None:
            self._note(item_notes)
        else:
            notes.extend(item_notes)
        return record

    def media_locator(self) -> MediaLocator | None:
        """None: an export holds URLs of media, never the files."""
        return None

    def extra_report(self) -> list[ItemReport]:
        """Nothing: every part of an export that matters is an item."""
        return []

    def lost_data(self) -> list[str]:
        """What had to be repaired or dropped to read the file, in the passes so far."""
        return list(self._lost)

    def _note(self, notes: list[str]) -> None:
        """Add lost-data lines, skipping ones an earlier pass already recorded."""
        for note in notes:
            self._lost.setdefault(note, None)
