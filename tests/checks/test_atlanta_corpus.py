"""Done-means on the real site: the converted Atlanta BitDevs mirror passes, and one broken
link, image and anchor make it fail with exit 1, naming file and line in every format.

Needs the shared corpus and the conversion pipeline; skipped cleanly without either.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from lxml import etree

from wpmigrate.cli_checks import check_links_command

CORPUS = (Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus").resolve()
MIRROR = CORPUS / "mirrors" / "atlantabitdevs"
SCHEMAS = Path(__file__).parent / "schemas"

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mirror converted once with the Hugo preset (media copied, never downloaded)."""
    if not MIRROR.is_dir():
        pytest.skip(f"shared corpus not found at {MIRROR}")
    pipeline = pytest.importorskip("wpmigrate.pipeline")
    options_module = pytest.importorskip("wpmigrate.options")
    out = tmp_path_factory.mktemp("atlanta") / "site"
    names = {f.name for f in dataclasses.fields(options_module.ConvertOptions)}
    wanted = {"output": out, "preset": "hugo", "media": "copy", "workers": 1}
    options = options_module.ConvertOptions(**{k: v for k, v in wanted.items() if k in names})
    pipeline.convert(MIRROR, options)
    return out


def run(cwd: Path, *args: str) -> tuple[int, str]:
    group = click.Group("wpmigrate")
    group.add_command(check_links_command)
    runner = CliRunner()
    previous = Path.cwd()
    os.chdir(cwd)  # findings name files relative to the working directory
    try:
        result = runner.invoke(group, ["check-links", *args])
    finally:
        os.chdir(previous)
    return result.exit_code, result.stdout


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def _first_link(content: Path, prefix: str) -> tuple[Path, str]:
    """A page and a link destination of it starting with ``prefix`` (e.g. ``/media/``)."""
    for page in sorted(content.rglob("index.md")):
        text = page.read_text(encoding="utf-8")
        start = text.find("](" + prefix)
        if start != -1:
            end = text.find(")", start)
            return page, text[start + 2 : end]
    raise AssertionError(f"no link starting with {prefix} in {content}")


def test_converted_site_passes(converted: Path) -> None:
    code, out = run(converted.parent, "site")
    assert code == 0, out


def test_broken_copy_fails_in_every_format(converted: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(converted, site)
    content = site / "content"
    image_page, image = _first_link(content, "/media/")
    link_page, link = _first_link(content, "/posts/")
    assert link_page != image_page or link != image
    broken_image = image.replace(".", "-missing.", 1)
    broken_link = link.rstrip("/") + "-gone/"
    for page, old, new in ((image_page, image, broken_image), (link_page, link, broken_link)):
        page.write_text(page.read_text(encoding="utf-8").replace(f"]({old}", f"]({new}", 1),
                        encoding="utf-8")
    anchor_page = next(p for p in sorted(content.rglob("index.md"))
                       if p not in (image_page, link_page))
    anchor_page.write_text(anchor_page.read_text(encoding="utf-8")
                           + "\n[see below](#no-such-heading)\n", encoding="utf-8")
    expected = sorted([
        (image_page.relative_to(tmp_path).as_posix(), _line_of(image_page, broken_image)),
        (link_page.relative_to(tmp_path).as_posix(), _line_of(link_page, broken_link)),
        (anchor_page.relative_to(tmp_path).as_posix(),
         _line_of(anchor_page, "#no-such-heading")),
    ])
    code, out = run(tmp_path, "site", "--format", "json")
    assert code == 1
    assert sorted((f["file"], f["line"]) for f in json.loads(out)["findings"]) == expected
    code, out = run(tmp_path, "site")
    assert code == 1
    for file, line in expected:
        assert file in out and f"  {line}:" in out
    code, out = run(tmp_path, "site", "--format", "junit")
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit.xsd")))
    document = etree.fromstring(out.encode("utf-8"))
    schema.assertValid(document)
    assert code == 1
    assert sorted((c.get("file"), int(c.get("line"))) for c in document.iter("testcase")) \
        == expected
    code, out = run(tmp_path, "site", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert code == 1
    assert sorted((r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                   r["locations"][0]["physicalLocation"]["region"]["startLine"])
                  for r in results) == expected
    for fmt in ("github", "markdown"):
        code, out = run(tmp_path, "site", "--format", fmt)
        assert code == 1
        for file, line in expected:
            assert (f"file={file},line={line}," in out) if fmt == "github" \
                else (f"### `{file}`" in out and f"| {line}:" in out)
