"""Check http(s) links politely: one request per URL, per-host limits, retries, a cache.

Each host gets at most ``per_host_concurrency`` *lanes* (tasks that work through that
host's URLs one after the other), so a slow host occupies at most that many worker
threads and never blocks the others; a host that keeps timing out is given up after
``host_failure_limit`` timeouts. HEAD is tried first and GET where HEAD is refused.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Literal

import requests
from requests.adapters import HTTPAdapter

from wpmigrate.checks.cache import LinkCache
from wpmigrate.checks.leftovers import host_of
from wpmigrate.checks.options import ExternalPolicy

Verdict = Literal["ok", "warning", "error"]

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
HEAD_REFUSED = frozenset({400, 401, 403, 404, 405, 406, 429, 500, 501, 999})
BOT_HEADERS = (
    "cf-mitigated", "cf-chl-bypass", "x-datadome", "x-dd-b", "x-amzn-waf-action",
    "x-sucuri-id", "x-sucuri-block", "x-px-block", "x-akamai-bot",
)
BOT_SERVERS = ("cloudflare", "ddos-guard", "sucuri", "akamaighost", "datadome")
BOT_BODY = (
    "just a moment", "cf-chl", "attention required", "captcha", "datadome",
    "px-captcha", "are you a robot", "bot protection", "ddos-guard",
)
BODY_PEEK = 64 * 1024


@dataclass(frozen=True, slots=True)
class ExternalResult:
    """The verdict on one external URL."""

    url: str
    verdict: Verdict
    status: int | None
    message: str
    cached: bool = False
    attempts: int = 0


@dataclass(slots=True)
class _Host:
    """Per-host state shared by that host's lanes (guarded by ``lock``)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    next_slot: float = 0.0
    timeouts: int = 0


@dataclass(slots=True)
class _Answer:
    status: int | None
    headers: dict[str, str]
    body: str
    error: str = ""
    timed_out: bool = False


