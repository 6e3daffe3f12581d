"""`annotator doctor`: is the file sound, and does every offset still fit its text?

Opened without migrating and read inside a transaction that is rolled back, so
that looking at a damaged or old file never changes it.
"""

import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from annotator.core import identity, maintenance
from annotator.core.errors import RefusedInput
from annotator.core.migrations import migrations

# A broken file can have millions of bad rows; the first ones say what is wrong.
MAX_LISTED = 50


@dataclass
class CheckResult:
    name: str
    checked: int | None = None
    problems: list[str] = field(default_factory=list)
    problems_total: int = 0
    skipped: str | None = None
    # Said, but not damage: the exit code stays 0 (work the next run redoes).
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problems_total == 0

    def add(self, problem: str) -> None:
        self.problems_total += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(problem)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "ok": self.ok,
            "checked": self.checked,
            "problems": self.problems,
            "problems_total": self.problems_total,
            "skipped": self.skipped,
            "notes": self.notes,
        }


@dataclass
class Check:
    name: str
    tables: tuple[str, ...]
    count_sql: str | None
    run: Callable[[sqlite3.Connection, CheckResult], None]


def _rows(sql: str, describe: Callable[..., str]):
    def run(conn: sqlite3.Connection, result: CheckResult) -> None:
        for row in conn.execute(sql):
            result.add(describe(*row))

    return run


def _integrity(conn: sqlite3.Connection, result: CheckResult) -> None:
    for (line,) in conn.execute("PRAGMA integrity_check"):
        if line != "ok":
            result.add(line)


def _foreign_keys(conn: sqlite3.Connection, result: CheckResult) -> None:
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        result.add(f"{table} #{rowid}: refers to a missing row of {parent}")


def _search_index(conn: sqlite3.Connection, result: CheckResult) -> None:
    try:
        conn.execute(
            "INSERT INTO sentences_fts (sentences_fts, rank) VALUES ('integrity-check', 1)"
        )
    except sqlite3.DatabaseError as error:
        if error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_READONLY:
            # FTS5 runs its check as an INSERT, which a read-only file refuses.
            result.skipped = "the file is read-only and FTS5's check is a write"
            return
        result.add(f"the full-text index does not match the sentences ({error})")


def _unfinished(conn: sqlite3.Connection, result: CheckResult) -> None:
    owed = maintenance.pending(conn)
    if owed:
        # Not damage: nothing is wrong with what is stored, and the next ingest or
        # propose (or --fix) rebuilds it; so said, without failing the check.
        result.notes.append(maintenance.stale_line(owed))


def _marks_outside(side: str) -> str:
    return f"""
        SELECT c.id, '{side}', s.id, length(s.text), m.value
        FROM contradictions c
        JOIN sentences s ON s.id = c.sentence{side}_id,
             json_each(c.evidence, '$.marks{side}') m
        WHERE json_valid(c.evidence)
          AND (json_type(m.value, '$[0]') != 'integer' OR json_type(m.value, '$[1]') != 'integer'
               OR m.value ->> 0 < 0 OR m.value ->> 1 <= m.value ->> 0
               OR m.value ->> 1 > length(s.text))"""


def _fits(name: str, child: str, what: str, start: str, end: str, parent: str, link: str):
    """Every [start, end) of `child` lies inside the text of the `parent` row it names."""
    return Check(
        name,
        (child, parent),
        f"SELECT count(*) FROM {child}",
        _rows(
            f"""SELECT c.id, c.{start}, c.{end}, p.id, length(p.text)
                FROM {child} c JOIN {parent} p ON p.id = c.{link}
                WHERE c.{start} < 0 OR c.{end} <= c.{start} OR c.{end} > length(p.text)""",
            lambda row, first, last, owner, length: (
                f"{what} #{row}: [{first}, {last}) does not fit {parent[:-1]} #{owner} "
                f"({length} characters)"
            ),
        ),
    )


CHECKS = (
    Check("integrity", (), None, _integrity),
    Check("foreign keys", (), None, _foreign_keys),
    _fits(
        "paragraph offsets", "paragraphs", "paragraph", "start", '"end"', "documents", "document_id"
    ),
    Check(
        "sentence offsets",
        ("sentences", "paragraphs", "documents"),
        "SELECT count(*) FROM sentences",
        _rows(
            """SELECT s.id, s.start, s."end", s.document_id, p.id
               FROM sentences s
               JOIN documents d ON d.id = s.document_id
               JOIN paragraphs p ON p.id = s.paragraph_id
               WHERE s.start < 0 OR s."end" <= s.start OR s."end" > length(d.text)
                  OR substr(d.text, s.start + 1, s."end" - s.start) IS NOT s.text
                  OR p.document_id != s.document_id
                  OR s.start < p.start OR s."end" > p."end\"""",
            lambda sid, start, end, doc, para: (
                f"sentence #{sid}: its text is not document #{doc}'s [{start}, {end}) "
                f"inside paragraph #{para}"
            ),
        ),
    ),
    _fits("span offsets", "spans", "span", "start", '"end"', "sentences", "sentence_id"),
    _fits(
        "attribution offsets",
        "attributions",
        "attribution content",
        "content_start",
        "content_end",
        "sentences",
        "content_sentence_id",
    ),
    Check(
        "contradiction evidence",
        ("contradictions", "sentences"),
        "SELECT count(*) FROM contradictions",
        _rows(
            f"{_marks_outside('1')} UNION ALL {_marks_outside('2')}",
            lambda cid, side, sid, length, mark: (
                f"contradiction #{cid}: mark {mark} of claim {side} does not fit sentence "
                f"#{sid} ({length} characters)"
            ),
        ),
    ),
    Check("search index", ("sentences_fts", "sentences"), None, _search_index),
    Check("unfinished work", ("maintenance",), None, _unfinished),
)


