"""Is this file ours? Answered by reading it only, before anything is written.

Our files carry `PRAGMA application_id` = APPLICATION_ID from creation; files of
releases before it was set are known by their migrations table, which names our
migration set. Anything else with tables in it belongs to another program, and a
file that names migrations or a schema version this release does not know comes
from a newer annotator: both are refused rather than migrated.
"""

import sqlite3

from annotator.core.errors import RefusedInput
from annotator.core.migrations import migrations, names

# "ANNO", in the header at offset 68 (see sqlite.org/fileformat.html).
APPLICATION_ID = 0x414E4E4F


def is_empty(conn: sqlite3.Connection, path: str) -> bool:
    """Whether the database open on `conn` is new or empty, ready to be made ours;
    RefusedInput (one line) if it is not ours to write.

    Reads only, on the connection the caller will use: a second handle on the file
    opened and closed in this process would drop the POSIX locks SQLite holds on it
    for every other connection here, which is how databases get corrupted.
    """
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
    except sqlite3.DatabaseError:
        # The caller names it: a read-only file system, a file that is not a database.
        raise
    if not tables and application_id in (0, APPLICATION_ID) and version == 0:
        return True
    if application_id != APPLICATION_ID and not (application_id == 0 and applied):
        raise RefusedInput(f"{path}: not an annotator database; nothing was changed")
    unknown = [name for name in applied if name not in names()]
    if version > len(names()) or unknown:
        known = f"migration {unknown[0]}" if unknown else f"this one knows {len(names())}"
        raise RefusedInput(
            f"{path}: written by a newer annotator (schema version {version}, {known}); "
            "upgrade annotator to open it; nothing was changed"
        )
    return False
