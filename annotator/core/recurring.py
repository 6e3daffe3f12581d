"""Boilerplate by recurrence: a paragraph that one outlet prints, verbatim or
nearly, under MIN_DOCUMENTS or more of its documents is the outlet's, not the
report's ("Editor's note: ..." under every article, a standing disclaimer, a
newsletter box the cue words of boilerplate.json do not know).

"Nearly": paragraphs are compared by their words, case and punctuation set
aside; two paragraphs of one outlet are the same when they share their first or
their last KEY_WORDS words and differ in length by at most a fifth (an edited
date or figure inside a standing note). Paragraphs of fewer than MIN_WORDS words
(a dateline, "Advertisement") are left to the cue words.

Run after documents are added; a paragraph found here is marked boilerplate
with that reason, and entity links and contradiction candidates are marked owed
so that they are rebuilt without it.
"""

import re
from collections import defaultdict

from annotator.core import maintenance
from annotator.core.store import Store

MIN_DOCUMENTS = 3
MIN_WORDS = 8
KEY_WORDS = 12
_LENGTH_SLACK = 0.2
_WORD = re.compile(r"\w+")

_PARAGRAPHS_SQL = """
SELECT p.id, p.document_id, d.outlet_id, o.name, substr(d.text, p.start + 1, p."end" - p.start),
       p.boilerplate
FROM paragraphs p JOIN documents d ON d.id = p.document_id
JOIN sources o ON o.id = d.outlet_id
WHERE d.outlet_id IS NOT NULL
ORDER BY d.outlet_id, p.id
"""


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def recurring_paragraphs(rows) -> dict[int, str]:
    """Paragraph id -> reason, for the paragraphs that recur within their outlet.
    `rows`: (paragraph id, document id, outlet id, outlet name, text)."""
    by_outlet: dict[int, list] = defaultdict(list)
    for row in rows:
        by_outlet[row[2]].append(row)
    found = {}
    for paragraphs in by_outlet.values():
        found.update(_recurring_in_outlet(paragraphs))
    return found


def _recurring_in_outlet(paragraphs: list) -> dict[int, str]:
    # key -> [(paragraph id, document id, length in words)]
    keyed: dict[tuple, list] = defaultdict(list)
    for paragraph_id, document_id, _, _, text in paragraphs:
        words = _words(text)
        if len(words) < MIN_WORDS:
            continue
        head, tail = tuple(words[:KEY_WORDS]), tuple(words[-KEY_WORDS:])
        keyed[("head", head)].append((paragraph_id, document_id, len(words)))
        keyed[("tail", tail)].append((paragraph_id, document_id, len(words)))
    outlet = paragraphs[0][3] if paragraphs else ""
    found: dict[int, str] = {}
    for members in keyed.values():
        if len({document for _, document, _ in members}) < MIN_DOCUMENTS:
            continue
        lengths = sorted(n for _, _, n in members)
        typical = lengths[len(lengths) // 2]
        alike = [
            (paragraph, document)
            for paragraph, document, n in members
            if abs(n - typical) <= _LENGTH_SLACK * typical
        ]
        documents = {document for _, document in alike}
        if len(documents) < MIN_DOCUMENTS:
            continue
        reason = f"recurs in {len(documents)} documents of {outlet}"
        for paragraph, _ in alike:
            found.setdefault(paragraph, reason)
    return found


def flag_recurring(store: Store) -> int:
    """Mark the paragraphs that recur within their outlet as boilerplate; returns
    how many were newly marked."""
    rows = store.db.execute(_PARAGRAPHS_SQL).fetchall()
    already = {row[0] for row in rows if row[5]}
    found = recurring_paragraphs(row[:5] for row in rows)
    new = [(reason, paragraph) for paragraph, reason in found.items() if paragraph not in already]
    if new:
        with store.write() as db:
            db.conn.executemany(
                "UPDATE paragraphs SET boilerplate = 1, boilerplate_reason = ? WHERE id = ?", new
            )
            maintenance.mark(db, *maintenance.TASKS)
    return len(new)
