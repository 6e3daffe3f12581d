"""No listing lets a stored string drive the terminal: metadata is cleaned when it
comes in (ingest, import), and every command prints through one function that shows
control characters as placeholders, as text and as JSON, on a pipe as on a tty."""

import json
import re
import shutil
from pathlib import Path

from annotator.core.store import Store
from tests.conftest import CORPUS

# What a terminal obeys: C0 but newline, C1, bidi controls, line separators.
UNPRINTABLE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
# click strips CSI from a pipe but not OSC, nor 8-bit CSI, nor bidi overrides.
HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\x9b31m\u202eX"


def _assert_clean(output: str) -> None:
    assert not UNPRINTABLE.search(output), repr(UNPRINTABLE.search(output).group())


def test_metadata_is_cleaned_at_ingest_and_contradictions_print_none(run_cli, tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    for article in folder.glob("*.txt"):
        meta = {key: f"{key}{HOSTILE}" for key in ("title", "outlet", "published", "author")}
        (folder / f"{article.stem}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    db = tmp_path / "a.db"
    assert run_cli("ingest", folder, "--db", db, "--model", "rules").returncode == 0
    with Store(db) as store:
        rows = store.db.execute(
            """SELECT d.title, s.name, d.published, d.author FROM documents d
               JOIN sources s ON s.id = d.outlet_id"""
        ).fetchall()
    assert len(rows) == 2
    for row in rows:
        for value in row:
            assert "\x1b" not in value and "\x07" not in value and "\x9b" not in value, value
    listed = run_cli("contradictions", "--db", db)
    assert listed.returncode == 0 and "title" in listed.stdout
    _assert_clean(listed.stdout)


def test_an_imported_record_is_cleaned_and_entities_print_none(run_cli, tmp_path):
    db = tmp_path / "a.db"
    assert run_cli("ingest", CORPUS, "--db", db, "--model", "rules").returncode == 0
    exported = run_cli("export", "--db", db).stdout.splitlines()
    records = [json.loads(line) for line in exported]
    record = next(r for r in records if any(s["entity"] for s in r["spans"]))
    span = next(s for s in record["spans"] if s["entity"])
    span["attrs"]["type"] = "\x1b[31mORG\x1b]0;PWNED\x07"
    span["entity"] = "brand new entity"
    record["source"]["title"] = f"t{HOSTILE}"
    path = tmp_path / "edited.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    other = tmp_path / "b.db"
    assert run_cli("import", path, "--db", other).returncode == 0
    with Store(other) as store:
        assert store.db.execute(
            "SELECT type FROM entities WHERE key = ?", [span["entity"]]
        ).fetchone() == ("ORG",)
        assert "\x1b" not in store.db.execute("SELECT title FROM documents").fetchone()[0]
    listed = run_cli("entities", "--db", other)
    assert "ORG" in listed.stdout
    _assert_clean(listed.stdout)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _hand_edited(db: Path) -> None:
    """A file written by an older annotator or edited with sqlite3: anything stored."""
    from annotator.contradictions.generate import generate_candidates

    with Store(db) as store:
        assert generate_candidates(store).short_line()
    with Store(db) as store, store.write() as sql:
        sql.execute("UPDATE documents SET title = ?, lang = ?", [f"T{HOSTILE}", f"e{HOSTILE}"])
        sql.execute("UPDATE sources SET name = name || ?", [HOSTILE])
        sql.execute("UPDATE entities SET name = name || ?, type = type || ?", [HOSTILE, HOSTILE])
        sql.execute("UPDATE entity_aliases SET alias = alias || ?", [HOSTILE])
        sql.execute("UPDATE contradictions SET note = ?, reviewer = ?", [HOSTILE, HOSTILE])
        store.append_event(f"ann{HOSTILE}", "accept")


def test_every_listing_shows_control_characters_as_placeholders(run_cli, seeded_path, tmp_path):
    db = tmp_path / f"db{HOSTILE}.db"
    shutil.copy(seeded_path, db)
    _hand_edited(db)
    for command in ("stats", "entities", "contradictions", "doctor"):
        for extra in ((), ("--json",)):
            result = run_cli(command, *extra, "--db", db)
            assert result.stdout.strip(), (command, extra, result.stderr)
            _assert_clean(result.stdout)
            _assert_clean(result.stderr)
            if extra:
                # the same data for a JSON reader: escapes, not placeholders
                assert any(HOSTILE in s for s in _strings(json.loads(result.stdout))), command
            else:
                assert "␛]0;PWNED␇" in result.stdout, (command, result.stdout[:300])
