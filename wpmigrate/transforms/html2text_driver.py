"""Feeding a walked lxml tree to html2text, and cleaning what it gives back.

``tree2markdown`` replays the tree as the parser events html2text would see (no
serialize-and-reparse), and for the usual walked body (paragraphs, headings, lists,
blockquotes, breaks, rules) ``_SimpleLayout`` — html2text's own state machine reduced
to those tags — lays it out without html2text at all; anything else goes to html2text,
and whatever the replay cannot reproduce exactly goes through ``tostring`` as before.
The result equals ``html2markdown(tostring(tree))``: ``tests/transforms`` checks it.
"""

from __future__ import annotations

import html.entities as html_entities
import re
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from html2text import HTML2Text
from html2text import __version__ as html2text_version
from html2text import config as html2text_config
from html2text.utils import escape_md_section, hn, list_numbering_start, pad_tables_in_text
from lxml.html import Element as html_element
from lxml.html import HtmlElement, tostring

from wpmigrate.transforms.htmlblocks import unguard

_TOP_ITEM = re.compile(r"  (?:[-*+]|\d{1,9}[.)])(?: |$)")
_QUOTE_GAP = re.compile(r"^(>[> ]*)\n\n(?=>)", re.MULTILINE)
#: A line that starts a block of its own (so the line before it cannot end in a break).
_STRUCTURAL = re.compile(r"(?:[-*+]|1[.)])(?:\s|$)|#{1,6}(?:\s|$)|\|")
#: html2text options, set on each instance (its module-level config is never touched).
_HTML2TEXT_OPTIONS: Mapping[str, object] = MappingProxyType({
    "body_width": 0, "unicode_snob": True, "escape_snob": False, "skip_internal_links": False,
    "inline_links": True, "protect_links": False, "wrap_links": False, "wrap_list_items": False,
    "wrap_tables": False, "ignore_links": False, "ignore_images": False,
    "ignore_emphasis": False, "ignore_tables": False, "bypass_tables": False,
    "pad_tables": False, "mark_code": False, "backquote_code_style": False,
    "single_line_break": False, "use_automatic_links": True, "links_each_paragraph": False,
    "ul_item_mark": "-", "emphasis_mark": "*", "strong_mark": "**", "include_sup_sub": True,
})


def make_html2text() -> HTML2Text:
    """A configured html2text instance (never the module-level defaults).

    No wrapping anywhere (a wrapped URL is a broken link), Unicode kept, inline links,
    ``-`` bullets, internal ``#anchor`` links kept; escaping is left to ``escape_text``.
    """
    h2t = HTML2Text(bodywidth=0)
    for name, value in _HTML2TEXT_OPTIONS.items():
        setattr(h2t, name, value)
    return h2t


def html2markdown(html_text: str) -> str:
    """Run html2text on guarded, pre-walked HTML and clean its output (tokens kept)."""
    return _finish_markdown(make_html2text().handle(html_text))


def tree2markdown(el: HtmlElement, with_tail: bool = True) -> str:
    """``html2markdown(tostring(el, encoding="unicode", with_tail=with_tail))``, without
    the serialize-and-reparse round trip.

    html2text is an ``HTMLParser``: it only sees the parser's events. The walked tree is
    replayed as exactly the events that ``HTMLParser`` would report for lxml's
    serialization of it (same tags, text split at the entities the serializer writes,
    no end tag where the serializer writes none). Whatever that replay cannot reproduce
    with certainty (an attribute html2text reads, a raw-text element, an odd name, a
    comment) makes it fall back to the round trip, so the result is always the same.
    """
    if _SIMPLE_OK:
        simple = _SimpleLayout()
        try:
            simple.replay(el, with_tail)
            return _finish_markdown(simple.finish())
        except (_NotSimple, _NotReplayable):
            pass
    h2t = make_html2text()
    try:
        h2t.start = True  # what HTML2Text.handle does before feeding
        _replay(h2t, el, with_tail)
        markdown = h2t.optwrap(h2t.finish())
        if h2t.pad_tables:
            markdown = pad_tables_in_text(markdown)
    except _NotReplayable:
        return html2markdown(tostring(el, encoding="unicode", with_tail=with_tail))
    return _finish_markdown(markdown)


