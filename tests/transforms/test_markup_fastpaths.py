"""The shortcuts in wpautop and markup keep the results exactly.

* the block-name alternation is factored into a trie: same matches as the flat list;
* ``fold_case`` guards skip a case-insensitive pattern only when it cannot match, also
  for the non-ASCII letters ``re`` matches to ASCII ones (``ſ``, ``K``, ``ı``, ``İ``).
"""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpmigrate.transforms import blocks, markup
from wpmigrate.transforms import wpautop as W
from wpmigrate.transforms.markup import lift_blocks

FLAT = "|".join(W.BLOCK_NAMES)
TAGS = ["<", "</", ">", "p", "pre", "Col", "colgroup", "h1", "h7", "hr", "header", "th",
        "thead", "TBODY", "fig", "figcaption", "figure", "div", "dl", "param", "a", "s",
        " ", "/", "\n", "x", "ſ", "K", "İ", "ı", "<br />", "</p>"]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(TAGS), max_size=12).map("".join))
def test_trie_alternation_matches_like_the_flat_list(text: str) -> None:
    for template in ("(</?(?:{})[^>]*>)\\s*</p>", "(<(?:{})[\\s/>])", "(</(?:{})>)"):
        flat = re.compile(template.format(FLAT), re.IGNORECASE)
        trie = re.compile(template.format(W._BLOCKS), re.IGNORECASE)
        assert flat.sub(r"[\1]", text) == trie.sub(r"[\1]", text)


def test_trie_alternation_of_small_sets() -> None:
    assert W.trie_alternation(["col", "colgroup", "caption"]) == "c(?:aption|ol(?:group)?)"
    assert re.fullmatch(W.trie_alternation(["a", "ab", "b"]), "ab")


def test_fold_case_finds_every_letter_re_matches_case_insensitively() -> None:
    for letter in string.ascii_lowercase:
        pattern = re.compile(letter, re.IGNORECASE)
        for code in range(0x80, 0x3000):
            char = chr(code)
            if pattern.fullmatch(char):
                assert letter in W.fold_case(f"<{char}>"), (letter, char)
    for char in ("\u212a", "\u017f"):  # Kelvin sign, long s
        assert W.fold_case(char) in ("k", "s")


def test_wpautop_with_non_ascii_spellings_of_tags() -> None:
    # "<ſcript>" is matched by the raw-element pattern (re: ſ = s), so the guard must
    # not skip it; the results are those of the unguarded implementation
    assert W.wpautop("<ſcript>a\n\nb</ſcript>") == "<p><ſcript>a\n\nb</ſcript></p>\n"
    assert W.wpautop("<ſcript>a\n\nb</script>") == "<p><ſcript>a</p>\n<p>b</script></p>\n"
    assert W.wpautop("<PRE>a\n\nb</pre>") == "<PRE>a\n\nb</pre>\n"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<br>", "<BR />", "\n", "\n\n\n", "x",
                                 "<p class=a>", " "]), max_size=15).map("".join))
def test_lift_blocks_without_markers_only_cleans_up(text: str) -> None:
    expected = re.sub(r"(?:<br\s*/?>\s*)+</p>", "</p>", text, flags=re.IGNORECASE)
    expected = re.sub(r"<p(?:\s[^>]*)?>\s*</p>", "", expected)
    assert lift_blocks(text) == re.sub(r"\n{3,}", "\n\n", expected)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["<br>", "<BR/>", "<bR />", "<br\n/>", " ", "\n", "\t", "</p>",
                                 "</P>", "x", "<p>", "<br", ">", "/", "<br />", "\u2003"]),
                max_size=14).map("".join))
def test_respelled_patterns_match_like_the_originals(text: str) -> None:
    breaks = re.compile(r"(?:<br\s*/?>\s*)+</p>", re.IGNORECASE)
    assert markup._BREAKS_BEFORE_P_END.sub("</p>", text) == breaks.sub("</p>", text)
    line_break = re.compile(r"(?<!<br />)\s*\n")
    assert W._LINE_BREAK.sub("<br />\n", text) == line_break.sub("<br />\n", text)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["\ufdd5", "<br>", "<BR/>", " ", "\n", "x", "<br", "/>"]),
                max_size=10).map("".join))
