"""The one tokenizer the training exports share: spaCy's English tokenizer, the
same `spacy.blank("en")` that `spacy train` and Prodigy's `data-to-spacy` use."""

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@functools.cache
def english():
    import spacy

    return spacy.blank("en")


@dataclass(frozen=True)
class Misaligned:
    """A span whose offsets fall inside a token: reported, never silently dropped."""

    sentence_id: int
    span_id: int
    start: int
    end: int
    label: str
    text: str

    def line(self) -> str:
        return (
            f"sentence {self.sentence_id}: span {self.span_id} {self.label} "
            f"{self.start}-{self.end} {self.text!r} does not align with tokens; left out"
        )


OnMisaligned = Callable[[Misaligned], None]


def token_span(doc, record: dict, span: dict, on_misaligned: OnMisaligned):
    """The spaCy Span for a native span, or None (reported) when it splits a token."""
    found = doc.char_span(span["start"], span["end"], label=span["label"])
    if found is None:
        on_misaligned(
            Misaligned(
                record["id"], span["id"], span["start"], span["end"], span["label"], span["text"]
            )
        )
    return found


def decided_spans(doc, record: dict, on_misaligned: OnMisaligned) -> Iterator[tuple[dict, object]]:
    """Each accepted or rejected span of a native record with its spaCy Span; those
    that split a token are reported and skipped."""
    for span in record["spans"]:
        if span["status"] == "proposed":
            continue
        found = token_span(doc, record, span, on_misaligned)
        if found is not None:
            yield span, found
