"""A paragraph an outlet prints under three or more of its articles is boilerplate,
found across documents, on sentences written for this test."""

import json

import pytest

from annotator.core.entities import list_entities
from annotator.core.ingest import ingest
from annotator.nlp.pipeline import Pipeline

NOTE = (
    "Editor's note: The Ledger covers the Harwick council race with reporters from "
    "Marlow, and readers can send tips to our newsroom at any hour."
)
# The same note edited a little, as standing notes are.
NOTE_EDITED = NOTE.replace("at any hour.", "at any time of day.")
REPORTS = [
    "The council approved a new budget for the harbour on Monday.",
    "Road repairs on the eastern bypass will start in the spring.",
    "The library extended its opening hours after a petition.",
    "A storm closed the ferry service for two days last week.",
    "The school board elected a new chair on Thursday evening.",
]


def _write(tmp_path, records):
    path = tmp_path / "articles.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for outlet, text in records:
            out.write(json.dumps({"text": text, "meta": {"outlet": outlet}}) + "\n")
    return path


def test_a_note_under_three_articles_of_one_outlet_is_boilerplate(store, tmp_path):
    path = _write(
        tmp_path,
        [
            ("ledger", f"{REPORTS[0]}\n\n{NOTE}"),
            ("ledger", f"{REPORTS[1]}\n\n{NOTE}"),
            ("ledger", f"{REPORTS[2]}\n\n{NOTE_EDITED}"),
            # Another outlet printing it twice: not its boilerplate.
            ("courier", f"{REPORTS[3]}\n\n{NOTE}"),
            ("courier", f"{REPORTS[4]}\n\n{NOTE}"),
        ],
    )
    ingest(store, [path], pipeline=Pipeline("rules"))
    flagged = store.db.execute(
        """SELECT o.name, p.boilerplate_reason FROM paragraphs p
           JOIN documents d ON d.id = p.document_id JOIN sources o ON o.id = d.outlet_id
           WHERE p.boilerplate = 1 ORDER BY p.id"""
    ).fetchall()
    assert flagged == [("ledger", "recurs in 3 documents of ledger")] * 3
    # Its names are no longer the reports' entities: only the courier's two notes count.
    harwick = [e for e in list_entities(store) if e["name"] == "Harwick"]
    assert harwick and harwick[0]["mentions"] == 2


def test_a_run_killed_before_the_search_leaves_it_owed_to_the_next(store, tmp_path, monkeypatch):
    from annotator.core import recurring

    path = _write(tmp_path, [("ledger", f"{report}\n\n{NOTE}") for report in REPORTS[:3]])
    search = recurring.flag_recurring

    def killed(store):
        raise KeyboardInterrupt

    monkeypatch.setattr(recurring, "flag_recurring", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest(store, [path], pipeline=Pipeline("rules"))
    monkeypatch.setattr(recurring, "flag_recurring", search)
    # Nothing new to add: the owed work is done all the same.
    assert ingest(store, [path], pipeline=Pipeline("rules")).added == 0
    assert (
        store.db.execute("SELECT count(*) FROM paragraphs WHERE boilerplate = 1").fetchone()[0] == 3
    )
