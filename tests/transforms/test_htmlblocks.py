"""Code fences, inline code, embeds, raw HTML serialization, tables, tokens."""

from __future__ import annotations

import html

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from wpmigrate.transforms import TransformContext, convert_html
from wpmigrate.transforms.htmlblocks import (
    Protected,
    code_fence,
    embed_markup,
    inline_code,
    serialize,
    table_rows,
    video_id,
)

MD = MarkdownIt("commonmark")
CODE_ALPHABET = st.characters(
    codec="utf-8", exclude_categories=("Cs", "Co"), exclude_characters="\r\x00\x0c"
)


def _element(source: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(source)


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.text(alphabet=st.sampled_from("ab `~<&>\t\n\\*_# ") | CODE_ALPHABET, max_size=60))
def test_code_block_round_trips_byte_exact(code: str) -> None:
    source = f'<pre><code class="language-py">{html.escape(code, quote=False)}</code></pre>'
    markdown = convert_html(source, TransformContext()).markdown
    tokens = [t for t in MD.parse(markdown) if t.type == "fence"]
    assert len(tokens) == 1, markdown
    expected = code if code.endswith("\n") or not code else code + "\n"
    assert tokens[0].content == expected
    assert tokens[0].info == "py"


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.text(alphabet="ab `*_<&\\", min_size=1, max_size=20))
def test_inline_code_round_trips(code: str) -> None:
    span = inline_code(code)
    rendered = MD.renderInline(span)
    if not code.strip(" "):
        return  # all-space code spans are kept as they are by CommonMark too
    assert html.unescape(rendered) == f"<code>{code}</code>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a", "```x\na\n```"), ("a\n", "```x\na\n```"), ("``` ````", "`````x\n``` ````\n`````")],
)
def test_code_fence(text: str, expected: str) -> None:
    assert code_fence(text, "x") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("x", "`x`"), ("a`b", "``a`b``"), ("`x`", "`` `x` ``"), (" a ", "`  a  `"), ("", "")],
)
def test_inline_code(text: str, expected: str) -> None:
    assert inline_code(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=abc_DEF-12&t=3", ("youtube", "abc_DEF-12")),
        ("https://youtu.be/abc123", ("youtube", "abc123")),
        ("https://www.youtube.com/embed/abc123?rel=0", ("youtube", "abc123")),
        ("https://vimeo.com/76979871", ("vimeo", "76979871")),
        ("https://player.vimeo.com/video/76979871", ("vimeo", "76979871")),
        ("https://twitter.com/x/status/1", ("", "")),
    ],
)
def test_video_id(url: str, expected: tuple[str, str]) -> None:
    assert video_id(url) == expected


def test_embed_markup_per_style() -> None:
    url = "https://www.youtube.com/watch?v=abc123"
    assert embed_markup(url, "hugo") == "{{< youtube abc123 >}}"
    assert 'src="https://www.youtube-nocookie.com/embed/abc123"' in embed_markup(url, "html")
    mdx = embed_markup(url, "mdx")
    assert "allowFullScreen" in mdx and 'frameBorder="0"' in mdx and 'style="' not in mdx
    assert embed_markup("https://example.org/x", "hugo") == "<https://example.org/x>"
    link = "https://example.org/x"
    assert embed_markup(link, "mdx") == f"[{link}]({link})"


def test_serialize_jsx_and_html() -> None:
    el = _element('<video controls class="c" style="x" autoplay><source src="a.mp4"></video>')
    assert serialize(el, False) == '<video controls class="c" autoplay><source src="a.mp4"></video>'
    jsx = '<video controls className="c" autoPlay><source src="a.mp4" /></video>'
    assert serialize(el, True) == jsx


def test_table_rows_rejects_spans_and_blocks() -> None:
    assert table_rows(_element("<table><tr><td>a</td><td>b</td></tr></table>")) is not None
    assert table_rows(_element('<table><tr><td colspan="2">a</td></tr></table>')) is None
    assert table_rows(_element("<table><tr><td><p>a</p><p>b</p></td></tr></table>")) is None
    ragged = "<table><tr><td>a</td></tr><tr><td>1</td><td>2</td></tr></table>"
    assert table_rows(_element(ragged)) is None


def test_protected_block_takes_the_line_prefix() -> None:
    store = Protected()
    token = store.token("```\nx\n\ny\n```", block=True)
    assert store.expand(f"> - {token}") == "> - ```\n>   x\n>\n>   y\n>   ```"
    inline = store.token("`a`", block=False)
    assert store.expand(f"see {inline} here") == "see `a` here"


def test_media_is_never_dropped_and_iframe_src_is_unchanged() -> None:
    ctx = TransformContext(rewrite_url=lambda url, kind: "/new" + url if kind == "media" else url)
    source = (
        '<iframe src="/embed/x"></iframe><video src="/v.mp4"></video><audio src="/a.mp3"></audio>'
    )
    markdown = convert_html(source, ctx).markdown
    assert '<iframe src="/embed/x"></iframe>' in markdown
    assert '<video src="/new/v.mp4"></video>' in markdown
    assert '<audio src="/new/a.mp3"></audio>' in markdown
