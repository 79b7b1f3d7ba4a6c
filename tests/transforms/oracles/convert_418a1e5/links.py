# wpmigrate/transforms/links.py as of commit 418a1e5, verbatim below but for its
# imports of the other copied modules (made relative, then sorted): an oracle for the
# sped-up conversion (tests/transforms/test_convert_oracle.py). Do not edit.

"""Rewrite every URL a body references through ``ctx.rewrite_url``.

One pass over the parsed tree: ``a[href]``, ``img[src]`` (``srcset`` collapsed to its
largest candidate, lazy-load attributes resolved), ``source[src]``, ``video[src|poster]``,
``audio[src]``. An ``href`` pointing at an uploaded file (``/wp-content/uploads/`` or a
file extension) is media, other hrefs are links. The original URLs are collected, in
document order and deduplicated, for the pipeline's media download and link report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from wpmigrate.transforms.context import TransformContext, UrlKind

_MEDIA_EXT = frozenset(
    {"jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "bmp", "tif", "tiff", "ico", "heic",
     "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "txt",
     "csv", "zip", "gz", "tgz", "bz2", "7z", "rar", "tar", "mp3", "m4a", "ogg", "oga", "wav",
     "flac", "mp4", "m4v", "mov", "webm", "ogv", "avi", "wmv", "mkv", "epub", "mobi", "key"}
)
#: Schemes that are neither pages nor files: kept as they are, not reported.
_NOT_RECORDED = ("mailto:", "tel:", "javascript:", "data:", "sms:", "skype:")
_LAZY_SRC = ("data-lazy-src", "data-src", "data-orig-file", "data-original")
_LAZY_SRCSET = ("data-lazy-srcset", "data-srcset")
#: The attributes an ``<img>`` loses once its source is resolved.
_IMG_DROPPED = frozenset({"srcset", "sizes", *_LAZY_SRC, *_LAZY_SRCSET})
_CANDIDATE_SIZE = re.compile(r"^(\d+(?:\.\d+)?)([wx])$")
#: lxml's own ``set``: ``HtmlElement.set`` is a Python wrapper that only calls it.
_set = etree._Element.set


@dataclass(slots=True)
class FoundUrls:
    """The original URLs of one body, in order of first appearance."""

    media: dict[str, None] = field(default_factory=dict)
    links: dict[str, None] = field(default_factory=dict)


def url_kind(url: str) -> UrlKind:
    """``"media"`` for uploads and files with a media/document extension, else ``"link"``."""
    if "/wp-content/uploads/" in url:
        return "media"
    path = urlsplit(url).path if "://" in url or url.startswith("/") else url.split("?")[0]
    dot = path.rfind(".")
    if dot > path.rfind("/") and path[dot + 1 :].lower() in _MEDIA_EXT:
        return "media"
    return "link"


def largest_candidate(srcset: str) -> str:
    """The URL of the largest candidate of a ``srcset`` (by ``w``, else ``x``; "" if none)."""
    best, best_size = "", -1.0
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts:
            continue
        size = 1.0
        if len(parts) > 1:
            match = _CANDIDATE_SIZE.match(parts[-1])
            if match:
                size = float(match.group(1)) * (1.0 if match.group(2) == "w" else 1000.0)
        if size > best_size:
            best, best_size = parts[0], size
    return best


def rewrite_links(root: HtmlElement, ctx: TransformContext) -> FoundUrls:
    """Rewrite all URLs under ``root`` in place; return the originals found."""
    found = FoundUrls()
    for el in root.iter("a", "img", "source", "video", "audio"):
        tag = el.tag
        if tag == "a":
            _rewrite_href(el, ctx, found)
        elif tag == "img":
            _rewrite_img(el, ctx, found)
        else:
            _rewrite_attr(el, "src", ctx, found)
            if tag == "video":
                _rewrite_attr(el, "poster", ctx, found)
    return found


def _rewrite_href(el: HtmlElement, ctx: TransformContext, found: FoundUrls) -> None:
    value = el.get("href")
    if value is None:
        return
    href = value.strip()
    if not href or href.startswith("#") or href.lower().startswith(_NOT_RECORDED):
        if href != value:
            _set(el, "href", href)
        return
    kind = url_kind(href)
    (found.media if kind == "media" else found.links)[href] = None
    _set(el, "href", ctx.rewrite_url(href, kind))


def _rewrite_img(el: HtmlElement, ctx: TransformContext, found: FoundUrls) -> None:
    src = (el.get("src") or "").strip()
    dropped = _IMG_DROPPED.intersection(el.keys())  # (mostly none)
    if dropped:  # (where any lazy-load source or srcset is)
        if not src or src.startswith("data:"):
            src = next((el.get(a, "").strip() for a in _LAZY_SRC if el.get(a, "").strip()), src)
        srcset = el.get("srcset") or next((el.get(a, "") for a in _LAZY_SRCSET if el.get(a)), "")
        largest = largest_candidate(srcset) if srcset else ""
        if largest:
            src = largest
        attrib = el.attrib
        for name in dropped:
            del attrib[name]
    if not src:
        return
    found.media[src] = None
    _set(el, "src", ctx.rewrite_url(src, "media"))


def _rewrite_attr(el: HtmlElement, name: str, ctx: TransformContext, found: FoundUrls) -> None:
    url = (el.get(name) or "").strip()
    if not url:
        return
    found.media[url] = None
    _set(el, name, ctx.rewrite_url(url, "media"))


def link_destination(url: str) -> str:
    """``url`` as a Markdown link destination: no spaces or angle brackets, parens balanced."""
    url = url.strip().replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    if not url:
        return "<>"
    if "(" not in url and ")" not in url:
        return url
    depth = 0
    for char in url:
        depth += 1 if char == "(" else -1 if char == ")" else 0
        if depth < 0:
            break
    if depth != 0:
        url = url.replace("(", "%28").replace(")", "%29")
    return url
