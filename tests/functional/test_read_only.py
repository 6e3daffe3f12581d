"""A database that cannot be written: the review screen says "not saved" and keeps
going, commands print one line, and doctor still reads a file on a read-only
file system."""

import os
import shutil
import subprocess
import sys

import pytest

from annotator.core.store import Store
from tests.conftest import ROOT
from tests.functional.test_review_app import drive, goto, screen_text, status


@pytest.mark.parametrize("how", ["read-only", "full"])
def test_the_review_screen_says_not_saved_and_keeps_running(seeded_path, how):
    with Store(seeded_path) as store:

        async def scenario(pilot, screen):
            goto(store, screen, "more than 1 million")
            span = screen.focused_span_id
            if how == "read-only":
                # chmod does not stop root; query_only gives the same SQLITE_READONLY.
                store.db.execute("PRAGMA query_only = ON")
                expected = "read-only"
            else:
                # A disk that fills at the next write: every event needs a megabyte
                # more than the file may grow.
                store.db.execute("CREATE TABLE test_padding (x)")
                store.db.execute(
                    "CREATE TEMP TRIGGER fill AFTER INSERT ON main.events "
                    "BEGIN INSERT INTO test_padding VALUES (randomblob(1000000)); END"
                )
                pages = store.db.execute("PRAGMA page_count").fetchone()[0]
                store.db.execute(f"PRAGMA max_page_count = {pages}")
                expected = "full"
            await pilot.press("a")
            await pilot.pause()
            line = screen_text(screen, "status")
            assert "not saved:" in line and expected in line
            assert screen.app.is_running
            await pilot.press("j")
            await pilot.press("k")
            assert screen.app.is_running
            store.db.execute("PRAGMA query_only = OFF")
            store.db.execute("PRAGMA max_page_count = 1073741823")
            assert status(store, span) == "proposed"

        drive(store, scenario)


def _read_only_mount(folder, command: list[str]) -> subprocess.CompletedProcess:
    """Run `command` with `folder` bind-mounted read-only onto itself, in a mount
    namespace of its own (so nothing is left mounted); skips where that is not allowed."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare to mount a read-only file system")
    script = 'mount --bind -o ro "$0" "$0" && exec "$@"'
    result = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script, str(folder), *command],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    if "mount:" in result.stderr or "unshare:" in result.stderr:
        pytest.skip(f"cannot mount here: {result.stderr.strip()}")
    return result


def test_a_read_only_file_system_is_named_and_doctor_reads_it(seeded_path, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "annotations.db"
    shutil.copy(seeded_path, db)
    annotator = [sys.executable, "-m", "annotator"]
    doctor = _read_only_mount(folder, [*annotator, "doctor", "--db", str(db)])
    assert doctor.returncode == 0, doctor.stderr
    assert "no problems found" in doctor.stdout
    assert "search index             skipped: the file is read-only" in doctor.stdout
    article = tmp_path / "a.txt"
    article.write_text("Shares fell 10% on Monday, the company said.")
    ingest = _read_only_mount(folder, [*annotator, "ingest", str(article), "--db", str(db)])
    assert ingest.returncode == 1
    assert ingest.stderr.count("\n") == 1 and "read-only" in ingest.stderr, ingest.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["annotations.db"]
