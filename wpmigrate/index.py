"""Pass 1: read every item once and decide where everything goes.

The index knows, before any body is converted, the output path and new URL of every
item that will be written, every old URL each of them (and each attachment and term)
was known by, and the attachments by ID. Pass 2 uses it to rewrite internal links and
media, and the redirect writers use it to send every old URL to exactly one target.
Only light records are kept, so memory stays small for a 50k-post export.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import (
    Callable,
    Collection,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import partial
from itertools import chain, islice
from typing import Any, TypeVar

from wpmigrate.background import Sink
from wpmigrate.indexstore import (
    IndexStore,
    RecordMap,
    SqliteMap,
    add_missing,
    get_many,
    set_many,
    setdefault_many,
)
from wpmigrate.media.naming import MediaNamer, uploads_relpath
from wpmigrate.model import Media, Post, SiteData, Term, fast_pickle
from wpmigrate.options import ConvertOptions
from wpmigrate.policy import Decision, decide
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.sources.phpserialize import attachment_files
from wpmigrate.spool import DiskList
from wpmigrate.urls import (
    absolutize,
    host_of,
    key_and_path,
    path_of,
    slugify,
    split_fragment,
    url_key,
)
from wpmigrate.writers.presets.base import Preset
from wpmigrate.writers.safe import PathAllocator
from wpmigrate.writers.taxonomy import PlannedTerm, plan_terms, terms_in_use

T = TypeVar("T")

_NUMERIC_PERMALINK = re.compile(r"/archives/(\d+)/$")
_BATCH = 1024  # rows written to the on-disk index at once


@fast_pickle
@dataclass(slots=True)
class Planned:
    """An item that will be written: where, at which URL, and its old URL paths."""

    id: int
    seq: int  # position in the source, to tell duplicate IDs apart
    type: str
    slug: str
    path: str
    url: str
    draft: bool
    decision_reason: str
    aliases: tuple[str, ...]


_PLANNED_FIELDS = tuple(f.name for f in fields(Planned))


@fast_pickle
@dataclass(slots=True)
class ItemStub:
    """What pass 1 remembers of an item to be written until all items are read."""

    id: int
    seq: int
    type: str
    slug: str
    date: datetime | None
    parent: int
    decision: Decision
    #: Every old URL of the site it answered to, as ``old_url_keys`` pairs laid flat:
    #: (key, path or None, key, path or None, …), in order of precedence, each once.
    old_keys: tuple[str | None, ...]


@dataclass(slots=True)
class SiteIndex:
    """Everything pass 2 needs to know about the whole site."""

    data: SiteData
    preset: Preset
    #: The three maps that grow with the site are SQLite tables in a convert() run
    #: (see indexstore.py) and plain dicts otherwise.
    planned: MutableMapping[int, Planned] = field(default_factory=dict)
    attachments: MutableMapping[int, Media] = field(default_factory=dict)
    urls: MutableMapping[str, str] = field(default_factory=dict)  # url_key(old URL) → new URL
    redirects: MutableMapping[str, str] = field(default_factory=dict)  # old path → new URL
    terms: list[PlannedTerm] = field(default_factory=list)
    custom_taxonomies: tuple[str, ...] = ()  # names of the site's custom taxonomies
    media: MediaNamer = field(default_factory=lambda: MediaNamer((), ()))
    keep_media: bool = False
    item_count: int = 0  # items read in pass 1, for progress
    #: With ``--media copy`` (a mirror, by default): whether a media URL has a local
    #: file. One without keeps its old URL in bodies instead of pointing at nothing.
    media_available: Callable[[str], bool] | None = None

    @property
    def base_url(self) -> str:
        return self.data.site.base_url

    def lookup(self, url: str) -> str | None:
        """The new URL of an old internal URL, or None when the index has none.

        A URL in WordPress's "Numeric" permalink form (``/archives/123``, also under a
        sub-folder), which the site may have used before its current structure, falls
        back to the post with that ID.
        """
        key = url_key(absolutize(url, self.base_url))
        found = self.urls.get(key)
        if found is None and (numeric := _NUMERIC_PERMALINK.search(key)):
            found = self.urls.get(f"/?p={numeric.group(1)}")
        return found

    def is_internal(self, url: str) -> bool:
        """Whether ``url`` points at the old site (relative URLs do)."""
        host = host_of(url)
        return not host or host in self.media.hosts

    def media_url(self, url: str, require_local: bool = True) -> str | None:
        """The new URL of a media file of the old site, or None if not the site's
        (or, with ``require_local``, when copy mode has no local file for it)."""
        if self.keep_media:
            return None
        absolute = absolutize(url, self.base_url)
        rel = self.media.local_path(absolute)
        if not rel:
            return None
        if require_local and self.media_available and not self.media_available(absolute):
            return None
        return f"{self.preset.media_prefix()}{rel}"

    def rewrite_url(self, url: str, kind: str) -> str:
        """Old URL → new URL for links and media; other URLs come back unchanged."""
        if not url or url.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
            return url
        bare, fragment = split_fragment(url)
        if not self.is_internal(bare):
            return url
        new = self.media_url(bare) if kind == "media" else None
        if new is None:
            new = self.lookup(bare)
        if new is None and kind == "link":
            new = self.media_url(bare)
        if new is None:
            return absolutize(url, self.base_url) if host_of(self.base_url) else url
        return new + fragment


class AttachmentMap(SqliteMap[int, Media]):
    """Attachments by ID in the on-disk index, plus which IDs each post has (ints, in
    memory): a ``[gallery]`` without ``ids`` shows the post's attached images."""

    def __init__(self, store: IndexStore) -> None:
        super().__init__(store, "attachments", "INTEGER", pickled=True)
        self._children: dict[int, list[int]] = {}

    def __setitem__(self, key: int, value: Media) -> None:
        super().__setitem__(key, value)
        self._children.setdefault(value.parent, []).append(key)

    def children_of(self, parent: int) -> list[Media]:
        """The attachments whose parent is ``parent``, by ID."""
        found = (self[key] for key in sorted(set(self._children.get(parent, ()))))
        return [media for media in found if media.parent == parent]


