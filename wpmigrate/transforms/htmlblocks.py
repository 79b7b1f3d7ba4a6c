"""The parts of a body html2text cannot write right: code, tables, embeds, raw HTML, math.

Each is turned into its final Markdown (or raw HTML) here and parked in a ``Protected``
store; the tree gets an opaque token in its place. html2text passes tokens through
untouched (they are runs of private-use characters and digits), and ``Protected.expand``
puts the stored text back afterwards, re-indenting block content to the line prefix
(list indentation, ``> ``) the token ended up behind.
"""

from __future__ import annotations

import html
import re
import string
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from wpmigrate.transforms.context import EmbedStyle

#: Token delimiters: Supplementary Private Use Area code points, never in real text.
TOKEN_OPEN = "\U000f0000"
TOKEN_CLOSE = "\U000f0001"
#: Stand-ins for ``\\ . + -`` while html2text runs (it would escape those itself).
ESC, G_DOT, G_PLUS, G_DASH = "\U000f0002", "\U000f0003", "\U000f0004", "\U000f0005"
_SENTINEL = re.compile("[\U000f0000-\U000f0005]")
_TOKEN = re.compile(TOKEN_OPEN + r"(\d+)" + TOKEN_CLOSE)
_BACKTICKS = re.compile(r"`+")
_LANG_CLASS = re.compile(r"(?:^|\s)(?:language|lang)-([\w+#.-]+)")
_BRUSH = re.compile(r"brush\s*:\s*([\w+#.-]+)")
_LANG_OK = re.compile(r"[^\w+#.-]")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")

VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "param", "source", "track", "wbr"}
)
#: Elements whose presence in a table cell makes a GFM table impossible.
CELL_BLOCKERS = frozenset(
    {"p", "div", "ul", "ol", "dl", "pre", "table", "blockquote", "figure", "h1", "h2", "h3",
     "h4", "h5", "h6", "hr", "iframe", "video", "audio", "object"}
)
ASCII_PUNCT = frozenset(string.punctuation)
#: Block-level children that make a list item too complex for html2text.
LIST_ITEM_BLOCKS = frozenset(
    {"p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "table", "figure",
     "section", "article", "header", "footer", "aside", "center", "address", "details", "hr",
     "pre", "form", "fieldset"}
)
CAPTION_BLOCKERS = CELL_BLOCKERS - {"iframe", "video", "audio", "object"}
#: HTML attribute → JSX prop, for the attributes the cleaned elements keep.
_JSX_NAMES = MappingProxyType({
    "class": "className", "for": "htmlFor", "allowfullscreen": "allowFullScreen",
    "frameborder": "frameBorder", "referrerpolicy": "referrerPolicy",
    "playsinline": "playsInline", "autoplay": "autoPlay", "srclang": "srcLang",
    "colspan": "colSpan", "rowspan": "rowSpan", "crossorigin": "crossOrigin",
    "tabindex": "tabIndex", "datetime": "dateTime", "srcset": "srcSet",
    "allowtransparency": "allowTransparency", "marginheight": "marginHeight",
    "marginwidth": "marginWidth", "cellpadding": "cellPadding", "cellspacing": "cellSpacing",
})
BOOLEAN_ATTRS = frozenset(
    {"controls", "allowfullscreen", "autoplay", "loop", "muted", "playsinline", "default",
     "async", "defer", "hidden", "disabled", "checked", "readonly", "required", "multiple",
     "selected", "novalidate", "open", "reversed", "itemscope"}
)
#: Attributes kept on embedded media (everything else, style included, is dropped).
MEDIA_ATTRS = frozenset(
    {"src", "width", "height", "title", "allow", "allowfullscreen", "frameborder", "loading",
     "referrerpolicy", "sandbox", "poster", "controls", "autoplay", "loop", "muted", "preload",
     "playsinline", "type", "kind", "srclang", "label", "data", "name", "value", "default"}
)
#: Attributes dropped from raw tables (presentation only).
TABLE_DROP = frozenset({"style", "width", "height", "border", "cellpadding", "cellspacing",
                        "bgcolor", "valign", "align", "class", "id"})
