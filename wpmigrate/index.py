"""Pass 1: read every item once and decide where everything goes.

The index knows, before any body is converted, the output path and new URL of every
item that will be written, every old URL each of them (and each attachment and term)
was known by, and the attachments by ID. Pass 2 uses it to rewrite internal links and
media, and the redirect writers use it to send every old URL to exactly one target.
Only light records are kept, so memory stays small for a 50k-post export.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from wpmigrate.media.naming import MediaNamer, uploads_relpath
from wpmigrate.model import Media, Post, SiteData, Term
from wpmigrate.options import ConvertOptions
from wpmigrate.policy import Decision, decide
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.urls import absolutize, host_of, path_of, split_fragment, url_key
from wpmigrate.writers.presets.base import Preset
from wpmigrate.writers.safe import PathAllocator

_SLUG_JUNK = re.compile(r"[^\w\-]+", re.UNICODE)


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


@dataclass(slots=True)
class _Stub:
    """What pass 1 remembers of an item to be written until all items are read."""

    id: int
    seq: int
    type: str
    slug: str
    date: datetime | None
    parent: int
    decision: Decision
    old_urls: tuple[str, ...]


@dataclass(slots=True)
class SiteIndex:
    """Everything pass 2 needs to know about the whole site."""

    data: SiteData
    preset: Preset
    planned: dict[int, Planned] = field(default_factory=dict)
    attachments: dict[int, Media] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)  # url_key(old URL) → new URL
    redirects: dict[str, str] = field(default_factory=dict)  # old path → new URL
    media: MediaNamer = field(default_factory=lambda: MediaNamer((), ()))
    keep_media: bool = False
    item_count: int = 0  # items read in pass 1, for progress

    @property
    def base_url(self) -> str:
        return self.data.site.base_url

    def lookup(self, url: str) -> str | None:
        """The new URL of an old internal URL, or None when the index has none."""
        return self.urls.get(url_key(absolutize(url, self.base_url)))

    def is_internal(self, url: str) -> bool:
        """Whether ``url`` points at the old site (relative URLs do)."""
        host = host_of(url)
        return not host or host in self.media.hosts

    def media_url(self, url: str) -> str | None:
        """The new URL of a media file of the old site, or None if not the site's."""
        if self.keep_media:
            return None
        rel = self.media.local_path(absolutize(url, self.base_url))
        return f"{self.preset.media_prefix()}{rel}" if rel else None

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


