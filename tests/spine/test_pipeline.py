"""End to end on the bundled sample: what is written, skipped, reported; determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import wpmigrate.writers.render as render_module
from tests.conftest import SAMPLE
from wpmigrate.frontmatter import parse
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert


def _convert(out: Path, **options: object) -> dict:
    convert(SAMPLE, ConvertOptions(output=out, workers=1, **options))  # type: ignore[arg-type]
    return json.loads((out / "wpmigrate-report.json").read_text())


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_sample_report_accounts_for_every_item(tmp_path: Path) -> None:
    report = _convert(tmp_path)
    outcomes = {item["id"]: (item["outcome"], item["reason"]) for item in report["items"]}
    assert outcomes == {
        10: ("written", ""),
        11: ("written", ""),
        2: ("written", ""),
        3: ("written", ""),
        12: ("skipped", "draft (use --include-drafts to write it as a draft)"),
        13: ("skipped", "password-protected (use --include-drafts to write it as a draft)"),
        20: ("skipped", "attachment (a media-library record; its file is handled as media)"),
        21: ("skipped", "attachment (a media-library record; its file is handled as media)"),
        30: ("skipped", "navigation menu item"),
    }
    assert report["totals"] == {"items": 9, "written": 4, "skipped": 5, "failed": 0,
                                "comments_written": 2, "comments_held": 2, "comments_dropped": 1}


def test_sample_paths_follow_the_hugo_preset(tmp_path: Path) -> None:
    report = _convert(tmp_path)
    paths = {item["id"]: item["path"] for item in report["items"] if item["path"]}
    assert paths == {
        10: "content/posts/dont-trust-verify/index.md",
        11: "content/posts/socratic-seminar-20/index.md",
        2: "content/about/index.md",
        3: "content/about/organizers/index.md",
    }


def test_sample_front_matter(tmp_path: Path) -> None:
    _convert(tmp_path)
    text = (tmp_path / "content/posts/dont-trust-verify/index.md").read_text()
    data, _ = parse(text)
    assert data["title"] == "\"Don't Trust: Verify\" — a #1 guide"
    assert data["date"].isoformat() == "2023-07-05T18:30:00-04:00"
    assert data["lastmod"].isoformat() == "2023-07-06T09:00:00-04:00"
    assert data["categories"] == ["Socratic Seminars"]
    assert data["tags"] == ["Privacy"]
    assert data["author"] == "Ada Lovelace"
    assert data["summary"] == "Why you should run a node."
    assert data["aliases"] == [
        "/2023/07/05/dont-trust-verify/",
        "/2023/07/05/verify-everything/",
        "/2023/07/dont-trust-verify/",
    ]
    assert data["wordpress_id"] == 10
    assert data["images"] == ["/media/2023/07/meetup-photo.png"]
    assert "ada@example.org" not in text


def test_mojibake_in_the_sample_is_repaired_and_counted(tmp_path: Path) -> None:
    report = _convert(tmp_path)
    text = (tmp_path / "content/posts/socratic-seminar-20/index.md").read_text()
    assert "Meta’s new model" in text
    assert "â€" not in text
    repairs = {item["id"]: item.get("repairs", 0) for item in report["items"]}
    assert repairs[11] == 1


def test_internal_links_and_media_are_rewritten(tmp_path: Path) -> None:
    _convert(tmp_path)
    text = (tmp_path / "content/posts/dont-trust-verify/index.md").read_text()
    assert "(/posts/socratic-seminar-20/)" in text
    assert "(/about/)" in text
    assert "meetup.example.org" not in text
    assert (tmp_path / "static/media/2023/07/meetup-photo.png").is_file()
    assert not (tmp_path / "static/media/2023/07/meetup-photo-300x169.png").exists()


def test_include_drafts_writes_drafts_as_drafts(tmp_path: Path) -> None:
    report = _convert(tmp_path, include_drafts=True)
    by_id = {item["id"]: item for item in report["items"]}
    assert by_id[12]["outcome"] == "written"
    assert by_id[13]["outcome"] == "written"
    for item_id in (12, 13):
        data, _ = parse((tmp_path / by_id[item_id]["path"]).read_text())
        assert data["draft"] is True


def test_second_run_gives_the_same_bytes(tmp_path: Path) -> None:
    _convert(tmp_path / "a")
    first = _tree(tmp_path / "a")
    _convert(tmp_path / "a")
    assert _tree(tmp_path / "a") == first
    _convert(tmp_path / "b")
    assert _tree(tmp_path / "b") == first


def test_parallel_and_serial_runs_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import wpmigrate.pass2 as pass2

    monkeypatch.setattr(pass2, "PARALLEL_THRESHOLD", 0)
    convert(SAMPLE, ConvertOptions(output=tmp_path / "p", workers=2))
    convert(SAMPLE, ConvertOptions(output=tmp_path / "s", workers=1))
    assert _tree(tmp_path / "p") == _tree(tmp_path / "s")


def test_files_of_an_earlier_run_are_reported_not_deleted(tmp_path: Path) -> None:
    stray = tmp_path / "content/posts/old-post/index.md"
    stray.parent.mkdir(parents=True)
    stray.write_text("---\ntitle: old\n---\n")
    report = _convert(tmp_path)
    assert report["stale"] == ["content/posts/old-post/index.md"]
    assert stray.exists()


def test_one_failing_item_does_not_stop_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = render_module.convert_body

    def flaky(content: str, ctx):  # type: ignore[no-untyped-def]
        if ctx.post_id == 11:
            raise ValueError("boom")
        return real(content, ctx)

    monkeypatch.setattr(render_module, "convert_body", flaky)
    report = _convert(tmp_path)
    by_id = {item["id"]: item for item in report["items"]}
    assert by_id[11]["outcome"] == "failed"
    assert by_id[11]["reason"] == "conversion failed: ValueError: boom"
    assert by_id[11]["title"] == "Socratic Seminar #20: Lightning privacy"
    assert by_id[10]["outcome"] == "written"
    assert report["totals"]["failed"] == 1


@pytest.mark.parametrize("preset", ["hugo", "jekyll", "markdown"])
def test_every_preset_writes_the_four_items(tmp_path: Path, preset: str) -> None:
    report = _convert(tmp_path, preset=preset)
    written = [item for item in report["items"] if item["outcome"] == "written"]
    assert len(written) == 4
    for item in written:
        assert (tmp_path / item["path"]).is_file()
