"""The shortcuts of the HTML → Markdown half keep the results exactly.

Each is checked against the straightforward code it stands for, on generated input.
"""

from __future__ import annotations

import re

from html2text.utils import hn
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from wpmigrate.transforms import html2text_driver as driver
from wpmigrate.transforms import htmlblocks
from wpmigrate.transforms.body import _Appender, parse_fragment
from wpmigrate.transforms.htmlblocks import (
    ESC,
    G_DASH,
    G_DOT,
    G_PLUS,
    append_content,
    guard,
    last_text,
    set_last_text,
    text_content,
)

TEXT = st.text(alphabet="ab .+-\\\t\n\xa0\u2003&<>\U000f0000\U000f0003é", max_size=12)
MARKUP = st.lists(st.sampled_from(["<em>", "</em>", "<b>x</b>", "<!-- c -->", "&amp;", "t",
                                   " ", "\n", "<br>", "<span> </span>"]),
                  max_size=8).map("".join)  # fmt: skip


@given(MARKUP)
def test_text_content_without_children_is_the_text(html_text: str) -> None:
    root = parse_fragment(f"<p>{html_text}</p>")
    assert root is not None
    for el in root.iter():
        if isinstance(el.tag, str):
            assert text_content(el) == el.text_content()


def _guard_reference(text: str) -> str:
    if re.search("[\\\\.+\\-\U000f0000-\U000f0005]", text) is None:
        return text
    text = re.sub("[\U000f0000-\U000f0005]", "\ufffd", text)
    return text.replace("\\", ESC).replace(".", G_DOT).replace("+", G_PLUS).replace("-", G_DASH)


@given(TEXT)
def test_guard_is_the_plain_replacement(text: str) -> None:
    assert guard(text) == _guard_reference(text)


OPERATIONS = st.lists(st.one_of(st.sampled_from(["", "|", " ", " |", "a\n"]),
                                st.sampled_from(["<br>", "<code>c</code>", "<i>x</i>y"])),
                      max_size=10)  # fmt: skip


@given(OPERATIONS)
def test_appender_builds_the_tree_of_direct_appends(operations: list[str]) -> None:
    direct, buffered = parse_fragment("<p></p>"), parse_fragment("<p></p>")
    assert direct is not None and buffered is not None
    out = _Appender(buffered[0])
    for operation in operations:
        if operation.startswith("<"):
            for target, add in ((direct[0], None), (buffered[0], out)):
                src = parse_fragment(f"<div>{operation}</div>")
                assert src is not None
                if add is None:
                    append_content(target, src[0])
                else:
                    add.content(src[0])
        else:
            set_last_text(direct[0], last_text(direct[0]) + operation)
            out.text(operation)
    out.flush()
    assert htmlblocks.serialize(direct, False) == htmlblocks.serialize(buffered, False)
    assert _texts(direct) == _texts(buffered)


def _texts(root: HtmlElement) -> list[tuple[str | None, str | None]]:
    return [(el.text, el.tail) for el in root.iter()]


def test_heading_levels_are_html2texts() -> None:
    names = ["h", "h0", "h1", "h6", "h7", "h9", "hr", "h10", "p", "th", "head", "hx"]
    for name in names:
        assert driver._HEADING_LEVELS.get(name, 0) == hn(name)


@settings(max_examples=1000)
@given(TEXT)
def test_text_checks_are_the_patterns(text: str) -> None:
    irregular = re.search(r"[^\S ]|  ", text) is not None
    assert bool("  " in text or driver._NON_SPACE_WHITESPACE.search(text)) == irregular
    assert driver._section_escapable(text) == (re.search(r"[\\.+-]", text) is not None)


@settings(max_examples=1000)
@given(st.lists(TEXT.filter(bool), min_size=1, max_size=4))
def test_replay_text_is_the_generic_events(values: list[str]) -> None:
    # ``generic`` gets the events _replay feeds html2text (entities, then data)
    direct, generic = driver._SimpleLayout(), driver._SimpleLayout()
    for value in values:
        direct.replay_text(value)
        for piece in driver._TEXT_ENTITIES.split(value):
            if piece in driver._ENTITY_NAMES:
                generic.handle_entityref(driver._ENTITY_NAMES[piece])
            elif piece:
                generic.handle_data(piece, not driver._section_escapable(piece))
    assert direct.finish() == generic.finish()
