"""Tests for the fidelity benchmark's scoring functions and its floors rules."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import fidelity  # noqa: E402
from fidelity_metrics import (  # noqa: E402
    count_paragraphs,
    markup_left,
    new_renderer,
    order_similarity,
    score_post,
    source_paragraphs,
    word_recall,
    wordpress_text,
    words,
)


def _row(export: str = "site", **values: float) -> fidelity.ExportScore:
    """An export row with perfect scores, changed by ``values``."""
    row = fidelity.ExportScore(
        export=export,
        posts=10,
        recall_mean=1.0,
        recall_min=1.0,
        worst_id=1,
        worst_title="t",
        order_mean=1.0,
        paragraph_ratio=1.0,
        paragraph_kept=1.0,
        markup_left=0,
        mojibake_left=0,
        failed=0,
        seconds=0.1,
    )
    return replace(row, **values)


# --- words ------------------------------------------------------------------------


def test_words_casefold_and_split_cjk_by_character() -> None:
    assert words("Hello, World! 中文内容 naïve") == [
        "hello",
        "world",
        "中",
        "文",
        "内",
        "容",
        "naïve",
    ]


def test_words_decode_urls() -> None:
    assert words("http://x.org/H%C3%B6lle") == words("http://x.org/Hölle")


def test_word_recall_counts_occurrences() -> None:
    recall, missing = word_recall(["a", "a", "b", "c"], ["a", "b", "c"])
    assert recall == 0.75
    assert missing == {"a": 1}


def test_word_recall_of_empty_source_is_perfect() -> None:
    assert word_recall([], ["x"]) == (1.0, {})


def test_order_similarity() -> None:
    assert order_similarity(["a", "b", "c"], ["a", "b", "c"]) == 1.0
    assert order_similarity(["a", "b"], []) == 0.0
    assert 0 < order_similarity(["a", "b", "c", "d"], ["d", "c", "b", "a"]) < 0.5


def test_order_similarity_of_long_texts_is_chunked() -> None:
    source = [f"w{i}" for i in range(50)]
    output = source[:25] + source[26:]
    chunked = order_similarity(source, output, limit=10)
    assert 0.8 < chunked < 1.0


# --- what WordPress showed ---------------------------------------------------------


def test_wordpress_text_drops_comments_tags_and_shortcode_tags() -> None:
    content = (
        "<!-- wp:paragraph --><p>Hello <b>bold</b></p><!-- /wp:paragraph -->\n"
        '[caption id="a1" caption="Cap words"]<img src="x.jpg" alt="alt" /> Inner[/caption]\n'
        '[gallery ids="1,2"]<script>var hidden;</script>'
    )
    assert words(wordpress_text(content)) == ["hello", "bold", "cap", "words", "inner"]


def test_wordpress_text_shows_code_shortcodes_literally() -> None:
    content = '[html]&lt;div class="a"&gt;[/html] [code]<b>x</b>[/code] a[i] b[c]'
    text = wordpress_text(content)
    assert '<div class="a">' in text
    assert "<b>x</b>" in text
    assert "a[i] b[c]" in text


def test_wordpress_text_keeps_escaped_shortcodes_and_unknown_brackets() -> None:
    text = wordpress_text("Use [[gallery]] here, see [1] and [citation needed].")
    assert "[gallery]" in text
    assert "[1]" in text
    assert "[citation needed]" in text


def test_wordpress_text_drops_autoembeds_and_player_tags() -> None:
    content = (
        "Intro\nhttps://www.youtube.com/watch?v=abc\n<p>https://vimeo.com/1</p>\n"
        "[dewplayer: http://x.org/a.mp3]\nhttp://example.org/stays"
    )
    assert words(wordpress_text(content)) == ["intro", "http", "example", "org", "stays"]


def test_wordpress_text_repairs_mojibake() -> None:
    assert wordpress_text("<p>Iâ€™ll</p>").strip() == "I’ll"


def test_wordpress_text_decodes_entities_once() -> None:
    assert wordpress_text("<p>Tom &amp; Jerry &lt;b&gt;</p>").strip() == "Tom & Jerry <b>"


# --- paragraphs --------------------------------------------------------------------


def test_count_paragraphs_ignores_empty_and_media_only() -> None:
    rendered = '<p>one</p><p>&nbsp;</p><p><img src="x.jpg"></p><p>two <img src="y"></p>'
    assert count_paragraphs(rendered) == 2


def _blank_line_autop(text: str) -> str:
    return "".join(f"<p>{part}</p>" for part in text.split("\n\n") if part.strip())


def test_source_paragraphs_skip_lone_shortcodes_and_code() -> None:
    content = (
        'First\n\n[gallery ids="1"]\n\n[caption]<img src="a"/> Cap[/caption]\n\n'
        "[code]\nline\n\nline\n[/code]\n\nLast"
    )
    assert source_paragraphs(content, _blank_line_autop) == 2


# --- markup left -------------------------------------------------------------------


def test_markup_left_counts_comments_and_shortcodes() -> None:
    renderer = new_renderer()
    rendered = renderer.render(
        '<!-- wp:paragraph -->\n\nText [gallery ids="1"] and [embed]x[/embed]\n'
    )
    assert markup_left(rendered) == 3


def test_markup_left_ignores_code_links_and_expected_literals() -> None:
    renderer = new_renderer()
    markdown = (
        "```\n<!-- wp:code -->\n```\n\nSee [source](http://x.org) and [video link][1].\n\n"
        "Type `[gallery]` to show one.\n"
    )
    rendered = renderer.render(markdown)
    assert markup_left(rendered, expected_literal=1) == 0
    assert markup_left(rendered) == 1


def test_score_post_end_to_end() -> None:
    content = "Hello world\n\nSecond paragraph [gallery]"
    score = score_post(7, "t", content, "Hello world\n\nSecond paragraph\n", new_renderer())
    assert score.recall == 1.0
    assert score.order == 1.0
    assert score.classic
    assert (score.source_paragraphs, score.output_paragraphs) == (2, 2)
    assert score.markup_left == 0


def test_score_post_reports_missing_words_and_mojibake() -> None:
    score = score_post(7, "t", "<p>one two three</p>", "one Iâ€™ll\n", new_renderer())
    assert score.recall == pytest.approx(1 / 3)
    assert dict(score.missing) == {"two": 1, "three": 1}
    assert score.mojibake_left == 1


# --- floors ------------------------------------------------------------------------


def test_check_floors_names_export_metric_value_and_floor() -> None:
    floors = {"site": {"recall_min": 0.99, "markup_left": 0}}
    problems = fidelity.check_floors([_row(recall_min=0.9812, markup_left=2)], floors)
    assert problems == [
        "site: recall_min = 0.9812 is below its floor 0.9900",
        "site: markup_left = 2 is above its ceiling 0",
    ]


def test_check_floors_flags_unpinned_and_unmeasured_exports() -> None:
    problems = fidelity.check_floors([_row("new")], {"gone": {"recall_min": 0.5}})
    assert any(problem.startswith("new: no floors pinned") for problem in problems)
    assert any(problem.startswith("gone: floors pinned but") for problem in problems)


def test_raised_floors_never_lowers_a_floor_nor_raises_a_ceiling() -> None:
    floors = {"site": {"recall_min": 0.99, "order_mean": 0.5, "markup_left": 0, "failed": 3}}
    worse = _row(recall_min=0.9, order_mean=0.98765, markup_left=5, failed=1)
    updated = fidelity.raised_floors(floors, [worse])["site"]
    assert updated["recall_min"] == 0.99  # kept: lowering is a hand edit
    assert updated["order_mean"] == 0.987  # raised, rounded down
    assert updated["markup_left"] == 0  # kept: a ceiling never rises
    assert updated["failed"] == 1  # tightened


def test_raised_floors_pins_new_exports_at_measured_values() -> None:
    updated = fidelity.raised_floors({}, [_row(recall_mean=0.99876)])
    assert updated["site"]["recall_mean"] == 0.998
    assert updated["site"]["markup_left"] == 0


def test_raised_floors_caps_the_paragraph_ratio() -> None:
    updated = fidelity.raised_floors({}, [_row(paragraph_ratio=1.6, paragraph_kept=0.9912)])
    assert updated["site"]["paragraph_ratio"] == 0.95
    assert updated["site"]["paragraph_kept"] == 0.991


def test_save_floors_keeps_notes(tmp_path: Path) -> None:
    path = tmp_path / "floors.json"
    path.write_text(json.dumps({"_note": "hand edits only", "site": {"recall_min": 0.5}}))
    fidelity.save_floors({"site": {"recall_min": 0.6}}, path)
    assert json.loads(path.read_text()) == {"_note": "hand edits only", "site": {"recall_min": 0.6}}
    assert fidelity.load_floors(path) == {"site": {"recall_min": 0.6}}


def test_pinned_floors_file_is_well_formed() -> None:
    floors = fidelity.load_floors()
    known = set(fidelity.FLOOR_METRICS) | set(fidelity.CEILING_METRICS)
    for export, values in floors.items():
        assert set(values) <= known, export
        assert all(isinstance(value, int | float) for value in values.values()), export


def test_format_table_has_one_line_per_export_and_overall() -> None:
    table = fidelity.format_table([_row("a"), _row("bb", recall_min=0.5)])
    lines = table.splitlines()
    assert len(lines) == 5
    assert lines[-1].startswith("ALL")
    assert len({len(line) for line in lines}) == 1  # fixed width
