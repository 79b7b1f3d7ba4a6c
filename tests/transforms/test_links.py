"""URL rewriting and collection: hrefs, images, srcset, media sources."""

from __future__ import annotations

import lxml.html
import pytest

from wpmigrate.transforms import TransformContext, convert_html
from wpmigrate.transforms.links import largest_candidate, link_destination, rewrite_links, url_kind


def _ctx() -> TransformContext:
    return TransformContext(rewrite_url=lambda url, kind: f"{kind}:{url}")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://x.org/wp-content/uploads/2020/01/a.jpg", "media"),
        ("https://x.org/wp-content/uploads/2020/01/deck", "media"),
        ("/files/report.PDF", "media"),
        ("slides.pptx?dl=1", "media"),
        ("https://x.org/2020/01/post/", "link"),
        ("https://x.org/page.html", "link"),
        ("https://x.org/v1.2/", "link"),
    ],
)
def test_url_kind(url: str, kind: str) -> None:
    assert url_kind(url) == kind


def test_largest_candidate() -> None:
    assert largest_candidate("a.jpg 300w, b.jpg 1024w, c.jpg 768w") == "b.jpg"
    assert largest_candidate("a.jpg, b.jpg 2x") == "b.jpg"
    assert largest_candidate("") == ""


def test_rewrite_links_rewrites_and_collects_in_order() -> None:
    root = lxml.html.fragment_fromstring(
        '<p><a href="/post/">p</a> <a href="/up/a.pdf">pdf</a> '
        '<img src="/s.jpg" srcset="/s.jpg 300w, /l.jpg 1200w" sizes="100vw"> '
        '<a href="/post/">again</a> <a href="#top">top</a></p>'
        '<video src="/v.mp4" poster="/p.jpg"><source src="/v.webm"></video>',
        create_parent="div",
    )
    found = rewrite_links(root, _ctx())
    assert list(found.links) == ["/post/"]
    assert list(found.media) == ["/up/a.pdf", "/l.jpg", "/v.mp4", "/p.jpg", "/v.webm"]
    img = root.find(".//img")
    assert img.get("src") == "media:/l.jpg"
    assert img.get("srcset") is None and img.get("sizes") is None
    assert root.find(".//a").get("href") == "link:/post/"
    assert root.findall(".//a")[-1].get("href") == "#top"


def test_lazy_loaded_images_use_the_real_source() -> None:
    root = lxml.html.fragment_fromstring(
        '<img src="data:image/gif;base64,R0lG" data-lazy-src="/real.jpg">', create_parent="div"
    )
    found = rewrite_links(root, _ctx())
    assert list(found.media) == ["/real.jpg"]


def test_convert_html_reports_originals_and_writes_rewritten() -> None:
    source = '<p><a href="/x/"><img src="/wp-content/uploads/a.png" alt="A"></a></p>'
    result = convert_html(source, _ctx())
    assert result.markdown == "[![A](media:/wp-content/uploads/a.png)](link:/x/)\n"
    assert result.media == ("/wp-content/uploads/a.png",)
    assert result.links == ("/x/",)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x.org/a_(b)", "http://x.org/a_(b)"),
        ("http://x.org/a(b", "http://x.org/a%28b"),
        ("/a b", "/a%20b"),
        ("", "<>"),
    ],
)
def test_link_destination(url: str, expected: str) -> None:
    assert link_destination(url) == expected


def test_mailto_and_javascript_links_are_kept_but_not_reported() -> None:
    source = '<p><a href="mailto:a@b.org">mail</a> <a href="javascript:void(0)">js</a></p>'
    result = convert_html(source, _ctx())
    assert result.links == ()
    assert result.markdown == "[mail](mailto:a@b.org) [js](javascript:void(0))\n"
