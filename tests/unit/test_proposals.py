"""`propose` keeps the rows of proposals that come out the same, so a reviewer
deciding one while propose runs is deciding a row that is still there."""

import dataclasses

import pytest

from annotator.core.proposals import propose_stored
from annotator.nlp.pipeline import Pipeline, Proposal
from tests.conftest import sentence_with

SPANS = 'SELECT id, sentence_id, start, "end", label, status, origin, attrs, updated_at FROM spans'
ATTRIBUTIONS = (
    "SELECT id, kind, reason, source_span_id, cue_span_id, content_span_id, "
    "content_sentence_id, content_start, content_end, resolved_to, origin, updated_at "
    "FROM attributions"
)


def rows(store, sql: str) -> dict[int, tuple]:
    return {row[0]: row[1:] for row in store.db.execute(sql)}


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    return Pipeline("rules")


class Altered:
    """The rule pipeline, with the proposals of one sentence changed by `change`."""

    def __init__(self, pipeline: Pipeline, words: str, change, origin: str | None = None):
        self.pipeline, self.words, self.change = pipeline, words, change
        self.origin = origin or pipeline.origin

    def propose_documents(self, documents):
        documents = list(documents)
        for sentences, found in zip(
            documents, self.pipeline.propose_documents(documents), strict=True
        ):
            for i, sentence in enumerate(sentences):
                if self.words in sentence.text:
                    found.sentences[i] = self.change(list(found.sentences[i]))
            yield found


def test_proposing_again_keeps_every_row_and_id(seeded, rules):
    spans, attributions = rows(seeded, SPANS), rows(seeded, ATTRIBUTIONS)
    assert spans and attributions
    propose_stored(seeded, rules)
    propose_stored(seeded, rules)
    assert rows(seeded, SPANS) == spans
    assert rows(seeded, ATTRIBUTIONS) == attributions


def test_only_the_proposals_that_changed_change(seeded, rules):
    sentence_id, text = sentence_with(seeded, "more than 40 lawmakers")
    before = rows(seeded, SPANS)
    attributions = rows(seeded, ATTRIBUTIONS)
    here = {i: r for i, r in before.items() if r[0] == sentence_id}
    [lawmakers] = [i for i, r in here.items() if text[r[1] : r[2]] == "more than 40 lawmakers"]
    # A span no attribution links, so that the attributions stay as they are.
    linked = {"SOURCE", "CUE", "QUOTE"}
    dropped = next(i for i, r in here.items() if i != lawmakers and r[3] not in linked)
    start = text.index("lawmakers")

    def change(proposals: list[Proposal]) -> list[Proposal]:
        kept = []
        for p in proposals:
            if (p.start, p.end, p.label) == before[dropped][1:4]:
                continue
            if (p.start, p.end) == before[lawmakers][1:3]:
                p = dataclasses.replace(p, attrs={**p.attrs, "value": 41})
            kept.append(p)
        return [*kept, Proposal(start, start + len("lawmakers"), "HEDGE", {})]

    propose_stored(seeded, Altered(rules, "more than 40 lawmakers", change))
    after = rows(seeded, SPANS)
    assert dropped not in after
    assert after[lawmakers][:6] == before[lawmakers][:6]
    assert '"value": 41' in after[lawmakers][6]
    [new] = set(after) - set(before)
    assert after[new][:4] == (sentence_id, start, start + len("lawmakers"), "HEDGE")
    untouched = set(before) - {dropped, lawmakers}
    assert {i: after[i] for i in untouched} == {i: before[i] for i in untouched}
    assert rows(seeded, ATTRIBUTIONS) == attributions


def test_a_new_pipeline_version_relabels_the_same_proposals_in_place(seeded, rules):
    before = rows(seeded, SPANS)
    propose_stored(seeded, Altered(rules, "", lambda found: found, origin="rules-next"))
    after = rows(seeded, SPANS)
    assert set(after) == set(before)
    assert {r[5] for r in after.values()} == {"rules-next"}
    assert {r[9] for r in rows(seeded, ATTRIBUTIONS).values()} == {"rules-next"}


def test_decided_spans_are_kept_and_not_proposed_again(seeded, rules):
    first, second = sorted(rows(seeded, SPANS))[:2]
    with seeded.write() as db:
        db.execute("UPDATE spans SET status = 'accepted', reviewer = 'ana' WHERE id = ?", [first])
        db.execute("UPDATE spans SET status = 'rejected', reviewer = 'ana' WHERE id = ?", [second])
    before = rows(seeded, SPANS)
    propose_stored(seeded, rules)
    assert rows(seeded, SPANS) == before
