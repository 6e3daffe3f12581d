"""The one place that opens the database: pragmas, migrations, transactions, events."""

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from annotator.core import identity
from annotator.core.errors import DatabaseBusy, DatabaseUnwritable, RefusedInput
from annotator.core.identity import APPLICATION_ID
from annotator.core.migrations import migrations
from annotator.core.sources import source_key

# Long enough that a reviewer's write waits out a bulk ingest batch instead of failing.
BUSY_TIMEOUT_SECONDS = 60
# How often a writer waiting for the lock tries again; batch commands leave it
# free for at least this long between their transactions (see batches.py).
LOCK_POLL_SECONDS = 0.001


def on_read_only_storage(path: str) -> bool:
    """True when the file, or the folder SQLite keeps its -wal and -shm in, cannot be
    written (a read-only file system says so even to root)."""
    if path == ":memory:" or path.startswith("file:"):
        return False
    folder = os.path.dirname(os.path.abspath(path))
    return not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK))


def unwritable(path: str, error: sqlite3.Error) -> DatabaseUnwritable | None:
    """The refusal to raise for an error of storage that will not take a write,
    or None for any other error."""
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    if code == sqlite3.SQLITE_READONLY or (
        code == sqlite3.SQLITE_CANTOPEN and on_read_only_storage(path)
    ):
        what = "read-only (the file, its folder or the file system)"
    elif code == sqlite3.SQLITE_FULL:
        what = "the disk is full"
    elif code == sqlite3.SQLITE_IOERR:
        what = f"the disk failed ({error})"
    else:
        return None
    return DatabaseUnwritable(f"{path}: {what}; nothing was saved")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Store:
    """A migrated annotator database.

    `durable=False` lowers fsyncs to WAL checkpoints (``synchronous=NORMAL``): a
    crash of the process still loses nothing, a power cut may lose the last
    transactions. Bulk ingest uses it because it can be re-run; reviewer actions
    never do.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        durable: bool = True,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
        create: bool = True,
    ):
        """`create=False`: refuse a new or empty file instead of making a database in it."""
        self.path = str(path)
        self.busy_timeout = busy_timeout
        missing = self.path != ":memory:" and not Path(self.path).exists()
        if missing and not create:
            raise RefusedInput(f"{self.path}: no such database (ingest first)")
        if missing and not self.path.startswith("file:"):
            folder = os.path.dirname(os.path.abspath(self.path))
            if not os.path.isdir(folder):
                if os.path.exists(folder):
                    raise RefusedInput(f"{self.path}: {folder} is not a folder")
                raise RefusedInput(f"{self.path}: its folder {folder} does not exist")
        try:
            conn = sqlite3.connect(self.path, timeout=busy_timeout, check_same_thread=False)
        except sqlite3.DatabaseError as error:
            if unwritable(self.path, error) and on_read_only_storage(self.path):
                raise DatabaseUnwritable(
                    f"{self.path}: read-only (the file, its folder or the file system), "
                    "cannot be opened for writing; `annotator doctor` can still check it"
                ) from None
            raise RefusedInput(f"{self.path}: cannot open database ({error})") from None
        try:
            # Before the first byte is written (WAL is a write): only our own files.
            if identity.is_empty(conn, self.path) and not create:
                raise RefusedInput(f"{self.path}: empty, not yet a database (ingest first)")
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as error:
            conn.close()
            # SQLite opens a read-only file without complaint and says so at the first
            # read or write: name the cause, not "unable to open".
            if unwritable(self.path, error) and on_read_only_storage(self.path):
                raise DatabaseUnwritable(
                    f"{self.path}: read-only (the file, its folder or the file system), "
                    "cannot be opened for writing; `annotator doctor` can still check it"
                ) from None
            raise RefusedInput(f"{self.path}: cannot open database ({error})") from None
        except RefusedInput:
            conn.close()
            raise
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
        self.db = sqlite_utils.Database(conn, strict=True)
        self._migrate()

    def _migrate(self) -> None:
        if not migrations.pending(self.db) and self._application_id() == APPLICATION_ID:
            return
        # IMMEDIATE, so that two processes opening a new file do not both try to
        # create the tables.
        with self.write():
            migrations.apply(self.db)
            version = len(migrations.applied(self.db))
            self.db.execute(f"PRAGMA user_version = {version}")
            # Files of releases before it was set get it now.
            self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def _application_id(self) -> int:
        return self.db.execute("PRAGMA application_id").fetchone()[0]

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A read-modify-write transaction that takes the write lock up front.

        A deferred transaction that reads first and then writes can fail with
        "database is locked" when another writer got in between; BEGIN IMMEDIATE
        waits for the lock instead. Nested use becomes a savepoint.
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        # Busy, read-only, full or failing storage is said as a refusal, so that the
        # review screen reports it and keeps going and a command names it in one
        # line, instead of a traceback.
        try:
            self._begin_immediate()
        except sqlite3.OperationalError as error:
            self._raise_unwritable(error)
            raise
        try:
            yield self.db
        except BaseException as error:
            self._roll_back()
            if isinstance(error, sqlite3.OperationalError):
                self._raise_unwritable(error)
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.OperationalError as error:
            # A COMMIT that fails (a full disk, most often) may leave the
            # transaction open; nothing of it is kept.
            self._roll_back()
            self._raise_unwritable(error)
            raise

    def _roll_back(self) -> None:
        if self.db.conn.in_transaction:
            # A failing disk may refuse the rollback too; the error that caused it
            # is the one to report, and SQLite rolls back on its own at reopening.
            with contextlib.suppress(sqlite3.OperationalError):
                self.db.execute("ROLLBACK")

    def _raise_unwritable(self, error: sqlite3.OperationalError) -> None:
        refusal = unwritable(self.path, error)
        if refusal is not None:
            raise refusal from None

    def _begin_immediate(self) -> None:
        """BEGIN IMMEDIATE, retried every LOCK_POLL_SECONDS until the busy timeout.

        SQLite's own busy handler sleeps longer and longer between tries (100 ms
        after the first 200 ms), so a reviewer's key could sleep through every
        moment a batch command, committing every few tens of milliseconds, leaves
        the lock free. Polling briefly catches those moments.
        """
        deadline = time.monotonic() + self.busy_timeout
        conn = self.db.conn
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) and "busy" not in str(error):
                        raise
                    if time.monotonic() >= deadline:
                        # Said as a refusal, so that the review screen reports it and
                        # keeps going and a command names it in one line.
                        raise DatabaseBusy(
                            f"{self.path}: another program has been writing to it for "
                            f"{self.busy_timeout:g} s; nothing was saved, try again"
                        ) from None
                    time.sleep(LOCK_POLL_SECONDS)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")

    def append_event(
        self,
        reviewer: str,
        action: str,
        payload: dict | None = None,
        *,
        sentence_id: int | None = None,
    ) -> int:
        """Record one reviewer action; call it inside the action's own transaction."""
        cursor = self.db.execute(
            """INSERT INTO events (at, reviewer, action, sentence_id, payload)
               VALUES (?, ?, ?, ?, ?)""",
            [now(), reviewer, action, sentence_id, json.dumps(payload or {}, ensure_ascii=False)],
        )
        return cursor.lastrowid

    def ensure_source(self, kind: str, name: str) -> int:
        """The id of the source of this kind and name, created if new."""
        key = source_key(name)
        row = self.db.execute(
            "SELECT id FROM sources WHERE kind = ? AND key = ?", [kind, key]
        ).fetchone()
        if row:
            return row[0]
        cursor = self.db.execute(
            "INSERT INTO sources (kind, name, key) VALUES (?, ?, ?)", [kind, name.strip(), key]
        )
        return cursor.lastrowid
