"""Safe file writing: sanitized names, confinement to the output directory, atomic writes.

Every file wpmigrate writes goes through ``SafeWriter``; nothing else opens files for
writing. Names derived from slugs are sanitized (no ``..``, no absolute paths, no
control characters, no Windows-reserved names) and made unique on case-insensitive
file systems before anything is written, so the set of output paths is known after
pass 1 and is the same on every run.
"""

from __future__ import annotations

import contextlib
import filecmp
import itertools
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, MutableMapping, Sequence
from functools import lru_cache
from pathlib import Path, PurePosixPath

from wpmigrate.errors import OutputError
from wpmigrate.indexstore import add_if_absent, add_missing, get_many

_WINDOWS_RESERVED = {
    "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_DASHES = re.compile(r"-{2,}")
MAX_SEGMENT_BYTES = 200
_FOLDER_CACHE_SIZE = 4096


@lru_cache(maxsize=1024)  # "content", "posts", "index.md" … come back for every file
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
    # A plain split, not PurePosixPath: pathlib interns every part, which would keep
    # 50k slugs in the interpreter's interned-strings table for the rest of the run.
    parts = [p for p in path.replace("\\", "/").split("/") if p not in {".", ""}]
    return "/".join(sanitize_segment(part) for part in parts)


class PathAllocator:
    """Hands out output paths that stay unique when compared case-insensitively.

    The first claimant of a path keeps it; later ones get ``-2``, ``-3`` … appended to
    the segment that collides. Claims must be made in a deterministic order.
    """

    def __init__(self, taken: MutableMapping[str, str] | None = None) -> None:
        """``taken``: where claimed paths are kept (casefolded, as keys); a dict unless
        given, e.g. the index's on-disk table for a site too big for memory."""
        self._taken: MutableMapping[str, str] = {} if taken is None else taken

    def claim(self, relpath: str) -> str:
        """Reserve ``relpath`` (or the first free variant of it) and return it."""
        clean = sanitize_relpath(relpath)
        candidate = clean
        counter = 2
        while not add_if_absent(self._taken, candidate.casefold(), ""):
            candidate = _numbered(clean, counter)
            counter += 1
        return candidate

    def claim_many(self, relpaths: Sequence[str]) -> list[str]:
        """``[self.claim(p) for p in relpaths]``, with one lookup and one insert for all
        the paths that are free, as most are; a colliding path is claimed on its own."""
        clean = [sanitize_relpath(path) for path in relpaths]
        folded = [path.casefold() for path in clean]
        known = get_many(self._taken, folded)  # taken before, or claimed here
        pending: list[tuple[str, str]] = []  # claimed here, not stored yet
        got = []
        for path, key in zip(clean, folded, strict=True):
            if key in known:  # a collision: the one-by-one claim, on what is stored
                add_missing(self._taken, pending)
                pending = []
                path = self.claim(path)
                key = path.casefold()
            else:
                pending.append((key, ""))
            known[key] = ""
            got.append(path)
        add_missing(self._taken, pending)
        return got


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
        self._root = str(self.root)
        # checked folders (relative → absolute) and folders known to exist; bounded,
        # since a 50k-post Hugo site has a folder per post and each is used once
        self._folders: dict[str, str] = {}
        self._made: set[str] = set()

    def target(self, relpath: str) -> Path:
        """The absolute path for ``relpath``, refusing anything outside the root.

        Each folder is checked once: a folder that is a symlink is followed and must
        stay inside the root. The file name itself is never followed: writes replace a
        symlink instead of writing through it.
        """
        return Path(self._target(relpath)[1])

    def _target(self, relpath: str) -> tuple[str, str]:
        """(absolute folder, absolute file) for ``relpath``, as ``target`` checks them."""
        folder, _, name = sanitize_relpath(relpath).rpartition("/")
        parent = self._folder(folder, relpath)
        return parent, (os.path.join(parent, name) if name else parent)

    def _folder(self, folder: str, relpath: str) -> str:
        if not folder:
            return self._root
        known = self._folders.get(folder)
        if known is not None:
            return known
        head, _, name = folder.rpartition("/")
        path = os.path.join(self._folder(head, relpath), name)
        if os.path.islink(path):
            path = os.path.realpath(path)
            if path != self._root and not path.startswith(self._root + os.sep):
                raise OutputError(f"refusing to write outside {self.root}: {relpath}")
        self._remember(folder, path)
        return path

    def _writable_folder(self, folder: str, relpath: str) -> tuple[str, bool]:
        """(absolute path of the relative ``folder``, made now), the folder and its
        parents made as needed. ``mkdir`` comes first: a folder it makes is new, so
        neither a link to check nor a file to compare is in it (one system call where
        the checks would take three, for every page bundle of a big site)."""
        if not folder or folder in self._made:
            return self._folder(folder, relpath), False
        head, _, name = folder.rpartition("/")
        path = os.path.join(self._writable_folder(head, relpath)[0], name)
        made = True
        try:
            os.mkdir(path)
        except FileExistsError:
            path, made = self._folder(folder, relpath), False
            os.makedirs(path, exist_ok=True)  # a file there fails here, as it should
        else:
            self._remember(folder, path)
        self._remember_made(folder)
        return path, made

    def _remember(self, folder: str, path: str) -> None:
        if len(self._folders) >= _FOLDER_CACHE_SIZE:
            self._folders.clear()
        self._folders[folder] = path

    def _remember_made(self, folder: str) -> None:
        if len(self._made) >= _FOLDER_CACHE_SIZE:
            self._made.clear()
        self._made.add(folder)

    def write_bytes(self, relpath: str, data: bytes) -> str:
        """Write ``data`` atomically (temp file in the same folder, then rename).

        An unchanged file is left alone, so a second run does not even touch mtimes.
        Returns the file's absolute path.
        """
        folder_rel, _, name = sanitize_relpath(relpath).rpartition("/")
        folder, made = self._writable_folder(folder_rel, relpath)
        target = os.path.join(folder, name)
        if not made and _same_file_content(target, data):
            return target
        fd, tmp = create_temp(folder)
        try:
            try:
                _write_all(fd, data)
            finally:
                os.close(fd)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return target

    def write_chunks(self, relpath: str, chunks: Iterable[str]) -> Path:
        """Write UTF-8 text given in pieces (a big report) atomically, without holding
        it whole; an identical existing file is left untouched."""
        folder_rel, _, name = sanitize_relpath(relpath).rpartition("/")
        folder = self._writable_folder(folder_rel, relpath)[0]
        target = Path(folder, name)
        fd, tmp = create_temp(folder)
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

    def write_text(self, relpath: str, text: str) -> str:
        """Write UTF-8 text with ``\\n`` line endings."""
        return self.write_bytes(relpath, text.encode("utf-8"))


_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_temp_numbers = itertools.count()


#: What the name of every temporary file ``create_temp`` makes starts with.
TEMP_PREFIX = ".wpm-"


def is_temp_name(name: str, suffix: str = ".tmp") -> bool:
    """Whether ``name`` is that of a file ``create_temp(folder, suffix)`` makes."""
    return name.startswith(TEMP_PREFIX) and name.endswith(suffix)


def create_temp(folder: str | Path, suffix: str = ".tmp") -> tuple[int, str]:
    """A new, empty, hidden file in ``folder`` to write and then rename into place:
    (open descriptor, path). Unlike ``mkstemp``'s (0600), its permissions are those of
    any new file (0666 less the umask), so the renamed file is readable by the web
    server or the CI job that serves it."""
    while True:
        path = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{next(_temp_numbers)}{suffix}")
        try:
            return os.open(path, _TEMP_FLAGS, 0o666), path
        except FileExistsError:
            continue  # left by an earlier run whose process had the same ID


def _write_all(fd: int, data: bytes) -> None:
    """``data`` to an open file, unbuffered (one system call for a page's text)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _is_plain_file(path: Path) -> bool:
    """A regular file, not a symlink (never read or compare through a link)."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _same_file_content(path: str, data: bytes) -> bool:
    """Whether ``path`` is a regular file holding exactly ``data``."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
        return False
    with open(path, "rb") as handle:
        return handle.read() == data
