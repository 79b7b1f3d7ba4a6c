"""Normalized HTML tree → Markdown, with html2text doing the block layout.

html2text is good at paragraphs, headings, lists, blockquotes and line breaks, and
bad at escaping (it escapes too little: ``*lit*`` becomes emphasis, ``&lt;div&gt;``
raw HTML; and too much: a ``-`` after ``&amp;``), at emphasis (it inserts spaces:
``in<em>word</em>`` → ``in *word* emph``), code, tables and figures. So before it runs,
one walk over the lxml tree (``_Walker``)

* escapes every text node for CommonMark itself, context-aware (line start, inside a
  word, inside link text, in a table cell) — ``escape_text``;
* writes inline markup (emphasis, links, images, inline code) as final Markdown text;
* parks whatever must not be touched (code, raw HTML, embeds, math, complex lists)
  behind tokens (``htmlblocks.Protected``).

Everything written into the tree is first "guarded": ``\\``, ``.``, ``+`` and ``-`` are
swapped for private-use characters so html2text's own escaping finds nothing to do;
they are swapped back on its output. The result of html2text is then cleaned line by
line (hard breaks, blank lines, blockquote gaps) and the tokens are expanded.

The walked tree is not serialized and re-parsed for html2text: ``tree2markdown`` replays
it as the parser events html2text would see, and for the usual walked body (paragraphs,
headings, lists, blockquotes, breaks, rules) ``_SimpleLayout`` — html2text's own state
machine reduced to those tags — lays it out instead; anything else goes to html2text,
and what the replay cannot reproduce exactly goes through ``tostring`` as before.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import ClassVar

from lxml.html import HtmlElement

from wpmigrate.transforms.context import TransformContext
from wpmigrate.transforms.html2text_driver import (
    tree2markdown,
    unguarded_markdown,
)
from wpmigrate.transforms.htmlblocks import (
    ESC,
    Protected,
    autolink,
    code_fence,
    emphasis_flanks,
    following_char,
    guard,
    has_sentinel,
    hugo_code,
    inline_code,
    is_comment,
    last_text,
    link_title,
    media_markup,
    neutralize,
    pre_language,
    pre_text,
    set_last_text,
    splice,
    start_char,
    text_content,
)
from wpmigrate.transforms.links import link_destination

_SPECIAL = re.compile(r"[\\`*_\[\]<&~|$%{}!#]")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
#: What would start a block construct at the start of a line: an ordered or bullet
#: list item, an ATX heading, a setext underline, a quote, a table row, or a thematic
#: break (three or more of one of ``- * _``, spaces between them allowed: ``-- -``).
_LINE_RISK = re.compile(
    r"\s*(?:(\d{1,9})[.)](?=\s|$)|#{1,6}(?=\s|$)|[-+*:](?=\s|$)|[-=]+\s*$|[>|]"
    r"|(?=([-*_])(?:[ \t]*\2){2,}[ \t]*$))"
)
_PUNCT = frozenset(string.punctuation)

#: Any character ``escape_text`` or ``guard`` might act on (``_SPECIAL`` and the guarded
#: ``\\ . + -``) but the sentinels (``has_sentinel``: a class without their astral range
#: is scanned faster); text without one and no line-start risk is final.
_PLAIN_TEXT_RISK = re.compile(r"[\\`*_\[\]<&~|$%{}!#.+\-]")

#: Line-start states for ``escape_text``.
NOT_AT_START, AFTER_BREAK, BLOCK_START = 0, 1, 2


def escape_text(
    text: str,
    *,
    line_start: int = NOT_AT_START,
    prev: str = " ",
    nxt: str = "",
    link: bool = False,
    cell: bool = False,
    mdx: bool = False,
    hugo: bool = False,
    heading: bool = False,
) -> str:
    """Escape ``text`` so CommonMark (GFM, MDX, Hugo) shows it literally.

    Only where a character would change meaning: ``_`` inside a word and ``*`` between
    spaces stay bare; ``1986.`` is escaped only at a line start where it would start a
    list. ``prev``/``nxt`` are the characters around the node ("" = unknown, which
    escapes conservatively); ``line_start`` says whether the text begins a block
    (``BLOCK_START``) or follows a hard break (``AFTER_BREAK``).
    """
    force = _line_start_escape(text, line_start) if line_start else -1
    if force < 0 and _SPECIAL.search(text) is None:
        return text  # nothing to escape (the loop below would rebuild the same text)
    flags = (link, cell, mdx, hugo, heading)
    parts: list[str] = []
    last = 0
    size = len(text)
    for match in _SPECIAL.finditer(text):
        i = match.start()
        if 0 <= force < i:
            parts += (text[last:force], "\\")
            last, force = force, -1
        if i == force:
            escape, force = True, -1
        else:
            before = text[i - 1] if i else prev
            after = text[i + 1] if i + 1 < size else nxt
            escape = _needs_escape(text, i, before, after, nxt, flags)
        if escape:
            parts += (text[last:i], "\\")
            last = i
    if force >= 0:
        parts += (text[last:force], "\\")
        last = force
    parts.append(text[last:])
    return "".join(parts)


def _line_start_escape(text: str, line_start: int) -> int:
    """Index of the character that would start a block construct, or -1."""
    match = _LINE_RISK.match(text)
    if not match:
        return -1
    number = match.group(1)
    if number is not None:
        if line_start == AFTER_BREAK and number != "1":
            return -1  # only "1." may interrupt a paragraph
        return match.start(1) + len(number)
    return len(text) - len(text.lstrip())


def _needs_escape(
    text: str, i: int, before: str, after: str, nxt: str, flags: tuple[bool, ...]
) -> bool:
    link, cell, mdx, hugo, heading = flags
    char = text[i]
    if char == "\\":
        return after == "" or after in _PUNCT
    if char == "*" or char == "~":
        return not (before.isspace() and after.isspace())
    if char == "_":
        return not (
            (before.isalnum() and after.isalnum()) or (before.isspace() and after.isspace())
        )
    if char == "[":
        return link
    if char == "]":
        return link or after in ("", "(", "[", ":")
    if char == "<":
        return mdx or after == "" or (after.isascii() and after.isalpha()) or after in "/!?" or (
            hugo and before == "{"
        )
    if char == "&":
        return _ENTITY.match(text, i) is not None
    if char == "|":
        return cell
    if char == "!":
        return after in ("[", "")
    if char == "#":  # a closing sequence at the end of a heading would vanish
        return heading and before.isspace() and not text[i:].strip().strip("#") and not nxt.strip()
    if char == "%":
        return hugo and before == "{"
    if char in "{}":
        return mdx
    return True  # ` and $





# ---------------------------------------------------------------- the tree walk

_BLOCK_TAGS = frozenset(
    {"p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl",
     "dt", "dd", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "figure",
     "figcaption", "section", "article", "header", "footer", "aside", "nav", "main",
     "center", "address", "details", "summary", "hr", "pre", "form", "fieldset", "legend"}
)
_LIST_ITEM_BLOCKS = _BLOCK_TAGS - {"ul", "ol", "li", "dt", "dd", "tr", "td", "th", "thead",
                                   "tbody", "tfoot", "caption", "summary", "legend"}
#: Layout blocks inside a link that are flattened to inline text to keep the link whole.
_FLATTENED = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
                        "header", "footer", "figure", "figcaption", "center", "address"})
_DROP_TAGS = frozenset({"style", "noscript", "template", "head", "title", "meta", "link"})
_MEDIA_TAGS = frozenset({"iframe", "video", "audio", "object", "embed"})
_RAW_INLINE = frozenset({"u", "ins", "mark", "sup", "sub", "small", "kbd", "abbr", "var",
                         "samp", "big"})
_EMPHASIS = MappingProxyType(
    {"em": "*", "i": "*", "strong": "**", "b": "**", "del": "~~", "s": "~~", "strike": "~~"}
)
_HTML_EMPHASIS = MappingProxyType({"*": "em", "**": "strong", "~~": "del"})
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,31}://[^\s<>]+\Z")

#: What ``Walker._handle`` runs for an element: None when kept, else (replacement, is_block).
Route = Callable[["Walker", HtmlElement], "tuple[str, bool] | None"]
#: ``Walker._route`` results by Walker class, then by tag name (capped: names are input).
_ROUTES: dict[type, dict[str, Route]] = {}
_MAX_ROUTES = 512


class Walker:
    """One pass over a parsed body that prepares it for html2text (see module doc).

    The tree is changed in place. ``store`` receives protected blocks; ``warnings``
    collects what could not be carried over faithfully. With ``guarded`` False, text
    is written without guards (``htmlblocks.neutralize``), for ``unguarded_markdown``
    only: the walk raises ``NeedsGuard`` where a part needs html2text (``fragment``).
    """

    def __init__(
        self, ctx: TransformContext, store: Protected, warnings: list[str], guarded: bool = True
    ) -> None:
        self.ctx, self.store, self.warnings = ctx, store, warnings
        self.guarded = guarded
        #: What text written into the tree goes through, what a backslash becomes, and
        #: what a text needs to hold (besides a sentinel) for either to change it.
        self.guard, self.backslash, self.risk = (
            (guard, ESC, _PLAIN_TEXT_RISK) if guarded else (neutralize, "\\", _SPECIAL)
        )
        self.style = ctx.embed_style
        self.mdx, self.hugo = ctx.embed_style == "mdx", ctx.embed_style == "hugo"
        self.line_start, self.prev = BLOCK_START, " "
        self.link = self.cell = self.heading = False
        self._routes = _ROUTES.setdefault(type(self), {})

    # -- text

    def _escaped(
        self, text: str, parent: HtmlElement, child: HtmlElement | None = None
    ) -> str | None:
        """``parent``'s text (``child`` None) or ``child``'s tail escaped and guarded, or
        None where it stays as it is; advances the line-start state.

        Those cases are checked first, so the following element (the character after
        the text) is looked up only when the text needs escaping.
        """
        if text.isspace():
            self.prev = text[-1]
            return None
        if self.risk.search(text) is None and (text.isascii() or not has_sentinel(text)) and (
            self.line_start == NOT_AT_START or text[0].isalpha() or _LINE_RISK.match(text) is None
        ):  # (no block construct starts with a letter: the usual text is not matched)
            self.line_start, self.prev = NOT_AT_START, text[-1]
            return None
        following = child.getnext() if child is not None else (parent[0] if len(parent) else None)
        escaped = self.guard(escape_text(
            text, line_start=self.line_start, prev=self.prev, nxt=start_char(following, parent),
            link=self.link, cell=self.cell, mdx=self.mdx, hugo=self.hugo, heading=self.heading,
        ))
        self.line_start, self.prev = NOT_AT_START, text[-1]
        return None if escaped == text else escaped  # (an unchanged text is not rewritten)

    def _leaf_text(self, el: HtmlElement, text: str) -> str:
        """What ``walk`` leaves as the text of ``el``, an element without children whose
        text is ``text``, without writing it (its handler writes the element's text once)."""
        escaped = self._escaped(text, el) if text else None
        return text if escaped is None else escaped

    def _mark(self, markup: str, prev: str) -> str:
        """Guard inserted markup and note that it occupies the line."""
        self.line_start, self.prev = NOT_AT_START, prev
        return self.guard(markup)

    # -- traversal

    def walk(self, el: HtmlElement) -> None:
        """Escape ``el``'s text and handle each child (then its tail) in document order."""
        text = el.text
        if text:
            escaped = self._escaped(text, el)
            if escaped is not None:
                el.text = escaped
        if not len(el):  # (most elements: no child list to build)
            return
        routes = self._routes
        # (no lxml iterator, which costs more to make than a few getnext calls; the next
        # sibling is found before the child is handled, so replacing or removing the
        # child cannot derail the walk, and no handler touches a later sibling of the
        # element it handles)
        child: HtmlElement | None = el[0]
        while child is not None:
            following = child.getnext()
            # (_handle's lookup, inlined for the usual tag; a comment's tag, a function,
            # finds nothing here and goes to _handle: mypy wants a str key, hence the ignore)
            route = routes.get(child.tag)  # type: ignore[arg-type]
            replacement = route(self, child) if route is not None else self._handle(child)
            tail = child.tail
            if tail:
                escaped = self._escaped(tail, el, child)
                if escaped is not None:
                    child.tail = escaped
            if replacement is not None:
                self._replace(el, child, replacement)
            child = following

    def _replace(self, parent: HtmlElement, child: HtmlElement, by: tuple[str, bool]) -> None:
        """Put a handler's replacement (text, is_block) in place of ``child``."""
        text, block = by
        if block:
            para = parent.makeelement("p", {"data-wpm-block": "1"})
            para.text, para.tail = self.store.token(text, True), child.tail
            parent.replace(child, para)
        else:
            splice(parent, child, text)

    def _handle(self, el: HtmlElement) -> tuple[str, bool] | None:
        """Handle one element: None when kept in the tree, else (replacement, is_block)."""
        tag = el.tag
        if not isinstance(tag, str):
            return self.comment(el) if is_comment(el) else ("", False)
        route = self._routes.get(tag)
        if route is None:
            route = self._route(tag)
            if len(self._routes) < _MAX_ROUTES:
                self._routes[tag] = route
        return route(self, el)

    def _route(self, tag: str) -> Route:
        """How ``_handle`` treats an element named ``tag``: worked out once per tag name
        and Walker class (in ``_routes``), as the lookups cost more than the call."""
        name = tag.lower()
        handler = self.handlers.get(name)
        if handler is not None:
            return handler
        if name in _EMPHASIS:
            marker = _EMPHASIS[name]
            return lambda walker, el: walker._emphasis(el, marker)
        if name in _DROP_TAGS:
            return lambda walker, el: ("", False)
        if name in _MEDIA_TAGS:
            return lambda walker, el: walker._block(media_markup(el, walker.style))
        if name in _RAW_INLINE:
            return lambda walker, el: walker._raw_inline(el, name)
        return type(self)._walk_block if name in _BLOCK_TAGS else type(self).walk

    def _block(self, markdown: str) -> tuple[str, bool]:
        self.line_start, self.prev = BLOCK_START, " "
        return markdown, True

    def _walk_block(self, el: HtmlElement) -> None:
        self.line_start, self.prev = BLOCK_START, " "
        self.walk(el)
        self.line_start, self.prev = BLOCK_START, " "

    # -- element handlers

    def _pre(self, el: HtmlElement) -> tuple[str, bool]:
        text = pre_text(el)
        return self._block(code_fence(hugo_code(text) if self.hugo else text, pre_language(el)))

    def _code(self, el: HtmlElement) -> tuple[str, bool]:
        text = text_content(el)
        code = inline_code(hugo_code(text) if self.hugo else text)
        if not code:
            return "", False
        if self.cell:  # GFM splits cells at "|" even inside code spans
            code = code.replace("|", "\\|")
        self._mark("", "`")
        return self.store.token(code, False), False

    def _br(self, el: HtmlElement) -> tuple[str, bool] | None:
        if self.cell:
            return self._mark("<br />" if self.mdx else "<br>", ">"), False
        if self.line_start == BLOCK_START or _ends_block(el):
            return "", False  # a break before or after all content of a block shows nothing
        if self.heading:
            return self._mark(" ", " "), False
        self.line_start, self.prev = AFTER_BREAK, " "
        return None

    def _heading(self, el: HtmlElement) -> None:
        self.heading = True
        self._walk_block(el)
        self.heading = False

    def _emphasis(self, el: HtmlElement, marker: str) -> None:
        """``*``/``**``/``~~`` around the content, or HTML tags where flanking fails."""
        text = el.text or ""
        if not len(el):
            self._leaf_emphasis(el, text, marker)
            return
        content = text_content(el)
        el.tag = "span"
        if not content.strip():
            self.walk(el)
            return
        lead, trail = content[0].isspace(), content[-1].isspace()
        end_text = (el[-1].tail or "") if len(el) else text
        movable = (not lead or text[:1].isspace()) and (not trail or end_text[-1:].isspace())
        first, last = _markdown_edges(el, content.strip())
        before = " " if lead else self.prev
        after = " " if trail else (following_char(el) or " ")
        use_md = movable and emphasis_flanks(before, first, last, after)
        if use_md:
            if lead:
                el.text = text.lstrip()
            if trail:
                set_last_text(el, last_text(el).rstrip())
            opener, closer = (" " if lead else "") + marker, marker + (" " if trail else "")
        else:
            name = _HTML_EMPHASIS[marker]
            opener, closer = f"<{name}>", f"</{name}>"
        opener = self._mark(opener, opener[-1])
        set_last_text(el, self._walk_inline(el, opener) + self._mark(closer, closer[-1]))

    def _leaf_emphasis(self, el: HtmlElement, text: str, marker: str) -> None:
        """``_emphasis`` for an element without children (the usual), whose text is
        ``text``: the same decisions, with the text read once and written once."""
        el.tag = "span"
        stripped = text.strip()
        if not stripped:  # (walk(el) for an element without children)
            escaped = self._escaped(text, el) if text else None
            if escaped is not None:
                el.text = escaped
            return
        lead, trail = text[0].isspace(), text[-1].isspace()
        before = " " if lead else self.prev
        after = " " if trail else (following_char(el) or " ")
        if emphasis_flanks(before, stripped[0], stripped[-1], after):  # (always movable)
            if lead:
                text = text.lstrip()
            if trail:
                text = text.rstrip()
            opener, closer = (" " if lead else "") + marker, marker + (" " if trail else "")
        else:
            name = _HTML_EMPHASIS[marker]
            opener, closer = f"<{name}>", f"</{name}>"
        opener = self._mark(opener, opener[-1])
        content = self._leaf_text(el, text)
        el.text = opener + content + self._mark(closer, closer[-1])

    def _raw_inline(self, el: HtmlElement, tag: str) -> None:
        title = el.get("title") if tag == "abbr" else None
        attr = f' title="{html.escape(title, quote=True)}"' if title else ""
        opener = self._mark(f"<{tag}{attr}>", ">")
        el.tag = "span"
        set_last_text(el, self._walk_inline(el, opener) + self._mark(f"</{tag}>", ">"))

    def _walk_inline(self, el: HtmlElement, opener: str) -> str:
        """``walk(el)`` with ``opener`` put before its content; returns the text at the end
        of the content, for the caller to set with its closer (``set_last_text``). The
        text of an element without children (the usual) is written once, by that call."""
        if len(el):
            self.walk(el)
            el.text = opener + (el.text or "")
            return last_text(el)
        return opener + self._leaf_text(el, el.text or "")

    def _link(self, el: HtmlElement) -> tuple[str, bool] | None:
        href = el.get("href")
        descendants = _descendants(el)
        blocks = [d for d in descendants if isinstance(d.tag, str) and d.tag in _BLOCK_TAGS]
        if href is not None and blocks and all(d.tag in _FLATTENED for d in blocks):
            for inner in blocks:  # a "card" link: its layout blocks become spaced inline text
                inner.tag, inner.tail = "span", " " + (inner.tail or "")
            blocks = []
        if href is None or blocks:
            if href is not None:
                el.set("href", link_destination(href))
            else:
                el.tag = "span"
            self.walk(el)
            return None
        dest = link_destination(href)
        title = el.get("title", "").strip()
        tail = f' "{link_title(title)}"' if title else ""
        content = text_content(el)
        if not content.strip() and not any(d.tag == "img" for d in descendants):
            space = " " if content else ""
            return self._mark(f"[{space}]({dest}{tail})", ")"), False
        if len(el) == 0 and content.strip() == href and _ABSOLUTE.match(href) and not tail:
            return self._mark(autolink(href, self.style), ">"), False
        opener = self._mark("[", "[")
        self.link = True
        end = self._walk_inline(el, opener)
        self.link = False
        el.tag = "span"
        space = ""
        if end[-1:].isspace() and not end.rstrip().endswith(self.backslash):
            end, space = end.rstrip(), " "  # keep the space, outside the link
        set_last_text(el, end + self._mark(f"]({dest}{tail}){space}", ")"))
        return None

    def _img(self, el: HtmlElement) -> tuple[str, bool]:
        src = el.get("src")
        if not src:
            return "", False
        alt = " ".join((el.get("alt") or "").split())
        alt = escape_text(alt, link=True, mdx=self.mdx, hugo=self.hugo, nxt="]")
        title = el.get("title", "").strip()
        tail = f' "{link_title(title)}"' if title else ""
        return self._mark(f"![{alt}]({link_destination(src)}{tail})", ")"), False

    def comment(self, el: HtmlElement) -> tuple[str, bool]:
        """Comments are dropped (BodyWalker keeps the more/nextpage markers)."""
        return "", False

    def fragment(self, el: HtmlElement) -> str:
        """Markdown of an already-walked element's content (for complex list items)."""
        el.tag = "div"
        if self.guarded:
            return tree2markdown(el, with_tail=False)
        return unguarded_markdown(el, with_tail=False)

    #: Element handlers by tag (subclasses extend it).
    handlers: ClassVar[Mapping[str, Callable[..., tuple[str, bool] | None]]] = MappingProxyType(
        {
            "pre": _pre, "code": _code, "tt": _code, "br": _br, "a": _link, "img": _img,
            **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), _heading),
        }
    )


