"""The configuration file: ``wpmigrate.toml`` (or ``[tool.wpmigrate]`` in pyproject.toml).

One file serves every command, a section each: ``[convert]`` and ``[check-links]``.
Values layer as defaults < file < command-line flags. Every problem names the file,
the section and the key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, cast

from wpmigrate.errors import WpMigrateError


class ConfigError(WpMigrateError):
    """The configuration file is unreadable or has an invalid key."""

    def __init__(self, path: Path, key: str, problem: str, section: str = "") -> None:
        self.path = path
        self.key = key
        self.problem = problem
        where = str(path)
        if section or key:
            where += ":" + (f" [{section}]" if section else "") + (f" {key}" if key else "")
        super().__init__(f"{where}: {problem}")


def find_config(cwd: Path) -> Path | None:
    """``wpmigrate.toml`` in ``cwd``, else a pyproject.toml with a wpmigrate table."""
    candidate = cwd / "wpmigrate.toml"
    if candidate.is_file():
        return candidate
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        data = read_toml(pyproject)
        if isinstance(data.get("tool"), dict) and "wpmigrate" in data["tool"]:
            return pyproject
    return None


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict, or a ConfigError saying why it cannot be read."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(path, "", f"cannot read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"not valid TOML: {exc}") from exc


def load_section(path: Path, section: str) -> dict[str, Any]:
    """One command's table of the file (empty when absent)."""
    data = read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("wpmigrate", {})
    table = data.get(section, {})
    if not isinstance(table, dict):
        raise ConfigError(path, "", "must be a table", section)
    return table


#: ``[convert]`` keys: the long flag names, with the type each value must have.
CONVERT_KEYS: dict[str, tuple[str, type | tuple[type, ...]]] = {
    "to": ("preset", str),
    "output": ("output", str),
    "source": ("source_kind", str),
    "include-drafts": ("include_drafts", bool),
    "front-matter": ("front_matter", str),
    "name-by": ("name_by", str),
    "date-layout": ("date_layout", str),
    "media": ("media", str),
    "uploads": ("uploads", str),
    "media-host": ("media_hosts", list),
    "media-from": ("media_base", str),
    "redirects": ("redirects", (str, list)),
    "comments": ("comments", str),
    "workers": ("workers", int),
    "strict": ("strict", bool),
}


def convert_settings(path: Path) -> dict[str, Any]:
    """``[convert]`` as ConvertOptions fields; paths are relative to the file's folder."""
    settings: dict[str, Any] = {}
    for key, value in load_section(path, "convert").items():
        if key not in CONVERT_KEYS:
            known = ", ".join(sorted(CONVERT_KEYS))
            raise ConfigError(path, key, f"unknown key (known: {known})", "convert")
        field, kind = CONVERT_KEYS[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(path, key, f"must be {_kind_name(kind)}", "convert")
        # (isinstance against a kind from the table narrows value to object: each branch
        # below names the type that check has just guaranteed)
        if field in ("output", "uploads"):
            value = path.parent / cast(str, value)
        elif field == "media_hosts":
            value = tuple(str(v) for v in cast(list[object], value))
        elif field == "redirects":
            names = value.split(",") if isinstance(value, str) else cast(list[object], value)
            value = tuple(str(n).strip() for n in names if str(n).strip() not in ("", "none"))
        settings[field] = value
    return settings


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", bool: "true or false", int: "a whole number", list: "a list"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names[k] for k in kinds)
