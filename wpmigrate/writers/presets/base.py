"""What a preset is: a small declarative description of one engine's layout.

A preset says where posts, pages and custom post types go, which URL the engine will
serve them at, which front-matter format and fields it expects, how embeds are written
and whether the body needs escaping for the engine's template language. The shared
writer (``wpmigrate.writers.render``) does the rest, so a preset is data plus, at most,
two small functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wpmigrate.frontmatter import FrontMatterFormat
from wpmigrate.transforms.context import EmbedStyle


@dataclass(frozen=True, slots=True)
class Entry:
    """What a preset's front-matter function sees of one item (no engine knowledge)."""

    id: int | str
    type: str
    title: str
    slug: str
    date: datetime | None  # aware (with the site's offset) when known
    modified: datetime | None
    draft: bool
    author: str  # display name
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    category_slugs: tuple[str, ...]
    tag_slugs: tuple[str, ...]
    taxonomies: dict[str, tuple[str, ...]]  # custom taxonomies: name → term names
    summary: str
    aliases: tuple[str, ...]  # old URL paths (root-relative), e.g. "/2023/07/05/slug/", "/?p=308"
    url: str  # the new URL path
    featured_image: str  # the new reference to the featured image, or ""
    menu_order: int = 0
    parent_url: str = ""
    sticky: bool = False


#: Placeholders available in path templates: {slug} {id} {year} {month} {day} {type}
#: {name} (slug or id per --name-by) {date_path} (per --date-layout) {page_path}
#: (the page's slug path through its parents).


@dataclass(frozen=True, slots=True)
class Preset:
    """One engine's layout. Paths are relative to the output directory."""

    name: str
    description: str
    front_matter: FrontMatterFormat
    post_path: str
    page_path: str
    cpt_path: str
    post_url: str
    page_url: str
    cpt_url: str
    fields: Callable[[Entry], dict[str, Any]]
    static_dir: str = "static"  # media go to <static_dir>/media/…, served at /media/…
    embed_style: EmbedStyle = "html"
    summary_marker: str = "<!--more-->"
    date_layout: str = ""  # default for {date_path}
    body_filter: Callable[[str], str] | None = None
    extension: str = ".md"
    notes: tuple[str, ...] = ()  # what the user must know (e.g. raw HTML switch)
    extra_files: Callable[[], dict[str, str]] = field(default=lambda: {})

    def media_prefix(self) -> str:
        """The URL path media are served at."""
        return "/media/"


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with offset (``2023-07-05T10:00:00-04:00``), or None."""
    return value.isoformat() if value else None


def drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Front matter without keys whose value is None, "" or an empty list."""
    return {k: v for k, v in data.items() if v not in (None, "", [], (), {})}
