"""Safe file writing: sanitized names, confinement to the output directory, atomic writes.

Every file wpmigrate writes goes through ``SafeWriter``; nothing else opens files for
writing. Names derived from slugs are sanitized (no ``..``, no absolute paths, no
control characters, no Windows-reserved names) and made unique on case-insensitive
file systems before anything is written, so the set of output paths is known after
pass 1 and is the same on every run.
"""

from __future__ import annotations

import filecmp
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from wpmigrate.errors import OutputError

_WINDOWS_RESERVED = {
    "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_DASHES = re.compile(r"-{2,}")
MAX_SEGMENT_BYTES = 200


def sanitize_segment(name: str, fallback: str = "untitled") -> str:
    """One path segment safe on every common file system.

    Keeps Unicode letters (a Japanese slug stays Japanese), replaces separators and
    characters Windows forbids with ``-``, strips leading dots and trailing dots/spaces,
    avoids reserved device names and caps the length in UTF-8 bytes.
    """
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE_CHARS.sub("-", text)
    text = _DASHES.sub("-", text).strip(" .-")
    if not text or text in {".", ".."}:
        text = fallback
    if text.split(".")[0].lower() in _WINDOWS_RESERVED:
        text = f"{text}-"
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_SEGMENT_BYTES:
        text = encoded[:MAX_SEGMENT_BYTES].decode("utf-8", "ignore").rstrip(" .-")
    return text


def sanitize_relpath(path: str) -> str:
    """A relative POSIX path with every segment sanitized; never absolute, never ``..``."""
    parts = [p for p in PurePosixPath(path.replace("\\", "/")).parts if p not in {"/", ".", ""}]
    return "/".join(sanitize_segment(part) for part in parts)


class PathAllocator:
    """Hands out output paths that stay unique when compared case-insensitively.

    The first claimant of a path keeps it; later ones get ``-2``, ``-3`` … appended to
    the segment that collides. Claims must be made in a deterministic order.
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, relpath: str) -> str:
        """Reserve ``relpath`` (or the first free variant of it) and return it."""
        clean = sanitize_relpath(relpath)
        candidate = clean
        counter = 2
        while candidate.casefold() in self._taken:
            candidate = _numbered(clean, counter)
            counter += 1
        self._taken.add(candidate.casefold())
        return candidate

    def is_taken(self, relpath: str) -> bool:
        """Whether a path (compared case-insensitively) has been claimed already."""
        return sanitize_relpath(relpath).casefold() in self._taken


def _numbered(relpath: str, counter: int) -> str:
    """``posts/a/index.md`` → ``posts/a-2/index.md``; ``_posts/x.md`` → ``_posts/x-2.md``."""
    path = PurePosixPath(relpath)
    if path.name in {"index.md", "_index.md", "index.mdx"} and path.parent.name:
        parent = path.parent
        return str(parent.with_name(f"{parent.name}-{counter}") / path.name)
    return str(path.with_name(f"{path.stem}-{counter}{path.suffix}"))


class SafeWriter:
    """Writes files under one root directory, atomically, and remembers what it wrote."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._folders: dict[str, Path] = {}  # checked folders (relative → absolute)
        self._made: set[Path] = set()  # folders known to exist

    def target(self, relpath: str) -> Path:
        """The absolute path for ``relpath``, refusing anything outside the root.

        Each folder is resolved (symlinks followed) and checked once; the file name
        itself is never followed: writes replace a symlink instead of writing through it.
        """
        folder, _, name = sanitize_relpath(relpath).rpartition("/")
        parent = self._folders.get(folder)
        if parent is None:
            parent = (self.root / folder).resolve() if folder else self.root
            if parent != self.root and self.root not in parent.parents:
                raise OutputError(f"refusing to write outside {self.root}: {relpath}")
            self._folders[folder] = parent
        return parent / name if name else parent

    def _prepare(self, target: Path) -> None:
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)

    def write_bytes(self, relpath: str, data: bytes) -> Path:
        """Write ``data`` atomically (temp file in the same folder, then rename).

        An unchanged file is left alone, so a second run does not even touch mtimes.
        """
        target = self.target(relpath)
        if _same_file_content(target, data):
            return target
        self._prepare(target)
        fd, tmp = tempfile.mkstemp(prefix=".wpm-", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    def write_chunks(self, relpath: str, chunks: Iterable[str]) -> Path:
        """Write UTF-8 text given in pieces (a big report) atomically, without holding
        it whole; an identical existing file is left untouched."""
        target = self.target(relpath)
        self._prepare(target)
        fd, tmp = tempfile.mkstemp(prefix=".wpm-", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.writelines(chunks)
            if _is_plain_file(target) and filecmp.cmp(tmp, target, shallow=False):
                Path(tmp).unlink()
            else:
                os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    def write_text(self, relpath: str, text: str) -> Path:
        """Write UTF-8 text with ``\\n`` line endings."""
        return self.write_bytes(relpath, text.encode("utf-8"))


def _is_plain_file(path: Path) -> bool:
    """A regular file, not a symlink (never read or compare through a link)."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _same_file_content(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file holding exactly ``data``."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size == len(data) and path.read_bytes() == data
