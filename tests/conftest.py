"""Shared fixtures: where the repo, the sample and the shared corpus are."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

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
