"""Report renderers: one function per output format, each ``LinkReport -> str``."""

from __future__ import annotations

from collections.abc import Callable

from wpmigrate.checks.findings import LinkReport
from wpmigrate.checks.render.github import render_github, render_markdown
from wpmigrate.checks.render.junit import render_junit
from wpmigrate.checks.render.machine import render_json
from wpmigrate.checks.render.sarif import render_sarif
from wpmigrate.checks.render.text import render_text

Renderer = Callable[[LinkReport], str]

RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "sarif": render_sarif,
    "github": render_github,
    "markdown": render_markdown,
}

__all__ = ["RENDERERS", "Renderer", "render_github", "render_json", "render_junit",
           "render_markdown", "render_sarif", "render_text"]
