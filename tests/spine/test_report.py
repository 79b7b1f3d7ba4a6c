"""The report streams as the same JSON text ``json.dumps`` gives for the whole."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from wpmigrate.model import ItemReport, Site
from wpmigrate.report import Report

items = st.lists(
    st.builds(
        ItemReport,
        id=st.integers(0, 10**6),
        type=st.sampled_from(["post", "page", "file"]),
        status=st.text(max_size=5),
        title=st.text(max_size=20),
        outcome=st.sampled_from(["written", "skipped", "failed"]),
        reason=st.text(max_size=20),
        warnings=st.lists(st.text(max_size=10), max_size=2).map(tuple),
        repairs=st.integers(0, 3),
    ),
    max_size=5,
)


@given(items, st.lists(st.text(max_size=10), max_size=2))
def test_streamed_json_equals_whole_json(reports: list[ItemReport], lost: list[str]) -> None:
    report = Report("s.xml", "wxr", "hugo", Site(title="Site"), items=reports, lost=lost)
    whole = json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n"
    assert report.to_json() == whole
    assert json.loads(whole)["totals"]["items"] == len(reports)
