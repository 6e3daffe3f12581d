"""`--format native`: one JSON object per sentence, built by SQLite itself.

SQLite's JSON functions assemble each record in C, so the export streams at the
speed of the query and Python only writes lines; memory stays flat however big
the database. The key order follows `records.SentenceRecord`, and a test checks
every record against the generated schema.

Two things keep it fast. What is shared by many sentences or belongs to few (a
document's metadata, which sentences have attributions or ratings) is gathered
once, up front, into small temporary tables, so the per-sentence query makes one
index probe for each instead of a search: a document row in particular is never
read per sentence, since reaching its metadata means walking past its whole text.
And each line is one string concatenated from JSON pieces rather than lists nested
with json_object: JSON's subtype does not reliably survive a subquery across SQLite
versions, and re-parsing every list with json() would cost a third of the export.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import queue
import signal
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, BinaryIO

from annotator.core.reviewed import REVIEWED_SQL
from annotator.core.sources import RATED_SOURCE_KIND, source_key
from annotator.export import stopping
from annotator.export.selection import Selection

if TYPE_CHECKING:
    # Not imported at run time: export workers load this module and nothing heavy.
    from annotator.core.store import Store

_RATED_KIND = (
    "CASE a.kind "
    + " ".join(f"WHEN '{kind}' THEN '{rated}'" for kind, rated in RATED_SOURCE_KIND.items())
    + " ELSE 'unknown' END"
)

# A span's own text, from its sentence `t`.
_SPAN_REF = """json((SELECT json_object('span_id', x.id, 'start', x.start, 'end', x."end",
                       'text', substr(t.text, x.start + 1, x."end" - x.start))
                FROM spans x JOIN sentences t ON t.id = x.sentence_id WHERE x.id = {column}))"""

# Where an attribution is listed: with the sentence of its source span, or of its
# content when it has no source span.
_HOME = "coalesce(hs.sentence_id, a.content_sentence_id)"

_PREPARE = f"""
-- "document_id":..,"document_sha256":..,"source":{{..}} for each document, read once.
CREATE TEMP TABLE export_documents (id INTEGER PRIMARY KEY, part TEXT NOT NULL);
INSERT INTO export_documents
SELECT id, substr(part, 2, length(part) - 2) FROM (
    SELECT d.id, json_object(
        'document_id', d.id, 'document_sha256', d.sha256,
        'source', json_object('outlet', o.name, 'url', d.url, 'published', d.published,
                              'author', d.author, 'title', d.title)) AS part
    FROM documents d LEFT JOIN sources o ON o.id = d.outlet_id);

CREATE TEMP TABLE export_homes (
    sentence_id INTEGER, attribution_id INTEGER, PRIMARY KEY (sentence_id, attribution_id)
) WITHOUT ROWID;
INSERT INTO export_homes
SELECT {_HOME}, a.id FROM attributions a LEFT JOIN spans hs ON hs.id = a.source_span_id;

