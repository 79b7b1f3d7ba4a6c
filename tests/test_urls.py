"""The fast paths of wpmigrate.urls give exactly what the urllib-based definitions give.

The reference functions below are the helpers as they were before the fast paths (plain
``urllib.parse``); hypothesis throws URL-shaped text at both.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpmigrate.urls import ID_PARAMS, absolutize, host_of, key_and_path, path_of, url_key


def ref_host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def ref_absolutize(url: str, base_url: str) -> str:
    return urljoin(base_url.rstrip("/") + "/", url) if base_url else url


def _ref_query(query: str, keep_blank: bool) -> str:
    pairs = dict(parse_qsl(query, keep_blank_values=keep_blank))
    return next((f"?{n}={pairs[n]}" for n in ID_PARAMS if n in pairs), "")


def ref_url_key(url: str) -> str:
    parts = urlsplit(url)
    path = unquote(parts.path or "/")
    if path.endswith(("/index.php", "/index.html", "/index.htm")):
        path = path.rsplit("/", 1)[0] + "/"
    if not path.startswith("/"):
        path = "/" + path
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return path + _ref_query(parts.query, False)


def ref_path_of(url: str) -> str:
    parts = urlsplit(url)
    path = quote(unquote(parts.path or "/"), safe="/%-._~!$&'()*+,;=:@")
    return path + _ref_query(parts.query, False)


PIECES = [
    "http://", "https://", "HTTPS://", "//", "/", "?", "#", ";", ".", "..", "./", "/.",
    "example.org", "www.Example.ORG", "user@", ":8080", "[::1]", "%20", "%E6%97%A5",
    "日本", "p=12", "page_id=7", "attachment_id=3", "&", "=", "cat=4", "index.php",
    "a", "b.jpg", "2023/07/05", "slug", " ", "\t", "\n", "\x00", "+", "é", "~", "@", "%",
    "%e6%97%a5", "%2F", "%zz", "/?p=12", "/a/?page_id=7&x=1",
]  # fmt: skip
URLS = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
BASES = st.sampled_from(
    ["", "https://example.org", "http://www.example.org/blog/", "https://Ex.org:8443/",
     "ftp://example.org", "example.org", "https://example.org/?x=1"]
)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(URLS, BASES)
def test_fast_paths_agree_with_urllib(url: str, base: str) -> None:
    for func, ref in ((host_of, ref_host_of), (url_key, ref_url_key), (path_of, ref_path_of)):
        try:
            expected: object = ref(url)
        except ValueError as error:
            expected = type(error)
        try:
            got: object = func(url)
        except ValueError as error:
            got = type(error)
        assert got == expected, (func.__name__, url)
    try:
        expected = ref_absolutize(url, base)
    except ValueError as error:
        expected = type(error)
    try:
        got = absolutize(url, base)
    except ValueError as error:
        got = type(error)
    assert got == expected, ("absolutize", url, base)


@settings(max_examples=3000, deadline=None)
@given(URLS, BASES)
def test_key_and_path_is_the_three_helpers_in_one(url: str, base: str) -> None:
    def reference() -> tuple[str, str, str]:
        absolute = ref_absolutize(url, base)
        return ref_host_of(url), ref_url_key(absolute), ref_path_of(absolute)

    outcomes = []
    for func in (reference, lambda: key_and_path(url, base)):
        try:
            outcomes.append(func())
        except ValueError as error:
            outcomes.append(type(error))
    assert outcomes[1] == outcomes[0], (url, base)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.org/2023/07/05/slug/",
        "/2023/07/05/slug",
        "/?p=308",
        "https://example.org/index.php?page_id=6&foo=1",
        "https://example.org/%E6%97%A5%E6%9C%AC/",
        "/\t/evil.example/x",
        "https://example.org/a/../b/",
        "/a//b/./c?",
    ],
)
def test_common_shapes(url: str) -> None:
    assert host_of(url) == ref_host_of(url)
    assert url_key(url) == ref_url_key(url)
    assert path_of(url) == ref_path_of(url)
    assert absolutize(url, "https://example.org") == ref_absolutize(url, "https://example.org")
