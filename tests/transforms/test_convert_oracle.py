"""``convert_html`` gives exactly what it gave at commit 418a1e5, before the layout, text
and clean-up shortcuts: the modules of that commit are kept verbatim under
``oracles/convert_418a1e5`` and run side by side with the current ones, on generated
bodies and on every body of the shared corpus (marker ``corpus``)."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.transforms.oracles.convert_418a1e5 import body as OLD_BODY
from tests.transforms.oracles.convert_418a1e5 import html2text_driver as OLD_DRIVER
from tests.transforms.oracles.convert_418a1e5 import htmlblocks as OLD_BLOCKS
from wpmigrate.model import Post
from wpmigrate.transforms import body, html2text_driver, htmlblocks
from wpmigrate.transforms.context import TransformContext, UrlKind
from wpmigrate.transforms.markup import prepare_html

STYLES = ("hugo", "html", "mdx")




def _rewrite(url: str, kind: UrlKind) -> str:
    """A site's URL lookup: its own URLs move, others stay."""
    if url.startswith(("/", "http://old.example")):
        return ("/media/" if kind == "media" else "/new/") + url.rsplit("/", 1)[-1]
    return url


def _ctx(style: str) -> TransformContext:
    return TransformContext(embed_style=style, rewrite_url=_rewrite)  # type: ignore[arg-type]


def _assert_same(html_text: str, style: str) -> None:
    """The current and the oracle ``convert_html`` agree (also forced into guard mode)."""
    ctx = _ctx(style)
    new, old = body.convert_html(html_text, ctx), OLD_BODY.convert_html(html_text, ctx)
    assert astuple(new) == astuple(old)
    new = body._convert_html(html_text, ctx, guarded=True)
    assert astuple(new) == astuple(OLD_BODY._convert_html(html_text, ctx, guarded=True))


# ---------------------------------------------------------------- generated bodies

BLOCKS = ["p", "div", "blockquote", "h2", "h6", "ul", "ol", "li", "pre", "table", "tr", "td",
          "th", "figure", "figcaption", "dl", "dt", "dd", "section"]
INLINE = ["em", "strong", "b", "i", "del", "code", "span", "a", "q", "sup", "abbr", "cite",
          "u", "kbd"]
ATTRS = st.sampled_from([
    "", ' start="3"', ' start="x"', ' class="wpm-math"', ' data-wpm-raw="1"', ' title="t.-+\\"',
    ' href="http://old.example/a_b-1.2"', ' href="/p/x y(1)"', ' href="https://e.org/<a>"',
    ' href="#top"', ' href="mailto:a@b.c"', ' href=" /wp-content/uploads/f.pdf "', " href=''",
    ' href="https://e.org/(a"', ' href="https://e.org/é?x=1&amp;y=2"', ' data-x="1"',
])
TEXT = st.text(
    alphabet="ab 19.+-\\*_&<>#|[]`!~{}$%:=\t\n\xa0\u2003é😀\U000f0000\U000f0003", max_size=14
).map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;"))
LEAVES = st.sampled_from([
    "<br>", "<hr>", '<img src="/wp-content/uploads/i.png" alt="a*b">', "<img src=''>",
    '<img src="https://e.org/i (1).png" title="T">', "<!--more-->", "<!--nextpage-->",
    "<!-- c -->", "&amp;lt;", "&nbsp;", "  ", "\n", "&#42;", "1. ", "- ", "# ", "> ", "| ",
    '<iframe src="https://www.youtube.com/embed/abc"></iframe>', '<script src="g.js"></script>',
    '<div data-wpm-embed="https://vimeo.com/1"></div>', "<pre>x = 1 &lt; 2\n  y</pre>",
    '<span class="wpm-math">x^2</span>', "<code>a|b</code>",
])


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> str:
    """Bodies of any nesting of block and inline elements, with escape-sensitive text."""
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        choice = draw(st.integers(0, 3)) if depth < 4 else 0
        if choice == 0:
            parts.append(draw(TEXT))
        elif choice == 1:
            parts.append(draw(LEAVES))
        else:
            tag = draw(st.sampled_from(BLOCKS if choice == 2 else INLINE))
            parts.append(f"<{tag}{draw(ATTRS)}>{draw(trees(depth + 1))}</{tag}>")
    return "".join(parts)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees(), st.sampled_from(STYLES))
