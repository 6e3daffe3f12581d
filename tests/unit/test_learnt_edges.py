"""Edge conventions learnt from the reviewers' fixes of the pipeline's spans: a
reviewer who rejects the CUE "continued" and makes "continued:" three times teaches
`train` to extend a CUE over the colon after it, and `propose --model` then moves
the pipeline's pending proposals so, never a span a reviewer decided."""

import spacy

from annotator.core import actions
from annotator.core.ingest import ingest
from annotator.core.proposals import propose_stored
from annotator.learn import train
from annotator.learn.examples import Sentence, read_sentences
from annotator.nlp import edges
from annotator.nlp.pipeline import Pipeline

REVIEWER = "tester"
LABELS = ("QUOTE", "SOURCE", "CUE")
COLON = ("CUE", "end", "extend", "colon")
AUXILIARY = ("CUE", "start", "extend", "auxiliary")
ARTICLE = """The mayor continued: “We will open the bridge in May.”

The minister added: “Taxes will fall next year.”

The council wrote: “The park stays open.”

The judge continued: “The hearing is over.”
"""


def _tokens(text):
    return [(t.idx, t.idx + len(t)) for t in spacy.blank("en").tokenizer(text)]


class _Learnt:
    """Stands for a trained model: no spans of its own, only the edits it learnt."""

    threshold = 0.5
    add_thresholds = None

    def __init__(self, edits):
        self.edits = edits

    def annotate(self, texts, batch_size=256):
        for _ in texts:
            yield [], None

    def edit(self, text, spans):
        return edges.edit_spans(text, spans, self.edits, _tokens)


def _with_model(edits) -> Pipeline:
    pipeline = Pipeline("rules")
    pipeline.learnt = _Learnt(frozenset(edits))
    pipeline.learnt_origin = "reviewed-20261207.030000+annotator-0"
    return pipeline


def _cue(store, sentence_id):
    return store.db.execute(
        """SELECT id, start, "end", status, origin, attrs FROM spans
           WHERE sentence_id = ? AND label = 'CUE' ORDER BY id""",
        [sentence_id],
    ).fetchall()


def _decided(store):
    return store.db.execute(
        """SELECT id, sentence_id, start, "end", label, status, origin, reviewer
           FROM spans WHERE status != 'proposed' OR origin = 'human' ORDER BY id"""
    ).fetchall()


def test_fixes_teach_an_edit_that_propose_applies_to_pending_proposals_only(store, tmp_path):
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    ingest(store, [tmp_path / "article.txt"], pipeline=Pipeline("rules"))
    sentences = store.db.execute("SELECT id, text FROM sentences ORDER BY idx").fetchall()
    assert len(sentences) == 4
    # The reviewer fixes the cue of the first three sentences: rejects the word and
    # makes the word with its colon; everything else is right.
    for sentence_id, text in sentences[:3]:
        (cue_id, start, end, *_), *_ = _cue(store, sentence_id)
        assert text[end] == ":"
        actions.set_span_status(store, REVIEWER, cue_id, "rejected")
        actions.add_span(store, REVIEWER, sentence_id, start, end + 1, "CUE")
        actions.accept_remaining(store, REVIEWER, sentence_id)

    taught = list(read_sentences(store, LABELS))
    made, not_made = edges.tally(((s.text, s.spans, s.proposed) for s in taught), _tokens)
    learnt = edges.learn(made, not_made)
    assert [(e["label"], e["edge"], e["op"], e["kind"], e["made"]) for e in learnt] == [(*COLON, 3)]

    decided = _decided(store)
    propose_stored(store, _with_model(edges.as_edits(learnt)))
    assert _decided(store) == decided
    # The pending fourth sentence's cue now takes its colon, as the model's proposal
    # that remembers the pipeline's offsets...
    last_id, last_text = sentences[3]
    ((cue_id, start, end, status, origin, attrs),) = _cue(store, last_id)
    assert (last_text[start:end], status) == ("continued:", "proposed")
    assert origin.startswith("reviewed-") and '"pipeline_span": [10, 19]' in attrs
    # The review screen says which model moved it.
    from annotator.core.review import load_sentence
    from annotator.tui.render import span_entry

    view = load_sentence(store, last_id, REVIEWER)
    moved = next(span for span in view.spans if span.id == cue_id)
    assert "by reviewed-20261207.030000" in span_entry(view, moved, False).plain
    # ...and its attribution links the moved span.
    linked = store.db.execute(
        "SELECT cue_span_id FROM attributions WHERE content_sentence_id = ?", [last_id]
    ).fetchall()
    assert linked == [(cue_id,)]
    # The three sentences the reviewer fixed get no second cue.
    for sentence_id, _ in sentences[:3]:
        assert [row[3:5] for row in _cue(store, sentence_id)] == [
            ("rejected", "rules-spacy" + spacy.__version__ + "+annotator-0.1.0"),
            ("accepted", "human"),
        ]

    # Accepting the moved span counts as one more fix of the pipeline's span.
    actions.accept_remaining(store, REVIEWER, last_id)
    taught = list(read_sentences(store, LABELS))
    assert (10, 19, "CUE") in next(s for s in taught if s.id == last_id).proposed
    made, _ = edges.tally(((s.text, s.spans, s.proposed) for s in taught), _tokens)
    assert made[COLON] == 4

    # Undo still works: the acceptance goes, and the moved proposal is pending again.
    actions.undo(store, REVIEWER)
    assert _cue(store, last_id)[0][3] == "proposed"


