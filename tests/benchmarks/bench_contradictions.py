"""Contradiction candidates at scale: generation time and peak memory as the corpus
grows, and the time to list one entity's links on a database of 1,000,000 claims.

The corpora are the seed articles with their proposals, copied (synthetic.py). So
that copies are not all about one company, each run of ARTICLES_PER_ENTITY
articles names its own (Hikvision becomes Hik000017, the same length, so every
offset stays valid), articles are dated a day apart, and the real entity linker
runs over the result. "the U.S." and "China" stay shared by every article: those
are the largest blocks, the case blocking by entity cannot split.

    .venv/bin/python tests/benchmarks/bench_contradictions.py \
        [--articles 2500,5000,10000] [--claims 1000000] [--keep DIR]

Prints, for each corpus size: claims, blocks, comparisons, candidates, generation
wall time and peak RSS (measured in a child process that only generates), and the
time per article, which stays flat when the cost grows linearly. Then, on the
database of --claims sentences: the time of `contradictions.query.by_entity` for
20 entities (p50 / p95 / max, goal < 50 ms) and of the whole CLI command.
Not part of the test suite.
"""

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.synthetic import copy_seeds  # noqa: E402

ARTICLES_PER_ENTITY = 10
SEED_ARTICLES = 2
SEED_SENTENCES = 41

_GENERATE = """
import json, resource, sys, time
from annotator.core.store import Store
from annotator.contradictions.generate import generate_candidates
started = time.perf_counter()
with Store(sys.argv[1], durable=False) as store:
    summary = generate_candidates(store)
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    **summary.__dict__,
}))
"""


def spread(path: Path) -> None:
    """One company per ARTICLES_PER_ENTITY articles, a publication date per article,
    then the real entity linker."""
    from annotator.core.entities import link_entities
    from annotator.core.store import Store

    conn = sqlite3.connect(path)
    ids = [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY id")]
    start = date(2000, 1, 1)
    with conn:
        conn.executemany(
            "UPDATE documents SET published = ? WHERE id = ?",
            [((start + timedelta(days=n)).isoformat(), doc) for n, doc in enumerate(ids)],
        )
        for group in range(0, -(-len(ids) // ARTICLES_PER_ENTITY)):
            first = ids[group * ARTICLES_PER_ENTITY]
            last = ids[min(len(ids), (group + 1) * ARTICLES_PER_ENTITY) - 1]
            name = f"Hik{group:06d}"
            for table, column in (("documents", "id"), ("sentences", "document_id")):
                conn.execute(
                    f"UPDATE {table} SET text = replace(text, 'Hikvision', ?) "
                    f"WHERE {column} BETWEEN ? AND ?",
                    [name, first, last],
                )
    conn.close()
    with Store(path, durable=False) as store:
        link_entities(store)


def build(path: Path, articles: int) -> None:
    copy_seeds(path, sentences=articles // SEED_ARTICLES * SEED_SENTENCES)
    spread(path)


def generate(path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _GENERATE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout)


def _has_links(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT 1 FROM contradictions LIMIT 1").fetchone() is not None
    finally:
        conn.close()


def query_times(path: Path, entities: int = 20) -> dict:
    from annotator.contradictions import query
    from annotator.core.store import Store

    with Store(path) as store:
        claims = store.db.execute("SELECT count(*) FROM sentences").fetchone()[0]
        links = store.db.execute("SELECT count(*) FROM contradictions").fetchone()[0]
        keys = [
            row[0]
            for row in store.db.execute(
                "SELECT entity_key FROM contradictions GROUP BY entity_key "
                "ORDER BY count(*) DESC, entity_key"
            )
        ]
        # Evenly over the entities, from the one with most links to the fewest.
        sample = [keys[i * len(keys) // entities] for i in range(min(entities, len(keys)))]
        timings = []
        for key in sample:
            started = time.perf_counter()
            groups = query.by_entity(store, entity=key)
            json.dumps(groups, ensure_ascii=False)
            elapsed = time.perf_counter() - started
            listed = sum(len(g["contradictions"]) for g in groups)
            timings.append((elapsed * 1000, listed, key))
    cli_started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "annotator", "contradictions", "--entity", sample[0], "--json",
         "--db", str(path)],
        capture_output=True,
        check=True,
        cwd=ROOT,
    )  # fmt: skip
    cli_ms = (time.perf_counter() - cli_started) * 1000
    ms = sorted(t[0] for t in timings)
    return {
        "claims": claims,
        "links": links,
        "entities_with_links": len(keys),
        "p50_ms": statistics.median(ms),
        "p95_ms": ms[max(0, round(0.95 * len(ms)) - 1)],
        "max_ms": ms[-1],
        "largest": max(timings, key=lambda t: t[1]),
        "cli_ms": cli_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="2500,5000,10000")
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="keep the databases here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-contradictions-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        print("articles  claims  blocks  comparisons  candidates  seconds  ms/article  peak MB")
        for articles in [int(a) for a in args.articles.split(",")]:
            path = folder / f"articles-{articles}.db"
            if not path.exists():
                build(path, articles)
            figures = generate(path)
            print(
                f"{articles:>8}  {figures['claims']:>6}  {figures['blocks']:>6}  "
                f"{figures['comparisons']:>11}  {figures['proposed']:>10}  "
                f"{figures['seconds']:>7.1f}  {figures['seconds'] * 1000 / articles:>10.2f}  "
                f"{figures['peak_mb']:>7.0f}",
                flush=True,
            )
        if args.claims:
            path = folder / f"claims-{args.claims}.db"
            if not path.exists():
                copy_seeds(path, sentences=args.claims)
                spread(path)
            if not _has_links(path):
                figures = generate(path)
                print(
                    f"{args.claims:,} claims: generation {figures['seconds']:.1f} s, "
                    f"peak {figures['peak_mb']:.0f} MB, {figures['proposed']:,} candidates",
                    flush=True,
                )
            q = query_times(path)
            ms, listed, key = q["largest"]
            print(
                f"one entity on {q['claims']:,} claims ({q['links']:,} links, "
                f"{q['entities_with_links']:,} entities with links): "
                f"p50 {q['p50_ms']:.1f} ms, p95 {q['p95_ms']:.1f} ms, max {q['max_ms']:.1f} ms "
                f"(goal < 50 ms); the most linked ({key!r}, {listed} links) {ms:.1f} ms; "
                f"whole CLI command {q['cli_ms']:.0f} ms"
            )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
