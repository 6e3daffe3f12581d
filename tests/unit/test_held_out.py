"""`annotator train` scores its model on sentences it did not learn from: from a few
documents on, on whole documents it did not learn from, since sentences of one
article share its speakers and wording."""

from annotator.learn.examples import Sentence
from annotator.learn.train import plan

TEXT = "The minister said the bridge would open in May."
SAID = ((13, 17, "CUE"),)


def _sentences(documents: int, each: int) -> list[Sentence]:
    return [
        Sentence(d * 100 + n, d, TEXT, SAID, (), None)
        for d in range(1, documents + 1)
        for n in range(each)
    ]


def _tokens(text):
    return [(0, len(text))]


def test_from_four_documents_on_whole_documents_are_held_out():
    chosen = plan(_sentences(6, 20), ("CUE",), False, 0.2, _tokens)
    held = {s.document_id for s in chosen.dev}
    learnt = {s.document_id for s in chosen.train}
    assert held and learnt and not held & learnt
    assert len(chosen.dev) + len(chosen.train) == 120
    # the same documents on every run, and when more documents come
    again = plan(_sentences(6, 20), ("CUE",), False, 0.2, _tokens)
    assert {s.id for s in again.dev} == {s.id for s in chosen.dev}


def test_with_fewer_documents_sentences_are_held_out():
    chosen = plan(_sentences(2, 40), ("CUE",), False, 0.2, _tokens)
    assert {s.document_id for s in chosen.dev} == {1, 2}
    assert 0 < len(chosen.dev) < 40
