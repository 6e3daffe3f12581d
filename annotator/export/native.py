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
_SPAN_REF = """(SELECT json_object('span_id', x.id, 'start', x.start, 'end', x."end",
                       'text', substr(t.text, x.start + 1, x."end" - x.start))
                FROM spans x JOIN sentences t ON t.id = x.sentence_id WHERE x.id = {column})"""

_DECISIONS = """
    SELECT reviewer, updated_at FROM spans WHERE sentence_id = s.id AND status != 'proposed'
    UNION ALL SELECT reviewer, updated_at FROM attributions
        WHERE content_sentence_id = s.id AND status != 'proposed'
    UNION ALL SELECT reviewer, updated_at FROM sentence_labels WHERE sentence_id = s.id
    UNION ALL SELECT reviewer, updated_at FROM claim_ratings WHERE sentence_id = s.id
"""

# The attributions listed with sentence `s`: those whose source span is in it, and
# those without a source span whose content is in it.
_HOME_ATTRIBUTIONS = """
    SELECT a.* FROM spans hs JOIN attributions a ON a.source_span_id = hs.id
        WHERE hs.sentence_id = s.id
    UNION ALL SELECT a.* FROM attributions a
        WHERE a.content_sentence_id = s.id AND a.source_span_id IS NULL
"""

_SQL = """
SELECT json_object(
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
    'text', s.text,
    'spans', (SELECT json_group_array(json(j)) FROM (
        SELECT json_object(
            'id', sp.id, 'start', sp.start, 'end', sp."end", 'label', sp.label,
            'text', substr(s.text, sp.start + 1, sp."end" - sp.start),
            'status', sp.status, 'origin', sp.origin, 'attrs', json(sp.attrs),
            'entity', (SELECT e.key FROM entity_mentions m JOIN entities e ON e.id = m.entity_id
                       WHERE m.span_id = sp.id),
            'reviewer', sp.reviewer, 'updated_at', sp.updated_at) AS j
        FROM spans sp WHERE sp.sentence_id = s.id AND {span_filter}
        ORDER BY sp.start, sp."end", sp.id)),
    'attributions', (SELECT json_group_array(json(j)) FROM (
        SELECT json_object(
            'id', a.id, 'kind', a.kind, 'reason', a.reason,
            'source', json({source_ref}), 'cue', json({cue_ref}),
            'content', json_object(
                'span_id', a.content_span_id, 'start', a.content_start, 'end', a.content_end,
                'text', substr(c.text, a.content_start + 1, a.content_end - a.content_start),
                'sentence_id', a.content_sentence_id),
            'resolved_to', a.resolved_to, 'status', a.status, 'origin', a.origin,
            'reviewer', a.reviewer, 'updated_at', a.updated_at) AS j
        FROM ({home}) a JOIN sentences c ON c.id = a.content_sentence_id
        ORDER BY a.id)),
    'labels', (SELECT json_group_array(json(j)) FROM (
        SELECT json_object('label', l.label, 'reviewer', l.reviewer,
                           'updated_at', l.updated_at) AS j
        FROM sentence_labels l WHERE l.sentence_id = s.id ORDER BY l.reviewer)),
    'ratings', (SELECT json_group_array(json(j)) FROM (
        SELECT json_object('axis', 'credibility', 'value', r.credibility,
                           'reviewer', r.reviewer, 'updated_at', r.updated_at) AS j,
               0 AS axis, '' AS kind, '' AS key, r.reviewer AS who
        FROM claim_ratings r WHERE r.sentence_id = s.id
        UNION ALL
        SELECT json_object('axis', 'reliability', 'value', r.reliability, 'reviewer', r.reviewer,
                           'source', json_object('kind', rs.kind, 'name', rs.name),
                           'updated_at', r.updated_at),
               1, rs.kind, rs.key, r.reviewer
        FROM sources rs JOIN source_ratings r ON r.source_id = rs.id
        WHERE rs.id IN (
            SELECT d.outlet_id
            UNION SELECT z.id FROM ({home}) a
                JOIN sources z ON z.kind = {rated_kind}
                 AND z.key = source_key(coalesce(a.resolved_to, (
                     SELECT substr(t.text, x.start + 1, x."end" - x.start)
                     FROM spans x JOIN sentences t ON t.id = x.sentence_id
                     WHERE x.id = a.source_span_id))))
        ORDER BY axis, kind, key, who)),
    'reviewer', latest ->> 0,
    'answer', iif({reviewed}, 'accept', NULL),
    '_timestamp', CAST(strftime('%s', latest ->> 1) AS INTEGER)
)
FROM (
    SELECT s.*, (SELECT json_array(reviewer, updated_at) FROM ({decisions})
                 ORDER BY updated_at DESC LIMIT 1) AS latest
    FROM sentences s
) s
JOIN documents d ON d.id = s.document_id
JOIN paragraphs p ON p.id = s.paragraph_id
LEFT JOIN sources o ON o.id = d.outlet_id
WHERE {sentence_filter}
ORDER BY s.id
"""


def _source_key(name: str | None) -> str | None:
    return None if name is None else source_key(name)


def native_lines(store: Store, selection: Selection | None = None) -> Iterator[str]:
    """Each selected sentence as one line of JSON, without the line end."""
    selection = selection or Selection()
    store.db.conn.create_function("source_key", 1, _source_key, deterministic=True)
    span_filter, span_params = selection.spans("sp")
    sentence_filter, sentence_params = selection.sentences()
    sql = _SQL.format(
        span_filter=span_filter,
        source_ref=_SPAN_REF.format(column="a.source_span_id"),
        cue_ref=_SPAN_REF.format(column="a.cue_span_id"),
        home=_HOME_ATTRIBUTIONS,
        rated_kind=_RATED_KIND,
        reviewed=REVIEWED_SQL,
        decisions=_DECISIONS,
        sentence_filter=sentence_filter,
    )
    for (line,) in store.db.execute(sql, span_params + sentence_params):
        yield line
