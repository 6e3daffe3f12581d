"""Every proposal fits its text: offsets in range, and on token boundaries
(spaCy's `char_span(..., alignment_mode="strict")` finds it)."""

import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.ingest import ingest
from annotator.core.segment import split_paragraphs, split_sentences
from annotator.nlp.pipeline import Pipeline, SentenceInput, installed_trained_model
from tests.conftest import CORPUS

RULES = Pipeline("rules")
TOKENIZER = spacy.blank("en")

PIECES = st.sampled_from(
    [
        "said", "told", "according to", "reported that", "declined to be named", "Hikvision",
        "Tech Hikvision", "Digital Technology Company", "the U.S.", "U.S.", "more than",
        "about", "1 million", "10%", "¥38.24", "$5bn", "40", "seven", "2019", "between 3 and 4",
        "could", "is considering", "waiting on whether", "“", "”", '"', "'", "’s", ",", ".",
        "!", "?", "-", "(", ")", "she", "He", "an executive", "Wai Ho Leong", "😀", "👩🏽‍💻",
        "é", "e\u0301", "北京", "中文", "\u200b", "\u202e", "[@click=app.quit]", "[/", "\n",
        "\n\n", " ", "  ", "\t",
    ]
)  # fmt: skip
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=40).map(" ".join)


def check(text: str, english: bool, pipeline: Pipeline) -> None:
    sentences = split_sentences(text, split_paragraphs(text)) if text.strip() else []
    texts = [text[s.start : s.end] for s in sentences]
    found = pipeline.propose_document(
        [
            SentenceInput(t, english, s.paragraph_index)
            for t, s in zip(texts, sentences, strict=True)
        ]
    )
    for sentence, proposals in zip(texts, found.sentences, strict=True):
        doc = pipeline.nlp.make_doc(sentence)
        for p in proposals:
            assert 0 <= p.start < p.end <= len(sentence), p
            span = doc.char_span(p.start, p.end, alignment_mode="strict")
            assert span is not None and span.text == sentence[p.start : p.end], p
    for a in found.attributions:
        content = texts[a.content.sentence]
        assert 0 <= a.content.start < a.content.end <= len(content)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.booleans())
def test_rule_proposals_align_on_random_text(text, english):
    check(text, english, RULES)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.booleans())
def test_rule_proposals_align_on_arbitrary_unicode(text, english):
    check(text, english, RULES)


def test_every_stored_proposal_of_the_seeds_aligns(store):
    pipeline = Pipeline("auto")
    ingest(store, [CORPUS], pipeline=pipeline)
    rows = store.db.execute(
        'SELECT se.text, sp.start, sp."end", sp.label FROM spans sp '
        "JOIN sentences se ON se.id = sp.sentence_id"
    ).fetchall()
    assert len(rows) > 100
    for text, start, end, label in rows:
        span = pipeline.nlp.make_doc(text).char_span(start, end, alignment_mode="strict")
        assert span is not None and span.text == text[start:end], (label, text[start:end])
    contents = store.db.execute(
        "SELECT s.text, a.content_start, a.content_end, a.content_span_id FROM attributions a "
        "JOIN sentences s ON s.id = a.content_sentence_id"
    ).fetchall()
    assert len(contents) >= 15
    assert all(0 <= start < end <= len(text) for text, start, end, _ in contents)


if installed_trained_model():
    MODEL = Pipeline("auto")

    @settings(max_examples=40, deadline=None)
    @given(TEXTS)
    def test_model_proposals_align_on_random_text(text):
        check(text, True, MODEL)
