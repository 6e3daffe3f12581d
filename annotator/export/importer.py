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
and the records around it still go in.
"""

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pydantic

from annotator.core import actions, entities
from annotator.core.batches import WriteBatches
from annotator.core.errors import DatabaseBusy, RefusedInput
from annotator.core.readers import Refusal
from annotator.core.records import Attribution, SentenceRecord, SpanRef
from annotator.core.store import Store, now
from annotator.core.text import MAX_BYTES_PER_CHAR, MAX_DOCUMENT_CHARS, is_canonical

IMPORT_ACTION = "import"


@dataclass
class ImportSummary:
    records: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0

    def line(self) -> str:
        return (
            f"{self.records} records read: {self.added} sentences added, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.refused} refused"
        )


@dataclass
class _Ids:
    """The file's ids → the database's, where they differ (a taken id)."""

    documents: dict[int, int] = field(default_factory=dict)
    sentences: dict[int, int] = field(default_factory=dict)
    spans: dict[int, int] = field(default_factory=dict)
    attributions: dict[int, int] = field(default_factory=dict)


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


def _validation_message(error: pydantic.ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "record"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


def _check_ref(ref: SpanRef, text: str, what: str) -> None:
    if not (ref.start < ref.end <= len(text)) or text[ref.start : ref.end] != ref.text:
        raise RefusedInput(f"{what} {ref.start}-{ref.end} does not match the text")


def check_record(record: SentenceRecord) -> None:
    """Offsets and texts agree, and the text is as ingest would have stored it."""
    text = record.text
    if not is_canonical(text):
        raise RefusedInput("text has control characters or line breaks ingest never stores")
    for span in record.spans:
        if not (span.start < span.end <= len(text)):
            raise RefusedInput(
                f"span {span.id}: offsets {span.start}-{span.end} do not fit a text of "
                f"{len(text)} characters"
            )
        if text[span.start : span.end] != span.text:
            raise RefusedInput(
                f"span {span.id}: text {span.text!r} is not the text at {span.start}-{span.end} "
                f"({text[span.start : span.end]!r})"
            )
    if len({span.id for span in record.spans}) != len(record.spans):
        raise RefusedInput("two spans have the same id")
    for attribution in record.attributions:
        for part, ref in (("source", attribution.source), ("cue", attribution.cue)):
            if ref is not None and _ref_is_here(ref, record):
                _check_ref(ref, text, f"attribution {attribution.id}: {part}")
        if attribution.content.sentence_id == record.id:
            _check_ref(attribution.content, text, f"attribution {attribution.id}: content")
    reviewers = [label.reviewer for label in record.labels]
    if len(set(reviewers)) != len(reviewers):
        raise RefusedInput("a reviewer has two sentence labels")
    credibility = [r.reviewer for r in record.ratings if r.axis == "credibility"]
    if len(set(credibility)) != len(credibility):
        raise RefusedInput("a reviewer has two credibility ratings")


def _ref_is_here(ref: SpanRef, record: SentenceRecord) -> bool:
    return ref.span_id is None or any(span.id == ref.span_id for span in record.spans)


class _Importer:
    def __init__(self, store: Store, origin: str, reviewer: str | None):
        self.store = store
        self.db = store.db
        self.origin = origin
        # Who the decisions are credited to when the file names nobody, or everyone
        # when --reviewer is given.
        self.reviewer = reviewer
        self.ids = _Ids()
        # entities whose mentions changed, and those this import created
        self.touched_entities: set[int] = set()
        self.created_entities: set[int] = set()
        # ids handed out in the current record, before its rows are written
        self.allocated: dict[str, set[int]] = {}

    # ids ----------------------------------------------------------------------

    def _free_id(self, table: str, wanted: int, owned: str | None = None, owner=None) -> int:
        """`wanted` if no row has it (or the row is this owner's), else the next free id."""
        if owned is None:
            row = self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [wanted]).fetchone()
            taken = row is not None
        else:
            row = self.db.execute(f"SELECT {owned} FROM {table} WHERE id = ?", [wanted]).fetchone()
            taken = row is not None and row[0] != owner
        if not taken and wanted not in self.allocated.get(table, ()):
            self.allocated.setdefault(table, set()).add(wanted)
            return wanted
        highest = self.db.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        fresh = max(highest, max(self.allocated.get(table, {0}))) + 1
        self.allocated.setdefault(table, set()).add(fresh)
        return fresh

    def _who(self, named: str | None, fallback: str | None) -> str | None:
        if self.reviewer:
            return self.reviewer
        return named or fallback

    # documents, paragraphs, sentences -------------------------------------------

    def _document(self, record: SentenceRecord) -> int:
        found = self.db.execute(
            "SELECT id FROM documents WHERE sha256 = ?", [record.document_sha256]
        ).fetchone()
        if found:
            return found[0]
        source = record.source
        outlet = source.outlet
        document_id = self._free_id("documents", record.document_id)
        self.db.execute(
            """INSERT INTO documents (id, sha256, text, title, lang, lang_prob, outlet_id, url,
                   published, author, origin, meta, ingested_at)
               VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                document_id,
                record.document_sha256,
                source.title,
                record.lang,
                # the record names a language, not how sure the detector was
                1.0,
                self.store.ensure_source("outlet", outlet) if outlet and outlet.strip() else None,
                source.url,
                source.published,
                source.author,
                self.origin,
                json.dumps({"imported": True}),
                now(),
            ],
        )
        return document_id

    def _place_in_document(self, document_id: int, record: SentenceRecord) -> None:
        """The document text holds every sentence at its offset. A document made by an
        import has only the sentences seen so far, with spaces between them."""
        text, origin = self.db.execute(
            "SELECT text, origin FROM documents WHERE id = ?", [document_id]
        ).fetchone()
        start, end = record.document_offset, record.document_offset + len(record.text)
        if text[start:end] == record.text:
            return
        if origin != self.origin and not text[start:end].isspace() and end <= len(text):
            raise RefusedInput(
                f"the document stored with hash {record.document_sha256[:12]}... has other "
                f"text at {start}-{end}"
            )
        padded = text.ljust(end)
        self.db.execute(
            "UPDATE documents SET text = ? WHERE id = ?",
            [padded[:start] + record.text + padded[end:], document_id],
        )

    def _paragraph(self, document_id: int, record: SentenceRecord) -> int:
        paragraph = record.paragraph
        start, end = record.document_offset, record.document_offset + len(record.text)
        found = self.db.execute(
            'SELECT id, start, "end" FROM paragraphs WHERE document_id = ? AND idx = ?',
            [document_id, paragraph.index],
        ).fetchone()
        if found is None:
            return self.db.execute(
                """INSERT INTO paragraphs (document_id, idx, start, "end", kind, boilerplate,
                       boilerplate_reason, lang, lang_prob) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1.0)""",
                [
                    document_id,
                    paragraph.index,
                    start,
                    end,
                    paragraph.kind,
                    int(paragraph.boilerplate),
                    "imported" if paragraph.boilerplate else None,
                    record.lang,
                ],
            ).lastrowid
        paragraph_id, old_start, old_end = found
        self.db.execute(
            """UPDATE paragraphs SET start = ?, "end" = ?, kind = ?,
                   boilerplate = ?, boilerplate_reason = CASE
                       WHEN boilerplate = ? THEN boilerplate_reason
                       WHEN ? THEN 'imported' END
               WHERE id = ?""",
            [
                min(start, old_start),
                max(end, old_end),
                paragraph.kind,
                int(paragraph.boilerplate),
                int(paragraph.boilerplate),
                int(paragraph.boilerplate),
                paragraph_id,
            ],
        )
        return paragraph_id

    def _sentence(self, record: SentenceRecord) -> tuple[int, bool]:
        """The database's sentence for this record, and whether it was created."""
        document_id = self._document(record)
        self.ids.documents[record.document_id] = document_id
        found = self.db.execute(
            "SELECT id, text, start FROM sentences WHERE document_id = ? AND idx = ?",
            [document_id, record.index],
        ).fetchone()
        if found:
            sentence_id, text, start = found
            if text != record.text or start != record.document_offset:
                raise RefusedInput(
                    f"sentence {record.index} of document {record.document_sha256[:12]}... is "
                    "stored with other text; a record may change labels, not the text"
                )
            self.ids.sentences[record.id] = sentence_id
            return sentence_id, False
        self._place_in_document(document_id, record)
        paragraph_id = self._paragraph(document_id, record)
        sentence_id = self._free_id("sentences", record.id)
        self.db.execute(
            """INSERT INTO sentences (id, document_id, paragraph_id, idx, start, "end", text,
                   lang, lang_prob) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1.0)""",
            [
                sentence_id,
                document_id,
                paragraph_id,
                record.index,
                record.document_offset,
                record.document_offset + len(record.text),
                record.text,
                record.lang,
            ],
        )
        self.ids.sentences[record.id] = sentence_id
        return sentence_id, True

    # what the record says about its sentence -------------------------------------

    def _span_changes(self, record: SentenceRecord, sentence_id: int) -> list[actions.Change]:
        changes = []
        kept = set()
        for span in record.spans:
            span_id = self._free_id("spans", span.id, "sentence_id", sentence_id)
            self.ids.spans[span.id] = span_id
            kept.add(span_id)
            decided = span.status != "proposed" or span.origin == "human"
            row = {
                "sentence_id": sentence_id,
                "start": span.start,
                "end": span.end,
                "label": span.label,
                "status": span.status,
                "origin": span.origin,
                "attrs": json.dumps(span.attrs, ensure_ascii=False, sort_keys=True),
                "reviewer": self._who(span.reviewer, record.reviewer) if decided else None,
                "updated_at": span.updated_at,
            }
            changes.append(actions.plan_change(self.db, "spans", {"id": span_id}, row))
        for (span_id,) in self.db.execute(
            "SELECT id FROM spans WHERE sentence_id = ?", [sentence_id]
        ).fetchall():
            if span_id not in kept:
                changes.append(actions.plan_change(self.db, "spans", {"id": span_id}, None))
        return changes

    def _mention_changes(self, record: SentenceRecord) -> list[actions.Change]:
        """Entity links exactly as the file gives them (call after the spans are
        written): relinking instead would change what a re-export says."""
        changes = []
        for span in record.spans:
            key = {"span_id": self.ids.spans.get(span.id, span.id)}
            before = actions.read_row(self.db, "entity_mentions", key)
            if span.entity is None:
                after = None
            else:
                kind = span.attrs.get("type") or "UNKNOWN"
                entity_id, created = entities.mention_entity(self.db, span.entity, span.text, kind)
                if created:
                    self.created_entities.add(entity_id)
                after = {**key, "entity_id": entity_id}
            if before != after:
                for row in (before, after):
                    if row:
                        self.touched_entities.add(row["entity_id"])
                changes.append(actions.Change("entity_mentions", key, before, after))
        return changes

    def _label_changes(self, record: SentenceRecord, sentence_id: int) -> list[actions.Change]:
        changes = []
        wanted = {}
        for label in record.labels:
            wanted[self._who(label.reviewer, None)] = label
        for who, label in wanted.items():
            key = {"sentence_id": sentence_id, "reviewer": who}
            row = {"label": label.label, "updated_at": label.updated_at}
            changes.append(actions.plan_change(self.db, "sentence_labels", key, row))
        for (who,) in self.db.execute(
            "SELECT reviewer FROM sentence_labels WHERE sentence_id = ?", [sentence_id]
        ).fetchall():
            if who not in wanted:
                key = {"sentence_id": sentence_id, "reviewer": who}
                changes.append(actions.plan_change(self.db, "sentence_labels", key, None))
        return changes

    def _rating_changes(self, record: SentenceRecord, sentence_id: int) -> list[actions.Change]:
        changes = []
        credibility = set()
        for rating in record.ratings:
            who = self._who(rating.reviewer, None)
            if rating.axis == "credibility":
                credibility.add(who)
                key = {"sentence_id": sentence_id, "reviewer": who}
                row = {"credibility": rating.value, "updated_at": rating.updated_at}
                changes.append(actions.plan_change(self.db, "claim_ratings", key, row))
            else:
                source_id = self.store.ensure_source(rating.source.kind, rating.source.name)
                key = {"source_id": source_id, "reviewer": who}
                row = {"reliability": rating.value, "updated_at": rating.updated_at}
                changes.append(actions.plan_change(self.db, "source_ratings", key, row))
        for (who,) in self.db.execute(
            "SELECT reviewer FROM claim_ratings WHERE sentence_id = ?", [sentence_id]
        ).fetchall():
            if who not in credibility:
                key = {"sentence_id": sentence_id, "reviewer": who}
                changes.append(actions.plan_change(self.db, "claim_ratings", key, None))
        return changes

    def _span_id(self, ref: SpanRef | None) -> int | None:
        """The database span a reference names, if it is there with those offsets."""
        if ref is None or ref.span_id is None:
            return None
        span_id = self.ids.spans.get(ref.span_id, ref.span_id)
        row = self.db.execute('SELECT start, "end" FROM spans WHERE id = ?', [span_id]).fetchone()
        return span_id if row == (ref.start, ref.end) else None

    def _content_sentence(self, attribution: Attribution) -> int | None:
        wanted = attribution.content.sentence_id
        if wanted in self.ids.sentences:
            return self.ids.sentences[wanted]
        row = self.db.execute("SELECT id FROM sentences WHERE id = ?", [wanted]).fetchone()
        return row[0] if row else None

    def attributions_ready(self, record: SentenceRecord) -> bool:
        return all(self._content_sentence(a) is not None for a in record.attributions)

    def _attribution_changes(
        self, record: SentenceRecord, sentence_id: int
    ) -> list[actions.Change]:
        document_id = self.ids.documents[record.document_id]
        changes = []
        kept = set()
        for attribution in record.attributions:
            content_sentence = self._content_sentence(attribution)
            if content_sentence is None:
                raise RefusedInput(
                    f"attribution {attribution.id}: content sentence "
                    f"{attribution.content.sentence_id} is neither in the file nor the database"
                )
            content = attribution.content
            stored = self.db.execute(
                "SELECT text FROM sentences WHERE id = ?", [content_sentence]
            ).fetchone()[0]
            _check_ref(content, stored, f"attribution {attribution.id}: content")
            attribution_id = self._free_id(
                "attributions", attribution.id, "content_sentence_id", content_sentence
            )
            kept.add(attribution_id)
            decided = attribution.status != "proposed"
            row = {
                "document_id": document_id,
                "kind": attribution.kind,
                "reason": attribution.reason,
                "source_span_id": self._span_id(attribution.source),
                "cue_span_id": self._span_id(attribution.cue),
                "content_span_id": self._span_id(content),
                "content_sentence_id": content_sentence,
                "content_start": content.start,
                "content_end": content.end,
                "resolved_to": attribution.resolved_to,
                "status": attribution.status,
                "origin": attribution.origin,
                "reviewer": self._who(attribution.reviewer, record.reviewer) if decided else None,
                "updated_at": attribution.updated_at,
            }
            key = {"id": attribution_id}
            changes.append(actions.plan_change(self.db, "attributions", key, row))
        for (attribution_id,) in self.db.execute(
            """SELECT a.id FROM spans hs JOIN attributions a ON a.source_span_id = hs.id
                   WHERE hs.sentence_id = ?
               UNION SELECT a.id FROM attributions a
                   WHERE a.content_sentence_id = ? AND a.source_span_id IS NULL""",
            [sentence_id, sentence_id],
        ).fetchall():
            if attribution_id not in kept:
                key = {"id": attribution_id}
                changes.append(actions.plan_change(self.db, "attributions", key, None))
        return changes

    def apply(self, record: SentenceRecord, *, with_attributions: bool) -> str:
        """Store one record; call inside a transaction. Returns added/updated/unchanged."""
        self.allocated.clear()
        sentence_id, created = self._sentence(record)
        # Spans first, so mentions and attributions can link the spans they name.
        effective = self._write(
            self._span_changes(record, sentence_id)
            + self._label_changes(record, sentence_id)
            + self._rating_changes(record, sentence_id)
        )
        effective += self._write(self._mention_changes(record))
        if with_attributions:
            effective += self._write(self._attribution_changes(record, sentence_id))
        self._log(effective, sentence_id)
        if created:
            return "added"
        return "updated" if effective else "unchanged"

    def apply_attributions(self, record: SentenceRecord) -> None:
        """The second pass for a record whose attribution content came later in the file."""
        self.allocated.clear()
        sentence_id = self.ids.sentences[record.id]
        self._log(self._write(self._attribution_changes(record, sentence_id)), sentence_id)

    def _write(self, changes: list[actions.Change]) -> list[actions.Change]:
        """Write the changes that change something; returns those."""
        effective = [c for c in changes if c.before != c.after]
        for change in effective:
            actions.put_row(self.db, change.table, change.key, change.after)
        return effective

    def _log(self, changes: list[actions.Change], sentence_id: int) -> None:
        """One `import` event per record, in the shape undo walks."""
        if changes:
            payload = {"changes": [c.as_json() for c in changes], "origin": self.origin}
            self.store.append_event(
                self.reviewer or IMPORT_ACTION, IMPORT_ACTION, payload, sentence_id=sentence_id
            )


