"""`annotator train`: a spaCy pipeline from the reviewed sentences, with spaCy's own
training loop (`spacy.training.loop.train_while_improving`) and the config that
ships beside this file.

It holds out a fixed share of the sentences, keeps the weights that scored best on
them, stops at the step limit, when the score stops improving, or when the time
given is up, and writes the pipeline with a `meta.json` that says what it learnt
from and how it scored.
"""

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from annotator import __version__
from annotator.core.errors import RefusedInput
from annotator.core.ranking import average_precision
from annotator.core.store import Store
from annotator.learn.config import SPANCAT, SPANS_KEY, TEXTCAT
from annotator.learn.examples import (
    CHECKWORTHY,
    Sentence,
    held_out,
    held_out_documents,
    read_sentences,
)
from annotator.nlp.trained import scored_spans

# Fewer examples than this of a span label, or of either check-worthiness class,
# and there is nothing to learn it from.
MIN_EXAMPLES = 5
# The meta.json key that marks a pipeline as ours, with what it learnt from.
META_KEY = "annotator"
DEFAULT_NAME = "reviewed"


@dataclass
class Plan:
    """What a training run will learn, decided from the data before spaCy is loaded."""

    span_labels: tuple[str, ...]
    checkworthiness: bool
    train: list[Sentence]
    dev: list[Sentence]
    span_counts: dict[str, int]
    class_counts: dict[str, int]
    left_out: dict[str, int] = field(default_factory=dict)
    max_span_tokens: int = 1
    min_span_tokens: int = 1


def plan(
    sentences: list[Sentence],
    labels: tuple[str, ...],
    checkworthiness: bool,
    holdout: float,
    tokens: Callable[[str], list[tuple[int, int]]],
) -> Plan:
    """Which labels have enough examples; refuses (one line) when none has."""
    counts = dict.fromkeys(labels, 0)
    for sentence in sentences:
        for _, _, label in sentence.spans or ():
            counts[label] += 1
    span_labels = tuple(label for label in labels if counts[label] >= MIN_EXAMPLES)
    left_out = {label: n for label, n in counts.items() if 0 < n < MIN_EXAMPLES}
    classes = {"CFS": 0, "UFS/NFS": 0}
    for sentence in sentences:
        if sentence.checkworthy is not None:
            classes["CFS" if sentence.checkworthy else "UFS/NFS"] += 1
    if checkworthiness and min(classes.values()) < MIN_EXAMPLES:
        raise RefusedInput(
            f"too few sentence labels to learn check-worthiness from: {classes['CFS']} CFS "
            f"and {classes['UFS/NFS']} UFS/NFS (need {MIN_EXAMPLES} of each)"
        )
    if not span_labels and not checkworthiness:
        found = ", ".join(f"{label} {counts[label]}" for label in labels)
        raise RefusedInput(
            f"too few labels to learn from: accepted spans in reviewed sentences: {found} "
            f"(need {MIN_EXAMPLES} of a label; or --checkworthiness with labelled sentences)"
        )
    kept = [
        s
        for s in sentences
        if (s.spans is not None and span_labels) or (checkworthiness and s.checkworthy is not None)
    ]
    documents = held_out_documents((s.document_id for s in kept), holdout)
    if documents is None:
        dev = [s for s in kept if held_out(s.id, holdout)]
    else:
        dev = [s for s in kept if s.document_id in documents]
    dev_ids = {s.id for s in dev}
    train = [s for s in kept if s.id not in dev_ids]
    if not dev or not train:
        raise RefusedInput(
            f"too few labelled sentences to hold {holdout:.0%} out for scoring: {len(kept)}"
        )
    lengths = [
        _token_length(tokens(s.text), start, end)
        for s in kept
        for start, end, label in s.spans or ()
        if label in span_labels
    ]
    return Plan(
        span_labels=span_labels,
        checkworthiness=checkworthiness,
        train=train,
        dev=dev,
        span_counts={label: counts[label] for label in span_labels},
        class_counts=classes if checkworthiness else {},
        left_out=left_out,
        max_span_tokens=max(lengths, default=1),
        min_span_tokens=min(lengths, default=1),
    )


