"""The contract every source (WXR, mirror, REST) fulfils.

A source is read twice by the pipeline: pass 1 builds the URL/ID index, pass 2
transforms and writes. ``iter_items`` therefore streams the input again on every call
and must never hold the whole site in memory for a large input.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from wpmigrate.model import ItemReport, Post, SiteData, fast_pickle


@fast_pickle
@dataclass(frozen=True, slots=True)
class UnreadableItem:
    """An item the source found but could not read; the pipeline reports it as failed."""

    id: int | str
    title: str
    reason: str
    source: str = ""
    type: str = ""
    status: str = ""


class MediaLocator(Protocol):
    """Finds the bytes of a media URL locally (mirror files, ``--uploads DIR``)."""

    def locate(self, url: str) -> Path | None:
        """The local file holding ``url``'s original (largest) version, or None."""
        ...

    def originals(self) -> list[str]:
        """Upload-relative paths of the original files present (``2023/07/AI.jpg``)."""
        ...


class Source(Protocol):
    """What the pipeline needs from an input."""

    path: Path
    kind: str  # "wxr", "mirror", "rest"

    def read_site(self) -> SiteData:
        """Site, authors and terms: everything but the items."""
        ...

    def iter_items(self) -> Iterator[Post | UnreadableItem]:
        """Every item, in source order, streamed afresh on each call."""
        ...

    def media_locator(self) -> MediaLocator | None:
        """Local media files this source carries (a mirror's uploads), if any."""
        ...

    def extra_report(self) -> list[ItemReport]:
        """Report lines for inputs that are not items (a mirror's archives, assets …)."""
        ...

    def lost_data(self) -> list[str]:
        """What the reader had to drop or repair to read the input at all (after a pass)."""
        ...
