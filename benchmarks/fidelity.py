"""Fidelity benchmark: does the converted Markdown keep what WordPress showed?

For every published post and page of each export under ``<corpus>/wxr/``, the body is
converted as the pipeline does it (``repair_html``, then
``wpmigrate.transforms.convert_body``), the Markdown rendered back to
HTML and compared with the source (see ``fidelity_metrics``). One row per export:

    python benchmarks/fidelity.py [--corpus DIR] [--json out.json] [--update-floors]

Floors are pinned in ``fidelity_floors.json`` beside this file; ``tests/
test_fidelity_gate.py`` fails CI when a score falls below its floor (or a count rises
above its ceiling). ``--update-floors`` only ever tightens them: lowering a floor is a
hand edit of that file, visible in review.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repo and this folder importable
    sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).parent)]

from fidelity_metrics import PostScore, new_renderer, score_post

from wpmigrate.index import media_from_attachment
from wpmigrate.model import Media, Post
from wpmigrate.sources.wxr import WxrSource
from wpmigrate.transforms import convert_body
from wpmigrate.transforms.context import TransformContext
from wpmigrate.transforms.textrepair import repair_html
from wpmigrate.transforms.wpautop import wpautop

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / ".." / "shared" / "corpus"
FLOORS_FILE = Path(__file__).with_name("fidelity_floors.json")

#: Scores that must stay at or above their floor.
FLOOR_METRICS = ("recall_mean", "recall_min", "order_mean", "paragraph_ratio", "paragraph_kept")
#: Floors that --update-floors never pins higher than this: more paragraphs than the
#: source is not better (gallery captions written as paragraphs inflate the ratio), so
#: the ratio keeps the issue's target as its floor and ``paragraph_kept`` (which extra
#: paragraphs cannot inflate) carries the measured value.
FLOOR_CAPS: Mapping[str, float] = {"paragraph_ratio": 0.95}
#: Counts that must stay at or below their ceiling.
CEILING_METRICS = ("markup_left", "mojibake_left", "failed")
#: The issue's targets, reported next to the floors.
TARGETS: Mapping[str, tuple[str, float]] = {
    "recall_min": (">=", 0.995),
    "markup_left": ("<=", 0),
    "paragraph_ratio": (">=", 0.95),
    "paragraph_kept": (">=", 0.95),
}
#: Item types and statuses that are scored.
SCORED_TYPES = frozenset({"post", "page"})


@dataclass(frozen=True, slots=True)
class Job:
    """One post to convert and score (picklable, sent to a worker process)."""

    export: str
    post_id: int
    title: str
    content: str
    context: TransformContext


@dataclass(frozen=True, slots=True)
class PostResult:
    """A worker's answer: the score, the time spent, and the error if conversion failed."""

    export: str
    score: PostScore
    seconds: float
    error: str = ""


@dataclass(frozen=True, slots=True)
class ExportScore:
    """One row of the table: one export's aggregated scores."""

    export: str
    posts: int
    recall_mean: float
    recall_min: float
    worst_id: int | str
    worst_title: str
    order_mean: float
    paragraph_ratio: float  # Σ output paragraphs / Σ source paragraphs (classic posts)
    paragraph_kept: float  # Σ min(output, source) / Σ source: extra paragraphs can't hide losses
    markup_left: int
    mojibake_left: int
    failed: int
    seconds: float

    def metric(self, name: str) -> float:
        """A metric by name (the keys of the floors file)."""
        return float(getattr(self, name))


def export_name(path: Path, wxr_root: Path) -> str:
    """``cc-labs`` for a folder's only export, ``folder/file`` (no suffix) otherwise."""
    relative = path.relative_to(wxr_root)
    siblings = list(path.parent.glob("*.xml"))
    if len(relative.parts) == 2 and len(siblings) == 1:
        return relative.parts[0]
    return relative.with_suffix("").as_posix()


def find_exports(corpus: Path) -> list[tuple[str, Path]]:
    """Every export file under ``corpus/wxr``, with its name, sorted by name."""
    wxr_root = corpus / "wxr"
    paths = sorted(wxr_root.glob("**/*.xml"))
    return sorted((export_name(path, wxr_root), path) for path in paths)