def old_url_keys(
    old: str, base_url: str, hosts: Collection[str]
) -> tuple[str, str | None] | None:
    """(lookup key, redirect path, or None when it equals the key) of an old URL of
    the site; None for an empty URL or one on a foreign host. Pure, so the readers of
    a parted export work it out in parallel; the index only stores the result."""
    if not old:
        return None
    host, key, path = key_and_path(old, base_url)
    if host and host not in hosts:
        return None
    return key, (None if path == key else path)


def redirect_path(key: str, path: str | None, new: str) -> str | None:
    """The root-relative path an old URL (as ``old_url_keys`` gives it) redirects
    from; None for the home page and for the new URL itself, which never redirect."""
    path = key if path is None else path
    return None if path in ("/", new) else path


@dataclass(frozen=True, slots=True)
class RecordContext:
    """What ``item_record`` needs to know of the whole run."""

    include_drafts: bool
    base_url: str
    hosts: frozenset[str]  # the old site's own hosts (its URLs are internal)

    @classmethod
    def of(cls, data: SiteData, options: ConvertOptions) -> RecordContext:
        return cls(options.include_drafts, data.site.base_url, _own_hosts(data, options))


@fast_pickle
@dataclass(slots=True)
class ItemRecord:
    """What pass 1 keeps of one item: enough to plan the output, nothing of its body.

    Made by :func:`item_record` wherever the item was read (another process, when the
    export is read in parts), then added to an :class:`IndexBuilder` in source order.
    """

    id: int
    hierarchy: tuple[str, int]  # (slug, or the ID when there is none; parent ID)
    media: Media | None = None  # attachments
    media_old: tuple[str, ...] = ()  # an attachment's page URL and guid
    stub: ItemStub | None = None  # items to be written
    terms: tuple[tuple[str, str, str], ...] = ()  # (taxonomy, slug, name) they use


