"""Batch commands hold the write lock only briefly: the slow work is done with no
transaction open, and writes are committed every WRITE_BUDGET_SECONDS."""

import json
import sqlite3
import time

import pytest

from annotator.core.batches import WriteBatches
from annotator.core.errors import DatabaseBusy
from annotator.core.proposals import propose_stored
from annotator.core.store import Store
from annotator.export import importer
from annotator.export.native import native_lines
from annotator.nlp.pipeline import Pipeline


def _sources(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM sources").fetchone()[0]
    finally:
        conn.close()


def _add(batches: WriteBatches, name: str) -> None:
    with batches.write():
        batches.store.ensure_source("outlet", name)


def test_a_batch_commits_once_its_budget_is_spent(store, db_path):
    with WriteBatches(store, budget=0) as batches:
        _add(batches, "a")
        assert _sources(db_path) == 1
        _add(batches, "b")
        assert _sources(db_path) == 2
    with WriteBatches(store, budget=60) as batches:
        _add(batches, "c")
        _add(batches, "d")
        assert _sources(db_path) == 2
    assert _sources(db_path) == 4


def test_a_failing_write_is_undone_alone(store):
    with WriteBatches(store, budget=60) as batches:
        _add(batches, "a")
        with pytest.raises(RuntimeError), batches.write():
            store.ensure_source("outlet", "b")
            raise RuntimeError("refused")
        _add(batches, "c")
    names = [r[0] for r in store.db.execute("SELECT name FROM sources ORDER BY name")]
    assert names == ["a", "c"]


class Watching:
    """The rule pipeline, noting whether a transaction is open while it works."""

    def __init__(self, store: Store):
        self.store = store
        self.pipeline = Pipeline("rules")
        self.origin = self.pipeline.origin
        self.locked: list[bool] = []

    def propose_documents(self, documents):
        for found in self.pipeline.propose_documents(documents):
            self.locked.append(self.store.db.conn.in_transaction)
            yield found


def test_propose_runs_the_pipeline_with_no_transaction_open(seeded):
    watching = Watching(seeded)
    propose_stored(seeded, watching)
    assert watching.locked == [False, False]


def test_import_commits_every_few_records(seeded, tmp_path, monkeypatch):
    """Twenty records taking 20 ms each are committed in several transactions,
    as another connection sees."""
    lines = [json.loads(line) for line in native_lines(seeded)][:20]
    exported = tmp_path / "some.jsonl"
    exported.write_text("".join(json.dumps(line) + "\n" for line in lines))
    target = tmp_path / "target.db"
    Store(target).close()
    watcher = sqlite3.connect(target)
    versions = []
    check = importer.parse_record

    def slow_check(line):
        versions.append(watcher.execute("PRAGMA data_version").fetchone()[0])
        time.sleep(0.02)
        return check(line)

    monkeypatch.setattr(importer, "parse_record", slow_check)
    with Store(target) as store:
        summary = importer.import_native(store, exported)
    watcher.close()
    assert summary.added == 20
    # 20 × 20 ms in batches of 50 ms: a commit every three records or so.
    assert len(set(versions)) >= 4, versions


def test_import_stops_in_one_line_when_the_file_stays_locked(seeded, tmp_path):
    """A lock held past the timeout is the file's state, not one record's: import
    stops at once instead of waiting the timeout out for every record."""
    exported = tmp_path / "some.jsonl"
    exported.write_text("".join(line + "\n" for line in native_lines(seeded)))
    target = tmp_path / "target.db"
    Store(target).close()
    holder = sqlite3.connect(target, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    try:
        with Store(target, busy_timeout=0.2) as store, pytest.raises(DatabaseBusy):
            importer.import_native(store, exported)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert time.monotonic() - started < 2
