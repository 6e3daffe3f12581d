"""annotator writes only to its own files: another program's SQLite file, or one
from a newer annotator, is refused in one line without a byte written."""

import hashlib
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import RefusedInput
from annotator.core.migrations import names
from annotator.core.store import APPLICATION_ID, Store
from tests.conftest import CORPUS


def _state(path: Path) -> tuple[str, list[str]]:
    """The file's bytes, and what lies beside it (a -wal or -journal would show)."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest, sorted(p.name for p in path.parent.iterdir())


@pytest.fixture
def foreign(tmp_path) -> Path:
    path = tmp_path / "crm.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO documents (body) VALUES ('invoice 7')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    "command",
    [
        ("stats",),
        ("entities",),
        ("export",),
        ("propose", "--model", "rules"),
        ("ingest", str(CORPUS), "--model", "rules"),
        ("review", str(CORPUS)),
    ],
    ids=lambda c: c[0],
)
def test_another_programs_file_is_refused_untouched(run_cli, foreign, command):
    before = _state(foreign)
    result = run_cli(*command, "--db", foreign)
    assert result.returncode == 1
    assert result.stderr == f"error: {foreign}: not an annotator database; nothing was changed\n"
    assert _state(foreign) == before


def test_doctor_says_it_is_not_an_annotator_database(run_cli, foreign):
    before = _state(foreign)
    result = run_cli("doctor", "--db", foreign)
    assert result.returncode == 1
    assert "not an annotator database" in result.stderr
    assert _state(foreign) == before


def _ours(path: Path, *statements: str) -> Path:
    Store(path).close()
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return path


@pytest.mark.parametrize(
    "statement",
    [
        f"PRAGMA user_version = {len(names()) + 1}",
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('annotator', '0099_from_the_future', 'later')",
    ],
    ids=["user_version", "migration"],
)
def test_a_file_from_a_newer_annotator_is_refused_untouched(run_cli, tmp_path, statement):
    path = _ours(tmp_path / "new.db", statement)
    before = _state(path)
    with pytest.raises(RefusedInput, match="newer annotator"):
        Store(path)
    result = run_cli("stats", "--db", path)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "newer annotator" in result.stderr
    assert _state(path) == before


def test_a_new_file_is_marked_as_ours(db_path):
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_only_commands_that_create_a_database_create_one_and_only_in_an_empty_file(
    run_cli, tmp_path
):
    empty = tmp_path / "empty.db"
    empty.touch()
    stats = run_cli("stats", "--db", empty)
    assert stats.returncode == 1
    assert stats.stderr == f"error: {empty}: empty, not yet a database (ingest first)\n"
    assert empty.stat().st_size == 0
    ingest = run_cli("ingest", CORPUS, "--model", "rules", "--db", empty)
    assert ingest.returncode == 0, ingest.stderr
    assert run_cli("stats", "--db", empty).returncode == 0
