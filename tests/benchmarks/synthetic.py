"""Big databases for benchmarks: the seed corpus ingested once with the rule
pipeline, then its rows copied (ids renumbered, foreign keys followed) until the
database is as large as asked."""

import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Copied in this order; each table's foreign keys point at tables copied before it.
REFERENCES = {
    "documents": {},
    "paragraphs": {"document_id": "documents"},
    "sentences": {"document_id": "documents", "paragraph_id": "paragraphs"},
    "spans": {"sentence_id": "sentences"},
    "attributions": {
        "document_id": "documents",
        "source_span_id": "spans",
        "cue_span_id": "spans",
        "content_span_id": "spans",
        "content_sentence_id": "sentences",
    },
    "entity_mentions": {"span_id": "spans"},
}
KEYS = {"entity_mentions": "span_id"}


def copy_seeds(path: Path, *, sentences: int = 0, spans: int = 0, tables=REFERENCES) -> dict:
    """Ingest the seeds into `path`, then copy them until there are at least this many
    sentences and spans. Returns the row count of each copied table."""
    sys.path.insert(0, str(ROOT))
    from annotator.core.ingest import ingest
    from annotator.core.store import Store
    from annotator.nlp.pipeline import Pipeline

    with Store(path, durable=False) as store:
        ingest(store, [ROOT / "corpus"], pipeline=Pipeline("rules"))
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    references = {table: REFERENCES[table] for table in tables}
    template = {
        table: [dict(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1")]
        for table in references
    }
    copies = (
        max(
            -(-sentences // len(template["sentences"])),
            -(-spans // len(template["spans"])) if "spans" in template else 0,
        )
        - 1
    )
    next_ids = {
        table: conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0] + 1
        for table in references
        if table not in KEYS
    }
    with conn:
        for n in range(max(copies, 0)):
            new_ids: dict[str, dict[int, int]] = {}
            for table, foreign in references.items():
                records = template[table]
                if table not in KEYS:
                    new_ids[table] = {r["id"]: next_ids[table] + i for i, r in enumerate(records)}
                    next_ids[table] += len(records)
                copied = []
                for r in records:
                    row = dict(r)
                    if table not in KEYS:
                        row["id"] = new_ids[table][r["id"]]
                    for column, target in foreign.items():
                        if r[column] is not None:
                            row[column] = new_ids[target][r[column]]
                    if table == "documents":
                        row["sha256"] = f"{r['sha256'][:-8]}{n:08x}"
                    copied.append(row)
                columns = list(copied[0])
                conn.executemany(
                    f"INSERT INTO {table} ({', '.join(map(repr, columns))}) "
                    f"VALUES ({', '.join('?' * len(columns))})",
                    [[row[c] for c in columns] for row in copied],
                )
    counts = {
        table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in references
    }
    conn.close()
    return counts
