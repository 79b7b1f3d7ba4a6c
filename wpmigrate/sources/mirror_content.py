"""A mirrored post's body: find it in the page, clean it, and give links their old URLs.

The body is the theme's ``entry-content`` element (or its equivalent, see ``themes``),
without any theme furniture. Every link into the mirror (``../../2022/02/11/x/index.html``,
``index.html@p=101.html``, ``../../content/uploads/a-300x169.jpg``) is rewritten to the
absolute URL it had on the old site (``https://example.org/2022/02/11/x/``,
``https://example.org/?p=101`` …), so the pipeline's one URL index can map mirror and WXR
links alike. External links are not touched. Lazy-loading attributes become real ones.
The featured image (wp-json, JSON-LD, og:image, the post thumbnail, or what archive
listings show) and the excerpt's "Continue reading" link are handled here too.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

from wpmigrate.sources.mirror_files import path_to_url_path
from wpmigrate.sources.mirror_meta import PageMeta, PageRecord, WpJson, main_article, rendered
from wpmigrate.sources.themes import (
    COMMON_REMOVE,
    FALLBACK,
    NOT_BODY_WORDS,
    ThemeProfile,
    theme_of,
)

_URL_ATTRIBUTES = ("href", "src", "poster", "data", "action")
_SRCSET_ATTRIBUTES = ("srcset",)
_LAZY_SRC = ("data-lazy-src", "data-src", "data-original", "data-orig-src")
_LAZY_SRCSET = ("data-lazy-srcset", "data-srcset")
_NO_REWRITE = re.compile(r"^(#|mailto:|tel:|javascript:|data:|about:|sms:|callto:)", re.I)
_PLACEHOLDER = re.compile(r"^data:|lazy|placeholder|blank\.gif|spacer\.gif", re.I)
_MEDIA_TAGS = ("img", "iframe", "video", "audio", "source", "embed")
_ESCAPED_ATTRIBUTES = ("href", "src", "action", "name")
_SAFE_URL = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$'()*+,;=%]*")


@dataclass(frozen=True, slots=True)
class UrlMapper:
    """Turns any reference found in a mirror page into the old site's absolute URL."""

    base_url: str  # "https://example.org", no trailing slash ("" when unknown)

    @property
    def hosts(self) -> frozenset[str]:
        """The site's host names: as given, and with/without ``www.``."""
        host = urlsplit(self.base_url).hostname or ""
        bare = host.removeprefix("www.")
        return frozenset({host, bare, f"www.{bare}"}) if host else frozenset()

    def is_internal(self, url: str) -> bool:
        """Whether an absolute URL points at the old site."""
        return (urlsplit(url).hostname or "") in self.hosts

    def to_old_url(self, ref: str, page_rel: str) -> str:
        """The old absolute URL of ``ref`` as written in mirror file ``page_rel``."""
        ref = ref.strip()
        if not ref or _NO_REWRITE.match(ref):
            return ref
        parts = urlsplit(ref)
        if parts.scheme or ref.startswith("//"):
            if parts.scheme not in ("", "http", "https") or not self.is_internal(ref):
                return ref
            return self._absolute(parts.path or "/", parts.query, parts.fragment)
        if ref.startswith("/"):
            return self._absolute(parts.path, parts.query, parts.fragment)
        return self._from_mirror_path(parts.path, parts.query, parts.fragment, page_rel, ref)

    def _absolute(self, path: str, query: str, fragment: str) -> str:
        """``base_url`` + path, query and fragment as given."""
        url = f"{self.base_url}{path}" + (f"?{query}" if query else "")
        return url + (f"#{fragment}" if fragment else "")

    def _from_mirror_path(
        self, path: str, query: str, fragment: str, page_rel: str, ref: str
    ) -> str:
        """Resolve a relative link against the page's folder and undo the tool's naming."""
        target = unquote(path)
        if not target:
            return ref
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_rel), target))
        if joined.startswith("../") or joined == "..":
            return ref
        if target.endswith("/") or joined == ".":
            joined = "index.html" if joined == "." else f"{joined}/index.html"
        url_path = path_to_url_path(joined)
        if query:
            url_path += ("&" if "?" in url_path else "?") + query
        if not self.base_url:
            return url_path + (f"#{fragment}" if fragment else "")
        return f"{self.base_url}{url_path}" + (f"#{fragment}" if fragment else "")


def find_body(
    doc: lxml_html.HtmlElement,
    article: lxml_html.HtmlElement | None,
    profile: ThemeProfile,
) -> lxml_html.HtmlElement | None:
    """The element holding the post's body, by the theme's table row, the generic row,
    and finally by text density inside ``main``/``article``."""
    scopes = [s for s in (article, doc) if s is not None]
    for row in (profile, FALLBACK):
        for scope in scopes:
            for xpath in row.content:
                found = scope.xpath(xpath)
                if found:
                    return found[0]
    return densest_element(doc)


