"""`--format spacy`: a DocBin for `spacy train`, and the config to train it with.

Accepted spans go to `doc.spans["sc"]` (spancat's default key); with
`include_proposals`, proposals not yet decided go there too, as silver data.
Accepted ENTITY spans go to `doc.ents`, every one labelled `ENTITY` (the label the
spancat learns too: the rules cannot always tell a person from an organisation, so
a type where known and `ENTITY` elsewhere would teach a NER model two labels for one
thing); the types that are known are in `doc.spans["entity_types"]`. Rejected
proposals go to `doc.spans["rejected"]` as negative examples. A sentence's
check-worthiness label is `doc.cats["CHECKWORTHY"]` (CFS 1, UFS / NFS 0, absent when
unlabelled); `doc.user_data` keeps the sentence and document ids, and a trained
model's check-worthiness score when there is one.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.export.tokens import Misaligned, OnMisaligned, english, token_span

SPANS_KEY = "sc"
REJECTED_KEY = "rejected"
ENTITY_TYPES_KEY = "entity_types"
ENTITY = "ENTITY"
CHECKWORTHY = "CHECKWORTHY"
POSITIVE, NEGATIVE = ("CFS",), ("UFS", "NFS")


@dataclass
class DocBinSummary:
    docs: int = 0
    spans: int = 0
    entities: int = 0
    not_reviewed: int = 0
    silver: int = 0
    # span labels written, and the shortest and longest span in tokens
    labels: set[str] = field(default_factory=set)
    min_tokens: int | None = None
    max_tokens: int | None = None
    # sentences labelled CFS, and UFS / NFS
    positive: int = 0
    negative: int = 0

    def saw(self, span) -> None:
        self.labels.add(span.label_)
        n = len(span)
        self.min_tokens = n if self.min_tokens is None else min(self.min_tokens, n)
        self.max_tokens = n if self.max_tokens is None else max(self.max_tokens, n)


def _entity_type(span: dict) -> str | None:
    kind = span["attrs"].get("type")
    return kind if kind and kind != "UNKNOWN" else None


def _latest_label(labels: list[dict]) -> str | None:
    return max(labels, key=lambda label: label["updated_at"])["label"] if labels else None


def write_docbin(
    records: Iterable[dict],
    path: Path,
    on_misaligned: OnMisaligned,
    *,
    include_proposals: bool = False,
) -> DocBinSummary:
    from spacy.tokens import DocBin, Span
    from spacy.util import filter_spans

    nlp = english()
    summary = DocBinSummary()
    docbin = DocBin(store_user_data=True)
    for record in records:
        doc = nlp.make_doc(record["text"])
        accepted, rejected, entities, typed = [], [], [], []
        for span in record["spans"]:
            if span["status"] == "proposed" and not include_proposals:
                continue
            found = token_span(doc, record, span, on_misaligned)
            if found is None:
                continue
            if span["status"] == "rejected":
                rejected.append(found)
                continue
            accepted.append(found)
            summary.saw(found)
            summary.silver += span["status"] == "proposed"
            if span["label"] == ENTITY and span["status"] == "accepted":
                entities.append((Span(doc, found.start, found.end, ENTITY), span))
                kind = _entity_type(span)
                if kind:
                    typed.append(Span(doc, found.start, found.end, kind))
        doc.spans[SPANS_KEY] = accepted
        doc.spans[REJECTED_KEY] = rejected
        doc.spans[ENTITY_TYPES_KEY] = typed
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
                        ENTITY,
                        f"{span['text']} (overlaps another entity; kept in spans only)",
                    )
                )
        doc.ents = sorted(kept, key=lambda entity: entity.start)
        label = _latest_label(record["labels"])
        if label in POSITIVE or label in NEGATIVE:
            doc.cats = {CHECKWORTHY: 1.0 if label in POSITIVE else 0.0}
            summary.positive += label in POSITIVE
            summary.negative += label in NEGATIVE
        doc.user_data["sentence_id"] = record["id"]
        doc.user_data["document_id"] = record["document_id"]
        if record.get("scores"):
            doc.user_data["checkworthy"] = record["scores"]["checkworthy"]
        docbin.add(doc)
        summary.docs += 1
        summary.spans += len(accepted)
        summary.entities += len(kept)
        summary.not_reviewed += record["answer"] != "accept"
    docbin.to_disk(path)
    return summary


def training_config(summary: DocBinSummary, docbin_path: Path) -> str:
    """A config.cfg that `python -m spacy train` runs as is on the DocBin: spaCy's
    spancat with a suggester from the shortest to the longest exported span, and the
    check-worthiness textcat when both classes were exported. It scores on the same
    file; give `--paths.dev` another DocBin (an export of other sentences) to score
    on held-out data."""
    from annotator.learn.config import STOCK_SPANCAT, STOCK_TEXTCAT, build_config

    config = build_config(
        span_labels=tuple(sorted(summary.labels)),
        sizes=(summary.min_tokens or 1, summary.max_tokens or 1),
        checkworthiness=summary.positive > 0 and summary.negative > 0,
        spancat_factory=STOCK_SPANCAT,
        textcat_factory=STOCK_TEXTCAT,
    )
    location = str(Path(docbin_path).resolve())
    config["paths"]["train"] = location
    config["paths"]["dev"] = location
    return config.to_str()
