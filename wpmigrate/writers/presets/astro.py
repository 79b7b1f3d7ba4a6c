"""Astro: a ``blog`` content collection with the blog starter's schema.

The starter (``npm create astro -- --template blog``, Astro 5) validates ``title``,
``description``, ``pubDate``, ``updatedDate`` and ``heroImage``; extra keys are allowed
(its schema strips them). ``description`` is required by it, so it is always written.
Files go to ``src/content/blog/<slug>.md`` (served at ``/blog/<slug>/``), pages to a
``pages`` collection, media to ``public/media/`` (body images link to ``/media/…``).

``heroImage``: the starter has typed it ``image().optional()`` since mid-2025
(withastro/astro#13881; before, ``z.string()``), and ``image()`` resolves a local image
*relative to the entry file* and imports it; a public ``/media/…`` URL fails the build
with ``ImageNotFound``. So a downloaded or copied featured image is written as the path from
the entry to its file under ``public/`` (``../../../public/media/2023/07/a.png``): the
unmodified starter builds it (and optimises it, like its own ``src/assets`` heroes),
the body's ``/media/…`` links keep working, and the image is stored once. A featured
image kept remote (``--media keep``) stays a URL, which ``image()`` passes through.
Sites still on the older string schema (``z.string()`` + ``<img src>``) should change
it to ``image()`` or strip the ``../…/public`` prefix.
"""

from __future__ import annotations

from typing import Any

from wpmigrate.writers.presets.base import Entry, Preset, custom_taxonomies, drop_empty

MEDIA_PREFIX = "/media/"
#: Folders between the output root and an entry's file beyond its URL's segments:
#: ``/blog/a/`` is ``src/content/blog/a.md`` (2 segments, 3 folders), ``/about/team/``
#: is ``src/content/pages/about/team.md`` (2 segments, 4 folders), ``/book/a/`` is
#: ``src/content/book/a.md`` (2 segments, 3 folders). Follows the templates below.
_EXTRA_DEPTH = {"post": 1, "page": 2}
_CPT_EXTRA_DEPTH = 1


def hero_image(entry: Entry) -> str:
    """The featured image for the starter's ``image()``: local media as a path relative
    to the entry's file into ``public/``; remote URLs (and "") unchanged."""
    src = entry.featured_image
    if not src.startswith(MEDIA_PREFIX):
        return src
    segments = len([part for part in entry.url.split("/") if part])
    depth = segments + _EXTRA_DEPTH.get(entry.type, _CPT_EXTRA_DEPTH)
    return "../" * depth + "public" + src


def astro_fields(entry: Entry) -> dict[str, Any]:
    """The blog starter's fields first, then what else wpmigrate knows. ``title`` and
    ``description`` are required strings in its schema: written even when empty (an
    untitled post), where other empty fields are left out."""
    required = {"title": entry.title, "description": entry.summary or entry.title}
    data: dict[str, Any] = {
        "pubDate": entry.date,
        "updatedDate": entry.modified if entry.modified != entry.date else None,
        "heroImage": hero_image(entry),
        "draft": True if entry.draft else None,
        "author": entry.author,
        "categories": list(entry.categories),
        "tags": list(entry.tags),
        **custom_taxonomies(entry),
        "aliases": list(entry.aliases),
        "wordpress_id": entry.id,
    }
    return {**required, **drop_empty(data)}


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
    comments_path="src/data/comments/{id}.json",
    comments_usage=(
        "import.meta.glob('/src/data/comments/*.json', { eager: true "
        '})[`/src/data/comments/${entry.data.wordpress_id}.json`]?.comments'
    ),
    static_dir="public",
    notes=("heroImage is a path from the entry to public/media/… (the starter's image()); "
           "old URLs are in the --redirects files",),
)
