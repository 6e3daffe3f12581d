"""What the review screen reads: one sentence with its context, navigation, progress
and search. Read-only; every change goes through `annotator.core.actions`.

A sentence outside boilerplate is *reviewed* when no proposal in it is still
pending and a reviewer has decided something about it: a span accepted, rejected
or made, or a sentence label. A sentence with no proposals is reviewed once it is
labelled (CFS / UFS / NFS / boilerplate).
"""

import json
import re
from dataclasses import dataclass, field

from annotator.core.reviewed import IN_REVIEW_SQL, REVIEWED_SQL
from annotator.core.scores import checkworthy_score
from annotator.core.sources import latest_reliability, source_for_attribution
from annotator.core.store import Store


@dataclass(frozen=True)
class SpanView:
    id: int
    start: int
    end: int
    label: str
    status: str
    origin: str
    attrs: dict
    reviewer: str | None


@dataclass(frozen=True)
class AttributionView:
    id: int
    kind: str
    reason: str | None
    status: str
    source_name: str | None
    resolved_to: str | None
    cue: str | None
    content: str
    content_sentence_id: int
    span_ids: frozenset[int]
    reliability: str | None
    source_span_id: int | None = None
    cue_span_id: int | None = None
    content_span_id: int | None = None
    content_start: int = 0
    content_end: int = 0
    origin: str = ""
    reviewer: str | None = None
    # the source span's own words, when a pronoun's resolution is shown instead
    source_text: str | None = None

    @property
    def rated_source(self) -> tuple[str, str] | None:
        """The (kind, name) this attribution's source is rated under, if it has one."""
        if not self.source_name:
            return None
        return source_for_attribution(self.kind, self.source_name)


@dataclass(frozen=True)
class SentenceView:
    id: int
    document_id: int
    idx: int
    text: str
    lang: str
    boilerplate: bool
    document_title: str | None
    # the file (and line) it came from: the name to show when there is no title
    document_origin: str
    document_sentences: int
    outlet: str | None
    outlet_reliability: str | None
    published: str | None
    before: str | None
    after: str | None
    spans: tuple[SpanView, ...]
    attributions: tuple[AttributionView, ...] = field(default=())
    label: str | None = None
    credibility: int | None = None
    reviewed: bool = False
    # a trained model's check-worthiness and uncertainty, when it scored the sentence
    checkworthy: float | None = None
    uncertainty: float | None = None

    def attribution_for(self, span_id: int | None) -> AttributionView | None:
        """The attribution that links this span, else the first that touches the sentence."""
        for attribution in self.attributions:
            if span_id is not None and span_id in attribution.span_ids:
                return attribution
        return self.attributions[0] if self.attributions else None


def _span_text(store: Store, span_id: int | None) -> str | None:
    if span_id is None:
        return None
    row = store.db.execute(
        """SELECT substr(s.text, sp.start + 1, sp."end" - sp.start) FROM spans sp
           JOIN sentences s ON s.id = sp.sentence_id WHERE sp.id = ?""",
        [span_id],
    ).fetchone()
    return row[0] if row else None


def _attributions(store: Store, document_id: int, sentence_id: int, span_ids: set[int]):
    rows = store.db.execute(
        """SELECT a.id, a.kind, a.reason, a.status, a.source_span_id, a.cue_span_id,
                  a.content_span_id, a.content_sentence_id, a.resolved_to,
                  substr(s.text, a.content_start + 1, a.content_end - a.content_start),
                  a.content_start, a.content_end, a.origin, a.reviewer
           FROM attributions a JOIN sentences s ON s.id = a.content_sentence_id
           WHERE a.document_id = ? ORDER BY a.id""",
        [document_id],
    ).fetchall()
    found = []
    for (aid, kind, reason, status, source_id, cue_id, content_id, content_sentence,
         resolved_to, content, content_start, content_end, origin, who) in rows:  # fmt: skip
        linked = {i for i in (source_id, cue_id, content_id) if i is not None}
        if content_sentence != sentence_id and not linked & span_ids:
            continue
        source_text = _span_text(store, source_id)
        source_name = resolved_to or source_text
        rated = source_for_attribution(kind, source_name) if source_name else None
        view = AttributionView(
            id=aid,
            kind=kind,
            reason=reason,
            status=status,
            source_name=source_name,
            resolved_to=resolved_to,
            cue=_span_text(store, cue_id),
            content=content,
            content_sentence_id=content_sentence,
            span_ids=frozenset(linked),
            reliability=latest_reliability(store.db, *rated) if rated else None,
            source_span_id=source_id,
            cue_span_id=cue_id,
            content_span_id=content_id,
            content_start=content_start,
            content_end=content_end,
            origin=origin,
            reviewer=who,
            source_text=source_text,
        )
        found.append(view)
    return tuple(found)


