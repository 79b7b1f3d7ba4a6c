"""What parsing one source file yields, shared by the Markdown and HTML readers."""

from __future__ import annotations

from dataclasses import dataclass, field

from wpmigrate.checks.findings import Link
from wpmigrate.checks.frontmatter import FrontMatter


@dataclass(slots=True)
class ParsedFile:
    """One source file's links, anchors and front matter."""

    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    front: FrontMatter = field(default_factory=FrontMatter)
