"""The rows one checked import record becomes, and what the importer remembers
across records (the file's ids → the database's).

Every write of a record happens inside `RecordWriter.whole()`: a savepoint and
the importer's memory, rolled back together when anything of the record is
refused, so a refused record leaves nothing behind.
"""

import contextlib
import json
from collections.abc import Callable, Iterator

from annotator.core import actions, entities
from annotator.core.errors import RefusedInput
from annotator.core.records import MAX_ROW_ID, Attribution, SentenceRecord, SpanRef
from annotator.core.store import Store, now
from annotator.export.import_checks import check_ref

IMPORT_ACTION = "import"


class Memory:
    """The file's ids → the database's, and the entities the import touched; each
    change can be undone back to a mark, as a savepoint is rolled back."""

    def __init__(self) -> None:
        self.documents: dict[int, int] = {}
        self.sentences: dict[int, int] = {}
        self.spans: dict[int, int] = {}
        self.touched_entities: set[int] = set()
        self.created_entities: set[int] = set()
        self._undo: list[Callable[[], None]] = []

    def put(self, mapping: dict, key: int, value: int) -> None:
        if key in mapping:
            old = mapping[key]
            self._undo.append(lambda: mapping.__setitem__(key, old))
        else:
            self._undo.append(lambda: mapping.pop(key, None))
        mapping[key] = value

    def add(self, found: set, item: int) -> None:
        if item not in found:
            found.add(item)
            self._undo.append(lambda: found.discard(item))

    def mark(self) -> int:
        return len(self._undo)

    def undo_to(self, mark: int) -> None:
        while len(self._undo) > mark:
            self._undo.pop()()

    def forget(self) -> None:
        """Committed for good: nothing left to undo."""
        self._undo.clear()


def _stored_ids(
    wanted: list[tuple[int, tuple]], stored: dict[int, tuple], handed: set[int]
) -> list[int | None]:
    """For each (file id, place) of a record: the stored row it is, or None for a new
    one. First the row with that id at that place, then any row at that place (the
    file's id was taken by another sentence when it was first imported), then the
    row with that id (an edit moved it). So importing a file twice renumbers nothing.
    Ids chosen are added to `handed`."""
    chosen: list[int | None] = [None] * len(wanted)

    def take(index: int, row_id: int | None) -> None:
        if row_id is not None and row_id not in handed:
            handed.add(row_id)
            chosen[index] = row_id

    for index, (file_id, place) in enumerate(wanted):
        if stored.get(file_id) == place:
            take(index, file_id)
    for index, (_, place) in enumerate(wanted):
        if chosen[index] is None:
            take(
                index, next((i for i, p in stored.items() if p == place and i not in handed), None)
            )
    for index, (file_id, _) in enumerate(wanted):
        if chosen[index] is None and file_id in stored:
            take(index, file_id)
    return chosen