def _is_furniture(elem: lxml_html.HtmlElement) -> bool:
    """Whether an element (or an ancestor) is navigation, sidebar, comments, share …"""
    for node in (elem, *elem.iterancestors()):
        if not isinstance(node.tag, str):
            continue
        if node.tag in ("nav", "aside", "footer", "header", "form"):
            return True
        words = f"{node.get('class', '')} {node.get('id', '')}".lower()
        if any(word in words for word in NOT_BODY_WORDS):
            return True
    return False


def densest_element(doc: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The element with the most paragraph text (its own ``<p>`` children count fully,
    grandchildren half), ignoring furniture; searched inside ``main``/``article`` first."""
    roots = doc.xpath("//main | //article | //*[@role='main']") or doc.xpath("//body")
    scores: dict[lxml_html.HtmlElement, float] = {}
    for root in roots:
        for para in root.iter("p", "pre", "li", "blockquote"):
            if _is_furniture(para):
                continue
            weight = float(len(para.text_content().strip()))
            parent = para.getparent()
            if parent is not None:
                scores[parent] = scores.get(parent, 0.0) + weight
                grand = parent.getparent()
                if grand is not None:
                    scores[grand] = scores.get(grand, 0.0) + weight / 2
    if not scores:
        return None
    return max(scores.items(), key=lambda pair: pair[1])[0]


def clean_body(body: lxml_html.HtmlElement, profile: ThemeProfile) -> None:
    """Remove theme and plugin furniture injected inside the body (in place)."""
    for xpath in (*profile.remove, *COMMON_REMOVE):
        for elem in body.xpath(xpath):
            if elem is not body and elem.getparent() is not None:
                elem.drop_tree()
    for comment in body.xpath(".//comment()"):
        if comment.getparent() is not None:
            comment.drop_tree()  # theme markers such as <!-- .entry-content -->


def unlazy(body: lxml_html.HtmlElement) -> None:
    """Turn lazy-loading attributes into ``src``/``srcset`` and drop ``<noscript>`` twins."""
    converted = False
    for elem in body.iter(*_MEDIA_TAGS):
        for attr in _LAZY_SRC:
            value = elem.get(attr)
            if value and (not elem.get("src") or _PLACEHOLDER.search(elem.get("src", ""))):
                elem.set("src", value)
                converted = True
            if value:
                del elem.attrib[attr]
        for attr in _LAZY_SRCSET:
            value = elem.get(attr)
            if value:
                elem.set("srcset", value)
                del elem.attrib[attr]
    if converted:
        for noscript in body.xpath(".//noscript"):
            previous = noscript.getprevious()
            if previous is not None and previous.tag in _MEDIA_TAGS:
                noscript.drop_tree()


def rewrite_links(body: lxml_html.HtmlElement, mapper: UrlMapper, page_rel: str) -> None:
    """Give every href/src/srcset/poster its old absolute URL (in place)."""
    for elem in body.iter():
        if not isinstance(elem.tag, str):
            continue
        for attr in _URL_ATTRIBUTES:
            value = elem.get(attr)
            if value is not None:
                elem.set(attr, mapper.to_old_url(value, page_rel))
        for attr in _SRCSET_ATTRIBUTES:
            value = elem.get(attr)
            if value:
                elem.set(attr, _rewrite_srcset(value, mapper, page_rel))


def _rewrite_srcset(value: str, mapper: UrlMapper, page_rel: str) -> str:
    """Rewrite each URL of a ``srcset`` list, keeping its width/density descriptor."""
    entries = []
    for entry in value.split(","):
        bits = entry.strip().split(None, 1)
        if bits:
            url = mapper.to_old_url(bits[0], page_rel)
            entries.append(" ".join([url, *bits[1:]]))
    return ", ".join(entries)


def inner_html(elem: lxml_html.HtmlElement) -> str:
    """The element's children serialized as HTML (the element's own tag left out).

    libxml2 percent-escapes ``href``/``src``/``action``/``name`` values when it writes
    HTML (spaces, non-ASCII), which would change URLs as the author wrote them; such
    values are swapped for ASCII tokens during serialization and put back afterwards.
    """
    kept: dict[str, str] = {}
    for node in elem.iter():
        if not isinstance(node.tag, str):
            continue
        for attr in _ESCAPED_ATTRIBUTES:
            value = node.get(attr)
            if value and not _SAFE_URL.fullmatch(value):
                token = f"wpmigrate-url-{len(kept)}-token"
                kept[token] = value
                node.set(attr, token)
    parts = [escape(elem.text, quote=False) if elem.text else ""]
    for child in elem:
        parts.append(lxml_html.tostring(child, encoding="unicode", method="html"))
    text = "".join(parts).strip("\n\t ") + "\n"
    for token, value in kept.items():
        text = text.replace(token, escape(value, quote=True))
    return text


def body_html(
    fragment_or_doc: lxml_html.HtmlElement,
    mapper: UrlMapper,
    page_rel: str,
    profile: ThemeProfile | None = None,
) -> str:
    """Clean, un-lazy, rewrite links and serialize a body element."""
    clean_body(fragment_or_doc, profile or FALLBACK)
    unlazy(fragment_or_doc)
    rewrite_links(fragment_or_doc, mapper, page_rel)
    return inner_html(fragment_or_doc)


def fragment_body(html_text: str) -> lxml_html.HtmlElement:
    """Parse a stored HTML fragment (wp-json ``content.rendered``) into a ``<div>``."""
    wrapper = lxml_html.fragment_fromstring(html_text or "", create_parent="div")
    return wrapper


_MORE_TEXT = re.compile(r"(…|\[…\]|\.\.\.)\s*(Continue reading|Read more|Leer más|Lire la suite|"
                        r"Weiterlesen|続きを読む)\b.*$", re.S)


def clean_excerpt(excerpt: str, is_html: bool) -> str:
    """An excerpt without the theme's "Continue reading" link (WordPress's excerpt_more
    filter adds it to automatic excerpts in wp-json and og:description alike)."""
    if not excerpt.strip():
        return ""
    if not is_html:
        return _MORE_TEXT.sub(r"\1", excerpt.strip())
    wrapper = fragment_body(excerpt)
    for link in wrapper.xpath(".//a[contains(@class, 'more-link') or contains(@class, "
                              "'read-more')] | .//*[contains(@class, 'more-link-container')]"):
        link.drop_tree()
    return inner_html(wrapper)


def listed_thumbnails(doc: lxml_html.HtmlElement) -> dict[int, str]:
    """Featured images an archive page shows for the posts it lists: ``{post ID: URL as
    written}``, the largest ``srcset`` candidate when there is one. Themes such as hueman
    show the featured image only in listings, never on the post's own page."""
    found: dict[int, str] = {}
    for article in doc.xpath("//article[contains(@class, 'has-post-thumbnail')]"):
        ids = [c[5:] for c in (article.get("class") or "").split() if re.fullmatch(r"post-\d+", c)]
        imgs = article.xpath(".//*[contains(@class, 'post-thumbnail')]//img")
        if not ids or not imgs:
            continue
        found.setdefault(int(ids[0]), _largest_candidate(imgs[0]))
    return found


