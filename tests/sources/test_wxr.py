"""Tests for wpmigrate.sources.wxr: reading well-formed WXR 1.0, 1.1 and 1.2 exports."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from wpmigrate.model import Author, Comment, Post, Site, SourceRef, Term, TermRef
from wpmigrate.sources.base import Source
from wpmigrate.sources.phpserialize import attachment_files
from wpmigrate.sources.wxr import WxrSource, looks_like_wxr

DATA = Path(__file__).resolve().parents[1] / "data" / "wxr"
WXR_12 = DATA / "wxr-1.2.xml"


def _items(path: Path) -> dict[int, Post]:
    """The Posts of a fixture by ID (all its items must be readable)."""
    items = list(WxrSource(path).iter_items())
    assert all(isinstance(item, Post) for item in items)
    return {item.id: item for item in items if isinstance(item, Post)}


def test_wxr_source_fulfils_the_source_protocol() -> None:
    source: Source = WxrSource(WXR_12)
    assert source.kind == "wxr"
    assert source.path == WXR_12
    assert source.media_locator() is None
    assert source.extra_report() == []
    assert source.lost_data() == []


@pytest.mark.parametrize(
    ("name", "site"),
    [
        (
            "wxr-1.0.xml",
            Site(
                title="Old Blog",
                base_url="http://old.example.com",
                language="en",
                description="Since 2005",
                base_site_url="http://old.example.com",
                wxr_version="1.0",
            ),
        ),
        (
            "wxr-1.1.xml",
            Site(
                title="Middle Blog",
                base_url="http://middle.example.net/blog",
                language="de-DE",
                base_site_url="http://middle.example.net",
                wxr_version="1.1",
            ),
        ),
        (
            "wxr-1.2.xml",
            Site(
                title="Test Kitchen",
                base_url="https://kitchen.example.org",
                language="en-GB",
                description="Recipes & notes",
                base_site_url="https://example.org",
                wxr_version="1.2",
            ),
        ),
    ],
)
def test_site_of_each_wxr_version(name: str, site: Site) -> None:
    assert WxrSource(DATA / name).read_site().site == site


def test_authors_and_terms_of_wxr_12() -> None:
    data = WxrSource(WXR_12).read_site()
    assert data.authors == (
        Author("chef", "Chef Ana", "chef@example.org", "Ana", "Lima", 2),
        Author("guest", "guest", "", "", "", None),
    )
    assert data.terms == (
        Term("category", "soups", "Soups", "", "Hot and cold", 3),
        Term("category", "和食", "和食", "soups", "", 4),
        Term("post_tag", "quick", "Quick & easy", "", "", 5),
        Term("cuisine", "asian", "Asian", "", "", 6),
        Term("cuisine", "japanese", "Japanese", "asian", "From Japan", 7),
    )


def test_wxr_10_terms_without_ids() -> None:
    data = WxrSource(DATA / "wxr-1.0.xml").read_site()
    assert data.authors == ()
    assert data.terms == (
        Term("category", "news", "News"),
        Term("category", "local-news", "Local News", parent="news"),
        Term("post_tag", "weather", "Weather"),
    )


def test_wxr_10_category_without_domain_is_a_slugified_category() -> None:
    post = _items(DATA / "wxr-1.0.xml")[7]
    assert post.terms == (
        TermRef("category", "local-news", "Local News"),
        TermRef("post_tag", "weather", "Weather"),
        TermRef("category", "cafe-creme", "Café Crème"),
    )
    assert post.source == SourceRef(str(DATA / "wxr-1.0.xml"), 21)


def test_wxr_11_page() -> None:
    assert _items(DATA / "wxr-1.1.xml")[2] == Post(
        id=2,
        type="page",
        status="publish",
        title="Über uns",
        slug="ueber-uns",
        date=datetime(2011, 3, 4, 5, 6, 7),
        date_gmt=datetime(2011, 3, 4, 4, 6, 7),
        author="admin",
        menu_order=1,
        content="Wir sind <strong>hier</strong>.",
        link="http://middle.example.net/blog/ueber-uns/",
        guid="http://middle.example.net/blog/?page_id=2",
        comment_status="closed",
        source=SourceRef(str(DATA / "wxr-1.1.xml"), 19),
    )


def test_post_with_percent_encoded_japanese_slug_terms_and_comments() -> None:
    post = _items(WXR_12)[10]
    assert post == Post(
        id=10,
        type="post",
        status="publish",
        title="Miso soup",
        slug="味噌汁",
        date=datetime(2024, 2, 1, 9, 30),
        date_gmt=datetime(2024, 2, 1, 8, 30),
        modified=datetime(2024, 2, 3, 12, 0, 5),
        modified_gmt=datetime(2024, 2, 3, 11, 0, 5),
        author="chef",
        sticky=True,
        content="<p>Dashi first.</p>\n\n<!--more-->\n<p>Then miso.</p>",
        excerpt="Warm and quick.",
        terms=(
            TermRef("category", "soups", "Soups"),
            TermRef("category", "和食", "和食"),
            TermRef("post_tag", "quick", "Quick & easy"),
            TermRef("cuisine", "japanese", "Japanese"),
            TermRef("post_format", "post-format-aside", "Aside"),
        ),
        meta=(
            ("_thumbnail_id", "11"),
            ("_wp_old_slug", "miso-soup"),
            ("_wp_old_slug", "misoshiru"),
        ),
        link="https://kitchen.example.org/2024/02/%e5%91%b3%e5%99%8c%e6%b1%81/",
        guid="https://kitchen.example.org/?p=10",
        comments=(
            Comment(
                id=5,
                author="Ben",
                author_url="https://ben.example.com",
                author_email="ben@example.com",
                date=datetime(2024, 2, 2, 10, 0),
                date_gmt=datetime(2024, 2, 2, 9, 0),
                content="Lovely <em>soup</em>!",
                approved="1",
                type="comment",
            ),
            Comment(
                id=6,
                author="Chef Ana",
                author_email="chef@example.org",
                date=datetime(2024, 2, 2, 11, 15),
                date_gmt=datetime(2024, 2, 2, 10, 15),
                content="Thanks!",
                approved="0",
                parent=5,
                user_id=2,
            ),
        ),
        comment_status="open",
        source=SourceRef(str(WXR_12), 29),
    )
    assert post.meta_values("_wp_old_slug") == ["miso-soup", "misoshiru"]


def test_attachment_with_serialized_metadata_kept_raw() -> None:
    attachment = _items(WXR_12)[11]
    assert (attachment.type, attachment.status, attachment.parent) == ("attachment", "inherit", 10)
    assert attachment.attachment_url == (
        "https://kitchen.example.org/wp-content/uploads/2024/02/miso.jpg"
    )
    assert attachment.meta_value("_wp_attached_file") == "2024/02/miso.jpg"
    assert attachment.meta_value("_wp_attachment_image_alt") == "Miso soup in a black bowl"
    raw = attachment.meta_value("_wp_attachment_metadata")
    assert raw.startswith('a:4:{s:5:"width";i:1200;')
    assert attachment_files(raw) == ("2024/02/miso.jpg", ("miso-150x150.jpg", "miso-300x200.jpg"))


def test_draft_with_zero_dates() -> None:
    draft = _items(WXR_12)[12]
    assert (draft.status, draft.slug, draft.author) == ("draft", "", "guest")
    assert draft.date == datetime(2024, 2, 5, 20, 0)
    assert draft.date_gmt is None
    assert draft.modified == datetime(2024, 2, 5, 20, 10)
    assert draft.modified_gmt is None
    assert draft.terms == (TermRef("cuisine", "japanese", "Japanese"),)


def test_private_page_with_password() -> None:
    page = _items(WXR_12)[13]
    assert (page.type, page.status, page.menu_order) == ("page", "private", 3)
    assert page.has_password is True
    assert page.sticky is False
    assert page.meta == (("_wp_page_template", "default"),)


def test_iter_items_streams_afresh_on_each_call() -> None:
    source = WxrSource(WXR_12)
    first = [item.id for item in source.iter_items()]
    second = [item.id for item in source.iter_items()]
    assert first == second == [10, 11, 12, 13]
    assert source.lost_data() == []


@pytest.mark.parametrize("name", ["wxr-1.0.xml", "wxr-1.1.xml", "wxr-1.2.xml"])
def test_looks_like_wxr_accepts_exports(name: str) -> None:
    assert looks_like_wxr(DATA / name) is True


@pytest.mark.parametrize(
    "name", ["not-wxr/feed.xml", "not-wxr/page.html", "not-wxr/posts.json", "not-wxr/empty.xml"]
)
def test_looks_like_wxr_rejects_other_files(name: str) -> None:
    assert looks_like_wxr(DATA / name) is False


def test_looks_like_wxr_never_raises(tmp_path: Path) -> None:
    assert looks_like_wxr(tmp_path / "missing.xml") is False
    assert looks_like_wxr(tmp_path) is False