class NeedsGuard(Exception):
    """An unguarded tree (``unguarded_markdown``) holds something only html2text lays
    out; the body must be walked again with guards for ``tree2markdown``."""


def unguarded_markdown(el: HtmlElement, with_tail: bool = True) -> str:
    """``tree2markdown`` for a tree walked without guards (``Walker(guarded=False)``).

    Only ``_SimpleLayout`` can take such a tree, without ``escape_md_section``: on the
    guarded tree of the same body that function never changes anything (its patterns
    all need one of ``\\ . + -``, which guarded text never holds), and the layout treats
    a character and its stand-in alike, so the result is ``tree2markdown``'s. Raises
    ``NeedsGuard`` wherever ``tree2markdown`` would run html2text.
    """
    if not _SIMPLE_OK:
        raise NeedsGuard
    simple = _SimpleLayout(escape=False)
    try:
        simple.replay(el, with_tail)
    except (_NotSimple, _NotReplayable) as error:
        raise NeedsGuard from error
    return _finish_markdown(simple.finish(), guarded=False)


def _finish_markdown(raw: str, guarded: bool = True) -> str:
    if "\n\n>" in raw:
        raw = _QUOTE_GAP.sub(r"\1\n", raw)
    return clean_lines(unguard(raw) if guarded else raw)


def _section_escapable(text: str) -> bool:
    """Whether html2text's ``escape_md_section`` can change ``text`` (``[\\.+-]`` in it).

    Four ``in`` are several times faster than a regex search on guarded (astral) text.
    """
    return "\\" in text or "." in text or "+" in text or "-" in text


class _NotReplayable(Exception):
    """The tree holds something only the serialize-and-reparse path reproduces exactly."""


#: Elements whose content ``HTMLParser`` reads as raw text (or might, in other versions).
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "plaintext", "iframe",
                       "noscript", "noembed", "noframes"})
#: Elements whose attributes html2text reads (others' attributes never matter to it).
_ATTR_READERS = frozenset({"a", "img", "abbr", "ol", "ul"})
_TAG_NAME = re.compile(r"[a-z][a-z0-9:_.-]*\Z")
_ATTR_NAME = re.compile(r"[a-zA-Z_:][-a-zA-Z0-9_:.]*\Z")
_LIST_START = re.compile(r"[0-9A-Za-z +-]+\Z")
#: The characters lxml's HTML serializer writes as entities in text, and their names.
_TEXT_ENTITIES = re.compile(r"([&<>])")
_ENTITY_NAMES = MappingProxyType({"&": "amp", "<": "lt", ">": "gt"})
#: The html2text release whose ``handle_data`` is known to use ``entity_char`` only to
#: skip ``escape_md_section`` (so passing True where that function is a no-op is safe).
_ENTITY_CHAR_SKIPS_ONLY_ESCAPING = (2025, 4, 15)

#: How lxml serializes an element's end: always, never (void: content dropped too), or
#: only when the element has content (an empty ``<li>`` is written without ``</li>``).
_END_ALWAYS, _END_VOID, _END_IF_CONTENT = 0, 1, 2


#: Attribute names known to pass ``_ATTR_NAME``, and ``_simple_rule`` results by tag
#: (both capped: names are input).
_ATTR_NAMES_OK: set[str] = set()
_SIMPLE_RULES: dict[object, tuple[str, int, int]] = {}
_MAX_CACHED = 512


@lru_cache(maxsize=512)
def _replay_rule(tag: str) -> tuple[str, int] | None:
    """``(name HTMLParser reports, _END_* rule of lxml's serializer)`` for ``tag``, or
    None when the tag cannot be replayed (asked of lxml once per tag name)."""
    name = tag.lower()
    if name in _RAW_TEXT or not _TAG_NAME.match(name):
        return None
    try:
        el = html_element(tag)
        empty = tostring(el, encoding="unicode")
        el.text = "x"
        full = tostring(el, encoding="unicode")
    except ValueError:
        return None
    end = "</" + tag + ">"
    if empty.endswith(end):
        return name, _END_ALWAYS
    return name, (_END_IF_CONTENT if full.endswith(end) else _END_VOID)


class _NotSimple(Exception):
    """The tree holds an element ``_SimpleLayout`` leaves to html2text."""


