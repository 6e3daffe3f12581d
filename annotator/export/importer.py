"""`annotator import`: native JSONL (ours, or edited by hand) back into a database.

A record is the whole truth about its sentence: its spans, attributions, labels
and claim ratings replace what the database had for that sentence (source
ratings are per source and only added or changed). A record whose sentence is
already stored (same document hash, same position, same text) updates it; any
other creates it, keeping the file's ids where they are free, so that export →
import into an empty database → export gives the same bytes.

Every change a record makes is one `import` event with the rows before and after,
so `u` in the review screen or `undo` walks it back like any reviewer action. A
record that does not check out is refused with one line naming its line number,
and the records around it still go in. A record is all or nothing: everything the
file alone can tell is checked before anything is written (`import_checks`), and
each record is written inside a savepoint rolled back whole when the database
refuses any part of it.
"""

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core import entities, maintenance
from annotator.core.batches import WriteBatches
from annotator.core.errors import RefusedInput
from annotator.core.readers import Refusal
from annotator.core.records import SentenceRecord
from annotator.core.store import Store
from annotator.core.text import MAX_BYTES_PER_CHAR, MAX_DOCUMENT_CHARS, counted
from annotator.export.import_checks import parse_record
from annotator.export.import_rows import RecordWriter


@dataclass
class ImportSummary:
    records: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0

    def line(self) -> str:
        return (
            f"{counted(self.records, 'record')} read: {counted(self.added, 'sentence')} added, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.refused} refused"
        )


# A record is one sentence and its labels; a line far longer than any document is
# not one, and reading it whole could exhaust memory.
MAX_LINE_BYTES = MAX_DOCUMENT_CHARS * MAX_BYTES_PER_CHAR


def _lines(path: Path, limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """Numbered non-blank lines; None for a line longer than `limit`, which is
    skipped without being held in memory."""
    with open(path, "rb") as stream:
        number = 0
        while line := stream.readline(limit + 1):
            number += 1
            if len(line) > limit and not line.endswith(b"\n"):
                while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
                yield number, None
            elif line.strip():
                yield number, line


def _reason(error: Exception) -> str:
    if isinstance(error, RefusedInput | sqlite3.IntegrityError):
        return str(error)
    return f"could not be stored ({type(error).__name__}: {error})"


def _refusable(error: Exception) -> bool:
    """What refuses one record. A database that is busy, full or read-only refuses
    every record after it too, so that ends the import instead."""
    return not isinstance(error, sqlite3.OperationalError)


class _Import:
    def __init__(self, store: Store, path: Path, reviewer, on_refusal, where=None):
        self.store = store
        self.path = path
        self.summary = ImportSummary()
        self.writer = RecordWriter(store, f"import {path.name}", reviewer)
        self.on_refusal = on_refusal
        # Where record `number` came from, for a refusal's line.
        self.where = where or (lambda number: f"{path}:{number}")
        # records whose attribution content is in a record further on, or nowhere
        self.waiting: list[tuple[int, SentenceRecord]] = []

    def refuse(self, number: int, reason: str) -> None:
        self.summary.refused += 1
        self.on_refusal(Refusal(self.where(number), reason))

    def count(self, created: bool, changes: list) -> None:
        outcome = "added" if created else "updated" if changes else "unchanged"
        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)

    def _ready(self, record: SentenceRecord) -> bool:
        known = self.writer.memory.sentences
        return all(
            a.content.sentence_id == record.id or a.content.sentence_id in known
            for a in record.attributions
        )

    def one(self, number: int, line: bytes | None) -> None:
        self.summary.records += 1
        if line is None:
            self.refuse(number, f"line too long (limit {MAX_LINE_BYTES:,} bytes)")
            return
        try:
            record = parse_record(line)
        except RefusedInput as error:
            self.refuse(number, str(error))
            return
        self.writer.seen.add(record.id)
        if not self._ready(record):
            self.waiting.append((number, record))
            return
        writer = self.writer
        try:
            with writer.whole():
                sentence_id, created, changes = writer.apply_labels(record)
                changes += writer.apply_attributions(record, sentence_id)
                writer.log(changes, sentence_id)
        except Exception as error:
            if not _refusable(error):
                raise
            self.refuse(number, _reason(error))
            return
        writer.memory.forget()
        self.count(created, changes)

    def _unresolvable(self, pending: list[tuple[int, SentenceRecord]]) -> dict[int, str]:
        """Records (by line) whose attribution content is in no record that can still
        be stored, nor in the database: known before writing anything."""
        writer = self.writer
        dropped: dict[int, str] = {}
        while True:
            still = {r.id for n, r in pending if n not in dropped}
            before = len(dropped)
            for number, record in pending:
                if number in dropped:
                    continue
                for attribution in record.attributions:
                    wanted = attribution.content.sentence_id
                    if wanted in still or wanted in writer.memory.sentences:
                        continue
                    if (
                        wanted not in writer.seen
                        and writer.db.execute(
                            "SELECT 1 FROM sentences WHERE id = ?", [wanted]
                        ).fetchone()
                    ):
                        continue
                    dropped[number] = (
                        f"attribution {attribution.id}: content sentence {wanted} is neither "
                        "a record stored from this file nor in the database"
                    )
                    break
            if len(dropped) == before:
                return dropped

    def settle(self) -> None:
        """The records that waited for a later record, all in one savepoint: their
        sentences first, then their attributions. When any is refused, the savepoint
        goes back whole and the rest are tried again without it, so that no record
        keeps half of itself or points at a refused one."""
        pending = self.waiting
        writer = self.writer
        while pending:
            dropped = self._unresolvable(pending)
            for number in sorted(dropped):
                self.refuse(number, dropped[number])
            pending = [(n, r) for n, r in pending if n not in dropped]
            failed: dict[int, str] = {}
            staged = []
            try:
                with writer.whole():
                    for number, record in pending:
                        try:
                            with writer.whole():
                                staged.append((number, record, *writer.apply_labels(record)))
                        except Exception as error:
                            if not _refusable(error):
                                raise
                            failed[number] = _reason(error)
                    for number, record, sentence_id, _, changes in staged if not failed else ():
                        try:
                            with writer.whole():
                                changes += writer.apply_attributions(record, sentence_id)
                        except Exception as error:
                            if not _refusable(error):
                                raise
                            failed[number] = _reason(error)
                    if failed:
                        raise _TryAgain
                    for _, _, sentence_id, _, changes in staged:
                        writer.log(changes, sentence_id)
            except _TryAgain:
                pass
            for number in sorted(failed):
                self.refuse(number, failed[number])
            if not failed:
                writer.memory.forget()
                for _, _, _, created, changes in staged:
                    self.count(created, changes)
                return
            pending = [(n, r) for n, r in pending if n not in failed]


