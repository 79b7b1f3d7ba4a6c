"""Normalized HTML → Markdown: the JSON case files, escaping rules and properties.

Every case file under ``cases/markdown/`` maps input HTML to the exact Markdown for each
embed style. The properties check the escaping promise with markdown-it-py: plain text
(and text mixed with inline markup) renders back to exactly the text it came from.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from wpmigrate.transforms import TransformContext, convert_html
from wpmigrate.transforms.html2text_driver import clean_lines, make_html2text
from wpmigrate.transforms.markdown import AFTER_BREAK, BLOCK_START, escape_text

CASES_DIR = Path(__file__).parent / "cases" / "markdown"
STYLES = ("hugo", "html", "mdx")
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
#: Letters, digits and every character Markdown gives a meaning to.
ALPHABET = "ab1 9*_#[]()<>&\\`!.-+~|$:=%{}“」é中"


def _cases() -> list[pytest.param]:
    params = []
    for path in sorted(CASES_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            for style in STYLES:
                expected = case.get("expected", case.get("expected_by_style", {}).get(style))
                params.append(
                    pytest.param(
                        case["html"], style, expected, id=f"{path.stem}-{case['name']}-{style}"
                    )
                )
    return params


@pytest.mark.parametrize(("source", "style", "expected"), _cases())
def test_case_files(source: str, style: str, expected: str) -> None:
    result = convert_html(source, TransformContext(embed_style=style))  # type: ignore[arg-type]
    assert result.markdown == expected


def _rendered_text(markdown: str) -> str:
    rendered = MD.render(markdown)
    if not rendered.strip():
        return ""
    root = lxml.html.fragment_fromstring(rendered, create_parent="div")
    for br in root.iter("br"):
        br.tail = " " + (br.tail or "")
    return root.text_content()


def _source_text(source: str) -> str:
    root = lxml.html.fragment_fromstring(source, create_parent="div")
    for br in root.iter("br"):
        br.tail = " " + (br.tail or "")
    return root.text_content()


def _norm(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=400, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.text(alphabet=ALPHABET + "\n\t", min_size=1, max_size=40), st.sampled_from(STYLES))
def test_plain_text_paragraph_renders_back_to_itself(text: str, style: str) -> None:
    ctx = TransformContext(embed_style=style)  # type: ignore[arg-type]
    markdown = convert_html(f"<p>{html.escape(text)}</p>", ctx).markdown
    assert _norm(_rendered_text(markdown)) == _norm(text), markdown


_TEXT = st.text(alphabet=ALPHABET, max_size=12).map(html.escape)


def _wrapped(tag: str) -> st.SearchStrategy[str]:
    return _TEXT.map(lambda t: f"<{tag}>{t}</{tag}>")


_SEGMENT = st.one_of(
    _TEXT, _wrapped("em"), _wrapped("strong"), _wrapped("del"), _wrapped("sup"),
    st.just("<br>"), _TEXT.map(lambda t: f'<a href="http://x.org/a_b">{t}</a>'),
)
_CONTAINERS = {
    "p": "<p>{}</p>", "li": "<ul><li>{}</li></ul>", "blockquote": "<blockquote>{}</blockquote>",
    "td": "<table><tr><td>{}</td></tr></table>", "h2": "<h2>{}</h2>",
}


@settings(max_examples=400, suppress_health_check=list(HealthCheck), deadline=None)
@given(
    st.lists(_SEGMENT, min_size=1, max_size=6),
    st.sampled_from(sorted(_CONTAINERS)),
    st.sampled_from(STYLES),
)
def test_inline_markup_keeps_the_text(segments: list[str], container: str, style: str) -> None:
    """Escapes are CommonMark's, so markdown-it checks MDX and Hugo output too."""
    source = _CONTAINERS[container].format("".join(segments))
    markdown = convert_html(source, TransformContext(embed_style=style)).markdown  # type: ignore[arg-type]
    expected = _source_text(source.replace("<br>", " ") if container == "h2" else source)
    assert _norm(_rendered_text(markdown)) == _norm(expected), markdown


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        ("snake_case_name", {}, "snake_case_name"),
        ("http://x.org/a_b_c", {}, "http://x.org/a_b_c"),
        ("2 * 3", {}, "2 * 3"),
        ("*a*", {}, "\\*a\\*"),
        ("1986. A", {"line_start": BLOCK_START}, "1986\\. A"),
        ("1986. A", {"line_start": AFTER_BREAK}, "1986. A"),
        ("1. A", {"line_start": AFTER_BREAK}, "1\\. A"),
        ("1986. A", {}, "1986. A"),
        ("# x", {"line_start": BLOCK_START}, "\\# x"),
        ("#tag", {"line_start": BLOCK_START}, "#tag"),
        ("---", {"line_start": AFTER_BREAK}, "\\---"),
        ("<b> & &amp; a < b", {}, "\\<b> & \\&amp; a < b"),
        ("a < b {x}", {"mdx": True}, "a \\< b \\{x\\}"),
        ("{{< x >}} {{% y %}}", {"hugo": True}, "{{\\< x >}} {{\\% y %}}"),
        ("[x]", {"link": True}, "\\[x\\]"),
        ("a|b", {"cell": True}, "a\\|b"),
        ("Title #", {"heading": True}, "Title \\#"),
        ("C#", {"heading": True}, "C#"),
        ("\\d and \\*", {}, "\\d and \\\\\\*"),
    ],
)
def test_escape_text(text: str, kwargs: dict[str, object], expected: str) -> None:
    assert escape_text(text, **kwargs) == expected  # type: ignore[arg-type]


def test_html2text_instance_never_wraps_and_keeps_unicode() -> None:
    converter = make_html2text()
    assert converter.body_width == 0
    assert converter.unicode_snob is True
    long_url = "https://example.org/" + "a_" * 80
    out = converter.handle(f'<p>é <a href="{long_url}">x</a> ' + "word " * 60 + "</p>")
    assert long_url in out
    assert out.count("\n") <= 2


def test_clean_lines_turns_trailing_spaces_into_backslash_breaks() -> None:
    assert clean_lines("a  \nb  \n\n\n\nc   \n") == "a\\\nb\n\nc"


def test_clean_lines_keeps_table_rows_and_list_items_free_of_breaks() -> None:
    assert clean_lines("| a |  \n| --- |  \n") == "| a |\n| --- |"
    assert clean_lines("  - a  \n  - b\n") == "- a\n- b"


def test_output_ends_with_exactly_one_newline_and_is_deterministic() -> None:
    source = "<p>a</p><pre>code\n\n\n</pre><p>b</p>"
    first = convert_html(source, TransformContext()).markdown
    assert first.endswith("b\n") and not first.endswith("\n\n")
    assert convert_html(source, TransformContext()).markdown == first


def test_empty_body_gives_empty_markdown() -> None:
    assert convert_html("", TransformContext()).markdown == ""
    assert convert_html("<p> </p>", TransformContext()).markdown == ""
