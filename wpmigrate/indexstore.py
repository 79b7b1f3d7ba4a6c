"""The index's big maps on disk: a scratch SQLite database in the output directory.

A 50k-post site has 160k old URLs, each with a redirect, and 50k planned items; held
as Python dicts that is about 1.9 KB per post, so memory would grow with the export.
:class:`SqliteMap` keeps such a map in a table instead (SQLite's page cache is
bounded), behind the ``MutableMapping`` interface the index already uses, and iterates
in key order, which is what the redirect writers need.

SQLite connections must not cross ``fork``: each process opens its own. Once pass 1
has planned everything, the main process commits and ``freeze`` marks the file
read-only for good: connections opened after that (by pass 2's workers) say it is
immutable, so SQLite neither locks the file nor checks it for changes before each
lookup. Derived tables that other processes build later (``scratch``) live in files
of their own, and so do the tables that another process fills while this one still
writes to the store (``annex``): SQLite lets one connection write to a file at a time.
A store's file is deleted when the store is closed.
"""

from __future__ import annotations

import operator
import os
import pickle
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import quote

K = TypeVar("K", str, int)
V = TypeVar("V")

_CACHE_KIB = 8 * 1024  # page cache per connection
_PAGE_BYTES = 16 * 1024
_READ_CACHE_SIZE = 4096  # text values remembered by SqliteMap.get
_KEYS_PER_QUERY = 500  # below SQLite's oldest limit on host parameters (999)


