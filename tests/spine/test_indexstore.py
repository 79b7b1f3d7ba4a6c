"""The index's SQLite-backed maps behave as the dicts they replace, and leave nothing
behind in the output directory."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE
from wpmigrate.indexstore import IndexStore, sorted_items
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert

# Keys as URLs can be: any text that UTF-8 can encode (no lone surrogates).
_KEYS = st.text(alphabet=st.characters(blacklist_categories=("Cs",))) | st.sampled_from(
    ["?", "/?p=1", "/a/?x", "é?", "/a/"]
)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(_KEYS, _KEYS), max_size=40))
def test_setdefault_get_and_order_match_a_dict(tmp_path_factory: pytest.TempPathFactory,
                                               pairs: list[tuple[str, str]]) -> None:
    with IndexStore(tmp_path_factory.mktemp("store")) as store:
        table = store.map("t", "TEXT", pickled=False)
        plain: dict[str, str] = {}
        for key, value in pairs:
            assert table.setdefault(key, value) == plain.setdefault(key, value)
        assert len(table) == len(plain)
        assert list(table) == sorted(plain)  # SQLite's order is code point order
        assert list(table.sorted_items()) == sorted(plain.items())
        for with_query in (True, False):  # keys with a "?" (or without), picked by SQLite
            expected = [(k, v) for k, v in sorted(plain.items()) if ("?" in k) is with_query]
            assert list(sorted_items(table, with_query)) == expected
            assert list(sorted_items(plain, with_query)) == expected
        for key, _value in pairs:
            assert key in table
            assert table.get(key) == plain[key]
        assert table.get("\x00absent") is None and "\x00absent" not in table


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("abcde"), _KEYS), max_size=8),
    st.lists(st.tuples(st.sampled_from("abcdef"), _KEYS), max_size=12),
)
def test_batched_setdefault_and_get_match_one_at_a_time(
    tmp_path_factory: pytest.TempPathFactory,
    before: list[tuple[str, str]],
    pairs: list[tuple[str, str]],
) -> None:
    """Keys repeat within a batch and with what the table holds already."""
    with IndexStore(tmp_path_factory.mktemp("store")) as store:
        table = store.map("t", "TEXT", pickled=False)
        plain: dict[str, str] = {}
        for key, value in before:
            table.setdefault(key, value)
            plain.setdefault(key, value)
        assert table.get_many([key for key, _ in pairs] + ["zz"]) == {
            key: plain[key] for key, _ in pairs if key in plain
        }
        expected = [plain.setdefault(key, value) for key, value in pairs]
        assert table.setdefault_many(pairs) == expected
        assert dict(table.sorted_items()) == plain


def test_pickled_values_and_integer_keys(tmp_path: Path) -> None:
    with IndexStore(tmp_path) as store:
        table = store.map("planned", "INTEGER", pickled=True)
        table[10] = ("slug", 2)
        table[2] = ("parent", 0)
        assert table[10] == ("slug", 2)
        assert list(table) == [2, 10]
        assert list(sorted_items(table)) == [(2, ("parent", 0)), (10, ("slug", 2))]
        assert list(table.values()) == [("parent", 0), ("slug", 2)]
        assert table.pop(2) == ("parent", 0)
        with pytest.raises(KeyError):
            table[2]


def _read_in_child(store: IndexStore, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """In a forked child: read the committed table through the inherited store."""
    queue.put(store.connection().execute("SELECT v FROM urls WHERE k = '/a/'").fetchone()[0])


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked"
)
def test_a_forked_process_reads_with_its_own_connection(tmp_path: Path) -> None:
    with IndexStore(tmp_path) as store:
        store.begin()
        urls = store.map("urls", "TEXT", pickled=False)
        urls.setdefault("/a/", "/posts/a/")
        store.commit()
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(target=_read_in_child, args=(store, queue))
        child.start()
        assert queue.get(timeout=30) == "/posts/a/"
        child.join()
        assert child.exitcode == 0
        assert urls["/a/"] == "/posts/a/"  # this process's connection still works


def _write_in_child(store: IndexStore, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """In a forked child: read, then try to write, through the inherited store."""
    connection = store.connection()
    found = connection.execute("SELECT v FROM urls WHERE k = '/a/'").fetchone()[0]
    try:
        connection.execute("INSERT INTO urls VALUES ('/b/', '/posts/b/')")
    except sqlite3.OperationalError as error:
        queue.put((found, str(error)))
    else:
        queue.put((found, "written"))


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked"
)
def test_a_frozen_store_is_read_only_in_processes_that_connect_afterwards(
    tmp_path: Path,
) -> None:
    with IndexStore(tmp_path) as store:
        store.begin()
        urls = store.map("urls", "TEXT", pickled=False)
        urls.setdefault("/a/", "/posts/a/")
        store.freeze()
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(target=_write_in_child, args=(store, queue))
        child.start()
        found, outcome = queue.get(timeout=30)
        child.join()
        assert found == "/posts/a/"
        assert "readonly" in outcome  # opened immutable: SQLite refuses writes
        assert "/b/" not in urls
        assert urls["/a/"] == "/posts/a/"  # this process reconnected, read-only too
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            urls["/c/"] = "/posts/c/"


def test_a_scratch_table_has_a_file_of_its_own_for_the_block(tmp_path: Path) -> None:
    with IndexStore(tmp_path) as store:
        store.begin()
        redirects = store.map("redirects", "TEXT", pickled=False)
        redirects["/a/"] = "/posts/a/"
        store.freeze()
        before = sorted(tmp_path.iterdir())
        with redirects.scratch("derived") as table:
            table.add_missing([("/x", "1"), ("/y", "2"), ("/x", "3")])
            assert list(table.sorted_items()) == [("/x", "1"), ("/y", "2")]
            assert len(list(tmp_path.iterdir())) == len(before) + 1
        assert sorted(tmp_path.iterdir()) == before
        assert [name for (name,) in store.connection().execute(
            "SELECT name FROM sqlite_master")] == ["redirects"]


def test_convert_leaves_no_scratch_files(tmp_path: Path) -> None:
    convert(SAMPLE, ConvertOptions(output=tmp_path, workers=1))
    convert(SAMPLE, ConvertOptions(output=tmp_path, workers=1))  # a rerun: earlier files
    hidden = [p.name for p in tmp_path.rglob(".*")]
    assert hidden == []


_PATHS = st.from_regex(r"/[a-z%0-9/é]{0,12}(\?(p|page_id)=[0-9]{1,3})?", fullmatch=True)


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(_PATHS, _PATHS, max_size=30))
def test_redirect_files_from_the_table_are_those_from_a_dict(
    tmp_path_factory: pytest.TempPathFactory, redirects: dict[str, str]
) -> None:
    from wpmigrate.writers.redirects import WRITERS

    with IndexStore(tmp_path_factory.mktemp("store")) as store:
        table = store.map("redirects", "TEXT", pickled=False)
        for old, new in redirects.items():
            table[old] = new
        for name, lines in WRITERS.items():
            assert "".join(lines(table)) == "".join(lines(redirects)), name


def test_attachment_children_follow_the_last_version(tmp_path: Path) -> None:
    from wpmigrate.index import AttachmentMap
    from wpmigrate.model import Media

    with IndexStore(tmp_path) as store:
        attachments = AttachmentMap(store)
        attachments[3] = Media(id=3, url="u3", parent=7)
        attachments[1] = Media(id=1, url="u1", parent=7)
        attachments[2] = Media(id=2, url="u2", parent=7)
        attachments[2] = Media(id=2, url="u2", parent=8)  # a duplicate ID, moved
        assert [m.id for m in attachments.children_of(7)] == [1, 3]
        assert [m.id for m in attachments.children_of(8)] == [2]
        assert attachments.children_of(9) == []
