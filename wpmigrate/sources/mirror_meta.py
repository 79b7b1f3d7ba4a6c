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
from collections import Counter
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
    "ancestor::aside or ancestor::*[not(self::body)]"
    "[contains(concat(' ', normalize-space(@class), ' '), ' widget ') "
    "or contains(@class, 'sidebar') or contains(@class, 'related') "
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


def extract_page_meta(doc: lxml_html.HtmlElement, full: bool = True) -> PageMeta:
    """Read the head and (when ``full``) the JSON-LD and main article markup of a page.

    ``full=False`` reads only what classifying a page and describing the site need."""
    meta = PageMeta(lang=doc.get("lang", "") or doc.get("xml:lang", ""))
    body = doc.find("body")
    meta.body_classes = (body.get("class", "") if body is not None else "").split()
    _read_head(doc, meta)
    if {"category", "tag", "tax", "archive"} & set(meta.body_classes):
        described = doc.xpath(
            "//*[contains(@class, 'archive-description') or contains(@class, "
            "'taxonomy-description') or contains(@class, 'term-description')]")
        meta.archive_description = described[0].text_content().strip() if described else ""
    if full:
        _read_json_ld(doc, meta)
        _read_article(doc, meta)
    return meta


def _head_values(doc: lxml_html.HtmlElement) -> dict[str, str]:
    """``<meta property|name>`` contents and ``<link rel>`` hrefs of the page, first wins."""
    values: dict[str, str] = {}
    for elem in doc.iter("meta", "link"):
        if elem.tag == "meta":
            key, value = elem.get("property") or elem.get("name"), elem.get("content")
        else:
            key, value = f"rel:{elem.get('rel', '')}", elem.get("href")
        if key and value and value.strip() and key not in values:
            values[key] = value.strip()
    return values


def _read_head(doc: lxml_html.HtmlElement, meta: PageMeta) -> None:
    """OpenGraph, article:*, canonical, shortlink, generator, wp-json link, title."""
    head = _head_values(doc)
    meta.og_title = html_to_text(head.get("og:title", ""))
    meta.site_name = html_to_text(head.get("og:site_name", ""))
    meta.og_url = head.get("og:url", "")
    meta.og_image = head.get("og:image", "")
    meta.description = head.get("og:description", "") or head.get("description", "")
    meta.published = parse_datetime(head.get("article:published_time", ""))
    meta.modified = parse_datetime(head.get("article:modified_time", ""))
    meta.author_name = head.get("author", "")
    meta.canonical = head.get("rel:canonical", "")
    meta.shortlink = head.get("rel:shortlink", "")
    meta.generator = head.get("generator", "")
    meta.wp_json_href = next(
        (h for h in doc.xpath("//link[@rel='alternate'][@type='application/json']/@href")
         if "wp/v2/" in h), "")
    meta.stylesheets = list(doc.xpath("//link[contains(@rel, 'stylesheet')]/@href"))
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
    """A JSON-LD node's ``@type`` values as a set."""
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


def main_article(
    doc: lxml_html.HtmlElement, item_id: int | None = None
) -> lxml_html.HtmlElement | None:
    """The page's own ``<article>``: the one carrying ``post-<ID>`` when the ID is known
    (None when the page shows no such element), else the first one outside sidebars."""
    if item_id is not None:
        found = doc.xpath(f"//*[@id='post-{item_id}'] | //*[{_has_class(f'post-{item_id}')}]")
        return found[0] if found else None
    for elem in doc.xpath(f"//article | //*[{_has_class('hentry')}]"):
        if not elem.xpath(_FOREIGN_XPATH):
            return elem
    return None


