"""Benchmark the offline ``check-links`` on a synthetic Hugo-style site.

Generates ``--pages`` page bundles (front matter with aliases, images and tags; about ten
links each: neighbours, anchors, images, static files, redirects, one external URL) in a
temporary folder, then times ``check_links`` in a fresh child process so that the peak
RSS reported is the checker's own, not the generator's.

    python benchmarks/check_links_bench.py                 # 50,000 pages
    python benchmarks/check_links_bench.py --pages 5000 --keep benchmarks/.work/site
    python benchmarks/check_links_bench.py --converted 50000   # the spine's scaled export,
                                                                # converted by wpmigrate
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGE = """---
title: "Post number {n}"
date: 2020-01-01T00:00:00Z
slug: post-{n}
aliases: [/{year}/01/01/post-{n}/, /?p={n}]
images: [cover.jpg]
tags: [tag-{tag}, bench]
---
Intro for post {n} with ![the cover](cover.jpg "Cover") and a [static logo](/images/logo.png).

## Background

Read [the previous post](../post-{prev}/) and [its details](/posts/post-{prev}/#details).
An [old permalink](/{pyear}/01/01/post-{prev}/) still works through an alias.

## Details

- [Next post](/posts/post-{next}/#background) and [its cover](/posts/post-{next}/cover.jpg)
- [Same page anchor](#background), [tag page](/tags/tag-{tag}/), [home](/)
- An [external reference](https://example.org/reference/{tag}) and [about](/about/#team).

```sh
curl https://example.org/not-a-link/{n}
```

## Background

Repeated heading, linked as [the second background](#background-1).
"""


def generate(root: Path, pages: int) -> None:
    """Write the synthetic site under ``root``."""
    posts = root / "content" / "posts"
    (root / "static" / "images").mkdir(parents=True)
    (root / "static" / "images" / "logo.png").write_bytes(b"png")
    (root / "content" / "about").mkdir(parents=True)
    (root / "content" / "about" / "index.md").write_text("# About\n\n## Team\n")
    (root / "static" / "_redirects").write_text("/old/ /about/ 301\n")
    for n in range(pages):
        bundle = posts / f"post-{n}"
        bundle.mkdir(parents=True)
        prev, nxt = (n - 1) % pages, (n + 1) % pages
        text = PAGE.format(
            n=n, prev=prev, next=nxt, tag=n % 97, year=2000 + n % 20, pyear=2000 + prev % 20
        )
        (bundle / "index.md").write_text(text, encoding="utf-8")
        (bundle / "cover.jpg").write_bytes(b"jpg")


def convert_scaled(root: Path, posts: int) -> None:
    """Convert the spine's scaled export (``benchmarks/scale.py``) of ``posts`` posts."""
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here), str(here.parent)]
    from scale import DEFAULT_SOURCE, scaled_export  # the spine's benchmark exports

    from wpmigrate.options import ConvertOptions
    from wpmigrate.pipeline import convert

    export = root.parent / f"export-{posts}.xml"
    scaled_export(DEFAULT_SOURCE.read_bytes(), posts, export)
    convert(export, ConvertOptions(output=root, media="keep"))


def check_only(site: Path, jobs: int) -> None:
    """Run the offline check in this process and print one JSON line of figures."""
    from wpmigrate.checks.api import check_links
    from wpmigrate.checks.options import CheckOptions

    started, cpu = time.perf_counter(), time.process_time()
    report = check_links([site], CheckOptions(jobs=jobs))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "pages": report.stats.get("pages"),
                "links": report.links_checked,
                "findings": len(report.findings),
                "seconds": round(elapsed, 2), "cpu_seconds": round(cpu, 2),
                "peak_rss_mib": round(rss_mib, 1), "jobs": jobs,
            }
        )
    )


def main() -> None:
    """Generate (or reuse) a site and time the check in a child process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="generate here and keep the site")
    parser.add_argument("--jobs", type=int, default=1, help="parsing processes")
    parser.add_argument("--converted", type=int, metavar="POSTS",
                        help="check wpmigrate's own output for a scaled export instead")
    parser.add_argument("--check-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.check_only:
        check_only(args.check_only, args.jobs)
        return
    with tempfile.TemporaryDirectory(prefix="wpmigrate-bench-") as tmp:
        site = args.keep or Path(tmp) / "site"
        if not (site / "content").is_dir():
            started = time.perf_counter()
            if args.converted:
                site.mkdir(parents=True, exist_ok=True)
                convert_scaled(site, args.converted)
            else:
                generate(site, args.pages)
            print(f"built the site in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        env = dict(os.environ)
        repo = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [repo, env.get("PYTHONPATH")]))
        for run in ("cold", "warm"):
            out = subprocess.run(
                [sys.executable, __file__, "--check-only", str(site), "--jobs", str(args.jobs)],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            ).stdout.strip()
            print(f"{run}: {out}")


if __name__ == "__main__":
    main()
