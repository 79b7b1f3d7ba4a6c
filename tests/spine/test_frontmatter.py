"""Front matter goes through a serializer and round-trips any title exactly."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta, timezone

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from wpmigrate.frontmatter import dump, dump_toml, dump_yaml, parse

TRICKY_TITLES = [
    'He said "hi"',
    "It's a title: with a colon",
    "# not a comment",
    "- not a list",
    "yes",
    "no",
    "null",
    "~",
    "1986",
    "3.14",
    "2023-07-05",
    "emoji 😀🇫🇷👩‍💻",
    "&#8217; stays an entity",
    "[brackets] and {braces}",
    "trailing space ",
    " leading space",
    "multi\nline",
    "tab\tinside",
    "@at and `backtick`",
    "*star* & %percent",
    "",
]


@pytest.mark.parametrize("title", TRICKY_TITLES)
@pytest.mark.parametrize("fmt", ["yaml", "toml"])
def test_tricky_titles_round_trip(title: str, fmt: str) -> None:
    data, body = parse(dump({"title": title}, fmt) + "\nbody\n")  # type: ignore[arg-type]
    assert data == {"title": title}
    assert body == "\nbody\n"


@given(st.text())
def test_any_yaml_title_round_trips(title: str) -> None:
    text = dump_yaml({"title": title, "tags": [title]})
    loaded = yaml.safe_load(text[4:-4])
    assert loaded == {"title": title, "tags": [title]}


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_any_toml_title_round_trips(title: str) -> None:
    text = dump_toml({"title": title})
    assert tomllib.loads(text[4:-4]) == {"title": title}


def test_dates_are_iso_8601_with_offset() -> None:
    when = datetime(2023, 7, 5, 18, 30, tzinfo=timezone(timedelta(hours=-4)))
    assert dump_yaml({"date": when}) == "---\ndate: 2023-07-05T18:30:00-04:00\n---\n"
    assert dump_toml({"date": when}) == "+++\ndate = 2023-07-05 18:30:00-04:00\n+++\n"


def test_key_order_is_kept() -> None:
    assert dump_yaml({"title": "t", "date": "d", "aliases": ["/a/"]}) == (
        "---\ntitle: t\ndate: d\naliases:\n- /a/\n---\n"
    )


_SCALARS = (
    st.text()
    | st.sampled_from(TRICKY_TITLES)
    | st.integers()
    | st.booleans()
    | st.none()
    | st.floats(allow_nan=False)
    | st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5))]))
    | st.dates()
)
_FRONT_MATTER = st.dictionaries(
    st.text(min_size=1),
    _SCALARS | st.lists(_SCALARS, max_size=4) | st.dictionaries(st.text(), _SCALARS, max_size=3),
    max_size=8,
)


@given(_FRONT_MATTER)
def test_direct_nodes_write_what_yaml_dump_writes(data: dict[str, object]) -> None:
    """dump_yaml builds the YAML nodes itself (speed); the bytes are PyYAML's own."""
    from wpmigrate.frontmatter import _Dumper

    expected = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                         default_flow_style=False, width=10_000)
    assert dump_yaml(data) == f"---\n{expected}---\n"


def _str_style_by_regex_only(value: str) -> str | None:
    """``_str_style`` before its printable-ASCII shortcut (the oracle)."""
    from wpmigrate.frontmatter import _YAML_SPECIAL, _has_trailing_space_lines

    if _YAML_SPECIAL.search(value):
        return '"'
    if "\n" in value and not _has_trailing_space_lines(value):
        return "|"
    return None


@given(st.text() | st.text(alphabet=st.sampled_from("ab \t\n\r\x85\x7f\x1f\u2028\ufeffé")))
def test_str_style_shortcut_changes_no_style(value: str) -> None:
    from wpmigrate.frontmatter import _str_style

    assert _str_style(value) == _str_style_by_regex_only(value)


@given(
    st.text() | st.sampled_from(["", "yes", "No", "~", "null", "0x1F", "1_000", ".inf", "1e3",
                                 "2023-07-05", "2001-12-14t21:59:43.10-05:00", "=", "<<"]),
    st.sampled_from([(True, False), (False, True), (True, True), (False, False)]),
)
def test_remembered_resolutions_are_the_resolvers(value: str, implicit: tuple[bool, bool]) -> None:
    """The dumper's remembered answer, asked twice, is what PyYAML's resolver says."""
    import io

    from wpmigrate.frontmatter import _Dumper

    dumper = _Dumper(io.StringIO())
    expected = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, implicit)
    assert dumper.resolve(yaml.ScalarNode, value, implicit) == expected
    assert dumper.resolve(yaml.ScalarNode, value, implicit) == expected
    dumper.dispose()