def make_session(policy: ExternalPolicy) -> requests.Session:
    """One shared session (connection reuse) sized for the worker pool."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=64, pool_maxsize=max(policy.max_workers, 4),
                          max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"User-Agent": policy.user_agent, "Accept": "*/*"})
    return session


@dataclass(slots=True)
class ExternalChecker:
    """Checks a batch of URLs; create one per run (it owns the session and RNG)."""

    policy: ExternalPolicy
    cache: LinkCache | None = None
    session: requests.Session | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)
    requests_made: int = 0
    _count_lock: threading.Lock = field(default_factory=threading.Lock)

    def check(
        self, urls: list[str], progress: Callable[[int, int], None] | None = None
    ) -> dict[str, ExternalResult]:
        """Return a result per URL; each URL is requested at most once per run."""
        results: dict[str, ExternalResult] = {}
        pending: dict[str, list[str]] = {}
        for url in dict.fromkeys(urls):
            if self.cache is not None and self.cache.fresh(url):
                results[url] = ExternalResult(url, "ok", self.cache.status(url), "cached", True)
            else:
                pending.setdefault(host_of(url), []).append(url)
        session = self.session or make_session(self.policy)
        try:
            results.update(self._run(session, pending, len(results), len(urls), progress))
        finally:
            if self.session is None:
                session.close()
        if self.cache is not None:
            for result in results.values():
                if result.verdict == "ok" and not result.cached:
                    self.cache.put(result.url, result.status or 200)
        return results

    def _run(
        self,
        session: requests.Session,
        pending: dict[str, list[str]],
        done: int,
        total: int,
        progress: Callable[[int, int], None] | None,
    ) -> dict[str, ExternalResult]:
        lanes: list[tuple[_Host, list[str]]] = []
        width = max(1, self.policy.per_host_concurrency)
        for urls in pending.values():
            host = _Host()
            lanes.extend((host, urls[i::width]) for i in range(min(width, len(urls))))
        results: dict[str, ExternalResult] = {}
        if not lanes:
            return results
        with ThreadPoolExecutor(max_workers=max(1, self.policy.max_workers)) as pool:
            futures = [pool.submit(self._lane, session, host, urls) for host, urls in lanes]
            for future in as_completed(futures):
                for result in future.result():
                    results[result.url] = result
                    done += 1
                if progress is not None:
                    progress(done, total)
        return results

    def _lane(
        self, session: requests.Session, host: _Host, urls: list[str]
    ) -> list[ExternalResult]:
        """Check one host's share of URLs in order (runs in a worker thread)."""
        results = []
        for url in urls:
            with host.lock:
                given_up = host.timeouts >= max(1, self.policy.host_failure_limit)
            if given_up:
                results.append(ExternalResult(
                    url, "error", None,
                    f"not requested: {host_of(url)} timed out {host.timeouts} times"))
                continue
            results.append(self._check_one(session, host, url))
        return results

    def _check_one(self, session: requests.Session, host: _Host, url: str) -> ExternalResult:
        policy = self.policy
        attempts = 0
        answer = _Answer(None, {}, "")
        for attempt in range(policy.retries + 1):
            attempts += 1
            answer = self._fetch(session, host, url)
            retryable = answer.timed_out or bool(answer.error) or answer.status in RETRY_STATUS
            if not retryable or attempt == policy.retries:
                break
            self.sleep(self._backoff(attempt, answer.headers.get("retry-after", "")))
        if answer.timed_out:
            with host.lock:
                host.timeouts += 1
        return classify_answer(url, answer, policy, attempts)

    def _wait_slot(self, host: _Host) -> None:
        """Honour the per-host minimum interval between requests."""
        interval = self.policy.per_host_interval
        if interval <= 0:
            return
        with host.lock:
            now = self.clock()
            slot = max(now, host.next_slot)
            host.next_slot = slot + interval
        if slot > now:
            self.sleep(slot - now)

    def _backoff(self, attempt: int, retry_after: str) -> float:
        """Retry-After when the server gave one (capped), else full-jitter exponential."""
        policy = self.policy
        seconds = parse_retry_after(retry_after)
        if seconds is not None:
            return min(seconds, policy.retry_after_max)
        ceiling = min(policy.backoff_max, policy.backoff_base * (2**attempt))
        return self.rng.uniform(0, ceiling)

    def _fetch(self, session: requests.Session, host: _Host, url: str) -> _Answer:
        """HEAD, then GET when the server refuses HEAD; never raises."""
        answer = self._request(session, host, "HEAD", url)
        if answer.timed_out:
            return answer
        if answer.error or answer.status in HEAD_REFUSED:
            answer = self._request(session, host, "GET", url)
        return answer

    def _request(self, session: requests.Session, host: _Host, method: str, url: str) -> _Answer:
        self._wait_slot(host)
        with self._count_lock:
            self.requests_made += 1
        timeout = (self.policy.connect_timeout, self.policy.read_timeout)
        try:
            response = session.request(method, url, allow_redirects=True, timeout=timeout,
                                       stream=True)
        except requests.Timeout:
            return _Answer(None, {}, "", f"timed out after {self.policy.read_timeout:g}s", True)
        except requests.TooManyRedirects:
            return _Answer(None, {}, "", "too many redirects")
        except requests.RequestException as exc:
            return _Answer(None, {}, "", f"connection failed ({type(exc).__name__})")
        with response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            body = ""
            if method == "GET" and response.status_code >= 400:
                body = self._peek(response)
            return _Answer(response.status_code, headers, body)

    def _peek(self, response: requests.Response) -> str:
        """Read at most 64 KiB of an error body, within the read timeout, for bot markers."""
        deadline = self.clock() + self.policy.read_timeout
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(8192):
                chunks.append(chunk)
                size += len(chunk)
                if size >= BODY_PEEK or self.clock() > deadline:
                    break
        except requests.RequestException:
            pass
        return b"".join(chunks).decode("utf-8", errors="replace").lower()


def parse_retry_after(value: str) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def status_label(status: int) -> str:
    """``404 Not Found``; just the number for statuses outside the standard (999)."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def bot_protected(answer: _Answer) -> bool:
    """True when a 403 looks like a bot wall (Cloudflare, DataDome, AWS WAF …)."""
    headers = answer.headers
    if any(name in headers for name in BOT_HEADERS):
        return True
    server = headers.get("server", "").lower()
    if any(name in server for name in BOT_SERVERS):
        return True
    return any(marker in answer.body for marker in BOT_BODY)


def classify_answer(url: str, answer: _Answer, policy: ExternalPolicy, attempts: int
                    ) -> ExternalResult:
    """Apply the status policy to the last answer for ``url``."""
    status = answer.status
    if status is None:
        return ExternalResult(url, "error", None, answer.error, attempts=attempts)
    label = status_label(status)
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    if 200 <= status < 300 or status in policy.ok_status:
        return ExternalResult(url, "ok", status, label, attempts=attempts)
    if status == 403 and policy.bot_protection_warns and bot_protected(answer):
        return ExternalResult(url, "warning", status, f"{label} (bot protection, not verified)",
                              attempts=attempts)
    if status in policy.warn_status:
        return ExternalResult(url, "warning", status, label + tries, attempts=attempts)
    return ExternalResult(url, "error", status, label + tries, attempts=attempts)
