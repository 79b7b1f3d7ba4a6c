"""Pass 1 reading a large export in parts (several processes) gives exactly what one
pass gives: the same files, the same report, the same line numbers; and any part that
needs a repair makes the run read the whole file in one pass instead."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

import wpmigrate.sources.wxr_split as wxr_split
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
from wpmigrate.sources.wxr import PartUnusable, WxrSource
from wpmigrate.sources.wxr_split import WxrPart, split_export

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="parts are read by fork"
)

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
\t<title>Parts</title>
\t<link>https://parts.example</link>
\t<wp:base_site_url>https://parts.example</wp:base_site_url>
\t<wp:base_blog_url>https://parts.example</wp:base_blog_url>
\t<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>news</wp:category_nicename>\
<wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[News]]></wp:cat_name></wp:category>
"""
ITEM = """
\t<item>
\t\t<title>Post {n}</title>
\t\t<link>https://parts.example/{year}/01/post-{n}/</link>
\t\t<guid isPermaLink="false">https://parts.example/?p={n}</guid>
\t\t<dc:creator><![CDATA[admin]]></dc:creator>
\t\t<content:encoded><![CDATA[{body}]]></content:encoded>
\t\t<excerpt:encoded xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"><![CDATA[]]></excerpt:encoded>
\t\t<wp:post_id>{n}</wp:post_id>
\t\t<wp:post_date>{year}-01-02 03:04:05</wp:post_date>
\t\t<wp:post_date_gmt>{year}-01-02 03:04:05</wp:post_date_gmt>
\t\t<wp:post_name>post-{n}</wp:post_name>
\t\t<wp:status>{status}</wp:status>
\t\t<wp:post_parent>0</wp:post_parent>
\t\t<wp:post_type>post</wp:post_type>
\t\t<category domain="category" nicename="news"><![CDATA[News]]></category>
\t</item>
"""
TAIL = "</channel>\n</rss>\n"


def _body(n: int) -> str:
    lines = [f"Paragraph {n}.{i} links to <a href=\"/?p={n - 1}\">the one before</a>."
             for i in range(60)]
    if n % 97 == 0:  # an export quoted in a post: item tags inside CDATA
        lines.append("<pre>&lt;/item&gt;</pre> and literally </item>\n\t<item> too")
    return "\n\n".join(lines)


def _export(path: Path, items: int, extra: str = "") -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for n in range(1, items + 1):
            status = "draft" if n % 50 == 0 else "publish"
            out.write(ITEM.format(n=n, year=2000 + n % 20, body=_body(n), status=status))
            if n == items // 2 + 10:
                out.write(extra)
        out.write(TAIL)
    return path


