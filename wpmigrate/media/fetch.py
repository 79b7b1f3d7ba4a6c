"""Bring the media files the written items reference into the output.

(Minimal first version by the lead: copy from a local source or download sequentially.
To be replaced by the robust implementation: retries, pool, resumable.)
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import requests

from wpmigrate.options import ConvertOptions
from wpmigrate.report import MediaSummary
from wpmigrate.sources.base import MediaLocator
from wpmigrate.writers.safe import SafeWriter


def materialize(
    needed: Mapping[str, str],
    writer: SafeWriter,
    locator: MediaLocator | None,
    options: ConvertOptions,
) -> MediaSummary:
    """Make every ``url → output relpath`` in ``needed`` exist in the output."""
    summary = MediaSummary()
    for url, relpath in sorted(needed.items(), key=lambda kv: kv[1]):
        target = writer.target(relpath)
        local = locator.locate(url) if locator else None
        if local is not None:
            if target.is_file() and target.stat().st_size == local.stat().st_size:
                summary.present += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(local, target)
            summary.written += 1
            continue
        if options.media != "download":
            summary.missing.append(f"{url}: not found locally")
            continue
        _download(url, target, writer, relpath, summary)
    return summary


def _download(
    url: str, target: Path, writer: SafeWriter, relpath: str, summary: MediaSummary
) -> None:
    if target.is_file():
        summary.present += 1
        return
    try:
        response = requests.get(url, timeout=30)
        response.raise_for_status()
    except requests.RequestException as error:
        summary.missing.append(f"{url}: {error}")
        return
    writer.write_bytes(relpath, response.content)
    summary.written += 1
