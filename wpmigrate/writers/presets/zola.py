"""Zola: TOML ``+++`` front matter, ``[taxonomies]``, ``aliases``, explicit ``path``.

Zola requires TOML-known keys at the top level; everything else goes under
``[extra]``. Aliases are path forms only (Zola writes a redirect page per alias).
Zola's term pages are generated from the taxonomy (``/categories/<name>/``); term
descriptions have no place there, so old archive URLs are redirected by the files.
"""

from __future__ import annotations

from typing import Any

from wpmigrate.writers.presets.base import (
    Entry,
    Preset,
    custom_taxonomies,
    drop_empty,
    path_aliases,
)


def zola_fields(entry: Entry) -> dict[str, Any]:
    """Zola's page front matter."""
    taxonomies = {"categories": list(entry.categories), "tags": list(entry.tags)}
    taxonomies.update(custom_taxonomies(entry))
    extra = {
        "author": entry.author,
        "featured_image": entry.featured_image,
        "wordpress_id": entry.id,
    }
    data: dict[str, Any] = {
        "title": entry.title,
        "description": entry.summary,
        "date": entry.date,
        "updated": entry.modified if entry.modified and entry.modified != entry.date else None,
        "draft": True if entry.draft else None,
        "path": entry.url.strip("/"),
        "weight": entry.menu_order or None,
        "aliases": path_aliases(entry.aliases),
        "taxonomies": drop_empty(taxonomies),
        "extra": drop_empty(extra),
    }
    return drop_empty(data)


def zola_config(taxonomies: tuple[str, ...] = ()) -> dict[str, str]:
    """A minimal ``config.toml`` declaring the taxonomies."""
    names = ["categories", "tags", *sorted(taxonomies)]
    declared = ", ".join(f'{{ name = "{name}" }}' for name in names)
    return {
        "config.toml": (
            "# Written by wpmigrate.\n"
            'base_url = "/"\n'
            f"taxonomies = [{declared}]\n"
        ),
        "content/_index.md": "+++\n+++\n",
        "content/posts/_index.md": '+++\ntitle = "Posts"\n+++\n',
        "content/pages/_index.md": '+++\ntitle = "Pages"\n+++\n',
    }


PRESET = Preset(
    name="zola",
    description="Zola: content/posts/<slug>.md, TOML front matter, [taxonomies], aliases",
    front_matter="toml",
    post_path="content/posts/{date_path}{name}.md",
    page_path="content/pages/{page_path}.md",
    cpt_path="content/{type}/{name}.md",
    post_url="/posts/{date_path}{name}/",
    page_url="/{page_path}/",
    cpt_url="/{type}/{name}/",
    front_matter_formats=("toml",),
    fields=zola_fields,
    comments_path="data/comments/{id}.yaml",
    comments_usage=(
        'load_data(path="data/comments/" ~ page.extra.wordpress_id ~ ".yaml", '
        'required=false)'
    ),
    static_dir="static",
    notes=("query-string aliases (/?p=…) are in the --redirects files only",),
    extra_files=zola_config,
    term_url="/{taxonomy}/{name_slug}/",
)
