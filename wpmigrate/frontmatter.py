"""Front matter: a dict in, YAML or TOML text out, always through a serializer.

Titles with quotes, colons, ``#``, a leading ``-``, ``yes``/``no``, emoji and entities
must round-trip exactly, which string formatting cannot promise (trafilatura's f-string
YAML header broke on ``: ``). ``yaml.safe_dump`` quotes whatever needs quoting.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

import tomli_w
import yaml

FrontMatterFormat = Literal["yaml", "toml"]


#: LibYAML's emitter when PyYAML was built with it (about 10x faster), else pure Python.
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """SafeDumper that writes multi-line strings as literal blocks and never aliases.

    ``yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
    default_flow_style=False, width=10_000)`` is the front matter ``dump_yaml`` writes
    (the tests hold it to that); ``dump_yaml`` feeds the same emitter directly."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


#: Characters YAML readers treat as line breaks or drop; they force an escaped style.
_YAML_SPECIAL = re.compile("[\x85\u2028\u2029\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _str_style(value: str) -> str | None:
    """Double quotes for characters readers mangle, literal blocks for multi-line text,
    else plain (the emitter still quotes whatever YAML would misread)."""
    if value.isascii() and value.isprintable():  # most values: no control, no break
        return None
    if _YAML_SPECIAL.search(value):
        return '"'
    if "\n" in value and not _has_trailing_space_lines(value):
        return "|"
    return None


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=_str_style(value))


def _has_trailing_space_lines(value: str) -> bool:
    """PyYAML cannot write literal blocks whose lines end in spaces; fall back to quotes."""
    return any(line != line.rstrip(" \t") for line in value.split("\n"))