def read_jobs(name: str, path: Path) -> list[Job]:
    """The published posts and pages of one export, each with its transform context."""
    source = WxrSource(path)
    base_url = source.read_site().site.base_url
    attachments: dict[int, Media] = {}
    posts: list[Post] = []
    for item in source.iter_items():
        if not isinstance(item, Post):
            continue
        if item.type == "attachment":
            attachments[item.id] = media_from_attachment(item)
        elif item.type in SCORED_TYPES and item.status == "publish":
            posts.append(item)
    return [
        Job(
            export=name,
            post_id=post.id,
            title=post.title,
            content=post.content,
            context=TransformContext(
                post_id=post.id, base_url=base_url, embed_style="html", attachments=attachments
            ),
        )
        for post in posts
    ]


def run_job(job: Job) -> PostResult:
    """Convert and score one post (runs in a worker process)."""
    started = time.perf_counter()
    error = ""
    try:
        # as the pipeline does (writers/render.py): text repair first, then conversion
        converted = convert_body(repair_html(job.content)[0], job.context)
        markdown = converted if isinstance(converted, str) else converted.markdown
    except Exception as exc:  # a crash is a finding, not the end of the benchmark
        markdown, error = "", f"{type(exc).__name__}: {exc}"
    score = score_post(job.post_id, job.title, job.content, markdown, new_renderer(), wpautop)
    return PostResult(job.export, score, time.perf_counter() - started, error)


