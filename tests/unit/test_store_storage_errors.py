"""A database that cannot be written (read-only, full, failing) is one refusal,
raised by Store.write(), with nothing of the transaction left behind."""

import sqlite3

import pytest

from annotator.core.errors import DatabaseUnwritable, RefusedInput


def _count(store) -> int:
    return store.db.execute("SELECT count(*) FROM events").fetchone()[0]


def test_a_read_only_database_refuses_the_write_in_one_line(store):
    store.db.execute("PRAGMA query_only = ON")
    with pytest.raises(DatabaseUnwritable, match="read-only") as refused, store.write():
        store.append_event("ann", "test")
    assert isinstance(refused.value, RefusedInput)
    assert "\n" not in str(refused.value) and "nothing was saved" in str(refused.value)
    assert not store.db.conn.in_transaction


def test_a_full_disk_refuses_the_write_and_rolls_it_back(store):
    before = _count(store)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DatabaseUnwritable, match="full") as refused, store.write():
        for _ in range(50):
            store.append_event("ann", "test", {"padding": "x" * 50_000})
    assert "\n" not in str(refused.value)
    assert not store.db.conn.in_transaction
    store.db.execute(f"PRAGMA max_page_count = {pages * 100}")
    assert _count(store) == before
    with store.write():
        store.append_event("ann", "test")
    assert _count(store) == before + 1


def test_other_sqlite_errors_are_not_mistaken_for_storage(store):
    with pytest.raises(sqlite3.OperationalError, match="no such table"), store.write() as db:
        db.execute("SELECT * FROM no_such_table")
    assert not store.db.conn.in_transaction
