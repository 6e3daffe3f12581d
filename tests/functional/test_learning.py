"""Learning from the reviewers: `annotator train`, `propose --model DIR`, the scores
they leave, and `export --format spacy --config`. Real SQLite files, real spaCy,
the real command; each model is trained for a handful of steps on the seeds."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from annotator.core import actions
from annotator.core.store import Store
from tests.conftest import ROOT

REVIEWER = "tester"
STEPS = "40"


def _decisions(path: Path) -> list[tuple]:
    """Everything a reviewer decided, and the event log: what must never change."""
    with Store(path) as store:
        spans = store.db.execute(
            """SELECT id, sentence_id, start, "end", label, status, origin, reviewer
               FROM spans WHERE status != 'proposed' OR origin = 'human' ORDER BY id"""
        ).fetchall()
        labels = store.db.execute("SELECT * FROM sentence_labels ORDER BY 1, 2").fetchall()
        events = store.db.execute("SELECT id, action FROM events ORDER BY id").fetchall()
    return [spans, labels, events]


def _everything(path: Path) -> list[tuple]:
    with Store(path) as store:
        return [
            store.db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("spans", "sentence_labels", "events", "attributions")
        ]


def _review_all(store: Store) -> None:
    """A reviewer who accepts every proposal and calls a sentence with a number CFS
    and any other NFS, one key at a time, through the reviewer actions."""
    ids = [row[0] for row in store.db.execute("SELECT id FROM sentences ORDER BY id")]
    for sentence_id in ids:
        actions.accept_remaining(store, REVIEWER, sentence_id)
        has_number = store.db.execute(
            "SELECT 1 FROM spans WHERE sentence_id = ? AND label = 'QUANTITY'", [sentence_id]
        ).fetchone()
        actions.label_sentence(store, REVIEWER, sentence_id, "CFS" if has_number else "NFS")


def _run(*args, cwd: Path):
    return subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"},
        timeout=600,
    )


@pytest.fixture(scope="module")
def trained(_seeded_template, tmp_path_factory):
    """The seeds reviewed whole, and a model trained on them for a few steps."""
    folder = tmp_path_factory.mktemp("trained")
    db = folder / "reviewed.db"
    shutil.copy(_seeded_template, db)
    with Store(db) as store:
        _review_all(store)
    before = _everything(db)
    result = _run(
        "train", "--db", db, "-o", folder / "model", "--checkworthiness",
        "--max-steps", STEPS, cwd=folder,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return db, folder / "model", result, before


def _quote_lengths(db: Path) -> list[int]:
    nlp = spacy.blank("en")
    with Store(db) as store:
        rows = store.db.execute(
            """SELECT substr(s.text, sp.start + 1, sp."end" - sp.start) FROM spans sp
               JOIN sentences s ON s.id = sp.sentence_id
               WHERE sp.label = 'QUOTE' AND sp.status = 'accepted'"""
        ).fetchall()
    return [len(nlp.make_doc(text)) for (text,) in rows]


def test_train_writes_a_model_that_says_what_it_learnt(trained):
    db, model, result, before = trained
    meta = json.loads((model / "meta.json").read_text())
    ours = meta["annotator"]
    assert meta["lang"] == "en" and meta["name"] == "reviewed" and meta["version"]
    assert set(ours["span_labels"]) == {"QUANTITY", "QUOTE", "SOURCE", "CUE", "HEDGE", "ENTITY"}
    assert meta["labels"]["textcat_multilabel"] == ["CHECKWORTHY"]
    # The suggester reaches the longest reviewed QUOTE (the default 1-3 never could).
    assert max(_quote_lengths(db)) > 3
    assert ours["suggester_sizes"][1] == max(_quote_lengths(db))
    config = (model / "config.cfg").read_text()
    assert f"max_size = {max(_quote_lengths(db))}" in config
    with Store(db) as store:
        cfs, outside_boilerplate = store.db.execute(
            """SELECT sum(l.label = 'CFS'), count(*) FROM sentence_labels l
               JOIN sentences s ON s.id = l.sentence_id
               JOIN paragraphs p ON p.id = s.paragraph_id WHERE p.boilerplate = 0"""
        ).fetchone()
    data = ours["data"]
    assert data["sentence_labels"]["CFS"] == cfs
    assert data["train_sentences"] + data["held_out_sentences"] == outside_boilerplate
    for label in ours["span_labels"]:
        assert set(ours["scores"]["spans"][label]) == {"p", "r", "f", "gold", "found"}
    assert "average_precision" in ours["scores"]["checkworthiness"]
    # The check-worthiness weights written were learnt again from every labelled
    # sentence, the held-out ones too, for the steps the held-out ones chose.
    labelled = sum(data["sentence_labels"].values())
    assert ours["kept_step"] > 0
    assert ours["checkworthiness_refit"] == {"sentences": labelled, "steps": ours["kept_step"]}
    # The reviewers accepted every rule proposal: nothing the model could add beside
    # them helped on the held-out sentences, so it adds none of its own.
    assert ours["add_thresholds"] == dict.fromkeys(ours["span_labels"])
    assert all(f["pipeline_f"] == 1.0 for f in ours["beside_pipeline"].values())
    assert "model's own spans beside the pipeline's: QUANTITY none (F1 1.000)" in result.stdout
    assert "check-worthiness: average precision" in result.stdout
    assert "QUOTE" in result.stdout and "train: step" in result.stderr
    # Training reads the database and never writes it.
    assert _everything(db) == before


def test_train_refuses_when_there_is_too_little_to_learn(seeded_path, tmp_path):
    before = _everything(seeded_path)
    result = _run("train", "--db", seeded_path, "-o", tmp_path / "m", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: too few labels to learn from")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    with Store(seeded_path) as store:
        sentence_id = store.db.execute("SELECT min(id) FROM sentences").fetchone()[0]
        actions.label_sentence(store, REVIEWER, sentence_id, "CFS")
    before = _everything(seeded_path)
    result = _run("train", "--db", seeded_path, "--checkworthiness", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: too few sentence labels") and "1 CFS" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "m").exists() and not (tmp_path / "annotator-model").exists()
    assert _everything(seeded_path) == before


def test_train_never_replaces_a_folder_that_is_not_a_model(trained, tmp_path):
    db = trained[0]
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me")
    result = _run("train", "--db", db, "-o", tmp_path / "notes", cwd=tmp_path)
    assert result.returncode == 1 and "not a model annotator trained" in result.stderr
    assert (tmp_path / "notes" / "todo.txt").read_text() == "keep me"


def test_propose_adds_the_model_s_spans_and_scores_beside_the_rules(trained, seeded_path, tmp_path):
    # The model as if held-out sentences had shown its own spans worth adding.
    model = tmp_path / "model"
    shutil.copytree(trained[1], model)
    meta = json.loads((model / "meta.json").read_text())
    meta["annotator"]["add_thresholds"] = dict.fromkeys(meta["annotator"]["span_labels"], 0.5)
    (model / "meta.json").write_text(json.dumps(meta))
    origin = f"{meta['name']}-{meta['version']}+annotator-"
    # A line the rules propose no ENTITY in (all capitals), naming the company the
    # seeds name throughout, which the model learnt as an ENTITY from the reviewers.
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "caps.txt").write_text(
        "HIKVISION SAID NOTHING ABOUT THE CAMERAS, AND THE COMPANY DID NOT RESPOND TO "
        "QUESTIONS FROM REPORTERS ON MONDAY.\n"
    )
    added = _run("ingest", tmp_path / "more", "--model", "rules", "--db", seeded_path, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    with Store(seeded_path) as store:
        # A reviewer's decisions before the model comes: one accept, one reject.
        first, second = store.db.execute("SELECT id FROM spans ORDER BY id LIMIT 2").fetchall()
        actions.set_span_status(store, REVIEWER, first[0], "accepted")
        actions.set_span_status(store, REVIEWER, second[0], "rejected")
    decided = _decisions(seeded_path)
    result = _run("propose", "--db", seeded_path, "--model", model, "--base", "rules", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert origin in result.stderr
    assert _decisions(seeded_path) == decided
    with Store(seeded_path) as store:
        db = store.db
        by_model = db.execute(
            "SELECT attrs FROM spans WHERE origin LIKE ? || '%'", [origin]
        ).fetchall()
        assert by_model, "the model proposed nothing of its own"
        own = db.execute(
            """SELECT substr(s.text, sp.start + 1, sp."end" - sp.start) FROM spans sp
               JOIN sentences s ON s.id = sp.sentence_id
               WHERE sp.origin LIKE ? || '%' AND sp.label = 'ENTITY'""",
            [origin],
        ).fetchall()
        assert ("HIKVISION",) in own
        assert all(0.5 <= json.loads(a)["confidence"] <= 1 for (a,) in by_model)
        # ...and only where the rules proposed nothing of that label overlapping.
        overlapping = db.execute(
            """SELECT count(*) FROM spans m JOIN spans r ON r.sentence_id = m.sentence_id
               AND r.label = m.label AND r.start < m."end" AND m.start < r."end"
               WHERE m.origin LIKE ? || '%' AND r.origin LIKE 'rules-%'""",
            [origin],
        ).fetchone()[0]
        assert overlapping == 0
        # A span both found is one row, the rules', with the model's confidence.
        both = db.execute(
            "SELECT count(*) FROM spans WHERE origin LIKE 'rules-%' AND attrs LIKE '%confidence%'"
        ).fetchone()[0]
        assert both > 0
        duplicates = db.execute(
            """SELECT count(*) FROM (SELECT 1 FROM spans GROUP BY sentence_id, start, "end", label
               HAVING count(*) > 1)"""
        ).fetchone()[0]
        assert duplicates == 0
        scored = db.execute(
            "SELECT count(*), min(checkworthy), max(checkworthy) FROM sentence_scores "
            "WHERE model LIKE ? || '%'",
            [origin],
        ).fetchone()
        english = db.execute(
            """SELECT count(*) FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id
               WHERE p.boilerplate = 0"""
        ).fetchone()[0]
        assert scored[0] == english and 0 <= scored[1] <= scored[2] <= 1
        # Undo still walks back the reviewer's last decision.
        outcome = actions.undo(store, REVIEWER)
        assert outcome is not None
        status = db.execute("SELECT status FROM spans WHERE id = ?", [second[0]]).fetchone()[0]
        assert status == "proposed"


def _corrupt(model: Path, where: Path) -> Path:
    shutil.copytree(model, where)
    weights = where / "spancat" / "model"
    weights.write_bytes(weights.read_bytes()[:100])
    return where


def _other_language(model: Path, where: Path) -> Path:
    shutil.copytree(model, where)
    meta = json.loads((where / "meta.json").read_text())
    meta["lang"] = "de"
    (where / "meta.json").write_text(json.dumps(meta))
    return where


def _no_meta(model: Path, where: Path) -> Path:
    shutil.copytree(model, where)
    (where / "meta.json").unlink()
    return where


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda model, where: where, "does not exist"),
        (_corrupt, "cannot be loaded, damaged or incomplete"),
        (_other_language, "trained for language 'de'"),
        (_no_meta, "no readable meta.json"),
    ],
)
def test_propose_refuses_a_bad_model_folder_in_one_line(trained, seeded_path, tmp_path, make, says):
    folder = make(trained[1], tmp_path / "bad-model")
    before = _everything(seeded_path)
    result = _run(
        "propose", "--db", seeded_path, "--model", folder, "--base", "rules", cwd=tmp_path
    )
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith(" ")]
    error = [line for line in lines if line.startswith("error:")]
    assert len(error) == 1 and says in error[0], result.stderr
    assert "Traceback" not in result.stderr
    assert _everything(seeded_path) == before


def test_exported_config_trains_with_spacy_and_can_propose_a_quote(trained, tmp_path):
    db = trained[0]
    docbin, config = tmp_path / "train.spacy", tmp_path / "config.cfg"
    result = _run(
        "export", "--db", db, "--format", "spacy", "-o", docbin, "--config", config,
        "--reviewed-only", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    trained_run = subprocess.run(
        [
            sys.executable, "-m", "spacy", "train", str(config), "--output",
            str(tmp_path / "out"), "--training.max_steps", "6", "--training.eval_frequency", "3",
        ],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
        env={"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"},
    )  # fmt: skip
    assert trained_run.returncode == 0, trained_run.stderr + trained_run.stdout
    nlp = spacy.load(tmp_path / "out" / "model-last")
    spancat = nlp.get_pipe("spancat")
    assert "QUOTE" in spancat.labels
    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(docbin).get_docs(nlp.vocab))
    quotes = [(doc, s) for doc in docs for s in doc.spans["sc"] if s.label_ == "QUOTE"]
    assert quotes and max(len(s) for _, s in quotes) > 3
    # Every reviewed QUOTE is among the spans the trained spancat scores.
    for doc, quote in quotes:
        suggested = spancat.suggester([nlp.make_doc(doc.text)])
        offered = {tuple(row) for row in suggested.dataXd.tolist()}
        assert (quote.start, quote.end) in offered, quote.text
    # One label for every entity: no ENTITY beside ORG.
    assert {e.label_ for doc in docs for e in doc.ents} == {"ENTITY"}
    assert "CHECKWORTHY" in nlp.get_pipe("textcat_multilabel").labels
