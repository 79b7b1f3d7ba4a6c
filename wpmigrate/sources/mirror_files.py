"""Files of a mirrored WordPress site: what each one is, and which old URL it was saved from.

A mirror (wget, HTTrack, Simply Static) stores every URL of the old site as a file.
This module knows the naming conventions of those tools so the rest of the mirror
source can ask two questions of any file without parsing it:

* ``classify_path`` — is it obviously not a page (asset, feed, wp-json, oEmbed, robots.txt)?
* ``path_to_url_path`` — which old-site path (``/2023/07/05/slug/``, ``/?p=308``) it was.

Page-level decisions (post, page, archive, attachment page, search) need the HTML and are
made by ``classify_body_classes`` from the ``<body class>`` WordPress prints.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from wpmigrate.sources.mirror_meta import url_segments

if TYPE_CHECKING:
    from wpmigrate.model import Outcome
    from wpmigrate.sources.mirror_content import UrlMapper
    from wpmigrate.sources.mirror_meta import PageRecord

#: Extensions of files that are never WordPress content.
ASSET_EXTENSIONS = frozenset(
    {
        "css", "js", "mjs", "map", "json", "woff", "woff2", "ttf", "otf", "eot", "svg", "png",
        "jpg", "jpeg", "gif", "webp", "avif", "ico", "bmp", "tif", "tiff", "mp3", "mp4", "m4a",
        "m4v", "ogg", "oga", "ogv", "wav", "webm", "mov", "pdf", "zip", "gz", "pptx", "ppt",
        "docx", "doc", "xlsx", "xls", "odt", "txt", "csv", "swf", "psd",
    }
)
#: Top-level folders WordPress uses for code and uploads (including renamed wp-content).
ASSET_FOLDERS = ("wp-content/", "wp-includes/", "wp/wp-includes/", "wp-admin/", "wp/wp-admin/")
ASSET_SEGMENTS = frozenset({"uploads", "themes", "plugins", "wp-includes", "mu-plugins"})
NOT_CONTENT_NAMES = frozenset(
    {"robots.txt", "cname", "ads.txt", "humans.txt", "favicon.ico", "wp-login.php",
     "xmlrpc.php", "sitemap.xml", "sitemap.xsl", "sitemap_index.xml", "readme.html",
     "license.txt", ".htaccess", "crossdomain.xml", "manifest.json", "browserconfig.xml"}
)
HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".php")
#: wget --adjust-extension appends these to names that carried a query string.
_ADDED_EXTENSIONS = (".html", ".htm", ".css")
_WGET_DUPLICATE = re.compile(r"\.\d+$")  # wget's "index.html.1" when a name was taken

#: Body classes (body_class()) that mark each kind of WordPress page.
_ARCHIVE_CLASSES = frozenset(
    {"archive", "blog", "category", "tag", "tax", "author", "date", "paged", "post-type-archive"}
)


@dataclass(frozen=True, slots=True)
class PageKind:
    """What ``<body class>`` says a page is: an item (with ID and type) or a reason to skip."""

    item_id: int | None = None
    item_type: str = ""
    skip_reason: str = ""  # "archive", "search", "attachment page", "not WordPress content"


def list_files(root: Path) -> list[str]:
    """Every regular file below ``root`` as a POSIX path relative to it, in sorted order."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        rel_folder = os.path.relpath(folder, root)
        for name in sorted(files):
            rel = name if rel_folder == "." else f"{rel_folder}/{name}"
            found.append(rel.replace(os.sep, "/"))
    return sorted(found)


def is_html_name(rel: str) -> bool:
    """Whether a mirror file is, by its name, an HTML page (``index.html@p=6.html`` too)."""
    name = _strip_wget_suffixes(rel.rsplit("/", 1)[-1]).lower()
    base = name.split("@", 1)[0].split("?", 1)[0]
    return base.endswith(HTML_EXTENSIONS) or "." not in base