def item_record(
    item: Post | UnreadableItem, seq: int, context: RecordContext
) -> ItemRecord | None:
    """The record of one item (None for an item that could not be read)."""
    if isinstance(item, UnreadableItem):
        return None
    hierarchy = (item.slug or str(item.id), item.parent)
    if item.type == "attachment":
        old = (item.link, item.guid)
        return ItemRecord(item.id, hierarchy, media=media_from_attachment(item), media_old=old)
    decision = decide(item, context.include_drafts)
    if not decision.write:
        return ItemRecord(item.id, hierarchy)
    terms = tuple((t.taxonomy, t.slug, t.name) for t in item.terms)
    stub = _stub(item, seq, decision, context)
    return ItemRecord(item.id, hierarchy, stub=stub, terms=terms)


@dataclass(slots=True)
class PartRecords:
    """What ``IndexBuilder.add`` would have taken of a later part's records, as the
    part's reader (another process) kept it, in lists the builder reads once."""

    items: int  # items in the part (the unreadable ones too)
    records: int  # records (readable items)
    hierarchy: Iterable[list[tuple[int, tuple[str, int]]]]  # (ID, (slug, parent)), batched
    attachments: Iterable[ItemRecord]  # the attachments' records
    stubs: DiskList[ItemStub]  # the stubs, numbered from the part's first item
    terms: set[tuple[str, str, str]]  # the terms they use