def _has_class(name: str) -> str:
    """An XPath predicate: the class list contains ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def body_item_id(body_classes: list[str]) -> int | None:
    """The item ID ``body_class()`` prints on singular pages (``postid-N``, ``page-id-N``)."""
    for token in body_classes:
        if match := re.fullmatch(r"(?:postid|page-id)-(\d+)", token):
            return int(match.group(1))
    return None


def _scoped(doc: lxml_html.HtmlElement, article: lxml_html.HtmlElement | None,
            xpath: str) -> list[lxml_html.HtmlElement]:
    """Matches of ``xpath`` that belong to the page's own item: inside its article first,
    then outside every article and outside sidebars (themes such as the-conference print
    the title and byline in a page header). Nothing when the page has no article."""
    if article is None:
        return []
    inside = article.xpath(f"({'|'.join('.' + x.strip() for x in xpath.split('|'))})")
    outside = doc.xpath(f"({xpath})[not(ancestor::article)][not({_FOREIGN_XPATH})]")
    return inside + outside


def _read_article(doc: lxml_html.HtmlElement, meta: PageMeta) -> None:
    """ID, classes, title, date, author, terms and thumbnail from the main article."""
    known_id = body_item_id(meta.body_classes)
    article = main_article(doc, known_id)
    if article is not None:
        meta.article_classes = (article.get("class") or "").split()
        match = re.fullmatch(r"post-(\d+)", article.get("id") or "")
        ids = [int(c[5:]) for c in meta.article_classes if re.fullmatch(r"post-\d+", c)]
        meta.article_id = int(match.group(1)) if match else (ids[0] if ids else None)
    heads = _scoped(doc, article, f"//*[{_has_class('entry-title')}]") or _scoped(
        doc, article, f"//h1[{_has_class('page-title')}]")
    if heads:
        meta.title = " ".join(heads[0].text_content().split())
    for time in _scoped(doc, article, "//time[@datetime]"):
        stamp = parse_datetime(time.get("datetime", ""))
        if stamp is not None and stamp.tzinfo is not None:
            meta.local_published = stamp
            break
    author_links = [a for a in doc.xpath("//a[contains(concat(' ', @rel, ' '), ' author ')]")
                    if not a.xpath(_FOREIGN_XPATH)] + _scoped(
        doc, article, "//*[contains(@class, 'byline') or contains(@class, 'entry-author')"
        " or contains(@class, 'vcard')]//a[@href] | //a[contains(@href, '/author/')]")
    if author_links:
        meta.author_url = author_links[0].get("href", "")
        meta.author_name = meta.author_name or " ".join(author_links[0].text_content().split())
    thumbs = _scoped(doc, article, "//*[contains(@class, 'post-thumbnail')]//img")
    meta.thumbnail = thumbs[0].get("src", "") if thumbs else ""
    meta.terms = _term_links(doc)


def _term_links(doc: lxml_html.HtmlElement) -> list[TermLink]:
    """The post's ``rel="category tag"`` / ``rel="tag"`` links (hrefs kept raw)."""
    found: list[TermLink] = []
    xpath = ("//a[@href][contains(concat(' ', @rel, ' '), ' category ') or "
             f"contains(concat(' ', @rel, ' '), ' tag ')][not({_FOREIGN_XPATH})]")
    for link in doc.xpath(xpath):
        taxonomy = "category" if "category" in (link.get("rel") or "").split() else "post_tag"
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
    base = _pages_origin(metas)
    home = str(index.get("home") or "")
    if home and (not base or urlsplit(home).hostname == urlsplit(base).hostname):
        base = home  # wp-json knows the path of a site in a subfolder
    description = html_to_text(str(index.get("description", ""))) or next(
        (m.site_description for m in metas if m.site_description), "")
    return Site(
        title=title,
        base_url=base.rstrip("/"),
        language=next((m.lang for m in metas if m.lang), ""),
        timezone=_offset_text(site_timezone(index)),
        description=description,
    )


def _pages_origin(metas: list[PageMeta]) -> str:
    """The site's home as the pages state it (JSON-LD WebSite url, else the most common
    ``scheme://host`` of og:url / canonical). A wp-json index saved from a staging host
    loses against this."""
    if site_url := next((m.site_url for m in metas if m.site_url), ""):
        return site_url
    origins = Counter(
        f"{parts.scheme}://{parts.netloc}"
        for m in metas for url in (m.og_url, m.canonical)
        if (parts := urlsplit(url)).scheme in ("http", "https") and parts.netloc
    )
    return origins.most_common(1)[0][0] if origins else ""


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