def import_native(
    store: Store,
    path: str | Path,
    *,
    reviewer: str | None = None,
    on_refusal: Callable[[Refusal], None] = lambda refusal: None,
) -> ImportSummary:
    """Read native JSONL at `path` into `store`."""
    path = Path(path)
    summary = ImportSummary()
    importer = _Importer(store, f"import {path.name}", reviewer)
    waiting: list[tuple[int, SentenceRecord]] = []

    def refuse(number: int, reason: str) -> None:
        summary.refused += 1
        on_refusal(Refusal(f"{path}:{number}", reason))

    def one(number: int, line: bytes | None) -> None:
        summary.records += 1
        if line is None:
            refuse(number, f"line too long (limit {MAX_LINE_BYTES:,} bytes)")
            return
        try:
            record = SentenceRecord.model_validate_json(line.decode("utf-8"))
            check_record(record)
        except UnicodeDecodeError as error:
            refuse(number, f"not UTF-8 (byte 0x{line[error.start]:02x} at {error.start})")
            return
        except pydantic.ValidationError as error:
            refuse(number, _validation_message(error))
            return
        except RefusedInput as error:
            refuse(number, str(error))
            return
        try:
            with batches.write():
                ready = importer.attributions_ready(record)
                outcome = importer.apply(record, with_attributions=ready)
        except DatabaseBusy:
            # The file, not the record: every record after it would wait as long.
            raise
        except (RefusedInput, sqlite3.IntegrityError) as error:
            refuse(number, str(error))
            return
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        if not ready:
            waiting.append((number, record))

    try:
        # Records are written in short batches (see batches.py), so a reviewer's
        # key waits milliseconds; each record is a savepoint, refused alone.
        with WriteBatches(store) as batches:
            for number, line in _lines(path):
                one(number, line)
    except OSError as error:
        raise RefusedInput(f"{path}: {error.strerror or error}") from None

    with WriteBatches(store) as batches:
        for number, record in waiting:
            try:
                with batches.write():
                    importer.apply_attributions(record)
            except (RefusedInput, sqlite3.IntegrityError) as error:
                refuse(number, str(error))
    if importer.touched_entities:
        entities.refresh_aliases(
            store, sorted(importer.touched_entities), rename=importer.created_entities
        )
    return summary