class IndexBuilder:
    """Pass 1 in two steps: ``add`` every item's record in source order, then
    ``finish`` plans the whole output (paths need every page's ancestors)."""

    def __init__(
        self,
        data: SiteData,
        preset: Preset,
        options: ConvertOptions,
        store: IndexStore | None = None,
    ) -> None:
        """With a ``store``, everything that grows with the site (the index's maps, the
        items' stubs and the page hierarchy) lives on disk, not in memory."""
        self.index = SiteIndex(data=data, preset=preset, keep_media=options.media == "keep")
        self._options = options
        self._store = store
        self.context = RecordContext.of(data, options)
        self._stubs: list[ItemStub] | DiskList[ItemStub] = []
        #: stubs stored by the readers of later parts, with the position of their part
        self._adopted: list[tuple[DiskList[ItemStub], int]] = []
        self._attachment_old: MutableMapping[int, tuple[str, ...]] = {}
        self._attachment_order: list[int] = []  # IDs as first met, as a dict keeps them
        self._used_terms: set[tuple[str, str, str]] = set()
        #: id → (slug, parent), every item
        self._hierarchy: MutableMapping[int, tuple[str, int]] = {}
        self._pending: list[tuple[int, tuple[str, int]]] = []
        self._records = 0  # records added: more than the hierarchy's IDs when one repeats
        #: the tables planning fills, which another process may write (see ``finish``)
        self._annex: IndexStore | None = None
        if store is not None:
            store.begin()
            self._annex = store.annex()
            self.index.planned = RecordMap(
                self._annex, "planned", "INTEGER", Planned, _PLANNED_FIELDS
            )
            self.index.urls = self._annex.map("urls", "TEXT", pickled=False)
            self.index.redirects = self._annex.map("redirects", "TEXT", pickled=False)
            self._hierarchy = store.map("hierarchy", "INTEGER", pickled=True)
            self._stubs = DiskList(store.path.parent)
            self.index.attachments = AttachmentMap(store)
            self._attachment_old = store.map("attachment_old", "INTEGER", pickled=True)

    def add(self, seq: int, record: ItemRecord | None) -> None:
        """Take the record of the item at position ``seq`` (None: unreadable item)."""
        self.index.item_count = seq + 1
        if record is None:
            return
        self._records += 1
        self._add_hierarchy(((record.id, record.hierarchy),))
        if record.media is not None:
            self._add_attachment(record)
        elif record.stub is not None:
            self._stubs.append(record.stub)
            self._used_terms.update(record.terms)

    def add_part(self, part: PartRecords) -> None:
        """Take, after everything added so far, what the reader of a later part of the
        source kept of its records (see ``PartRecords``). The builder closes its stubs."""
        offset = self.index.item_count
        for batch in part.hierarchy:
            self._add_hierarchy(batch)
        for record in part.attachments:
            self._add_attachment(record)
        self._used_terms.update(part.terms)
        self._records += part.records
        self._adopted.append((part.stubs, offset))
        self.index.item_count = offset + part.items

    def _add_hierarchy(self, pairs: Iterable[tuple[int, tuple[str, int]]]) -> None:
        """Note (ID, (slug, parent ID)) of items, in source order (the last one wins)."""
        if isinstance(self._hierarchy, dict):
            self._hierarchy.update(pairs)
            return
        self._pending.extend(pairs)  # on disk: written in batches
        if len(self._pending) >= _BATCH:
            self._flush()

    def _add_attachment(self, record: ItemRecord) -> None:
        assert record.media is not None
        if record.id not in self.index.attachments:
            self._attachment_order.append(record.id)
        self.index.attachments[record.id] = record.media
        self._attachment_old[record.id] = record.media_old

    def _all_stubs(self) -> Iterator[ItemStub]:
        yield from self._stubs
        for stubs, offset in self._adopted:
            for stub in stubs:
                stub.seq += offset
                yield stub

    def _flush(self) -> None:
        if self._pending:
            set_many(self._hierarchy, self._pending)
            self._pending = []

    def _attachments_in_order(self) -> Iterator[Media]:
        """Every attachment (its last version), in the order they were first met."""
        for media_id in self._attachment_order:
            yield self.index.attachments[media_id]

    def _media_namer(self, media_originals: Iterable[str]) -> MediaNamer:
        """Which upload paths are originals, and which resized files belong to which
        original; kept in tables of the store when there is one."""
        hosts = self.context.hosts
        own = (uploads_relpath(m.url) for m in self._attachments_in_order())
        originals = chain(media_originals, (rel for rel in own if rel))
        variants = _variants(self._attachments_in_order())
        if self._store is None:
            return MediaNamer(hosts, originals, dict(variants))
        known: SqliteMap[str, str] = self._store.map("originals", "TEXT", pickled=False)
        known.add_missing((name.casefold(), "") for name in originals)
        resized: SqliteMap[str, str] = self._store.map("variants", "TEXT", pickled=False)
        resized.set_many((name.casefold(), original) for name, original in variants)
        return MediaNamer.prepared(hosts, known, resized)

    def finish(self, media_originals: Iterable[str] = ()) -> SiteIndex:
        """Plan every path, URL, alias and redirect; the builder is spent afterwards.

        This process decides where each item goes (its path, claimed in the store);
        what follows from that alone (its old URLs and redirects, its planned record)
        is written by ``_record``, in another process when that pays: the two halves
        then run at once, and only the first needs this process.
        """
        self._flush()
        index, data, options = self.index, self.index.data, self._options
        index.media = self._media_namer(media_originals)
        terms = terms_in_use(data.terms, self._used_terms)
        index.custom_taxonomies = _custom_taxonomies(terms)
        taken = self._store.map("taken", "TEXT", pickled=False) if self._store else None
        with self._recorder() as recorder:
            allocator = _plan(
                index, self._all_stubs(), self._hierarchy, options, PathAllocator(taken),
                recorder.put, self._planned_ids(),
            )
            for stubs in (self._stubs, *(adopted for adopted, _offset in self._adopted)):
                if isinstance(stubs, DiskList):
                    stubs.close()
            self._stubs, self._adopted, self._hierarchy = [], [], {}
            _index_attachments(index, self._attachment_old, recorder.put)
            index.terms = plan_terms(terms, index.preset, allocator)
            claims = ((old, planned.url) for planned in index.terms for old in planned.old_urls)
            for batch in _chunks(_claims(index, claims), _CLAIM_BATCH):
                recorder.put(("keys", batch))
            recorder.close()
        if self._store is not None:
            self._store.freeze()  # before any worker opens its own connection
        return index

    def _planned_ids(self) -> MutableMapping[int, str] | None:
        """Where planning keeps the IDs planned so far, to skip a repeated one; None
        when no ID repeats (there are as many IDs as records)."""
        if len(self._hierarchy) == self._records:
            return None
        if self._store is None:
            return {}
        return self._store.map("planned_ids", "INTEGER", pickled=False)

    def _recorder(self) -> Sink[tuple[str, list[Any]]]:
        """Where planning's decisions are written: a forked process, when there is a
        store, enough items for the fork to pay, and a core for it; else here."""
        annex = self._annex
        stubs = len(self._stubs) + sum(len(adopted) for adopted, _offset in self._adopted)
        cores = self._options.workers or os.cpu_count() or 1
        forked = (
            annex is not None
            and cores > 1
            and stubs >= _RECORDER_MIN_ITEMS
            and "fork" in multiprocessing.get_all_start_methods()
        )
        if annex is not None and not forked:
            annex.begin()
        done = annex.freeze if forked and annex is not None else _nothing
        return Sink(partial(_record, self.index, annex if forked else None), done, forked=forked)


