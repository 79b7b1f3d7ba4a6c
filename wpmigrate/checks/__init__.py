"""``wpmigrate check-links``: find broken links, images, anchors and migration leftovers
in a migrated site (any Markdown or HTML tree), offline, and optionally external links.

    from wpmigrate.checks import CheckOptions, check_links
    report = check_links(["site/"], CheckOptions(external=False))
    report.ok, report.findings
"""

from wpmigrate.checks.api import check_links
from wpmigrate.checks.findings import Finding, Link, LinkReport
from wpmigrate.checks.options import CheckOptions, ExternalPolicy, Severities

__all__ = ["CheckOptions", "ExternalPolicy", "Finding", "Link", "LinkReport", "Severities",
           "check_links"]
