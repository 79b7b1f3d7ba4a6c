"""Turn one item into the text of its Markdown file: front matter + converted body.

This is the per-item work of pass 2. It is pure apart from reading the shared index:
the caller writes the result, so the same function serves the parallel workers.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from wpmigrate.frontmatter import dump
from wpmigrate.index import Planned, SiteIndex
from wpmigrate.model import Post, TermRef, fast_init, record_maker
from wpmigrate.transforms import convert_body
from wpmigrate.transforms.context import TransformContext
from wpmigrate.transforms.textrepair import repair_html, repair_text
from wpmigrate.writers.presets.base import Entry

_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
_BUILTIN_TAXONOMIES = frozenset({"category", "post_tag", "post_format"})
_make_entry = record_maker(Entry)  # Entry(...) for less: one per item


@fast_init
@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered item: the file text plus what the report and media step need."""

    text: str
    media: tuple[str, ...]
    warnings: tuple[str, ...]
    repairs: int
    unknown_shortcodes: tuple[tuple[str, int], ...]


_make_rendered = record_maker(Rendered)  # Rendered(...) for less: one per item


def render_item(post: Post, planned: Planned, index: SiteIndex, rendered_html: bool) -> Rendered:
    """Front matter and body of one item, for the index's preset."""
    preset = index.preset
    content, body_repairs = repair_html(post.content)
    ctx = TransformContext(
        post_id=post.id,
        base_url=index.base_url,
        embed_style=preset.embed_style,
        summary_marker=preset.summary_marker,
        rewrite_url=index.rewrite_url,
        attachments=index.attachments,
        rendered=rendered_html,
    )
    body = convert_body(content, ctx)
    entry, meta_repairs, featured = build_entry(post, planned, index)
    fields = preset.fields(entry)
    markdown = preset.body_filter(body.markdown) if preset.body_filter else body.markdown
    text = dump(fields, preset.front_matter) + "\n" + markdown.lstrip("\n")
    if not text.endswith("\n"):
        text += "\n"
    media = body.media + ((featured,) if featured else ())
    warnings = body.warnings + tuple(_unresolved_links(body.links, index))
    return _make_rendered(
        text=text,
        media=tuple(dict.fromkeys(media)),
        warnings=warnings,
        repairs=body_repairs + meta_repairs,
        unknown_shortcodes=tuple(sorted(body.unknown_shortcodes.items())),
    )


def build_entry(post: Post, planned: Planned, index: SiteIndex) -> tuple[Entry, int, str]:
    """The engine-neutral view of a post; also the text repairs and featured image URL."""
    title, title_fixes = repair_text(plain_text(post.title))
    summary, summary_fixes = repair_text(plain_text(post.excerpt))
    names, slugs, term_fixes = _term_names(post.terms)
    featured = featured_image_url(post, index)
    entry = _make_entry(
        id=post.id,
        type=post.type,
        title=title,
        slug=planned.slug,
        date=post_datetime(post.date, post.date_gmt, post.date_offset),
        modified=post_datetime(post.modified, post.modified_gmt, post.date_offset),
        draft=planned.draft,
        author=author_name(post, index),
        categories=names["category"],
        tags=names["post_tag"],
        category_slugs=slugs["category"],
        tag_slugs=slugs["post_tag"],
        taxonomies={k: v for k, v in names.items() if k not in _BUILTIN_TAXONOMIES},
        summary=summary,
        aliases=planned.aliases,
        url=planned.url,
        featured_image=index.rewrite_url(featured, "media") if featured else "",
        menu_order=post.menu_order,
        sticky=post.sticky,
    )
    return entry, title_fixes + summary_fixes + term_fixes, featured


def plain_text(value: str) -> str:
    """Text of an HTML fragment (titles, excerpts): tags dropped, entities decoded."""
    if "<" in value:
        value = _TAGS.sub("", value)
    return _SPACES.sub(" ", html.unescape(value)).strip()


def _term_names(
    terms: tuple[TermRef, ...],
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], int]:
    """In one pass over the terms: the display names by taxonomy (each name once,
    categories and tags always there), the slugs of the categories and of the tags
    (every one, in order), and the text repairs made to the names."""
    names: dict[str, list[str]] = {"category": [], "post_tag": []}
    slugs: dict[str, list[str]] = {"category": [], "post_tag": []}
    fixes = 0
    for term in terms:
        name, count = _term_name(term.name)
        fixes += count
        taxonomy = term.taxonomy
        bucket = names.get(taxonomy)
        if bucket is None:
            bucket = names[taxonomy] = []
        if name not in bucket:
            bucket.append(name)
        if taxonomy in slugs:
            slugs[taxonomy].append(term.slug)
    return (
        {k: tuple(v) for k, v in names.items()},
        {k: tuple(v) for k, v in slugs.items()},
        fixes,
    )


@lru_cache(maxsize=4096)  # the same few hundred terms, post after post
def _term_name(name: str) -> tuple[str, int]:
    """A term's display name (entities decoded, mojibake repaired), and the repairs."""
    return repair_text(html.unescape(name))


def post_datetime(
    local: datetime | None, gmt: datetime | None, offset_minutes: int | None
) -> datetime | None:
    """An aware datetime: the local time with the offset WordPress implied (local − GMT)."""
    if local is None and gmt is None:
        return None
    if gmt is not None and local is not None:
        minutes = round((local - gmt).total_seconds() / 900) * 15
        return local.replace(tzinfo=_offset(minutes))
    if gmt is not None:
        return gmt.replace(tzinfo=UTC)
    assert local is not None
    if offset_minutes is not None:
        return local.replace(tzinfo=_offset(offset_minutes))
    return local


@lru_cache(maxsize=256)  # a site has one or two offsets (summer and winter time)
def _offset(minutes: int) -> timezone:
    return timezone(timedelta(minutes=minutes))


def author_name(post: Post, index: SiteIndex) -> str:
    """The author's display name (never the e-mail), falling back to the login."""
    if post.author_name:
        return post.author_name
    for author in index.data.authors:
        if author.login == post.author:
            return author.display_name or author.login
    return post.author


def featured_image_url(post: Post, index: SiteIndex) -> str:
    """The featured image's original URL: ``_thumbnail_id`` or what the source knew."""
    if post.featured_image:
        return post.featured_image
    thumb = post.meta_value("_thumbnail_id")
    media = index.attachments.get(int(thumb)) if thumb.isdigit() else None
    return media.url if media is not None else ""


def _unresolved_links(links: tuple[str, ...], index: SiteIndex) -> list[str]:
    """Internal links that lead nowhere in the new site (reported, kept as old URLs)."""
    out = []
    for link in links:
        if not link or link.startswith(("#", "mailto:", "tel:")) or not index.is_internal(link):
            continue
        if index.rewrite_url(link, "link").startswith(("http://", "https://")):
            out.append(f"internal link {link} has no target in the new site (kept as is)")
    return out
