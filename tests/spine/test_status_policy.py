"""The status policy end to end: custom post types get their own folder, WordPress's
and plugins' own records are skipped with a reason, duplicate IDs fail loudly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wpmigrate.model import Post
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
from wpmigrate.policy import decide

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><title>T</title><link>https://t.example</link><wp:wxr_version>1.2</wp:wxr_version>
"""


def _item(item_id: int, post_type: str, slug: str, status: str = "publish") -> str:
    return f"""<item><title>{slug}</title><link>https://t.example/{slug}/</link>
<wp:post_id>{item_id}</wp:post_id><wp:post_date>2023-01-02 03:04:05</wp:post_date>
<wp:post_date_gmt>2023-01-02 03:04:05</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name>
<wp:status>{status}</wp:status><wp:post_type>{post_type}</wp:post_type>
<content:encoded><![CDATA[Body of {slug}.]]></content:encoded></item>
"""


def _export(tmp_path: Path, *items: str) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(HEAD + "".join(items) + "</channel></rss>\n", encoding="utf-8")
    return path


def test_custom_post_types_are_written_under_their_own_folder(tmp_path: Path) -> None:
    export = _export(tmp_path, _item(1, "portfolio", "bridge"), _item(2, "post", "hello"))
    convert(export, ConvertOptions(output=tmp_path / "out", workers=1))
    report = json.loads((tmp_path / "out/wpmigrate-report.json").read_text())
    paths = {item["id"]: item["path"] for item in report["items"]}
    assert paths == {1: "content/portfolio/bridge/index.md", 2: "content/posts/hello/index.md"}


def test_duplicate_ids_write_the_first_and_fail_the_second(tmp_path: Path) -> None:
    export = _export(tmp_path, _item(5, "post", "first"), _item(5, "post", "second"))
    convert(export, ConvertOptions(output=tmp_path / "out", workers=1))
    report = json.loads((tmp_path / "out/wpmigrate-report.json").read_text())
    outcomes = [(item["title"], item["outcome"]) for item in report["items"]]
    assert outcomes == [("first", "written"), ("second", "failed")]
    assert report["items"][1]["reason"].startswith("duplicate ID 5: an earlier item")


@pytest.mark.parametrize(
    ("post_type", "status", "reason"),
    [
        ("revision", "inherit", "revision of another item"),
        ("nav_menu_item", "publish", "navigation menu item"),
        ("wp_global_styles", "publish", "theme record (wp_global_styles)"),
        ("wp_template", "publish", "theme record (wp_template)"),
        ("wpcf7_contact_form", "publish", "plugin record (wpcf7_contact_form)"),
        ("post", "trash", "in the trash"),
        ("post", "auto-draft", "auto-draft (never saved by its author)"),
        ("post", "pending", "pending (use --include-drafts to write it as a draft)"),
        ("post", "future", "future (use --include-drafts to write it as a draft)"),
        ("post", "private", "private (use --include-drafts to write it as a draft)"),
    ],
)
def test_skipped_records_say_why(post_type: str, status: str, reason: str) -> None:
    decision = decide(Post(id=1, type=post_type, status=status), include_drafts=False)
    assert (decision.write, decision.reason) == (False, reason)


def test_password_protected_is_never_published() -> None:
    post = Post(id=1, status="publish", has_password=True)
    assert decide(post, include_drafts=False).write is False
    with_drafts = decide(post, include_drafts=True)
    assert (with_drafts.write, with_drafts.draft) == (True, True)
