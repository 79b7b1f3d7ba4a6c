"""Pass 1: read every item once and decide where everything goes.

The index knows, before any body is converted, the output path and new URL of every
item that will be written, every old URL each of them (and each attachment and term)
was known by, and the attachments by ID. Pass 2 uses it to rewrite internal links and
media, and the redirect writers use it to send every old URL to exactly one target.
Only light records are kept, so memory stays small for a 50k-post export.
"""

from __future__ import annotations

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
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice

from wpmigrate.indexstore import (
    IndexStore,
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
    #: (key, path or None, key, path or None, …), in order of precedence.
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

    def add_old_url(self, old: str, new: str) -> bool:
        """Index one old URL of something that now lives at ``new``.

        The first claim wins (source order), so every old URL has exactly one target.
        Returns whether ``old`` now redirects to ``new`` (False for foreign hosts, the
        home page, the new URL itself, or an old URL another item claimed first).
        """
        return self.claim_old_url(old, new) is not None

    def claim_old_url(self, old: str, new: str) -> str | None:
        """``add_old_url``, returning the redirect's root-relative path (or None)."""
        keys = old_url_keys(old, self.base_url, self.media.hosts)
        return self.claim_keys(keys[0], keys[1], new) if keys else None

    def claim_keys(self, key: str, path: str | None, new: str) -> str | None:
        """``claim_old_url`` for an old URL already turned into ``old_url_keys``."""
        self.urls.setdefault(key, new)  # the first claim wins
        wanted = redirect_path(key, path, new)
        if wanted is None:
            return None
        return wanted if self.redirects.setdefault(wanted, new) == new else None

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
        if store is not None:
            store.begin()
            self.index.planned = store.map("planned", "INTEGER", pickled=True)
            self.index.urls = store.map("urls", "TEXT", pickled=False)
            self.index.redirects = store.map("redirects", "TEXT", pickled=False)
            self._hierarchy = store.map("hierarchy", "INTEGER", pickled=True)
            self._stubs = DiskList(store.path.parent)
            self.index.attachments = AttachmentMap(store)
            self._attachment_old = store.map("attachment_old", "INTEGER", pickled=True)

    def add(self, seq: int, record: ItemRecord | None) -> None:
        """Take the record of the item at position ``seq`` (None: unreadable item)."""
        self.index.item_count = seq + 1
        if record is None:
            return
        if isinstance(self._hierarchy, dict):
            self._hierarchy[record.id] = record.hierarchy
        else:  # on disk: written in batches
            self._pending.append((record.id, record.hierarchy))
            if len(self._pending) >= _BATCH:
                self._flush()
        if record.media is not None:
            if record.id not in self.index.attachments:
                self._attachment_order.append(record.id)
            self.index.attachments[record.id] = record.media
            self._attachment_old[record.id] = record.media_old
        elif record.stub is not None:
            self._stubs.append(record.stub)
            self._used_terms.update(record.terms)

    def adopt_stubs(self, stubs: DiskList[ItemStub], offset: int) -> None:
        """Take the stubs another process stored for a later part of the source,
        numbered from the part's start (``offset``: the position of its first item);
        they come after every stub added so far. The builder closes them."""
        self._adopted.append((stubs, offset))

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
        """Plan every path, URL, alias and redirect; the builder is spent afterwards."""
        self._flush()
        index, data, options = self.index, self.index.data, self._options
        index.media = self._media_namer(media_originals)
        terms = terms_in_use(data.terms, self._used_terms)
        index.custom_taxonomies = _custom_taxonomies(terms)
        taken = self._store.map("taken", "TEXT", pickled=False) if self._store else None
        allocator = _plan(index, self._all_stubs(), self._hierarchy, options, PathAllocator(taken))
        for stubs in (self._stubs, *(adopted for adopted, _offset in self._adopted)):
            if isinstance(stubs, DiskList):
                stubs.close()
        self._stubs, self._adopted, self._hierarchy = [], [], {}
        _index_attachments(index, self._attachment_old)
        index.terms = plan_terms(terms, index.preset, allocator)
        for planned in index.terms:
            for old in planned.old_urls:
                index.add_old_url(old, planned.url)
        if self._store is not None:
            self._store.freeze()  # before any worker opens its own connection
        return index


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
    for url in old:
        found = old_url_keys(url, context.base_url, context.hosts)
        if found:
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
) -> PathAllocator:
    """Give every item to be written a unique path and URL, in source order; the
    allocator is returned so term pages are placed after the items."""
    for name in sorted(index.preset.extra_files(index.custom_taxonomies)):
        allocator.claim(name)
    for chunk in _chunks(stubs, _PLAN_CHUNK):
        placed = _place(index, chunk, hierarchy, options, allocator)
        aliases = _claim_old_urls(index, placed)
        set_many(index.planned, (
            (stub.id, Planned(stub.id, stub.seq, stub.type, stub.slug, path, url,
                              stub.decision.draft, stub.decision.reason, won))
            for (stub, path, url), won in zip(placed, aliases, strict=True)
        ))
    return allocator


#: Items planned together: their old URLs are claimed in a few statements.
_PLAN_CHUNK = 256


def _chunks(values: Iterable[ItemStub], size: int) -> Iterator[list[ItemStub]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _place(
    index: SiteIndex,
    stubs: Sequence[ItemStub],
    hierarchy: Mapping[int, tuple[str, int]],
    options: ConvertOptions,
    allocator: PathAllocator,
) -> list[tuple[ItemStub, str, str]]:
    """(stub, path, URL) for the stubs to plan, in order; a repeated ID is left out
    (pass 2 reports it as failed)."""
    seen = set(get_many(index.planned, (stub.id for stub in stubs)))
    wanted = []  # (stub, wanted path, its URL)
    for stub in stubs:
        if stub.id in seen:
            continue
        seen.add(stub.id)
        values = _placeholders(stub, hierarchy, index.preset, options)
        template, url_template = _templates(index.preset, stub.type)
        wanted.append((stub, template.format(**values), url_template.format(**values)))
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


def _claim_old_urls(
    index: SiteIndex, placed: Sequence[tuple[ItemStub, str, str]]
) -> list[tuple[str, ...]]:
    """``claim_keys`` for every old URL of the placed stubs, in order; for each stub,
    the root-relative paths that now redirect to it (its aliases), in order."""
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
    add_missing(index.urls, urls)  # the first claim wins
    aliases: list[dict[str, None]] = [{} for _ in placed]
    stored = setdefault_many(index.redirects, wanted)
    for owner, (path, new), target in zip(owners, wanted, stored, strict=True):
        if target == new:
            aliases[owner][path] = None
    return [tuple(won) for won in aliases]


def _index_attachments(index: SiteIndex, old_urls: Mapping[int, tuple[str, ...]]) -> None:
    """Attachment pages, ``?attachment_id=`` URLs and the original file's old URL lead
    to the file itself (unless media stay remote)."""
    for media_id in sorted(index.attachments):
        media = index.attachments[media_id]
        new = index.media_url(media.url) if media.url else None
        if index.keep_media and media.url:
            new = absolutize(media.url, index.base_url)  # media stay on the old host
        if not new:
            continue
        for old in (*old_urls.get(media.id, ()), media.url, f"/?attachment_id={media.id}"):
            index.add_old_url(old, new)
