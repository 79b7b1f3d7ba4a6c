"""Comments: a written item's approved comments, as one data file for the engine.

WordPress shows a comment's text through ``make_clickable`` and ``wpautop`` and never
runs blocks or shortcodes on it, so each comment goes through
``prepare_comment_html`` and then the body's own HTML → Markdown conversion (links to
the old site rewritten to the new URLs, mojibake repaired). The file is named by the
item's WordPress ID, which every preset writes into front matter, so a template finds
it from the page (``Preset.comments_usage``). Unapproved, spam and trashed comments
are held back; the comments of items not written, of password-protected items (they
could quote the protected text) and of attachments are dropped. Author e-mail, IP and
user agent are never written. Called by pass 2 in the worker that writes the item,
only for items that have comments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wpmigrate.frontmatter import dump_yaml_data
from wpmigrate.index import SiteIndex
from wpmigrate.model import Comment, Post
from wpmigrate.transforms import TransformContext, convert_html
from wpmigrate.transforms.markup import prepare_comment_html
from wpmigrate.transforms.textrepair import repair_html, repair_text
from wpmigrate.writers.presets.base import iso
from wpmigrate.writers.render import plain_text, post_datetime
from wpmigrate.writers.safe import SafeWriter, sanitize_relpath

APPROVED = "1"
_LISTED_TYPES = frozenset({"pingback", "trackback"})


@dataclass(frozen=True, slots=True)
class CommentsOutcome:
    """What became of one item's comments: the report's counts, the warnings, and
    the media URLs the written comments reference."""

    counts: tuple[tuple[str, int | str], ...]
    warnings: tuple[str, ...] = ()
    media: tuple[str, ...] = ()


def dropped(post: Post) -> tuple[tuple[str, int | str], ...]:
    """The report's counts for an item none of whose comments is written."""
    return (("dropped", len(post.comments)),) if post.comments else ()


def write_comments(post: Post, index: SiteIndex, writer: SafeWriter) -> CommentsOutcome:
    """Write the approved comments of ``post`` (an item just written) to the preset's
    data file; never raises: a comment that fails is left out with a warning."""
    preset = index.preset
    if post.has_password or not preset.comments_path:
        return CommentsOutcome(dropped(post))
    approved = sorted((c for c in post.comments if c.approved == APPROVED), key=_order)
    held = len(post.comments) - len(approved)
    if not approved:
        return CommentsOutcome((("written", 0), ("held", held)))
    ctx = TransformContext(post_id=post.id, base_url=index.base_url,
                           rewrite_url=index.rewrite_url, attachments=index.attachments)
    ids = {c.id for c in approved}
    records: list[dict[str, Any]] = []
    warnings: list[str] = []
    media: list[str] = []
    repairs = 0
    for comment in approved:
        try:
            record, fixes, found = comment_record(comment, post, ids, ctx)
        except Exception as error:  # one comment never fails the item
            warnings.append(f"comment {comment.id} not written: {type(error).__name__}: {error}")
            continue
        records.append(record)
        repairs += fixes
        media += found
    if not records:
        return CommentsOutcome((("written", 0), ("held", held)), tuple(warnings))
    path = sanitize_relpath(preset.comments_path.format(id=post.id))
    data = {"wordpress_id": post.id, "comments": records}
    try:
        writer.write_text(path, serialize(data, path))
    except Exception as error:  # the item is written: its comments are reported
        warnings.append(f"comments not written to {path}: {type(error).__name__}: {error}")
        return CommentsOutcome((("written", 0), ("held", held)), tuple(warnings))
    counts: list[tuple[str, int | str]] = [("written", len(records)), ("held", held)]
    if repairs:
        counts.append(("repairs", repairs))
    counts.append(("path", path))
    return CommentsOutcome(tuple(counts), tuple(warnings), tuple(dict.fromkeys(media)))


def _order(comment: Comment) -> tuple[datetime, int]:
    """By time (GMT as stored; the local time when GMT is unknown), then by ID."""
    return (comment.date_gmt or comment.date or datetime.min, comment.id)


def comment_record(
    comment: Comment, post: Post, written: set[int], ctx: TransformContext
) -> tuple[dict[str, Any], int, tuple[str, ...]]:
    """One comment as data, its text repairs and the media URLs it references. A reply
    to a comment that is not written becomes top-level (``parent`` 0), as WordPress
    shows orphaned replies."""
    author, author_fixes = repair_text(plain_text(comment.author))
    html, text_fixes = repair_html(comment.content)
    body = convert_html(prepare_comment_html(html), ctx)
    record: dict[str, Any] = {
        "id": comment.id,
        "parent": comment.parent if comment.parent in written else 0,
        "author": author,
    }
    if comment.author_url.startswith(("http://", "https://")):
        record["author_url"] = comment.author_url
    record["date"] = iso(post_datetime(comment.date, comment.date_gmt, post.date_offset))
    if comment.type in _LISTED_TYPES:
        record["type"] = comment.type
    record["content"] = body.markdown.strip("\n")
    return record, author_fixes + text_fixes, body.media


def serialize(data: dict[str, Any], path: str) -> str:
    """The file's text: JSON for a ``.json`` path, else YAML."""
    if path.endswith(".json"):
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    return dump_yaml_data(data)
