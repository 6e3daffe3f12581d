"""What the reviewers taught, read from the database as training sentences.

Spans: a *reviewed* sentence (no proposal pending, a decision made; the same
rule as the review screen and `export --reviewed-only`) contributes its accepted
spans, and every other stretch of it is a negative, rejected proposals included.
A sentence with proposals still pending contributes no spans at all: its
undecided proposals are neither right nor wrong yet.

Check-worthiness: ClaimBuster's classes as the reviewers gave them. CFS (check-
worthy factual) is positive; UFS (unimportant factual) and NFS (non-factual) are
negative, since neither is worth a fact-checker's time; a sentence labelled
boilerplate is left out, and an unlabelled one is missing, not negative.
"""

import json
import zlib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass

from annotator.core.store import Store

CHECKWORTHY = "CHECKWORTHY"
POSITIVE = ("CFS",)
NEGATIVE = ("UFS", "NFS")


@dataclass(frozen=True)
class Sentence:
    id: int
    document_id: int
    text: str
    # accepted (start, end, label) when the sentence is reviewed, else None
    spans: tuple[tuple[int, int, str], ...] | None
    rejected: tuple[tuple[int, int, str], ...]
    # 1.0 for CFS, 0.0 for UFS / NFS, None when unlabelled
    checkworthy: float | None
    # what the pipeline proposed (whatever the reviewer decided), not a person or a
    # trained model (a span a model's edge edit moved counts at the pipeline's
    # offsets): what a trained model's spans go beside and its edits are learnt from
    proposed: tuple[tuple[int, int, str], ...] = ()


def latest_label(labels: list[dict]) -> str | None:
    """The label the last reviewer to label the sentence gave."""
    if not labels:
        return None
    return max(labels, key=lambda label: label["updated_at"])["label"]


def read_sentences(store: Store, labels: tuple[str, ...]) -> Iterator[Sentence]:
    """Every English sentence outside boilerplate that teaches something."""
    from annotator.export.native import native_lines
    from annotator.export.selection import Selection
    from annotator.nlp.trained import is_model_origin

    with closing(native_lines(store, Selection())) as lines:
        for line in lines:
            record = json.loads(line)
            if record["paragraph"]["boilerplate"] or record["lang"] not in ("en", "und"):
                continue
            label = latest_label(record["labels"])
            if label == "boilerplate":
                continue
            spans = None
            if record["answer"] == "accept":
                spans = tuple(
                    (s["start"], s["end"], s["label"])
                    for s in record["spans"]
                    if s["status"] == "accepted" and s["label"] in labels
                )
            rejected = tuple(
                (s["start"], s["end"], s["label"])
                for s in record["spans"]
                if s["status"] == "rejected" and s["label"] in labels
            )
            proposed = tuple(
                pipeline_span(s)
                for s in record["spans"]
                if s["label"] in labels and s["origin"] != "human"
                if not is_model_origin(s["origin"]) or pipeline_span(s) != _span(s)
            )
            checkworthy = 1.0 if label in POSITIVE else 0.0 if label in NEGATIVE else None
            if spans is None and checkworthy is None:
                continue
            yield Sentence(
                record["id"],
                record["document_id"],
                record["text"],
                spans,
                rejected,
                checkworthy,
                proposed,
            )


def _span(span: dict) -> tuple[int, int, str]:
    return (span["start"], span["end"], span["label"])


def pipeline_span(span: dict) -> tuple[int, int, str]:
    """What the pipeline proposed for a stored span: a span a trained model's edge
    edit moved keeps the pipeline's offsets in attrs.pipeline_span."""
    attrs = span.get("attrs")
    if isinstance(attrs, str):
        try:
            attrs = json.loads(attrs)
        except ValueError:
            attrs = None
    original = attrs.get("pipeline_span") if isinstance(attrs, dict) else None
    if (
        isinstance(original, list)
        and len(original) == 2
        and all(isinstance(n, int) for n in original)
    ):
        return (original[0], original[1], span["label"])
    return _span(span)


def held_out(sentence_id: int, share: float) -> bool:
    """A fixed share of sentences, the same ones on every run, for scoring only."""
    return zlib.crc32(str(sentence_id).encode()) % 1000 < share * 1000


# From this many labelled documents on, whole documents are held out: sentences of
# one article share its speakers and wording, so a model scored on sentences of the
# articles it learnt from looks better than it does on a new article (on PolNeAR,
# its pronoun SOURCEs were right on held-out sentences and wrong on new articles).
WHOLE_DOCUMENTS_FROM = 4


def held_out_documents(document_ids, share: float) -> set[int] | None:
    """The documents held out whole, the same ones on every run (at least one, never
    all); None when there are too few documents, and sentences are held out instead."""
    ids = sorted(set(document_ids))
    if len(ids) < WHOLE_DOCUMENTS_FROM:
        return None
    chosen = {d for d in ids if zlib.crc32(f"document {d}".encode()) % 1000 < share * 1000}
    if not chosen or len(chosen) == len(ids):
        ordered = sorted(ids, key=lambda d: (zlib.crc32(f"document {d}".encode()), d))
        chosen = set(ordered[: max(1, min(len(ids) - 1, round(share * len(ids))))])
    return chosen