class IndexStore:
    """One scratch database; ``map`` gives a table as a mapping."""

    def __init__(self, folder: Path) -> None:
        handle, name = tempfile.mkstemp(prefix=".wpmigrate-index-", suffix=".sqlite", dir=folder)
        os.close(handle)
        self.path = Path(name)
        self._connections: dict[int, sqlite3.Connection] = {}
        self._frozen = False
        self._annex: IndexStore | None = None

    def connection(self) -> sqlite3.Connection:
        """This process's connection (a forked worker opens its own)."""
        pid = os.getpid()
        connection = self._connections.get(pid)
        if connection is None:
            connection = self._connect()
            connection.execute("PRAGMA journal_mode=OFF")  # scratch data: no journal
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
            connection.execute("PRAGMA temp_store=FILE")
            # a parent's connection (inherited by fork) stays referenced, never used
            # nor closed here: closing it in a child would touch the parent's handle
            self._connections[pid] = connection
        return connection

    def _connect(self) -> sqlite3.Connection:
        if self._frozen:  # read-only from now on: no locks, no change checks
            uri = f"file:{quote(str(self.path))}?mode=ro&immutable=1"
            return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        # (takes effect while the file is empty) bigger pages: fewer splits and a
        # shallower tree for the 160k random-order keys of a 50k-post site
        connection.execute(f"PRAGMA page_size={_PAGE_BYTES}")
        return connection

    def freeze(self) -> None:
        """Commit, and promise that nothing writes to this store (nor its annex) any
        more: this process reconnects, and processes that connect afterwards, as
        immutable (read-only)."""
        self.commit()
        self._frozen = True
        connection = self._connections.pop(os.getpid(), None)
        if connection is not None:
            connection.close()
        if self._annex is not None:
            self._annex.freeze()

    def annex(self) -> IndexStore:
        """A second file beside this one, frozen and closed with it, for tables that
        another process fills while this one holds the write transaction of the first
        (this process creates them first, outside any transaction)."""
        if self._annex is None:
            self._annex = IndexStore(self.path.parent)
        return self._annex

    def map(self, name: str, key_type: str, pickled: bool) -> SqliteMap[Any, Any]:
        """A new, empty table ``name`` (replacing one of that name) with TEXT or
        INTEGER keys, and text or pickled values."""
        return SqliteMap(self, name, key_type, pickled)

    def begin(self) -> None:
        """Start a write transaction, unless one is open (writes are batched in one)."""
        connection = self.connection()
        if not connection.in_transaction:
            connection.execute("BEGIN")

    def commit(self) -> None:
        """Make the writes visible to other processes' connections."""
        connection = self.connection()
        if connection.in_transaction:
            connection.execute("COMMIT")

    def close(self) -> None:
        """Close this process's connection and delete the file (and the annex's)."""
        connection = self._connections.pop(os.getpid(), None)
        if connection is not None:
            connection.close()
        self.path.unlink(missing_ok=True)
        if self._annex is not None:
            self._annex.close()

    def __enter__(self) -> IndexStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SqliteMap(MutableMapping[K, V], Generic[K, V]):
    """A table as a mapping: ``setdefault`` and ``get`` in one statement each,
    iteration in key order (SQLite's binary order: code point order, as ``sorted``)."""

    def __init__(self, store: IndexStore, name: str, key_type: str, pickled: bool) -> None:
        self._store = store
        self.name = name
        self._pickled = pickled
        self._key_type = key_type
        value_type = "BLOB" if pickled else "TEXT"
        connection = store.connection()
        connection.execute(f"DROP TABLE IF EXISTS {name}")
        connection.execute(
            f"CREATE TABLE {name} (k {key_type} PRIMARY KEY, v {value_type}) WITHOUT ROWID"
        )
        self._get = f"SELECT v FROM {name} WHERE k = ?"
        self._insert = f"INSERT OR IGNORE INTO {name} VALUES (?, ?)"
        self._replace = f"INSERT OR REPLACE INTO {name} VALUES (?, ?)"
        self._cache: dict[K, Any] = {}

    def _encode(self, value: V) -> object:
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL) if self._pickled else value

    def _decode(self, stored: Any) -> V:
        value: V = pickle.loads(stored) if self._pickled else stored
        return value

    def __getitem__(self, key: K) -> V:
        row = self._store.connection().execute(self._get, (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return self._decode(row[0])

    def get(self, key: K, default: Any = None) -> Any:
        """The value of ``key``. Text values are remembered (a bounded number, until
        the next write): pass 2 looks up the same internal links post after post."""
        if self._pickled:
            row = self._store.connection().execute(self._get, (key,)).fetchone()
            return default if row is None else self._decode(row[0])
        cache = self._cache
        if key in cache:
            found = cache[key]
        else:
            row = self._store.connection().execute(self._get, (key,)).fetchone()
            found = None if row is None else row[0]
            if len(cache) >= _READ_CACHE_SIZE:
                cache.clear()
            cache[key] = found
        return default if found is None else found

    def __contains__(self, key: object) -> bool:
        return self._store.connection().execute(self._get, (key,)).fetchone() is not None

    def setdefault(self, key: K, default: Any = None) -> Any:
        self._cache.clear()
        connection = self._store.connection()
        if connection.execute(self._insert, (key, self._encode(default))).rowcount:
            return default
        return self[key]

    def __setitem__(self, key: K, value: V) -> None:
        self._cache.clear()
        self._store.connection().execute(self._replace, (key, self._encode(value)))

    def __delitem__(self, key: K) -> None:
        self._cache.clear()
        cursor = self._store.connection().execute(f"DELETE FROM {self.name} WHERE k = ?", (key,))
        if not cursor.rowcount:
            raise KeyError(key)

    def __len__(self) -> int:
        row = self._store.connection().execute(f"SELECT count(*) FROM {self.name}").fetchone()
        return int(row[0])

    def __iter__(self) -> Iterator[K]:
        for (key,) in self._store.connection().execute(f"SELECT k FROM {self.name} ORDER BY k"):
            yield key

    def sorted_items(self, with_query: bool | None = None) -> Iterator[tuple[K, V]]:
        """(key, value) in key order, read as a stream; with ``with_query``, only the
        keys that hold a ``?`` (True) or do not (False), chosen by SQLite."""
        where = "" if with_query is None else f"WHERE instr(k, '?') {'>' if with_query else '='} 0"
        rows = self._store.connection().execute(f"SELECT k, v FROM {self.name} {where} ORDER BY k")
        if not self._pickled:
            return rows  # (key, value) tuples already
        return ((key, self._decode(stored)) for key, stored in rows)

    def set_many(self, pairs: Iterable[tuple[K, V]]) -> None:
        """``self[key] = value`` for many pairs in order, in one statement."""
        self._cache.clear()
        encoded = ((k, self._encode(v)) for k, v in pairs) if self._pickled else pairs
        self._store.connection().executemany(self._replace, encoded)

    def add_if_absent(self, key: K, value: V) -> bool:
        """Store ``value`` unless ``key`` has one; whether it was stored (one statement)."""
        self._cache.clear()
        cursor = self._store.connection().execute(self._insert, (key, self._encode(value)))
        return bool(cursor.rowcount)

    def setdefault_many(self, pairs: Sequence[tuple[K, V]]) -> list[V]:
        """``[self.setdefault(k, v) for k, v in pairs]`` in a few statements, however
        many pairs: add each key's first value unless the key has one, then answer
        from those values, or, when some key had one already (fewer rows were added
        than keys given), from the table."""
        first: dict[K, V] = {}
        for key, value in pairs:
            first.setdefault(key, value)
        connection = self._store.connection()
        before = connection.total_changes
        self.add_missing(first.items())
        if connection.total_changes - before != len(first):
            first = self.get_many(first)
        return [first[key] for key, _value in pairs]

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """The values of those ``keys`` that have one (one statement per 500 keys)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[K, V] = {}
        connection = self._store.connection()
        for start in range(0, len(wanted), _KEYS_PER_QUERY):
            chunk = wanted[start : start + _KEYS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            rows = connection.execute(f"SELECT k, v FROM {self.name} WHERE k IN ({marks})", chunk)
            found.update((key, self._decode(stored)) for key, stored in rows)
        return found

    def add_missing(self, pairs: Iterable[tuple[K, V]]) -> None:
        """``setdefault`` for many pairs in order (the first of a key wins), in one
        statement run by SQLite over the whole iterable."""
        self._cache.clear()
        encoded = ((k, self._encode(v)) for k, v in pairs) if self._pickled else pairs
        self._store.connection().executemany(self._insert, encoded)

    def values(self) -> Iterator[V]:  # type: ignore[override]  # a stream, not a view
        for _key, value in self.sorted_items():
            yield value

    @contextmanager
    def scratch(self, name: str) -> Iterator[SqliteMap[K, V]]:
        """A new, empty table of the same kinds for derived data that would not fit in
        memory either, in a store of its own beside this one (this one may be frozen,
        and other processes read it meanwhile); deleted when the block ends. Its rows
        are written in one transaction: one commit per row would cost a lock and a
        header write each."""
        with IndexStore(self._store.path.parent) as store:
            store.begin()
            yield store.map(name, self._key_type, self._pickled)


class RecordMap(SqliteMap[K, V]):
    """A table of records of one kind, each stored as the pickle of its fields' values
    in order (a tuple of plain values pickles in C, several times faster than the
    record) and read back as ``make(*values)``."""

    def __init__(
        self, store: IndexStore, name: str, key_type: str, make: Callable[..., V],
        fields: Sequence[str],
    ) -> None:
        super().__init__(store, name, key_type, pickled=True)
        assert len(fields) > 1  # attrgetter gives a tuple
        self._make = make
        self._fields = operator.attrgetter(*fields)

    def _encode(self, value: V) -> object:
        return pickle.dumps(self._fields(value), pickle.HIGHEST_PROTOCOL)

    def _decode(self, stored: Any) -> V:
        return self._make(*pickle.loads(stored))

    def set_values_many(self, pairs: Iterable[tuple[K, tuple[Any, ...]]]) -> None:
        """``set_many`` for records given as their fields' values (no record made)."""
        self._cache.clear()
        dumps, protocol = pickle.dumps, pickle.HIGHEST_PROTOCOL
        encoded = ((key, dumps(values, protocol)) for key, values in pairs)
        self._store.connection().executemany(self._replace, encoded)


# --- the same operations on a plain dict or on a table (the index without a store,
#     as unit tests and the library build it, keeps dicts) --------------------------


def setdefault_many(mapping: MutableMapping[K, V], pairs: Sequence[tuple[K, V]]) -> list[V]:
    """``[mapping.setdefault(k, v) for k, v in pairs]``, batched for an on-disk map."""
    if isinstance(mapping, SqliteMap):
        return mapping.setdefault_many(pairs)
    return [mapping.setdefault(key, value) for key, value in pairs]


def get_many(mapping: Mapping[K, V], keys: Iterable[K]) -> dict[K, V]:
    """The values of those ``keys`` that ``mapping`` has, batched for an on-disk map."""
    if isinstance(mapping, SqliteMap):
        return mapping.get_many(keys)
    return {key: mapping[key] for key in keys if key in mapping}


def set_many(mapping: MutableMapping[K, V], pairs: Iterable[tuple[K, V]]) -> None:
    """``mapping[k] = v`` for every pair, in order, batched for an on-disk map."""
    if isinstance(mapping, SqliteMap):
        mapping.set_many(pairs)
    else:
        mapping.update(pairs)


def add_missing(mapping: MutableMapping[K, V], pairs: Iterable[tuple[K, V]]) -> None:
    """``mapping.setdefault(k, v)`` for every pair, in order, batched on disk."""
    if isinstance(mapping, SqliteMap):
        mapping.add_missing(pairs)
        return
    for key, value in pairs:
        mapping.setdefault(key, value)


def add_if_absent(mapping: MutableMapping[K, V], key: K, value: V) -> bool:
    """Store ``value`` unless ``key`` has one; whether it was stored."""
    if isinstance(mapping, SqliteMap):
        return mapping.add_if_absent(key, value)
    if key in mapping:
        return False
    mapping[key] = value
    return True


def sorted_items(
    mapping: Mapping[K, V], with_query: bool | None = None
) -> Iterator[tuple[K, V]]:
    """(key, value) in key order: streamed from a table (which keeps its order), from
    a sorted copy of a dict's keys otherwise. With ``with_query``, only the text keys
    that hold a ``?`` (True) or do not (False). (The table's own iterator, with no
    generator around it: the redirect files read 150k rows several times.)"""
    if isinstance(mapping, SqliteMap):
        return mapping.sorted_items(with_query)
    return _sorted_dict_items(mapping, with_query)


def _sorted_dict_items(
    mapping: Mapping[K, V], with_query: bool | None
) -> Iterator[tuple[K, V]]:
    for key in sorted(mapping):
        if with_query is None or ("?" in key) is with_query:  # type: ignore[operator]  # text keys
            yield key, mapping[key]
