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


def test_anonymity_is_also_scored_over_speech_verb_attributions_alone(run_cli, tmp_path):
    from tests.unit.test_brat import offsets

    belief = "In the view of senior aides, the vote will fail.\n"
    text = TEXT + "\n" + belief
    src = offsets(text, "senior aides")
    cue = offsets(text, "In the view of")
    content = offsets(text, "the vote will fail")
    ann = (
        ann_for(text)
        + "\n".join(
            [
                f"T20\tSource {src[0]} {src[1]}\tsenior aides",
                f"T21\tCue {cue[0]} {cue[1]}\tIn the view of",
                f"T22\tContent {content[0]} {content[1]}\tthe vote will fail",
                f"T23\tAttribution {cue[0]} {cue[1]}\tIn the view of",
                "E3\tAttribution:T23 Content:T22 Cue:T21 Source:T20",
            ]
        )
        + "\n"
    )
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "story.txt").write_text(text, encoding="utf-8")
    (gold / "story.ann").write_text(ann, encoding="utf-8")
    result = run_cli("evaluate", gold, "--model", "rules", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # The officials "said" (anonymous, with their reason); the aides hold a view.
    assert report["anonymous_recall"] == {"accuracy": 0.5, "correct": 1, "total": 2}
    assert report["anonymous_speech_verb_recall"] == {"accuracy": 1.0, "correct": 1, "total": 1}
    assert report["anonymous_reason_recall"] == {"accuracy": 1.0, "correct": 1, "total": 1}
    shown = run_cli("evaluate", gold, "--model", "rules", "--show", "5")
    assert "(of speech-verb attributions)     1.000 (1/1)" in shown.stdout
