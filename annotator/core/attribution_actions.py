"""Reviewer actions on attributions: accept, reject, change the kind, the anonymity
reason or who a pronoun refers to, re-point the source, cue or content, and make
one by hand.

Each is one transaction and one event built with `actions.commit`, so undo and
redo walk them like span actions, across restarts. Any change a reviewer makes to
an attribution accepts it: a fixed proposal is a decision.
"""

import json

from annotator.core.actions import (
    Change,
    Outcome,
    commit,
    plan_change,
    quoted,
    read_row,
    span_change,
)
from annotator.core.errors import RefusedInput
from annotator.core.store import Store, now
from annotator.core.text import UNPRINTABLE
from annotator.core.vocabulary import ATTRIBUTION_KINDS

ROLES = ("source", "cue", "content")
# The label a span gets when a selection becomes an attribution's source or cue.
ROLE_LABELS = {"source": "SOURCE", "cue": "CUE"}
# A reason or a name is a phrase of the text, not a paragraph.
MAX_TYPED_CHARS = 300


def _attribution(db, attribution_id: int) -> dict:
    row = read_row(db, "attributions", {"id": attribution_id})
    if row is None:
        raise RefusedInput(f"attribution {attribution_id} does not exist (proposals changed?)")
    return row


def home_sentence(db, row: dict) -> int:
    """The sentence an attribution is listed with: its source's, else its content's."""
    if row["source_span_id"] is not None:
        found = db.execute(
            "SELECT sentence_id FROM spans WHERE id = ?", [row["source_span_id"]]
        ).fetchone()
        if found:
            return found[0]
    return row["content_sentence_id"]


def _typed(value: str | None, what: str) -> str | None:
    """A reviewer's typed phrase, stripped; None when empty."""
    if value is None:
        return None
    value = " ".join(value.split())
    if not value:
        return None
    if len(value) > MAX_TYPED_CHARS:
        raise RefusedInput(f"{what} is {len(value)} characters; at most {MAX_TYPED_CHARS}")
    if UNPRINTABLE.search(value):
        raise RefusedInput(f"{what} holds control characters")
    return value


def _describe(row: dict) -> str:
    return f"attribution {row['kind']}"


def _update(
    store: Store,
    reviewer: str,
    attribution_id: int,
    action: str,
    values: dict,
    seconds: float | None,
    what: str,
    extra_changes: tuple[Change, ...] = (),
) -> Outcome:
    """Call inside `store.write()`: change one attribution, accepting it."""
    db = store.db
    row = _attribution(db, attribution_id)
    change = plan_change(
        db,
        "attributions",
        {"id": attribution_id},
        {"status": "accepted", **values, "reviewer": reviewer, "updated_at": now()},
    )
    sentence_id = home_sentence(db, {**row, **change.after})
    return commit(
        store,
        reviewer,
        action,
        sentence_id,
        [*extra_changes, change],
        seconds,
        {"what": what},
    )


def set_attribution_status(
    store: Store, reviewer: str, attribution_id: int, status: str, *, seconds: float | None = None
) -> Outcome:
    if status not in ("accepted", "rejected"):
        raise RefusedInput(f"an attribution is accepted or rejected, not {status!r}")
    with store.write() as db:
        row = _attribution(db, attribution_id)
        action = "accept_attribution" if status == "accepted" else "reject_attribution"
        return _update(
            store,
            reviewer,
            attribution_id,
            action,
            {"status": status},
            seconds,
            f"{status} {_describe(row)}",
        )


def set_attribution_kind(
    store: Store, reviewer: str, attribution_id: int, kind: str, *, seconds: float | None = None
) -> Outcome:
    if kind not in ATTRIBUTION_KINDS:
        raise RefusedInput(
            f"unknown attribution kind {kind!r}; one of {', '.join(ATTRIBUTION_KINDS)}"
        )
    with store.write() as db:
        row = _attribution(db, attribution_id)
        return _update(
            store,
            reviewer,
            attribution_id,
            "attribution_kind",
            {"kind": kind},
            seconds,
            f"attribution kind {row['kind']} → {kind}",
        )


def set_attribution_reason(
    store: Store,
    reviewer: str,
    attribution_id: int,
    reason: str | None,
    *,
    seconds: float | None = None,
) -> Outcome:
    """The reason the text gives for a source's anonymity; empty clears it."""
    reason = _typed(reason, "the reason")
    with store.write():
        what = f"anonymity reason {quoted(reason)}" if reason else "anonymity reason cleared"
        return _update(
            store, reviewer, attribution_id, "attribution_reason", {"reason": reason}, seconds, what
        )


def resolve_attribution(
    store: Store,
    reviewer: str,
    attribution_id: int,
    name: str | None,
    *,
    seconds: float | None = None,
) -> Outcome:
    """The named speaker a pronoun or relative source ("she", "who") refers to."""
    name = _typed(name, "the name")
    with store.write():
        what = f"source resolved to {quoted(name)}" if name else "source resolution cleared"
        return _update(
            store,
            reviewer,
            attribution_id,
            "attribution_resolve",
            {"resolved_to": name},
            seconds,
            what,
        )


