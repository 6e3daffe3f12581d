"""Key → screen latency of the review screen, against a bare Textual app, in tmux.

Builds a database of at least 100,000 sentences (the seed corpus, ingested once with
the rule pipeline, then copied row by row with its proposals), then runs, one after
the other in the same tmux server and terminal size:

- a bare Textual app whose `j` and `a` only update a Static;
- `annotator review` on the big database.

For each it measures the time from the command to the first screen, and for each of
`j` (next sentence) and `a` (accept, committed to SQLite) the time from `tmux send-keys`
to the first capture of the pane that differs from the one before. Prints p50 and p95
and the ratio of p95s. Not part of the test suite: run it by hand, with nothing else
running:

    .venv/bin/python tests/benchmarks/bench_review_latency.py [--sentences N] [--presses N]
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.synthetic import copy_seeds  # noqa: E402

SIZE = (120, 40)

BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    BINDINGS = [("j", "bump('j')"), ("a", "bump('a')"), ("p", "bump('p')"), ("q", "quit")]
    count = 0

    def compose(self):
        yield Static("bare app ready", id="out")

    def action_bump(self, key):
        self.count += 1
        self.query_one("#out", Static).update(f"{key} pressed {self.count} times")

Bare().run()
"""


def build_database(path: Path, sentences: int) -> int:
    """The seeds ingested once, then their documents copied until `sentences` is reached."""
    tables = ("documents", "paragraphs", "sentences", "spans")
    return copy_seeds(path, sentences=sentences, tables=tables)["sentences"]


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def capture(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def wait_for(session: str, condition, timeout: float = 60.0) -> str:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        screen = capture(session)
        if condition(screen):
            return screen
    raise TimeoutError(f"{session}: screen never matched:\n{capture(session)}")


def press(session: str, key: str) -> float:
    """Seconds from sending `key` to the first differing capture of the pane."""
    before = capture(session)
    start = time.perf_counter()
    tmux("send-keys", "-t", session, key)
    wait_for(session, lambda screen: screen != before, timeout=10)
    return time.perf_counter() - start


def run(name: str, command: str, ready, settled, presses: list[tuple[str, bool]]) -> dict:
    session = f"bench-{name}"
    width, height = SIZE
    start = time.perf_counter()
    tmux("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), command)
    try:
        wait_for(session, ready)
        first_screen = time.perf_counter() - start
        # Start-up work (the progress count) finishes before keys are timed.
        wait_for(session, settled)
        timings: dict[str, list[float]] = {}
        for key, measured in presses:
            seconds = press(session, key)
            if measured:
                timings.setdefault(key, []).append(seconds)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return {"first_screen": first_screen, "keys": timings}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=100)
    options = parser.parse_args()
    if not shutil.which("tmux"):
        sys.exit("error: tmux is needed for this benchmark")
    with tempfile.TemporaryDirectory(prefix="annotator-latency-") as folder:
        db = Path(folder) / "big.db"
        started = time.perf_counter()
        total = build_database(db, options.sentences)
        print(f"database: {total:,} sentences, built in {time.perf_counter() - started:.1f} s")
        bare_script = Path(folder) / "bare.py"
        bare_script.write_text(BARE_APP, encoding="utf-8")
        python = sys.executable
        # j alone; then a, each followed by an unmeasured p (next sentence with a
        # pending proposal) so that every measured a accepts something.
        sequence = [("j", True)] * options.presses
        sequence += [("a", True), ("p", False)] * options.presses
        bare_ready = lambda s: "bare app ready" in s  # noqa: E731
        bare = run("bare", f"{python} {bare_script}", bare_ready, bare_ready, sequence)
        ours = run(
            "review",
            f"cd {ROOT} && {python} -m annotator review --db {db} --reviewer bench",
            lambda s: "sentence 1/" in s,
            lambda s: "sentences reviewed" in s,
            sequence,
        )
    print(f"\n{'':<22}{'bare Textual':>14}{'annotator review':>18}{'ratio':>8}")
    print(
        f"{'first screen (s)':<22}{bare['first_screen']:>14.3f}{ours['first_screen']:>18.3f}"
        f"{ours['first_screen'] / bare['first_screen']:>8.2f}"
    )
    for key in ("j", "a"):
        for share, label in ((0.5, "p50"), (0.95, "p95")):
            b = percentile(bare["keys"][key], share) * 1000
            o = percentile(ours["keys"][key], share) * 1000
            print(f"{f'{key} {label} (ms)':<22}{b:>14.1f}{o:>18.1f}{o / b:>8.2f}")
    print(
        f"\n{options.presses} presses of each key; p95 goal: ratio <= 1.25; first screen <= 1.5 s"
    )


if __name__ == "__main__":
    main()
