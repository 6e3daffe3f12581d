"""Custom attributes our components set on spaCy objects."""

from spacy.tokens import Span

if not Span.has_extension("attrs"):
    # The normalised attributes of a proposal (value, unit, qualifier, ...).
    Span.set_extension("attrs", default=None)
