"""Four writers on one database file at the same time lose nothing and fail nothing.

Two reviewers (the real review app, each in its own process, driven by Pilot) make
500 decisions each while `annotator ingest` stores 500 documents and
`annotator import` 500 records, each as ten runs of the real command one after
another. No writer may see "database is locked" or any other error, every
action must be in the file, and the counts must add up.
"""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from annotator.core.store import Store
from tests.conftest import ROOT

ACTIONS = 500
RUNS = 10


def _env() -> dict:
    inherited = {k: v for k, v in os.environ.items() if k != "ANNOTATOR_DB"}
    return {**inherited, "PYTHONPATH": str(ROOT)}


def _cli(*args) -> list[str]:
    return [sys.executable, "-m", "annotator", *map(str, args)]


class CommandRuns(threading.Thread):
    """Runs commands one after another, each once `ready(n)` says the n-th may
    start; keeps their failures and when it ran."""

    def __init__(self, commands: list[list[str]], ready: Callable[[int], bool]):
        super().__init__()
        self.commands = commands
        self.ready = ready
        self.failures: list[str] = []
        self.stderr: list[str] = []
        self.started = self.finished = 0.0

    def run(self) -> None:
        self.started = time.time()
        for number, command in enumerate(self.commands):
            deadline = time.monotonic() + 600
            while not self.ready(number) and time.monotonic() < deadline:
                time.sleep(0.1)
            done = subprocess.run(command, capture_output=True, text=True, env=_env(), timeout=600)
            self.stderr.append(done.stderr)
            if done.returncode != 0:
                self.failures.append(f"{command[3:]} exited {done.returncode}: {done.stderr}")
        self.finished = time.time()


def _write_articles(folder: Path, first: int, count: int, template: str) -> None:
    folder.mkdir(parents=True)
    for n in range(first, first + count):
        (folder / f"{n:04d}.txt").write_text(template.format(n=n), encoding="utf-8")


INGESTED = (
    "Norvale {n} Robotics said on Tuesday that revenue rose {n} percent last year.\n\n"
    "The company is considering a listing in Frankfurt, according to two people "
    "familiar with the plans."
)
IMPORTED = (
    "Quillfield {n} Mining reported output of {n} tonnes in March. "
    "Its chief executive said the mine would reopen. "
    "Analysts at Brandt Securities expect more than 40 new jobs. "
    "Shares fell 3% in Sydney. "
    "The regulator declined to comment."
)


