"""A WordPress shortcode tokenizer and expander.

WordPress (``do_shortcode`` / ``get_shortcode_regex``) only ever parses *registered*
shortcode names; everything else is plain text. We mirror that: the tokenizer is given
the set of names it should recognize. To report shortcodes of plugins that are gone
(``[contact-form-7 id="3"]``) without mistaking prose for one (``[1]``,
``[citation needed]``, Markdown ``[here][1]``), unregistered names are recognized only
when they *look* like a shortcode: ``key=value`` attributes, a self-closing ``/]``, or
a matching ``[/name]`` closer.

Rules taken from WordPress:

* ``[name attrs]`` is enclosing only when a ``[/name]`` follows; the content runs to the
  *first* such closer (same-name nesting is not supported by WordPress either).
* Attribute text may not contain ``]``; a ``/`` directly before ``]`` makes the tag
  self-closing.
* ``[[name …]]`` (doubled brackets) is an escaped shortcode, printed as ``[name …]``.
* Attributes: ``k="v"``, ``k='v'``, ``k=v`` and positional ``"v"``, ``'v'``, ``v``;
  keys are lower-cased.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field

_NAME = re.compile(r"[A-Za-z0-9_-]+")
_LOOKS_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_ATTR = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)"""
    r"""|'([^']*)'(?:\s|$)"""
    r"""|(\S+)(?:\s|$)"""
)


@dataclass(frozen=True, slots=True)
class Shortcode:
    """One parsed shortcode occurrence.

    ``content`` is None for a self-closing or non-enclosing tag. ``raw`` is the exact
    source text (opening tag, content and closer), used to keep unknown shortcodes
    verbatim.
    """

    name: str
    attr_text: str
    raw: str
    content: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    positional: tuple[str, ...] = ()
    escaped: bool = False

    @property
    def source(self) -> str:
        """The exact source text, escape brackets included."""
        return f"[{self.raw}]" if self.escaped else self.raw

    @property
    def open_tag(self) -> str:
        """The opening tag as written in the source."""
        if self.content is None:
            return self.raw
        return self.raw[: len(self.raw) - len(self.content) - len(self.name) - 3]

    @property
    def close_tag(self) -> str:
        """The closing tag as written (empty when not enclosing)."""
        return "" if self.content is None else f"[/{self.name}]"

    def get(self, *keys: str, default: str = "") -> str:
        """The first present attribute among ``keys`` (WordPress uses aliases a lot)."""
        for key in keys:
            if key in self.attrs:
                return self.attrs[key]
        return default


Token = str | Shortcode


def parse_attributes(text: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """Split attribute text into named (lower-cased keys) and positional values.

    Mirrors ``shortcode_parse_atts``: non-breaking and zero-width spaces count as
    spaces, and a positional value keeps its position order.
    """
    text = text.replace("\xa0", " ").replace("\u200b", " ")
    named: dict[str, str] = {}
    positional: list[str] = []
    for match in _ATTR.finditer(text.strip()):
        groups = match.groups()
        if groups[0] is not None:
            named[groups[0].lower()] = groups[1]
        elif groups[2] is not None:
            named[groups[2].lower()] = groups[3]
        elif groups[4] is not None:
            named[groups[4].lower()] = groups[5]
        else:
            value = next(g for g in groups[6:] if g is not None)
            positional.append(value)
    return named, tuple(positional)


def looks_like_shortcode(name: str, attr_text: str, self_closing: bool, enclosing: bool) -> bool:
    """Conservative test for an unregistered name: is this really a shortcode?

    True for ``[x key=value]``, ``[x /]`` and ``[x]…[/x]``; false for prose in
    brackets such as ``[1]``, ``[citation needed]``, ``[sic]``, ``[http://x/]`` or
    ``[and see <a href="…">this</a>]``: the name must be followed by whitespace or the
    end of the tag, and the attribute text must be mostly ``key=value`` pairs.
    """
    if not _LOOKS_NAME.match(name) or (attr_text and not attr_text[0].isspace()):
        return False
    if not attr_text.strip():
        return self_closing or enclosing
    if "<" in attr_text or ">" in attr_text:
        return False
    named, positional = parse_attributes(attr_text)
    return bool(named) and len(named) >= len(positional)


def _parse_tag_end(text: str, pos: int) -> tuple[int, bool] | None:
    """From just after the name, find the ``]`` ending the opening tag.

    Returns (index of ``]``, self_closing) or None when no ``]`` follows.
    """
    end = text.find("]", pos)
    if end < 0:
        return None
    return end, end > pos and text[end - 1] == "/"


def _match_at(
    text: str, start: int, accept: Callable[[str, str, bool, bool, bool], bool]
) -> tuple[Shortcode, int, int] | None:
    """Try to read a shortcode whose ``[`` is at ``start``.

    Returns the shortcode with the span it covers (a ``[[`` that turns out not to be
    an escape leaves its first ``[`` outside the span), or None.
    """
    double = text.startswith("[[", start)
    name_match = _NAME.match(text, start + 2 if double else start + 1)
    if name_match is None:
        return None
    name = name_match.group(0)
    tag_end = _parse_tag_end(text, name_match.end())
    if tag_end is None:
        return None
    close_at, self_closing = tag_end
    attr_text = text[name_match.end() : close_at - 1 if self_closing else close_at]
    if "[" in attr_text or "\n\n" in attr_text or not _LOOKS_NAME.match(name):
        return None
    content: str | None = None
    end = close_at + 1
    if not self_closing:
        closer = text.find(f"[/{name}]", end)
        if closer >= 0:
            content = text[end:closer]
            end = closer + len(name) + 3
    escaped = double and text.startswith("]", end)
    if not accept(name, attr_text, self_closing, content is not None, escaped):
        return None
    begin = start + 1 if double else start
    named, positional = parse_attributes(attr_text)
    raw = text[begin:end]
    shortcode = Shortcode(name, attr_text, raw, content, named, positional, escaped)
    return shortcode, (start if escaped else begin), (end + 1 if escaped else end)


def tokenize(text: str, names: Container[str], *, find_unknown: bool = True) -> list[Token]:
    """Split ``text`` into plain strings and ``Shortcode`` tokens.

    ``names`` are the registered names (always parsed). With ``find_unknown``, other
    names are parsed when ``looks_like_shortcode`` says so, so they can be counted.
    Escaped ``[[x]]`` are returned as Shortcode with ``escaped=True``.
    """

    def accept(
        name: str, attr_text: str, self_closing: bool, enclosing: bool, escaped: bool
    ) -> bool:
        if name.lower() in names:
            return True
        if not find_unknown:
            return False
        if escaped and not attr_text.strip():
            return True
        return looks_like_shortcode(name, attr_text, self_closing, enclosing)

    tokens: list[Token] = []
    pos = 0
    scan = 0
    while True:
        start = text.find("[", scan)
        if start < 0:
            break
        found = _match_at(text, start, accept)
        if found is None:
            scan = start + 1
            continue
        shortcode, begin, end = found
        if begin > pos:
            tokens.append(text[pos:begin])
        tokens.append(shortcode)
        pos = scan = end
    if pos < len(text):
        tokens.append(text[pos:])
    return tokens


def iter_shortcodes(tokens: list[Token]) -> Iterator[Shortcode]:
    """The Shortcode tokens of a token list, in order."""
    return (token for token in tokens if isinstance(token, Shortcode))
