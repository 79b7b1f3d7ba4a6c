"""CI gate: the fidelity benchmark's scores may not fall below their pinned floors.

Runs ``benchmarks/fidelity.py`` over the whole corpus (``../shared/corpus/wxr``) and
compares each export's scores with ``benchmarks/fidelity_floors.json``. Lowering a
floor is a hand edit of that file; ``fidelity.py --update-floors`` only raises them.
Skipped when the corpus is absent.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import fidelity  # noqa: E402

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def run() -> fidelity.BenchmarkRun:
    """One benchmark run over the corpus, shared by the tests of this module."""
    if not (CORPUS / "wxr").is_dir():
        pytest.skip("corpus absent: ../shared/corpus/wxr")
    workers = min(2, os.cpu_count() or 1)
    return fidelity.run_benchmark(CORPUS, workers=workers)


def test_scores_stay_above_their_floors(run: fidelity.BenchmarkRun) -> None:
    problems = fidelity.check_floors(run.rows, fidelity.load_floors())
    details = fidelity.worst_posts(run, limit=3)
    message = "\n".join(["fidelity floors broken:", *problems, "", "worst posts:", *details])
    assert not problems, message


def test_no_conversion_crashes(run: fidelity.BenchmarkRun) -> None:
    crashes = [
        f"{export} #{result.score.post_id}: {result.error}"
        for export, results in run.results.items()
        for result in results
        if result.error
    ]
    assert not crashes, "\n".join(crashes)
