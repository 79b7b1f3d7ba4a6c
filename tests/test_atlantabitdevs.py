"""Acceptance: the Atlanta BitDevs wget mirror, converted end to end (issue: the old site).

Everything is checked against the mirror itself: the theme's ``entry-content`` of each
post's pretty-permalink page, and the ``wp-json/wp/v2`` responses the mirror saved.
"""

from __future__ import annotations

import html
import json
import re
from difflib import SequenceMatcher
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from tests.conftest import CORPUS
from wpmigrate.frontmatter import parse
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
from wpmigrate.transforms.textrepair import repair_text

MIRROR = CORPUS / "mirrors" / "atlantabitdevs"
WP_JSON = MIRROR / "wp-json" / "wp" / "v2"
WORD = re.compile(r"\w+", re.UNICODE)
MD = MarkdownIt("commonmark", {"html": True}).enable("table")

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not MIRROR.is_dir(), reason=f"mirror not found at {MIRROR}"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("atlbitdevs")
    convert(MIRROR, ConvertOptions(output=out, preset="hugo"))
    return out


@pytest.fixture(scope="module")
def written(site: Path) -> dict[int, dict]:
    report = json.loads((site / "wpmigrate-report.json").read_text())
    return {item["id"]: item for item in report["items"] if item["outcome"] == "written"}


def _json(kind: str, item_id: int) -> dict:
    return json.loads((WP_JSON / kind / str(item_id)).read_text())


def _entry_content(link: str) -> lxml_html.HtmlElement:
    page = MIRROR / urlsplit(link).path.strip("/") / "index.html"
    tree = lxml_html.fromstring(page.read_bytes())
    query = "//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]"
    return tree.xpath(query)[0]


BLOCKS = ("p", "li", "div", "br", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
          "blockquote", "figcaption", "pre", "figure", "dt", "dd")


def _text(element: lxml_html.HtmlElement) -> str:
    """Visible text with a space after each block element, as a browser separates them."""
    for block in element.iter(*BLOCKS):
        block.tail = " " + (block.tail or "")
    return element.text_content()


def _words(text: str) -> list[str]:
    return WORD.findall(html.unescape(text).casefold())


def _rendered_words(markdown_text: str) -> list[str]:
    rendered = lxml_html.fromstring(f"<div>{MD.render(markdown_text)}</div>")
    return _words(_text(rendered))


def test_exactly_28_posts_and_3_pages(site: Path, written: dict[int, dict]) -> None:
    kinds = sorted(item["type"] for item in written.values())
    assert kinds == ["page"] * 3 + ["post"] * 28
    assert {int(p.name) for p in (WP_JSON / "posts").iterdir()} == {
        i for i, item in written.items() if item["type"] == "post"
    }
    markdown_files = {p.relative_to(site).as_posix() for p in site.rglob("*.md")}
    item_files = {item["path"] for item in written.values()}
    others = markdown_files - item_files
    # Besides the items, only taxonomy term pages (they carry the old archive URLs).
    assert all(re.fullmatch(r"content/(categories|tags)/[^/]+/_index\.md", p) for p in others)


def test_every_mirror_file_is_accounted_for(site: Path) -> None:
    report = json.loads((site / "wpmigrate-report.json").read_text())
    files = [p for p in MIRROR.rglob("*") if p.is_file()]
    assert report["totals"]["items"] == len(files)
    assert report["totals"]["failed"] == 0


def test_bodies_keep_the_words_in_order(site: Path, written: dict[int, dict]) -> None:
    scores = {}
    for item_id, item in written.items():
        kind = "posts" if item["type"] == "post" else "pages"
        source = _words(_text(_entry_content(_json(kind, item_id)["link"])))
        _, body = parse((site / item["path"]).read_text())
        output = _rendered_words(body)
        scores[item_id] = SequenceMatcher(None, source, output, autojunk=False).ratio()
    average = sum(scores.values()) / len(scores)
    worst = min(scores.items(), key=lambda kv: kv[1])
    assert average >= 0.99, scores
    assert worst[1] >= 0.95, worst


def test_external_links_and_embeds_survive(site: Path, written: dict[int, dict]) -> None:
    for item_id, item in written.items():
        kind = "posts" if item["type"] == "post" else "pages"
        content = _entry_content(_json(kind, item_id)["link"])
        text = html.unescape((site / item["path"]).read_text())
        for href in content.xpath(".//a/@href"):
            host = urlsplit(href).hostname or ""
            if href.startswith("http") and "atlantabitdevs.org" not in host:
                # A space cannot stand in a Markdown link destination: it is %20 there.
                assert href.replace(" ", "%20") in text, (item_id, href)
        for src in content.xpath(".//iframe/@src | .//video/@src | .//source/@src"):
            assert urlsplit(src).path.split("/")[-1] in text, (item_id, src)


def test_metadata_matches_wp_json(site: Path, written: dict[int, dict]) -> None:
    users = {
        int(p.name): _json("users", int(p.name))["name"] for p in (WP_JSON / "users").iterdir()
    }
    terms = {
        int(p.name): html.unescape(_json(kind, int(p.name))["name"])
        for kind in ("categories", "tags")
        for p in (WP_JSON / kind).iterdir()
    }
    redirects = (site / "nginx-redirects.conf").read_text()
    for item_id, item in written.items():
        if item["type"] != "post":
            continue
        truth = _json("posts", item_id)
        data, _ = parse((site / item["path"]).read_text())
        assert data["date"].strftime("%Y-%m-%dT%H:%M") == truth["date_gmt"][:16]
        assert data["date"].utcoffset().total_seconds() == 0
        assert data["categories"] == [terms[c] for c in truth["categories"]]
        assert sorted(data.get("tags", [])) == sorted(terms[t] for t in truth["tags"])
        assert data["author"] == users[truth["author"]]
        old_path = urlsplit(truth["link"]).path
        assert old_path in data["aliases"]
        new_url = data["url"]
        assert f'"/?p={item_id}" "{new_url}";' in redirects
        if truth["featured_media"]:
            image = data["images"][0]
            assert (site / "static" / image.lstrip("/")).is_file()


def test_no_boilerplate_mojibake_or_mirror_paths(site: Path, written: dict[int, dict]) -> None:
    for item in written.values():
        text = (site / item["path"]).read_text()
        for leftover in ("Skip to content", "Recent Posts", "Proudly powered by",
                         "index.html", "@p=", "content/uploads", "wp-content",
                         "atlantabitdevs.org/20"):
            assert leftover not in text, (item["path"], leftover)
        assert repair_text(text)[1] == 0, item["path"]


def test_every_media_reference_resolves(site: Path, written: dict[int, dict]) -> None:
    reference = re.compile(r"""(?:\]\(|src=["']|^- )(/media/[^)"'\s]+)""", re.M)
    for item in written.values():
        text = (site / item["path"]).read_text()
        for path in reference.findall(text):
            assert (site / "static" / path.lstrip("/")).is_file(), (item["path"], path)
