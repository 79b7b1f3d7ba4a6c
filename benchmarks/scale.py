"""Scale benchmark: convert exports of 1k, 10k and 50k posts; print posts/s and peak RSS.

    python benchmarks/scale.py                 # 1k, 10k, 50k from the theme unit test
    python benchmarks/scale.py --sizes 1000 --source exports/sample.xml
    python benchmarks/scale.py --sizes 50000 --repeat 3   # a noisy VM: best of three
    python benchmarks/scale.py --sizes 50000 --repeat 3 --reference   # and calibrate

``--reference`` also times, before each conversion, issue #2's reference workload on
the same export: a streaming parse plus html2text of every item's content on one core,
nothing written. The issue measured it at 22.6 s for 50k posts on the machine its
target (50k posts in 25 s) was set on; this VM's speed varies from hour to hour by more
than any change to wpmigrate does, so a conversion is also given as a multiple of the
reference timed in the same minutes. The target is 25 / 22.6 = 1.11 times the reference.

The scaled export keeps the source's channel and items once, then clones its published
posts (fresh IDs, slugs and permalinks) until it holds N posts. Each conversion runs
in a fresh process, so the RSS figures are its own: ``main`` is the parent process,
``worker`` the largest child (a pass-1 reader of a part of the export, or a pass-2
worker). Each row also splits the time into pass 1 (read, spool, index), pass 2
(convert and write) and finish (media, redirects, report), and gives the CPU time of
all processes together, and how much of it the kernel spent (mostly making files).

Measuring: on ext4 without a journal (this project's VMs), creating a file scans
past every inode deleted in the last one to five minutes (``recently_deleted`` in
the kernel's inode allocator), so a run right after deleting a big output tree
pays 300-600 us instead of 15-70 us per file written. Delete old outputs well
before measuring, and compare runs made under the same conditions.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / ".." / "shared" / "corpus"
DEFAULT_SOURCE = CORPUS / "wxr" / "wptt-theme-unit-test" / "themeunittestdata.wordpress.xml"
ITEM = re.compile(rb"<item>.*?</item>", re.S)
PUBLISHED_POST = re.compile(
    rb"<wp:post_type><!\[CDATA\[post\]\]></wp:post_type>|<wp:post_type>post</wp:post_type>"
)
PUBLISH = re.compile(
    rb"<wp:status><!\[CDATA\[publish\]\]></wp:status>|<wp:status>publish</wp:status>"
)

PASSWORD = re.compile(rb"<wp:post_password>(<!\[CDATA\[)?[^<\]]")

RUNNER = r"""
import json, resource, sys, time
from pathlib import Path
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
marks = {}
def progress(stage, done, total):
    marks[stage] = time.perf_counter()  # "index": pass 1 over; last "convert": pass 2 over
