"""External links against a local HTTP server: policy, retries, timeouts, cache, dedup."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any as Server  # the conftest fixture type

import pytest

from wpmigrate.checks.api import check_links
from wpmigrate.checks.cache import LinkCache
from wpmigrate.checks.external import ExternalChecker, parse_retry_after
from wpmigrate.checks.options import CheckOptions, ExternalPolicy

FAST = ExternalPolicy(connect_timeout=1.0, read_timeout=1.0, retries=1, backoff_base=0.05,
                      backoff_max=0.1, retry_after_max=1.0, host_failure_limit=5)


def test_policy_classifies_every_answer(http_server: Server) -> None:
    base = http_server.base
    urls = [f"{base}/{p}" for p in
            ("ok", "moved", "missing", "busy", "bot", "forbidden", "linkedin", "nohead", "hang")]
    checker = ExternalChecker(policy=FAST)
    started = time.monotonic()
    results = checker.check(urls)
    elapsed = time.monotonic() - started
    verdicts = {url.rsplit("/", 1)[1]: (r.verdict, r.status, r.message)
                for url, r in results.items()}
    assert verdicts == {
        "ok": ("ok", 200, "200 OK"),
        "moved": ("ok", 200, "200 OK"),
        "missing": ("error", 404, "404 Not Found"),
        "busy": ("warning", 429, "429 Too Many Requests after 2 attempts"),
        "bot": ("warning", 403, "403 Forbidden (bot protection, not verified)"),
        "forbidden": ("error", 403, "403 Forbidden"),
        "linkedin": ("warning", 999, "999"),
        "nohead": ("ok", 200, "200 OK"),
        "hang": ("error", None, "timed out after 1s"),
    }
    # two attempts of ~1 s each for the hanging URL; the server would hang for 10 s
    assert elapsed < 9
    assert http_server.hits["HEAD /nohead"] == 1 and http_server.hits["GET /nohead"] == 1
    assert http_server.hits["HEAD /busy"] == 2  # retried once, honouring Retry-After


def test_status_policy_is_configurable(http_server: Server) -> None:
    policy = ExternalPolicy(retries=0, ok_status=(404,), warn_status=(),
                            bot_protection_warns=False)
    urls = [f"{http_server.base}/{p}" for p in ("missing", "bot", "linkedin")]
    results = ExternalChecker(policy=policy).check(urls)
    assert [results[u].verdict for u in urls] == ["ok", "error", "error"]


def test_slow_host_is_given_up_and_never_blocks_others(http_server: Server) -> None:
    policy = ExternalPolicy(connect_timeout=0.5, read_timeout=0.5, retries=0,
                            host_failure_limit=1, per_host_concurrency=1)
    hang = [f"{http_server.base}/hang?{i}" for i in range(5)]
    other = f"http://localhost:{http_server.base.rsplit(':', 1)[1]}/ok"
    started = time.monotonic()
    results = ExternalChecker(policy=policy).check([*hang, other])
    assert time.monotonic() - started < 5  # the server would hang for 10 s
    assert results[other].verdict == "ok"
    messages = [results[u].message for u in hang]
    assert messages[0] == "timed out after 0.5s"
    assert set(messages[1:]) == {"not requested: 127.0.0.1 timed out 1 times"}


def test_retry_after_parsing() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None


def test_cache_keeps_successes_only_and_expires(tmp_path: Path, http_server: Server) -> None:
    now = [1000.0]
    cache = LinkCache.load(tmp_path / "links.json", ttl=60, clock=lambda: now[0])
    ok, missing = f"{http_server.base}/ok", f"{http_server.base}/missing"
    ExternalChecker(policy=FAST, cache=cache).check([ok, missing])
    cache.save()
    stored = json.loads((tmp_path / "links.json").read_text())["entries"]
    assert list(stored) == [ok]
    again = LinkCache.load(tmp_path / "links.json", ttl=60, clock=lambda: now[0] + 30)
    assert again.fresh(ok) and not again.fresh(missing)
    later = LinkCache.load(tmp_path / "links.json", ttl=60, clock=lambda: now[0] + 61)
    assert not later.fresh(ok)


def _external_page(site: Path, base: str) -> None:
    page = site / "content/posts/second-post/index.md"
    page.write_text(page.read_text() + "".join(
        f"\n[{name}]({base}/{name})" for name in ("ok", "moved", "missing", "busy", "bot",
                                                  "linkedin", "hang"))
        + f"\n[again]({base}/ok) [twice]({base}/missing#frag)\n")


def test_external_run_then_cached_rerun(site: Path, http_server: Server) -> None:
    _external_page(site, http_server.base)
    options = CheckOptions(external=True, policy=FAST)
    started = time.monotonic()
    report = check_links([site], options)
    assert time.monotonic() - started < 9  # the server would hang for 10 s
    rows = [(f.line, f.severity, f.message) for f in report.findings]
    base = http_server.base
    assert rows == [
        (25, "error", f"external link: {base}/missing returned 404 Not Found"),
        (26, "warning", f"external link: {base}/busy returned 429 Too Many Requests after 2 "
                        "attempts"),
        (27, "warning", f"external link: {base}/bot returned 403 Forbidden (bot protection, "
                        "not verified)"),
        (28, "warning", f"external link: {base}/linkedin returned 999"),
        (29, "error", f"external link: {base}/hang failed: timed out after 1s"),
        (30, "error", f"external link: {base}/missing returned 404 Not Found"),
    ]
    assert report.external_checked == 7  # each URL once, however often it is used
    # /ok is linked twice but requested once (plus once as the target of /moved)
    assert http_server.hits["HEAD /ok"] == 2 and http_server.hits["HEAD /moved"] == 1
    assert http_server.hits["HEAD /missing"] == 1 and http_server.hits["GET /missing"] == 1
    assert (site / ".wpmigrate-cache/links.json").is_file()
    http_server.hits.clear()
    second = check_links([site], options)
    assert http_server.hits["HEAD /ok"] == 0 and http_server.hits["HEAD /moved"] == 0
    assert http_server.hits["GET /ok"] == 0
    assert http_server.hits["HEAD /missing"] == 1  # failures are never cached
    assert second.external_cached == 2
    assert [f.message for f in second.findings] == [m for *_, m in rows]


def test_include_patterns_and_offline_default(site: Path, http_server: Server) -> None:
    _external_page(site, http_server.base)
    assert check_links([site]).findings == ()  # offline: no request at all
    assert sum(http_server.hits.values()) == 0
    options = CheckOptions(external=True, policy=FAST, include=(r"/(ok|missing)",))
    report = check_links([site], options)
    assert {f.url.rsplit("/", 1)[1] for f in report.findings} == {"missing", "missing#frag"}


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retried(status: int) -> None:
    from wpmigrate.checks.external import _Answer, classify_answer

    result = classify_answer("http://x/", _Answer(status, {}, ""), FAST, 2)
    assert result.verdict == "error" and result.message.endswith("after 2 attempts")


def test_per_host_interval_spaces_requests(http_server: Server) -> None:
    policy = ExternalPolicy(per_host_concurrency=2, per_host_interval=0.2, retries=0)
    urls = [f"{http_server.base}/ok?{i}" for i in range(4)]
    started = time.monotonic()
    results = ExternalChecker(policy=policy).check(urls)
    assert time.monotonic() - started >= 0.6  # four requests, 0.2 s apart, even in 2 lanes
    assert all(r.verdict == "ok" for r in results.values())


def test_unwritable_cache_is_a_note_not_a_failure(site: Path, http_server: Server) -> None:
    page = site / "content/about/index.md"
    page.write_text(page.read_text() + f"\n[fine]({http_server.base}/ok)\n")
    blocker = site / "not-a-dir"
    blocker.write_text("x")
    options = CheckOptions(external=True, policy=FAST, cache_path=blocker / "links.json")
    report = check_links([site], options)
    assert report.ok and len(report.notes) == 1
    assert report.notes[0].startswith(f"{blocker / 'links.json'}: cannot write the link cache")
