"""Error classes found on real news (issue 18), each reproduced with sentences
written for this file; both pipelines must get them right."""

import pytest

from tests.unit.test_attribution import analyse, pipeline, quotes  # noqa: F401


def spans(texts, found, label):
    return [texts[i][p.start : p.end] for i, ps in enumerate(found.sentences) for p in ps
            if p.label == label]  # fmt: skip


def test_two_apostrophes_are_quotation_marks(pipeline):  # noqa: F811
    text = (
        "''We will build the bridge by spring,'' Mr. Alder said. "
        "''Nobody should doubt it.''"
    )
    texts, found = analyse(pipeline, text)
    got = quotes(texts, found)
    assert ("Mr. Alder", "''We will build the bridge by spring,''", "named_person") in got
    assert any(q.startswith("Nobody should doubt it") and s == "Mr. Alder" for s, q, _ in got)