start = time.perf_counter()
options = ConvertOptions(output=Path(sys.argv[2]), media="keep", workers=int(sys.argv[3]))
report = convert(Path(sys.argv[1]), options, progress)
end = time.perf_counter()
self, children = (resource.getrusage(who) for who in
                  (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({
    "seconds": end - start,
    "pass1": marks["index"] - start,
    "pass2": marks.get("convert", marks["index"]) - marks["index"],
    "finish": end - marks.get("convert", marks["index"]),
    "cpu": self.ru_utime + self.ru_stime + children.ru_utime + children.ru_stime,
    "sys": self.ru_stime + children.ru_stime,
    "written": report.totals()["written"],
    "items": report.totals()["items"],
    "failed": report.totals()["failed"],
    "main_rss_mb": self.ru_maxrss / 1024,
    "worker_rss_mb": children.ru_maxrss / 1024,
}))
"""

#: Issue #2's reference: iterparse plus html2text (no wrapping, Unicode kept) of every
#: item's content, one core, nothing written. It printed 22.6 s for 50k posts there.
REFERENCE = r"""
import json, resource, sys, time
import html2text
from lxml import etree
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
start = time.perf_counter()
items = 0
for _event, item in etree.iterparse(sys.argv[1], events=("end",), tag="item",
                                    resolve_entities=False, huge_tree=True):
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.unicode_snob = True
    converter.handle(item.findtext(CONTENT) or "")
    items += 1
    item.clear()
    while item.getprevious() is not None:
        del item.getparent()[0]
print(json.dumps({"seconds": time.perf_counter() - start, "items": items,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
REFERENCE_SECONDS_50K = 22.6  # what the issue measured
TARGET_SECONDS_50K = 25.0


def scaled_export(source: bytes, posts: int, target: Path) -> int:
    """Write an export with ``posts`` published posts, cloned from ``source``."""
    items = ITEM.findall(source)
    head = source[: source.index(b"<item>")]
    tail = source[source.rindex(b"</item>") + len(b"</item>") :]
    templates = [
        item
        for item in items
        if PUBLISHED_POST.search(item) and PUBLISH.search(item) and not PASSWORD.search(item)
    ]
    count = len(templates)
    with target.open("wb") as out:
        out.write(head)
        for item in items:
            out.write(item)
        clone = 0
        while count < posts:
            out.write(_clone(templates[clone % len(templates)], clone))
            clone += 1
            count += 1
        out.write(tail)
    return count


def _clone(item: bytes, number: int) -> bytes:
    new_id = 1_000_000 + number
    item = re.sub(rb"<wp:post_id>\d+</wp:post_id>", b"<wp:post_id>%d</wp:post_id>" % new_id, item)
    item = re.sub(
        rb"<wp:post_name>(<!\[CDATA\[)?([^<\]]*)",
        lambda m: b"<wp:post_name>" + (m.group(1) or b"") + m.group(2) + b"-c%d" % number,
        item,
        count=1,
    )
    item = re.sub(
        rb"<link>([^<]*?)/?</link>", lambda m: b"<link>%s-c%d/</link>" % (m.group(1), number), item
    )
    guid = b'<guid isPermaLink="false">https://example.invalid/?p=%d</guid>' % new_id
    return re.sub(rb"<guid[^>]*>[^<]*</guid>", guid, item)


def run(
    source: Path, sizes: list[int], workers: int = 0, repeat: int = 1, reference: bool = False
) -> list[dict[str, float]]:
    """Convert each scaled export ``repeat`` times, each in a fresh process (with
    ``reference``, each after a run of the reference workload), and collect the figures
    of every run. Outputs are kept until the end: deleting a big tree between runs
    would slow the next one down (see above)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="wpm-bench-") as tmp:
        data = source.read_bytes()
        for size in sizes:
            export = Path(tmp) / f"export-{size}.xml"
            posts = scaled_export(data, size, export)
            runs = []
            for n in range(repeat):
                baseline = _reference(export) if reference else None
                runs.append(_convert(export, Path(tmp) / f"out-{size}-{n}", posts, workers))
                if baseline is not None:
                    runs[-1]["reference"] = baseline
                    _print_calibration(runs[-1], baseline)
            rows += runs
            if repeat > 1:
                best = min(runs, key=lambda figures: figures["seconds"])
                print(f"  best of {repeat}:", end="")
                _print_row(best)
    return rows


def _convert(export: Path, out: Path, posts: int, workers: int) -> dict[str, float]:
    """One conversion in a fresh process; its figures, also printed."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, str(export), str(out), str(workers)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    figures: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    if figures["written"] < posts:
        print(f"warning: only {figures['written']} of {posts} posts written", flush=True)
    figures.update(
        posts=posts,
        wall=time.perf_counter() - started,
        export_mb=export.stat().st_size / 1e6,
    )
    _print_row(figures)
    return figures


def _reference(export: Path) -> float:
    """Issue #2's reference workload on ``export`` in a fresh process; its seconds."""
    proc = subprocess.run(
        [sys.executable, "-c", REFERENCE, str(export)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    print(
        f"        reference (parse + html2text, one core, no files): {figures['seconds']:6.1f} s"
        f"  peak RSS {figures['rss_mb']:5.1f} MB",
        flush=True,
    )
    return float(figures["seconds"])


def _print_calibration(figures: dict[str, float], reference: float) -> None:
    """The conversion as a multiple of the reference, against the issue's target; at
    50k posts also what that multiple means on the machine the target was set on."""
    ratio = figures["seconds"] / reference
    line = (
        f"        = {ratio:.2f} x the reference; the target is "
        f"{TARGET_SECONDS_50K / REFERENCE_SECONDS_50K:.2f} x"
    )
    if figures["posts"] == 50_000:
        line += (
            f"; where the reference took {REFERENCE_SECONDS_50K} s this run would "
            f"take {ratio * REFERENCE_SECONDS_50K:.1f} s (target {TARGET_SECONDS_50K:.0f} s)"
        )
    print(line, flush=True)


def _print_row(f: dict[str, float]) -> None:
    print(
        f"{int(f['posts']):>7} posts  export {f['export_mb']:7.1f} MB  "
        f"convert {f['seconds']:6.1f} s  {f['posts'] / f['seconds']:7.0f} posts/s  "
        f"(pass 1 {f['pass1']:5.1f} s, pass 2 {f['pass2']:5.1f} s, finish {f['finish']:4.1f} s, "
        f"{f['cpu']:6.1f} CPU-s, {f['sys']:5.1f} in the kernel)  "
        f"written {int(f['written']):>6}  failed {int(f['failed'])}  "
        f"peak RSS main {f['main_rss_mb']:6.1f} MB  worker {f['worker_rss_mb']:6.1f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000])
    parser.add_argument("--workers", type=int, default=0, help="0: one per core")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per size; the fastest is printed again"
    )
    parser.add_argument(
        "--reference",
        action="store_true",
        help="before each conversion, time issue #2's reference workload on the same export",
    )
    args = parser.parse_args()
    if not args.source.is_file():
        sys.exit(f"source export not found: {args.source} (pass --source)")
    run(args.source, args.sizes, args.workers, args.repeat, args.reference)


if __name__ == "__main__":
    main()
