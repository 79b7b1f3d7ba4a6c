"""Read the few front-matter keys that matter for links, with their line and column.

A YAML parser would lose positions and costs ~0.5 ms a page; this scanner reads only the
keys below from YAML (``---``) or TOML (``+++``) front matter, including flow lists
(``[a, b]``), block lists (``- a``) and one level of nesting (``cover: {image: x}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wpmigrate.checks.findings import Link

#: Keys whose values are other URLs that redirect to this page.
ALIAS_KEYS = frozenset({"aliases", "redirect_from"})
#: Keys whose values are images (links that must exist).
IMAGE_KEYS = frozenset(
    {"images", "image", "featured_image", "cover", "heroimage", "thumbnail", "feature_image"}
)
#: Taxonomy keys: Hugo and Jekyll generate a list page per term.
TERM_KEYS = frozenset({"tags", "categories"})
#: Scalar keys that change where the page is served, and the item's WordPress ID (its
#: comment data file is named by it: relative links in comments resolve from the page).
SCALAR_KEYS = frozenset({"url", "slug", "permalink", "path", "wordpress_id"})

WANTED_KEYS = ALIAS_KEYS | IMAGE_KEYS | SCALAR_KEYS | TERM_KEYS
_NESTED_STARTS = frozenset({"", " ", "\t", "-", "#"})

_YAML_KEY = re.compile(r"^(\s*)([A-Za-z_][\w.-]*)\s*:(?:\s+|$)(.*)$")
_TOML_KEY = re.compile(r"^(\s*)([A-Za-z_][\w.-]*)\s*=\s*(.*)$")
_YAML_ITEM = re.compile(r"^(\s*)-\s+(.*)$")
_CLOSE_YAML = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_CLOSE_TOML = re.compile(r"^\+\+\+[ \t]*\r?$", re.M)
_COMMENT = re.compile(r"\s+#")
_FLOW_ITEM = re.compile(r"\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([^,\[\]\s][^,\[\]]*)")


@dataclass(slots=True)
class FrontMatter:
    """The link-relevant part of a page's front matter."""

    links: list[Link] = field(default_factory=list)  # images: must exist
    aliases: list[Link] = field(default_factory=list)  # old URLs served as redirects here
    scalars: dict[str, str] = field(default_factory=dict)  # url, slug, permalink
    terms: list[tuple[str, str]] = field(default_factory=list)  # (taxonomy, term)


def split_front_matter(text: str) -> tuple[FrontMatter, int, int]:
    """Return the front matter of ``text``, the 0-based index of the first body line and
    the character offset where the body starts (0 and 0 without front matter)."""
    bom = 1 if text.startswith("\ufeff") else 0
    first = text[bom : bom + 4].rstrip("\r\n")
    if first not in ("---", "+++"):
        return FrontMatter(), 0, 0
    opening_end = text.find("\n", bom)
    if opening_end == -1:
        return FrontMatter(), 0, 0
    closer = (_CLOSE_YAML if first == "---" else _CLOSE_TOML).search(text, opening_end + 1)
    if closer is None:
        return FrontMatter(), 0, 0
    block = text[opening_end + 1 : closer.start()]
    lines = block.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    front = _scan(lines, toml=first == "+++")
    body_line = len(lines) + 2
    newline = text.find("\n", closer.start())
    return front, body_line, len(text) if newline == -1 else newline + 1


def _scan(lines: list[str], toml: bool) -> FrontMatter:
    """Collect aliases, images and scalars from the front-matter lines."""
    front = FrontMatter()
    pattern = _TOML_KEY if toml else _YAML_KEY
    separator = "=" if toml else ":"
    parent: str | None = None  # key whose block list / nested map we are in
    parent_indent = 0
    for offset, raw in enumerate(lines):
        line = raw.rstrip("\r")
        lineno = offset + 2  # 1-based, after the opening delimiter line
        if line[:1] not in _NESTED_STARTS:  # top-level key: skip uninteresting ones fast
            key = line.partition(separator)[0].strip().lower()
            if key not in WANTED_KEYS:
                parent = None
                continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = None if toml else _YAML_ITEM.match(line)
        if item and parent is not None and len(item.group(1)) >= parent_indent:
            _add_values(front, parent, item.group(2), lineno, item.start(2))
            continue
        match = pattern.match(line)
        if not match:
            continue
        indent, key, value = len(match.group(1)), match.group(2).lower(), match.group(3)
        if toml and line.lstrip().startswith("["):
            continue
        if parent is not None and indent > parent_indent and parent == "cover":
            if key in ("image", "src"):
                _add_values(front, "image", value, lineno, match.start(3))
            continue
        if indent == 0 or parent is None or indent <= parent_indent:
            parent = None
        if not value.strip():
            parent, parent_indent = key, indent
            continue
        _add_values(front, key, value, lineno, match.start(3))
    return front


def _add_values(front: FrontMatter, key: str, value: str, lineno: int, col: int) -> None:
    """Record the value(s) written for ``key`` starting at 0-based column ``col``."""
    if key not in ALIAS_KEYS and key not in IMAGE_KEYS and key not in SCALAR_KEYS:
        if key in TERM_KEYS:
            front.terms.extend((key, text) for text, _ in _values(value, col))
        return
    for text, start in _values(value, col):
        if key in SCALAR_KEYS:
            front.scalars[key] = text
        elif key in ALIAS_KEYS:
            front.aliases.append(Link(text, lineno, start + 1, "alias"))
        else:
            front.links.append(Link(text, lineno, start + 1, "front-matter"))


def _values(value: str, col: int) -> list[tuple[str, int]]:
    """Split a scalar or a flow list into (text, 0-based column) pairs."""
    stripped = value.rstrip()
    lead = len(value) - len(value.lstrip())
    body = stripped.lstrip()
    base = col + lead
    if body.startswith("[") or body.startswith("{"):
        result = []
        for match in _FLOW_ITEM.finditer(body, 1):
            text = next(g for g in match.groups() if g is not None).strip()
            if text and not text.endswith(":"):
                index = match.start() + (1 if match.group(3) is None else 0)
                result.append((_after_colon(text), base + index))
        return result
    if body[:1] in ("'", '"'):
        end = body.find(body[0], 1)
        return [(body[1:end] if end != -1 else body[1:], base + 1)]
    plain = _COMMENT.split(body, maxsplit=1)[0].strip() if "#" in body else body
    return [(plain, base)] if plain and plain not in ("null", "~") else []


def _after_colon(text: str) -> str:
    """In a flow map item ``image: x`` keep only the value."""
    if re.match(r"^[A-Za-z_]+:\s", text):
        return text.split(":", 1)[1].strip().strip("\"'")
    return text