_YT_IFRAME = (
    '<iframe src="https://www.youtube-nocookie.com/embed/{id}" title="YouTube video" '
    'width="560" height="315" {style} {fb} '
    'allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; '
    'picture-in-picture" {fs}></iframe>'
)
_VIMEO_IFRAME = (
    '<iframe src="https://player.vimeo.com/video/{id}?dnt=1" title="Vimeo video" '
    'width="640" height="360" {style} {fb} allow="autoplay; fullscreen; picture-in-picture" '
    "{fs}></iframe>"
)


@dataclass(slots=True)
class Protected:
    """The texts parked behind tokens while html2text runs; one per conversion."""

    texts: list[str] = field(default_factory=list)
    blocks: list[bool] = field(default_factory=list)

    def token(self, text: str, block: bool) -> str:
        """Store ``text`` and return the token that stands for it."""
        self.texts.append(text)
        self.blocks.append(block)
        return f"{TOKEN_OPEN}{len(self.texts) - 1}{TOKEN_CLOSE}"

    def expand(self, markdown: str) -> str:
        """Replace every token in ``markdown`` by its text (recursively).

        A block token alone on its line takes the line's prefix: the first line keeps
        it, later lines get it with list markers turned into spaces, so a code block
        inside a list item or a blockquote stays inside it.
        """
        if TOKEN_OPEN not in markdown:
            return markdown
        out: list[str] = []
        for line in markdown.split("\n"):
            if TOKEN_OPEN not in line:
                out.append(line)
                continue
            match = _TOKEN.search(line)
            index = int(match.group(1)) if match else -1
            if match and self.blocks[index] and not line[match.end():].strip():
                prefix = line[: match.start()]
                self._block_lines(self.expand(self.texts[index]), prefix, out)
            else:
                out.append(_TOKEN.sub(lambda m: self.expand(self.texts[int(m.group(1))]), line))
        return "\n".join(out)

    @staticmethod
    def _block_lines(text: str, prefix: str, out: list[str]) -> None:
        """Append ``text``'s lines behind ``prefix`` (continuation prefix after line 1)."""
        cont = "".join(ch if ch == ">" else " " for ch in prefix)
        if cont.strip(" ") and not cont.endswith(" "):
            cont += " "
        for number, line in enumerate(text.split("\n")):
            if number == 0:
                out.append(prefix + line)
            else:
                out.append((cont + line) if line else cont.rstrip())


# ---------------------------------------------------------------- code


def pre_text(pre: HtmlElement) -> str:
    """The DOM text of a ``<pre>`` exactly as a browser keeps it.

    Browsers drop one newline directly after the ``<pre>`` start tag; libxml2 keeps it.
    A ``<br>`` inside counts as the line break it displays as.
    """
    for br in pre.iter("br"):  # highlighter plugins break lines with <br>
        br.tail = "\n" + (br.tail or "")
    text = text_content(pre)
    if pre.text and pre.text.startswith("\n"):
        text = text[1:]
    return text


def pre_language(pre: HtmlElement) -> str:
    """The fence info string for a ``<pre>`` (``language-X`` class, brush, ``lang``)."""
    code = pre.find("code")
    candidates = [pre] if code is None else [code, pre]
    for el in candidates:
        cls = el.get("class") or ""
        match = _LANG_CLASS.search(cls) or _BRUSH.search(cls)
        if match:
            return _LANG_OK.sub("", match.group(1)).lower()
        for name in ("lang", "data-lang", "data-language"):
            value = el.get(name)
            if value:
                return _LANG_OK.sub("", value).lower()
    return ""


_HUGO_CALL = re.compile(r"\{\{([<%])(.*?)([>%])\}\}", re.DOTALL)


def hugo_code(text: str) -> str:
    """Code text with Hugo shortcode calls commented out (``{{</* x */>}}``).

    Hugo expands shortcodes even inside code blocks; the comment form is Hugo's own
    escape and renders as the original ``{{< x >}}``.
    """
    if "{{" not in text:
        return text
    return _HUGO_CALL.sub(r"{{\1/*\2*/\3}}", text)


