"""The converted sample and theme-unit-test export build with Hugo, Jekyll and Eleventy
(every written post has a page in the built site) and the MDX output compiles."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.conftest import SAMPLE
from tests.engines.conftest import (
    ENGINES_DIR,
    NODE_DIR,
    Converter,
    missing_pages,
    node_bin,
    require,
    run,
    written_posts,
)
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
from wpmigrate.writers.presets import get_preset

pytestmark = pytest.mark.engine
SOURCES = ["sample", "theme-unit-test"]

HUGO_LAYOUTS = {
    "baseof.html": "<!doctype html><html><body>{{ block \"main\" . }}{{ end }}</body></html>\n",
    "single.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n",
    "list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}"
    "{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}{{ end }}\n",
}
JEKYLL_LAYOUTS = {
    "default.html": "<!doctype html><html><body>{{ content }}</body></html>\n",
    "post.html": "---\nlayout: default\n---\n<h1>{{ page.title }}</h1>{{ content }}\n",
    "page.html": "---\nlayout: default\n---\n<h1>{{ page.title }}</h1>{{ content }}\n",
}


def _unquoted(paths: list[str]) -> list[str]:
    return [unquote(path) for path in paths]


def _write_all(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("source", SOURCES)
def test_hugo_builds_every_post(converted: Converter, source: str) -> None:
    hugo = require("hugo")
    out, report = converted(source, "hugo")
    _write_all(out / "layouts" / "_default", HUGO_LAYOUTS)
    run([hugo, "--quiet", "--destination", "public"], out)
    urls = [str(data["url"]) for _path, data in written_posts(out, report)]
    assert missing_pages(out / "public", urls) == []
    for path, data in written_posts(out, report):
        for alias in data.get("aliases", []):  # type: ignore[attr-defined]
            assert (out / "public" / alias.strip("/") / "index.html").is_file(), (path, alias)


@pytest.mark.parametrize("source", SOURCES)
def test_jekyll_builds_every_post(converted: Converter, source: str) -> None:
    jekyll = require("jekyll")
    out, report = converted(source, "jekyll")
    _write_all(out / "_layouts", JEKYLL_LAYOUTS)
    run([jekyll, "build", "--quiet", "--destination", "_site"], out)
    posts = written_posts(out, report)
    assert missing_pages(out / "_site", [str(data["permalink"]) for _p, data in posts]) == []
    aliases = [a for _p, data in posts for a in data.get("redirect_from", [])]  # type: ignore[attr-defined]
    assert aliases and missing_pages(out / "_site", _unquoted(aliases)) == []
    assert (out / "_site" / "_redirects").is_file()


@pytest.mark.parametrize("source", SOURCES)
def test_eleventy_builds_every_post(converted: Converter, source: str) -> None:
    eleventy = node_bin("eleventy")
    out, report = converted(source, "eleventy")
    run([eleventy, "--quiet", "--output=_site"], out)
    posts = written_posts(out, report)
    assert missing_pages(out / "_site", [str(data["permalink"]) for _p, data in posts]) == []
    aliases = [a for _p, data in posts for a in data.get("aliases", [])  # type: ignore[attr-defined]
               if a.endswith("/") and "//" not in a]
    assert aliases and missing_pages(out / "_site", _unquoted(aliases)) == []


@pytest.mark.parametrize("source", SOURCES)
def test_mdx_output_compiles(converted: Converter, source: str) -> None:
    node = require("node")
    if not (NODE_DIR / "node_modules" / "@mdx-js" / "mdx").is_dir():
        node_bin("@mdx-js/mdx")  # skips or fails with the install hint
    out, report = converted(source, "nextjs-mdx")
    written_posts(out, report)
    run([node, str(NODE_DIR / "compile-mdx.mjs"), str(out)], NODE_DIR)


@pytest.mark.parametrize("source", SOURCES)
def test_pelican_builds_every_post(converted: Converter, source: str) -> None:
    pelican = require("pelican", str(ENGINES_DIR / "pelican" / "bin" / "pelican"))
    out, report = converted(source, "pelican")
    run([pelican, "content", "-s", "pelicanconf.py", "-o", "output", "-q"], out)
    urls = ["/" + str(data["url"]) for _path, data in written_posts(out, report)]
    assert missing_pages(out / "output", urls) == []


def test_hugo_site_of_the_sample_shows_its_images(tmp_path: Path) -> None:
    """Every image the built pages reference exists in the built site."""
    hugo = require("hugo")
    report = convert(SAMPLE, ConvertOptions(output=tmp_path, preset="hugo", media="copy",
                                            workers=1))
    assert report.media.missing == []
    _write_all(tmp_path / "layouts" / "_default", HUGO_LAYOUTS)
    run([hugo, "--quiet", "--destination", "public"], tmp_path)
    sources = set()
    for page in (tmp_path / "public").rglob("*.html"):
        sources |= set(re.findall(r'<img[^>]+src="([^"]+)"', page.read_text(encoding="utf-8")))
    local = {src for src in sources if src.startswith("/")}
    assert local, "no local images in the built pages"
    assert [s for s in local if not (tmp_path / "public" / unquote(s).lstrip("/")).is_file()] == []
    assert not [s for s in sources if "wp-content/uploads" in s]


@pytest.mark.parametrize("comments", ["data", "none"])
def test_hugo_template_reads_comments_as_the_preset_says(tmp_path: Path, comments: str) -> None:
    """The preset's own ``comments_usage`` snippet, in a real template, shows the sample's
    approved comments with their Markdown rendered (and a site without comments builds)."""
    hugo = require("hugo")
    convert(SAMPLE, ConvertOptions(output=tmp_path, preset="hugo", media="keep", workers=1,
                                   comments=comments))
    usage = get_preset("hugo").comments_usage
    single = "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}" + usage + "{{ end }}\n"
    _write_all(tmp_path / "layouts" / "_default", {**HUGO_LAYOUTS, "single.html": single})
    run([hugo, "--quiet", "--destination", "public"], tmp_path)
    page = _page_of_wordpress_id(tmp_path / "content", tmp_path / "public", 10)
    shown = "Hal: Running bitcoin." in page  # (markdownify drops a lone paragraph's <p>)
    assert shown == (comments == "data")
    if shown:
        assert '<a href="/posts/socratic-seminar-20/">seminar notes</a>' in page


def test_jekyll_template_reads_comments_as_the_preset_says(tmp_path: Path) -> None:
    jekyll = require("jekyll")
    convert(SAMPLE, ConvertOptions(output=tmp_path, preset="jekyll", media="keep", workers=1))
    usage = get_preset("jekyll").comments_usage
    post = "---\nlayout: default\n---\n<h1>{{ page.title }}</h1>{{ content }}" + usage + "\n"
    _write_all(tmp_path / "_layouts", {**JEKYLL_LAYOUTS, "post.html": post})
    run([jekyll, "build", "--quiet", "--destination", "_site"], tmp_path)
    page = _page_of_wordpress_id(tmp_path / "_posts", tmp_path / "_site", 10)
    assert "Hal: <p>Running bitcoin.</p>" in page
    assert '<a href="/2023/07/18/socratic-seminar-20/">seminar notes</a>' in page


def _page_of_wordpress_id(content: Path, public: Path, wordpress_id: int) -> str:
    """The built HTML of the page whose front matter has ``wordpress_id``."""
    for source in content.rglob("*.md"):
        front = source.read_text(encoding="utf-8").split("---\n")[1]
        if f"\nwordpress_id: {wordpress_id}\n" in "\n" + front:
            url = re.search(r"^(?:url|permalink): (\S+)$", front, re.M)
            assert url, f"{source} has no url"
            return (public / unquote(url.group(1)).strip("/") / "index.html").read_text("utf-8")
    raise AssertionError(f"no page with wordpress_id {wordpress_id}")
