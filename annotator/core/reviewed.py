"""When a sentence counts as reviewed, as SQL that the review screen, progress and
the exporter share."""

# Both read a sentence aliased `s`; the exporter selects with them too.
REVIEWED_SQL = """
    NOT EXISTS (SELECT 1 FROM spans p WHERE p.sentence_id = s.id AND p.status = 'proposed')
    AND (EXISTS (SELECT 1 FROM spans d WHERE d.sentence_id = s.id AND d.status != 'proposed')
         OR EXISTS (SELECT 1 FROM sentence_labels l WHERE l.sentence_id = s.id))
"""
IN_REVIEW_SQL = "(SELECT boilerplate FROM paragraphs p WHERE p.id = s.paragraph_id) = 0"
