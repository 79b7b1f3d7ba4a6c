"""URL-path helpers shared by the site model and the resolver.

Every served path is stored under one *key*: percent-decoded, ``.``/``..`` resolved,
duplicate slashes collapsed, no trailing slash, no ``index.html``. Looking a link up is
then one dict access, which is what keeps a 50k-page check in seconds.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

INDEX_NAMES = ("index.html", "index.htm")


def url_key(path: str) -> str:
    """Return the lookup key of a URL path (``/a/b/``, ``/a/b``, ``/a/b/index.html`` → ``/a/b``)."""
    if "%" in path:
        path = unquote(path)
    if not path.startswith("/"):
        path = "/" + path
    if "//" in path or "/." in path:
        path = posixpath.normpath(path)
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
    if path.endswith((".html", ".htm")):
        for name in INDEX_NAMES:
            if path.endswith("/" + name):
                path = path[: -len(name)]
                break
    return path.rstrip("/")


def join_url(base: str, relative: str) -> str:
    """Resolve ``relative`` against the directory-style page URL ``base`` (a path)."""
    if relative.startswith("/"):
        return relative
    directory = base if base.endswith("/") else base.rsplit("/", 1)[0] + "/"
    joined = posixpath.normpath(directory + relative)
    if relative.endswith("/") and not joined.endswith("/"):
        joined += "/"
    return joined


def split_url(url: str) -> tuple[str, str, str]:
    """Split ``url`` into path, query and fragment (without ``?`` and ``#``)."""
    fragment = query = ""
    if "#" in url:
        url, fragment = url.split("#", 1)
    if "?" in url:
        url, query = url.split("?", 1)
    return url, query, fragment
