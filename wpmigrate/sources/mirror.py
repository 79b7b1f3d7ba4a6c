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
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from html import unescape
from pathlib import Path
from urllib.parse import unquote

from lxml import etree
from lxml import html as lxml_html

from wpmigrate.errors import SourceError
from wpmigrate.model import Author, ItemReport, Outcome, Post, SiteData, SourceRef, Term, TermRef
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.sources.mirror_content import (
    UrlMapper,
    clean_excerpt,
    featured_image,
    listed_thumbnails,
    post_body,
)
from wpmigrate.sources.mirror_files import (
    choose_primaries,
    classify_body_classes,
    classify_path,
    copies_by_id,
    list_files,
    old_urls,
    path_to_url_path,
    permalink,
    slug_of,
    sniff_feed,
)
from wpmigrate.sources.mirror_media import MirrorMediaLocator
from wpmigrate.sources.mirror_meta import (
    PageMeta,
    PageRecord,
    WpJson,
    decode_page,
    extract_page_meta,
    html_to_text,
    merge_terms,
    parse_datetime,
    rendered,
    site_facts,
    site_timezone,
    term_from_url,
    url_segments,
    wp_json_authors,
    wp_json_terms,
)

#: What reading one page may raise; such a page becomes a failed item, not a crash.
_PAGE_ERRORS = (OSError, ValueError, TypeError, KeyError, AttributeError, etree.LxmlError)
_MARKERS = (b"/wp-content/", b"/wp-includes/", b'content="WordPress', b"wp-json", b"postid-",
            b"wp-content/", b"wp-includes/")


@dataclass(slots=True)
class _Scan:
    """What one pass over the mirror found (no page bodies are kept)."""

    wp_json: WpJson = field(default_factory=WpJson)
    records: list[PageRecord] = field(default_factory=list)
    extras: list[tuple[str, Outcome, str]] = field(default_factory=list)  # rel, outcome, reason
    lost: list[str] = field(default_factory=list)
    archives: list[tuple[str, PageMeta]] = field(default_factory=list)
    listed: dict[int, tuple[str, str]] = field(default_factory=dict)  # id: (file, image)
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
        copies = copies_by_id(scan.records)
        for record in scan.records:
            if not record.primary:
                continue
            item: Post | UnreadableItem
            try:
                doc = self._parse(record.rel)[0]
                post = build_post(record, doc, copies[record.item_id], scan.wp_json, site, mapper)
                item = _with_listed_image(post, scan.listed, mapper)
            except _PAGE_ERRORS as error:  # one bad page must not stop the whole mirror
                item = UnreadableItem(record.item_id, record.meta.title or record.rel,
                                      f"{type(error).__name__}: {error}", record.rel,
                                      record.item_type, "publish")
            yield item

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

    def _parse(self, rel: str, data: bytes | None = None) -> tuple[lxml_html.HtmlElement, str]:
        """Decode and parse one saved page; returns the document and a decoding problem."""
        text, problem = decode_page((self._root / rel).read_bytes() if data is None else data)
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
        scan.extras += choose_primaries(scan.records)
        self._scan_result = scan
        return scan

    def _scan_file(self, rel: str, scan: _Scan) -> None:
        """Classify one file into ``scan`` (a record for item pages, an extra otherwise)."""
        reason = classify_path(rel)
        if reason == "wp-json":
            try:
                scan.wp_json.add(rel, (self._root / rel).read_bytes())
            except OSError as error:
                scan.lost.append(f"{rel}: cannot read: {error}")
        if reason:
            scan.extras.append((rel, "skipped", reason))
            return
        try:
            data = (self._root / rel).read_bytes()
            if sniff_feed(data):
                scan.extras.append((rel, "skipped", "feed"))
                return
            doc, problem = self._parse(rel, data)
            if problem:
                scan.lost.append(f"{rel}: {problem}")
            self._classify_page(rel, doc, scan)
        except _PAGE_ERRORS as error:
            scan.extras.append((rel, "failed", f"cannot read page: {error}"))
            scan.lost.append(f"{rel}: cannot read page: {error}")

    def _classify_page(self, rel: str, doc: lxml_html.HtmlElement, scan: _Scan) -> None:
        """An item record, or an extra line with the reason the page is not an item."""
        meta = extract_page_meta(doc, full=False)
        kind = classify_body_classes(meta.body_classes)
        if not kind.skip_reason:
            meta = extract_page_meta(doc)
            article_type = next(
                (c[5:] for c in meta.article_classes if c.startswith("type-")), "")
            kind = classify_body_classes(meta.body_classes, article_type)
        singular = "?p=" in meta.shortlink or "@p=" in meta.shortlink
        if kind.item_id is None and not kind.skip_reason and meta.article_id and singular:
            kind = type(kind)(meta.article_id, article_type or "post")
        if kind.item_id is not None:
            scan.records.append(PageRecord(rel, kind.item_id, kind.item_type, meta))
            return
        reason = kind.skip_reason or (
            "archive" if _is_wordpress(meta) else "not WordPress content")
        if reason == "archive":
            scan.archives.append((rel, meta))
            for item_id, image in listed_thumbnails(doc).items():
                scan.listed.setdefault(item_id, (rel, image))
        scan.extras.append((rel, "skipped", reason))


