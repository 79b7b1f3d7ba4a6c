"""The account of a run: every item read, what became of it, and why.

``wpmigrate-report.json`` is written into the output directory. It holds no timings
or absolute paths that vary between runs, so two runs on the same input and options
give the same bytes.
"""

from __future__ import annotations

import codecs
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, Any

from wpmigrate.model import ItemReport, Site
from wpmigrate.spool import DiskList

REPORT_NAME = "wpmigrate-report.json"
#: The comment counts summed into the totals (``comments_written`` …).
COMMENT_TOTALS = ("written", "held", "dropped")


@dataclass(slots=True)
class MediaSummary:
    """What happened to the media files the written items reference."""

    written: int = 0  # downloaded or copied this run
    present: int = 0  # already in the output with the right size
    kept_remote: int = 0
    missing: list[str] = field(default_factory=list)  # "URL: why"


class ItemLog(DiskList[ItemReport]):
    """The report's lines, kept on disk (a 50k-item report is 50k objects), with what
    the summary needs in memory: the count per outcome, and the lines worth showing on
    the terminal (failed, or with warnings)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.counts: Counter[str] = Counter()
        self.notable: list[ItemReport] = []
        #: the report file's ``items`` text so far, so that writing the report at the
        #: end of a run is a copy, not 50k lines to read back and encode
        self._json: IO[bytes] = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115

    def append(self, value: ItemReport, text: str | None = None) -> None:
        """Add a line; ``text``, when given, is its ``item_json`` (made by a worker)."""
        super().append(value)
        self.counts[value.outcome] += 1
        for key, count in value.comments:  # (nothing for nearly every item)
            if key in COMMENT_TOTALS:
                self.counts["comments " + key] += count  # type: ignore[operator]
        if value.outcome == "failed" or value.warnings:
            self.notable.append(value)
        entry = item_json(value) if text is None else text
        self._json.write(((",\n  " if len(self) > 1 else "\n  ") + entry).encode())

    def json_chunks(self) -> Iterator[str]:
        """The ``items`` of the report's JSON text, without the brackets."""
        self._json.flush()
        decoder = codecs.getincrementaldecoder("utf-8")()
        offset = 0
        while chunk := os.pread(self._json.fileno(), _CHUNK, offset):  # appends go on
            offset += len(chunk)
            yield decoder.decode(chunk)
        yield decoder.decode(b"", final=True)


_CHUNK = 1 << 20


