"""Media of the theme-unit-test export, downloaded from a local HTTP server.

A folder of generated image files whose paths mirror the export's upload URLs is
served on 127.0.0.1; ``media_base`` (``--media-from``) points the downloader at it.
Every image must end up local, no body may still reference the old uploads, and a
second run must download nothing.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import CORPUS
from wpmigrate.frontmatter import parse
from wpmigrate.media.naming import strip_variant
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert

EXPORT = CORPUS / "wxr" / "wptt-theme-unit-test" / "themeunittestdata.wordpress.xml"
OLD_UPLOADS = re.compile(r"https?://wpthemetestdata\.(?:files\.)?wordpress\.com/"
                         r"(?:wp-content/uploads/)?\d{4}/\d{2}/[^\s\"'<>)\]?/]+"
                         r"\.(?:jpe?g|png|gif|webp|mp3|mp4|m4a|ogg|pdf|zip|docx?|pptx?|xlsx?|mov)",
                         re.IGNORECASE)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No request log on stderr."""


@pytest.fixture
def upload_server(tmp_path: Path) -> Iterator[tuple[str, Path, list[str]]]:
    """(origin, served folder, request log) for a server holding every upload path
    the export mentions, originals and variants, each file with distinct bytes."""
    if not EXPORT.is_file():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    root = tmp_path / "served"
    text = EXPORT.read_text(encoding="utf-8")
    for number, path in enumerate(sorted({unquote(urlsplit(u).path) for u in
                                          OLD_UPLOADS.findall(text)})):
        for rel in {path.lstrip("/"), strip_variant(path.lstrip("/"))}:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"\x89PNG\r\n\x1a\n" + f"{number}:{rel}".encode() * 50)
    requests_seen: list[str] = []

    class Handler(_QuietHandler):
        def do_GET(self) -> None:
            requests_seen.append(self.path)
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root, requests_seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.corpus
def test_theme_unit_test_media_download_is_complete_and_resumable(
    tmp_path: Path, upload_server: tuple[str, Path, list[str]]
) -> None:
    origin, _root, seen = upload_server
    out = tmp_path / "site"
    options = ConvertOptions(output=out, preset="hugo", media="download", workers=1,
                             media_base=origin)
    first = convert(EXPORT, options)
    assert first.media.missing == []
    assert first.media.written > 30
    assert len([p for p in seen]) == first.media.written
    media_files = sorted((out / "static" / "media").rglob("*"))
    assert len([p for p in media_files if p.is_file()]) == first.media.written
    assert not [p for p in media_files if p.name.startswith(".wpm-")]  # no partials
    for item in first.items:
        if item.outcome == "written":
            _data, body = parse((out / item.path).read_text(encoding="utf-8"))
            assert not OLD_UPLOADS.findall(body), item.path
            for ref in re.findall(r"/media/[^\s\"'<>)\]]+", body):
                assert (out / "static" / ref.lstrip("/")).is_file(), (item.path, ref)
    seen.clear()
    second = convert(EXPORT, options)
    assert second.media.written == 0
    assert second.media.present == first.media.written
    assert seen == []  # HEAD requests only