def _token_length(offsets: list[tuple[int, int]], start: int, end: int) -> int:
    """Tokens a character span covers, as alignment_mode="expand" makes it."""
    return max(1, sum(1 for s, e in offsets if s < end and e > start))


@dataclass
class Limits:
    max_minutes: float = 10.0
    max_steps: int = 20000
    eval_frequency: int | None = None
    seed: int = 0


def config_for(plan_: Plan, limits: Limits, *, spancat_factory: str = "annotator_spancat"):
    """The shipped config with the suggester fitted to the data and the components
    nothing was labelled for left out."""
    from annotator.learn.config import build_config

    return build_config(
        span_labels=plan_.span_labels,
        sizes=(plan_.min_span_tokens, plan_.max_span_tokens),
        checkworthiness=plan_.checkworthiness,
        max_steps=limits.max_steps,
        eval_frequency=limits.eval_frequency,
        seed=limits.seed,
        spancat_factory=spancat_factory,
    )


def _initialized(
    config,
    sentences: list[Sentence],
    span_labels: tuple[str, ...],
    checkworthiness: bool,
    seed: int,
):
    """The pipeline of `config`, its labels added and its weights initialised on
    `sentences`; with the resolved [training] block and the examples."""
    from spacy import util
    from spacy.schemas import ConfigSchemaTraining

    util.fix_random_seed(seed)
    nlp = util.load_model_from_config(config, auto_fill=True, validate=True)
    training = util.registry.resolve(
        nlp.config.interpolate()["training"], schema=ConfigSchemaTraining
    )
    examples = make_docs(nlp, sentences, span_labels, checkworthiness)
    for label in span_labels:
        nlp.get_pipe(SPANCAT).add_label(label)
    if checkworthiness:
        nlp.get_pipe(TEXTCAT).add_label(CHECKWORTHY)
    nlp.initialize(lambda: examples, sgd=training["optimizer"])
    return nlp, training, examples


def make_docs(nlp, sentences: list[Sentence], span_labels: tuple[str, ...], checkworthiness: bool):
    """Reference Docs: accepted spans in doc.spans["sc"] (absent when the sentence's
    spans were not reviewed), CHECKWORTHY in doc.cats (absent when unlabelled)."""
    from spacy.training import Example

    examples = []
    for sentence in sentences:
        doc = nlp.make_doc(sentence.text)
        if span_labels and sentence.spans is not None:
            found = []
            for start, end, label in sentence.spans:
                if label not in span_labels:
                    continue
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                if span is not None:
                    found.append(span)
            doc.spans[SPANS_KEY] = found
        if checkworthiness and sentence.checkworthy is not None:
            doc.cats = {CHECKWORTHY: sentence.checkworthy}
        examples.append(Example(nlp.make_doc(sentence.text), doc))
    return examples


def score(nlp, dev: list[Sentence], span_labels: tuple[str, ...], checkworthiness: bool) -> dict:
    """Per-label precision, recall and F1 (exact offsets after token alignment) on
    held-out sentences whose spans were reviewed, and the average precision of the
    check-worthiness ranking over those with a sentence label."""
    docs = list(nlp.pipe(s.text for s in dev))
    result: dict = {}
    if span_labels:
        tallies = {label: [0, 0, 0] for label in span_labels}
        for sentence, doc in zip(dev, docs, strict=True):
            if sentence.spans is None:
                continue
            gold = set()
            for start, end, label in sentence.spans:
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None and label in span_labels:
                    gold.add((span.start_char, span.end_char, label))
            predicted = {(s.start_char, s.end_char, s.label_) for s in doc.spans.get(SPANS_KEY, [])}
            for label in span_labels:
                g = {x for x in gold if x[2] == label}
                p = {x for x in predicted if x[2] == label}
                tallies[label][0] += len(g & p)
                tallies[label][1] += len(p - g)
                tallies[label][2] += len(g - p)
        result["spans"] = {label: _prf(*tally) for label, tally in tallies.items()}
        result["spans_micro"] = _prf(*(sum(t[i] for t in tallies.values()) for i in range(3)))
    if checkworthiness:
        scored = [
            (doc.cats.get(CHECKWORTHY, 0.0), bool(sentence.checkworthy))
            for sentence, doc in zip(dev, docs, strict=True)
            if sentence.checkworthy is not None
        ]
        # Equal scores are no ranking: the untrained textcat scores every sentence the
        # same, and in the held-out sentences' own order it could look good enough
        # to be kept. So a tie puts the sentences not worth checking first.
        pessimistic = [hit for _, hit in sorted(scored, key=lambda item: (-item[0], item[1]))]
        result["checkworthiness"] = {
            "average_precision": average_precision(pessimistic),
            "sentences": len(scored),
            "positive": sum(hit for _, hit in scored),
        }
    return result