#: Items planned below which a recorder process costs more than it saves.
_RECORDER_MIN_ITEMS = 2000
_CLAIM_BATCH = 1024  # old URLs of attachments and terms sent to the recorder at once


def _nothing() -> None:
    pass


def build_index(
    items: Iterable[Post | UnreadableItem],
    data: SiteData,
    preset: Preset,
    options: ConvertOptions,
    media_originals: Iterable[str] = (),
    store: IndexStore | None = None,
) -> SiteIndex:
    """Pass 1: read every item and plan the whole output."""
    builder = IndexBuilder(data, preset, options, store)
    for seq, item in enumerate(items):
        builder.add(seq, item_record(item, seq, builder.context))
    return builder.finish(media_originals)


def _custom_taxonomies(terms: Iterable[Term]) -> tuple[str, ...]:
    builtin = {"category", "post_tag", "post_format", "nav_menu", "link_category"}
    return tuple(sorted({t.taxonomy for t in terms} - builtin))


def _variants(attachments: Iterable[Media]) -> Iterator[tuple[str, str]]:
    """(resized file named in ``_wp_attachment_metadata``, its original's path); a
    later pair for the same file wins."""
    for media in attachments:
        original = uploads_relpath(media.url) or media.file
        if not original:
            continue
        folder = original.rsplit("/", 1)[0] + "/" if "/" in original else ""
        for name in media.sizes:
            yield folder + name, original


def _own_hosts(data: SiteData, options: ConvertOptions) -> frozenset[str]:
    """The old site's own hosts, without ``www.``; a WordPress.com site's uploads host
    is one of them, and so is every ``--media-host``."""
    hosts = [host_of(data.site.base_url), host_of(data.site.base_site_url)]
    home = hosts[0]
    if home.endswith(".wordpress.com") and home.count(".") == 2:
        hosts.append(home.replace(".wordpress.com", ".files.wordpress.com"))
    hosts += options.media_hosts
    return frozenset(host.removeprefix("www.") for host in hosts if host)


