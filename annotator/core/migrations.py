"""The database schema, only ever changed by appending a numbered migration.

Tables are STRICT; offsets are checked by triggers so that no writer, ours or a
hand-run ``sqlite3`` session, can store a span that does not fit its text.
"""

import sqlite3

from sqlite_utils.migrations import Migrations

migrations = Migrations("annotator")


def names() -> list[str]:
    """Every migration this version knows, in order (sqlite-utils keeps the list private)."""
    return [m.name for m in migrations._migrations]


def _execute_script(db, script: str) -> None:
    """Run statements one by one: ``executescript`` would COMMIT the migration's
    transaction before it starts."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement[:60]!r}")


@migrations(name="0001_initial")
def initial(db):
    _execute_script(
        db,
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('outlet', 'person', 'organisation', 'unknown')),
            name TEXT NOT NULL,
            -- casefolded, whitespace-collapsed name: one row per source however it is spelt
            key TEXT NOT NULL,
            UNIQUE (kind, key)
        ) STRICT;

        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            text TEXT NOT NULL,
            title TEXT,
            lang TEXT NOT NULL,
            lang_prob REAL NOT NULL,
            outlet_id INTEGER REFERENCES sources (id),
            url TEXT,
            published TEXT,
            author TEXT,
            -- the file (and line, for JSONL) it came from
            origin TEXT NOT NULL,
            -- everything else the input said about it, as a JSON object
            meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
            ingested_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE paragraphs (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" > start),
            kind TEXT NOT NULL CHECK (kind IN ('headline', 'body')),
            boilerplate INTEGER NOT NULL DEFAULT 0 CHECK (boilerplate IN (0, 1)),
            boilerplate_reason TEXT,
            lang TEXT NOT NULL,
            lang_prob REAL NOT NULL,
            UNIQUE (document_id, idx)
        ) STRICT;

        CREATE TABLE sentences (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            paragraph_id INTEGER NOT NULL REFERENCES paragraphs (id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" > start),
            -- a copy of documents.text[start:end], so that exports and search read one row
            text TEXT NOT NULL CHECK (length(text) = "end" - start),
            lang TEXT NOT NULL,
            lang_prob REAL NOT NULL,
            UNIQUE (document_id, idx)
        ) STRICT;
        CREATE INDEX sentences_paragraph ON sentences (paragraph_id);

        CREATE TABLE spans (
            id INTEGER PRIMARY KEY,
            sentence_id INTEGER NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" > start),
            label TEXT NOT NULL
                CHECK (label IN ('QUANTITY', 'QUOTE', 'SOURCE', 'CUE', 'HEDGE', 'ENTITY')),
            status TEXT NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed', 'accepted', 'rejected')),
            -- 'human', or the pipeline name and version that proposed it
            origin TEXT NOT NULL,
            attrs TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attrs)),
            reviewer TEXT,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX spans_sentence ON spans (sentence_id);
        CREATE INDEX spans_label_status ON spans (label, status);

        -- Offsets are Python string indices; SQLite's length() on TEXT counts the
        -- same code points, so the check holds for any script.
        CREATE TRIGGER spans_offsets_insert BEFORE INSERT ON spans
        WHEN NEW."end" > (SELECT length(text) FROM sentences WHERE id = NEW.sentence_id)
        BEGIN
            SELECT RAISE(ABORT, 'span offsets out of range of its sentence');
        END;
        CREATE TRIGGER spans_offsets_update BEFORE UPDATE OF start, "end", sentence_id ON spans
        WHEN NEW."end" > (SELECT length(text) FROM sentences WHERE id = NEW.sentence_id)
        BEGIN
            SELECT RAISE(ABORT, 'span offsets out of range of its sentence');
        END;

        -- Every reviewer action, append-only: undo, redo, audit and timing read it.
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            action TEXT NOT NULL,
            sentence_id INTEGER REFERENCES sentences (id),
            payload TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload))
        ) STRICT;
        CREATE INDEX events_reviewer ON events (reviewer, id);
        CREATE INDEX events_sentence ON events (sentence_id);
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN
            SELECT RAISE(ABORT, 'events is append-only');
        END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN
            SELECT RAISE(ABORT, 'events is append-only');
        END;
        """,
    )


