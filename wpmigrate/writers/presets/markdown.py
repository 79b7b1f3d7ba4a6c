"""Plain Markdown with YAML front matter, for any engine or none."""

from __future__ import annotations

from typing import Any

from wpmigrate.writers.presets.base import (
    Entry,
    Preset,
    basic_term_fields,
    custom_taxonomies,
    drop_empty,
)


def markdown_fields(entry: Entry) -> dict[str, Any]:
    """Engine-neutral front matter: everything wpmigrate knows, under plain names."""
    data: dict[str, Any] = {
        "title": entry.title,
        "date": entry.date,
        "updated": entry.modified if entry.modified != entry.date else None,
        "slug": entry.slug,
        "type": entry.type,
        "draft": True if entry.draft else None,
        "author": entry.author,
        "categories": list(entry.categories),
        "tags": list(entry.tags),
        **custom_taxonomies(entry),
        "summary": entry.summary,
        "featured_image": entry.featured_image,
        "url": entry.url,
        "aliases": list(entry.aliases),
        "wordpress_id": entry.id,
    }
    return drop_empty(data)


PRESET = Preset(
    name="markdown",
    description="Plain Markdown files with YAML front matter: posts/<slug>.md, pages/<path>.md",
    front_matter="yaml",
    post_path="posts/{date_path}{name}.md",
    page_path="pages/{page_path}.md",
    cpt_path="{type}/{name}.md",
    post_url="/posts/{date_path}{name}/",
    page_url="/{page_path}/",
    cpt_url="/{type}/{name}/",
    fields=markdown_fields,
    comments_path="comments/{id}.yaml",
    comments_usage='comments/<wordpress_id>.yaml, named by the wordpress_id field',
    static_dir="",
    term_url="/{wp_base}/{chain}/",
    term_path="terms/{wp_base}/{chain}.md",
    term_fields=basic_term_fields,
    query_aliases=True,
)
