"""Jekyll: ``_posts/YYYY-MM-DD-slug.md``, explicit ``permalink``, ``redirect_from``.

Every item carries its ``permalink``: Jekyll would otherwise compute post dates in the
build machine's time zone and move a late-evening post to the next day's URL.
Bodies are made Liquid-safe: ``{{`` and ``{%`` in the text would be executed by
Liquid, so bodies containing them are wrapped in ``{% raw %}`` … ``{% endraw %}``.
``redirect_from`` needs the jekyll-redirect-from plugin (listed in ``_config.yml``)
and holds path forms only (``/?p=308`` goes to the redirect files). Jekyll has no
term archives of its own, so a term page is written at the old archive URL.
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


def jekyll_fields(entry: Entry) -> dict[str, Any]:
    """Jekyll's front matter; every item carries an explicit permalink."""
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
        **custom_taxonomies(entry),
        "excerpt": entry.summary,
        "image": entry.featured_image,
        "permalink": entry.url,
        "redirect_from": path_aliases(entry.aliases),
        "wordpress_id": entry.id,
    }
    return drop_empty(data)


def jekyll_term_fields(term: TermEntry) -> dict[str, Any]:
    """A term page at the old archive URL, with its description."""
    data = {
        "layout": "page",
        "title": term.name,
        "description": term.description,
        "permalink": term.url,
        "redirect_from": [a for a in path_aliases(term.aliases) if a != term.url],
    }
    return drop_empty(data)


def liquid_safe(body: str) -> str:
    """Wrap a body that contains Liquid delimiters so Jekyll prints them literally."""
    if "{{" not in body and "{%" not in body:
        return body
    body = body.replace("{% endraw %}", "{% endraw %}{{ '{% endraw %}' }}{% raw %}")
    return "{% raw %}\n" + body.rstrip("\n") + "\n{% endraw %}\n"


def jekyll_config(taxonomies: tuple[str, ...] = ()) -> dict[str, str]:
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
            "include:\n"
            "  - _redirects\n"
            "exclude:\n"
            "  - wpmigrate-report.json\n"
            "  - nginx-redirects.conf\n"
            "  - apache-redirects.conf\n"
        )
    }


PRESET = Preset(
    name="jekyll",
    description="Jekyll: _posts/YYYY-MM-DD-slug.md, permalink, redirect_from, Liquid-safe",
    front_matter="yaml",
    post_path="_posts/{year}-{month}-{day}-{name}.md",
    page_path="{page_path}.md",
    cpt_path="_{type}/{name}.md",
    post_url="/{year}/{month}/{day}/{name}/",
    page_url="/{page_path}/",
    cpt_url="/{type}/{name}/",
    front_matter_formats=("yaml",),
    fields=jekyll_fields,
    comments_path="_data/comments/{id}.yml",
    comments_usage=(
        '{% capture id %}{{ page.wordpress_id }}{% endcapture %}{% for c in '
        'site.data.comments[id].comments %}{{ c.author }}: {{ c.content | markdownify '
        '}}{% endfor %}'
    ),
    static_dir="",
    body_filter=liquid_safe,
    notes=("redirect_from needs the jekyll-redirect-from plugin",),
    extra_files=jekyll_config,
    term_url="/{wp_base}/{chain}/",
    term_path="{wp_base}/{chain}.md",
    term_fields=jekyll_term_fields,
)
