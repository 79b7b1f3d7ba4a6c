"""Bodies converted without guards (``unguarded_markdown``, ``Walker(guarded=False)``)
give exactly what the guarded conversion gives, and every body that needs html2text
is converted again with guards."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wpmigrate.transforms import body, htmlblocks
from wpmigrate.transforms.body import BodyWalker, parse_fragment
from wpmigrate.transforms.context import TransformContext
from wpmigrate.transforms.html2text_driver import NeedsGuard
from wpmigrate.transforms.htmlblocks import Protected

STYLES = ("hugo", "html", "mdx")
CASES = sorted((Path(__file__).parent / "cases" / "markdown").glob("*.json"))
HTML_CASES = [case["html"] for path in CASES for case in json.loads(path.read_text())["cases"]]

#: Bodies that need html2text: a link kept as ``<a>`` (it holds blocks), also inside
#: a list item laid out by ``BodyWalker.list_`` (its ``fragment`` needs the guards).
NEEDS_HTML2TEXT = [
    '<p>a</p><a href="http://x.org/1.2"><p>x.y</p><ul><li>1. - b</li></ul></a>',
    '<ul><li><p>1. a</p><a href="/u"><p>b-c</p><blockquote>d</blockquote></a></li></ul>',
]

TAGS = st.sampled_from([
    "p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "h2", "br", "code", "span",
    "div", "hr", "q", "del", "sup", "abbr", "table", "tr", "td", "figure", "figcaption",
    "dl", "dt", "dd", "pre", "img", "cite",
])
ATTRS = st.sampled_from(["", ' start="3"', ' href="http://x.org/a_b-1.2"', ' src="i.png"',
                         ' class="wpm-math"', ' data-wpm-raw="1"', ' title="t.-+\\"'])
TEXT = st.text(alphabet="ab 1.+-\\*_&<>#|[]`\xa0\né😀\U000f0000\U000f0003", max_size=12)


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> str:
    """HTML fragments of any nesting of the tags above, with escape-sensitive text."""
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 3 and draw(st.booleans()):
            tag, attrs = draw(TAGS), draw(ATTRS)
            if tag in ("br", "hr", "img"):
                parts.append(f"<{tag}{attrs}>")
            else:
                parts.append(f"<{tag}{attrs}>{draw(trees(depth + 1))}</{tag}>")
        else:
            parts.append(draw(TEXT).replace("&", "&amp;").replace("<", "&lt;"))
    return "".join(parts)


def _assert_same(html_text: str, style: str) -> bool:
    """``convert_html`` equals the guarded conversion; returns whether the unguarded
    one went through (no ``NeedsGuard``)."""
    ctx = TransformContext(embed_style=style)  # type: ignore[arg-type]
    guarded = body._convert_html(html_text, ctx, guarded=True)
    assert body.convert_html(html_text, ctx) == guarded
    try:
        unguarded = body._convert_html(html_text, ctx, guarded=False)
    except NeedsGuard:
        return False
    assert unguarded == guarded
    return True


@pytest.mark.parametrize("style", STYLES)
def test_unguarded_equals_guarded_on_every_case(style: str) -> None:
    unguarded = [_assert_same(html_text, style) for html_text in HTML_CASES]
    assert sum(unguarded) >= len(HTML_CASES) // 2  # (the unguarded way is the usual)


@pytest.mark.parametrize("html_text", NEEDS_HTML2TEXT)
@pytest.mark.parametrize("style", STYLES)
def test_bodies_that_need_html2text_are_converted_with_guards(html_text: str, style: str) -> None:
    assert not _assert_same(html_text, style)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(trees(), st.sampled_from(STYLES))
@example("<p>-- 1. a</p><p>x\\</p><a href='/u'>a\\ </a>b", "hugo")  # a link's end escape
@example("<table><tr><td>1.</td></tr><tr><td>-</td></tr></table>", "mdx")
@example("<p>\U000f0000 1. \U000f0003 + &amp; &lt;b&gt; - </p>", "html")
def test_unguarded_equals_guarded_on_random_trees(html_text: str, style: str) -> None:
    _assert_same(f"<div>{html_text}</div> tail 2. -", style)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(trees(), st.sampled_from(STYLES))
def test_guarded_tree_holds_no_character_escape_md_section_acts_on(
    html_text: str, style: str
) -> None:
    """What ``unguarded_markdown`` rests on: after a guarded walk no text in the tree
    holds ``\\ . + -`` (so html2text's ``escape_md_section`` is a no-op on all of it)."""
    root = parse_fragment(f"<div>{html_text}</div>")
    if root is None:
        return
    BodyWalker(TransformContext(embed_style=style), Protected(), []).walk(root)  # type: ignore[arg-type]
    for el in root.iter():
        for text in (el.text, el.tail):
            assert re.search(r"[\\.+\-]", text or "") is None


@given(TEXT)
def test_neutralize_replaces_only_the_sentinels(text: str) -> None:
    assert htmlblocks.neutralize(text) == re.sub("[\U000f0000-\U000f0005]", "\ufffd", text)
