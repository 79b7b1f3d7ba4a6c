"""The library API is usable without click and every exported name resolves."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import wpmigrate
from tests.conftest import SAMPLE


def test_every_exported_name_resolves() -> None:
    for name in wpmigrate.__all__:
        assert getattr(wpmigrate, name) is not None, name


def test_convert_without_click(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['click'] = None  # the library must not need the CLI's dependency\n"
        "from pathlib import Path\n"
        "from wpmigrate import ConvertOptions, convert\n"
        f"report = convert(Path({str(SAMPLE)!r}), ConvertOptions(output=Path({str(tmp_path)!r})))\n"
        "print(report.totals()['written'])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "4"
