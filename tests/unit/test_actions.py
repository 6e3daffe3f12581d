"""Reviewer actions: one transaction and one event each; undo and redo from the log."""

import json

import pytest

from annotator.core import actions, review
from annotator.core.errors import RefusedInput
from annotator.core.store import Store
from tests.conftest import sentence_with


def _spans(store: Store, sentence_id: int) -> list[tuple]:
    return store.db.execute(
        'SELECT id, start, "end", label, status, origin, reviewer FROM spans '
        "WHERE sentence_id = ? ORDER BY id",
        [sentence_id],
    ).fetchall()


def _state(store: Store) -> list:
    tables = ["spans", "attributions", "entity_mentions", "sentence_labels", "source_ratings",
              "claim_ratings"]  # fmt: skip
    return [store.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables]


def test_accept_logs_an_event_with_before_after_and_time(seeded):
    sid, _ = sentence_with(seeded, "more than 1 million")
    span_id = _spans(seeded, sid)[0][0]
    outcome = actions.set_span_status(seeded, "ann", span_id, "accepted", seconds=2.5)
    row = seeded.db.execute(
        "SELECT reviewer, action, sentence_id, payload, at FROM events WHERE id = ?",
        [outcome.event_id],
    ).fetchone()
    payload = json.loads(row[3])
    assert row[:3] == ("ann", "accept", sid)
    assert payload["seconds"] == 2.5
    assert payload["changes"][0]["before"]["status"] == "proposed"
    assert payload["changes"][0]["after"]["status"] == "accepted"
    assert row[4]
    assert _spans(seeded, sid)[0][4:] == ("accepted", _spans(seeded, sid)[0][5], "ann")


def test_undo_and_redo_walk_every_kind_of_action_back_to_the_start(seeded_path):
    with Store(seeded_path) as store:
        initial = _state(store)
        sid, text = sentence_with(store, "The chips Hikvision uses")
        spans = _spans(store, sid)
        assert len(spans) >= 5
        start = text.index("commercial")
        done = [
            actions.set_span_status(store, "ann", spans[0][0], "accepted"),
            actions.set_span_status(store, "ann", spans[1][0], "rejected"),
            actions.add_span(store, "ann", sid, start, start + 10, "HEDGE"),
            actions.edit_span(store, "ann", spans[2][0], start=spans[2][1] + 1),
            actions.edit_span(store, "ann", spans[2][0], label="HEDGE"),
            actions.delete_span(store, "ann", spans[3][0]),
            actions.label_sentence(store, "ann", sid, "CFS"),
            actions.rate_claim(store, "ann", sid, 3),
            actions.rate_source(store, "ann", "person", "Wai Ho Leong", "B", sentence_id=sid),
            actions.accept_remaining(store, "ann", sid),
        ]
        assert all(done)
        final = _state(store)
    assert final != initial
    # A restart between actions and undo: the log alone is enough.
    with Store(seeded_path) as store:
        undone = 0
        while actions.undo(store, "ann"):
            undone += 1
        assert undone == len(done)
        assert _state(store) == initial
        assert actions.undo(store, "ann") is None
    with Store(seeded_path) as store:
        while actions.redo(store, "ann"):
            pass
        assert _state(store) == final


def test_a_new_action_after_undo_drops_the_redo_branch(seeded):
    sid, _ = sentence_with(seeded, "more than 1 million")
    first, second = _spans(seeded, sid)[:2]
    actions.set_span_status(seeded, "ann", first[0], "accepted")
    actions.undo(seeded, "ann")
    actions.set_span_status(seeded, "ann", second[0], "rejected")
    assert actions.redo(seeded, "ann") is None
    assert [s[4] for s in _spans(seeded, sid)[:2]] == ["proposed", "rejected"]


def test_undo_is_per_reviewer(seeded):
    sid, _ = sentence_with(seeded, "more than 1 million")
    first, second = _spans(seeded, sid)[:2]
    actions.set_span_status(seeded, "ann", first[0], "accepted")
    actions.set_span_status(seeded, "bob", second[0], "accepted")
    actions.undo(seeded, "ann")
    assert [s[4] for s in _spans(seeded, sid)[:2]] == ["proposed", "accepted"]
    assert actions.undo(seeded, "ann") is None


def test_delete_then_undo_restores_attribution_links_and_entity_mention(seeded):
    sid, text = sentence_with(seeded, "said an executive from Hikvision")
    source = seeded.db.execute(
        "SELECT a.id, a.source_span_id FROM attributions a JOIN spans s ON s.id = a.source_span_id "
        "WHERE s.sentence_id = ?",
        [sid],
    ).fetchone()
    assert source
    before = _state(seeded)
    actions.delete_span(seeded, "ann", source[1])
    assert seeded.db.execute(
        "SELECT source_span_id FROM attributions WHERE id = ?", [source[0]]
    ).fetchone() == (None,)
    actions.undo(seeded, "ann")
    assert _state(seeded) == before


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 3), (3, 3), (5, 2), (0, 10_000)],
    ids=["negative", "empty", "reversed", "past-end"],
)
def test_offsets_that_do_not_fit_are_refused_and_nothing_is_logged(seeded, start, end):
    sid, _ = sentence_with(seeded, "more than 1 million")
    events = seeded.db.execute("SELECT count(*) FROM events").fetchone()
    with pytest.raises(RefusedInput):
        actions.add_span(seeded, "ann", sid, start, end, "QUANTITY")
    assert seeded.db.execute("SELECT count(*) FROM events").fetchone() == events


def test_unknown_labels_and_grades_are_refused(seeded):
    sid, _ = sentence_with(seeded, "more than 1 million")
    with pytest.raises(RefusedInput):
        actions.add_span(seeded, "ann", sid, 0, 3, "OPINION")
    with pytest.raises(RefusedInput):
        actions.label_sentence(seeded, "ann", sid, "XFS")
    with pytest.raises(RefusedInput):
        actions.rate_claim(seeded, "ann", sid, 7)
    with pytest.raises(RefusedInput):
        actions.rate_source(seeded, "ann", "person", "X", "G")


def test_adding_a_span_that_is_already_proposed_accepts_the_proposal(seeded):
    sid, text = sentence_with(seeded, "more than 40 lawmakers")
    start = text.index("more than 40 lawmakers")
    count = len(_spans(seeded, sid))
    outcome = actions.add_span(seeded, "ann", sid, start, start + 22, "QUANTITY")
    assert outcome.action == "accept"
    assert len(_spans(seeded, sid)) == count


def test_a_source_rating_shows_wherever_the_source_appears(seeded):
    quoted, _ = sentence_with(seeded, "said an executive from Hikvision")
    continued, _ = sentence_with(seeded, "She went on to add")
    actions.rate_source(
        seeded, "ann", "unknown", "an executive from Hikvision who declined to be named", "D"
    )
    for sid in (quoted, continued):
        view = review.load_sentence(seeded, sid, "ann")
        assert [a.reliability for a in view.attributions if a.kind == "anonymous"] == ["D"]
