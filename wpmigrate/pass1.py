"""Pass 1: read every item once, store it in the spool, and build the index.

A large export is read in parts at once, one part in this process and the others in
forked processes (``WxrSource.split``): reading items and making their records are
most of pass 1, and they need nothing from the other parts. Each child stores its
items in its own spool segment and, in files of their own, only what the index keeps
of their records (``PartRecords``: the page hierarchy in batches, the attachments, the
stubs of the items to write, the terms used once); this process adds them after the
records read before, in source order, so the index is exactly what a single pass
builds.
A part that needed any repair to be read (malformed XML, forbidden characters, a cut
that fell inside a CDATA section) makes the whole read start again as one pass,
which is then the account of record.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Protocol

from wpmigrate.index import (
    IndexBuilder,
    ItemRecord,
    ItemStub,
    PartRecords,
    RecordContext,
    SiteIndex,
    build_index,
    item_record,
)
from wpmigrate.indexstore import IndexStore
from wpmigrate.model import Post, SiteData
from wpmigrate.options import ConvertOptions
from wpmigrate.sources import Source
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.sources.wxr import PartUnusable
from wpmigrate.sources.wxr_split import WxrPart
from wpmigrate.spool import DiskList, ItemSpool, Positions
from wpmigrate.writers.presets.base import Preset

Item = Post | UnreadableItem


class PartedSource(Protocol):
    """A source that can be read in parts by several processes (the WXR source)."""

    def split(self, count: int) -> list[WxrPart]: ...
    def iter_part(self, part: WxrPart, notes: list[str]) -> Iterable[Item]: ...
    def finish_parts(self, notes: list[str]) -> None: ...


_NOTHING: Positions = (b"", b"", 0)


_HIERARCHY_BATCH = 1024  # (ID, (slug, parent)) pairs a child stores at once


def _unusable(reason: str) -> _PartResult:
    return _PartResult(_NOTHING, _NOTHING, _NOTHING, _NOTHING, 0, 0, set(), [], reason)


@dataclass(frozen=True, slots=True)
class _PartResult:
    """What a child sends back: where its items and what it kept of their records lie
    in the files it filled, how many items and records it read, the terms they use,
    its readers' notes; or the reason the part cannot be used."""

    items: Positions
    attachments: Positions
    stubs: Positions
    hierarchy: Positions
    item_count: int
    record_count: int
    terms: set[tuple[str, str, str]]
    notes: list[str]
    unusable: str = ""


@dataclass(frozen=True, slots=True)
class _Child:
    """A reader process and the lists it fills (made before the fork): its items, and
    of their records what the index keeps (see ``PartRecords``)."""

    process: multiprocessing.process.BaseProcess
    receive: Connection
    items: DiskList[Item]
    attachments: DiskList[ItemRecord]
    stubs: DiskList[ItemStub]
    hierarchy: DiskList[list[tuple[int, tuple[str, int]]]]

    def lists(self) -> tuple[DiskList[Any], ...]:
        """The lists of records (the items join the spool)."""
        return self.attachments, self.stubs, self.hierarchy


def read_and_index(
    source: Source,
    data: SiteData,
    preset: Preset,
    options: ConvertOptions,
    originals: Iterable[str],
    store: IndexStore,
) -> tuple[SiteIndex, ItemSpool]:
    """The index (its big maps in ``store``) and the spool of every item (in the same
    folder), reading in parts when that pays."""
    parts = _parts(source, options.workers)
    if parts:
        spool = ItemSpool(store.path.parent)
        builder = IndexBuilder(data, preset, options, store)
        with _closed_on_error(spool):
            if _read_in_parts(source, parts, builder, spool):  # type: ignore[arg-type]  # parted
                return builder.finish(originals), spool
        spool.close()
    spool = ItemSpool(store.path.parent)
    with _closed_on_error(spool):
        items = spool.record(source.iter_items())
        return build_index(items, data, preset, options, originals, store), spool


@contextmanager
def _closed_on_error(spool: ItemSpool) -> Iterator[None]:
    """Close ``spool`` if the block raises (on success the caller keeps it open)."""
    try:
        yield
    except BaseException:
        spool.close()
        raise


def _parts(source: Source, workers: int) -> list[WxrPart]:
    """The parts to read at once: one per worker (none without fork or a parted source)."""
    count = workers or os.cpu_count() or 1
    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return []
    split = getattr(source, "split", None)
    return split(count) if split is not None else []


