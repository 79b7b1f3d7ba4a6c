"""Tests for wpmigrate.sources.wxr on hostile, damaged and wrong inputs.

Broken items, entity attacks (XXE, billion laughs), characters XML forbids, junk
before the declaration, truncated exports, and files that are not exports at all.
"""

from __future__ import annotations

import time
from dataclasses import astuple
from datetime import datetime
from pathlib import Path

import pytest

from wpmigrate.errors import SourceError
from wpmigrate.model import Comment, Post
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.sources.wxr import WxrSource

DATA = Path(__file__).resolve().parents[1] / "data" / "wxr"
WXR_12 = DATA / "wxr-1.2.xml"
HINT = "export one from Tools → Export in WordPress, or pass a mirror directory"


def _read(path: Path) -> tuple[list[Post | UnreadableItem], list[str]]:
    """Every record of an export (after read_site) and its lost_data()."""
    source = WxrSource(path)
    source.read_site()
    return list(source.iter_items()), source.lost_data()


def _strings(value: object) -> str:
    """Every string inside a record, joined, to search for leaked data."""
    if isinstance(value, str):
        return value
    if isinstance(value, tuple | list):
        return " ".join(_strings(part) for part in value)
    if hasattr(value, "__dataclass_fields__"):
        return _strings(astuple(value))  # type: ignore[arg-type]
    return ""


def test_broken_items_do_not_stop_the_run() -> None:
    path = DATA / "bad-items.xml"
    items, lost = _read(path)
    assert items[0] == UnreadableItem(
        id="abc",
        title="No number",
        reason="wp:post_id is not a number: 'abc'",
        source=f"{path}:10",
        type="post",
        status="publish",
    )
    kept = items[1]
    assert isinstance(kept, Post)
    assert (kept.id, kept.content, kept.date, kept.menu_order) == (21, "kept", None, 0)
    assert kept.date_gmt == datetime(2023, 3, 1, 9, 0)
    assert kept.comments == (Comment(id=3, content="fine"),)
    rescued = items[2]
    assert isinstance(rescued, Post)
    assert (rescued.id, rescued.type, rescued.content) == (22, "page", "rescued")
    assert items[3] == UnreadableItem(
        id="line 41",
        title="No ID at all",
        reason="no wp:post_id",
        source=f"{path}:41",
        status="draft",
    )
    last = items[4]
    assert isinstance(last, Post)
    assert (last.id, last.date) == (23, datetime(2023, 3, 2, 8, 0))
    assert lost == [
        "item 21 (line 17): unreadable wp:post_date '2023-02-30 10:00:00', left empty",
        "item 21 (line 17): unreadable wp:menu_order 'first', left empty",
        "item 21 (line 17): dropped a comment with wp:comment_id ''",
        "item at line 35: no wp:post_id, used ID 22 from its link",
    ]


def test_external_entities_are_never_read() -> None:
    path = DATA / "xxe.xml"
    source = WxrSource(path)
    site = source.read_site()
    items = list(source.iter_items())
    leaked = _strings(site) + _strings(items)
    assert "root:" not in leaked
    assert site.site.title == "XXE &xxe;"
    assert [(item.id, item.content) for item in items] == [(1, "before &xxe; after &remote;")]
    assert source.lost_data() == [
        "item 1 (line 12): left entity reference(s) &remote;, &xxe; unexpanded"
    ]


def test_billion_laughs_is_stopped_quickly() -> None:
    started = time.monotonic()
    items, lost = _read(DATA / "billion-laughs.xml")
    assert time.monotonic() - started < 5
    assert [(item.id, item.title) for item in items] == [(1, "Before the bomb")]
    assert "lol" not in _strings(items)
    assert lost == [
        "malformed XML at line 1: refused to expand the entities the file's DTD declares "
        "(an entity bomb?) and stopped reading (Maximum entity amplification factor "
        "exceeded, see xmlCtxtSetMaxAmplification.)",
        "recovered from malformed XML: 1 of 3 items read, the rest of the file after line 20 "
        "was lost",
    ]


