"""The normalized WordPress model: plain typed records, no I/O.

Every source (WXR export, mirrored HTML, REST API JSON) produces these records and
every later stage (index, transforms, writers, report) consumes only these records,
so a new source or a new engine never has to know about the other side.

Records are frozen dataclasses: a transform that changes a post returns a new one
(``dataclasses.replace``), which keeps the pipeline free of shared mutable state and
makes the parallel second pass safe.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Literal, TypeVar

#: What happened to one item of the source, as recorded in the report.
Outcome = Literal["written", "skipped", "failed"]

_Record = TypeVar("_Record", bound=type)


def fast_pickle(cls: _Record) -> _Record:
    """Pickle a slots dataclass as (class, field values): unpickling then calls the
    class, where the default for slots dataclasses runs a Python loop that looks up
    ``fields()`` for every object. Records cross processes and the spool 50k times
    each in a big run; this halves the cost. (No field may be ``init=False``.)"""
    names = tuple(f.name for f in fields(cls))
    values = operator.attrgetter(*names)
    if len(names) == 1:
        cls.__reduce__ = lambda self: (cls, (values(self),))  # type: ignore[attr-defined]
    else:
        cls.__reduce__ = lambda self: (cls, values(self))  # type: ignore[attr-defined]
    return cls


@fast_pickle
@dataclass(frozen=True, slots=True)
class Site:
    """The site as a whole (the WXR ``<channel>``, or what a mirror's pages say)."""

    title: str = ""
    base_url: str = ""  # the site's home URL, e.g. "https://example.org" (no trailing slash)
    language: str = ""  # e.g. "en-US"
    timezone: str = ""  # an offset like "+02:00" or an IANA name, when known
    description: str = ""
    base_site_url: str = ""  # wp:base_site_url (multisite network root)
    wxr_version: str = ""


@fast_pickle
@dataclass(frozen=True, slots=True)
class Author:
    """A WordPress user. The e-mail address is kept for matching only, never written."""

    login: str
    display_name: str = ""
    email: str = field(default="", repr=False)
    first_name: str = ""
    last_name: str = ""
    id: int | None = None


@fast_pickle
@dataclass(frozen=True, slots=True)
class Term:
    """A taxonomy term (category, tag, or a custom taxonomy's term)."""

    taxonomy: str  # "category", "post_tag", "post_format", or a custom taxonomy
    slug: str
    name: str
    parent: str = ""  # parent term's slug, "" for a top-level term
    description: str = ""
    id: int | None = None


@fast_pickle
@dataclass(frozen=True, slots=True)
class TermRef:
    """A post's reference to a term, as the item carries it (domain, nicename, name)."""

    taxonomy: str
    slug: str
    name: str


@fast_pickle
@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on a post."""

    id: int
    author: str = ""
    author_url: str = ""
    author_email: str = field(default="", repr=False)
    date: datetime | None = None
    date_gmt: datetime | None = None
    content: str = ""
    approved: str = "1"  # "1", "0", "spam", "trash"
    type: str = ""  # "", "comment", "pingback", "trackback"
    parent: int = 0
    user_id: int = 0


@fast_pickle
@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where an item came from, so messages can name the file and the place in it."""

    path: str  # the source file (export file, or mirror file)
    line: int | None = None  # line of the <item> in an export, when known


@fast_pickle
@dataclass(frozen=True, slots=True)
class Post:
    """One item of the site: post, page, attachment, custom post type, or a record
    WordPress keeps for itself (nav_menu_item, wp_template …). The status policy in the
    pipeline decides what is written; sources report everything they read.

    Dates: ``date`` and ``modified`` are the site's local time as WordPress stored them
    (naive), ``date_gmt``/``modified_gmt`` are UTC (naive, meaning UTC). ``None`` stands
    for WordPress's ``0000-00-00 00:00:00`` (never published, e.g. drafts).
    ``date_offset`` is the UTC offset in minutes when a source knows it directly
    (e.g. a mirror's ``<time datetime="…+02:00">``).
    """

    id: int
    type: str = "post"
    status: str = "publish"
    title: str = ""
    slug: str = ""  # percent-decoded post_name
    date: datetime | None = None
    date_gmt: datetime | None = None
    modified: datetime | None = None
    modified_gmt: datetime | None = None
    date_offset: int | None = None
    author: str = ""  # author login (or display name where a source has only that)
    author_name: str = ""  # display name, when the source carries it on the item
    parent: int = 0
    menu_order: int = 0
    has_password: bool = False
    sticky: bool = False
    content: str = ""  # HTML as WordPress stored it (content:encoded)
    excerpt: str = ""
    terms: tuple[TermRef, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()  # postmeta (key, value) pairs, in source order
    link: str = ""  # the permalink as the export states it
    guid: str = ""
    old_urls: tuple[str, ...] = ()  # further old URLs a source knows (e.g. mirror file forms)
    comments: tuple[Comment, ...] = ()
    attachment_url: str = ""  # for attachments: the original file's URL
    featured_image: str = ""  # a URL, when a source knows it directly (mirrors)
    comment_status: str = ""
    source: SourceRef | None = None

    def meta_value(self, key: str, default: str = "") -> str:
        """The first value of a postmeta key (WordPress's get_post_meta(..., true))."""
        for meta_key, value in self.meta:
            if meta_key == key:
                return value
        return default

    def meta_values(self, key: str) -> list[str]:
        """Every value of a postmeta key, in source order."""
        return [value for meta_key, value in self.meta if meta_key == key]

    def terms_of(self, taxonomy: str) -> list[TermRef]:
        """The item's terms of one taxonomy, in source order."""
        return [term for term in self.terms if term.taxonomy == taxonomy]


@fast_pickle
@dataclass(frozen=True, slots=True)
class Media:
    """An attachment: a file in the media library."""

    id: int
    url: str  # the original file's URL (attachment_url)
    parent: int = 0
    title: str = ""
    caption: str = ""  # the attachment's excerpt
    description: str = ""  # the attachment's content
    alt: str = ""  # _wp_attachment_image_alt
    file: str = ""  # _wp_attached_file, relative to the uploads folder
    sizes: tuple[str, ...] = ()  # file names of the resized variants from metadata
    mime_type: str = ""


@fast_pickle
@dataclass(frozen=True, slots=True)
class SiteData:
    """What a source reads before its items: the site, its authors and its terms."""

    site: Site
    authors: tuple[Author, ...] = ()
    terms: tuple[Term, ...] = ()


@fast_pickle
@dataclass(frozen=True, slots=True)
class ItemReport:
    """One line of the report: what became of one item read from the source."""

    id: int | str
    type: str
    status: str
    title: str
    outcome: Outcome
    reason: str = ""
    path: str = ""
    source: str = ""  # source file (mirror sources: the file; WXR: export path + line)
    warnings: tuple[str, ...] = ()
    repairs: int = 0  # text repairs (mojibake) made in this item
    unknown_shortcodes: tuple[tuple[str, int], ...] = ()  # (name, count)