-- The rated sources each sentence's attributions name. Only attributions of a kind
-- that has a rated source are keyed: most corpora rate few sources, or none.
CREATE TEMP TABLE export_rated_sources (
    sentence_id INTEGER, source_id INTEGER, PRIMARY KEY (sentence_id, source_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO export_rated_sources
SELECT {_HOME}, z.id
FROM attributions a LEFT JOIN spans hs ON hs.id = a.source_span_id
LEFT JOIN sentences ht ON ht.id = hs.sentence_id
JOIN sources z ON z.kind = {_RATED_KIND}
    AND z.key = source_key(coalesce(
        a.resolved_to, substr(ht.text, hs.start + 1, hs."end" - hs.start)))
WHERE {_RATED_KIND} IN (
    SELECT k.kind FROM sources k JOIN source_ratings r ON r.source_id = k.id)
AND EXISTS (SELECT 1 FROM source_ratings r WHERE r.source_id = z.id);

-- Sentences with any rating to list: a claim rating, a rated outlet, a rated source.
CREATE TEMP TABLE export_rated (sentence_id INTEGER PRIMARY KEY);
INSERT OR IGNORE INTO export_rated SELECT sentence_id FROM claim_ratings;
INSERT OR IGNORE INTO export_rated SELECT sentence_id FROM export_rated_sources;
INSERT OR IGNORE INTO export_rated
SELECT s.id FROM sentences s JOIN documents d ON d.id = s.document_id
WHERE d.outlet_id IN (SELECT source_id FROM source_ratings);
"""

_TEMPORARY = ("export_documents", "export_homes", "export_rated_sources", "export_rated")

_SQL = """
SELECT
    '{{"id":' || s.id || ',' || ed.part || ',"paragraph":'
    || json_object('index', p.idx, 'kind', p.kind,
                   'boilerplate', json(iif(p.boilerplate, 'true', 'false')))
    || ',"index":' || s.idx || ',"document_offset":' || s.start
    || ',"lang":' || json_quote(s.lang) || ',"text":' || json_quote(s.text)
    -- in id order: the index on sentence_id keeps ids in order within a sentence
    || ',"spans":' || (
        SELECT json_group_array(json_object(
            'id', sp.id, 'start', sp.start, 'end', sp."end", 'label', sp.label,
            'text', substr(s.text, sp.start + 1, sp."end" - sp.start),
            'status', sp.status, 'origin', sp.origin, 'attrs', json(sp.attrs),
            'entity', iif(sp.label = 'ENTITY', (
                SELECT e.key FROM entity_mentions m JOIN entities e ON e.id = m.entity_id
                WHERE m.span_id = sp.id), NULL),
            'reviewer', sp.reviewer, 'updated_at', sp.updated_at))
        FROM spans sp INDEXED BY spans_sentence
        WHERE sp.sentence_id = s.id AND {span_filter})
    || ',"attributions":' || (
        SELECT json_group_array(json_object(
            'id', a.id, 'kind', a.kind, 'reason', a.reason,
            'source', {source_ref}, 'cue', {cue_ref},
            'content', json_object(
                'span_id', a.content_span_id, 'start', a.content_start,
                'end', a.content_end,
                'text', substr(c.text, a.content_start + 1, a.content_end - a.content_start),
                'sentence_id', a.content_sentence_id),
            'resolved_to', a.resolved_to, 'status', a.status, 'origin', a.origin,
            'reviewer', a.reviewer, 'updated_at', a.updated_at))
        FROM export_homes h JOIN attributions a ON a.id = h.attribution_id
        JOIN sentences c ON c.id = a.content_sentence_id
        WHERE h.sentence_id = s.id)
    || ',"labels":' || (
        SELECT json_group_array(json(j)) FROM (
            SELECT json_object('label', l.label, 'reviewer', l.reviewer,
                               'updated_at', l.updated_at) AS j
            FROM sentence_labels l WHERE l.sentence_id = s.id ORDER BY l.reviewer))
    || ',"ratings":' || iif(
        EXISTS (SELECT 1 FROM export_rated x WHERE x.sentence_id = s.id),
        (SELECT json_group_array(json(j)) FROM (
            SELECT json_object('axis', 'credibility', 'value', r.credibility,
                               'reviewer', r.reviewer, 'updated_at', r.updated_at) AS j,
                   0 AS axis, '' AS kind, '' AS key, r.reviewer AS who
            FROM claim_ratings r WHERE r.sentence_id = s.id
            UNION ALL
            SELECT json_object('axis', 'reliability', 'value', r.reliability,
                               'reviewer', r.reviewer,
                               'source', json_object('kind', z.kind, 'name', z.name),
                               'updated_at', r.updated_at),
                   1, z.kind, z.key, r.reviewer
            FROM sources z JOIN source_ratings r ON r.source_id = z.id
            WHERE z.id IN (
                SELECT d.outlet_id FROM documents d WHERE d.id = s.document_id
                UNION SELECT x.source_id FROM export_rated_sources x
                WHERE x.sentence_id = s.id)
            ORDER BY axis, kind, key, who)),
        '[]')
    -- only when a trained model scored the sentence
    || coalesce((
        SELECT ',"scores":' || json_object(
            'checkworthy', sc.checkworthy, 'uncertainty', sc.uncertainty,
            'model', sc.model, 'scored_at', sc.scored_at)
        FROM sentence_scores sc WHERE sc.sentence_id = s.id), '')
    -- who decided last, and when: SQLite gives the bare column of the max() row
    || ',' || substr((
        SELECT json_object('reviewer', reviewer, 'answer', iif({reviewed}, 'accept', NULL),
                           '_timestamp', CAST(strftime('%s', max(updated_at)) AS INTEGER))
        FROM (SELECT reviewer, updated_at FROM spans
                  WHERE sentence_id = s.id AND status != 'proposed'
              UNION ALL SELECT reviewer, updated_at FROM sentence_labels
                  WHERE sentence_id = s.id
              UNION ALL SELECT reviewer, updated_at FROM claim_ratings
                  WHERE sentence_id = s.id)), 2)
FROM sentences s
JOIN export_documents ed ON ed.id = s.document_id
JOIN paragraphs p ON p.id = s.paragraph_id
WHERE {sentence_filter}
ORDER BY s.id
"""

# The same line as a BLOB: the UTF-8 bytes as SQLite built them.
_SELECT_LINE = "SELECT\n"
_BYTES_SQL = _SQL.replace(_SELECT_LINE, _SELECT_LINE + "CAST(", 1).replace(
    "\nFROM sentences s\n", "\nAS BLOB)\nFROM sentences s\n", 1
)


# Speakers recur all through a corpus; the key of each is worked out once.
@functools.lru_cache(maxsize=65536)
def _source_key(name: str | None) -> str | None:
    return None if name is None else source_key(name)


def _prepare(store: Store) -> None:
    for table in _TEMPORARY:
        store.db.execute(f"DROP TABLE IF EXISTS temp.{table}")
    _prepare_connection(store.db.conn)


def _query(selection: Selection, extra: str = "1", *, as_bytes: bool = False) -> tuple[str, list]:
    span_filter, span_params = selection.spans("sp")
    sentence_filter, sentence_params = selection.sentences()
    sql = (_BYTES_SQL if as_bytes else _SQL).format(
        span_filter=span_filter,
        source_ref=_SPAN_REF.format(column="a.source_span_id"),
        cue_ref=_SPAN_REF.format(column="a.cue_span_id"),
        reviewed=REVIEWED_SQL,
        sentence_filter=f"({sentence_filter}) AND {extra}",
    )
    return sql, span_params + sentence_params


def native_lines(
    store: Store, selection: Selection | None = None, *, encoded: bool = False
) -> Iterator[str] | Iterator[bytes]:
    """Each selected sentence as one line of JSON, without the line end; as UTF-8
    bytes with `encoded`, which spares a file writer decoding and re-encoding."""
    sql, params = _query(selection or Selection())
    conn = store.db.conn
    text_factory = conn.text_factory
    # One read transaction: the tables gathered up front and the rows streamed after
    # see the same snapshot, whatever reviewers write meanwhile.
    conn.execute("BEGIN")
    try:
        _prepare(store)
        if encoded:
            conn.text_factory = bytes
        for (line,) in conn.execute(sql, params):
            yield line
    finally:
        conn.text_factory = text_factory
        # Only the temporary tables were written.
        conn.execute("ROLLBACK")


# Sentences per chunk a worker renders: big enough that a chunk's overhead is
# nothing, small enough that the chunks waiting to be written stay a few MB.
CHUNK = 2000


def write_native(
    store: Store,
    stream: BinaryIO,
    selection: Selection | None = None,
    *,
    workers: int = 2,
    chunk: int = CHUNK,
    on_lines: Callable[[int], None] = lambda n: None,
) -> int:
    """Write every selected sentence's line to `stream`, in id order; returns how many.

    With `workers` > 1, chunks of sentences are rendered by that many worker
    processes at once (SQLite's JSON building is the whole cost, and one process
    uses one core). Into a file, each worker writes its chunks itself, at the
    offset its turn gives it, so this process copies nothing; into a pipe, the
    chunks come here and are written in order, a few chunks ahead at most."""
    selection = selection or Selection()
    low, high = store.db.execute("SELECT min(id), max(id) FROM sentences").fetchone()
    if workers < 2 or store.path == ":memory:" or low is None or high - low < chunk:
        count = 0
        for line in native_lines(store, selection, encoded=True):
            stream.write(line)
            stream.write(b"\n")
            count += 1
        on_lines(count)
        return count
    context = multiprocessing.get_context("spawn")
    target = _file_of(stream)
    base = 0
    if target is not None:
        stream.flush()
        base = stream.tell()
    # The next chunk to take its place in the file, and where it starts.
    turn = _Turn(context, base)
    # Worker k renders chunks k, k + workers, ...; its queue holds two at most, so
    # memory stays flat when the writer is slower than the workers.
    queues = [context.Queue(maxsize=2) for _ in range(workers)]
    processes = [
        context.Process(
            target=_worker,
            args=(
                store.path,
                selection,
                chunk,
                low,
                range(low + k * chunk, high + 1, workers * chunk),
                q,
                target,
                turn,
                os.getpid(),
            ),
            daemon=True,
        )
        for k, q in enumerate(queues)
    ]
    count = 0
    try:
        # Every worker's snapshot is taken while this process holds the write lock,
        # so all of them read the same database even if a reviewer writes meanwhile;
        # writers wait only until the workers have begun.
        with store.write():
            # A stop signal while a worker is being spawned would leave it reading
            # half a start-up message and printing a traceback: the signals wait
            # until every worker has been handed what it needs.
            with stopping.deferred():
                for process in processes:
                    process.start()
            for process, q in zip(processes, queues, strict=True):
                _receive(process, q)
        for n in range(len(range(low, high + 1, chunk))):
            blob, lines = _receive(processes[n % workers], queues[n % workers])
            if blob is not None:
                stream.write(blob)
            count += lines
            on_lines(lines)
        if target is not None:
            # The workers wrote past what this stream knows of.
            stream.seek(turn.offset.value)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            # a worker is not started when the write lock could not be had
            if process.pid is not None:
                process.join()
    return count


class _Turn:
    """Shared by the workers: which chunk is to be placed next, and at what offset."""

    def __init__(self, context, offset: int) -> None:
        self.offset = context.Value("q", offset, lock=False)
        self.chunk = context.Value("q", 0, lock=False)
        self.changed = context.Condition()

    def take(self, chunk: int, size: int) -> int:
        """Wait for `chunk`'s turn; the offset it is written at."""
        with self.changed:
            self.changed.wait_for(lambda: self.chunk.value == chunk)
            offset = self.offset.value
            self.offset.value = offset + size
            self.chunk.value = chunk + 1
            self.changed.notify_all()
        return offset


def _file_of(stream: BinaryIO) -> str | None:
    """The path of the regular file `stream` writes to, or None (a pipe, a terminal,
    memory) when the workers cannot write into it themselves."""
    if not hasattr(os, "pwrite"):  # Windows
        return None
    name = getattr(stream, "name", None)
    try:
        if isinstance(name, str) and stream.seekable() and os.path.isfile(name):
            return name
    except (OSError, ValueError):
        pass
    return None


def _receive(process, q):
    """The next item from a worker, or its error raised here."""
    while True:
        try:
            item = q.get(timeout=1)
        except queue.Empty:
            if not process.is_alive():
                stopped = f"export worker stopped (exit code {process.exitcode})"
                raise RuntimeError(stopped) from None
            continue
        if isinstance(item, BaseException):
            raise item
        return item


def _worker(
    path: str,
    selection: Selection,
    chunk: int,
    low: int,
    starts: range,
    out,
    target: str | None,
    turn: _Turn,
    parent: int,
) -> None:
    """In a worker process: take a snapshot, say so, then render its chunks, and
    write each into `target` when there is one, else send it to the writer.

    Workers read through APSW, which brings its own, newer SQLite: since 3.45 its JSON
    functions build these lines about a third faster than the SQLite Python links to.
    Each line is cast to a BLOB so that it arrives as UTF-8 bytes, never decoded."""
    _die_with(parent)
    import apsw

    try:
        conn = apsw.Connection(path, flags=apsw.SQLITE_OPEN_READONLY)
        conn.setbusytimeout(60_000)
        conn.execute("BEGIN")
        conn.execute("SELECT 1 FROM sentences LIMIT 1").fetchall()
        out.put("ready")
        conn.create_scalar_function("source_key", _source_key, 1, deterministic=True)
        _run_prepare(conn)
        sql, params = _query(selection, "s.id BETWEEN ? AND ?", as_bytes=True)
        sink = os.open(target, os.O_WRONLY) if target is not None else None
        for first in starts:
            rows = conn.execute(sql, [*params, first, first + chunk - 1]).fetchall()
            blob = b"".join(line + b"\n" for (line,) in rows)
            if sink is None:
                out.put((blob, len(rows)))
                continue
            _write_at(sink, blob, turn.take((first - low) // chunk, len(blob)))
            out.put((None, len(rows)))
        if sink is not None:
            os.close(sink)
    except OSError as error:
        # A full disk is the same error whichever process met it.
        out.put(OSError(error.errno, error.strerror))
    except BaseException as error:  # reported to the writer, which raises it
        out.put(RuntimeError(f"export worker: {error}"))


def _die_with(parent: int) -> None:
    """End this worker when the export that started it ends, however it ends: a
    SIGKILL of the export runs none of its cleanup, and a worker left running
    would hold a read snapshot (no WAL checkpoint) and a CPU forever."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        import threading

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    # The export may have died before the line above took effect.
    if os.getppid() != parent:
        os._exit(1)


def _write_at(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def _prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function("source_key", 1, _source_key, deterministic=True)
    _run_prepare(conn)


def _run_prepare(conn) -> None:
    for statement in _PREPARE.split(";"):
        if statement.strip():
            conn.execute(statement)
