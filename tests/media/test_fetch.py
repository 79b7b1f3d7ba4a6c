"""Downloads: retries, no partial files, resumable; copies; URL candidates; naming."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NameResolutionError

from wpmigrate.media.download import DeadHosts, describe_failure, fetch, make_session
from wpmigrate.media.fetch import candidates, materialize
from wpmigrate.media.local import UploadsLocator
from wpmigrate.media.naming import MediaNamer, strip_variant, uploads_relpath
from wpmigrate.options import ConvertOptions
from wpmigrate.urls import rebase
from wpmigrate.writers.safe import SafeWriter

BODY = b"0123456789" * 1000


class _Handler(BaseHTTPRequestHandler):
    """/ok: the file; /flaky: 503 twice, then the file; /short: announces more bytes
    than it sends; anything else: 404. Every request is logged on the server."""

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def _reply(self, head: bool) -> None:
        server = self.server
        server.seen.append((self.command, self.path))  # type: ignore[attr-defined]
        flaky = sum(1 for _m, p in server.seen if p == "/flaky")  # type: ignore[attr-defined]
        if self.path == "/flaky" and flaky <= 2:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path not in ("/ok", "/flaky", "/short"):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY) + (50 if self.path == "/short" else 0)))
        self.end_headers()
        if not head:
            self.wfile.write(BODY)

    def do_GET(self) -> None:
        self._reply(head=False)

    def do_HEAD(self) -> None:
        self._reply(head=True)


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _url(server: ThreadingHTTPServer, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


def test_download_retries_then_resumes_without_refetching(
    server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    target = tmp_path / "a" / "file.bin"
    with make_session(2) as session:
        assert fetch(session, (_url(server, "/flaky"),), target).status == "written"
        assert target.read_bytes() == BODY
        assert [p for _m, p in server.seen] == ["/flaky"] * 3  # type: ignore[attr-defined]
        other = tmp_path / "b" / "file.bin"
        assert fetch(session, (_url(server, "/ok"),), other).status == "written"
        server.seen.clear()  # type: ignore[attr-defined]
        assert fetch(session, (_url(server, "/ok"),), other).status == "present"
    assert server.seen == [("HEAD", "/ok")]  # type: ignore[attr-defined]


def test_truncated_download_leaves_nothing_behind(
    server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    target = tmp_path / "file.bin"
    with make_session(1) as session:
        result = fetch(session, (_url(server, "/short"),), target)
    assert result.status == "missing"
    assert list(tmp_path.iterdir()) == []


def test_falls_back_to_the_next_candidate(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    target = tmp_path / "file.bin"
    with make_session(1) as session:
        result = fetch(session, (_url(server, "/gone"), _url(server, "/ok")), target)
    assert result.status == "written"


def _closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _CountingSession(requests.Session):
    """A session without retries that counts the requests it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[str] = []

    def request(self, method: str | bytes, url: str | bytes, *args: object, **kw: object):  # type: ignore[no-untyped-def, override]
        self.sent.append(str(url))
        return super().request(method, url, *args, **kw)  # type: ignore[arg-type]


def test_an_unreachable_host_is_given_up_after_its_first_failure(tmp_path: Path) -> None:
    dead_origin = f"http://127.0.0.1:{_closed_port()}"
    dead = DeadHosts()
    reason = f"cannot connect to {dead_origin[7:]} (connection refused or unreachable)"
    with _CountingSession() as session:
        first = fetch(session, (f"{dead_origin}/a.jpg", f"{dead_origin}/a-300x200.jpg"),
                      tmp_path / "a.jpg", dead)
        assert (first.status, first.detail) == ("missing", reason)
        assert session.sent == [f"{dead_origin}/a.jpg"]  # the second candidate: same host
        second = fetch(session, (f"{dead_origin}/b.jpg",), tmp_path / "b.jpg", dead)
        assert (second.status, second.detail) == ("missing", reason)
        assert session.sent == [f"{dead_origin}/a.jpg"]  # nothing more was sent
    assert list(tmp_path.iterdir()) == []


def test_a_file_already_there_stays_present_when_its_host_is_gone(tmp_path: Path) -> None:
    dead_origin = f"http://127.0.0.1:{_closed_port()}"
    target = tmp_path / "a.jpg"
    target.write_bytes(b"from an earlier run")
    dead = DeadHosts()
    with _CountingSession() as session:
        assert fetch(session, (f"{dead_origin}/a.jpg",), target, dead).status == "present"
        assert dead.reason(f"{dead_origin}/b.jpg")  # its size could not be asked for
        assert fetch(session, (f"{dead_origin}/a.jpg",), target, dead).status == "present"
        assert session.sent == [f"{dead_origin}/a.jpg"]  # the first HEAD only