@example("<ul><li>a<ul><li>b  c</li><li><p>d</p><p>e</p></li></ul></li></ul>", "html")
@example("<table><tr><th>a|b</th></tr><tr><td><em>x</em> y</td></tr></table>", "mdx")
@example("<p>a<em> b </em>c<br>\n1. d\t e&amp;  f</p><blockquote><p>q</p>g</blockquote>", "hugo")
@example('<p><a href="/x"><p>card</p><div>text</div></a> - * * *</p>', "html")
def test_convert_html_is_the_418a1e5_code(html_text: str, style: str) -> None:
    _assert_same(html_text, style)


@pytest.mark.corpus
def test_every_corpus_body_converts_as_at_418a1e5(corpus: Path) -> None:
    from wpmigrate.sources.wxr import WxrSource

    exports = sorted((corpus / "wxr").glob("*/*.xml"))
    assert exports
    count = 0
    for path in exports:
        for item in WxrSource(path).iter_items():
            if not isinstance(item, Post) or not item.content:
                continue
            for style in STYLES:
                _assert_same(prepare_html(item.content, _ctx(style)).html, style)
                count += 1
    assert count > 1000


# ---------------------------------------------------------------- the pieces

STATE = st.fixed_dictionaries({
    "p_p": st.integers(0, 2), "start": st.booleans(), "space": st.booleans(),
    "last_nl": st.booleans(), "br_toggle": st.sampled_from(["", "  "]),
    "blockquote": st.integers(0, 2),
})
DATA = st.text(alphabet="ab> \t\n\r\x1f\x85\xa0\u2003\u3000&", min_size=1, max_size=10)


def _layout(state: dict[str, object]) -> html2text_driver._SimpleLayout:
    layout = html2text_driver._SimpleLayout(escape=False)
    layout.out.append("x")
    for name, value in state.items():
        setattr(layout, name, value)
    return layout


def _state(layout: html2text_driver._SimpleLayout) -> tuple[object, ...]:
    return tuple(getattr(layout, name) for name in layout.__slots__ if name != "nonblank")


@settings(max_examples=2000)
@given(STATE, st.lists(DATA, min_size=1, max_size=3))
def test_data_is_o_with_puredata(state: dict[str, object], pieces: list[str]) -> None:
    direct, general = _layout(state), _layout(state)
    for piece in pieces:
        direct.data(piece)
        general.o(piece, puredata=True)
    assert _state(direct) == _state(general)
    assert direct.finish() == general.finish()


def test_printable_text_holds_no_whitespace_but_space() -> None:
    """``_SimpleLayout.data`` skips the whitespace pattern for a printable text."""
    chars = "".join(map(chr, range(0x110000)))
    printable = "".join(c for c in chars if c.isprintable())
    assert html2text_driver._NON_SPACE_WHITESPACE.search(printable) is None


@settings(max_examples=2000)
@given(st.text(alphabet="ab \U000f0000\U000f0005\ufffd.é", max_size=8))
def test_neutralize_is_the_418a1e5_code(text: str) -> None:
    assert htmlblocks.neutralize(text) == OLD_BLOCKS.neutralize(text)


LINES = st.lists(st.sampled_from([
    "", " ", "  ", "a", "a  ", "  - a", "  1. b", "    c", "> q", ">", "> ", "* * *", " * * *",
    "| t |", "## h", "x\\", "\t", "  -", "-", " >",
]), max_size=10).map("\n".join)


@settings(max_examples=3000)
@given(LINES)
@example("  - a\n* * *")
def test_clean_lines_is_the_418a1e5_code(text: str) -> None:
    assert html2text_driver.clean_lines(text) == OLD_DRIVER.clean_lines(text)
