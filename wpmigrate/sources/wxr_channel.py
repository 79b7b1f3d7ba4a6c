"""Channel-level WXR records: the site, its authors (``wp:author``) and its terms.

``wp:category``, ``wp:tag`` and ``wp:term`` are three spellings of the same thing (a
taxonomy term); they are read into one :class:`~wpmigrate.model.Term` shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from lxml import etree

from wpmigrate.model import Author, Site, SiteData, Term
from wpmigrate.sources.wxr_fields import key_of, parse_int, slugify, text_of

_VERSION_RE = re.compile(r"^\d+(?:\.\d+)*$")

#: Per term element: (taxonomy or None to read it, slug, name, parent, description).
_TERM_KEYS: dict[str, tuple[str | None, str, str, str, str]] = {
    "wp:category": (
        "category",
        "wp:category_nicename",
        "wp:cat_name",
        "wp:category_parent",
        "wp:category_description",
    ),
    "wp:tag": ("post_tag", "wp:tag_slug", "wp:tag_name", "", "wp:tag_description"),
    "wp:term": (None, "wp:term_slug", "wp:term_name", "wp:term_parent", "wp:term_description"),
}
_SITE_KEYS = (
    "title",
    "link",
    "description",
    "language",
    "wp:base_site_url",
    "wp:base_blog_url",
    "wp:wxr_version",
)


def _children(elem: etree._Element) -> dict[str, str]:
    """Texts of an element's children by key, first occurrence winning."""
    values: dict[str, str] = {}
    for child in elem:
        if isinstance(child.tag, str):
            values.setdefault(key_of(child.tag), text_of(child).strip())
    return values


def _optional_int(text: str) -> int | None:
    """An ID field, or None when empty or not a number."""
    try:
        return parse_int(text, default=0) or None
    except ValueError:
        return None


@dataclass
class ChannelReader:
    """Collects channel-level elements one at a time, as a streaming parser meets them."""

    ns_version: str = ""  # the version in the wp namespace URI, for a missing version tag
    site_fields: dict[str, str] = field(default_factory=dict)
    authors: list[Author] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, elem: etree._Element) -> None:
        """Take one direct child of ``<channel>`` (items are not given here)."""
        if not isinstance(elem.tag, str):
            return
        key = key_of(elem.tag)
        try:
            if key == "wp:author":
                self._add_author(elem)
            elif key in _TERM_KEYS:
                self._add_term(key, elem)
            elif key in _SITE_KEYS:
                self.site_fields.setdefault(key, text_of(elem).strip())
        except UnicodeDecodeError:  # libxml2 kept a reference to a surrogate (&#xD800;)
            self.notes.append(
                f"skipped the channel's <{key}> (line {elem.sourceline}): its text holds a "
                "character that is not Unicode (a reference such as &#xD800;); "
                "correct it in the export to keep it"
            )

    def _add_author(self, elem: etree._Element) -> None:
        """A ``wp:author``; one without a login cannot be matched to posts and is skipped."""
        values = _children(elem)
        login = values.get("wp:author_login", "")
        if not login:
            self.notes.append(f"skipped a wp:author without a login (line {elem.sourceline})")
            return
        self.authors.append(
            Author(
                login=login,
                display_name=values.get("wp:author_display_name", ""),
                email=values.get("wp:author_email", ""),
                first_name=values.get("wp:author_first_name", ""),
                last_name=values.get("wp:author_last_name", ""),
                id=_optional_int(values.get("wp:author_id", "")),
            )
        )

    def _add_term(self, key: str, elem: etree._Element) -> None:
        """A ``wp:category``/``wp:tag``/``wp:term``; slugs are percent-decoded like post slugs."""
        taxonomy, slug_key, name_key, parent_key, description_key = _TERM_KEYS[key]
        values = _children(elem)
        taxonomy = taxonomy or values.get("wp:term_taxonomy", "")
        name = values.get(name_key, "")
        slug = unquote(values.get(slug_key, "")) or slugify(name)
        if not taxonomy or not slug:
            self.notes.append(f"skipped a {key} without taxonomy or slug (line {elem.sourceline})")
            return
        self.terms.append(
            Term(
                taxonomy=taxonomy,
                slug=slug,
                name=name,
                parent=unquote(values.get(parent_key, "")) if parent_key else "",
                description=values.get(description_key, ""),
                id=_optional_int(values.get("wp:term_id", "")),
            )
        )

    def site_data(self) -> SiteData:
        """Everything collected, as the model's SiteData."""
        values = self.site_fields
        link = values.get("link", "") or values.get("wp:base_blog_url", "")
        base_url = link.rstrip("/")
        version = values.get("wp:wxr_version", "")
        if not _VERSION_RE.match(version):
            version = self.ns_version
        site = Site(
            title=values.get("title", ""),
            base_url=base_url,
            language=values.get("language", ""),
            description=values.get("description", ""),
            base_site_url=values.get("wp:base_site_url", "").rstrip("/"),
            wxr_version=version,
        )
        return SiteData(site=site, authors=tuple(self.authors), terms=tuple(self.terms))
