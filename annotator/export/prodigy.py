"""`--format prodigy`: Prodigy's task format, read as is by `prodigy db-in` and
`data-to-spacy`.

A reviewed sentence is one `accept` task with its accepted spans. Each rejected
proposal is a `reject` task of its own holding that one span, the way Prodigy's
binary recipes store negative examples. A sentence not yet reviewed is an
`ignore` task with what has been accepted so far, so that nothing is lost and
training leaves it out.
"""

import json
from collections.abc import Iterable, Iterator

from murmurhash import mrmr

from annotator.export.tokens import OnMisaligned, decided_spans, english


def _hash(value) -> int:
    return mrmr.hash(json.dumps(value, sort_keys=True, ensure_ascii=False))


def _tokens(doc) -> list[dict]:
    return [
        {
            "text": token.text,
            "start": token.idx,
            "end": token.idx + len(token.text),
            "id": token.i,
            "ws": bool(token.whitespace_),
        }
        for token in doc
    ]


def _span(found) -> dict:
    return {
        "start": found.start_char,
        "end": found.end_char,
        # Prodigy's token_end is the last token of the span, inclusive.
        "token_start": found.start,
        "token_end": found.end - 1,
        "label": found.label_,
    }


def _relations(record, accepted: dict[int, dict]) -> list[dict]:
    """Accepted attributions as Prodigy relations (what `rel.manual` reads): the source
    span is the head, the content span the child, the kind the label. Prodigy's `head`
    and `child` are the last token of each span. An attribution whose source or content
    is not an accepted span of this sentence has no relation to show here."""
    relations = []
    for attribution in record["attributions"]:
        if attribution["status"] != "accepted" or not attribution["source"]:
            continue
        head = accepted.get(attribution["source"]["span_id"])
        child = accepted.get(attribution["content"]["span_id"])
        if head is None or child is None:
            continue
        relations.append(
            {
                "head": head["token_end"],
                "child": child["token_end"],
                "head_span": head,
                "child_span": child,
                "label": attribution["kind"],
            }
        )
    return relations


def _task(record, tokens, spans, answer, span_id, input_hash, relations=None) -> dict:
    task = {
        "text": record["text"],
        "tokens": tokens,
        "spans": spans,
        "answer": answer,
        "meta": {
            "sentence_id": record["id"],
            "document_id": record["document_id"],
            "span_id": span_id,
        },
        "_input_hash": input_hash,
        "_task_hash": _hash(
            {"input": input_hash, "spans": spans, "answer": answer}
            | ({"relations": relations} if relations else {})
        ),
        "_timestamp": record["_timestamp"],
        "_annotator_id": record["reviewer"],
    }
    if relations:
        task["relations"] = relations
    return task


def prodigy_tasks(records: Iterable[dict], on_misaligned: OnMisaligned) -> Iterator[dict]:
    nlp = english()
    for record in records:
        doc = nlp.make_doc(record["text"])
        tokens = _tokens(doc)
        input_hash = _hash({"text": record["text"]})
        accepted: dict[int, dict] = {}
        rejected = []
        for span, found in decided_spans(doc, record, on_misaligned):
            if span["status"] == "accepted":
                accepted[span["id"]] = _span(found)
            else:
                rejected.append((span["id"], _span(found)))
        answer = "accept" if record["answer"] == "accept" else "ignore"
        relations = _relations(record, accepted)
        yield _task(record, tokens, list(accepted.values()), answer, None, input_hash, relations)
        for span_id, span in rejected:
            yield _task(record, tokens, [span], "reject", span_id, input_hash)