def _is_wordpress(meta: PageMeta) -> bool:
    """Whether a page carries WordPress's markup (generator, body classes, wp-json)."""
    return bool(meta.generator.startswith("WordPress") or meta.wp_json_href
                or meta.body_classes)










# -- assembling the site and the posts ---------------------------------------------------


def read_site_data(
    wp_json: WpJson, records: list[PageRecord], archives: list[tuple[str, PageMeta]]
) -> SiteData:
    """Site, authors and terms from wp-json, item pages and archive pages (in that order
    of authority)."""
    site = site_facts(wp_json, [r.meta for r in records] + [m for _, m in archives])
    mapper = UrlMapper(site.base_url)
    page_terms = [t for r in records for t in _page_terms(r.meta, r.rel, mapper)]
    archive_terms = [t for rel, m in archives if (t := _archive_term(rel, m, site.title))]
    authors: dict[str, Author] = {a.login: a for a in wp_json_authors(wp_json)}
    for record in records:
        login, name = _author_of(record.meta, record.rel, mapper)
        if login and login not in authors:
            authors[login] = Author(login=login, display_name=name)
    terms = merge_terms([wp_json_terms(wp_json), page_terms, archive_terms])
    return SiteData(site=site, authors=tuple(authors.values()), terms=terms)


def _page_terms(meta: PageMeta, rel: str, mapper: UrlMapper) -> list[Term]:
    """The terms a post page links with ``rel="category tag"`` / ``rel="tag"``."""
    terms = []
    for link in meta.terms:
        url = mapper.to_old_url(link.href, rel)
        if url.startswith("/") or mapper.is_internal(url):
            term = term_from_url(url, link.taxonomy, link.name)
            if term is not None:
                terms.append(term)
    return terms


def _archive_term(rel: str, meta: PageMeta, site_title: str) -> Term | None:
    """The term a category/tag archive page (``category/x/index.html``) shows."""
    segments = url_segments(path_to_url_path(rel))
    if len(segments) < 2 or segments[0] not in ("category", "tag"):
        return None
    taxonomy = "category" if segments[0] == "category" else "post_tag"
    name = meta.og_title or meta.head_title
    for suffix in (f" - {site_title}", f" | {site_title}", f" – {site_title}", " Archives"):
        name = name.removesuffix(suffix)
    return Term(taxonomy, segments[-1], name or segments[-1],
                parent=segments[-2] if taxonomy == "category" and len(segments) > 2 else "",
                description=meta.archive_description)


def _author_of(meta: PageMeta, rel: str, mapper: UrlMapper) -> tuple[str, str]:
    """(login, display name) of the page's author from its ``rel="author"`` link."""
    segments = url_segments(mapper.to_old_url(meta.author_url, rel)) if meta.author_url else []
    login = segments[-1] if len(segments) >= 2 and segments[-2] == "author" else ""
    return login, meta.author_name


def build_post(
    record: PageRecord,
    doc: lxml_html.HtmlElement,
    copies: list[PageRecord],
    wp_json: WpJson,
    site: SiteData,
    mapper: UrlMapper,
) -> Post:
    """The Post of one item: wp-json where the mirror has it, the page's markup otherwise."""
    rec = wp_json.item(record.item_id)
    meta = record.meta
    link = permalink(record, rec, mapper)
    dates = _dates(rec, meta, site_timezone(wp_json.index))
    login, author_name = _post_author(rec, meta, record.rel, wp_json, mapper)
    return Post(
        id=record.item_id,
        type=str(rec.get("type") or record.item_type),
        status=str(rec.get("status") or "publish"),
        title=_title(rec, meta, site.site.title),
        slug=unquote(str(rec.get("slug") or "")) or slug_of(link),
        date=dates[0], date_gmt=dates[1], modified=dates[2], modified_gmt=dates[3],
        date_offset=dates[4],
        author=login,
        author_name=author_name,
        parent=int(rec.get("parent") or 0),
        menu_order=int(rec.get("menu_order") or 0),
        sticky=bool(rec.get("sticky")) or "sticky" in meta.article_classes,
        content=post_body(record, doc, rec, mapper),
        excerpt=clean_excerpt(rendered(rec, "excerpt"), True)
        or clean_excerpt(unescape(meta.description), False),
        terms=_post_terms(record, rec, wp_json, site, mapper),
        link=link,
        guid=rendered(rec, "guid") or f"{site.site.base_url}/?p={record.item_id}",
        old_urls=old_urls(record, copies, link, mapper),
        featured_image=featured_image(rec, meta, wp_json, record.rel, mapper),
        comment_status=str(rec.get("comment_status") or ""),
        source=SourceRef(record.rel),
    )


