"""Time the whole conversion of a mirrored site, media copy included.

    python benchmarks/mirror_bench.py                       # the Atlanta BitDevs mirror
    python benchmarks/mirror_bench.py --mirror PATH --runs 5

Each run converts into a fresh folder in a fresh process; prints each run's wall time
and peak RSS, then the median.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = REPO / ".." / "shared" / "corpus" / "mirrors" / "atlantabitdevs"

RUNNER = r"""
import json, resource, sys, time
from pathlib import Path
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
start = time.perf_counter()
report = convert(Path(sys.argv[1]), ConvertOptions(output=Path(sys.argv[2])))
print(json.dumps({
    "seconds": time.perf_counter() - start,
    "totals": report.totals(),
    "media": report.media.written + report.media.present,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.mirror.is_dir():
        sys.exit(f"mirror not found: {args.mirror} (pass --mirror)")
    times = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="wpm-mirror-") as tmp:
            proc = subprocess.run(
                [sys.executable, "-c", RUNNER, str(args.mirror), str(Path(tmp) / "out")],
                check=True, capture_output=True, text=True, cwd=REPO,
            )
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        times.append(figures["seconds"])
        print(f"run {run + 1}: {figures['seconds']:.2f} s, {figures['totals']}, "
              f"{figures['media']} media files, peak RSS {figures['rss_mb']:.0f} MB", flush=True)
    print(f"median: {statistics.median(times):.2f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
