"""Metadata of a mirrored WordPress page: what the HTML head and the theme markup say.

WordPress and its SEO plugins print a post's metadata many times over: OpenGraph and
``article:*`` meta, JSON-LD (Yoast, Rank Math), ``<link rel=canonical|shortlink>``, the
``<article class="post-308 category-x tag-y">`` classes, ``<time datetime>``, the
``rel="category tag"`` and ``rel="author"`` links. ``extract_page_meta`` reads all of them
into one ``PageMeta`` record. ``WpJson`` reads the REST responses a mirror may hold
(``wp-json/wp/v2/posts/308``); the mirror source prefers them when present, because they
are what WordPress stored rather than what a theme chose to show.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from html import unescape
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import html as lxml_html

from wpmigrate.model import Author, Site, Term

_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_TAG_RE = re.compile(r"<[^>]+>")
#: Elements whose links are about other posts (sidebars, related posts, widgets).
_FOREIGN_XPATH = (
    "ancestor::aside or ancestor::*[contains(concat(' ', normalize-space(@class), ' '), "
    "' widget ') or contains(@class, 'sidebar') or contains(@class, 'related') "
    "or contains(@class, 'post-navigation') or contains(@class, 'nav-links')]"
)


@dataclass(frozen=True, slots=True)
class TermLink:
    """A term link as a post page shows it: taxonomy, the link's href as written, name."""

    taxonomy: str
    href: str
    name: str


@dataclass(slots=True)
class PageMeta:
    """Everything the HTML of one page says about its item (all fields optional)."""

    lang: str = ""
    body_classes: list[str] = field(default_factory=list)
    article_id: int | None = None
    article_classes: list[str] = field(default_factory=list)
    title: str = ""
    og_title: str = ""
    head_title: str = ""
    site_name: str = ""
    site_url: str = ""
    site_description: str = ""
    canonical: str = ""
    shortlink: str = ""
    og_url: str = ""
    published: datetime | None = None  # article:published_time / JSON-LD (often UTC)
    modified: datetime | None = None
    local_published: datetime | None = None  # the theme's <time datetime> (site's offset)
    author_name: str = ""
    author_url: str = ""
    description: str = ""
    primary_image: str = ""
    og_image: str = ""
    thumbnail: str = ""
    wp_json_href: str = ""
    terms: list[TermLink] = field(default_factory=list)
    generator: str = ""
    stylesheets: list[str] = field(default_factory=list)
    archive_description: str = ""


def decode_page(data: bytes) -> tuple[str, str]:
    """Decode a saved page by its BOM or declared charset (default UTF-8).

    Returns the text and a problem description ("" when the bytes decoded cleanly).
    Text repair (mojibake) is not done here: the pipeline's text repair does it later.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), ""
    match = _CHARSET_RE.search(data[:4096])
    encoding = match.group(1).decode("ascii").lower() if match else "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    try:
        return data.decode(encoding), ""
    except UnicodeDecodeError as error:
        text = data.decode(encoding, errors="replace")
        return text, f"bytes not valid {encoding} at offset {error.start}; replaced with U+FFFD"


def html_to_text(fragment: str) -> str:
    """Plain text of a small HTML fragment (titles, term names): tags out, entities in."""
    return " ".join(unescape(_TAG_RE.sub("", fragment)).split())


def parse_datetime(value: str) -> datetime | None:
    """An ISO-8601 date (with or without offset), or None when it is not one."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def extract_page_meta(doc: lxml_html.HtmlElement) -> PageMeta:
    """Read the head and the main article markup of one parsed page."""
    meta = PageMeta(lang=doc.get("lang", "") or doc.get("xml:lang", ""))
    body = doc.find("body")
    meta.body_classes = (body.get("class", "") if body is not None else "").split()
    _read_head(doc, meta)
    _read_json_ld(doc, meta)
    _read_article(doc, meta)
    return meta


