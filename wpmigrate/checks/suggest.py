""""Did you mean …" suggestions for broken links and missing anchors.

The indexes are built lazily, on the first broken link, so a clean run pays nothing;
the number of site-wide fuzzy searches per run is capped because each one scans every
name of the site.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wpmigrate.checks.urls import url_key

if TYPE_CHECKING:
    from wpmigrate.checks.site import SiteModel

GLOBAL_SEARCH_LIMIT = 200


@dataclass(slots=True)
class Suggester:
    """Suggest the closest existing URL or anchor; one instance per run."""

    site: SiteModel
    _children: dict[str, dict[str, str]] | None = None  # parent key -> {name: display}
    _names: dict[str, str] | None = None  # last segment -> display URL
    _searches: int = field(default=0)

    def _build(self) -> None:
        children: dict[str, dict[str, str]] = {}
        names: dict[str, str] = {}
        for key, index in self.site.page_keys.items():
            display = self.site.pages[index].url
            self._index(children, names, key, display)
        for key in self.site.file_keys:
            if "." in key.rsplit("/", 1)[-1]:
                self._index(children, names, key, key)
        self._children, self._names = children, names

    @staticmethod
    def _index(
        children: dict[str, dict[str, str]], names: dict[str, str], key: str, display: str
    ) -> None:
        parent, _, name = key.rpartition("/")
        if name:
            children.setdefault(parent, {}).setdefault(name, display)
            names.setdefault(name, display)

    def suggest(self, served: str, image: bool = False) -> str:
        """Return ``did you mean X?`` for a URL path that does not exist, or ''."""
        if self._children is None:
            self._build()
        assert self._children is not None and self._names is not None
        parent, _, name = url_key(served).rpartition("/")
        if not name:
            return ""
        siblings = self._children.get(parent, {})
        match = difflib.get_close_matches(name, list(siblings), n=1, cutoff=0.7)
        if match:
            return f"did you mean {siblings[match[0]]}?"
        if name in self._names:
            return f"did you mean {self._names[name]}?"
        if self._searches >= GLOBAL_SEARCH_LIMIT:
            return ""
        self._searches += 1
        match = difflib.get_close_matches(name, list(self._names), n=1, cutoff=0.8)
        return f"did you mean {self._names[match[0]]}?" if match else ""

    @staticmethod
    def suggest_anchor(fragment: str, anchors: set[str]) -> str:
        """Return ``did you mean #x?`` for a missing anchor, or ''."""
        match = difflib.get_close_matches(fragment.lower(), sorted(anchors), n=1, cutoff=0.6)
        return f"did you mean #{match[0]}?" if match else ""
