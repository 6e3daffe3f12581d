"""Scoring the proposal pipeline against gold spans in native JSONL.

Gold records are sentences (`id`, `document_id`, `text`, `spans`, optionally
`paragraph`, `lang` and `attributions`), in document order: the pipeline sees
each document's sentences together, as it does at ingest. Spans are compared
per label, exactly (same offsets) and by overlap. For quotations, the speaker is
right when the predicted source (or the named speaker a pronoun resolves to)
and the gold one name the same words, one inside the other; the source kind is
compared on every gold attribution, found by the overlap of its content.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import RefusedInput

LABELS = ("QUANTITY", "QUOTE", "SOURCE", "CUE", "HEDGE", "ENTITY")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def as_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}  # fmt: skip


@dataclass
class Accuracy:
    correct: int = 0
    total: int = 0
    misses: list = field(default_factory=list)

    def add(self, ok: bool, miss: str) -> None:
        self.total += 1
        self.correct += ok
        if not ok:
            self.misses.append(miss)

    def as_dict(self) -> dict:
        value = self.correct / self.total if self.total else 0.0
        return {"accuracy": round(value, 4), "correct": self.correct, "total": self.total,
                "misses": self.misses}  # fmt: skip


def share(figure: dict) -> str:
    """An accuracy as printed: "0.875 (7/8)", or "n/a (0/0)" when nothing was counted."""
    value = f"{figure['accuracy']:.3f}" if figure["total"] else "n/a"
    return f"{value} ({figure['correct']}/{figure['total']})"


def _integers(value: dict, *names: str) -> bool:
    return all(type(value.get(name)) is int for name in names)


def _optional(value: dict, name: str, *types: type) -> bool:
    return value.get(name) is None or isinstance(value[name], types)


def _check_gold(record: object) -> None:
    """What scoring reads of a record, checked before any of it is scored."""
    if not isinstance(record, dict):
        raise ValueError(f"a record must be a JSON object, not {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        raise ValueError("no `text` string")
    if not (_optional(record, "id", str, int) and _optional(record, "document_id", str, int)):
        raise ValueError("`id` and `document_id` must be strings or integers")
    if not (_optional(record, "paragraph", int) and _optional(record, "lang", str)):
        raise ValueError("`paragraph` must be an integer and `lang` a string")
    spans = record.get("spans", [])
    if not isinstance(spans, list):
        raise ValueError("`spans` must be a list")
    for n, span in enumerate(spans):
        if not (
            isinstance(span, dict)
            and _integers(span, "start", "end")
            and isinstance(span.get("label"), str)
        ):
            raise ValueError(f"span {n} needs integer start and end and a label")
        start, end = span["start"], span["end"]
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {span.get('id', n)} is out of range")
        if "text" in span and text[start:end] != span["text"]:
            raise ValueError(f"span {span.get('id', n)} does not match its text")
    attributions = record.get("attributions", [])
    if not isinstance(attributions, list):
        raise ValueError("`attributions` must be a list")
    for n, attribution in enumerate(attributions):
        if not isinstance(attribution, dict):
            raise ValueError(f"attribution {n} must be a JSON object")
        content = attribution.get("content")
        if not (isinstance(content, dict) and _integers(content, "start", "end")):
            raise ValueError(f"attribution {n} has no content with integer start and end")
        if not (_optional(content, "sentence_id", str, int) and _optional(content, "text", str)):
            raise ValueError(f"attribution {n}: content sentence_id or text of the wrong type")
        if not isinstance(attribution.get("kind"), str):
            raise ValueError(f"attribution {n} has no kind")
        source = attribution.get("source")
        if source is not None and not (isinstance(source, dict) and _optional(source, "text", str)):
            raise ValueError(f"attribution {n}: `source` must be an object with a text string")
        if not _optional(attribution, "resolved_to", str):
            raise ValueError(f"attribution {n}: `resolved_to` must be a string")


def read_gold(path: str | Path) -> list[dict]:
    records = []
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            try:
                line = line.decode("utf-8")
                if not line.strip():
                    continue
                record = json.loads(line)
                _check_gold(record)
            except UnicodeDecodeError as error:
                raise RefusedInput(
                    f"{path}:{number}: not UTF-8 text (byte 0x{error.object[error.start]:02x})"
                ) from None
            except RecursionError:
                raise RefusedInput(f"{path}:{number}: not valid JSON (nested too deeply)") from None
            except ValueError as error:
                raise RefusedInput(
                    f"{path}:{number}: not a gold sentence record ({error})"
                ) from None
            records.append(record)
    if not records:
        raise RefusedInput(f"{path}: no gold records")
    return records


def _documents(records: list[dict]) -> list[list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        grouped[str(record.get("document_id", record.get("id")))].append(record)
    return list(grouped.values())


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _same_speaker(predicted: str | None, gold: str | None) -> bool:
    if not predicted or not gold:
        return False

    def norm(s: str) -> str:
        s = s.casefold().strip()
        return s[4:] if s.startswith("the ") else s

    p, g = norm(predicted), norm(gold)
    return p in g or g in p


def evaluate(records: list[dict], pipeline) -> dict:
    from annotator.nlp.pipeline import SentenceInput

    exact = {label: Counts() for label in LABELS}
    overlap = {label: Counts() for label in LABELS}
    speakers = Accuracy()
    kinds = Accuracy()
    documents = _documents(records)
    found = pipeline.propose_documents(
        [
            SentenceInput(r["text"], r.get("lang", "en") == "en", r.get("paragraph", 0))
            for r in document
        ]
        for document in documents
    )
    for document, proposals in zip(documents, found, strict=True):
        for record, predicted in zip(document, proposals.sentences, strict=True):
            _score_spans(record, predicted, exact, overlap)
        _score_attributions(document, proposals.attributions, speakers, kinds)
    return {
        "pipeline": pipeline.origin,
        "sentences": len(records),
        "documents": len(documents),
        "labels": {
            label: {"exact": exact[label].as_dict(), "overlap": overlap[label].as_dict()}
            for label in LABELS
        },
        "speaker_accuracy": speakers.as_dict(),
        "source_kind_accuracy": kinds.as_dict(),
    }


def _score_spans(record: dict, predicted: Iterable, exact: dict, overlap: dict) -> None:
    for label in LABELS:
        gold = {(s["start"], s["end"]) for s in record.get("spans", []) if s["label"] == label}
        got = {(p.start, p.end) for p in predicted if p.label == label}
        exact[label].tp += len(gold & got)
        exact[label].fp += len(got - gold)
        exact[label].fn += len(gold - got)
        overlap[label].tp += sum(any(_overlaps(g, p) for p in got) for g in gold)
        overlap[label].fn += sum(not any(_overlaps(g, p) for p in got) for g in gold)
        overlap[label].fp += sum(not any(_overlaps(p, g) for g in gold) for p in got)


def _score_attributions(document: list[dict], predicted: list, speakers, kinds) -> None:
    index = {record.get("id"): i for i, record in enumerate(document)}

    def text_of(ref) -> str | None:
        return document[ref.sentence]["text"][ref.start : ref.end] if ref is not None else None

    for i, record in enumerate(document):
        for gold in record.get("attributions", []):
            content = gold["content"]
            sentence = index.get(content.get("sentence_id"), i)
            window = (content["start"], content["end"])
            candidates = [
                a
                for a in predicted
                if a.content.sentence == sentence
                and _overlaps((a.content.start, a.content.end), window)
                and a.direct == (content.get("span_id") is not None)
            ]
            # The prediction that shares most of the gold content is its match.
            match = max(
                candidates,
                key=lambda a: min(a.content.end, window[1]) - max(a.content.start, window[0]),
                default=None,
            )
            label = f"{record.get('id')}: {content.get('text', '')[:40]!r}"
            got_kind = match.kind if match else None
            kinds.add(got_kind == gold["kind"], f"{label} gold {gold['kind']}, got {got_kind}")
            if content.get("span_id") is None:
                continue
            gold_speaker = gold.get("resolved_to") or (gold.get("source") or {}).get("text")
            got = (match.resolved_to or text_of(match.source)) if match else None
            speakers.add(_same_speaker(got, gold_speaker),
                         f"{label} gold {gold_speaker!r}, got {got!r}")  # fmt: skip


def render(report: dict) -> str:
    header = (
        f"{'label':<10} {'exact P':>8} {'R':>6} {'F1':>6}   {'overlap P':>9} {'R':>6} {'F1':>6}"
    )
    lines = [
        f"pipeline {report['pipeline']}: {report['sentences']} sentences, "
        f"{report['documents']} documents",
        "",
        header,
    ]
    for label, scores in report["labels"].items():
        e, o = scores["exact"], scores["overlap"]
        lines.append(
            f"{label:<10} {e['precision']:>8.3f} {e['recall']:>6.3f} {e['f1']:>6.3f}   "
            f"{o['precision']:>9.3f} {o['recall']:>6.3f} {o['f1']:>6.3f}"
        )
    for name in ("speaker_accuracy", "source_kind_accuracy"):
        figure = report[name]
        lines.append(f"{name.replace('_', ' ')}: {share(figure)}")
        lines.extend(f"  miss: {miss}" for miss in figure["misses"])
    return "\n".join(lines)
