import json
import sqlite3
import subprocess
import sys

import pytest

from annotator.core.text import contains_controls
from tests.conftest import CORPUS, ROOT


def stats_json(run_cli, db):
    result = run_cli("stats", "--json", "--db", db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_corpus_ingests_once_and_stats_report_it(run_cli, db_path):
    first = run_cli("ingest", CORPUS, "--db", db_path)
    assert first.returncode == 0, first.stderr
    assert (
        first.stderr.strip()
        .splitlines()[-1]
        .startswith("2 documents added, 0 skipped as duplicates, 0 refused;")
    )
    figures = stats_json(run_cli, db_path)
    assert figures["documents"] == 2
    assert figures["languages"] == {"en": 2}
    assert figures["boilerplate_paragraphs"] >= 1
    assert figures["sentences"] == figures["sentence_languages"]["en"] > 30
    assert set(figures["spans"]) == {"QUANTITY", "QUOTE", "SOURCE", "CUE", "HEDGE", "ENTITY"}
    assert all(set(by_status) == {"proposed"} for by_status in figures["spans"].values())
    assert figures["reviewers"] == {}

    again = run_cli("ingest", CORPUS, "--db", db_path)
    assert again.returncode == 0
    assert "0 documents added, 2 skipped as duplicates" in again.stderr
    assert stats_json(run_cli, db_path)["sentences"] == figures["sentences"]


def test_stored_corpus_matches_the_files_and_the_bio_is_flagged(run_cli, db_path):
    assert run_cli("ingest", CORPUS, "--db", db_path).returncode == 0
    conn = sqlite3.connect(db_path)
    for path in sorted(CORPUS.glob("*.txt")):
        (text,) = conn.execute(
            "SELECT text FROM documents WHERE origin = ?", [str(path)]
        ).fetchone()
        assert text == path.read_text("utf-8")
    bio = conn.execute(
        'SELECT d.text, p.start, p."end", p.boilerplate_reason FROM paragraphs p '
        "JOIN documents d ON d.id = p.document_id WHERE p.boilerplate = 1"
    ).fetchall()
    assert [t[s:e][:17] for t, s, e, _ in bio] == ["I love to come up"]
    for doc_text, start, end, sentence in conn.execute(
        'SELECT d.text, s.start, s."end", s.text FROM sentences s '
        "JOIN documents d ON d.id = s.document_id"
    ):
        assert doc_text[start:end] == sentence


def test_the_headline_is_its_own_sentence_in_the_database(run_cli, db_path):
    run_cli("ingest", CORPUS / "004_b011cb77cabc7fea.txt", "--db", db_path)
    conn = sqlite3.connect(db_path)
    first_two = [r[0] for r in conn.execute("SELECT text FROM sentences ORDER BY idx LIMIT 2")]
    assert first_two[0] == "The U.S. Could Impose Sanctions on China Tech Hikvision"
    assert first_two[1].startswith("Market shares")
    (title,) = conn.execute("SELECT title FROM documents").fetchone()
    assert title == first_two[0]


def test_db_defaults_to_env_then_working_directory(run_cli, tmp_path):
    env_db = tmp_path / "from_env.db"
    run_cli("ingest", CORPUS, env={"ANNOTATOR_DB": str(env_db)})
    assert env_db.exists() and not (tmp_path / "annotations.db").exists()
    run_cli("ingest", CORPUS)
    assert (tmp_path / "annotations.db").exists()


def test_jsonl_with_meta_and_bad_lines(run_cli, db_path, tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        json.dumps(
            {
                "text": "Shares fell 10% on Monday, traders said.",
                "meta": {
                    "outlet": "Reuters",
                    "url": "https://example.org/1",
                    "published": "2021-12-16",
                    "author": "A. Writer",
                    "title": "Shares fall",
                },
            }
        )
        + "\n"
        + '{"meta": {}}\n'
        + json.dumps(
            {
                "text": "Die Regierung erwägt neue Sanktionen gegen den Hersteller.",
                "meta": {"outlet": "reuters "},
            }
        )
        + "\n"
    )
    result = run_cli("ingest", batch, "--db", db_path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "batch.jsonl:" in line]
    assert errors == [f"{batch}:2: no `text` field"]
    assert "2 documents added, 0 skipped as duplicates, 1 refused" in result.stderr
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "SELECT d.title, d.url, d.published, d.author, d.lang, s.name FROM documents d "
        "JOIN sources s ON s.id = d.outlet_id ORDER BY d.id"
    ).fetchall()
    assert rows[0] == (
        "Shares fall",
        "https://example.org/1",
        "2021-12-16",
        "A. Writer",
        "en",
        "Reuters",
    )
    assert rows[1][4] == "de" and rows[1][5] == "Reuters"
    assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 1


