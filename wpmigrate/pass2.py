"""Pass 2: transform and write every planned item, in parallel when it pays.

Items stream from the source in the main process and go to worker processes in small
batches; at most a few batches are in flight, so memory does not grow with the size
of the input. Each worker inherits the read-only index by ``fork`` (set once by the
pool initializer: the only process-wide state, and it is never mutated), renders
items and writes their files atomically. A failure in one item becomes that item's
report line and never stops the run.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice

from wpmigrate.index import SiteIndex
from wpmigrate.model import ItemReport, Post
from wpmigrate.policy import decide
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.writers.render import render_item
from wpmigrate.writers.safe import SafeWriter

BATCH_SIZE = 32
PARALLEL_THRESHOLD = 200  # planned items below which worker processes cost more than they save

Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True, slots=True)
class Job:
    """What every worker needs, fixed for the whole run."""

    index: SiteIndex
    writer: SafeWriter
    rendered_html: bool
    include_drafts: bool
    source_name: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """One item's report line and the media URLs its file references."""

    seq: int
    report: ItemReport
    media: tuple[str, ...]


def process_item(seq: int, item: Post | UnreadableItem, job: Job) -> Outcome:
    """Report, and for planned items render and write, one item; never raises."""
    if isinstance(item, UnreadableItem):
        return Outcome(seq, _unreadable(item, job), ())
    planned = job.index.planned.get(item.id)
    base = _base_report(item, job)
    if planned is None or planned.seq != seq:
        return Outcome(seq, _not_planned(item, base, planned is not None, job), ())
    try:
        rendered = render_item(item, planned, job.index, job.rendered_html)
        job.writer.write_text(planned.path, rendered.text)
    except Exception as error:  # per-item isolation is the contract
        reason = f"conversion failed: {type(error).__name__}: {error}"
        return Outcome(seq, _with(base, outcome="failed", reason=reason), ())
    report = _with(
        base,
        outcome="written",
        reason=planned.decision_reason,
        path=planned.path,
        warnings=rendered.warnings,
        repairs=rendered.repairs,
        unknown_shortcodes=rendered.unknown_shortcodes,
    )
    return Outcome(seq, report, rendered.media)


def _base_report(item: Post, job: Job) -> ItemReport:
    source = job.source_name
    if item.source is not None:
        source = item.source.path + (f":{item.source.line}" if item.source.line else "")
    return ItemReport(
        id=item.id, type=item.type, status=item.status, title=item.title,
        outcome="skipped", source=source,
    )


def _with(report: ItemReport, **changes: object) -> ItemReport:
    return replace(report, **changes)  # type: ignore[arg-type]


def _not_planned(item: Post, base: ItemReport, duplicate: bool, job: Job) -> ItemReport:
    if duplicate:
        return _with(base, outcome="failed", reason=f"duplicate ID {item.id}: an earlier item "
                     "has the same ID and was written; give one of them a new ID")
    decision = decide(item, job.include_drafts)
    return _with(base, reason=decision.reason or "not planned")


def _unreadable(item: UnreadableItem, job: Job) -> ItemReport:
    return ItemReport(
        id=item.id, type=item.type, status=item.status, title=item.title,
        outcome="failed", reason=item.reason, source=item.source or job.source_name,
    )


# --- running -------------------------------------------------------------------------

_JOB: Job | None = None  # set once per worker process by _init_worker, then read-only


def _init_worker(job: Job) -> None:
    global _JOB
    _JOB = job


def _run_batch(batch: list[tuple[int, Post | UnreadableItem]]) -> list[Outcome]:
    assert _JOB is not None
    return [process_item(seq, item, _JOB) for seq, item in batch]


def run_pass2(
    items: Iterable[Post | UnreadableItem], job: Job, workers: int, progress: Progress | None
) -> list[Outcome]:
    """Process every item; outcomes come back in source order."""
    total = job.index.item_count
    count = workers or os.cpu_count() or 1
    numbered = enumerate(items)
    # Workers inherit the index by fork; where there is no fork (Windows), run serially.
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if count <= 1 or total < PARALLEL_THRESHOLD or not can_fork:
        outcomes = []
        for seq, item in numbered:
            outcomes.append(process_item(seq, item, job))
            _tick(progress, outcomes, total)
        return outcomes
    return _run_parallel(numbered, job, count, progress, total)


def _run_parallel(
    numbered: Iterator[tuple[int, Post | UnreadableItem]],
    job: Job,
    workers: int,
    progress: Progress | None,
    total: int,
) -> list[Outcome]:
    context = multiprocessing.get_context("fork")
    outcomes: list[Outcome] = []
    pending: list[Future[list[Outcome]]] = []
    with ProcessPoolExecutor(workers, context, initializer=_init_worker, initargs=(job,)) as pool:
        while True:
            batch = list(islice(numbered, BATCH_SIZE))
            if batch:
                pending.append(pool.submit(_run_batch, batch))
            while pending and (len(pending) >= workers * 3 or not batch):
                outcomes.extend(pending.pop(0).result())
                _tick(progress, outcomes, total)
            if not batch:
                break
    return outcomes


def _tick(progress: Progress | None, outcomes: list[Outcome], total: int) -> None:
    if progress is not None:
        progress("convert", len(outcomes), total)
