"""Pelican: ``content/posts/<slug>.md`` with YAML metadata, ``url``/``save_as``.

Pelican's own Markdown metadata is ``Key: value`` lines, which cannot hold a title
with quotes or a leading ``#`` safely; the YAML front matter written here is read by
the ``pelican-yaml-metadata`` plugin (``pip install pelican pelican-yaml-metadata``),
enabled in the written ``pelicanconf.py``. ``url``/``save_as`` pin every item to the
index's URL. Pelican has no aliases; old URLs are in the ``--redirects`` files.
"""

from __future__ import annotations

from typing import Any

from wpmigrate.writers.presets.base import Entry, Preset, drop_empty


def _stamp(entry_date: Any) -> str | None:
    return entry_date.strftime("%Y-%m-%d %H:%M") if entry_date else None


def pelican_fields(entry: Entry) -> dict[str, Any]:
    """Pelican metadata (lower-case keys, as the YAML plugin passes them on)."""
    url = entry.url.lstrip("/")
    data: dict[str, Any] = {
        "title": entry.title or entry.slug,  # Pelican skips an article without one
        "date": _stamp(entry.date),
        "modified": _stamp(entry.modified) if entry.modified != entry.date else None,
        "slug": entry.slug,
        "status": "draft" if entry.draft else None,
        "author": entry.author,
        "category": entry.categories[0] if entry.categories else None,
        "tags": list(entry.tags),
        "summary": " ".join(entry.summary.split()),
        "image": entry.featured_image,
        "url": url,
        "save_as": url + "index.html" if url.endswith("/") or not url else url,
        "wordpress_id": str(entry.id),
    }
    return drop_empty(data)


def pelican_config(taxonomies: tuple[str, ...] = ()) -> dict[str, str]:
    """A minimal ``pelicanconf.py``."""
    return {
        "pelicanconf.py": (
            "# Written by wpmigrate.\n"
            "PATH = 'content'\n"
            "PLUGINS = ['pelican.plugins.yaml_metadata']\n"
            "PAGE_PATHS = ['pages']\n"
            "ARTICLE_PATHS = ['posts']\n"
            "STATIC_PATHS = ['media', '_redirects']\n"
            "CATEGORY_URL = 'category/{slug}/'\n"
            "CATEGORY_SAVE_AS = 'category/{slug}/index.html'\n"
            "TAG_URL = 'tag/{slug}/'\n"
            "TAG_SAVE_AS = 'tag/{slug}/index.html'\n"
        )
    }


PRESET = Preset(
    name="pelican",
    description="Pelican: content/posts/<slug>.md, YAML metadata, url/save_as, /category/ archives",
    front_matter="yaml",
    post_path="content/posts/{date_path}{name}.md",
    page_path="content/pages/{page_path}.md",
    cpt_path="content/{type}/{name}.md",
    post_url="/{year}/{month}/{day}/{name}/",
    page_url="/{page_path}/",
    cpt_url="/{type}/{name}/",
    front_matter_formats=("yaml",),
    fields=pelican_fields,
    comments_path="comments/{id}.yaml",
    comments_usage=(
        'comments/<wordpress_id>.yaml beside pelicanconf.py, for a plugin or theme to '
        'read'
    ),
    static_dir="content",
    notes=(
        "YAML metadata needs the pelican-yaml-metadata plugin (enabled in pelicanconf.py)",
        "Pelican has no aliases: use the --redirects files",
    ),
    extra_files=pelican_config,
    term_url="/{wp_base}/{name_slug}/",
)
