"""Pass 2: transform and write every planned item, in parallel when it pays.

The items were stored in the spool (``spool.py``) while pass 1 read them. The main
process hands out ranges of positions; at most a few ranges are in flight, so memory
does not grow with the size of the input. Each worker inherits the read-only index
and the spool by ``fork`` (set once by the pool initializer: the only process-wide
state, and it is never mutated), reads its items from the spool, renders them and
writes their files atomically. A failure in one item becomes that item's
report line and never stops the run.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from wpmigrate.index import Planned, SiteIndex
from wpmigrate.indexstore import get_many
from wpmigrate.model import ItemReport, Post, fast_pickle, record_maker
from wpmigrate.model import Outcome as ItemOutcome
from wpmigrate.policy import decide
from wpmigrate.report import item_json
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.spool import ItemSpool
from wpmigrate.writers.comments import CommentsOutcome, dropped, write_comments
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
    comments: bool = True  # write approved comments (--comments data)


@fast_pickle
@dataclass(frozen=True, slots=True)
class Outcome:
    """One item's report line (also as the report file's JSON text, made in the
    worker rather than at the end in the main process) and the media URLs its file
    references."""

    seq: int
    report: ItemReport
    media: tuple[str, ...]
    report_json: str


def _outcome(seq: int, report: ItemReport, media: tuple[str, ...] = ()) -> Outcome:
    return _make_outcome(seq, report, media, item_json(report))


_make_outcome = record_maker(Outcome)  # Outcome(...) for less: one per item


def process_item(
    seq: int, item: Post | UnreadableItem, job: Job, planned: Planned | None
) -> Outcome:
    """Report, and for planned items render and write, one item (``planned``: the
    index's plan for its ID, if any); never raises."""
    if isinstance(item, UnreadableItem):
        return _outcome(seq, _unreadable(item, job))
    if planned is None or planned.seq != seq:
        return _outcome(seq, _not_planned(item, planned is not None, job))
    try:
        rendered = render_item(item, planned, job.index, job.rendered_html)
        job.writer.write_text(planned.path, rendered.text)
    except Exception as error:  # per-item isolation is the contract
        reason = f"conversion failed: {type(error).__name__}: {error}"
        return _outcome(seq, _report(item, job, "failed", reason=reason,
                                     comments=_dropped_comments(item, job)))
    comments = _NO_COMMENTS
    if item.comments and job.comments:  # (most items have none: no work for them)
        comments = write_comments(item, job.index, job.writer)
    report = _report(
        item,
        job,
        "written",
        reason=planned.decision_reason,
        path=planned.path,
        warnings=rendered.warnings + comments.warnings,
        repairs=rendered.repairs,
        unknown_shortcodes=rendered.unknown_shortcodes,
        comments=comments.counts,
    )
    media = rendered.media
    if comments.media:
        media = tuple(dict.fromkeys(media + comments.media))
    return _outcome(seq, report, media)


_NO_COMMENTS = CommentsOutcome(())  # an item without comments, or --comments none


def _dropped_comments(item: Post, job: Job) -> tuple[tuple[str, int | str], ...]:
    """The counts of an item not written: all its comments dropped (none counted
    with ``--comments none``)."""
    return dropped(item) if job.comments else ()


def _report(item: Post, job: Job, outcome: ItemOutcome, **details: Any) -> ItemReport:
    """The item's report line: what it is, where it was read, what became of it."""
    source = job.source_name
    if item.source is not None:
        source = item.source.path + (f":{item.source.line}" if item.source.line else "")
    return _make_report(
        id=item.id, type=item.type, status=item.status, title=item.title,
        outcome=outcome, source=source, **details,
    )


_make_report = record_maker(ItemReport)  # ItemReport(...) for less: one per item


def _not_planned(item: Post, duplicate: bool, job: Job) -> ItemReport:
    if duplicate:
        return _report(item, job, "failed", reason=f"duplicate ID {item.id}: an earlier item "
                       "has the same ID and was written; give one of them a new ID",
                       comments=_dropped_comments(item, job))
    decision = decide(item, job.include_drafts)
    return _report(item, job, "skipped", reason=decision.reason or "not planned",
                   comments=_dropped_comments(item, job))


def _unreadable(item: UnreadableItem, job: Job) -> ItemReport:
    return ItemReport(
        id=item.id, type=item.type, status=item.status, title=item.title,
        outcome="failed", reason=item.reason, source=item.source or job.source_name,
    )


# --- running -------------------------------------------------------------------------

_JOB: Job | None = None  # set once per worker process by _init_worker, then read-only
_SPOOL: ItemSpool | None = None


def _init_worker(job: Job, spool: ItemSpool) -> None:
    global _JOB, _SPOOL
    _JOB, _SPOOL = job, spool


def _run_range(start: int, stop: int) -> list[Outcome]:
    """Items ``start`` to ``stop`` (source positions), read from the inherited spool."""
    assert _JOB is not None and _SPOOL is not None
    return process_range(_SPOOL, _JOB, start, stop)


def process_range(spool: ItemSpool, job: Job, start: int, stop: int) -> list[Outcome]:
    """``process_item`` for the items at positions ``start`` to ``stop``, their plans
    read from the index together."""
    items = [(seq, spool.get(seq)) for seq in range(start, stop)]
    ids = (item.id for _seq, item in items if isinstance(item, Post))
    plans = get_many(job.index.planned, ids)
    # (an UnreadableItem's ID, maybe a str, finds no plan, and process_item ignores it)
    return [process_item(seq, item, job, plans.get(item.id)) for seq, item in items]  # type: ignore[arg-type]


def run_pass2(
    spool: ItemSpool, job: Job, workers: int, progress: Progress | None
) -> Iterator[Outcome]:
    """Process every item of the spool; outcomes come out in source order, as they
    are ready (the caller keeps what it needs of them, not the outcomes)."""
    if not in_parallel(len(job.index.planned), workers):
        batches: Iterator[list[Outcome]] = (
            process_range(spool, job, start, min(start + BATCH_SIZE, len(spool)))
            for start in range(0, len(spool), BATCH_SIZE)
        )
    else:
        batches = _run_parallel(spool, job, _worker_count(workers))
    done = 0
    for batch in batches:
        yield from batch
        done += len(batch)
        if progress is not None:
            progress("convert", done, len(spool))


def in_parallel(planned: int, workers: int) -> bool:
    """Whether pass 2 runs in worker processes. Workers inherit the index and the spool
    by fork; without fork (Windows), or when there is too little to do for processes to
    pay, everything runs in this process."""
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    return can_fork and _worker_count(workers) > 1 and planned >= PARALLEL_THRESHOLD


def _worker_count(workers: int) -> int:
    return workers or os.cpu_count() or 1


def _run_parallel(spool: ItemSpool, job: Job, workers: int) -> Iterator[list[Outcome]]:
    """Hand out ranges of positions; at most a few ranges per worker are in flight."""
    context = multiprocessing.get_context("fork")
    total = len(spool)
    pending: deque[Future[list[Outcome]]] = deque()
    # The index is read-only from here on: keep the collector away from it, so the
    # workers neither scan it nor copy its pages (copy-on-write) by touching them.
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            workers, context, initializer=_init_worker, initargs=(job, spool)
        ) as pool:
            for start in range(0, total, BATCH_SIZE):
                pending.append(pool.submit(_run_range, start, min(start + BATCH_SIZE, total)))
                while len(pending) >= workers * 3:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        gc.unfreeze()
