"""What the body transforms need to know about the rest of the site.

The pipeline builds one ``TransformContext`` per item (cheap: it mostly holds
references to the shared, read-only index) and hands it to
``wpmigrate.transforms.convert_body``. Transforms never do I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from wpmigrate.model import Media

#: How embeds (YouTube, Vimeo, iframes, video, audio) are written:
#: "hugo" uses Hugo's built-in shortcodes where one exists, raw HTML otherwise;
#: "html" keeps raw HTML (Jekyll, Eleventy, Astro, Pelican, Zola, plain Markdown);
#: "mdx" writes JSX-safe HTML (self-closed void elements, className, style objects avoided).
EmbedStyle = Literal["hugo", "html", "mdx"]

#: How [latex] and math blocks are written: "$$" (KaTeX/MathJax delimiters).
MathStyle = Literal["dollars"]

UrlKind = Literal["link", "media"]


def _keep(url: str, kind: UrlKind) -> str:
    return url


@dataclass(frozen=True, slots=True)
class TransformContext:
    """Everything a body transform may consult. All callables are pure lookups."""

    post_id: int | str = 0
    base_url: str = ""  # the old site's home URL, to recognize internal links
    embed_style: EmbedStyle = "html"
    math_style: MathStyle = "dollars"
    summary_marker: str = "<!--more-->"  # the engine's "read more" marker
    #: Maps an old URL (absolute, root-relative or relative to base_url) to the new
    #: reference: for kind="link" the new page URL, for kind="media" the new media path.
    #: Returns the URL unchanged when it is not the site's own.
    rewrite_url: Callable[[str, UrlKind], str] = _keep
    #: Attachments by ID, for [gallery ids="…"] and block images that carry only an ID.
    attachments: Mapping[int, Media] = field(default_factory=dict)
    #: The source already used wpautop (rendered HTML from a mirror/REST): never re-run it.
    rendered: bool = False
