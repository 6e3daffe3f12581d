"""Leave-debates-out cross-validation on the 19 CLEF 2019 CheckThat! task 1 *training*
debates, through the same steps as bench_clef_checkworthiness.py (ingest, CFS / NFS
labels, `annotator train --checkworthiness`, `propose --model`, a line scored by its
highest sentence): the way to choose a change to check-worthiness learning without
looking at the 7 test debates.

Debate i (in name order) is held out in fold i mod --folds; each fold trains on the
others and scores the held-out ones with the official scorer's average precision
(scorer/task1.py's own function: its command line needs 50 lines a debate, and one
training debate has 44). Prints each fold and the MAP over all 19 debates. Each
fold's databases are kept in --work and reused, so a second run (another --seed,
another version of the code on PYTHONPATH) only trains and scores.

    python tests/benchmarks/bench_clef_cv.py [--work DIR] [--folds 5] [--minutes 3]
        [--seed N]

The figure moves with the seed: the shipped pipeline scored CV MAP 0.154, 0.147 and
0.119 with seeds 0, 1 and 2; compare variants over several seeds.
"""

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_clef_checkworthiness as bench  # noqa: E402


def fold_folder(clef: Path, work: Path, fold: int, folds: int) -> Path:
    """A CLEF-shaped folder whose training and test debates are this fold's."""
    folder = work / f"fold{fold}" / "clef"
    if folder.exists():
        return folder
    for sub in ("training", "test_annotated"):
        (folder / "data" / sub).mkdir(parents=True)
    for i, path in enumerate(sorted((clef / "data/training").glob("*.tsv"))):
        sub = "test_annotated" if i % folds == fold else "training"
        (folder / "data" / sub / path.name).symlink_to(path.resolve())
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clef", type=Path, default=Path("/work/clef/repo"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/clef-cv"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sys.path.insert(0, str(bench.ROOT))
    sys.path.insert(0, str(args.clef.resolve()))
    from scorer import task1  # the official scorer's functions

    logging.disable(logging.INFO)
    found = []
    for fold in range(args.folds):
        started = time.monotonic()
        clef = fold_folder(args.clef, args.work, fold, args.folds)
        work = args.work / f"fold{fold}" / "work"
        work.mkdir(parents=True, exist_ok=True)
        bench.build_training(clef, work, speakers=True)
        bench.annotator(
            "train", "--db", str(work / "train.db"), "-o", str(work / "model"),
            "--checkworthiness", "--max-minutes", str(args.minutes), "--seed", str(args.seed),
        )  # fmt: skip
        gold_files, pred_files = bench.predict(clef, work, work / "model", speakers=True)
        scores = []
        for gold_file, pred_file in zip(gold_files, pred_files, strict=True):
            gold, predicted = task1._read_gold_and_pred(str(gold_file), str(pred_file))
            ranked = [line for line, _ in sorted(predicted, key=lambda x: x[1], reverse=True)]
            scores.append(task1._compute_average_precision(gold, ranked))
        found.extend(scores)
        print(
            f"fold {fold}: MAP {sum(scores) / len(scores):.4f} over {len(scores)} debates "
            f"({time.monotonic() - started:.0f} s)",
            flush=True,
        )
    print(f"CV MAP over the {len(found)} training debates: {sum(found) / len(found):.4f}")


if __name__ == "__main__":
    main()
