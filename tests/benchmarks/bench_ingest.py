"""Ingest throughput and memory against the number of files.

Prints figures; it is not a pass/fail test. Memory should stay flat: the peak
for 10x the files should be about the same as for 1x.

    python tests/benchmarks/bench_ingest.py [--small 500] [--large 5000]
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def make_corpus(folder: Path, count: int) -> int:
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    words = 0
    for i in range(count):
        # A numbered first line keeps every file's hash distinct.
        text = f"Report number {i} on Hikvision\n\n{seeds[i % len(seeds)]}"
        (folder / f"{i:06d}.txt").write_text(text, "utf-8")
        words += len(text.split())
    return words


def ingest(folder: Path, db: Path) -> tuple[float, int]:
    probe = (
        "import resource, subprocess, sys;"
        "r = subprocess.run([sys.executable, '-m', 'annotator', *sys.argv[1:]]);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", probe, "ingest", str(folder), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - start, int(result.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--large", type=int, default=5000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in (args.small, args.large):
            folder = Path(tmp, f"corpus_{count}")
            folder.mkdir()
            words = make_corpus(folder, count)
            seconds, peak_kb = ingest(folder, Path(tmp, f"{count}.db"))
            rows.append((count, words, seconds, peak_kb))
    print(f"{'files':>7} {'words':>10} {'seconds':>8} {'files/s':>8} {'words/s':>9} {'peak MB':>8}")
    for count, words, seconds, peak_kb in rows:
        print(
            f"{count:>7} {words:>10} {seconds:>8.1f} {count / seconds:>8.0f}"
            f" {words / seconds:>9.0f} {peak_kb / 1024:>8.0f}"
        )
    (small, *_), (large, *_) = rows
    print(
        f"peak memory ratio {large}/{small} files: {rows[1][3] / rows[0][3]:.2f} "
        f"(1.00 = flat); self {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    sys.exit(main())
