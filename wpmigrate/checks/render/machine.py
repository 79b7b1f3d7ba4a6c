"""JSON report: a stable, documented shape for scripts and dashboards."""

from __future__ import annotations

import json
from dataclasses import asdict

from wpmigrate.checks.findings import LinkReport

JSON_VERSION = 1


def render_json(report: LinkReport) -> str:
    """``{"version", "ok", "summary", "findings": [{file, line, column, …}]}``."""
    findings = []
    for finding in report.findings:
        item = asdict(finding)
        item["column"] = item.pop("col")
        findings.append(item)
    data = {
        "version": JSON_VERSION,
        "ok": report.ok,
        "summary": {
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "files_checked": report.files_checked,
            "links_checked": report.links_checked,
            "external_checked": report.external_checked,
            "external_cached": report.external_cached,
            "elapsed_seconds": round(report.elapsed, 3),
            **report.stats,
        },
        "findings": findings,
        "notes": list(report.notes),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
