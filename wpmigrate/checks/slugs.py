"""Heading anchors the way GitHub and Hugo (goldmark, ``autoHeadingIDType = "github"``)
make them, so ``#fragment`` links can be checked without running the engine."""

from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def github_slug(text: str) -> str:
    """Lower-case, drop punctuation except ``-`` and ``_``, turn spaces into ``-``."""
    text = text.strip().lower()
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return _DROP.sub("", text).replace(" ", "-")


def hugo_ascii_slug(text: str) -> str:
    """Hugo's ``github-ascii`` variant: the GitHub slug with accents and non-ASCII removed."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return github_slug(ascii_text)


class SlugCounter:
    """Give each heading of one page its anchors, numbering repeats ``-1``, ``-2`` …

    One instance per page (so no state outlives a page). Both slug styles are
    recorded: a link written for either engine resolves.
    """

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def add(self, text: str) -> list[str]:
        """Return the anchors of the next heading with this text."""
        result = []
        slugs = {github_slug(text)} if text.isascii() else {github_slug(text),
                                                               hugo_ascii_slug(text)}
        for slug in slugs:
            count = self._seen.get(slug, 0)
            self._seen[slug] = count + 1
            result.append(slug if count == 0 else f"{slug}-{count}")
        return result