def run_jobs(jobs: list[Job], workers: int) -> Iterator[PostResult]:
    """Results of all jobs, in job order, on ``workers`` processes (1: in-process)."""
    if workers <= 1:
        yield from map(run_job, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(run_job, jobs, chunksize=8)


def aggregate(export: str, results: list[PostResult], read_seconds: float) -> ExportScore:
    """One export's row from its posts' results."""
    scores = [result.score for result in results]
    worst = min(scores, key=lambda score: score.recall, default=None)
    source_paragraphs = sum(score.source_paragraphs for score in scores)
    output_paragraphs = sum(score.output_paragraphs for score in scores)
    kept = sum(min(score.output_paragraphs, score.source_paragraphs) for score in scores)
    return ExportScore(
        export=export,
        posts=len(scores),
        recall_mean=sum(score.recall for score in scores) / len(scores) if scores else 1.0,
        recall_min=worst.recall if worst else 1.0,
        worst_id=worst.post_id if worst else "",
        worst_title=worst.title if worst else "",
        order_mean=sum(score.order for score in scores) / len(scores) if scores else 1.0,
        paragraph_ratio=output_paragraphs / source_paragraphs if source_paragraphs else 1.0,
        paragraph_kept=kept / source_paragraphs if source_paragraphs else 1.0,
        markup_left=sum(score.markup_left for score in scores),
        mojibake_left=sum(score.mojibake_left for score in scores),
        failed=sum(1 for result in results if result.error),
        seconds=read_seconds + sum(result.seconds for result in results),
    )


@dataclass(frozen=True, slots=True)
class BenchmarkRun:
    """Everything one run measured."""

    rows: list[ExportScore]
    results: dict[str, list[PostResult]]  # per export, in source order
    rejected: dict[str, str]  # exports the reader could not read at all, with the error
    seconds: float


def run_benchmark(corpus: Path, workers: int = 2) -> BenchmarkRun:
    """Score every export of ``corpus`` on ``workers`` processes."""
    started = time.perf_counter()
    jobs: list[Job] = []
    read_seconds: dict[str, float] = {}
    rejected: dict[str, str] = {}
    for name, path in find_exports(corpus):
        read_started = time.perf_counter()
        try:
            jobs.extend(read_jobs(name, path))
        except Exception as exc:  # e.g. SourceError: reported, not fatal
            rejected[name] = f"{type(exc).__name__}: {exc}"
        read_seconds[name] = time.perf_counter() - read_started
    per_export: dict[str, list[PostResult]] = {name: [] for name in read_seconds}
    for result in run_jobs(jobs, workers):
        per_export[result.export].append(result)
    rows = [
        aggregate(name, results, read_seconds[name])
        for name, results in per_export.items()
        if results
    ]
    results = {name: results for name, results in per_export.items() if results}
    return BenchmarkRun(rows, results, rejected, time.perf_counter() - started)


# --- report -------------------------------------------------------------------------

_COLUMNS = (
    ("export", "{:<WIDTH}", "{:<WIDTH}"),
    ("posts", "{:>5}", "{:>5}"),
    ("recall", "{:>7.4f}", "{:>7}"),
    ("min", "{:>7.4f}", "{:>7}"),
    ("worst", "{:>7}", "{:>7}"),
    ("order", "{:>6.3f}", "{:>6}"),
    ("para", "{:>6.3f}", "{:>6}"),
    ("kept", "{:>6.3f}", "{:>6}"),
    ("markup", "{:>6}", "{:>6}"),
    ("mojib", "{:>5}", "{:>5}"),
    ("fail", "{:>4}", "{:>4}"),
    ("secs", "{:>6.1f}", "{:>6}"),
)


def _row_values(row: ExportScore) -> tuple[Any, ...]:
    return (
        row.export,
        row.posts,
        row.recall_mean,
        row.recall_min,
        str(row.worst_id),
        row.order_mean,
        row.paragraph_ratio,
        row.paragraph_kept,
        row.markup_left,
        row.mojibake_left,
        row.failed,
        row.seconds,
    )


def overall(rows: list[ExportScore]) -> ExportScore:
    """One line over all exports: post-weighted means, minimum of minima, sums."""
    posts = sum(row.posts for row in rows) or 1
    worst = min(rows, key=lambda row: row.recall_min)
    return ExportScore(
        export="ALL",
        posts=sum(row.posts for row in rows),
        recall_mean=sum(row.recall_mean * row.posts for row in rows) / posts,
        recall_min=worst.recall_min,
        worst_id=worst.worst_id,
        worst_title=worst.worst_title,
        order_mean=sum(row.order_mean * row.posts for row in rows) / posts,
        paragraph_ratio=min(row.paragraph_ratio for row in rows),
        paragraph_kept=min(row.paragraph_kept for row in rows),
        markup_left=sum(row.markup_left for row in rows),
        mojibake_left=sum(row.mojibake_left for row in rows),
        failed=sum(row.failed for row in rows),
        seconds=sum(row.seconds for row in rows),
    )


def format_table(rows: list[ExportScore]) -> str:
    """A fixed-width table, one line per export and an overall line."""
    width = str(max([len("export"), *(len(row.export) for row in rows)]))
    columns = [
        (fmt.replace("WIDTH", width), head.replace("WIDTH", width)) for _, fmt, head in _COLUMNS
    ]
    header = " ".join(
        head.format(name) for (name, _, _), (_, head) in zip(_COLUMNS, columns, strict=True)
    )
    lines = [header, "-" * len(header)]
    for row in [*rows, overall(rows)] if rows else []:
        cells = zip(columns, _row_values(row), strict=True)
        lines.append(" ".join(fmt.format(value) for (fmt, _), value in cells))
    return "\n".join(lines)


def worst_posts(run: BenchmarkRun, limit: int = 5, below: float = 0.995) -> list[str]:
    """The posts with the lowest recall (under ``below``), with a few missing words."""
    lines = []
    for export, results in run.results.items():
        ranked = sorted(results, key=lambda result: result.score.recall)
        for result in ranked[:limit]:
            score = result.score
            if score.recall >= below and not result.error:
                break
            missing = ", ".join(f"{word}×{count}" for word, count in score.missing)
            detail = result.error or f"missing: {missing}"
            lines.append(
                f"{export} #{score.post_id} {score.title[:50]!r} recall={score.recall:.4f}"
                f" words={score.source_words} {detail}"
            )
    return lines


def targets_report(rows: list[ExportScore]) -> list[str]:
    """Which of the issue's targets hold, per export."""
    lines = []
    for row in rows:
        missed = []
        for metric, (relation, target) in TARGETS.items():
            value = row.metric(metric)
            holds = value >= target if relation == ">=" else value <= target
            if not holds:
                missed.append(f"{metric}={value:.4g} (target {relation} {target})")
        if row.export == "cc-labs" and row.mojibake_left:
            missed.append(f"mojibake_left={row.mojibake_left} (target 0)")
        lines.append(f"{row.export}: {'all targets hold' if not missed else '; '.join(missed)}")
    return lines


# --- floors ---------------------------------------------------------------------------


def round_down(value: float, places: int = 3) -> float:
    """``value`` rounded down to ``places`` decimals (a floor that the value meets)."""
    factor = 10**places
    return math.floor(value * factor + 1e-9) / factor


def load_floors(path: Path = FLOORS_FILE) -> dict[str, dict[str, float]]:
    """The pinned floors and ceilings, per export (keys starting with "_" are notes)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: values for name, values in data.items() if not name.startswith("_")}


def check_floors(
    rows: Iterable[ExportScore], floors: Mapping[str, Mapping[str, float]]
) -> list[str]:
    """Every violation: a score under its floor, a count over its ceiling, an export
    without floors, or a pinned export that was not measured."""
    problems = []
    measured = {row.export: row for row in rows}
    for name, row in measured.items():
        pinned = floors.get(name)
        if pinned is None:
            problems.append(f"{name}: no floors pinned (run fidelity.py --update-floors)")
            continue
        for metric, limit in pinned.items():
            value = row.metric(metric)
            if metric in CEILING_METRICS and value > limit:
                problems.append(f"{name}: {metric} = {value:g} is above its ceiling {limit:g}")
            elif metric in FLOOR_METRICS and value < limit:
                problems.append(f"{name}: {metric} = {value:.4f} is below its floor {limit:.4f}")
    problems.extend(
        f"{name}: floors pinned but the export was not measured"
        for name in floors
        if name not in measured
    )
    return problems


def raised_floors(
    floors: Mapping[str, Mapping[str, float]], rows: Iterable[ExportScore]
) -> dict[str, dict[str, float]]:
    """Floors tightened to the measured values: a floor only rises, a ceiling only
    falls. New exports get the measured values (floors rounded down to 3 places,
    capped by FLOOR_CAPS)."""
    updated = {name: dict(values) for name, values in floors.items()}
    for row in rows:
        pinned = updated.setdefault(row.export, {})
        for metric in FLOOR_METRICS:
            measured = min(round_down(row.metric(metric)), FLOOR_CAPS.get(metric, math.inf))
            pinned[metric] = max(pinned.get(metric, measured), measured)
        for metric in CEILING_METRICS:
            measured_count = int(row.metric(metric))
            pinned[metric] = min(pinned.get(metric, measured_count), measured_count)
    return updated


def save_floors(floors: Mapping[str, Mapping[str, float]], path: Path = FLOORS_FILE) -> None:
    """Write the floors file, keeping its notes (keys starting with "_")."""
    notes = {}
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        notes = {key: value for key, value in data.items() if key.startswith("_")}
    ordered = {name: dict(sorted(floors[name].items())) for name in sorted(floors)}
    path.write_text(json.dumps({**notes, **ordered}, indent=2) + "\n", encoding="utf-8")


# --- command line ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table; exit 1 when a floor is broken."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path, help="write per-export and per-post scores")
    parser.add_argument("--update-floors", action="store_true", help="raise floors only")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if not (args.corpus / "wxr").is_dir():
        print(f"no corpus at {args.corpus}/wxr", file=sys.stderr)
        return 2
    run = run_benchmark(args.corpus, args.workers)
    print(format_table(run.rows))
    print(f"\nwall time {run.seconds:.1f}s on {args.workers} worker(s)")
    for name, error in run.rejected.items():
        print(f"rejected export {name}: {error}")
    print("\ntargets:", *targets_report(run.rows), sep="\n  ")
    print("\nworst posts (recall < 0.995):", *worst_posts(run), sep="\n  ")
    if args.json:
        write_json(run, args.json)
    floors = load_floors() if FLOORS_FILE.exists() else {}
    if args.update_floors:
        save_floors(raised_floors(floors, run.rows))
        floors = load_floors()
    problems = check_floors(run.rows, floors)
    print("\nfloors:", *(problems or ["all floors hold"]), sep="\n  ")
    return 1 if problems else 0


def write_json(run: BenchmarkRun, path: Path) -> None:
    """Per-export rows and per-post scores as JSON."""
    data = {
        "seconds": run.seconds,
        "rejected": run.rejected,
        "exports": [asdict(row) for row in run.rows],
        "posts": {
            name: [
                {**asdict(result.score), "seconds": result.seconds, "error": result.error}
                for result in results
            ]
            for name, results in run.results.items()
        },
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
