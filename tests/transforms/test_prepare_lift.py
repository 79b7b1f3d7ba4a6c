"""lift_blocks from marker to marker gives what it gave as whole-text passes.

The lift_blocks of commit 31bdab0 (``oracles/``, verbatim) is the reference. The texts
are made of what its patterns look at: both markers, nested and unclosed, ``<br>`` in
case and spacing variants, the whitespace ``\\s`` and ``str.strip`` agree on, paragraph
openers and closers (also inside an opening tag), near misses, blank lines; then the
lift_blocks input of every corpus body (classic and block, each through prepare_html).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, corpus_posts
from tests.transforms.oracles import lift_31bdab0 as OLD
from wpmigrate.transforms import markup
from wpmigrate.transforms.context import TransformContext
from wpmigrate.transforms.shortcode_handlers import BLOCK_END, BLOCK_START

PIECES = [
    BLOCK_START, BLOCK_END, BLOCK_START, BLOCK_END, f"{BLOCK_START}<div>g</div>{BLOCK_END}",
    "<br>", "<BR />", "<bR/>", "<br\n/>", "<br  >", "<br", "br>", "<b>", "<brx>", "/>",
    "<p>", "<P>", "</p>", "</P>", "<p class=x>", "<p\t", "<p title='<p x'>", "<pre>", "</pre>",
    "<", ">", "/", "p", "x", " ", "\n", "\n\n\n", "\t", "\xa0", "\u2028", "\x1c", "\x85",
    "<!--more-->", "\ufdd2",
]  # fmt: skip


def _texts(max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(PIECES), max_size=max_size).map("".join)


@settings(max_examples=8000, deadline=None)
@given(_texts(16))
def test_lift_blocks_is_the_old_lift_blocks(text: str) -> None:
    assert markup.lift_blocks(text) == OLD.lift_blocks(text)


@settings(max_examples=3000, deadline=None)
@given(_texts(6), _texts(6), _texts(6))
def test_paragraphs_around_markers_are_the_old_lift_blocks(a: str, b: str, c: str) -> None:
    text = f"<p>{a}{BLOCK_START}{b}{BLOCK_END}{c}</p>\n<p>{c}{BLOCK_START}{a}</p>{b}"
    assert markup.lift_blocks(text) == OLD.lift_blocks(text)


def test_lift_blocks_of_every_corpus_body_is_the_old_lift_blocks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not (CORPUS / "wxr").is_dir():
        pytest.skip("corpus absent: ../shared/corpus/wxr")
    inputs: list[str] = []
    new = markup.lift_blocks

    def spy(text: str) -> str:
        inputs.append(text)
        return new(text)

    monkeypatch.setattr(markup, "lift_blocks", spy)
    for post in corpus_posts():
        for rendered in (False, True):
            markup.prepare_html(post.content, TransformContext(post.id, rendered=rendered))
    assert sum(BLOCK_START in text for text in inputs) > 100
    for text in inputs:
        assert new(text) == OLD.lift_blocks(text)
