"""``might_be_mojibake``'s byte pre-check turns down only texts the search turns down.

The pre-check looks for the UTF-8 lead bytes C2/C3 (U+0080-U+00FF) in the encoded
text; the reference is the plain pattern ``SUSPECT_PLAIN``. Exhaustive on the pairs that
matter (every character up to U+0200 before every continuation-like follower), then
texts mixing them with lone surrogates, astral and CJK characters.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from wpmigrate.transforms.textrepair import CONTINUATION_CHARS, SUSPECT_PLAIN, might_be_mojibake

FOLLOWERS = ["", " ", "a", "\u0080", "\u00bf", "\u00c0", "\u0152", "\u2122", "\u20ac",
             "\u2013", "\u00a0", "\ud800", "\U0001f600", "中"]  # fmt: skip


def test_every_pair_up_to_u0200() -> None:
    for code in range(0x200):
        for follower in FOLLOWERS:
            text = f"x{chr(code)}{follower}"
            assert might_be_mojibake(text) == bool(re.search(SUSPECT_PLAIN, text)), text


PIECES = ["a", " ", "\n", "é", "Ã", "©", "€", "™", "\u0080", "\u009f", "\u00f4", "\u00f5",
          "\u00ff", "\u0100", "\ud800", "\udfff", "\U0001f600", "中", "—", "\u00c2 ",
          *CONTINUATION_CHARS[:4]]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
def test_precheck_is_the_plain_pattern_with_surrogates(text: str) -> None:
    assert might_be_mojibake(text) == (re.search(SUSPECT_PLAIN, text) is not None)
