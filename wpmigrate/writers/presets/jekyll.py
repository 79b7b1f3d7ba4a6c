"""Jekyll: ``_posts/YYYY-MM-DD-slug.md``, pages with ``permalink``, ``redirect_from``.

Bodies are made Liquid-safe: ``{{`` and ``{%`` in the text would be executed by
Liquid, so bodies containing them are wrapped in ``{% raw %}`` … ``{% endraw %}``.
``redirect_from`` needs the jekyll-redirect-from plugin (listed in ``_config.yml``).
"""

from __future__ import annotations

from typing import Any

from wpmigrate.writers.presets.base import Entry, Preset, drop_empty


def jekyll_fields(entry: Entry) -> dict[str, Any]:
    """Jekyll's front matter; pages carry an explicit permalink."""
    data: dict[str, Any] = {
        "layout": "post" if entry.type == "post" else "page",
        "title": entry.title,
        "date": entry.date,
        "last_modified_at": entry.modified if entry.modified != entry.date else None,
        "slug": entry.slug,
        "published": False if entry.draft else None,
        "author": entry.author,
        "categories": list(entry.categories),
        "tags": list(entry.tags),
        **{name: list(terms) for name, terms in sorted(entry.taxonomies.items())},
        "excerpt": entry.summary,
        "image": entry.featured_image,
        "permalink": entry.url if entry.type != "post" else None,
        "redirect_from": list(entry.aliases),
        "wordpress_id": entry.id,
    }
    return drop_empty(data)


def liquid_safe(body: str) -> str:
    """Wrap a body that contains Liquid delimiters so Jekyll prints them literally."""
    if "{{" not in body and "{%" not in body:
        return body
    body = body.replace("{% endraw %}", "{% endraw %}{{ '{% endraw %}' }}{% raw %}")
    return "{% raw %}\n" + body.rstrip("\n") + "\n{% endraw %}\n"


def jekyll_config() -> dict[str, str]:
    """A minimal ``_config.yml`` so the converted tree builds as it is."""
    return {
        "_config.yml": (
            "# Written by wpmigrate.\n"
            "markdown: kramdown\n"
            "kramdown:\n"
            "  input: GFM\n"
            "permalink: /:year/:month/:day/:title/\n"
            "plugins:\n"
            "  - jekyll-redirect-from\n"
            "exclude:\n"
            "  - wpmigrate-report.json\n"
        )
    }


PRESET = Preset(
    name="jekyll",
    description="Jekyll: _posts/YYYY-MM-DD-slug.md, pages with permalink, redirect_from",
    front_matter="yaml",
    post_path="_posts/{year}-{month}-{day}-{name}.md",
    page_path="{page_path}.md",
    cpt_path="_{type}/{name}.md",
    post_url="/{year}/{month}/{day}/{name}/",
    page_url="/{page_path}/",
    cpt_url="/{type}/{name}/",
    fields=jekyll_fields,
    static_dir="",
    body_filter=liquid_safe,
    notes=("redirect_from needs the jekyll-redirect-from plugin",),
    extra_files=jekyll_config,
)
