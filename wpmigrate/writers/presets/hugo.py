"""Hugo: page bundles under ``content/``, ``aliases`` for old URLs, built-in shortcodes.

Raw HTML (iframes, tables that cannot be GFM) needs Hugo's
``markup.goldmark.renderer.unsafe = true``; wpmigrate writes it into ``hugo.toml``.
Every item carries its URL in ``url`` so the served URL is exactly the index's, whatever
``--name-by`` or path collisions did to the folder name. ``aliases`` holds only path
forms: Hugo writes one redirect page per alias, and ``/?p=308`` cannot be a file, so
query-string forms go to the redirect files (``--redirects``).
"""

from __future__ import annotations

from typing import Any

from wpmigrate.writers.presets.base import (
    Entry,
    Preset,
    TermEntry,
    custom_taxonomies,
    drop_empty,
    path_aliases,
)


def hugo_fields(entry: Entry) -> dict[str, Any]:
    """Hugo's front matter: taxonomies by display name, old URLs as aliases."""
    data: dict[str, Any] = {
        "title": entry.title,
        "date": entry.date,
        "lastmod": entry.modified if entry.modified != entry.date else None,
        "slug": entry.slug,
        "url": entry.url,
        "draft": True if entry.draft else None,
        "author": entry.author,
        "categories": list(entry.categories),
        "tags": list(entry.tags),
        **custom_taxonomies(entry),
        "summary": entry.summary,
        "images": [entry.featured_image] if entry.featured_image else None,
        "aliases": path_aliases(entry.aliases),
        "weight": entry.menu_order or None,
        "wordpress_id": entry.id,
    }
    return drop_empty(data)


def hugo_term_fields(term: TermEntry) -> dict[str, Any]:
    """A term's ``_index.md``: its name, description and old archive URLs."""
    data = {
        "title": term.name,
        "description": term.description,
        "aliases": path_aliases(term.aliases),
    }
    return drop_empty(data)


def hugo_config(taxonomies: tuple[str, ...] = ()) -> dict[str, str]:
    """A minimal ``hugo.toml`` so the converted tree builds as it is."""
    custom = "".join(f"{name} = '{name}'\n" for name in sorted(taxonomies))
    return {
        "hugo.toml": (
            "# Written by wpmigrate. Raw HTML (embeds, complex tables) needs 'unsafe'.\n"
            "[markup.goldmark.renderer]\n"
            "unsafe = true\n"
            "\n"
            "[taxonomies]\n"
            "category = 'categories'\n"
            "tag = 'tags'\n" + custom
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
    comments_path="data/comments/{id}.yaml",
    comments_usage=(
        '{{ with index site.Data.comments (string .Params.wordpress_id) }}{{ range '
        '.comments }}{{ .author }}: {{ .content | markdownify }}{{ end }}{{ end }}'
    ),
    embed_style="hugo",
    notes=(
        "raw HTML needs markup.goldmark.renderer.unsafe = true (written to hugo.toml)",
        "aliases hold path forms only; ?p= forms are in the --redirects files",
    ),
    extra_files=hugo_config,
    term_url="/{taxonomy}/{urlized}/",
    term_path="content/{taxonomy}/{urlized}/_index.md",
    term_fields=hugo_term_fields,
)
