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
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal, TypeVar

#: What happened to one item of the source, as recorded in the report.
Outcome = Literal["written", "skipped", "failed"]

_Record = TypeVar("_Record", bound=type)
_T = TypeVar("_T")
_MAKER = "_make"  # the class attribute holding a record class's constructor (see _maker)

#: The classes and functions that pickles of records name, in the order they were
#: defined (see :func:`pickle_globals`).
_PICKLE_GLOBALS: list[object] = [datetime]


def fast_pickle(cls: _Record) -> _Record:
    """Pickle a slots dataclass as (constructor, field values): unpickling then calls
    the constructor, where the default for slots dataclasses runs a Python loop that
    looks up ``fields()`` for every object. Records cross processes and the spool 50k
    times each in a big run; this halves the cost. (No field may be ``init=False``.)
    For a frozen record the constructor is the cheaper one of :func:`record_maker`."""
    names = tuple(f.name for f in fields(cls))
    values = operator.attrgetter(*names)
    make = _maker(cls)
    # (mypy cannot type a function set as a class's __reduce__: hence the ignores)
    if len(names) == 1:
        cls.__reduce__ = lambda self: (make, (values(self),))  # type: ignore[method-assign, assignment, misc]
    else:
        cls.__reduce__ = lambda self: (make, values(self))  # type: ignore[method-assign, assignment, misc]
    _PICKLE_GLOBALS.extend({cls: None, make: None})
    return cls


def fast_init(cls: _Record) -> _Record:
    """Give a frozen slots dataclass that is made often (once per item) but never
    pickled the cheaper constructor that :func:`record_maker` returns."""
    _maker(cls)
    return cls


def record_maker(cls: Callable[..., _T]) -> Callable[..., _T]:
    """What makes records of ``cls`` cheapest: a function with the class's own
    parameters (names, order, defaults) made by :func:`fast_pickle` for a frozen
    record, else the class itself."""
    make = vars(cls).get(_MAKER)  # not inherited: a subclass is made by calling it
    return cls if make is None else make.__func__


def _maker(cls: type) -> Callable[..., Any]:
    """For a frozen slots dataclass: a function that makes a record exactly as calling
    the class does, setting its slots directly instead of making one
    ``object.__setattr__`` call per field (what a frozen class's ``__init__`` does),
    for half the cost. The class itself when making one does more (``__post_init__``,
    a ``__new__`` of its own, default factories, keyword-only fields) or is cheap
    already (not frozen)."""
    params = getattr(cls, "__dataclass_params__", None)
    all_fields = fields(cls)
    if (
        params is None
        or not params.frozen
        or "__slots__" not in vars(cls)
        or hasattr(cls, "__post_init__")
        or cls.__new__ is not object.__new__
        or any(not f.init or f.kw_only or f.default_factory is not MISSING for f in all_fields)
    ):
        return cls
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    parameters, lines = [], []
    for number, item in enumerate(all_fields):
        namespace[f"_set{number}"] = vars(cls)[item.name].__set__  # the slot's setter
        if item.default is MISSING:
            parameters.append(item.name)
        else:
            namespace[f"_default{number}"] = item.default
            parameters.append(f"{item.name}=_default{number}")
        lines.append(f"    _set{number}(record, {item.name})\n")
    source = f"def {_MAKER}({', '.join(parameters)}):\n    record = _new(_cls)\n"
    exec(source + "".join(lines) + "    return record\n", namespace)  # as dataclasses does
    make = namespace[_MAKER]
    make.__qualname__ = f"{cls.__qualname__}.{_MAKER}"  # pickled by reference, as a global
    make.__module__ = cls.__module__
    make.__doc__ = f"Make a {cls.__name__} (see wpmigrate.model.record_maker)."
    setattr(cls, _MAKER, staticmethod(make))
    return make


@lru_cache(maxsize=4096)
def _shared(cls: type, *values: object) -> object:
    """The one record of ``cls`` with these field values (see :func:`shared_pickle`)."""
    return record_maker(cls)(*values)


_PICKLE_GLOBALS.append(_shared)


def shared_pickle(cls: _Record) -> _Record:
    """:func:`fast_pickle` for a small frozen record that many items repeat (a post's
    term references): equal ones are unpickled as one shared object, from a bounded
    cache, instead of being made again for every item that holds one. (Its fields
    must be hashable.)"""
    fast_pickle(cls)
    values = operator.attrgetter(*(f.name for f in fields(cls)))
    # (mypy cannot type a function set as a class's __reduce__: hence the ignores)
    if len(fields(cls)) == 1:
        cls.__reduce__ = lambda self: (_shared, (cls, values(self)))  # type: ignore[method-assign, assignment, misc]
    else:
        cls.__reduce__ = lambda self: (_shared, (cls, *values(self)))  # type: ignore[method-assign, assignment, misc]
    return cls


def pickle_globals() -> tuple[object, ...]:
    """The classes and functions pickles of records refer to (every record class
    made so far with :func:`fast_pickle`, its constructor, ``datetime``): what a
    spool's pickler can know beforehand instead of naming them again in every pickle
    (see spool.py)."""
    return tuple(_PICKLE_GLOBALS)


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


@shared_pickle
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
    #: For an item with comments: ("written", n), ("held", n), ("repairs", n) and
    #: ("path", data file) when its comments are written, else ("dropped", n).
    comments: tuple[tuple[str, int | str], ...] = ()
