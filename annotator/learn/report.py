"""What `annotator train` prints: where the model went and how it scored."""

from pathlib import Path

from annotator.learn.train import META_KEY


def render(meta: dict, path: Path) -> str:
    ours = meta[META_KEY]
    data = ours["data"]
    lines = [
        f"model {meta['name']} {meta['version']} written to {path}",
        f"learnt from {data['train_sentences']} sentences; scored on "
        f"{data['held_out_sentences']} held out; {ours['kept_step']} of {ours['steps']} steps "
        f"kept, {ours['seconds']:.0f} s (stopped by {ours['stopped_by']})",
    ]
    scores = ours["scores"]
    if "spans" in scores:
        lines.append(f"{'label':<10} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'found':>6}")
        rows = list(scores["spans"].items()) + [("all", scores["spans_micro"])]
        for label, f in rows:
            lines.append(
                f"{label:<10} {f['p']:6.3f} {f['r']:6.3f} {f['f']:6.3f} "
                f"{f['gold']:6d} {f['found']:6d}"
            )
    beside = ours.get("beside_pipeline") or {}
    if beside:
        parts = []
        for label, f in beside.items():
            threshold = ours["add_thresholds"].get(label)
            parts.append(
                f"{label} none (F1 {f['pipeline_f']:.3f})"
                if threshold is None
                else f"{label} from {threshold:g} (F1 {f['pipeline_f']:.3f} -> "
                f"{f['with_model_f']:.3f}, {f['added']} added)"
            )
        lines.append("model's own spans beside the pipeline's: " + "; ".join(parts))
    edits = ours.get("edge_edits")
    if edits is not None and "spans" in scores:
        held = ours.get("edge_edits_held_out") or {}
        lines.append(
            "edge edits of the pipeline's spans: "
            + (
                "; ".join(
                    f"{e['label']} {e['op']} {e['edge']} over {e['kind']} "
                    f"({e['made']} made, {e['not_made']} not)"
                    for e in edits
                )
                if edits
                else "none"
            )
            + (
                " (held-out F1 "
                + ", ".join(
                    f"{label} {f['pipeline_f']:.3f} -> {f['with_edits_f']:.3f}"
                    for label, f in held.items()
                )
                + ")"
                if held
                else ""
            )
        )
    if "checkworthiness" in scores:
        cw = scores["checkworthiness"]
        ap = (
            "n/a (no CFS held out)"
            if cw["average_precision"] is None
            else (f"{cw['average_precision']:.3f}")
        )
        lines.append(
            f"check-worthiness: average precision {ap} over {cw['sentences']} held-out "
            f"sentences ({cw['positive']} CFS)"
        )
    if data["too_few_to_learn"]:
        few = ", ".join(f"{k} {v}" for k, v in data["too_few_to_learn"].items())
        lines.append(f"left out, too few accepted spans: {few}")
    return "\n".join(lines)