HOSTILE_MARKUP = "Breaking [@click=app.quit] news [/ here [red]x[/] and \x1b]0;title\x07 done.\n"


@pytest.fixture
def hostile_folder(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "bad_utf8.txt").write_bytes(b"Caf\xe9 au lait \xff\xfe is bad UTF-8.")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "nul_bytes.txt").write_bytes(b"Shares\x00 fell 10%\x00 on Monday.\x00\n")
    (folder / "mostly_nul.txt").write_bytes(b"\x00" * 4000 + b"x")
    with (folder / "huge_line.txt").open("wb") as huge:
        chunk = b"Sanctions loom over Hikvision " * 34_953
        for _ in range(50):
            huge.write(chunk)
    (folder / "markup.md").write_text(HOSTILE_MARKUP * 20)
    (folder / "escapes.txt").write_bytes(
        b"\x1b[2J\x1b[31mRed alert\x1b[0m said the \x1b]8;;http://x\x07link\x1b]8;;\x07 today.\n"
    )
    (folder / "good.txt").write_text("Hikvision's shares opened 10% lower, traders said.")
    return folder


def test_hostile_folder_is_ingested_or_refused_one_line_each(run_cli, db_path, hostile_folder):
    assert (hostile_folder / "huge_line.txt").stat().st_size >= 50 * 1024 * 1024
    probe = (
        "import resource, subprocess, sys;"
        "r = subprocess.run([sys.executable, '-m', 'annotator', *sys.argv[1:]]);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "sys.exit(r.returncode)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "ingest", str(hostile_folder), "--db", str(db_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    refused = {line.split(":", 1)[0].rsplit("/", 1)[-1]: line for line in lines[:-1]}
    assert set(refused) == {
        "binary.txt",
        "bad_utf8.txt",
        "empty.txt",
        "huge_line.txt",
        "mostly_nul.txt",
    }
    assert "not UTF-8" in refused["binary.txt"] and "not UTF-8" in refused["bad_utf8.txt"]
    assert "empty" in refused["empty.txt"] and "too large" in refused["huge_line.txt"]
    assert "binary" in refused["mostly_nul.txt"]
    assert lines[-1].startswith("4 documents added, 0 skipped as duplicates, 5 refused")
    peak_mb = int(result.stdout.strip()) / 1024
    print(f"peak RSS of the hostile ingest: {peak_mb:.0f} MB")
    assert peak_mb < 400

    conn = sqlite3.connect(db_path)
    texts = dict(conn.execute("SELECT origin, text FROM documents"))
    assert len(texts) == 4
    for text in texts.values():
        assert not contains_controls(text)
    markup = texts[str(hostile_folder / "markup.md")]
    assert "[@click=app.quit] news [/ here [red]x[/]" in markup and "title" not in markup
    assert texts[str(hostile_folder / "escapes.txt")] == "Red alert said the link today.\n"
    assert texts[str(hostile_folder / "nul_bytes.txt")] == "Shares fell 10% on Monday.\n"
    for sentence in (r[0] for r in conn.execute("SELECT text FROM sentences")):
        assert not contains_controls(sentence)


def test_a_missing_path_beside_a_good_one(run_cli, db_path, tmp_path):
    result = run_cli("ingest", tmp_path / "missing.txt", CORPUS, "--db", db_path)
    assert result.returncode == 1
    assert f"{tmp_path / 'missing.txt'}: no such file or directory" in result.stderr
    assert "2 documents added" in result.stderr


def test_a_non_database_file_is_one_line_error(run_cli, tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"plain text, not sqlite" * 100)
    result = run_cli("stats", "--db", bogus)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "cannot open database" in result.stderr


def test_one_of_a_thing_is_counted_in_the_singular(run_cli, db_path, tmp_path):
    (tmp_path / "one.txt").write_text("Officials said 3 plants closed on Friday.\n")
    result = run_cli("ingest", tmp_path / "one.txt", "--db", db_path, "--model", "rules")
    assert result.returncode == 0, result.stderr
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("1 document added, 0 skipped as duplicates, 0 refused; 1 sentence added; ")
    )


def test_a_database_in_a_missing_folder_is_named_as_such(run_cli, tmp_path):
    (tmp_path / "one.txt").write_text("Officials said 3 plants closed on Friday.\n")
    db = tmp_path / "nowhere" / "x.db"
    result = run_cli("ingest", tmp_path / "one.txt", "--db", db, "--model", "rules")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {db}: its folder {tmp_path / 'nowhere'} does not exist"
    ]
    assert not (tmp_path / "nowhere").exists()


def test_a_database_under_a_file_is_named_as_such(run_cli, tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    db = tmp_path / "afile" / "x.db"
    result = run_cli("ingest", tmp_path / "afile", "--db", db, "--model", "rules")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {db}: {tmp_path / 'afile'} is not a folder"]
