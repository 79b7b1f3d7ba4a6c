"""``convert``: the whole migration as one library call.

Read the site, build the index while storing every item in the spool (pass 1),
transform and write every item from the spool (pass 2),
bring in the media, write the engine's config and the redirects, then account for
everything in ``wpmigrate-report.json``. The CLI only renders what this returns.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from pathlib import Path

from wpmigrate.background import Background
from wpmigrate.errors import OptionsError, OutputError
from wpmigrate.index import SiteIndex
from wpmigrate.indexstore import IndexStore
from wpmigrate.media.fetch import materialize
from wpmigrate.media.local import UploadsLocator, find_uploads_beside
from wpmigrate.options import ConvertOptions, MediaMode
from wpmigrate.pass1 import read_and_index
from wpmigrate.pass2 import Job, in_parallel, run_pass2
from wpmigrate.report import REPORT_NAME, ItemLog, Report
from wpmigrate.sources import Source, open_source
from wpmigrate.spool import ItemSpool
from wpmigrate.writers.outputlock import OutputLock, remove_leftover_temps
from wpmigrate.writers.presets import Preset, check_front_matter, get_preset
from wpmigrate.writers.redirects import FORMATS as REDIRECT_FORMATS
from wpmigrate.writers.redirects import redirect_files
from wpmigrate.writers.safe import SafeWriter
from wpmigrate.writers.taxonomy import write_term_pages

Progress = Callable[[str, int, int | None], None]
COMMENT_MODES = ("data", "none")


def convert(
    source_path: Path, options: ConvertOptions, progress: Progress | None = None
) -> Report:
    """Migrate ``source_path`` (a WXR file or a mirror folder) into ``options.output``.

    Raises ``SourceError``/``OptionsError``/``OutputError`` for problems that stop the
    whole run; problems with single items end up in the report instead.
    """
    preset = resolve_preset(options)
    source = open_source(Path(source_path), options.source_kind, options.workers)
    if options.media == "auto":
        mode: MediaMode = "copy" if source.kind == "mirror" else "download"
        options = dataclasses.replace(options, media=mode)
    data = source.read_site()
    locator = source.media_locator() or _uploads_locator(Path(source_path), options)
    originals = locator.originals() if locator else []
    writer = _open_output(options.output)
    # (the lock first: it deletes scratch files that killed runs left in the output)
    with (
        OutputLock(writer.root),
        IndexStore(writer.root) as store,
        _Earlier(writer.root) as earlier,
    ):
        index, spool = read_and_index(source, data, preset, options, originals, store)
        with spool:
            if options.media == "copy" and locator is not None:
                index.media_available = lambda url: locator.locate(url) is not None
            if progress:
                progress("index", index.item_count, index.item_count)
            job = Job(index, writer, source.kind == "mirror", options.include_drafts,
                      str(source_path), comments=options.comments == "data")
            log = ItemLog(writer.root)
            # the redirects, term pages and config need only the index: when pass 2
            # runs in worker processes, another process writes them meanwhile
            forked = in_parallel(len(index.planned), options.workers)
            with Background(_write_extras, writer, preset, index, options, forked=forked) as extras:
                media_urls = _convert_items(spool, job, log, earlier, options.workers, progress)
                files = extras.result()
        log.extend(source.extra_report())
        report = Report(str(source_path), source.kind, preset.name, data.site, items=log)
        report.lost = source.lost_data()
        report.media = materialize(_needed_media(media_urls, index), writer, locator, options)
        report.files = files
        report.redirects = len(index.redirects)
        report.stale = earlier.stale(report.files)
        writer.write_chunks(REPORT_NAME, report.iter_json())
    return report


def _convert_items(
    spool: ItemSpool,
    job: Job,
    log: ItemLog,
    earlier: _Earlier,
    workers: int,
    progress: Progress | None,
) -> dict[str, None]:
    """Pass 2: every item's report line into ``log``; the media URLs referenced."""
    media_urls: dict[str, None] = {}
    for outcome in run_pass2(spool, job, workers, progress):
        log.append(outcome.report, outcome.report_json)
        media_urls.update(dict.fromkeys(outcome.media))
        if outcome.report.outcome == "written":
            earlier.rewritten(outcome.report.path)
    return media_urls


