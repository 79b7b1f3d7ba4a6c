"""The mirror source: a wget / HTTrack / Simply Static copy of a WordPress site.

``MirrorSource`` reads the mirror once (``_scan``: classify every file, read wp-json
responses and page metadata, group the copies of each item) and keeps that lightweight
result; ``iter_items`` re-reads only the chosen copy of each item to build its ``Post``,
so content is produced afresh and identically on every call. File naming lives in
``mirror_files``, metadata in ``mirror_meta``, bodies and link normalization in
``mirror_content``, theme selectors in ``themes``, media lookup in ``mirror_media``;
this module only walks the files and assembles ``Post`` records from those pieces.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from wpmigrate.errors import SourceError
from wpmigrate.model import ItemReport, Post, SiteData
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.sources.mirror_content import UrlMapper
from wpmigrate.sources.mirror_files import (
    classify_body_classes,
    classify_path,
    list_files,
    path_to_url_path,
    sniff_feed,
)
from wpmigrate.sources.mirror_media import MirrorMediaLocator
from wpmigrate.sources.mirror_meta import (
    PageMeta,
    PageRecord,
    WpJson,
    decode_page,
    extract_page_meta,
)
from wpmigrate.sources.mirror_post_fields import build_post, read_site_data

_MARKERS = (b"/wp-content/", b"/wp-includes/", b'content="WordPress', b"wp-json", b"postid-",
            b"wp-content/", b"wp-includes/")


@dataclass(slots=True)
class _Scan:
    """What one pass over the mirror found (no page bodies are kept)."""

    wp_json: WpJson = field(default_factory=WpJson)
    records: list[PageRecord] = field(default_factory=list)
    extras: list[tuple[str, str, str]] = field(default_factory=list)  # rel, outcome, reason
    lost: list[str] = field(default_factory=list)
    archives: list[tuple[str, PageMeta]] = field(default_factory=list)
    files: int = 0


def find_root(path: Path) -> Path:
    """The mirror's top folder: ``path``, or its single host-named subfolder (wget
    without ``-nH`` saves ``example.org/…``)."""
    if (path / "index.html").is_file():
        return path
    subdirs = [p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")]
    if len(subdirs) == 1 and "." in subdirs[0].name and (subdirs[0] / "index.html").is_file():
        return subdirs[0]
    return path


def looks_like_mirror(path: Path) -> bool:
    """Whether ``path`` is a folder of saved HTML pages carrying WordPress markers."""
    if not path.is_dir():
        return False
    root = find_root(path)
    candidates = [root / "index.html", *sorted(root.glob("*.html"))[:5],
                  *sorted(root.glob("*/index.html"))[:10]]
    for page in candidates:
        try:
            head = page.read_bytes()[:200_000]
        except OSError:
            continue
        if any(marker in head for marker in _MARKERS):
            return True
    return False


class MirrorSource:
    """A mirrored WordPress site as a wpmigrate source (``kind = "mirror"``)."""

    kind = "mirror"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_dir():
            raise SourceError(str(path), "not a folder", "give the mirror's top folder")
        self._root = find_root(self.path)
        self._scan_result: _Scan | None = None
        self._site: SiteData | None = None
        self._media: MirrorMediaLocator | None = None

    # -- the Source protocol -------------------------------------------------------------

    def read_site(self) -> SiteData:
        """Site, authors and terms, from wp-json, page metadata and archive pages."""
        if self._site is None:
            scan = self._scan()
            self._site = read_site_data(scan.wp_json, scan.records, scan.archives)
        return self._site

    def iter_items(self) -> Iterator[Post | UnreadableItem]:
        """One Post per WordPress item (its chosen copy), in file order."""
        scan = self._scan()
        site = self.read_site()
        mapper = UrlMapper(site.site.base_url)
        copies = _copies_by_id(scan.records)
        for record in scan.records:
            if not record.primary:
                continue
            try:
                doc = self._parse(record.rel)[0]
                yield build_post(record, doc, copies[record.item_id], scan.wp_json, site, mapper)
            except (OSError, ValueError, etree.LxmlError) as error:
                yield UnreadableItem(record.item_id, record.meta.title, str(error), record.rel,
                                     record.item_type, "publish")

    def media_locator(self) -> MirrorMediaLocator:
        """Finds an upload's largest original among the mirror's files."""
        if self._media is None:
            hosts = UrlMapper(self.read_site().site.base_url).hosts
            media = MirrorMediaLocator(self._root, hosts)
            for rel in list_files(self._root):
                if classify_path(rel) == "asset":
                    media.add(rel)
            self._media = media
        return self._media

    def extra_report(self) -> list[ItemReport]:
        """One line for every mirror file that is not an item's chosen copy."""
        scan = self._scan()
        return [
            ItemReport(id=rel, type="file", status="", title="", outcome=outcome, reason=reason,
                       source=rel)
            for rel, outcome, reason in scan.extras
        ]

    def lost_data(self) -> list[str]:
        """Pages that could not be decoded or parsed cleanly."""
        return list(self._scan().lost)

    @property
    def file_count(self) -> int:
        """How many files the mirror holds (items + extra report lines)."""
        return self._scan().files

    # -- reading -------------------------------------------------------------------------

    def _parse(self, rel: str) -> tuple[lxml_html.HtmlElement, str]:
        """Decode and parse one saved page; returns the document and a decoding problem."""
        text, problem = decode_page((self._root / rel).read_bytes())
        if not text.strip():
            raise ValueError("empty file")
        return lxml_html.document_fromstring(text), problem

    def _scan(self) -> _Scan:
        """Classify every file once; keep page metadata, not page bodies."""
        if self._scan_result is not None:
            return self._scan_result
        scan = _Scan()
        files = list_files(self._root)
        scan.files = len(files)
        for rel in files:
            self._scan_file(rel, scan)
        _choose_primaries(scan)
        self._scan_result = scan
        return scan

    def _scan_file(self, rel: str, scan: _Scan) -> None:
        """Classify one file into ``scan`` (a record for item pages, an extra otherwise)."""
        reason = classify_path(rel)
        if reason in ("wp-json", "oembed"):
            if reason == "wp-json":
                scan.wp_json.add(rel, (self._root / rel).read_bytes())
            scan.extras.append((rel, "skipped", reason))
            return
        if reason:
            scan.extras.append((rel, "skipped", reason))
            return
        try:
            data = (self._root / rel).read_bytes()
            if sniff_feed(data):
                scan.extras.append((rel, "skipped", "feed"))
                return
            doc, problem = self._parse(rel)
        except (OSError, ValueError, etree.LxmlError) as error:
            scan.extras.append((rel, "failed", f"cannot read page: {error}"))
            scan.lost.append(f"{rel}: cannot read page: {error}")
            return
        if problem:
            scan.lost.append(f"{rel}: {problem}")
        meta = extract_page_meta(doc)
        self._classify_page(rel, meta, scan)

    def _classify_page(self, rel: str, meta: PageMeta, scan: _Scan) -> None:
        """An item record, or an extra line with the reason the page is not an item."""
        article_type = next((c[5:] for c in meta.article_classes if c.startswith("type-")), "")
        kind = classify_body_classes(meta.body_classes, article_type)
        if kind.item_id is None and not kind.skip_reason and meta.article_id is not None:
            if "?p=" in meta.shortlink or "@p=" in meta.shortlink:
                kind = type(kind)(meta.article_id, article_type or "post")
        if kind.item_id is not None:
            scan.records.append(PageRecord(rel, kind.item_id, kind.item_type, meta))
            return
        reason = kind.skip_reason or (
            "archive" if _is_wordpress(meta) else "not WordPress content")
        if reason == "archive":
            scan.archives.append((rel, meta))
        scan.extras.append((rel, "skipped", reason))


