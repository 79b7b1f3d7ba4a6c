"""SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from urllib.parse import quote

from wpmigrate import __version__
from wpmigrate.checks.findings import CATEGORIES, LinkReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULE_TEXT = {
    "broken": "Link or image target does not exist on the served site",
    "anchor": "Link fragment does not match a heading or id of the target page",
    "leftover": "Link still points at the old WordPress site",
    "external": "External link failed the status policy",
}


def _uri(file: str) -> str:
    """A relative URI for repository files, a ``file://`` URI for absolute paths."""
    if PurePosixPath(file).is_absolute():
        return "file://" + quote(file)
    return quote(file)


def render_sarif(report: LinkReport) -> str:
    """Return one SARIF run whose rules are the four finding categories."""
    rules = [
        {"id": c, "name": c.capitalize() + "Link", "shortDescription": {"text": RULE_TEXT[c]},
         "defaultConfiguration": {"level": "error"}}
        for c in CATEGORIES
    ]
    results = []
    for f in report.findings:
        text = f.message + (f" ({f.suggestion})" if f.suggestion else "")
        results.append({
            "ruleId": f.category,
            "ruleIndex": CATEGORIES.index(f.category),
            "level": "error" if f.severity == "error" else "warning",
            "message": {"text": text},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(f.file)},
                "region": {"startLine": f.line, "startColumn": f.col},
            }}],
        })
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "wpmigrate check-links", "version": __version__,
                                "rules": rules}},
            "results": results,
        }],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
