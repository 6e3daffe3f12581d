"""The token lists the rules read agree with spaCy's own Doc on any text."""

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.nlp.extensions import with_text
from annotator.nlp.tokens import tokens_of

NLP = spacy.blank("en")
# Spaces of every kind, runs of them, punctuation and affixes the tokenizer splits off.
PIECES = list("ab1. ,'’“”$%-\n\t\u00a0\u3000") + ["  ", "U.S.", "can't", "Ltd.", ":)"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)
ANY_TEXT = st.one_of(TEXT, st.text(max_size=30))


@settings(max_examples=500, deadline=None)
@given(ANY_TEXT, st.data())
def test_aligned_is_strict_char_span(text, data):
    doc = NLP.make_doc(text)
    tokens = tokens_of(with_text(doc, text))
    assert tokens.starts == [t.idx for t in doc]
    assert tokens.ends == [t.idx + len(t) for t in doc]
    assert tokens.lower == [t.lower_ for t in doc]
    assert tokens.is_punct == [t.is_punct for t in doc]
    for _ in range(10):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text) + 1))
        span = doc.char_span(start, end, alignment_mode="strict") if end <= len(text) else None
        expected = span is not None and end > start
        assert tokens.aligned(start, end) == expected, (text, start, end)
        if expected:
            assert tokens.token_range(start, end) == (span.start, span.end)
            assert tokens.char_range(span.start, span.end) == (start, end)
