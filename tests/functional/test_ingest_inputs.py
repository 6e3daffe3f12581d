"""What `ingest` is pointed at may be hostile: FIFOs, devices, endless lines,
folders deeper than Python's recursion limit, names that are not UTF-8, a full disk."""

import os
import sqlite3
import subprocess
import sys
import tracemalloc

import pytest

from annotator.core.errors import DatabaseUnwritable
from annotator.core.ingest import ingest
from annotator.core.readers import Refusal, iter_input_files, read_documents
from tests.conftest import ROOT

ARTICLE = "Shares of the company fell 10% on Monday, a spokesperson said."


def test_a_fifo_or_a_device_is_refused_in_one_line_without_waiting(db_path, tmp_path):
    os.mkfifo(tmp_path / "x.jsonl")
    (tmp_path / "z.jsonl").symlink_to("/dev/zero")
    (tmp_path / "a.txt").write_text(ARTICLE)
    os.mkfifo(tmp_path / "a.meta.json")
    names = ["x.jsonl", "z.jsonl", "a.txt"]
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "ingest", *(tmp_path / n for n in names)]
        + ["--db", db_path, "--model", "rules"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,  # a FIFO opened for reading waits forever for a writer
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any("x.jsonl: not a regular file (a FIFO)" in line for line in lines), lines
    assert any("z.jsonl: not a regular file (a character device)" in line for line in lines)
    assert any("a.txt: sidecar a.meta.json: not a regular file" in line for line in lines)
    assert lines[-1].startswith("0 documents added")


def test_a_jsonl_line_is_read_no_further_than_its_limit(tmp_path):
    endless = tmp_path / "endless.jsonl"
    with open(endless, "wb") as out:
        out.write(b'{"text": "' + b"x" * 8_000_000)
        out.write(b'"}\n{"text": "' + ARTICLE.encode() + b'"}\n')
    tracemalloc.start()
    try:
        refused, document = list(read_documents(endless, max_chars=1000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(refused, Refusal) and "line too long" in refused.reason
    assert refused.origin.endswith(":1")
    assert document.text == ARTICLE and document.origin.endswith(":2")
    assert peak < 2_000_000, peak


def test_a_folder_deeper_than_the_recursion_limit_is_walked(tmp_path):
    # 1,500 levels overflow Python's default limit of 1,000; the limit is lowered
    # here instead, so that pytest's recursive clean-up of tmp_path still works.
    folder = tmp_path / "deep"
    bottom = folder
    folder.mkdir()
    for _ in range(400):
        bottom = bottom / "d"
        bottom.mkdir()
    (bottom / "a.txt").write_text(ARTICLE)
    (folder / "b.txt").write_text(ARTICLE)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(300)
    try:
        found = list(iter_input_files([folder]))
    finally:
        sys.setrecursionlimit(limit)
    assert found == [folder / "b.txt", bottom / "a.txt"]


def test_a_name_that_is_not_utf8_is_ingested_under_an_escaped_name(run_cli, db_path, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "w") as out:
        out.write(ARTICLE)
    result = run_cli("ingest", folder, "--db", db_path)
    assert result.returncode == 0, result.stderr
    [origin] = sqlite3.connect(db_path).execute("SELECT origin FROM documents").fetchone()
    assert origin.endswith("caf\\xe9.txt")


def test_max_chars_is_bounded_by_what_the_pipeline_takes(run_cli, db_path, tmp_path):
    long = tmp_path / "long.txt"
    long.write_text(("word " * 400_019 + ".\n")[:2_000_100])
    result = run_cli("ingest", long, "--max-chars", "3000000", "--db", db_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "E088" not in result.stderr
    assert "at most 2,000,000" in result.stderr


def test_a_full_disk_stops_ingest_at_the_first_document(store, tmp_path):
    for n in range(5):
        (tmp_path / f"{n}.txt").write_text(f"{ARTICLE} Number {n}. " + "Filler words. " * 3000)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    refusals = []
    with pytest.raises(DatabaseUnwritable, match="full"):
        ingest(store, sorted(tmp_path.glob("*.txt")), on_refusal=refusals.append)
    assert refusals == []


@pytest.mark.parametrize(
    "nested",
    ['{"notes": ' * 900 + "1" + "}" * 900, "[" * 100_000 + "]" * 100_000],
    ids=["object-900-deep", "array-100000-deep"],
)
def test_a_sidecar_nested_too_deeply_refuses_its_file_alone(run_cli, db_path, tmp_path, nested):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "deep.txt").write_text(ARTICLE)
    (folder / "deep.meta.json").write_text(nested)
    (folder / "good.txt").write_text("Officials said 3 plants closed on Friday.")
    result = run_cli("ingest", folder, "--db", db_path, "--model", "rules")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any("deep.txt: sidecar deep.meta.json: nested too deeply" in line for line in lines)
    origins = [r[0] for r in sqlite3.connect(db_path).execute("SELECT origin FROM documents")]
    assert [o.rsplit("/", 1)[-1] for o in origins] == ["good.txt"]


def test_a_jsonl_record_nested_too_deeply_is_refused_alone(run_cli, db_path, tmp_path):
    deep = tmp_path / "deep.jsonl"
    nested = '{"notes": ' * 900 + "1" + "}" * 900
    deep.write_text(
        f'{{"text": "{ARTICLE}", "meta": {nested}}}\n'
        '{"text": "Officials said 3 plants closed on Friday."}\n'
    )
    result = run_cli("ingest", deep, "--db", db_path, "--model", "rules")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "deep.jsonl:1: record: nested too deeply" in result.stderr
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM documents").fetchone() == (1,)
