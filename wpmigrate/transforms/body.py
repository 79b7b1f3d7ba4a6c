"""Body conversion: a stored WordPress body → Markdown, plus what it references.

``convert_body`` is what the pipeline calls: ``prepare_html`` (WordPress markup →
normalized HTML, ``markup.py``) → one lxml parse → URL rewriting (``links.py``) →
the html2text-based conversion with its pre/post-processing (``markdown.py``, which
protects code, tables, embeds, raw HTML and math through ``htmlblocks.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HtmlProcessingInstruction,
    fragments_fromstring,
)

from wpmigrate.transforms.context import TransformContext
from wpmigrate.transforms.html2text_driver import (
    NeedsGuard,
    tree2markdown,
    unguarded_markdown,
)
from wpmigrate.transforms.htmlblocks import (
    CAPTION_BLOCKERS,
    LIST_ITEM_BLOCKS,
    Protected,
    append_content,
    autolink,
    embed_markup,
    last_text,
    math_markup,
    raw_markup,
    serialize,
    set_last_text,
    table_markup,
    table_rows,
    text_content,
)
from wpmigrate.transforms.links import rewrite_links
from wpmigrate.transforms.markdown import Walker
from wpmigrate.transforms.markup import prepare_html


@dataclass(frozen=True, slots=True)
class BodyResult:
    """The Markdown of one body and what the pipeline needs to know about it."""

    markdown: str
    #: Every media URL the body references, as found (before rewriting), in order, deduplicated.
    media: tuple[str, ...] = ()
    #: Every link href found (before rewriting), in order, deduplicated.
    links: tuple[str, ...] = ()
    unknown_shortcodes: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def convert_body(content: str, ctx: TransformContext) -> BodyResult:
    """Convert a stored body (``post.content``, or a mirror's rendered HTML) to Markdown."""
    prepared = prepare_html(content, ctx)
    result = convert_html(prepared.html, ctx)
    return BodyResult(
        markdown=result.markdown,
        media=result.media,
        links=result.links,
        unknown_shortcodes=dict(prepared.unknown_shortcodes),
        warnings=prepared.warnings + result.warnings,
    )


def convert_html(html_text: str, ctx: TransformContext) -> BodyResult:
    """Convert already normalized HTML (the second half of ``convert_body``).

    First without guards (``unguarded_markdown``: narrow strings throughout, as most
    bodies need no html2text); a body that needs html2text after all is converted
    again from the start with them (the walk changes the tree, and the context's
    lookups are pure, so the second run gives what it alone would).
    """
    try:
        return _convert_html(html_text, ctx, guarded=False)
    except NeedsGuard:
        return _convert_html(html_text, ctx, guarded=True)


def _convert_html(html_text: str, ctx: TransformContext, guarded: bool) -> BodyResult:
    """``convert_html`` with or without guards (``Walker``'s ``guarded``)."""
    root = parse_fragment(html_text)
    if root is None:
        return BodyResult(markdown="")
    # Every parsed element's Python proxy, alive until the end: lxml would otherwise
    # create and free an element's proxy again in every pass (links, walk, replay).
    proxies = list(root.iter())
    found = rewrite_links(root, ctx)
    warnings: list[str] = []
    markdown = html_to_markdown(root, ctx, warnings, guarded)
    del proxies
    return BodyResult(
        markdown=markdown,
        media=tuple(found.media),
        links=tuple(found.links),
        warnings=tuple(warnings),
    )


#: lxml.html's parser, but with its element classes chosen in C: lxml.html's own lookup
#: is a Python callback run for every element proxy created (several per element in a
#: walk), and the form-field classes it would pick add nothing the conversion uses.
_PARSER: etree.HTMLParser[HtmlElement] = etree.HTMLParser()
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity,
))


def parse_fragment(html_text: str) -> HtmlElement | None:
    """Parse an HTML fragment into a wrapper ``<div>`` (None when there is nothing).

    ``lxml.html.fragment_fromstring(html_text, create_parent="div")``, with the wrapper
    made by the same parser (its document's lookup is the one every node then uses):
    the ``<body>`` that ``lxml.html.fragments_fromstring`` parses the fragment into
    becomes the wrapper in place (moving the elements to a new one costs a walk over
    the whole tree in libxml2).
    """
    if not html_text.strip():
        return None
    if _FULL_DOCUMENT.match(html_text):  # (parsed unwrapped by fragments_fromstring)
        return _moved_into_wrapper(html_text)
    try:
        doc = etree.fromstring(f"<html><body>{html_text}</body></html>", _PARSER)
    except (etree.ParserError, ValueError):
        return None
    bodies = [e for e in doc if e.tag == "body"] if doc is not None and doc.tag == "html" else []
    if len(bodies) != 1:
        return _moved_into_wrapper(html_text)  # (fails as fragments_fromstring does)
    body = bodies[0]
    body.tag, body.tail = "div", None
    if body.text is not None and not body.text.strip():
        body.text = None  # (fragments_fromstring drops blank leading text)
    if len(body.attrib):
        body.attrib.clear()
    return body


