"""Key → screen latency of the review screen, against a bare Textual app, in tmux.

Builds a database of at least 100,000 sentences (the seed corpus, ingested once with
the rule pipeline, then copied row by row with its proposals), then runs, one after
the other in the same tmux server and terminal size:

- a bare Textual app whose `j` and `a` only update a Static with a counter (one
  short line changes: Textual's fixed cost of a key and a frame);
- a bare Textual app whose `j` and `a` only update a Static with the same words the
  review screen shows (document line, the sentence between its neighbours, a line per
  span), read from the same database at start-up: Textual's cost of drawing that much;
- `annotator review` on the big database.

For each it measures the time from the command to the first screen, and for each of
`j` (next sentence) and `a` (accept, committed to SQLite) the time from `tmux send-keys`
to the first capture of the pane that differs from the one before. Prints p50 and p95
and the ratios against both bare apps. Not part of the test suite: run it by hand, with nothing else
running:

    .venv/bin/python tests/benchmarks/bench_review_latency.py [--sentences N] [--presses N]

With `--beside-batch` it then runs `annotator review` once more while `annotator
propose` (the whole database, rule pipeline) and `annotator ingest` (new articles
made by shuffling the seeds' sentences) write to the same file, and reports the key
→ screen times there, with how many keys said `not saved` and how many said a
proposal `does not exist`. There a key counts as answered when the line it changes
changes (the document line for `j`, the status line for `a`), not at any change of
the screen, since the batch commands change the totals meanwhile.
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

# The same words the review screen shows for a sentence (document line, the sentence
# between its neighbours, one line per span), read from the same database up front
# and put into one Static on each key: Textual's own cost of drawing that much text,
# with no database work, no styling and no layout.
SAME_TEXT_APP = """
import sqlite3, sys
from textual.app import App
from textual.widgets import Static

db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT id, document_id, text FROM sentences ORDER BY id LIMIT 2000").fetchall()
spans = {}
for sid, label, status, start, end in db.execute(
    'SELECT sentence_id, label, status, start, "end" FROM spans WHERE sentence_id <= ? '
    'ORDER BY sentence_id, start', [rows[-1][0]]
):
    spans.setdefault(sid, []).append([label, status, start, end])


class SameText(App):
    BINDINGS = [("j", "next"), ("p", "next_pending"), ("a", "accept"), ("q", "quit")]
    at = 0
    status = ""

    def compose(self):
        yield Static(id="out", markup=False)

    def on_mount(self):
        self.show()

    def action_next(self):
        self.at += 1
        self.show()

    def pending(self, at):
        return [s for s in spans.get(rows[at][0], []) if s[1] == "proposed"]

    def action_next_pending(self):
        self.at += 1
        while self.at + 1 < len(rows) and not self.pending(self.at):
            self.at += 1
        self.show()

    def action_accept(self):
        pending = self.pending(self.at)
        if pending:
            pending[0][1] = "accepted"
            label, _, start, end = pending[0]
            self.status = f"saved accepted {label} {rows[self.at][2][start:end]}"
        else:
            self.status = f"nothing to accept in sentence {self.at + 1}"
        self.show()

    def show(self):
        sid, document, text = rows[self.at]
        def neighbour(step, edge):
            other = self.at + step
            if 0 <= other < len(rows) and rows[other][1] == document:
                return rows[other][2]
            return edge
        lines = [f"same-text app ready: sentence {self.at + 1} of {len(rows)}", "",
                 neighbour(-1, "(start of document)"), "", "> " + text, "",
                 neighbour(1, "(end of document)"), ""]
        lines += [f"{label:9} {status:9} {text[start:end]}"
                  for label, status, start, end in spans.get(sid, [])]
        lines += ["", self.status]
        self.query_one(Static).update("\\n".join(lines))


SameText().run()
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


def _line_with(screen: str, words: str) -> str:
    return next((line for line in screen.splitlines() if words in line), "")


def press_until(session: str, key: str, answered) -> tuple[float, str]:
    """Seconds from sending `key` until `answered(before, now)` holds, and the screen then."""
    before = capture(session)
    start = time.perf_counter()
    tmux("send-keys", "-t", session, key)
    now = wait_for(session, lambda screen: answered(before, screen), timeout=30)
    return time.perf_counter() - start, now


