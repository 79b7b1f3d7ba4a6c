"""Body conversion: a stored WordPress body → Markdown, plus what it references.

``convert_body`` is what the pipeline calls: ``prepare_html`` (WordPress markup →
normalized HTML, ``markup.py``) → one lxml parse → URL rewriting (``links.py``) →
the html2text-based conversion with its pre/post-processing (``markdown.py``, which
protects code, tables, embeds, raw HTML and math through ``htmlblocks.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement, fragment_fromstring

from wpmigrate.transforms.context import TransformContext
from wpmigrate.transforms.links import rewrite_links
from wpmigrate.transforms.markdown import html_to_markdown
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
    """Convert already normalized HTML (the second half of ``convert_body``)."""
    root = parse_fragment(html_text)
    if root is None:
        return BodyResult(markdown="")
    found = rewrite_links(root, ctx)
    warnings: list[str] = []
    markdown = html_to_markdown(root, ctx, warnings)
    return BodyResult(
        markdown=markdown,
        media=tuple(found.media),
        links=tuple(found.links),
        warnings=tuple(warnings),
    )


def parse_fragment(html_text: str) -> HtmlElement | None:
    """Parse an HTML fragment into a wrapper ``<div>`` (None when there is nothing)."""
    if not html_text.strip():
        return None
    try:
        return fragment_fromstring(html_text, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