def test_a_revision_of_a_span_a_reviewer_decided_is_not_stored(store, tmp_path):
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    ingest(store, [tmp_path / "article.txt"], pipeline=Pipeline("rules"))
    sentence_id, text = store.db.execute(
        "SELECT id, text FROM sentences ORDER BY idx LIMIT 1"
    ).fetchone()
    (cue_id, *_), *_ = _cue(store, sentence_id)
    actions.set_span_status(store, REVIEWER, cue_id, "accepted")
    propose_stored(store, _with_model({COLON}))
    # The reviewer accepted the word alone: the model's revision is not proposed.
    assert [(text[a:b], status) for _, a, b, status, *_ in _cue(store, sentence_id)] == [
        ("continued", "accepted")
    ]
    # The attribution still names the accepted cue.
    linked = store.db.execute(
        "SELECT cue_span_id FROM attributions WHERE content_sentence_id = ?", [sentence_id]
    ).fetchall()
    assert linked == [(cue_id,)]


def test_an_edit_needs_support_and_a_clear_majority():
    text = "Officials had said the plan works, and Roe had said so."
    said, roe_said = (14, 18, "CUE"), (47, 51, "CUE")
    fixed, roe_fixed = (10, 18, "CUE"), (43, 51, "CUE")
    three_fixes = [(text, [fixed], [said])] * 3
    made, not_made = edges.tally(three_fixes, _tokens)
    assert made[AUXILIARY] == 3 and not_made[AUXILIARY] == 0
    assert [e["kind"] for e in edges.learn(made, not_made)] == ["auxiliary"]
    # Two fixes are too few.
    assert edges.learn(*edges.tally(three_fixes[:2], _tokens)) == []
    # Three fixes against two spans accepted as they were: no clear majority.
    accepted = [(text, [roe_said], [roe_said])] * 2
    made, not_made = edges.tally(three_fixes + accepted, _tokens)
    assert (made[AUXILIARY], not_made[AUXILIARY]) == (3, 2)
    assert edges.learn(made, not_made) == []
    # A proposal rejected with nothing in its place says nothing about its edges.
    made, not_made = edges.tally(three_fixes + [(text, [], [roe_said])] * 5, _tokens)
    assert [e["kind"] for e in edges.learn(made, not_made)] == ["auxiliary"]
    # Applied, the edit moves the start over the auxiliary, once per token.
    moved = edges.edit_spans(text, [said, roe_said], frozenset({AUXILIARY}), _tokens)
    assert moved == {said: fixed, roe_said: roe_fixed}


def _sentence(n, document, text, spans, proposed):
    return Sentence(n, document, text, tuple(spans), (), None, tuple(proposed))


def test_train_keeps_an_edit_unless_it_lowers_f1_on_held_out_documents():
    text = "Ann Roe continued: the bridge opens in May."
    word, with_colon = (8, 17, "CUE"), (8, 18, "CUE")
    taught = [_sentence(n, 1, text, [with_colon], [word]) for n in range(3)]
    # Held out, the reviewers took the colon in: the edit is kept.
    right = [_sentence(9, 2, text, [with_colon], [word])]
    edits, figures = train.choose_edits(taught, right, ("CUE",), _tokens)
    assert [(e["label"], e["edge"], e["op"], e["kind"]) for e in edits] == [COLON]
    assert figures["CUE"] == {"pipeline_f": 0.0, "with_edits_f": 1.0, "learnt": 1, "kept": 1}
    # Held out, they wanted the word alone: it would cost F1 there, so it goes.
    wrong = [_sentence(9, 2, text, [word], [word])]
    edits, figures = train.choose_edits(taught, wrong, ("CUE",), _tokens)
    assert edits == [] and figures["CUE"] == {
        "pipeline_f": 1.0,
        "with_edits_f": 1.0,
        "learnt": 1,
        "kept": 0,
    }
    # Held out, no cue before a colon: nothing shows the edit helps, so it goes too.
    elsewhere = [_sentence(9, 2, "Ann Roe said the bridge opens.", [(8, 12, "CUE")], [])]
    edits, figures = train.choose_edits(taught, elsewhere, ("CUE",), _tokens)
    assert edits == [] and figures["CUE"]["kept"] == 0
    # The thresholds for the model's own spans are chosen beside the edited proposals.
    assert train.edited_proposals(
        right[0], [dict(zip(("label", "edge", "op", "kind"), COLON, strict=True))], _tokens
    ) == {with_colon}
