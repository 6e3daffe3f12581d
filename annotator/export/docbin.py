"""`--format spacy`: a DocBin for `spacy train`.

Accepted spans go to `doc.spans["sc"]` (spancat's default key), accepted ENTITY
spans to `doc.ents` with their entity type, rejected proposals to
`doc.spans["rejected"]` as negative examples. `doc.user_data` keeps the sentence
and document ids, so a prediction can be traced back to the database.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.export.tokens import Misaligned, OnMisaligned, decided_spans, english

SPANS_KEY = "sc"
REJECTED_KEY = "rejected"


@dataclass
class DocBinSummary:
    docs: int = 0
    spans: int = 0
    entities: int = 0
    not_reviewed: int = 0


def _entity_label(span: dict) -> str:
    kind = span["attrs"].get("type")
    return kind if kind and kind != "UNKNOWN" else "ENTITY"


def write_docbin(records: Iterable[dict], path: Path, on_misaligned: OnMisaligned) -> DocBinSummary:
    from spacy.tokens import DocBin, Span
    from spacy.util import filter_spans

    nlp = english()
    summary = DocBinSummary()
    docbin = DocBin(store_user_data=True)
    for record in records:
        doc = nlp.make_doc(record["text"])
        accepted, rejected, entities = [], [], []
        for span, found in decided_spans(doc, record, on_misaligned):
            if span["status"] == "rejected":
                rejected.append(found)
                continue
            accepted.append(found)
            if span["label"] == "ENTITY":
                entities.append((Span(doc, found.start, found.end, _entity_label(span)), span))
        doc.spans[SPANS_KEY] = accepted
        doc.spans[REJECTED_KEY] = rejected
        kept = set(filter_spans([entity for entity, _ in entities]))
        for entity, span in entities:
            if entity not in kept:
                # doc.ents cannot hold overlapping entities; the span stays in "sc".
                on_misaligned(
                    Misaligned(
                        record["id"],
                        span["id"],
                        span["start"],
                        span["end"],
                        "ENTITY",
                        f"{span['text']} (overlaps another entity; kept in spans only)",
                    )
                )
        doc.ents = sorted(kept, key=lambda entity: entity.start)
        doc.user_data["sentence_id"] = record["id"]
        doc.user_data["document_id"] = record["document_id"]
        docbin.add(doc)
        summary.docs += 1
        summary.spans += len(accepted)
        summary.entities += len(kept)
        summary.not_reviewed += record["answer"] != "accept"
    docbin.to_disk(path)
    return summary
