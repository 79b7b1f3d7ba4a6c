"""The served-site model: which URL paths exist, what anchors each page has, what redirects.

Built once per run from the content and static folders, the way the engine will publish
them (Hugo bundles and ``_index.md``, Jekyll ``_posts`` and ``permalink``, or a plain tree
of HTML/Markdown files), plus redirect files and front-matter aliases.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wpmigrate.checks.comments import find_comment_files
from wpmigrate.checks.extract import HTML_SUFFIXES, MARKDOWN_SUFFIXES
from wpmigrate.checks.layout import (
    LOWERCASE_ENGINES,
    SECTION_ENGINES,
    Layout,
    page_url,
)
from wpmigrate.checks.parallel import parse_all
from wpmigrate.checks.parsed import ParsedFile
from wpmigrate.checks.redirects import Redirects, read_redirects
from wpmigrate.checks.urls import join_url, url_key

PAGE_SUFFIXES = MARKDOWN_SUFFIXES + HTML_SUFFIXES
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".wpmigrate-cache", "__pycache__"})

#: ``progress(stage, done, total)``; called from the main thread only.
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class Page:
    """One source page: its file, its served URL and what it contains."""

    file: str  # absolute, resolved path
    display: str  # path shown in findings
    url: str  # directory-style served URL path, e.g. "/posts/slug/"
    parsed: ParsedFile


@dataclass(slots=True)
class SiteModel:
    """Everything the resolver needs to answer "does this link work?" offline."""

    layout: Layout
    pages: list[Page] = field(default_factory=list)
    page_keys: dict[str, int] = field(default_factory=dict)  # url key -> page index
    file_keys: set[str] = field(default_factory=set)  # url keys of static/bundle files
    page_by_path: dict[str, int] = field(default_factory=dict)  # resolved path -> index
    redirects: Redirects = field(default_factory=Redirects)
    old_hosts: tuple[str, ...] = ()
    #: ``(absolute, site-relative)`` paths of the comment data files: checked for their
    #: links, never served (not pages, not files).
    comment_files: list[tuple[str, str]] = field(default_factory=list)

    def register_page(self, page: Page) -> None:
        """Add ``page`` under its URL key (and its lower-cased key, as Hugo serves)."""
        index = len(self.pages)
        self.pages.append(page)
        self.page_by_path[page.file] = index
        key = url_key(page.url)
        self.page_keys.setdefault(key, index)
        if self.layout.engine in LOWERCASE_ENGINES:
            self.page_keys.setdefault(key.lower(), index)


def walk_files(folder: Path) -> Iterator[tuple[str, str]]:
    """``(absolute path, folder-relative posix path)`` of every file under ``folder``.

    Strings rather than Paths, in a stable order, skipping VCS and cache folders: on a
    50k-page site pathlib's parsing alone would cost seconds.
    """
    top = str(folder)
    prefix = len(top) + 1
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        rel_dir = dirpath[prefix:].replace(os.sep, "/")
        for name in sorted(filenames):
            yield os.path.join(dirpath, name), f"{rel_dir}/{name}" if rel_dir else name


def old_hosts_from_report(base: Path) -> tuple[str, ...]:
    """The old site's host from ``wpmigrate-report.json`` (``site.base_url``), if any."""
    report = base / "wpmigrate-report.json"
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
        base_url = data["site"]["base_url"]
    except (OSError, ValueError, KeyError, TypeError):
        return ()
    if not isinstance(base_url, str) or "://" not in base_url:
        return ()
    host = base_url.split("://", 1)[1].split("/", 1)[0].lower()
    return (host,) if host else ()


