"""Describing what went wrong with a WXR file, in words a user can act on.

Two kinds of messages live here: the :class:`~wpmigrate.errors.SourceError` for a file
that is not a WordPress export at all (saying what the file is instead), and the
``lost_data()`` lines for an export that could be read only after repairs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from wpmigrate.errors import SourceError
from wpmigrate.sources.xmlsafe import FilterStats

NOT_WXR_HINT = "export one from Tools → Export in WordPress, or pass a mirror directory"
_CHARREF_RE = re.compile(r"invalid xmlChar value (\d+)")
_MAX_ERRORS_LISTED = 10
_MAX_LINES_LISTED = 10


def not_wxr(path: Path, found: str) -> SourceError:
    """The error for a file that is not a WordPress export; ``found`` says what it is."""
    return SourceError(str(path), f"is not a WordPress export (WXR): {found}", NOT_WXR_HINT)


def describe_non_xml(path: Path) -> str:
    """What a file that did not parse as XML seems to be, from its first bytes."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lowered = text[:200].lower()
    if not text:
        return "the file is empty" if not head else "the file holds only whitespace"
    if text[:1] in (b"{", b"["):
        return "found JSON, not XML"
    if text.startswith(b"PK\x03\x04"):
        return "found a ZIP archive (extract the .xml file from it first)"
    if text.startswith(b"\x1f\x8b"):
        return "found a gzip-compressed file (decompress it first)"
    if b"<!doctype html" in lowered or b"<html" in lowered:
        return "found an HTML page, not an XML export"
    sample = text[:40].decode("utf-8", "replace").replace("\n", " ")
    return f"found no XML (the file starts with {sample!r})"


def filter_notes(stats: FilterStats) -> list[str]:
    """``lost_data()`` lines for what the byte filter removed."""
    notes = []
    if stats.leading_bytes:
        plural = "s" if stats.leading_bytes != 1 else ""
        notes.append(
            f"removed {stats.leading_bytes} byte{plural} of whitespace before the XML declaration"
        )
    total = stats.total_removed()
    if total:
        chars = ", ".join(
            f"U+{value:04X}" + (f" ×{count}" if len(stats.removed) > 1 else "")
            for value, count in sorted(stats.removed.items())
        )
        notes.append(
            f"removed {total} character{'s' if total != 1 else ''} not allowed in XML 1.0 "
            f"({chars}) at {_lines(stats.lines, total)}"
        )
    return notes


def _lines(lines: list[int], total: int) -> str:
    """``line 12`` or ``lines 3, 9, 12`` (shortened with ``…`` when there are many)."""
    shown = lines[:_MAX_LINES_LISTED]
    text = ", ".join(str(line) for line in shown)
    if total > len(shown):
        text += ", …"
    return f"line {text}" if total == 1 else f"lines {text}"


def _describe(message: str) -> str:
    """libxml2's message, first line only, with the entity-bomb case in plain words."""
    message = message.strip().splitlines()[0] if message.strip() else "unknown error"
    if "amplification" in message:
        return (
            "refused to expand the entities the file's DTD declares "
            f"(an entity bomb?) and stopped reading ({message})"
        )
    return message


def parser_notes(
    errors: Iterable[etree._LogEntry], line_offset: int
) -> tuple[list[str], bool, int | None]:
    """``lost_data()`` lines for libxml2's recovered errors.

    Also returns whether the XML was malformed and, when the file ends in the middle
    of an element (a truncated export), the line where it ends. Character references to
    forbidden characters (``&#16;``) are only repaired (the character is dropped);
    every other error means the parser had to guess, so the caller adds a summary of
    how many items survived.
    """
    notes: list[str] = []
    malformed = False
    truncated_at: int | None = None
    seen: set[str] = set()
    skipped = 0
    for error in errors:
        if error.level < etree.ErrorLevels.ERROR or error.type_name.startswith("WAR_"):
            continue  # warnings (e.g. a namespace URI that is not a valid URI) lose nothing
        line = error.line + line_offset
        charref = _CHARREF_RE.search(error.message)
        if charref and "CharRef" in error.message:
            note = (
                f"removed a character reference to U+{int(charref.group(1)):04X} "
                f"(not allowed in XML 1.0) at line {line}"
            )
        else:
            malformed = True
            if error.message.startswith("Premature end of data"):
                truncated_at = line
            note = f"malformed XML at line {line}: {_describe(error.message)}"
        if note in seen:
            continue
        seen.add(note)
        if len(notes) < _MAX_ERRORS_LISTED:
            notes.append(note)
        else:
            skipped += 1
    if skipped:
        notes.append(f"… and {skipped} more XML errors")
    return notes, malformed, truncated_at


def recovery_summary(
    items_read: int, item_tags: int, last_item_line: int | None, truncated_at: int | None
) -> str:
    """The ``lost_data()`` line summing up a recovery from malformed XML."""
    if truncated_at is not None:
        return (
            f"the file ends early at line {truncated_at} (an interrupted export?): "
            f"{_items(items_read)} read, the last one may be incomplete"
        )
    if items_read >= item_tags:
        return (
            f"recovered from malformed XML: all {_items(items_read)} read; "
            "check the items near the lines above, their text may be cut or altered"
        )
    after = f" after line {last_item_line}" if last_item_line else ""
    return (
        f"recovered from malformed XML: {items_read} of {_items(item_tags)} read, "
        f"the rest of the file{after} was lost"
    )


def _items(count: int) -> str:
    """``1 item`` / ``3 items``."""
    return f"{count} item" if count == 1 else f"{count} items"
