"""Readers, one per kind of input, and ``open_source`` which picks one."""

from __future__ import annotations

from pathlib import Path

from wpmigrate.errors import SourceError
from wpmigrate.sources.base import MediaLocator, Source, UnreadableItem


def open_source(path: Path, kind: str = "auto", workers: int = 0) -> Source:
    """The reader for ``path``: a WXR file, or a mirrored site's directory.

    ``kind`` forces a reader ("wxr", "mirror"); "auto" detects it. ``workers``: the
    processes a reader may use at once (0: one per CPU core).
    """
    from wpmigrate.sources.wxr import WxrSource

    if not path.exists():
        raise SourceError(str(path), "does not exist", "check the path")
    if kind == "wxr":
        return WxrSource(path, workers)
    if kind == "mirror" or (kind == "auto" and path.is_dir()):
        return _mirror(path, forced=kind == "mirror")
    return WxrSource(path, workers)


def _mirror(path: Path, forced: bool) -> Source:
    from wpmigrate.sources.mirror import MirrorSource, looks_like_mirror

    if not path.is_dir():
        raise SourceError(str(path), "is not a directory", "a mirror is a folder of HTML files")
    if not forced and not looks_like_mirror(path):
        raise SourceError(
            str(path),
            "is a directory without WordPress pages (no wp-content, generator tag or wp-json)",
            "pass a WXR export file, or --source mirror to read it anyway",
        )
    return MirrorSource(path)


__all__ = ["MediaLocator", "Source", "UnreadableItem", "open_source"]
