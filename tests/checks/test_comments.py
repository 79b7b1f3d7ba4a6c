"""Links inside comment data files: found, resolved and reported like links in pages."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any as Server  # the conftest fixture type

import click
import jsonschema
import pytest
from click.testing import CliRunner
from lxml import etree

from wpmigrate.checks.api import check_links
from wpmigrate.checks.external import ExternalPolicy
from wpmigrate.checks.findings import LinkReport
from wpmigrate.checks.options import CheckOptions
from wpmigrate.cli_checks import check_links_command

HELLO = """---
title: Hello
wordpress_id: 10
---
# Hello

Some text.
"""
ABOUT = """---
title: About
---
## Team
"""
REPORT = {"preset": "hugo", "site": {"base_url": "https://old.example.com"}}
FILE = "site/data/comments/10.yaml"


def comments_yaml(external: str = "https://example.net/page") -> str:
    """Comment 1: good links (root-relative, page-relative, anchor); 2: broken link and
    anchor; 3: leftover to the old host; 4: an external link."""
    return f"""wordpress_id: 10
comments:
- id: 1
  parent: 0
  author: Hal
  date: '2023-07-06T10:00:00-04:00'
  content: |-
    See [about](/about/#team), [the picture](pic.png) and [top](#hello).
- id: 2
  parent: 1
  author: Ada
  date: '2023-07-06T11:00:00-04:00'
  content: |-
    First line.

    A [dead link](/posts/missing/) and [no anchor](/about/#nobody).
- id: 3
  parent: 0
  author: Bob
  date: '2023-07-06T12:00:00-04:00'
  content: Old [home](https://old.example.com/about/) here.
- id: 4
  parent: 0
  author: Eve
  date: '2023-07-06T13:00:00-04:00'
  content: Read [this]({external}).
"""


@pytest.fixture
def csite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small Hugo site with one post, its comment file and an about page."""
    site = tmp_path / "site"
    (site / "content/posts/hello").mkdir(parents=True)
    (site / "content/about").mkdir(parents=True)
    (site / "data/comments").mkdir(parents=True)
    (site / "content/posts/hello/index.md").write_text(HELLO, encoding="utf-8")
    (site / "content/posts/hello/pic.png").write_bytes(b"png")
    (site / "content/about/index.md").write_text(ABOUT, encoding="utf-8")
    (site / "wpmigrate-report.json").write_text(json.dumps(REPORT), encoding="utf-8")
    (site / "data/comments/10.yaml").write_text(comments_yaml(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return site


def rows(report: LinkReport) -> list[tuple[str, int, int, str, str, str]]:
    """(file, line, col, url, category, message) of every finding."""
    return [(f.file, f.line, f.col, f.url, f.category, f.message) for f in report.findings]


def test_comment_links_are_checked_like_page_links(csite: Path) -> None:
    report = check_links([csite])
    assert rows(report) == [
        (FILE, 16, 19, "/posts/missing/", "broken",
         "comment 2: broken link: /posts/missing/ does not exist"),
        (FILE, 16, 52, "/about/#nobody", "anchor",
         "comment 2: missing anchor: #nobody not found in site/content/about/index.md"),
        (FILE, 21, 23, "https://old.example.com/about/", "leftover",
         "comment 3: leftover: https://old.example.com/about/ is a link to the old site "
         "(old.example.com)"),
    ]
    assert report.findings[2].suggestion == "use /about/ instead"
    assert report.files_checked == 3  # two pages and one comment file
    assert report.stats["comment_files"] == 1
    assert report.links_checked == 7


def test_external_comment_link_is_reported_with_its_comment(
    csite: Path, http_server: Server
) -> None:
    url = f"{http_server.base}/missing"
    (csite / "data/comments/10.yaml").write_text(comments_yaml(url), encoding="utf-8")
    policy = ExternalPolicy(retries=0, connect_timeout=1.0, read_timeout=1.0)
    report = check_links([csite], CheckOptions(external=True, policy=policy,
                                               cache_path=csite / "cache.json"))
    external = [r for r in rows(report) if r[4] == "external"]
    assert external == [(FILE, 26, 24, url, "external",
                         f"comment 4: external link: {url} returned 404 Not Found")]


def test_relative_links_resolve_from_the_site_root_without_the_page(csite: Path) -> None:
    (csite / "content/posts/hello/index.md").write_text(
        HELLO.replace("wordpress_id: 10", "wordpress_id: 11"), encoding="utf-8")
    found = [(r[3], r[5]) for r in rows(check_links([csite]))]
    assert ("pic.png", "comment 1: broken link: pic.png does not exist") in found
    assert all(not url.startswith("#") for url, _ in found)  # no page: anchor unchecked


def test_json_comment_file_names_comment_and_line(csite: Path) -> None:
    """JSON text is one line: the column counts the unescaped text (``\\n`` as one)."""
    (csite / "data/comments/10.yaml").unlink()
    data = {"wordpress_id": 10, "comments": [
        {"id": 7, "parent": 0, "author": "A", "date": "d", "content": "Fine [a](/about/)."},
        {"id": 8, "parent": 0, "author": "B", "date": "d",
         "content": "Line one.\n\n[gone](/nowhere/)"},
    ]}
    (csite / "data/comments/10.json").write_text(json.dumps(data, indent=2),
                                                 encoding="utf-8")
    assert rows(check_links([csite])) == [
        ("site/data/comments/10.json", 16, 37, "/nowhere/", "broken",
         "comment 8: broken link: /nowhere/ does not exist"),
    ]


def test_unparsable_comment_file_is_a_finding_not_a_crash(csite: Path) -> None:
    (csite / "data/comments/11.yaml").write_text("comments:\n- id: 1\n  content: [\n",
                                                 encoding="utf-8")
    (csite / "data/comments/12.json").write_text("{not json", encoding="utf-8")
    (csite / "data/comments/13.yaml").write_text("- just a list\n", encoding="utf-8")
    problems = [(f.file, f.line, f.severity, f.message) for f in check_links([csite]).findings
                if "comment file" in f.message]
    assert problems == [
        ("site/data/comments/11.yaml", 4, "error",
         "comment file: invalid YAML: did not find expected node content"),
        ("site/data/comments/12.json", 1, "error",
         "comment file: invalid JSON: Expecting property name enclosed in double quotes"),
        ("site/data/comments/13.yaml", 1, "warning",
         'comment file: not a comment file: no "comments" list'),
    ]


def test_comment_files_are_not_served_files(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The markdown preset keeps ``comments/`` in the served tree: still not a URL."""
    site = tmp_path / "md"
    (site / "comments").mkdir(parents=True)
    (site / "index.md").write_text("[data](/comments/10.yaml)\n", encoding="utf-8")
    (site / "comments/10.yaml").write_text(comments_yaml(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = check_links([site], CheckOptions(preset="markdown"))
    assert ("md/index.md", "/comments/10.yaml", "broken") in [
        (r[0], r[3], r[4]) for r in rows(report)]
    assert "/comments/10.yaml" not in str(report.stats)


def run(*args: str) -> tuple[int, str]:
    """``wpmigrate check-links …`` through a tiny group, as the CLI tests do."""
    group = click.Group("wpmigrate")
    group.add_command(check_links_command)
    result = CliRunner().invoke(group, ["check-links", *args])
    return result.exit_code, result.stdout


def test_cli_text_line_for_a_comment_finding(csite: Path) -> None:
    code, out = run("site")
    assert code == 1
    lines = out.splitlines()
    assert lines[:3] == [
        FILE,
        "  16:19  error    comment 2: broken link: /posts/missing/ does not exist  [broken]",
        "  16:52  error    comment 2: missing anchor: #nobody not found in "
        "site/content/about/index.md  [anchor]",
    ]
    assert lines[-1].startswith("FAILED: 3 errors, 0 warnings in 1 file (7 links in 3 files, ")


def test_site_without_comment_files_is_unchanged(csite: Path) -> None:
    (csite / "data/comments/10.yaml").unlink()
    report = check_links([csite])
    assert report.findings == () and report.files_checked == 2
    assert dataclasses.asdict(report)["stats"]["comment_files"] == 0


def test_every_format_renders_comment_findings(csite: Path) -> None:
    schemas = Path(__file__).parent / "schemas"
    outputs = {fmt: run("site", "--format", fmt) for fmt in
               ("json", "junit", "sarif", "github", "markdown")}
    assert {code for code, _ in outputs.values()} == {1}
    data = json.loads(outputs["json"][1])
    assert data["summary"]["files_checked"] == 3 and data["summary"]["comment_files"] == 1
    assert data["findings"][0]["file"] == FILE and data["findings"][0]["line"] == 16
    junit = etree.fromstring(outputs["junit"][1].encode("utf-8"))
    etree.XMLSchema(etree.parse(str(schemas / "junit.xsd"))).assertValid(junit)
    sarif = json.loads(outputs["sarif"][1])
    jsonschema.validate(sarif, json.loads((schemas / "sarif-2.1.0-subset.json").read_text()))
    assert "file=site/data/comments/10.yaml,line=16,col=19," in outputs["github"][1]
    assert "comment 2: broken link" in outputs["markdown"][1]
