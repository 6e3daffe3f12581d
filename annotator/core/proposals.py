"""Storing proposals: replace a document's machine proposals, never a decision.

Spans a reviewer accepted, rejected or made are left as they are, and a new
proposal identical to one of them is not added again. Machine attributions are
rebuilt with the spans they link.
"""

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from annotator.core import maintenance
from annotator.core.store import Store, now

ENGLISH = "en"


@dataclass
class ProposeSummary:
    documents: int = 0
    sentences: int = 0
    spans: int = 0
    attributions: int = 0
    entities: int = 0

    def line(self) -> str:
        return (
            f"{self.spans} spans and {self.attributions} attributions proposed in "
            f"{self.sentences} sentences of {self.documents} documents; "
            f"{self.entities} entities"
        )


def is_english(sentence_lang: str, document_lang: str) -> bool:
    """Undetermined short sentences take their document's language."""
    return (document_lang if sentence_lang == "und" else sentence_lang) == ENGLISH


def _attrs_json(attrs: dict) -> str:
    return json.dumps(attrs, ensure_ascii=False, sort_keys=True)


def replace_proposals(store: Store, sentence_id: int, proposals: Iterable, origin: str) -> int:
    """Make the sentence's machine proposals these; call inside a write transaction.

    A proposal that comes out at the same offsets with the same label keeps its row
    and id (its attrs and origin brought up to date): a reviewer deciding it while
    propose runs is deciding a row that is still there. Only proposals that vanished
    are deleted and only new ones inserted. Returns the sentence's proposals stored.
    """
    db = store.db
    decided = set()
    machine: dict[tuple, tuple[int, str, str]] = {}
    duplicates = []
    for span_id, start, end, label, status, span_origin, attrs in db.execute(
        'SELECT id, start, "end", label, status, origin, attrs FROM spans WHERE sentence_id = ?',
        [sentence_id],
    ):
        key = (start, end, label)
        if status != "proposed" or span_origin == "human":
            decided.add(key)
        elif key in machine:
            duplicates.append((span_id,))
        else:
            machine[key] = (span_id, span_origin, attrs)
    stamp = now()
    # A proposal may name its own origin (a trained model's, beside the rules').
    wanted: dict[tuple, tuple[str, str]] = {}
    for p in proposals:
        key = (p.start, p.end, p.label)
        replaces = getattr(p, "replaces", None)
        if replaces is not None and (*replaces, p.label) in decided:
            continue  # revises a span a reviewer decided: the decision stands
        if key not in decided:
            wanted.setdefault(key, (getattr(p, "origin", None) or origin, _attrs_json(p.attrs)))
    gone = [(row[0],) for key, row in machine.items() if key not in wanted] + duplicates
    db.conn.executemany("DELETE FROM spans WHERE id = ?", gone)
    changed = [
        (*held, stamp, machine[key][0])
        for key, held in wanted.items()
        if key in machine and machine[key][1:] != held
    ]
    db.conn.executemany(
        "UPDATE spans SET origin = ?, attrs = ?, updated_at = ? WHERE id = ?", changed
    )
    new = [
        (sentence_id, start, end, label, span_origin, attrs, stamp)
        for (start, end, label), (span_origin, attrs) in wanted.items()
        if (start, end, label) not in machine
    ]
    db.conn.executemany(
        """INSERT INTO spans (sentence_id, start, "end", label, status, origin, attrs,
               updated_at) VALUES (?, ?, ?, ?, 'proposed', ?, ?, ?)""",
        new,
    )
    return len(wanted)


# What makes two machine attributions the same, besides origin (see _ATTRIBUTION_ROW).
_ATTRIBUTION_KEY = (
    "kind, reason, source_span_id, cue_span_id, content_span_id, content_sentence_id, "
    "content_start, content_end, resolved_to"
)


