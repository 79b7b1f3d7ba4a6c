"""GitHub Actions workflow commands (capped) and a Markdown summary of every finding.

GitHub shows only a few annotations per step, so at most ``limit`` are emitted; the full
list goes into the Markdown summary (``$GITHUB_STEP_SUMMARY`` in the CLI).
"""

from __future__ import annotations

from wpmigrate.checks.findings import LinkReport
from wpmigrate.checks.render.text import summary_line

ANNOTATION_LIMIT = 50


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: LinkReport, limit: int = ANNOTATION_LIMIT) -> str:
    """``::error file=…,line=…,col=…,title=…::message`` lines, then a notice if capped."""
    lines = []
    for f in report.findings[:limit]:
        command = "error" if f.severity == "error" else "warning"
        title = _escape_property(f"check-links: {f.category}")
        message = f.message + (f" ({f.suggestion})" if f.suggestion else "")
        lines.append(
            f"::{command} file={_escape_property(f.file)},line={f.line},col={f.col},"
            f"title={title}::{_escape_data(message)}"
        )
    rest = len(report.findings) - limit
    if rest > 0:
        lines.append(f"::notice title=check-links::{rest} more findings are listed in the "
                     "job summary")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: LinkReport) -> str:
    """A Markdown table per file, for job summaries and pull-request comments."""
    out = ["## Link check", "", summary_line(report), ""]
    for file, findings in report.by_file().items():
        out += [f"### `{file}`", "", "| Line | Severity | Category | Link | Problem |",
                "| ---: | --- | --- | --- | --- |"]
        for f in findings:
            problem = f.message + (f" — {f.suggestion}" if f.suggestion else "")
            out.append(f"| {f.line}:{f.col} | {f.severity} | {f.category} | "
                       f"`{_cell(f.url)}` | {_cell(problem)} |")
        out.append("")
    return "\n".join(out) + "\n"
