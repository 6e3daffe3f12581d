"""`kill -9` of `annotator review` at random moments loses nothing the screen called saved.

Each round starts the real command in a pseudo-terminal, types a random stream of
decision keys (accept, reject, sentence labels, credibility ratings, moves), reads
the screen as it goes and SIGKILLs the process at a random moment — sometimes
before the first screen, mostly in the middle of typing. Then, with a fresh
connection: every "✓ saved …" the screen showed is, in order, an event of that
round; every span's status is what its latest event left; integrity_check is ok.
"""

import json
import os
import random
import re
import sqlite3
import time

import pytest

from annotator.tui.render import visible
from tests.terminal import Terminal

SAVED = re.compile(r"✓ saved (.+)$", re.MULTILINE)
DEFAULT_KILLS = 20
LONG_KILLS = 200
# Keys a reviewer types while labelling, weighted as they come; pickers get their choice.
KEYS = [
    ("a", 30),
    ("x", 15),
    ("\t", 10),
    ("p", 10),
    ("j", 8),
    ("k", 4),
    ("s", 12),
    ("c", 11),
]
PICKS = {"s": "123b", "c": "123456"}


def _keystrokes(rng: random.Random) -> str:
    key = rng.choices([k for k, _ in KEYS], weights=[w for _, w in KEYS])[0]
    return key + rng.choice(PICKS[key]) if key in PICKS else key


def _message(action: str, payload: dict, db: sqlite3.Connection) -> str | None:
    """What the review screen says, after "✓ saved ", for an event it writes."""
    if action in ("accept_attribution", "reject_attribution"):
        return payload["what"]
    after = payload["changes"][0]["after"]
    if action in ("accept", "reject"):
        text = db.execute("SELECT text FROM sentences WHERE id = ?", [after["sentence_id"]])
        sentence = text.fetchone()[0]
        span = visible(sentence[after["start"] : after["end"]])
        # A quotation keeps its own marks on the screen; other text gets “…”.
        shown = span if span.lstrip().startswith(("“", '"', "«", "„", "‘", "''")) else f"“{span}”"
        return f"{after['status']} {after['label']} {shown}"
    if action == "label_sentence":
        return f"sentence label {after['label']}"
    if action == "rate_claim":
        return f"claim credibility {after['credibility']}"
    return None


def _shown_saved(screen: str) -> str | None:
    found = SAVED.search(screen)
    if not found:
        return None
    # "  · next sentence …": said when the screen moved on after the decision.
    return found.group(1).split("  · ")[0].rstrip().removesuffix("…")


def _round(db_path, rng: random.Random) -> tuple[list[str], int]:
    """One start-type-kill round; the saved messages seen, in order, and the last
    event id before the round."""
    with sqlite3.connect(db_path) as conn:
        last_event = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
    terminal = Terminal("review", "--db", str(db_path), "--reviewer", "crash", size=(160, 40))
    seen: list[str] = []
    try:
        if rng.random() < 0.1:
            # Killed while starting: opening the file, before any screen.
            terminal.pump(rng.uniform(0, 1.0))
            return seen, last_event
        terminal.wait_for(lambda text: "sentences reviewed" in text)
        kill_at = time.monotonic() + rng.uniform(0.05, 1.5)
        next_key = time.monotonic()
        while (now := time.monotonic()) < kill_at:
            if now >= next_key:
                terminal.send(_keystrokes(rng))
                next_key = now + rng.uniform(0, 0.06)
            terminal.pump(min(0.005, max(0.0, kill_at - now)))
            if not terminal.settled:
                continue
            shown = _shown_saved(terminal.text)
            if shown and (not seen or seen[-1] != shown):
                seen.append(shown)
    finally:
        terminal.kill()
    return seen, last_event


def _check_round(db_path, seen: list[str], last_event: int, where: str) -> int:
    """Every message seen is an event of the round, in order; span rows agree with
    their latest events. Returns the round's event count."""
    conn = sqlite3.connect(db_path)
    try:
        events = conn.execute(
            "SELECT action, payload FROM events WHERE id > ? ORDER BY id", [last_event]
        ).fetchall()
        messages = []
        for action, payload in events:
            logged = json.loads(payload)
            changes = logged.get("changes", [])
            if changes and changes[0]["after"] is not None:
                messages.append(_message(action, logged, conn))
        pending = iter(messages)
        for shown in seen:
            # A subsequence: the screen skips some saves, never invents or reorders one.
            assert any(m is not None and m.startswith(shown) for m in pending), (
                f"{where}: the screen showed “✓ saved {shown}” but no later event of the "
                f"round says so; events: {messages}"
            )
        latest_status = {}
        for (payload,) in conn.execute(
            "SELECT payload FROM events WHERE action IN ('accept', 'reject') ORDER BY id"
        ):
            for change in json.loads(payload)["changes"]:
                latest_status[change["key"]["id"]] = change["after"]["status"]
        stored = dict(
            conn.execute(
                f"SELECT id, status FROM spans WHERE id IN ({','.join('?' * len(latest_status))})",
                list(latest_status),
            )
        )
        assert stored == latest_status, where
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",), where
        return len(events)
    finally:
        conn.close()


def _crash_rounds(db_path, kills: int, seed: int) -> dict:
    rng = random.Random(seed)
    totals = {"kills": 0, "saved_seen": 0, "events": 0}
    for number in range(kills):
        seen, last_event = _round(db_path, rng)
        totals["events"] += _check_round(db_path, seen, last_event, f"seed {seed}, kill {number}")
        totals["kills"] += 1
        totals["saved_seen"] += len(seen)
    return totals


def _run(run_cli, db_path, kills: int) -> dict:
    seed = int(os.environ.get("ANNOTATOR_CRASH_SEED", random.randrange(1 << 30)))
    totals = _crash_rounds(db_path, kills, seed)
    doctor = run_cli("doctor", "--db", db_path)
    assert doctor.returncode == 0, doctor.stdout
    print(f"crash test (seed {seed}): {totals}")
    assert totals["kills"] == kills
    # The rounds did type: most of them saved something the screen showed.
    assert totals["saved_seen"] >= kills // 2, totals
    return totals


def test_sigkill_at_random_moments_loses_nothing_shown_as_saved(run_cli, seeded_path):
    _run(run_cli, seeded_path, DEFAULT_KILLS)


@pytest.mark.slow
def test_two_hundred_sigkills_lose_nothing_shown_as_saved(run_cli, seeded_path):
    _run(run_cli, seeded_path, LONG_KILLS)
