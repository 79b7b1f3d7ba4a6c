"""Reading the small pieces of a WXR file: element names, texts, numbers, dates, slugs.

WXR exists in versions 1.0, 1.1 and 1.2, each with its own ``wp`` (and ``excerpt``)
namespace URI, and hand-edited exports mix them. Instead of hard-coding one URI, every
element name is mapped to a short prefixed key (``wp:post_id``, ``excerpt:encoded``,
``content:encoded``, ``dc:creator``, ``title``) so the rest of the reader never looks
at namespace URIs.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import lru_cache

from lxml import etree

from wpmigrate.sources.xmlsafe import strip_forbidden_chars

_WP_NS_RE = re.compile(r"^https?://(?:www\.)?wordpress\.org/export/([^/]*)/?$")
_EXCERPT_NS_RE = re.compile(r"^https?://(?:www\.)?wordpress\.org/export/[^/]*/excerpt/?$")
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}
ZERO_DATE = "0000-00-00 00:00:00"
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S.%f", "%Y/%m/%d %H:%M:%S")


@lru_cache(maxsize=1024)
def key_of(tag: str) -> str:
    """Short key of an element's Clark-notation tag: ``{wp 1.x uri}post_id`` → ``wp:post_id``.

    Elements of unknown namespaces keep their full ``{uri}name`` so they never collide
    with WXR fields (a ``custom:post_id`` must not be read as the post ID).
    """
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    if _WP_NS_RE.match(uri):
        return "wp:" + local
    if _EXCERPT_NS_RE.match(uri):
        return "excerpt:" + local
    prefix = _NAMESPACES.get(uri)
    return f"{prefix}:{local}" if prefix else tag


def wp_version_of(uri: str) -> str | None:
    """The WXR version in a ``wp`` namespace URI (``…/export/1.2/`` → ``"1.2"``), else None."""
    match = _WP_NS_RE.match(uri)
    return match.group(1) if match else None


def local_name(tag: object) -> str:
    """An element's name without namespace; ``""`` for comments and processing instructions."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def text_of(elem: etree._Element, entities: list[str] | None = None, strip: bool = True) -> str:
    """All text inside ``elem`` (CDATA included), without characters XML 1.0 forbids.

    Entity references are never expanded (see :func:`xmlsafe.safe_iterparse`); they are
    kept as their literal ``&name;`` text and their names appended to ``entities`` so the
    reader can report them. ``strip=False`` leaves forbidden characters in, for a caller
    that checks many texts at once (one regex search instead of one per field).
    """
    if len(elem) == 0:
        text = elem.text or ""
    else:
        text = "".join(elem.itertext())
        if entities is not None:
            # (iter(etree.Entity) yields _Entity nodes only; the stubs say _Element)
            entities.extend(entity.name for entity in elem.iter(etree.Entity))  # type: ignore[attr-defined]
    return strip_forbidden_chars(text) if strip else text


def parse_int(text: str, default: int = 0) -> int:
    """An integer field; ``default`` when empty. Raises ValueError when not a number."""
    text = text.strip()
    if not text:
        return default
    return int(text)


def parse_wp_date(text: str) -> datetime | None:
    """A WordPress date (``2012-01-05 14:30:46``) as a naive datetime.

    ``None`` for an empty field or WordPress's ``0000-00-00 00:00:00`` ("never",
    e.g. drafts). Shortened and ISO 8601 forms are accepted too (hand-edited exports);
    a time zone suffix is dropped, keeping the wall-clock time the field states.
    Raises ValueError for anything else, e.g. an impossible date.
    """
    text = text.strip()
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        date = datetime.fromisoformat(text)  # fast, C-implemented
    except ValueError:
        pass
    else:
        return date if date.tzinfo is None else date.replace(tzinfo=None)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")


def slugify(name: str) -> str:
    """A WordPress-like slug for a term name that carries none (WXR 1.0 categories).

    Lower case, accents removed, runs of anything but letters, digits, ``_`` and ``-``
    turned into one ``-``. Letters of other scripts are kept (WordPress would
    percent-encode them; slugs are kept decoded throughout the model).
    """
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^\w-]+", "-", plain.lower()).strip("-")
