"""Find and read the comment data files ``wpmigrate convert`` writes next to the pages.

Each written item's approved comments are one file, ``<wordpress_id>.(yaml|yml|json)``
directly in a ``comments`` folder of the engine's data folder (the presets'
``comments_path``: ``data/``, ``_data/``, ``src/data/`` or the site root). The folders
are listed here rather than imported from the writer presets so that the checker does
not depend on the writers. Files are parsed safely (``yaml`` safe loader, ``json``), and
the position of each comment's ``content`` is kept so findings can name a file line.
A file that does not parse or does not have the expected shape becomes a problem to
report, never an exception.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: Folders, relative to the site, that hold comment data files (one per preset family).
COMMENT_DIRS = ("data/comments", "_data/comments", "src/data/comments", "comments")
_NAME = re.compile(r"^(\d+)\.(?:ya?ml|json)$")
_JSON_CONTENT = re.compile(r'(?<!\\)"content"\s*:\s*"')
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class CommentText:
    """One comment's Markdown and where its first character is written in the file.

    ``block``: the text is a YAML literal block, so its lines are file lines (indented
    by ``col - 1``); otherwise positions after the first line are approximate.
    """

    ident: str
    content: str
    line: int = 1
    col: int = 1
    block: bool = False


@dataclass(slots=True)
class CommentFile:
    """One comment data file: its item's WordPress ID, its comments and any problem."""

    path: str  # absolute
    rel: str  # site-relative, "/" separators
    wordpress_id: str
    comments: list[CommentText] = field(default_factory=list)
    problem: str = ""  # why (part of) the file could not be read
    problem_line: int = 1
    fatal: bool = False  # True: the file does not parse at all


def find_comment_files(base: Path) -> list[tuple[str, str]]:
    """``(absolute path, site-relative path)`` of the comment files under ``base``."""
    found: list[tuple[str, str]] = []
    for folder in COMMENT_DIRS:
        directory = base / folder
        if not directory.is_dir():
            continue
        for name in sorted(os.listdir(directory)):
            path = directory / name
            if _NAME.match(name) and path.is_file():
                found.append((str(path.resolve()), f"{folder}/{name}"))
    return found


def read_comment_file(path: str, rel: str) -> CommentFile:
    """Parse one comment file; problems are recorded on the result, never raised."""
    wordpress_id = rel.rsplit("/", 1)[-1].split(".", 1)[0]
    result = CommentFile(path=path, rel=rel, wordpress_id=wordpress_id)
    try:
        text = Path(path).read_text(encoding="utf-8")
        data, positions = (_load_json(text) if rel.endswith(".json") else _load_yaml(text))
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
        result.problem, result.problem_line = _describe(error)
        result.fatal = True
        return result
    _collect(result, data, positions)
    return result


def _describe(error: Exception) -> tuple[str, int]:
    """A one-line reason and the 1-based line it points at (1 when unknown)."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        return f"invalid YAML: {error.problem}", error.problem_mark.line + 1
    if isinstance(error, json.JSONDecodeError):
        return f"invalid JSON: {error.msg}", error.lineno
    if isinstance(error, OSError):
        return f"cannot read: {error.strerror}", 1
    return f"cannot read: {type(error).__name__}: {error}", 1


def _collect(result: CommentFile, data: Any, positions: list[tuple[int, int, bool]]) -> None:
    """Fill ``result`` from the parsed data, or record why it has the wrong shape."""
    records = data.get("comments") if isinstance(data, dict) else None
    if not isinstance(records, list):
        result.problem = "not a comment file: no \"comments\" list"
        return
    if isinstance(data.get("wordpress_id"), int | str):
        result.wordpress_id = str(data["wordpress_id"])
    bad = 0
    for index, record in enumerate(records):
        if not isinstance(record, dict) or not isinstance(record.get("content"), str):
            bad += 1
            continue
        line, col, block = positions[index] if len(positions) == len(records) else (1, 1, False)
        ident = str(record.get("id", index + 1))
        result.comments.append(CommentText(ident, record["content"], line, col, block))
    if bad:
        result.problem = f"{bad} comment(s) without a \"content\" text were skipped"


def _load_yaml(text: str) -> tuple[Any, list[tuple[int, int, bool]]]:
    """Safe-load YAML, keeping where each ``comments[i].content`` value starts."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines = text.split("\n")
    positions = [_yaml_position(value, lines) for value in _content_nodes(node)]
    return data, positions


def _content_nodes(root: yaml.Node | None) -> list[yaml.Node | None]:
    """The ``content`` value node of each item of the ``comments`` sequence."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "comments" and isinstance(value, yaml.SequenceNode):
            return [_mapping_value(item, "content") for item in value.value]
    return []


def _mapping_value(node: yaml.Node, name: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if k.value == name), None)


def _yaml_position(node: yaml.Node | None, lines: list[str]) -> tuple[int, int, bool]:
    """1-based line and column of the value's first character; literal blocks start on
    the line after their ``|`` indicator, at that line's indentation."""
    if node is None:
        return 1, 1, False
    mark = node.start_mark
    if getattr(node, "style", None) == "|":
        first = mark.line + 1  # 0-based index of the first text line
        text_line = lines[first] if first < len(lines) else ""
        indent = len(text_line) - len(text_line.lstrip(" "))
        return first + 1, indent + 1, True
    quoted = getattr(node, "style", None) in ("'", '"')
    return mark.line + 1, mark.column + 1 + quoted, False


def _load_json(text: str) -> tuple[Any, list[tuple[int, int, bool]]]:
    """Parse JSON; the n-th ``"content": "`` key (escaped quotes excluded) is taken as
    the n-th comment's (the writer's shape; a mismatch in count drops the positions)."""
    data = json.loads(text)
    positions = []
    for match in _JSON_CONTENT.finditer(text):
        start = match.end()
        line_start = text.rfind("\n", 0, start) + 1
        positions.append((text.count("\n", 0, start) + 1, start - line_start + 1, False))
    return data, positions
