"""Storing proposals: replace a sentence's machine proposals, never a decision.

Spans a reviewer accepted, rejected or made are left as they are, and a new
proposal identical to one of them is not added again.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from annotator.core.store import Store, now

ENGLISH = "en"


@dataclass
class ProposeSummary:
    sentences: int = 0
    spans: int = 0

    def line(self) -> str:
        return f"{self.spans} spans proposed in {self.sentences} sentences"


def is_english(sentence_lang: str, document_lang: str) -> bool:
    """Undetermined short sentences take their document's language."""
    return (document_lang if sentence_lang == "und" else sentence_lang) == ENGLISH


def replace_proposals(store: Store, sentence_id: int, proposals: Iterable, origin: str) -> int:
    """Call inside a write transaction. Returns the number of spans inserted."""
    db = store.db
    db.execute(
        "DELETE FROM spans WHERE sentence_id = ? AND status = 'proposed' AND origin != 'human'",
        [sentence_id],
    )
    kept = {
        (start, end, label)
        for start, end, label in db.execute(
            'SELECT start, "end", label FROM spans WHERE sentence_id = ?', [sentence_id]
        )
    }
    added = 0
    stamp = now()
    for p in proposals:
        if (p.start, p.end, p.label) in kept:
            continue
        db.execute(
            """INSERT INTO spans (sentence_id, start, "end", label, status, origin, attrs,
                   updated_at) VALUES (?, ?, ?, ?, 'proposed', ?, ?, ?)""",
            [
                sentence_id,
                p.start,
                p.end,
                p.label,
                origin,
                json.dumps(p.attrs, ensure_ascii=False, sort_keys=True),
                stamp,
            ],
        )
        added += 1
    return added


def propose_stored(
    store: Store,
    pipeline,
    *,
    page_size: int = 500,
    on_page: Callable[[int], None] = lambda done: None,
) -> ProposeSummary:
    """Re-run `pipeline` over every stored non-boilerplate sentence, page by page."""
    summary = ProposeSummary()
    last_id = 0
    while True:
        rows = store.db.execute(
            """SELECT s.id, s.text, s.lang, d.lang FROM sentences s
               JOIN paragraphs p ON p.id = s.paragraph_id
               JOIN documents d ON d.id = s.document_id
               WHERE s.id > ? AND p.boilerplate = 0 ORDER BY s.id LIMIT ?""",
            [last_id, page_size],
        ).fetchall()
        if not rows:
            return summary
        found = list(pipeline.propose((text, is_english(sl, dl)) for _, text, sl, dl in rows))
        with store.write():
            for (sentence_id, *_), proposals in zip(rows, found, strict=True):
                summary.spans += replace_proposals(store, sentence_id, proposals, pipeline.origin)
        summary.sentences += len(rows)
        last_id = rows[-1][0]
        on_page(summary.sentences)
