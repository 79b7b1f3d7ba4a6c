"""JUnit XML (the Ant/Jenkins dialect most CI systems read).

One ``<testcase>`` per finding (errors carry a ``<failure>``, warnings pass with the
message in ``<system-out>``); a clean run has one passing test case so the suite is
never empty.
"""

from __future__ import annotations

from lxml import etree

from wpmigrate.checks.findings import LinkReport

SUITE = "wpmigrate check-links"


def render_junit(report: LinkReport) -> str:
    """Return the report as a ``<testsuites>`` document."""
    failures = len(report.errors)
    tests = max(1, len(report.findings))
    elapsed = f"{report.elapsed:.3f}"
    root = etree.Element("testsuites", name=SUITE, tests=str(tests), failures=str(failures),
                         errors="0", time=elapsed)
    suite = etree.SubElement(root, "testsuite", name=SUITE, tests=str(tests),
                             failures=str(failures), errors="0", skipped="0", time=elapsed)
    if not report.findings:
        etree.SubElement(suite, "testcase", classname="check-links", name="all links",
                         time=elapsed)
    for f in report.findings:
        case = etree.SubElement(
            suite, "testcase", classname=f"check-links.{f.category}",
            name=f"{f.file}:{f.line}:{f.col} {f.url}", file=f.file, line=str(f.line),
            time="0",
        )
        text = f"{f.file}:{f.line}:{f.col}: {f.message}"
        if f.suggestion:
            text += f" ({f.suggestion})"
        if f.severity == "error":
            failure = etree.SubElement(case, "failure", message=f.message, type=f.category)
            failure.text = text
        else:
            etree.SubElement(case, "system-out").text = f"warning: {text}"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                          pretty_print=True).decode("utf-8")
