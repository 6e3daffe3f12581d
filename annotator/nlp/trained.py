"""A pipeline `annotator train` wrote, used beside the rules: its spans become
proposals with the model's confidence, its textcat scores each sentence's
check-worthiness.

A folder is checked before anything is proposed: it must exist, hold a readable
meta.json for English, load with spaCy, and have a spancat or a textcat; anything
else is refused in one line before the database is opened.
"""

import json
import re
from collections.abc import Iterable
from pathlib import Path

from annotator.core.errors import RefusedInput
from annotator.core.scores import SentenceScore

CHECKWORTHY = "CHECKWORTHY"
SPANCAT = "spancat"
TEXTCAT = "textcat_multilabel"
# Spans scored at least this are kept to measure how unsure the model is; only
# those at or above the model's own threshold become proposals.
UNSURE_FLOOR = 0.25


# A trained model's origin: its name, its version (a timestamp), then ours.
_MODEL_ORIGIN = re.compile(r"-\d{8}\.\d{6}\+annotator-")


def is_model_origin(origin: str) -> bool:
    """A span a trained model proposed (not the rules, not a spaCy package, not a person)."""
    return bool(_MODEL_ORIGIN.search(origin or ""))


def spans_to_add(
    base: Iterable[tuple[int, int, str]],
    learnt: Iterable[tuple[int, int, str, float]],
    thresholds: dict[str, float | None] | None,
    default: float = 0.5,
) -> list[tuple[int, int, str, float]]:
    """The trained model's spans that become proposals of their own beside the
    pipeline's (`base`): only where the pipeline proposed no span of that label
    overlapping it, and only at or above the label's threshold (None: the model
    adds none of that label). A model's spans overlap each other too; of those,
    the most confident is kept. `thresholds` None (a model trained before they were
    chosen): `default` for every label."""
    taken: dict[str, list[tuple[int, int]]] = {}
    for start, end, label in base:
        taken.setdefault(label, []).append((start, end))
    added = []
    for start, end, label, p in sorted(learnt, key=lambda x: (-x[3], x[0], x[1], x[2])):
        limit = default if thresholds is None else thresholds.get(label)
        if limit is None or p < limit:
            continue
        if any(a < end and start < b for a, b in taken.get(label, ())):
            continue
        taken.setdefault(label, []).append((start, end))
        added.append((start, end, label, p))
    return sorted(added)


def scored_spans(nlp, texts: Iterable[str], floor: float, batch_size: int = 256):
    """For each text, the spancat's spans scored at least `floor`, as (start, end,
    label, confidence); the spancat's own threshold is put back after."""
    spancat = nlp.get_pipe(SPANCAT)
    own = spancat.cfg["threshold"]
    spancat.cfg["threshold"] = floor
    try:
        for doc in nlp.pipe(texts, batch_size=batch_size):
            group = doc.spans.get(spancat.key, [])
            scores = group.attrs.get("scores", []) if group else []
            yield [
                (span.start_char, span.end_char, span.label_, round(float(p), 3))
                for span, p in zip(group, scores, strict=False)
                if float(p) >= floor
            ]
    finally:
        spancat.cfg["threshold"] = own


def looks_like_folder(model: str) -> bool:
    """A --model value naming a folder rather than an installed spaCy package."""
    return "/" in model or "\\" in model or model.startswith(".") or Path(model).is_dir()


def _unsure(p: float) -> float:
    return 1.0 - abs(2.0 * p - 1.0)