def test_missing_files_do_not_give_up_their_host(
    server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    dead = DeadHosts()
    with _CountingSession() as session:
        gone = fetch(session, (_url(server, "/gone"), _url(server, "/also-gone")),
                     tmp_path / "gone.bin", dead)
        assert (gone.status, gone.detail) == ("missing", "HTTP 404 Not Found")  # said once
        assert fetch(session, (_url(server, "/ok"),), tmp_path / "ok.bin", dead).status == (
            "written"
        )


def test_different_reasons_name_their_urls(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    dead_origin = f"http://127.0.0.1:{_closed_port()}"
    with _CountingSession() as session:
        result = fetch(session, (f"{dead_origin}/a.jpg", _url(server, "/gone")),
                       tmp_path / "a.jpg")
    assert result.detail == (
        f"{dead_origin}/a.jpg: cannot connect to {dead_origin[7:]} (connection refused or "
        f"unreachable); {_url(server, '/gone')}: HTTP 404 Not Found"
    )


def test_an_unknown_host_name_is_said_in_plain_words() -> None:
    url = "https://old.example/wp-content/uploads/a.jpg"
    lookup = NameResolutionError("old.example", None, socket.gaierror(-2, "Name unknown"))  # type: ignore[arg-type]
    error = requests.ConnectionError(MaxRetryError(None, url, lookup))  # type: ignore[arg-type]
    assert describe_failure(url, error) == (
        "host old.example not found (offline, or the name no longer exists)", True
    )
    assert describe_failure(url, requests.ReadTimeout("slow")) == (
        "old.example stopped sending (read timed out)", False
    )


def test_candidates_prefer_the_original_and_follow_media_base() -> None:
    url = "https://old.example/wp-content/uploads/2023/07/a-300x200.jpg?w=300"
    assert candidates(url) == (
        "https://old.example/wp-content/uploads/2023/07/a.jpg",
        "https://old.example/wp-content/uploads/2023/07/a-300x200.jpg",
        url,
    )
    assert candidates(url, "http://127.0.0.1:9/mirror")[0] == (
        "http://127.0.0.1:9/mirror/wp-content/uploads/2023/07/a.jpg"
    )
    assert rebase("https://a.example/x.png?w=1", "") == "https://a.example/x.png?w=1"


def test_materialize_downloads_in_parallel_and_counts(
    server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    writer = SafeWriter(tmp_path)
    (tmp_path / "static" / "media").mkdir(parents=True)
    (tmp_path / "static" / "media" / ".wpm-killed.part").write_bytes(b"half")
    needed = {_url(server, "/ok"): "static/media/ok.bin",
              _url(server, "/missing"): "static/media/missing.bin"}
    summary = materialize(needed, writer, None, ConvertOptions(media="download"))
    assert (summary.written, summary.present, len(summary.missing)) == (1, 0, 1)
    assert sorted(p.name for p in (tmp_path / "static" / "media").iterdir()) == ["ok.bin"]
    again = materialize(needed, writer, None, ConvertOptions(media="download"))
    assert (again.written, again.present) == (0, 1)
    copy_only = materialize(needed, writer, None, ConvertOptions(media="copy"))
    assert copy_only.written == 0 and len(copy_only.missing) == 2


def test_copy_from_uploads_uses_the_original_and_is_resumable(tmp_path: Path) -> None:
    uploads = tmp_path / "uploads" / "2023" / "07"
    uploads.mkdir(parents=True)
    (uploads / "a.jpg").write_bytes(b"original")
    writer = SafeWriter(tmp_path / "out")
    needed = {"https://old.example/wp-content/uploads/2023/07/a-300x200.jpg": "media/a.jpg"}
    locator = UploadsLocator(tmp_path / "uploads")
    options = ConvertOptions(media="copy")
    assert materialize(needed, writer, locator, options).written == 1
    assert (tmp_path / "out" / "media" / "a.jpg").read_bytes() == b"original"
    assert materialize(needed, writer, locator, options).present == 1


def test_naming_maps_variants_to_one_file() -> None:
    namer = MediaNamer(["old.example"], ["2023/07/a.jpg"], {"2023/07/a-thumb.jpg": "2023/07/a.jpg"})
    for name in ("a-1024x576.jpg", "a-scaled.jpg", "a.jpg?w=300", "a-thumb.jpg"):
        assert namer.local_path(f"https://old.example/wp-content/uploads/2023/07/{name}") == (
            "2023/07/a.jpg"
        )
    assert namer.local_path("https://old.example/wp-content/uploads/2023/07/logo-100x100.png") \
        == "2023/07/logo-100x100.png"  # no known original: the name is kept
    assert namer.local_path("https://elsewhere.example/wp-content/uploads/2023/07/a.jpg") is None
    assert uploads_relpath("https://s.files.wordpress.com/2010/08/a.jpg?w=150") == "2010/08/a.jpg"
    assert strip_variant("2023/07/a-1568x882-scaled.jpg") == "2023/07/a.jpg"