def load_sentence(store: Store, sentence_id: int, reviewer: str) -> SentenceView | None:
    db = store.db
    row = db.execute(
        """SELECT s.id, s.document_id, s.idx, s.text, s.lang, p.boilerplate, d.title,
                  (SELECT count(*) FROM sentences c WHERE c.document_id = s.document_id),
                  o.name, d.published, d.origin
           FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id
           JOIN documents d ON d.id = s.document_id
           LEFT JOIN sources o ON o.id = d.outlet_id
           WHERE s.id = ?""",
        [sentence_id],
    ).fetchone()
    if row is None:
        return None
    sid, document_id, idx, text, lang, boilerplate, title, count, outlet, published, origin = row

    def neighbour(offset: int) -> str | None:
        found = db.execute(
            "SELECT text FROM sentences WHERE document_id = ? AND idx = ?",
            [document_id, idx + offset],
        ).fetchone()
        return found[0] if found else None

    spans = tuple(
        SpanView(i, start, end, label, status, origin, json.loads(attrs), who)
        for i, start, end, label, status, origin, attrs, who in db.execute(
            """SELECT id, start, "end", label, status, origin, attrs, reviewer FROM spans
               WHERE sentence_id = ? ORDER BY start, "end" DESC, id""",
            [sid],
        )
    )
    # This reviewer's own label and rating first, else the most recent anyone gave.
    label = db.execute(
        """SELECT label FROM sentence_labels WHERE sentence_id = ?
           ORDER BY reviewer = ? DESC, updated_at DESC LIMIT 1""",
        [sid, reviewer],
    ).fetchone()
    credibility = db.execute(
        """SELECT credibility FROM claim_ratings WHERE sentence_id = ?
           ORDER BY reviewer = ? DESC, updated_at DESC LIMIT 1""",
        [sid, reviewer],
    ).fetchone()
    return SentenceView(
        id=sid,
        document_id=document_id,
        idx=idx,
        text=text,
        lang=lang,
        boilerplate=bool(boilerplate),
        document_title=title,
        document_origin=origin,
        document_sentences=count,
        outlet=outlet,
        outlet_reliability=latest_reliability(store.db, "outlet", outlet) if outlet else None,
        published=published,
        before=neighbour(-1),
        after=neighbour(1),
        spans=spans,
        attributions=_attributions(store, document_id, sid, {s.id for s in spans}),
        label=label[0] if label else None,
        credibility=credibility[0] if credibility else None,
        reviewed=is_reviewed(store, sid),
        **dict(zip(("checkworthy", "uncertainty"), checkworthy_score(db, sid), strict=True)),
    )


def is_reviewed(store: Store, sentence_id: int) -> bool:
    row = store.db.execute(
        f"SELECT {REVIEWED_SQL} AND {IN_REVIEW_SQL} FROM sentences s WHERE s.id = ?", [sentence_id]
    ).fetchone()
    return bool(row and row[0])


def progress(store: Store) -> tuple[int, int]:
    """(reviewed, total) sentences outside boilerplate."""
    total, reviewed = store.db.execute(
        f"SELECT count(*), coalesce(sum({REVIEWED_SQL}), 0) FROM sentences s WHERE {IN_REVIEW_SQL}"
    ).fetchone()
    return reviewed, total


# The orders the review screen walks sentences in: as the corpus reads, by the
# trained check-worthiness score (highest first), or by how unsure the trained
# model is (most unsure first, as in active learning). Unscored sentences come last,
# in corpus order.
ORDERS = ("document", "checkworthy", "uncertain")
_SCORE_COLUMN = {"checkworthy": "checkworthy", "uncertain": "uncertainty"}


def _score_column(order: str) -> str:
    if order not in _SCORE_COLUMN:
        raise ValueError(f"unknown order {order!r}; one of {', '.join(ORDERS)}")
    return _SCORE_COLUMN[order]


