"""Regenerate the golden output trees: ``python tests/spine/update_golden.py``."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.spine.golden import GOLDEN, update

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        update(Path(tmp))
    print(f"golden trees written to {GOLDEN}; review them with git diff")
