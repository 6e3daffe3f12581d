import json

from annotator.core.store import Store
from tests.conftest import CORPUS


def test_stats_count_spans_by_label_and_status_and_reviewers(run_cli, db_path):
    assert run_cli("ingest", CORPUS, "--db", db_path).returncode == 0
    with Store(db_path) as store, store.write() as db:
        db.execute("DELETE FROM spans")  # start from known counts, without the proposals
        rows = db.execute("SELECT id, text FROM sentences ORDER BY id LIMIT 3").fetchall()
        for (sentence_id, text), (label, status) in zip(
            rows,
            [("QUANTITY", "accepted"), ("QUANTITY", "proposed"), ("QUOTE", "rejected")],
            strict=True,
        ):
            db.execute(
                """INSERT INTO spans (sentence_id, start, "end", label, status, origin, updated_at)
                   VALUES (?, 0, ?, ?, ?, 'human', 'now')""",
                [sentence_id, len(text), label, status],
            )
        store.append_event("ana", "accept", sentence_id=rows[0][0])
        store.append_event("ana", "reject", sentence_id=rows[0][0])
        store.append_event("ana", "accept", sentence_id=rows[1][0])
        store.append_event("ben", "accept", sentence_id=rows[2][0])

    result = run_cli("stats", "--json", "--db", db_path)
    figures = json.loads(result.stdout)
    assert figures["spans"] == {
        "QUANTITY": {"accepted": 1, "proposed": 1},
        "QUOTE": {"rejected": 1},
    }
    assert figures["reviewers"] == {
        "ana": {"actions": 3, "sentences_reviewed": 2},
        "ben": {"actions": 1, "sentences_reviewed": 1},
    }

    text = run_cli("stats", "--db", db_path).stdout
    assert "spans QUANTITY" in text and "accepted 1, proposed 1" in text
    assert "reviewer ana" in text and "2 sentences, 3 actions" in text


def test_stats_on_a_new_database(run_cli, db_path):
    Store(db_path).close()
    result = run_cli("stats", "--db", db_path)
    assert result.returncode == 0
    assert "documents" in result.stdout and "none yet" in result.stdout


def test_commands_that_read_refuse_a_missing_database_and_create_nothing(tmp_path, run_cli):
    missing = tmp_path / "none.db"
    for command in ("stats", "entities", "propose"):
        result = run_cli(command, "--db", missing)
        assert result.returncode == 1, command
        assert result.stderr == f"error: {missing}: no such database (ingest first, or pass --db)\n"
        assert not missing.exists(), command