# Each query below walks the (score DESC, sentence_id) index of sentence_scores and
# looks sentences up by id, so a step costs a seek, not a sort of every sentence.
# An OR of "lower score, or same score and higher id" would defeat the index, so
# the two halves are asked one after the other.
def _scored_query(column: str, condition: str, order: str, where: str) -> str:
    return (
        f"SELECT sc.sentence_id FROM sentence_scores sc CROSS JOIN sentences s "
        f"ON s.id = sc.sentence_id WHERE sc.{column} IS NOT NULL AND {condition} "
        f"AND {where} ORDER BY {order} LIMIT 1"
    )


def _unscored_query(column: str, condition: str, order: str, where: str) -> str:
    return (
        f"SELECT s.id FROM sentences s WHERE {condition} AND NOT EXISTS (SELECT 1 FROM "
        f"sentence_scores sc WHERE sc.sentence_id = s.id AND sc.{column} IS NOT NULL) "
        f"AND {where} ORDER BY {order} LIMIT 1"
    )


def _first(store: Store, queries: list[tuple[str, dict]]) -> int | None:
    for sql, params in queries:
        row = store.db.execute(sql, params).fetchone()
        if row:
            return row[0]
    return None


def _score_step(store: Store, sentence_id: int, direction: int, order: str, where: str = "1"):
    """The neighbour of `sentence_id` in a scored order: highest score first, ties by
    id, then the unscored sentences in corpus order."""
    column = _score_column(order)
    if not store.db.execute("SELECT 1 FROM sentences WHERE id = ?", [sentence_id]).fetchone():
        return None
    row = store.db.execute(
        f"SELECT {column} FROM sentence_scores WHERE sentence_id = ?", [sentence_id]
    ).fetchone()
    current = row[0] if row else None
    params = {"k": current, "id": sentence_id}
    down = f"sc.{column} DESC, sc.sentence_id"
    up = f"sc.{column} ASC, sc.sentence_id DESC"
    if direction > 0 and current is not None:
        queries = [
            _scored_query(column, f"sc.{column} = :k AND sc.sentence_id > :id", down, where),
            _scored_query(column, f"sc.{column} < :k", down, where),
            _unscored_query(column, "1", "s.id", where),
        ]
    elif direction > 0:
        queries = [_unscored_query(column, "s.id > :id", "s.id", where)]
    elif current is not None:
        queries = [
            _scored_query(column, f"sc.{column} = :k AND sc.sentence_id < :id", up, where),
            _scored_query(column, f"sc.{column} > :k", up, where),
        ]
    else:
        queries = [
            _unscored_query(column, "s.id < :id", "s.id DESC", where),
            _scored_query(column, "1", up, where),
        ]
    return _first(store, [(sql, params) for sql in queries])


def _score_first(store: Store, order: str, where: str = "1") -> int | None:
    column = _score_column(order)
    return _first(
        store,
        [
            (_scored_query(column, "1", f"sc.{column} DESC, sc.sentence_id", where), {}),
            (_unscored_query(column, "1", "s.id", where), {}),
        ],
    )


