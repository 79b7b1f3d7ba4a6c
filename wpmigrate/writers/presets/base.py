"""What a preset is: a small declarative description of one engine's layout.

A preset says where posts, pages and custom post types go, which URL the engine will
serve them at, which front-matter format and fields it expects, where the engine's
term (category/tag) pages live, how embeds are written and whether the body needs
escaping for the engine's template language. The shared writer
(``wpmigrate.writers.render``) does the rest, so a preset is data plus, at most, two
or three small functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wpmigrate.frontmatter import FrontMatterFormat
from wpmigrate.model import fast_init
from wpmigrate.transforms.context import EmbedStyle


@fast_init
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


@dataclass(frozen=True, slots=True)
class TermEntry:
    """What a preset's term-page function sees of one taxonomy term."""

    taxonomy: str  # "category", "post_tag" or a custom taxonomy
    slug: str
    name: str
    description: str
    url: str  # the term's URL in the new site
    aliases: tuple[str, ...]  # its old archive URL paths


#: Placeholders available in path templates: {slug} {id} {year} {month} {day} {type}
#: {name} (slug or id per --name-by) {date_path} (per --date-layout) {page_path}
#: (the page's slug path through its parents).
#: Placeholders in term templates: {taxonomy} (the engine's plural: categories, tags,
#: or the custom taxonomy's name), {slug} (WordPress term slug), {chain} (slugs through
#: the parents, "parent/child"), {wp_base} (WordPress's archive base: category, tag, or
#: the taxonomy), {name_slug} (the display name slugified as Zola/Pelican do),
#: {urlized} (the display name as Hugo's urlize makes it).

TermFields = Callable[[TermEntry], dict[str, Any]]


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
    #: The engine's config files, given the custom taxonomies the site uses.
    extra_files: Callable[[tuple[str, ...]], dict[str, str]] = field(default=lambda _t=(): {})
    #: The URL the engine serves a term's archive at; "" when it has none.
    term_url: str = ""
    #: Where a term page (title, description) is written; "" when the engine has none.
    term_path: str = ""
    term_fields: TermFields | None = None
    #: Whether query-string aliases (``/?p=308``) may go into front matter. Engines that
    #: turn aliases into files cannot serve them; they go to the redirect files instead.
    query_aliases: bool = False
    #: The front-matter formats the engine reads (``--front-matter`` must be one).
    front_matter_formats: tuple[FrontMatterFormat, ...] = ("yaml", "toml")
    #: Files that serve old URLs from the built site itself (for engines without
    #: aliases), given the index's redirects (old path → new URL) and the URLs the
    #: site already has (which must not be shadowed).
    redirect_pages: Callable[[Mapping[str, str], frozenset[str]], dict[str, str]] | None = None
    #: Where a written item's approved comments go: one data file per item, named by
    #: its WordPress ID (``{id}``, also in every preset's front matter), in the engine's
    #: data folder. The extension picks the format: ``.json``, else YAML. "": none.
    comments_path: str = ""
    #: How a template finds that file from the item's front matter (``wpmigrate presets``).
    comments_usage: str = ""

    def media_prefix(self) -> str:
        """The URL path media are served at."""
        return "/media/"


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with offset (``2023-07-05T10:00:00-04:00``), or None."""
    return value.isoformat() if value else None


def drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Front matter without keys whose value is None, "" or an empty list. (A true
    value is none of those: only false ones are compared with each.)"""
    return {k: v for k, v in data.items() if v or v not in _EMPTY}


_EMPTY: tuple[object, ...] = (None, "", [], (), {})


def path_aliases(aliases: Iterable[str]) -> list[str]:
    """Only the aliases that are plain paths: ``/?p=308`` cannot be a file on disk, so
    engines that write one redirect page per alias (Hugo, Jekyll, Zola) get these and
    the query forms are left to the host's redirect files."""
    return [alias for alias in aliases if "?" not in alias]


def custom_taxonomies(entry: Entry) -> dict[str, list[str]]:
    """Custom taxonomies by name, sorted, as front-matter lists."""
    return {name: list(terms) for name, terms in sorted(entry.taxonomies.items())}


def plural(taxonomy: str) -> str:
    """The engine-side name of a WordPress taxonomy: categories, tags, or as it is."""
    return {"category": "categories", "post_tag": "tags"}.get(taxonomy, taxonomy)


def basic_term_fields(term: TermEntry) -> dict[str, Any]:
    """Front matter of a term page: the display name, the old slug, the description."""
    return drop_empty({"title": term.name, "slug": term.slug, "description": term.description})