def code_fence(text: str, language: str) -> str:
    """A fenced code block holding ``text`` byte-exact (fence longer than any run inside)."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") or not text else text + "\n"
    return f"{fence}{language}\n{body}{fence}"


def inline_code(text: str) -> str:
    """A code span for ``text``; padded with spaces where CommonMark would strip them."""
    text = text.replace("\r\n", " ").replace("\n", " ")
    if not text:
        return ""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    pad = (
        text[0] == "`" or text[-1] == "`"
        or (text[0] == " " and text[-1] == " " and text.strip(" "))
    )
    space = " " if pad else ""
    return f"{ticks}{space}{text}{space}{ticks}"


# ---------------------------------------------------------------- embeds and media


def video_id(url: str) -> tuple[str, str]:
    """``("youtube"|"vimeo", id)`` for a video URL, ``("", "")`` for anything else."""
    parts = urlsplit(html.unescape(url.strip()))
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    if host == "youtu.be":
        return "youtube", parts.path.strip("/").split("/")[0]
    if host.endswith("youtube.com") or host.endswith("youtube-nocookie.com"):
        query = parse_qs(parts.query)
        if "v" in query:
            return "youtube", query["v"][0]
        match = re.match(r"/(?:embed|v|shorts|live)/([\w-]+)", parts.path)
        return ("youtube", match.group(1)) if match else ("", "")
    if host.endswith("vimeo.com"):
        match = re.search(r"/(?:video/)?(\d+)(?:/|$)", parts.path)
        return ("vimeo", match.group(1)) if match else ("", "")
    return "", ""


def has_sentinel(text: str) -> bool:
    """Whether ``text`` holds a sentinel (``TOKEN_OPEN`` … ``G_DASH``).

    Six ``in`` tests: each answers at once for a text without astral characters (the
    usual; CPython compares the string kinds first), where a search scans the text.
    """
    return not text.isascii() and (
        TOKEN_OPEN in text or TOKEN_CLOSE in text or ESC in text or G_DOT in text
        or G_PLUS in text or G_DASH in text
    )


def guard(text: str) -> str:
    """Hide the characters html2text would escape (and neutralize any stray sentinel).

    Chained ``str.replace`` beats ``str.translate`` with a dict by far on short texts,
    and ``in`` tests beat a search (see ``has_sentinel``).
    """
    if has_sentinel(text):
        text = _SENTINEL.sub("\ufffd", text)
    elif "\\" not in text and "." not in text and "+" not in text and "-" not in text:
        return text
    return text.replace("\\", ESC).replace(".", G_DOT).replace("+", G_PLUS).replace("-", G_DASH)


def neutralize(text: str) -> str:
    """``guard`` without the stand-ins: only stray sentinels become U+FFFD.

    For a walk whose tree html2text never sees (``Walker(guarded=False)``): the layout
    that replaces html2text there never escapes, so ``\\ . + -`` can stay as they are,
    and the text keeps its narrow string kind (a stand-in makes every later string
    operation on it work on four bytes per character).
    """
    if text.isascii():  # (the usual, and has_sentinel's first test, without its call)
        return text
    return _SENTINEL.sub("\ufffd", text) if has_sentinel(text) else text


def unguard(text: str) -> str:
    """Undo ``guard`` on html2text's output."""
    return text.replace(ESC, "\\").replace(G_DOT, ".").replace(G_PLUS, "+").replace(G_DASH, "-")


def autolink(url: str, style: EmbedStyle) -> str:
    """A bare link paragraph for ``url`` (MDX has no ``<url>`` autolinks)."""
    safe = url.strip().replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    if style == "mdx":
        label = safe.replace("[", "\\[").replace("]", "\\]").replace("_", "\\_")
        return f"[{label}]({safe.replace('(', '%28').replace(')', '%29')})"
    return f"<{safe}>"


def embed_markup(url: str, style: EmbedStyle) -> str:
    """The Markdown for a ``data-wpm-embed`` URL in the given embed style."""
    provider, ident = video_id(url)
    if not provider or not re.fullmatch(r"[\w-]+", ident):
        return autolink(url, style)
    if style == "hugo":
        return f"{{{{< {provider} {ident} >}}}}"
    template = _YT_IFRAME if provider == "youtube" else _VIMEO_IFRAME
    if style == "mdx":
        return template.format(
            id=ident, style='style={{aspectRatio: "16 / 9", width: "100%", height: "auto"}}',
            fb='frameBorder="0"', fs="allowFullScreen",
        )
    return template.format(
        id=ident, style='style="aspect-ratio: 16 / 9; width: 100%; height: auto;"',
        fb='frameborder="0"', fs="allowfullscreen",
    )


