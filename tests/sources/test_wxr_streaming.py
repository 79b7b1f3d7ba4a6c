"""The streaming reader's structure handling and its shortcuts.

``iter_items`` asks libxml2 for item/channel events only, and ``read_site`` stops at
the first item when a byte scan shows nothing but items after it. These tests pin the
results on unusual layouts (checked against the former start/end-event reader).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from wpmigrate.model import Post
from wpmigrate.sources import xmlsafe
from wpmigrate.sources.wxr import WxrSource
from wpmigrate.sources.xmlsafe import only_items_after_first_item

NS = (
    'xmlns:wp="http://wordpress.org/export/1.2/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
)


def _item(number: object, extra: str = "") -> str:
    return (
        f"<item><title>T{number}</title><wp:post_id>{number}</wp:post_id>"
        f"<content:encoded><![CDATA[body {number}]]></content:encoded>{extra}</item>"
    )


def _term(slug: str) -> str:
    return (
        "<wp:term><wp:term_taxonomy>genre</wp:term_taxonomy>"
        f"<wp:term_slug>{slug}</wp:term_slug><wp:term_name>{slug}</wp:term_name></wp:term>"
    )


LAYOUTS = {
    "plain": (
        f'<rss {NS}><channel><title>S</title>{_term("a")}{_item(1)}\n{_item(2)}\n'
        "</channel></rss>\n",
        "S", ["a"], [1, 2],
    ),
    "term between items": (
        f'<rss {NS}><channel><title>S</title>{_item(1)}{_term("late")}{_item(2)}</channel></rss>',
        "S", ["late"], [1, 2],
    ),
    "records after the last item": (
        f'<rss {NS}><channel>{_item(1)}<!-- c -->{_term("end")}<title>Late</title>'
        "</channel></rss>",
        "Late", ["end"], [1],
    ),
    "two channels": (
        f'<rss {NS}><channel><title>A</title>{_item(1)}{_term("x")}</channel>'
        f'<channel><title>B</title>{_term("y")}{_item(2)}{_term("z")}</channel></rss>',
        "A", ["x", "y", "z"], [1, 2],
    ),
    "items outside the channel are not records": (
        f'<rss {NS}><channel>{_item(1)}</channel><foo>{_item(9)}{_term("no")}</foo></rss>',
        "", [], [1],
    ),
    "an item inside an item is not a record": (
        f'<rss {NS}><channel>{_item(1, _item(5))}{_item(2)}</channel></rss>',
        "", [], [1, 2],
    ),
    "prefixed item": (
        f'<rss {NS} xmlns:r="urn:x"><channel><r:item><wp:post_id>7</wp:post_id></r:item>'
        f'{_term("p")}{_item(2)}</channel></rss>',
        "", ["p"], [7, 2],
    ),
    "no items": (
        f'<rss {NS}><channel><title>S</title>{_term("a")}</channel></rss>', "S", ["a"], [],
    ),
    "a channel inside the channel": (
        f"<rss {NS}><channel><channel><title>In</title></channel>{_item(1)}"
        f"<channel>{_item(4)}</channel></channel></rss>",
        "", [], [1],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", LAYOUTS)
def test_layouts(tmp_path: Path, name: str) -> None:
    text, title, slugs, ids = LAYOUTS[name]
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    source = WxrSource(path)
    data = source.read_site()
    items = list(source.iter_items())
    assert data.site.title == title
    assert [term.slug for term in data.terms] == slugs
    assert [item.id for item in items if isinstance(item, Post)] == ids
    assert source.lost_data() == []


def test_notes_of_an_early_stop_come_first_as_before(tmp_path: Path) -> None:
    text = (
        f'<rss {NS}><channel><title>S\x01</title><wp:author></wp:author>{_item(1)}\n'
        f"{_item('2&#16;')}\n</channel></rss>"
    )
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    source = WxrSource(path)
    assert source.read_site().site.title == "S"
    assert [item.title for item in source.iter_items()] == ["T1", "T2"]
    lost = source.lost_data()
    assert lost[0].startswith("removed 1 character not allowed in XML 1.0 (U+0001")
    assert "skipped a wp:author without a login (line 1)" in lost
    assert lost.index("skipped a wp:author without a login (line 1)") > 0
    assert any("U+0010" in note for note in lost)


ONLY_ITEMS_CASES = [
        (f"<rss><channel>{_item(1)}\n  {_item(2)}\r\n</channel>\n</rss>\n", True),
        (f"<rss><channel>{_item(1)}{_term('t')}</channel></rss>", False),
        (f"<rss><channel>{_item(1)}<!-- x -->{_item(2)}</channel></rss>", False),
        (f"<rss><channel>{_item(1)}</channel><channel>{_item(2)}</channel></rss>", False),
        (f"<rss><channel>{_item(1)}</channel></rss><!-- trailer -->", False),
        (f"<rss><channel><x:item></x:item>{_item(2)}</channel></rss>", False),
        (f"<rss><channel><item/>{_term('t')}</channel></rss>", False),
        (f"<rss><channel>{_item(1)}</item >{_term('t')}</channel></rss>", False),
        ("<rss><channel><title>no items</title></channel></rss>", False),
        (f"<rss><channel><x>item:item</x>{_item(1)}</channel></rss>", False),
        (f"<rss><channel>{_item(1, '<p>items and item</p>')}</channel></rss>", True),
]


@pytest.mark.parametrize(("text", "expected"), ONLY_ITEMS_CASES)
def test_only_items_after_first_item(text: str, expected: bool) -> None:
    assert only_items_after_first_item(io.BytesIO(text.encode())) is expected


def test_only_items_scan_is_not_fooled_by_utf16() -> None:
    text = f"<rss><channel>{_item(1)}{_term('t')}</channel></rss>"
    assert not only_items_after_first_item(io.BytesIO(text.encode("utf-16")))


@pytest.mark.parametrize("chunk", [1, 7, 64, 1000])
def test_only_items_scan_across_chunk_boundaries(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(xmlsafe, "_SCAN_CHUNK", chunk)
    monkeypatch.setattr(xmlsafe, "_SCAN_SLACK", 40)
    good = f"<rss><channel>{_item(1)}{' ' * 20}{_item(2)}{_item(3)}</channel>\n</rss>"
    assert only_items_after_first_item(io.BytesIO(good.encode()))
    for bad in (
        f"<rss><channel>{_item(1)}{_item(2)}{_term('t')}</channel></rss>",
        f"<rss><channel>{_item(1)}{' ' * 100}{_term('t')}{_item(2)}</channel></rss>",
        f"<rss><channel>{_item(1)}</channel>{' ' * 100}<more/></rss>",
    ):
        assert not only_items_after_first_item(io.BytesIO(bad.encode()))


def _in_halves(path: Path, middle: int) -> bool:
    """What ``only_items_after_first_item_in`` answers when the halves meet at
    ``middle`` (both scanned here)."""
    with path.open("rb") as raw:
        head = raw.read(4)
        ok, closes = xmlsafe._scan_items(raw, head, 0, middle)
    later_ok, later_closes = xmlsafe._scan_from(path, middle)
    return ok and later_ok and (closes or later_closes)


@pytest.mark.parametrize(("text", "expected"), ONLY_ITEMS_CASES)
def test_the_halves_of_a_scan_agree_with_one_scan_wherever_they_meet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: bool
) -> None:
    monkeypatch.setattr(xmlsafe, "_SCAN_CHUNK", 5)
    monkeypatch.setattr(xmlsafe, "_SCAN_SLACK", 40)
    path = tmp_path / "export.xml"
    path.write_bytes(text.encode())
    assert only_items_after_first_item(io.BytesIO(text.encode())) is expected
    assert [m for m in range(4, len(text)) if _in_halves(path, m) is not expected] == []


@pytest.mark.parametrize(("text", "expected"), ONLY_ITEMS_CASES[:3])
def test_a_big_file_is_scanned_by_two_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: bool
) -> None:
    monkeypatch.setattr(xmlsafe, "PARALLEL_SCAN_BYTES", 0)
    path = tmp_path / "export.xml"
    path.write_bytes(text.encode())
    assert xmlsafe.only_items_after_first_item_in(path, processes=2) is expected
    assert xmlsafe.only_items_after_first_item_in(path, processes=1) is expected