def _span_in_document(db, span_id: int, document_id: int) -> dict:
    span = read_row(db, "spans", {"id": span_id})
    if span is None:
        raise RefusedInput(f"span {span_id} does not exist (proposals changed?)")
    owner = db.execute(
        "SELECT document_id, text FROM sentences WHERE id = ?", [span["sentence_id"]]
    ).fetchone()
    if owner[0] != document_id:
        raise RefusedInput("an attribution links spans of one document only")
    return {**span, "text": owner[1][span["start"] : span["end"]]}


def _selection_in_document(db, sentence_id: int, start: int, end: int, document_id: int) -> str:
    row = db.execute(
        "SELECT document_id, text FROM sentences WHERE id = ?", [sentence_id]
    ).fetchone()
    if row is None:
        raise RefusedInput(f"sentence {sentence_id} does not exist")
    if row[0] != document_id:
        raise RefusedInput("an attribution links spans of one document only")
    if not (0 <= start < end <= len(row[1])):
        raise RefusedInput(f"{start}-{end} does not fit a sentence of {len(row[1])} characters")
    return row[1][start:end]


def repoint_attribution(
    store: Store,
    reviewer: str,
    attribution_id: int,
    role: str,
    *,
    span_id: int | None = None,
    selection: tuple[int, int, int] | None = None,
    seconds: float | None = None,
) -> Outcome:
    """Point the attribution's source, cue or content at a span, or at a selection
    (sentence id, start, end). A selected source or cue becomes a SOURCE or CUE span;
    selected content is kept as offsets, the way reported clauses are stored."""
    if role not in ROLES:
        raise RefusedInput(f"an attribution has a source, cue or content, not {role!r}")
    if (span_id is None) == (selection is None):
        raise RefusedInput("re-point to a span or to a selection")
    with store.write() as db:
        row = _attribution(db, attribution_id)
        document_id = row["document_id"]
        made: list[Change] = []
        if selection is not None:
            sentence_id, start, end = selection
            text = _selection_in_document(db, sentence_id, start, end, document_id)
            if role == "content":
                values = {
                    "content_span_id": None,
                    "content_sentence_id": sentence_id,
                    "content_start": start,
                    "content_end": end,
                }
            else:
                new_id, change, _ = span_change(
                    db, reviewer, sentence_id, start, end, ROLE_LABELS[role]
                )
                made = [change]
                values = {f"{role}_span_id": new_id}
        else:
            span = _span_in_document(db, span_id, document_id)
            text = span["text"]
            if role == "content":
                values = {
                    "content_span_id": span_id,
                    "content_sentence_id": span["sentence_id"],
                    "content_start": span["start"],
                    "content_end": span["end"],
                }
            else:
                values = {f"{role}_span_id": span_id}
        return _update(
            store,
            reviewer,
            attribution_id,
            f"attribution_{role}",
            values,
            seconds,
            f"attribution {role} → {quoted(text)}",
            tuple(made),
        )


def add_attribution(
    store: Store,
    reviewer: str,
    *,
    content_span_id: int | None = None,
    content: tuple[int, int, int] | None = None,
    kind: str = "unattributed",
    seconds: float | None = None,
) -> Outcome:
    """A reviewer's own attribution of some content (a span, or a selection given as
    sentence id, start, end); its source and cue are pointed at afterwards."""
    if kind not in ATTRIBUTION_KINDS:
        raise RefusedInput(
            f"unknown attribution kind {kind!r}; one of {', '.join(ATTRIBUTION_KINDS)}"
        )
    if (content_span_id is None) == (content is None):
        raise RefusedInput("an attribution's content is a span or a selection")
    with store.write() as db:
        if content_span_id is not None:
            span = read_row(db, "spans", {"id": content_span_id})
            if span is None:
                raise RefusedInput(f"span {content_span_id} does not exist (proposals changed?)")
            sentence_id, start, end = span["sentence_id"], span["start"], span["end"]
        else:
            sentence_id, start, end = content
        document = db.execute(
            "SELECT document_id FROM sentences WHERE id = ?", [sentence_id]
        ).fetchone()
        if document is None:
            raise RefusedInput(f"sentence {sentence_id} does not exist")
        text = _selection_in_document(db, sentence_id, start, end, document[0])
        attribution_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM attributions").fetchone()[
            0
        ]
        row = {
            "id": attribution_id,
            "document_id": document[0],
            "kind": kind,
            "reason": None,
            "source_span_id": None,
            "cue_span_id": None,
            "content_span_id": content_span_id,
            "content_sentence_id": sentence_id,
            "content_start": start,
            "content_end": end,
            "resolved_to": None,
            "status": "accepted",
            "origin": "human",
            "reviewer": reviewer,
            "updated_at": now(),
        }
        change = Change("attributions", {"id": attribution_id}, None, row)
        return commit(
            store,
            reviewer,
            "add_attribution",
            sentence_id,
            [change],
            seconds,
            {"what": f"new attribution of {quoted(text)}"},
        )


def made_attribution(store: Store, outcome: Outcome) -> int:
    """The id of the attribution `add_attribution` made."""
    payload = store.db.execute(
        "SELECT payload FROM events WHERE id = ?", [outcome.event_id]
    ).fetchone()[0]
    return json.loads(payload)["changes"][0]["key"]["id"]
