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
from datetime import datetime
from functools import lru_cache
from urllib.parse import unquote

from lxml import etree

from wpmigrate.model import Comment, Post, SourceRef, TermRef, record_maker
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.sources.wxr_fields import key_of, parse_int, parse_wp_date, slugify, text_of

#: ``<category domain="…">`` values of old exports that name a taxonomy differently.
_DOMAIN_ALIASES = {"": "category", "tag": "post_tag"}
_LIST_KEYS = frozenset({"category", "wp:postmeta", "wp:comment"})
_ID_IN_URL_RE = re.compile(r"[?&](?:p|page_id|attachment_id)=(\d+)(?:&|#|$)")
_MAX_TAGS = 4096
_NO_ELEMS: list[etree._Element] = []
#: The records' cheaper constructors (same parameters as the classes).
_make_post = record_maker(Post)
_make_comment = record_maker(Comment)
_make_source = record_maker(SourceRef)


class _TagKeys(dict[str, str]):
    """:func:`key_of` for the tags met so far: one dict lookup per child element.

    A cache of a pure function, bounded (an export with ever new element names
    just goes to ``key_of`` for the ones past the bound).
    """

    __slots__ = ()

    def __missing__(self, tag: str) -> str:
        key = key_of(tag)
        if len(self) < _MAX_TAGS:
            self[tag] = key
        return key


_KEYS = _TagKeys()


def _children(
    elem: etree._Element, entities: list[str]
) -> tuple[dict[str, str], dict[str, list[etree._Element]]]:
    """The texts of an element's children by key (first occurrence wins), and the
    children of the list keys (``category``, ``wp:postmeta``, ``wp:comment``).

    First occurrence wins so a duplicate field (e.g. a second ``post_id`` in another
    copy of the wp namespace) cannot override the real one. Texts are taken as they
    are: the pass has stripped characters XML 1.0 forbids where there could be any
    (:func:`~wpmigrate.sources.xmlsafe.strip_forbidden_tree`).
    """
    keys = _KEYS
    values: dict[str, str] = {}
    lists: dict[str, list[etree._Element]] = {}
    for child in elem.iterchildren(etree.Element):  # no comments or PIs
        # (a parsed element's tag is a str; the stubs add what a tag can be set to)
        key = keys[child.tag]  # type: ignore[index]
        if key in _LIST_KEYS:
            if key in lists:
                lists[key].append(child)
            else:
                lists[key] = [child]
        elif key not in values:  # text_of's common case inlined: 30 fields an item
            values[key] = (child.text or "") if len(child) == 0 else text_of(child, entities, False)
    return values, lists


class _Label:
    """Names the item (or comment) in notes; built only when there is a note to make."""

    __slots__ = ("comment", "item_id", "line", "notes")

    def __init__(self, notes: list[str], line: int | None, item_id: str = "") -> None:
        self.notes = notes
        self.line = line
        self.item_id = item_id
        self.comment = ""

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "unknown line"
        label = f"item {self.item_id} ({where})" if self.item_id else f"item at {where}"
        return f"{label}, comment {self.comment}" if self.comment else label

    def unreadable(self, key: str, raw: str) -> None:
        """Note a field that could not be parsed and was left empty."""
        self.notes.append(f"{self}: unreadable {key} {raw.strip()!r}, left empty")


def _parsed_int(values: dict[str, str], key: str, label: _Label) -> int:
    """A number field; 0 (with a note) when it is not a number."""
    raw = values.get(key)
    if raw is None:
        return 0
    try:
        return parse_int(raw)
    except ValueError:
        label.unreadable(key, raw)
        return 0


def _dates(values: dict[str, str], keys: tuple[str, ...], label: _Label) -> list[datetime | None]:
    """Date fields; None when empty, zero, or unreadable (with a note). Equal texts
    give the same object (a post's date and last modification often are)."""
    dates: list[datetime | None] = []
    seen: dict[str, datetime | None] = {}
    for key in keys:
        raw = values.get(key, "")
        if raw in seen:
            dates.append(seen[raw])
            continue
        try:
            date = seen[raw] = parse_wp_date(raw)
        except ValueError:
            label.unreadable(key, raw)
            date = None
        dates.append(date)
    return dates


_POST_DATES = ("wp:post_date", "wp:post_date_gmt", "wp:post_modified", "wp:post_modified_gmt")
_COMMENT_DATES = ("wp:comment_date", "wp:comment_date_gmt")


def read_item(
    elem: etree._Element, path: str, line: int | None
) -> tuple[Post | UnreadableItem, list[str]]:
    """The Post for one ``<item>`` (or why it is unreadable), and notes on what was lost.

    The item's texts must hold no character XML 1.0 forbids: the pass strips them
    where the file can hold any (see ``WxrSource``).
    """
    notes: list[str] = []
    label = _Label(notes, line)
    entities: list[str] = []
    values, lists = _children(elem, entities)
    get = values.get
    raw_id = get("wp:post_id", "").strip()
    title = get("title", "").strip()
    if not raw_id:
        raw_id = _id_from_links(values, label)
    if not raw_id or not raw_id.isdecimal():
        reason = f"wp:post_id is not a number: {raw_id!r}" if raw_id else "no wp:post_id"
        return UnreadableItem(
            id=raw_id or f"line {line}",
            title=title,
            reason=reason,
            source=f"{path}:{line}" if line is not None else path,
            type=get("wp:post_type", "").strip(),
            status=get("wp:status", "").strip(),
        ), notes
    label.item_id = raw_id
    post = _build_post(values, lists, int(raw_id), title, _make_source(path, line), label)
    if entities:
        names = ", ".join(sorted({f"&{name};" for name in entities}))
        notes.append(f"{label}: left entity reference(s) {names} unexpanded")
    return post, notes


