"""The converted sample and theme-unit-test export build with Astro: a minimal project
around the output, with the blog starter's content schema declared exactly, builds,
and every written post (and page) has its page in ``dist/``.

The starter's schema (``examples/blog/src/content.config.ts`` of withastro/astro, Astro
5) types ``heroImage`` as ``image()``, so a post's featured image must be a file the
entry's relative path leads to: the sample is converted with its media copied (the
heroes are local files), the theme unit test with its media kept remote (URLs, which
``image()`` passes through).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.conftest import SAMPLE
from tests.engines.conftest import (
    NODE_DIR,
    Converter,
    missing_pages,
    node_bin,
    run,
    written_posts,
)
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
from wpmigrate.report import Report

pytestmark = pytest.mark.engine

ASTRO_CONFIG = """\
import { defineConfig } from 'astro/config';

// Caches stay in the project, not in the shared node_modules it links to.
export default defineConfig({
\tcacheDir: './.astro-cache',
\tvite: { cacheDir: './.vite-cache' },
});
"""

#: The blog starter's collection as Astro 5's ``create astro --template blog`` writes
#: it, plus a ``pages`` collection for the preset's pages (the starter has none).
CONTENT_CONFIG = """\
import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

const blog = defineCollection({
\t// Load Markdown and MDX files in the `src/content/blog/` directory.
\tloader: glob({ base: './src/content/blog', pattern: '**/*.{md,mdx}' }),
\t// Type-check frontmatter using a schema
\tschema: ({ image }) =>
\t\tz.object({
\t\t\ttitle: z.string(),
\t\t\tdescription: z.string(),
\t\t\t// Transform string to Date object
\t\t\tpubDate: z.coerce.date(),
\t\t\tupdatedDate: z.coerce.date().optional(),
\t\t\theroImage: image().optional(),
\t\t}),
});

const pages = defineCollection({
\tloader: glob({ base: './src/content/pages', pattern: '**/*.{md,mdx}' }),
\tschema: z.object({ title: z.string(), description: z.string().optional() }),
});

export const collections = { blog, pages };
"""

#: The starter's post route, its layout (BlogPost.astro) reduced to what uses the data.
POST_PAGE = """\
---
import { Image } from 'astro:assets';
import { type CollectionEntry, getCollection, render } from 'astro:content';

export async function getStaticPaths() {
\tconst posts = await getCollection('blog');
\treturn posts.map((post) => ({ params: { slug: post.id }, props: post }));
}
type Props = CollectionEntry<'blog'>;

const post = Astro.props;
const { Content } = await render(post);
const { title, description, pubDate, updatedDate, heroImage } = post.data;
---
<html lang="en">
<head><meta charset="utf-8" /><title>{title}</title>
<meta name="description" content={description} /></head>
<body><article>
{heroImage && <Image width={1020} height={510} src={heroImage} alt="" />}
<h1>{title}</h1>
<time datetime={pubDate.toISOString()}>{pubDate.toDateString()}</time>
{updatedDate && <time datetime={updatedDate.toISOString()}>{updatedDate.toDateString()}</time>}
<Content />
</article></body>
</html>
"""

PAGE_PAGE = """\
---
import { getCollection, render } from 'astro:content';

export async function getStaticPaths() {
\tconst pages = await getCollection('pages');
\treturn pages.map((page) => ({ params: { slug: page.id }, props: page }));
}

const page = Astro.props;
const { Content } = await render(page);
---
<html lang="en">
<head><meta charset="utf-8" /><title>{page.data.title}</title></head>
<body><article><h1>{page.data.title}</h1><Content /></article></body>
</html>
"""

PROJECT = {
    "astro.config.mjs": ASTRO_CONFIG,
    "src/content.config.ts": CONTENT_CONFIG,
    "src/pages/blog/[...slug].astro": POST_PAGE,
    "src/pages/[...slug].astro": PAGE_PAGE,
}

_IMG_SRC = re.compile(r'<img[^>]+src="([^"]+)"')


def astro_project(out: Path) -> None:
    """Lay out a minimal Astro project around a conversion's output."""
    for relpath, text in PROJECT.items():
        target = out / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    link = out / "node_modules"
    if not link.exists():
        link.symlink_to(NODE_DIR / "node_modules", target_is_directory=True)


def url_of(path: str) -> str:
    """The URL the preset promises for an entry file (``src/content/blog/a.md`` →
    ``/blog/a/``, ``src/content/pages/about/team.md`` → ``/about/team/``)."""
    stem = path.removesuffix(".md")
    if stem.startswith("src/content/blog/"):
        return "/blog/" + stem.removeprefix("src/content/blog/") + "/"
    return "/" + stem.removeprefix("src/content/pages/") + "/"


def build(out: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``astro build`` the project at ``out``; the built site."""
    astro = node_bin("astro")
    astro_project(out)
    monkeypatch.setenv("ASTRO_TELEMETRY_DISABLED", "1")
    run([astro, "build", "--silent"], out)
    return out / "dist"


def assert_every_entry_built(out: Path, report: Report, site: Path) -> None:
    """Every written post and page has its page, and local hero images exist."""
    posts = written_posts(out, report)
    pages = [item.path for item in report.items
             if item.outcome == "written" and item.type == "page"]
    urls = [url_of(path) for path, _data in posts] + [url_of(path) for path in pages]
    assert missing_pages(site, urls) == []
    missing_images = []
    for path, data in posts:
        if not data.get("heroImage"):
            continue
        html = (site / url_of(path).strip("/") / "index.html").read_text(encoding="utf-8")
        sources = _IMG_SRC.findall(html)
        assert sources, (path, "hero image not rendered")
        hero = sources[0].split("?")[0]
        if hero.startswith("/"):
            if not (site / unquote(hero).lstrip("/")).is_file():
                missing_images.append((path, hero))
        else:
            assert hero == data["heroImage"], path  # a remote URL passes through
    assert missing_images == []


@pytest.mark.parametrize("date_layout", ["", "{year}/{month}"])
def test_astro_builds_every_post_of_the_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, date_layout: str
) -> None:
    """Media copied: heroImage is a path into public/, built by the starter's image()."""
    node_bin("astro")
    report = convert(SAMPLE, ConvertOptions(output=tmp_path, preset="astro", media="copy",
                                            workers=1, date_layout=date_layout))
    assert report.media.missing == []
    heroes = [str(data["heroImage"]) for _p, data in written_posts(tmp_path, report)
              if "heroImage" in data]
    assert heroes and all(h.startswith("../") and "/public/media/" in h for h in heroes)
    site = build(tmp_path, monkeypatch)
    assert_every_entry_built(tmp_path, report, site)
    assert list((site / "_astro").glob("meetup-photo.*")), "hero image not processed"


def test_astro_builds_every_post_of_the_theme_unit_test(
    converted: Converter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Media kept remote: heroImage URLs pass through image()."""
    node_bin("astro")
    out, report = converted("theme-unit-test", "astro")
    site = build(out, monkeypatch)
    assert_every_entry_built(out, report, site)