class _TryAgain(Exception):
    """Roll the waiting records back, to try them again without the refused ones."""


def import_native(
    store: Store,
    path: str | Path,
    *,
    reviewer: str | None = None,
    on_refusal: Callable[[Refusal], None] = lambda refusal: None,
) -> ImportSummary:
    """Read native JSONL at `path` into `store`."""
    path = Path(path)
    run = _Import(store, path, reviewer, on_refusal)
    try:
        _run(store, run, _lines(path))
    except OSError as error:
        raise RefusedInput(f"{path}: {error.strerror or error}") from None
    return _finish(store, run)


def import_brat(
    store: Store,
    folder: str | Path,
    *,
    reviewer: str | None = None,
    on_refusal: Callable[[Refusal], None] = lambda refusal: None,
) -> ImportSummary:
    """Read a folder of brat standoff gold into `store` (export/brat_import.py). A
    folder that cannot be read is refused whole, before anything is written."""
    from annotator.export import brat_import
    from annotator.export.brat import read_folder

    folder = Path(folder)
    lines = list(brat_import.lines(read_folder(folder), reviewer))
    where = {number: place for number, (place, _) in enumerate(lines, 1)}
    run = _Import(store, folder, reviewer, on_refusal, lambda n: f"{folder}: {where[n]}")
    _run(store, run, ((n, line) for n, (_, line) in enumerate(lines, 1)))
    return _finish(store, run)


def _run(store: Store, run: _Import, lines) -> None:
    # Records are written in short batches (core/batches.py), so a reviewer's key
    # waits milliseconds; each record is all or nothing inside its batch.
    with WriteBatches(store) as batches:
        for number, line in lines:
            with batches.write() as db:
                before = run.summary.added + run.summary.updated
                run.one(number, line)
                if run.summary.added + run.summary.updated > before:
                    # In the record's own transaction: an import killed after it
                    # still leaves the contradiction candidates owed (maintenance.py).
                    maintenance.mark(db, maintenance.CONTRADICTIONS)


def _finish(store: Store, run: _Import) -> ImportSummary:
    with store.write() as db:
        run.settle()
        if run.summary.added or run.summary.updated:
            # the records that waited for a later one are written here
            maintenance.mark(db, maintenance.CONTRADICTIONS)
    memory = run.writer.memory
    if memory.touched_entities:
        entities.refresh_aliases(
            store, sorted(memory.touched_entities), rename=memory.created_entities
        )
    return run.summary
