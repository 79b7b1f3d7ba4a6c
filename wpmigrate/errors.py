"""Library exceptions. No click here: the CLI turns these into messages and exit codes.

Each error says what went wrong, where, and what to try.
"""

from __future__ import annotations


class WpMigrateError(Exception):
    """Base class of every error the library raises on purpose."""


class SourceError(WpMigrateError):
    """An input cannot be read at all (not a WXR file, not a mirror, unreadable)."""

    def __init__(self, path: str, problem: str, hint: str = "") -> None:
        self.path = path
        self.problem = problem
        self.hint = hint
        message = f"{path}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class OptionsError(WpMigrateError):
    """Options that contradict each other or name something unknown."""


class OutputError(WpMigrateError):
    """The output directory cannot be written safely."""
