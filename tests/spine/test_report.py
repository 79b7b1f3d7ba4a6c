"""The report streams as the same JSON text ``json.dumps`` gives for the whole."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from wpmigrate.model import ItemReport, Site
from wpmigrate.report import Report

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
