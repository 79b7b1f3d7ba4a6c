"""Where a media file of the old site lives in the new one.

WordPress serves one upload under many names: resized variants (``AI-1568x882.jpg``),
``-scaled`` big-image copies, ``-e1690000000000`` edited copies, ``?w=300`` query
forms. All of them map to one local file per original, kept under the uploads'
``YYYY/MM`` folders: ``/wp-content/uploads/2023/07/AI-300x169.jpg`` →
``media/2023/07/AI.jpg``.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from posixpath import splitext
from urllib.parse import unquote, urlsplit

from wpmigrate.urls import host_of

_VARIANT = re.compile(r"(?:-\d{1,5}x\d{1,5}|-scaled|-e\d{10,16}|-rotated)+$")
_UPLOADS = re.compile(r"/(?:wp-content|content|[\w-]+)/uploads/|/files/(?=\d{4}/)")
_DATED = re.compile(r"/\d{4}/\d{2}/[^/]+$")
MEDIA_EXTENSIONS = frozenset(
    ".jpg .jpeg .png .gif .webp .avif .svg .bmp .ico .tif .tiff .heic "
    ".mp4 .m4v .mov .webm .ogv .mp3 .m4a .ogg .oga .wav .flac "
    ".pdf .zip .ppt .pptx .doc .docx .xls .xlsx .odt .odp .ods .key .txt .csv .epub".split()
)


def uploads_relpath(url: str) -> str | None:
    """The path below the uploads folder (``2023/07/AI-300x169.jpg``), or None.

    WordPress.com serves uploads from ``<site>.files.wordpress.com/YYYY/MM/…`` with no
    uploads folder in the path; those count too.
    """
    parts = urlsplit(url)
    path = unquote(parts.path)
    if (parts.hostname or "").endswith(".files.wordpress.com") and _DATED.match(path):
        return path.lstrip("/")
    match = _UPLOADS.search(path)
    if not match:
        return None
    rel = path[match.end() :].lstrip("/")
    return rel or None


def strip_variant(relpath: str) -> str:
    """``2023/07/AI-1568x882.jpg`` → ``2023/07/AI.jpg`` (the name of the original)."""
    stem, ext = splitext(relpath)
    return _VARIANT.sub("", stem) + ext


class MediaNamer:
    """Maps media URLs of the site's own hosts to stable output paths.

    ``originals`` are upload paths known to be originals (from attachments or the
    mirror's files); a variant maps to its original only when that original is known,
    so a file genuinely named ``logo-100x100.png`` keeps its name. ``variants`` maps
    resized files named in ``_wp_attachment_metadata`` (``2023/07/a-150x150.jpg``) to
    their original, which covers names the pattern does not (``a-thumb.jpg``).
    """

    def __init__(
        self,
        hosts: Iterable[str],
        originals: Iterable[str],
        variants: Mapping[str, str] | None = None,
    ) -> None:
        self.hosts = {host.removeprefix("www.") for host in hosts if host}
        self.originals: Container[str] = {name.casefold() for name in originals}
        self.variants: Mapping[str, str] = {k.casefold(): v for k, v in (variants or {}).items()}

    @classmethod
    def prepared(
        cls, hosts: Iterable[str], originals: Container[str], variants: Mapping[str, str]
    ) -> MediaNamer:
        """A namer over containers whose keys are casefolded already, used as they are
        (the index's on-disk tables, for a site with more attachments than memory)."""
        namer = cls(hosts, ())
        namer.originals, namer.variants = originals, variants
        return namer

    def is_own(self, url: str) -> bool:
        """Whether ``url`` is on one of the site's hosts (or relative)."""
        host = host_of(url)
        return not host or host in self.hosts

    def canonical(self, url: str) -> str | None:
        """The uploads-relative path of the original file behind ``url``, or None."""
        if not self.is_own(url):
            return None
        rel = uploads_relpath(url)
        if rel is None:
            return None
        known = self.variants.get(rel.casefold())
        if known:
            return known
        original = strip_variant(rel)
        if original != rel and original.casefold() not in self.originals:
            return rel
        return original

    def local_path(self, url: str) -> str | None:
        """The output path relative to the media folder: ``2023/07/AI.jpg``."""
        return self.canonical(url)
