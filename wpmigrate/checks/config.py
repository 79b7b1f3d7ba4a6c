"""Read the ``[check-links]`` section of ``wpmigrate.toml`` (or pyproject's tool table).

The same file ``convert`` reads; only this section is interpreted here. Every problem is
raised as :class:`ConfigError` naming the file and the key, so the CLI can exit with 2.
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import Any

from wpmigrate.checks.findings import CATEGORIES, SEVERITIES
from wpmigrate.checks.options import CheckOptions, ExternalPolicy, Severities
from wpmigrate.errors import WpMigrateError

SECTION = "check-links"
_LIST_KEYS = ("old_hosts", "include", "exclude")
_POLICY_FLOATS = (
    "connect_timeout", "read_timeout", "backoff_base", "backoff_max", "retry_after_max",
    "per_host_interval", "cache_ttl",
)
_POLICY_INTS = ("retries", "max_workers", "per_host_concurrency", "host_failure_limit")
_POLICY_STATUS = ("ok_status", "warn_status")


class ConfigError(WpMigrateError):
    """The configuration file is unreadable or has an invalid key."""

    def __init__(self, path: Path, key: str, problem: str) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        where = f"{path}: [{SECTION}] {key}" if key else str(path)
        super().__init__(f"{where}: {problem}")


def find_config(cwd: Path) -> Path | None:
    """Return ``wpmigrate.toml`` in ``cwd``, else a pyproject.toml with a wpmigrate table."""
    candidate = cwd / "wpmigrate.toml"
    if candidate.is_file():
        return candidate
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        data = _read_toml(pyproject)
        if isinstance(data.get("tool"), dict) and "wpmigrate" in data["tool"]:
            return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(path, "", f"cannot read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"not valid TOML: {exc}") from exc


def load_section(path: Path) -> dict[str, Any]:
    """Return the ``[check-links]`` table of ``path`` (empty when absent)."""
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("wpmigrate", {})
    section = data.get(SECTION, {})
    if not isinstance(section, dict):
        raise ConfigError(path, "", f"[{SECTION}] must be a table")
    return section


def apply_config(options: CheckOptions, section: dict[str, Any], path: Path) -> CheckOptions:
    """Return ``options`` updated by a config section; unknown keys are errors."""
    changes: dict[str, Any] = {}
    policy: dict[str, Any] = {}
    base = path.parent
    for key, value in section.items():
        if key == "severity":
            changes["severities"] = _severities(value, path)
        elif key in _LIST_KEYS:
            changes[key] = tuple(_str_list(value, path, key))
        elif key == "root":
            changes["root"] = base / _string(value, path, key)
        elif key == "static":
            items = [value] if isinstance(value, str) else _str_list(value, path, key)
            changes["static"] = tuple(base / item for item in items)
        elif key == "preset":
            changes["preset"] = _string(value, path, key)
        elif key == "cache":
            changes["cache_path"] = base / _string(value, path, key)
        elif key in _POLICY_FLOATS or key in _POLICY_INTS or key in _POLICY_STATUS:
            policy[key] = _policy_value(key, value, path)
        elif key in ("user_agent",):
            policy[key] = _string(value, path, key)
        elif key == "bot_protection_warns":
            if not isinstance(value, bool):
                raise ConfigError(path, key, "must be true or false")
            policy[key] = value
        else:
            raise ConfigError(path, key, "unknown key")
    if policy:
        changes["policy"] = dataclasses.replace(options.policy or ExternalPolicy(), **policy)
    return dataclasses.replace(options, **changes)


def _severities(value: Any, path: Path) -> Severities:
    if not isinstance(value, dict):
        raise ConfigError(path, "severity", "must be a table such as {broken = \"error\"}")
    for category, severity in value.items():
        key = f"severity.{category}"
        if category not in CATEGORIES:
            raise ConfigError(path, key, f"unknown category (use {', '.join(CATEGORIES)})")
        if severity not in SEVERITIES:
            raise ConfigError(path, key, f"must be one of {', '.join(SEVERITIES)}")
    return Severities(**value)


def _string(value: Any, path: Path, key: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(path, key, "must be a non-empty string")
    return value


def _str_list(value: Any, path: Path, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(path, key, "must be a list of strings")
    return list(value)


def _policy_value(key: str, value: Any, path: Path) -> Any:
    if key in _POLICY_STATUS:
        if not isinstance(value, list) or not all(
            isinstance(v, int) and 100 <= v <= 999 for v in value
        ):
            raise ConfigError(path, key, "must be a list of HTTP status codes (100-999)")
        return tuple(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError(path, key, "must be a non-negative number")
    if key in _POLICY_INTS:
        if not isinstance(value, int):
            raise ConfigError(path, key, "must be a whole number")
        return value
    return float(value)
