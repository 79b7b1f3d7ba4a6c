"""The reader's shortcuts give the same results as the long way round.

The byte filter tells the reader whether text can hold characters XML 1.0 forbids
(only through a character reference, or in an encoding that is not ASCII-based), so
items are searched for them only then; and with ``reopen`` it counts newlines and
``<item`` tags only when they are asked for.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpmigrate.model import Post
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.sources.wxr import WxrSource
from wpmigrate.sources.xmlsafe import XmlByteFilter

FORBIDDEN = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
NS = (
    'xmlns:wp="http://wordpress.org/export/1.2/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
)
#: What libxml2 turns into a forbidden character: a reference to one.
FORBIDDEN_REF = re.compile(rb"&#(?:[xX]0*([0-9a-fA-F]+)|0*([0-9]+))")
_WORDS = b"&# & # x X 1 6 0 3 9 55296 d8 FFFE fffe 65535 ; a 8217 <item> <it em>"
PIECES = [*_WORDS.split(), b" ", b"\n", b"\x10"]


def _drain(data: bytes, chunk_size: int, reopen: bool) -> XmlByteFilter:
    source = XmlByteFilter(
        io.BytesIO(data),
        chunk_size=chunk_size,
        reopen=(lambda: io.BytesIO(data)) if reopen else None,
    )
    while source.read(chunk_size):
        pass
    return source


def _refers_to_forbidden(body: bytes) -> bool:
    """Whether ``body`` holds a reference to a character XML 1.0 forbids."""
    for match in FORBIDDEN_REF.finditer(body):
        value = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        if value < 0x20 and value not in (0x09, 0x0A, 0x0D):
            return True
        if 0xD800 <= value <= 0xDFFF or value in (0xFFFE, 0xFFFF):
            return True
    return False


@settings(max_examples=400, deadline=None)
@given(
    data=st.lists(st.sampled_from(PIECES), max_size=40).map(b"".join),
    chunk_size=st.integers(min_value=1, max_value=24),
)
def test_forbidden_references_are_noticed_at_any_chunk_size(data: bytes, chunk_size: int) -> None:
    document = b"<r>" + data + b"</r>"
    source = _drain(document, chunk_size, reopen=False)
    body = document.translate(None, FORBIDDEN)
    if _refers_to_forbidden(body):
        assert source.may_hold_forbidden
    if b"&#" not in body:  # (a few harmless references may raise an alarm too: &#9;)
        assert not source.may_hold_forbidden


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"&#8217; &#x2019; &#233; &#160; &#38;#16; &#32; &#x20; &#xE9;", False),
        (b"&#16;", True),
        (b"&#x1F;", True),
        (b"&#0000000016;", True),
        (b"&#xd800;", True),
        (b"&#65534;", True),
        (b"&#xFFFF;", True),
        (b"&#1", True),
        (b"# " * 100 + b"&#8217;", False),  # many '#' in a chunk
        (b"# " * 100 + b"&#16;", True),
    ],
)
@pytest.mark.parametrize("chunk_size", [1, 2, 5, 1 << 16])
def test_references_that_raise_the_alarm(text: bytes, expected: bool, chunk_size: int) -> None:
    source = _drain(b"<r>" + text + b"</r>", chunk_size, reopen=False)
    assert source.may_hold_forbidden is expected


@pytest.mark.parametrize(
    ("declaration", "expected"),
    [
        (b"", False),
        (b"<?xml version='1.0'?>", False),
        (b'<?xml version="1.0" encoding="UTF-8"?>', False),
        (b'<?xml version="1.0" encoding="utf8" standalone="yes"?>', False),
        (b"<?xml version='1.0' encoding='windows-1252'?>", False),
        (b'<?xml version="1.0" encoding="ISO-8859-15"?>', False),
        (b'<?xml version="1.0" encoding="us-ascii"?>', False),
        (b'<?xml version="1.0" encoding="EBCDIC-US"?>', True),
        (b'<?xml version="1.0" encoding="UTF-16"?>', True),
        (b'<?xml version="1.0" encoding="UTF-7"?>', True),
    ],
)
@pytest.mark.parametrize("chunk_size", [1, 3, 1 << 16])
def test_text_is_searched_in_every_encoding_not_based_on_ascii(
    declaration: bytes, expected: bool, chunk_size: int
) -> None:
    source = _drain(declaration + b"\n<r>caf\xc3\xa9 &#8217; &amp;</r>\n", chunk_size, False)
    assert source.may_hold_forbidden is expected


def test_text_is_searched_in_a_utf16_file() -> None:
    data = "\ufeff<?xml version='1.0' encoding='UTF-16'?><r>a</r>".encode("utf-16-le")
    assert _drain(data, 7, reopen=False).may_hold_forbidden


@settings(max_examples=300, deadline=None)
@given(
    data=st.lists(
        st.sampled_from([*PIECES, b"\x00", b"\x1f", b"\r", b"<item ", b"\n\n"]), max_size=60
    ).map(b"".join),
    junk=st.sampled_from([b"", b"\n", b" \r\n\t", b"\xef\xbb\xbf\n"]),
    chunk_size=st.integers(min_value=1, max_value=20),
)
def test_counts_made_on_demand_equal_the_streamed_ones(
    data: bytes, junk: bytes, chunk_size: int
) -> None:
    document = junk + b"<r>" + data + b"</r>"
    streamed = _drain(document, chunk_size, reopen=False)
    on_demand = _drain(document, chunk_size, reopen=True)
    assert on_demand.stats.lines == streamed.stats.lines
    assert on_demand.stats.removed == streamed.stats.removed
    assert on_demand.item_tags() == streamed.item_tags() == streamed.stats.item_tags


def _export(items: str, filler: int = 0) -> str:
    padding = f"<!-- {'x' * filler} -->" if filler else ""
    return f"<rss {NS}><channel><title>S</title>{padding}{items}</channel></rss>\n"


def _item(number: int, title: str = "T", extra: str = "") -> str:
    return (
        f"<item><title>{title}</title><wp:post_id>{number}</wp:post_id>"
        f"<content:encoded><![CDATA[body {number}]]></content:encoded>{extra}</item>"
    )


def _read(tmp_path: Path, text: str) -> tuple[list[Post | UnreadableItem], list[str]]:
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    source = WxrSource(path)
    source.read_site()
    return list(source.iter_items()), source.lost_data()


def test_forbidden_references_are_dropped_from_every_field(tmp_path: Path) -> None:
    extra = (
        '<category domain="post_tag" nicename="t"><![CDATA[Ta]]>&#16;g</category>'
        "<wp:postmeta><wp:meta_key>k&#x1b;</wp:meta_key><wp:meta_value>v&#1;</wp:meta_value>"
        "</wp:postmeta><wp:post_name>s&#31;lug</wp:post_name>"
        "<wp:comment><wp:comment_id>&#16;7</wp:comment_id>"
        "<wp:comment_content>Nice&#16;!</wp:comment_content></wp:comment>"
        "<wp:post_parent>&#2;3</wp:post_parent>"
        "<wp:post_date>2020-01-02&#16; 03:04:05</wp:post_date>"
    )
    # the reference comes late, after the reader has read more than a chunk of clean text
    items, lost = _read(tmp_path, _export(_item(1) + _item(2, "A&#16;B", extra), 200_000))
    post = items[1]
    assert isinstance(post, Post)
    assert (post.title, post.slug, post.parent, str(post.date)) == (
        "AB",
        "slug",
        3,
        "2020-01-02 03:04:05",
    )
    assert [term.name for term in post.terms] == ["Tag"]
    assert post.meta == (("k", "v"),)
    assert [(comment.id, comment.content) for comment in post.comments] == [(7, "Nice!")]
    assert all("character reference" in note for note in lost)
    assert {note.split()[5] for note in lost} == {"U+0010", "U+001B", "U+0001", "U+001F", "U+0002"}


def test_text_with_an_entity_and_a_forbidden_reference(tmp_path: Path) -> None:
    items, lost = _read(tmp_path, _export(_item(1, "a&nbsp;&#16;b")))
    assert [item.title for item in items] == ["a&nbsp;b"]
    assert any("&nbsp;" in note for note in lost)


def test_a_reference_to_a_surrogate_still_makes_the_item_unreadable(tmp_path: Path) -> None:
    items, _ = _read(tmp_path, _export(_item(1) + _item(2, "a&#xD800;&#16;b") + _item(3)))
    assert [type(item).__name__ for item in items] == ["Post", "UnreadableItem", "Post"]
    assert isinstance(items[1], UnreadableItem)
    assert "UnicodeDecodeError" in items[1].reason


def test_a_clean_export_is_read_without_searching_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wpmigrate.sources import wxr

    def fail(elem: object) -> None:
        raise AssertionError("searched")

    monkeypatch.setattr(wxr, "strip_forbidden_tree", fail)
    items, lost = _read(tmp_path, _export(_item(1, "Caf&#233; &#8217;") + _item(2)))
    assert [item.title for item in items] == ["Café \u2019", "T"]
    assert lost == []