def _read_in_parts(
    source: PartedSource,
    parts: list[WxrPart],
    builder: IndexBuilder,
    spool: ItemSpool,
) -> bool:
    """Read part 0 here and the others in children; False if a part was unusable."""
    fork = multiprocessing.get_context("fork")
    children = [_start_child(fork, source, part, spool, builder.context) for part in parts[1:]]
    waiting = list(children)
    try:
        notes: list[str] = []
        usable = _read_own_part(source, parts[0], builder, spool, notes)
        while waiting:
            child = waiting.pop(0)
            result = _receive(child)
            usable = usable and not result.unusable
            if usable:
                _take(result, child, builder, spool)
                notes += result.notes
    finally:
        for child in children:
            if child in waiting:
                child.process.terminate()  # this process failed: the children's work is moot
            child.receive.close()
            child.process.join()
            child.attachments.close()
            child.hierarchy.close()
            if not usable:
                child.stubs.close()  # else the builder closes them once planned
    if usable:
        source.finish_parts(notes)
    return usable


def _start_child(
    fork: multiprocessing.context.BaseContext,
    source: PartedSource,
    part: WxrPart,
    spool: ItemSpool,
    context: RecordContext,
) -> _Child:
    items = spool.new_segment()
    lists: tuple[DiskList[Any], ...] = tuple(DiskList(spool.folder) for _ in range(3))
    receive, send = fork.Pipe(duplex=False)
    args = (source, part, items, *lists, send, context)
    # daemon: a reader left behind by a failure here is stopped when this process ends
    process = fork.Process(  # type: ignore[attr-defined]  # a fork context has Process
        target=_read_part_child, args=args, daemon=True
    )
    process.start()
    send.close()
    return _Child(process, receive, items, *lists)


def _take(result: _PartResult, child: _Child, builder: IndexBuilder, spool: ItemSpool) -> None:
    """Add what a child kept of its records after those read so far, and its items to
    the spool; its stubs stay in their file, unread until the builder plans them."""
    child.items.take_positions(result.items)
    for kept, positions in zip(
        child.lists(), (result.attachments, result.stubs, result.hierarchy), strict=True
    ):
        kept.take_positions(positions)
    builder.add_part(PartRecords(
        result.item_count, result.record_count, child.hierarchy, child.attachments,
        child.stubs, result.terms,
    ))
    spool.adopt(child.items)


def _read_own_part(
    source: PartedSource,
    part: WxrPart,
    builder: IndexBuilder,
    spool: ItemSpool,
    notes: list[str],
) -> bool:
    """Read the first part in this process, adding records as the items go by."""
    try:
        for seq, item, record in _read_part(source, part, notes, builder.context):
            spool.append(item)
            builder.add(seq, record)
    except PartUnusable:
        return False
    return True


def _read_part(
    source: PartedSource, part: WxrPart, notes: list[str], context: RecordContext
) -> Iterator[tuple[int, Item, ItemRecord | None]]:
    """(position in the part, item, its record) for every item of ``part``."""
    for seq, item in enumerate(source.iter_part(part, notes)):
        yield seq, item, item_record(item, seq, context)


def _receive(child: _Child) -> _PartResult:
    """The child's result; a child that died without one makes its part unusable."""
    try:
        result: _PartResult = child.receive.recv()
    except (EOFError, OSError):
        child.process.join()
        return _unusable(f"reader ended ({child.process.exitcode})")
    return result


def _read_part_child(
    source: PartedSource,
    part: WxrPart,
    items: DiskList[Item],
    attachments: DiskList[ItemRecord],
    stubs: DiskList[ItemStub],
    hierarchy: DiskList[list[tuple[int, tuple[str, int]]]],
    send: Connection,
    context: RecordContext,
) -> None:
    """In a forked child: store the part's items and what the index keeps of their
    records (``PartRecords``: the main process reads each list once); send positions."""
    notes: list[str] = []
    terms: set[tuple[str, str, str]] = set()
    batch: list[tuple[int, tuple[str, int]]] = []
    records = 0
    try:
        for _seq, item, record in _read_part(source, part, notes, context):
            items.append(item)
            if record is None:
                continue
            records += 1
            batch.append((record.id, record.hierarchy))
            if len(batch) >= _HIERARCHY_BATCH:
                hierarchy.append(batch)
                batch = []
            if record.media is not None:
                attachments.append(record)
            elif record.stub is not None:
                stubs.append(record.stub)
                terms.update(record.terms)
        if batch:
            hierarchy.append(batch)
        result = _PartResult(
            items.positions(), attachments.positions(), stubs.positions(),
            hierarchy.positions(), len(items), records, terms, notes,
        )
    except PartUnusable as unusable:
        result = _unusable(str(unusable))
    except Exception as error:  # any failure: the main process reads the whole file
        result = _unusable(f"{type(error).__name__}: {error}")
    send.send(result)
    send.close()