def _damaged_copy(tmp_path: Path, prefix: bytes, replacements: list[tuple[bytes, bytes]]) -> Path:
    """WXR_12 with ``prefix`` before the declaration and some bytes replaced."""
    data = WXR_12.read_bytes()
    for old, new in replacements:
        assert data.count(old) == 1
        data = data.replace(old, new)
    path = tmp_path / "damaged.xml"
    path.write_bytes(prefix + data)
    return path


@pytest.mark.parametrize(
    ("prefix", "shift", "whitespace_note"),
    [
        (b"", 0, []),
        (b"\xef\xbb\xbf", 0, []),
        (b"\n\n  ", 2, ["removed 4 bytes of whitespace before the XML declaration"]),
        (b"\xef\xbb\xbf\r\n", 1, ["removed 2 bytes of whitespace before the XML declaration"]),
    ],
)
def test_control_characters_and_leading_junk_are_removed(
    tmp_path: Path, prefix: bytes, shift: int, whitespace_note: list[str]
) -> None:
    path = _damaged_copy(
        tmp_path,
        prefix,
        [
            (b"<p>Dashi first.</p>", b"<p>Dashi\x10 first.</p>"),
            (b"Lovely <em>soup</em>!", b"Lovely\x1b\x10 <em>soup</em>!"),
        ],
    )
    items, lost = _read(path)
    post = items[0]
    assert isinstance(post, Post)
    assert post.content.startswith("<p>Dashi first.</p>")
    assert post.comments[0].content == "Lovely <em>soup</em>!"
    assert post.source is not None and post.source.line == 29 + shift
    assert [item.id for item in items] == [10, 11, 12, 13]
    assert lost == [
        *whitespace_note,
        "removed 3 characters not allowed in XML 1.0 (U+0010 ×2, U+001B ×1) "
        f"at lines {36 + shift}, {80 + shift}, {80 + shift}",
    ]


def test_character_reference_to_a_forbidden_character_is_dropped(tmp_path: Path) -> None:
    path = _damaged_copy(
        tmp_path, b"", [(b"<title><![CDATA[Miso soup]]></title>", b"<title>Miso&#16; soup</title>")]
    )
    items, lost = _read(path)
    assert [item.title for item in items] == [
        "Miso soup",
        "miso.jpg",
        "Unfinished ramen",
        "Members",
    ]
    assert lost == ["removed a character reference to U+0010 (not allowed in XML 1.0) at line 30"]


def test_truncated_export_keeps_what_was_read() -> None:
    items, lost = _read(DATA / "truncated.xml")
    assert [(item.id, item.title) for item in items] == [(1, "Complete"), (2, "Cut")]
    assert lost == [
        "malformed XML at line 17: CData section not finished",
        "malformed XML at line 17: Premature end of data in tag encoded line 16",
        "the file ends early at line 17 (an interrupted export?): 2 items read, "
        "the last one may be incomplete",
    ]


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("not-wxr/page.html", "found an HTML page where an <rss> export was expected"),
        ("not-wxr/feed.xml", "found an RSS feed without WordPress export data (no wp: namespace)"),
        ("not-wxr/atom.xml", "found <feed> where an <rss> export was expected"),
        ("not-wxr/posts.json", "found JSON, not XML"),
        ("not-wxr/empty.xml", "the file is empty"),
        ("not-wxr/missing.xml", "the file does not exist"),
        ("not-wxr", "it is a directory"),
    ],
)
@pytest.mark.parametrize("method", ["read_site", "iter_items"])
def test_not_a_wxr_file_raises_a_clear_source_error(name: str, found: str, method: str) -> None:
    path = DATA / name
    source = WxrSource(path)
    with pytest.raises(SourceError) as caught:
        result = getattr(source, method)()
        if method == "iter_items":
            list(result)
    error = caught.value
    assert (error.path, error.problem, error.hint) == (
        str(path),
        f"is not a WordPress export (WXR): {found}",
        HINT,
    )
    assert str(error) == f"{path}: is not a WordPress export (WXR): {found} ({HINT})"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            '<rss xmlns:wp="http://wordpress.org/export/1.1/">\n<notachannel><item/></notachannel>'
            "</rss>",
            "found <notachannel> where <channel> belongs (line 2)",
        ),
        (
            '<rss xmlns:wp="http://wordpress.org/export/1.2/"></rss>',
            "found an <rss> document without a <channel>",
        ),
        ("plain text, no markup", "found no XML (the file starts with 'plain text, no markup')"),
        ("   \n\t", "the file holds only whitespace"),
    ],
)
def test_structurally_wrong_files(tmp_path: Path, text: str, found: str) -> None:
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        WxrSource(path).read_site()
    assert caught.value.problem == f"is not a WordPress export (WXR): {found}"


