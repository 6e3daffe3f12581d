"""`--format native`: one JSON object per sentence, built by SQLite itself.

SQLite's JSON functions assemble each record in C, so the export streams at the
speed of the query and Python only writes lines; memory stays flat however big
the database. The key order follows `records.SentenceRecord`, and a test checks
every record against the generated schema.
"""

from collections.abc import Iterator

from annotator.core.actions import RATED_SOURCE_KIND
from annotator.core.review import REVIEWED_SQL
from annotator.core.store import Store, source_key
from annotator.export.selection import Selection

_RATED_KIND = (
    "CASE a.kind "
    + " ".join(f"WHEN '{kind}' THEN '{rated}'" for kind, rated in RATED_SOURCE_KIND.items())
    + " ELSE 'unknown' END"
)

# A span's own text, from its sentence `t`.
# A span's own text, from its sentence `t`.
_SPAN_REF = """(SELECT json_object('span_id', x.id, 'start', x.start, 'end', x."end",
                       'text', substr(t.text, x.start + 1, x."end" - x.start))
                FROM spans x JOIN sentences t ON t.id = x.sentence_id WHERE x.id = {column})"""

# Where an attribution is listed: with the sentence of its source span, or of its
# content when it has no source span.
_HOME = "coalesce(hs.sentence_id, a.content_sentence_id)"

# Attributions are few: each sentence's list is built once, up front, instead of
# probing for attributions from every sentence.
_ATTRIBUTIONS = f"""
CREATE TEMP TABLE export_attributions (sentence_id INTEGER PRIMARY KEY, list TEXT NOT NULL);
INSERT INTO export_attributions
SELECT home, json_group_array(json(j)) FROM (
    SELECT {_HOME} AS home, json_object(
        'id', a.id, 'kind', a.kind, 'reason', a.reason,
        'source', json({_SPAN_REF.format(column="a.source_span_id")}),
        'cue', json({_SPAN_REF.format(column="a.cue_span_id")}),
        'content', json_object(
            'span_id', a.content_span_id, 'start', a.content_start, 'end', a.content_end,
            'text', substr(c.text, a.content_start + 1, a.content_end - a.content_start),
            'sentence_id', a.content_sentence_id),
        'resolved_to', a.resolved_to, 'status', a.status, 'origin', a.origin,
        'reviewer', a.reviewer, 'updated_at', a.updated_at) AS j
    FROM attributions a LEFT JOIN spans hs ON hs.id = a.source_span_id
    JOIN sentences c ON c.id = a.content_sentence_id
    ORDER BY home, a.id)
GROUP BY home;

-- The rated sources each sentence's attributions name.
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
WHERE EXISTS (SELECT 1 FROM source_ratings r WHERE r.source_id = z.id);
"""