#: lxml.html's test for a whole document, which ``fragments_fromstring`` does not wrap.
_FULL_DOCUMENT = re.compile(r"^\s*<(?:html|!doctype)", re.IGNORECASE)


def _moved_into_wrapper(html_text: str) -> HtmlElement | None:
    """``parse_fragment`` the plain way: the parsed elements moved into a new wrapper."""
    try:
        # (lxml takes any HTML parser here; its stubs only lxml.html's: hence the ignore)
        elements = fragments_fromstring(html_text, parser=_PARSER, no_leading_text=False)  # type: ignore[call-overload]
    except (etree.ParserError, ValueError):
        return None
    root = _PARSER.makeelement("div")
    if elements:
        if isinstance(elements[0], str):
            root.text = elements[0]
            del elements[0]
        root.extend(elements)
    return root


def _has_block_child(li: HtmlElement, blocks: frozenset[str]) -> bool:
    return any(isinstance(c.tag, str) and (c.tag in blocks or c.get("data-wpm-block"))
               for c in li)


class BodyWalker(Walker):
    """The Walker plus the structures html2text lays out wrong by itself: tables,
    lists whose items hold blocks, figures, definition lists, and the normalized
    ``div``/``span`` placeholders (embeds, raw HTML, math)."""

    def table(self, el: HtmlElement) -> tuple[str, bool] | None:
        """A GFM table as one paragraph of ``|`` rows, else a raw HTML block."""
        rows = table_rows(el)
        if rows is None:
            return self._block(table_markup(el, self.style))
        caption = next((child for child in el if child.tag == "caption"), None)  # el.find
        para = el.makeelement("p", {})
        self._walk_block(para)
        self.cell = True
        out = _Appender(para)
        for number, row in enumerate(rows):
            if number:
                out.element(para.makeelement("br", {}))
            out.text("|")
            for cell in row:
                self._mark("", " ")
                self.walk(cell)
                out.text(" ")
                out.content(cell)
                out.text(" |")
            if number == 0:
                out.element(para.makeelement("br", {}))
                out.text(self.guard("|" + " --- |" * len(row)))
        out.flush()
        self.cell = False
        tail = el.tail
        _empty(el, "div")
        if caption is not None and text_content(caption).strip():
            caption.tag, caption.tail = "p", None
            self._walk_block(caption)
            el.append(caption)
        el.append(para)
        el.tail = tail
        self._walk_block(para.makeelement("p", {}))
        return None

    def list_(self, el: HtmlElement) -> tuple[str, bool] | None:
        """Walk a list; a list whose items hold blocks is written here, not by html2text."""
        items = [li for li in el if li.tag == "li"]
        for li in items:
            first = li[0] if len(li) else None
            if first is not None and first.tag == "p" and not (li.text or "").strip():
                _unwrap(first)
        self._walk_block(el)
        ordered = el.tag == "ol"
        number = _int(el.get("start"), 1)
        # html2text indents under "10." like under "9.", which detaches nested lists
        wide = ordered and number + len(items) > 10 and (
            el.find("li/ul") is not None or el.find("li/ol") is not None
        )
        if not wide and not any(_has_block_child(li, LIST_ITEM_BLOCKS) for li in items):
            return None
        out: list[str] = []
        for li in items:
            marker = f"{number}. " if ordered else "- "
            number += 1
            body = self.fragment(li)
            pad = " " * len(marker)
            lines = [(pad + line) if line else "" for line in body.split("\n")]
            out.append(marker + lines[0][len(pad):] + "".join("\n" + x for x in lines[1:]))
        return self._block("\n\n".join(out))

    def figure(self, el: HtmlElement) -> None:
        """Images as paragraphs, then the caption as an italic paragraph."""
        el.tag = "div"
        for cap in [child for child in el if child.tag == "figcaption"]:  # (no ElementPath)
            cap.tag = "p"
            if not text_content(cap).strip():
                continue
            if not len(cap) or not any(isinstance(d.tag, str) and d.tag in CAPTION_BLOCKERS
                                       for d in cap.iterdescendants()):
                wrapper = cap.makeelement("em", {})
                append_content(wrapper, cap)
                cap.text = None
                cap.append(wrapper)
        self._walk_block(el)

    def dl(self, el: HtmlElement) -> None:
        """Definition lists: each term a bold paragraph, each definition a paragraph."""
        el.tag = "div"
        for child in el:
            if child.tag == "dt":
                child.tag = "p"
                wrapper = child.makeelement("strong", {})
                append_content(wrapper, child)
                child.text = None
                child.append(wrapper)
            elif child.tag == "dd":
                child.tag = "div"
        self._walk_block(el)

    def div(self, el: HtmlElement) -> tuple[str, bool] | None:
        """Embed, raw and display-math placeholders; any other div is a plain block."""
        embed = el.get("data-wpm-embed")
        if embed is not None:
            return self._block(embed_markup(embed, self.style))
        if el.get("data-wpm-raw") is not None:
            if self.style == "mdx":
                self.warnings.append("raw HTML block kept; check it is valid JSX")
            return self._block(raw_markup(el, self.style))
        if "wpm-math" in (el.get("class") or "").split():
            return self._block(math_markup(el, True))
        self._walk_block(el)
        return None

    def span(self, el: HtmlElement) -> tuple[str, bool] | None:
        """Inline math, else the span's content."""
        if "wpm-math" in (el.get("class") or "").split():
            self._mark("", "$")
            return self.store.token(math_markup(el, False), False), False
        self.walk(el)
        return None

    def comment(self, el: HtmlElement) -> tuple[str, bool]:
        """``<!--more-->`` → the engine's summary marker; ``<!--nextpage-->`` kept (not MDX)."""
        text = (el.text or "").strip()
        if text.startswith("more"):
            return self._block(self.ctx.summary_marker)
        if text.startswith("nextpage"):
            if self.mdx:
                self.warnings.append("<!--nextpage--> page break dropped (no MDX equivalent)")
                return "", False
            return self._block("<!--nextpage-->")
        return "", False

    def script(self, el: HtmlElement) -> tuple[str, bool]:
        """A ``<script src>`` (gists) is kept as raw HTML (a link in MDX); inline ones go."""
        src = el.get("src")
        if not src:
            self.warnings.append("inline <script> dropped")
            return "", False
        if self.mdx:
            return self._block(autolink(src, self.style))
        return self._block(serialize(el, False, keep=frozenset({"src", "async", "charset"})))

    handlers: ClassVar[Mapping[str, Callable[..., tuple[str, bool] | None]]] = MappingProxyType(
        {
            **Walker.handlers, "table": table, "ul": list_, "ol": list_, "figure": figure,
            "dl": dl, "div": div, "span": span, "script": script,
        }
    )


