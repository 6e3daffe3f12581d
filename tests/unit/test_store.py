import sqlite3
import threading

import pytest

from annotator.core.errors import DatabaseBusy, RefusedInput
from annotator.core.migrations import migrations
from annotator.core.store import Store


def add_sentence(store, text="Shares fell 10% on Monday."):
    with store.write() as db:
        doc = db.execute(
            """INSERT INTO documents (sha256, text, lang, lang_prob, origin, ingested_at)
               VALUES (?, ?, 'en', 1.0, 'test', 'now')""",
            [str(hash(text)), text],
        ).lastrowid
        para = db.execute(
            """INSERT INTO paragraphs (document_id, idx, start, "end", kind, lang, lang_prob)
               VALUES (?, 0, 0, ?, 'body', 'en', 1.0)""",
            [doc, len(text)],
        ).lastrowid
        return db.execute(
            """INSERT INTO sentences (document_id, paragraph_id, idx, start, "end", text, lang,
                   lang_prob) VALUES (?, ?, 0, 0, ?, ?, 'en', 1.0)""",
            [doc, para, len(text), text],
        ).lastrowid


def add_span(store, sentence_id, start, end, label="QUANTITY"):
    with store.write() as db:
        db.execute(
            """INSERT INTO spans (sentence_id, start, "end", label, origin, updated_at)
               VALUES (?, ?, ?, ?, 'human', 'now')""",
            [sentence_id, start, end, label],
        )


def test_a_new_file_is_migrated_in_wal_with_foreign_keys(store, db_path):
    assert migrations.pending(store.db) == []
    assert store.schema_version == len(migrations.applied(store.db)) >= 2
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    plain = sqlite3.connect(db_path)
    assert plain.execute("PRAGMA user_version").fetchone()[0] == store.schema_version
    tables = {r[0] for r in plain.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "paragraphs", "sentences", "sources", "spans", "events"} <= tables


def test_reopening_applies_nothing_twice(db_path):
    Store(db_path).close()
    with Store(db_path) as again:
        names = [m.name for m in migrations.applied(again.db)]
        assert names == [
            "0001_initial",
            "0002_attributions_entities",
            "0003_review",
            "0004_contradictions",
            "0005_contradictions_by_entity",
            "0006_foreign_key_indexes",
            "0007_maintenance",
            "0008_entity_decisions",
            "0009_sentence_scores",
        ]


def test_tables_are_strict(store):
    with pytest.raises(sqlite3.IntegrityError), store.write() as db:
        db.execute(
            """INSERT INTO documents (sha256, text, lang, lang_prob, origin, ingested_at)
               VALUES ('x', 'text', 'en', 'not a number', 'test', 'now')"""
        )


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError), store.write() as db:
        db.execute(
            """INSERT INTO spans (sentence_id, start, "end", label, origin, updated_at)
               VALUES (999, 0, 1, 'QUOTE', 'human', 'now')"""
        )


def test_span_offsets_are_checked_against_the_sentence_on_every_write(store):
    sentence = add_sentence(store, "Shares fell 10% 🙂 on Monday.")
    add_span(store, sentence, 12, 15)
    # Offsets are code points: the emoji is one character, as in Python.
    add_span(store, sentence, 16, 17, label="ENTITY")
    with pytest.raises(sqlite3.IntegrityError, match="out of range"):
        add_span(store, sentence, 20, 29)
    with pytest.raises(sqlite3.IntegrityError, match="out of range"), store.write() as db:
        db.execute('UPDATE spans SET "end" = 100 WHERE sentence_id = ?', [sentence])
    with pytest.raises(sqlite3.IntegrityError):
        add_span(store, sentence, 5, 5)
    assert store.db.execute("SELECT count(*) FROM spans").fetchone()[0] == 2


