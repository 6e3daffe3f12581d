"""The components `annotator train` trains: a spancat that learns from partly
labelled data, and a check-worthiness textcat that takes its own SGD steps.

spaCy's spancat reads a sentence with no span group as "no spans here", so a
sentence a reviewer labelled CFS without reviewing its spans would teach that
everything in it is not a span. Ours leaves such a sentence out of the span loss.
Importing this module registers the factories; `spacy.load` of a trained model
needs it (the trained-model loader imports it).
"""

import numpy
from spacy.language import Language
from spacy.pipeline.spancat import SpanCategorizer, spancat_score
from spacy.pipeline.textcat_multilabel import MultiLabel_TextCategorizer

FACTORY = "annotator_spancat"


class PartialSpanCategorizer(SpanCategorizer):
    def get_loss(self, examples, spans_scores):
        examples = list(examples)
        loss, d_scores = super().get_loss(examples, spans_scores)
        spans, _ = spans_scores
        lengths = self.model.ops.to_numpy(spans.lengths)
        offset, unlabelled = 0, False
        for example, length in zip(examples, lengths, strict=True):
            if self.key not in example.reference.spans:
                d_scores[offset : offset + int(length)] = 0
                unlabelled = True
            offset += int(length)
        if unlabelled:
            loss = float((d_scores**2).sum())
        return loss, d_scores


@Language.factory(
    FACTORY,
    default_config={
        "spans_key": "sc",
        "threshold": 0.5,
        "max_positive": None,
        "scorer": {"@scorers": "spacy.spancat_scorer.v1"},
    },
)
def make_partial_spancat(nlp, name, model, suggester, spans_key, threshold, max_positive, scorer):
    return PartialSpanCategorizer(
        nlp.vocab,
        model=model,
        suggester=suggester,
        name=name,
        spans_key=spans_key,
        negative_weight=None,
        allow_overlap=True,
        max_positive=max_positive,
        threshold=threshold,
        scorer=scorer or spancat_score,
        add_negative_label=False,
    )


TEXTCAT_FACTORY = "annotator_textcat"


class SGDTextCategorizer(MultiLabel_TextCategorizer):
    """spaCy's multi-label textcat, whose weights take plain SGD steps with L2 of their
    own instead of the training loop's Adam, and which predicts and saves the moving
    average of its weights.

    Its model is a bag of n-grams, mostly seen once or twice: Adam gives each rare
    n-gram a full-sized step, so a debate's one-off words soon decide its scores and the
    ranking of unseen debates falls after the first pass. SGD is the usual fit for a
    logistic regression, and the average of its weights changes little from one pass to
    the next, so which pass the held-out sentences pick matters less."""

    def __init__(self, vocab, model, name, *, threshold, scorer, learn_rate, L2):
        super().__init__(vocab, model, name, threshold=threshold, scorer=scorer)
        self.learn_rate = learn_rate
        self.L2 = L2
        # Made at the first update; None again once weights are read from a file.
        self._own_optimizer = None
        self._bias_optimizer = None

    def initialize(self, get_examples, *, nlp=None, labels=None):
        super().initialize(get_examples, nlp=nlp, labels=labels)
        # Start from the share of positive sentences, not from 0.5: from 0.5 the first
        # steps drive every common word's weight down until the sigmoid saturates and
        # its gradient vanishes for the rare positive sentences.
        truths, not_missing = self._examples_to_truth(list(get_examples()))
        shown = numpy.asarray(not_missing).sum(axis=0)
        positive = (numpy.asarray(truths) * numpy.asarray(not_missing)).sum(axis=0)
        share = numpy.clip((positive + 1) / (shown + 2), 1e-4, 1 - 1e-4)
        for node in self.model.walk():
            if node.name == "sparse_linear" and node.has_param("b"):
                node.set_param("b", numpy.log(share / (1 - share)).astype("float32"))

    def finish_update(self, sgd):
        from thinc.api import SGD

        if self._own_optimizer is None:
            self._own_optimizer = SGD(self.learn_rate, L2=self.L2, grad_clip=0.0)
            self._bias_optimizer = SGD(self.learn_rate, L2=0.0, grad_clip=0.0)
        for node in self.model.walk():
            for name in node.param_names:
                if node.has_grad(name):
                    # No L2 on the bias: it holds the base rate, which is not a
                    # word's weight to shrink towards 0.5.
                    step = self._bias_optimizer if name == "b" else self._own_optimizer
                    param, grad = step((node.id, name), node.get_param(name), node.get_grad(name))
                    node.set_param(name, param)
                    node.set_grad(name, grad)

    def _averaged(self):
        if self._own_optimizer is None:
            return self.model.use_params({})
        return self.model.use_params(
            {**self._own_optimizer.averages, **self._bias_optimizer.averages}
        )

    def predict(self, docs):
        with self._averaged():
            return super().predict(docs)

    def to_bytes(self, *, exclude=tuple()):
        with self._averaged():
            return super().to_bytes(exclude=exclude)

    def to_disk(self, path, *, exclude=tuple()):
        with self._averaged():
            super().to_disk(path, exclude=exclude)

    def from_bytes(self, bytes_data, *, exclude=tuple()):
        # The weights read are what to predict with from now on.
        self._own_optimizer = None
        return super().from_bytes(bytes_data, exclude=exclude)

    def from_disk(self, path, *, exclude=tuple()):
        self._own_optimizer = None
        return super().from_disk(path, exclude=exclude)


@Language.factory(
    TEXTCAT_FACTORY,
    default_config={
        "threshold": 0.5,
        "scorer": {"@scorers": "spacy.textcat_multilabel_scorer.v2"},
        "learn_rate": 0.05,
        "L2": 0.001,
    },
)
def make_sgd_textcat(nlp, name, model, threshold, scorer, learn_rate, L2):
    return SGDTextCategorizer(
        nlp.vocab,
        model,
        name,
        threshold=threshold,
        scorer=scorer,
        learn_rate=learn_rate,
        L2=L2,
    )
