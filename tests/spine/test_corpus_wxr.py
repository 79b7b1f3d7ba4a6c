"""Every export of the shared corpus converts without a traceback, and its report
accounts for every <item> exactly once (or the reader says what it lost)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from wpmigrate.errors import SourceError
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert

EXPORTS = sorted((CORPUS / "wxr").rglob("*.xml")) if CORPUS.is_dir() else []
MALFORMED = {"malformed.xml", "malformed-simple.xml", "crazy-cdata.xml", "crazy-cdata-escaped.xml"}

pytestmark = pytest.mark.corpus
ITEM_TAG = re.compile(rb"<item[\s>]")


@pytest.mark.parametrize("export", EXPORTS, ids=lambda p: str(p.relative_to(CORPUS / "wxr")))
def test_export_converts_and_accounts_for_every_item(export: Path, tmp_path: Path) -> None:
    try:
        report = convert(export, ConvertOptions(output=tmp_path, media="keep", workers=1))
    except SourceError as error:
        assert str(export) in str(error)
        assert export.name in MALFORMED or "WXR" in str(error), str(error)
        return
    data = json.loads((tmp_path / "wpmigrate-report.json").read_text())
    ids = [(item["id"], item["type"]) for item in data["items"]]
    declared = len(ITEM_TAG.findall(export.read_bytes()))
    if report.lost:
        assert len(ids) <= declared
    else:
        assert len(ids) == declared
    for item in data["items"]:
        assert item["outcome"] in {"written", "skipped", "failed"}
        if item["outcome"] == "written":
            assert (tmp_path / item["path"]).is_file()
        else:
            assert item["reason"], item


def test_theme_unit_test_done_means(corpus: Path, tmp_path: Path) -> None:
    """The spine's acceptance: 69 published posts and pages, 180 items, same bytes twice."""
    export = corpus / "wxr/wptt-theme-unit-test/themeunittestdata.wordpress.xml"
    options = ConvertOptions(output=tmp_path / "x", media="keep")
    report = convert(export, options)
    totals = report.totals()
    assert totals["items"] == 180
    assert totals["written"] == 69
    assert totals["failed"] == 0
    written = [item for item in report.items if item.outcome == "written"]
    assert {item.status for item in written} == {"publish"}
    protected = [item for item in report.items if "password-protected" in item.reason]
    assert [item.outcome for item in protected] == ["skipped"]
    first = {p: p.read_bytes() for p in (tmp_path / "x").rglob("*") if p.is_file()}
    convert(export, options)
    second = {p: p.read_bytes() for p in (tmp_path / "x").rglob("*") if p.is_file()}
    assert first == second


def test_shell32_control_character_is_reported(corpus: Path, tmp_path: Path) -> None:
    export = corpus / "wxr/shell32-natsu/wordpress.xml"
    report = convert(export, ConvertOptions(output=tmp_path, media="keep"))
    assert any("U+0010" in line for line in report.lost), report.lost
    assert report.totals()["items"] == len(ITEM_TAG.findall(export.read_bytes()))
