"""Next.js with MDX (contentlayer / next-mdx-remote): ``content/posts/<slug>.mdx``.

Bodies go through ``mdx_safe`` so ``@mdx-js/mdx`` compiles every file: braces
escaped, comments as ``{/* */}``, void elements self-closed, stray ``<`` escaped.
Front matter follows contentlayer's usual blog fields (``title``, ``date``,
``description``, ``tags``, ``url``); old URLs go in ``redirect_from`` for a
``next.config.js`` ``redirects()`` and in the ``--redirects`` files.
"""

from __future__ import annotations

from typing import Any

from wpmigrate.writers.presets.base import Entry, Preset, custom_taxonomies, drop_empty
from wpmigrate.writers.presets.mdx import mdx_safe


def nextjs_fields(entry: Entry) -> dict[str, Any]:
    """contentlayer-style front matter."""
    data: dict[str, Any] = {
        "title": entry.title,
        "date": entry.date,
        "updated": entry.modified if entry.modified != entry.date else None,
        "description": entry.summary,
        "draft": True if entry.draft else None,
        "author": entry.author,
        "categories": list(entry.categories),
        "tags": list(entry.tags),
        **custom_taxonomies(entry),
        "image": entry.featured_image,
        "slug": entry.slug,
        "url": entry.url,
        "redirect_from": list(entry.aliases),
        "wordpress_id": entry.id,
    }
    return drop_empty(data)


PRESET = Preset(
    name="nextjs-mdx",
    description="Next.js MDX: content/posts/<slug>.mdx that @mdx-js/mdx compiles",
    front_matter="yaml",
    post_path="content/posts/{date_path}{name}.mdx",
    page_path="content/pages/{page_path}.mdx",
    cpt_path="content/{type}/{name}.mdx",
    post_url="/posts/{date_path}{name}/",
    page_url="/{page_path}/",
    cpt_url="/{type}/{name}/",
    front_matter_formats=("yaml",),
    fields=nextjs_fields,
    comments_path="data/comments/{id}.json",
    comments_usage=(
        'read data/comments/<wordpress_id>.json (fs or import) at build time; content is '
        'Markdown'
    ),
    static_dir="public",
    embed_style="mdx",
    summary_marker="{/* more */}",
    body_filter=mdx_safe,
    extension=".mdx",
    notes=("old URLs: redirect_from in front matter, for next.config.js redirects()",),
    query_aliases=True,
)
