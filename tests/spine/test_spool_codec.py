"""The spool's pickles: each one alone, naming no class, read back equal."""

from __future__ import annotations

import dataclasses
import inspect
import os
import pickle
from datetime import datetime
from pathlib import Path

import pytest

import wpmigrate.index as index_module
import wpmigrate.model as model
from tests.conftest import SAMPLE
from wpmigrate.model import Comment, Post, SourceRef, TermRef, fast_pickle, record_maker
from wpmigrate.pass2 import Outcome
from wpmigrate.policy import Decision
from wpmigrate.sources.base import UnreadableItem
from wpmigrate.sources.wxr import WxrSource
from wpmigrate.spool import DiskList, ItemSpool

RECORDS = [
    model.Site, model.Author, model.Term, model.TermRef, model.Comment, model.SourceRef,
    model.Post, model.Media, model.SiteData, model.ItemReport, Decision, UnreadableItem,
    Outcome, index_module.Planned, index_module.ItemRecord, index_module.ItemStub,
]  # fmt: skip


@fast_pickle
@dataclasses.dataclass(frozen=True, slots=True)
class Late:
    """A record class made after the model's (a spool made earlier must still cope)."""

    name: str
    when: datetime | None = None


def _post(number: int) -> Post:
    date = datetime(2020, 1, number)
    return Post(
        id=number,
        title=f"Post {number} — ünïcode ✓",
        date=date,
        modified=date,
        terms=(TermRef("category", "news", "News"), TermRef("post_tag", "t", "T")),
        meta=(("_thumbnail_id", "7"),),
        comments=(Comment(id=1, content="Hi", date=date),),
        source=SourceRef("export.xml", number),
    )


def test_items_round_trip_in_any_order(tmp_path: Path) -> None:
    items = [*WxrSource(SAMPLE).iter_items(), *(_post(n) for n in range(1, 5))]
    items.append(UnreadableItem(id="line 3", title="", reason="no wp:post_id"))
    with ItemSpool(tmp_path) as spool:
        for item in items:
            spool.append(item)
        assert [spool.get(seq) for seq in reversed(range(len(items)))] == items[::-1]
        assert list(spool) == items


def test_a_pickle_names_no_known_class(tmp_path: Path) -> None:
    with DiskList[Post](tmp_path) as posts:
        posts.append(_post(1))
        posts.flush()
        data = os.pread(posts._file.fileno(), posts._sizes[0], posts._starts[0])
    assert b"wpmigrate" not in data and b"datetime" not in data
    assert b"Post 1" in data


def test_term_references_read_back_are_shared(tmp_path: Path) -> None:
    with DiskList[Post](tmp_path) as posts:
        posts.append(_post(1))
        posts.append(_post(2))
        first, second = posts[0], posts[1]
    assert first.terms == second.terms
    assert all(a is b for a, b in zip(first.terms, second.terms, strict=True))


def test_values_of_other_kinds_and_later_classes(tmp_path: Path) -> None:
    values = [None, [1, "two", (3.0, b"4")], {"k": {1, 2}}, Late("x", datetime(2021, 5, 6))]
    with DiskList[object](tmp_path) as spool:
        for value in values:
            spool.append(value)
        assert list(spool) == values


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_a_records_maker_takes_what_its_class_takes(cls: type) -> None:
    make = record_maker(cls)
    parameters = inspect.signature(cls).parameters.values()
    assert [(p.name, p.default, p.kind) for p in inspect.signature(make).parameters.values()] == [
        (p.name, p.default, p.kind) for p in parameters
    ]
    frozen = cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert (make is not cls) == frozen


def test_a_maker_makes_what_the_class_makes() -> None:
    post = _post(3)
    values = tuple(getattr(post, f.name) for f in dataclasses.fields(Post))
    made = record_maker(Post)(*values)
    assert made == post and type(made) is Post
    assert record_maker(Post)(id=5, title="t") == Post(id=5, title="t")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.title = "changed"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(post)) == post


def test_a_class_that_does_more_when_made_is_its_own_maker() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError(self.value)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Listed:
        values: list[int] = dataclasses.field(default_factory=list)

    assert record_maker(fast_pickle(Checked)) is Checked
    assert record_maker(fast_pickle(Listed)) is Listed
