"""Markdown links and heading anchors, with exact line and column, fast.

The whole body is scanned with a few regular expressions rather than parsed token by
token: code (fenced and indented blocks, inline spans) and HTML comments are first
*masked* — replaced by spaces of the same length, newlines kept — so every later match
keeps its true offset, which is turned into line and column at the end. This is about
fifty times faster than a full CommonMark parse, which matters on a 50k-page site.
"""

from __future__ import annotations

import html
import re

from wpmigrate.checks.findings import Link
from wpmigrate.checks.frontmatter import split_front_matter
from wpmigrate.checks.htmlattrs import attr_urls
from wpmigrate.checks.parsed import ParsedFile
from wpmigrate.checks.slugs import SlugCounter

_FENCED = re.compile(
    r"^ {0,3}(`{3,}|~{3,})[^\n]*\n(?:.*?\n)?? {0,3}\1[`~]*[ \t]*(?:\n|\Z)"
    r"|^ {0,3}(?:`{3,}|~{3,}).*\Z",
    re.M | re.S,
)
_INDENTED = re.compile(r"(?<=\n)[ \t]*\n((?:(?: {4}|\t)[^\n]*\n?|[ \t]*\n)+)")
_CODE_SPAN = re.compile(r"(`+)[^\n]+?\1")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+([^\n]*?))?(?:[ \t]+#+)?[ \t]*$", re.M)
_UNDERLINE = re.compile(r"\n {0,3}(?:=+|-+)[ \t]*(?=\n|\Z)")
_NOT_PARAGRAPH = re.compile(r"^\s*(?:[-*+>#|]|\d{1,9}[.)]\s|$)")
_CUSTOM_ID = re.compile(r"\s*\{#([^}\s]+)[^}]*\}\s*$")
_LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:\s|$)|^(?: {4}|\t)")
_REF_DEF = re.compile(r"^ {0,3}\[(?!\^)(?:[^\]\\\n]|\\.)+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
_LINK_OPEN = re.compile(r"\]\(")
_SIMPLE_DEST = re.compile(r"[ \t]*([^\s()\\<>]+)(?=[ \t]|\))")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+)>")
_BARE_URL = re.compile(r"(?<![\w/\"'=(<\[])(https?://[^\s<>\"'`\])]+[^\s<>\"'`\]).,:;!?*_])")
_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_TAG_ATTR = re.compile(r"""\s(href|src|poster|srcset|data-src)\s*=\s*("[^"]*"|'[^']*')""")
_TAG_ID = re.compile(r"""\s(?:id|name)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_SHORTCODE_REF = re.compile(r"""\{\{[<%]\s*(?:rel)?ref\s+"([^"]+)"\s*[>%]\}\}""")
_SHORTCODE = re.compile(r"\{\{[<%]\s*[\w/-]+\s[^}]*?[>%]\}\}")
_SHORTCODE_ATTR = re.compile(r"""\b(src|link|href|image)\s*=\s*("[^"]*"|'[^']*')""")
_INLINE_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`~]|<[^>]+>")
_NOT_NEWLINE = re.compile(r"[^\n]")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _blank(match: re.Match[str]) -> str:
    """Same-length replacement of a match: spaces, newlines kept."""
    return _NOT_NEWLINE.sub(" ", match.group(0))


def _mask_indented(text: str) -> str:
    """Mask indented code blocks, unless the indentation continues a list item."""
    def replace(match: re.Match[str]) -> str:
        """Blank the block unless the line before the blank line is a list item."""
        before = text[: match.start()].rstrip("\n")
        previous = before[before.rfind("\n") + 1 :]
        if _LIST_LINE.match(previous):
            return match.group(0)
        return _blank(match)
    return _INDENTED.sub(replace, text)


def mask_code(text: str) -> str:
    """Return ``text`` with code and comments replaced by spaces (offsets unchanged)."""
    if "```" in text or "~~~" in text:
        text = _FENCED.sub(_blank, text)
    if "\n    " in text or "\n\t" in text:
        text = _mask_indented(text)
    if "`" in text:
        text = _CODE_SPAN.sub(_blank, text)
    if "<!--" in text:
        text = _COMMENT.sub(_blank, text)
    return text


def parse_markdown(text: str) -> ParsedFile:
    """Return the links (front matter included) and heading anchors of a Markdown file."""
    front, body_line, body = split_front_matter(text)
    parsed = ParsedFile(front=front)
    parsed.links.extend(front.links)
    # Scans start at ``body``; the front matter only has to keep its length and end in
    # a newline (setext and ``^`` checks look one character back).
    masked = " " * (body - 1) + "\n" + mask_code(text[body:]) if body else mask_code(text)
    found: list[tuple[int, str, str]] = []  # (offset, url, kind)
    _links(masked, body, found)
    _headings(masked, body, parsed.anchors)
    line, previous = body_line + 1, body
    unique = {offset: (offset, url, kind) for offset, url, kind in reversed(found)}
    for offset, url, kind in sorted(unique.values()):
        line += text.count("\n", previous, offset)
        previous = offset
        column = offset - text.rfind("\n", 0, offset)
        parsed.links.append(Link(_unescape(url), line, column, kind))
    return parsed


def _links(masked: str, body: int, found: list[tuple[int, str, str]]) -> None:
    """Collect every link destination of the (masked) body with its offset."""
    taken: set[int] = set()
    if "]:" in masked:
        for match in _REF_DEF.finditer(masked, body):
            found.append((match.start(1), match.group(1).strip("<>"), "reference"))
            taken.add(match.start(1))
    for match in _LINK_OPEN.finditer(masked, body):
        if _escaped(masked, match.start()):
            continue  # ``\](`` is text: ``[A\](xs : List[A])`` is Scala, not a link
        destination = _destination(masked, match.end())
        if destination is not None:
            url, offset = destination
            found.append((offset, url, "image" if _is_image(masked, match.start()) else "link"))
    if "<" in masked:
        _html(masked, body, found, taken)
    if "://" in masked:
        for match in _BARE_URL.finditer(masked, body):
            if match.start() not in taken and not _in_link_text(masked, *match.span(1)):
                found.append((match.start(), match.group(1), "link"))
    if "{{" in masked:
        _shortcodes(masked, body, found)


