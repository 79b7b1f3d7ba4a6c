"""Recognise links that still point at the old WordPress site.

General link checkers see ``/?p=308`` or ``index.html@p=308.html`` as ordinary links (and
a mirror may even serve them); after a migration they are leftovers to rewrite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a WordPress post-ID URL", re.compile(r"[?&](?:p|page_id|attachment_id|cat|tag)=\d+")),
    ("a wget mirror file name", re.compile(r"[@?]p=\d+\.html?\b|index\.html@")),
    ("a WordPress uploads URL", re.compile(r"/wp-content/uploads/")),
    ("a WordPress theme/plugin asset", re.compile(r"/wp-content/(?:themes|plugins)/")),
    ("a WordPress login/admin URL", re.compile(r"/wp-login\.php|/wp-admin(?:/|$)")),
    ("a WordPress API URL", re.compile(r"/wp-json/|/xmlrpc\.php")),
    ("a WordPress core file URL", re.compile(r"/wp-includes/")),
)


@dataclass(frozen=True, slots=True)
class Leftover:
    """Why a link counts as a leftover, and the path part to try on the new site."""

    reason: str
    local_path: str  # the path (and query) of the URL, to look up on the new site


def host_of(url: str) -> str:
    """Lower-cased host of an absolute or protocol-relative URL, '' otherwise."""
    if url.startswith("//"):
        rest = url[2:]
    elif "://" in url[:12]:
        rest = url.split("://", 1)[1]
    else:
        return ""
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return host.rsplit("@", 1)[-1].split(":", 1)[0].lower()


def _same_site(host: str, old_hosts: tuple[str, ...]) -> bool:
    """The old host itself, ``www.``, a subdomain, or its WordPress.com media host
    (``name.wordpress.com`` keeps uploads on ``name.files.wordpress.com``)."""
    bare = host.removeprefix("www.")
    for old in old_hosts:
        old = old.removeprefix("www.")
        if bare == old or bare.endswith("." + old):
            return True
        if old.endswith(".wordpress.com") and bare == old[: -len(".wordpress.com")] + (
            ".files.wordpress.com"
        ):
            return True
    return False


_ANY_RULE = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _RULES))


def classify(url: str, old_hosts: tuple[str, ...], host: str | None = None) -> Leftover | None:
    """Return why ``url`` is a migration leftover, or None when it is not one.

    ``host`` may be passed when the caller already computed ``host_of(url)``.
    """
    if host is None:
        host = host_of(url)
    if not host and not _ANY_RULE.search(url):
        return None  # the common case: one regex search instead of six
    local = url
    if host:
        local = "/" + url.split("//", 1)[1].partition("/")[2]
        if old_hosts and _same_site(host, old_hosts):
            return Leftover(f"a link to the old site ({host})", local)
    for reason, pattern in _RULES:
        if pattern.search(url):
            if host and (old_hosts or reason != "a WordPress uploads URL"):
                # Another site's WordPress URL is an ordinary external link; only when the
                # old host is unknown is an absolute uploads URL taken for the old site's.
                return None
            return Leftover(reason, local)
    return None
