"""URL helpers shared by the index, media handling and link rewriting.

An old URL can arrive absolute (``https://www.example.org/2023/07/05/slug/``),
root-relative (``/2023/07/05/slug``), with WordPress query forms (``/?p=308``,
``/index.php?page_id=6``) or percent-encoded. ``url_key`` folds all of these to one
lookup key so the index finds a post however its link was written.

Pass 1 calls these helpers a dozen times per item (100k+ calls for a large export),
so each has a fast path for the common shapes (``http(s)://host/path``, ``/path``,
``?p=N``) that gives exactly what ``urllib.parse`` would, and falls back to
``urllib.parse`` for anything unusual (brackets, whitespace, non-ASCII hosts, dot
segments …). The functions are pure, so a small LRU cache absorbs the repeats (the
index resolves the same old URL for its key, its path and its alias).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urljoin, urlsplit, urlunsplit

#: Query parameters that identify content on a WordPress site (plain permalinks).
ID_PARAMS = ("p", "page_id", "attachment_id", "cat", "tag", "author", "m", "name", "pagename")

_CACHE_SIZE = 4096
#: A host part urllib takes as it is: ASCII, no brackets (IPv6), no ``%`` (zone IDs),
#: no whitespace or controls (urllib removes tabs and newlines anywhere in a URL).
_NETLOC = r"[^/?#\[\]%\s\x00-\x1f\x7f-\U0010ffff]+"
#: Path text urllib keeps as it is: no query or fragment, no ``;params`` (which
#: ``urljoin`` may rewrite), no whitespace or controls.
_PATH_CHAR = r"[^?#;\s\x00-\x1f\x7f]"
#: A non-empty query without a fragment (``urljoin`` drops an empty ``?``).
_QUERY = r"(?:\?([^#\s\x00-\x1f\x7f]+))?"
#: ``http(s)://host/path?query`` that ``urlsplit`` splits and ``urljoin`` keeps as is.
_SIMPLE_ABSOLUTE = re.compile(rf"(https?)://({_NETLOC})((?:/{_PATH_CHAR}*)?){_QUERY}\Z")
#: ``/path?query`` that ``urljoin`` resolves by prefixing the base's origin: no ``//``
#: and no dot segments (nothing starting ``/.``) to normalize.
_SIMPLE_ROOTED = re.compile(rf"/(?![/.])(?:(?!//|/\.){_PATH_CHAR})*{_QUERY}\Z")
_ID_QUERY = re.compile(r"(p|page_id|attachment_id)=(\d+)\Z")


@lru_cache(maxsize=_CACHE_SIZE)
def host_of(url: str) -> str:
    """The host of a URL, lower-cased, without ``www.`` and port."""
    if url[:1] == "/" and url[1:2] not in ("/", "\t", "\r", "\n"):
        return ""  # root-relative (urlsplit drops tabs/newlines: "/\t/x" has host x)
    simple = _SIMPLE_ABSOLUTE.match(url)
    if simple:
        host = simple.group(2).rpartition("@")[2].partition(":")[0].lower()
    else:
        host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


@lru_cache(maxsize=_CACHE_SIZE)
def absolutize(url: str, base_url: str) -> str:
    """``url`` resolved against the site's home URL (relative links in an export)."""
    if not base_url:
        return url
    if _SIMPLE_ABSOLUTE.match(url):
        return url  # urljoin gives back an absolute http(s) URL as it is
    origin = _origin(base_url)
    if origin and _SIMPLE_ROOTED.match(url):
        return origin + url
    return urljoin(base_url.rstrip("/") + "/", url)


@lru_cache(maxsize=64)
def _origin(base_url: str) -> str:
    """``scheme://host`` of an http(s) base URL as urljoin rebuilds it; "" otherwise."""
    parts = urlsplit(base_url.rstrip("/") + "/")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def _split(url: str) -> tuple[str, str]:
    """(path, query) of ``url`` as ``urlsplit`` gives them, fragment dropped."""
    simple = _SIMPLE_ABSOLUTE.match(url)
    if simple:
        return simple.group(3), simple.group(4) or ""
    if _SIMPLE_ROOTED.match(url):
        path, _, query = url.partition("?")
        return path, query
    parts = urlsplit(url)
    return parts.path, parts.query