def _largest_candidate(img: lxml_html.HtmlElement) -> str:
    """The ``srcset`` URL with the largest width descriptor, else ``src``."""
    best, best_width = img.get("src", ""), 0
    for entry in (img.get("srcset") or "").split(","):
        bits = entry.split()
        if len(bits) == 2 and bits[1].endswith("w") and bits[1][:-1].isdigit():
            width = int(bits[1][:-1])
            if width > best_width:
                best, best_width = bits[0], width
    return best


def featured_image(
    rec: dict, meta: PageMeta, wp_json: WpJson, rel: str, mapper: UrlMapper
) -> str:
    """The featured image URL: wp-json media, JSON-LD primary image, og:image, thumbnail."""
    media = wp_json.get("media", rec.get("featured_media") or None)
    if media.get("source_url"):
        return str(media["source_url"])
    if meta.article_classes and "has-post-thumbnail" not in meta.article_classes:
        return ""
    if rec and not rec.get("featured_media"):
        return ""
    for url in (meta.primary_image, meta.og_image, meta.thumbnail):
        url = mapper.to_old_url(url, rel) if url else ""
        if url and "/uploads/" in url:
            return url
    return ""


def post_body(record: PageRecord, doc: lxml_html.HtmlElement, rec: dict,
              mapper: UrlMapper) -> str:
    """The post's body only, links normalized to old-site URLs: wp-json's
    ``content.rendered`` when the mirror has it (what WordPress rendered, links as the
    author wrote them), else the theme's body element of the page."""
    profile = theme_of(record.meta.stylesheets, record.meta.body_classes)
    if rendered(rec, "content"):
        return body_html(fragment_body(rendered(rec, "content")), mapper, record.rel, profile)
    body = find_body(doc, main_article(doc, record.item_id), profile)
    if body is None:
        raise ValueError(f"no post body found (theme {profile.name})")
    return body_html(body, mapper, record.rel, profile)
