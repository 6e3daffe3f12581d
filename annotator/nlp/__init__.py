"""spaCy: one pipeline builder, one module per claim kind, lexicons in data/."""