def slugify(text: str) -> str:
    """A URL slug from a title, keeping non-Latin letters (WordPress does too)."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return _SLUG_JUNK.sub("-", text).strip("-")[:80]


def build_index(
    items: Iterable[Post | UnreadableItem],
    data: SiteData,
    preset: Preset,
    options: ConvertOptions,
    media_originals: Iterable[str] = (),
) -> SiteIndex:
    """Pass 1: read every item and plan the whole output."""
    index = SiteIndex(data=data, preset=preset, keep_media=options.media == "keep")
    stubs: list[_Stub] = []
    hierarchy: dict[int, tuple[str, int]] = {}  # id → (slug, parent), every item
    for seq, item in enumerate(items):
        if isinstance(item, UnreadableItem):
            index.item_count = seq + 1
            continue
        index.item_count = seq + 1
        hierarchy[item.id] = (item.slug or str(item.id), item.parent)
        if item.type == "attachment":
            index.attachments[item.id] = media_from_attachment(item)
            continue
        decision = decide(item, options.include_drafts)
        if decision.write:
            stubs.append(_stub(item, seq, decision))
    originals = list(media_originals) + [
        rel for media in index.attachments.values() if (rel := uploads_relpath(media.url))
    ]
    index.media = MediaNamer(_site_hosts(data, options), originals)
    _plan(index, stubs, hierarchy, options)
    _index_attachments(index)
    _index_terms(index, data.terms)
    return index


def _site_hosts(data: SiteData, options: ConvertOptions) -> list[str]:
    hosts = [host_of(data.site.base_url), host_of(data.site.base_site_url)]
    return [h for h in hosts if h] + list(options.media_hosts)


def _stub(post: Post, seq: int, decision: Decision) -> _Stub:
    slug = post.slug or slugify(post.title) or str(post.id)
    old = [post.link, post.guid, *post.old_urls]
    old += _old_slug_urls(post)
    return _Stub(post.id, seq, post.type, slug, post.date, post.parent, decision, tuple(old))


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
    """An attachment item as a Media record."""
    return Media(
        id=post.id,
        url=post.attachment_url or post.guid,
        parent=post.parent,
        title=post.title,
        caption=post.excerpt,
        description=post.content,
        alt=post.meta_value("_wp_attachment_image_alt"),
        file=post.meta_value("_wp_attached_file"),
    )


def _plan(
    index: SiteIndex,
    stubs: list[_Stub],
    hierarchy: dict[int, tuple[str, int]],
    options: ConvertOptions,
) -> None:
    """Give every item to be written a unique path and URL, in source order."""
    allocator = PathAllocator()
    for name in sorted(index.preset.extra_files()):
        allocator.claim(name)
    for stub in stubs:
        if stub.id in index.planned:
            continue  # a duplicate ID: pass 2 reports it as failed
        values = _placeholders(stub, hierarchy, index.preset, options)
        template, url_template = _templates(index.preset, stub.type)
        path = allocator.claim(template.format(**values))
        url = _url_for(url_template.format(**values), path, template.format(**values))
        aliases = _aliases(stub, index, url)
        index.planned[stub.id] = Planned(
            stub.id, stub.seq, stub.type, stub.slug, path, url,
            stub.decision.draft, stub.decision.reason, aliases,
        )
        for alias in (*stub.old_urls, f"/?p={stub.id}"):
            if alias:
                index.urls.setdefault(url_key(absolutize(alias, index.base_url)), url)
        for alias in aliases:
            index.redirects.setdefault(alias, url)


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
    stub: _Stub, hierarchy: dict[int, tuple[str, int]], preset: Preset, options: ConvertOptions
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


def _page_path(stub: _Stub, hierarchy: dict[int, tuple[str, int]]) -> str:
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


def _aliases(stub: _Stub, index: SiteIndex, new_url: str) -> tuple[str, ...]:
    """Root-relative old URLs that must redirect to ``new_url``, deduplicated, in order."""
    aliases: list[str] = []
    for old in (*stub.old_urls, f"/?p={stub.id}"):
        if not old or (host_of(old) and not index.is_internal(old)):
            continue
        path = path_of(absolutize(old, index.base_url))
        if path != new_url and path not in aliases and path != "/":
            aliases.append(path)
    return tuple(aliases)


def _index_attachments(index: SiteIndex) -> None:
    """Attachment pages and ``?attachment_id=`` URLs lead to the file itself."""
    for media in index.attachments.values():
        new = index.media_url(media.url) if media.url else None
        if new:
            index.urls.setdefault(url_key(f"/?attachment_id={media.id}"), new)


def _index_terms(index: SiteIndex, terms: Iterable[Term]) -> None:
    """Category and tag archive URLs → the engine's term pages."""
    term_urls = {"category": "/categories/{slug}/", "post_tag": "/tags/{slug}/"}
    by_slug = {(t.taxonomy, t.slug): t for t in terms}
    for term in by_slug.values():
        template = term_urls.get(term.taxonomy)
        if not template:
            continue
        new = template.format(slug=term.slug)
        base = "category" if term.taxonomy == "category" else "tag"
        chain = _term_chain(term, by_slug)
        for old in (f"/{base}/{chain}/", f"/{base}/{term.slug}/"):
            index.urls.setdefault(url_key(old), new)


def _term_chain(term: Term, by_slug: dict[tuple[str, str], Term]) -> str:
    parts, seen, current = [term.slug], {term.slug}, term
    while current.parent and (current.taxonomy, current.parent) in by_slug:
        current = by_slug[(current.taxonomy, current.parent)]
        if current.slug in seen:
            break
        seen.add(current.slug)
        parts.append(current.slug)
    return "/".join(reversed(parts))
