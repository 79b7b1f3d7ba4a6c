"""Human-readable report: findings grouped by file, with suggestions, then a summary."""

from __future__ import annotations

from wpmigrate.checks.findings import LinkReport


def summary_line(report: LinkReport) -> str:
    """One line saying whether the site passed and what was checked."""
    errors, warnings = len(report.errors), len(report.warnings)
    links, checked = report.links_checked, report.files_checked
    scope = f"{links} {_plural(links, 'link')} in {checked} {_plural(checked, 'file')}"
    if report.external_checked or report.external_cached:
        scope += (f", {report.external_checked} external URLs requested, "
                  f"{report.external_cached} from cache")
    if not errors and not warnings:
        return f"OK: no broken links ({scope}, {report.elapsed:.2f}s)"
    files = len(report.by_file())
    verdict = "FAILED" if errors else "OK"
    return (f"{verdict}: {errors} {_plural(errors, 'error')}, {warnings} "
            f"{_plural(warnings, 'warning')} in {files} {_plural(files, 'file')} "
            f"({scope}, {report.elapsed:.2f}s)")


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def render_text(report: LinkReport) -> str:
    """``file`` headers, then ``line:col  severity  message  [category]`` per finding."""
    lines: list[str] = []
    for file, findings in report.by_file().items():
        lines.append(file)
        for f in findings:
            lines.append(f"  {f.line}:{f.col}  {f.severity:<7}  {f.message}  [{f.category}]")
            if f.suggestion:
                lines.append(f"      {f.suggestion}")
        lines.append("")
    lines.extend(f"note: {note}" for note in report.notes)
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
