"""Every corpus export: each approved comment of a written, non-protected item is in
exactly one comment file, and no commenter's e-mail address reaches the comment files or
the report (unless someone typed it into a post or comment: then it is public text)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import CORPUS
from wpmigrate.errors import SourceError
from wpmigrate.model import Post
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
from wpmigrate.sources import open_source

pytestmark = pytest.mark.corpus
EXPORTS = sorted((CORPUS / "wxr").rglob("*.xml")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("preset", ["hugo", "eleventy"])
def test_every_approved_comment_once_and_no_email(corpus: Path, tmp_path: Path,
                                                  preset: str) -> None:
    checked = 0
    for number, export in enumerate(EXPORTS):
        out = tmp_path / str(number)
        try:
            report = convert(export, ConvertOptions(output=out, preset=preset, media="keep",
                                                    workers=1))
        except SourceError:  # refused exports are tested elsewhere
            continue
        posts: dict[int | str, Post] = {}
        for item in open_source(export).iter_items():  # a duplicate ID: the first is written
            if isinstance(item, Post):
                posts.setdefault(item.id, item)
        # an address some commenter typed into a comment (or a post) is public text
        public = "\n".join([c.content for p in posts.values() for c in p.comments]
                           + [p.content for p in posts.values()])
        private = {c.author_email for p in posts.values() for c in p.comments
                   if c.author_email and c.author_email not in public}
        found: dict[int, list[int]] = {}
        for path in (out / ("data" if preset == "hugo" else "_data") / "comments").glob("*"):
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
            found[data["wordpress_id"]] = [c["id"] for c in data["comments"]]
            assert not [email for email in private if email in text], (export, path.name)
        expected = {
            item.id: sorted(c.id for c in posts[item.id].comments if c.approved == "1")
            for item in report.items
            if item.outcome == "written" and not posts[item.id].has_password
        }
        assert {k: sorted(v) for k, v in found.items()} == {k: v for k, v in expected.items() if v}
        all_ids = [i for ids in found.values() for i in ids]
        assert len(all_ids) == len(set(all_ids)), export
        report_text = (out / "wpmigrate-report.json").read_text(encoding="utf-8")
        assert not [email for email in private if email in report_text], export
        checked += len(all_ids)
    assert checked > 1000  # dmacvicar alone has hundreds
