"""Front matter goes through a serializer and round-trips any title exactly."""

from __future__ import annotations

import io
import tomllib
from datetime import UTC, datetime, timedelta, timezone

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.transforms.oracles import frontmatter_31bdab0
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


#: Pieces of text YAML reads specially: indicators, quotes, comment and block starts,
#: words and numbers the resolver reads as bool/null/int/float/timestamp, breaks and
#: characters the emitter must escape, non-ASCII and emoji.
_YAML_PIECES = [
    "yes", "No", "ON", "off", "true", "False", "null", "Null", "~", "0", "1986", "-12",
    "0x1F", "0o17", "1_000", "3.14", ".inf", "-.Inf", ".NaN", "1e3", "2023-07-05",
    "2023-07-05T10:00:00-04:00", "2001-12-14 21:59:43.10", "12:30:45", "=", "<<",
    ": ", ":", "#", " #", "-", "- ", "--- ", "...", "?", ",", "[", "]", "{", "}", "|",
    ">", "!", "&", "*", "%", "@", "`", "'", '"', "\\", " ", "  ", "\n", "\n\n",
    "\t", "\r", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\xa0", "\u2028",
    "\u2029", "\ufeff", "\ufffe", "é", "π", "ß", "中文", "😀", "🇫🇷", "👩\u200d💻", "a",
    "Title", "x y",
]
_YAML_TEXT = st.lists(st.sampled_from(_YAML_PIECES), max_size=6).map("".join)
_TEXT = st.text() | _YAML_TEXT | st.sampled_from(TRICKY_TITLES)
_DATES = st.datetimes(
    timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=-5)),
                               timezone(timedelta(hours=5, minutes=30)),
                               timezone(timedelta(seconds=-61))])
) | st.dates()
_KNOWN_SCALARS = _TEXT | st.integers() | st.booleans() | st.none() | _DATES
#: What presets put in front matter (the types dump_yaml makes events for) …
_KNOWN = st.recursive(
    _KNOWN_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)
_FRONT_MATTER = st.dictionaries(_TEXT, _KNOWN, max_size=8)
#: … and other types anywhere (written by yaml.dump itself).
_ANY_FRONT_MATTER = st.dictionaries(
    _TEXT,
    st.recursive(
        _KNOWN_SCALARS | st.floats() | st.tuples(st.integers()),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
        max_leaves=8,
    ),
    max_size=6,
)


def _yaml_dump(data: dict[str, object], dumper: type) -> str:
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=10_000)


@given(_FRONT_MATTER)
def test_direct_events_write_what_yaml_dump_writes(data: dict[str, object]) -> None:
    """dump_yaml feeds the emitter its own events (speed); the bytes are yaml.dump's
    with the dumper of before (the oracle, verbatim), and the old dump_yaml's; also
    the second time, when the events of the strings are remembered ones."""
    expected = f"---\n{_yaml_dump(data, frontmatter_31bdab0._Dumper)}---\n"
    assert frontmatter_31bdab0.dump_yaml(data) == expected
    assert dump_yaml(data) == expected
    assert dump_yaml(data) == expected


@given(_ANY_FRONT_MATTER)
def test_any_type_writes_what_yaml_dump_writes(data: dict[str, object]) -> None:
    expected = f"---\n{_yaml_dump(data, frontmatter_31bdab0._Dumper)}---\n"
    assert dump_yaml(data) == expected


@given(_FRONT_MATTER)
def test_direct_events_with_pythons_emitter(data: dict[str, object]) -> None:
    """Without libyaml, PyYAML's own emitter gets the same events: the bytes are those
    of yaml.dump with the pure-Python SafeDumper and the same representers."""
    from wpmigrate import frontmatter

    class PureDumper(yaml.SafeDumper):
        def ignore_aliases(self, data: object) -> bool:
            return True

    PureDumper.add_representer(str, frontmatter._str_representer)
    PureDumper.add_representer(datetime, frontmatter._datetime_representer)
    emitter = frontmatter._Emitter
    frontmatter._Emitter = yaml.emitter.Emitter
    try:
        assert dump_yaml(data) == f"---\n{_yaml_dump(data, PureDumper)}---\n"
    finally:
        frontmatter._Emitter = emitter


def test_front_matter_types_take_the_direct_way() -> None:
    """The yaml.dump fallback is for types presets do not write."""
    from unittest import mock

    from wpmigrate import frontmatter

    data = {"title": "t", "date": datetime(2023, 7, 5, tzinfo=UTC), "draft": True,
            "weight": 3, "images": None, "tags": ["a", "b"], "extra": {"k": ["v"]}}
    with mock.patch.object(frontmatter.yaml, "dump", side_effect=AssertionError):
        dump_yaml(data)
    with pytest.raises(AssertionError), \
            mock.patch.object(frontmatter.yaml, "dump", side_effect=AssertionError):
        dump_yaml({"ratio": 0.5})


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


@given(_TEXT, st.sampled_from(["str", "int", "bool", "null", "timestamp", "float"]))
def test_scalar_events_are_what_the_serializer_makes(value: str, kind: str) -> None:
    """The implicit flags of a scalar event (and the shortcut for strings that no
    implicit resolver looks at) are what PyYAML's serializer asks its resolver."""
    from wpmigrate.frontmatter import _STR, _TAG, _Dumper, _scalar

    tag = _STR if kind == "str" else _TAG + kind  # the constant: the shortcut's case
    dumper = _Dumper(io.StringIO())
    expected = (dumper.resolve(yaml.ScalarNode, value, (True, False)) == tag,
                dumper.resolve(yaml.ScalarNode, value, (False, True)) == tag)
    dumper.dispose()
    assert _scalar(tag, value).implicit == expected
