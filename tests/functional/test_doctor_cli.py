"""`annotator doctor` finds what is wrong with a database and changes nothing."""

import hashlib
import json
import sqlite3

import pytest

from annotator.contradictions.generate import generate_candidates
from annotator.core.migrations import names
from annotator.core.store import Store

CURRENT = len(names())


@pytest.fixture
def seeded_path(seeded_path):
    """The seeds as `annotator ingest` leaves them: with contradiction candidates,
    which the shared fixture does not look for (doctor would report them owed)."""
    with Store(seeded_path) as store:
        generate_candidates(store)
    return seeded_path


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _damage(path, *statements: str) -> None:
    """Write as a careless hand-run sqlite3 session could: no triggers, no checks,
    no foreign keys."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        conn.execute(statement)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_a_sound_database_passes_every_check(run_cli, seeded_path):
    result = run_cli("doctor", "--db", seeded_path, "--json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["pending_migrations"] == []
    names = [check["name"] for check in report["checks"]]
    assert names == [
        "integrity",
        "foreign keys",
        "paragraph offsets",
        "sentence offsets",
        "span offsets",
        "attribution offsets",
        "contradiction evidence",
        "search index",
        "unfinished work",
    ]
    checked = {check["name"]: check["checked"] for check in report["checks"]}
    with sqlite3.connect(seeded_path) as conn:
        spans = conn.execute("SELECT count(*) FROM spans").fetchone()[0]
    assert checked["span offsets"] == spans > 0
    text = run_cli("doctor", "--db", seeded_path)
    assert text.returncode == 0
    assert text.stdout.splitlines()[-1].endswith(
        f"no problems found; schema version {CURRENT} (current)"
    )


def test_offsets_that_no_longer_fit_and_broken_references_are_each_named(run_cli, seeded_path):
    with sqlite3.connect(seeded_path) as conn:
        span_id, sentence_id, length = conn.execute(
            """SELECT sp.id, s.id, length(s.text) FROM spans sp
               JOIN sentences s ON s.id = sp.sentence_id ORDER BY sp.id LIMIT 1"""
        ).fetchone()
        mention = conn.execute("SELECT span_id FROM entity_mentions LIMIT 1").fetchone()[0]
        link = conn.execute(
            """INSERT INTO contradictions (entity_key, sentence1_id, sentence2_id, kind,
                   origin, updated_at, evidence)
               VALUES ('hikvision', 1, 2, 'modality', 'test', 'now', '{}')"""
        ).lastrowid
    _damage(
        seeded_path,
        "DROP TRIGGER spans_offsets_update",
        f'UPDATE spans SET "end" = {length + 5} WHERE id = {span_id}',
        "UPDATE sentences SET text = 'X' || substr(text, 2) WHERE id = 3",
        f"UPDATE entity_mentions SET entity_id = 99999 WHERE span_id = {mention}",
        f"""UPDATE contradictions SET evidence = '{{"marks1": [[0, 100000, "event"]]}}'
            WHERE id = {link}""",
    )
    before = _digest(seeded_path)
    result = run_cli("doctor", "--db", seeded_path)
    assert result.returncode == 1
    out = result.stdout
    assert f"span #{span_id}: [" in out and f"does not fit sentence #{sentence_id}" in out
    assert "sentence #3: its text is not document" in out
    assert f"entity_mentions #{mention}: refers to a missing row of entities" in out
    assert f'contradiction #{link}: mark [0,100000,"event"] of claim 1' in out
    assert out.splitlines()[-1].endswith(f"4 problems found; schema version {CURRENT} (current)")
    assert "Traceback" not in result.stderr
    assert _digest(seeded_path) == before


def test_a_damaged_file_is_reported_without_a_traceback(run_cli, seeded_path):
    conn = sqlite3.connect(seeded_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'spans'").fetchone()[0]
    conn.close()
    with open(seeded_path, "r+b") as raw:
        # Scribble over the cell pointers of the spans table's root page.
        raw.seek((root - 1) * page_size + 12)
        raw.write(b"\x00\x10" * 3)
    result = run_cli("doctor", "--db", seeded_path, "--json")
    assert result.returncode == 1
    assert result.stderr == ""
    report = json.loads(result.stdout)
    failed = {check["name"] for check in report["checks"] if not check["ok"]}
    assert "integrity" in failed and "span offsets" in failed


def test_what_is_not_a_database_gets_one_line(run_cli, tmp_path):
    missing = run_cli("doctor", "--db", tmp_path / "none.db")
    assert missing.returncode == 1
    assert missing.stderr == f"error: {tmp_path / 'none.db'}: no such database\n"
    assert not (tmp_path / "none.db").exists()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00\xff not sqlite " * 400)
    result = run_cli("doctor", "--db", junk)
    assert result.returncode == 1
    assert result.stderr == f"error: {junk}: cannot open database (file is not a database)\n"