def _in_link_text(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (a bare URL) lies inside the text of an inline link on
    its line, ``[see http://old/x](/new/)``: a link's text holds no other link."""
    opening = text.rfind("[", 0, start)
    closing = text.find("](", end)
    if opening == -1 or closing == -1:
        return False
    before, after = text[opening + 1 : start], text[end:closing]
    return not any(c in before or c in after for c in "[]\n")


def _escaped(text: str, pos: int) -> bool:
    """Whether the character at ``pos`` follows an odd number of backslashes."""
    start = pos
    while start > 0 and text[start - 1] == "\\":
        start -= 1
    return (pos - start) % 2 == 1


def _shortcodes(masked: str, body: int, found: list[tuple[int, str, str]]) -> None:
    """Hugo ``ref``/``relref`` targets and ``src=``/``link=`` of shortcodes (``figure``)."""
    for match in _SHORTCODE_REF.finditer(masked, body):
        found.append((match.start(1), match.group(1), "ref"))
    for code in _SHORTCODE.finditer(masked, body):
        for attr in _SHORTCODE_ATTR.finditer(code.group(0)):
            kind = "link" if attr.group(1) in ("link", "href") else "image"
            found.append((code.start() + attr.start(2) + 1, attr.group(2)[1:-1], kind))


def _html(masked: str, body: int, found: list[tuple[int, str, str]], taken: set[int]) -> None:
    """Links in raw HTML and ``<https://…>`` autolinks written inside Markdown."""
    for match in _AUTOLINK.finditer(masked, body):
        found.append((match.start(1), match.group(1), "link"))
    for tag in _TAG.finditer(masked, body):
        source = tag.group(0)
        kind = "image" if source[1:4].lower() == "img" else "html"
        for attr in _TAG_ATTR.finditer(source):
            start = tag.start() + attr.start(2) + 1
            taken.add(start)
            for url, delta in attr_urls(attr.group(1), html.unescape(attr.group(2)[1:-1])):
                found.append((start + delta, url, kind))


def html_ids(masked: str, body: int) -> set[str]:
    """``id``/``name`` attributes of raw HTML tags in the masked body."""
    ids = set()
    for tag in _TAG.finditer(masked, body):
        for match in _TAG_ID.finditer(tag.group(0)):
            ids.add(match.group(1).strip("\"'"))
    return ids


def _headings(masked: str, body: int, anchors: set[str]) -> None:
    """Anchors of ATX and setext headings, in document order, plus raw HTML ids."""
    headings: list[tuple[int, str]] = []
    if "#" in masked:
        headings.extend((m.start(), m.group(1) or "") for m in _ATX.finditer(masked, body))
    if "\n=" in masked or "\n-" in masked or "\n " in masked:
        for match in _UNDERLINE.finditer(masked, max(body - 1, 0)):
            start = masked.rfind("\n", 0, match.start()) + 1
            previous = masked[start : match.start()]
            if start >= body and previous.strip() and not _NOT_PARAGRAPH.match(previous):
                headings.append((start, previous.strip()))
    slugs = SlugCounter()
    for _, text in sorted(headings):
        custom = _CUSTOM_ID.search(text)
        if custom:
            anchors.add(custom.group(1))
            continue
        plain = text
        if any(char in text for char in "[*_`~<"):
            plain = _INLINE_MARKUP.sub(lambda m: m.group(1) or "", text)
        if "&" in plain:
            plain = html.unescape(plain)
        anchors.update(slugs.add(plain))
    if "<" in masked:
        anchors.update(html_ids(masked, body))


def _is_image(text: str, close: int) -> bool:
    """True when the ``]`` at ``close`` ends ``![alt`` rather than ``[text``."""
    line_start = text.rfind("\n", 0, close) + 1
    opening = text.rfind("[", line_start, close)
    if opening != -1 and text.find("]", opening, close) == -1:
        return opening > 0 and text[opening - 1] == "!"  # no nested brackets: fast path
    depth = 0
    for pos in range(close - 1, line_start - 1, -1):
        char = text[pos]
        if char == "]":
            depth += 1
        elif char == "[":
            if depth == 0:
                return pos > 0 and text[pos - 1] == "!"
            depth -= 1
    return False


def _destination(text: str, pos: int) -> tuple[str, int] | None:
    """Read an inline link destination starting at ``pos``; return it and its offset."""
    simple = _SIMPLE_DEST.match(text, pos)
    if simple:
        return simple.group(1), simple.start(1)
    end_of_line = text.find("\n", pos)
    length = len(text) if end_of_line == -1 else end_of_line
    while pos < length and text[pos] in " \t":
        pos += 1
    if pos < length and text[pos] == "<":
        end = text.find(">", pos + 1, length)
        return (text[pos + 1 : end], pos + 1) if end != -1 else None
    start, depth = pos, 0
    while pos < length:
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char in " \t":
            break
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        pos += 1
    if pos >= length or depth or pos == start:
        return None
    return text[start:pos], start


def _unescape(url: str) -> str:
    """Undo Markdown backslash escapes and HTML entities in a destination."""
    if "\\" in url:
        url = _ESCAPE.sub(r"\1", url)
    if "&" in url:
        url = html.unescape(url)
    return url
