"""Export speed and memory against `sqlite3 -json` dumping the same rows.

Builds a database of at least 1,000,000 spans (the seed corpus with its proposals,
attributions and entity links, copied), accepts or rejects a share of the spans and
labels some sentences so the records carry decisions, then times, alternately and
several rounds each:

- `sqlite3 -json DB "SELECT * FROM sentences; SELECT * FROM spans"` into a file: the
  same sentence and span rows, dumped flat by SQLite's own C shell;
- `annotator export --db DB -o FILE` (native JSONL: every sentence with its spans,
  attributions, labels and ratings nested), as a user runs it.

Prints the best and median wall time of each, the ratio (sqlite3 / annotator: 1.0
means as fast; the goal is >= 0.5), output sizes, and the export's peak memory
(max RSS, goal < 200 MB). Not part of the test suite:

    .venv/bin/python tests/benchmarks/bench_export.py [--spans N] [--rounds N] [--keep DIR]
"""

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.synthetic import copy_seeds  # noqa: E402


def add_decisions(path: Path) -> None:
    """Every third span accepted, every seventh rejected, every fifth sentence labelled."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            """UPDATE spans SET status = 'accepted', reviewer = 'ann',
                   updated_at = '2026-11-01T10:00:00.000000+00:00' WHERE id % 3 = 0"""
        )
        conn.execute(
            """UPDATE spans SET status = 'rejected', reviewer = 'bob',
                   updated_at = '2026-11-02T10:00:00.000000+00:00' WHERE id % 7 = 0"""
        )
        conn.execute(
            """INSERT INTO sentence_labels (sentence_id, reviewer, label, updated_at)
               SELECT id, 'ann', 'CFS', '2026-11-03T10:00:00.000000+00:00'
               FROM sentences WHERE id % 5 = 0"""
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def timed(command: list[str], output: Path) -> tuple[float, int]:
    """Wall seconds and the child's peak RSS in kB (Linux reports ru_maxrss in kB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    with open(output, "wb") as sink:
        subprocess.run(command, stdout=sink, stderr=subprocess.PIPE, check=True)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def _tree(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [pid] + [p for child in children for p in _tree(int(child))]


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process: PSS shares each shared page among its users, so the
    sum over a process tree does not count the Python runtime once per worker."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def peak_tree_memory_kb(command: list[str]) -> tuple[int, int]:
    """Peaks of the summed RSS and PSS of the command and every process it starts
    (the export's workers count), sampled every 20 ms."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_rss = peak_pss = 0
    while process.poll() is None:
        sizes = [_memory_kb(pid) for pid in _tree(process.pid)]
        peak_rss = max(peak_rss, sum(rss for rss, _ in sizes))
        peak_pss = max(peak_pss, sum(pss for _, pss in sizes))
        time.sleep(0.02)
    return peak_rss, peak_pss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-export-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "big.db"
    if not db.exists():
        print(f"building a database of >= {args.spans:,} spans in {db} ...", flush=True)
        started = time.perf_counter()
        counts = copy_seeds(db, spans=args.spans)
        add_decisions(db)
        print(f"  built in {time.perf_counter() - started:.0f} s: {counts}", flush=True)
    conn = sqlite3.connect(db)
    spans, sentences = conn.execute(
        "SELECT (SELECT count(*) FROM spans), (SELECT count(*) FROM sentences)"
    ).fetchone()
    conn.close()
    print(f"database: {sentences:,} sentences, {spans:,} spans, "
          f"{db.stat().st_size / 1e6:.0f} MB")  # fmt: skip

    annotator = [sys.executable, "-m", "annotator", "export", "--db", str(db), "--force", "-o"]
    baseline_out, ours_out = folder / "sqlite3.json", folder / "native.jsonl"
    baseline = ["sqlite3", "-json", str(db), "SELECT * FROM sentences; SELECT * FROM spans;"]
    # Every row a native record is made of (documents without their text, which the
    # export does not carry).
    all_rows = [
        "sqlite3", "-json", str(db),
        "SELECT id, sha256, title, lang, outlet_id, url, published, author FROM documents;"
        "SELECT * FROM paragraphs; SELECT * FROM sentences; SELECT * FROM spans;"
        "SELECT * FROM attributions; SELECT * FROM entity_mentions; SELECT * FROM entities;"
        "SELECT * FROM sentence_labels; SELECT * FROM claim_ratings;"
        "SELECT * FROM source_ratings; SELECT * FROM sources;",
    ]  # fmt: skip
    env_note = os.environ.get("PYTHONPATH")
    all_out = folder / "sqlite3-all.json"
    times: dict[str, list[float]] = {
        "sqlite3 -json": [], "sqlite3 -json all": [], "annotator export": []
    }  # fmt: skip
    for round_number in range(1, args.rounds + 1):
        seconds, _ = timed(baseline, baseline_out)
        times["sqlite3 -json"].append(seconds)
        seconds, _ = timed(all_rows, all_out)
        times["sqlite3 -json all"].append(seconds)
        seconds, _ = timed([*annotator, str(ours_out)], Path(os.devnull))
        times["annotator export"].append(seconds)
        print(f"  round {round_number}: sqlite3 {times['sqlite3 -json'][-1]:.2f} s, "
              f"annotator {seconds:.2f} s", flush=True)  # fmt: skip
    peak_rss, peak_pss = peak_tree_memory_kb([*annotator, str(folder / "native-memory.jsonl")])

    print()
    print(f"{'':18} {'best':>8} {'median':>8} {'output':>10}")
    outputs = (
        ("sqlite3 -json", baseline_out), ("sqlite3 -json all", all_out),
        ("annotator export", ours_out),
    )  # fmt: skip
    for name, out in outputs:
        runs = times[name]
        print(f"{name:18} {min(runs):7.2f}s {statistics.median(runs):7.2f}s "
              f"{out.stat().st_size / 1e6:8.0f}MB")  # fmt: skip
    ratio_best = min(times["sqlite3 -json"]) / min(times["annotator export"])
    ratio_median = statistics.median(times["sqlite3 -json"]) / statistics.median(
        times["annotator export"]
    )
    print(f"speed ratio (sqlite3 time / annotator time), sentences and spans: "
          f"best {ratio_best:.2f}, median {ratio_median:.2f}  (goal >= 0.50)")  # fmt: skip
    all_best = min(times["sqlite3 -json all"]) / min(times["annotator export"])
    all_median = statistics.median(times["sqlite3 -json all"]) / statistics.median(
        times["annotator export"]
    )
    print(f"speed ratio against every row a record is made of: best {all_best:.2f}, "
          f"median {all_median:.2f}")  # fmt: skip
    print(f"spans exported per second: {spans / min(times['annotator export']):,.0f}")
    rss, pss = peak_rss / 1024, peak_pss / 1024
    print("annotator export peak memory, it and its workers summed: "
          f"RSS {rss:.0f} MB, PSS {pss:.0f} MB (goal < 200 MB)")  # fmt: skip
    if env_note:
        print(f"(PYTHONPATH={env_note})")
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