@pytest.fixture(scope="module")
def big_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,200 posts over 100k lines (libxml2's exact line numbers end at 65,535)."""
    return _export(tmp_path_factory.mktemp("parts") / "big.xml", 1200)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _convert(export: Path, out: Path, workers: int) -> dict[str, bytes]:
    convert(export, ConvertOptions(output=out, workers=workers, media="keep"))
    return _tree(out)


@pytest.fixture
def one_pass_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The exports read in one pass (``iter_items``) rather than in parts."""
    reads: list[Path] = []
    original = WxrSource.iter_items

    def spy(self: WxrSource):  # type: ignore[no-untyped-def]
        reads.append(self.path)
        return original(self)

    monkeypatch.setattr(WxrSource, "iter_items", spy)
    return reads


@pytest.fixture
def split_small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wxr_split, "MIN_SPLIT_BYTES", 0)


@pytest.mark.usefixtures("split_small")
@pytest.mark.parametrize("workers", [2, 3])
def test_parts_give_the_same_bytes_as_one_pass(
    big_export: Path, tmp_path: Path, workers: int, one_pass_reads: list[Path]
) -> None:
    assert len(split_export(big_export, workers)) == workers
    one_pass = _convert(big_export, tmp_path / "one", workers=1)
    assert one_pass_reads == [big_export]
    in_parts = _convert(big_export, tmp_path / "parts", workers=workers)
    assert one_pass_reads == [big_export]  # the second run read in parts
    assert in_parts.keys() == one_pass.keys()
    assert [name for name in one_pass if in_parts[name] != one_pass[name]] == []
    assert len([n for n in one_pass if n.startswith("content/posts/")]) == 1200 - 24


@pytest.mark.usefixtures("split_small")
def test_item_lines_are_exact_beyond_libxml2s_line_limit(big_export: Path) -> None:
    expected: dict[int, int] = {}  # post ID → line of its <item> start tag
    item_line = 0
    for number, line in enumerate(big_export.read_text(encoding="utf-8").split("\n"), 1):
        if line == "\t<item>":
            item_line = number
        elif line.startswith("\t\t<wp:post_id>"):
            expected[int(line.strip()[12:-13])] = item_line
    source = WxrSource(big_export)
    source.read_site()
    for part in split_export(big_export, 2):
        for item in source.iter_part(part, []):
            assert item.source is not None
            assert item.source.line == expected[item.id], item.id
    one_pass = {item.id: item.source.line for item in WxrSource(big_export).iter_items()}
    assert one_pass == expected
    assert max(expected.values()) > 65535


def test_a_cut_inside_cdata_is_refused(big_export: Path) -> None:
    text = big_export.read_bytes()
    inside = text.index(b"literally </item>\n\t<item> too") + len(b"literally </item>\n\t")
    head_end = text.index(b"<item>")
    bad = WxrPart(1, head_end, inside, None, 0)
    source = WxrSource(big_export)
    source.read_site()
    with pytest.raises(PartUnusable):
        list(source.iter_part(bad, []))


@pytest.mark.usefixtures("split_small")
def test_an_unusable_part_means_one_pass(
    big_export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    one_pass_reads: list[Path],
) -> None:
    one_pass = _convert(big_export, tmp_path / "one", workers=1)
    text = big_export.read_bytes()
    inside = text.index(b"literally </item>\n\t<item> too") + len(b"literally </item>\n\t")
    real = split_export(big_export, 2)
    cut = [real[0].__class__(0, real[0].head_end, real[0].head_end, inside, 0),
           real[0].__class__(1, real[0].head_end, inside, None, 0)]
    monkeypatch.setattr(WxrSource, "split", lambda self, count: cut)
    assert _convert(big_export, tmp_path / "parts", workers=2) == one_pass
    assert one_pass_reads == [big_export, big_export]


@pytest.mark.usefixtures("split_small")
def test_repairs_in_a_part_are_reported_as_by_one_pass(
    tmp_path: Path, one_pass_reads: list[Path]
) -> None:
    """A forbidden control character in the second half: the parts are dropped and the
    report's ``lost`` lines (with their line numbers) are those of one pass."""
    export = _export(tmp_path / "ctrl.xml", 300, extra="\t<!-- bell \x07 -->\n")
    one = tmp_path / "one"
    parts = tmp_path / "parts"
    assert _convert(export, one, workers=1) == _convert(export, parts, workers=2)
    assert one_pass_reads == [export, export]
    assert "U+0007" in (parts / "wpmigrate-report.json").read_text()


MIXED = """
\t<item>
\t\t<title>{kind} {n}</title>
\t\t<link>https://parts.example/{slug}/</link>
\t\t<guid isPermaLink="false">https://parts.example/?p={n}</guid>
\t\t<content:encoded><![CDATA[<p>{kind} {n} <a href="/?p={parent}">up</a></p>]]></content:encoded>
\t\t<wp:post_id>{n}</wp:post_id>
\t\t<wp:post_date>2020-01-02 03:04:05</wp:post_date>
\t\t<wp:post_name>{slug}</wp:post_name>
\t\t<wp:status>{status}</wp:status>
\t\t<wp:post_parent>{parent}</wp:post_parent>
\t\t<wp:post_type>{kind}</wp:post_type>{extra}
\t</item>
"""


def _mixed_export(path: Path, items: int) -> Path:
    """Posts with tags, pages whose parents lie in the other part, attachments, and
    a repeated ID, so that every kind of record crosses from a part to the index."""
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for n in range(1, items + 1):
            kind = ("post", "page", "attachment")[n % 3]
            parent = items + 1 - n if kind != "post" else 0
            extra = (f'\n\t\t<category domain="post_tag" nicename="tag-{n % 7}">'
                     f"<![CDATA[Tag {n % 7}]]></category>")
            if kind == "attachment":
                extra = (f"\n\t\t<wp:attachment_url>https://parts.example/wp-content/uploads/"
                         f"2020/01/file-{n}.jpg</wp:attachment_url>")
            slug = "same" if n % 40 == 0 else f"{kind}-{n}"
            out.write(MIXED.format(n=n if n % 101 else n - 1, kind=kind, slug=slug, parent=parent,
                                   status="publish", extra=extra))
        out.write(TAIL)
    return path


@pytest.mark.usefixtures("split_small")
def test_every_kind_of_record_crosses_from_a_part_as_in_one_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, one_pass_reads: list[Path]
) -> None:
    """Pages, attachments, terms and a repeated ID read by another process, and
    planning's writes made by a recorder process: the same output as one pass."""
    from wpmigrate import index as index_module

    monkeypatch.setattr(index_module, "_RECORDER_MIN_ITEMS", 0)
    monkeypatch.setattr(index_module, "_PLAN_CHUNK", 7)
    export = _mixed_export(tmp_path / "mixed.xml", 900)
    one_pass = _convert(export, tmp_path / "one", workers=1)
    in_parts = _convert(export, tmp_path / "parts", workers=2)
    assert one_pass_reads == [export]  # the second run read in parts
    assert [name for name in one_pass.keys() | in_parts.keys()
            if in_parts.get(name) != one_pass.get(name)] == []
    assert any(name.count("/") == 3 and "/page-" in name for name in one_pass)  # nested
