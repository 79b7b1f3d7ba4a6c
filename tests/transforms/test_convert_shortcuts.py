"""More shortcuts of the HTML → Markdown half, each checked against the plain code it
stands for on generated input (see also ``test_convert_fastpaths.py``)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml.html import HtmlElement

from wpmigrate.transforms import html2text_driver as driver
from wpmigrate.transforms import htmlblocks, links, markdown
from wpmigrate.transforms.body import BodyWalker, _moved_into_wrapper, parse_fragment
from wpmigrate.transforms.context import TransformContext
from wpmigrate.transforms.htmlblocks import Protected, text_content
from wpmigrate.transforms.markdown import _descendants

#: Pieces of a body's HTML.
BODY_PIECES = [
    "<p>", "</p>", "<em>x</em>", "<a href='u'><img src='i'></a>", "<!-- c -->", "<br>",
    "<li>", "<ul>", "</ul>", "<b><i>y</i></b>", "<span></span>", "t", " ", "\n", "&amp;",
    "<", "<table><tr><td>c",
]
#: And document-level ones (body, html, head, doctype) too.
HTML = st.lists(st.sampled_from([
    *BODY_PIECES, "<body class='b'>", "</body>", "<html>", "</html>", "<head>", "<meta>",
    "<title>t</title>", "<!doctype html>", "<frameset>",
]), max_size=10).map("".join)
BODY = st.lists(st.sampled_from(BODY_PIECES), max_size=10).map("".join)


def _state(root: HtmlElement | None) -> object:
    if root is None:
        return None
    tree = [(el.tag, el.text, el.tail, dict(el.attrib)) for el in root.iter()]
    return etree.tostring(root, encoding="unicode"), root.tail, tree


@settings(max_examples=500)
@given(HTML)
def test_parse_fragment_is_the_moved_elements(html_text: str) -> None:
    try:
        expected = _state(_moved_into_wrapper(html_text) if html_text.strip() else None)
    except AssertionError:  # (lxml.html's own checks; parse_fragment must fail alike)
        with pytest.raises(AssertionError):
            parse_fragment(html_text)
        return
    assert _state(parse_fragment(html_text)) == expected


@given(BODY)
def test_descendants_and_text_content_are_lxmls(html_text: str) -> None:
    root = parse_fragment(f"<div>{html_text}</div>")
    assert root is not None
    for el in root.iter():
        if isinstance(el.tag, str):
            assert _descendants(el) == list(el.iterdescendants())
            assert text_content(el) == el.text_content()


IMG_ATTRS = st.dictionaries(
    st.sampled_from(["src", "srcset", "sizes", "data-src", "data-lazy-src", "data-srcset",
                     "data-lazy-srcset", "data-original", "data-orig-file", "alt", "class"]),
    st.sampled_from(["", " ", "a.jpg", " b.png 2x, c.png 300w", "data:x", "d.gif 10w"]),
    max_size=5,
)


def _rewrite_img_reference(el: HtmlElement, ctx: TransformContext, found: links.FoundUrls) -> None:
    """``_rewrite_img`` as it was before the common case skipped the lazy-load checks."""
    src = (el.get("src") or "").strip()
    if not src or src.startswith("data:"):
        src = next((el.get(a, "").strip() for a in links._LAZY_SRC if el.get(a, "").strip()),
                   src)
    srcset = el.get("srcset") or next((el.get(a, "") for a in links._LAZY_SRCSET if el.get(a)),
                                      "")
    largest = links.largest_candidate(srcset) if srcset else ""
    if largest:
        src = largest
    dropped = links._IMG_DROPPED.intersection(el.keys())
    for name in dropped:
        del el.attrib[name]
    if not src:
        return
    found.media[src] = None
    el.set("src", ctx.rewrite_url(src, "media"))


@given(IMG_ATTRS, st.sampled_from(["", " ", "#x", " mailto:a ", "http://h/a.jpg", "/p"]))
def test_url_rewriting_is_the_plain_code(attrs: dict[str, str], href: str) -> None:
    ctx = TransformContext(rewrite_url=lambda url, kind: f"[{kind}:{url}]")
    trees, found = [], []
    for rewrite in (links._rewrite_img, _rewrite_img_reference):
        root = parse_fragment(f'<a href="{href}"><img></a>')
        assert root is not None
        for name, value in attrs.items():
            root[0][0].set(name, value)
        urls = links.FoundUrls()
        links._rewrite_href(root[0], ctx, urls)
        rewrite(root[0][0], ctx, urls)
        trees.append(_state(root))
        found.append((list(urls.media), list(urls.links)))
    assert trees[0] == trees[1]
    assert found[0] == found[1]


TAGS = st.sampled_from(["p", "em", "ul", "ol", "li", "blockquote", "h2", "br", "span", "div",
                        "hr", "q", "sup", "cite", "dl", "x-y", "script"])


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(TAGS)
            attrs = draw(st.sampled_from(["", ' start="3"', ' start="x!"', ' class="c"']))
            parts.append(f"<{tag}{attrs}>{draw(trees(depth + 1))}</{tag}>")
        else:
            parts.append(draw(st.sampled_from(["", " ", "a  b", "\n", "&amp;", "1.", "x"])))
    return "".join(parts)


def _laid_out(feed: Callable[..., None], root: HtmlElement, with_tail: bool) -> object:
    layout = driver._SimpleLayout()
    try:
        feed(layout, root, with_tail)
    except (driver._NotSimple, driver._NotReplayable) as error:
        return type(error)
    return layout.finish()


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(trees(), st.booleans())
@example("<span><ul><li>a</li></ul></span><ul><li>b</li></ul>", False)  # an ignored end tag
@example("<ol><li>a</li></ol><cite></cite><ol start='2'><li>b</li></ol>", True)
@example("<li></li><li> </li><hr>x<br></br><p></p>", False)  # ends lxml writes or not
def test_simple_replay_is_the_generic_replay(html_text: str, walked: bool) -> None:
    root = parse_fragment(f"<div>{html_text}</div>")
    assert root is not None
    if walked:
        BodyWalker(TransformContext(), Protected(), []).walk(root)
    root.tail = "tail"
    for with_tail in (False, True):
        generic = _laid_out(driver._replay, root, with_tail)
        assert _laid_out(driver._SimpleLayout.replay, root, with_tail) == generic


def test_non_space_whitespace_is_every_whitespace_but_space() -> None:
    chars = "".join(map(chr, range(0x110000)))
    listed = {m.group() for m in driver._NON_SPACE_WHITESPACE.finditer(chars)}
    assert listed == {c for c in chars if c.isspace() and c != " "}
    assert listed == {m.group() for m in re.finditer(r"[^\S ]", chars)}


class _PlainInlineWalker(BodyWalker):
    """The inline handlers as they were before ``_walk_inline``: walk, then rewrite the
    element's text and its last text (read and written again)."""

    def _emphasis(self, el: HtmlElement, marker: str) -> None:
        text = el.text or ""
        content = el.text_content() if len(el) else text
        el.tag = "span"
        if not content.strip():
            self.walk(el)
            return
        lead, trail = content[0].isspace(), content[-1].isspace()
        end_text = (el[-1].tail or "") if len(el) else text
        movable = (not lead or text[:1].isspace()) and (not trail or end_text[-1:].isspace())
        first, last = markdown._markdown_edges(el, content.strip())
        before = " " if lead else self.prev
        after = " " if trail else (htmlblocks.following_char(el) or " ")
        if movable and htmlblocks.emphasis_flanks(before, first, last, after):
            if lead:
                el.text = text.lstrip()
            if trail:
                htmlblocks.set_last_text(el, htmlblocks.last_text(el).rstrip())
            opener, closer = (" " if lead else "") + marker, marker + (" " if trail else "")
        else:
            name = markdown._HTML_EMPHASIS[marker]
            opener, closer = f"<{name}>", f"</{name}>"
        opener = self._mark(opener, opener[-1])
        self.walk(el)
        el.text = opener + (el.text or "")
        htmlblocks.set_last_text(el, htmlblocks.last_text(el) + self._mark(closer, closer[-1]))

    def _raw_inline(self, el: HtmlElement, tag: str) -> None:
        title = el.get("title") if tag == "abbr" else None
        attr = f' title="{html.escape(title, quote=True)}"' if title else ""
        opener = self._mark(f"<{tag}{attr}>", ">")
        el.tag = "span"
        self.walk(el)
        el.text = opener + (el.text or "")
        htmlblocks.set_last_text(el, htmlblocks.last_text(el) + self._mark(f"</{tag}>", ">"))

    def _walk_inline(self, el: HtmlElement, opener: str) -> str:  # (for _link)
        self.walk(el)
        el.text = opener + (el.text or "")
        return htmlblocks.last_text(el)


