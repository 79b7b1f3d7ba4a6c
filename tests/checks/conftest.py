"""Fixtures for the check-links tests: a copy of the hand-made Hugo site, a local HTTP server."""

from __future__ import annotations

import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SITE = DATA / "site"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the fixture site; the working directory is its parent."""
    target = tmp_path / "site"
    shutil.copytree(SITE, target)
    monkeypatch.chdir(tmp_path)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must occur) by ``new`` in ``path``."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def broken_site(site: Path) -> Path:
    """The fixture site with one broken link, one broken image and one broken anchor."""
    hello = site / "content/posts/hello-world/index.md"
    edit(hello, "(../second-post/)", "(../second-pots/)")  # line 15
    edit(hello, "![a diagram](diagram.png", "![a diagram](diagrm.png")  # line 11
    second = site / "content/posts/second-post/index.md"
    edit(second, "/about/#team)", "/about/#teams)")  # line 16
    return site


@dataclass
class Server:
    """The local test server: its base URL and how often each path was requested."""

    base: str
    hits: Counter[str] = field(default_factory=Counter)
    release: threading.Event = field(default_factory=threading.Event)


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return

        def _send(self, status: int, headers: dict[str, str] | None = None,
                  body: bytes = b"") -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            self._route()

        def do_GET(self) -> None:
            self._route()

        def _route(self) -> None:
            server.hits[f"{self.command} {self.path}"] += 1
            path = self.path.split("?", 1)[0]
            if path == "/ok":
                self._send(200, body=b"fine")
            elif path == "/moved":
                self._send(301, {"Location": "/ok"})
            elif path == "/missing":
                self._send(404, body=b"no")
            elif path == "/busy":
                self._send(429, {"Retry-After": "1"})
            elif path == "/bot":
                self._send(403, {"cf-mitigated": "challenge", "Server": "cloudflare"},
                           b"<title>Just a moment...</title>")
            elif path == "/forbidden":
                self._send(403, body=b"go away")
            elif path == "/linkedin":
                self._send(999)
            elif path == "/nohead":
                self._send(405 if self.command == "HEAD" else 200, body=b"get only")
            elif path == "/hang":
                server.release.wait(10)
                self.close_connection = True
            else:
                self._send(404)

    return Handler


@pytest.fixture
def http_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """A threaded HTTP server on 127.0.0.1 answering the statuses of the policy tests."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("HTTPS_PROXY", raising=False)
    state = Server(base="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