def _replace_attributions(store: Store, document_id: int, rows: list[tuple], origin: str) -> None:
    """Make the document's machine attributions `rows` (each in _ATTRIBUTION_KEY's
    order), keeping the row and id of every one that is unchanged."""
    db = store.db
    existing: dict[tuple, tuple[int, str]] = {}
    duplicates = []
    for row in db.execute(
        f"SELECT id, origin, {_ATTRIBUTION_KEY} FROM attributions "
        "WHERE document_id = ? AND status = 'proposed' AND origin != 'human'",
        [document_id],
    ):
        if row[2:] in existing:
            duplicates.append((row[0],))
        else:
            existing[row[2:]] = (row[0], row[1])
    wanted = dict.fromkeys(rows)
    gone = [(held[0],) for key, held in existing.items() if key not in wanted] + duplicates
    db.conn.executemany("DELETE FROM attributions WHERE id = ?", gone)
    stamp = now()
    db.conn.executemany(
        "UPDATE attributions SET origin = ?, updated_at = ? WHERE id = ?",
        [
            (origin, stamp, existing[key][0])
            for key in wanted
            if key in existing and existing[key][1] != origin
        ],
    )
    db.conn.executemany(
        f"""INSERT INTO attributions (document_id, {_ATTRIBUTION_KEY}, origin, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [(document_id, *key, origin, stamp) for key in wanted if key not in existing],
    )


def store_document_proposals(
    store: Store, document_id: int, sentence_ids: Sequence[int], found, origin: str
) -> tuple[int, int]:
    """Call inside a write transaction. `found` is the pipeline's DocumentProposals for
    the sentences `sentence_ids`, in that order. Returns (spans, attributions) proposed."""
    db = store.db
    spans = 0
    for sentence_id, proposals in zip(sentence_ids, found.sentences, strict=True):
        spans += replace_proposals(store, sentence_id, proposals, origin)
    span_ids = {}
    if found.attributions:
        index = {sentence_id: i for i, sentence_id in enumerate(sentence_ids)}
        placeholders = ",".join("?" * len(sentence_ids))
        for span_id, sentence_id, start, end, label in db.execute(
            f'SELECT id, sentence_id, start, "end", label FROM spans '
            f"WHERE sentence_id IN ({placeholders})",
            list(sentence_ids),
        ):
            span_ids[(index[sentence_id], start, end, label)] = span_id
    edited = getattr(found, "edited", None) or {}

    def span_id(ref) -> int | None:
        """The stored span an attribution names; a revision that was not stored
        (its span decided by a reviewer) names the span it revised."""
        if ref is None:
            return None
        return span_ids.get(ref.key) or span_ids.get(edited.get(ref.key))

    rows = [
        (
            a.kind,
            a.reason,
            span_id(a.source),
            span_id(a.cue),
            span_id(a.content) if a.direct else None,
            sentence_ids[a.content.sentence],
            a.content.start,
            a.content.end,
            a.resolved_to,
        )
        for a in found.attributions
    ]
    _replace_attributions(store, document_id, rows, origin)
    scores = getattr(found, "scores", None)
    if scores:
        from annotator.core.scores import store_scores

        store_scores(
            db,
            [(i, s) for i, s in zip(sentence_ids, scores, strict=True) if s is not None],
            found.scores_origin or origin,
        )
    return spans, len(rows)


def _document_inputs(store: Store, document_id: int):
    from annotator.core.sentence_input import SentenceInput

    rows = store.db.execute(
        """SELECT s.id, s.text, s.lang, d.lang, p.idx FROM sentences s
           JOIN paragraphs p ON p.id = s.paragraph_id
           JOIN documents d ON d.id = s.document_id
           WHERE s.document_id = ? AND p.boilerplate = 0 ORDER BY s.idx""",
        [document_id],
    ).fetchall()
    ids = [row[0] for row in rows]
    inputs = [SentenceInput(text, is_english(sl, dl), para) for _, text, sl, dl, para in rows]
    return ids, inputs


def propose_stored(
    store: Store,
    pipeline,
    *,
    page_size: int = 50,
    on_page: Callable[[int], None] = lambda done: None,
) -> ProposeSummary:
    """Re-run `pipeline` over every stored document's sentences outside boilerplate,
    a page of documents at a time, then relink entities across the corpus.

    The pipeline runs with no transaction open; its proposals are written in short
    batches (see batches.py), so a reviewer's key waits milliseconds, not a page.
    """
    from annotator.core.batches import WriteBatches
    from annotator.core.entities import link_entities

    summary = ProposeSummary()
    with store.write() as db:
        # Cleared by the relink and candidate generation after the last page.
        maintenance.mark(db, *maintenance.TASKS)
    last_id = 0
    while True:
        document_ids = [
            row[0]
            for row in store.db.execute(
                "SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT ?", [last_id, page_size]
            )
        ]
        if not document_ids:
            break
        inputs = [_document_inputs(store, document_id) for document_id in document_ids]
        # A list, not the generator: the NLP must be done before the lock is taken.
        found = list(pipeline.propose_documents(sentences for _, sentences in inputs))
        with WriteBatches(store) as batches:
            for document_id, (ids, _), proposals in zip(document_ids, inputs, found, strict=True):
                with batches.write():
                    spans, attributions = store_document_proposals(
                        store, document_id, ids, proposals, pipeline.origin
                    )
                summary.spans += spans
                summary.attributions += attributions
                summary.sentences += len(ids)
        summary.documents += len(document_ids)
        last_id = document_ids[-1]
        on_page(summary.documents)
    summary.entities = link_entities(store)
    return summary