def _content_of(doc: lxml_html.HtmlElement, xpath: str) -> str:
    """The first ``content``/``href`` attribute an XPath finds, stripped."""
    for elem in doc.xpath(xpath):
        value = elem.get("content") if elem.get("content") is not None else elem.get("href")
        if value and value.strip():
            return value.strip()
    return ""


def _read_head(doc: lxml_html.HtmlElement, meta: PageMeta) -> None:
    """OpenGraph, article:*, canonical, shortlink, generator, wp-json link, title."""
    prop = "//meta[@property='{0}' or @name='{0}']"
    meta.og_title = html_to_text(_content_of(doc, prop.format("og:title")))
    meta.site_name = html_to_text(_content_of(doc, prop.format("og:site_name")))
    meta.og_url = _content_of(doc, prop.format("og:url"))
    meta.og_image = _content_of(doc, prop.format("og:image"))
    meta.description = _content_of(doc, prop.format("og:description")) or _content_of(
        doc, "//meta[@name='description']")
    meta.published = parse_datetime(_content_of(doc, prop.format("article:published_time")))
    meta.modified = parse_datetime(_content_of(doc, prop.format("article:modified_time")))
    meta.author_name = _content_of(doc, "//meta[@name='author']")
    meta.canonical = _content_of(doc, "//link[@rel='canonical']")
    meta.shortlink = _content_of(doc, "//link[@rel='shortlink']")
    meta.generator = _content_of(doc, "//meta[@name='generator']")
    meta.wp_json_href = _content_of(
        doc, "//link[@rel='alternate'][@type='application/json'][contains(@href, 'wp/v2/')]")
    meta.stylesheets = [h for h in doc.xpath("//link[contains(@rel, 'stylesheet')]/@href")]
    titles = doc.xpath("//head/title")
    meta.head_title = titles[0].text_content().strip() if titles else ""


def _json_ld_nodes(doc: lxml_html.HtmlElement) -> list[dict]:
    """Every JSON-LD node of the page (``@graph`` flattened); broken scripts are ignored."""
    nodes: list[dict] = []
    for script in doc.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                graph = item.get("@graph")
                nodes.extend(n for n in (graph if isinstance(graph, list) else [item])
                             if isinstance(n, dict))
    return nodes


def _types(node: dict) -> set[str]:
    kinds = node.get("@type", [])
    return set(kinds if isinstance(kinds, list) else [kinds])


def _read_json_ld(doc: lxml_html.HtmlElement, meta: PageMeta) -> None:
    """Dates, author, headline, primary image and WebSite facts from JSON-LD."""
    for node in _json_ld_nodes(doc):
        kinds = _types(node)
        if kinds & {"Article", "BlogPosting", "NewsArticle", "WebPage"}:
            meta.published = meta.published or parse_datetime(str(node.get("datePublished", "")))
            meta.modified = meta.modified or parse_datetime(str(node.get("dateModified", "")))
            author = node.get("author")
            if isinstance(author, dict) and not meta.author_name:
                meta.author_name = str(author.get("name", ""))
        if "WebSite" in kinds:
            meta.site_name = meta.site_name or html_to_text(str(node.get("name", "")))
            meta.site_url = meta.site_url or str(node.get("url", ""))
            meta.site_description = html_to_text(str(node.get("description", "")))
        if "ImageObject" in kinds and str(node.get("@id", "")).endswith("#primaryimage"):
            meta.primary_image = str(node.get("url") or node.get("contentUrl") or "")