@migrations(name="0002_attributions_entities")
def attributions_entities(db):
    _execute_script(
        db,
        """
        -- Who said what: a SOURCE and CUE span linked to the content, which is a QUOTE
        -- span or a reported clause and may lie in another sentence than the source.
        CREATE TABLE attributions (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN
                ('named_person', 'named_org', 'anonymous', 'other_outlet', 'unattributed')),
            -- the reason the text gives for anonymity ("declined to be named given ...")
            reason TEXT,
            source_span_id INTEGER REFERENCES spans (id) ON DELETE SET NULL,
            cue_span_id INTEGER REFERENCES spans (id) ON DELETE SET NULL,
            content_span_id INTEGER REFERENCES spans (id) ON DELETE SET NULL,
            content_sentence_id INTEGER NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
            content_start INTEGER NOT NULL CHECK (content_start >= 0),
            content_end INTEGER NOT NULL CHECK (content_end > content_start),
            -- the named speaker a pronoun source ("she", "he") refers to
            resolved_to TEXT,
            status TEXT NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed', 'accepted', 'rejected')),
            origin TEXT NOT NULL,
            reviewer TEXT,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX attributions_document ON attributions (document_id);
        CREATE INDEX attributions_content_sentence ON attributions (content_sentence_id);
        CREATE INDEX attributions_source_span ON attributions (source_span_id);
        CREATE TRIGGER attributions_offsets_insert BEFORE INSERT ON attributions
        WHEN NEW.content_end >
            (SELECT length(text) FROM sentences WHERE id = NEW.content_sentence_id)
        BEGIN
            SELECT RAISE(ABORT, 'attribution content out of range of its sentence');
        END;

        -- Canonical entities across the corpus; the linker rebuilds aliases and
        -- mentions from the ENTITY spans, keeping an entity's id while its key lives.
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            type TEXT NOT NULL
        ) STRICT;
        CREATE TABLE entity_aliases (
            entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (entity_id, alias)
        ) STRICT;
        CREATE INDEX entity_aliases_alias ON entity_aliases (alias COLLATE NOCASE);
        CREATE TABLE entity_mentions (
            span_id INTEGER PRIMARY KEY REFERENCES spans (id) ON DELETE CASCADE,
            entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE
        ) STRICT;
        CREATE INDEX entity_mentions_entity ON entity_mentions (entity_id);
        """,
    )


@migrations(name="0003_review")
def review(db):
    _execute_script(
        db,
        """
        -- Check-worthiness (ClaimBuster's classes) or boilerplate, per sentence and reviewer.
        CREATE TABLE sentence_labels (
            sentence_id INTEGER NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
            reviewer TEXT NOT NULL,
            label TEXT NOT NULL CHECK (label IN ('CFS', 'UFS', 'NFS', 'boilerplate')),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (sentence_id, reviewer)
        ) STRICT;

        -- Admiralty scale, source axis: rated once per source, shown wherever it appears.
        CREATE TABLE source_ratings (
            source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
            reviewer TEXT NOT NULL,
            reliability TEXT NOT NULL CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (source_id, reviewer)
        ) STRICT;

        -- Admiralty scale, information axis: per claim, and a claim is a sentence.
        CREATE TABLE claim_ratings (
            sentence_id INTEGER NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
            reviewer TEXT NOT NULL,
            credibility INTEGER NOT NULL CHECK (credibility BETWEEN 1 AND 6),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (sentence_id, reviewer)
        ) STRICT;

        -- Full-text search over sentences; an external-content index kept in step
        -- by triggers, so the text is stored once.
        CREATE VIRTUAL TABLE sentences_fts USING fts5 (
            text, content = 'sentences', content_rowid = 'id', tokenize = 'unicode61'
        );
        INSERT INTO sentences_fts (sentences_fts) VALUES ('rebuild');
        CREATE TRIGGER sentences_fts_insert AFTER INSERT ON sentences BEGIN
            INSERT INTO sentences_fts (rowid, text) VALUES (NEW.id, NEW.text);
        END;
        CREATE TRIGGER sentences_fts_delete AFTER DELETE ON sentences BEGIN
            INSERT INTO sentences_fts (sentences_fts, rowid, text)
                VALUES ('delete', OLD.id, OLD.text);
        END;
        CREATE TRIGGER sentences_fts_update AFTER UPDATE OF text ON sentences BEGIN
            INSERT INTO sentences_fts (sentences_fts, rowid, text)
                VALUES ('delete', OLD.id, OLD.text);
            INSERT INTO sentences_fts (rowid, text) VALUES (NEW.id, NEW.text);
        END;
        """,
    )


