"""`annotator import` stores each record whole or refuses it whole, in one line,
whatever numbers the record holds; and importing what is already stored changes
nothing."""

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import DatabaseBusy
from annotator.core.ingest import ingest
from annotator.core.store import Store
from annotator.export.importer import import_native
from annotator.export.native import native_lines
from tests.property.test_hostile_input import TABLES

OTHER_DOCUMENT = (
    "Hikvision said profits rose 10% last year, according to Reuters.\n\n"
    "The company could expand, said Wang Wei.\n"
)


@pytest.fixture(scope="module")
def rules_pipeline():
    from annotator.nlp.pipeline import Pipeline

    return Pipeline("rules")


@pytest.fixture(scope="module")
def seed_lines(_seeded_template) -> list[str]:
    with Store(_seeded_template) as store:
        return list(native_lines(store))


def _counts(store: Store) -> dict[str, int]:
    return {t: store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _write(path: Path, records: list) -> Path:
    path.write_text(
        "".join(
            (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
        ),
        encoding="utf-8",
    )
    return path


def _import(db: Path, path: Path) -> tuple[object, list[str]]:
    refusals = []
    with Store(db) as store:
        summary = import_native(store, path, on_refusal=refusals.append)
    return summary, [r.line() for r in refusals]


def test_an_id_beyond_sqlite_is_one_line_and_the_good_records_stay(run_cli, seed_lines, tmp_path):
    bad = json.loads(seed_lines[5])
    bad["id"] = 2**63
    path = _write(tmp_path / "ids.jsonl", [*seed_lines[:5], bad, *seed_lines[6:]])
    result = run_cli("import", path, "--db", tmp_path / "a.db")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith(f"{path}:6: id"), lines[0]
    assert f"{len(seed_lines) - 1} sentences added" in lines[1] and "1 refused" in lines[1]


@pytest.mark.parametrize(
    "field, value",
    [
        ("document_offset", 3_000_000),
        ("document_offset", 300_000_000),
        ("document_offset", 1.5e9),
        ("document_offset", 1e12),
        ("index", 10**30),
        ("document_id", -(2**63) - 1),
    ],
)
def test_offsets_and_ids_are_bounded_before_anything_is_written(seed_lines, tmp_path, field, value):
    record = json.loads(seed_lines[0])
    record[field] = value
    # a new document, so that nothing stored says how long it is
    record["document_sha256"] = "f" * 64
    db = tmp_path / "a.db"
    summary, lines = _import(db, _write(tmp_path / "big.jsonl", [record, seed_lines[1]]))
    assert (summary.added, summary.refused) == (1, 1)
    assert len(lines) == 1 and lines[0].startswith(f"{tmp_path / 'big.jsonl'}:1: "), lines
    assert db.stat().st_size < 2_000_000


def test_an_offset_beyond_an_ingested_document_is_refused(seed_lines, seeded_path, tmp_path):
    record = json.loads(seed_lines[-1])
    with Store(seeded_path) as store:
        length = store.db.execute(
            "SELECT length(text) FROM documents WHERE sha256 = ?", [record["document_sha256"]]
        ).fetchone()[0]
    record["index"] += 1000
    record["document_offset"] = length + 5
    summary, lines = _import(seeded_path, _write(tmp_path / "past.jsonl", [record]))
    assert summary.refused == 1 and "characters" in lines[0], lines
    with Store(seeded_path) as store:
        assert (
            store.db.execute(
                "SELECT length(text) FROM documents WHERE sha256 = ?", [record["document_sha256"]]
            ).fetchone()[0]
            == length
        )


def test_a_record_with_a_missing_content_sentence_leaves_nothing(seed_lines, tmp_path):
    record = next(json.loads(line) for line in seed_lines if json.loads(line)["attributions"])
    record["attributions"][0]["content"]["sentence_id"] = 999_999
    db = tmp_path / "a.db"
    with Store(db) as store:
        before = _counts(store)
    summary, lines = _import(db, _write(tmp_path / "missing.jsonl", [record]))
    assert summary.refused == 1 and summary.added == 0
    assert len(lines) == 1 and "999999" in lines[0], lines
    with Store(db) as store:
        assert _counts(store) == before


def test_nan_in_attrs_is_named(seed_lines, tmp_path):
    record = next(json.loads(line) for line in seed_lines if json.loads(line)["spans"])
    line = json.dumps(record, ensure_ascii=False).replace('"attrs": {', '"attrs": {"x": NaN, ', 1)
    summary, lines = _import(tmp_path / "a.db", _write(tmp_path / "nan.jsonl", [line]))
    assert summary.refused == 1
    assert "attrs" in lines[0] and "NaN/Infinity is not JSON" in lines[0], lines


def test_reimporting_an_export_changes_nothing(seed_lines, tmp_path, rules_pipeline):
    db = tmp_path / "a.db"
    other = tmp_path / "other.txt"
    other.write_text(OTHER_DOCUMENT, encoding="utf-8")
    with Store(db) as store:
        # ids in the file are taken by another document, so the import renumbers
        assert ingest(store, [other], pipeline=rules_pipeline).added == 1
    path = _write(tmp_path / "seeds.jsonl", seed_lines)
    first, lines = _import(db, path)
    assert first.added == len(seed_lines) and lines == []

    def rows(store: Store) -> dict:
        return {
            table: store.db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("sentences", "spans", "attributions", "entity_mentions", "events")
        }

    with Store(db) as store:
        before = rows(store)
        exported = list(native_lines(store))
    for _ in range(2):
        again, lines = _import(db, path)
        assert lines == [] and again.unchanged == len(seed_lines), again
        with Store(db) as store:
            assert rows(store) == before
    # and a re-import of our own export too
    _import(db, _write(tmp_path / "own.jsonl", exported))
    with Store(db) as store:
        assert rows(store) == before


def test_a_busy_database_during_import_is_a_refusal(seed_lines, tmp_path):
    db = tmp_path / "a.db"
    Store(db).close()
    path = _write(tmp_path / "seeds.jsonl", seed_lines[:3])
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store(db, busy_timeout=0.2) as store, pytest.raises(DatabaseBusy):
            import_native(store, path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
