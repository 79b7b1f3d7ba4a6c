"""Link and anchor extraction: positions, code blocks, front matter, HTML."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wpmigrate.checks.extract import parse_html, parse_markdown
from wpmigrate.checks.frontmatter import split_front_matter
from wpmigrate.checks.slugs import SlugCounter, github_slug

DOC = """---
title: "Hello"
aliases: [/2023/07/05/old-slug/, "/?p=308"]
images:
  - cover.jpg
cover:
  image: hero.jpg
slug: hello
tags: [One Tag, two]
---
# Intro Part

See [the other](../other/#sec-two "t") and ![pic](pic.jpg).
[![x](a.png)](b/) and `[no](code)` and https://example.com/x.
<a href="/foo/">x</a> <img src="i.png" srcset="a.png 1x, b.png 2x">

```
[no](fenced)
```

    [no](indented)

## Sec Two {#custom}
Setext Heading
--------------
[ref]: /ref/target/
"""


def positions(doc: str) -> list[tuple[str, int, int, str]]:
    return [(link.url, link.line, link.col, link.kind) for link in parse_markdown(doc).links]


def test_markdown_links_have_exact_line_and_column() -> None:
    assert positions(DOC) == [
        ("cover.jpg", 5, 5, "front-matter"),
        ("hero.jpg", 7, 10, "front-matter"),
        ("../other/#sec-two", 13, 17, "link"),
        ("pic.jpg", 13, 51, "image"),
        ("a.png", 14, 7, "image"),
        ("b/", 14, 15, "link"),
        ("https://example.com/x", 14, 40, "link"),
        ("/foo/", 15, 10, "html"),
        ("i.png", 15, 33, "image"),
        ("a.png", 15, 48, "image"),
        ("b.png", 15, 58, "image"),
        ("/ref/target/", 26, 8, "reference"),
    ]


def test_code_is_never_scanned() -> None:
    urls = [link.url for link in parse_markdown(DOC).links]
    assert not any(u in urls for u in ("code", "fenced", "indented"))


def test_front_matter_aliases_scalars_and_terms() -> None:
    front, body, offset = split_front_matter(DOC)
    assert [(a.url, a.line, a.col) for a in front.aliases] == [
        ("/2023/07/05/old-slug/", 3, 11), ("/?p=308", 3, 35)]
    assert front.scalars == {"slug": "hello"}
    assert front.terms == [("tags", "One Tag"), ("tags", "two")]
    assert body == 10
    assert DOC[offset:].startswith("# Intro Part")


def test_toml_front_matter() -> None:
    front, *_ = split_front_matter('+++\naliases = ["/old/"]\nimages = ["a.png"]\n+++\nx\n')
    assert [a.url for a in front.aliases] == ["/old/"]
    assert [(i.url, i.line, i.col) for i in front.links] == [("a.png", 3, 12)]


def test_heading_anchors_github_style() -> None:
    anchors = parse_markdown(DOC).anchors
    assert {"intro-part", "custom", "setext-heading"} <= anchors


def test_repeated_headings_are_numbered() -> None:
    counter = SlugCounter()
    assert counter.add("Getting Started") == ["getting-started"]
    assert counter.add("Getting Started") == ["getting-started-1"]


def test_github_slug_rules() -> None:
    assert github_slug("What's new in v2.0?") == "whats-new-in-v20"
    assert github_slug("Café & Crème") == "café--crème"


def test_html_links_lines_and_columns() -> None:
    page = parse_html('<html><body>\n<h1 id="a">x</h1>\n  <a href="/x/">y</a>'
                      '<a name="old"></a></body></html>')
    assert [(link.url, link.line, link.col) for link in page.links] == [("/x/", 3, 12)]
    assert page.anchors == {"a", "old"}


def test_html_srcset_and_preconnect() -> None:
    page = parse_html('<img src="a.png" srcset="a-300.png 300w, a-600.png 600w">\n'
                      '<link rel="preconnect" href="https://fonts.example">')
    assert [link.url for link in page.links] == ["a.png", "a-300.png", "a-600.png"]


_SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=1, max_size=12)
_URL = st.lists(_SEGMENT, min_size=1, max_size=4).map("/".join)
_TEXT = st.text(alphabet="abc XYZ,.;", max_size=20)


@given(st.lists(st.tuples(_TEXT, st.booleans(), _TEXT, _URL), min_size=1, max_size=8))
def test_every_link_is_found_at_its_position(parts: list[tuple[str, bool, str, str]]) -> None:
    lines = [f"{before}{'!' if image else ''}[{label}]({url})" for before, image, label, url
             in parts]
    doc = "\n".join(lines) + "\n"
    links = parse_markdown(doc).links
    assert [link.url for link in links] == [url for *_, url in parts]
    for link, (_, image, _, _) in zip(links, parts, strict=True):
        assert lines[link.line - 1][link.col - 1:].startswith(link.url)
        assert link.kind == ("image" if image else "link")


def test_footnotes_are_not_reference_definitions() -> None:
    doc = "Text[^1].\n\n[^1]: A note with [a link](/x/).\n[ref]: /y/\n"
    assert [(link.url, link.line) for link in parse_markdown(doc).links] == [
        ("/x/", 3), ("/y/", 4)]


def test_hugo_figure_shortcode() -> None:
    doc = '{{< figure src="/media/a.png" link="/posts/x/" caption="c" >}}\n'
    assert [(link.url, link.col, link.kind) for link in parse_markdown(doc).links] == [
        ("/media/a.png", 17, "image"), ("/posts/x/", 37, "link")]


def test_html_comments_are_masked() -> None:
    assert parse_markdown("<!-- [old](/gone/) -->\n[new](/here/)\n").links[0].url == "/here/"


def test_each_destination_is_reported_once() -> None:
    doc = '{{<figure src="/a.png">}} <img src="/b.png">\n'
    assert [link.url for link in parse_markdown(doc).links] == ["/a.png", "/b.png"]


def test_an_escaped_bracket_opens_no_link() -> None:
    doc = "implicit class ListExtensions[A\\](xs : List[A]) and [real](/here/) \\\\](/too/)\n"
    assert [link.url for link in parse_markdown(doc).links] == ["/here/", "/too/"]


@pytest.mark.parametrize(
    ("doc", "urls"),
    [
        ("A pingback: [http://old.example/a/](/posts/a/) then http://other.example/\n",
         ["/posts/a/", "http://other.example/"]),
        ("[see http://old.example/a/ here](/posts/a/)\n", ["/posts/a/"]),
        ("http://a.example/ then [b](/b/)\n", ["http://a.example/", "/b/"]),
        ("[a] http://a.example/ [b](/b/)\n", ["http://a.example/", "/b/"]),
        ("[a\nhttp://a.example/ b](/b/)\n", ["http://a.example/", "/b/"]),
    ],
)
def test_a_url_in_the_text_of_a_link_is_not_a_link_itself(doc: str, urls: list[str]) -> None:
    assert [link.url for link in parse_markdown(doc).links] == urls
