"""Where an engine keeps pages and static files, and at which URL it serves a page.

Engines: ``hugo`` (``content/`` + ``static/``, bundles, ``_index.md``, ``url``/``slug``),
``zola`` (the same folders, ``path`` front matter), ``jekyll`` (``_posts``, ``permalink``),
``collections`` (Astro ``src/content`` + ``public``, Next.js ``content`` + ``public``:
the ``pages`` collection is served at the root, others under their own name) and
``plain`` (any tree: a file is served at its path, Markdown with clean URLs).
The engine is taken from ``--preset``, else from wpmigrate's report, else guessed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

ENGINES = ("hugo", "zola", "jekyll", "collections", "plain")
#: wpmigrate preset (as written in ``wpmigrate-report.json``) -> engine rules.
PRESET_ENGINES = {
    "hugo": "hugo", "zola": "zola", "jekyll": "jekyll", "astro": "collections",
    "nextjs-mdx": "collections", "pelican": "hugo", "eleventy": "plain", "markdown": "plain",
    "plain": "plain", "collections": "collections",
}
#: Engines that serve lower-cased URLs (Hugo's default ``disablePathToLower = false``).
LOWERCASE_ENGINES = frozenset({"hugo"})
#: Engines whose list pages (sections) are generated from folders.
SECTION_ENGINES = frozenset({"hugo", "zola"})
HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml",
                "archetypes", "layouts", "themes")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_JEKYLL_POST = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")


@dataclass(frozen=True, slots=True)
class Layout:
    """Where pages and static files live, and which engine's URL rules apply."""

    base: Path  # the checked directory (redirect files and the report live here)
    engine: str  # one of ENGINES
    content: Path
    static: tuple[Path, ...]
    base_path: str = "/"  # the site's URL prefix, e.g. "/blog/" for a baseURL with a path


def detect_layout(
    base: Path, preset: str | None, root: Path | None, static: tuple[Path, ...]
) -> Layout:
    """Content and static folders for ``base``; ``root``/``static`` override them."""
    engine = PRESET_ENGINES.get(preset or "") or _report_engine(base) or _guess_engine(base)
    if engine in ("hugo", "zola"):
        content = root or base / "content"
        default_static: tuple[Path, ...] = (base / "static",)
        if _report_preset(base) == "pelican":
            default_static = (content,)
    elif engine == "collections":
        content = root or next((p for p in (base / "src" / "content", base / "content")
                                if p.is_dir()), base)
        default_static = (base / "public",)
    else:
        content = root or base
        default_static = (content,)
    statics = static or tuple(p for p in default_static if p.is_dir())
    return Layout(base=base, engine=engine, content=content, static=statics,
                  base_path=site_base_path(base))


_BASE_URL = re.compile(
    r"""^\s*(?:baseURL|base_url|baseurl)\s*[:=]\s*["']?([^"'\s#]+)""", re.I | re.M)


def site_base_path(base: Path) -> str:
    """The path part of Hugo's ``baseURL``, Zola's ``base_url`` or Jekyll's ``baseurl``
    (links may carry it: ``/blog/posts/x/`` on a site served under ``/blog/``)."""
    for name in ("hugo.toml", "hugo.yaml", "config.toml", "config.yaml", "_config.yml"):
        try:
            text = (base / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        match = _BASE_URL.search(text)
        if match:
            value = match.group(1)
            path = "/" + value.split("://", 1)[1].partition("/")[2] if "://" in value \
                else value
            path = "/" + path.strip("/") + "/"
            return "/" if path == "//" else path
    return "/"


def _report_preset(base: Path) -> str:
    """The preset named in ``wpmigrate-report.json``, or ''."""
    try:
        data = json.loads((base / "wpmigrate-report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    preset = data.get("preset") if isinstance(data, dict) else None
    return preset if isinstance(preset, str) else ""


def _report_engine(base: Path) -> str | None:
    return PRESET_ENGINES.get(_report_preset(base))


def _guess_engine(base: Path) -> str:
    """Hugo when ``content/`` holds Markdown or a Hugo config is there; Jekyll when
    ``_posts``/``_config.yml``; else a plain tree (a mirror's ``content/`` is not Hugo's)."""
    content = base / "content"
    if content.is_dir() and (
        any((base / name).exists() for name in HUGO_CONFIGS)
        or next(content.rglob("*.md"), None) is not None
    ):
        return "hugo"
    if (base / "_posts").is_dir() or (base / "_config.yml").is_file():
        return "jekyll"
    if (base / "src" / "content").is_dir() and (base / "public").is_dir():
        return "collections"
    return "plain"


def page_url(layout: Layout, rel: str, scalars: dict[str, str]) -> str:
    """The URL path at which the engine serves the page at content-relative ``rel``."""
    explicit = scalars.get("url") or scalars.get("permalink")
    if layout.engine == "zola":
        explicit = scalars.get("path") or explicit
    if explicit and ":" not in explicit:
        path = explicit if explicit.startswith("/") else "/" + explicit
        return path if path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path + "/"
    folder, _, name = rel.rpartition("/")
    stem, _, suffix = name.rpartition(".")
    if layout.engine == "collections":
        folder = folder.removeprefix("pages").lstrip("/") if folder.startswith("pages") \
            else folder
    prefix = f"/{folder}/" if folder else "/"
    if layout.engine == "jekyll":
        return _jekyll_url(prefix, stem, scalars)
    if stem in ("index", "_index"):
        return prefix
    if layout.engine == "plain" and "." + suffix in HTML_SUFFIXES:
        return prefix + name
    return prefix + scalars.get("slug", stem) + "/"


def _jekyll_url(prefix: str, stem: str, scalars: dict[str, str]) -> str:
    """Jekyll's default ``date`` permalink for posts; ``name/`` for other pages."""
    post = _JEKYLL_POST.match(stem)
    if prefix.endswith("/_posts/") and post:
        year, month, day, title = post.groups()
        return f"/{year}/{month}/{day}/{scalars.get('slug', title)}/"
    if stem == "index":
        return prefix
    return f"{prefix}{stem}/"
