"""Learning from the reviewers: a spaCy pipeline trained on reviewed sentences
(spans with spancat, check-worthiness with textcat), and the config it ships with.

spaCy is imported here; nothing in `annotator.core` imports this package.
"""