def classify_path(rel: str) -> str:
    """The skip reason a file has by its path alone, or "" when it may be a page.

    Feeds saved as ``feed/index.html`` are recognized here by their folder; feeds that do
    not follow the convention are caught later by sniffing their first bytes.
    """
    lower = rel.lower()
    segments = lower.split("/")
    name = segments[-1]
    if segments[0] == "wp-json" or "/wp-json/" in f"/{lower}":
        return "oembed" if "/oembed/" in f"/{lower}" else "wp-json"
    if name in NOT_CONTENT_NAMES or name.startswith(("sitemap", "hts-")) or (
            segments[0] == "hts-cache"):  # HTTrack's own bookkeeping
        return "not WordPress content"
    if lower.startswith(ASSET_FOLDERS) or any(s in ASSET_SEGMENTS for s in segments[:-1]):
        return "asset"
    if "feed" in segments[:-1] or name.endswith((".xml", ".rss", ".atom", ".rdf")):
        return "feed"
    base = _strip_wget_suffixes(name).split("@", 1)[0]
    ext = base.rsplit(".", 1)[-1] if "." in base else ""
    if ext in ASSET_EXTENSIONS:
        return "asset"
    if not is_html_name(rel):
        return "not WordPress content"
    return ""


def classify_body_classes(classes: list[str], article_type: str = "") -> PageKind:
    """Read WordPress's ``body_class()`` output: singular item, archive, search or other."""
    tokens = set(classes)
    if "error404" in tokens:
        return PageKind(skip_reason="not WordPress content")
    if tokens & {"search", "search-results", "search-no-results"}:
        return PageKind(skip_reason="search")
    if "attachment" in tokens or "single-attachment" in tokens:
        return PageKind(skip_reason="attachment page")
    for token in classes:
        if match := re.fullmatch(r"page-id-(\d+)", token):
            return PageKind(int(match.group(1)), "page")
    for token in classes:
        if match := re.fullmatch(r"postid-(\d+)", token):
            return PageKind(int(match.group(1)), article_type or _single_type(tokens))
    if tokens & _ARCHIVE_CLASSES or "home" in tokens:
        return PageKind(skip_reason="archive")
    return PageKind()


def _single_type(tokens: set[str]) -> str:
    """The post type of a singular page from ``single-<type>`` (custom post types)."""
    for token in sorted(tokens):
        if token.startswith("single-") and not token.startswith("single-format"):
            return token.removeprefix("single-")
    return "post"


def _strip_wget_suffixes(name: str) -> str:
    """Undo wget's ``.1`` duplicate numbering and its appended extensions after a query."""
    name = _WGET_DUPLICATE.sub("", name)
    if "@" in name:
        base, query = name.split("@", 1)
        for ext in _ADDED_EXTENSIONS:
            if query.lower().endswith(ext):
                query = query[: -len(ext)]
                break
        name = f"{base}@{query}"
    return name


def path_to_url_path(rel: str) -> str:
    """The old site's path (with query) a mirror file was saved from.

    ``2023/07/05/slug/index.html`` → ``/2023/07/05/slug/``; ``index.html@p=308.html`` →
    ``/?p=308``; ``wp/x.css@ver=6.0.1.css`` → ``/wp/x.css?ver=6.0.1``. Raw UTF-8 folder
    names are percent-encoded (lower-case, as WordPress writes them) so both copies of a
    Simply Static folder give the same URL.
    """
    parts = rel.split("/")
    name = _strip_wget_suffixes(parts[-1])
    query = ""
    if "@" in name:
        name, query = name.split("@", 1)
    if name.lower() in ("index.html", "index.htm", "index.xml", "index.php"):
        name = ""
    folders = [encode_segment(unquote(part)) for part in parts[:-1]]
    path = "/" + "/".join([*folders, encode_segment(unquote(name))])
    if path != "/" and not name:
        path = path.rstrip("/") + "/"
    path = path.replace("//", "/")
    return f"{path}?{unquote(query)}" if query else path


def encode_segment(segment: str) -> str:
    """Percent-encode one path segment the way WordPress does (lower-case hex)."""
    encoded = quote(segment, safe="-._~!$&'()*+,;=:@")
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), encoded)


def url_path_variants(path: str) -> list[str]:
    """The forms one old path is known by: percent-encoded and raw UTF-8, in that order."""
    raw = unquote(path)
    return [path] if raw == path else [path, raw]


def sniff_feed(head: bytes) -> bool:
    """Whether the first bytes of a file are an RSS/Atom feed rather than an HTML page."""
    text = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<html" in text:
        return False
    return text.startswith(b"<?xml") or b"<rss" in text or b"<feed" in text


