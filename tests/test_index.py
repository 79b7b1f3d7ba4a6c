"""The URL index: every old URL of every written post, page, attachment and term
leads to exactly one new URL, and the redirects say the same as the lookups."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLE
from wpmigrate.index import SiteIndex, build_index
from wpmigrate.model import Media, Post, Site, SiteData, Term, TermRef
from wpmigrate.options import ConvertOptions
from wpmigrate.sources import open_source
from wpmigrate.urls import path_of, url_key
from wpmigrate.writers.presets import get_preset

BASE = "https://example.org"


def _index(items: list[Post], terms: tuple[Term, ...] = (), preset: str = "hugo",
           **options: object) -> SiteIndex:
    data = SiteData(Site(title="t", base_url=BASE), terms=terms)
    return build_index(items, data, get_preset(preset), ConvertOptions(**options))  # type: ignore[arg-type]


def _post(**fields: object) -> Post:
    defaults: dict[str, object] = {"id": 10, "slug": "hello", "date": datetime(2023, 7, 5, 10)}
    defaults.update(fields)
    defaults.setdefault("link", f"{BASE}/2023/07/05/{defaults['slug']}/")
    return Post(**defaults)  # type: ignore[arg-type]


def test_a_post_answers_to_all_its_old_urls() -> None:
    post = _post(guid=f"{BASE}/?p=10", meta=(("_wp_old_slug", "hi"),))
    index = _index([post])
    new = "/posts/hello/"
    for old in ("/2023/07/05/hello/", "/?p=10", "/2023/07/05/hi/", "/2023/07/hello/",
                f"{BASE}/2023/07/05/hello", "/index.php?p=10"):
        assert index.lookup(old) == new, old
    assert index.planned[10].aliases == (
        "/2023/07/05/hello/", "/?p=10", "/2023/07/05/hi/", "/2023/07/hello/",
    )
    assert all(index.redirects[a] == new for a in index.planned[10].aliases)


def test_pages_get_page_id_and_their_parent_path() -> None:
    parent = _post(id=2, type="page", slug="about", link=f"{BASE}/about/")
    child = _post(id=3, type="page", slug="team", parent=2, link=f"{BASE}/about/team/")
    index = _index([parent, child])
    assert index.planned[3].url == "/about/team/"
    assert index.lookup("/?page_id=3") == "/about/team/"
    assert "/about/team/" not in index.redirects  # same URL: no rule


def test_first_claim_wins_so_every_old_url_has_one_target() -> None:
    first = _post(id=1, slug="a", old_urls=("/shared/",))
    second = _post(id=2, slug="b", old_urls=("/shared/",))
    index = _index([first, second])
    assert index.redirects["/shared/"] == "/posts/a/"
    assert "/shared/" not in index.planned[2].aliases


def test_attachments_lead_to_the_local_file_and_variants_share_it() -> None:
    meta = ('a:2:{s:4:"file";s:14:"2023/07/ai.jpg";s:5:"sizes";a:1:{s:5:"thumb";'
            'a:1:{s:4:"file";s:12:"ai-thumb.jpg";}}}')
    attachment = Post(id=20, type="attachment", slug="ai", link=f"{BASE}/hello/ai/",
                      attachment_url=f"{BASE}/wp-content/uploads/2023/07/ai.jpg",
                      meta=(("_wp_attachment_metadata", meta),))
    index = _index([attachment, _post()])
    assert index.lookup("/?attachment_id=20") == "/media/2023/07/ai.jpg"
    assert index.redirects["/hello/ai/"] == "/media/2023/07/ai.jpg"
    for variant in ("ai-1024x576.jpg", "ai-scaled.jpg", "ai.jpg?w=300", "ai-thumb.jpg"):
        url = f"{BASE}/wp-content/uploads/2023/07/{variant}"
        assert index.rewrite_url(url, "media") == "/media/2023/07/ai.jpg", variant
    assert index.attachments[20] == Media(
        id=20, url=f"{BASE}/wp-content/uploads/2023/07/ai.jpg", title="", sizes=("ai-thumb.jpg",)
    )


def test_term_archives_lead_to_the_engine_term_pages() -> None:
    terms = (Term("category", "events", "Events", id=2),
             Term("category", "seminars", "Reading &amp; Seminars", parent="events", id=3),
             Term("post_tag", "privacy", "Privacy"))
    post = _post(terms=(TermRef("category", "seminars", "Reading & Seminars"),
                        TermRef("genre", "jazz", "Jazz")))
    index = _index([post], terms)
    assert index.lookup("/category/events/seminars/") == "/categories/reading-seminars/"
    assert index.lookup("/?cat=3") == "/categories/reading-seminars/"
    assert index.lookup("/tag/privacy/") == "/tags/privacy/"
    assert index.lookup("/genre/jazz/") == "/genre/jazz/"  # a term only items declared
    assert index.custom_taxonomies == ("genre",)
    jekyll = _index([post], terms, preset="jekyll")
    assert jekyll.lookup("/category/events/seminars/") == "/category/events/seminars/"


def test_keep_media_sends_attachment_pages_to_the_remote_file() -> None:
    attachment = Post(id=20, type="attachment", slug="ai", link=f"{BASE}/hello/ai/",
                      attachment_url=f"{BASE}/wp-content/uploads/2023/07/ai.jpg")
    index = _index([attachment], media="keep")
    assert index.redirects["/hello/ai/"] == f"{BASE}/wp-content/uploads/2023/07/ai.jpg"


def test_name_by_id_and_date_layout_shape_paths_and_urls() -> None:
    index = _index([_post()], name_by="id", date_layout="{year}/{month}")
    assert index.planned[10].path == "content/posts/2023/07/10/index.md"
    assert index.planned[10].url == "/posts/2023/07/10/"


def _check_invariants(index: SiteIndex) -> None:
    """Every indexed old URL has one redirect (unless it is the new URL itself), and
    every redirect target is something the new site has."""
    targets = {p.url for p in index.planned.values()} | {t.url for t in index.terms}
    for old, new in index.redirects.items():
        assert new in targets or new.startswith(("/media/", "http")), (old, new)
        assert index.urls[url_key("http://old" + old)] == new, old
    for planned in index.planned.values():
        for alias in planned.aliases:
            assert index.redirects[alias] == planned.url
    for key, new in index.urls.items():
        path = path_of("http://old" + key)
        if path not in ("/", new) and path.strip("/") != new.strip("/"):
            assert path in index.redirects or key in index.redirects, key


@pytest.mark.parametrize("name", ["sample", "theme-unit-test"])
def test_real_exports_index_every_old_url(name: str, corpus_or_none: Path | None) -> None:
    path = SAMPLE if name == "sample" else corpus_or_none
    if path is None:
        pytest.skip("shared corpus not found")
    source = open_source(path, "auto")
    data = source.read_site()
    index = build_index(source.iter_items(), data, get_preset("hugo"), ConvertOptions())
    _check_invariants(index)
    assert len(index.redirects) > (10 if name == "sample" else 600)


@pytest.fixture
def corpus_or_none() -> Path | None:
    from tests.conftest import CORPUS

    path = CORPUS / "wxr" / "wptt-theme-unit-test" / "themeunittestdata.wordpress.xml"
    return path if path.is_file() else None


@pytest.mark.parametrize(
    "old",
    [
        "https://example.org/archives/42",
        "https://example.org/blog/archives/42/",
        "/archives/42",
    ],
)
def test_numeric_permalinks_of_an_earlier_structure_find_the_post(old: str) -> None:
    index = _index([_post(id=42, slug="hello", link="https://example.org/2023/01/02/hello/")])
    assert index.lookup(old) == "/posts/hello/"
    assert index.lookup("https://example.org/archives/43") is None


def test_the_on_disk_index_plans_as_the_dict_one_across_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Items are planned in chunks on disk: claims still follow source order across
    chunk edges (a shared old URL goes to the first claimant, a repeated ID is
    planned once, colliding slugs are numbered in order)."""
    from wpmigrate import index as index_module
    from wpmigrate.indexstore import IndexStore

    monkeypatch.setattr(index_module, "_PLAN_CHUNK", 2)
    shared = f"{BASE}/shared-old-url/"
    items = [
        _post(id=1, slug="a"),
        _post(id=2, slug="b", meta=(("_wp_old_slug", "a"),)),
        _post(id=3, slug="A", link=shared),
        _post(id=4, slug="c", link=shared),
        _post(id=3, slug="again"),
        _post(id=5, slug="a", type="page"),
        _post(id=6, slug="a"),
    ]
    data = SiteData(Site(title="t", base_url=BASE))
    options = ConvertOptions(output=tmp_path)
    in_memory = build_index(items, data, get_preset("hugo"), options)
    with IndexStore(tmp_path) as store:
        on_disk = build_index(items, data, get_preset("hugo"), options, store=store)
        assert dict(on_disk.planned.items()) == dict(in_memory.planned.items())
        assert dict(on_disk.urls.items()) == dict(in_memory.urls.items())
        assert dict(on_disk.redirects.items()) == dict(in_memory.redirects.items())
    assert "/shared-old-url/" in in_memory.planned[3].aliases
    assert "/shared-old-url/" not in in_memory.planned[4].aliases  # item 3 claimed it first
    assert in_memory.planned[3].slug == "A"  # the repeated ID 3 ("again") is not planned
    assert [in_memory.planned[i].path for i in (1, 3, 6)] == [
        "content/posts/a/index.md", "content/posts/A-2/index.md", "content/posts/a-3/index.md"
    ]


