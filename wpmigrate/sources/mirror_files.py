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
from urllib.parse import quote, unquote

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
    if name in NOT_CONTENT_NAMES or name.startswith("sitemap"):
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
