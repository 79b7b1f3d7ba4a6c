"""Taxonomy terms in the new site: their URLs, their old archive URLs, their pages.

Categories (with their hierarchy), tags and custom taxonomies keep their display names
in front matter. Each term gets the URL the engine will serve its archive at (per the
preset's ``term_url``), every old archive URL of the term (``/category/parent/child/``,
``/category/child/``, ``/?cat=12``, ``/tag/slug/``, ``/?tag=slug``,
``/<taxonomy>/slug/``) is indexed to it, and where the engine has term pages
(``term_path``) the term's name and description are written there.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wpmigrate.frontmatter import dump
from wpmigrate.model import Term
from wpmigrate.urls import slugify
from wpmigrate.writers.presets.base import Preset, TermEntry, plural
from wpmigrate.writers.safe import PathAllocator, SafeWriter

if TYPE_CHECKING:
    from wpmigrate.index import SiteIndex

_SKIPPED = frozenset({"post_format", "nav_menu", "link_category", "wp_theme",
                      "wp_template_part_area", "wp_pattern_category"})


@dataclass(frozen=True, slots=True)
class PlannedTerm:
    """A term of the new site: where its page goes (or ""), its URL, its old URLs."""

    term: Term
    path: str
    url: str
    old_urls: tuple[str, ...]


def name_slug(name: str) -> str:
    """A display name as Zola and Pelican slugify it (``Cat A`` → ``cat-a``)."""
    return slugify(html.unescape(name), limit=None) or "term"


def hugo_urlize(name: str) -> str:
    """A display name as Hugo's ``urlize`` makes it a term URL segment: letters,
    digits, marks and ``._#+~-@`` kept, a run of spaces → one ``-``, the rest dropped,
    lower-cased (``Reading & Writing`` → ``reading-writing``, ``wordpress.tv`` kept)."""
    out: list[str] = []
    was_hyphen = False
    for char in html.unescape(name).strip():
        kept = char in "._#+~-@" or unicodedata.category(char)[0] in "LNM"
        if kept:
            was_hyphen = char == "-"
            out.append(char)
        elif not was_hyphen and char.isspace():
            out.append("-")
            was_hyphen = True
    return "".join(out).lower() or "term"


def wp_base(taxonomy: str) -> str:
    """WordPress's archive base of a taxonomy: ``category``, ``tag`` or its name."""
    return {"category": "category", "post_tag": "tag"}.get(taxonomy, taxonomy)


def terms_in_use(
    declared: Iterable[Term], used: Iterable[tuple[str, str, str]]
) -> list[Term]:
    """The declared terms plus those items use without the export declaring them
    (``(taxonomy, slug, name)``), so every term in front matter has a URL."""
    terms = list(declared)
    known = {(t.taxonomy, t.slug) for t in terms}
    for taxonomy, slug, name in sorted(set(used)):
        if (taxonomy, slug) not in known and slug:
            known.add((taxonomy, slug))
            terms.append(Term(taxonomy=taxonomy, slug=slug, name=name))
    return terms


def plan_terms(
    terms: Iterable[Term], preset: Preset, allocator: PathAllocator
) -> list[PlannedTerm]:
    """Every term's URL and page path, in a stable order (taxonomy, then slug)."""
    unique = {(t.taxonomy, t.slug): t for t in terms if t.taxonomy not in _SKIPPED and t.slug}
    planned = []
    for key in sorted(unique):
        term = unique[key]
        if not preset.term_url:
            continue
        values = _values(term, unique)
        url = preset.term_url.format(**values)
        path = allocator.claim(preset.term_path.format(**values)) if preset.term_path else ""
        planned.append(PlannedTerm(term, path, url, tuple(_old_urls(term, values))))
    return planned


def _values(term: Term, by_key: dict[tuple[str, str], Term]) -> dict[str, str]:
    return {
        "taxonomy": plural(term.taxonomy),
        "wp_base": wp_base(term.taxonomy),
        "slug": term.slug,
        "chain": term_chain(term, by_key),
        "name_slug": name_slug(term.name),
        "urlized": hugo_urlize(term.name),
    }


def _old_urls(term: Term, values: dict[str, str]) -> list[str]:
    base = values["wp_base"]
    urls = [f"/{base}/{values['chain']}/", f"/{base}/{term.slug}/"]
    if term.taxonomy == "category" and term.id:
        urls.append(f"/?cat={term.id}")
    if term.taxonomy == "post_tag":
        urls.append(f"/?tag={term.slug}")
    return list(dict.fromkeys(urls))


def term_chain(term: Term, by_key: dict[tuple[str, str], Term]) -> str:
    """``parent/child`` through the term's ancestors (cycles cut)."""
    parts, seen, current = [term.slug], {term.slug}, term
    while current.parent and (current.taxonomy, current.parent) in by_key:
        current = by_key[(current.taxonomy, current.parent)]
        if current.slug in seen:
            break
        seen.add(current.slug)
        parts.append(current.slug)
    return "/".join(reversed(parts))


def write_term_pages(writer: SafeWriter, index: SiteIndex) -> list[str]:
    """Write a page per term where the preset has term pages; the paths written."""
    preset = index.preset
    if preset.term_fields is None:
        return []
    written = []
    for planned in index.terms:
        if not planned.path:
            continue
        aliases = tuple(a for a in planned.old_urls if index.redirects.get(a) == planned.url)
        entry = TermEntry(
            taxonomy=planned.term.taxonomy,
            slug=planned.term.slug,
            name=html.unescape(planned.term.name),
            description=planned.term.description,
            url=planned.url,
            aliases=aliases,
        )
        text = dump(preset.term_fields(entry), preset.front_matter)
        writer.write_text(planned.path, text)
        written.append(planned.path)
    return written
