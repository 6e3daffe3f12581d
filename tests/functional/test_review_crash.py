"""`kill -9` right after the screen shows a label as saved loses nothing."""

import re
import sqlite3

from tests.terminal import Terminal

SAVED = re.compile(r"✓ saved accepted (\w+) “([^”\n]+)")
ROUNDS = 5


def _accepted(db_path) -> list[tuple[str, str]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            """SELECT sp.label, substr(s.text, sp.start + 1, sp."end" - sp.start) FROM spans sp
               JOIN sentences s ON s.id = sp.sentence_id WHERE sp.status = 'accepted'"""
        ).fetchall()


def test_sigkill_after_saved_appears_loses_no_label(seeded_path):
    shown_saved = []
    for _ in range(ROUNDS):
        terminal = Terminal(
            "review", "--db", str(seeded_path), "--reviewer", "crash", size=(160, 40)
        )
        try:
            terminal.wait_for(lambda text: "sentences reviewed" in text)
            terminal.send("a")
            screen = terminal.wait_for(SAVED.search)
        finally:
            terminal.kill()
        label, text = SAVED.search(screen).groups()
        shown_saved.append((label, text.strip()))
        # What the screen called saved is in the file, read by a fresh connection.
        assert any(
            found_label == label and found_text.startswith(text.strip())
            for found_label, found_text in _accepted(seeded_path)
        ), (label, text)
    with sqlite3.connect(seeded_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        events = conn.execute("SELECT count(*) FROM events WHERE action = 'accept'").fetchone()[0]
    assert events == ROUNDS
    assert len(_accepted(seeded_path)) == ROUNDS
