import json
import sqlite3

import pytest

from annotator.core.store import Store
from tests.conftest import CORPUS


def spans(db_path):
    conn = sqlite3.connect(db_path)
    return conn.execute(
        """SELECT sp.id, s.text, sp.start, sp."end", sp.label, sp.status, sp.origin, sp.attrs
           FROM spans sp JOIN sentences s ON s.id = sp.sentence_id ORDER BY sp.id"""
    ).fetchall()


@pytest.mark.parametrize("model", ["rules", "auto"])
def test_ingest_proposes_quantities_with_the_pipeline_named(run_cli, db_path, model):
    result = run_cli("ingest", CORPUS, "--model", model, "--db", db_path)
    assert result.returncode == 0, result.stderr
    rows = spans(db_path)
    texts = {text[start:end] for _, text, start, end, *_ in rows}
    assert {
        "more than 1 million",
        "10%",
        "more than 40 lawmakers",
        "about 10%",
        "¥38.24",
        "0%",
        "2019",
        "seven",
    } <= texts
    origins = {origin for *_, origin, _ in rows}
    assert len(origins) == 1
    assert origins.pop().startswith("rules-spacy" if model == "rules" else "en_core_web_sm")
    lawmakers = next(json.loads(a) for _, t, s, e, *_, a in rows if t[s:e].endswith("lawmakers"))
    assert lawmakers == {"value": 40, "unit": "lawmakers", "qualifier": ">"}


def test_boilerplate_gets_no_proposals(run_cli, db_path, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(
        "Shares fell 10% on Monday.\n\n"
        "I love to write about SEO. I have 3 cats and I am interested in 5 hobbies."
    )
    run_cli("ingest", article, "--model", "rules", "--db", db_path)
    assert [t[s:e] for _, t, s, e, *_ in spans(db_path)] == ["10%"]


def test_propose_keeps_decisions_and_unchanged_proposals(run_cli, db_path):
    run_cli("ingest", CORPUS, "--model", "rules", "--db", db_path)
    before = spans(db_path)
    with Store(db_path) as store, store.write() as db:
        db.execute(
            "UPDATE spans SET status = 'accepted', reviewer = 'ana' WHERE id = ?", [before[0][0]]
        )
        db.execute(
            "UPDATE spans SET status = 'rejected', reviewer = 'ana' WHERE id = ?", [before[1][0]]
        )
    result = run_cli("propose", "--model", "rules", "--db", db_path)
    assert result.returncode == 0, result.stderr
    after = spans(db_path)
    assert after[0] == (*before[0][:5], "accepted", *before[0][6:])
    assert after[1][5] == "rejected" and after[1][0] == before[1][0]
    # Proposals that came out the same keep their rows and ids.
    assert after[2:] == before[2:]


def test_non_english_text_gets_only_language_neutral_proposals(run_cli, db_path, tmp_path):
    batch = tmp_path / "de.jsonl"
    batch.write_text(
        json.dumps(
            {
                "text": (
                    "Die Aktie fiel um 10% auf fünf Euro, nachdem die Regierung im Jahr 2019 "
                    "neue Sanktionen gegen sieben Unternehmen verhängt hatte. „Wir lehnen diese "
                    "Sanktionen entschieden ab und werden dagegen klagen“, sagte ein Sprecher "
                    "des Unternehmens am Donnerstag in Hangzhou."
                )
            }
        )
        + "\n"
    )
    result = run_cli("ingest", batch, "--db", db_path)
    assert result.returncode == 0, result.stderr
    rows = spans(db_path)
    assert [t[s:e] for _, t, s, e, label, *_ in rows if label == "QUANTITY"] == ["10%", "2019"]
    quotes = [t[s:e] for _, t, s, e, label, *_ in rows if label == "QUOTE"]
    assert quotes == ["„Wir lehnen diese Sanktionen entschieden ab und werden dagegen klagen“"]
    assert {label for *_, label, _, _, _ in rows} == {"QUANTITY", "QUOTE"}
    with Store(db_path) as store:
        attributions = store.db.execute(
            "SELECT kind, source_span_id, cue_span_id FROM attributions"
        ).fetchall()
    assert attributions == [("unattributed", None, None)]


def test_an_unknown_model_is_one_line_error(run_cli, db_path):
    result = run_cli("ingest", CORPUS, "--model", "xx_no_such_model", "--db", db_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: model 'xx_no_such_model' is not installed "
        "(use --model rules, or pip install 'annotator[model]')"
    )
