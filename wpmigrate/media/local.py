"""Media found on this machine: a copy of ``wp-content/uploads`` (``--uploads DIR``,
or an ``uploads/`` folder beside the export)."""

from __future__ import annotations

from pathlib import Path

from wpmigrate.media.naming import strip_variant, uploads_relpath


class UploadsLocator:
    """Finds an upload URL's original file in a local uploads folder."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def locate(self, url: str) -> Path | None:
        """The local original for ``url`` (a resized variant falls back to it)."""
        rel = uploads_relpath(url)
        if rel is None:
            return None
        for candidate in (strip_variant(rel), rel):
            path = (self.root / candidate).resolve()
            if self.root in path.parents and path.is_file():
                return path
        return None

    def originals(self) -> list[str]:
        """Upload-relative paths of the files present, for variant → original mapping."""
        files = (path for path in self.root.rglob("*") if path.is_file())
        return sorted(path.relative_to(self.root).as_posix() for path in files)


def find_uploads_beside(source: Path) -> Path | None:
    """An ``uploads`` or ``wp-content/uploads`` folder next to an export file."""
    if source.is_dir():
        return None
    for candidate in (source.parent / "uploads", source.parent / "wp-content" / "uploads"):
        if candidate.is_dir():
            return candidate
    return None
