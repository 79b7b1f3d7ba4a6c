"""Comments: each written item's approved comments in one data file per engine, in
order, as Markdown, with the post's offset, and nothing private; the report counts them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import REPO
from wpmigrate.cli import cli
from wpmigrate.config import convert_settings
from wpmigrate.errors import OptionsError
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
from wpmigrate.transforms.markup import make_clickable, prepare_comment_html
from wpmigrate.writers import comments as comments_module

FIXTURE = REPO / "tests" / "data" / "wxr" / "comments.xml"
PRIVATE = ("@mail.example", "203.0.113.", "UA-SECRET", "javascript:")


def expected_100(link: str) -> dict[str, object]:
    """Post 100's file as data: approved only, by date_gmt then ID, a reply to spam
    made top-level, the pingback typed, each date with its own offset."""
    return {
        "wordpress_id": 100,
        "comments": [
            {
                "id": 101,
                "parent": 0,
                "author": "Jo & Sam",
                "author_url": "https://jo.example.org/",
                "date": "2024-03-11T09:00:00-05:00",
                "content": f"Meta’s take: read [the second post]({link}).\\\n"
                "See <https://docs.example.org/x>.\n\nThanks!",
            },
            {"id": 104, "parent": 101, "author": "Rae", "date": "2024-03-11T09:00:00-05:00",
             "content": "Same minute, higher ID."},
            {"id": 106, "parent": 0, "author": "Lee", "date": "2024-03-12T08:00:00-05:00",
             "content": "Replying to spam. [gallery]\n\nx"},
            {"id": 107, "parent": 0, "author": "Other Blog",
             "author_url": "https://other.example.com/p/", "date": "2024-03-12T09:00:00-05:00",
             "type": "pingback", "content": "[…] pinged […]"},
            {"id": 108, "parent": 0, "author": "Kolkata", "date": "2024-03-12T20:00:00+05:30",
             "content": "Offset +05:30."},
        ],
    }


PRESET_FILES = [
    ("hugo", "data/comments/100.yaml", "/posts/second/"),
    ("jekyll", "_data/comments/100.yml", "/2024/03/10/second/"),
    ("eleventy", "_data/comments/100.json", "/posts/second/"),
    ("astro", "src/data/comments/100.json", "/blog/second/"),
    ("zola", "data/comments/100.yaml", "/posts/second/"),
    ("nextjs-mdx", "data/comments/100.json", "/posts/second/"),
    ("pelican", "comments/100.yaml", "/2024/03/10/second/"),
    ("markdown", "comments/100.yaml", "/posts/second/"),
]


def _load(path: Path) -> object:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(("preset", "relpath", "link"), PRESET_FILES)
def test_each_preset_writes_the_approved_comments(
    tmp_path: Path, preset: str, relpath: str, link: str
) -> None:
    report = convert(FIXTURE, ConvertOptions(output=tmp_path, preset=preset, media="keep",
                                             workers=1))
    assert _load(tmp_path / relpath) == expected_100(link)
    written = sorted(p.relative_to(tmp_path).as_posix()
                     for p in tmp_path.rglob("*") if "comments" in p.parent.name)
    assert written == [relpath]  # not the protected post, the draft or the attachment
    lines = {item.id: dict(item.comments) for item in report.items}
    assert lines == {
        100: {"written": 5, "held": 3, "repairs": 1, "path": relpath},
        101: {},
        102: {"dropped": 1},  # protected: skipped without --include-drafts
        103: {"dropped": 1},  # draft: skipped
        104: {"dropped": 1},  # attachment
    }


def test_hugo_yaml_and_eleventy_json_text(tmp_path: Path) -> None:
    """The exact bytes: literal blocks for multi-line YAML, dates quoted, 2-space JSON."""
    convert(FIXTURE, ConvertOptions(output=tmp_path / "h", media="keep", workers=1))
    hugo = (tmp_path / "h" / "data/comments/100.yaml").read_text(encoding="utf-8")
    assert hugo.startswith(
        "wordpress_id: 100\n"
        "comments:\n"
        "- id: 101\n"
        "  parent: 0\n"
        "  author: Jo & Sam\n"
        "  author_url: https://jo.example.org/\n"
        "  date: '2024-03-11T09:00:00-05:00'\n"
        "  content: |-\n"
        "    Meta’s take: read [the second post](/posts/second/).\\\n"
        "    See <https://docs.example.org/x>.\n"
        "\n"
        "    Thanks!\n"
        "- id: 104\n"
    )
    convert(FIXTURE, ConvertOptions(output=tmp_path / "e", preset="eleventy", media="keep",
                                    workers=1))
    eleventy = (tmp_path / "e" / "_data/comments/100.json").read_text(encoding="utf-8")
    assert eleventy.endswith(
        '    {\n'
        '      "id": 108,\n'
        '      "parent": 0,\n'
        '      "author": "Kolkata",\n'
        '      "date": "2024-03-12T20:00:00+05:30",\n'
        '      "content": "Offset +05:30."\n'
        '    }\n'
        '  ]\n'
        '}\n'
    )


@pytest.mark.parametrize("preset", ["hugo", "eleventy", "jekyll"])
def test_nothing_private_is_written(tmp_path: Path, preset: str) -> None:
    convert(FIXTURE, ConvertOptions(output=tmp_path, preset=preset, media="keep", workers=1,
                                    include_drafts=True))
    for relpath, data in _files(tmp_path).items():
        text = data.decode("utf-8")
        for private in PRIVATE:
            assert private not in text, (relpath, private)
    for held in ("Buy now", "Not yet approved", "Binned", "Quoting the secret",
                 "On an attachment"):
        assert all(held.encode() not in data for data in _files(tmp_path).values()), held


def test_drafts_keep_comments_but_protected_items_never(tmp_path: Path) -> None:
    """--include-drafts writes the draft's comments; the protected post is written as a
    draft, and its comments are still dropped."""
    report = convert(FIXTURE, ConvertOptions(output=tmp_path, media="keep", workers=1,
                                             include_drafts=True))
    assert _load(tmp_path / "data/comments/103.yaml") == {"wordpress_id": 103, "comments": [
        {"id": 111, "parent": 0, "author": "Ben", "date": "2024-03-13T10:00:00-05:00",
         "content": "On a draft"}]}
    assert not (tmp_path / "data/comments/102.yaml").exists()
    lines = {item.id: (item.outcome, dict(item.comments)) for item in report.items}
    assert lines[102] == ("written", {"dropped": 1})
    assert lines[103] == ("written", {"written": 1, "held": 0, "path": "data/comments/103.yaml"})
    assert report.totals() == {"items": 5, "written": 4, "skipped": 1, "failed": 0,
                               "comments_written": 6, "comments_held": 3, "comments_dropped": 2}


def test_report_file_holds_the_counts(tmp_path: Path) -> None:
    convert(FIXTURE, ConvertOptions(output=tmp_path, media="keep", workers=1))
    data = json.loads((tmp_path / "wpmigrate-report.json").read_text(encoding="utf-8"))
    assert data["totals"] == {"items": 5, "written": 2, "skipped": 3, "failed": 0,
                              "comments_written": 5, "comments_held": 3, "comments_dropped": 3}
    first = data["items"][0]
    assert first["comments"] == {"written": 5, "held": 3, "repairs": 1,
                                 "path": "data/comments/100.yaml"}
    assert "comments" not in data["items"][1]


def test_comments_none_writes_and_counts_nothing(tmp_path: Path) -> None:
    report = convert(FIXTURE, ConvertOptions(output=tmp_path, media="keep", workers=1,
                                             comments="none"))
    assert not (tmp_path / "data").exists()
    assert all(item.comments == () for item in report.items)
    assert report.totals() == {"items": 5, "written": 2, "skipped": 3, "failed": 0}


def test_unknown_comments_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OptionsError, match="unknown comments mode 'html'"):
        convert(FIXTURE, ConvertOptions(output=tmp_path, comments="html"))  # type: ignore[arg-type]


def test_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    options = ConvertOptions(output=tmp_path / "a", media="keep", workers=1)
    convert(FIXTURE, options)
    first = _files(tmp_path / "a")
    convert(FIXTURE, ConvertOptions(output=tmp_path / "b", media="keep", workers=1))
    convert(FIXTURE, options)  # again into the same folder
    assert first == _files(tmp_path / "a") == _files(tmp_path / "b")
    assert "data/comments/100.yaml" in first


def test_a_comment_that_fails_leaves_the_post_and_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = comments_module.prepare_comment_html

    def failing(html: str) -> str:
        if "Same minute" in html:
            raise ValueError("boom")
        return real(html)

    monkeypatch.setattr(comments_module, "prepare_comment_html", failing)
    report = convert(FIXTURE, ConvertOptions(output=tmp_path, media="keep", workers=1))
    post = next(item for item in report.items if item.id == 100)
    assert post.outcome == "written"
    assert post.warnings == ("comment 104 not written: ValueError: boom",)
    assert dict(post.comments)["written"] == 4
    ids = [c["id"] for c in _load(tmp_path / "data/comments/100.yaml")["comments"]]  # type: ignore[index]
    assert ids == [101, 106, 107, 108]


def test_cli_option_and_summary(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["convert", str(FIXTURE), "-o", str(out), "--media", "keep"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "5 items: 2 written, 3 skipped, 0 failed; comments: 5 written; media: 0 new, "
        f"0 already there, 0 missing; report: {out}/wpmigrate-report.json"
    )
    out2 = tmp_path / "none"
    result = CliRunner().invoke(cli, ["convert", str(FIXTURE), "-o", str(out2), "--media",
                                      "keep", "--comments", "none"])
    assert result.exit_code == 0, result.output
    assert "comments:" not in result.stdout
    assert not (out2 / "data").exists()


def test_settings_file_key(tmp_path: Path) -> None:
    config = tmp_path / "wpmigrate.toml"
    config.write_text('[convert]\ncomments = "none"\n', encoding="utf-8")
    assert convert_settings(config) == {"comments": "none"}


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("see https://a.example/x.", 'see <a href="https://a.example/x">https://a.example/x</a>.'),
        ("(www.b.example)", '(<a href="http://www.b.example">www.b.example</a>)'),
        ('<a href="https://c.example">https://c.example</a>',
         '<a href="https://c.example">https://c.example</a>'),
        ("<code>http://d.example</code> x", "<code>http://d.example</code> x"),
        ("mail me: me@e.example", "mail me: me@e.example"),
        ("nohttps://f.example", "nohttps://f.example"),
    ],
)
def test_make_clickable(html: str, expected: str) -> None:
    assert make_clickable(html) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("one\ntwo\r\n\r\nthree", "<p>one<br />\ntwo</p>\n<p>three</p>\n"),
        ("[gallery ids=\"1\"] <!-- wp:image -->", "<p>[gallery ids=\"1\"] <!-- wp:image --></p>\n"),
        ("  ", ""),
    ],
)
def test_comment_html_is_autop_without_shortcodes_or_blocks(content: str, expected: str) -> None:
    assert prepare_comment_html(content) == expected