def serialize(el: HtmlElement, jsx: bool, keep: frozenset[str] | None = None,
              drop: frozenset[str] = frozenset({"style"})) -> str:
    """``el`` as HTML on one logical block: comments dropped, attributes filtered.

    ``keep`` (when given) lists the only attributes kept; ``drop`` always removes.
    With ``jsx`` the output is valid JSX: React prop names, self-closed void elements,
    no ``style`` strings, and ``{``/``}`` in text escaped.
    """
    parts: list[str] = []
    _serialize_into(el, jsx, keep, drop, parts)
    return _BLANK_LINES.sub("\n", "".join(parts)).strip()


def serialize_inner(el: HtmlElement, jsx: bool) -> str:
    """The children (and text) of ``el`` as HTML, like ``serialize`` on each."""
    parts = [_text(el.text or "", jsx)]
    for child in el:
        _serialize_into(child, jsx, None, frozenset({"style"}) if jsx else frozenset(), parts)
        parts.append(_text(child.tail or "", jsx))
    return _BLANK_LINES.sub("\n", "".join(parts)).strip()


def _text(text: str, jsx: bool) -> str:
    escaped = html.escape(text, quote=False)
    if jsx:
        escaped = escaped.replace("{", "&#123;").replace("}", "&#125;")
    return escaped


def _serialize_into(el: HtmlElement, jsx: bool, keep: frozenset[str] | None,
                    drop: frozenset[str], parts: list[str]) -> None:
    if not isinstance(el.tag, str):  # comment or processing instruction
        return
    tag = el.tag.lower()
    attrs: list[str] = []
    for name, value in el.attrib.items():
        low = name.lower()
        if low in drop or (keep is not None and low not in keep) or (jsx and low == "style"):
            continue
        if jsx:
            low = _JSX_NAMES.get(low, low)
        if not value and name.lower() in BOOLEAN_ATTRS:
            attrs.append(f" {low}")
        else:
            attrs.append(f' {low}="{html.escape(value, quote=True)}"')
    attr_text = "".join(attrs)
    if tag in VOID:
        parts.append(f"<{tag}{attr_text} />" if jsx else f"<{tag}{attr_text}>")
        return
    parts.append(f"<{tag}{attr_text}>{_text(el.text or '', jsx)}")
    for child in el:
        _serialize_into(child, jsx, keep, drop, parts)
        parts.append(_text(child.tail or "", jsx))
    parts.append(f"</{tag}>")


def media_markup(el: HtmlElement, style: EmbedStyle) -> str:
    """A raw HTML block for ``<iframe>``/``<video>``/``<audio>``/``<object>``/``<embed>``.

    Text fallbacks inside are dropped; only the media-relevant attributes survive.
    """
    for child in list(el):
        if child.tag not in ("source", "track", "param", "embed"):
            el.remove(child)
    el.text = None
    for child in el:
        child.tail = None
    return serialize(el, style == "mdx", keep=MEDIA_ATTRS)


# ---------------------------------------------------------------- tables


def table_rows(table: HtmlElement) -> list[list[HtmlElement]] | None:
    """The table's cells row by row when it can be a GFM table, else None.

    GFM needs equal-length rows, no spans, and only inline content in the cells.
    """
    rows: list[list[HtmlElement]] = []
    for tr in table.iter("tr"):
        if _owning_table(tr) is not table:
            return None  # nested table
        cells = [c for c in tr if c.tag in ("td", "th")]
        for cell in cells:
            if cell.get("colspan", "1").strip() not in ("", "1"):
                return None
            if cell.get("rowspan", "1").strip() not in ("", "1"):
                return None
            if any(isinstance(d.tag, str) and d.tag in CELL_BLOCKERS
                   for d in cell.iterdescendants()):
                return None
        rows.append(cells)
    if not rows or not rows[0] or any(len(r) != len(rows[0]) for r in rows):
        return None
    return rows


def _owning_table(el: HtmlElement) -> HtmlElement | None:
    for anc in el.iterancestors("table"):
        return anc
    return None


def table_markup(table: HtmlElement, style: EmbedStyle) -> str:
    """A raw HTML table (presentation attributes removed) for tables GFM cannot hold."""
    return serialize(table, style == "mdx", drop=TABLE_DROP)


# ---------------------------------------------------------------- math and raw


