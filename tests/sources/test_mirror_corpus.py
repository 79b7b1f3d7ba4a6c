"""The mirror source on the real mirrors of ../shared/corpus (skipped when absent).

atlantabitdevs is checked against the wp-json responses saved in the mirror itself:
once as read (wp-json preferred), and once from a copy of its HTML pages only (no
wp-json), which shows that the page metadata alone gives the same dates, terms,
authors and permalinks. The copy goes to pytest's tmp_path, never into the repo.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import html as lxml_html

from wpmigrate.model import Post, TermRef
from wpmigrate.sources.mirror import MirrorSource, looks_like_mirror

pytestmark = pytest.mark.corpus

ATL = "https://atlantabitdevs.org"
CORPUS = (Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus").resolve()


def _mirror(corpus: Path, name: str) -> Path:
    path = corpus / "mirrors" / name
    if not path.is_dir():
        pytest.skip(f"{path} not found (shared corpus absent)")
    return path


def _read(path: Path) -> tuple[MirrorSource, dict[int, Post]]:
    source = MirrorSource(path)
    items = list(source.iter_items())
    assert all(isinstance(item, Post) for item in items), items
    posts = {item.id: item for item in items}
    assert len(posts) == len(items), "an item was read twice"
    return source, posts


@pytest.fixture(scope="module")
def atl() -> tuple[Path, MirrorSource, dict[int, Post]]:
    """atlantabitdevs read once for the module (the ``corpus`` fixture is per test)."""
    path = _mirror(CORPUS, "atlantabitdevs")
    return (path, *_read(path))


def _wp_json(path: Path) -> dict[int, dict]:
    records = {}
    for kind in ("posts", "pages"):
        for file in (path / "wp-json" / "wp" / "v2" / kind).iterdir():
            record = json.loads(file.read_text(encoding="utf-8"))
            records[record["id"]] = record
    return records


def _term_refs(path: Path, record: dict) -> set[TermRef]:
    refs = set()
    for kind, ids in (
        ("categories", record.get("categories", [])),
        ("tags", record.get("tags", [])),
    ):
        for term_id in ids:
            term = json.loads((path / "wp-json/wp/v2" / kind / str(term_id)).read_text())
            refs.add(TermRef(term["taxonomy"], term["slug"], term["name"]))
    return refs


def _assert_matches_wp_json(path: Path, posts: dict[int, Post], with_authors: bool) -> None:
    records = _wp_json(path)
    assert sorted(posts) == sorted(records)
    for item_id, record in records.items():
        post = posts[item_id]
        assert post.type == record["type"]
        assert post.slug == record["slug"]
        assert post.link == record["link"]
        assert post.date is not None and post.date_gmt is not None
        assert post.date.replace(second=0) == datetime.fromisoformat(record["date"]).replace(
            second=0
        ), item_id
        assert post.date_gmt.replace(second=0) == datetime.fromisoformat(
            record["date_gmt"]
        ).replace(second=0)
        assert post.date_offset == 0  # the site's gmt_offset is 0
        assert set(post.terms) == _term_refs(path, record), item_id
        assert f"{ATL}/?p={item_id}" in post.old_urls
        if with_authors or record["type"] == "post":
            user = json.loads((path / f"wp-json/wp/v2/users/{record['author']}").read_text())
            assert (post.author, post.author_name) == (user["slug"], user["name"]), item_id


def test_atlantabitdevs_counts(atl: tuple) -> None:
    path, source, posts = atl
    assert Counter(p.type for p in posts.values()) == {"post": 28, "page": 3}
    extras = source.extra_report()
    files = [p for p in path.rglob("*") if p.is_file()]
    assert len(posts) + len(extras) == len(files) == 577
    reasons = Counter(
        "duplicate" if e.reason.startswith("duplicate of ") else e.reason for e in extras
    )
    assert reasons == {
        "asset": 245,
        "wp-json": 80,
        "archive": 77,
        "oembed": 62,
        "feed": 50,
        "duplicate": 31,
        "not WordPress content": 1,
    }
    duplicates = {e.source for e in extras if e.reason.startswith("duplicate of ")}
    assert duplicates == {f"index.html@p={i}.html" for i in posts}
    assert source.lost_data() == []


def test_atlantabitdevs_site(atl: tuple) -> None:
    _, source, _ = atl
    data = source.read_site()
    assert (data.site.title, data.site.base_url, data.site.language, data.site.timezone) == (
        "Atlanta BitDevs",
        ATL,
        "en-US",
        "+00:00",
    )
    assert {(a.login, a.display_name) for a in data.authors} == {
        ("stephen", "Stephen DeLorme"),
        ("teacherofplato", "teacherofplato"),
    }
    categories = {t.slug: t.name for t in data.terms if t.taxonomy == "category"}
    assert categories == {
        "reading-groups": "Reading Groups",
        "socratic-seminars": "Socratic Seminars",
    }
    assert len([t for t in data.terms if t.taxonomy == "post_tag"]) == 44


def test_atlantabitdevs_matches_its_wp_json(atl: tuple) -> None:
    path, _, posts = atl
    _assert_matches_wp_json(path, posts, with_authors=True)


def test_atlantabitdevs_html_alone_gives_the_same_metadata(atl: tuple, tmp_path: Path) -> None:
    path, _, _ = atl
    pages_only = tmp_path / "atl"
    shutil.copytree(path, pages_only, ignore=shutil.ignore_patterns("wp-json", "content", "wp"))
    _, posts = _read(pages_only)
    # pages show no author in Twenty Twenty-One; everything else matches wp-json
    _assert_matches_wp_json(path, posts, with_authors=False)


def test_atlantabitdevs_exact_post_308(atl: tuple) -> None:
    _, _, posts = atl
    post = posts[308]
    assert post.title == "Are open source AI models the future?"
    assert post.slug == "are-open-source-ai-models-the-future"
    assert post.status == "publish"
    assert post.date == post.date_gmt == datetime(2023, 7, 5, 19, 41, 5)
    assert post.modified == datetime(2023, 7, 5, 19, 41, 8)
    assert post.date_offset == 0
    assert (post.author, post.author_name) == ("stephen", "Stephen DeLorme")
    assert post.terms == (
        TermRef("category", "reading-groups", "Reading Groups"),
        TermRef("post_tag", "ai", "ai"),
        TermRef("post_tag", "llm", "llm"),
    )
    assert post.link == f"{ATL}/2023/07/05/are-open-source-ai-models-the-future/"
    assert post.old_urls == (f"{ATL}/?p=308",)
    assert post.guid == f"{ATL}/?p=308"
    assert post.featured_image == f"{ATL}/content/uploads/2023/07/AI.jpg"
    assert post.excerpt.startswith("<p>This session’s topic is the leaked Google memo")
    assert "Continue reading" not in post.excerpt
    assert post.content.startswith("<p>This session’s topic is the leaked Google memo")
    assert post.source is not None
    assert post.source.path == "2023/07/05/are-open-source-ai-models-the-future/index.html"


def test_atlantabitdevs_exact_post_101_and_page_6(atl: tuple) -> None:
    _, _, posts = atl
    post = posts[101]
    assert post.date == datetime(2022, 3, 16, 23, 8, 6)
    assert [t.slug for t in post.terms] == [
        "socratic-seminars",
        "bitcoin",
        "lightning",
        "liquid",
        "privacy",
        "sidechains",
    ]
    assert post.featured_image == (
        f"{ATL}/content/uploads/2022/03/ATLBitDevs_2022-03-23_socratic-seminar.png"
    )
    page = posts[6]
    assert (page.type, page.title, page.slug, page.link) == (
        "page",
        "About",
        "about",
        f"{ATL}/about/",
    )
    assert page.old_urls == (f"{ATL}/?p=6", f"{ATL}/?page_id=6")


def _links(html: str) -> set[str]:
    doc = lxml_html.fragment_fromstring(html, create_parent="div")
    return {
        v for e in doc.iter() if isinstance(e.tag, str) for v in (e.get("href"), e.get("src")) if v
    }


def test_atlantabitdevs_content_is_the_body_with_old_urls(atl: tuple) -> None:
    path, _, posts = atl
    for post in posts.values():
        content = post.content
        for text in (
            "Skip to content",
            "Recent Posts",
            "Proudly powered by",
            "Post navigation",
            "index.html",
            "@p=",
            "../",
        ):
            assert text not in content, (post.id, text)
        for url in _links(content):
            assert url.startswith(("http://", "https://", "#", "mailto:")), (post.id, url)
        # every external link and embed of the page's own entry-content is kept
        assert post.source is not None
        page = lxml_html.parse(str(path / post.source.path)).getroot()
        body = page.xpath("//article//*[contains(concat(' ', @class, ' '), ' entry-content ')]")
        assert body, post.id
        external = {
            u
            for u in _links(lxml_html.tostring(body[0], encoding="unicode"))
            if u.startswith("http") and not u.startswith(ATL)
        }
        kept = {unquote(u) for u in _links(content)}
        assert {unquote(u) for u in external} <= kept, post.id


def test_atlantabitdevs_media_locator(atl: tuple) -> None:
    path, source, _ = atl
    locator = source.media_locator()
    original = path / "content/uploads/2023/07/AI.jpg"
    assert locator.locate(f"{ATL}/content/uploads/2023/07/AI-1568x882.jpg") == original
    assert locator.locate(f"{ATL}/content/uploads/2023/07/AI-300x169.jpg") == original
    assert locator.locate(f"{ATL}/content/uploads/2023/07/AI.jpg?ver=1") == original
    pptx = "content/uploads/2022/06/Seminar-Digital-Self-Sovereignty-and-Privacy-2022-06-29.pptx"
    assert locator.locate(f"{ATL}/{pptx}") == path / pptx
    assert locator.locate(f"{ATL}/content/uploads/2023/07/nothing.jpg") is None


def test_atlantabitdevs_is_detected(atl: tuple) -> None:
    # Speed is measured by benchmarks/mirror_bench.py, never asserted in a test.
    assert looks_like_mirror(atl[0])


def test_sasoconf(corpus: Path) -> None:
    path = _mirror(corpus, "sasoconf-ar")
    source, posts = _read(path)
    listed = {
        int(p.name)
        for kind in ("posts", "pages")
        for p in (path / "wp-json/wp/v2" / kind).iterdir()
    }
    assert set(posts) == listed  # 7 posts + 11 pages, each once
    assert Counter(p.type for p in posts.values()) == {"page": 11, "post": 7}
    assert len(posts) + len(source.extra_report()) == len(
        [p for p in path.rglob("*") if p.is_file()]
    )
    assert posts[8].link == "https://sasoconf.ar/"  # the static front page (index.html)
    post = posts[347]
    assert (post.author, post.terms) == ("admin", (TermRef("category", "prensa", "Prensa"),))


def test_330k_simply_static(corpus: Path) -> None:
    path = _mirror(corpus, "330k-biz-ja")
    source, posts = _read(path)
    sitemap = (path / "sitemap.xml").read_text(encoding="utf-8")
    listed = {
        unquote(u)
        for u in re.findall(
            r"<loc>(https://330k\.biz/20\d\d/\d\d/\d\d/[^/]+/)"
            r"</loc>",
            sitemap,
        )
    }
    assert {unquote(p.link) for p in posts.values()} == listed  # 60 posts, each once
    extras = source.extra_report()
    assert len(posts) + len(extras) == len([p for p in path.rglob("*") if p.is_file()])
    assert sum(e.reason.startswith("duplicate of ") for e in extras) == 60
    post = posts[63]
    assert post.title == "仮想通貨への投資と取引所の比較"
    assert post.slug == "仮想通貨への投資"
    assert (post.date, post.date_gmt, post.date_offset) == (
        datetime(2018, 6, 17, 9, 58, 58),
        datetime(2018, 6, 17, 0, 58, 58),
        540,
    )
    assert post.terms == (
        TermRef("category", "cryptocurrency", "仮想通貨"),
        TermRef("category", "finance", "金融・経済"),
    )
    assert "シェアする" not in post.content and "関連記事" not in post.content
    assert source.read_site().site.base_url == "https://330k.biz"
    cats = {t.slug: t.parent for t in source.read_site().terms if t.taxonomy == "category"}
    assert cats["cryptocurrency"] == "investment"
