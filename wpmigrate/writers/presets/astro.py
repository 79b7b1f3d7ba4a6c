"""Astro: a ``blog`` content collection with the blog starter's schema.

The starter (``npm create astro -- --template blog``) validates
``title``, ``description``, ``pubDate``, ``updatedDate`` and ``heroImage``; extra keys
are allowed by its schema. ``description`` is required by it, so it is always written.
Files go to ``src/content/blog/<slug>.md`` (served at ``/blog/<slug>/``), pages to a
``pages`` collection, media to ``public/media/``. ``heroImage`` is a public path
string; starters whose schema uses ``image()`` need the media moved into ``src/``.
"""

from __future__ import annotations

from typing import Any

from wpmigrate.writers.presets.base import Entry, Preset, custom_taxonomies, drop_empty


def astro_fields(entry: Entry) -> dict[str, Any]:
    """The blog starter's fields first, then what else wpmigrate knows."""
    data: dict[str, Any] = {
        "title": entry.title,
        "description": entry.summary or entry.title,
        "pubDate": entry.date,
        "updatedDate": entry.modified if entry.modified != entry.date else None,
        "heroImage": entry.featured_image,
        "draft": True if entry.draft else None,
        "author": entry.author,
        "categories": list(entry.categories),
        "tags": list(entry.tags),
        **custom_taxonomies(entry),
        "aliases": list(entry.aliases),
        "wordpress_id": entry.id,
    }
    return drop_empty(data)


PRESET = Preset(
    name="astro",
    description="Astro content collection src/content/blog/<slug>.md (blog starter schema)",
    front_matter="yaml",
    post_path="src/content/blog/{date_path}{name}.md",
    page_path="src/content/pages/{page_path}.md",
    cpt_path="src/content/{type}/{name}.md",
    post_url="/blog/{date_path}{name}/",
    page_url="/{page_path}/",
    cpt_url="/{type}/{name}/",
    front_matter_formats=("yaml",),
    fields=astro_fields,
    static_dir="public",
    notes=("heroImage is a /media/… string; old URLs are in the --redirects files",),
)
