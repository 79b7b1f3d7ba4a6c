"""Eleventy: Markdown with YAML front matter, an explicit ``permalink`` per item.

Eleventy runs Markdown through Liquid by default, which would execute ``{{``/``{%``
in old posts; the written ``eleventy.config.mjs`` turns template preprocessing of
Markdown off instead of escaping bodies. WordPress tags are written as ``tags`` (an
Eleventy collection per tag) and every post also joins the ``posts`` collection.
Eleventy has no redirects of its own: old URLs are in ``aliases`` (for a redirect
template) and in the ``--redirects`` files.
"""

from __future__ import annotations

from typing import Any

from wpmigrate.writers.presets.base import (
    Entry,
    Preset,
    TermEntry,
    custom_taxonomies,
    drop_empty,
)


def eleventy_fields(entry: Entry) -> dict[str, Any]:
    """Eleventy's front matter: permalink, date, tags as collections."""
    tags = (["posts"] if entry.type == "post" else []) + list(entry.tags)
    data: dict[str, Any] = {
        "title": entry.title,
        "date": entry.date,
        "updated": entry.modified if entry.modified != entry.date else None,
        "permalink": entry.url,
        "eleventyExcludeFromCollections": True if entry.draft else None,
        "draft": True if entry.draft else None,
        "author": entry.author,
        "categories": list(entry.categories),
        "tags": tags,
        **custom_taxonomies(entry),
        "description": entry.summary,
        "image": entry.featured_image,
        "aliases": list(entry.aliases),
        "order": entry.menu_order or None,
        "wordpress_id": entry.id,
    }
    return drop_empty(data)


def eleventy_term_fields(term: TermEntry) -> dict[str, Any]:
    """A term page at the old archive URL, with its description."""
    return drop_empty({"title": term.name, "description": term.description,
                       "permalink": term.url})


CONFIG = """\
// Written by wpmigrate: serve media as they are and keep Markdown away from Liquid,
// which would execute {{ and {% found in old posts.
export default function (eleventyConfig) {
  eleventyConfig.addPassthroughCopy("media");
  eleventyConfig.addPassthroughCopy("_redirects");
  eleventyConfig.ignores.add("wpmigrate-report.json");
  return {
    markdownTemplateEngine: false,
    htmlTemplateEngine: false,
  };
}
"""


def eleventy_config(taxonomies: tuple[str, ...] = ()) -> dict[str, str]:
    """``eleventy.config.mjs`` (media passthrough, no Liquid in Markdown)."""
    return {"eleventy.config.mjs": CONFIG}


PRESET = Preset(
    name="eleventy",
    description="Eleventy: posts/<slug>/index.md with permalink, tags as collections",
    front_matter="yaml",
    post_path="posts/{date_path}{name}/index.md",
    page_path="{page_path}/index.md",
    cpt_path="{type}/{name}/index.md",
    post_url="/posts/{date_path}{name}/",
    page_url="/{page_path}/",
    cpt_url="/{type}/{name}/",
    fields=eleventy_fields,
    static_dir="",
    notes=("eleventy.config.mjs turns off Liquid for Markdown so {{ in posts stays text",),
    extra_files=eleventy_config,
    term_url="/{wp_base}/{chain}/",
    term_path="{wp_base}/{chain}/index.md",
    term_fields=eleventy_term_fields,
)
