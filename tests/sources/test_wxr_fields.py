"""Tests for wpmigrate.sources.wxr_fields: element keys, dates, numbers and slugs."""

from __future__ import annotations

from datetime import datetime

import pytest

from wpmigrate.sources.wxr_fields import key_of, parse_int, parse_wp_date, slugify, wp_version_of


@pytest.mark.parametrize(
    ("tag", "key"),
    [
        ("{http://wordpress.org/export/1.0/}post_id", "wp:post_id"),
        ("{http://wordpress.org/export/1.1/}post_id", "wp:post_id"),
        ("{http://wordpress.org/export/1.2/}post_id", "wp:post_id"),
        ("{https://wordpress.org/export/1.2/}status", "wp:status"),
        ("{http://wordpress.org/export/1.2/excerpt/}encoded", "excerpt:encoded"),
        ("{http://purl.org/rss/1.0/modules/content/}encoded", "content:encoded"),
        ("{http://purl.org/dc/elements/1.1/}creator", "dc:creator"),
        ("title", "title"),
        ("{http://example.com/hijack/}post_id", "{http://example.com/hijack/}post_id"),
    ],
)
def test_key_of(tag: str, key: str) -> None:
    assert key_of(tag) == key


@pytest.mark.parametrize(
    ("uri", "version"),
    [
        ("http://wordpress.org/export/1.2/", "1.2"),
        ("http://wordpress.org/export/1.0/", "1.0"),
        ("http://wordpress.org/export/1.2/excerpt/", None),
        ("http://purl.org/dc/elements/1.1/", None),
    ],
)
def test_wp_version_of(uri: str, version: str | None) -> None:
    assert wp_version_of(uri) == version


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-01 09:30:00", datetime(2024, 2, 1, 9, 30)),
        (" 2024-02-01 09:30:00\n", datetime(2024, 2, 1, 9, 30)),
        ("2024-02-01", datetime(2024, 2, 1)),
        ("2024-2-1 9:30:00", datetime(2024, 2, 1, 9, 30)),
        ("2023-03-02T08:00:00+01:00", datetime(2023, 3, 2, 8, 0)),
        ("0000-00-00 00:00:00", None),
        ("", None),
    ],
)
def test_parse_wp_date(text: str, expected: datetime | None) -> None:
    assert parse_wp_date(text) == expected


@pytest.mark.parametrize("text", ["2023-02-30 10:00:00", "2024-13-01 00:00:00", "yesterday"])
def test_parse_wp_date_rejects_impossible_dates(text: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_wp_date(text)


def test_parse_int() -> None:
    assert parse_int(" 12 ") == 12
    assert parse_int("") == 0
    assert parse_int("", default=7) == 7
    with pytest.raises(ValueError):
        parse_int("first")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Local News", "local-news"),
        ("Café Crème", "cafe-creme"),
        ("  C++ & Rust!  ", "c-rust"),
        ("和食", "和食"),
        ("snake_case-ok", "snake_case-ok"),
        ("!!!", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug
