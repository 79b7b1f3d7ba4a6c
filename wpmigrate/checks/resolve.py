"""Decide, offline, whether each link of each page works on the served site.

Internal links are looked up in the site model (pages, files, redirects, then the file
system relative to the source file, as GitHub-style Markdown links are written);
anchors are checked against the target page's headings and ids; leftovers and external
URLs are separated so that the HTTP checker sees each external URL only once.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from wpmigrate.checks.findings import Category, Finding, Link
from wpmigrate.checks.leftovers import classify, host_of
from wpmigrate.checks.options import CheckOptions
from wpmigrate.checks.site import Page, SiteModel
from wpmigrate.checks.suggest import Suggester
from wpmigrate.checks.urls import join_url, split_url, url_key

_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "callto:", "irc:", "ftp:")
_FOOTNOTE = re.compile(r"^fn(?:ref)?[:\-]?[\w-]+$")
_MAX_HOPS = 5


@dataclass(frozen=True, slots=True)
class Target:
    """What an internal link resolves to: a page (anchors known) or some other file."""

    page: int | None  # index into SiteModel.pages, None for files and generated pages
    via_redirect: str = ""


@dataclass(slots=True)
class ExternalUse:
    """Where one external URL is used, so one HTTP result yields a finding per use."""

    uses: list[tuple[str, Link]] = field(default_factory=list)


@dataclass(slots=True)
class Resolver:
    """Checks the links of pages against one site model."""

    site: SiteModel
    options: CheckOptions
    suggester: Suggester
    exclude: tuple[re.Pattern[str], ...] = ()
    include: tuple[re.Pattern[str], ...] = ()
    externals: dict[str, ExternalUse] = field(default_factory=dict)
    links_checked: int = 0

    @classmethod
    def create(cls, site: SiteModel, options: CheckOptions) -> Resolver:
        """Build a resolver with the option patterns compiled once."""
        return cls(
            site=site,
            options=options,
            suggester=Suggester(site),
            exclude=tuple(re.compile(p) for p in options.exclude),
            include=tuple(re.compile(p) for p in options.include),
        )

    def check_page(self, page: Page) -> list[Finding]:
        """Return the findings of one page; external URLs are collected, not checked."""
        findings: list[Finding | None] = [self._check_alias(page, a)
                                          for a in page.parsed.front.aliases]
        for link in page.parsed.links:
            finding = self.check_link(page, link)
            if finding is not None:
                findings.append(finding)
        return [f for f in findings if f is not None]

    def _check_alias(self, page: Page, alias: Link) -> Finding | None:
        """An alias must be a path, and must not be the URL of another page."""
        if "://" in alias.url:
            path = "/" + alias.url.split("//", 1)[1].partition("/")[2]
            return self._finding(
                page, alias, "broken",
                f"invalid alias: {alias.url} must be a path on this site, not a full URL",
                f"use the path only, e.g. {path}")
        other = self.site.page_keys.get(url_key(join_url(page.url, alias.url.split("?")[0])))
        if "?" not in alias.url and other is not None and self.site.pages[other] is not page:
            return self._finding(
                page, alias, "broken",
                f"alias {alias.url} is also the URL of {self.site.pages[other].display}", "")
        return None

    def check_link(self, page: Page, link: Link) -> Finding | None:
        """Return the finding for one link, or None when it works (or is external)."""
        url = link.url.strip()
        if not url or "{{" in url:
            return None
        if ":" in url[:12] and url.lower().startswith(_SKIP_SCHEMES):
            return None
        if self.exclude and any(p.search(url) for p in self.exclude):
            return None
        self.links_checked += 1
        host = host_of(url) if "//" in url else ""
        leftover = classify(url, self.site.old_hosts, host)
        if leftover is not None:
            return self._leftover(page, link, leftover.reason, leftover.local_path)
        if host:
            if url.lower().startswith(("http://", "https://", "//")):
                self._collect_external(page, link, url)
            return None
        if link.kind == "ref":
            return self._check_ref(page, link)
        return self._check_internal(page, link, url)

    def _collect_external(self, page: Page, link: Link, url: str) -> None:
        if self.include and not any(p.search(url) for p in self.include):
            return
        if url.startswith("//"):
            url = "https:" + url
        key = url.split("#", 1)[0]
        self.externals.setdefault(key, ExternalUse()).uses.append((page.display, link))

    def _check_internal(self, page: Page, link: Link, url: str) -> Finding | None:
        path, query, fragment = split_url(url)
        if not path:
            target: Target | None = Target(self.site.page_by_path.get(page.file))
        else:
            target = self.resolve(page, path, query)
        if target is None:
            noun = "image" if link.kind in ("image", "front-matter") else "link"
            served = join_url(page.url, path)
            suggestion = self.suggester.suggest(served, noun == "image")
            if suggestion and not path.startswith("/"):
                suggestion = _relative_suggestion(suggestion, page.url)
            return self._finding(
                page, link, "broken", f"broken {noun}: {url} does not exist", suggestion)
        if fragment and self.options.check_anchors and target.page is not None:
            return self._check_anchor(page, link, target.page, unquote(fragment))
        return None

    def resolve(self, page: Page, path: str, query: str = "") -> Target | None:
        """Find what ``path`` (relative to ``page``) is served as, or None."""
        served = join_url(page.url, path)
        hit = self._lookup(served, query)
        if hit is not None:
            return hit
        prefix = self.site.layout.base_path
        if prefix != "/" and path.startswith(prefix):  # written with the site's base path
            hit = self._lookup(path[len(prefix) - 1 :], query)
            if hit is not None:
                return hit
        return self._on_disk(Path(page.file).parent / unquote(path))

    def _lookup(self, served: str, query: str = "", hops: int = 0) -> Target | None:
        site = self.site
        key = url_key(served)
        if query and site.redirects.target(served, query) is not None:
            return self._follow(site.redirects.target(served, query) or "", hops)
        found = self._find_key(key)
        if found is not None:
            return found
        redirect = site.redirects.target(served)
        if redirect is None:
            return None
        return self._follow(redirect, hops)

    def _find_key(self, key: str) -> Target | None:
        """A page or file at ``key``, trying clean-URL variants only when needed."""
        site = self.site
        index = site.page_keys.get(key)
        if index is not None:
            return Target(index)
        if key in site.file_keys:
            return Target(None)
        for candidate in (_strip_ext(key), key + ".html"):
            index = site.page_keys.get(candidate)
            if index is not None:
                return Target(index)
            if candidate in site.file_keys:
                return Target(None)
        return None

    def _follow(self, redirect: str, hops: int) -> Target | None:
        """Follow an internal redirect (bounded), keeping the page for anchor checks."""
        if hops >= _MAX_HOPS:
            return None
        if host_of(redirect):
            return Target(None, via_redirect=redirect)
        path, query, _ = split_url(redirect)
        followed = self._lookup(path, query, hops + 1)
        if followed is None:
            return None  # a redirect to nowhere is still broken
        return Target(followed.page, via_redirect=redirect)

    def _on_disk(self, candidate: Path) -> Target | None:
        """File-relative resolution: ``../other/index.md`` as written on GitHub."""
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError):
            return None
        index = self.site.page_by_path.get(str(resolved))
        if index is not None:
            return Target(index)
        if resolved.is_file():
            return Target(None)
        if resolved.is_dir():
            for name in ("index.md", "_index.md", "index.html", "README.md"):
                index = self.site.page_by_path.get(str(resolved / name))
                if index is not None:
                    return Target(index)
        return None

    def _check_ref(self, page: Page, link: Link) -> Finding | None:
        """Hugo ``ref``/``relref`` shortcodes name content files, not URLs."""
        path, _, fragment = link.url.partition("#")
        content = self.site.layout.content
        bases = [content] if path.startswith("/") else [Path(page.file).parent, content]
        for base in bases:
            target = self._on_disk(base / path.lstrip("/")) if path else Target(
                self.site.page_by_path.get(page.file))
            if target is not None:
                if fragment and target.page is not None:
                    return self._check_anchor(page, link, target.page, fragment)
                return None
        return self._finding(page, link, "broken", f"broken ref: {link.url} does not exist", "")

    def _check_anchor(self, page: Page, link: Link, index: int, fragment: str) -> Finding | None:
        target = self.site.pages[index]
        anchors = target.parsed.anchors
        if fragment in anchors or fragment == "top" or _FOOTNOTE.match(fragment):
            return None
        where = "this page" if target is page else target.display
        return self._finding(
            page, link, "anchor", f"missing anchor: #{fragment} not found in {where}",
            self.suggester.suggest_anchor(fragment, anchors),
        )

    def _leftover(self, page: Page, link: Link, reason: str, local: str) -> Finding | None:
        """A leftover, with the new URL as suggestion when the old one still resolves."""
        path, query, fragment = split_url(local)
        target = self._lookup(join_url(page.url, path), query) if path else None
        suggestion = ""
        if target is not None:
            new = self.site.pages[target.page].url if target.page is not None else ""
            new = new or (target.via_redirect.split("?")[0] if target.via_redirect else "")
            new = new or join_url(page.url, path)
            if classify(new, self.site.old_hosts) is None:  # never suggest another leftover
                suggestion = f"use {new}{'#' + fragment if fragment else ''} instead"
        return self._finding(page, link, "leftover", f"leftover: {link.url} is {reason}",
                             suggestion)

    def _finding(
        self, page: Page, link: Link, category: Category, message: str, suggestion: str
    ) -> Finding | None:
        severity = self.options.severities.of(category)
        if severity == "ignore":
            return None
        return Finding(page.display, link.line, link.col, link.url, category, severity,
                       message, suggestion)


def _relative_suggestion(suggestion: str, page_url: str) -> str:
    """Rewrite ``did you mean /a/b/?`` relative to the page, as the link was written."""
    target = suggestion.removeprefix("did you mean ").removesuffix("?")
    directory = page_url if page_url.endswith("/") else page_url.rsplit("/", 1)[0] + "/"
    relative = posixpath.relpath(target, directory)
    if target.endswith("/") and not relative.endswith("/"):
        relative += "/"
    return f"did you mean {relative}?"


def _strip_ext(key: str) -> str:
    """``/a/b.html`` or ``/a/b.md`` → ``/a/b`` (clean URLs; links to Markdown sources)."""
    for ext in (".html", ".htm", ".md"):
        if key.endswith(ext):
            key = key[: -len(ext)]
            break
    for index in ("/index", "/_index"):
        if key.endswith(index):
            return key[: -len(index)]
    return key