# The confidences tried as the threshold from which the model's own spans are
# proposed beside the pipeline's.
ADD_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
MIN_RIGHT_ADDED = 5


def choose_edits(
    train_: list[Sentence],
    dev: list[Sentence],
    span_labels: tuple[str, ...],
    tokens: Callable[[str], list[tuple[int, int]]],
) -> tuple[list[dict], dict]:
    """The edge edits (`annotator.nlp.edges`) the reviewers' fixes of the pipeline's
    spans teach on the training sentences, checked on the held-out sentences as
    `propose --model` would apply them, per label: tried most made first, each is kept
    unless it lowers the F1 (exact offsets) of its label there; and a label's edits
    are kept only when together they raise its F1 there (an edit held out documents
    never meet is not evidence enough: on PolNeAR's training articles, SOURCE fixes
    learnt from some articles rarely held on others, while CUE ones did). Returns
    the edits kept (as meta.json stores them) and, per label with edits learnt, the
    held-out F1 without and with them and how many were learnt and kept."""
    from annotator.nlp import edges

    made, not_made = edges.tally(
        ((s.text, s.spans, s.proposed) for s in train_ if s.spans is not None), tokens
    )
    candidates = [row for row in edges.learn(made, not_made) if row["label"] in span_labels]
    held = [s for s in dev if s.spans is not None]

    def f1(rows: list[dict], label: str) -> float:
        tp = fp = fn = 0
        for sentence in held:
            found = {x for x in edited_proposals(sentence, rows, tokens) if x[2] == label}
            gold = {x for x in sentence.spans if x[2] == label}
            tp += len(found & gold)
            fp += len(found - gold)
            fn += len(gold - found)
        return _prf(tp, fp, fn)["f"]

    kept: list[dict] = []
    figures = {}
    for label in span_labels:
        learnt = [r for r in candidates if r["label"] == label]
        if not learnt:
            continue
        alone = best = f1([], label)
        mine: list[dict] = []
        for row in learnt:
            f = f1([*mine, row], label)
            if f >= best:
                mine.append(row)
                best = f
        if best <= alone:
            mine, best = [], alone
        kept.extend(mine)
        figures[label] = {
            "pipeline_f": alone,
            "with_edits_f": best,
            "learnt": len(learnt),
            "kept": len(mine),
        }
    return kept, figures


def edited_proposals(
    sentence: Sentence, rows: list[dict], tokens: Callable[[str], list[tuple[int, int]]]
) -> set[tuple[int, int, str]]:
    """The pipeline's proposals of a sentence with the edits applied, as `propose
    --model` stores them."""
    from annotator.nlp import edges

    proposed = set(sentence.proposed)
    if not rows:
        return proposed
    moved = edges.edit_spans(sentence.text, proposed, edges.as_edits(rows), tokens)
    return {moved.get(x, x) for x in proposed}


