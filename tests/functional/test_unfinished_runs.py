"""A run killed after storing documents but before relinking entities or looking
for contradictions leaves a mark; the next run (or `doctor --fix`) does the work,
and `doctor` says it is owed."""

import sqlite3

import pytest

from annotator import cli
from annotator.contradictions import generate
from annotator.core import entities
from annotator.core.ingest import ingest
from annotator.core.store import Store
from annotator.nlp.pipeline import Pipeline
from tests.conftest import CORPUS


def _count(path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _killed(*args, **kwargs):
    raise KeyboardInterrupt


def test_an_ingest_stopped_before_linking_is_finished_by_the_next_one(
    db_path, run_cli, monkeypatch
):
    monkeypatch.setattr(entities, "link_entities", _killed)
    with Store(db_path, durable=False) as store, pytest.raises(KeyboardInterrupt):
        ingest(store, [CORPUS], pipeline=Pipeline("rules"))
    assert _count(db_path, "documents") == 2
    assert _count(db_path, "entity_mentions") == 0

    # Said, though not as damage: the exit code is for what is wrong with the file.
    doctor = run_cli("doctor", "--db", db_path)
    assert "entity links / contradictions are stale" in doctor.stdout, doctor.stdout

    again = run_cli("ingest", CORPUS, "--model", "rules", "--db", db_path)
    assert again.returncode == 0, again.stderr
    assert "0 documents added" in again.stderr
    assert _count(db_path, "entity_mentions") > 0
    assert _count(db_path, "contradictions") > 0
    assert "stale" not in run_cli("doctor", "--db", db_path).stdout


def test_doctor_fix_finds_the_contradictions_an_ingest_did_not(db_path, run_cli, monkeypatch):
    monkeypatch.setattr(generate, "generate_candidates", _killed)
    with Store(db_path, durable=False) as store, pytest.raises(KeyboardInterrupt):
        cli.ingest_paths(store, [str(CORPUS)], Pipeline("rules"))
    assert _count(db_path, "entity_mentions") > 0
    assert _count(db_path, "contradictions") == 0

    doctor = run_cli("doctor", "--db", db_path)
    assert "contradictions are stale" in doctor.stdout
    assert "entity links" not in doctor.stdout

    fixed = run_cli("doctor", "--fix", "--db", db_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert _count(db_path, "contradictions") > 0
    assert "stale" not in run_cli("doctor", "--db", db_path).stdout
