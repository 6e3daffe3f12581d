"""Reviewer actions on the store, each one transaction and one row in `events`.

An action's event records every row it changed, before and after, so that undo
and redo are the same operation in two directions and work from the database
alone: across restarts, unlimited, per reviewer. Undo and redo are themselves
events (`undo` / `redo` naming the event they walk), so the log stays append-only.
"""

import json
from dataclasses import dataclass

from annotator.core import maintenance
from annotator.core.errors import RefusedInput
from annotator.core.store import Store, now
from annotator.core.vocabulary import CREDIBILITY, RELIABILITY, SENTENCE_LABELS, SPAN_LABELS


@dataclass(frozen=True)
class Change:
    table: str
    key: dict
    before: dict | None
    after: dict | None

    def as_json(self) -> dict:
        return {"table": self.table, "key": self.key, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Outcome:
    """What an action did: its event id and the sentences whose state changed."""

    event_id: int
    action: str
    sentence_ids: tuple[int, ...]
    # for undo and redo: the action walked back or forth, in words
    walked: str | None = None


# Long texts are cut in the words an event keeps of them.
_QUOTED_CHARS = 60


def quoted(text: str) -> str:
    """Text in quotation marks for a message, cut to a readable length."""
    text = " ".join(text.split())
    if len(text) > _QUOTED_CHARS:
        text = text[: _QUOTED_CHARS - 1] + "…"
    return f"“{text}”"


def _span_words(db, span: dict) -> str:
    row = db.execute("SELECT text FROM sentences WHERE id = ?", [span["sentence_id"]]).fetchone()
    text = row[0][span["start"] : span["end"]] if row else ""
    return f"{span['label']} {quoted(text)}"


def _quote(column: str) -> str:
    return f'"{column}"'


def read_row(db, table: str, key: dict) -> dict | None:
    where = " AND ".join(f"{_quote(c)} = ?" for c in key)
    cursor = db.execute(f"SELECT * FROM {table} WHERE {where}", list(key.values()))
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def put_row(db, table: str, key: dict, row: dict | None) -> None:
    """Make the row with this key exactly `row`, or absent when `row` is None."""
    if row is None:
        where = " AND ".join(f"{_quote(c)} = ?" for c in key)
        db.execute(f"DELETE FROM {table} WHERE {where}", list(key.values()))
        return
    columns = list(row)
    updates = [c for c in columns if c not in key] or columns[:1]
    db.execute(
        f"INSERT INTO {table} ({', '.join(map(_quote, columns))}) "
        f"VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({', '.join(map(_quote, key))}) DO UPDATE SET "
        + ", ".join(f"{_quote(c)} = excluded.{_quote(c)}" for c in updates),
        list(row.values()),
    )


def plan_change(db, table: str, key: dict, after: dict | None) -> Change:
    before = read_row(db, table, key)
    if after is not None:
        after = {**(before or {}), **key, **after}
    return Change(table, key, before, after)


def commit(
    store: Store,
    reviewer: str,
    action: str,
    sentence_id: int | None,
    changes: list[Change],
    seconds: float | None,
    extra: dict | None = None,
) -> Outcome:
    """Apply `changes` in order and log them as one event; call inside `store.write()`."""
    for change in changes:
        put_row(store.db, change.table, change.key, change.after)
    payload = {"changes": [c.as_json() for c in changes], **(extra or {})}
    if seconds is not None:
        payload["seconds"] = round(seconds, 3)
    event_id = store.append_event(reviewer, action, payload, sentence_id=sentence_id)
    return Outcome(event_id, action, (sentence_id,) if sentence_id is not None else ())


def _span(db, span_id: int) -> dict:
    row = read_row(db, "spans", {"id": span_id})
    if row is None:
        raise RefusedInput(f"span {span_id} does not exist")
    return row


def _sentence_text(db, sentence_id: int) -> str:
    row = db.execute("SELECT text FROM sentences WHERE id = ?", [sentence_id]).fetchone()
    if row is None:
        raise RefusedInput(f"sentence {sentence_id} does not exist")
    return row[0]


def _check_offsets(text: str, start: int, end: int) -> None:
    if not (0 <= start < end <= len(text)):
        raise RefusedInput(f"span {start}-{end} does not fit a sentence of {len(text)} characters")


def _check_label(label: str) -> None:
    if label not in SPAN_LABELS:
        raise RefusedInput(f"unknown span label {label!r}; one of {', '.join(SPAN_LABELS)}")


def set_span_status(
    store: Store, reviewer: str, span_id: int, status: str, *, seconds: float | None = None
) -> Outcome:
    """Accept or reject one span."""
    if status not in ("accepted", "rejected"):
        raise RefusedInput(f"a reviewer sets a span accepted or rejected, not {status!r}")
    with store.write() as db:
        span = _span(db, span_id)
        change = plan_change(
            db,
            "spans",
            {"id": span_id},
            {"status": status, "reviewer": reviewer, "updated_at": now()},
        )
        action = "accept" if status == "accepted" else "reject"
        what = {"what": f"{status} {_span_words(db, span)}"}
        return commit(store, reviewer, action, span["sentence_id"], [change], seconds, what)


def accept_remaining(
    store: Store, reviewer: str, sentence_id: int, *, seconds: float | None = None
) -> Outcome | None:
    """Accept every proposal still pending in the sentence, as one undoable action."""
    with store.write() as db:
        stamp = now()
        ids = [
            row[0]
            for row in db.execute(
                "SELECT id FROM spans WHERE sentence_id = ? AND status = 'proposed' ORDER BY id",
                [sentence_id],
            )
        ]
        attribution_ids = [
            row[0]
            for row in db.execute(
                """SELECT a.id FROM attributions a LEFT JOIN spans s ON s.id = a.source_span_id
                   WHERE a.status = 'proposed'
                     AND coalesce(s.sentence_id, a.content_sentence_id) = ? ORDER BY a.id""",
                [sentence_id],
            )
        ]
        if not ids and not attribution_ids:
            return None
        decided = {"status": "accepted", "reviewer": reviewer, "updated_at": stamp}
        changes = [plan_change(db, "spans", {"id": i}, decided) for i in ids] + [
            plan_change(db, "attributions", {"id": i}, decided) for i in attribution_ids
        ]
        what = {
            "what": f"accepted {len(ids)} spans and {len(attribution_ids)} attributions",
            "spans": len(ids),
            "attributions": len(attribution_ids),
        }
        return commit(store, reviewer, "accept_all", sentence_id, changes, seconds, what)


def add_span(
    store: Store,
    reviewer: str,
    sentence_id: int,
    start: int,
    end: int,
    label: str,
    *,
    seconds: float | None = None,
) -> Outcome:
    """A reviewer's own span, accepted as made."""
    _check_label(label)
    with store.write() as db:
        text = _sentence_text(db, sentence_id)
        _check_offsets(text, start, end)
        span_id, change, created = span_change(db, reviewer, sentence_id, start, end, label)
        if not created:
            # The same span exists (perhaps as a proposal): accepting it is what was meant.
            what = {"what": f"accepted {label} {quoted(text[start:end])}"}
            return commit(store, reviewer, "accept", sentence_id, [change], seconds, what)
        what = {"what": f"new {label} {quoted(text[start:end])}"}
        return commit(store, reviewer, "add_span", sentence_id, [change], seconds, what)


def span_change(
    db, reviewer: str, sentence_id: int, start: int, end: int, label: str
) -> tuple[int, Change, bool]:
    """The change that makes the span at exactly these offsets with this label an
    accepted one: the existing span accepted, or a new human span. Returns its id, the
    change, and whether the span is new."""
    found = db.execute(
        'SELECT id FROM spans WHERE sentence_id = ? AND start = ? AND "end" = ? AND label = ?',
        [sentence_id, start, end, label],
    ).fetchone()
    decided = {"status": "accepted", "reviewer": reviewer, "updated_at": now()}
    if found:
        return found[0], plan_change(db, "spans", {"id": found[0]}, decided), False
    span_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM spans").fetchone()[0]
    row = {
        "id": span_id,
        "sentence_id": sentence_id,
        "start": start,
        "end": end,
        "label": label,
        "origin": "human",
        "attrs": "{}",
        **decided,
    }
    return span_id, Change("spans", {"id": span_id}, None, row), True


def edit_span(
    store: Store,
    reviewer: str,
    span_id: int,
    *,
    start: int | None = None,
    end: int | None = None,
    label: str | None = None,
    seconds: float | None = None,
) -> Outcome:
    """New boundaries or a new label for a span; the reviewer's fix accepts it."""
    if label is not None:
        _check_label(label)
    with store.write() as db:
        span = _span(db, span_id)
        text = _sentence_text(db, span["sentence_id"])
        new_start = span["start"] if start is None else start
        new_end = span["end"] if end is None else end
        _check_offsets(text, new_start, new_end)
        change = plan_change(
            db,
            "spans",
            {"id": span_id},
            {
                "start": new_start,
                "end": new_end,
                "label": label or span["label"],
                "status": "accepted",
                "reviewer": reviewer,
                "updated_at": now(),
            },
        )
        action = "relabel" if label is not None else "resize"
        if label is not None:
            words = f"{span['label']} → {label} {quoted(text[new_start:new_end])}"
        else:
            words = f"{span['label']} {quoted(text[span['start'] : span['end']])} → "
            words += quoted(text[new_start:new_end])
        what = {"what": words}
        return commit(store, reviewer, action, span["sentence_id"], [change], seconds, what)


def delete_span(
    store: Store, reviewer: str, span_id: int, *, seconds: float | None = None
) -> Outcome:
    """Remove a span; its attribution links and entity mention are logged so undo
    puts them back."""
    with store.write() as db:
        span = _span(db, span_id)
        changes = []
        for column in ("source_span_id", "cue_span_id", "content_span_id"):
            for (attribution_id,) in db.execute(
                f"SELECT id FROM attributions WHERE {column} = ?", [span_id]
            ).fetchall():
                changes.append(
                    plan_change(db, "attributions", {"id": attribution_id}, {column: None})
                )
        if read_row(db, "entity_mentions", {"span_id": span_id}):
            changes.append(plan_change(db, "entity_mentions", {"span_id": span_id}, None))
        changes.append(plan_change(db, "spans", {"id": span_id}, None))
        what = {"what": f"deleted {_span_words(db, span)}"}
        return commit(store, reviewer, "delete_span", span["sentence_id"], changes, seconds, what)


def label_sentence(
    store: Store, reviewer: str, sentence_id: int, label: str, *, seconds: float | None = None
) -> Outcome:
    if label not in SENTENCE_LABELS:
        raise RefusedInput(f"unknown sentence label {label!r}; one of {', '.join(SENTENCE_LABELS)}")
    with store.write() as db:
        _sentence_text(db, sentence_id)
        key = {"sentence_id": sentence_id, "reviewer": reviewer}
        change = plan_change(db, "sentence_labels", key, {"label": label, "updated_at": now()})
        what = {"what": f"sentence label {label}"}
        return commit(store, reviewer, "label_sentence", sentence_id, [change], seconds, what)


def rate_claim(
    store: Store, reviewer: str, sentence_id: int, credibility: int, *, seconds: float | None = None
) -> Outcome:
    """Information credibility, 1 (confirmed) to 6 (cannot be judged)."""
    if credibility not in CREDIBILITY:
        raise RefusedInput(f"credibility is 1 to 6, not {credibility!r}")
    with store.write() as db:
        _sentence_text(db, sentence_id)
        key = {"sentence_id": sentence_id, "reviewer": reviewer}
        change = plan_change(
            db, "claim_ratings", key, {"credibility": credibility, "updated_at": now()}
        )
        what = {"what": f"claim credibility {credibility}"}
        return commit(store, reviewer, "rate_claim", sentence_id, [change], seconds, what)


def rate_source(
    store: Store,
    reviewer: str,
    source_kind: str,
    source_name: str,
    reliability: str,
    *,
    sentence_id: int | None = None,
    seconds: float | None = None,
) -> Outcome:
    """Source reliability, A (completely reliable) to F (cannot be judged), attached to
    the source so that every sentence where it appears shows it."""
    if reliability not in RELIABILITY:
        raise RefusedInput(f"reliability is one of A-F, not {reliability!r}")
    with store.write() as db:
        source_id = store.ensure_source(source_kind, source_name)
        key = {"source_id": source_id, "reviewer": reviewer}
        change = plan_change(
            db, "source_ratings", key, {"reliability": reliability, "updated_at": now()}
        )
        extra = {
            "source": {"kind": source_kind, "name": source_name},
            "what": f"reliability {reliability} for {quoted(source_name)}",
        }
        return commit(store, reviewer, "rate_source", sentence_id, [change], seconds, extra)


def _history(db, reviewer: str) -> tuple[list[int], list[int]]:
    """The reviewer's action event ids still done, and those undone that redo can
    bring back, each with the most recent last."""
    done: list[int] = []
    undone: list[int] = []
    for event_id, action, target in db.execute(
        "SELECT id, action, json_extract(payload, '$.event') FROM events "
        "WHERE reviewer = ? ORDER BY id",
        [reviewer],
    ):
        if action == "undo":
            if done and done[-1] == target:
                undone.append(done.pop())
        elif action == "redo":
            if undone and undone[-1] == target:
                done.append(undone.pop())
        else:
            done.append(event_id)
            undone.clear()
    return done, undone


def last_action(store: Store, reviewer: str) -> str | None:
    """The name of the reviewer's most recent action that undo would walk back."""
    done, _ = _history(store.db, reviewer)
    if not done:
        return None
    return store.db.execute("SELECT action FROM events WHERE id = ?", [done[-1]]).fetchone()[0]


def _walk(store: Store, reviewer: str, direction: str) -> Outcome | None:
    with store.write() as db:
        done, undone = _history(db, reviewer)
        stack = done if direction == "undo" else undone
        if not stack:
            return None
        target = stack[-1]
        walked, sentence_id, payload = db.execute(
            "SELECT action, sentence_id, payload FROM events WHERE id = ?", [target]
        ).fetchone()
        logged = json.loads(payload)
        changes = logged.get("changes", [])
        ordered = reversed(changes) if direction == "undo" else changes
        source, target_side = ("after", "before") if direction == "undo" else ("before", "after")
        for change in ordered:
            wanted = change[target_side]
            if change[source] is None and wanted is not None:
                present = read_row(db, change["table"], change["key"])
                if present is not None and present != wanted:
                    # The row's id was taken by something else meanwhile (a re-run of
                    # the proposals); writing over it would lose that row.
                    raise RefusedInput(
                        f"cannot {direction}: {change['table']} {change['key']} is now another row"
                    )
            put_row(db, change["table"], change["key"], wanted)
        if any(change["table"] == "entity_decisions" for change in changes):
            # A merge or split walked back: the links must follow it.
            maintenance.mark(db, *maintenance.TASKS)
        event_id = store.append_event(
            reviewer, direction, {"event": target}, sentence_id=sentence_id
        )
        sentence_ids = (sentence_id,) if sentence_id is not None else ()
        # Events from before actions described themselves name only the action.
        words = logged.get("what") or walked.replace("_", " ")
        return Outcome(event_id, direction, sentence_ids, words)


def event_words(store: Store, event_id: int) -> str:
    """What an event did, in words."""
    action, payload = store.db.execute(
        "SELECT action, payload FROM events WHERE id = ?", [event_id]
    ).fetchone()
    return json.loads(payload).get("what") or action.replace("_", " ")


def undo(store: Store, reviewer: str) -> Outcome | None:
    """Reverse the reviewer's most recent action not yet undone; None when none is left."""
    return _walk(store, reviewer, "undo")


def redo(store: Store, reviewer: str) -> Outcome | None:
    """Re-apply the most recently undone action, unless a new action came since."""
    return _walk(store, reviewer, "redo")
