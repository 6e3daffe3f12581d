"""`annotator evaluate FOLDER` on brat standoff gold written for this test."""

import json

from tests.unit.test_brat import TEXT, ann_for


def test_evaluate_scores_a_brat_folder_and_shows_misses(run_cli, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "story.txt").write_text(TEXT, encoding="utf-8")
    (gold / "story.ann").write_text(ann_for(TEXT), encoding="utf-8")
    result = run_cli("evaluate", gold, "--model", "rules", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["documents"] == 1
    # Three gold quotes: one whole, one split in two by "she added".
    quotes = report["direct_quotes"]["exact"]
    assert quotes["tp"] + quotes["fn"] == 3
    assert quotes["f1"] == 1.0
    assert report["speaker_accuracy"]["total"] == 3
    assert report["speaker_accuracy"]["accuracy"] == 1.0
    assert report["cues"]["speech_verbs"]["tp"] + report["cues"]["speech_verbs"]["fn"] == 3
    assert report["anonymous_recall"]["total"] == 1
    assert "misses" not in report
    text = run_cli("evaluate", gold, "--model", "rules", "--show", "5")
    assert text.returncode == 0, text.stderr
    assert "direct quotes, exact" in text.stdout and "speaker right" in text.stdout


def test_evaluate_refuses_a_folder_without_brat_files(run_cli, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("evaluate", empty, "--model", "rules")
    assert result.returncode == 1
    assert "no .ann file" in result.stderr and "Traceback" not in result.stderr
