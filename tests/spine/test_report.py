"""The report streams as the same JSON text ``json.dumps`` gives for the whole."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpmigrate.model import ItemReport, Site
from wpmigrate.report import ItemLog, MediaSummary, Report, _item_dict, item_json

items = st.lists(
    st.builds(
        ItemReport,
        id=st.integers(0, 10**6) | st.text(max_size=8),  # unreadable items: "line 5"
        type=st.sampled_from(["post", "page", "file"]),
        status=st.text(max_size=5),
        title=st.text(max_size=20),  # any text: quotes, controls, U+2028, astral
        outcome=st.sampled_from(["written", "skipped", "failed"]),
        reason=st.text(max_size=20),
        path=st.text(max_size=10),
        source=st.text(max_size=10),
        warnings=st.lists(st.text(max_size=10), max_size=3).map(tuple),
        repairs=st.integers(0, 3),
        unknown_shortcodes=st.lists(
            st.tuples(st.text(max_size=6), st.integers(1, 9)), max_size=3
        ).map(tuple),
    ),
    max_size=5,
)


@settings(max_examples=300)
@given(items, st.lists(st.text(max_size=10), max_size=2))
def test_streamed_json_equals_whole_json(reports: list[ItemReport], lost: list[str]) -> None:
    report = Report("s.xml", "wxr", "hugo", Site(title="Site"), items=reports, lost=lost)
    whole = json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n"
    assert report.to_json() == whole
    assert json.loads(whole)["totals"]["items"] == len(reports)


lines = st.lists(st.text(max_size=12) | st.just("\x00wpmigrate list 0\x00"), max_size=4)


@settings(max_examples=300)
@given(items, lines, lines, lines, lines)
def test_the_lists_after_the_items_stream_as_json_dumps_gives_them(
    reports: list[ItemReport], missing: list[str], files: list[str], stale: list[str],
    lost: list[str],
) -> None:
    """Missing media, files, stale files and lost data: each string on its own line."""
    report = Report("s.xml", "wxr", "hugo", Site(title="Site"), items=reports, lost=lost,
                    media=MediaSummary(missing=missing), files=files, stale=stale)
    assert report.to_json() == json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n"


@settings(max_examples=100, deadline=None)
@given(items, st.lists(st.booleans(), min_size=5, max_size=5))
def test_a_log_written_as_it_goes_gives_the_same_json(
    tmp_path_factory: pytest.TempPathFactory, reports: list[ItemReport], by_worker: list[bool]
) -> None:
    """Lines whose JSON text a worker made, or the log itself: the whole report's text."""
    log = ItemLog(tmp_path_factory.mktemp("log"))
    for report_line, made_elsewhere in zip(reports, by_worker, strict=False):
        log.append(report_line, item_json(report_line) if made_elsewhere else None)
    report = Report("s.xml", "wxr", "hugo", Site(title="Site"), items=log)
    whole = json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n"
    assert report.to_json() == whole == report.to_json()  # read twice: the log goes on
    log.append(ItemReport(id=1, type="post", status="publish", title="é", outcome="written"))
    assert report.to_json() == json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n"


@settings(max_examples=500)
@given(items)
def test_item_json_is_json_dumps_indented(reports: list[ItemReport]) -> None:
    """Each line's own text, with or without nested fields (the flat ones take one C
    call with the layout's separators)."""
    for report_line in reports:
        whole = json.dumps(_item_dict(report_line), ensure_ascii=False, indent=1)
        assert item_json(report_line) == whole.replace("\n", "\n  ")