def _stub(post: Post, seq: int, decision: Decision, context: RecordContext) -> ItemStub:
    slug = post.slug or slugify(post.title) or str(post.id)
    old = [post.link, post.guid, *post.old_urls, *_old_slug_urls(post)]
    old += [*_plain_and_dated(post, slug), f"/?p={post.id}"]
    keys: list[str | None] = []
    seen: set[tuple[str, str | None]] = set()
    for url in dict.fromkeys(old):
        found = old_url_keys(url, context.base_url, context.hosts)
        if found and found not in seen:  # a second claim of a pair changes nothing
            seen.add(found)
            keys += found
    return ItemStub(post.id, seq, post.type, slug, post.date, post.parent, decision, tuple(keys))


def _plain_and_dated(post: Post, slug: str) -> list[str]:
    """The plain (``?page_id=``) and date-based permalinks WordPress also answers to."""
    if post.type == "page":
        return [f"/?page_id={post.id}"]
    if post.type != "post" or post.date is None:
        return []
    date = post.date
    return [
        f"/{date.year:04d}/{date.month:02d}/{date.day:02d}/{slug}/",
        f"/{date.year:04d}/{date.month:02d}/{slug}/",
    ]


def _old_slug_urls(post: Post) -> list[str]:
    """Permalinks under the slugs a post had before (``_wp_old_slug``)."""
    if not post.link or not post.slug:
        return []
    current = "/" + post.slug.strip("/")
    path = path_of(post.link).rstrip("/")
    if not path.endswith(current):
        return []
    stem = path[: -len(current)]
    return [f"{stem}/{old}/" for old in post.meta_values("_wp_old_slug") if old]


def media_from_attachment(post: Post) -> Media:
    """An attachment item as a Media record, with its resized variants' file names."""
    sizes: tuple[str, ...] = ()
    metadata = post.meta_value("_wp_attachment_metadata")
    if metadata:
        try:
            sizes = attachment_files(metadata)[1]
        except (ValueError, AttributeError, TypeError):
            sizes = ()
    return Media(
        id=post.id,
        url=post.attachment_url or post.guid,
        parent=post.parent,
        title=post.title,
        caption=post.excerpt,
        description=post.content,
        alt=post.meta_value("_wp_attachment_image_alt"),
        file=post.meta_value("_wp_attached_file"),
        sizes=sizes,
    )


def _plan(
    index: SiteIndex,
    stubs: Iterable[ItemStub],
    hierarchy: Mapping[int, tuple[str, int]],
    options: ConvertOptions,
    allocator: PathAllocator,
    record: Callable[[tuple[str, list[Any]]], None],
    planned_ids: MutableMapping[int, str] | None = None,
) -> PathAllocator:
    """Give every item to be written a unique path and URL, in source order, and
    hand them to ``record`` (see ``_record``) chunk by chunk; the allocator is
    returned so term pages are placed after the items. ``planned_ids`` keeps the IDs
    planned so far when some ID may be used twice (None when none is)."""
    for name in sorted(index.preset.extra_files(index.custom_taxonomies)):
        allocator.claim(name)
    for chunk in _chunks(stubs, _PLAN_CHUNK):
        placed = _place(index, chunk, hierarchy, options, allocator, planned_ids)
        rows = [
            (stub.id, stub.seq, stub.type, stub.slug, path, url, stub.decision.draft,
             stub.decision.reason)
            for stub, path, url in placed
        ]
        record(("items", [rows, *_old_url_claims(placed)]))
    return allocator


def _record(index: SiteIndex, annex: IndexStore | None, message: tuple[str, list[Any]]) -> None:
    """Write one batch of what planning decided, in the order decided: placed items
    (``"items"``: the fields of their ``Planned`` but the aliases, and their
    ``_old_url_claims``), or more old URLs (``"keys"``: (key, path, new URL), see
    ``_claim_all_keys``). In a recorder process, ``annex`` is the store it writes, in a
    transaction of its own."""
    if annex is not None:
        annex.begin()
    kind, batch = message
    if kind == "keys":
        _claim_all_keys(index, batch)
        return
    rows, urls, wanted, owners = batch
    aliases = _claim_old_urls(index, len(rows), urls, wanted, owners)
    planned = zip(rows, aliases, strict=True)
    if isinstance(index.planned, RecordMap):  # stored as the fields' values: no record made
        index.planned.set_values_many((row[0], (*row, won)) for row, won in planned)
    else:
        set_many(index.planned, (
            (row[0], Planned(*row, won))  # type: ignore[call-arg]  # the fields but the last
            for row, won in planned
        ))