@dataclass(slots=True)
class Report:
    """The result of ``convert``: what the CLI renders and the JSON file records."""

    source: str
    source_kind: str
    preset: str
    site: Site
    items: Sequence[ItemReport] | ItemLog = field(default_factory=list)  # ItemLog: convert()
    stale: list[str] = field(default_factory=list)  # files of an earlier run not written now
    lost: list[str] = field(default_factory=list)  # what the reader dropped to read the input
    media: MediaSummary = field(default_factory=MediaSummary)
    redirects: int = 0  # old URLs with a redirect target
    files: list[str] = field(default_factory=list)  # other files written (config, redirects)

    def totals(self) -> dict[str, int]:
        """Count of items per outcome, plus the total; when the source had comments,
        how many were written, held back (not approved) and dropped (their item is
        not written, or password-protected)."""
        if isinstance(self.items, ItemLog):
            counts = self.items.counts
        else:
            counts = Counter(item.outcome for item in self.items)
            for item in self.items:
                for key, count in item.comments:
                    if key in COMMENT_TOTALS:
                        counts["comments " + key] += count  # type: ignore[operator]
        totals = {
            "items": len(self.items),
            "written": counts["written"],
            "skipped": counts["skipped"],
            "failed": counts["failed"],
        }
        comments = {f"comments_{key}": counts["comments " + key] for key in COMMENT_TOTALS}
        if any(comments.values()):
            totals.update(comments)
        return totals

    def warnings(self) -> list[str]:
        """Every warning of the run, item by item, for the terminal and --strict."""
        lines = [f"input: {what}" for what in self.lost]
        for item in self.problem_items():
            lines += [f"{item.type} {item.id} ({item.title!r}): {w}" for w in item.warnings]
        lines += [f"media: {what}" for what in self.media.missing]
        lines += [f"stale: {path} is from an earlier run, not written now" for path in self.stale]
        return lines

    def problem_items(self) -> list[ItemReport]:
        """The items that failed or have warnings, in source order."""
        if isinstance(self.items, ItemLog):
            return list(self.items.notable)
        return [item for item in self.items if item.outcome == "failed" or item.warnings]

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data, in a stable order."""
        return {**self._head(), "items": [_item_dict(item) for item in self.items], **self._tail()}

    def _head(self) -> dict[str, Any]:
        return {
            "wpmigrate_report": 1,
            "source": self.source,
            "source_kind": self.source_kind,
            "preset": self.preset,
            "site": {"title": self.site.title, "base_url": self.site.base_url,
                     "language": self.site.language},
            "totals": self.totals(),
        }

    def _tail(self) -> dict[str, Any]:
        return {
            "media": {
                # Run-independent figures only: fetched-now vs already-present is shown
                # on the terminal, so a rerun into the same folder writes the same report.
                "files": self.media.written + self.media.present,
                "kept_remote": self.media.kept_remote,
                "missing": sorted(self.media.missing),
            },
            "redirects": self.redirects,
            "files": sorted(self.files),
            "stale": sorted(self.stale),
            "lost": list(self.lost),
        }

    def to_json(self) -> str:
        """Deterministic JSON text."""
        return "".join(self.iter_json())

    def iter_json(self) -> Iterator[str]:
        """The JSON text of ``to_dict()`` in pieces, one item at a time, so a report of
        50k items never exists as one big structure (same bytes as ``json.dumps``)."""
        head = _dumps(self._head())
        yield head[:-2] + ',\n "items": ['
        if isinstance(self.items, ItemLog):
            yield from self.items.json_chunks()
        else:
            for number, item in enumerate(self.items):
                yield ("," if number else "") + "\n  " + item_json(item)
        yield ("\n ]" if self.items else "]") + ",\n"
        yield from _streamed_dumps(self._tail(), skip=2)


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def _streamed_dumps(data: dict[str, Any], skip: int = 0) -> Iterator[str]:
    """``_dumps(data)[skip:] + "\n"`` in pieces, the strings of its lists one by one:
    the media missing and the stale files can be tens of thousands of lines, and json's
    indenting encoder (pure Python) held 60 MB for 65k of them. Each list of strings
    is dumped as a mark, then the mark's line gives the indent of the list's items."""
    lists: list[list[str]] = []
    text = _dumps(_marked_lists(data, lists))[skip:] + "\n"
    for number, values in enumerate(lists):
        before, text = text.split(json.dumps(_list_mark(number)), 1)
        line = before[before.rfind("\n") + 1 :]
        depth = len(line) - len(line.lstrip(" "))
        yield before + "["
        for position, value in enumerate(values):
            yield ("," if position else "") + "\n" + " " * (depth + 1) + encode_basestring(value)
        yield "\n" + " " * depth + "]"
    yield text


def _marked_lists(data: dict[str, Any], lists: list[list[str]]) -> dict[str, Any]:
    """``data`` with each non-empty list of strings replaced by a mark (a string no
    report holds), the lists appended to ``lists`` in the order ``json.dumps`` meets them."""
    marked: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _marked_lists(value, lists)
        elif isinstance(value, list) and value and all(type(v) is str for v in value):
            lists.append(value)
            value = _list_mark(len(lists) - 1)
        marked[key] = value
    return marked


def _list_mark(number: int) -> str:
    return f"\x00wpmigrate list {number}\x00"


#: json.dumps's encoder for one value, without indentation (so in C where it has one).
_encode = json.JSONEncoder(ensure_ascii=False).encode


def _scalar_json(value: Any) -> str:
    """``_encode(value)``, without the encoder's set-up for the two types of nearly
    every field: a str is json's ``encode_basestring`` (C) of it, an int its repr."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return repr(value)
    return _encode(value)


def item_json(item: ItemReport) -> str:
    """One item's entry in the report's ``items`` list: the text of
    ``json.dumps(_item_dict(item), ensure_ascii=False, indent=1)`` indented by two
    more spaces, laid out here around each value's C-encoded text (json's indenting
    encoder is pure Python, and 50k items took a second)."""
    data = _item_dict(item)
    if item.warnings or item.unknown_shortcodes or item.comments:
        fields = [_scalar_json(key) + ": " + _nested_json(value) for key, value in data.items()]
    else:  # nearly every item: text and numbers only, most of them text
        fields = [
            encode_basestring(key) + ": "
            + (encode_basestring(value) if type(value) is str else _scalar_json(value))
            for key, value in data.items()
        ]
    return "{\n   " + ",\n   ".join(fields) + "\n  }"


def _nested_json(value: Any) -> str:
    """A field's value as it sits in an item: lists and dicts one level deep."""
    if isinstance(value, list) and value:
        return "[\n    " + ",\n    ".join(map(_scalar_json, value)) + "\n   ]"
    if isinstance(value, dict) and value:
        pairs = (f"{_scalar_json(key)}: {_scalar_json(inner)}" for key, inner in value.items())
        return "{\n    " + ",\n    ".join(pairs) + "\n   }"
    return _scalar_json(value)


def _item_dict(item: ItemReport) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "type": item.type,
        "status": item.status,
        "title": item.title,
        "outcome": item.outcome,
        "reason": item.reason,
        "path": item.path,
    }
    if item.source:
        data["source"] = item.source
    if item.warnings:
        data["warnings"] = list(item.warnings)
    if item.repairs:
        data["repairs"] = item.repairs
    if item.unknown_shortcodes:
        data["unknown_shortcodes"] = dict(item.unknown_shortcodes)
    if item.comments:
        data["comments"] = dict(item.comments)
    return data
