"""Check-worthiness scores: average precision as CLEF computes it, the orders the
review screen walks, and `stats`' ranking against labels given since."""

import pytest

from annotator.core import actions, review
from annotator.core.ranking import average_precision, mean_average_precision, rank
from annotator.core.scores import SentenceScore, ranking_since, store_scores
from annotator.core.stats import collect


def test_average_precision_is_clef_s():
    # relevant at ranks 1 and 3 of 4: (1/1 + 2/3) / 2, as scorer/task1.py computes it
    assert average_precision([True, False, True, False]) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision([False, False]) is None
    assert rank([(0.2, True), (0.9, False), (0.5, True)]) == [False, True, True]
    assert mean_average_precision([[(0.9, True), (0.1, False)], [(0.1, True), (0.9, False)]]) == (
        pytest.approx((1 + 0.5) / 2)
    )


def _scores(seeded, values: dict[int, tuple[float, float]]) -> None:
    with seeded.write() as db:
        store_scores(db, [(i, SentenceScore(c, u)) for i, (c, u) in values.items()], "m-1")


def _ids(seeded) -> list[int]:
    return [r[0] for r in seeded.db.execute("SELECT id FROM sentences ORDER BY id")]


def test_j_and_k_walk_by_score_then_unscored_in_corpus_order(seeded):
    ids = _ids(seeded)
    # Four scored sentences, two of them tied; the rest unscored.
    scored = {ids[5]: (0.9, 0.1), ids[2]: (0.7, 0.9), ids[8]: (0.7, 0.3), ids[1]: (0.1, 0.5)}
    _scores(seeded, scored)
    expected = [ids[5], ids[2], ids[8], ids[1]] + [i for i in ids if i not in scored]
    walked = [expected[0]]
    while (following := review.step(seeded, walked[-1], 1, "checkworthy")) is not None:
        walked.append(following)
    assert walked == expected
    back = [walked[-1]]
    while (previous := review.step(seeded, back[-1], -1, "checkworthy")) is not None:
        back.append(previous)
    assert back == expected[::-1]
    # most unsure first: ids[2] (0.9), ids[1] (0.5), ids[8] (0.3), ids[5] (0.1)
    assert review.step(seeded, ids[2], 1, "uncertain") == ids[1]
    assert review.step(seeded, ids[5], 1, "uncertain") == ids[0]
    assert review.resume_point(seeded, "someone", "uncertain") == ids[2]
    assert review.resume_point(seeded, "someone", "checkworthy") == ids[5]


def test_next_to_review_skips_reviewed_sentences_in_score_order(seeded):
    ids = _ids(seeded)
    _scores(seeded, {ids[0]: (0.9, 0.0), ids[3]: (0.8, 0.0), ids[4]: (0.7, 0.0)})
    actions.accept_remaining(seeded, "r", ids[3])
    actions.label_sentence(seeded, "r", ids[3], "CFS")
    assert review.is_reviewed(seeded, ids[3])
    assert review.next_unreviewed(seeded, ids[0], "checkworthy") == ids[4]
    assert review.resume_point(seeded, "nobody", "checkworthy") == ids[0]


def test_stats_scores_the_ranking_on_labels_given_after_it(seeded):
    ids = _ids(seeded)
    actions.label_sentence(seeded, "r", ids[0], "NFS")  # before scoring: not counted
    _scores(seeded, {ids[0]: (0.99, 0.0), ids[1]: (0.8, 0.0), ids[2]: (0.6, 0.0), ids[3]: (0.1, 0)})
    assert collect(seeded)["checkworthiness"]["labelled_since"] == 0
    for sentence_id, label in ((ids[1], "NFS"), (ids[2], "CFS"), (ids[3], "CFS")):
        actions.label_sentence(seeded, "r", sentence_id, label)
    found = ranking_since(seeded.db)
    # ranked 0.8 NFS, 0.6 CFS, 0.1 CFS: (1/2 + 2/3) / 2
    assert found["labelled_since"] == 3 and found["cfs_since"] == 2
    assert found["average_precision"] == pytest.approx((1 / 2 + 2 / 3) / 2, abs=1e-4)
    assert found["random_baseline"] == pytest.approx(2 / 3, abs=1e-4)
    assert collect(seeded)["checkworthiness"] == found


def test_stats_say_nothing_of_a_ranking_before_a_model_scored(seeded):
    assert "checkworthiness" not in collect(seeded)


def test_a_sentence_without_a_checkworthiness_walks_with_the_unscored(seeded):
    # A model with a spancat and no textcat scores only uncertainty.
    ids = _ids(seeded)
    _scores(seeded, {ids[3]: (0.4, 0.2)})
    with seeded.write() as db:
        store_scores(db, [(ids[6], SentenceScore(None, 0.8))], "spans-only")
    walked = [review.resume_point(seeded, "someone", "checkworthy")]
    while (following := review.step(seeded, walked[-1], 1, "checkworthy")) is not None:
        walked.append(following)
    assert walked == [ids[3]] + [i for i in ids if i != ids[3]]
    assert review.resume_point(seeded, "someone", "uncertain") == ids[6]
    assert review.step(seeded, ids[6], 1, "uncertain") == ids[3]


def test_a_step_in_a_scored_order_seeks_the_score_index(seeded):
    # Sorting every sentence per key press cost 60-250 ms on 74,000 sentences.
    plans = []
    original = seeded.db.execute

    def explained(sql, params=()):
        if sql.lstrip().upper().startswith("SELECT") and "sentence_scores" in sql:
            plans.append(" ".join(r[3] for r in original("EXPLAIN QUERY PLAN " + sql, params)))
        return original(sql, params)

    ids = _ids(seeded)
    _scores(seeded, {ids[0]: (0.9, 0.1), ids[1]: (0.5, 0.5)})
    seeded.db.execute = explained
    try:
        review.step(seeded, ids[0], 1, "checkworthy")
        review.next_unreviewed(seeded, ids[0], "uncertain")
    finally:
        seeded.db.execute = original
    assert any("INDEX sentence_scores_checkworthy" in p for p in plans), plans
    assert any("INDEX sentence_scores_uncertainty" in p for p in plans), plans
    assert not any("TEMP B-TREE" in p for p in plans), plans
