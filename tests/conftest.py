"""Shared fixtures: where the repo, the sample and the shared corpus are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from wpmigrate.model import Post
from wpmigrate.sources import open_source

# No deadline for any property test: speed is the benchmarks' business, and a loaded CI
# machine must not turn a slow example into a failure.
settings.register_profile("wpmigrate", deadline=None)
settings.load_profile("wpmigrate")

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "exports" / "sample.xml"
CORPUS = (REPO / ".." / "shared" / "corpus").resolve()


@pytest.fixture
def corpus() -> Path:
    """The shared real-world corpus; the test is skipped when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS


def corpus_posts() -> Iterator[Post]:
    """Every post of every corpus WXR export the reader accepts (the exports it refuses
    are tested elsewhere); nothing when the corpus is absent."""
    for export in sorted((CORPUS / "wxr").rglob("*.xml")):
        try:
            posts = [item for item in open_source(export).iter_items() if isinstance(item, Post)]
        except Exception:  # a refused export: no post of it
            continue
        yield from posts