@dataclass
class Report:
    path: str
    schema_version: int
    current_version: int
    pending: list[str]
    checks: list[CheckResult]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def as_dict(self) -> dict:
        return {
            "database": self.path,
            "ok": self.ok,
            "schema_version": self.schema_version,
            "current_schema_version": self.current_version,
            "pending_migrations": self.pending,
            "checks": [check.as_dict() for check in self.checks],
        }


def _open(path: str) -> sqlite3.Connection:
    if not Path(path).is_file():
        raise RefusedInput(f"{path}: no such database")
    try:
        conn = _connect(path)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        raise RefusedInput(f"{path}: cannot open database ({error})") from None
    try:
        # Another program's file, or a newer annotator's: refused in one line.
        if identity.is_empty(conn, path):
            raise RefusedInput(f"{path}: empty, not yet a database")
    except RefusedInput:
        conn.close()
        raise
    return conn


def _connect(path: str) -> sqlite3.Connection:
    """Read-write where the file can be written; read-only otherwise, so that a
    copy on a read-only file system can still be checked."""
    from annotator.core.store import on_read_only_storage

    if not on_read_only_storage(path):
        return sqlite3.connect(path, isolation_level=None)
    uri = "file:" + urllib.parse.quote(os.path.abspath(path))
    try:
        conn = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=None)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        # A WAL file cannot be read without its -shm, which a read-only folder
        # cannot hold. With no -wal beside it the file alone is the whole
        # database, and nothing can write it through this read-only path.
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size:
            raise RefusedInput(
                f"{path}: read-only, with changes in {wal.name} that cannot be read "
                "without writing beside it; copy the files to a writable folder to check"
            ) from None
        return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, isolation_level=None)


def diagnose(path: str) -> Iterator[CheckResult | Report]:
    """Each check's result as it finishes, then the whole report."""
    conn = _open(path)
    try:
        database = sqlite_utils.Database(conn)
        tables = set(database.table_names())
        pending = [m.name for m in migrations.pending(database)]
        # One snapshot for every check, never committed: the checks write nothing,
        # and the search index's check is an INSERT only in name.
        conn.execute("BEGIN")
        results = []
        for check in CHECKS:
            result = CheckResult(check.name)
            missing = [t for t in check.tables if t not in tables]
            if missing:
                result.skipped = f"no {missing[0]} table in this schema version"
            else:
                if check.count_sql:
                    result.checked = conn.execute(check.count_sql).fetchone()[0]
                try:
                    check.run(conn, result)
                except sqlite3.DatabaseError as error:
                    result.add(f"could not be checked ({error})")
            results.append(result)
            yield result
        conn.execute("ROLLBACK")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        yield Report(
            path=path,
            schema_version=version,
            current_version=version + len(pending),
            pending=pending,
            checks=results,
        )
    finally:
        conn.close()


def _problems(count: int) -> str:
    return f"{count:,} problem{'' if count == 1 else 's'}"


def result_lines(result: CheckResult) -> list[str]:
    if result.skipped:
        return [f"{result.name:<24} skipped: {result.skipped}"]
    counted = f" ({result.checked:,} rows)" if result.checked is not None else ""
    if result.ok and result.notes:
        return [f"{result.name:<24} {note}" for note in result.notes]
    if result.ok:
        return [f"{result.name:<24} ok{counted}"]
    lines = [f"{result.name:<24} {_problems(result.problems_total)}{counted}"]
    lines += [f"  {problem}" for problem in result.problems]
    if result.problems_total > len(result.problems):
        lines.append(f"  … and {result.problems_total - len(result.problems):,} more")
    return lines


def summary_line(report: Report) -> str:
    if report.pending:
        schema = (
            f"schema version {report.schema_version}, {len(report.pending)} migrations "
            "pending (applied when annotator next opens the file)"
        )
    else:
        schema = f"schema version {report.schema_version} (current)"
    problems = sum(check.problems_total for check in report.checks)
    verdict = f"{_problems(problems)} found" if problems else "no problems found"
    return f"{report.path}: {verdict}; {schema}"
