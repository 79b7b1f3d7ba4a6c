"""A small JSON cache of external URLs that answered well, with a time-to-live.

Only successes are stored: a failure is always re-checked, so a fixed link is noticed
at once, while CI reruns within the TTL do not request the same good URLs again.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CACHE_VERSION = 1


@dataclass(slots=True)
class LinkCache:
    """URL → (status, checked-at epoch seconds); read once, written once per run."""

    path: Path
    ttl: float
    clock: Callable[[], float] = time.time
    entries: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, ttl: float, clock: Callable[[], float] = time.time) -> LinkCache:
        """Read the cache file; a missing or corrupt file is an empty cache."""
        cache = cls(path=path, ttl=ttl, clock=clock)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cache
        if isinstance(data, dict) and data.get("version") == CACHE_VERSION:
            entries = data.get("entries", {})
            if isinstance(entries, dict):
                cache.entries = {
                    url: entry for url, entry in entries.items()
                    if isinstance(entry, dict) and isinstance(entry.get("checked"), int | float)
                }
        return cache

    def fresh(self, url: str) -> bool:
        """True when ``url`` succeeded less than ``ttl`` seconds ago."""
        entry = self.entries.get(url)
        if not entry:
            return False
        return self.ttl > 0 and self.clock() - entry["checked"] < self.ttl

    def status(self, url: str) -> int:
        """The status recorded for a cached URL."""
        return int(self.entries.get(url, {}).get("status", 200))

    def put(self, url: str, status: int) -> None:
        """Record a success now."""
        self.entries[url] = {"status": status, "checked": self.clock()}

    def save(self) -> None:
        """Write the cache atomically, dropping expired entries."""
        now = self.clock()
        live = {u: e for u, e in self.entries.items() if now - e["checked"] < self.ttl}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".links.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"version": CACHE_VERSION, "entries": live}, out, indent=1,
                          sort_keys=True)
            os.replace(tmp, self.path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
            raise