def choose_add_thresholds(
    nlp,
    dev: list[Sentence],
    span_labels: tuple[str, ...],
    edits: list[dict] | None = None,
    tokens: Callable[[str], list[tuple[int, int]]] | None = None,
):
    """Per label, the confidence from which the model's spans are worth adding
    beside the pipeline's, as `propose --model` adds them (`spans_to_add`: only
    where the pipeline proposed none of that label overlapping), chosen on the
    held-out sentences: the one that gives the best F1 (exact offsets) of the
    pipeline's proposals with the model's against what the reviewers accepted,
    among those whose additions there include at least MIN_RIGHT_ADDED spans the
    reviewers accepted (fewer is too little evidence: one held-out article whose
    attributions the pipeline misses would let anything in); None when no threshold
    beats the pipeline's proposals alone. The pipeline's proposals are taken with
    the `edits` applied, as `propose --model` stores them. Returns the thresholds
    and, per label, the F1 of both."""
    from annotator.nlp.trained import spans_to_add

    held = [s for s in dev if s.spans is not None]
    base_of = [edited_proposals(s, edits, tokens) if edits else set(s.proposed) for s in held]
    learnt = list(scored_spans(nlp, [s.text for s in held], min(ADD_THRESHOLDS)))
    thresholds: dict[str, float | None] = {}
    figures: dict[str, dict] = {}
    for label in span_labels:

        def f1(threshold: float | None, label=label) -> tuple[float, int, int]:
            tp = fp = fn = added = right = 0
            for sentence, spans, proposed in zip(held, learnt, base_of, strict=True):
                base = {x for x in proposed if x[2] == label}
                more = {x[:3] for x in spans_to_add(base, spans, {label: threshold})}
                found = base | more
                gold = {x for x in sentence.spans if x[2] == label}
                tp += len(found & gold)
                fp += len(found - gold)
                fn += len(gold - found)
                added += len(more)
                right += len(more & gold)
            return _prf(tp, fp, fn)["f"], added, right

        alone, _, _ = f1(None)
        best, chosen, added = alone, None, 0
        for threshold in sorted(ADD_THRESHOLDS, reverse=True):
            f, n, right = f1(threshold)
            if f > best and right >= MIN_RIGHT_ADDED:
                best, chosen, added = f, threshold, n
        thresholds[label] = chosen
        figures[label] = {"pipeline_f": alone, "with_model_f": best, "added": added}
    return thresholds, figures


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "gold": tp + fn, "found": tp + fp}


def _combined(scores: dict) -> float:
    parts = []
    if "spans_micro" in scores:
        parts.append(scores["spans_micro"]["f"])
    if "checkworthiness" in scores:
        parts.append(scores["checkworthiness"]["average_precision"] or 0.0)
    return sum(parts) / len(parts) if parts else 0.0


@dataclass
class TrainResult:
    path: Path
    meta: dict


