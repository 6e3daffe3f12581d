"""`annotator import FOLDER --format brat`: brat standoff gold written for this test,
read in so that it can be reviewed and exported like anything else."""

import json

from tests.unit.test_brat import TEXT, ann_for


def _gold(tmp_path, text=TEXT, ann=None):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "story.txt").write_text(text, encoding="utf-8")
    (gold / "story.ann").write_text(ann if ann is not None else ann_for(text), encoding="utf-8")
    return gold


def _exported(run_cli, db):
    result = run_cli("export", "--db", db)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def _part(ref):
    return ref["text"] if ref else None


def test_brat_gold_becomes_accepted_spans_and_attributions(run_cli, tmp_path):
    gold = _gold(tmp_path)
    db = tmp_path / "gold.db"
    result = run_cli("import", gold, "--format", "brat", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "3 sentences added" in result.stderr
    records = _exported(run_cli, db)
    # Segmented as ingest segments: two sentences in the first paragraph, one in the next.
    assert [(r["paragraph"]["index"], r["text"][:12]) for r in records] == [
        (0, "“We will not"),
        (0, "“Not now,” s"),
        (1, "Two official"),
    ]
    attributions = [a for r in records for a in r["attributions"]]
    got = [
        (a["kind"], _part(a["source"]), _part(a["cue"]), a["content"]["text"], a["reason"])
        for a in attributions
    ]
    assert got == [
        ("named_person", "the mayor", "said", "“We will not back down,”", None),
        # a split quotation: one content, two fragments, two attributions
        ("named_person", "she", "added", "“Not now,”", None),
        ("named_person", "she", "added", "“not ever.”", None),
        (
            "anonymous",
            "Two officials, who spoke on condition of anonymity",
            "said",
            "the plan was dead",
            "who spoke on condition of anonymity",
        ),
    ]
    # Direct content is a QUOTE span; reported speech is offsets only, as proposals are.
    assert attributions[0]["content"]["span_id"] is not None
    assert attributions[-1]["content"]["span_id"] is None
    spans = [s for r in records for s in r["spans"]]
    assert {s["label"] for s in spans} == {"SOURCE", "CUE", "QUOTE"}
    assert all(s["status"] == "accepted" and s["origin"] == "human" for s in spans)
    assert all(a["status"] == "accepted" for a in attributions)
    # Importing the same gold again adds nothing.
    again = run_cli("import", gold, "--format", "brat", "--db", db)
    assert again.returncode == 0, again.stderr
    assert "0 sentences added" in again.stderr
    assert len(_exported(run_cli, db)) == 3


def test_a_bad_brat_folder_is_refused_whole(run_cli, tmp_path):
    gold = _gold(tmp_path, ann=ann_for(TEXT) + f"T99\tCue 5 {len(TEXT) + 40}\tsaid\n")
    db = tmp_path / "gold.db"
    result = run_cli("import", gold, "--format", "brat", "--db", db)
    assert result.returncode == 1
    assert "story.ann" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    stats = run_cli("stats", "--json", "--db", db)
    assert json.loads(stats.stdout)["sentences"] == 0
    missing = run_cli("import", tmp_path / "nowhere", "--format", "brat", "--db", db)
    assert missing.returncode == 1 and "not a folder" in missing.stderr


def test_a_file_that_is_not_utf8_is_named_itself(run_cli, tmp_path):
    gold = _gold(tmp_path)
    (gold / "story.ann").write_bytes(b"T1\tSource 0 3\t\xff\xfe\n")
    for command in (["import", gold, "--format", "brat"], ["evaluate", gold, "--model", "rules"]):
        result = run_cli(*command, "--db", tmp_path / "gold.db")
        assert result.returncode == 1
        [line] = result.stderr.splitlines()
        assert "story.ann: not UTF-8" in line, line
