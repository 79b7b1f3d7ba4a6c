"""The cheaper forms of prepare_html's passes give exactly what the plain forms gave.

Each test runs a shortcut and the general form it replaced (written out here as the
reference) on texts made of the pieces that matter to it: case variants, near misses,
unclosed constructs, the sentinel characters themselves.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from wpmigrate.transforms import blocks, markup
from wpmigrate.transforms import wpautop as W
from wpmigrate.transforms.shortcode_handlers import BLOCK_END, BLOCK_START, embed_html


def _texts(pieces: list[str], max_size: int = 14) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


# ------------------------------------------------------------------------ sentinels

SENTINEL_PIECES = ["a", "é", "ÿ", "\u2019", "\U0001f600", "\ufdcf", "\ufdd0", "\ufdd6",
                   "\ufdef", "\ufdf0", "\ufffd", " "]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(_texts(SENTINEL_PIECES, 6))
def test_has_sentinels_is_the_regex_search(text: str) -> None:
    assert markup.has_sentinels(text) == bool(markup._SENTINELS.search(text))


def test_has_sentinels_knows_every_sentinel() -> None:
    for code in range(0xFD00, 0xFE00):
        char = chr(code)
        assert markup.has_sentinels(f"é{char}") == bool(markup._SENTINELS.fullmatch(char))


# ----------------------------------------------------------------- URLs on own lines

URL_PIECES = ["\n", " ", "\t", "\r", "\u2028", "x", "<", '"', "://", "http", "s",
              "https://youtu.be/dQw4w9WgXcQ", "http://vimeo.com/123456", "https://x.org/a",
              "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5",
              "https://youtu.be/x-https:"]  # fmt: skip


def _embed_lines_reference(text: str, stash: list[str]) -> str:
    """The plain form: a MULTILINE pattern, tried at every position."""

    def embed(match: re.Match[str]) -> str:
        url = match.group(2)
        if not markup.is_oembed_url(url):
            return match.group(0)
        return f"\n\n{markup._keep(stash, embed_html(url))}\n\n"

    line_url = re.compile(r"^([ \t]*)(https?://[^\s<>\"]+)([ \t]*)$", re.MULTILINE)
    return line_url.sub(embed, text)


@settings(max_examples=3000, deadline=None)
@given(_texts(URL_PIECES, 10))
def test_embed_lines_is_the_multiline_pattern(text: str) -> None:
    stash: list[str] = []
    expected_stash: list[str] = []
    expected = _embed_lines_reference(text, expected_stash)
    assert markup.embed_lines(text, stash) == expected
    assert stash == expected_stash


# ---------------------------------------------------------------------- lift_blocks

LIFT_PIECES = [BLOCK_START, BLOCK_END, "<p>", "<P>", "<p class=x>", "<p\t", "</p>", "</P>",
               "<pre>", "<p title='<p x'>", "<br>", "<BR />", "<", ">", "/", "x", " ", "\n",
               "\n\n\n", f"{BLOCK_START}<div>g</div>{BLOCK_END}", "<!--more-->"]  # fmt: skip

_LAZY_PARAGRAPH = re.compile(r"<p(\s[^>]*)?>((?:(?!<p[\s>]).)*?)</p>", re.IGNORECASE | re.DOTALL)
_LAZY_MARKED = re.compile(f"{BLOCK_START}(.*?){BLOCK_END}", re.DOTALL)


def _lift_blocks_reference(text: str) -> str:
    """``lift_blocks`` as it was: every paragraph through the callback, plain patterns."""
    flags = re.IGNORECASE
    text = re.sub(f"<br\\s*/?>\\s*(?={BLOCK_START})", "", text, flags=flags)
    text = re.sub(f"(?<={BLOCK_END})\\s*<br\\s*/?>", "", text, flags=flags)

    def split(match: re.Match[str]) -> str:
        attrs, inner = match.group(1) or "", match.group(2)
        if BLOCK_START not in inner:
            return match.group(0)
        out = []
        for piece in re.split(f"({BLOCK_START}.*?{BLOCK_END})", inner, flags=re.DOTALL):
            if piece.startswith(BLOCK_START):
                out.append(piece)
            elif stripped := markup._EDGE_BREAKS.sub("", piece):
                out.append(f"<p{attrs}>{stripped}</p>")
        return "\n".join(out)

    text = _LAZY_PARAGRAPH.sub(split, text)
    text = _LAZY_MARKED.sub(lambda match: f"\n{match.group(1)}\n", text)
    text = text.replace(BLOCK_START, "").replace(BLOCK_END, "")
    text = re.sub(r"(?:<br\s*/?>\s*)+</p>", "</p>", text, flags=flags)
    text = re.sub(r"<p(?:\s[^>]*)?>\s*</p>", "", text)
    return re.sub(r"\n{3,}", "\n\n", text)


@settings(max_examples=4000, deadline=None)
@given(_texts(LIFT_PIECES))
def test_lift_blocks_is_the_plain_form(text: str) -> None:
    assert markup.lift_blocks(text) == _lift_blocks_reference(text)


def test_marked_blocks_split_and_joined_are_the_template_sub() -> None:
    text = f"a{BLOCK_START}b{BLOCK_START}c{BLOCK_END}d{BLOCK_END}{BLOCK_START}e{BLOCK_END}"
    expected = _LAZY_MARKED.sub("\n\\1\n", text)
    assert "\n".join(markup._MARKED_BLOCK.split(text)) == expected


# ------------------------------------------------------------------ wpautop: breaks

BREAK_PIECES = ["\n", "\n\n", " ", "\t", "\u3000", "\x1c", "\xa0", "\u2028", "x", "a b", "<br />",
                "<br />\n", "<br /> \n", "r />", "<", "  \n", "\n \n"]  # fmt: skip


@settings(max_examples=4000, deadline=None)
@given(_texts(BREAK_PIECES, 10))
def test_line_breaks_is_the_pattern(text: str) -> None:
    assert W.line_breaks(text) == W._LINE_BREAK.sub("<br />\n", text)


def test_rstrip_strips_what_the_pattern_calls_whitespace() -> None:
    space = re.compile(r"\s")
    for code in range(0x110000):
        char = chr(code)
        assert (f"x{char}".rstrip() == "x") == bool(space.fullmatch(char)), hex(code)


PARAGRAPH_PIECES = ["\n", "\n\n", "\n\n\n", " ", "\t", "\u3000", "x", "<p>", "\ufdd2", "1"]


@settings(max_examples=3000, deadline=None)
@given(_texts(PARAGRAPH_PIECES, 12))
def test_paragraph_breaks_need_no_collapsed_newlines_first(text: str) -> None:
    collapsed = re.sub(r"\n\n+", "\n\n", text)  # what wpautop did before splitting
    assert W._PARAGRAPH_BREAK.split(text) == W._PARAGRAPH_BREAK.split(collapsed)


PLAIN_PIECES = ["\n", "\n\n", "\n \n", " ", "\t", "\u3000", "\x1c", "\x85", "\xa0", "\u2028",
                "x", "a b", "&amp;", ">", "br />", "/", "[x]", "figcaption", "p",
                "\x0c"]  # fmt: skip


@settings(max_examples=4000, deadline=None)
@given(_texts(PLAIN_PIECES, 12), st.booleans())
def test_text_without_tags_takes_the_plain_path_to_the_same_html(text: str, br: bool) -> None:
    if text.strip():
        assert W.plain_paragraphs(text, br) == W._wpautop(text, br)


def test_wpautop_keeps_the_general_path_for_its_own_characters() -> None:
    # (placeholders in the input are not the plain path's business: same result as ever)
    assert W.wpautop("a\ufdd3b") == W._wpautop("a\ufdd3b", True) == "<p>a\nb</p>\n"


# ------------------------------------------------------------------ block links

LINK_PIECES = ["<a", "<A", " ", "\n", "href=", "HREF=", "data-href=", '"', "'", ">", "x",
               "<a href=\"u\">", "<a href='v' ", "&amp;", "<ab ", "=", "</a>"]  # fmt: skip


@settings(max_examples=4000, deadline=None)
@given(_texts(LINK_PIECES, 10))
def test_href_is_the_lazy_back_reference_pattern(text: str) -> None:
    link = re.compile(r"<a\b[^>]*\bhref=([\"'])(.*?)\1[^>]*>", re.IGNORECASE | re.DOTALL)
    match = link.search(text)
    assert blocks._href(text) == (match.group(2) if match else None)


# ------------------------------------------------------------- wpautop: block tags


def test_first_letter_look_aheads_cover_every_case_variant() -> None:
    names = "|".join(W.BLOCK_NAMES)
    flat_open = re.compile(f"<(?=(?:{names})[\\s/>])", re.IGNORECASE)
    flat_before = re.compile(f"<p>\\s*(</?(?:{names})[^>]*>)", re.IGNORECASE)
    for name in W.BLOCK_NAMES:
        first = re.compile(re.escape(name[0]), re.IGNORECASE)
        for char in filter(first.fullmatch, map(chr, range(0x10000))):
            for tag in (f"<{char}{name[1:]}>", f"</{char}{name[1:]}>"):
                assert bool(W._BLOCK_OPEN.match(tag)) == bool(flat_open.match(tag)), tag
                html = f"<p> {tag}"
                assert W._keep_group(W._P_BEFORE_BLOCK, html) == flat_before.sub(r"\1", html)
