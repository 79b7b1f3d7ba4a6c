"""Tests for wpmigrate.sources.phpserialize (reading postmeta such as attachment metadata)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpmigrate.sources.phpserialize import PhpValue, attachment_files, loads


def _serialize(value: PhpValue) -> str:
    """A tiny PHP ``serialize()`` for the round-trip test (string lengths in UTF-8 bytes)."""
    if value is None:
        return "N;"
    if isinstance(value, bool):
        return f"b:{int(value)};"
    if isinstance(value, int):
        return f"i:{value};"
    if isinstance(value, float):
        return f"d:{value!r};"
    if isinstance(value, str):
        return f's:{len(value.encode("utf-8"))}:"{value}";'
    if isinstance(value, list):
        value = dict(enumerate(value))
    body = "".join(_serialize(key) + _serialize(item) for key, item in value.items())
    return f"a:{len(value)}:{{{body}}}"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("N;", None),
        ("b:1;", True),
        ("b:0;", False),
        ("i:-42;", -42),
        ("d:0.5;", 0.5),
        ("d:1.0E+25;", 1.0e25),
        ("d:-INF;", -math.inf),
        ('s:0:"";', ""),
        ('s:5:"a"b;c";', 'a"b;c'),
        ('s:9:"味噌汁";', "味噌汁"),
        ("a:0:{}", {}),
        ('a:2:{i:0;s:1:"x";s:1:"k";a:1:{i:5;b:1;}}', {0: "x", "k": {5: True}}),
    ],
)
def test_loads_plain_values(data: str, expected: PhpValue) -> None:
    assert loads(data) == expected


def test_loads_bytes_and_lists() -> None:
    assert loads(b'a:2:{i:0;s:1:"a";i:1;s:1:"b";}', lists=True) == ["a", "b"]
    assert loads('a:2:{i:1;s:1:"a";i:0;s:1:"b";}', lists=True) == {1: "a", 0: "b"}
    assert loads("a:0:{}", lists=True) == {}


def test_nan_is_a_float() -> None:
    value = loads("d:NAN;")
    assert isinstance(value, float) and math.isnan(value)


def test_string_whose_crlf_became_lf_in_the_export() -> None:
    # Serialized with "\r\n" (12 bytes); XML parsing turned them into "\n" (10 bytes).
    assert loads('a:1:{s:4:"body";s:12:"line\none\nx";}') == {"body": "line\none\nx"}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("", "unknown type ''"),
        ("x:1;", "unknown type 'x:'"),
        ("i:;", "not an integer: ''"),
        ("i:1.5;", "not an integer: '1.5'"),
        ("b:2;", "not a boolean: '2'"),
        ("d:abc;", "not a number: 'abc'"),
        ('s:3:"ab";', "string is not 3 bytes long"),
        ('s:2:"ab"', "string is not 2 bytes long"),
        ('s:10:"ab";', "string runs past the end of the data"),
        (b's:1:"\xe5";', "string is not valid UTF-8 (wrong byte length?)"),
        ("a:1:{i:0;N;", "expected '}', found ''"),
        ("a:1:{d:0.5;N;}", "array key must be an integer or a string, not 0.5"),
        ('O:8:"stdClass":0:{}', "PHP objects and references are not accepted ('O:')"),
        ('a:1:{i:0;O:8:"stdClass":0:{}}', "PHP objects and references are not accepted ('O:')"),
        ("i:1;i:2;", "unexpected data after the value"),
        ("a:1:{i:0;" * 70 + "N;" + "}" * 70, "nested deeper than 64 levels"),
    ],
)
def test_malformed_input_raises_value_error(data: str | bytes, problem: str) -> None:
    with pytest.raises(ValueError, match="malformed PHP serialized data at byte") as caught:
        loads(data)
    assert str(caught.value).endswith(problem)


def test_attachment_files() -> None:
    metadata = _serialize(
        {
            "width": 1200,
            "file": "2020/05/photo.jpg",
            "sizes": {
                "thumbnail": {"file": "photo-150x150.jpg", "width": 150},
                "medium": {"file": "photo-300x200.jpg"},
                "medium_large": {"file": "photo-300x200.jpg"},
                "broken": "not an array",
            },
            "image_meta": {"caption": ""},
        }
    )
    assert attachment_files(metadata) == (
        "2020/05/photo.jpg",
        ("photo-150x150.jpg", "photo-300x200.jpg"),
    )
    assert attachment_files('a:1:{s:5:"sizes";a:0:{}}') == ("", ())
    with pytest.raises(ValueError, match="not a PHP array"):
        attachment_files('s:1:"x";')


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_values = st.recursive(
    _scalars,
    lambda children: st.dictionaries(st.integers() | st.text(), children, max_size=5),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_values)
def test_round_trip_against_a_tiny_serializer(value: PhpValue) -> None:
    assert loads(_serialize(value)) == value
