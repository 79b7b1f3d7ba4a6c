"""Read the ``[check-links]`` section of ``wpmigrate.toml`` (or pyproject's tool table).

The same file ``convert`` reads; only this section is interpreted here. Every problem is
raised as :class:`ConfigError` naming the file and the key, so the CLI can exit with 2.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from wpmigrate.checks.findings import CATEGORIES, SEVERITIES
from wpmigrate.checks.options import CheckOptions, ExternalPolicy, Severities
from wpmigrate.config import ConfigError, find_config
from wpmigrate.config import load_section as _load_section

SECTION = "check-links"
_LIST_KEYS = ("old_hosts", "include", "exclude")
_POLICY_FLOATS = (
    "connect_timeout", "read_timeout", "backoff_base", "backoff_max", "retry_after_max",
    "per_host_interval", "cache_ttl",
)
_POLICY_INTS = ("retries", "max_workers", "per_host_concurrency", "host_failure_limit")
_POLICY_STATUS = ("ok_status", "warn_status")


def _error(path: Path, key: str, problem: str) -> ConfigError:
    return ConfigError(path, key, problem, SECTION)


def load_section(path: Path) -> dict[str, Any]:
    """Return the ``[check-links]`` table of ``path`` (empty when absent)."""
    return _load_section(path, SECTION)


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
                raise _error(path, key, "must be true or false")
            policy[key] = value
        else:
            raise _error(path, key, "unknown key")
    if policy:
        changes["policy"] = dataclasses.replace(options.policy or ExternalPolicy(), **policy)
    return dataclasses.replace(options, **changes)


def _severities(value: Any, path: Path) -> Severities:
    if not isinstance(value, dict):
        raise _error(path, "severity", "must be a table such as {broken = \"error\"}")
    for category, severity in value.items():
        key = f"severity.{category}"
        if category not in CATEGORIES:
            raise _error(path, key, f"unknown category (use {', '.join(CATEGORIES)})")
        if severity not in SEVERITIES:
            raise _error(path, key, f"must be one of {', '.join(SEVERITIES)}")
    return Severities(**value)


def _string(value: Any, path: Path, key: str) -> str:
    if not isinstance(value, str) or not value:
        raise _error(path, key, "must be a non-empty string")
    return value


def _str_list(value: Any, path: Path, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _error(path, key, "must be a list of strings")
    return list(value)


def _policy_value(key: str, value: Any, path: Path) -> Any:
    if key in _POLICY_STATUS:
        if not isinstance(value, list) or not all(
            isinstance(v, int) and 100 <= v <= 999 for v in value
        ):
            raise _error(path, key, "must be a list of HTTP status codes (100-999)")
        return tuple(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _error(path, key, "must be a non-negative number")
    if key in _POLICY_INTS:
        if not isinstance(value, int):
            raise _error(path, key, "must be a whole number")
        return value
    return float(value)


__all__ = ["SECTION", "ConfigError", "apply_config", "find_config", "load_section"]
