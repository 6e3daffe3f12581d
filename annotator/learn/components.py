"""The spancat that learns from partly labelled data.

spaCy's spancat reads a sentence with no span group as "no spans here", so a
sentence a reviewer labelled CFS without reviewing its spans would teach that
everything in it is not a span. Ours leaves such a sentence out of the span loss.
Importing this module registers the factory; `spacy.load` of a trained model
needs it (the trained-model loader imports it).
"""

from spacy.language import Language
from spacy.pipeline.spancat import SpanCategorizer, spancat_score

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
