"""The check-worthiness textcat: a bag of words that starts from the share of
check-worthy sentences, takes its own SGD steps whatever optimizer the training loop
hands it, and predicts and saves the moving average of its weights."""

import math

import numpy
from thinc.api import Adam

from annotator.learn.config import build_config

TEXTCAT = "textcat_multilabel"
CHECKWORTHY = "CHECKWORTHY"
SENTENCES = [
    ("Unemployment rose to 9 percent in 2010.", True),
    ("Thank you, Senator.", False),
    ("Let me finish.", False),
    ("Good evening and welcome.", False),
    ("The deficit tripled under his watch.", True),
    ("We will take a short break.", False),
    ("Please go ahead.", False),
    ("That's a great question.", False),
]


def _trained_nlp():
    from spacy import util
    from spacy.training import Example

    import annotator.learn.components  # noqa: F401

    config = build_config(span_labels=(), sizes=(1, 1), checkworthiness=True)
    nlp = util.load_model_from_config(config, auto_fill=True, validate=True)
    examples = []
    for text, label in SENTENCES:
        reference = nlp.make_doc(text)
        reference.cats = {CHECKWORTHY: label}
        examples.append(Example(nlp.make_doc(text), reference))
    nlp.get_pipe(TEXTCAT).add_label(CHECKWORTHY)
    nlp.initialize(lambda: examples)
    return nlp, examples


def _bias(nlp) -> float:
    (node,) = [n for n in nlp.get_pipe(TEXTCAT).model.walk() if n.name == "sparse_linear"]
    return float(node.get_param("b")[0])


def test_the_bias_starts_from_the_share_of_check_worthy_sentences():
    nlp, _ = _trained_nlp()
    share = (2 + 1) / (8 + 2)  # two of eight, smoothed
    assert math.isclose(_bias(nlp), math.log(share / (1 - share)), rel_tol=1e-5)


def test_its_weights_take_their_own_steps_whatever_optimizer_the_loop_gives():
    nlp, examples = _trained_nlp()
    textcat = nlp.get_pipe(TEXTCAT)
    weights = [n for n in textcat.model.walk() if n.name == "sparse_linear"][0]
    start = weights.get_param("W").copy()
    # The loop's Adam with a learning rate of 0 would change nothing.
    nlp.update(examples, sgd=Adam(0.0), drop=0.0)
    moved = numpy.abs(weights.get_param("W") - start).max()
    assert moved > 1e-4


def test_it_predicts_and_saves_the_average_of_its_weights():
    from spacy import util

    nlp, examples = _trained_nlp()
    optimizer = Adam(0.001)
    for _ in range(20):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    texts = [text for text, _ in SENTENCES]
    predicted = [doc.cats[CHECKWORTHY] for doc in nlp.pipe(texts)]
    textcat = nlp.get_pipe(TEXTCAT)
    with textcat.model.use_params({}):
        raw = textcat.model.predict([nlp.make_doc(t) for t in texts])[:, 0]
    # The last step's weights and their average differ after 20 steps ...
    assert numpy.abs(numpy.asarray(raw) - numpy.asarray(predicted)).max() > 1e-4
    # ... and what is saved is what was predicted.
    again = util.load_model_from_config(nlp.config, auto_fill=True)
    again.from_bytes(nlp.to_bytes())
    reloaded = [doc.cats[CHECKWORTHY] for doc in again.pipe(texts)]
    assert numpy.allclose(reloaded, predicted, atol=1e-6)
    # The positive sentences rank first.
    ranked = sorted(zip(reloaded, [label for _, label in SENTENCES], strict=True), reverse=True)
    assert [label for _, label in ranked[:2]] == [True, True]


def test_a_model_that_scores_every_sentence_the_same_ranks_nothing():
    from types import SimpleNamespace

    from annotator.learn.examples import Sentence
    from annotator.learn.train import score

    class SameScore:
        def pipe(self, texts):
            return [SimpleNamespace(cats={CHECKWORTHY: 0.03}) for _ in texts]

    # Worth checking first in their own order: kept as a tie, that order would score 1.0.
    labels = [True, True, False, False, False, False]
    dev = [
        Sentence(i, 1, f"Sentence {i}.", spans=None, rejected=(), checkworthy=float(label))
        for i, label in enumerate(labels)
    ]
    found = score(SameScore(), dev, (), True)["checkworthiness"]["average_precision"]
    assert math.isclose(found, (1 / 5 + 2 / 6) / 2)
