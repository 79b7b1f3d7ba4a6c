"""Tests for the shortcode tokenizer (wpmigrate.transforms.shortcodes) and the
emitters/handlers of wpmigrate.transforms.shortcode_handlers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wpmigrate.model import Media
from wpmigrate.transforms.context import TransformContext
from wpmigrate.transforms.shortcode_handlers import (
    HANDLERS,
    MAX_ATTACHED_SHOWN,
    ExpandState,
    canonical_embed_url,
    code_shortcode_text,
    expand_shortcodes,
    strict_unescape,
)
from wpmigrate.transforms.shortcodes import Shortcode, parse_attributes, tokenize

DATA = json.loads((Path(__file__).parent / "cases" / "shortcode_tokens.json").read_text("utf-8"))


def _describe(token: str | Shortcode, keys: dict[str, Any] | str) -> Any:
    """A token reduced to the fields a case checks."""
    if isinstance(token, str):
        return token
    assert isinstance(keys, dict)
    return {key: getattr(token, key) for key in keys}


def _expected(value: Any) -> Any:
    if isinstance(value, dict) and "positional" in value:
        return {**value, "positional": tuple(value["positional"])}
    return value


@pytest.mark.parametrize("case", DATA["tokenize"], ids=[c["name"] for c in DATA["tokenize"]])
def test_tokenize(case: dict[str, Any]) -> None:
    tokens = tokenize(case["input"], set(case["names"]))
    assert len(tokens) == len(case["expected"])
    for token, expected in zip(tokens, case["expected"], strict=True):
        assert _describe(token, expected) == _expected(expected)


@pytest.mark.parametrize("text", DATA["not_shortcodes"])
def test_prose_in_brackets_is_not_a_shortcode(text: str) -> None:
    assert tokenize(text, set()) == [text]


@pytest.mark.parametrize("text", DATA["not_shortcodes"])
def test_prose_in_brackets_is_not_counted(text: str) -> None:
    state = ExpandState(TransformContext())
    assert expand_shortcodes(text, state) == text
    assert not state.unknown


def test_parse_attributes_like_wordpress() -> None:
    named, positional = parse_attributes(' A="1" b=\'2\' c=3 "four" five\xa0six=6')
    assert named == {"a": "1", "b": "2", "c": "3", "six": "6"}
    assert positional == ("four", "five")


@given(st.text(alphabet=st.sampled_from(list("[]/= \"'abcx1\n")), max_size=40))
def test_tokens_cover_the_source(text: str) -> None:
    """Without escapes, concatenating the tokens gives back the source exactly."""
    tokens = tokenize(text, {"a", "b"})
    rebuilt = "".join(t if isinstance(t, str) else t.source for t in tokens)
    assert rebuilt == text


def test_unknown_kept_verbatim_and_counted() -> None:
    state = ExpandState(TransformContext())
    text = '[contact-form-7 id="3"] and [col a="1"]inner [latex]x[/latex][/col]'
    out = expand_shortcodes(text, state)
    assert out.startswith('[contact-form-7 id="3"] and [col a="1"]inner <span')
    assert out.endswith("[/col]")
    assert state.unknown == {"contact-form-7": 1, "col": 1}


def test_escaped_shortcodes_print_literally() -> None:
    state = ExpandState(TransformContext())
    assert expand_shortcodes("[[gallery]] [[foo]] [[caption]x[/caption]]", state) == (
        "[gallery] [foo] [caption]x[/caption]"
    )
    assert not state.unknown


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://youtu.be/abc123XYZ", "https://www.youtube.com/watch?v=abc123XYZ"),
        ("https://youtu.be/abc123XYZ?t=30", "https://www.youtube.com/watch?v=abc123XYZ&t=30"),
        (
            "http://www.youtube.com/watch?v=E7U85vNhoZ8&feature=related",
            "https://www.youtube.com/watch?v=E7U85vNhoZ8",
        ),
        (
            "https://www.youtube.com/embed/E7U85vNhoZ8?start=90",
            "https://www.youtube.com/watch?v=E7U85vNhoZ8&t=90",
        ),
        (
            "https://m.youtube.com/watch?v=E7U85vNhoZ8#t=1m2s",
            "https://www.youtube.com/watch?v=E7U85vNhoZ8&t=1m2s",
        ),
        ("http://youtube.com/v/E7U85vNhoZ8", "https://www.youtube.com/watch?v=E7U85vNhoZ8"),
        ("https://player.vimeo.com/video/12345?title=0", "https://vimeo.com/12345"),
        ("https://vimeo.com/12345", "https://vimeo.com/12345"),
        ("https://twitter.com/x/status/1", "https://twitter.com/x/status/1"),
    ],
)
def test_canonical_embed_url(url: str, expected: str) -> None:
    assert canonical_embed_url(url) == expected


def test_strict_unescape_leaves_non_entities() -> None:
    assert strict_unescape("a &lt; b &amp;&amp; c &copy_d &#39;x&#x27;") == "a < b && c &copy_d 'x'"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("\nx &lt; y &amp;&amp; z\n", "x < y && z"),  # WordPress.com: stored encoded
        ("\n#include <stdio.h>\na &amp; b\n", "#include <stdio.h>\na &amp; b"),  # stored raw
        ("\nclass A &amp;lt; B\n", "class A &lt; B"),  # double-encoded: displayed as &lt;
        ("\n\tindented  \n\n", "\tindented  \n"),
    ],
)
def test_code_shortcode_text(body: str, code: str) -> None:
    assert code_shortcode_text(body) == code


def test_gallery_without_ids_uses_post_children() -> None:
    media = {
        3: Media(3, "http://x/c.jpg", parent=9),
        1: Media(1, "http://x/a.jpg", parent=9, alt="A", caption="Cap"),
        2: Media(2, "http://x/b.jpg", parent=8),
    }
    state = ExpandState(TransformContext(post_id=9, attachments=media))
    out = expand_shortcodes("[gallery]", state)
    assert out.index("a.jpg") < out.index("c.jpg") and "b.jpg" not in out
    assert '<img src="http://x/a.jpg" alt="A">' in out and "<figcaption>Cap</figcaption>" in out


@pytest.mark.parametrize(
    ("shortcode", "mime", "what"),
    [("[gallery]", "image/jpeg", "[gallery]"), ("[playlist]", "audio/mpeg", "[playlist]")],
)
def test_an_idless_gallery_shows_at_most_the_cap(shortcode: str, mime: str, what: str) -> None:
    count = MAX_ATTACHED_SHOWN + 2
    media = {
        n: Media(n, f"http://x/f{n}.jpg", parent=9, mime_type=mime) for n in range(1, count + 1)
    }
    state = ExpandState(TransformContext(post_id=9, attachments=media))
    out = expand_shortcodes(shortcode, state)
    assert f"/f{MAX_ATTACHED_SHOWN}.jpg" in out and f"/f{MAX_ATTACHED_SHOWN + 1}.jpg" not in out
    assert state.warnings == [
        f"{what} without ids shows all {count:,} files attached to the post: only the first "
        f"{MAX_ATTACHED_SHOWN:,} were written (the files are still brought with the media); "
        "list the ones to show in its ids attribute"
    ]
    listed = f'{shortcode[:-1]} ids="{",".join(str(n) for n in range(1, count + 1))}"]'
    explicit = ExpandState(TransformContext(post_id=9, attachments=media))
    assert f"/f{count}.jpg" in expand_shortcodes(listed, explicit)  # ids: all of them
    assert explicit.warnings == []


def test_handlers_cover_the_known_names() -> None:
    for name in (
        "caption",
        "gallery",
        "embed",
        "video",
        "audio",
        "playlist",
        "youtube",
        "vimeo",
        "code",
        "sourcecode",
        "source",
        "latex",
        "python",
        "php",
        "text",
    ):
        assert name in HANDLERS
