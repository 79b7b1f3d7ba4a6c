"""Downloading one media file: retries with backoff, timeouts, atomic and resumable.

A file already in the output with the size the server announces (``HEAD``) is not
fetched again. Bytes are streamed into a temporary file beside the target and renamed
into place only when complete (the announced length checked), so an interrupted run
never leaves a partial file under the final name; the temporary file is removed on
every failure. The target path always comes from ``SafeWriter.target`` (confined to
the output directory).

A host that cannot be reached at all (its name does not resolve, it refuses or never
answers connections) is given up after its first failure (:class:`DeadHosts`): every
other file from it fails at once with the same reason, instead of each one waiting
through the retries' backoff. Offline, a site with thousands of images would otherwise
spend hours there.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
)
from urllib3.util.retry import Retry

from wpmigrate import __version__
from wpmigrate.writers.safe import create_temp

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
RETRIES = 3
BACKOFF = 0.5  # seconds; doubles per retry (0.5, 1, 2)
CHUNK = 1 << 16
USER_AGENT = f"wpmigrate/{__version__} (media download for a site migration)"


@dataclass(frozen=True, slots=True)
class Fetched:
    """What happened to one download: "written", "present" or "missing" (+ why)."""

    status: str
    detail: str = ""


def make_session(pool_size: int) -> requests.Session:
    """A session whose adapter retries idempotent requests with exponential backoff
    on connection errors and 429/5xx (honouring ``Retry-After``)."""
    retry = Retry(
        total=RETRIES,
        connect=RETRIES,
        read=RETRIES,
        status=RETRIES,
        backoff_factor=BACKOFF,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry, pool_connections=pool_size, pool_maxsize=pool_size)
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _remote_size(session: requests.Session, url: str, dead: DeadHosts) -> int | None:
    """The size the server announces for ``url``, or None when it does not say."""
    try:
        response = session.head(url, allow_redirects=True, timeout=(CONNECT_TIMEOUT, 30))
    except requests.RequestException as error:
        dead.record(url, error)
        return None
    length = response.headers.get("Content-Length")
    if response.status_code != 200 or not length or not length.isdigit():
        return None
    return int(length)


class DeadHosts:
    """Hosts found unreachable during this run, with why; shared by the download
    threads."""

    def __init__(self) -> None:
        self._reasons: dict[str, str] = {}
        self._lock = threading.Lock()

    def reason(self, url: str) -> str | None:
        """Why ``url``'s host was given up, or None while it is not."""
        with self._lock:
            return self._reasons.get(_host(url))

    def record(self, url: str, error: Exception) -> str:
        """The short reason ``error`` gives for ``url``; remembers the host when the
        error means nothing from it can be fetched."""
        reason, host_down = describe_failure(url, error)
        if host_down:
            with self._lock:
                self._reasons.setdefault(_host(url), reason)
        return reason


def fetch(
    session: requests.Session,
    urls: tuple[str, ...],
    target: Path,
    dead: DeadHosts | None = None,
) -> Fetched:
    """Download the first of ``urls`` that works into ``target`` (tried in order:
    the original file, then the URL as the content had it)."""
    dead = dead or DeadHosts()
    if target.is_file() and target.stat().st_size > 0:
        size = None if dead.reason(urls[0]) else _remote_size(session, urls[0], dead)
        if size is None or size == target.stat().st_size:
            return Fetched("present")
    errors: dict[str, str] = {}  # reason -> the first URL that failed with it
    for url in urls:
        reason = dead.reason(url)
        if reason is None:
            try:
                _download(session, url, target)
                return Fetched("written")
            except (requests.RequestException, OSError, ValueError) as error:
                reason = dead.record(url, error)
        errors.setdefault(reason, url)
    if len(errors) == 1:
        return Fetched("missing", next(iter(errors)))
    return Fetched("missing", "; ".join(f"{url}: {reason}" for reason, url in errors.items()))


def describe_failure(url: str, error: Exception) -> tuple[str, bool]:
    """A short reason for a failed download, and whether it means the whole host is
    out of reach (rather than this one file)."""
    host = _host(url)
    cause = error.args[0] if isinstance(error, requests.ConnectionError) and error.args else None
    if isinstance(cause, MaxRetryError):
        cause = cause.reason
    if isinstance(cause, NameResolutionError):
        return f"host {host} not found (offline, or the name no longer exists)", True
    # (urllib3 derives NewConnectionError from ConnectTimeoutError: test it first)
    if isinstance(cause, NewConnectionError):
        return f"cannot connect to {host} (connection refused or unreachable)", True
    if isinstance(cause, ConnectTimeoutError) or isinstance(error, requests.ConnectTimeout):
        return f"host {host} did not answer (connection timed out)", True
    if isinstance(error, requests.HTTPError) and error.response is not None:
        response = error.response
        return f"HTTP {response.status_code} {response.reason or ''}".rstrip(), False
    if isinstance(error, requests.Timeout):
        return f"{host} stopped sending (read timed out)", False
    return str(error) or type(error).__name__, False


def _host(url: str) -> str:
    """``host`` or ``host:port`` of ``url``."""
    return urlsplit(url).netloc.rpartition("@")[2]


def _download(session: requests.Session, url: str, target: Path) -> None:
    """Stream ``url`` into a temporary file beside ``target``, then rename it."""
    with session.get(url, stream=True, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT)) as response:
        response.raise_for_status()
        expected = response.headers.get("Content-Length")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = create_temp(target.parent, ".part")
        try:
            received = 0
            with os.fdopen(fd, "wb") as handle:
                for chunk in response.iter_content(CHUNK):
                    handle.write(chunk)
                    received += len(chunk)
            if expected and expected.isdigit() and int(expected) != received:
                raise ValueError(f"truncated: {received} of {expected} bytes")
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
