"""Bring the media files the written items reference into the output.

Three ways, per ``--media``: ``download`` fetches from the old site (or from
``--media-from``) with a small pool of parallel downloads; ``copy`` only copies from a
local uploads folder (``--uploads DIR``, an ``uploads/`` beside the export, or a
mirror's files); ``keep`` leaves media remote (the pipeline then asks for nothing).
A local copy is used first in every mode. Everything is resumable: a file already in
the output with the right size is neither copied nor downloaded again.
"""

from __future__ import annotations

import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

from wpmigrate.media.naming import strip_variant, uploads_relpath
from wpmigrate.options import ConvertOptions
from wpmigrate.report import MediaSummary
from wpmigrate.sources.base import MediaLocator
from wpmigrate.urls import rebase
from wpmigrate.writers.safe import SafeWriter

if TYPE_CHECKING:
    from wpmigrate.media.download import Fetched

T = TypeVar("T")
R = TypeVar("R")

DOWNLOAD_WORKERS = 4  # polite to the old host, still several times faster than serial


def materialize(
    needed: Mapping[str, str],
    writer: SafeWriter,
    locator: MediaLocator | None,
    options: ConvertOptions,
) -> MediaSummary:
    """Make every ``url → output relpath`` in ``needed`` exist in the output."""
    summary = MediaSummary()
    downloads: list[tuple[str, str]] = []  # (url, relpath): a Path each would weigh 65 MB
    _remove_partials({writer.target(relpath).parent for relpath in needed.values()})
    for url, relpath in sorted(needed.items(), key=lambda kv: kv[1]):
        local = locator.locate(url) if locator else None
        if local is not None:
            _copy(local, writer.target(relpath), summary)
        elif options.media == "download" and urlsplit(url).scheme in ("http", "https"):
            downloads.append((url, relpath))
        else:
            summary.missing.append(f"{url}: not found locally")
    if downloads:
        _download_all(downloads, writer, options, summary)
    summary.missing.sort()
    return summary


def _remove_partials(folders: set[Path]) -> None:
    """Temporary files a killed earlier run left (``.wpm-*.part``): never kept."""
    for folder in sorted(folders):
        if folder.is_dir():
            for partial in folder.glob(".wpm-*.part"):
                partial.unlink(missing_ok=True)


def _copy(local: Path, target: Path, summary: MediaSummary) -> None:
    """Copy a local original unless the output already has it (same size)."""
    if target.is_file() and target.stat().st_size == local.stat().st_size:
        summary.present += 1
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".wpm-{target.name}.part")
    try:
        shutil.copyfile(local, partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    summary.written += 1


def _download_all(
    downloads: list[tuple[str, str]],
    writer: SafeWriter,
    options: ConvertOptions,
    summary: MediaSummary,
) -> None:
    """Fetch in parallel; results are counted in input order (deterministic report)."""
    # requests (10 MB, 0.1 s to import) is loaded only when something is downloaded
    from wpmigrate.media.download import DeadHosts, fetch, make_session

    base = options.media_base
    dead = DeadHosts()

    def download(job: tuple[str, str]) -> Fetched:
        url, relpath = job
        return fetch(session, candidates(url, base), writer.target(relpath), dead)

    with make_session(DOWNLOAD_WORKERS) as session, ThreadPoolExecutor(DOWNLOAD_WORKERS) as pool:
        results = _ordered_map(pool, download, downloads, DOWNLOAD_WORKERS * 8)
        for (url, _relpath), result in zip(downloads, results, strict=True):
            _count(url, result, summary)


def _ordered_map(
    pool: ThreadPoolExecutor, function: Callable[[T], R], jobs: Iterable[T], window: int
) -> Iterator[R]:
    """``pool.map`` with at most ``window`` jobs submitted at a time: ``map`` submits
    them all at once, and 65k pending futures took 160 MB."""
    pending: deque[Future[R]] = deque()
    for job in jobs:
        pending.append(pool.submit(function, job))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _count(url: str, result: Fetched, summary: MediaSummary) -> None:
    if result.status == "written":
        summary.written += 1
    elif result.status == "present":
        summary.present += 1
    else:
        summary.missing.append(f"{url}: {result.detail}")


def candidates(url: str, media_base: str = "") -> tuple[str, ...]:
    """The URLs to try for one file: its original (no size suffix, no ``?w=``), then
    the URL as written; both moved to ``media_base`` when one is given."""
    parts = urlsplit(url)
    plain = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    rel = uploads_relpath(url)
    original = plain
    if rel:
        path = unquote(parts.path)
        stem = path[: len(path) - len(rel)]
        original = urlunsplit((parts.scheme, parts.netloc, stem + strip_variant(rel), "", ""))
    urls = dict.fromkeys(rebase(u, media_base) for u in (original, plain, url))
    return tuple(urls)
