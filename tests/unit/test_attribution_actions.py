"""Reviewing attributions: each change one transaction and one event that undo and
redo walk, across a reopened file; a change accepts the attribution."""

import pytest

from annotator.core import actions, review
from annotator.core import attribution_actions as attributions
from annotator.core.errors import RefusedInput
from annotator.core.store import Store
from tests.conftest import sentence_with


def _attribution(store: Store, attribution_id: int) -> dict:
    return actions.read_row(store.db, "attributions", {"id": attribution_id})


def _state(store: Store) -> list:
    return [
        store.db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
        for table in ("spans", "attributions")
    ]


def _anonymous_executive(store: Store):
    sid, text = sentence_with(store, "declined to be named")
    view = review.load_sentence(store, sid, "ann")
    found = next(a for a in view.attributions if a.kind == "anonymous")
    return sid, text, found


def test_every_attribution_change_is_one_event_walked_back_and_forth(seeded_path):
    with Store(seeded_path) as store:
        initial = _state(store)
        sid, text, found = _anonymous_executive(store)
        start = text.index("an executive")
        events_before = store.db.execute("SELECT count(*) FROM events").fetchone()[0]
        done = [
            attributions.set_attribution_kind(store, "ann", found.id, "named_org"),
            attributions.set_attribution_reason(store, "ann", found.id, "  sensitive   matter "),
            attributions.resolve_attribution(store, "ann", found.id, "Hikvision"),
            attributions.repoint_attribution(
                store, "ann", found.id, "source", selection=(sid, start, start + 12)
            ),
            attributions.repoint_attribution(
                store, "ann", found.id, "cue", span_id=found.cue_span_id
            ),
            attributions.add_attribution(store, "ann", content=(sid, 0, 10)),
            attributions.set_attribution_status(store, "ann", found.id, "rejected"),
        ]
        events = store.db.execute("SELECT count(*) FROM events").fetchone()[0]
        assert events - events_before == len(done)
        row = _attribution(store, found.id)
        assert (row["kind"], row["reason"], row["resolved_to"]) == (
            "named_org",
            "sensitive matter",
            "Hikvision",
        )
        assert (row["status"], row["reviewer"]) == ("rejected", "ann")
        source = actions.read_row(store.db, "spans", {"id": row["source_span_id"]})
        assert text[source["start"] : source["end"]] == "an executive"
        assert (source["label"], source["origin"]) == ("SOURCE", "human")
        after = _state(store)
    # Undo across a reopened file, then redo everything back.
    with Store(seeded_path) as store:
        walked = [actions.undo(store, "ann").walked for _ in done]
        assert walked == [
            "rejected attribution named_org",
            "new attribution of ““The chips”",
            "attribution cue → “said”",
            "attribution source → “an executive”",
            "source resolved to “Hikvision”",
            "anonymity reason “sensitive matter”",
            "attribution kind anonymous → named_org",
        ]
        assert _state(store) == initial
        for _ in done:
            actions.redo(store, "ann")
        assert _state(store) == after


def test_content_points_at_a_span_or_a_selection_and_stays_in_its_document(seeded):
    sid, text, found = _anonymous_executive(seeded)
    attributions.repoint_attribution(seeded, "ann", found.id, "content", selection=(sid, 0, 9))
    row = _attribution(seeded, found.id)
    assert (row["content_span_id"], row["content_sentence_id"]) == (None, sid)
    assert (row["content_start"], row["content_end"]) == (0, 9)
    other, _ = sentence_with(seeded, "Financial Times")
    assert review.load_sentence(seeded, other, "ann").document_id != found.content_sentence_id
    with pytest.raises(RefusedInput, match="one document"):
        attributions.repoint_attribution(
            seeded, "ann", found.id, "content", selection=(other, 0, 5)
        )
    with pytest.raises(RefusedInput, match="does not fit"):
        attributions.repoint_attribution(
            seeded, "ann", found.id, "content", selection=(sid, 0, len(text) + 1)
        )


def test_typed_phrases_are_refused_when_they_hold_controls_or_run_long(seeded):
    _, _, found = _anonymous_executive(seeded)
    with pytest.raises(RefusedInput, match="control"):
        attributions.set_attribution_reason(seeded, "ann", found.id, "a\x1b]0;x\x07b")
    with pytest.raises(RefusedInput, match="at most"):
        attributions.resolve_attribution(seeded, "ann", found.id, "x" * 400)
    with pytest.raises(RefusedInput, match="kind"):
        attributions.set_attribution_kind(seeded, "ann", found.id, "rumour")
    assert _attribution(seeded, found.id)["status"] == "proposed"


def test_accept_all_covers_the_sentences_attributions(seeded):
    sid, _, found = _anonymous_executive(seeded)
    outcome = actions.accept_remaining(seeded, "ann", sid)
    assert _attribution(seeded, found.id)["status"] == "accepted"
    spans = sum(1 for s in review.load_sentence(seeded, sid, "ann").spans)
    assert actions.undo(seeded, "ann").walked == f"accepted {spans} spans and 1 attributions"
    assert outcome.action == "accept_all"
    assert _attribution(seeded, found.id)["status"] == "proposed"