def _datetime_representer(dumper: yaml.SafeDumper, value: datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(datetime, _datetime_representer)


# --- the direct way: events straight into the emitter --------------------------------
#
# ``yaml.dump`` represents the data as nodes, and the serializer turns the nodes into
# events for the emitter, asking the resolver (Python, called back from libyaml's
# emitter) four times per scalar. The front matter holds only a few types, whose
# nodes are fixed (the representers above, PyYAML's SafeRepresenter for the rest), so
# ``dump_yaml`` makes those events itself, with the resolver's answers, and the same
# emitter writes them: every quote, escape and indent is still the emitter's.

#: The emitter ``_Dumper`` writes with (libyaml's, else PyYAML's own).
_Emitter: Any = yaml.emitter.Emitter
if _BaseDumper is not yaml.SafeDumper:
    from yaml._yaml import CEmitter

    _Emitter = CEmitter

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_RESOLVER = yaml.resolver.Resolver()
#: The first characters that some implicit resolver (int, bool, null, timestamp …)
#: looks at: a scalar starting with any other character resolves as a string.
_RESOLVED_BY_FIRST = frozenset(_RESOLVER.yaml_implicit_resolvers)
# What makes the shortcuts below the resolver's own answers: the same resolver, no
# resolver for every first character, no path resolvers.
assert _Dumper.yaml_implicit_resolvers is _RESOLVER.yaml_implicit_resolvers
assert None not in _RESOLVED_BY_FIRST and not _Dumper.yaml_path_resolvers

_STREAM_START = yaml.StreamStartEvent()
_DOCUMENT_START = yaml.DocumentStartEvent()  # implicit: no ``---`` from the emitter
_MAP_START = yaml.MappingStartEvent(None, _TAG + "map", True, flow_style=False)
_SEQ_START = yaml.SequenceStartEvent(None, _TAG + "seq", True, flow_style=False)
_MAP_END = yaml.MappingEndEvent()
_SEQ_END = yaml.SequenceEndEvent()
_DOCUMENT_END = yaml.DocumentEndEvent()
_STREAM_END = yaml.StreamEndEvent()


def _plain_resolves_to(value: str) -> str:
    """The tag the resolver gives ``value`` written plain (what the serializer asks)."""
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    return tag


def _scalar(tag: str, value: str, style: str | None = None) -> yaml.ScalarEvent:
    """The event the serializer makes for a scalar node: implicit (tag left out) when
    written plain if the resolver reads the plain value back as ``tag``; when quoted
    if ``tag`` is str (what the resolver gives every non-plain scalar)."""
    if tag is _STR and value and value[0] not in _RESOLVED_BY_FIRST:
        implicit = (True, True)  # no implicit resolver looks at it: a string
    else:
        implicit = (_plain_resolves_to(value) == tag, tag == _STR)
    return yaml.ScalarEvent(None, tag, implicit, value, style=style)


def _str_event(value: str) -> yaml.ScalarEvent:
    """A string's event; short ones are remembered in ``_STR_EVENTS`` (keys, terms
    and authors repeat post after post)."""
    event = _scalar(_STR, value, _str_style(value))
    if len(value) <= _REMEMBERED_LENGTH:
        if len(_STR_EVENTS) >= _REMEMBERED_COUNT:
            _STR_EVENTS.clear()
        _STR_EVENTS[value] = event
    return event


_STR_EVENTS: dict[str, yaml.ScalarEvent] = {}
_REMEMBERED_COUNT = 4096
_REMEMBERED_LENGTH = 200


class _OtherType(Exception):
    """A value of a type ``_events`` does not know: ``yaml.dump`` writes the document."""


def _events(value: Any, emit: Callable[[yaml.Event], None]) -> None:
    """Emit what the serializer emits for the node ``_Dumper`` represents ``value`` by.
    (Strings in a list or mapping are looked up in place: most values are strings,
    and most of those were seen before.)"""
    kind = type(value)
    if kind is dict:
        emit(_MAP_START)
        for key, item in value.items():
            if type(key) is str:
                emit(_STR_EVENTS.get(key) or _str_event(key))
            else:
                _events(key, emit)
            if type(item) is str:
                emit(_STR_EVENTS.get(item) or _str_event(item))
            else:
                _events(item, emit)
        emit(_MAP_END)
    elif kind is list:
        emit(_SEQ_START)
        for item in value:
            if type(item) is str:
                emit(_STR_EVENTS.get(item) or _str_event(item))
            else:
                _events(item, emit)
        emit(_SEQ_END)
    elif kind is str:
        emit(_STR_EVENTS.get(value) or _str_event(value))
    elif kind is int:
        emit(_scalar(_TAG + "int", str(value)))
    elif kind is bool:
        emit(_scalar(_TAG + "bool", "true" if value else "false"))
    elif value is None:
        emit(_scalar(_TAG + "null", "null"))
    elif kind is datetime or kind is date:
        emit(_scalar(_TAG + "timestamp", value.isoformat()))
    else:
        raise _OtherType


def dump_yaml(data: dict[str, Any]) -> str:
    """``---``-fenced YAML front matter, keys in the given order, Unicode kept.

    What ``yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
    default_flow_style=False, width=10_000)`` writes, from the events ``_events``
    makes (``yaml.dump`` itself for a type it does not know).
    """
    stream = io.StringIO()
    emit = _Emitter(stream, allow_unicode=True, width=10_000).emit
    try:
        emit(_STREAM_START)
        emit(_DOCUMENT_START)
        _events(data, emit)
        emit(_DOCUMENT_END)
        emit(_STREAM_END)
    except _OtherType:
        text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                         default_flow_style=False, width=10_000)
        return f"---\n{text}---\n"
    return f"---\n{stream.getvalue()}---\n"


def dump_yaml_data(data: dict[str, Any]) -> str:
    """A YAML data file (no ``---`` fences): the front matter's dumper, so multi-line
    text is a literal block and every value is quoted where YAML would misread it."""
    return str(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                         default_flow_style=False, width=10_000))


def dump_toml(data: dict[str, Any]) -> str:
    """``+++``-fenced TOML front matter. ``None`` values are dropped (TOML has no null)."""
    return f"+++\n{tomli_w.dumps(_drop_none(data))}+++\n"


def dump(data: dict[str, Any], fmt: FrontMatterFormat) -> str:
    """Serialize front matter in the requested format."""
    return dump_toml(data) if fmt == "toml" else dump_yaml(data)


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value if v is not None]
    return value


def parse(text: str) -> tuple[dict[str, Any], str]:
    """Split a Markdown file into (front matter, body); used by tests and checks."""
    if text.startswith("---\n"):
        end = text.index("\n---\n", 3)
        data = yaml.safe_load(text[4 : end + 1]) or {}
        return data, text[end + 5 :]
    if text.startswith("+++\n"):
        import tomllib

        end = text.index("\n+++\n", 3)
        return tomllib.loads(text[4 : end + 1]), text[end + 5 :]
    return {}, text


__all__ = ["FrontMatterFormat", "date", "dump", "dump_toml", "dump_yaml", "dump_yaml_data", "parse"]
