"""``wpmigrate check-links``: the click wrapper around :func:`check_links`.

Exit codes: 0 nothing broken, 1 something broken (an error-severity finding), 2 usage or
configuration error. Options given here override the config file, which overrides the
defaults.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any, NoReturn

import click

from wpmigrate.checks.api import check_links
from wpmigrate.checks.config import ConfigError, apply_config, find_config, load_section
from wpmigrate.checks.findings import CATEGORIES, SEVERITIES, Severity
from wpmigrate.checks.layout import PRESET_ENGINES
from wpmigrate.checks.options import CheckOptions
from wpmigrate.checks.render import RENDERERS
from wpmigrate.checks.render.github import render_github, render_markdown
from wpmigrate.errors import WpMigrateError

EXIT_OK, EXIT_BROKEN, EXIT_USAGE = 0, 1, 2


def _fail(message: str) -> NoReturn:
    """Print a usage/configuration error and exit with 2."""
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(EXIT_USAGE)


def _load_options(config: Path | None) -> CheckOptions:
    """Defaults updated by the config file (explicit, or found in the working directory)."""
    options = CheckOptions()
    if config is not None and not config.is_file():
        _fail(f"{config}: config file not found")
    path = config or find_config(Path.cwd())
    if path is None:
        return options
    return apply_config(options, load_section(path), path)


def _severity_overrides(values: tuple[str, ...], options: CheckOptions) -> CheckOptions:
    changes: dict[str, Severity] = {}
    for value in values:
        category, _, level = value.partition("=")
        if category not in CATEGORIES or level not in SEVERITIES:
            _fail(f"--severity {value}: use CATEGORY=LEVEL with CATEGORY one of "
                  f"{', '.join(CATEGORIES)} and LEVEL one of {', '.join(SEVERITIES)}")
        changes[category] = level
    if not changes:
        return options
    return dataclasses.replace(
        options, severities=dataclasses.replace(options.severities, **changes))


def _check_patterns(name: str, patterns: tuple[str, ...]) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            _fail(f"{name} {pattern!r}: not a valid regular expression ({exc})")


def _cli_options(options: CheckOptions, kw: dict[str, Any]) -> CheckOptions:
    """Apply the command-line options on top of the configured ones."""
    changes: dict[str, Any] = {"external": kw["external"] or options.external}
    for key in ("preset", "root"):
        if kw[key] is not None:
            changes[key] = kw[key]
    if kw["static"]:
        changes["static"] = tuple(kw["static"])
    for key in ("old_host", "include", "exclude"):
        if kw[key]:
            field = "old_hosts" if key == "old_host" else key
            changes[field] = (*getattr(options, field), *kw[key])
    if kw["jobs"] is not None:
        changes["jobs"] = kw["jobs"]
    if kw["cache"] is not None:
        changes["cache_path"] = kw["cache"]
    policy: dict[str, Any] = {}
    if kw["timeout"] is not None:
        policy.update(connect_timeout=kw["timeout"], read_timeout=kw["timeout"])
    for key, field in (("retries", "retries"), ("per_host", "per_host_concurrency"),
                       ("workers", "max_workers"), ("cache_ttl", "cache_ttl")):
        if kw[key] is not None:
            policy[field] = kw[key]
    if kw["no_cache"]:
        policy["cache_ttl"] = 0.0
    if policy:
        changes["policy"] = dataclasses.replace(options.policy, **policy)
    return _severity_overrides(kw["severity"], dataclasses.replace(options, **changes))


@click.command("check-links")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--external", is_flag=True, help="Also check http(s) links over the network.")
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text",
              show_default=True, help="Report format.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write the report to this file instead of standard output.")
@click.option("--config", type=click.Path(path_type=Path),
              help="Config file (default: ./wpmigrate.toml or [tool.wpmigrate] in pyproject).")
@click.option("--preset", type=click.Choice(sorted(PRESET_ENGINES)),
              help="How the site is served (default: from wpmigrate-report.json, else "
                   "detected from the folder).")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False),
              help="Content folder (default: content/ for Hugo, else the folder itself).")
@click.option("--static", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Static folder served at / (repeatable).")
@click.option("--old-host", multiple=True, help="Host of the old WordPress site (repeatable).")
@click.option("--include", multiple=True, help="Regex: only check matching external URLs.")
@click.option("--exclude", multiple=True, help="Regex: do not check matching URLs.")
@click.option("--severity", multiple=True, metavar="CATEGORY=LEVEL",
              help="e.g. leftover=warning (broken, anchor, leftover, external).")
@click.option("--cache", type=click.Path(path_type=Path),
              help="External-link cache file (default: DIR/.wpmigrate-cache/links.json).")
@click.option("--cache-ttl", type=click.FloatRange(min=0), help="Seconds a success is cached.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds per request.")
@click.option("--retries", type=click.IntRange(min=0), help="Retries on 429/5xx/timeouts.")
@click.option("--per-host", type=click.IntRange(min=1), help="Parallel requests per host.")
@click.option("--workers", type=click.IntRange(min=1), help="Parallel requests in all.")
@click.option("--jobs", type=click.IntRange(min=1),
              help="Processes that parse a large site (default 1).")
@click.option("--annotations-limit", type=click.IntRange(min=0), default=50, show_default=True,
              help="Maximum GitHub annotations (the rest go to the step summary).")
def check_links_command(**kw: Any) -> None:
    """Check the links, images and anchors of a migrated site (Markdown or HTML).

    Exit code 0 when nothing is broken, 1 when something is, 2 for a usage error.
    """
    _check_patterns("--include", kw["include"])
    _check_patterns("--exclude", kw["exclude"])
    try:
        options = _cli_options(_load_options(kw["config"]), kw)
        _check_patterns("include", options.include)
        _check_patterns("exclude", options.exclude)
        report = check_links(list(kw["paths"]) or [Path(".")], options)
    except ConfigError as exc:
        _fail(str(exc))
        return
    except WpMigrateError as exc:
        _fail(str(exc))
        return
    if kw["fmt"] == "github":
        text = render_github(report, kw["annotations_limit"])
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file and report.findings:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(render_markdown(report))
    else:
        text = RENDERERS[kw["fmt"]](report)
    if kw["output"] is not None:
        kw["output"].write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    raise SystemExit(EXIT_OK if report.ok else EXIT_BROKEN)