def articles(folder: Path, count: int) -> Path:
    """`count` new articles, each the seeds' sentences in a shuffled order: real
    sentences, distinct files (so ingest stores every one), nothing repeated verbatim."""
    import random

    sentences = [
        line.strip()
        for path in sorted((ROOT / "corpus").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").replace(". ", ".\n").splitlines()
        if line.strip()
    ]
    chooser = random.Random(7)
    out = folder / "articles"
    out.mkdir()
    for n in range(count):
        picked = chooser.sample(sentences, min(len(sentences), 24))
        paragraphs = ["\n".join(picked[i : i + 3]) for i in range(0, len(picked), 3)]
        (out / f"article_{n:05d}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    return out


def beside_batch(db: Path, folder: Path, presses: int) -> dict:
    """The review screen's j and a while propose and ingest write to the same file."""
    python = sys.executable
    session = "bench-batch"
    width, height = SIZE
    source = articles(folder, 300)
    tmux(
        "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
        f"cd {ROOT} && {python} -m annotator review --db {db} --reviewer bench",
    )  # fmt: skip
    batch = []
    try:
        wait_for(session, lambda s: "sentences reviewed" in s)
        log = open(folder / "batch.log", "w")  # noqa: SIM115
        batch = [
            subprocess.Popen(
                [python, "-m", "annotator", "propose", "--db", str(db), "--model", "rules"],
                cwd=ROOT, stdout=log, stderr=log,
            ),
            subprocess.Popen(
                [python, "-m", "annotator", "ingest", str(source), "--db", str(db),
                 "--model", "rules"],
                cwd=ROOT, stdout=log, stderr=log,
            ),
        ]  # fmt: skip
        time.sleep(3)  # both have started writing
        timings: dict[str, list[float]] = {"j": [], "a": []}
        refused = vanished = 0
        for _ in range(presses):
            seconds, _ = press_until(
                session, "j", lambda b, n: _line_with(b, "sentence ") != _line_with(n, "sentence ")
            )
            timings["j"].append(seconds)
            # p: to a sentence with a pending proposal, so that every a accepts one; p
            # also clears the status line, so the line that says saved is this a's.
            press_until(session, "p", lambda b, n: n != b)
            seconds, screen = press_until(session, "a", lambda b, n: bool(_line_with(n, "saved")))
            timings["a"].append(seconds)
            status = _line_with(screen, "saved")
            refused += "not saved" in status
            vanished += "does not exist" in status
        running = [p.poll() is None for p in batch]
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        for process in batch:
            process.terminate()
            process.wait()
    return {"keys": timings, "refused": refused, "vanished": vanished, "running": running}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=100)
    parser.add_argument(
        "--beside-batch", action="store_true", help="also measure while propose and ingest run"
    )
    parser.add_argument(
        "--only-batch", action="store_true", help="measure only beside propose and ingest"
    )
    options = parser.parse_args()
    if not shutil.which("tmux"):
        sys.exit("error: tmux is needed for this benchmark")
    with tempfile.TemporaryDirectory(prefix="annotator-latency-") as folder:
        db = Path(folder) / "big.db"
        started = time.perf_counter()
        total = build_database(db, options.sentences)
        print(f"database: {total:,} sentences, built in {time.perf_counter() - started:.1f} s")
        if options.only_batch:
            report_batch(beside_batch(db, Path(folder), options.presses), options.presses)
            return
        bare_script = Path(folder) / "bare.py"
        bare_script.write_text(BARE_APP, encoding="utf-8")
        python = sys.executable
        # j alone; then a, each followed by an unmeasured p (next sentence with a
        # pending proposal) so that every measured a accepts something.
        sequence = [("j", True)] * options.presses
        sequence += [("a", True), ("p", False)] * options.presses
        bare_ready = lambda s: "bare app ready" in s  # noqa: E731
        bare = run("bare", f"{python} {bare_script}", bare_ready, bare_ready, sequence)
        same_script = Path(folder) / "same_text.py"
        same_script.write_text(SAME_TEXT_APP, encoding="utf-8")
        same_ready = lambda s: "same-text app ready" in s  # noqa: E731
        same = run("same", f"{python} {same_script} {db}", same_ready, same_ready, sequence)
        ours = run(
            "review",
            f"cd {ROOT} && {python} -m annotator review --db {db} --reviewer bench",
            lambda s: "sentence 1/" in s,
            lambda s: "sentences reviewed" in s,
            sequence,
        )
        batch = beside_batch(db, Path(folder), options.presses) if options.beside_batch else None
    apps = (("one-line", bare), ("same text", same), ("annotator", ours))
    print(f"\n{'':<20}" + "".join(f"{name:>12}" for name, _ in apps)
          + f"{'ratio/1-line':>14}{'ratio/same':>12}")  # fmt: skip

    def row(label: str, values: list[float]) -> None:
        one_line, same_text, annotator = values
        print(f"{label:<20}" + "".join(f"{v:>12.1f}" for v in values)
              + f"{annotator / one_line:>14.2f}{annotator / same_text:>12.2f}")  # fmt: skip

    row("first screen (ms)", [app["first_screen"] * 1000 for _, app in apps])
    for key in ("j", "a"):
        for share, label in ((0.5, "p50"), (0.95, "p95")):
            row(
                f"{key} {label} (ms)",
                [percentile(app["keys"][key], share) * 1000 for _, app in apps],
            )
    print(
        f"\n{options.presses} presses of each key. one-line: a Static showing a counter; "
        "same text: one Static showing the words the review screen shows.\n"
        "p95 goal: ratio <= 1.25; first screen <= 1.5 s"
    )
    if batch:
        report_batch(batch, options.presses)


def report_batch(batch: dict, presses: int) -> None:
    print("\nannotator review while propose and ingest write to the same file:")
    for key in ("j", "a"):
        values = batch["keys"][key]
        print(
            f"  {key}: p50 {percentile(values, 0.5) * 1000:.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"
        )
    print(
        f"  {presses} a presses: {batch['refused']} not saved, {batch['vanished']} "
        f"'does not exist'; batch commands still running at the end: {batch['running']}\n"
        "  goal: p95 <= 250 ms, no 'does not exist' for a proposal that did not change"
    )


if __name__ == "__main__":
    main()
