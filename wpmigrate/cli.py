"""The command line: parse options, call one library function, render, set the exit code.

Only this module prints, draws progress bars or configures logging.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from wpmigrate import __version__
from wpmigrate.config import ConfigError, convert_settings, find_config
from wpmigrate.errors import WpMigrateError
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
from wpmigrate.report import REPORT_NAME, Report
from wpmigrate.writers.presets import PRESETS

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

MAX_WARNINGS_SHOWN = 20
DEFAULTS = ConvertOptions()


@click.group()
@click.version_option(__version__, prog_name="wpmigrate")
def cli() -> None:
    """Move a WordPress site (WXR export or mirrored HTML) onto a static-site engine."""


@cli.command("convert")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--to", "preset", default=DEFAULTS.preset, show_default=True,
              type=click.Choice(sorted(PRESETS)), help="Engine preset to write for.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=DEFAULTS.output,
              show_default=True, help="Output directory.")
@click.option("--source", "source_kind", default=DEFAULTS.source_kind, show_default=True,
              type=click.Choice(["auto", "wxr", "mirror"]), help="Force the kind of input.")
@click.option("--include-drafts", is_flag=True, help="Write drafts, pending, future and "
              "private items too, flagged as drafts.")
@click.option("--front-matter", type=click.Choice(["yaml", "toml"]), default=None,
              help="Front-matter format (default: the preset's).")
@click.option("--name-by", type=click.Choice(["slug", "id"]), default=DEFAULTS.name_by,
              show_default=True, help="Name files after the slug or the WordPress ID.")
@click.option("--date-layout", default="", help="Date folders in post paths, e.g. "
              "'{year}/{month}' (default: the preset's).")
@click.option("--media", type=click.Choice(["auto", "download", "copy", "keep"]),
              default=DEFAULTS.media, show_default=True,
              help="Download media (what is not found locally), only copy them from "
              "--uploads / the mirror, or keep remote URLs. auto: copy for a mirror, "
              "download for an export.")
@click.option("--uploads", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A local copy of wp-content/uploads.")
@click.option("--media-host", "media_hosts", multiple=True,
              help="Another host media may be downloaded from (repeatable).")
@click.option("--media-from", "media_base", default="", help="Fetch uploads from this origin.")
@click.option("--redirects", default=",".join(DEFAULTS.redirects), show_default=True,
              help="Redirect files to write (netlify, cloudflare, nginx, apache; "
              "'none' for none).")
@click.option("--comments", type=click.Choice(["data", "none"]), default=DEFAULTS.comments,
              show_default=True, help="Write each written item's approved comments to a "
              "data file for the engine's templates, or none.")
@click.option("--workers", type=int, default=DEFAULTS.workers, show_default=True,
              help="Worker processes (0: one per CPU core).")
@click.option("--strict", is_flag=True, help="Exit with 1 when there are warnings.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Settings file (default: ./wpmigrate.toml, or [tool.wpmigrate] in "
              "./pyproject.toml); its [convert] keys are the long flag names.")
def convert_command(source: Path, config_path: Path | None, **flags: object) -> None:
    """Convert SOURCE (a WXR export file or a mirrored site's folder)."""
    try:
        options = _options(flags, config_path)
        with _Progress() as progress:
            report = convert(source, options, progress=progress)
    except WpMigrateError as error:
        raise click.ClickException(str(error)) from error
    _render(report, options)
    raise SystemExit(_exit_code(report, options))


def _options(flags: dict[str, object], config_path: Path | None) -> ConvertOptions:
    """Defaults < the config file's [convert] < flags given on the command line."""
    names = str(flags.pop("redirects") or "").split(",")
    flags["redirects"] = tuple(n.strip() for n in names if n.strip() and n.strip() != "none")
    flags["front_matter"] = flags["front_matter"] or ""
    context = click.get_current_context()
    given = {
        name: value
        for name, value in flags.items()
        if context.get_parameter_source(name) is not ParameterSource.DEFAULT
    }
    if config_path is not None and not config_path.is_file():
        raise ConfigError(config_path, "", "config file not found")
    path = config_path or find_config(Path.cwd())
    from_file = convert_settings(path) if path else {}
    return ConvertOptions(**{**from_file, **given})


def _render(report: Report, options: ConvertOptions) -> None:
    warnings = report.warnings()
    for item in report.problem_items():
        if item.outcome == "failed":
            click.echo(f"failed: {item.type} {item.id} ({item.title!r}): {item.reason}", err=True)
    for line in warnings[:MAX_WARNINGS_SHOWN]:
        click.echo(f"warning: {line}", err=True)
    if len(warnings) > MAX_WARNINGS_SHOWN:
        click.echo(f"… and {len(warnings) - MAX_WARNINGS_SHOWN} more warnings in "
                   f"{options.output / REPORT_NAME}", err=True)
    click.echo(summary_line(report, options))


def summary_line(report: Report, options: ConvertOptions) -> str:
    """One line: what was read, written, skipped, failed, and where the report is."""
    totals = report.totals()
    media = report.media
    comments = totals.get("comments_written", 0)
    return (
        f"{totals['items']} items: {totals['written']} written, {totals['skipped']} skipped, "
        f"{totals['failed']} failed; " + (f"comments: {comments} written; " if comments else "")
        + f"media: {media.written} new, {media.present} already there, "
        f"{len(media.missing)} missing; report: {options.output / REPORT_NAME}"
    )


def _exit_code(report: Report, options: ConvertOptions) -> int:
    if report.totals()["failed"]:
        return 1
    return 1 if options.strict and report.warnings() else 0


class _Progress:
    """A progress bar on a terminal; silent otherwise (CI logs stay clean)."""

    def __init__(self) -> None:
        self._bar: ProgressBar[int] | None = None
        self._interactive = click.get_text_stream("stderr").isatty()

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if not self._interactive or phase != "convert" or not total:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label="Converting", file=None)
            self._bar.__enter__()
        bar = self._bar
        bar.update(done - bar.pos)


@cli.command("presets")
def presets_command() -> None:
    """List the engine presets and what each writes."""
    for name in sorted(PRESETS):
        preset = PRESETS[name]
        click.echo(f"{name:12} {preset.description}")
        click.echo(f"{'':12} posts: {preset.post_path}   pages: {preset.page_path}   "
                   f"front matter: {preset.front_matter}")
        if preset.comments_path:
            click.echo(f"{'':12} comments: {preset.comments_path}   in a template: "
                       f"{preset.comments_usage}")
        for note in preset.notes:
            click.echo(f"{'':12} note: {note}")


def _attach_commands() -> None:
    """Commands that live in their own modules."""
    from wpmigrate.cli_checks import check_links_command

    cli.add_command(check_links_command)


_attach_commands()
