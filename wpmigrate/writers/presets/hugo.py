"""Hugo: page bundles under ``content/``, ``aliases`` for old URLs, built-in shortcodes.

Raw HTML (iframes, tables that cannot be GFM) needs Hugo's
``markup.goldmark.renderer.unsafe = true``; wpmigrate writes it into ``hugo.toml``.
"""

from __future__ import annotations

from typing import Any

from wpmigrate.writers.presets.base import Entry, Preset, drop_empty


def hugo_fields(entry: Entry) -> dict[str, Any]:
    """Hugo's front matter: taxonomies by display name, old URLs as aliases."""
    data: dict[str, Any] = {
        "title": entry.title,
        "date": entry.date,
        "lastmod": entry.modified if entry.modified != entry.date else None,
        "slug": entry.slug,
        "draft": True if entry.draft else None,
        "author": entry.author,
        "categories": list(entry.categories),
        "tags": list(entry.tags),
        **{name: list(terms) for name, terms in sorted(entry.taxonomies.items())},
        "summary": entry.summary,
        "images": [entry.featured_image] if entry.featured_image else None,
        "aliases": list(entry.aliases),
        "weight": entry.menu_order or None,
        "wordpress_id": entry.id,
    }
    return drop_empty(data)


def hugo_config() -> dict[str, str]:
    """A minimal ``hugo.toml`` so the converted tree builds as it is."""
    return {
        "hugo.toml": (
            "# Written by wpmigrate. Raw HTML (embeds, complex tables) needs 'unsafe'.\n"
            "[markup.goldmark.renderer]\n"
            "unsafe = true\n"
            "\n"
            "[taxonomies]\n"
            "category = 'categories'\n"
            "tag = 'tags'\n"
        )
    }


PRESET = Preset(
    name="hugo",
    description="Hugo page bundles: content/posts/<slug>/index.md, pages by parent, aliases",
    front_matter="yaml",
    post_path="content/posts/{date_path}{name}/index.md",
    page_path="content/{page_path}/index.md",
    cpt_path="content/{type}/{name}/index.md",
    post_url="/posts/{date_path}{name}/",
    page_url="/{page_path}/",
    cpt_url="/{type}/{name}/",
    fields=hugo_fields,
    embed_style="hugo",
    notes=("raw HTML needs markup.goldmark.renderer.unsafe = true (written to hugo.toml)",),
    extra_files=hugo_config,
)
