"""URL helpers shared by the index, media handling and link rewriting.

An old URL can arrive absolute (``https://www.example.org/2023/07/05/slug/``),
root-relative (``/2023/07/05/slug``), with WordPress query forms (``/?p=308``,
``/index.php?page_id=6``) or percent-encoded. ``url_key`` folds all of these to one
lookup key so the index finds a post however its link was written.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urljoin, urlsplit

#: Query parameters that identify content on a WordPress site (plain permalinks).
ID_PARAMS = ("p", "page_id", "attachment_id", "cat", "tag", "author", "m", "name", "pagename")


def host_of(url: str) -> str:
    """The host of a URL, lower-cased, without ``www.`` and port."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def absolutize(url: str, base_url: str) -> str:
    """``url`` resolved against the site's home URL (relative links in an export)."""
    if not base_url:
        return url
    return urljoin(base_url.rstrip("/") + "/", url)


def url_key(url: str) -> str:
    """A lookup key for an old URL: unquoted path with a trailing slash, plus the one
    WordPress ID query parameter if present; no scheme, host, fragment or other query.
    """
    parts = urlsplit(url)
    path = unquote(parts.path or "/")
    if path.endswith(("/index.php", "/index.html", "/index.htm")):
        path = path.rsplit("/", 1)[0] + "/"
    if not path.startswith("/"):
        path = "/" + path
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    query = dict(parse_qsl(parts.query, keep_blank_values=False))
    for name in ID_PARAMS:
        if name in query:
            return f"{path}?{name}={query[name]}"
    return path


def path_of(url: str) -> str:
    """The root-relative form of an old URL for aliases and redirect rules:
    ``https://example.org/2023/07/05/slug/`` → ``/2023/07/05/slug/``; ``?p=1`` kept.
    """
    parts = urlsplit(url)
    path = quote(unquote(parts.path or "/"), safe="/%-._~!$&'()*+,;=:@")
    query = dict(parse_qsl(parts.query))
    for name in ID_PARAMS:
        if name in query:
            return f"{path}?{name}={query[name]}"
    return path


def split_fragment(url: str) -> tuple[str, str]:
    """(url without fragment, ``#fragment`` or "")."""
    if "#" in url:
        base, fragment = url.split("#", 1)
        return base, "#" + fragment
    return url, ""