#: Tags html2text's ``handle_tag`` acts on (any other tag is a no-op for it).
_H2T_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "body", "br", "code", "dd", "del", "div", "dl", "dt",
    "em", "head", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "q", "s", "script",
    "strike", "strong", "style", "sub", "sup", "table", "td", "th", "tr", "tt", "u", "ul",
})
#: html2text's ``hn(tag)`` for every tag it is not 0 for (a dict lookup costs less).
_HEADING_LEVELS = MappingProxyType({f"h{n}": hn(f"h{n}") for n in range(10) if hn(f"h{n}")})
_WHITESPACE_RUN = re.compile(r"\s+")
#: Whether ``_WHITESPACE_RUN.sub(" ", …)`` changes anything: it does where there are two
#: spaces or (this pattern) any other whitespace; tested apart, as ``"  " in`` plus a
#: pattern made of one character class scan several times faster than ``[^\S ]|  ``.
#: The class lists ``[^\S ]``'s characters (``str.isspace`` but " "): a listed class is
#: scanned faster than a negated category. Each of them is unprintable, so a printable
#: text (``str.isprintable``, checked faster than any pattern) holds none.
_NON_SPACE_WHITESPACE = re.compile(
    "[\t-\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
#: ``_SimpleLayout`` reproduces this html2text release with ``make_html2text``'s options.
_SIMPLE_OK = tuple(html2text_version[:3]) == _ENTITY_CHAR_SKIPS_ONLY_ESCAPING and all(
    _HTML2TEXT_OPTIONS[name] == value for name, value in {
        "body_width": 0, "unicode_snob": True, "escape_snob": False,
        "single_line_break": False, "pad_tables": False, "inline_links": True,
        "ul_item_mark": "-",
    }.items()
)


#: The attributes ``_SimpleLayout`` reports for an element without any (never changed).
_NO_ATTRS: Mapping[str, str | None] = MappingProxyType({})
#: How ``_SimpleLayout.handle_tag`` treats a tag, start and end alike: it only resets
#: ``last_list`` (``span`` …), it also starts a paragraph (``p``, ``div``), or anything else.
_IGNORED, _PARAGRAPH, _HANDLED = 0, 1, 2


def _simple_rule(tag: object) -> tuple[str, int, int]:
    """``_replay_rule(tag)`` plus how ``_SimpleLayout.handle_tag`` treats the tag
    (``_IGNORED`` …); cached in ``_SIMPLE_RULES``. Raises ``_NotReplayable``."""
    rule = _replay_rule(tag) if isinstance(tag, str) else None
    if rule is None:
        raise _NotReplayable
    name, end = rule
    if name == "p" or name == "div":
        kind = _PARAGRAPH
    elif name in _H2T_TAGS or _HEADING_LEVELS.get(name):
        kind = _HANDLED
    else:
        kind = _IGNORED
    if len(_SIMPLE_RULES) < _MAX_CACHED:
        _SIMPLE_RULES[tag] = (name, end, kind)
    return name, end, kind


class _SimpleLayout:
    """html2text's layout, for trees of paragraphs, divs, headings, breaks, rules,
    blockquotes, lists, ``q`` and tags it ignores (``span`` …) — the usual walked body.

    The same state machine as ``HTML2Text`` (``handle_tag``, ``handle_data``, ``o``,
    ``finish``) with ``make_html2text``'s options folded in and everything else removed:
    no links, emphasis, code, tables or abbreviations can occur, since any tag
    that would need them raises ``_NotSimple`` and the real html2text runs instead.
    With ``escape`` False, text is never passed through ``escape_md_section``
    (for ``unguarded_markdown``).
    """

    __slots__ = (
        "blockquote", "br_toggle", "escape", "last_list", "last_nl", "lists", "nonblank", "out",
        "p_p", "quote", "space", "start",
    )

    def __init__(self, escape: bool = True) -> None:
        self.escape = escape
        #: ``replay_text`` for a text that is not all whitespace (bound once, not
        #: chosen per text).
        self.nonblank = self._escaped_text if escape else self._unescaped_text
        self.out: list[str] = []
        self.p_p = 0
        self.start = True
        self.space = False
        self.last_nl = False
        self.br_toggle = ""
        self.blockquote = 0
        self.lists: list[list] = []  # html2text's ListElement: [name, number]
        self.last_list = False
        self.quote = False

    def replay(self, root: HtmlElement, with_tail: bool) -> None:
        """``_replay(self, root, with_tail)``: the same events, with the tags html2text
        ignores (``span`` …, most of a walked body) handled here, not by ``handle_tag``."""
        self._element(root)
        if with_tail and root.tail:
            self.replay_text(root.tail)

    def _element(self, el: HtmlElement) -> None:
        """``_replay``'s ``element`` for this layout."""
        tag = el.tag
        rule = _SIMPLE_RULES.get(tag)
        if rule is None:
            rule = _simple_rule(tag)
        name, end, kind = rule
        keys = el.keys()
        attrs = _replay_attrs(el, name, keys) if keys else _NO_ATTRS
        text = el.text
        size = len(el)
        if end == _END_VOID and (text or size):
            raise _NotReplayable  # lxml would drop the content
        if kind == _HANDLED:
            self.handle_tag(name, attrs, True)
        else:  # (handle_tag's whole effect, at both tags)
            if kind == _PARAGRAPH:
                self.p_p = 2
            self.last_list = False
        if end and (end == _END_VOID or (text is None and not size)):
            return  # no end tag in lxml's serialization
        if text:  # (replay_text, inlined)
            if text.isspace():
                self.space = True
            else:
                self.nonblank(text)
        if size:  # (getnext: an lxml iterator costs more to make than a few such calls)
            child: HtmlElement | None = el[0]
            while child is not None:
                self._element(child)
                text = child.tail
                if text:
                    if text.isspace():
                        self.space = True
                    else:
                        self.nonblank(text)
                child = child.getnext()
        if kind == _HANDLED:
            self.handle_tag(name, _NO_ATTRS, False)
        else:
            if kind == _PARAGRAPH:
                self.p_p = 2
            self.last_list = False

    def handle_tag(self, tag: str, attrs: Mapping[str, str | None], start: bool) -> None:
        level = _HEADING_LEVELS.get(tag)
        if level:
            self.p_p = 2
            if start:
                self.o("#" * level + " ")
                self.last_list = False
            return  # (html2text returns early at a heading's end tag)
        if tag in _H2T_TAGS:
            if tag == "p" or tag == "div":
                self.p_p = 2
            elif tag == "br":
                if start:
                    self.o("  \n> " if self.blockquote > 0 else "  \n")
            elif tag == "hr":
                if start:
                    self.p_p = 2
                    self.o("* * *")
                    self.p_p = 2
            elif tag == "blockquote":
                if start:
                    self.p_p = 2
                    self.o("> ", force=True)
                    self.start = True
                    self.blockquote += 1
                else:
                    self.blockquote -= 1
                    self.p_p = 2
            elif tag == "ul" or tag == "ol":
                lists = self.lists
                if not lists and not self.last_list:
                    self.p_p = 2
                if start:
                    # (it only reads attrs, which html2text annotates as a dict)
                    lists.append([tag, list_numbering_start(attrs)])  # type: ignore[arg-type]
                elif lists:
                    lists.pop()
                    if not lists:
                        self.o("\n")
                self.last_list = True
                return
            elif tag == "li":
                if self.p_p == 0:  # pbr()
                    self.p_p = 1
                if start:
                    lists = self.lists
                    item: list = lists[-1] if lists else ["ul", 0]  # (as self.lists holds)
                    indent, parent = "", None
                    for entry in lists:  # two spaces per list, three inside an "ol"
                        indent += "   " if parent == "ol" else "  "
                        parent = entry[0]
                    self.o(indent)
                    if item[0] == "ul":
                        self.o("- ")
                    elif item[0] == "ol":
                        item[1] += 1
                        self.o(str(item[1]) + ". ")
                    self.start = True
            elif tag == "q":
                config = html2text_config  # (HTML2Text reads these at construction)
                self.o(config.CLOSE_QUOTE if self.quote else config.OPEN_QUOTE)
                self.quote = not self.quote
            else:
                raise _NotSimple
        self.last_list = False

    def handle_entityref(self, name: str) -> None:
        try:
            ref = html_entities.html5[name + ";"]
        except KeyError:
            ref = "&" + name + ";"
        if name == "nbsp":
            ref = "&nbsp_place_holder;"
        if ref:
            self.handle_data(ref, True)

    def handle_data(self, data: str, entity_char: bool = False) -> None:
        if not data:
            return
        if not entity_char:
            data = escape_md_section(data, snob=False)
        self.o(data, puredata=True)

    def replay_text(self, value: str) -> None:
        """What ``_replay`` feeds for a (non-empty) text node, fed to ``o`` directly:
        ``&``, ``<`` and ``>`` as the entities the serializer writes (``handle_entityref``
        gives the character back, unescaped), the rest through ``escape_md_section``
        only where it can change something (this html2text release skips it for
        ``entity_char``)."""
        if value.isspace():
            self.space = True  # what o(value, puredata=True) comes to
        else:
            self.nonblank(value)

    def _escaped_text(self, value: str) -> None:
        """``replay_text`` for a text not all whitespace (with ``escape``)."""
        if "&" in value or "<" in value or ">" in value:
            for piece in _TEXT_ENTITIES.split(value):
                if piece in _ENTITY_NAMES or (piece and not _section_escapable(piece)):
                    self.data(piece)
                elif piece:
                    self.data(escape_md_section(piece, snob=False))
        elif not _section_escapable(value):
            self.data(value)
        else:
            self.data(escape_md_section(value, snob=False))

    def _unescaped_text(self, value: str) -> None:
        """``_escaped_text`` without ``escape_md_section``: the same pieces fed to ``o``."""
        if "&" in value or "<" in value or ">" in value:
            for piece in _TEXT_ENTITIES.split(value):
                if piece:
                    self.data(piece)
        else:
            self.data(value)

    def data(self, data: str) -> None:
        """``o(data, puredata=True)`` for a non-empty ``data``, with what ``o`` tests
        for ``force`` (always False here) and state it sets only to overwrite before
        reading it again (``last_nl`` before the final append) left out: one call per
        text node goes here, and ``o``'s generality cost about as much as its work."""
        if "  " in data or (not data.isprintable() and _NON_SPACE_WHITESPACE.search(data)):
            data = _WHITESPACE_RUN.sub(" ", data)
        if data[0] == " ":
            self.space = True
            data = data[1:]
            if not data:
                return
        if self.start:
            self.space = False
            self.p_p = 0
            self.start = False
        out = self.out
        if self.p_p:
            bq = ">" * self.blockquote
            if self.blockquote:
                bq += " "
            out.append((self.br_toggle + "\n" + bq) * self.p_p)
            self.space = False
            self.br_toggle = ""
            self.p_p = 0
        elif self.space:
            if not self.last_nl:
                out.append(" ")
            self.space = False
        out.append(data)
        self.last_nl = data[-1] == "\n"

    def o(self, data: str, puredata: bool = False, force: bool | str = False) -> None:
        out = self.out
        if puredata:
            if "  " in data or (not data.isprintable() and _NON_SPACE_WHITESPACE.search(data)):
                data = _WHITESPACE_RUN.sub(" ", data)
            if data and data[0] == " ":
                self.space = True
                data = data[1:]
        if not data and not force:
            return
        if self.start:
            self.space = False
            self.p_p = 0
            self.start = False
        if force == "end":
            self.p_p = 0
            out.append("\n")
            self.last_nl = True
            self.space = False
        if self.p_p:
            bq = ">" * self.blockquote
            if self.blockquote and not (force and data and data[0] == ">"):
                bq += " "
            piece = (self.br_toggle + "\n" + bq) * self.p_p
            out.append(piece)
            self.last_nl = piece[-1] == "\n"
            self.space = False
            self.br_toggle = ""
        if self.space:
            if not self.last_nl:
                out.append(" ")
                self.last_nl = False
            self.space = False
        self.p_p = 0
        out.append(data)
        if data:
            self.last_nl = data[-1] == "\n"

    def finish(self) -> str:
        if self.p_p == 0:  # pbr()
            self.p_p = 1
        self.o("", force="end")
        return "".join(self.out).replace("&nbsp_place_holder;", html_entities.html5["nbsp;"])


def _replay_attrs(el: HtmlElement, name: str, keys: list[str]) -> dict[str, str | None]:
    """The attributes ``_replay`` reports for ``el`` (named ``name``, with attribute names
    ``keys``): only an ``ol``/``ul`` ``start`` matters to html2text. Raises
    ``_NotReplayable`` for a name ``HTMLParser`` might read otherwise, and for the
    attributes of ``a``/``img``/``abbr`` (their values would have to be unescaped)."""
    for key in keys:
        if key not in _ATTR_NAMES_OK:
            if not _ATTR_NAME.match(key):
                raise _NotReplayable
            if len(_ATTR_NAMES_OK) < _MAX_CACHED:
                _ATTR_NAMES_OK.add(key)
    attrs: dict[str, str | None] = {}
    if name in _ATTR_READERS:
        start = el.get("start")
        if name in ("a", "img", "abbr") or (start is not None and not _LIST_START.match(start)):
            raise _NotReplayable
        if start is not None:
            attrs["start"] = start
    return attrs


def _replay(h2t: HTML2Text, root: HtmlElement, with_tail: bool) -> None:
    """Feed ``root`` (and its tail if asked) to ``h2t`` as ``HTMLParser`` events."""
    handle_tag, handle_entityref, handle_data = (
        h2t.handle_tag, h2t.handle_entityref, h2t.handle_data
    )
    skip_ok = tuple(html2text_version[:3]) == _ENTITY_CHAR_SKIPS_ONLY_ESCAPING
    entities, names = _TEXT_ENTITIES, _ENTITY_NAMES

    def generic_text(value: str) -> None:
        if "&" in value or "<" in value or ">" in value:
            for piece in entities.split(value):
                if piece in names:
                    handle_entityref(names[piece])
                elif piece:
                    generic_text(piece)
        elif skip_ok and not _section_escapable(value):
            handle_data(value, True)  # escape_md_section would return it unchanged
        else:
            handle_data(value)

    def element(el: HtmlElement) -> None:
        tag = el.tag
        rule = _replay_rule(tag) if isinstance(tag, str) else None
        if rule is None:
            raise _NotReplayable
        name, end = rule
        keys = el.keys()
        attrs = _replay_attrs(el, name, keys) if keys else {}
        if end:
            if end == _END_VOID:
                if el.text or len(el):
                    raise _NotReplayable  # lxml would drop the content
                handle_tag(name, attrs, True)
                return
            if el.text is None and not len(el):  # (an empty text node counts as content)
                handle_tag(name, attrs, True)
                return
        handle_tag(name, attrs, True)
        value = el.text
        if value:
            generic_text(value)
        for child in el:
            element(child)
            value = child.tail
            if value:
                generic_text(value)
        handle_tag(name, {}, False)

    element(root)
    if with_tail and root.tail:
        generic_text(root.tail)


def clean_lines(text: str) -> str:
    """Remove html2text's artefacts line by line.

    Trailing spaces go; a two-space line end followed by more text of the same block
    becomes a backslash hard break (survives editors that strip trailing spaces);
    blank lines are collapsed to one; the blank-only ``>`` lines stay as ``>``.
    Table rows (``|`` first) never get hard breaks.
    """
    out: list[str] = []
    pending_break = False
    for raw in text.split("\n"):
        if not raw:  # (what the general case comes to for an empty line, without its calls)
            pending_break = False
            if out and out[-1]:
                out.append("")
            continue
        line = raw.rstrip()
        body = line.lstrip(" >")
        if not body:
            pending_break = False
            if not out or (not line and not out[-1]) or (line and out[-1] == line):
                continue
            out.append(line)
            continue
        if pending_break and not _STRUCTURAL.match(body):
            out[-1] += "\\"
        pending_break = raw.endswith("  ") and not body.startswith("|")
        out.append(line)
    while out and not out[-1]:
        out.pop()
    cleaned = "\n".join(out)
    if cleaned[:1] != " " and "\n " not in cleaned and "* * *" not in cleaned:
        return cleaned  # (no line _dedent_lists would change: none starts with " " or is a rule)
    return "\n".join(_dedent_lists(out))


def _dedent_lists(lines: list[str]) -> list[str]:
    """Drop the two spaces html2text puts before top-level list items (and their lines).

    Also writes html2text's ``* * *`` rule as ``---``.
    """
    in_list = False
    for index, line in enumerate(lines):
        if not line:
            in_list = False
        elif line[0] == " ":
            if not in_list and (index == 0 or not lines[index - 1]):
                in_list = _TOP_ITEM.match(line) is not None
            if in_list and line.startswith("  "):
                lines[index] = line[2:]
        elif line == "* * *":
            lines[index] = "---"
    return lines
