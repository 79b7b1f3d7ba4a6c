"""Finding and report records for ``check-links``.

Plain frozen records, so that extraction, resolution and the HTTP checker can run in any
order (or in parallel) and every renderer sees exactly the same data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

#: Why a link is reported. ``broken``: the target does not exist on the served site;
#: ``anchor``: the page exists but the ``#fragment`` does not; ``leftover``: the link still
#: points at the old WordPress site; ``external``: an http(s) link failed the status policy.
Category = Literal["broken", "anchor", "leftover", "external"]
CATEGORIES: tuple[Category, ...] = ("broken", "anchor", "leftover", "external")

#: How much a finding matters. ``error`` fails the run (exit 1); ``warning`` is shown but
#: does not fail; ``ignore`` drops the finding altogether.
Severity = Literal["error", "warning", "ignore"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "ignore")


@dataclass(frozen=True, slots=True)
class Link:
    """One link as written in a source file, with its 1-based line and column."""

    url: str
    line: int
    col: int
    kind: str = "link"  # link, image, alias, front-matter, html, reference


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with one link, at the exact place it is written."""

    file: str  # path as given / relative to the checked directory, with "/" separators
    line: int
    col: int
    url: str
    category: Category
    severity: Severity
    message: str
    suggestion: str = ""

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order findings by file, then position, so reports are stable between runs."""
        return (self.file, self.line, self.col, self.url)


@dataclass(frozen=True, slots=True)
class LinkReport:
    """The outcome of one ``check_links`` run."""

    findings: tuple[Finding, ...]
    files_checked: int = 0
    links_checked: int = 0
    external_checked: int = 0
    external_cached: int = 0
    elapsed: float = 0.0
    stats: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # things the user should know that are not findings

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that fail the run."""
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings that are shown but do not fail the run."""
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when nothing is broken (warnings allowed)."""
        return not self.errors

    def by_file(self) -> dict[str, list[Finding]]:
        """Findings grouped by file, files in sorted order, findings by position."""
        groups: dict[str, list[Finding]] = {}
        for finding in sorted(self.findings, key=Finding.sort_key):
            groups.setdefault(finding.file, []).append(finding)
        return groups


def sorted_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Return findings in report order, dropping exact duplicates."""
    return tuple(sorted(set(findings), key=Finding.sort_key))
