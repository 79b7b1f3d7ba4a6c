"""convert_body end to end: WordPress markup in, Markdown and references out.

The corpus test runs every published post and page of the shared WXR exports through
all three embed styles (skipped when ../shared/corpus is absent).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from markdown_it import MarkdownIt

from wpmigrate.model import Post
from wpmigrate.transforms import BodyResult, TransformContext, convert_body
from wpmigrate.transforms.markup import prepare_html

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
WORD = re.compile(r"\w+")
EXPORTS = (
    "wptt-theme-unit-test/themeunittestdata.wordpress.xml",
    "alienlebarge-fr/wordpress.xml",
    "bitcoinfrance-fr/wordpress.xml",
    "cc-labs/wordpress.xml",
    "dmacvicar/wordpress.xml",
    "sdcom-blog-zh/export.xml",
    "shell32-natsu/wordpress.xml",
)


def test_classic_body_with_shortcodes_and_more() -> None:
    content = (
        "Intro with snake_case and a * star.\n\n<!--more-->\n\n"
        '[caption id="a" width="300"]<a href="/wp-content/uploads/big.jpg">'
        '<img src="/wp-content/uploads/small.jpg" alt="Alt" /></a> The caption[/caption]\n\n'
        "[code lang=\"python\"]x = 1 < 2[/code]\n\n"
        "https://www.youtube.com/watch?v=abc123\n\n[unknown_plugin id=\"3\"]"
    )
    ctx = TransformContext(embed_style="hugo", summary_marker="<!--more-->")
    result = convert_body(content, ctx)
    assert isinstance(result, BodyResult)
    assert result.markdown.startswith("Intro with snake_case and a * star.\n\n<!--more-->\n\n")
    assert "[![Alt](/wp-content/uploads/small.jpg)](/wp-content/uploads/big.jpg)" in result.markdown
    assert "*The caption*" in result.markdown
    assert "```python\nx = 1 < 2\n```" in result.markdown
    assert "{{< youtube abc123 >}}" in result.markdown
    assert result.media == ("/wp-content/uploads/big.jpg", "/wp-content/uploads/small.jpg")
    assert result.unknown_shortcodes == {"unknown_plugin": 1}
    assert result.markdown.endswith("\n") and not result.markdown.endswith("\n\n")


def test_rendered_html_from_a_mirror_is_not_re_autop_ed() -> None:
    content = '<p>One<br />\nTwo</p>\n<pre class="wp-block-code"><code>a\n\nb</code></pre>'
    result = convert_body(content, TransformContext(rendered=True))
    assert result.markdown == "One\\\nTwo\n\n```\na\n\nb\n```\n"


def test_links_are_rewritten_and_reported() -> None:
    ctx = TransformContext(rewrite_url=lambda url, kind: "/new/" if kind == "link" else url)
    result = convert_body('<p><a href="https://old.example/2020/01/x/">x</a></p>', ctx)
    assert result.markdown == "[x](/new/)\n"
    assert result.links == ("https://old.example/2020/01/x/",)


def _words(source: str) -> Counter[str]:
    if not source.strip():
        return Counter()
    root = lxml.html.fragment_fromstring(source, create_parent="div")
    for node in root.xpath("//script|//style"):
        node.drop_tree()
    for node in root.iter():
        node.tail = " " + (node.tail or "")
    return Counter(WORD.findall(root.text_content()))


@pytest.mark.corpus
@pytest.mark.parametrize("export", EXPORTS)
def test_corpus_exports_convert(corpus: Path, export: str) -> None:
    from wpmigrate.sources.wxr import WxrSource

    path = corpus / "wxr" / export
    if not path.is_file():
        pytest.skip(f"{export} not in the corpus")
    posts = [
        item for item in WxrSource(path).iter_items()
        if isinstance(item, Post) and item.status == "publish" and item.type in ("post", "page")
    ]
    assert posts
    total = missing = 0
    for style in ("hugo", "html", "mdx"):
        ctx = TransformContext(embed_style=style)  # type: ignore[arg-type]
        for post in posts:
            result = convert_body(post.content, ctx)
            assert result.markdown == "" or result.markdown.endswith("\n")
            assert "\U000f0000" not in result.markdown
            if style == "html":
                source = _words(prepare_html(post.content, ctx).html)
                got = _words(MD.render(result.markdown))
                total += sum(source.values())
                missing += sum((source - got).values())
    assert 1 - missing / max(total, 1) >= 0.995