#: Items planned together: their old URLs are claimed in a few statements.
_PLAN_CHUNK = 256


def _chunks(values: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _place(
    index: SiteIndex,
    stubs: Sequence[ItemStub],
    hierarchy: Mapping[int, tuple[str, int]],
    options: ConvertOptions,
    allocator: PathAllocator,
    planned_ids: MutableMapping[int, str] | None,
) -> list[tuple[ItemStub, str, str]]:
    """(stub, path, URL) for the stubs to plan, in order; a repeated ID is left out
    (pass 2 reports it as failed). ``planned_ids``: the IDs planned before, to which
    these are added (None: no ID repeats)."""
    seen = set() if planned_ids is None else set(get_many(planned_ids, (s.id for s in stubs)))
    wanted = []  # (stub, wanted path, its URL)
    for stub in stubs:
        if stub.id in seen:
            continue
        seen.add(stub.id)
        values = _placeholders(stub, hierarchy, index.preset, options)
        template, url_template = _templates(index.preset, stub.type)
        wanted.append((stub, template.format(**values), url_template.format(**values)))
    if planned_ids is not None:
        add_missing(planned_ids, ((stub.id, "") for stub, _path, _url in wanted))
    paths = allocator.claim_many([path for _stub, path, _url in wanted])
    return [
        (stub, path, _url_for(url, path, want))
        for (stub, want, url), path in zip(wanted, paths, strict=True)
    ]


def _url_for(url: str, path: str, wanted: str) -> str:
    """The URL follows the path when the allocator had to rename a colliding path."""
    if path == wanted:
        return url
    wanted_dir = wanted.rsplit("/", 2)[-2] if wanted.endswith("index.md") else ""
    got_dir = path.rsplit("/", 2)[-2] if path.endswith("index.md") else ""
    if wanted_dir and got_dir:
        return url.replace(f"/{wanted_dir}/", f"/{got_dir}/")
    stem = lambda p: p.rsplit("/", 1)[-1].rsplit(".", 1)[0]  # noqa: E731
    return url.replace(f"/{stem(wanted)}/", f"/{stem(path)}/")


def _templates(preset: Preset, post_type: str) -> tuple[str, str]:
    if post_type == "post":
        return preset.post_path, preset.post_url
    if post_type == "page":
        return preset.page_path, preset.page_url
    return preset.cpt_path, preset.cpt_url


def _placeholders(
    stub: ItemStub,
    hierarchy: Mapping[int, tuple[str, int]],
    preset: Preset,
    options: ConvertOptions,
) -> dict[str, str]:
    date = stub.date or datetime(1970, 1, 1)
    values = {
        "slug": stub.slug,
        "id": str(stub.id),
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
        "type": stub.type,
        "name": str(stub.id) if options.name_by == "id" else stub.slug,
        "page_path": _page_path(stub, hierarchy),
    }
    layout = options.date_layout or preset.date_layout
    values["date_path"] = (layout.format(**values).strip("/") + "/") if layout else ""
    return values


def _page_path(stub: ItemStub, hierarchy: Mapping[int, tuple[str, int]]) -> str:
    """``parent-slug/child-slug`` through the page's ancestors (cycles cut)."""
    parts = [stub.slug]
    seen = {stub.id}
    parent = stub.parent
    while parent and parent in hierarchy and parent not in seen:
        seen.add(parent)
        slug, parent_of_parent = hierarchy[parent]
        parts.append(slug)
        parent = parent_of_parent
    return "/".join(reversed(parts))


def _old_url_claims(
    placed: Sequence[tuple[ItemStub, str, str]],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[int]]:
    """What ``_claim_all_keys`` claims for every old URL of the placed stubs, in order:
    (key, new URL) for ``urls``; (redirect path, new URL) for ``redirects``; and for
    each of the latter, which stub (its position in ``placed``) it is for."""
    owners: list[int] = []  # which stub each wanted redirect is for
    wanted: list[tuple[str, str]] = []
    urls: list[tuple[str, str]] = []
    for number, (stub, _path, new) in enumerate(placed):
        keys = stub.old_keys
        for at in range(0, len(keys), 2):
            key, path = keys[at], keys[at + 1]
            assert key is not None
            urls.append((key, new))
            redirect = redirect_path(key, path, new)
            if redirect is not None:
                wanted.append((redirect, new))
                owners.append(number)
    return urls, wanted, owners


def _claim_old_urls(
    index: SiteIndex,
    count: int,
    urls: Sequence[tuple[str, str]],
    wanted: Sequence[tuple[str, str]],
    owners: Sequence[int],
) -> list[tuple[str, ...]]:
    """Make the ``_old_url_claims`` of ``count`` placed items; for each item, the
    root-relative paths that now redirect to it (its aliases), in order."""
    add_missing(index.urls, urls)  # the first claim wins
    aliases: list[dict[str, None]] = [{} for _ in range(count)]
    stored = setdefault_many(index.redirects, wanted)
    for owner, (path, new), target in zip(owners, wanted, stored, strict=True):
        if target == new:
            aliases[owner][path] = None
    return [tuple(won) for won in aliases]


def _claim_all_keys(index: SiteIndex, claims: Sequence[tuple[str, str | None, str]]) -> None:
    """Claim old URLs, already turned into ``old_url_keys`` (key, path), for their new
    URLs, in order: the key leads to the new URL in ``urls``, and the redirect path, if
    any, in ``redirects``. The first claim wins (source order), so every old URL has
    exactly one target; foreign hosts, the home page and the new URL itself have no
    redirect."""
    add_missing(index.urls, [(key, new) for key, _path, new in claims])
    redirects = ((redirect_path(key, path, new), new) for key, path, new in claims)
    add_missing(index.redirects, [(path, new) for path, new in redirects if path is not None])


def _claims(
    index: SiteIndex, pairs: Iterable[tuple[str, str]]
) -> Iterator[tuple[str, str | None, str]]:
    """(key, path, new URL) to claim for (old URL, new URL) pairs, as
    ``_claim_all_keys`` takes them (a URL of a foreign host has none)."""
    base_url, hosts = index.base_url, index.media.hosts
    for old, new in pairs:
        keys = old_url_keys(old, base_url, hosts)
        if keys:
            yield keys[0], keys[1], new


def _index_attachments(
    index: SiteIndex,
    old_urls: Mapping[int, tuple[str, ...]],
    record: Callable[[tuple[str, list[Any]]], None],
) -> None:
    """Attachment pages, ``?attachment_id=`` URLs and the original file's old URL lead
    to the file itself (unless media stay remote): claimed through ``record``."""
    for batch in _chunks(_claims(index, _attachment_urls(index, old_urls)), _CLAIM_BATCH):
        record(("keys", batch))


def _attachment_urls(
    index: SiteIndex, old_urls: Mapping[int, tuple[str, ...]]
) -> Iterator[tuple[str, str]]:
    """(old URL, new URL) of every attachment, by ID."""
    for media_id in sorted(index.attachments):
        media = index.attachments[media_id]
        new = index.media_url(media.url) if media.url else None
        if index.keep_media and media.url:
            new = absolutize(media.url, index.base_url)  # media stay on the old host
        if not new:
            continue
        for old in (*old_urls.get(media.id, ()), media.url, f"/?attachment_id={media.id}"):
            yield old, new
