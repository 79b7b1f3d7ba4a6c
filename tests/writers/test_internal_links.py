"""Internal links of the theme-unit-test export point at the new URLs after conversion,
and the redirect files carry every old URL of the index exactly once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from wpmigrate.frontmatter import parse
from wpmigrate.index import build_index
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
from wpmigrate.sources import open_source
from wpmigrate.writers.presets import get_preset
from wpmigrate.writers.redirects import apache, netlify, nginx, split_rules

EXPORT = CORPUS / "wxr" / "wptt-theme-unit-test" / "themeunittestdata.wordpress.xml"
LINK = re.compile(r"\]\((/[^)\s]*)\)|href=\"(/[^\"]*)\"")

pytestmark = pytest.mark.corpus


@pytest.fixture
def export() -> Path:
    if not EXPORT.is_file():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return EXPORT


def test_bodies_link_to_new_urls_only(export: Path, tmp_path: Path) -> None:
    report = convert(export, ConvertOptions(output=tmp_path, preset="hugo", media="copy",
                                            workers=1))
    source = open_source(export, "auto")
    index = build_index(source.iter_items(), source.read_site(), get_preset("hugo"),
                        ConvertOptions(media="copy"))
    known = {p.url for p in index.planned.values()} | {t.url for t in index.terms}
    for item in report.items:
        if item.outcome != "written":
            continue
        _data, body = parse((tmp_path / item.path).read_text(encoding="utf-8"))
        assert "wpthemetestdata.wordpress.com" not in body, item.path
        assert "wpthemetestdata.files.wordpress.com" not in body, item.path
        for match in LINK.finditer(body):
            target = (match[1] or match[2]).split("#")[0]
            assert target in known or target.startswith("/media/"), (item.path, target)


def test_redirect_files_have_one_rule_per_old_url(export: Path) -> None:
    source = open_source(export, "auto")
    index = build_index(source.iter_items(), source.read_site(), get_preset("hugo"),
                        ConvertOptions())
    paths, queries = split_rules(index.redirects)
    assert len(paths) + len(queries) >= len(index.redirects) - 5  # self-redirects dropped
    rules = [line.split()[0] for line in netlify(index.redirects).splitlines()
             if line and not line.startswith("#") and not line.startswith("/ ")]
    assert len(rules) == len(set(rules)) == len(paths) + len(queries)
    assert nginx(index.redirects).count(";\n") >= len(paths) + len(queries)
    assert apache(index.redirects).count("RewriteRule") == len(paths) + len(queries)