def test_breaks_after_a_block_end_are_dropped_as_before(text: str) -> None:
    before = re.compile("(?<=\ufdd5)\\s*<br\\s*/?>", re.IGNORECASE)
    assert markup._BR_AFTER_BLOCK.sub("\ufdd5", text) == before.sub("", text)


# ---------------------------------------------------------------- respelled patterns
# Each faster spelling is checked against the spelling it replaced, on texts made of
# the pieces that matter to it (case variants, near misses, unclosed constructs).

MARKER_PIECES = ["\ufdd4", "\ufdd5", "<p>", "<P>", "<p class=x>", "<p\t", "</p>", "</P>",
                 "<pre>", "<p title='<p x'>", "<", ">", "/", "x", " ", "\n"]  # fmt: skip


def _groups(match: re.Match[str]) -> str:
    return repr(match.groups())


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(MARKER_PIECES), max_size=14).map("".join))
def test_paragraph_and_marker_patterns_match_like_the_lazy_ones(text: str) -> None:
    paragraph = re.compile(r"<p(\s[^>]*)?>((?:(?!<p[\s>]).)*?)</p>", re.IGNORECASE | re.DOTALL)
    assert markup._PARAGRAPH.sub(_groups, text) == paragraph.sub(_groups, text)
    marked = re.compile("\ufdd4(.*?)\ufdd5", re.DOTALL)
    assert markup._MARKED_BLOCK.sub(_groups, text) == marked.sub(_groups, text)
    split = re.compile("(\ufdd4.*?\ufdd5)", re.DOTALL)
    assert markup._MARKED_SPLIT.split(text) == split.split(text)


TAG_PIECES = [*TAGS, "<p>", "<P>", "<br />", "<BR />", "\ufdd2", "\ufdd1", "7", "\t", "<li", "<hr",
              "</li>", "<blockquote>", "</div>", "<div\n", "<Div", " x=1", "  "]  # fmt: skip
_ORIGINAL_BLOCK_TAG = f"</?(?:{FLAT})[^>]*>"


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(TAG_PIECES), max_size=14).map("".join))
def test_wpautop_patterns_match_like_the_originals(text: str) -> None:
    flags = re.IGNORECASE
    tag = re.compile(r"<[^<>]*>")
    assert W._TAG_WITH_NEWLINE.sub("[\\g<0>]", text) == tag.sub(
        lambda m: f"[{m.group(0)}]" if "\n" in m.group(0) else m.group(0), text
    )
    block_open = re.compile(f"(<(?:{FLAT})[\\s/>])", flags)
    assert W._BLOCK_OPEN.sub("\n\n<", text) == block_open.sub(r"\n\n\1", text)
    for pattern in (W._BLOCK_CLOSE, W._HR):
        assert W._append_to_matches(pattern, text, "\n\n") == pattern.sub(r"\1\n\n", text)
    originals = {
        W._P_AROUND_BLOCK: f"<p>\\s*({_ORIGINAL_BLOCK_TAG})\\s*</p>",
        W._P_BEFORE_BLOCK: f"<p>\\s*({_ORIGINAL_BLOCK_TAG})",
        W._P_AFTER_BLOCK: f"({_ORIGINAL_BLOCK_TAG})\\s*</p>",
        W._BR_AFTER_BLOCK: f"({_ORIGINAL_BLOCK_TAG})\\s*<br />",
        W._BR_BEFORE_TAG: W._BR_BEFORE_TAG.pattern,
        W._P_AROUND_LI: W._P_AROUND_LI.pattern,
    }
    for pattern, original in originals.items():
        expected = re.compile(original, pattern.flags).sub(r"\1", text)
        assert W._keep_group(pattern, text) == expected, pattern.pattern


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(TAG_PIECES), max_size=14).map("".join))
def test_unwrap_blocks_skips_only_patterns_that_cannot_match(text: str) -> None:
    html = W._paragraphs(W._PARAGRAPH_BREAK.split(text), W._PH_MARKER in text)
    expected = W._EMPTY_P.sub("", html)
    expected = W._P_BEFORE_CLOSE.sub(r"<p>\1</p></\2>", expected)
    expected = W._P_AROUND_BLOCK.sub(r"\1", expected)
    expected = W._P_AROUND_LI.sub(r"\1", expected)
    expected = W._P_BLOCKQUOTE.sub(r"<blockquote\1><p>", expected)
    expected = expected.replace("</blockquote></p>", "</p></blockquote>")
    expected = W._P_BEFORE_BLOCK.sub(r"\1", expected)
    expected = W._P_AFTER_BLOCK.sub(r"\1", expected)
    assert W._unwrap_blocks(html) == expected


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(TAG_PIECES), max_size=14).map("".join))
def test_paragraphs_wrap_chunks_like_before(text: str) -> None:
    marker = re.compile("\ufdd2\\d+\ufdd1")
    expected = ""
    for part in W._PARAGRAPH_BREAK.split(text):
        part = part.strip()
        if part:
            expected += part + "\n" if marker.fullmatch(part) else f"<p>{part}</p>\n"
    assert W._paragraphs(W._PARAGRAPH_BREAK.split(text), W._PH_MARKER in text) == expected


