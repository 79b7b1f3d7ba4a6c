"""Find every link and every anchor in a Markdown or HTML file, with line and column.

Markdown goes to :mod:`wpmigrate.checks.markdown` (a fast masking scanner); HTML is
parsed with lxml, which gives the line of each element; the column is then found on
that line.
"""

from __future__ import annotations

import html

from lxml import etree
from lxml import html as lxml_html

from wpmigrate.checks.findings import Link
from wpmigrate.checks.htmlattrs import attr_urls
from wpmigrate.checks.markdown import parse_markdown
from wpmigrate.checks.parsed import ParsedFile

MARKDOWN_SUFFIXES = (".md", ".mdx", ".markdown", ".mdown", ".mkd")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")

#: HTML elements and the attributes of theirs that point somewhere.
HTML_LINK_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "link": ("href",),
    "script": ("src",),
}


def parse_file(text: str, suffix: str) -> ParsedFile:
    """Parse ``text`` as Markdown or HTML according to the file suffix."""
    if suffix.lower() in HTML_SUFFIXES:
        return parse_html(text)
    return parse_markdown(text)


def parse_html(text: str) -> ParsedFile:
    """Return the links and ids of an HTML page; columns are found on the source line."""
    parsed = ParsedFile()
    if not text.strip():
        return parsed
    try:
        parser = lxml_html.HTMLParser(encoding="utf-8")
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return parsed
    lines = text.split("\n")
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        ident = element.get("id")
        if ident:
            parsed.anchors.add(ident)
        if tag == "a" and element.get("name"):
            parsed.anchors.add(element.get("name", ""))
        for attr in HTML_LINK_ATTRS.get(tag, ()):
            value = element.get(attr)
            if value is None or (tag == "link" and _is_hint_link(element)):
                continue
            lineno = element.sourceline or 1
            for url, _ in attr_urls(attr, value):
                line, col = _find_column(lines, lineno, url)
                kind = "image" if tag == "img" else "html"
                parsed.links.append(Link(url, line, col, kind))
    return parsed


def _is_hint_link(element: etree._Element) -> bool:
    """``<link rel=preconnect|dns-prefetch>`` names hosts, not documents."""
    rel = (element.get("rel") or "").lower()
    return any(word in rel for word in ("preconnect", "dns-prefetch", "pingback"))


def _find_column(lines: list[str], lineno: int, url: str) -> tuple[int, int]:
    """Line and 1-based column of ``url`` near ``lineno`` (lxml reports lines only; a tag
    may span lines), else ``(lineno, 1)``."""
    candidates = (url, html.escape(url, quote=False), html.escape(url))
    for number in (lineno, lineno - 1, lineno + 1, lineno - 2, lineno + 2):
        if 0 < number <= len(lines):
            line = lines[number - 1]
            for candidate in candidates:
                pos = line.find(candidate)
                if pos != -1:
                    return number, pos + 1
    return lineno, 1
