"""`annotator export` and `annotator import` as a user runs them, on real files."""

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import spacy
from spacy.tokens import DocBin

from annotator.core import actions, review
from annotator.core.sources import source_for_attribution
from annotator.core.store import Store, now
from tests.conftest import ROOT, sentence_with

# Emoji (with a skin-tone modifier: two code points), a combining accent, CJK.
EXTRA_DOCUMENT = (
    "Hikvision 👍🏽 said profits rose 10% in 東京 last year, the Cafe\u0301 Times reported.\n\n"
    "“We will not stop,” said Wang Wei, an engineer at the 杭州 plant.\n"
)


def _schema(stem: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"{stem}.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _proposed(store: Store, sentence_id: int) -> list[int]:
    return [
        span_id
        for (span_id,) in store.db.execute(
            "SELECT id FROM spans WHERE sentence_id = ? AND status = 'proposed' ORDER BY id",
            [sentence_id],
        )
    ]


@pytest.fixture(scope="module")
def reviewed_template(tmp_path_factory, _seeded_template) -> Path:
    """The seeds plus a document of emoji, combining marks and CJK, with every kind
    of decision two reviewers can make, and two reviewed contradiction links."""
    from annotator.core.ingest import ingest
    from annotator.nlp.pipeline import Pipeline

    folder = tmp_path_factory.mktemp("reviewed")
    path = folder / "reviewed.db"
    shutil.copy(_seeded_template, path)
    extra = folder / "extra.txt"
    extra.write_text(EXTRA_DOCUMENT, encoding="utf-8")
    with Store(path) as store:
        assert ingest(store, [extra], pipeline=Pipeline("rules")).added == 1
        # A whole sentence reviewed: one span rejected, the rest accepted, labelled, rated.
        sid, _ = sentence_with(store, "more than 1 million")
        first, *rest = _proposed(store, sid)
        actions.set_span_status(store, "ann", first, "rejected")
        actions.accept_remaining(store, "ann", sid)
        actions.label_sentence(store, "ann", sid, "CFS")
        actions.label_sentence(store, "bob", sid, "UFS")
        actions.rate_claim(store, "ann", sid, 2)
        # A reviewer's own span after the emoji: offsets count code points.
        emoji_sid, emoji_text = sentence_with(store, "👍🏽")
        start = emoji_text.index("東京")
        actions.add_span(store, "bob", emoji_sid, start, start + 2, "ENTITY")
        actions.accept_remaining(store, "bob", emoji_sid)
        # An anonymous source rated, seen through its attribution.
        quote_sid, _ = sentence_with(store, "declined to be named given")
        view = review.load_sentence(store, quote_sid, "ann")
        attribution = view.attributions[0]
        kind, name = source_for_attribution(attribution.kind, attribution.source_name)
        actions.rate_source(store, "ann", kind, name, "D", sentence_id=quote_sid)
        for span in view.spans:
            actions.set_span_status(store, "ann", span.id, "accepted")
        # Reviewed contradiction links, the way the review screen leaves them.
        imposed, _ = sentence_with(store, "imposed fresh sanctions")
        waiting, _ = sentence_with(store, "waiting on whether")
        foresee, _ = sentence_with(store, "does not foresee")
        with store.write() as db:
            for pair, status, gold in (
                ((imposed, waiting), "confirmed", None),
                ((waiting, foresee), "rejected", "entailment"),
                ((imposed, foresee), "proposed", None),
            ):
                db.execute(
                    """INSERT INTO contradictions (entity_key, sentence1_id, sentence2_id, kind,
                           status, gold_label, origin, reviewer, updated_at)
                       VALUES ('hikvision', ?, ?, 'modality', ?, ?, 'human', 'ann', ?)""",
                    [*sorted(pair), status, gold, now()],
                )
    return path


@pytest.fixture
def reviewed_path(reviewed_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "annotations.db"
    shutil.copy(reviewed_template, path)
    return path


def _export(run_cli, db: Path, *args: str) -> str:
    result = run_cli("export", "--db", db, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_export_import_export_gives_the_same_bytes(run_cli, reviewed_path, tmp_path):
    first = tmp_path / "first.jsonl"
    result = run_cli("export", "--db", reviewed_path, "-o", first)
    assert result.returncode == 0, result.stderr
    empty = tmp_path / "empty.db"
    imported = run_cli("import", first, "--db", empty)
    assert imported.returncode == 0, imported.stderr
    records = _records(first.read_text("utf-8"))
    assert f"{len(records)} sentences added" in imported.stderr
    again = _export(run_cli, empty)
    assert again.encode("utf-8") == first.read_bytes()
    # and the data is really there: emoji offsets, both reviewers, ratings
    by_text = {r["text"]: r for r in records}
    emoji = next(r for t, r in by_text.items() if "👍🏽" in t)
    tokyo = next(s for s in emoji["spans"] if s["origin"] == "human")
    assert tokyo["text"] == "東京" and emoji["text"][tokyo["start"] : tokyo["end"]] == "東京"
    reviewed = next(r for t, r in by_text.items() if "more than 1 million" in t)
    assert [(label["label"], label["reviewer"]) for label in reviewed["labels"]] == [
        ("CFS", "ann"),
        ("UFS", "bob"),
    ]
    assert reviewed["answer"] == "accept" and isinstance(reviewed["_timestamp"], int)
    assert {s["status"] for s in reviewed["spans"]} == {"accepted", "rejected"}
    quote = next(r for t, r in by_text.items() if "declined to be named given" in t)
    assert [(r["axis"], r["value"]) for r in quote["ratings"]] == [("reliability", "D")]


def test_every_exported_record_validates_against_its_schema(run_cli, reviewed_path, tmp_path):
    native = _records(_export(run_cli, reviewed_path))
    prodigy = _records(_export(run_cli, reviewed_path, "--format", "prodigy"))
    nli = _records(_export(run_cli, reviewed_path, "--format", "nli"))
    for stem, records in (("sentence", native), ("prodigy-task", prodigy), ("nli-pair", nli)):
        validator = _schema(stem)
        assert records
        for record in records:
            validator.validate(record)
    span, attribution, rating = _schema("span"), _schema("attribution"), _schema("rating")
    for record in native:
        for item in record["spans"]:
            span.validate(item)
        for item in record["attributions"]:
            attribution.validate(item)
        for item in record["ratings"]:
            rating.validate(item)
    assert any(r["attributions"] for r in native) and any(r["ratings"] for r in native)


def test_a_schema_rejects_a_record_it_does_not_describe():
    validator = _schema("sentence")
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"id": 1, "text": "x"})


def test_nli_export_has_the_reviewed_links_only(run_cli, reviewed_path):
    pairs = _records(_export(run_cli, reviewed_path, "--format", "nli"))
    assert sorted(p["gold_label"] for p in pairs) == ["contradiction", "entailment"]
    confirmed = next(p for p in pairs if p["gold_label"] == "contradiction")
    assert "imposed fresh sanctions" in confirmed["sentence1"] + confirmed["sentence2"]
    assert confirmed["entity"] == "Hikvision" and confirmed["kind"] == "modality"


def _accepted(store_path: Path) -> dict[int, set[tuple[int, int, str]]]:
    accepted: dict[int, set] = {}
    with Store(store_path) as store:
        for sid, start, end, label in store.db.execute(
            """SELECT sentence_id, start, "end", label FROM spans WHERE status = 'accepted'"""
        ):
            accepted.setdefault(sid, set()).add((start, end, label))
    return accepted


def test_spacy_export_loads_and_holds_the_accepted_spans(run_cli, reviewed_path, tmp_path):
    out = tmp_path / "train.spacy"
    result = run_cli("export", "--db", reviewed_path, "--format", "spacy", "-o", out)
    assert result.returncode == 0, result.stderr
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    exported = {
        doc.user_data["sentence_id"]: {
            (s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]
        }
        for doc in docs
    }
    accepted = _accepted(reviewed_path)
    assert {sid: spans for sid, spans in exported.items() if spans} == accepted
    entities = {
        (doc.user_data["sentence_id"], e.start_char, e.end_char) for doc in docs for e in doc.ents
    }
    assert entities == {
        (sid, start, end)
        for sid, spans in accepted.items()
        for start, end, label in spans
        if label == "ENTITY"
    }
    assert any(doc.spans["rejected"] for doc in docs)


def test_spacy_export_needs_an_output_file(run_cli, reviewed_path):
    result = run_cli("export", "--db", reviewed_path, "--format", "spacy")
    assert result.returncode == 1
    assert (
        result.stderr.strip() == "error: --format spacy writes a binary DocBin file: give -o FILE"
    )


def test_prodigy_tokens_and_spans_agree_with_spacy(run_cli, reviewed_path):
    tasks = _records(_export(run_cli, reviewed_path, "--format", "prodigy"))
    nlp = spacy.blank("en")
    for task in tasks:
        doc = nlp(task["text"])
        assert [(t["text"], t["start"], t["ws"]) for t in task["tokens"]] == [
            (t.text, t.idx, bool(t.whitespace_)) for t in doc
        ]
        for span in task["spans"]:
            tokens = task["tokens"][span["token_start"] : span["token_end"] + 1]
            assert (tokens[0]["start"], tokens[-1]["end"]) == (span["start"], span["end"])
    answers = {t["answer"] for t in tasks}
    assert answers == {"accept", "reject", "ignore"}
    rejects = [t for t in tasks if t["answer"] == "reject"]
    assert all(len(t["spans"]) == 1 and t["meta"]["span_id"] for t in rejects)
    assert len({t["_task_hash"] for t in tasks}) == len(tasks)


def test_a_span_inside_a_token_is_named_on_stderr(run_cli, reviewed_path):
    with Store(reviewed_path) as store:
        sid, text = sentence_with(store, "more than 1 million")
        start = text.index("Hikvision")
        actions.add_span(store, "ann", sid, start, start + 4, "ENTITY")
        span_id = store.db.execute(
            'SELECT id FROM spans WHERE sentence_id = ? AND start = ? AND "end" = ?',
            [sid, start, start + 4],
        ).fetchone()[0]
    for fmt in ("prodigy", "spacy"):
        output = ["-o", str(reviewed_path.with_suffix(".spacy"))] if fmt == "spacy" else []
        result = run_cli("export", "--db", reviewed_path, "--format", fmt, *output)
        assert result.returncode == 0, result.stderr
        assert f"span {span_id} ENTITY" in result.stderr and "'Hikv'" in result.stderr


def test_filters_reviewed_only_label_and_since(run_cli, reviewed_path):
    everything = _records(_export(run_cli, reviewed_path))
    reviewed = _records(_export(run_cli, reviewed_path, "--reviewed-only"))
    assert 0 < len(reviewed) < len(everything)
    assert all(r["answer"] == "accept" for r in reviewed)
    quantities = _records(_export(run_cli, reviewed_path, "--label", "QUANTITY"))
    assert len(quantities) == len(everything)
    assert {s["label"] for r in quantities for s in r["spans"]} == {"QUANTITY"}
    assert _records(_export(run_cli, reviewed_path, "--since", "2999-01-01")) == []
    since = _records(_export(run_cli, reviewed_path, "--since", "2000-01-01"))
    assert {r["id"] for r in since} == {r["id"] for r in everything if r["_timestamp"] is not None}
    bad = run_cli("export", "--db", reviewed_path, "--since", "last week")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1


def test_import_updates_a_stored_sentence_instead_of_duplicating_it(
    run_cli, reviewed_path, tmp_path
):
    records = _records(_export(run_cli, reviewed_path))
    target = next(r for r in records if r["spans"] and r["answer"] is None)
    target["spans"][0]["status"] = "rejected"
    target["spans"][0]["reviewer"] = "carol"
    target["labels"] = [{"label": "NFS", "reviewer": "carol", "updated_at": now()}]
    edited = tmp_path / "edited.jsonl"
    edited.write_text(json.dumps(target, ensure_ascii=False) + "\n", encoding="utf-8")
    with Store(reviewed_path) as store:
        before = store.db.execute("SELECT count(*) FROM sentences").fetchone()[0]
    result = run_cli("import", edited, "--db", reviewed_path)
    assert result.returncode == 0, result.stderr
    assert "0 sentences added, 1 updated" in result.stderr
    with Store(reviewed_path) as store:
        assert store.db.execute("SELECT count(*) FROM sentences").fetchone()[0] == before
        span = target["spans"][0]
        assert store.db.execute(
            "SELECT status, reviewer FROM spans WHERE id = ?", [span["id"]]
        ).fetchone() == ("rejected", "carol")
        # the import is an event: undo walks it back
        assert actions.undo(store, "import").walked == "import"
        assert store.db.execute(
            "SELECT status FROM spans WHERE id = ?", [span["id"]]
        ).fetchone() == ("proposed",)
    again = run_cli("import", edited, "--db", reviewed_path, "--reviewer", "dave")
    assert "1 updated" in again.stderr
    with Store(reviewed_path) as store:
        assert store.db.execute(
            "SELECT reviewer FROM sentence_labels WHERE sentence_id = ?", [target["id"]]
        ).fetchall() == [("dave",)]


def test_import_refuses_bad_records_by_line_and_keeps_the_good_ones(
    run_cli, reviewed_path, tmp_path
):
    records = _records(_export(run_cli, reviewed_path))
    with_spans = next(r for r in records if r["spans"])
    span = with_spans["spans"][0]
    shifted = json.loads(json.dumps(with_spans))
    shifted["spans"][0]["start"] += 1
    lines = [
        json.dumps(records[0], ensure_ascii=False),
        json.dumps(shifted, ensure_ascii=False),
        "{not json",
        json.dumps({**records[2], "text": ""}, ensure_ascii=False),
        json.dumps(records[3], ensure_ascii=False),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + b'{"text": "\xff"}\n')
    empty = tmp_path / "empty.db"
    result = run_cli("import", path, "--db", empty)
    assert result.returncode == 1
    errors = result.stderr.splitlines()[:-1]
    assert [e.split(": ")[0] for e in errors] == [f"{path}:{n}" for n in (2, 3, 4, 6)]
    assert f"span {span['id']}" in errors[0]
    assert "not UTF-8" in errors[3]
    assert "2 sentences added" in result.stderr and "4 refused" in result.stderr
    with Store(empty) as store:
        ids = [i for (i,) in store.db.execute("SELECT id FROM sentences ORDER BY id")]
    assert ids == [records[0]["id"], records[3]["id"]]


def test_import_of_a_missing_file_is_one_line(run_cli, tmp_path):
    result = run_cli("import", tmp_path / "nope.jsonl", "--db", tmp_path / "a.db")
    assert result.returncode == 1
    assert result.stderr == f"error: {tmp_path / 'nope.jsonl'}: no such file\n"


def test_export_never_replaces_a_file_without_force(run_cli, reviewed_path, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    for fmt in ("native", "prodigy", "nli", "spacy"):
        refused = run_cli("export", "--db", reviewed_path, "--format", fmt, "-o", out)
        assert refused.returncode == 1
        assert refused.stderr == f"error: {out}: already exists (--force replaces it)\n"
        assert out.read_text() == "previous\n"
    bad = run_cli("export", "--db", reviewed_path, "-o", out, "--force", "--since", "never")
    assert bad.returncode == 1 and out.read_text() == "previous\n"
    good = run_cli("export", "--db", reviewed_path, "-o", out, "--force")
    assert good.returncode == 0
    assert out.read_text("utf-8") == _export(run_cli, reviewed_path)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_export_into_a_missing_folder_is_one_line(run_cli, reviewed_path, tmp_path):
    out = tmp_path / "missing" / "out.jsonl"
    result = run_cli("export", "--db", reviewed_path, "-o", out)
    assert result.returncode == 1
    assert result.stderr == f"error: {out}: its folder does not exist\n"
    assert not out.parent.exists()


def test_a_file_that_appears_while_exporting_is_not_replaced(tmp_path):
    from annotator.core.errors import RefusedInput
    from annotator.export.output import text_output

    out = tmp_path / "out.jsonl"
    with pytest.raises(RefusedInput, match="already exists"), text_output(out) as stream:
        stream.write("export\n")
        out.write_text("someone else's\n")
    assert out.read_text() == "someone else's\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
    with text_output(out, replace=True) as stream:
        stream.write("export\n")
    assert out.read_text() == "export\n"


# Characters whose JSON spelling could differ between the SQLite the workers use and
# the one Python links to: quotes, backslashes, a tab, flags and ZWJ emoji, combining
# marks, right-to-left text, no-break and zero-width spaces, a BOM inside the text.
AWKWARD_DOCUMENT = (
    'He said "it cost \\ exactly ¥38.24" and\tthen 10% lower, 🇺🇸 👨\u200d👩\u200d👧 e\u0301 '
    "東京 עברית\u00a0x\u200by\ufeffz. The firm is considering more than 40 offers, "
    "an executive said.\n"
)


def test_worker_processes_write_the_same_bytes_as_one(reviewed_path, tmp_path):
    import io

    from annotator.core.ingest import ingest
    from annotator.export.native import write_native
    from annotator.export.selection import Selection
    from annotator.nlp.pipeline import Pipeline

    awkward = tmp_path / "awkward.txt"
    awkward.write_text(AWKWARD_DOCUMENT, encoding="utf-8")
    outputs = []
    with Store(reviewed_path) as store:
        assert ingest(store, [awkward], pipeline=Pipeline("rules")).added == 1
        for workers, chunk in ((1, 2000), (2, 5), (3, 7)):
            stream = io.BytesIO()
            lines = write_native(store, stream, Selection(), workers=workers, chunk=chunk)
            outputs.append(stream.getvalue())
            assert lines == store.db.execute("SELECT count(*) FROM sentences").fetchone()[0]
        reviewed = io.BytesIO()
        write_native(store, reviewed, Selection(reviewed_only=True), workers=2, chunk=5)
    assert outputs[0] == outputs[1] == outputs[2]
    assert "👨\u200d👩\u200d👧".encode() in outputs[1] and b'\\"it cost \\\\ exactly' in outputs[1]
    kept = [json.loads(line) for line in reviewed.getvalue().splitlines()]
    assert kept and all(r["answer"] == "accept" for r in kept)


def test_workers_writing_into_the_file_themselves_place_every_chunk_in_order(
    reviewed_path, tmp_path
):
    import io

    from annotator.export.native import write_native
    from annotator.export.selection import Selection

    with Store(reviewed_path) as store:
        one = io.BytesIO()
        write_native(store, one, Selection(), workers=1)
        for workers, chunk in ((2, 5), (3, 7), (2, 1)):
            path = tmp_path / f"native-{workers}-{chunk}.jsonl"
            # Something already in the file, and something written after: the
            # workers start where the stream is and the stream goes on after them.
            with open(path, "wb") as stream:
                stream.write(b"before\n")
                write_native(store, stream, Selection(), workers=workers, chunk=chunk)
                stream.write(b"after\n")
            assert path.read_bytes() == b"before\n" + one.getvalue() + b"after\n"


def test_parallel_export_waits_out_a_busy_writer_and_then_refuses(reviewed_path):
    import io
    import sqlite3

    from annotator.core.errors import DatabaseBusy
    from annotator.export.native import write_native
    from annotator.export.selection import Selection

    writer = sqlite3.connect(reviewed_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with Store(reviewed_path, busy_timeout=0.2) as store, pytest.raises(DatabaseBusy):
            write_native(store, io.BytesIO(), Selection(), workers=2, chunk=5)
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_answer_is_accept_exactly_for_reviewed_sentences(reviewed_path):
    from annotator.export.native import native_lines

    with Store(reviewed_path) as store:
        records = [json.loads(line) for line in native_lines(store)]
        reviewed = {r["id"] for r in records if review.is_reviewed(store, r["id"])}
    assert reviewed
    assert {r["id"] for r in records if r["answer"] == "accept"} == reviewed


def test_an_import_into_an_empty_database_proposes_its_contradictions(run_cli, tmp_path):
    ingested = tmp_path / "ingested.db"
    assert run_cli("ingest", ROOT / "corpus", "--db", ingested, "--model", "rules").returncode == 0
    exported = tmp_path / "seeds.jsonl"
    assert run_cli("export", "--db", ingested, "-o", exported).returncode == 0
    empty = tmp_path / "empty.db"
    imported = run_cli("import", exported, "--db", empty)
    assert imported.returncode == 0, imported.stderr
    assert "contradiction candidates" in imported.stderr

    def pairs(db) -> set:
        result = run_cli("contradictions", "--db", db, "--json")
        assert result.returncode == 0, result.stderr
        return {
            (link["claim1"]["text"], link["claim2"]["text"])
            for entity in json.loads(result.stdout)
            for link in entity["contradictions"]
        }

    # Fewer than the ingested database may hold: the file keeps each mention's entity
    # but not the type the linker inferred for it (an organisation a report is about).
    assert set() != pairs(empty) <= pairs(ingested)
    doctor = run_cli("doctor", "--db", empty)
    assert doctor.returncode == 0 and "unfinished work          ok" in doctor.stdout


def test_an_import_stopped_before_its_end_leaves_the_candidates_owed(
    run_cli, seeded_path, tmp_path, monkeypatch
):
    from annotator.core import maintenance
    from annotator.core.store import Store
    from annotator.export import importer

    exported = tmp_path / "seeds.jsonl"
    assert run_cli("export", "--db", seeded_path, "-o", exported).returncode == 0

    def stopped(store, run):
        raise KeyboardInterrupt  # as Ctrl-C after the records were stored

    monkeypatch.setattr(importer, "_finish", stopped)
    with Store(tmp_path / "empty.db") as store:
        with pytest.raises(KeyboardInterrupt):
            importer.import_native(store, exported)
        assert store.db.execute("SELECT count(*) FROM sentences").fetchone()[0] > 0
        assert maintenance.CONTRADICTIONS in maintenance.pending(store.db.conn)


def test_a_folder_is_refused_as_not_a_file(run_cli, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    result = run_cli("import", folder, "--db", tmp_path / "x.db")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {folder}: not a regular file"]