class _Earlier:
    """Markdown files an earlier run left in the output: those this run does not write
    again are reported as ``stale``. Kept in their own scratch database (a rerun of a
    50k-post site finds 50k files), written only in this process."""

    def __init__(self, root: Path) -> None:
        self._store: IndexStore | None = None
        self._files: MutableMapping[str, str] = {}
        paths = _existing_files(root)
        first = next(paths, None)
        if first is None:
            return
        self._store = IndexStore(root)
        self._store.begin()
        self._files = self._store.map("earlier", "TEXT", pickled=False)
        for path in (first, *paths):
            self._files[path] = ""

    def rewritten(self, path: str) -> None:
        if self._store is not None:  # (a fresh output has nothing to cross off)
            self._files.pop(path, None)

    def stale(self, also_written: Iterable[str]) -> list[str]:
        """The earlier files not written now, sorted (the table iterates in order)."""
        for path in also_written:
            self._files.pop(path, None)
        return list(self._files)

    def __enter__(self) -> _Earlier:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._store is not None:
            self._store.close()


def _uploads_locator(source_path: Path, options: ConvertOptions) -> UploadsLocator | None:
    """``--uploads DIR``, else an uploads folder found beside the export file."""
    folder = options.uploads or find_uploads_beside(source_path)
    return UploadsLocator(folder) if folder else None


def resolve_preset(options: ConvertOptions) -> Preset:
    """The preset named in the options, with the options' overrides applied."""
    preset = get_preset(options.preset)
    check_front_matter(preset, options.front_matter)
    unknown = sorted(set(options.redirects) - set(REDIRECT_FORMATS))
    if unknown:
        raise OptionsError(
            f"unknown redirect format(s) {', '.join(unknown)}; "
            f"choose from {', '.join(REDIRECT_FORMATS)}"
        )
    if options.comments not in COMMENT_MODES:
        raise OptionsError(
            f"unknown comments mode {options.comments!r}; choose from {', '.join(COMMENT_MODES)}"
        )
    if options.front_matter:
        # (check_front_matter has just accepted the format: one the preset's engine reads)
        preset = dataclasses.replace(preset, front_matter=options.front_matter)  # type: ignore[arg-type]
    return preset


def _open_output(output: Path) -> SafeWriter:
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output} exists and is not a directory; choose another -o")
    output.mkdir(parents=True, exist_ok=True)
    return SafeWriter(output)


def _existing_files(root: Path) -> Iterator[str]:
    """Markdown files already in the output (from an earlier run), relative paths; on
    the way, the temporary files a killed run left are deleted (the caller holds the
    output's lock)."""
    top = str(root)
    for folder, subfolders, names in os.walk(top):
        if "node_modules" in subfolders:
            subfolders.remove("node_modules")
        remove_leftover_temps(folder, names)
        relative = os.path.relpath(folder, top).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        for name in names:
            if name.endswith((".md", ".mdx")):
                yield prefix + name


def _needed_media(referenced: Iterable[str], index: SiteIndex) -> dict[str, str]:
    """Every media URL the written files reference, and every attachment's file,
    → its output path. Variants of one original share one path: the first URL seen
    for a path (attachments first, in ID order) is the one fetched."""
    if index.keep_media:
        return {}
    needed: dict[str, str] = {}
    taken: set[str] = set()
    urls = [m.url for _id, m in sorted(index.attachments.items()) if m.url]
    urls += referenced
    for url in urls:
        new = index.media_url(url, require_local=False)  # missing ones get reported
        if new and url not in needed:
            path = _media_output_path(index, new)
            if path not in taken:
                taken.add(path)
                needed[url] = path
    return needed


def _media_output_path(index: SiteIndex, new_url: str) -> str:
    """``/media/2023/07/a.jpg`` → ``static/media/2023/07/a.jpg`` (per the preset)."""
    parts = [p for p in (index.preset.static_dir, new_url.strip("/")) if p]
    return "/".join(parts)


def _write_extras(
    writer: SafeWriter, preset: Preset, index: SiteIndex, options: ConvertOptions
) -> list[str]:
    """The engine's config files (only when absent: the user's edits win), the term
    pages and the redirect files for the hosts asked for (``--redirects``)."""
    written = []
    for relpath, text in sorted(preset.extra_files(index.custom_taxonomies).items()):
        if not writer.target(relpath).exists():
            writer.write_text(relpath, text)
        written.append(relpath)
    written += write_term_pages(writer, index)
    if preset.redirect_pages:
        taken = frozenset(p.url for p in index.planned.values()) | {t.url for t in index.terms}
        for relpath, text in sorted(preset.redirect_pages(index.redirects, taken).items()):
            writer.write_text(relpath, text)
            written.append(relpath)
    static = preset.static_dir
    for name, lines in redirect_files(options.redirects, index.redirects):
        relpath = f"{static}/{name}" if static and name == "_redirects" else name
        writer.write_chunks(relpath, lines)
        written.append(relpath)
    return sorted(written)


__all__ = ["Source", "convert"]