class TrainedModel:
    def __init__(self, folder: str):
        import spacy

        import annotator.learn.components  # noqa: F401  (the factories it uses)

        path = Path(folder)
        if not path.exists():
            raise RefusedInput(f"model folder {folder}: does not exist")
        if not path.is_dir():
            raise RefusedInput(f"model folder {folder}: not a folder")
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            raise RefusedInput(
                f"model folder {folder}: no readable meta.json; not a trained model "
                "(train one with `annotator train -o DIR`)"
            ) from None
        if not isinstance(meta, dict):
            raise RefusedInput(f"model folder {folder}: meta.json is not a JSON object")
        lang = meta.get("lang")
        if lang != "en":
            raise RefusedInput(
                f"model folder {folder}: trained for language {lang!r}; annotator proposes "
                "with English models ('en')"
            )
        try:
            self.nlp = spacy.load(path)
        except Exception as error:  # spaCy raises many kinds for a damaged folder
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise RefusedInput(
                f"model folder {folder}: cannot be loaded, damaged or incomplete "
                f"({type(error).__name__}: {first[:120]})"
            ) from None
        if self.nlp.lang != "en":
            raise RefusedInput(
                f"model folder {folder}: trained for language {self.nlp.lang!r}; annotator "
                "proposes with English models ('en')"
            )
        self.spancat = self.nlp.get_pipe(SPANCAT) if SPANCAT in self.nlp.pipe_names else None
        self.textcat = self.nlp.get_pipe(TEXTCAT) if TEXTCAT in self.nlp.pipe_names else None
        if self.textcat is not None and CHECKWORTHY not in self.textcat.labels:
            self.textcat = None
        if self.spancat is None and self.textcat is None:
            raise RefusedInput(
                f"model folder {folder}: has neither a spancat nor a check-worthiness "
                "textcat to propose with"
            )
        self.threshold = 0.5
        # Per label, the confidence from which a span of the model's own is proposed
        # beside the pipeline's, chosen by `annotator train` on held-out sentences.
        ours = meta.get("annotator")
        self.add_thresholds = ours.get("add_thresholds") if isinstance(ours, dict) else None
        # Edge conventions learnt from the reviewers' fixes of the pipeline's spans.
        from annotator.nlp.edges import as_edits

        rows = ours.get("edge_edits") if isinstance(ours, dict) else None
        self.edits = as_edits(rows if isinstance(rows, list) else None)
        if self.spancat is not None:
            self.threshold = float(self.spancat.cfg.get("threshold") or 0.5)
            self.spancat.cfg["threshold"] = min(self.threshold, UNSURE_FLOOR)
            self.spans_key = self.spancat.key
        self.name = f"{self.nlp.meta.get('name', 'model')}-{self.nlp.meta.get('version', '?')}"

    def tokens(self, text: str) -> list[tuple[int, int]]:
        return [(t.idx, t.idx + len(t)) for t in self.nlp.tokenizer(text)]

    def edit(self, text: str, spans) -> dict[tuple[int, int, str], tuple[int, int, str]]:
        """The pipeline's spans the learnt edge edits move, to their new offsets."""
        from annotator.nlp.edges import edit_spans

        if not self.edits:
            return {}
        return edit_spans(text, spans, self.edits, self.tokens)

    def beside(self, text: str, base, learnt) -> set[tuple[int, int, str]]:
        """What `propose --model` proposes of the labels in `base` (the pipeline's
        spans) and `learnt` (the model's, with confidences): the pipeline's spans with
        the edge edits applied, and the model's own spans beside them."""
        moved = self.edit(text, base)
        edited = {moved.get(x, x) for x in base}
        more = spans_to_add(edited, learnt, self.add_thresholds, self.threshold)
        return edited | {(a, b, label) for a, b, label, _ in more}

    def annotate(self, texts: list[str], batch_size: int = 256):
        """For each text: its spans as (start, end, label, confidence), and its score."""
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            spans, unsure = [], []
            if self.spancat is not None:
                group = doc.spans.get(self.spans_key, [])
                scores = group.attrs.get("scores", []) if group else []
                for span, p in zip(group, scores, strict=False):
                    p = float(p)
                    unsure.append(_unsure(p))
                    if p >= self.threshold:
                        spans.append((span.start_char, span.end_char, span.label_, round(p, 3)))
            checkworthy = None
            if self.textcat is not None:
                checkworthy = float(doc.cats.get(CHECKWORTHY, 0.0))
                unsure.append(_unsure(checkworthy))
            yield spans, SentenceScore(checkworthy, max(unsure, default=0.0))
