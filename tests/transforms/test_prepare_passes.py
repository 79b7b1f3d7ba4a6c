"""The restructured passes of prepare_html give exactly what the passes they replaced gave.

The modules as they were before (``oracles/``, verbatim copies) are the reference: each
test runs the new and the old implementation on texts made of the pieces that matter
(block tags in case variants and near misses, ``<hr>`` spellings, breaks, raw-text
elements, comments, markers, CRLF, placeholders, non-ASCII letters ``re`` folds to
ASCII ones, astral characters) and wants the same output, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.transforms.oracles import wpautop_09d814e as OLD_WPAUTOP
from wpmigrate.transforms import blocks
from wpmigrate.transforms import wpautop as W


def _texts(pieces: list[str], max_size: int = 16) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


WPAUTOP_PIECES = [
    "x", "a b", " ", "\t", "\n", "\n\n", "\r\n", "\r", "\u3000", "\xa0", "é", "\U0001f600",
    "<", ">", "/", "<p>", "<P>", "</p>", "<p class=x>", "<div>", "<DIV\n>", "</div>", "</Div>",
    "<hr>", "<HR/>", "<hr />", "<hr\n/>", "<hr / >", "<hr class=x>", "<hR", "<header>",
    "</header>", "<h1>", "</h1>", "<h7>", "<br>", "<BR/>", "<br />", "<br\n/>", "<li>",
    "</li>", "<ul>", "</ul>", "<blockquote>", "</blockquote>", "<pre>", "</pre>", "<PRE>",
    "<script>", "</script>", "<ſcript>", "<svg>", "</svg>", "<!--", "-->", "<!--more-->",
    "<!--nextpage-->", "<![CDATA[", "]]>", "<option>", "</option>", "<object>", "</object>",
    "<param>", "<video>", "</video>", "<source>", "<figcaption>", "</figcaption>",
    "<figure>", "</figure>", "<table>", "<td>", "</td>", "<address>", "</form>", "<math>",
    "K", "ſ", "İ", "ı", "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3", "0", "<a href='x'>", "</a>",
    "<em>", "<Col", "<colgroup>", "<thead>", "<tbody>", "<hgroup>", "<details>", "br", "BR",
    "<\ufdd0br", "\n</p>", "</p>\n",
]  # fmt: skip


@settings(max_examples=6000, deadline=None)
@given(_texts(WPAUTOP_PIECES, 20), st.booleans())
@example("\ufdd00\ufdd1", True)  # both fail (found by hypothesis)
def test_wpautop_is_the_old_wpautop(text: str, br: bool) -> None:
    # (the pieces include wpautop's own placeholders, which callers strip beforehand:
    # on some mixes both versions fail, and then they must fail alike)
    assert _outcome(W.wpautop, text, br) == _outcome(OLD_WPAUTOP.wpautop, text, br)


def _outcome(function: Callable[[str, bool], str], text: str, br: bool) -> object:
    """What ``function`` returns, or the type of what it raises."""
    try:
        return function(text, br)
    except Exception as error:
        return type(error)


@settings(max_examples=3000, deadline=None)
@given(_texts(["\n", "\n\n", " ", "x", "</p>", "\n</p>", "</P>", "<p>", "\r", "\u2028"], 8))
def test_join_last_line_is_the_end_anchored_pattern(html: str) -> None:
    assert W._join_last_line(html) == re.sub(r"\n</p>$", "</p>", html)


# ---------------------------------------------------------------- block delimiters

_OLD_DELIMITER = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?P<attrs>\{.*?\}\s+)?(?P<void>/)?-->",
    re.DOTALL,
)
DELIMITER_PIECES = [
    "<!-- ", "<!--", "-->", " -->", " /-->", "/", "wp:", "wp:image", "wp:core/x", "WP:a", " ",
    "\n", "\xa0", "{", "}", "{}", '{"a":1}', '{"s":{"c":"}"}}', "}}", '"', "x", "-", "--",
    "<!-- wp:p ", "<!-- /wp:p -->", "\U0001f600", "é", "\r\n", "<!-- wp:p {", "{ -->",
    "} -->", "}\n/-->", '{"a":"} -->"} -->',
]  # fmt: skip


@settings(max_examples=6000, deadline=None)
@given(_texts(DELIMITER_PIECES, 14))
def test_delimiter_matches_like_the_lazy_pattern(text: str) -> None:
    found = [(m.span(), m.groups()) for m in blocks._DELIMITER.finditer(text)]
    assert found == [(m.span(), m.groups()) for m in _OLD_DELIMITER.finditer(text)]
