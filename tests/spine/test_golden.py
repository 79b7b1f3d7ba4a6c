"""The sample, converted with each preset, matches its golden tree byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.spine.golden import GOLDEN, presets, render_tree


@pytest.mark.parametrize("preset", presets())
def test_sample_matches_golden_tree(preset: str, tmp_path: Path) -> None:
    golden_dir = GOLDEN / preset
    if not golden_dir.is_dir():
        pytest.fail(f"no golden tree for {preset}: run python tests/spine/update_golden.py")
    expected = {
        p.relative_to(golden_dir).as_posix(): p.read_bytes()
        for p in golden_dir.rglob("*")
        if p.is_file()
    }
    actual = render_tree(preset, tmp_path)
    assert sorted(actual) == sorted(expected), "the set of files differs"
    for name, data in expected.items():
        assert actual[name] == data, f"{preset}/{name} differs; regenerate if intended"
