"""Turning one WXR ``<item>`` element into a :class:`~wpmigrate.model.Post`.

One broken item must never stop a run: a field that cannot be read is either left
empty with a note (dates, numbers other than the ID, single comments) or, when the
item cannot be identified at all (no usable ``wp:post_id``), the whole item becomes an
:class:`~wpmigrate.sources.base.UnreadableItem`. Notes end up in the source's
``lost_data()``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import TypeVar
from urllib.parse import unquote

from lxml import etree

from wpmigrate.model import Comment, Post, SourceRef, TermRef
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.sources.wxr_fields import key_of, parse_int, parse_wp_date, slugify, text_of
from wpmigrate.sources.xmlsafe import FORBIDDEN_CHARS_RE, strip_forbidden_chars

T = TypeVar("T")

#: ``<category domain="…">`` values of old exports that name a taxonomy differently.
_DOMAIN_ALIASES = {"": "category", "tag": "post_tag"}
_LIST_KEYS = frozenset({"category", "wp:postmeta", "wp:comment"})
_ID_IN_URL_RE = re.compile(r"[?&](?:p|page_id|attachment_id)=(\d+)(?:&|#|$)")


class _Fields:
    """The texts of an element's children, by key (first occurrence wins), plus notes.

    First occurrence wins so a duplicate field (e.g. a second ``post_id`` in another
    copy of the wp namespace) cannot override the real one.
    """

    def __init__(self, elem: etree._Element, label: str, notes: list[str]) -> None:
        self.label = label
        self.notes = notes
        self.entities: list[str] = []
        self.values: dict[str, str] = {}
        self.lists: dict[str, list[etree._Element]] = {}
        values = self.values
        for child in elem.iterchildren(etree.Element):  # no comments or PIs
            key = key_of(child.tag)
            if key in _LIST_KEYS:
                self.lists.setdefault(key, []).append(child)
            elif key not in values:  # text_of's common case inlined: 30 fields an item
                leaf = len(child) == 0
                values[key] = (child.text or "") if leaf else text_of(child, self.entities, False)
        if FORBIDDEN_CHARS_RE.search("".join(values.values())) is not None:
            for key, text in values.items():
                values[key] = strip_forbidden_chars(text)

    def get(self, key: str, default: str = "") -> str:
        """The raw text of a field."""
        return self.values.get(key, default)

    def value(self, key: str, default: str = "") -> str:
        """The text of a field without surrounding whitespace (IDs, slugs, statuses)."""
        return self.values.get(key, default).strip() or default

    def parsed(self, key: str, parse: Callable[[str], T], fallback: T) -> T:
        """A field run through ``parse``; ``fallback`` plus a note when that fails."""
        raw = self.values.get(key, "")
        try:
            return parse(raw)
        except ValueError:
            self.notes.append(f"{self.label}: unreadable {key} {raw.strip()!r}, left empty")
            return fallback


def read_item(
    elem: etree._Element, path: str, line: int | None
) -> tuple[Post | UnreadableItem, list[str]]:
    """The Post for one ``<item>`` (or why it is unreadable), and notes on what was lost."""
    notes: list[str] = []
    where = f"line {line}" if line is not None else "unknown line"
    fields = _Fields(elem, f"item at {where}", notes)
    raw_id = fields.value("wp:post_id")
    title = fields.get("title").strip()
    source = f"{path}:{line}" if line is not None else path
    if not raw_id:
        raw_id = _id_from_links(fields)
    if not raw_id or not raw_id.isdecimal():
        reason = f"wp:post_id is not a number: {raw_id!r}" if raw_id else "no wp:post_id"
        return UnreadableItem(
            id=raw_id or f"line {line}",
            title=title,
            reason=reason,
            source=source,
            type=fields.value("wp:post_type"),
            status=fields.value("wp:status"),
        ), notes
    fields.label = f"item {raw_id} ({where})"
    post = _build_post(fields, int(raw_id), title, SourceRef(path, line))
    if fields.entities:
        names = ", ".join(sorted({f"&{name};" for name in fields.entities}))
        notes.append(f"{fields.label}: left entity reference(s) {names} unexpanded")
    return post, notes


def _id_from_links(fields: _Fields) -> str:
    """For an item without ``wp:post_id``: the ID in its ``?p=N`` link or guid, with a note.

    Hand-made files (e.g. WordPress.org's theme-preview data) omit the ID but keep
    WordPress's plain permalinks; the ID there is the post's real ID.
    """
    for key in ("link", "guid"):
        match = _ID_IN_URL_RE.search(fields.value(key))
        if match:
            fields.notes.append(
                f"{fields.label}: no wp:post_id, used ID {match.group(1)} from its {key}"
            )
            return match.group(1)
    return ""


def _build_post(fields: _Fields, post_id: int, title: str, source: SourceRef) -> Post:
    """The Post from an item's fields (the ID already checked)."""
    return Post(
        id=post_id,
        # interned: a handful of values, held by every index entry and report line
        type=sys.intern(fields.value("wp:post_type", "post")),
        status=sys.intern(fields.value("wp:status", "publish")),
        title=title,
        slug=unquote(fields.value("wp:post_name")),
        date=_date(fields, "wp:post_date"),
        date_gmt=_date(fields, "wp:post_date_gmt"),
        modified=_date(fields, "wp:post_modified"),
        modified_gmt=_date(fields, "wp:post_modified_gmt"),
        author=fields.value("dc:creator"),
        parent=fields.parsed("wp:post_parent", parse_int, 0),
        menu_order=fields.parsed("wp:menu_order", parse_int, 0),
        has_password=bool(fields.get("wp:post_password")),
        sticky=fields.value("wp:is_sticky") == "1",
        content=fields.get("content:encoded"),
        excerpt=fields.get("excerpt:encoded"),
        terms=_terms(fields.lists.get("category", [])),
        meta=tuple(_meta_pairs(fields.lists.get("wp:postmeta", []))),
        link=fields.value("link"),
        guid=fields.value("guid"),
        comments=_comments(fields.lists.get("wp:comment", []), fields),
        attachment_url=fields.value("wp:attachment_url"),
        comment_status=fields.value("wp:comment_status"),
        source=source,
    )


def _date(fields: _Fields, key: str) -> datetime | None:
    """A date field; None when empty, zero, or unreadable (with a note)."""
    return fields.parsed(key, parse_wp_date, None)


def _terms(elems: list[etree._Element]) -> tuple[TermRef, ...]:
    """The item's ``<category>`` references, deduplicated by (taxonomy, slug).

    WXR 1.0 lists each term twice, once without ``domain``/``nicename`` (a category
    name, or ``domain="tag"``) and once with them; both collapse into one TermRef.
    """
    refs: dict[tuple[str, str], TermRef] = {}
    texts = [text_of(elem, strip=False) for elem in elems]
    if FORBIDDEN_CHARS_RE.search("".join(texts)) is not None:  # one search per item
        texts = [strip_forbidden_chars(text) for text in texts]
    for elem, text in zip(elems, texts, strict=True):
        ref = _term_ref(elem.get("domain") or "", elem.get("nicename") or "", text)
        if ref is not None and (ref.taxonomy, ref.slug) not in refs:  # the first wins
            refs[ref.taxonomy, ref.slug] = ref
    return tuple(refs.values())


@lru_cache(maxsize=4096)  # a site's items use the same few hundred terms again and again
def _term_ref(domain: str, nicename: str, text: str) -> TermRef | None:
    """The TermRef of one ``<category domain nicename>text</category>``; None when
    it yields no slug."""
    name = text.strip()
    taxonomy = _DOMAIN_ALIASES.get(domain.strip(), domain.strip())
    slug = unquote(nicename.strip()) or slugify(name)
    return TermRef(taxonomy=taxonomy, slug=slug, name=name) if slug else None


def _meta_pairs(elems: list[etree._Element]) -> list[tuple[str, str]]:
    """``wp:postmeta`` (key, value) pairs in source order; values kept verbatim."""
    pairs = []
    for elem in elems:
        meta = _Fields(elem, "", [])
        key = meta.value("wp:meta_key")
        if key:
            pairs.append((key, meta.get("wp:meta_value")))
    return pairs


def _comments(elems: list[etree._Element], item: _Fields) -> tuple[Comment, ...]:
    """The item's comments; one without a numeric ID is dropped with a note."""
    comments = []
    for elem in elems:
        fields = _Fields(elem, "", item.notes)
        raw_id = fields.value("wp:comment_id")
        if not raw_id.isdecimal():
            item.notes.append(f"{item.label}: dropped a comment with wp:comment_id {raw_id!r}")
            continue
        fields.label = f"{item.label}, comment {raw_id}"
        comments.append(
            Comment(
                id=int(raw_id),
                author=fields.get("wp:comment_author").strip(),
                author_url=fields.value("wp:comment_author_url"),
                author_email=fields.value("wp:comment_author_email"),
                date=_date(fields, "wp:comment_date"),
                date_gmt=_date(fields, "wp:comment_date_gmt"),
                content=fields.get("wp:comment_content"),
                approved=fields.value("wp:comment_approved", "1"),
                type=fields.value("wp:comment_type"),
                parent=fields.parsed("wp:comment_parent", parse_int, 0),
                user_id=fields.parsed("wp:comment_user_id", parse_int, 0),
            )
        )
    return tuple(comments)
