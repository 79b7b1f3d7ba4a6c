"""Downloading one media file: retries with backoff, timeouts, atomic and resumable.

A file already in the output with the size the server announces (``HEAD``) is not
fetched again. Bytes are streamed into a temporary file beside the target and renamed
into place only when complete (the announced length checked), so an interrupted run
never leaves a partial file under the final name; the temporary file is removed on
every failure. The target path always comes from ``SafeWriter.target`` (confined to
the output directory).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
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


def _remote_size(session: requests.Session, url: str) -> int | None:
    """The size the server announces for ``url``, or None when it does not say."""
    try:
        response = session.head(url, allow_redirects=True, timeout=(CONNECT_TIMEOUT, 30))
    except requests.RequestException:
        return None
    length = response.headers.get("Content-Length")
    if response.status_code != 200 or not length or not length.isdigit():
        return None
    return int(length)


def fetch(session: requests.Session, urls: tuple[str, ...], target: Path) -> Fetched:
    """Download the first of ``urls`` that works into ``target`` (tried in order:
    the original file, then the URL as the content had it)."""
    if target.is_file() and target.stat().st_size > 0:
        size = _remote_size(session, urls[0])
        if size is None or size == target.stat().st_size:
            return Fetched("present")
    errors = []
    for url in urls:
        try:
            _download(session, url, target)
            return Fetched("written")
        except (requests.RequestException, OSError, ValueError) as error:
            errors.append(f"{url}: {error}")
    return Fetched("missing", "; ".join(errors))


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
