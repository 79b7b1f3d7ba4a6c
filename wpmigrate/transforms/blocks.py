"""Block-editor (Gutenberg) content: parse the block comments and render normalized HTML.

WordPress stores blocks as HTML framed by comments, ``<!-- wp:image {"id":5} -->…
<!-- /wp:image -->`` (or void ``<!-- wp:latest-posts /-->``). ``parse_blocks`` builds the
tree the way WordPress's block parser does (unclosed blocks run to the end, stray
closers are ignored) and ``render_blocks`` turns each block into the normalized HTML
described in ``markup.py``, never leaving a block comment behind.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from wpmigrate.transforms.shortcode_handlers import (
    BLOCK_END,
    BLOCK_START,
    ExpandState,
    attachment_figures,
    block,
    code_html,
    embed_html,
    figure_html,
    gallery_html,
    img_tag,
    media_html,
    post_attachments,
    strict_unescape,
)

#: A block delimiter. The attributes are ``\{.*?\}\s+`` (DOTALL), spelled as runs up to a
#: ``}`` each, lazily: the same ends (each ``}`` in turn) tried in the same order, but no
#: attempt to end the run at every character in between (a fifth of the parse's time).
_DELIMITER = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?P<attrs>\{(?:[^}]*+\})+?\s+)?(?P<void>/)?-->"
)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
#: ``(.*?)</name>`` (DOTALL) spelled as runs without ``<`` and single ``<`` not closing
#: the element: the same first closer, found without a look-ahead at every character
#: (several times faster on long markup; possessive, so failing costs no backtracking;
#: unrolled, ``[^<]*+(?:<(?!…)[^<]*+)*+``, so that no alternation is tried per piece).
_UNTIL_FIGCAPTION_END = r"([^<]*+(?:<(?!/figcaption>)[^<]*+)*+)</figcaption>"
_FIGCAPTION = re.compile(rf"<figcaption\b[^>]*>{_UNTIL_FIGCAPTION_END}", re.IGNORECASE)
_GALLERY_CAPTION = re.compile(
    rf"<figcaption\b[^>]*blocks-gallery-caption[^>]*>{_UNTIL_FIGCAPTION_END}", re.IGNORECASE
)
_FIGURE = re.compile(r"<figure\b[^>]*>[^<]*+(?:<(?!/figure>)[^<]*+)*+</figure>", re.IGNORECASE)
#: A link's ``href``: ``<a\b[^>]*\bhref=(["'])(.*?)\1[^>]*>`` (DOTALL), the value spelled
#: by quote: the lazy run can only end at the first closing quote (if no ``>`` follows
#: that one, none follows a later one either), and a run of non-quotes finds it without
#: comparing a back-reference at every character. Group 1 or 2 holds the value.
_LINK = re.compile(r"""<a\b[^>]*\bhref=(?:"([^"]*)"|'([^']*)')[^>]*>""", re.IGNORECASE)
_ANCHOR = re.compile(r"<a\b[^>]*>.*?</a>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"\bsrc=([\"'])(.*?)\1", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_PRE = re.compile(r"<pre\b[^>]*>(.*)</pre>", re.IGNORECASE | re.DOTALL)
_CITE = re.compile(r"<cite\b[^>]*>(.*?)</cite>", re.IGNORECASE | re.DOTALL)
_TABLE = re.compile(r"<table\b.*</table>", re.IGNORECASE | re.DOTALL)
_OUTER_DIV = re.compile(r"^<div\b[^>]*>(.*)</div>$", re.IGNORECASE | re.DOTALL)
#: Blocks that legitimately render nothing.
_EMPTY_OK = frozenset({"core/spacer", "core/separator", "core/more", "core/nextpage"})


@dataclass(slots=True)
class Block:
    """One block: its name (``core/paragraph``), JSON attributes and inner parts.

    ``parts`` alternates raw HTML strings and inner blocks, in document order.
    """

    name: str
    attrs: dict[str, Any] = field(default_factory=dict)
    parts: list[str | Block] = field(default_factory=list)

    @property
    def children(self) -> list[Block]:
        """The inner blocks."""
        return [part for part in self.parts if isinstance(part, Block)]

    @property
    def own_html(self) -> str:
        """The block's own markup, without its inner blocks."""
        return "".join(part for part in self.parts if isinstance(part, str))


def has_blocks(content: str) -> bool:
    """True when ``content`` holds block comments (WordPress's ``has_blocks``)."""
    return "<!-- wp:" in content


def parse_blocks(content: str, warnings: list[str] | None = None) -> list[str | Block]:
    """Parse ``content`` into top-level strings (freeform HTML) and ``Block`` trees."""
    top: list[str | Block] = []
    stack: list[Block] = []
    target = top  # the parts of the innermost open block (or the top level)
    pos = 0
    for match in _DELIMITER.finditer(content):
        start, end = match.span()
        if start > pos:
            target.append(content[pos:start])
        pos = end
        closer, name, attrs, void = match.groups()
        if "/" not in name:  # (inline: this loop runs once per delimiter)
            name = "core/" + name
        if closer:
            if stack and stack[-1].name == name:  # the usual case: the innermost block
                stack.pop()
            else:
                _close(stack, name)
            target = stack[-1].parts if stack else top
            continue
        new = Block(name, _attrs(attrs, name, warnings) if attrs else {}, [])
        target.append(new)
        if not void:
            stack.append(new)
            target = new.parts
    if pos < len(content):
        target.append(content[pos:])
    return top


def _close(stack: list[Block], name: str) -> None:
    """Close the innermost open block called ``name`` and any unclosed ones inside it
    (a closer matching no open block is ignored)."""
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth].name == name:
            del stack[depth:]
            return


#: The C scanner under ``json.loads``: called directly, it costs none of the three Python
#: frames and two whitespace matches ``loads`` adds per call (once per block delimiter).
#: (typeshed does not declare scan_once, which JSONDecoder.__init__ sets: hence the ignore)
_SCAN_JSON: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
#: What ``json.loads`` takes as whitespace around the value (``\s`` takes more).
_JSON_SPACE = " \t\n\r"


def _attrs(text: str | None, name: str, warnings: list[str] | None) -> dict[str, Any]:
    """``json.loads(text)`` when it gives a dict, else ``{}`` (and a warning when it
    fails). ``text`` starts with ``{`` (the delimiter pattern's attributes do)."""
    if not text:
        return {}
    try:
        value, end = _SCAN_JSON(text, 0)
        if end < len(text) and text[end:].strip(_JSON_SPACE):
            raise ValueError("extra data")
    except (ValueError, StopIteration):
        if warnings is not None:
            warnings.append(f"block {name} has unreadable attributes")
        return {}
    return value if isinstance(value, dict) else {}


def render_blocks(nodes: list[str | Block], state: ExpandState) -> str:
    """Render parsed blocks (and the freeform HTML between them) to normalized HTML."""
    return "".join([node if isinstance(node, str) else render_block(node, state) for node in nodes])


def render_block(node: Block, state: ExpandState) -> str:
    """Render one block with its renderer, or keep its inner HTML when unknown."""
    legacy_embed = node.name.startswith("core-embed/")
    renderer = _embed if legacy_embed else _RENDERERS.get(node.name, _inner)
    out = renderer(node, state)
    if (not out or out.isspace()) and node.name not in _EMPTY_OK:  # (strip() would copy)
        state.warnings.append(f"dynamic block {node.name} has no stored content")
    return out


def _inner(node: Block, state: ExpandState) -> str:
    """Keep the block's markup, rendering inner blocks in place."""
    parts = node.parts
    if len(parts) == 1 and isinstance(parts[0], str):  # a leaf (most blocks): no join
        return parts[0]
    return render_blocks(parts, state)


def _children(node: Block, state: ExpandState) -> str:
    """Containers (columns, group, cover…): the inner blocks, flattened, plus the image
    the wrapper itself carries (a cover's background, a media-text's media). Old covers
    store their text directly: then the wrapper's markup is kept."""
    images = _IMG.findall(node.own_html)
    background = node.attrs.get("url") if node.name == "core/cover" else None
    if not images and background and node.attrs.get("backgroundType") != "video":
        images = [f'<img src="{html.escape(background)}" alt="">']
    media = "".join(block(figure_html(tag)) for tag in images)
    if not node.children:  # old format: text straight in the wrapper <div>
        own = _IMG.sub("", node.own_html).strip()
        return media + _OUTER_DIV.sub(r"\1", own)
    return media + "".join(render_block(child, state) for child in node.children)


def _href(text: str) -> str | None:
    """The quoted ``href`` of the first link in ``text`` that has one, as written (of a
    tag that repeats it, the last one, as ``[^>]*`` backtracks to it), or None."""
    match = _LINK.search(text)
    if match is None:
        return None
    value = match.group(1)
    return match.group(2) if value is None else value


def _caption_of(text: str) -> str:
    match = _FIGCAPTION.search(text)
    return match.group(1).strip() if match else ""


def _image(node: Block, state: ExpandState) -> str:
    """Image block → ``<figure><a?><img></a?><figcaption?></figure>``."""
    markup = node.own_html
    tags = _IMG.findall(markup)
    media = state.ctx.attachments.get(node.attrs.get("id", -1))
    if tags and _SRC.search(tags[0]):
        image = tags[0]
    elif media is not None:
        image = img_tag(media)
    else:
        state.warnings.append("image block without an image dropped")
        return ""
    href = _href(markup)
    link = html.unescape(href) if href is not None else ""
    return block(figure_html(image, _caption_of(markup), link))


def _gallery(node: Block, state: ExpandState) -> str:
    """Gallery block: nested image blocks (WP ≥ 5.9), stored figures, or ``ids``."""
    figures = [render_block(child, state) for child in node.children]
    figures = [f.replace(BLOCK_START, "").replace(BLOCK_END, "") for f in figures if f]
    own = node.own_html
    if not figures:
        items = _FIGURE.findall(own)
        for item in items:
            tag = _IMG.search(item)
            link = _href(item)
            if tag:
                href = html.unescape(link) if link is not None else ""
                figures.append(figure_html(tag.group(0), _caption_of(item), href))
    if not figures and node.attrs.get("ids"):
        ids = [int(i) for i in node.attrs["ids"] if str(i).isdigit()]
        found = post_attachments(state.ctx, ids, state, "gallery block")
        figures = attachment_figures(found, node.attrs.get("linkTo", "file"))
    match = _GALLERY_CAPTION.search(own)
    return gallery_html(figures, match.group(1).strip() if match else "") if figures else ""


def _embed(node: Block, state: ExpandState) -> str:
    """Embed blocks → the embed placeholder, followed by the caption as a paragraph."""
    markup = node.own_html
    url = node.attrs.get("url") or _TAGS.sub("", _FIGCAPTION.sub("", markup)).strip()
    if not url:
        return ""
    caption = _caption_of(markup)
    return embed_html(strict_unescape(url)) + (f"<p>{caption}</p>" if caption else "")


def _media(kind: str) -> Callable[[Block, ExpandState], str]:
    def render(node: Block, state: ExpandState) -> str:
        """Video/audio block → ``<video controls src>``; caption as a paragraph."""
        markup = node.own_html
        sources = [html.unescape(m.group(2)) for m in _SRC.finditer(markup)]
        media = state.ctx.attachments.get(node.attrs.get("id", -1))
        if not sources and media is not None:
            sources = [media.url]
        if not sources:
            return ""
        caption = _caption_of(markup)
        return media_html(kind, sources) + (f"<p>{caption}</p>" if caption else "")

    return render


def _code(node: Block, state: ExpandState) -> str:
    """Code/preformatted block → the code convention (DOM text of the ``<pre>``)."""
    match = _PRE.search(node.own_html)
    body = match.group(1) if match else node.own_html
    body = re.sub(r"<br\s*/?>", "\n", body, flags=re.IGNORECASE)
    text = html.unescape(_TAGS.sub("", body))
    language = node.attrs.get("language", "")
    if not language:
        lang = re.search(r"\blang(?:uage)?-([\w+#-]+)", node.own_html)
        language = lang.group(1) if lang else ""
    return code_html(text, language)


def _verse(node: Block, state: ExpandState) -> str:
    """Verse block → a paragraph with explicit line breaks (poetry is not code)."""
    match = _PRE.search(node.own_html)
    body = (match.group(1) if match else node.own_html).strip("\n")
    return "<p>" + body.replace("\n", "<br>\n") + "</p>"


def _quote(node: Block, state: ExpandState) -> str:
    """Quote/pullquote → ``<blockquote><p>…</p><p>— cite</p></blockquote>``."""
    inner = render_blocks(node.parts, state)
    cite = _CITE.search(inner)
    inner = _CITE.sub("", inner)
    inner = re.sub(r"</?(?:figure|blockquote)\b[^>]*>", "", inner, flags=re.IGNORECASE)
    tail = f"<p>— {cite.group(1).strip()}</p>" if cite and cite.group(1).strip() else ""
    return block(f"<blockquote>{inner.strip()}{tail}</blockquote>")


def _table(node: Block, state: ExpandState) -> str:
    """Table block → the bare ``<table>``, caption as a following paragraph."""
    markup = node.own_html
    table = _TABLE.search(markup)
    caption = _caption_of(markup)
    out = table.group(0) if table else markup
    return block(out) + (f"<p>{caption}</p>" if caption else "")


def _buttons(node: Block, state: ExpandState) -> str:
    """Button → ``<p><a href>Text</a></p>`` (one paragraph per link)."""
    if node.children:
        return "".join(render_block(child, state) for child in node.children)
    links = _ANCHOR.findall(node.own_html)
    out = []
    for anchor in links:
        href = _href(anchor)
        text = _TAGS.sub("", anchor).strip()
        if href is not None and text:
            out.append(f'<p><a href="{href}">{text}</a></p>')
        elif text:  # a button without a link: keep its label
            out.append(f"<p>{text}</p>")
    return "".join(out)


def _raw_html(node: Block, state: ExpandState) -> str:
    """Custom HTML block → kept raw for the converter."""
    inner = node.own_html.strip()
    return block(f'<div data-wpm-raw="1">{inner}</div>') if inner else ""


def _marker(text: str) -> Callable[[Block, ExpandState], str]:
    def render(node: Block, state: ExpandState) -> str:
        """More/nextpage block → the bare comment on its own line."""
        return f"\n{text}\n"

    return render


_RENDERERS: Mapping[str, Callable[[Block, ExpandState], str]] = MappingProxyType(
    {
        "core/image": _image,
        "core/gallery": _gallery,
        "core/embed": _embed,
        "core/video": _media("video"),
        "core/audio": _media("audio"),
        "core/code": _code,
        "core/preformatted": _code,
        "core/verse": _verse,
        "core/quote": _quote,
        "core/pullquote": _quote,
        "core/table": _table,
        "core/buttons": _buttons,
        "core/button": _buttons,
        "core/html": _raw_html,
        "core/more": _marker("<!--more-->"),
        "core/nextpage": _marker("<!--nextpage-->"),
        "core/separator": lambda node, state: "<hr>",
        "core/spacer": lambda node, state: "",
        "core/columns": _children,
        "core/column": _children,
        "core/group": _children,
        "core/cover": _children,
        "core/media-text": _children,
        "core/row": _children,
        "core/stack": _children,
    }
)
