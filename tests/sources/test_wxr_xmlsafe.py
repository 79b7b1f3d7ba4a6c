"""Tests for wpmigrate.sources.xmlsafe: the streaming byte filter and the safe parser."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpmigrate.sources.xmlsafe import (
    XmlByteFilter,
    safe_iterparse,
    strip_forbidden_chars,
)

FORBIDDEN = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
ITEM_TAGS = (b"<item>", b"<item ", b"<item\n", b"<item\t", b"<item\r")


def _drain(data: bytes, chunk_size: int, read_size: int = 1 << 16) -> tuple[bytes, XmlByteFilter]:
    """Everything the filter yields for ``data``, reading with ``read_size``."""
    source = XmlByteFilter(io.BytesIO(data), chunk_size=chunk_size)
    parts = []
    while True:
        part = source.read(min(read_size, chunk_size))
        if not part:
            break
        parts.append(part)
    return b"".join(parts), source


def _expected(data: bytes) -> tuple[bytes, list[int], int, int]:
    """What the filter should produce: output, removal lines, line offset, item count."""
    body = data.lstrip(b" \t\r\n\xef\xbb\xbf")
    junk = data[: len(data) - len(body)]
    offset = junk.count(b"\n") or junk.count(b"\r")
    lines = [
        body.count(b"\n", 0, index) + 1 + offset
        for index, byte in enumerate(body)
        if byte in FORBIDDEN
    ]
    items = sum(body.count(tag) for tag in ITEM_TAGS)
    return body.translate(None, FORBIDDEN), lines, offset, items


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 5, 7, 64, 1 << 16])
def test_filter_removes_controls_at_any_chunk_size(chunk_size: int) -> None:
    data = (
        b"\xef\xbb\xbf\n \t<?xml version='1.0'?>\n<rss><channel>\n"
        b"<item><title>a\x10b \xe5\x91\xb3\x1b</title></item>\n<item >\x00</item>"
        b"</channel></rss>\n"
    )
    output, source = _drain(data, chunk_size)
    assert output == (
        b"<?xml version='1.0'?>\n<rss><channel>\n"
        b"<item><title>ab \xe5\x91\xb3</title></item>\n<item ></item></channel></rss>\n"
    )
    assert source.line_offset == 1
    assert source.stats.removed == {0x10: 1, 0x1B: 1, 0x00: 1}
    assert source.stats.lines == [4, 4, 5]
    assert source.stats.leading_bytes == 3
    assert source.stats.item_tags == 2
    assert source.stats.eof is True


@settings(max_examples=300, deadline=None)
@given(
    data=st.lists(
        st.sampled_from(
            [
                b"a",
                b"\n",
                b"\r",
                b"\t",
                b" ",
                b"<item>",
                b"<item ",
                b"<it",
                b"em>",
                b"\x10",
                b"\x00",
                b"\x1f",
                b"\x7f",
                b"\xef\xbb\xbf",
                b"\xe5\x91\xb3",
                b"<",
            ]
        ),
        max_size=60,
    ).map(b"".join),
    chunk_size=st.integers(min_value=1, max_value=20),
)
def test_filter_matches_a_whole_file_reference(data: bytes, chunk_size: int) -> None:
    output, source = _drain(data, chunk_size)
    expected, lines, offset, items = _expected(data)
    assert output == expected
    assert source.stats.lines == lines
    assert source.line_offset == offset
    assert source.stats.total_removed() == len(lines)
    assert source.stats.item_tags == items


def test_filter_passes_utf16_through_untouched() -> None:
    data = "\ufeff<?xml version='1.0' encoding='UTF-16'?><rss/>".encode("utf-16-le")
    output, source = _drain(data, 7)
    assert output == data
    assert source.stats.total_removed() == 0


def test_safe_iterparse_reads_filtered_multibyte_text_split_across_chunks() -> None:
    text = "<rss><channel><title>味噌汁\x10と ramen</title></channel></rss>"
    source = XmlByteFilter(io.BytesIO(text.encode("utf-8")), chunk_size=3)
    titles = [elem.text for _, elem in safe_iterparse(source, ("end",)) if elem.tag == "title"]
    assert titles == ["味噌汁と ramen"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("a\x10b\x00c", "abc"),
        ("tab\tnew\nline\r", "tab\tnew\nline\r"),
        ("\ufffe\uffffok", "ok"),
    ],
)
def test_strip_forbidden_chars(text: str, expected: str) -> None:
    assert strip_forbidden_chars(text) == expected
