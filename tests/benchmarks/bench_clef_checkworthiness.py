"""CLEF 2019 CheckThat! task 1 (check-worthiness) through annotator, end to end.

The 19 training debates go in as documents (`annotator ingest`, one paragraph per
line of the transcript, so each line's sentences stay in it, written as a transcript
writes a turn, `SPEAKER: words`; the dataset's SYSTEM lines, "(APPLAUSE)" and the
like, are stage directions and keep no speaker), their 0/1 labels go in
as CFS / NFS sentence labels through the reviewer actions, `annotator train
--checkworthiness` learns from them (holding out a share of the *training*
sentences to pick its best weights; the test files are never looked at while
training), then the 7 test debates are ingested into their own database and
`annotator propose --model DIR` scores them. A line's score is the highest of its
sentences'. The official scorer (scorer/task1.py of the CLEF repository) computes
MAP over the 7 files.

    python tests/benchmarks/bench_clef_checkworthiness.py [--work DIR] [--minutes N]
        [--seed N] [--no-speakers]

`--no-speakers` writes the words alone, without the speaker (use a fresh --work).

The data is not in this repository: github apepa/clef2019-factchecking-task1,
"free for general research use", expected at /work/clef/repo (or --clef DIR).
Anchors from 2019: best primary run MAP 0.166, best of all runs 0.182.
"""

import argparse
import csv
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def annotator(*args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "annotator", *args], check=True, env=env)


def read_tsv(path: Path) -> list[tuple[int, str, str, int]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            rows.append((int(row[0]), row[1], row[2], int(row[3])))
    return rows


# The dataset's speaker of stage directions ("(APPLAUSE)"), which no one says.
NO_SPEAKER = "SYSTEM"


def turn(speaker: str, sentence: str, speakers: bool) -> str:
    """A line as a transcript writes it: `SPEAKER: words`."""
    words = " ".join(sentence.split())
    return f"{speaker}: {words}" if speakers and speaker and speaker != NO_SPEAKER else words


def write_documents(files: list[Path], folder: Path, speakers: bool) -> dict[str, list]:
    """One .txt per debate, one paragraph (blank-line separated) per line."""
    folder.mkdir(parents=True, exist_ok=True)
    debates = {}
    for path in files:
        rows = read_tsv(path)
        text = "\n\n".join(turn(speaker, sentence, speakers) for _, speaker, sentence, _ in rows)
        (folder / f"{path.stem}.txt").write_text(text + "\n", encoding="utf-8")
        debates[path.stem] = rows
    return debates


def line_sentences(store, debates: dict[str, list]) -> dict[str, list[list[int]]]:
    """Sentence ids of each line of each debate: paragraph idx = line index."""
    found = {}
    for stem, rows in debates.items():
        (document_id,) = store.db.execute(
            "SELECT id FROM documents WHERE origin LIKE ?", [f"%{stem}.txt"]
        ).fetchone()
        paragraphs = store.db.execute(
            "SELECT id FROM paragraphs WHERE document_id = ? ORDER BY idx", [document_id]
        ).fetchall()
        if len(paragraphs) != len(rows):
            raise SystemExit(f"{stem}: {len(paragraphs)} paragraphs for {len(rows)} lines")
        found[stem] = [
            [
                r[0]
                for r in store.db.execute(
                    "SELECT id FROM sentences WHERE paragraph_id = ? ORDER BY idx", [pid]
                )
            ]
            for (pid,) in paragraphs
        ]
    return found


def build_training(clef: Path, work: Path, speakers: bool) -> None:
    from annotator.core import actions
    from annotator.core.store import Store

    db = work / "train.db"
    if db.exists():
        print(f"reusing {db}", file=sys.stderr)
        return
    debates = write_documents(
        sorted((clef / "data/training").glob("*.tsv")), work / "train", speakers
    )
    started = time.monotonic()
    annotator("ingest", str(work / "train"), "--model", "rules", "--db", str(db))
    print(f"ingest: {time.monotonic() - started:.0f} s", file=sys.stderr)
    started = time.monotonic()
    with Store(str(db)) as store:
        lines = line_sentences(store, debates)
        for stem, rows in debates.items():
            for (_, _, _, label), ids in zip(rows, lines[stem], strict=True):
                for sentence_id in ids:
                    actions.label_sentence(store, "clef", sentence_id, "CFS" if label else "NFS")
    print(f"labels: {time.monotonic() - started:.0f} s", file=sys.stderr)


def predict(clef: Path, work: Path, model: Path, speakers: bool) -> tuple[list, list]:
    """The test debates scored by `propose --model`, one prediction file each, in the
    scorer's format; returns the gold files and the prediction files."""
    from annotator.core.store import Store

    files = sorted((clef / "data/test_annotated").glob("*.tsv"))
    db = work / "test.db"
    if not db.exists():
        write_documents(files, work / "test", speakers)
        annotator("ingest", str(work / "test"), "--model", "rules", "--db", str(db))
    annotator("propose", "--model", str(model), "--db", str(db))
    debates = {path.stem: read_tsv(path) for path in files}
    predictions = work / "predictions"
    predictions.mkdir(exist_ok=True)
    with Store(str(db)) as store:
        lines = line_sentences(store, debates)
        scores = dict(
            store.db.execute("SELECT sentence_id, checkworthy FROM sentence_scores").fetchall()
        )
    pred_files = []
    for stem, rows in debates.items():
        out = predictions / f"{stem}.tsv"
        with out.open("w", encoding="utf-8") as f:
            for (line_number, *_), ids in zip(rows, lines[stem], strict=True):
                # Boilerplate lines ("Thank you.") get no score: the lowest.
                score = max((scores.get(i) or 0.0 for i in ids), default=0.0)
                f.write(f"{line_number}\t{score:.6f}\n")
        pred_files.append(out)
    return files, pred_files


def rank_test(clef: Path, work: Path, model: Path, speakers: bool) -> float:
    files, pred_files = predict(clef, work, model, speakers)
    result = subprocess.run(
        [
            sys.executable,
            "scorer/task1.py",
            "--gold_file_path",
            ",".join(str(p) for p in files),
            "--pred_file_path",
            ",".join(str(p) for p in pred_files),
        ],
        cwd=clef,
        env={**os.environ, "PYTHONPATH": str(clef)},
        capture_output=True,
        text=True,
        check=True,
    )
    print(result.stderr, file=sys.stderr)
    found = re.search(r"MEAN AVERAGE PRECISION \(MAP\):\s+([0-9.]+)", result.stderr)
    return float(found.group(1)) if found else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clef", type=Path, default=Path("/work/clef/repo"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/clef-bench"))
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--max-steps", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-speakers", dest="speakers", action="store_false")
    parser.add_argument("--stage", choices=["all", "build", "train", "rank"], default="all")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    model = args.work / "model"
    sys.path.insert(0, str(ROOT))
    if args.stage in ("all", "build"):
        build_training(args.clef, args.work, args.speakers)
    if args.stage in ("all", "train"):
        started = time.monotonic()
        annotator(
            "train", "--db", str(args.work / "train.db"), "-o", str(model),
            "--checkworthiness", "--max-minutes", str(args.minutes),
            "--max-steps", str(args.max_steps), "--seed", str(args.seed),
        )  # fmt: skip
        print(f"train: {time.monotonic() - started:.0f} s", file=sys.stderr)
    if args.stage in ("all", "rank"):
        found = rank_test(args.clef, args.work, model, args.speakers)
        print(f"CLEF 2019 task 1, MAP over the 7 test debates: {found:.4f}")


if __name__ == "__main__":
    main()