def scored_sentences(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM sentence_scores").fetchone()[0]


def first_sentence(store: Store) -> int | None:
    row = store.db.execute("SELECT min(id) FROM sentences").fetchone()
    return row[0]


def step(store: Store, sentence_id: int, direction: int, order: str = "document") -> int | None:
    """The next (direction 1) or previous (-1) sentence in `order`."""
    if order != "document":
        return _score_step(store, sentence_id, direction, order)
    if direction > 0:
        sql = "SELECT id FROM sentences WHERE id > ? ORDER BY id LIMIT 1"
    else:
        sql = "SELECT id FROM sentences WHERE id < ? ORDER BY id DESC LIMIT 1"
    row = store.db.execute(sql, [sentence_id]).fetchone()
    return row[0] if row else None


def _wrapping(store: Store, sql: str, sentence_id: int) -> int | None:
    """The first match after `sentence_id`, else from the start of the corpus."""
    for after in (sentence_id, 0):
        row = store.db.execute(sql, [after]).fetchone()
        if row and row[0] != sentence_id:
            return row[0]
    return None


def next_unreviewed(store: Store, sentence_id: int, order: str = "document") -> int | None:
    if order != "document":
        where = f"{IN_REVIEW_SQL} AND NOT ({REVIEWED_SQL})"
        found = _score_step(store, sentence_id, 1, order, where)
        if found is None:
            found = _score_first(store, order, where)
        return found if found != sentence_id else None
    sql = (
        f"SELECT s.id FROM sentences s WHERE s.id > ? AND {IN_REVIEW_SQL} "
        f"AND NOT ({REVIEWED_SQL}) ORDER BY s.id LIMIT 1"
    )
    return _wrapping(store, sql, sentence_id)


def next_with_proposals(store: Store, sentence_id: int) -> int | None:
    sql = (
        "SELECT sentence_id FROM spans WHERE sentence_id > ? AND status = 'proposed' "
        "ORDER BY sentence_id LIMIT 1"
    )
    return _wrapping(store, sql, sentence_id)


def resume_point(store: Store, reviewer: str, order: str = "document") -> int | None:
    """Where a reviewer left off: their last action's sentence while it still has
    something to review, else the next sentence to review, else the first sentence.
    In a scored order: the top sentence still to review, else the top one."""
    if order != "document":
        where = f"{IN_REVIEW_SQL} AND NOT ({REVIEWED_SQL})"
        return _score_first(store, order, where) or _score_first(store, order)
    row = store.db.execute(
        "SELECT sentence_id FROM events WHERE reviewer = ? AND sentence_id IS NOT NULL "
        "ORDER BY id DESC LIMIT 1",
        [reviewer],
    ).fetchone()
    if row:
        if not is_reviewed(store, row[0]):
            return row[0]
        return next_unreviewed(store, row[0]) or row[0]
    first = first_sentence(store)
    if first is None:
        return None
    return next_unreviewed(store, first - 1) or first


@dataclass(frozen=True)
class Hit:
    sentence_id: int
    document_id: int
    document_title: str | None
    text: str
    document_origin: str = ""


def fts_query(words: str) -> str | None:
    """The reviewer's words as an FTS5 query: every word must occur, the last one as a
    prefix; quoting each word keeps FTS5's own syntax out of the reviewer's way."""
    terms = re.findall(r"\w+", words)
    if not terms:
        return None
    quoted = [f'"{term}"' for term in terms]
    return " ".join(quoted[:-1] + [quoted[-1] + "*"])


def search(store: Store, words: str, limit: int = 200) -> list[Hit]:
    query = fts_query(words)
    if query is None:
        return []
    return [
        Hit(*row)
        for row in store.db.execute(
            """SELECT s.id, s.document_id, d.title, s.text, d.origin FROM sentences_fts f
               JOIN sentences s ON s.id = f.rowid JOIN documents d ON d.id = s.document_id
               WHERE sentences_fts MATCH ? ORDER BY s.id LIMIT ?""",
            [query, limit],
        )
    ]


@dataclass(frozen=True)
class DocumentEntry:
    id: int
    title: str | None
    sentences: int
    first_sentence_id: int
    origin: str = ""


def documents(store: Store, words: str = "", limit: int = 200) -> list[DocumentEntry]:
    """Documents whose title contains `words` (all documents when empty), in corpus order."""
    words = words.strip()
    return [
        DocumentEntry(*row)
        for row in store.db.execute(
            """SELECT d.id, d.title,
                      (SELECT count(*) FROM sentences s WHERE s.document_id = d.id),
                      (SELECT min(id) FROM sentences s WHERE s.document_id = d.id), d.origin
               FROM documents d
               WHERE (:words = '' OR coalesce(d.title, '') LIKE '%' || :words || '%'
                      OR CAST(d.id AS TEXT) = :words)
                 AND EXISTS (SELECT 1 FROM sentences s WHERE s.document_id = d.id)
               ORDER BY d.id LIMIT :limit""",
            {"words": words, "limit": limit},
        )
    ]


def document_names(store: Store, document_id: int, limit: int = 200) -> list[str]:
    """Names a pronoun source may refer to: the document's people first, then its other
    entities and sources, most mentioned first."""
    return [
        row[0]
        for row in store.db.execute(
            """SELECT substr(s.text, sp.start + 1, sp."end" - sp.start) AS name
               FROM spans sp JOIN sentences s ON s.id = sp.sentence_id
               WHERE s.document_id = ? AND sp.label IN ('ENTITY', 'SOURCE')
                 AND sp.status != 'rejected'
               GROUP BY name
               ORDER BY max(json_extract(sp.attrs, '$.type') = 'PERSON') DESC,
                        max(sp.label = 'ENTITY') DESC, count(*) DESC, name
               LIMIT ?""",
            [document_id, limit],
        )
    ]