@given(st.text(alphabet="aKkSsIi\u0130\u0131\u017f\u212a\u00e9<>", max_size=12))
def test_fold_case_replaces_like_translate(text: str) -> None:
    table = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
    assert W.fold_case(text) == text.translate(table).lower()


FIGURE_PIECES = ["<figure>", "<FIGURE class=x>", "</figure>", "</Figure>", "<figcaption>",
                 "<figcaption class='blocks-gallery-caption'>", "</figcaption>", "<", "/",
                 ">", "x", "\n", "<img src=a>"]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(FIGURE_PIECES), max_size=12).map("".join))
def test_block_caption_and_figure_patterns_match_like_the_lazy_ones(text: str) -> None:
    flags = re.IGNORECASE | re.DOTALL
    caption = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", flags)
    assert blocks._FIGCAPTION.sub(_groups, text) == caption.sub(_groups, text)
    gallery = re.compile(r"<figcaption\b[^>]*blocks-gallery-caption[^>]*>(.*?)</figcaption>",
                         flags)
    assert blocks._GALLERY_CAPTION.sub(_groups, text) == gallery.sub(_groups, text)
    figure = re.compile(r"<figure\b[^>]*>.*?</figure>", flags)
    assert blocks._FIGURE.findall(text) == figure.findall(text)


def _tighten_media_unguarded(text: str, lower: str) -> str:
    """``_tighten_media`` with every pattern applied (its guards only skip no-ops)."""
    for pattern, replacement in W._TIGHT_INNER[:2]:
        text = pattern.sub(replacement, text)

    def tighten(match: re.Match[str]) -> str:
        chunk = match.group(0)
        for pattern, replacement in W._TIGHT_INNER[2:4]:
            chunk = pattern.sub(replacement, chunk)
        return re.sub(r"\s*\n\s*", "", chunk)

    text = W._OBJECT_OR_MEDIA.sub(tighten, text)
    pattern, replacement = W._TIGHT_INNER[4]
    return pattern.sub(replacement, text)


MEDIA_PIECES = ["<option>", "</OPTION>", "option", "<", ">", "\n", " ", "<video>", "</video>",
                "<param>", "<figcaption>", "figcaption", "x", "\n\n", "<br><br>", "<div>",
                "<!-- c -->", "<pre>", "</pre>"]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(MEDIA_PIECES), max_size=12).map("".join))
def test_wpautop_media_guards_skip_only_no_ops(text: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(W, "_tighten_media", _tighten_media_unguarded)
        expected = W.wpautop(text)
    assert W.wpautop(text) == expected
