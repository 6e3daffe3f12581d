"""`--format nli`: one sentence pair per reviewed contradiction link, for training
natural-language-inference models. Confirmed links are `contradiction`; rejected
ones carry what the reviewer said holds instead (`neutral` unless they chose
`entailment`). Links still only proposed are not labels and are left out."""

from collections.abc import Iterator

from annotator.core.store import Store

_SQL = """
SELECT json_object(
    'sentence1', s1.text,
    'sentence2', s2.text,
    'gold_label', iif(c.status = 'confirmed', 'contradiction',
                      coalesce(nullif(c.gold_label, 'contradiction'), 'neutral')),
    'kind', c.kind,
    'entity', coalesce(e.name, c.entity_key),
    'sentence1_id', s1.id,
    'sentence2_id', s2.id,
    'document1_id', s1.document_id,
    'document2_id', s2.document_id,
    'reviewer', c.reviewer)
FROM contradictions c
JOIN sentences s1 ON s1.id = c.sentence1_id
JOIN sentences s2 ON s2.id = c.sentence2_id
LEFT JOIN entities e ON e.key = c.entity_key
WHERE c.status IN ('confirmed', 'rejected') AND ({since})
ORDER BY c.id
"""


def nli_lines(store: Store, since: str | None = None) -> Iterator[str]:
    sql = _SQL.format(since="c.updated_at >= ?" if since else "1")
    for (line,) in store.db.execute(sql, [since] if since else []):
        yield line