def main_article(doc: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The page's own ``<article>`` (or ``.hentry``): the first one outside sidebars."""
    for elem in doc.xpath("//article | //*[contains(concat(' ', @class, ' '), ' hentry ')]"):
        if not elem.xpath(_FOREIGN_XPATH):
            return elem
    return None


def _read_article(doc: lxml_html.HtmlElement, meta: PageMeta) -> None:
    """ID, classes, title, date, author, terms and thumbnail from the main article."""
    article = main_article(doc)
    if article is not None:
        meta.article_classes = (article.get("class") or "").split()
        match = re.fullmatch(r"post-(\d+)", article.get("id") or "")
        ids = [int(c[5:]) for c in meta.article_classes if re.fullmatch(r"post-\d+", c)]
        meta.article_id = int(match.group(1)) if match else (ids[0] if ids else None)
    scope = article if article is not None else doc
    heads = scope.xpath(".//*[contains(concat(' ', @class, ' '), ' entry-title ')]")
    if heads:
        meta.title = " ".join(heads[0].text_content().split())
    for time in scope.xpath(".//time[@datetime]"):
        stamp = parse_datetime(time.get("datetime", ""))
        if stamp is not None and stamp.tzinfo is not None:
            meta.local_published = stamp
            break
    for link in doc.xpath("//a[contains(concat(' ', @rel, ' '), ' author ')]"):
        if not link.xpath(_FOREIGN_XPATH):
            meta.author_url = link.get("href", "")
            meta.author_name = meta.author_name or " ".join(link.text_content().split())
            break
    thumbs = scope.xpath(".//*[contains(@class, 'post-thumbnail')]//img/@src")
    meta.thumbnail = thumbs[0] if thumbs else ""
    meta.terms = _term_links(doc)
    described = doc.xpath(
        "//*[contains(@class, 'archive-description') or contains(@class, 'taxonomy-description')"
        " or contains(@class, 'term-description')]")
    meta.archive_description = described[0].text_content().strip() if described else ""


def _term_links(doc: lxml_html.HtmlElement) -> list[TermLink]:
    """The post's ``rel="category tag"`` / ``rel="tag"`` links (hrefs kept raw)."""
    found: list[TermLink] = []
    for link in doc.xpath("//a[@rel][@href]"):
        rel = set((link.get("rel") or "").split())
        if not rel & {"category", "tag"} or link.xpath(_FOREIGN_XPATH):
            continue
        taxonomy = "category" if "category" in rel else "post_tag"
        name = " ".join(link.text_content().split())
        found.append(TermLink(taxonomy, link.get("href", ""), name))
    return found


@dataclass(slots=True)
class WpJson:
    """The wp-json responses saved in a mirror, by kind and ID (read once, small)."""

    index: dict = field(default_factory=dict)
    records: dict[tuple[str, int], dict] = field(default_factory=dict)

    def get(self, kind: str, item_id: int | None) -> dict:
        """The record ``wp-json/wp/v2/<kind>/<id>`` ("posts", "pages", "categories" …)."""
        return self.records.get((kind, item_id), {}) if item_id is not None else {}

    def of_kind(self, kind: str) -> list[dict]:
        """Every saved record of one kind, by ID."""
        return [rec for (k, _), rec in sorted(self.records.items()) if k == kind]

    def item(self, item_id: int | None) -> dict:
        """The post or page record of an ID (WordPress IDs are unique across types)."""
        return self.get("posts", item_id) or self.get("pages", item_id)

    def add(self, rel: str, data: bytes) -> bool:
        """Keep one wp-json file if it is the index or a ``wp/v2/<kind>/<id>`` record."""
        match = re.search(r"wp-json/wp/v2/([a-z_-]+)/(\d+)(?:@[^/]*)?(?:\.json)?$", rel)
        if match is None and not re.search(r"wp-json/(index\.html?|index\.json)?$", rel):
            return False
        try:
            parsed = json.loads(data.decode("utf-8-sig"))
        except ValueError:
            return False
        if not isinstance(parsed, dict):
            return False
        if match is None:
            self.index = parsed
        else:
            self.records[(match.group(1), int(match.group(2)))] = parsed
        return True


def rendered(record: dict, key: str) -> str:
    """``record[key]["rendered"]`` (or a plain string value), "" when absent."""
    value = record.get(key, "")
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return value if isinstance(value, str) else ""


@dataclass(slots=True)
class PageRecord:
    """One saved copy of an item: its file, WordPress ID and type, and its metadata."""

    rel: str
    item_id: int
    item_type: str
    meta: PageMeta
    primary: bool = False


def site_timezone(index: dict) -> tzinfo | None:
    """The site's zone from the wp-json index (``timezone_string``, else ``gmt_offset``)."""
    name = str(index.get("timezone_string") or "")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    offset = index.get("gmt_offset")
    try:
        return timezone(timedelta(hours=float(offset))) if offset not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _offset_text(zone: tzinfo | None) -> str:
    """A zone as WordPress settings show it: an IANA name, or "+HH:MM"."""
    if zone is None:
        return ""
    if isinstance(zone, ZoneInfo):
        return zone.key
    minutes = int((zone.utcoffset(None) or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def site_facts(wp_json: WpJson, metas: list[PageMeta]) -> Site:
    """The Site: wp-json index first, then what the pages' heads agree on."""
    index = wp_json.index
    title = html_to_text(str(index.get("name", ""))) or next(
        (m.site_name for m in metas if m.site_name), "")
    base = str(index.get("home") or "") or next((m.site_url for m in metas if m.site_url), "")
    if not base:
        base = next((_origin(m.og_url) for m in metas if m.og_url.startswith("http")), "")
    description = html_to_text(str(index.get("description", ""))) or next(
        (m.site_description for m in metas if m.site_description), "")
    return Site(
        title=title,
        base_url=base.rstrip("/"),
        language=next((m.lang for m in metas if m.lang), ""),
        timezone=_offset_text(site_timezone(index)),
        description=description,
    )


def _origin(url: str) -> str:
    """``scheme://host`` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def url_segments(url: str) -> list[str]:
    """The decoded path segments of a URL, without trailing ``page/N`` or ``feed``."""
    segments = [unquote(s) for s in urlsplit(url).path.split("/") if s]
    if len(segments) >= 2 and segments[-2] == "page" and segments[-1].isdigit():
        segments = segments[:-2]
    if segments and segments[-1] == "feed":
        segments = segments[:-1]
    return segments


def term_from_url(url: str, taxonomy: str, name: str) -> Term | None:
    """A term from its archive URL (``/category/parent/child/``, ``/tag/x/``)."""
    segments = url_segments(url)
    if "?" in url and not segments:
        return None
    if not segments:
        return None
    parent = segments[-2] if taxonomy == "category" and len(segments) > 2 else ""
    return Term(taxonomy, segments[-1], name or segments[-1], parent=parent)


def wp_json_terms(wp_json: WpJson) -> list[Term]:
    """Categories and tags the mirror's wp-json responses describe."""
    terms: list[Term] = []
    for kind, taxonomy in (("categories", "category"), ("tags", "post_tag")):
        for rec in wp_json.of_kind(kind):
            parent = wp_json.get(kind, rec.get("parent") or None)
            terms.append(Term(
                taxonomy=str(rec.get("taxonomy") or taxonomy),
                slug=unquote(str(rec.get("slug", ""))),
                name=html_to_text(str(rec.get("name", ""))),
                parent=unquote(str(parent.get("slug", ""))) if parent else "",
                description=str(rec.get("description", "")),
                id=rec.get("id") if isinstance(rec.get("id"), int) else None,
            ))
    return terms


def merge_terms(groups: list[list[Term]]) -> tuple[Term, ...]:
    """Terms deduplicated by (taxonomy, slug); earlier groups win, later ones fill gaps."""
    merged: dict[tuple[str, str], Term] = {}
    for group in groups:
        for term in group:
            key = (term.taxonomy, term.slug)
            known = merged.get(key)
            if known is None:
                merged[key] = term
            elif not known.description and term.description:
                merged[key] = Term(known.taxonomy, known.slug, known.name,
                                   known.parent or term.parent, term.description, known.id)
    return tuple(merged.values())


def wp_json_authors(wp_json: WpJson) -> list[Author]:
    """Users the mirror's wp-json responses describe (slug as login)."""
    return [
        Author(login=unquote(str(rec.get("slug", ""))), display_name=str(rec.get("name", "")),
               id=rec.get("id") if isinstance(rec.get("id"), int) else None)
        for rec in wp_json.of_kind("users") if rec.get("slug")
    ]