def train(
    store: Store,
    output: Path,
    *,
    labels: tuple[str, ...],
    checkworthiness: bool,
    limits: Limits,
    holdout: float = 0.2,
    name: str = DEFAULT_NAME,
    on_progress: Callable[[str], None] = lambda line: None,
) -> TrainResult:
    """Train from `store` into `output` (replaced only when complete)."""
    import spacy
    from spacy.training.loop import create_train_batches, train_while_improving

    import annotator.learn.components  # noqa: F401  (registers our factories)

    started = time.monotonic()
    deadline = started + limits.max_minutes * 60
    tokenizer = spacy.blank("en").tokenizer

    def offsets(text: str) -> list[tuple[int, int]]:
        return [(t.idx, t.idx + len(t)) for t in tokenizer(text)]

    sentences = list(read_sentences(store, labels))
    chosen = plan(sentences, labels, checkworthiness, holdout, offsets)
    on_progress(
        f"train: {len(chosen.train)} sentences to learn from, {len(chosen.dev)} held out; "
        + ", ".join(f"{label} {n}" for label, n in chosen.span_counts.items())
        + (
            f"{'; ' if chosen.span_counts else ''}check-worthiness "
            + ", ".join(f"{k} {v}" for k, v in chosen.class_counts.items())
            if chosen.checkworthiness
            else ""
        )
        + (
            f"; too few to learn: {', '.join(f'{k} {v}' for k, v in chosen.left_out.items())}"
            if chosen.left_out
            else ""
        )
        + (
            f"; span lengths {chosen.min_span_tokens}-{chosen.max_span_tokens} tokens"
            if chosen.span_labels
            else ""
        )
    )
    nlp, training, examples = _initialized(
        config_for(chosen, limits),
        chosen.train,
        chosen.span_labels,
        chosen.checkworthiness,
        limits.seed,
    )
    optimizer = training["optimizer"]

    best: dict = {"bytes": None, "scores": None, "step": 0}

    def evaluate():
        scores = score(nlp, chosen.dev, chosen.span_labels, chosen.checkworthiness)
        return _combined(scores), scores

    steps = train_while_improving(
        nlp,
        optimizer,
        create_train_batches(nlp, lambda _: examples, training["batcher"], training["max_epochs"]),
        evaluate,
        dropout=training["dropout"],
        accumulate_gradient=training["accumulate_gradient"],
        patience=training["patience"],
        max_steps=training["max_steps"],
        eval_frequency=training["eval_frequency"],
        exclude=[],
        annotating_components=[],
        before_update=None,
    )
    stopped = "no further improvement or the step limit"
    last_step = 0
    for _batch, info, is_best in steps:
        last_step = info["step"]
        if is_best is not None:
            scores = info["other_scores"]
            on_progress(
                f"train: step {info['step']}, epoch {info['epoch']}, "
                f"{time.monotonic() - started:.0f} s: {_summary(scores)}"
                + (" (best so far)" if is_best else "")
            )
            if is_best:
                best.update(bytes=nlp.to_bytes(), scores=scores, step=info["step"])
        if time.monotonic() >= deadline:
            stopped = f"the time limit ({limits.max_minutes:g} min)"
            break
    if best["bytes"] is None:
        # The time ran out before the first evaluation: keep what there is.
        _, best["scores"] = evaluate()
        best.update(bytes=nlp.to_bytes(), step=last_step)
    else:
        nlp.from_bytes(best["bytes"])
    refit = None
    if chosen.checkworthiness and best["step"] > 0:
        refit = refit_checkworthiness(nlp, chosen, limits, best["step"], deadline, on_progress)
    added: dict = {"thresholds": {}, "figures": {}, "edits": [], "edit_figures": {}}
    if chosen.span_labels:
        added["edits"], added["edit_figures"] = choose_edits(
            chosen.train, chosen.dev, chosen.span_labels, offsets
        )
        added["thresholds"], added["figures"] = choose_add_thresholds(
            nlp, chosen.dev, chosen.span_labels, added["edits"], offsets
        )
    seconds = time.monotonic() - started
    meta = _meta(nlp, name, chosen, best, last_step, seconds, stopped, added, refit)
    nlp.meta.update(meta)
    _write(nlp, output)
    on_progress(f"train: stopped at step {last_step} ({stopped}); kept step {best['step']}")
    return TrainResult(output, nlp.meta)


def refit_checkworthiness(
    nlp,
    chosen: Plan,
    limits: Limits,
    steps: int,
    deadline: float,
    on_progress: Callable[[str], None],
) -> dict | None:
    """Learn the check-worthiness textcat again from every labelled sentence, the
    held-out ones included, for as many steps as the held-out ones chose, and put its
    weights into `nlp`: the bag of words learns from a quarter more sentences (on the
    CLEF 2019 leave-debates-out folds, tests/benchmarks/bench_clef_cv.py, CV MAP
    0.190 / 0.187 / 0.165 with seeds 0 / 1 / 2, against 0.160 / 0.183 / 0.172
    without, at a learning rate of 0.1). Left as it is (None) when the time runs out first."""
    from spacy.training.loop import create_train_batches

    from annotator.learn.config import build_config

    labelled = [s for s in chosen.train + chosen.dev if s.checkworthy is not None]
    config = build_config(span_labels=(), sizes=(1, 1), checkworthiness=True, seed=limits.seed)
    alone, training, examples = _initialized(config, labelled, (), True, limits.seed)
    batches = create_train_batches(alone, lambda _: examples, training["batcher"], 0)
    for done, (_epoch, batch) in enumerate(batches, start=1):
        alone.update(batch, sgd=training["optimizer"], drop=training["dropout"])
        if done >= steps:
            break
        if time.monotonic() >= deadline:
            on_progress("train: no time left to refit check-worthiness on every sentence")
            return None
    # Its weights only: the vocab is `nlp`'s own, with the span labels' strings.
    weights = alone.get_pipe(TEXTCAT).to_bytes(exclude=["vocab"])
    nlp.get_pipe(TEXTCAT).from_bytes(weights, exclude=["vocab"])
    on_progress(
        f"train: check-worthiness learnt again from all {len(labelled)} labelled sentences "
        f"for {steps} steps"
    )
    return {"sentences": len(labelled), "steps": steps}


