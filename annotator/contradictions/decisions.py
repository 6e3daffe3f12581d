"""A reviewer's decisions on contradiction links: confirm, reject (saying what holds
instead), change the kind, write a note, link two claims by hand.

Each is one transaction and one `events` row, like every reviewer action, so undo
and redo walk them too (`annotator.core.actions`).
"""

from annotator.core.actions import Change, Outcome, commit, plan_change, read_row
from annotator.core.errors import RefusedInput
from annotator.core.store import Store, now
from annotator.core.vocabulary import CONTRADICTION_KINDS, REJECTED_AS


def _link(db, link_id: int) -> dict:
    row = read_row(db, "contradictions", {"id": link_id})
    if row is None:
        raise RefusedInput(f"contradiction {link_id} does not exist")
    return row


def _decide(
    store: Store,
    reviewer: str,
    action: str,
    link_id: int,
    values: dict,
    seconds: float | None,
    sentence_id: int | None,
) -> Outcome:
    with store.write() as db:
        link = _link(db, link_id)
        change = plan_change(
            db,
            "contradictions",
            {"id": link_id},
            {**values, "reviewer": reviewer, "updated_at": now()},
        )
        focus = sentence_id if sentence_id is not None else link["sentence1_id"]
        return commit(store, reviewer, action, focus, [change], seconds, {"link": link_id})


def confirm(
    store: Store,
    reviewer: str,
    link_id: int,
    *,
    seconds: float | None = None,
    sentence_id: int | None = None,
) -> Outcome:
    """The two claims do contradict each other."""
    values = {"status": "confirmed", "gold_label": "contradiction"}
    return _decide(store, reviewer, "confirm_link", link_id, values, seconds, sentence_id)


def reject(
    store: Store,
    reviewer: str,
    link_id: int,
    gold_label: str = "neutral",
    *,
    seconds: float | None = None,
    sentence_id: int | None = None,
) -> Outcome:
    """They do not: `neutral` (unrelated, compatible) or `entailment` (one says the other)."""
    if gold_label not in REJECTED_AS:
        raise RefusedInput(f"a rejected link is {' or '.join(REJECTED_AS)}, not {gold_label!r}")
    values = {"status": "rejected", "gold_label": gold_label}
    return _decide(store, reviewer, "reject_link", link_id, values, seconds, sentence_id)


def set_kind(
    store: Store,
    reviewer: str,
    link_id: int,
    kind: str,
    *,
    seconds: float | None = None,
    sentence_id: int | None = None,
) -> Outcome:
    if kind not in CONTRADICTION_KINDS:
        raise RefusedInput(f"unknown kind {kind!r}; one of {', '.join(CONTRADICTION_KINDS)}")
    return _decide(store, reviewer, "link_kind", link_id, {"kind": kind}, seconds, sentence_id)


def set_note(
    store: Store,
    reviewer: str,
    link_id: int,
    note: str,
    *,
    seconds: float | None = None,
    sentence_id: int | None = None,
) -> Outcome:
    values = {"note": note.strip() or None}
    return _decide(store, reviewer, "link_note", link_id, values, seconds, sentence_id)


def _shared_entity(db, first: int, second: int) -> str:
    """The entity a hand-made link is filed under: one both sentences name (the most
    mentioned), else one either names, else what a proposal between them used."""
    keys = {}
    for sentence_id in (first, second):
        keys[sentence_id] = [
            key
            for (key,) in db.execute(
                """SELECT e.key FROM spans sp JOIN entity_mentions m ON m.span_id = sp.id
                   JOIN entities e ON e.id = m.entity_id
                   WHERE sp.sentence_id = ? AND sp.status != 'rejected'
                   GROUP BY e.key
                   ORDER BY (SELECT count(*) FROM entity_mentions m2
                             WHERE m2.entity_id = e.id) DESC, e.key""",
                [sentence_id],
            )
        ]
    shared = [key for key in keys[first] if key in keys[second]]
    existing = db.execute(
        "SELECT entity_key FROM contradictions WHERE sentence1_id = ? AND sentence2_id = ? "
        "ORDER BY id LIMIT 1",
        [first, second],
    ).fetchone()
    for choice in (existing[0] if existing else None, *shared, *keys[first], *keys[second]):
        if choice:
            return choice
    raise RefusedInput("neither sentence names an entity to file the link under")


def link_claims(
    store: Store,
    reviewer: str,
    sentence_a: int,
    sentence_b: int,
    kind: str,
    *,
    seconds: float | None = None,
) -> Outcome:
    """Link two claims by hand as contradicting each other, with a kind. When a
    proposal already links them, it is confirmed with that kind instead."""
    if kind not in CONTRADICTION_KINDS:
        raise RefusedInput(f"unknown kind {kind!r}; one of {', '.join(CONTRADICTION_KINDS)}")
    if sentence_a == sentence_b:
        raise RefusedInput("a claim cannot contradict itself")
    first, second = sorted((sentence_a, sentence_b))
    with store.write() as db:
        for sentence_id in (first, second):
            if not db.execute("SELECT 1 FROM sentences WHERE id = ?", [sentence_id]).fetchone():
                raise RefusedInput(f"sentence {sentence_id} does not exist")
        entity = _shared_entity(db, first, second)
        stamp = now()
        values = {
            "kind": kind,
            "status": "confirmed",
            "gold_label": "contradiction",
            "reviewer": reviewer,
            "updated_at": stamp,
        }
        existing = db.execute(
            "SELECT id FROM contradictions WHERE entity_key = ? AND sentence1_id = ? "
            "AND sentence2_id = ?",
            [entity, first, second],
        ).fetchone()
        if existing:
            change = plan_change(db, "contradictions", {"id": existing[0]}, values)
        else:
            link_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM contradictions").fetchone()[
                0
            ]
            row = {
                "id": link_id,
                "entity_key": entity,
                "sentence1_id": first,
                "sentence2_id": second,
                "score": 1.0,
                "evidence": "{}",
                "note": None,
                "origin": "human",
                **values,
            }
            change = Change("contradictions", {"id": link_id}, None, row)
        extra = {"link": change.key["id"]}
        return commit(store, reviewer, "link_claims", sentence_a, [change], seconds, extra)
