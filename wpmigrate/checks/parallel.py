"""Parse many pages on several cores.

Parsing is most of an offline check. Worker processes (``spawn``: safe whatever threads
the caller runs) parse slices of the file list and send back plain tuples, which pickle
about ten times faster than the records; the calling process parses its own share
meanwhile, so on a 2-core machine one worker and the caller split the work.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from wpmigrate.checks.extract import parse_file
from wpmigrate.checks.findings import Link
from wpmigrate.checks.frontmatter import FrontMatter
from wpmigrate.checks.parsed import ParsedFile

#: Below this many pages, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 4000
CHUNK = 500

LinkRow = tuple[str, int, int, str]
Packed = tuple[list[LinkRow], list[str], list[LinkRow], list[LinkRow], dict[str, str],
               list[tuple[str, str]]]


def read_and_parse(path: str) -> ParsedFile | None:
    """Read one page (UTF-8, undecodable bytes replaced) and parse it; None if unreadable."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return None
    return parse_file(text, os.path.splitext(path)[1])


def _rows(links: list[Link]) -> list[LinkRow]:
    return [(link.url, link.line, link.col, link.kind) for link in links]


def pack(parsed: ParsedFile) -> Packed:
    """A ParsedFile as plain tuples (fast to pickle)."""
    front = parsed.front
    return (_rows(parsed.links), list(parsed.anchors), _rows(front.links),
            _rows(front.aliases), front.scalars, front.terms)


def unpack(packed: Packed) -> ParsedFile:
    """The inverse of :func:`pack`."""
    links, anchors, images, aliases, scalars, terms = packed
    front = FrontMatter(links=[Link(*row) for row in images],
                        aliases=[Link(*row) for row in aliases], scalars=scalars, terms=terms)
    return ParsedFile(links=[Link(*row) for row in links], anchors=set(anchors), front=front)


def parse_chunk(paths: list[str]) -> list[Packed | None]:
    """Worker entry point: parse ``paths`` and return their packed results."""
    results: list[Packed | None] = []
    for path in paths:
        parsed = read_and_parse(path)
        results.append(None if parsed is None else pack(parsed))
    return results


def worker_count(pages: int, jobs: int) -> int:
    """Extra processes to start: none for small sites or ``jobs <= 1`` (the default:
    on a busy 2-core machine the workers did not pay for their pickling)."""
    if jobs <= 1 or pages < PARALLEL_THRESHOLD:
        return 0
    return max(0, min(jobs, os.cpu_count() or 1, 8) - 1)


def parse_all(
    paths: list[str], jobs: int, progress: Callable[[int], None] | None = None
) -> Iterator[ParsedFile | None]:
    """Parsed pages for ``paths``, in order; uses worker processes for large sites."""
    workers = worker_count(len(paths), jobs)
    if workers == 0:
        for done, path in enumerate(paths, 1):
            if progress is not None and done % 1000 == 0:
                progress(done)
            yield read_and_parse(path)
        return
    chunks = [paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)]
    # The workers' chunks come first; the caller keeps a smaller share because it also
    # unpacks every worker result (measured: ~40 % on 2 cores balances the two).
    share = min(len(chunks), round(len(chunks) * workers / (workers + 0.7)))
    try:
        remote, local = _run_pool(chunks, share, workers)
    except (BrokenProcessPool, OSError):
        # No usable worker (e.g. the main module cannot be re-imported by ``spawn``):
        # fall back to parsing here; the result is the same, only slower.
        yield from parse_all(paths, 1, progress)
        return
    done = 0
    for result in remote:
        for packed in result:
            yield None if packed is None else unpack(packed)
        done += CHUNK
        if progress is not None:
            progress(min(done, len(paths)))
    for chunk_result in local:
        yield from chunk_result


def _run_pool(
    chunks: list[list[str]], share: int, workers: int
) -> tuple[list[list[Packed | None]], list[list[ParsedFile | None]]]:
    """Workers parse ``chunks[:share]`` while this process parses the rest."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures: list[Future[list[Packed | None]]] = [
            pool.submit(parse_chunk, chunk) for chunk in chunks[:share]]
        local = [[read_and_parse(path) for path in chunk] for chunk in chunks[share:]]
        return [future.result() for future in futures], local