@pytest.mark.parametrize("workers", [1, 2, "no process to be had"])
@pytest.mark.parametrize("repeat", [False, True])
def test_a_recorder_process_plans_as_the_dict_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int | str, repeat: bool
) -> None:
    """With a store, planning's writes (old URLs, redirects, planned records) may be
    made by another process while this one places the items: the index is the same,
    with or without that process and with or without a repeated ID to skip."""
    import multiprocessing

    from wpmigrate import index as index_module
    from wpmigrate.indexstore import IndexStore

    if isinstance(workers, str):  # asked for, but cannot be started: planned here
        def refuse(self: object) -> None:
            raise OSError(workers)

        monkeypatch.setattr(multiprocessing.get_context("fork").Process, "start", refuse)

    monkeypatch.setattr(index_module, "_PLAN_CHUNK", 2)
    monkeypatch.setattr(index_module, "_CLAIM_BATCH", 2)
    monkeypatch.setattr(index_module, "_RECORDER_MIN_ITEMS", 0)
    forked: list[bool] = []  # whether each build's recorder was another process
    original = index_module.Sink

    def spy(*args: Any, **kwargs: Any) -> Any:
        sink = original(*args, **kwargs)
        forked.append(sink._process is not None)
        return sink

    monkeypatch.setattr(index_module, "Sink", spy)
    shared = f"{BASE}/shared-old-url/"
    items = [
        _post(id=1, slug="a", terms=(TermRef("category", "events", "Events"),)),
        _post(id=2, slug="b", meta=(("_wp_old_slug", "a"),)),
        _post(id=3, slug="A", link=shared),
        _post(id=4, slug="c", link=shared),
        _post(id=3 if repeat else 7, slug="again"),
        _post(id=5, slug="a", type="page"),
        _post(id=8, slug="child", type="page", parent=5),
        Post(id=20, type="attachment", slug="ai", link=f"{BASE}/a/ai/",
             attachment_url=f"{BASE}/wp-content/uploads/2023/07/ai.jpg"),
        Post(id=21, type="attachment", slug="b", link=f"{BASE}/2023/07/05/b/",
             attachment_url=f"{BASE}/wp-content/uploads/2023/07/b.jpg"),
        _post(id=6, slug="a"),
    ]
    terms = (Term("category", "events", "Events", id=2),)
    data = SiteData(Site(title="t", base_url=BASE), terms=terms)
    options = ConvertOptions(output=tmp_path, workers=2 if isinstance(workers, str) else workers)
    in_memory = build_index(items, data, get_preset("hugo"), options)
    with IndexStore(tmp_path) as store:
        on_disk = build_index(items, data, get_preset("hugo"), options, store=store)
        for name in ("planned", "urls", "redirects", "attachments"):
            got, expected = getattr(on_disk, name), getattr(in_memory, name)
            assert dict(got.items()) == dict(expected.items()), name
        assert on_disk.terms == in_memory.terms
    assert forked == [False, workers == 2]  # a dict index is planned here
    assert in_memory.planned[8].path == "content/a/child/index.md"  # its parent's slug
    assert in_memory.lookup("/2023/07/05/b/") == "/posts/b/"  # the post claimed it first
    assert in_memory.lookup("/a/ai/") == "/media/2023/07/ai.jpg"
    assert in_memory.lookup("/category/events/") == "/categories/events/"
    assert (7 in in_memory.planned) is not repeat