INLINE = st.lists(st.sampled_from([
    "<em>", "</em>", "<strong>", "</strong>", "<a href='/u'>", "</a>", "<sup>", "</sup>",
    "<abbr title='t&amp;\"'>", "</abbr>",
    "<code>c</code>", "<img src='i' alt='a'>", "<br>", " ", "  x ", "*", "1. ", "a_b", "\\",
    "-", "+", "&lt;", "[x]", "<!-- c -->", "é", "\U000f0003",
]), max_size=12).map("".join)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(INLINE, st.sampled_from(["p", "li", "h2", "div"]), st.sampled_from(["hugo", "mdx"]))
def test_inline_handlers_are_the_plain_ones(html_text: str, block: str, style: str) -> None:
    results = []
    for walker in (BodyWalker, _PlainInlineWalker):
        root = parse_fragment(f"<{block}>{html_text}</{block}> tail *x*")
        assert root is not None
        store, warnings = Protected(), []
        walked = walker(TransformContext(embed_style=style), store, warnings)  # type: ignore[arg-type]
        walked.walk(root)
        results.append((_state(root), store.texts, warnings, walked.line_start, walked.prev))
    assert results[0] == results[1]


#: Characters of every string kind: ASCII, Latin-1, BMP and astral (the sentinels too).
WIDE_TEXT = st.text(alphabet="ab .+-\\*\xa0é’\u2003😀\U000f0000\U000f0003\U000f0005", max_size=12)


@settings(max_examples=1000)
@given(WIDE_TEXT)
def test_sentinel_and_plain_text_checks_are_the_patterns(text: str) -> None:
    assert htmlblocks.has_sentinel(text) == (re.search("[\U000f0000-\U000f0005]", text) is not None)
    risky = markdown._PLAIN_TEXT_RISK.search(text) is not None or htmlblocks.has_sentinel(text)
    assert risky == (
        re.search(r"[\\`*_\[\]<&~|$%{}!#.+\-\U000f0000-\U000f0005]", text) is not None
    )
    plain = text if re.search("[\\\\.+\\-\U000f0000-\U000f0005]", text) is None else (
        re.sub("[\U000f0000-\U000f0005]", "\ufffd", text).replace("\\", htmlblocks.ESC)
        .replace(".", htmlblocks.G_DOT).replace("+", htmlblocks.G_PLUS)
        .replace("-", htmlblocks.G_DASH)
    )
    assert htmlblocks.guard(text) == plain