# -- the copies of one item and the URLs they stand for ----------------------------------

def copies_by_id(records: list[PageRecord]) -> dict[int, list[PageRecord]]:
    """Every saved copy of each item, by WordPress ID, in file order."""
    copies: dict[int, list[PageRecord]] = {}
    for record in records:
        copies.setdefault(record.item_id, []).append(record)
    return copies


def _copy_rank(record: PageRecord) -> tuple[int, int, int, str]:
    """Prefer the copy saved under the pretty permalink, then names without wget's ``@``,
    then raw UTF-8 folder names (what the site linked), then file order."""
    permalink = urlsplit(record.meta.og_url).path if record.meta.og_url else ""
    url_path = path_to_url_path(record.rel)
    matches = int(bool(permalink) and url_path in {permalink, _encode_path(permalink)})
    return (-matches, int("@" in record.rel), int("%" in record.rel), record.rel)


def _encode_path(path: str) -> str:
    """A raw UTF-8 path in WordPress's lower-case percent-encoding."""
    return path_to_url_path(path.lstrip("/") + ("index.html" if path.endswith("/") else ""))


def choose_primaries(records: list[PageRecord]) -> list[tuple[str, Outcome, str]]:
    """Mark one copy per item as the item (``primary``); the others become report lines
    ``(file, "skipped", "duplicate of <id>")``."""
    extras: list[tuple[str, Outcome, str]] = []
    for item_id, copies in copies_by_id(records).items():
        best = min(copies, key=_copy_rank)
        best.primary = True
        extras += [(c.rel, "skipped", f"duplicate of {item_id}") for c in copies if c is not best]
    return extras


def is_pretty(url: str) -> bool:
    """Whether a URL is a pretty permalink rather than ``/?p=ID``/``?page_id=ID``."""
    return bool(url) and "?p=" not in url and "page_id=" not in url


def encode_url(url: str) -> str:
    """A URL with its path in WordPress's lower-case percent-encoding."""
    parts = urlsplit(url)
    path = "/".join(encode_segment(unquote(s)) for s in parts.path.split("/"))
    return parts._replace(path=path).geturl()


def permalink(record: PageRecord, rec: dict, mapper: UrlMapper) -> str:
    """The canonical pretty permalink (absolute, percent-encoded like WordPress)."""
    meta = record.meta
    candidates = [
        str(rec.get("link") or ""),
        meta.og_url,
        mapper.to_old_url(meta.canonical, record.rel) if meta.canonical else "",
        mapper.to_old_url(record.rel.rsplit("/", 1)[-1], record.rel),
    ]
    internal = [c for c in candidates if c and (mapper.is_internal(c) or not mapper.base_url)]
    chosen = next((c for c in internal if is_pretty(c)), internal[0] if internal else "")
    return encode_url(chosen) if chosen else ""


def slug_of(link: str) -> str:
    """The decoded last path segment of a permalink."""
    segments = url_segments(link)
    return segments[-1] if segments and is_pretty(link) else ""


def old_urls(
    record: PageRecord, copies: list[PageRecord], link: str, mapper: UrlMapper
) -> tuple[str, ...]:
    """Every other URL the item is known by: ``/?p=ID`` (``/?page_id=ID`` for pages), each
    saved copy, the shortlink and canonical, and raw UTF-8 forms of percent-encoded ones."""
    urls = [f"{mapper.base_url}/?p={record.item_id}"]
    if record.item_type == "page":
        urls.append(f"{mapper.base_url}/?page_id={record.item_id}")
    for copy in copies:
        urls.append(mapper.base_url + path_to_url_path(copy.rel))
        for ref in (copy.meta.shortlink, copy.meta.canonical, copy.meta.og_url):
            if ref:
                urls.append(mapper.to_old_url(ref, copy.rel))
    expanded = [v for url in urls for v in url_path_variants(url)]
    expanded += url_path_variants(link)[1:]
    seen = {link}
    # (seen.add returns None: the usual order-keeping dedup, which mypy frowns upon)
    return tuple(u for u in expanded if u and not (u in seen or seen.add(u)))  # type: ignore[func-returns-value]
