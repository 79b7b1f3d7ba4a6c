"""Tests for wpmigrate.transforms.wpautop, with cases derived from WordPress's own
``tests/phpunit/tests/formatting/wpAutop.php`` (cases/wpautop.json)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wpmigrate.transforms.wpautop import wpautop

CASES = json.loads((Path(__file__).parent / "cases" / "wpautop.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_wpautop_case(case: dict[str, Any]) -> None:
    output = wpautop(case["input"])
    if case.get("trim", True):
        output = output.strip()
    assert output == case["expected"]


def test_br_false_keeps_single_newlines() -> None:
    assert wpautop("a\nb\n\nc", br=False) == "<p>a\nb</p>\n<p>c</p>\n"


def test_pre_content_is_byte_exact() -> None:
    code = "if (a < b) {\n\n\treturn  x;   \n}\n<br>"
    assert f'<pre class="x">{code}</pre>' in wpautop(f'Before\n\n<pre class="x">{code}</pre>')


_TEXT = st.text(alphabet=st.sampled_from(list("ab \n\t<>/pre!-&;")), max_size=60)


@given(_TEXT)
def test_never_touches_pre_content(noise: str) -> None:
    body = "x\n\ny  \n\tz"
    output = wpautop(f"{noise}\n<pre>{body}</pre>\n{noise}")
    assert f"<pre>{body}</pre>" in output


@given(st.lists(st.text(alphabet="abc .,", min_size=1, max_size=20), min_size=1, max_size=6))
def test_text_is_preserved(paragraphs: list[str]) -> None:
    """Only tags and whitespace are added: the words come out unchanged and in order."""
    source = "\n\n".join(paragraphs)
    output = wpautop(source)
    assert _words(output) == _words(source)


def _words(text: str) -> list[str]:
    return re.sub(r"<[^>]+>", " ", text).split()