def _id_query(query: str) -> str:
    """``?name=value`` for the first WordPress ID parameter in ``query``, else ""."""
    if not query:
        return ""
    simple = _ID_QUERY.match(query)
    if simple:
        return f"?{simple.group(1)}={simple.group(2)}"
    pairs = dict(parse_qsl(query, keep_blank_values=False))
    for name in ID_PARAMS:
        if name in pairs:
            return f"?{name}={pairs[name]}"
    return ""


@lru_cache(maxsize=_CACHE_SIZE)
def url_key(url: str) -> str:
    """A lookup key for an old URL: unquoted path with a trailing slash, plus the one
    WordPress ID query parameter if present; no scheme, host, fragment or other query.
    """
    raw_path, query = _split(url)
    return _key(unquote(raw_path or "/"), _id_query(query))


@lru_cache(maxsize=_CACHE_SIZE)
def path_of(url: str) -> str:
    """The root-relative form of an old URL for aliases and redirect rules:
    ``https://example.org/2023/07/05/slug/`` → ``/2023/07/05/slug/``; ``?p=1`` kept.
    """
    raw_path, query = _split(url)
    return _quoted(raw_path or "/") + _id_query(query)


def key_and_path(url: str, base_url: str) -> tuple[str, str, str]:
    """``(host_of(url), url_key(a), path_of(a))`` where ``a = absolutize(url,
    base_url)``: what the index keeps of every old URL (five per post), worked out
    from one split of the URL for the common shapes."""
    simple = _SIMPLE_ABSOLUTE.match(url)
    if simple:
        host = simple.group(2).rpartition("@")[2].partition(":")[0].lower()
        raw_path, query = simple.group(3) or "/", simple.group(4) or ""
        return host.removeprefix("www."), *_key_and_path(raw_path, query)
    if url[:1] == "/" and _simple_origin(base_url) and _SIMPLE_ROOTED.match(url):
        raw_path, _, query = url.partition("?")
        return "", *_key_and_path(raw_path, query)
    absolute = absolutize(url, base_url)
    return host_of(url), url_key(absolute), path_of(absolute)


def _key_and_path(raw_path: str, query: str) -> tuple[str, str]:
    id_query = _id_query(query)
    return _key(unquote(raw_path), id_query), _quoted(raw_path) + id_query


def _key(path: str, id_query: str) -> str:
    """``url_key`` from the unquoted path and the ID query."""
    if path.endswith(("/index.php", "/index.html", "/index.htm")):
        path = path.rsplit("/", 1)[0] + "/"
    if not path.startswith("/"):
        path = "/" + path
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return path + id_query


#: A path that ``quote(unquote(path), safe=_PATH_SAFE)`` gives back as it is.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_.\-~/!$&'()*+,;=:@]*\Z")
_PATH_SAFE = "/%-._~!$&'()*+,;=:@"


def _quoted(raw_path: str) -> str:
    """The path as redirect rules write it: decoded, then percent-encoded again."""
    if _PLAIN_PATH.match(raw_path):
        return raw_path
    return quote(unquote(raw_path), safe=_PATH_SAFE)


@lru_cache(maxsize=64)
def _simple_origin(base_url: str) -> bool:
    """Whether a root-relative URL resolves against ``base_url`` by prefixing an
    origin that ``_SIMPLE_ABSOLUTE`` splits again (as ``absolutize`` does)."""
    origin = _origin(base_url) if base_url else ""
    return bool(origin) and _SIMPLE_ABSOLUTE.match(origin) is not None


def split_fragment(url: str) -> tuple[str, str]:
    """(url without fragment, ``#fragment`` or "")."""
    if "#" in url:
        base, fragment = url.split("#", 1)
        return base, "#" + fragment
    return url, ""


_SLUG_JUNK = re.compile(r"[^\w\-]+", re.UNICODE)


def slugify(text: str, limit: int | None = 80) -> str:
    """A URL slug from a title or name, keeping non-Latin letters (WordPress does too):
    NFKC, lower case, runs of anything but letters, digits, ``_`` and ``-`` → ``-``."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return _SLUG_JUNK.sub("-", text).strip("-")[:limit]


def rebase(url: str, origin: str) -> str:
    """``url`` with its scheme and host replaced by ``origin``'s (``--media-from``),
    keeping ``origin``'s path as a prefix: for when the old domain is gone or now
    points at the new site but a copy of the uploads is served elsewhere."""
    if not origin:
        return url
    base = urlsplit(origin)
    parts = urlsplit(url)
    path = base.path.rstrip("/") + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))
