"""WordPress's ``wpautop``: turn blank-line separated text into ``<p>`` and ``<br />``.

Classic-editor content is stored without paragraphs; WordPress adds them on display
(``the_content`` → ``wpautop``). This module reproduces that behaviour, derived from
WordPress's documented behaviour and its unit tests (``tests/formatting/wpAutop.php``):

* runs of blank lines separate paragraphs; a single newline becomes ``<br />``;
* block-level tags (``div``, ``ul``, ``table``, ``h1``… ``figure``) are never wrapped
  in ``<p>`` and get no ``<br />`` next to them;
* nothing is inserted inside ``<pre>``, ``<script>``, ``<style>``, ``<textarea>``,
  ``<svg>``, HTML comments, CDATA or tags themselves (their newlines are kept);
* ``<option>``, ``<param>``/``<embed>`` in ``<object>``, ``<source>``/``<track>`` in
  media elements, and ``<figcaption>`` are kept tight;
* ``<!--more-->`` and ``<!--nextpage-->`` stay on their own, outside any paragraph.

The implementation works in named steps over a text whose opaque parts (raw-text
elements and comments) are first swapped for placeholders, so each step is a simple
transformation that cannot touch protected text.
"""

from __future__ import annotations

import re

_BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    "|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section"
    "|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|math"
)
_PH_OPEN, _PH_MARKER, _PH_CLOSE = "\ufdd0", "\ufdd2", "\ufdd1"
_TAG_NEWLINE = "\ufdd3"  # a newline inside a tag: kept, but never a line break
_PLACEHOLDER = re.compile(f"[{_PH_OPEN}{_PH_MARKER}](\\d+){_PH_CLOSE}")
_MARKER_PLACEHOLDER = re.compile(f"{_PH_MARKER}\\d+{_PH_CLOSE}")
_RAW_ELEMENT = re.compile(
    r"(<(pre|script|style|textarea|svg)\b[^>]*>)(.*?)(</\2\s*>)", re.IGNORECASE | re.DOTALL
)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SPLIT_MARKER = re.compile(r"<!--(?:more|nextpage)(?:\s.*?)?-->")
_TAG = re.compile(r"<[^<>]*>")
_BR_PAIR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE)
_BLOCK_OPEN = re.compile(f"(<(?:{_BLOCKS})[\\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(f"(</(?:{_BLOCKS})>)", re.IGNORECASE)
_HR = re.compile(r"(<hr\s*?/?>)", re.IGNORECASE)
_TIGHT_INNER = (
    (re.compile(r"\s*(<option\b|</option>)", re.IGNORECASE), r"\1"),
    (re.compile(r"(</?option\b[^>]*>)\s*", re.IGNORECASE), r"\1"),
    (re.compile(r"\s*(</?(?:param|embed)\b[^>]*>)\s*", re.IGNORECASE), r"\1"),
    (re.compile(r"\s*(</?(?:source|track)\b[^>]*>)\s*", re.IGNORECASE), r"\1"),
    (re.compile(r"\s*(</?figcaption\b[^>]*>)\s*", re.IGNORECASE), r"\1"),
)
_OBJECT_OR_MEDIA = re.compile(r"<(object|audio|video)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
_ANY_BLOCK_TAG = f"</?(?:{_BLOCKS})[^>]*>"
_ASCII_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_RAW_NAMES = ("pre", "script", "style", "textarea", "svg")
_BLANK_RUN = re.compile(r"\n\n+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def wpautop(text: str, br: bool = True) -> str:
    """Add ``<p>`` and (when ``br``) ``<br />`` to classic-editor text, like WordPress."""
    if not text.strip():
        return ""
    stash: list[str] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lower = fold_case(text)  # to skip the steps whose tags the text does not hold at all
    text = _protect(text, stash, lower)
    if "<br" in lower:
        text = _BR_PAIR.sub("\n\n", text)
    text = _isolate_blocks(text, lower)
    text = _tighten_media(text, lower)
    text = _BLANK_RUN.sub("\n\n", text)
    html = "".join(_paragraph(part) for part in _PARAGRAPH_BREAK.split(text))
    html = _unwrap_blocks(html)
    if br:
        html = _add_breaks(html)
    html = _remove_block_breaks(html)
    return _restore(html, stash).rstrip("\n") + "\n"


def fold_case(text: str) -> str:
    """``text`` lower-cased so that every ASCII word an ``IGNORECASE`` pattern can match
    in it is found with ``in``: the few non-ASCII letters ``re`` matches to ASCII ones
    (``ſ`` = s, ``ı``/``İ`` = i, Kelvin ``K`` = k) are folded too. For cheap guards only.
    """
    if text.isascii():
        return text.lower()
    return text.translate(_ASCII_FOLD).lower()


def _protect(text: str, stash: list[str], lower: str) -> str:
    """Swap raw-text element bodies, comments and newlines inside tags for placeholders.

    ``lower`` is the lower-cased text, to skip the patterns that cannot match.
    """

    def keep(value: str, kind: str = _PH_OPEN) -> str:
        stash.append(value)
        return f"{kind}{len(stash) - 1}{_PH_CLOSE}"

    if any(f"<{name}" in lower for name in _RAW_NAMES):
        text = _RAW_ELEMENT.sub(lambda m: m.group(1) + keep(m.group(3)) + m.group(4), text)
    if "<!--" in text:
        text = _SPLIT_MARKER.sub(lambda m: "\n\n" + keep(m.group(0), _PH_MARKER) + "\n\n", text)
        text = _COMMENT.sub(lambda m: keep(m.group(0)), text)
    return _TAG.sub(_tag_newlines, text) if "\n" in text and "<" in text else text


def _tag_newlines(match: re.Match[str]) -> str:
    """A tag with its newlines swapped for :data:`_TAG_NEWLINE`."""
    tag = match.group(0)
    return tag.replace("\n", _TAG_NEWLINE) if "\n" in tag else tag


def _isolate_blocks(text: str, lower: str) -> str:
    """Put blank lines around block-level tags so they become their own paragraphs."""
    if "<" not in text:
        return text
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    return _HR.sub(r"\1\n\n", text) if "<hr" in lower else text


def _tighten_media(text: str, lower: str) -> str:
    """Remove whitespace around option/param/embed/source/track/figcaption tags."""
    if "option" in lower:
        for pattern, replacement in _TIGHT_INNER[:2]:
            text = pattern.sub(replacement, text)

    def tighten(match: re.Match[str]) -> str:
        chunk = match.group(0)
        for pattern, replacement in _TIGHT_INNER[2:4]:
            chunk = pattern.sub(replacement, chunk)
        return re.sub(r"\s*\n\s*", "", chunk) if "\n" in chunk else chunk

    if "<object" in lower or "<audio" in lower or "<video" in lower:
        text = _OBJECT_OR_MEDIA.sub(tighten, text)
    if "figcaption" not in lower:
        return text
    pattern, replacement = _TIGHT_INNER[4]
    return pattern.sub(replacement, text)


def _paragraph(part: str) -> str:
    """Wrap one blank-line separated chunk in ``<p>`` unless it is only a marker."""
    part = part.strip()
    if not part:
        return ""
    if _MARKER_PLACEHOLDER.fullmatch(part):
        return part + "\n"
    return f"<p>{part}</p>\n"


def _unwrap_blocks(html: str) -> str:
    """Remove the ``<p>`` WordPress would not leave around block tags."""
    html = re.sub(r"<p>\s*</p>", "", html)
    html = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", html)
    html = re.sub(f"<p>\\s*({_ANY_BLOCK_TAG})\\s*</p>", r"\1", html, flags=re.IGNORECASE)
    html = re.sub(r"<p>(<li.+?)</p>", r"\1", html)
    html = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", html, flags=re.IGNORECASE)
    html = html.replace("</blockquote></p>", "</p></blockquote>")
    html = re.sub(f"<p>\\s*({_ANY_BLOCK_TAG})", r"\1", html, flags=re.IGNORECASE)
    return re.sub(f"({_ANY_BLOCK_TAG})\\s*</p>", r"\1", html, flags=re.IGNORECASE)


def _add_breaks(html: str) -> str:
    """Turn the remaining single newlines into ``<br />``."""
    html = re.sub(r"<br>|<br/>", "<br />", html, flags=re.IGNORECASE)
    return re.sub(r"(?<!<br />)\s*\n", "<br />\n", html)


def _remove_block_breaks(html: str) -> str:
    """Drop ``<br />`` right after a block tag or right before a closing/opening one."""
    html = re.sub(f"({_ANY_BLOCK_TAG})\\s*<br />", r"\1", html, flags=re.IGNORECASE)
    html = re.sub(
        r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)",
        r"\1",
        html,
        flags=re.IGNORECASE,
    )
    html = re.sub(r"\n</p>$", "</p>", html)
    # a marker paragraph ends with "\n" that _add_breaks turned into a break
    return re.sub(f"({_MARKER_PLACEHOLDER.pattern})<br />\n", "\\1\n", html)


def _restore(html: str, stash: list[str]) -> str:
    """Put the protected text back (placeholders may nest: comments inside pre)."""
    while _PLACEHOLDER.search(html):
        html = _PLACEHOLDER.sub(lambda m: stash[int(m.group(1))], html)
    return html.replace(_TAG_NEWLINE, "\n")
