"""Our spancat leaves a sentence whose spans were never reviewed out of the span
loss, instead of learning that nothing in it is a span (spaCy's default)."""

import numpy

from annotator.learn.config import build_config


def _nlp():
    from spacy import util

    import annotator.learn.components  # noqa: F401

    config = build_config(span_labels=("QUOTE",), sizes=(1, 4), checkworthiness=False)
    return util.load_model_from_config(config, auto_fill=True, validate=True)


def test_unreviewed_sentences_add_nothing_to_the_span_loss():
    from spacy.training import Example

    nlp = _nlp()
    spancat = nlp.get_pipe("spancat")
    spancat.add_label("QUOTE")
    reviewed = nlp.make_doc("He said the sanctions would hurt.")
    reviewed.spans["sc"] = [reviewed.char_span(3, 7, label="QUOTE")]
    unreviewed = nlp.make_doc("The company said it was not worried.")  # no "sc": never reviewed
    examples = [
        Example(nlp.make_doc(reviewed.text), reviewed),
        Example(nlp.make_doc(unreviewed.text), unreviewed),
    ]
    nlp.initialize(lambda: examples)
    docs = [eg.predicted for eg in examples]
    spans = spancat.suggester(docs)
    scores = spancat.model.predict((docs, spans))
    loss, d_scores = spancat.get_loss(examples, (spans, scores))
    first = int(spans.lengths[0])
    assert numpy.abs(d_scores[first:]).sum() == 0
    assert numpy.abs(d_scores[:first]).sum() > 0
    assert loss == float((d_scores**2).sum())