def test_missing_version_tag_falls_back_to_the_namespace(tmp_path: Path) -> None:
    data = WXR_12.read_bytes().replace(b"\t<wp:wxr_version>1.2</wp:wxr_version>\n", b"")
    data = data.replace(b"export/1.2/", b"export/1.1/")
    path = tmp_path / "old.xml"
    path.write_bytes(data)
    assert WxrSource(path).read_site().site.wxr_version == "1.1"
    assert [item.id for item in WxrSource(path).iter_items()] == [10, 11, 12, 13]


def test_latin1_export_with_control_characters(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Café</title>\n'
        "<item><title>Crème \x10brûlée</title><wp:post_id>1</wp:post_id>"
        "<content:encoded><![CDATA[à la \x1bcarte]]></content:encoded></item></channel></rss>"
    )
    path = tmp_path / "latin1.xml"
    path.write_bytes(text.encode("latin-1"))
    source = WxrSource(path)
    assert source.read_site().site.title == "Café"
    assert [(item.title, item.content) for item in source.iter_items()] == [
        ("Crème brûlée", "à la carte")
    ]
    assert source.lost_data() == [
        "removed 2 characters not allowed in XML 1.0 (U+0010 ×1, U+001B ×1) at lines 3, 3"
    ]


def test_stopping_early_closes_the_file_quietly() -> None:
    items = WxrSource(WXR_12).iter_items()
    first = next(items)
    assert isinstance(first, Post) and first.id == 10
    items.close()


def test_an_unexpected_reader_error_becomes_an_unreadable_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wpmigrate.sources import wxr

    real = wxr.read_item

    def flaky(elem, path, line):  # type: ignore[no-untyped-def]
        if line == 104:
            raise KeyError("boom")
        return real(elem, path, line)

    monkeypatch.setattr(wxr, "read_item", flaky)
    items = list(WxrSource(WXR_12).iter_items())
    assert [item.id for item in items] == [10, "line 104", 12, 13]
    assert items[1] == UnreadableItem(
        id="line 104",
        title="",
        reason="could not be read (KeyError: 'boom')",
        source=f"{WXR_12}:104",
    )


def test_post_content_over_libxml2s_10_mb_limit_is_kept(tmp_path: Path) -> None:
    # A pasted base64 image easily makes a post this big; without huge_tree libxml2
    # would drop the text node (and with it the item).
    content = "<p>" + "x" * 11_000_000 + "</p>"
    path = tmp_path / "big.xml"
    path.write_text(
        '<rss xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<item><wp:post_id>1</wp:post_id><content:encoded><![CDATA[{content}]]>"
        "</content:encoded></item></channel></rss>",
        encoding="utf-8",
    )
    source = WxrSource(path)
    items = list(source.iter_items())
    assert len(items) == 1 and isinstance(items[0], Post)
    assert items[0].content == content
    assert source.lost_data() == []


def test_a_channel_field_that_is_not_unicode_is_skipped_and_reported(tmp_path: Path) -> None:
    """A reference to a surrogate in the site title: the run goes on without the title,
    and ``lost_data`` says which element was left out and what to fix."""
    export = tmp_path / "bad-title.xml"
    export.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">\n'
        "<channel><title>Bad &#xD800; title</title><link>https://example.org</link>\n"
        "<wp:wxr_version>1.2</wp:wxr_version>\n"
        "<item><title>A</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>"
        "<wp:status>publish</wp:status><wp:post_name>a</wp:post_name></item>\n"
        "</channel></rss>\n",
        encoding="utf-8",
    )
    source = WxrSource(export)
    site = source.read_site().site
    items = list(source.iter_items())
    assert site.title == "" and site.base_url == "https://example.org"
    assert [item.id for item in items] == [1]
    assert (
        "skipped the channel's <title> (line 3): its text holds a character that is not "
        "Unicode (a reference such as &#xD800;); correct it in the export to keep it"
    ) in source.lost_data()