def build_site(
    layout: Layout,
    explicit_files: list[Path] | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> SiteModel:
    """Walk the layout's folders and return the site model (pages parsed once).

    ``jobs``: processes that parse a large site (1: only this one).
    """
    site = SiteModel(layout=layout)
    site.redirects = read_redirects([layout.base, *layout.static])
    content = layout.content.resolve()
    site.comment_files = find_comment_files(layout.base)
    data_files = {path for path, _ in site.comment_files}
    pages: list[tuple[str, str]] = []
    for path, rel in walk_files(content) if content.is_dir() else ():
        if rel.lower().endswith(PAGE_SUFFIXES) and not _jekyll_skipped(layout, rel):
            pages.append((path, rel))
        elif path not in data_files:
            _add_file(site, "/" + rel)
    for folder in layout.static:
        if folder.resolve() != content and folder.is_dir():
            for path, rel in walk_files(folder.resolve()):
                if path not in data_files:
                    _add_file(site, "/" + rel)
    known = {path for path, _ in pages}
    for explicit in explicit_files or ():
        resolved = str(explicit.resolve())
        if resolved not in known:
            pages.append((resolved, explicit.name))
            known.add(resolved)
    total = len(pages)
    report = None if progress is None else (lambda done: progress("parse", done, total))
    cwd = os.getcwd()
    parsed_pages = parse_all([path for path, _ in pages], jobs, report)
    for (path, rel), parsed in zip(pages, parsed_pages, strict=True):
        if parsed is not None:
            _add_page(site, path, rel, cwd, parsed)
    if progress is not None:
        progress("parse", total, total)
    _register_aliases(site)
    _register_generated(site)
    return site


def _register_generated(site: SiteModel) -> None:
    """Pages the engine makes without a source file: home, sections, terms, feeds."""
    generated = site.file_keys
    generated.update(("", "/index.xml", "/sitemap.xml", "/feed.xml", "/robots.txt"))
    for page in site.pages:
        for taxonomy, term in page.parsed.front.terms:
            generated.add(f"/{taxonomy}")
            generated.add(url_key(f"/{taxonomy}/{_urlize(term)}/"))
    if site.layout.engine not in SECTION_ENGINES:
        return
    for page in site.pages:
        parts = page.url.strip("/").split("/")
        for depth in range(1, len(parts)):
            section = "/" + "/".join(parts[:depth])
            generated.update((section, section.lower(), section + "/index.xml"))


def _urlize(term: str) -> str:
    """Hugo's ``urlize`` of a taxonomy term: lower case, spaces to hyphens."""
    return re.sub(r"\s+", "-", term.strip().lower())


def _jekyll_skipped(layout: Layout, rel: str) -> bool:
    """Jekyll publishes no ``_folder`` except ``_posts`` (and does not render ``_site``)."""
    if layout.engine != "jekyll":
        return False
    first = rel.split("/", 1)[0]
    return first.startswith("_") and first not in ("_posts", "_pages", "_drafts")


def _add_file(site: SiteModel, url: str) -> None:
    key = url_key(url)
    site.file_keys.add(key)
    if site.layout.engine in LOWERCASE_ENGINES:
        site.file_keys.add(key.lower())


def _add_page(site: SiteModel, path: str, rel: str, cwd: str, parsed: ParsedFile) -> None:
    """Register one parsed page (and, outside Hugo/Zola, its file path too)."""
    url = page_url(site.layout, rel, parsed.front.scalars)
    page = Page(file=path, display=display_path(path, cwd), url=url, parsed=parsed)
    site.register_page(page)
    if site.layout.engine not in SECTION_ENGINES:
        site.page_keys.setdefault(url_key("/" + rel), len(site.pages) - 1)


def display_path(path: str, cwd: str) -> str:
    """How findings name a file: relative to the working directory when under it."""
    if path.startswith(cwd + os.sep):
        path = path[len(cwd) + 1 :]
    return path.replace(os.sep, "/")


def _register_aliases(site: SiteModel) -> None:
    """Front-matter aliases are redirects to their page (relative ones to its folder)."""
    for page in site.pages:
        for alias in page.parsed.front.aliases:
            if "://" in alias.url:
                continue
            site.redirects.add(join_url(page.url, alias.url), page.url)
