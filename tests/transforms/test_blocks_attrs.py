"""Block attributes read with json's scanner are what ``json.loads`` read.

The ``_attrs`` of commit 31bdab0 (``oracles/``, verbatim) is the reference, on JSON
texts and near misses as the delimiter pattern hands them over (``{`` first, ``\\s``
after: JSON whitespace and other), and on every block delimiter of the corpus.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, corpus_posts
from tests.transforms.oracles import blocks_attrs_31bdab0 as OLD
from wpmigrate.transforms import blocks

PIECES = ['"a"', '"b"', ":", ",", "1", "-2.5e3", "true", "null", "NaN", "[", "]", "{", "}",
          '"\\u00e9"', '"x\\"y"', '"', "\\", " ", "\n", "\t", "\r", "\xa0", "\u2028", "\x0b",
          "x", "/", "é"]  # fmt: skip


def _outcome(read: Callable[..., object], text: str) -> tuple[object, list[str]]:
    warnings: list[str] = []
    try:
        value = read(text, "core/x", warnings)
    except Exception as error:  # (an error must be the same error)
        return type(error).__name__, warnings
    return repr(value), warnings


@settings(max_examples=6000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), st.sampled_from(PIECES))
def test_attrs_are_what_json_loads_read(inner: str, space: str) -> None:
    for text in ("{" + inner + space, "{" + inner, '{"a":' + inner + "} " + space, ""):
        assert _outcome(blocks._attrs, text) == _outcome(OLD._attrs, text)


def test_attrs_of_every_corpus_delimiter_are_what_json_loads_read() -> None:
    if not (CORPUS / "wxr").is_dir():
        pytest.skip("corpus absent: ../shared/corpus/wxr")
    seen = 0
    for post in corpus_posts():
        for match in blocks._DELIMITER.finditer(post.content):
            text = match.group("attrs")
            if text:
                seen += 1
                assert _outcome(blocks._attrs, text) == _outcome(OLD._attrs, text)
    assert seen > 100
