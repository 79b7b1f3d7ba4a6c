"""``check_links``: the one entry point of the link checker (the CLI only wraps it).

Pages are parsed once into a site model, every link is resolved offline, and external
URLs (only with ``options.external``) are deduplicated and checked over HTTP at the end.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from wpmigrate.checks.cache import LinkCache
from wpmigrate.checks.commentlinks import CommentLinks
from wpmigrate.checks.external import ExternalChecker, ExternalResult
from wpmigrate.checks.findings import Finding, LinkReport, sorted_findings
from wpmigrate.checks.layout import detect_layout
from wpmigrate.checks.options import CheckOptions
from wpmigrate.checks.resolve import Resolver
from wpmigrate.checks.site import (
    PAGE_SUFFIXES,
    Progress,
    SiteModel,
    build_site,
    old_hosts_from_report,
)
from wpmigrate.errors import OptionsError

SITE_MARKERS = ("content", "_posts", "wpmigrate-report.json", "_redirects", "hugo.toml",
                "config.toml", "_config.yml")
CACHE_NAME = Path(".wpmigrate-cache") / "links.json"


def check_links(
    paths: Sequence[Path | str], options: CheckOptions | None = None,
    progress: Progress | None = None,
) -> LinkReport:
    """Check every link of the Markdown/HTML files in ``paths`` (folders or files).

    Raises :class:`OptionsError` for paths that do not exist or cannot be checked.
    """
    started = time.perf_counter()
    options = options or CheckOptions()
    targets = [Path(p) for p in paths] or [Path(".")]
    site = _build_site(targets, options, progress)
    base = site.layout.base
    resolver = Resolver.create(site, options)
    findings: list[Finding] = []
    selected = _selected_pages(site, targets)
    with _gc_paused():
        for page_index in selected:
            findings.extend(resolver.check_page(site.pages[page_index]))
        comments = CommentLinks(resolver, os.getcwd())
        findings.extend(comments.check_files(_selected_comment_files(site, targets)))
    external_checked = external_cached = 0
    notes: list[str] = []
    if options.external and resolver.externals:
        results = _check_external(resolver, options, base, progress, notes)
        external_checked = sum(1 for r in results.values() if not r.cached)
        external_cached = len(results) - external_checked
        findings.extend(_external_findings(resolver, results, options))
    return LinkReport(
        findings=sorted_findings(comments.label(findings)),
        files_checked=len(selected) + comments.files_checked,
        links_checked=resolver.links_checked,
        external_checked=external_checked,
        external_cached=external_cached,
        elapsed=time.perf_counter() - started,
        stats={"pages": len(site.pages), "files": len(site.file_keys),
               "comment_files": comments.files_checked,
               "redirects": len(site.redirects.exact) + len(site.redirects.patterns),
               "external_urls": len(resolver.externals)},
        notes=tuple(notes),
    )


def _build_site(
    targets: list[Path], options: CheckOptions, progress: Progress | None
) -> SiteModel:
    """Validate the paths, find the site they belong to and build its model."""
    for path in targets:
        if not path.exists():
            raise OptionsError(f"{path}: no such file or directory")
        if path.is_file() and path.suffix.lower() not in PAGE_SUFFIXES:
            raise OptionsError(f"{path}: not a Markdown or HTML file")
    base = _site_base(targets, options)
    layout = detect_layout(base, options.preset, options.root, options.static)
    with _gc_paused():
        site = build_site(layout, [p for p in targets if p.is_file()], progress, options.jobs)
    site.old_hosts = tuple(dict.fromkeys(
        h.lower() for h in (*options.old_hosts, *old_hosts_from_report(base))))
    return site


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of small records.

    The site model holds no reference cycles worth collecting mid-build, and on a
    50k-page site the collector's repeated full passes cost about a sixth of the run.
    The previous state is restored, whatever happens.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _site_base(targets: list[Path], options: CheckOptions) -> Path:
    """The site folder: the folder given, or the nearest ancestor that looks like a site."""
    first = targets[0].resolve()
    if first.is_dir() and any((first / marker).exists() for marker in SITE_MARKERS):
        return first
    if options.root is not None:
        return options.root.resolve().parent
    for folder in first.parents:
        if any((folder / marker).exists() for marker in SITE_MARKERS):
            return folder
    return first if first.is_dir() else first.parent


def _selected_pages(site: SiteModel, targets: list[Path]) -> list[int]:
    """Indexes of the pages to report on: all of them, or those under/at ``targets``."""
    chosen = [str(t.resolve()) for t in targets]
    if len(chosen) == 1 and chosen[0] == str(site.layout.base):
        return list(range(len(site.pages)))
    folders = tuple(c + os.sep for c in chosen)
    return [i for i, page in enumerate(site.pages)
            if page.file in chosen or page.file.startswith(folders)]


def _selected_comment_files(site: SiteModel, targets: list[Path]) -> list[tuple[str, str]]:
    """The comment files to check: all when the whole site is checked, else those under
    a folder given (a data file cannot be named alone: it is not a page)."""
    chosen = [str(t.resolve()) for t in targets]
    if len(chosen) == 1 and chosen[0] == str(site.layout.base):
        return site.comment_files
    folders = tuple(c + os.sep for c in chosen)
    return [(path, rel) for path, rel in site.comment_files if path.startswith(folders)]


def _check_external(
    resolver: Resolver, options: CheckOptions, base: Path, progress: Progress | None,
    notes: list[str],
) -> dict[str, ExternalResult]:
    policy = options.policy
    cache = None
    if policy.cache_ttl > 0:
        cache = LinkCache.load(options.cache_path or base / CACHE_NAME, policy.cache_ttl)
    checker = ExternalChecker(policy=policy, cache=cache)
    report = None if progress is None else (lambda d, t: progress("external", d, t))
    results = checker.check(list(resolver.externals), report)
    if cache is not None:
        try:
            cache.save()
        except OSError as exc:  # the check itself succeeded: say so, do not fail it
            notes.append(f"{cache.path}: cannot write the link cache ({exc.strerror})")
    return results


def _external_findings(
    resolver: Resolver, results: dict[str, ExternalResult], options: CheckOptions
) -> list[Finding]:
    configured = options.severities.external
    findings = []
    for url, use in resolver.externals.items():
        result = results.get(url)
        if result is None or result.verdict == "ok" or configured == "ignore":
            continue
        severity = "warning" if result.verdict == "warning" else configured
        verb = "returned" if result.status is not None else "failed:"
        message = f"external link: {url} {verb} {result.message}"
        for display, link in use.uses:
            findings.append(Finding(display, link.line, link.col, link.url, "external",
                                    severity, message, ""))
    return findings


def with_config(options: CheckOptions, **changes: object) -> CheckOptions:
    """``dataclasses.replace`` that ignores ``None`` values (unset CLI options)."""
    # (each change has its own field's type, which **changes cannot say: hence the ignore)
    return dataclasses.replace(options, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]
