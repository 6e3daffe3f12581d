"""Is this file ours? Answered by reading it only, before anything is written.

Our files carry `PRAGMA application_id` = APPLICATION_ID from creation; files of
releases before it was set are known by their migrations table, which names our
migration set. Anything else with tables in it belongs to another program, and a
file that names migrations or a schema version this release does not know comes
from a newer annotator: both are refused rather than migrated.
"""

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from annotator.core.errors import RefusedInput
from annotator.core.migrations import migrations, names

# "ANNO", in the header at offset 68 (see sqlite.org/fileformat.html).
APPLICATION_ID = 0x414E4E4F
_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Kind:
    empty: bool  # new, zero bytes, or a database with nothing in it yet


def _read_only(path: Path) -> sqlite3.Connection:
    # With no -wal or -journal beside it, the file alone is the whole database:
    # `immutable` reads it without creating either, or touching locks.
    sidecars = [Path(f"{path}-wal"), Path(f"{path}-journal")]
    immutable = "&immutable=1" if not any(p.exists() for p in sidecars) else ""
    return sqlite3.connect(f"file:{quote(str(path))}?mode=ro{immutable}", uri=True)


def inspect(path: str) -> Kind:
    """What the file at `path` is; RefusedInput (one line) if it is not ours to write."""
    if path == ":memory:" or path.startswith("file:"):
        return Kind(empty=True)
    where = Path(path)
    try:
        if not where.exists() or where.stat().st_size == 0:
            return Kind(empty=True)
        with open(where, "rb") as stream:
            header = stream.read(100)
    except OSError as error:
        raise RefusedInput(f"{path}: cannot open database ({error.strerror or error})") from None
    if not header.startswith(_MAGIC):
        raise RefusedInput(f"{path}: cannot open database (file is not a database)")
    try:
        conn = _read_only(where)
        try:
            application_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            applied = []
            if migrations.migrations_table in tables:
                applied = [
                    r[0]
                    for r in conn.execute(
                        f"SELECT name FROM {migrations.migrations_table} WHERE migration_set = ?",
                        [migrations.name],
                    )
                ]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise RefusedInput(f"{path}: cannot open database ({error})") from None
    if not tables and application_id in (0, APPLICATION_ID) and version == 0:
        return Kind(empty=True)
    if application_id != APPLICATION_ID and not (application_id == 0 and applied):
        raise RefusedInput(f"{path}: not an annotator database; nothing was changed")
    unknown = [name for name in applied if name not in names()]
    if version > len(names()) or unknown:
        raise RefusedInput(
            f"{path}: written by a newer annotator (schema version {version}, "
            f"{'migration ' + unknown[0] if unknown else 'this one knows ' + str(len(names()))});"
            " upgrade annotator to open it; nothing was changed"
        )
    return Kind(empty=False)