class RecordWriter:
    def __init__(self, store: Store, origin: str, reviewer: str | None):
        self.store = store
        self.db = store.db
        self.origin = origin
        # Who the decisions are credited to when the file names nobody, or everyone
        # when --reviewer is given.
        self.reviewer = reviewer
        self.memory = Memory()
        # record ids read from the file so far: an attribution naming one means that
        # record's sentence, never a stored sentence that happens to have the id
        self.seen: set[int] = set()
        # ids handed out in the current record, before its rows are written
        self.allocated: dict[str, set[int]] = {}

    @contextlib.contextmanager
    def whole(self) -> Iterator[None]:
        """A savepoint; on any error it is rolled back and so is the memory."""
        mark = self.memory.mark()
        try:
            with self.store.write():
                yield
        except BaseException:
            self.memory.undo_to(mark)
            raise

    # ids ----------------------------------------------------------------------

    def _free_id(self, table: str, wanted: int, owned: str | None = None, owner=None) -> int:
        """`wanted` if no row has it (or the row is this owner's), else a free id."""
        if owned is None:
            row = self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [wanted]).fetchone()
            taken = row is not None
        else:
            row = self.db.execute(f"SELECT {owned} FROM {table} WHERE id = ?", [wanted]).fetchone()
            taken = row is not None and row[0] != owner
        handed = self.allocated.setdefault(table, set())
        if not taken and wanted not in handed:
            handed.add(wanted)
            return wanted
        highest = self.db.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        fresh = max(highest, *handed, 0) + 1
        if fresh > MAX_ROW_ID:
            fresh = self._lowest_gap(table, handed)
        handed.add(fresh)
        return fresh

    def _lowest_gap(self, table: str, handed: set[int]) -> int:
        """When the ids run up to SQLite's largest, the lowest id no row has."""
        candidate = 1
        for (taken,) in self.db.execute(f"SELECT id FROM {table} WHERE id >= 1 ORDER BY id"):
            while candidate in handed:
                candidate += 1
            if taken > candidate:
                return candidate
            candidate = max(candidate, taken + 1)
        while candidate in handed:
            candidate += 1
        if candidate > MAX_ROW_ID:
            raise RefusedInput(f"{table}: no id is free")
        return candidate

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
        import has only the sentences seen so far, with spaces between them; one made
        by ingest is whole, and a record can only name what it already holds."""
        text, imported = self.db.execute(
            "SELECT text, json_extract(meta, '$.imported') FROM documents WHERE id = ?",
            [document_id],
        ).fetchone()
        start, end = record.document_offset, record.document_offset + len(record.text)
        if text[start:end] == record.text:
            return
        if not imported and end > len(text):
            raise RefusedInput(
                f"document_offset: the document stored with hash "
                f"{record.document_sha256[:12]}... has {len(text):,} characters, the sentence "
                f"would end at {end:,}"
            )
        if not imported or text[start:end].strip():
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
        self.memory.put(self.memory.documents, record.document_id, document_id)
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
            self.memory.put(self.memory.sentences, record.id, sentence_id)
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
        self.memory.put(self.memory.sentences, record.id, sentence_id)
        return sentence_id, True

    # what the record says about its sentence -------------------------------------

    def _span_ids(self, record: SentenceRecord, sentence_id: int) -> list[int]:
        """The database id for each of the record's spans."""
        stored = {
            row[0]: tuple(row[1:])
            for row in self.db.execute(
                'SELECT id, start, "end", label FROM spans WHERE sentence_id = ?', [sentence_id]
            )
        }
        wanted = [(span.id, (span.start, span.end, span.label)) for span in record.spans]
        chosen = _stored_ids(wanted, stored, self.allocated.setdefault("spans", set()))
        return [
            span_id
            if span_id is not None
            else self._free_id("spans", span.id, "sentence_id", sentence_id)
            for span, span_id in zip(record.spans, chosen, strict=True)
        ]

    def span_changes(self, record: SentenceRecord, sentence_id: int) -> list[actions.Change]:
        changes = []
        kept = set()
        for span, span_id in zip(record.spans, self._span_ids(record, sentence_id), strict=True):
            self.memory.put(self.memory.spans, span.id, span_id)
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

    def mention_changes(self, record: SentenceRecord) -> list[actions.Change]:
        """Entity links exactly as the file gives them (call after the spans are
        written): relinking instead would change what a re-export says."""
        changes = []
        for span in record.spans:
            key = {"span_id": self.memory.spans.get(span.id, span.id)}
            before = actions.read_row(self.db, "entity_mentions", key)
            if span.entity is None:
                after = None
            else:
                kind = span.attrs.get("type") or "UNKNOWN"
                kind = kind if isinstance(kind, str) else json.dumps(kind)
                entity_id, created = entities.mention_entity(self.db, span.entity, span.text, kind)
                if created:
                    self.memory.add(self.memory.created_entities, entity_id)
                after = {**key, "entity_id": entity_id}
            if before != after:
                for row in (before, after):
                    if row:
                        self.memory.add(self.memory.touched_entities, row["entity_id"])
                changes.append(actions.Change("entity_mentions", key, before, after))
        return changes

    def label_changes(self, record: SentenceRecord, sentence_id: int) -> list[actions.Change]:
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

    def rating_changes(self, record: SentenceRecord, sentence_id: int) -> list[actions.Change]:
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

    def score_changes(self, record: SentenceRecord, sentence_id: int) -> list[actions.Change]:
        """A trained model's scores travel with the sentence; a record without them
        leaves what the database has (scores are the model's, not a decision)."""
        if record.scores is None:
            return []
        row = record.scores.model_dump()
        key = {"sentence_id": sentence_id}
        return [actions.plan_change(self.db, "sentence_scores", key, row)]

    def _span_id(self, ref: SpanRef | None) -> int | None:
        """The database span a reference names, if it is there with those offsets."""
        if ref is None or ref.span_id is None:
            return None
        span_id = self.memory.spans.get(ref.span_id, ref.span_id)
        row = self.db.execute('SELECT start, "end" FROM spans WHERE id = ?', [span_id]).fetchone()
        return span_id if row == (ref.start, ref.end) else None

    def content_sentence(self, attribution: Attribution, document_id: int) -> int | None:
        """The database sentence an attribution's content is in: a record of this
        file (None if that record was refused), or else a stored sentence of the
        same document."""
        wanted = attribution.content.sentence_id
        if wanted in self.memory.sentences:
            return self.memory.sentences[wanted]
        if wanted in self.seen:
            return None
        row = self.db.execute(
            "SELECT id FROM sentences WHERE id = ? AND document_id = ?", [wanted, document_id]
        ).fetchone()
        return row[0] if row else None

    def attribution_changes(self, record: SentenceRecord, sentence_id: int) -> list[actions.Change]:
        document_id = self.memory.documents[record.document_id]
        stored = self.db.execute(
            """SELECT a.id, a.content_sentence_id, a.content_start, a.content_end
                   FROM spans hs JOIN attributions a ON a.source_span_id = hs.id
                   WHERE hs.sentence_id = ?
               UNION SELECT a.id, a.content_sentence_id, a.content_start, a.content_end
                   FROM attributions a
                   WHERE a.content_sentence_id = ? AND a.source_span_id IS NULL""",
            [sentence_id, sentence_id],
        ).fetchall()
        places = {row[0]: tuple(row[1:]) for row in stored}
        contents = []
        for attribution in record.attributions:
            content_sentence = self.content_sentence(attribution, document_id)
            if content_sentence is None:
                raise RefusedInput(
                    f"attribution {attribution.id}: content sentence "
                    f"{attribution.content.sentence_id} is neither a record stored from this "
                    "file nor a sentence of its document in the database"
                )
            text = self.db.execute(
                "SELECT text FROM sentences WHERE id = ?", [content_sentence]
            ).fetchone()[0]
            check_ref(attribution.content, text, f"attribution {attribution.id}: content")
            contents.append(content_sentence)
        chosen = _stored_ids(
            [
                (a.id, (sentence, a.content.start, a.content.end))
                for a, sentence in zip(record.attributions, contents, strict=True)
            ],
            places,
            self.allocated.setdefault("attributions", set()),
        )
        changes = []
        kept = set()
        for attribution, content_sentence, attribution_id in zip(
            record.attributions, contents, chosen, strict=True
        ):
            content = attribution.content
            if attribution_id is None:
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
        for attribution_id in places:
            if attribution_id not in kept:
                key = {"id": attribution_id}
                changes.append(actions.plan_change(self.db, "attributions", key, None))
        return changes

    # writing ----------------------------------------------------------------------

    def apply_labels(self, record: SentenceRecord) -> tuple[int, bool, list[actions.Change]]:
        """The record's sentence, spans, labels, ratings and entity links, not yet its
        attributions; call inside `whole()`. Returns the sentence, whether it was
        created, and the changes written."""
        self.allocated.clear()
        sentence_id, created = self._sentence(record)
        # Spans first, so mentions and attributions can link the spans they name.
        effective = self.write(
            self.span_changes(record, sentence_id)
            + self.label_changes(record, sentence_id)
            + self.rating_changes(record, sentence_id)
            + self.score_changes(record, sentence_id)
        )
        effective += self.write(self.mention_changes(record))
        return sentence_id, created, effective

    def apply_attributions(self, record: SentenceRecord, sentence_id: int) -> list:
        self.allocated.clear()
        return self.write(self.attribution_changes(record, sentence_id))

    def write(self, changes: list[actions.Change]) -> list[actions.Change]:
        """Write the changes that change something; returns those."""
        effective = [c for c in changes if c.before != c.after]
        for change in effective:
            actions.put_row(self.db, change.table, change.key, change.after)
        return effective

    def log(self, changes: list[actions.Change], sentence_id: int) -> None:
        """One `import` event per record, in the shape undo walks."""
        if changes:
            payload = {"changes": [c.as_json() for c in changes], "origin": self.origin}
            self.store.append_event(
                self.reviewer or IMPORT_ACTION, IMPORT_ACTION, payload, sentence_id=sentence_id
            )