#: The Markdown characters an inline element starts and ends with once written.
_MARKUP_EDGES = {
    "a": ("[", ")"), "img": ("!", ")"), "code": ("`", "`"),
    "em": ("*", "*"), "i": ("*", "*"), "strong": ("*", "*"), "b": ("*", "*"),
}


def _markdown_edges(el: HtmlElement, stripped: str) -> tuple[str, str]:
    """First and last characters of an emphasis's content as Markdown, not as text:
    ``<em><a>x</a></em>`` ends with the link's ``)``, which changes CommonMark's flanking.
    """
    first, last = stripped[0], stripped[-1]
    if len(el) and not (el.text or "").strip() and isinstance(el[0].tag, str):
        first = _MARKUP_EDGES.get(el[0].tag, (first, last))[0]
    if len(el) and not (el[-1].tail or "").strip() and isinstance(el[-1].tag, str):
        last = _MARKUP_EDGES.get(el[-1].tag, (first, last))[1]
    return first, last


def _descendants(el: HtmlElement) -> list[HtmlElement]:
    """``list(el.iterdescendants())``, listed once for a link's block and image checks:
    each lxml iterator costs ~1µs, so a link's usual content (text, or one element without
    children: ``<a><img></a>``) is listed here without one."""
    size = len(el)
    if not size:
        return []
    if size == 1:
        child = el[0]
        if not len(child):
            return [child]
    return list(el.iterdescendants())


def _ends_block(br: HtmlElement) -> bool:
    """Whether nothing follows ``br`` in its block (so it would only end the block)."""
    parent = br.getparent()
    return (
        not (br.tail or "").strip() and br.getnext() is None
        and parent is not None and parent.tag in _BLOCK_TAGS
    )
