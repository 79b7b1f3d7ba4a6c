"""Find the original of an uploaded image among a mirror's files.

Pages link resized variants (``AI-1568x882.jpg``, ``AI-300x169.jpg``), ``-scaled`` copies
of big images and ``-e1648125853193`` edited copies; a mirror holds whichever the pages
linked. ``MirrorMediaLocator.locate`` takes any of those URLs (absolute old-site URLs,
root-relative paths, with ``?ver=`` query strings) and answers the largest file present
of the same image: the unsized original first, then the biggest resized variant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from wpmigrate.sources.mirror_files import path_to_url_path

_SIZE = re.compile(r"-(\d+)x(\d+)$")
_SCALED = re.compile(r"-scaled$")
_EDITED = re.compile(r"-e\d{10,}$")


@dataclass(frozen=True, slots=True)
class _Variant:
    """One stored file of an image and what its name says about it."""

    path: Path
    edit: str  # "-e1648125853193" or ""
    pixels: int  # width*height from a "-WxH" suffix, 0 for an unsized file
    scaled: bool


def split_variant(stem: str) -> tuple[str, str, int, bool]:
    """``name-e123-300x200`` → (``name``, ``-e123``, 60000, False): the image key, its
    edit suffix, the pixel count of the size suffix (0 = none), and whether it is -scaled."""
    pixels = 0
    if match := _SIZE.search(stem):
        pixels = int(match.group(1)) * int(match.group(2))
        stem = stem[: match.start()]
    scaled = bool(_SCALED.search(stem))
    stem = _SCALED.sub("", stem)
    edit = ""
    if match := _EDITED.search(stem):
        edit = match.group(0)
        stem = stem[: match.start()]
    return stem, edit, pixels, scaled


def _image_key(url_path: str) -> tuple[str, str, str] | None:
    """(folder, image key, extension) of an upload path, lower-cased; None without an
    extension."""
    folder, _, name = unquote(url_path).rpartition("/")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        return None
    key, _, _, _ = split_variant(stem)
    return folder.lower(), key.lower(), ext.lower()


@dataclass(slots=True)
class MirrorMediaLocator:
    """Maps old upload URLs to the largest stored file of the same image."""

    root: Path
    hosts: frozenset[str] = frozenset()
    _variants: dict[tuple[str, str, str], list[_Variant]] = field(default_factory=dict)
    _exact: dict[str, Path] = field(default_factory=dict)
    _uploads: set[str] = field(default_factory=set)

    def add(self, rel: str) -> None:
        """Index one mirror file (called for every asset file of the mirror)."""
        url_path = path_to_url_path(rel).split("?", 1)[0]
        path = self.root / rel
        self._exact.setdefault(unquote(url_path).lower(), path)
        if "/uploads/" in url_path:
            self._uploads.add(unquote(url_path).split("/uploads/", 1)[1])
        key = _image_key(url_path)
        if key is None:
            return
        stem = unquote(url_path).rpartition("/")[2].rpartition(".")[0]
        _, edit, pixels, scaled = split_variant(stem)
        self._variants.setdefault(key, []).append(_Variant(path, edit.lower(), pixels, scaled))

    def locate(self, url: str) -> Path | None:
        """The largest stored original of the image ``url`` names, or None if absent."""
        parts = urlsplit(url.strip())
        if parts.hostname and self.hosts and parts.hostname.lower() not in self.hosts:
            return None
        url_path = unquote(parts.path)
        key = _image_key(url_path)
        variants = self._variants.get(key, []) if key else []
        if not variants:
            return self._exact.get(url_path.lower())
        wanted_edit = split_variant(url_path.rpartition("/")[2].rpartition(".")[0])[1].lower()
        return max(variants, key=lambda v: _rank(v, wanted_edit)).path

    def originals(self) -> list[str]:
        """Upload-relative paths (``2023/07/AI.jpg``) of every uploaded file present, so the
        pipeline's media naming can map a variant to an original that really exists."""
        return sorted(self._uploads)

    def __len__(self) -> int:
        """How many files the locator indexed."""
        return len(self._exact)


def _rank(variant: _Variant, wanted_edit: str) -> tuple[int, int, int, int]:
    """Sort key: same edit as asked, unsized original, not -scaled, most pixels, bytes."""
    try:
        size = variant.path.stat().st_size
    except OSError:
        size = 0
    return (
        int(variant.edit == wanted_edit),
        int(variant.pixels == 0) * (1 if variant.scaled else 2),
        variant.pixels,
        size,
    )
