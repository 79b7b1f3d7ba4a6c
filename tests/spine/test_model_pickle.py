"""Records cross processes and the spool pickled as (class, field values)."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

import wpmigrate.index as index_module
import wpmigrate.model as model
from tests.conftest import SAMPLE
from wpmigrate.pass2 import Outcome
from wpmigrate.policy import Decision
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.sources.wxr import WxrSource

RECORDS = [
    model.Site, model.Author, model.Term, model.TermRef, model.Comment, model.SourceRef,
    model.Post, model.Media, model.SiteData, model.ItemReport, Decision, UnreadableItem,
    Outcome, index_module.Planned, index_module.ItemRecord,
]


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_every_field_is_an_init_argument(cls: type) -> None:
    assert all(f.init for f in dataclasses.fields(cls))


def test_items_of_the_sample_round_trip() -> None:
    items = list(WxrSource(SAMPLE).iter_items())
    assert items
    for item in items:
        assert pickle.loads(pickle.dumps(item, pickle.HIGHEST_PROTOCOL)) == item


def test_a_one_field_record_round_trips() -> None:
    ref = model.SourceRef("x.xml", 3)
    assert pickle.loads(pickle.dumps(ref)) == ref
