"""Eleventy: Markdown with YAML front matter, an explicit ``permalink`` per item.

Eleventy runs Markdown through Liquid by default, which would execute ``{{``/``{%``
in old posts; the written ``eleventy.config.mjs`` turns template preprocessing of
Markdown off instead of escaping bodies. WordPress tags are written as ``tags`` (an
Eleventy collection per tag) and every post also joins the ``posts`` collection.
Eleventy has no redirects of its own: old page URLs get small meta-refresh pages from
a written ``wpmigrate-redirects.11ty.js`` template (data in ``_data/``); real 301s,
query forms and media come from the ``--redirects`` files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from wpmigrate.indexstore import sorted_items
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


REDIRECT_TEMPLATE = """\
// Written by wpmigrate: one small page per old URL, pointing at its new URL, so old
// links work on any static host (the --redirects files do it with a real 301).
export const data = {
  pagination: { data: "wpmigrate_redirects", size: 1, alias: "redirect" },
  permalink: (data) => data.redirect.from,
  eleventyExcludeFromCollections: true,
};

const escape = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

export function render({ redirect }) {
  const to = escape(redirect.to);
  return `<!doctype html><meta charset="utf-8"><title>Moved</title>` +
    `<link rel="canonical" href="${to}"><meta http-equiv="refresh" content="0; url=${to}">` +
    `<a href="${to}">${to}</a>\\n`;
}
"""


def eleventy_redirect_pages(
    redirects: Mapping[str, str], taken: frozenset[str]
) -> dict[str, str]:
    """A data file of page-like old paths (no query, ending in ``/``) and the template
    that turns each into a redirect page; paths the site uses itself are left out."""
    pages: dict[str, str] = {}
    for old, new in sorted_items(redirects):
        path = unquote(old)
        if path.endswith("/") and "?" not in path and "//" not in path and path not in taken:
            pages.setdefault(path, new)
    rules = [{"from": path, "to": new} for path, new in pages.items()]
    if not rules:
        return {}
    return {
        "_data/wpmigrate_redirects.json": json.dumps(rules, ensure_ascii=False, indent=1) + "\n",
        "wpmigrate-redirects.11ty.js": REDIRECT_TEMPLATE,
    }


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
    front_matter_formats=("yaml",),
    fields=eleventy_fields,
    comments_path="_data/comments/{id}.json",
    comments_usage=(
        'global data: comments[wordpress_id].comments (Nunjucks/Liquid), each content '
        'Markdown'
    ),
    static_dir="",
    notes=(
        "eleventy.config.mjs turns off Liquid for Markdown so {{ in posts stays text",
        "old page URLs get meta-refresh pages (wpmigrate-redirects.11ty.js)",
    ),
    extra_files=eleventy_config,
    term_url="/{wp_base}/{chain}/",
    term_path="{wp_base}/{chain}/index.md",
    term_fields=eleventy_term_fields,
    redirect_pages=eleventy_redirect_pages,
)