class _Appender:
    """Appends text and elements at the end of an element's content.

    Like ``set_last_text(el, last_text(el) + text)`` and ``el.append(child)``, but the
    text is joined in Python and written once before each element: lxml converts text
    on every read and write, so appending cell by cell to one growing text (a table's
    paragraph) was quadratic. Nothing may read the element before ``flush``.
    """

    __slots__ = ("el", "pending")

    def __init__(self, el: HtmlElement) -> None:
        self.el = el
        self.pending: list[str] = []

    def text(self, text: str) -> None:
        self.pending.append(text)

    def element(self, child: HtmlElement) -> None:
        self.flush()
        self.el.append(child)

    def content(self, src: HtmlElement) -> None:
        """Move ``src``'s text and children (``append_content``)."""
        if src.text:
            self.text(src.text)
        for child in list(src):
            self.element(child)

    def flush(self) -> None:
        if self.pending:
            set_last_text(self.el, last_text(self.el) + "".join(self.pending))
            self.pending.clear()


def _empty(el: HtmlElement, tag: str) -> None:
    """Strip ``el`` to an empty ``tag`` element (tail kept by the caller)."""
    for child in list(el):
        el.remove(child)
    el.text = None
    el.attrib.clear()
    el.tag = tag


def _unwrap(child: HtmlElement) -> None:
    """Replace ``child`` by its content."""
    child.drop_tag()


def _int(value: str | None, default: int) -> int:
    if not value:  # (the usual: no attribute; int("") would raise, at some cost)
        return default
    try:
        return int((value or "").strip())
    except ValueError:
        return default



def html_to_markdown(
    root: HtmlElement, ctx: TransformContext, warnings: list[str], guarded: bool = True
) -> str:
    """Markdown for a parsed body whose URLs are already rewritten (changes ``root``).

    Unguarded (``guarded`` False) it raises ``NeedsGuard`` where html2text is needed.
    """
    store = Protected()
    BodyWalker(ctx, store, warnings, guarded).walk(root)
    markdown = store.expand(tree2markdown(root) if guarded else unguarded_markdown(root))
    return markdown + "\n" if markdown.strip() else ""
