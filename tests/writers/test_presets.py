"""Presets: every preset converts the sample into files its engine can read, the
same input gives the same bytes, and the body filters keep engines from misreading."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import SAMPLE
from wpmigrate.cli import cli
from wpmigrate.frontmatter import parse
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
from wpmigrate.writers.presets import PRESETS
from wpmigrate.writers.presets.astro import astro_fields, hero_image
from wpmigrate.writers.presets.base import Entry
from wpmigrate.writers.presets.jekyll import liquid_safe
from wpmigrate.writers.presets.mdx import mdx_safe
from wpmigrate.writers.taxonomy import hugo_urlize, name_slug

ALL = sorted(PRESETS)


def _convert(out: Path, preset: str, **options: object) -> dict[str, bytes]:
    convert(SAMPLE, ConvertOptions(output=out, preset=preset, workers=1,  # type: ignore[arg-type]
                                   redirects=("netlify", "nginx", "apache"), **options))
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("preset", ALL)
def test_each_preset_writes_parseable_front_matter_and_is_deterministic(
    tmp_path: Path, preset: str
) -> None:
    first = _convert(tmp_path / "a", preset)
    second = _convert(tmp_path / "b", preset)
    assert first == second
    docs = [name for name in first if name.endswith((".md", ".mdx"))]
    assert docs
    for name in docs:
        data, _body = parse(first[name].decode())
        assert data.get("title") or data.get("wordpress_id") is None, name
    assert any(name.endswith("_redirects") for name in first)


@pytest.mark.parametrize("date_layout", ["", "{year}/{month}/{day}"])
def test_astro_entries_fit_the_blog_starter_schema(tmp_path: Path, date_layout: str) -> None:
    """Required strings present; heroImage is a path from the entry to the image's file
    (the starter's ``image()`` resolves it relative to the entry)."""
    files = _convert(tmp_path, "astro", media="copy", date_layout=date_layout)
    posts = [n for n in files if n.startswith("src/content/blog/")]
    assert posts
    heroes = []
    for name in posts:
        data, _ = parse(files[name].decode())
        assert isinstance(data["title"], str) and isinstance(data["description"], str)
        assert "pubDate" in data
        if "heroImage" in data:
            hero = (tmp_path / name).parent / data["heroImage"]
            assert data["heroImage"].startswith("../"), name
            assert (tmp_path / "public" / "media").resolve() in hero.resolve().parents
            assert hero.is_file(), (name, data["heroImage"])
            heroes.append(name)
    assert heroes


def _entry(**changes: object) -> Entry:
    base = Entry(id=1, type="post", title="", slug="a", date=None, modified=None,
                 draft=False, author="", categories=(), tags=(), category_slugs=(),
                 tag_slugs=(), taxonomies={}, summary="", aliases=(), url="/blog/a/",
                 featured_image="/media/2023/07/a.png")
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, "../../../public/media/2023/07/a.png"),
    ({"url": "/blog/2023/07/a/"}, "../../../../../public/media/2023/07/a.png"),
    ({"type": "page", "url": "/about/team/"}, "../../../../public/media/2023/07/a.png"),
    ({"type": "book", "url": "/book/a/"}, "../../../public/media/2023/07/a.png"),
    ({"featured_image": "https://cdn.example/a.png"}, "https://cdn.example/a.png"),
    ({"featured_image": ""}, ""),
])
def test_astro_hero_image_is_relative_to_the_entry_file(
    changes: dict[str, object], expected: str
) -> None:
    assert hero_image(_entry(**changes)) == expected


def test_astro_untitled_entry_keeps_the_required_strings() -> None:
    data = astro_fields(_entry(featured_image=""))
    assert data["title"] == "" and data["description"] == ""
    assert "heroImage" not in data and "author" not in data


def test_zola_front_matter_is_toml_with_taxonomies(tmp_path: Path) -> None:
    files = _convert(tmp_path, "zola")
    text = files["content/posts/socratic-seminar-20.md"].decode()
    data = tomllib.loads(text.split("+++\n")[1])
    assert data["taxonomies"]["tags"] == ["Lightning", "Privacy"]
    assert "/?p=11" not in data.get("aliases", [])
    assert data["path"] == "posts/socratic-seminar-20"


def test_front_matter_and_name_options(tmp_path: Path) -> None:
    files = _convert(tmp_path, "hugo", front_matter="toml", name_by="id",
                     date_layout="{year}/{month}")
    name = "content/posts/2023/07/11/index.md"
    assert files[name].startswith(b"+++\n")
    assert tomllib.loads(files[name].decode().split("+++\n")[1])["url"] == "/posts/2023/07/11/"


def test_hugo_term_pages_carry_descriptions_and_old_urls(tmp_path: Path) -> None:
    files = _convert(tmp_path, "hugo")
    terms = [n for n in files if n.startswith("content/categories/")]
    assert terms
    data = yaml.safe_load(files["content/categories/socratic-seminars/_index.md"]
                          .decode().split("---\n")[1])
    assert "/category/events/socratic-seminars/" in data["aliases"]


def test_liquid_safe_wraps_liquid_delimiters() -> None:
    assert liquid_safe("plain") == "plain"
    wrapped = liquid_safe("a {{ b }} {% endraw %}")
    assert wrapped.startswith("{% raw %}\n") and wrapped.endswith("{% endraw %}\n")
    assert "{% endraw %}{{ '{% endraw %}' }}{% raw %}" in wrapped


@pytest.mark.parametrize(
    ("markdown", "mdx"),
    [
        ("a {b} c", "a \\{b\\} c"),
        ("already \\{ escaped", "already \\{ escaped"),
        ("line<br>break", "line<br /> break".replace(" break", "break")),
        ('<img src="x.png" alt="x">', '<img src="x.png" alt="x" />'),
        ("<!-- note -->", "{/* note */}"),
        ("{/* more */}", "{/* more */}"),
        ("1 < 2 and a<b", "1 \\< 2 and a\\<b"),
        ("<https://a.example/>", "[https://a.example/](https://a.example/)"),
        ('<p class="x">y</p>', '<p className="x">y</p>'),
        ("`{code}` and\n```\n{fenced} <x>\n```", "`{code}` and\n```\n{fenced} <x>\n```"),
        ('<iframe style={{a: "b"}} allowFullScreen></iframe>',
         '<iframe style={{a: "b"}} allowFullScreen></iframe>'),
    ],
)
def test_mdx_safe(markdown: str, mdx: str) -> None:
    assert mdx_safe(markdown) == mdx


def test_term_name_slugs() -> None:
    assert hugo_urlize("Reading &amp; Writing") == "reading-writing"
    assert hugo_urlize("wordpress.tv") == "wordpress.tv"
    assert hugo_urlize("content περιεχόμενο") == "content-περιεχόμενο"
    assert name_slug("wordpress.tv") == "wordpress-tv"


def test_presets_command_lists_every_preset() -> None:
    result = CliRunner().invoke(cli, ["presets"])
    assert result.exit_code == 0
    for name in ALL:
        assert name in result.output


def test_front_matter_override_must_suit_the_engine() -> None:
    from wpmigrate.errors import OptionsError
    from wpmigrate.writers.presets import check_front_matter

    check_front_matter(PRESETS["hugo"], "toml")
    check_front_matter(PRESETS["jekyll"], "")
    with pytest.raises(OptionsError, match="jekyll reads yaml"):
        check_front_matter(PRESETS["jekyll"], "toml")
