"""Learning curve for spans on PolNeAR, and the cost of training.

A simulated reviewer works through PolNeAR *train* documents in order with the
review actions: every proposal that is a gold QUOTE / SOURCE / CUE span is accepted,
every other QUOTE / SOURCE / CUE proposal rejected, the other labels accepted as they
are, and each gold span the rules missed is added, until 100, 300 and 1,000
sentences are reviewed. After each step `annotator train --labels QUOTE,SOURCE,CUE`
trains a model; then, on PolNeAR *dev*, span F1 per label for the rules alone, the
trained model alone, and rules + model (what `propose --model DIR --base rules`
stores: the rules' proposals moved by the edge edits `train` learnt from the
reviewer's fixes, and the model's own spans where the rules proposed nothing of that
label overlapping, above the thresholds `train` chose; both chosen on its held-out
training documents). `--cost` also times training on 1,000 and 5,000
reviewed sentences, with the peak memory of the training process.

Gold in the tool's conventions: SOURCE and CUE are PolNeAR's Source and Cue spans; a
QUOTE is each stretch between quotation marks inside a gold Content, its marks
included, cut at sentence ends (one span per sentence, as the rules propose them).
Scores are per sentence: exact (same offsets) and overlap (a predicted span
overlapping a gold span of its label counts for precision, and the other way round
for recall).

    python tests/benchmarks/bench_polnear_curve.py [--sizes 100,300,1000] [--cost]

Never reads PolNeAR's data/test. The texts stay outside the repository.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

LABELS = ("QUOTE", "SOURCE", "CUE")
REVIEWER = "gold"


def annotator(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], check=True, env=env,
        capture_output=True, text=True,
    )  # fmt: skip


def gold_spans(document, sentences) -> list[set[tuple[int, int, str]]]:
    """Per sentence (start, end, label) in sentence offsets."""
    from annotator.nlp.attribution_eval import quotes_in

    text = document.text
    found: list[set] = [set() for _ in sentences]

    def place(start: int, end: int, label: str) -> None:
        for i, s in enumerate(sentences):
            a, b = max(start, s.start), min(end, s.end)
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                found[i].add((a - s.start, b - s.start, label))

    for a in document.attributions:
        for part, label in ((a.source, "SOURCE"), (a.cue, "CUE")):
            if part is not None:
                for start, end in part.fragments:
                    place(start, end, label)
        for content in a.contents:
            for start, end in content.fragments:
                for q_start, q_end in quotes_in(text, start, end):
                    # the marks are part of a QUOTE span
                    if q_start > 0 and text[q_start - 1] in '"“”«»':
                        q_start -= 1
                    if q_end < len(text) and text[q_end] in '"“”«»':
                        q_end += 1
                    place(q_start, q_end, "QUOTE")
    return found


def segment(text: str):
    from annotator.core.segment import split_paragraphs, split_sentences

    return split_sentences(text, split_paragraphs(text))


def review_documents(db: Path, documents, target: int, folder: Path) -> int:
    """Ingest train documents in order (one `annotator ingest` of the folder, which
    skips those already stored) and review their sentences in order until `target`
    sentences are reviewed; returns the number reviewed."""
    from annotator.core import actions
    from annotator.core.store import Store

    folder.mkdir(parents=True, exist_ok=True)
    chosen, planned = [], 0
    for n, document in enumerate(documents):
        if planned >= target:
            break
        chosen.append((n, document))
        planned += len(segment(document.text))
        path = folder / f"{n:04d}.txt"
        if not path.exists():
            path.write_text(document.text, encoding="utf-8")
    annotator("ingest", str(folder), "--model", "rules", "--db", str(db))
    reviewed = 0
    with Store(str(db)) as store:
        for n, document in chosen:
            row = store.db.execute(
                "SELECT id, text FROM documents WHERE origin LIKE ?", [f"%{n:04d}.txt"]
            ).fetchone()
            if row is None or row[1] != document.text:
                continue  # canonical text differs from the brat text: offsets would not map
            rows = store.db.execute(
                """SELECT s.id, s.start, s."end" FROM sentences s
                   JOIN paragraphs p ON p.id = s.paragraph_id
                   WHERE s.document_id = ? AND p.boilerplate = 0 ORDER BY s.idx""",
                [row[0]],
            ).fetchall()
            gold = gold_spans(document, [_Offsets(a, b) for _, a, b in rows])
            for (sentence_id, _, _), wanted in zip(rows, gold, strict=True):
                if reviewed >= target:
                    return reviewed
                if _is_reviewed(store, sentence_id):
                    reviewed += 1
                    continue
                spans = store.db.execute(
                    'SELECT id, start, "end", label FROM spans WHERE sentence_id = ? '
                    "AND status = 'proposed'",
                    [sentence_id],
                ).fetchall()
                have = set()
                for span_id, start, end, label in spans:
                    keep = label not in LABELS or (start, end, label) in wanted
                    actions.set_span_status(
                        store, REVIEWER, span_id, "accepted" if keep else "rejected"
                    )
                    have.add((start, end, label))
                for start, end, label in sorted(wanted - have):
                    actions.add_span(store, REVIEWER, sentence_id, start, end, label)
                if not spans and not wanted:
                    # Nothing proposed, nothing to add: the reviewer says so with a label.
                    actions.label_sentence(store, REVIEWER, sentence_id, "UFS")
                reviewed += 1
    return reviewed


def _snapshot(db: Path, copy: Path) -> None:
    """The database as reviewed at this step, to study the model trained on it later."""
    import sqlite3

    copy.unlink(missing_ok=True)
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)


class _Offsets:
    def __init__(self, start: int, end: int):
        self.start, self.end = start, end


def _is_reviewed(store, sentence_id: int) -> bool:
    from annotator.core.review import is_reviewed

    return is_reviewed(store, sentence_id)


def score(predicted, gold) -> dict:
    """predicted, gold: per sentence sets of (start, end, label)."""
    out = {}
    for label in (*LABELS, "all"):
        wanted = (lambda x, label=label: x[2] == label) if label != "all" else (lambda x: True)
        tp = fp = fn = 0
        op = ot = rp = rt = 0
        for p, g in zip(predicted, gold, strict=True):
            p = {x for x in p if wanted(x)}
            g = {x for x in g if wanted(x)}
            tp += len(p & g)
            fp += len(p - g)
            fn += len(g - p)
            for x in p:
                ot += 1
                op += any(y[2] == x[2] and y[0] < x[1] and x[0] < y[1] for y in g)
            for y in g:
                rt += 1
                rp += any(y[2] == x[2] and y[0] < x[1] and x[0] < y[1] for x in p)
        exact_p = tp / (tp + fp) if tp + fp else 0.0
        exact_r = tp / (tp + fn) if tp + fn else 0.0
        over_p = op / ot if ot else 0.0
        over_r = rp / rt if rt else 0.0
        out[label] = {
            "exact_f1": round(_f(exact_p, exact_r), 3),
            "overlap_f1": round(_f(over_p, over_r), 3),
            "gold": tp + fn,
        }
    return out


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def dev_predictions(dev, model: Path | None, cache: dict):
    """Per dev sentence: gold, rules, model spans (QUOTE/SOURCE/CUE only)."""
    from annotator.core.sentence_input import SentenceInput

    if "rules" not in cache:
        from annotator.nlp.pipeline import Pipeline

        pipeline = Pipeline("rules")
        gold, rules, texts = [], [], []
        segmented = [segment(d.text) for d in dev]
        found = pipeline.propose_documents(
            [SentenceInput(d.text[s.start : s.end], True, s.paragraph_index) for s in sents]
            for d, sents in zip(dev, segmented, strict=True)
        )
        for d, sents, proposals in zip(dev, segmented, found, strict=True):
            gold.extend(gold_spans(d, sents))
            for s, props in zip(sents, proposals.sentences, strict=True):
                rules.append({(p.start, p.end, p.label) for p in props if p.label in LABELS})
                texts.append(d.text[s.start : s.end])
        cache.update(rules=rules, gold=gold, texts=texts)
    if model is None:
        return cache["gold"], cache["rules"], None, None
    from annotator.nlp.trained import TrainedModel

    learnt = TrainedModel(str(model))
    predicted, both = [], []
    found = learnt.annotate(cache["texts"])
    for text, rules, (spans, _) in zip(cache["texts"], cache["rules"], found, strict=True):
        spans = [x for x in spans if x[2] in LABELS]
        predicted.append({(a, b, label) for a, b, label, _ in spans})
        # as `propose --model DIR --base rules` stores them: the rules' spans with the
        # learnt edge edits, and the model's own beside them
        both.append(learnt.beside(text, rules, spans))
    return cache["gold"], cache["rules"], predicted, both


def train(db: Path, model: Path, minutes: float) -> dict:
    """`annotator train` in its own process: seconds and peak memory (max RSS)."""
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = annotator(
        "train", "--db", str(db), "-o", str(model), "--labels", ",".join(LABELS),
        "--max-minutes", str(minutes), "--json",
    )  # fmt: skip
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    meta = json.loads(result.stdout)
    print(result.stderr.strip().splitlines()[-1], file=sys.stderr)
    return {
        "seconds": round(seconds, 1),
        # the largest child so far: a lower bound once an earlier child was larger
        "peak_rss_mb": round(peak / 1024, 1) if peak > before else None,
        "steps": meta["annotator"]["steps"],
        "stopped_by": meta["annotator"]["stopped_by"],
        "held_out": meta["annotator"]["scores"],
        "add_thresholds": meta["annotator"].get("add_thresholds"),
        "beside_pipeline": meta["annotator"].get("beside_pipeline"),
        "edge_edits": meta["annotator"].get("edge_edits"),
        "edge_edits_held_out": meta["annotator"].get("edge_edits_held_out"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=Path("/work/polnear"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/polnear-curve"))
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--minutes", type=float, default=8)
    parser.add_argument("--cost", action="store_true", help="time 1,000 and 5,000 sentences")
    args = parser.parse_args()
    from annotator.export.brat import read_folder

    train_docs = read_folder(args.polnear / "train")
    dev_docs = read_folder(args.polnear / "dev")
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    results = {}
    cache: dict = {}
    if sizes:
        db = args.work / "curve.db"
        if db.exists():
            db.unlink()
        reviewed = 0
        for size in sizes:
            reviewed = review_documents(db, train_docs, size, args.work / "curve-docs")
            _snapshot(db, args.work / f"curve-{size}.db")
            model = args.work / f"model-{size}"
            shutil.rmtree(model, ignore_errors=True)
            cost = train(db, model, args.minutes)
            gold, rules, learnt, both = dev_predictions(dev_docs, model, cache)
            results[size] = {
                "reviewed": reviewed,
                "train": cost,
                "rules": score(rules, gold),
                "model": score(learnt, gold),
                "rules+model": score(both, gold),
            }
            print(json.dumps({size: results[size]}), flush=True)
        print(render(results))
    if args.cost:
        for size in (1000, 5000):
            db = args.work / f"cost-{size}.db"
            if db.exists():
                db.unlink()
            reviewed = review_documents(db, train_docs, size, args.work / f"cost-docs-{size}")
            cost = train(db, args.work / f"cost-model-{size}", args.minutes)
            print(json.dumps({"cost": size, "reviewed": reviewed, **cost}), flush=True)


def render(results: dict) -> str:
    lines = [
        "span F1 on PolNeAR dev (exact / overlap), per label and over QUOTE+SOURCE+CUE",
        f"{'reviewed':>8} {'label':<7} {'rules':>13} {'model':>13} {'rules+model':>13}",
    ]
    for size, r in results.items():
        for label in (*LABELS, "all"):
            cells = [
                f"{r[k][label]['exact_f1']:.3f}/{r[k][label]['overlap_f1']:.3f}"
                for k in ("rules", "model", "rules+model")
            ]
            lines.append(f"{size:>8} {label:<7} {cells[0]:>13} {cells[1]:>13} {cells[2]:>13}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