# One row per sentence: the record's head object, its lists, and its tail object,
# spliced into one line in Python. Lists are not nested with json_object because
# JSON's subtype does not reliably survive a subquery across SQLite versions, and
# re-parsing every list with json() would cost a third of the export.
_SQL = """
SELECT
    json_object(
        'id', s.id,
        'document_id', s.document_id,
        'document_sha256', d.sha256,
        'source', json_object('outlet', o.name, 'url', d.url, 'published', d.published,
                              'author', d.author, 'title', d.title),
        'paragraph', json_object('index', p.idx, 'kind', p.kind,
                                 'boilerplate', json(iif(p.boilerplate, 'true', 'false'))),
        'index', s.idx,
        'document_offset', s.start,
        'lang', s.lang,
        'text', s.text),
    -- in id order: the index on sentence_id keeps ids in order within a sentence
    (SELECT json_group_array(json_object(
            'id', sp.id, 'start', sp.start, 'end', sp."end", 'label', sp.label,
            'text', substr(s.text, sp.start + 1, sp."end" - sp.start),
            'status', sp.status, 'origin', sp.origin, 'attrs', json(sp.attrs),
            'entity', e.key, 'reviewer', sp.reviewer, 'updated_at', sp.updated_at))
     FROM spans sp INDEXED BY spans_sentence
     LEFT JOIN entity_mentions m ON m.span_id = sp.id
     LEFT JOIN entities e ON e.id = m.entity_id
     WHERE sp.sentence_id = s.id AND {span_filter}),
    coalesce(ea.list, '[]'),
    (SELECT json_group_array(json(j)) FROM (
        SELECT json_object('label', l.label, 'reviewer', l.reviewer,
                           'updated_at', l.updated_at) AS j
        FROM sentence_labels l WHERE l.sentence_id = s.id ORDER BY l.reviewer)),
    CASE WHEN EXISTS (SELECT 1 FROM claim_ratings r WHERE r.sentence_id = s.id)
           OR EXISTS (SELECT 1 FROM source_ratings r WHERE r.source_id = d.outlet_id)
           OR EXISTS (SELECT 1 FROM export_rated_sources x WHERE x.sentence_id = s.id)
    THEN (SELECT json_group_array(json(j)) FROM (
        SELECT json_object('axis', 'credibility', 'value', r.credibility,
                           'reviewer', r.reviewer, 'updated_at', r.updated_at) AS j,
               0 AS axis, '' AS kind, '' AS key, r.reviewer AS who
        FROM claim_ratings r WHERE r.sentence_id = s.id
        UNION ALL
        SELECT json_object('axis', 'reliability', 'value', r.reliability, 'reviewer', r.reviewer,
                           'source', json_object('kind', z.kind, 'name', z.name),
                           'updated_at', r.updated_at),
               1, z.kind, z.key, r.reviewer
        FROM sources z JOIN source_ratings r ON r.source_id = z.id
        WHERE z.id IN (SELECT d.outlet_id UNION SELECT x.source_id FROM export_rated_sources x
                       WHERE x.sentence_id = s.id)
        ORDER BY axis, kind, key, who))
    ELSE '[]' END,
    -- who decided last, and when; SQLite gives the bare column of the max() row
    (SELECT json_object('reviewer', reviewer, 'answer', iif({reviewed}, 'accept', NULL),
                        '_timestamp', CAST(strftime('%s', max(updated_at)) AS INTEGER))
     FROM (SELECT reviewer, updated_at FROM spans
               WHERE sentence_id = s.id AND status != 'proposed'
           UNION ALL SELECT reviewer, updated_at FROM sentence_labels WHERE sentence_id = s.id
           UNION ALL SELECT reviewer, updated_at FROM claim_ratings WHERE sentence_id = s.id))
FROM sentences s
JOIN documents d ON d.id = s.document_id
JOIN paragraphs p ON p.id = s.paragraph_id
LEFT JOIN sources o ON o.id = d.outlet_id
LEFT JOIN export_attributions ea ON ea.sentence_id = s.id
WHERE {sentence_filter}
ORDER BY s.id
"""


def _source_key(name: str | None) -> str | None:
    return None if name is None else source_key(name)


def _prepare(store: Store) -> None:
    db = store.db
    db.conn.create_function("source_key", 1, _source_key, deterministic=True)
    db.execute("DROP TABLE IF EXISTS temp.export_attributions")
    db.execute("DROP TABLE IF EXISTS temp.export_rated_sources")
    for statement in _ATTRIBUTIONS.split(";"):
        if statement.strip():
            db.execute(statement)


def native_lines(store: Store, selection: Selection | None = None) -> Iterator[str]:
    """Each selected sentence as one line of JSON, without the line end."""
    selection = selection or Selection()
    span_filter, span_params = selection.spans("sp")
    sentence_filter, sentence_params = selection.sentences()
    sql = _SQL.format(
        span_filter=span_filter, reviewed=REVIEWED_SQL, sentence_filter=sentence_filter
    )
    db = store.db
    # One read transaction: the lists built up front and the rows streamed after see
    # the same snapshot, whatever reviewers write meanwhile.
    db.execute("BEGIN")
    try:
        _prepare(store)
        rows = db.execute(sql, span_params + sentence_params)
        for head, spans, attributions, labels, ratings, tail in rows:
            yield (
                f'{head[:-1]},"spans":{spans},"attributions":{attributions},'
                f'"labels":{labels},"ratings":{ratings},{tail[1:]}'
            )
    finally:
        # Only the temporary tables were written.
        db.execute("ROLLBACK")
