"""Files written by earlier versions of annotator open, migrate and keep every row.

tests/data/schema-v1.db was made by the first release (only migration 0001):
the seeds and two JSONL wire stories. tests/data/schema-v3.db was made by the
release that added review (0001-0003): the seeds ingested with proposals, then
reviewer actions, the last one undone. See tests/data/README.md.
"""

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.core import actions
from annotator.core.identity import APPLICATION_ID
from annotator.core.migrations import migrations
from annotator.core.store import Store
from tests.unit.test_store import unindexed_foreign_keys

DATA = Path(__file__).resolve().parent.parent / "data"


def _user_tables(conn: sqlite3.Connection) -> list[str]:
    # FTS shadow tables are SQLite's own bookkeeping, checked by `doctor` instead.
    return [
        name
        for (name,) in conn.execute(
            """SELECT name FROM sqlite_master WHERE type = 'table'
               AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'sentences_fts%'"""
        )
    ]


def _snapshot(path: Path) -> dict[str, dict[int, dict]]:
    """Every row of every table, by rowid."""
    conn = sqlite3.connect(path)
    try:
        snapshot = {}
        for table in _user_tables(conn):
            cursor = conn.execute(f'SELECT rowid, * FROM "{table}"')
            columns = [d[0] for d in cursor.description[1:]]
            snapshot[table] = {row[0]: dict(zip(columns, row[1:], strict=True)) for row in cursor}
        return snapshot
    finally:
        conn.close()


@pytest.fixture(params=["schema-v1.db", "schema-v3.db"])
def old_file(request, tmp_path) -> tuple[Path, int]:
    path = tmp_path / request.param
    shutil.copy(DATA / request.param, path)
    version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
    return path, version


def test_an_old_file_is_migrated_on_open_and_keeps_every_row(old_file):
    path, version = old_file
    before = _snapshot(path)
    assert before["documents"], "the fixture holds documents"
    with Store(path) as store:
        assert migrations.pending(store.db) == []
        assert store.schema_version > version
        assert unindexed_foreign_keys(store.db) == []
        # Recognised by their migrations table, and marked as ours from now on.
        assert store.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        current = store.schema_version
    after = _snapshot(path)
    for table, rows in before.items():
        if table == "_sqlite_migrations":
            continue
        for rowid, row in rows.items():
            kept = after[table].get(rowid)
            assert kept is not None, (table, rowid)
            assert {k: kept[k] for k in row} == row, (table, rowid)
    # Opening again changes nothing.
    with Store(path) as store:
        assert store.schema_version == current
    assert _snapshot(path) == after


def test_a_migrated_file_passes_doctor_and_takes_new_work(old_file, run_cli):
    path, _ = old_file
    before = _snapshot(path)
    doctor = run_cli("doctor", "--db", path)
    # doctor looks without migrating: the file is untouched and the pending
    # migrations are named.
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "migrations pending" in doctor.stdout
    assert _snapshot(path) == before
    propose = run_cli("propose", "--model", "rules", "--db", path)
    assert propose.returncode == 0, propose.stderr
    after = run_cli("doctor", "--db", path)
    assert after.returncode == 0, after.stdout
    assert "(current)" in after.stdout
    with Store(path) as store:
        spans = store.db.execute("SELECT count(*) FROM spans").fetchone()[0]
        documents = store.db.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert spans > 0 and documents == len(before["documents"])


def test_review_history_made_before_the_migration_still_undoes_and_redoes(tmp_path):
    path = tmp_path / "schema-v3.db"
    shutil.copy(DATA / "schema-v3.db", path)
    with Store(path) as store:
        # The last action of "ann" (accepting a span) was undone before the upgrade.
        undone_span = store.db.execute(
            """SELECT json_extract(payload, '$.changes[0].key.id') FROM events
               WHERE id = (SELECT json_extract(payload, '$.event') FROM events
                           WHERE action = 'undo')"""
        ).fetchone()[0]
        status = "SELECT status FROM spans WHERE id = ?"
        assert store.db.execute(status, [undone_span]).fetchone()[0] == "proposed"
        assert actions.redo(store, "ann") is not None
        assert store.db.execute(status, [undone_span]).fetchone()[0] == "accepted"
        # Walking back over the pre-upgrade rating of Reuters restores "no rating".
        actions.undo(store, "ann")
        actions.undo(store, "ann")
        assert store.db.execute("SELECT count(*) FROM source_ratings").fetchone()[0] == 0
        assert actions.redo(store, "ann") is not None
        assert store.db.execute("SELECT reliability FROM source_ratings").fetchone()[0] == "B"
