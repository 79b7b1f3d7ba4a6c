"""Check the links inside the comment data files, exactly as links in pages are.

Each comment's ``content`` goes through the pages' Markdown extraction; its links are
moved to their place in the data file and handed to :meth:`Resolver.check_link` as if
written on the item's page (the page whose front matter has the file's
``wordpress_id``), so relative links resolve from that page; without such a page, from
the site root. Findings name the data file, and their message starts with
``comment <id>:``. The files are not pages: nothing here adds served URLs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from wpmigrate.checks.comments import CommentFile, CommentText, read_comment_file
from wpmigrate.checks.findings import Finding, Link, Severity
from wpmigrate.checks.markdown import parse_markdown
from wpmigrate.checks.parsed import ParsedFile
from wpmigrate.checks.resolve import Resolver
from wpmigrate.checks.site import Page, SiteModel, display_path

#: ``(file shown, line, col, url)`` of a link in a comment -> that comment's ID.
Labels = dict[tuple[str, int, int, str], str]


@dataclasses.dataclass(slots=True)
class CommentLinks:
    """Checks comment files against one resolver; remembers which link is whose."""

    resolver: Resolver
    cwd: str
    labels: Labels = dataclasses.field(default_factory=dict)
    files_checked: int = 0
    _owners: dict[str, int] | None = None

    def check_files(self, files: Iterable[tuple[str, str]]) -> list[Finding]:
        """Findings of the comment files ``(absolute, site-relative)`` (unlabelled:
        see :meth:`label`; external URLs are only collected, as for pages)."""
        findings: list[Finding] = []
        for path, rel in files:
            self.files_checked += 1
            findings.extend(self.check_file(read_comment_file(path, rel)))
        return findings

    def check_file(self, data: CommentFile) -> list[Finding]:
        """The findings of one parsed comment file, its read problem first."""
        display = display_path(data.path, self.cwd)
        findings = [] if not data.problem else [_problem(data, display)]
        page = self._page_for(data.wordpress_id, display)
        for comment in data.comments:
            for link in _links(comment):
                self.labels[(display, link.line, link.col, link.url)] = comment.ident
                finding = self.resolver.check_link(page, link)
                if finding is not None:
                    findings.append(finding)
        return findings

    def label(self, findings: Iterable[Finding]) -> list[Finding]:
        """Prefix ``comment <id>: `` to the message of every finding in a comment."""
        labelled = []
        for finding in findings:
            ident = self.labels.get((finding.file, finding.line, finding.col, finding.url))
            if ident is not None:
                finding = dataclasses.replace(
                    finding, message=f"comment {ident}: {finding.message}")
            labelled.append(finding)
        return labelled

    def _page_for(self, wordpress_id: str, display: str) -> Page:
        """A stand-in page shown as the data file, served where the item's page is."""
        site = self.resolver.site
        if self._owners is None:
            self._owners = _owners(site)
        index = self._owners.get(wordpress_id)
        if index is None:
            root = str(site.layout.content.resolve() / ".comments")
            return Page(file=root, display=display, url="/", parsed=ParsedFile())
        owner = site.pages[index]
        return Page(file=owner.file, display=display, url=owner.url, parsed=owner.parsed)


def _owners(site: SiteModel) -> dict[str, int]:
    """WordPress ID (as written in front matter) -> page index, first page wins."""
    owners: dict[str, int] = {}
    for index, page in enumerate(site.pages):
        wordpress_id = page.parsed.front.scalars.get("wordpress_id")
        if wordpress_id:
            owners.setdefault(wordpress_id, index)
    return owners


def _links(comment: CommentText) -> list[Link]:
    """The comment's links, at their line and column in the data file.

    A leading newline stops a text that starts with ``---`` from being read as front
    matter. In a YAML literal block each text line is a file line; otherwise the link is
    placed on the text's first line, at its offset in the whole text.
    """
    parsed = parse_markdown("\n" + comment.content)
    starts = _line_starts(comment.content)
    links = []
    for link in parsed.links:
        line = link.line - 1  # 1-based line within the comment text
        if comment.block:
            place = (comment.line + line - 1, comment.col + link.col - 1)
        else:
            offset = starts[line - 1] + link.col - 1 if line <= len(starts) else 0
            place = (comment.line, comment.col + offset)
        links.append(Link(link.url, place[0], place[1], link.kind))
    return links


def _line_starts(text: str) -> list[int]:
    """0-based offset of the start of each line of ``text``."""
    starts = [0]
    starts.extend(i + 1 for i, char in enumerate(text) if char == "\n")
    return starts


def _problem(data: CommentFile, display: str) -> Finding:
    """A file that does not parse fails the run (the engine cannot read it either); a
    file with the wrong shape is a warning."""
    severity: Severity = "error" if data.fatal else "warning"
    return Finding(display, data.problem_line, 1, "", "broken", severity,
                   f"comment file: {data.problem}", "")

