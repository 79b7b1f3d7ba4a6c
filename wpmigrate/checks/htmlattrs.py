"""Split URL-bearing HTML attribute values (``srcset`` holds several URLs)."""

from __future__ import annotations

import re

_DESCRIPTOR = re.compile(r"\d+(?:\.\d+)?[wx]")
_CANDIDATE = re.compile(r"[^\s,][^\s]*")


def attr_urls(attr: str, value: str) -> list[tuple[str, int]]:
    """``(url, offset in value)`` pairs: one for ``href``/``src``, several for ``srcset``."""
    if attr != "srcset":
        stripped = value.strip()
        return [(stripped, value.find(stripped[0]))] if stripped else []
    result = []
    for match in _CANDIDATE.finditer(value):
        url = match.group(0).rstrip(",")
        if not _DESCRIPTOR.fullmatch(url):
            result.append((url, match.start()))
    return result