def _import_files(tmp_path: Path, run_cli) -> list[Path]:
    """500 native records of 100 documents no other writer has, in ten files."""
    source_db = tmp_path / "elsewhere.db"
    _write_articles(tmp_path / "elsewhere", 0, ACTIONS // 5, IMPORTED)
    made = run_cli("ingest", tmp_path / "elsewhere", "--model", "rules", "--db", source_db)
    assert made.returncode == 0, made.stderr
    exported = run_cli("export", "--db", source_db)
    lines = exported.stdout.splitlines(keepends=True)
    assert len(lines) == ACTIONS
    files = []
    step = ACTIONS // RUNS
    for run in range(RUNS):
        part = tmp_path / f"records-{run}.jsonl"
        part.write_text("".join(lines[run * step : (run + 1) * step]), encoding="utf-8")
        files.append(part)
    return files


def _owned_sentences(store: Store) -> tuple[list[int], list[int]]:
    """Sentences with proposals, the first document's for one reviewer and the
    second's for the other, so that their decisions never touch the same span."""
    rows = store.db.execute(
        """SELECT s.document_id, s.id FROM sentences s
           WHERE EXISTS (SELECT 1 FROM spans sp WHERE sp.sentence_id = s.id)
           ORDER BY s.document_id, s.id"""
    ).fetchall()
    documents = sorted({doc for doc, _ in rows})
    return (
        [sid for doc, sid in rows if doc == documents[0]][:4],
        [sid for doc, sid in rows if doc == documents[1]][:4],
    )


def test_four_writers_at_once_lose_nothing(run_cli, seeded_path, tmp_path):
    with Store(seeded_path) as store:
        seed_sentences = store.db.execute("SELECT count(*) FROM sentences").fetchone()[0]
        alice_sentences, bob_sentences = _owned_sentences(store)
    for run in range(RUNS):
        step = ACTIONS // RUNS
        _write_articles(tmp_path / "incoming" / str(run), run * step, step, INGESTED)
    record_files = _import_files(tmp_path, run_cli)

    reviewers = {
        name: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.review_worker",
                str(seeded_path),
                name,
                str(ACTIONS),
                *map(str, owned),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            cwd=ROOT,
        )
        for name, owned in (("alice", alice_sentences), ("bob", bob_sentences))
    }

    def reviewers_past(number: int) -> bool:
        """Spread each writer's runs over the reviewers' session, so that all four
        write at the same time from start to end."""
        with sqlite3.connect(seeded_path, timeout=60) as conn:
            done = conn.execute(
                "SELECT count(*) FROM events WHERE reviewer IN ('alice', 'bob')"
            ).fetchone()[0]
        return done >= number * 2 * ACTIONS // RUNS

    folders = [tmp_path / "incoming" / str(run) for run in range(RUNS)]
    ingest = CommandRuns(
        [_cli("ingest", folder, "--model", "rules", "--db", seeded_path) for folder in folders],
        reviewers_past,
    )
    importer = CommandRuns(
        [_cli("import", part, "--db", seeded_path) for part in record_files], reviewers_past
    )
    ingest.start()
    importer.start()
    results = {}
    for name, process in reviewers.items():
        out, err = process.communicate(timeout=900)
        assert process.returncode == 0, f"{name}: {err}"
        assert "locked" not in err, err
        results[name] = json.loads(out)
    ingest.join()
    importer.join()

    # Nobody saw an error, and all four really were writing at the same time.
    assert ingest.failures == [] and importer.failures == []
    assert not any("locked" in err or "Traceback" in err for err in ingest.stderr + importer.stderr)
    spans = [
        (results["alice"]["started"], results["alice"]["finished"]),
        (results["bob"]["started"], results["bob"]["finished"]),
        (ingest.started, ingest.finished),
        (importer.started, importer.finished),
    ]
    assert max(start for start, _ in spans) < min(end for _, end in spans), spans
    print(
        "concurrent writers (seconds): "
        + ", ".join(
            f"{name} {end - start:.1f}"
            for name, (start, end) in zip(("alice", "bob", "ingest", "import"), spans, strict=True)
        )
    )

    with Store(seeded_path) as store:
        db = store.db
        for name in ("alice", "bob"):
            assert results[name]["actions"] == ACTIONS
            events = db.execute("SELECT count(*) FROM events WHERE reviewer = ?", [name])
            assert events.fetchone()[0] == ACTIONS, name
            # What each reviewer's screen last showed is what the file holds.
            for sentence, left in results[name]["sentences"].items():
                label = db.execute(
                    "SELECT label FROM sentence_labels WHERE sentence_id = ? AND reviewer = ?",
                    [int(sentence), name],
                ).fetchone()
                rating = db.execute(
                    "SELECT credibility FROM claim_ratings WHERE sentence_id = ? AND reviewer = ?",
                    [int(sentence), name],
                ).fetchone()
                assert (label and label[0]) == left["label"]
                assert (rating and rating[0]) == left["credibility"]
                for span_id, status in left["spans"].items():
                    stored = db.execute("SELECT status FROM spans WHERE id = ?", [int(span_id)])
                    assert stored.fetchone()[0] == status
        ingested = db.execute(
            "SELECT count(*) FROM documents WHERE text LIKE 'Norvale %'"
        ).fetchone()[0]
        imported = db.execute(
            """SELECT count(*) FROM sentences s JOIN documents d ON d.id = s.document_id
               WHERE d.text LIKE 'Quillfield %'"""
        ).fetchone()[0]
        ingested_sentences = db.execute(
            """SELECT count(*) FROM sentences s JOIN documents d ON d.id = s.document_id
               WHERE d.text LIKE 'Norvale %'"""
        ).fetchone()[0]
        total = db.execute("SELECT count(*) FROM sentences").fetchone()[0]
    assert ingested == ACTIONS
    assert imported == ACTIONS
    assert total == seed_sentences + ingested_sentences + imported
    doctor = run_cli("doctor", "--db", seeded_path)
    assert doctor.returncode == 0, doctor.stdout
