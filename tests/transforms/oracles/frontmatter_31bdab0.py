# frontmatter.py as of commit 31bdab0, verbatim below: the oracle that dump_yaml's direct
# events are checked against (tests/spine/test_frontmatter.py). Do not edit.

"""Front matter: a dict in, YAML or TOML text out, always through a serializer.

Titles with quotes, colons, ``#``, a leading ``-``, ``yes``/``no``, emoji and entities
must round-trip exactly, which string formatting cannot promise (trafilatura's f-string
YAML header broke on ``: ``). ``yaml.safe_dump`` quotes whatever needs quoting.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any, Literal

import tomli_w
import yaml

FrontMatterFormat = Literal["yaml", "toml"]


#: LibYAML's emitter when PyYAML was built with it (about 10x faster), else pure Python.
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """SafeDumper that writes multi-line strings as literal blocks and never aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        """The resolver's answer, remembered for scalars: the emitter asks twice per
        scalar (may it go plain? quoted?) and each answer is a regex scan, for values
        that repeat from post to post (terms, authors, ``false``). The implicit
        resolvers are fixed for the class, so the answer depends on nothing else."""
        if kind is not yaml.ScalarNode:
            return str(super().resolve(kind, value, implicit))
        key = (value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            if len(_RESOLVED) >= _RESOLVED_SIZE:
                _RESOLVED.clear()
            tag = _RESOLVED[key] = str(super().resolve(kind, value, implicit))
        return tag


_RESOLVED: dict[tuple[Any, Any], str] = {}
_RESOLVED_SIZE = 4096


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


_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"


def _node(value: Any, dumper: yaml.SafeDumper) -> yaml.Node:
    """The node ``dumper.represent_data(value)`` gives, built directly for the types
    front matter holds: PyYAML's representer machinery (alias bookkeeping, a lookup
    per value) costs more than libyaml's emitter on a typical front matter. Any other
    type goes through the representers. ``test_frontmatter`` checks both agree."""
    kind = type(value)
    if kind is str:
        return yaml.ScalarNode(_STR, value, None, None, _str_style(value))
    if kind is bool:
        return yaml.ScalarNode(_TAG + "bool", "true" if value else "false")
    if kind is int:
        return yaml.ScalarNode(_TAG + "int", str(value))
    if value is None:
        return yaml.ScalarNode(_TAG + "null", "null")
    if kind is datetime or kind is date:
        return yaml.ScalarNode(_TAG + "timestamp", value.isoformat())
    if kind is list:
        return yaml.SequenceNode(_TAG + "seq", [_node(v, dumper) for v in value], False)
    if kind is dict:
        pairs = [(_node(k, dumper), _node(v, dumper)) for k, v in value.items()]
        return yaml.MappingNode(_TAG + "map", pairs, False)
    node: yaml.Node = dumper.represent_data(value)
    return node


def dump_yaml(data: dict[str, Any]) -> str:
    """``---``-fenced YAML front matter, keys in the given order, Unicode kept.

    What ``yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
    default_flow_style=False, width=10_000)`` writes, with the nodes made by ``_node``.
    """
    stream = io.StringIO()
    dumper = _Dumper(
        stream, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10_000
    )
    try:
        dumper.open()
        dumper.serialize(_node(data, dumper))
        dumper.close()
    finally:
        dumper.dispose()
    return f"---\n{stream.getvalue()}---\n"


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


__all__ = ["FrontMatterFormat", "date", "dump", "dump_toml", "dump_yaml", "parse"]
