"""Who is rated: how a source is named and keyed. Plain functions, so that
processes which only read (export workers) need not load the store."""

import re

# The `sources` kind an attribution's source is rated under, by attribution kind;
# anonymous and unattributed sources are rated as `unknown`.
RATED_SOURCE_KIND = {
    "named_person": "person",
    "named_org": "organisation",
    "other_outlet": "outlet",
}


def source_key(name: str) -> str:
    """One key per source however it is spelt: case and spacing do not count."""
    return re.sub(r"\s+", " ", name).strip().casefold()


def source_for_attribution(kind: str, name: str) -> tuple[str, str]:
    """The `sources` kind and name an attribution's source is rated under."""
    return RATED_SOURCE_KIND.get(kind, "unknown"), " ".join(name.split())


def latest_reliability(db, kind: str, name: str) -> str | None:
    """The most recent reliability rating (A-F) any reviewer gave this source."""
    row = db.execute(
        """SELECT r.reliability FROM source_ratings r JOIN sources s ON s.id = r.source_id
           WHERE s.kind = ? AND s.key = ? ORDER BY r.updated_at DESC LIMIT 1""",
        [kind, source_key(name)],
    ).fetchone()
    return row[0] if row else None