def _id_from_links(values: dict[str, str], label: _Label) -> str:
    """For an item without ``wp:post_id``: the ID in its ``?p=N`` link or guid, with a note.

    Hand-made files (e.g. WordPress.org's theme-preview data) omit the ID but keep
    WordPress's plain permalinks; the ID there is the post's real ID.
    """
    for key in ("link", "guid"):
        match = _ID_IN_URL_RE.search(values.get(key, "").strip())
        if match:
            label.notes.append(f"{label}: no wp:post_id, used ID {match.group(1)} from its {key}")
            return match.group(1)
    return ""


def _build_post(
    values: dict[str, str],
    lists: dict[str, list[etree._Element]],
    post_id: int,
    title: str,
    source: SourceRef,
    label: _Label,
) -> Post:
    """The Post from an item's fields (the ID already checked)."""
    get = values.get
    date, date_gmt, modified, modified_gmt = _dates(values, _POST_DATES, label)
    slug = get("wp:post_name", "").strip()
    return _make_post(
        id=post_id,
        # interned: a handful of values, held by every index entry and report line
        type=sys.intern(get("wp:post_type", "").strip() or "post"),
        status=sys.intern(get("wp:status", "").strip() or "publish"),
        title=title,
        slug=unquote(slug) if "%" in slug else slug,
        date=date,
        date_gmt=date_gmt,
        modified=modified,
        modified_gmt=modified_gmt,
        author=get("dc:creator", "").strip(),
        parent=_parsed_int(values, "wp:post_parent", label),
        menu_order=_parsed_int(values, "wp:menu_order", label),
        has_password=bool(get("wp:post_password")),
        sticky=get("wp:is_sticky", "").strip() == "1",
        content=get("content:encoded", ""),
        excerpt=get("excerpt:encoded", ""),
        terms=_terms(lists.get("category", _NO_ELEMS)),
        meta=_meta_pairs(lists.get("wp:postmeta", _NO_ELEMS)),
        link=get("link", "").strip(),
        guid=get("guid", "").strip(),
        comments=_comments(lists.get("wp:comment", _NO_ELEMS), label),
        attachment_url=get("wp:attachment_url", "").strip(),
        comment_status=get("wp:comment_status", "").strip(),
        source=source,
    )


def _terms(elems: list[etree._Element]) -> tuple[TermRef, ...]:
    """The item's ``<category>`` references, deduplicated by (taxonomy, slug).

    WXR 1.0 lists each term twice, once without ``domain``/``nicename`` (a category
    name, or ``domain="tag"``) and once with them; both collapse into one TermRef.
    """
    if not elems:
        return ()
    refs: dict[tuple[str, str], TermRef] = {}
    for elem in elems:
        text = (elem.text or "") if len(elem) == 0 else text_of(elem, strip=False)
        found = _term_ref(elem.get("domain") or "", elem.get("nicename") or "", text)
        if found is not None and found[0] not in refs:  # the first wins
            refs[found[0]] = found[1]
    return tuple(refs.values())


@lru_cache(maxsize=4096)  # a site's items use the same few hundred terms again and again
def _term_ref(domain: str, nicename: str, text: str) -> tuple[tuple[str, str], TermRef] | None:
    """The TermRef of one ``<category domain nicename>text</category>`` with its
    (taxonomy, slug); None when it yields no slug."""
    name = text.strip()
    taxonomy = _DOMAIN_ALIASES.get(domain.strip(), domain.strip())
    slug = unquote(nicename.strip()) or slugify(name)
    if not slug:
        return None
    return (taxonomy, slug), TermRef(taxonomy=taxonomy, slug=slug, name=name)


def _meta_pairs(elems: list[etree._Element]) -> tuple[tuple[str, str], ...]:
    """``wp:postmeta`` (key, value) pairs in source order; values kept verbatim."""
    if not elems:
        return ()
    pairs = []
    for elem in elems:
        values = _children(elem, [])[0]
        key = values.get("wp:meta_key", "").strip()
        if key:
            pairs.append((key, values.get("wp:meta_value", "")))
    return tuple(pairs)


def _comments(elems: list[etree._Element], item: _Label) -> tuple[Comment, ...]:
    """The item's comments; one without a numeric ID is dropped with a note."""
    if not elems:
        return ()
    comments = []
    for elem in elems:
        values = _children(elem, [])[0]
        get = values.get
        raw_id = get("wp:comment_id", "").strip()
        if not raw_id.isdecimal():
            item.notes.append(f"{item}: dropped a comment with wp:comment_id {raw_id!r}")
            continue
        label = _Label(item.notes, item.line, item.item_id)
        label.comment = raw_id
        date, date_gmt = _dates(values, _COMMENT_DATES, label)
        comments.append(
            _make_comment(
                id=int(raw_id),
                author=get("wp:comment_author", "").strip(),
                author_url=get("wp:comment_author_url", "").strip(),
                author_email=get("wp:comment_author_email", "").strip(),
                date=date,
                date_gmt=date_gmt,
                content=get("wp:comment_content", ""),
                approved=get("wp:comment_approved", "").strip() or "1",
                type=get("wp:comment_type", "").strip(),
                parent=_parsed_int(values, "wp:comment_parent", label),
                user_id=_parsed_int(values, "wp:comment_user_id", label),
            )
        )
    return tuple(comments)
