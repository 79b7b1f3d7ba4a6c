"""Tests for wpmigrate.sources.wxr against real exports in ../shared/corpus/wxr.

The corpus is third-party data kept outside the repository; every test here skips
cleanly when it is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wpmigrate.errors import SourceError
from wpmigrate.model import Post
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.sources.wxr import WxrSource, looks_like_wxr

pytestmark = pytest.mark.corpus

CORPUS = (Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus").resolve()
WXR = CORPUS / "wxr"
PHPUNIT = "wp-importer-testdata/phpunit-data"
ITEM_TAG = re.compile(rb"<item[\s>]")

#: Files that are not readable exports, and the problem reported for them.
REJECTED = {
    f"{PHPUNIT}/malformed.xml": (
        "is not a WordPress export (WXR): found <notachanneltag> where <channel> belongs (line 27)"
    ),
}
#: Exact lost_data() of the files that need repairs; every other file needs none.
LOST_DATA = {
    "shell32-natsu/wordpress.xml": [
        "removed 1 character not allowed in XML 1.0 (U+0010) at line 27856",
    ],
    f"{PHPUNIT}/crazy-cdata.xml": [
        "malformed XML at line 18: Sequence ']]>' not allowed in content",
        "malformed XML at line 38: Sequence ']]>' not allowed in content",
        "malformed XML at line 42: Sequence ']]>' not allowed in content",
        "recovered from malformed XML: all 1 item read; check the items near the lines above, "
        "their text may be cut or altered",
    ],
    f"{PHPUNIT}/malformed-simple.xml": [
        "malformed XML at line 14: Premature end of data in tag item line 9",
        "the file ends early at line 14 (an interrupted export?): 1 item read, "
        "the last one may be incomplete",
    ],
    "wptt-theme-unit-test/theme-preview.xml": [
        f"item at line {line}: no wp:post_id, used ID {post_id} from its link"
        for line, post_id in [(12, 19), (34, 36), (182, 14), (199, 8), (270, 6), (290, 4), (316, 1)]
    ],
}
#: Items that cannot be read, by file: (id, reason).
UNREADABLE = {
    f"{PHPUNIT}/namespace-edge-cases.xml": [("line 94", "no wp:post_id")],
}


def _corpus_files() -> list[str]:
    """Every corpus WXR file, relative to the wxr folder (none when the corpus is absent)."""
    if not WXR.is_dir():
        return []
    return sorted(str(path.relative_to(WXR)) for path in WXR.rglob("*.xml"))


def _require_corpus() -> None:
    if not WXR.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")


@pytest.mark.parametrize("name", _corpus_files() or ["(corpus absent)"])
def test_every_corpus_file_reads_or_is_rejected_cleanly(name: str) -> None:
    _require_corpus()
    path = WXR / name
    source = WxrSource(path)
    assert looks_like_wxr(path) is True
    if name in REJECTED:
        with pytest.raises(SourceError) as caught:
            source.read_site()
        assert caught.value.problem == REJECTED[name]
        with pytest.raises(SourceError):
            list(source.iter_items())
        return
    source.read_site()
    items = list(source.iter_items())
    assert len(items) == len(ITEM_TAG.findall(path.read_bytes()))
    unreadable = [(item.id, item.reason) for item in items if isinstance(item, UnreadableItem)]
    assert unreadable == UNREADABLE.get(name, [])
    assert source.lost_data() == LOST_DATA.get(name, [])


def test_theme_unit_test_data_has_180_items() -> None:
    _require_corpus()
    path = WXR / "wptt-theme-unit-test" / "themeunittestdata.wordpress.xml"
    items = list(WxrSource(path).iter_items())
    assert len(items) == 180
    assert all(isinstance(item, Post) for item in items)


def test_shell32_natsu_keeps_the_text_around_the_control_character() -> None:
    _require_corpus()
    path = WXR / "shell32-natsu" / "wordpress.xml"
    source = WxrSource(path)
    items = [item for item in source.iter_items() if isinstance(item, Post)]
    assert len(items) == 369
    assert source.lost_data() == [
        "removed 1 character not allowed in XML 1.0 (U+0010) at line 27856"
    ]
    repaired = [item for item in items if "&quot;a&quot; is in the string s." in item.content]
    assert len(repaired) == 1
    assert "\x10" not in repaired[0].content


def test_percent_encoded_slugs_are_decoded() -> None:
    _require_corpus()
    path = WXR / "dmacvicar" / "wordpress.xml"
    slugs = {item.slug for item in WxrSource(path).iter_items() if isinstance(item, Post)}
    assert "¿ensenanza-o-propaganda" in slugs
    assert not any("%c2" in slug for slug in slugs)
