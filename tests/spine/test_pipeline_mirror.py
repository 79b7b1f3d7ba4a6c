"""The pipeline on the hand-written mirror fixture: media copied, missing media kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import REPO
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert

FIXTURE = REPO / "tests" / "data" / "mirror" / "basic"


def test_mirror_media_is_copied_and_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    convert(FIXTURE, ConvertOptions(output=out))
    text = (out / "content/posts/hello-world/index.md").read_text()
    assert "/media/2024/01/pic.jpg" in text
    assert (out / "static/media/2024/01/pic.jpg").is_file()
    assert not list((out / "static/media").rglob("pic-*"))


def test_media_missing_from_a_mirror_keeps_its_old_url_and_is_reported(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    shutil.copytree(FIXTURE, mirror)
    for upload in (mirror / "wp-content" / "uploads").rglob("*.jpg"):
        upload.unlink()
    out = tmp_path / "out"
    report = convert(mirror, ConvertOptions(output=out))
    text = (out / "content/posts/hello-world/index.md").read_text()
    assert "/media/2024/01/pic.jpg" not in text
    assert "/wp-content/uploads/2024/01/pic" in text
    assert report.media.missing
    assert all(line.endswith("not found locally") for line in report.media.missing)
    data = json.loads((out / "wpmigrate-report.json").read_text())
    assert data["media"]["missing"] == sorted(report.media.missing)
