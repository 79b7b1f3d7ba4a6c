"""The mirror source on a tiny hand-written wget-style mirror (tests/data/mirror/basic).

The fixture holds one Twenty Twenty-One post saved twice (pretty folder and wget's
``index.html@p=5.html``), one hueman post saved twice (raw UTF-8 and percent-encoded
folder, Simply Static style absolute URLs), a page of an unknown theme (text-density
fallback), a windows-1252 page, an attachment page, archives, a feed saved as HTML,
uploads with resized variants, a theme stylesheet, robots.txt and the wp-json index.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wpmigrate.model import Post, TermRef
from wpmigrate.sources.mirror import MirrorSource, looks_like_mirror
from wpmigrate.sources.mirror_content import UrlMapper, clean_excerpt
from wpmigrate.sources.mirror_files import classify_path, path_to_url_path
from wpmigrate.sources.mirror_media import split_variant
from wpmigrate.sources.mirror_meta import decode_page

BASIC = Path(__file__).resolve().parents[1] / "data" / "mirror" / "basic"
BASE = "https://tiny.example"


@pytest.fixture(scope="module")
def source() -> MirrorSource:
    return MirrorSource(BASIC)


@pytest.fixture(scope="module")
def posts(source: MirrorSource) -> dict[int, Post]:
    items = list(source.iter_items())
    assert all(isinstance(item, Post) for item in items)
    return {item.id: item for item in items}


def test_every_file_is_an_item_or_a_report_line(source: MirrorSource, posts: dict) -> None:
    files = [p for p in BASIC.rglob("*") if p.is_file()]
    assert len(posts) + len(source.extra_report()) == len(files) == source.file_count
    reasons = {line.source: line.reason for line in source.extra_report()}
    assert reasons == {
        "index.html@p=5.html": "duplicate of 5",
        "2024/01/03/%e6%97%a5%e6%9c%ac%e8%aa%9e/index.html": "duplicate of 7",
        "2024/01/02/hello-world/pic/index.html": "attachment page",
        "category/news/index.html": "archive",
        "index.html": "archive",
        "feed/index.html": "feed",
        "robots.txt": "not WordPress content",
        "wp-json/index.html": "wp-json",
        "wp-content/themes/twentytwentyone/style.css@ver=1.0.css": "asset",
        "wp-content/uploads/2024/01/pic.jpg": "asset",
        "wp-content/uploads/2024/01/pic-300x200.jpg": "asset",
        "wp-content/uploads/2024/01/pic-1024x683.jpg": "asset",
    }
    assert all(line.outcome == "skipped" for line in source.extra_report())


def test_items_are_each_read_once_and_identically(source: MirrorSource, posts: dict) -> None:
    assert sorted(posts) == [2, 5, 7, 9]
    again = {item.id: item for item in source.iter_items()}
    assert again == posts


def test_site(source: MirrorSource) -> None:
    data = source.read_site()
    assert data.site.title == "Tiny Site"
    assert data.site.base_url == BASE
    assert data.site.language == "en-GB"
    assert data.site.timezone == "+02:00"
    assert [(a.login, a.display_name) for a in data.authors] == [("jane", "Jane Doe")]
    news = next(t for t in data.terms if t.slug == "news")
    assert (news.taxonomy, news.name, news.description) == (
        "category",
        "News",
        "Everything that is new.",
    )
    # a term linked only from the sidebar is not the post's, nor the site's
    assert "other" not in {t.slug for t in data.terms}


def test_post_metadata_from_the_page(posts: dict) -> None:
    post = posts[5]
    assert (post.type, post.status, post.title, post.slug) == (
        "post",
        "publish",
        "Hello “World”",
        "hello-world",
    )
    assert post.date == datetime(2024, 1, 2, 10, 30)
    assert post.date_gmt == datetime(2024, 1, 2, 8, 30)
    assert post.date_offset == 120
    assert post.modified == datetime(2024, 1, 3, 11, 0)
    assert (post.author, post.author_name) == ("jane", "Jane Doe")
    assert post.terms == (
        TermRef("category", "news", "News"),
        TermRef("post_tag", "first-steps", "First Steps"),
    )
    assert post.link == f"{BASE}/2024/01/02/hello-world/"
    assert post.old_urls == (f"{BASE}/?p=5",)
    assert post.featured_image == f"{BASE}/wp-content/uploads/2024/01/pic-1024x683.jpg"
    assert post.excerpt == "A first post…"
    assert post.source is not None and post.source.path == "2024/01/02/hello-world/index.html"


def test_body_only_and_links_normalized(posts: dict) -> None:
    content = posts[5].content
    for furniture in (
        "Skip to content",
        "Recent Posts",
        "Proudly powered by",
        "Share this",
        "Leave a comment",
        "Next post",
        "Published",
        "entry-content",
    ):
        assert furniture not in content
    assert f'href="{BASE}/about/"' in content
    assert f'href="{BASE}/?p=7#top"' in content
    assert f'href="{BASE}/category/news/"' in content
    assert 'href="https://external.example/page?a=1&amp;b=2"' in content
    assert f'href="{BASE}/wp-content/uploads/2024/01/pic.jpg"' in content
    assert "index.html" not in content and "../" not in content and "@p=" not in content


def test_lazy_images_and_embeds(posts: dict) -> None:
    content = posts[5].content
    assert f'src="{BASE}/wp-content/uploads/2024/01/pic-300x200.jpg"' in content
    assert f"{BASE}/wp-content/uploads/2024/01/pic-1024x683.jpg 1024w" in content
    assert "data-src" not in content and "noscript" not in content and "data:image" not in content
    assert 'src="https://www.youtube.com/embed/abc123?feature=oembed"' in content
    assert "wp-block-embed__wrapper" in content


def test_raw_and_percent_encoded_copies(posts: dict) -> None:
    post = posts[7]
    assert post.slug == "日本語"
    assert post.link == f"{BASE}/2024/01/03/%e6%97%a5%e6%9c%ac%e8%aa%9e/"
    assert f"{BASE}/2024/01/03/日本語/" in post.old_urls
    assert f"{BASE}/?p=7" in post.old_urls
    # published "…Z" shown in the site's zone (+02:00 from wp-json)
    assert (post.date, post.date_gmt, post.date_offset) == (
        datetime(2024, 1, 3, 3, 0),
        datetime(2024, 1, 3, 1, 0),
        120,
    )
    assert post.terms == (TermRef("category", "news", "News"),)
    assert post.content.startswith("<p>こんにちは。")
    assert "シェアする" not in post.content and "pagination" not in post.content
    # hueman shows the featured image only in listings
    assert post.featured_image == f"{BASE}/wp-content/uploads/2024/01/pic-300x200.jpg"


def test_unknown_theme_uses_text_density(posts: dict) -> None:
    content = posts[2].content
    assert "text-density search must find this element" in content
    assert "Share on social media" not in content
    assert "Recent Posts" not in content and "Proudly powered" not in content
    assert posts[2].title == "About"


def test_declared_charset_is_honoured(posts: dict) -> None:
    assert posts[9].title == "Legacy café"
    assert "A café page written in “Windows-1252”." in posts[9].content


def test_media_locator_finds_the_largest_original(source: MirrorSource) -> None:
    locator = source.media_locator()
    original = BASIC / "wp-content/uploads/2024/01/pic.jpg"
    for url in (
        f"{BASE}/wp-content/uploads/2024/01/pic-300x200.jpg",
        f"{BASE}/wp-content/uploads/2024/01/pic-1024x683.jpg?ver=2",
        "/wp-content/uploads/2024/01/pic.jpg",
    ):
        assert locator.locate(url) == original
    assert locator.locate(f"{BASE}/wp-content/uploads/2024/01/missing.jpg") is None
    assert locator.locate("https://elsewhere.example/wp-content/uploads/2024/01/pic.jpg") is None


def test_looks_like_mirror(tmp_path: Path) -> None:
    assert looks_like_mirror(BASIC)
    (tmp_path / "index.html").write_text("<html><body><p>plain</p></body></html>")
    assert not looks_like_mirror(tmp_path)
    assert not looks_like_mirror(tmp_path / "index.html")


@pytest.mark.parametrize(
    ("rel", "url"),
    [
        ("index.html", "/"),
        ("index.html@p=308.html", "/?p=308"),
        ("2023/07/05/slug/index.html", "/2023/07/05/slug/"),
        ("wp/wp-includes/x.min.css@ver=6.0.1.css", "/wp/wp-includes/x.min.css?ver=6.0.1"),
        ("about/index.html.1", "/about/"),
        ("2018/06/17/仮想通貨/index.html", "/2018/06/17/%e4%bb%ae%e6%83%b3%e9%80%9a%e8%b2%a8/"),
        (
            "2018/06/17/%E4%BB%AE%E6%83%B3%E9%80%9A%E8%B2%A8/index.html",
            "/2018/06/17/%e4%bb%ae%e6%83%b3%e9%80%9a%e8%b2%a8/",
        ),
    ],
)
def test_path_to_url_path(rel: str, url: str) -> None:
    assert path_to_url_path(rel) == url


@pytest.mark.parametrize(
    ("rel", "reason"),
    [
        ("wp-json/wp/v2/posts/308", "wp-json"),
        ("wp-json/oembed/1.0/embed@url=https%3A%2F%2Fx.org%2F", "oembed"),
        ("tag/ai/feed/index.html", "feed"),
        ("feed/index.xml", "feed"),
        ("content/uploads/2023/07/AI.jpg", "asset"),
        ("content/uploads/2022/06/slides.pptx", "asset"),
        ("robots.txt", "not WordPress content"),
        ("sitemap.xml", "not WordPress content"),
        ("2023/07/05/slug/index.html", ""),
        ("index.html@p=6.html", ""),
    ],
)
def test_classify_path(rel: str, reason: str) -> None:
    assert classify_path(rel) == reason


def test_url_mapper() -> None:
    mapper = UrlMapper(BASE)
    page = "2022/02/11/slug/index.html"
    assert mapper.to_old_url("../../../../index.html@p=101.html", page) == f"{BASE}/?p=101"
    assert mapper.to_old_url("../../../../category/x/index.html", page) == f"{BASE}/category/x/"
    assert mapper.to_old_url("../../../../content/uploads/2023/07/AI-1568x882.jpg", page) == (
        f"{BASE}/content/uploads/2023/07/AI-1568x882.jpg"
    )
    assert mapper.to_old_url("http://www.tiny.example/a/b/?x=1#c", page) == f"{BASE}/a/b/?x=1#c"
    for untouched in ("https://other.example/x", "mailto:a@b.c", "#top", "//cdn.example/x.js"):
        assert mapper.to_old_url(untouched, page) == untouched


def test_split_variant() -> None:
    assert split_variant("AI-1568x882") == ("AI", "", 1568 * 882, False)
    assert split_variant("photo-scaled") == ("photo", "", 0, True)
    assert split_variant("cropped-LOGz-e1648125853193-180x180") == (
        "cropped-LOGz",
        "-e1648125853193",
        180 * 180,
        False,
    )


def test_decode_page() -> None:
    assert decode_page("“ok”".encode()) == ("“ok”", "")
    assert decode_page(b"\xef\xbb\xbf<p>x</p>") == ("<p>x</p>", "")
    text, problem = decode_page(b'<meta charset="utf-8"><p>\xff</p>')
    assert "\ufffd" in text and "utf-8" in problem


def test_clean_excerpt() -> None:
    html = '<p>Text&hellip; <a class="more-link" href="/x/">Continue reading <span>X</span></a></p>'
    assert clean_excerpt(html, True) == "<p>Text… </p>\n"
    assert clean_excerpt("Text… Continue reading X", False) == "Text…"


def test_media_locator_lists_upload_originals(source: MirrorSource) -> None:
    assert source.media_locator().originals() == [
        "2024/01/pic-1024x683.jpg",
        "2024/01/pic-300x200.jpg",
        "2024/01/pic.jpg",
    ]


def test_a_page_that_cannot_be_read_fails_alone(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "mirror"
    shutil.copytree(BASIC, copy)
    (copy / "broken").mkdir()
    (copy / "broken" / "index.html").write_bytes(b"")
    source = MirrorSource(copy)
    list(source.iter_items())  # scan
    (copy / "about" / "index.html").unlink()  # vanishes between the passes
    items = list(source.iter_items())
    failed = [i for i in items if not isinstance(i, Post)]
    assert [(i.id, i.source) for i in failed] == [(2, "about/index.html")]
    lines = {line.source: line for line in source.extra_report()}
    assert lines["broken/index.html"].outcome == "failed"
    assert any("broken/index.html" in lost for lost in source.lost_data())


@given(st.text(max_size=40), st.sampled_from(["index.html", "a/b/index.html", "x@p=1.html"]))
def test_url_mapper_never_raises(ref: str, page: str) -> None:
    result = UrlMapper(BASE).to_old_url(ref, page)
    assert isinstance(result, str)
