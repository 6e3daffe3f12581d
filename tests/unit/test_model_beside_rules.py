"""A trained model's spans beside the pipeline's: `propose --model` adds one of the
model's own only where the pipeline proposed none of its label overlapping it, and
only as confident as `annotator train` found worth it on held-out sentences."""

import spacy

from annotator.learn import train
from annotator.learn.examples import Sentence
from annotator.nlp.edges import edit_spans
from annotator.nlp.pipeline import Pipeline
from annotator.nlp.trained import is_model_origin, spans_to_add

TEXT = "Officials said the deal would close soon, a spokesman told reporters on Monday."
SAID = (10, 14, "CUE")
TOLD = (54, 58, "CUE")
REPORTERS = (59, 68)


def test_a_model_span_overlapping_the_pipeline_s_of_its_label_is_not_added():
    base = [(0, 9, "SOURCE"), SAID]
    learnt = [
        (0, 14, "SOURCE", 0.97),  # overlaps the pipeline's SOURCE: left out
        (10, 14, "QUOTE", 0.9),  # another label: overlap does not matter
        (*TOLD, 0.8),
        (42, 53, "SOURCE", 0.4),  # below the threshold
    ]
    added = spans_to_add(base, learnt, {"SOURCE": 0.5, "CUE": 0.7, "QUOTE": 0.6})
    assert added == [(10, 14, "QUOTE", 0.9), (*TOLD, 0.8)]


def test_a_label_without_a_threshold_gets_none_of_the_model_s_spans():
    learnt = [(*TOLD, 0.99), (42, 53, "SOURCE", 0.99)]
    assert spans_to_add([], learnt, {"SOURCE": None, "CUE": 0.5}) == [(*TOLD, 0.99)]
    assert spans_to_add([], learnt, {"SOURCE": 0.5}) == [(42, 53, "SOURCE", 0.99)]
    # A model trained before thresholds were chosen: its own threshold for every label.
    assert spans_to_add([], learnt, None, default=0.995) == []


def test_of_the_model_s_overlapping_spans_the_most_confident_is_kept():
    learnt = [(42, 53, "SOURCE", 0.6), (40, 52, "SOURCE", 0.9), (44, 52, "SOURCE", 0.7)]
    assert spans_to_add([], learnt, None) == [(40, 52, "SOURCE", 0.9)]


def test_model_origins_are_told_from_the_pipeline_s_and_a_person_s():
    assert is_model_origin("reviewed-20261130.061015+annotator-0.1.0")
    assert not is_model_origin("rules-spacy3.8.0+annotator-0.1.0")
    assert not is_model_origin("en_core_web_sm-3.8.0+annotator-0.1.0")
    assert not is_model_origin("human")


class _Learnt:
    """Stands for a trained model: fixed spans for the one sentence."""

    threshold = 0.5

    def __init__(self, spans, thresholds, edits=frozenset()):
        self.spans, self.add_thresholds, self.edits = spans, thresholds, edits

    def annotate(self, texts, batch_size=256):
        for _ in texts:
            yield self.spans, None

    def edit(self, text, spans):
        return edit_spans(text, spans, self.edits, _tokens)


def _tokens(text):
    return [(t.idx, t.idx + len(t)) for t in spacy.blank("en").tokenizer(text)]


def test_propose_keeps_the_pipeline_s_spans_and_adds_only_the_model_s_new_ones():
    from annotator.core.sentence_input import SentenceInput

    pipeline = Pipeline("rules")
    rules = pipeline.propose_document([SentenceInput(TEXT, True, 0)]).sentences[0]
    assert {(p.start, p.end, p.label) for p in rules} >= {SAID}
    pipeline.learnt = _Learnt(
        [(*SAID, 0.9), (8, 14, "CUE", 0.95), (*REPORTERS, "SOURCE", 0.8), (72, 78, "CUE", 0.55)],
        {"CUE": 0.7, "SOURCE": 0.7},
    )
    pipeline.learnt_origin = "reviewed-20261207.010000+annotator-0"
    found = pipeline.propose_document([SentenceInput(TEXT, True, 0)]).sentences[0]
    assert [(p.start, p.end, p.label) for p in found if p.origin is None] == [
        (p.start, p.end, p.label) for p in rules
    ]
    # Both found 'said': the pipeline's, with the model's confidence.
    said = next(p for p in found if (p.start, p.end, p.label) == SAID)
    assert said.attrs["confidence"] == 0.9
    # 'ls said' overlaps the rules' cue; 'Monday' is below the threshold.
    assert [(p.start, p.end, p.label, p.attrs) for p in found if p.origin is not None] == [
        (*REPORTERS, "SOURCE", {"confidence": 0.8})
    ]


def _sentence(n, spans, proposed):
    return Sentence(n, 1, TEXT, tuple(spans), (), None, tuple(proposed))


def test_train_chooses_the_threshold_that_helps_on_held_out_sentences(monkeypatch):
    # Three held-out sentences; the rules missed 'told' in each, and once proposed a
    # wrong CUE. The model finds 'told' at 0.9 and 0.8, and a wrong one at 0.6.
    held = [
        _sentence(1, [SAID, TOLD], [SAID]),
        _sentence(2, [SAID, TOLD], [SAID]),
        _sentence(3, [TOLD], [SAID]),
    ]
    scored = [
        [(*TOLD, 0.9)],
        [(*TOLD, 0.8), (60, 69, "CUE", 0.6)],
        [],
    ]
    monkeypatch.setattr(train, "scored_spans", lambda nlp, texts, floor: iter(scored))
    # Two right spans are too little evidence to add any...
    thresholds, figures = train.choose_add_thresholds(None, held, ("CUE",))
    assert thresholds == {"CUE": None} and figures["CUE"]["added"] == 0
    # ...but were two enough: 0.7 and 0.8 add the two confident right ones and no wrong one
    monkeypatch.setattr(train, "MIN_RIGHT_ADDED", 2)
    monkeypatch.setattr(train, "scored_spans", lambda nlp, texts, floor: iter(scored))
    thresholds, figures = train.choose_add_thresholds(None, held, ("CUE",))
    assert thresholds == {"CUE": 0.8}
    assert figures["CUE"]["added"] == 2
    assert figures["CUE"]["with_model_f"] > figures["CUE"]["pipeline_f"]


def test_train_chooses_no_threshold_when_the_model_only_adds_mistakes(monkeypatch):
    held = [_sentence(1, [SAID], [SAID]), _sentence(2, [SAID], [SAID])]
    scored = [[(*TOLD, 0.99)], [(60, 69, "CUE", 0.9)]]
    monkeypatch.setattr(train, "MIN_RIGHT_ADDED", 0)
    monkeypatch.setattr(train, "scored_spans", lambda nlp, texts, floor: iter(scored))
    thresholds, figures = train.choose_add_thresholds(None, held, ("CUE",))
    assert thresholds == {"CUE": None}
    assert figures["CUE"]["added"] == 0