def math_markup(el: HtmlElement, display: bool) -> str:
    """``$x$`` or ``$$\\nx\\n$$`` with the TeX content unescaped."""
    tex = text_content(el).strip()
    return f"$$\n{tex}\n$$" if display else f"${tex}$"


def raw_markup(el: HtmlElement, style: EmbedStyle) -> str:
    """The inner HTML of a ``data-wpm-raw`` wrapper, as one raw HTML block."""
    return serialize_inner(el, style == "mdx")


def is_comment(node: object) -> bool:
    """True for an lxml comment node."""
    return isinstance(node, etree._Comment)


# ---------------------------------------------------------------- tree helpers


def splice(parent: HtmlElement, child: HtmlElement, text: str) -> None:
    """Replace ``child`` by ``text`` (its tail kept after it)."""
    merged = text + (child.tail or "")
    previous = child.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + merged
    else:
        parent.text = (parent.text or "") + merged
    parent.remove(child)


def text_content(el: HtmlElement) -> str:
    """``el.text_content()``; that of an element without children, or with one element
    child without children (``<a><img></a>``, ``<em>…</em>``), is read here without the
    XPath evaluation lxml runs for it (several times cheaper)."""
    size = len(el)
    if not size:
        return el.text or ""
    if size == 1:
        child = el[0]
        if not len(child) and isinstance(child.tag, str):  # (a comment's text is no text)
            return (el.text or "") + (child.text or "") + (child.tail or "")
    return el.text_content()


def last_text(el: HtmlElement) -> str:
    """The text at the very end of ``el``'s content (last child's tail, or its text)."""
    return ((el[-1].tail if len(el) else el.text) or "")


def set_last_text(el: HtmlElement, text: str) -> None:
    """Set the text at the very end of ``el``'s content."""
    if len(el):
        el[-1].tail = text
    else:
        el.text = text


_MARKERS = MappingProxyType(
    {"em": "*", "i": "*", "strong": "*", "b": "*", "del": "~", "s": "~", "strike": "~"}
)
_START_CHARS = MappingProxyType({"a": "[", "code": "`", "tt": "`", "img": "!"})
#: Elements that close a block: nothing of the same line follows their content.
_BLOCK_ENDS = frozenset({"p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
                         "blockquote", "dd", "dt", "figcaption", "caption"})


def start_char(el: HtmlElement | None, parent: HtmlElement) -> str:
    """The character right after a text node: ``el``'s Markdown start when known, a
    space at the end of a block, "" (unknown) otherwise.

    Emphasis counts as unknown here: it may turn out empty and vanish.
    """
    if el is None:
        return " " if parent.tag in _BLOCK_ENDS else ""
    if not isinstance(el.tag, str):
        return ""
    return _START_CHARS.get(el.tag, "")


def following_char(el: HtmlElement) -> str:
    """The character right after ``el`` (its tail, else the next sibling's start)."""
    if el.tail:
        return el.tail[0]
    following = el.getnext()
    if following is None or not isinstance(following.tag, str):
        return ""
    return _MARKERS.get(following.tag) or _START_CHARS.get(following.tag, "")


def append_content(dst: HtmlElement, src: HtmlElement) -> None:
    """Move ``src``'s text and children to the end of ``dst``."""
    if src.text:
        set_last_text(dst, last_text(dst) + src.text)
    if len(src):  # (no list, and no lxml iterator, for the usual text-only source)
        for child in list(src):
            dst.append(child)


# ---------------------------------------------------------------- inline syntax


def emphasis_flanks(before: str, first: str, last: str, after: str) -> bool:
    """Whether ``*``/``**``/``~~`` around text starting ``first``/ending ``last`` works."""
    if before in "*_~" or after in "*_~" or first in "*_~" or last in "*_~":
        return False
    opens = not (is_punct(first) and not (before.isspace() or is_punct(before)))
    closes = not (is_punct(last) and not (after.isspace() or is_punct(after)))
    return opens and closes


def is_punct(char: str) -> bool:
    """CommonMark's punctuation: ASCII punctuation and Unicode P*/S* categories."""
    return char in ASCII_PUNCT or (char > "\x7f" and unicodedata.category(char)[0] in "PS")


def link_title(title: str) -> str:
    """A link title for ``"…"``: one line, quotes and backslashes escaped."""
    return " ".join(title.split()).replace("\\", "\\\\").replace('"', '\\"')