def _with_listed_image(
    post: Post, listed: dict[int, tuple[str, str]], mapper: UrlMapper
) -> Post:
    """Fill a missing featured image from the archive listings that show the post."""
    if post.featured_image or post.id not in listed:
        return post
    rel, image = listed[post.id]
    return replace(post, featured_image=mapper.to_old_url(image, rel))


def _title(rec: dict, meta: PageMeta, site_title: str) -> str:
    """The post's own title: wp-json, the entry-title heading, og:title or <title> without
    the site name."""
    if title := html_to_text(rendered(rec, "title")):
        return title
    if meta.title:
        return meta.title
    for candidate in (meta.og_title, meta.head_title):
        for sep in (" - ", " | ", " – ", " — ", " » "):
            candidate = candidate.removesuffix(f"{sep}{site_title}") if site_title else candidate
        if candidate:
            return candidate.strip()
    return ""












def _naive_utc(stamp: datetime) -> datetime:
    """An aware time as naive UTC (the model's ``*_gmt`` convention)."""
    return stamp.astimezone(UTC).replace(tzinfo=None)


_Dates = tuple[datetime | None, datetime | None, datetime | None, datetime | None, int | None]


def _dates(rec: dict, meta: PageMeta, zone: tzinfo | None) -> _Dates:
    """(date, date_gmt, modified, modified_gmt, offset minutes) from wp-json or the page."""
    if rec.get("date") and rec.get("date_gmt"):
        date, gmt = parse_datetime(rec["date"]), parse_datetime(rec["date_gmt"])
        modified = parse_datetime(str(rec.get("modified", "")))
        modified_gmt = parse_datetime(str(rec.get("modified_gmt", "")))
        offset = int((date - gmt).total_seconds() // 60) if date and gmt else None
        return date, gmt, modified, modified_gmt, offset
    published = meta.local_published or meta.published
    if published is None or published.tzinfo is None:
        return published, None, None, None, None
    local = published if meta.local_published or zone is None else published.astimezone(zone)
    offset = int((local.utcoffset() or timedelta()).total_seconds() // 60)
    modified = meta.modified
    target = zone if zone is not None else local.tzinfo
    modified_local = modified.astimezone(target) if modified and modified.tzinfo else None
    return (local.replace(tzinfo=None), _naive_utc(published),
            modified_local.replace(tzinfo=None) if modified_local else None,
            _naive_utc(modified) if modified and modified_local else None, offset)


def _post_author(
    rec: dict, meta: PageMeta, rel: str, wp_json: WpJson, mapper: UrlMapper
) -> tuple[str, str]:
    """(login, display name): the wp-json user, else the page's author link and meta."""
    user = wp_json.get("users", rec.get("author") if isinstance(rec.get("author"), int) else None)
    if user:
        return unquote(str(user.get("slug", ""))), str(user.get("name", ""))
    return _author_of(meta, rel, mapper)


def _post_terms(
    record: PageRecord, rec: dict, wp_json: WpJson, site: SiteData, mapper: UrlMapper
) -> tuple[TermRef, ...]:
    """Categories and tags: wp-json IDs when all resolve, else the page's term links, else
    the article's ``category-x``/``tag-y`` classes."""
    ids = [("categories", i) for i in rec.get("categories", [])] + [
        ("tags", i) for i in rec.get("tags", [])]
    found = [wp_json.get(kind, i) for kind, i in ids]
    if ids and all(found):
        return tuple(TermRef(str(t.get("taxonomy")), unquote(str(t.get("slug"))),
                             html_to_text(str(t.get("name", "")))) for t in found)
    terms = _page_terms(record.meta, record.rel, mapper)
    if not terms:
        known = {(t.taxonomy, t.slug): t for t in site.terms}
        for cls in record.meta.article_classes:
            for prefix, taxonomy in (("category-", "category"), ("tag-", "post_tag")):
                if cls.startswith(prefix):
                    slug = cls.removeprefix(prefix)
                    name = known[(taxonomy, slug)].name if (taxonomy, slug) in known else slug
                    terms.append(Term(taxonomy, slug, name))
    unique = {(t.taxonomy, t.slug): TermRef(t.taxonomy, t.slug, t.name) for t in terms}
    return tuple(unique.values())