@migrations(name="0004_contradictions")
def contradictions(db):
    _execute_script(
        db,
        """
        -- Two claims (sentences) about one canonical entity that disagree. The entity
        -- is named by its key, which survives the linker rebuilding the entities table.
        CREATE TABLE contradictions (
            id INTEGER PRIMARY KEY,
            entity_key TEXT NOT NULL,
            sentence1_id INTEGER NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
            sentence2_id INTEGER NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN
                ('modality', 'actor', 'numeric', 'negation', 'temporal', 'antonym', 'other')),
            status TEXT NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed', 'confirmed', 'rejected')),
            score REAL NOT NULL DEFAULT 0,
            -- the words that differ between the two claims, as a JSON object
            evidence TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(evidence)),
            -- for a rejected link: what holds instead, as the reviewer chose
            gold_label TEXT CHECK (gold_label IN ('contradiction', 'neutral', 'entailment')),
            note TEXT,
            -- 'human', or the generator's name and version
            origin TEXT NOT NULL,
            reviewer TEXT,
            updated_at TEXT NOT NULL,
            CHECK (sentence1_id < sentence2_id),
            UNIQUE (entity_key, sentence1_id, sentence2_id)
        ) STRICT;
        CREATE INDEX contradictions_status ON contradictions (status, entity_key);
        CREATE INDEX contradictions_sentence1 ON contradictions (sentence1_id);
        CREATE INDEX contradictions_sentence2 ON contradictions (sentence2_id);
        """,
    )


@migrations(name="0005_contradictions_by_entity")
def contradictions_by_entity(db):
    _execute_script(
        db,
        """
        -- `annotator contradictions --entity NAME`: one entity's links, best first,
        -- without reading the others.
        CREATE INDEX contradictions_entity ON contradictions (entity_key, status, score);
        """,
    )


@migrations(name="0006_foreign_key_indexes")
def foreign_key_indexes(db):
    _execute_script(
        db,
        """
        -- Deleting a span sets these to NULL (ON DELETE SET NULL): without an index
        -- each deleted span scanned every attribution twice, which made `propose`
        -- quadratic in the corpus. The same for a source named as an outlet.
        CREATE INDEX attributions_cue_span ON attributions (cue_span_id);
        CREATE INDEX attributions_content_span ON attributions (content_span_id);
        CREATE INDEX documents_outlet ON documents (outlet_id);
        """,
    )


@migrations(name="0007_maintenance")
def maintenance(db):
    _execute_script(
        db,
        """
        -- Work a command owes the file: tables derived from the whole corpus, to be
        -- rebuilt after documents or proposals changed. Marked in the transaction that
        -- made the change, removed when the work is done, so that a run killed in
        -- between leaves the mark for the next run (or `doctor --fix`).
        CREATE TABLE maintenance (
            task TEXT PRIMARY KEY CHECK (task IN ('entity_links', 'contradictions')),
            -- bumped by every mark: work that began before the last mark is not enough
            generation INTEGER NOT NULL,
            marked_at TEXT NOT NULL
        ) STRICT;
        """,
    )


@migrations(name="0008_entity_decisions")
def entity_decisions(db):
    _execute_script(
        db,
        """
        -- A reviewer's word on entity linking, applied by every relink after the
        -- linker's own rules: `key` is an entity's key or the key of the name its
        -- mentions go by; `merge_into` the entity key those mentions join (the key
        -- itself for a name split off into an entity of its own); `name` the name a
        -- reviewer gave the entity. Written as reviewer actions, so undo walks them.
        CREATE TABLE entity_decisions (
            key TEXT PRIMARY KEY,
            merge_into TEXT,
            name TEXT,
            reviewer TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        """,
    )


@migrations(name="0009_sentence_scores")
def sentence_scores(db):
    _execute_script(
        db,
        """
        -- What a trained model (annotator train) makes of each sentence: the
        -- check-worthiness probability and how unsure it is, for walking sentences
        -- by either. Replaced whenever a model scores the sentence again.
        CREATE TABLE IF NOT EXISTS sentence_scores (
            sentence_id INTEGER PRIMARY KEY REFERENCES sentences (id) ON DELETE CASCADE,
            checkworthy REAL CHECK (checkworthy BETWEEN 0 AND 1),
            uncertainty REAL NOT NULL CHECK (uncertainty BETWEEN 0 AND 1),
            -- the model's name and version
            model TEXT NOT NULL,
            scored_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS sentence_scores_checkworthy
            ON sentence_scores (checkworthy DESC, sentence_id);
        CREATE INDEX IF NOT EXISTS sentence_scores_uncertainty
            ON sentence_scores (uncertainty DESC, sentence_id);
        """,
    )