def _summary(scores: dict) -> str:
    parts = []
    if "spans_micro" in scores:
        parts.append(f"spans F1 {scores['spans_micro']['f']:.3f}")
    if "checkworthiness" in scores:
        ap = scores["checkworthiness"]["average_precision"]
        parts.append("check-worthiness AP " + ("n/a" if ap is None else f"{ap:.3f}"))
    return ", ".join(parts)


def _meta(
    nlp,
    name,
    chosen: Plan,
    best: dict,
    steps: int,
    seconds: float,
    stopped: str,
    added: dict,
    refit: dict | None,
) -> dict:
    import spacy

    trained_at = datetime.now(UTC)
    scores = best["scores"]
    performance = {}
    for label, figures in scores.get("spans", {}).items():
        performance[f"spans_{label}_f"] = figures["f"]
    if "checkworthiness" in scores:
        performance["checkworthiness_ap"] = scores["checkworthiness"]["average_precision"]
    return {
        "name": name,
        # A new version for every run, so a proposal's origin says which run made it.
        "version": trained_at.strftime("%Y%m%d.%H%M%S"),
        "description": "Trained by annotator from reviewed sentences",
        "spacy_version": _compatible(spacy.__version__),
        "labels": {
            SPANCAT: list(chosen.span_labels),
            **({TEXTCAT: [CHECKWORTHY]} if chosen.checkworthiness else {}),
        },
        "performance": performance,
        META_KEY: {
            "annotator_version": __version__,
            "trained_at": trained_at.isoformat(),
            "spans_key": SPANS_KEY,
            "span_labels": list(chosen.span_labels),
            "checkworthiness": chosen.checkworthiness,
            "suggester_sizes": [chosen.min_span_tokens, chosen.max_span_tokens],
            "data": {
                "train_sentences": len(chosen.train),
                "held_out_sentences": len(chosen.dev),
                "accepted_spans": chosen.span_counts,
                "sentence_labels": chosen.class_counts,
                "too_few_to_learn": chosen.left_out,
            },
            "scores": scores,
            # per label, the confidence from which `propose --model` adds the model's
            # own spans beside the pipeline's (None: none of that label)
            "add_thresholds": added["thresholds"],
            "beside_pipeline": added["figures"],
            # edge conventions learnt from the reviewers' fixes of the pipeline's
            # spans, which `propose --model` applies to its pending proposals
            "edge_edits": added["edits"],
            "edge_edits_held_out": added["edit_figures"],
            "steps": steps,
            "kept_step": best["step"],
            # the check-worthiness weights written, learnt again from every labelled
            # sentence, held-out ones included, for kept_step steps (None: not
            # refitted); "scores" are of the weights before
            "checkworthiness_refit": refit,
            "seconds": round(seconds, 1),
            "stopped_by": stopped,
        },
    }


def _compatible(version: str) -> str:
    """The spaCy versions that read the weights: this minor release."""
    major, minor = version.split(".")[:2]
    return f">={version},<{major}.{int(minor) + 1}.0"


def _write(nlp, output: Path) -> None:
    """Into a folder beside `output`, then renamed: a run stopped midway leaves the
    previous model whole."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        nlp.to_disk(temporary)
        if output.exists():
            old = output.with_name(f".{output.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            output.rename(old)
            temporary.rename(output)
            shutil.rmtree(old, ignore_errors=True)
        else:
            temporary.rename(output)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def check_output(output: Path) -> None:
    """Refuse to train into a folder that holds something other than a model of ours."""
    if not output.exists():
        return
    if not output.is_dir():
        raise RefusedInput(f"{output}: exists and is not a folder")
    if not any(output.iterdir()):
        return
    try:
        meta = json.loads((output / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = None
    if not isinstance(meta, dict) or META_KEY not in meta:
        raise RefusedInput(
            f"{output}: a folder that is not a model annotator trained; not replaced"
        )
