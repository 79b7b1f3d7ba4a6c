"""Tests for wpmigrate.transforms.markup.prepare_html: JSON cases (cases/markup/*.json)
and a check over the real-world corpus (marker ``corpus``)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from wpmigrate.errors import SourceError
from wpmigrate.model import Media, Post
from wpmigrate.transforms.context import TransformContext
from wpmigrate.transforms.markup import PreparedHtml, prepare_html

CASE_DIR = Path(__file__).parent / "cases" / "markup"
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
#: Attachments the cases may refer to (``"attachments": true``), post id 7.
ATTACHMENTS = {
    1: Media(1, "http://ex.org/up/a.jpg", parent=7, alt="Alt A", caption="Cap A", title="A"),
    2: Media(2, "http://ex.org/up/b.jpg", parent=7, title="B"),
    5: Media(5, "http://ex.org/up/song.mp3", parent=7, title="Song", mime_type="audio/mpeg"),
}


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASE_DIR.glob("*.json")):
        for case in json.loads(path.read_text("utf-8")):
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return params


def _context(case: dict[str, Any]) -> TransformContext:
    return TransformContext(
        post_id=case.get("post_id", 7),
        attachments=ATTACHMENTS if case.get("attachments") else {},
        rendered=case.get("rendered", False),
    )


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict[str, Any]) -> None:
    result = prepare_html(case["input"], _context(case))
    assert result.html == case["expected"]
    assert result.unknown_shortcodes == case.get("unknown", {})
    assert list(result.warnings) == case.get("warnings", [])


@pytest.mark.parametrize(
    "code",
    ["a < b && c > d", "\tindented\ttabs  \n\n  trailing   ", "&lt; stays &amp;", "<p>x</p>\n\n"],
)
@pytest.mark.parametrize("wrap", ["<pre>{}</pre>", "<pre><code>{}</code></pre>"])
def test_pre_dom_text_is_byte_exact(code: str, wrap: str) -> None:
    escaped = code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    result = prepare_html("Intro\n\n" + wrap.format(escaped) + "\n\nOutro", TransformContext())
    pre = lxml_html.fromstring(f"<div>{result.html}</div>").find(".//pre/code")
    assert pre is not None and pre.text == code


def test_code_block_text_is_byte_exact() -> None:
    code = 'if a < b:\n\tprint("&")  \n\n'
    escaped = code.replace("&", "&amp;").replace("<", "&lt;")
    pre = f'<pre class="wp-block-code"><code>{escaped}</code></pre>'
    content = f"<!-- wp:code -->\n{pre}\n<!-- /wp:code -->"
    result = prepare_html(content, TransformContext())
    assert lxml_html.fromstring(result.html).text_content() == code


def test_result_type() -> None:
    result = prepare_html("", TransformContext())
    assert isinstance(result, PreparedHtml)
    assert result.html.strip() == "" and result.unknown_shortcodes == {} and result.warnings == ()


# --- corpus -------------------------------------------------------------------------

_KNOWN_LEFT = re.compile(
    r"(?<!\[)\[/?(caption|gallery|embed|video|audio|playlist|youtube|vimeo|code|sourcecode"
    r"|source|latex)(?:\]|\s*/\]|\s+[\w-]+\s*=|\s+https?:|=)",
    re.IGNORECASE,
)
_CODE = re.compile(r"<pre><code[^>]*>.*?</code></pre>", re.DOTALL)
#: Unknown shortcodes really present in the corpus (everything else there is prose).
EXPECTED_UNKNOWN = {
    "alienlebarge-fr/wordpress.xml": {"col": 2},
    "bitcoinfrance-fr/wordpress.xml": {"d3-source": 1},
}


def _exports() -> list[Path]:
    if not (CORPUS / "wxr").is_dir():
        return []
    return sorted((CORPUS / "wxr").rglob("*.xml"))


def _published(path: Path) -> Iterator[Post]:
    """Published items of an export (skips when the project's WXR reader is missing)."""
    wxr = pytest.importorskip("wpmigrate.sources.wxr")
    for item in wxr.WxrSource(path).iter_items():
        if isinstance(item, Post) and item.status == "publish" and item.type != "attachment":
            yield item


def _attachments(path: Path) -> dict[int, Media]:
    wxr = pytest.importorskip("wpmigrate.sources.wxr")
    return {
        item.id: Media(item.id, item.attachment_url, parent=item.parent)
        for item in wxr.WxrSource(path).iter_items()
        if isinstance(item, Post) and item.type == "attachment"
    }


def _check(post: Post, result: PreparedHtml) -> list[str]:
    """What must never be left in the normalized HTML of a post."""
    problems = []
    if "<!-- wp:" in result.html or "<!-- /wp:" in result.html:
        problems.append(f"{post.id}: block comment left")
    outside_code = _CODE.sub("", result.html)
    for match in _KNOWN_LEFT.finditer(outside_code):
        problems.append(f"{post.id}: {outside_code[match.start() : match.start() + 60]!r}")
    return problems


@pytest.mark.corpus
@pytest.mark.parametrize(
    "export", _exports() or [None], ids=lambda p: p and str(p.relative_to(CORPUS / "wxr"))
)
def test_corpus_exports(export: Path | None) -> None:
    """Every published post converts; no block comment or known shortcode survives."""
    if export is None:
        pytest.skip("corpus not present at ../shared/corpus")
    try:
        attachments = _attachments(export)
        posts = list(_published(export))
    except SourceError as error:  # malformed fixtures: the reader's concern, not ours
        pytest.skip(f"unreadable export: {error}")
    problems: list[str] = []
    unknown: Counter[str] = Counter()
    for post in posts:
        ctx = TransformContext(post_id=post.id, attachments=attachments)
        result = prepare_html(post.content, ctx)
        unknown.update(result.unknown_shortcodes)
        problems.extend(_check(post, result))
    assert problems == []
    key = str(export.relative_to(CORPUS / "wxr"))
    assert dict(unknown) == EXPECTED_UNKNOWN.get(key, {})


_SOURCE_PIECES = st.sampled_from(
    [
        "text ", "\n", "\n\n", "<p>", "</p>", "<pre>", "</pre>", "[caption]", "[/caption]",
        '<img src="x.jpg">', "[gallery]", "[[gallery]]", "[code]", "[/code]", "[latex]",
        "[/latex]", "$latex x$", "<!--more-->", "<!-- wp:paragraph -->", "<!-- /wp:paragraph -->",
        "https://youtu.be/abcdefgh", "[youtube abcdefgh]", "[foo a=1]", "[/foo]", "<div>",
        "</div>", "<br>", "&lt;", "\ufdd0", "\ue100",
    ]
)  # fmt: skip


@given(st.lists(_SOURCE_PIECES, max_size=14))
@settings(max_examples=300, deadline=None)
def test_any_markup_soup_is_handled(pieces: list[str]) -> None:
    """Never an exception, never a sentinel or block comment in the output."""
    result = prepare_html("".join(pieces), TransformContext())
    assert not re.search("[\ufdd0-\ufdef]", result.html)
    assert "<!-- wp:" not in result.html
    assert ("\ue100" in result.html) == ("\ue100" in pieces)


@pytest.mark.parametrize(
    "line",
    [
        "https://youtu.be/abcdefghhttps://youtu.be/abcdefgh\ue100",
        "https://www.youtube.com/watch?v=abc:def",
        "https://vimeo.com/123456é",
    ],
)
def test_a_url_line_that_is_not_a_provider_url_stays_text(line: str) -> None:
    """WordPress's oEmbed fails on these and shows the text; so does the converter."""
    html = prepare_html(line, TransformContext()).html
    assert "data-wpm-embed" not in html
    assert line.split("://", 1)[1] in html


def test_a_provider_url_alone_on_a_line_is_an_embed() -> None:
    html = prepare_html("Intro\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nOutro", TransformContext()).html
    assert '<div data-wpm-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ"></div>' in html
