"""Options of ``check-links``: what to check, how strictly, and how politely.

Frozen dataclasses, so one options object can be shared by the worker threads of the
external checker without locks and a run is fully described by its options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wpmigrate.checks.findings import Category, Severity


@dataclass(frozen=True, slots=True)
class Severities:
    """The severity of each finding category (as mkdocs' ``validation`` settings do)."""

    broken: Severity = "error"
    anchor: Severity = "error"
    leftover: Severity = "error"
    external: Severity = "error"

    def of(self, category: Category) -> Severity:
        """Return the configured severity of ``category``."""
        return getattr(self, category)


@dataclass(frozen=True, slots=True)
class ExternalPolicy:
    """How http(s) links are requested and how their answers are judged.

    Defaults follow the issue: 2xx is fine, 429 (after retries), 403 with bot-protection
    markers and LinkedIn's 999 are warnings, everything else that is not 2xx fails.
    """

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    retries: int = 2  # extra attempts after the first, for 429/5xx/timeouts
    backoff_base: float = 0.5  # seconds; doubled per attempt, with full jitter
    backoff_max: float = 8.0
    retry_after_max: float = 10.0  # never sleep longer than this for a Retry-After
    max_workers: int = 16
    per_host_concurrency: int = 2
    per_host_interval: float = 0.0  # minimum seconds between two requests to one host
    host_failure_limit: int = 2  # after this many timeouts a host is given up
    ok_status: tuple[int, ...] = ()  # extra statuses treated as fine (e.g. 401)
    warn_status: tuple[int, ...] = (429, 999)
    bot_protection_warns: bool = True
    cache_ttl: float = 24 * 3600.0  # seconds a success is trusted; 0 disables the cache
    user_agent: str = "wpmigrate-check-links/0.1 (+link checker)"


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """Everything a ``check_links`` run needs besides the paths to check."""

    external: bool = False
    preset: str | None = None  # "hugo", "jekyll", "plain"; None detects from the tree
    root: Path | None = None  # content folder override
    static: tuple[Path, ...] = ()  # static folder overrides
    old_hosts: tuple[str, ...] = ()  # hosts of the old WordPress site, e.g. "example.org"
    include: tuple[str, ...] = ()  # regexes: when given, only matching external URLs
    exclude: tuple[str, ...] = ()  # regexes: matching URLs are not checked at all
    severities: Severities = field(default_factory=Severities)
    policy: ExternalPolicy = field(default_factory=ExternalPolicy)
    cache_path: Path | None = None  # default: <dir>/.wpmigrate-cache/links.json
    check_anchors: bool = True
    jobs: int = 1  # parsing processes for large sites (>= 4000 pages); 1 = this one only