def _is_wordpress(meta: PageMeta) -> bool:
    """Whether a page carries WordPress's markup (generator, body classes, wp-json)."""
    return bool(meta.generator.startswith("WordPress") or meta.wp_json_href
                or meta.body_classes)


def _copies_by_id(records: list[PageRecord]) -> dict[int, list[PageRecord]]:
    """Every saved copy of each item, by WordPress ID, in file order."""
    copies: dict[int, list[PageRecord]] = {}
    for record in records:
        copies.setdefault(record.item_id, []).append(record)
    return copies


def _copy_rank(record: PageRecord) -> tuple[int, int, int, str]:
    """Prefer the copy saved under the pretty permalink, then names without wget's ``@``,
    then raw UTF-8 folder names (what the site linked), then file order."""
    permalink = urlsplit(record.meta.og_url).path if record.meta.og_url else ""
    url_path = path_to_url_path(record.rel)
    matches = int(bool(permalink) and url_path in {permalink, _encode_path(permalink)})
    return (-matches, int("@" in record.rel), int("%" in record.rel), record.rel)


def _encode_path(path: str) -> str:
    """A raw UTF-8 path in WordPress's lower-case percent-encoding."""
    return path_to_url_path(path.lstrip("/") + ("index.html" if path.endswith("/") else ""))


def _choose_primaries(scan: _Scan) -> None:
    """Mark one copy per item as the item; report the others as duplicates."""
    for item_id, copies in _copies_by_id(scan.records).items():
        best = min(copies, key=_copy_rank)
        best.primary = True
        for copy in copies:
            if copy is not best:
                scan.extras.append((copy.rel, "skipped", f"duplicate of {item_id}"))
