"""How long batch commands make a reviewer's key wait for the write lock.

Runs `ingest`, `propose` and `import` on the same synthetic corpus (N numbered
copies of the seed articles), each as the real command in a subprocess, while a
prober in this process does what a reviewer's key does first, `BEGIN IMMEDIATE`,
every 20 ms, and rolls back at once. Prints each command's wall time and the
prober's waits (p50, p95, max): the max is about the longest transaction the
command held. Not part of the test suite; run by hand with nothing else running:

    .venv/bin/python tests/benchmarks/bench_write_lock.py [--documents 300] [--model rules]
"""

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench_ingest import make_corpus  # noqa: E402


class Prober(threading.Thread):
    """`store`: takes the lock as `Store.write` does (a reviewer's key today);
    `sqlite`: with SQLite's own busy handler, as `Store.write` did before it polled."""

    def __init__(self, db: Path, how: str):
        super().__init__(daemon=True)
        self.db = db
        self.how = how
        self.waits: list[float] = []
        self.stopping = threading.Event()

    def _ready(self) -> bool:
        if not self.db.exists():
            return False
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute("PRAGMA user_version").fetchone()[0] > 0
        except sqlite3.OperationalError:
            return False
        finally:
            conn.close()

    def run(self) -> None:
        from annotator.core.store import Store

        while not self._ready():
            time.sleep(0.02)
        store = Store(self.db)
        conn = store.db.conn
        conn.execute("PRAGMA busy_timeout = 600000")
        while not self.stopping.is_set():
            start = time.perf_counter()
            if self.how == "store":
                store._begin_immediate()
            else:
                conn.execute("BEGIN IMMEDIATE")
            self.waits.append(time.perf_counter() - start)
            conn.execute("ROLLBACK")
            time.sleep(0.02)
        store.close()


def timed(command: list[str], db: Path, how: str) -> tuple[float, list[float]]:
    prober = Prober(db, how)
    prober.start()
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "annotator", *command, "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    seconds = time.perf_counter() - start
    prober.stopping.set()
    prober.join()
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {result.stderr[-2000:]}")
    return seconds, prober.waits


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--model", default="rules")
    parser.add_argument("--prober", choices=["store", "sqlite"], default="store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "corpus")
        folder.mkdir()
        make_corpus(folder, args.documents)
        db = Path(tmp, "a.db")
        exported = Path(tmp, "a.jsonl")
        rows = [
            ("ingest", *timed(["ingest", str(folder), "--model", args.model], db, args.prober)),
            ("propose", *timed(["propose", "--model", args.model], db, args.prober)),
        ]
        subprocess.run(
            [sys.executable, "-m", "annotator", "export", "-o", str(exported), "--db", str(db)],
            check=True,
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        rows.append(("import", *timed(["import", str(exported)], Path(tmp, "b.db"), args.prober)))
    print(f"{args.documents} documents, --model {args.model}, prober {args.prober}")
    print(f"{'command':<8} {'seconds':>8} {'probes':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for name, seconds, waits in rows:
        print(
            f"{name:<8} {seconds:>8.1f} {len(waits):>7} {percentile(waits, 0.5) * 1000:>7.0f}"
            f" {percentile(waits, 0.95) * 1000:>7.0f} {max(waits, default=0) * 1000:>7.0f}"
        )


if __name__ == "__main__":
    sys.exit(main())
