"""Golden output trees: the sample converted with each preset, kept in tests/golden/.

Regenerate after an intended change with ``python tests/spine/update_golden.py`` and
review the diff like any other change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
from wpmigrate.writers.presets import PRESETS

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden"
SAMPLE_RELATIVE = Path("exports") / "sample.xml"


def render_tree(preset: str, out: Path) -> dict[str, bytes]:
    """Convert the sample with ``preset`` into ``out``; return {relative path: bytes}."""
    cwd = Path.cwd()
    os.chdir(REPO)  # the report names the source as given: keep it relative
    try:
        convert(SAMPLE_RELATIVE, ConvertOptions(output=out, preset=preset, workers=1))
    finally:
        os.chdir(cwd)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def presets() -> list[str]:
    """Every registered preset."""
    return sorted(PRESETS)


def update(tmp: Path) -> None:
    """Rewrite tests/golden/<preset>/ for every preset."""
    for preset in presets():
        target = GOLDEN / preset
        shutil.rmtree(target, ignore_errors=True)
        render_tree(preset, target)