def test_events_are_append_only(store):
    with store.write():
        store.append_event("ana", "accept", {"span": 1})
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), store.write() as db:
        db.execute("UPDATE events SET reviewer = 'eve'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), store.write() as db:
        db.execute("DELETE FROM events")
    assert store.db.execute("SELECT reviewer, action FROM events").fetchall() == [("ana", "accept")]


def test_a_failed_write_rolls_back_and_a_nested_one_is_a_savepoint(store):
    with pytest.raises(RuntimeError), store.write():
        store.ensure_source("outlet", "Reuters")
        raise RuntimeError("boom")
    assert store.db.execute("SELECT count(*) FROM sources").fetchone()[0] == 0
    with store.write():
        store.ensure_source("outlet", "Reuters")
        with pytest.raises(RuntimeError), store.write():
            store.ensure_source("outlet", "AP")
            raise RuntimeError("inner")
    names = [r[0] for r in store.db.execute("SELECT name FROM sources")]
    assert names == ["Reuters"]


def test_a_source_is_one_row_however_it_is_spelt(store):
    with store.write():
        first = store.ensure_source("outlet", "Financial Times")
        assert store.ensure_source("outlet", "  financial   TIMES ") == first
        assert store.ensure_source("person", "Financial Times") != first


def test_concurrent_read_modify_write_loses_nothing(db_path):
    """Four connections increment one counter; BEGIN IMMEDIATE serialises them."""
    with Store(db_path) as setup, setup.write() as db:
        db.execute("INSERT INTO sources (kind, name, key) VALUES ('unknown', '0', 'counter')")
    errors = []

    def writer():
        with Store(db_path) as mine:
            for _ in range(100):
                try:
                    with mine.write() as db:
                        (value,) = db.execute(
                            "SELECT name FROM sources WHERE key = 'counter'"
                        ).fetchone()
                        db.execute(
                            "UPDATE sources SET name = ? WHERE key = 'counter'",
                            [str(int(value) + 1)],
                        )
                        mine.append_event("w", "increment")
                except (sqlite3.Error, RefusedInput) as error:  # pragma: no cover
                    errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Store(db_path) as check:
        assert errors == []
        assert check.db.execute("SELECT name FROM sources").fetchone()[0] == "400"
        assert check.db.execute("SELECT count(*) FROM events").fetchone()[0] == 400


def test_a_writer_that_waits_too_long_is_told_in_one_line_and_writes_nothing(db_path):
    Store(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store(db_path, busy_timeout=0.2) as waiting:
            busy = pytest.raises(DatabaseBusy, match="another program has been writing to it")
            with busy, waiting.write() as db:
                db.execute("INSERT INTO sources (kind, name, key) VALUES ('unknown', 'x', 'x')")
            assert not waiting.db.conn.in_transaction
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store(db_path) as check:
        assert check.db.execute("SELECT count(*) FROM sources").fetchone()[0] == 0


def test_a_file_that_is_not_a_database_is_refused_in_one_line(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not sqlite " * 100)
    with pytest.raises(RefusedInput, match="cannot open database"):
        Store(bogus)


def unindexed_foreign_keys(db) -> list[str]:
    """Foreign keys with no index starting with the key: deleting a parent row
    (or ON DELETE SET NULL / CASCADE) then scans the whole child table."""
    missing = []
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        # An INTEGER PRIMARY KEY is the rowid: looked up without an index.
        rowid = {r[1] for r in db.execute(f"PRAGMA table_info('{table}')") if r[5] == 1}
        leading = set()
        for _, index, *_ in db.execute(f"PRAGMA index_list('{table}')").fetchall():
            columns = db.execute(f"PRAGMA index_info('{index}')").fetchall()
            if columns:
                leading.add(columns[0][2])
        for fk in db.execute(f"PRAGMA foreign_key_list('{table}')").fetchall():
            column = fk[3]
            if column not in leading and column not in rowid:
                missing.append(f"{table}.{column} -> {fk[2]}")
    return missing


def test_every_foreign_key_has_an_index(store):
    assert unindexed_foreign_keys(store.db) == []
