"""``tree2markdown`` (replaying the walked tree, or laying it out without html2text)
gives exactly what html2text gives on the serialized tree. An html2text upgrade that
changes its behaviour fails here instead of silently changing output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement, tostring

import wpmigrate.transforms.body as body
from wpmigrate.transforms import TransformContext, convert_html
from wpmigrate.transforms.html2text_driver import NeedsGuard, html2markdown, tree2markdown

CASES = sorted((Path(__file__).parent / "cases" / "markdown").glob("*.json"))
HTML_CASES = [
    case["html"] for path in CASES for case in json.loads(path.read_text())["cases"]
]


def _checked(calls: list[int]):  # type: ignore[no-untyped-def]
    def check(el: HtmlElement, with_tail: bool = True) -> str:
        expected = html2markdown(tostring(el, encoding="unicode", with_tail=with_tail))
        got = tree2markdown(el, with_tail)
        assert got == expected
        calls.append(1)
        return got

    return check


def _always_guarded(el: HtmlElement, with_tail: bool = True) -> str:
    """``body.unguarded_markdown`` patched out: every body goes the guarded way, through
    ``tree2markdown`` (which these tests check)."""
    raise NeedsGuard


@pytest.mark.parametrize("style", ["hugo", "html", "mdx"])
def test_replay_equals_html2text_on_every_case(style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(body, "tree2markdown", _checked(calls))
    monkeypatch.setattr(body, "unguarded_markdown", _always_guarded)
    for html_text in HTML_CASES:
        convert_html(html_text, TransformContext(embed_style=style))  # type: ignore[arg-type]
    assert len(calls) >= len(HTML_CASES) // 2


TAGS = st.sampled_from(["p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "h2", "br",
                        "code", "span", "div", "hr", "q", "del", "sup"])
TEXT = st.text(alphabet="ab 1.+-\\*_&<>#\xa0\n", max_size=12)


@st.composite
def fragments(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(TAGS)
            inner = draw(fragments(depth + 1))
            attrs = ' href="http://x.org/a_b"' if tag == "a" else ""
            void = tag in ("br", "hr")
            parts.append(f"<{tag}>" if void else f"<{tag}{attrs}>{inner}</{tag}>")
        else:
            parts.append(draw(TEXT).replace("&", "&amp;").replace("<", "&lt;"))
    return "".join(parts)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(fragments())
def test_replay_equals_html2text_on_random_trees(html_text: str) -> None:
    calls: list[int] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(body, "tree2markdown", _checked(calls))
        patch.setattr(body, "unguarded_markdown", _always_guarded)
        convert_html(f"<div>{html_text}</div>", TransformContext())
