"""`annotator entities`, `annotator evaluate` and `annotator bench` as a user runs them."""

import json

import pytest

from annotator.nlp.pipeline import installed_trained_model
from tests.conftest import CORPUS, ROOT

GOLD = ROOT / "tests" / "data" / "seed_gold.jsonl"
# The bars issue 3 sets on the seed gold file, for the trained model; the rules
# pipeline must stay within RULES_MARGIN of each.
BARS = {"QUANTITY": 0.95, "QUOTE": 0.9, "speaker": 0.9, "source_kind": 0.9}
RULES_MARGIN = 0.05


def test_entities_json_lists_hikvision_once_with_all_its_names(run_cli, db_path):
    assert run_cli("ingest", CORPUS, "--db", db_path).returncode == 0
    result = run_cli("entities", "--json", "--db", db_path)
    assert result.returncode == 0, result.stderr
    entities = json.loads(result.stdout)
    named = [e for e in entities if "Hikvision" in e["aliases"]]
    assert len(named) == 1
    assert len([e for e in entities if e["name"] == "Hikvision"]) == 1
    assert {
        "Hikvision",
        "Tech Hikvision",
        "Hangzhou Hikvision Digital Technology Company",
        "Hikvision digital technology company",
    } <= set(named[0]["aliases"])
    assert named[0]["mentions"] >= 10
    lines = run_cli("entities", "--db", db_path).stdout.splitlines()
    assert len(lines) == len(entities)
    hikvision_line = next(line for line in lines if "  Hikvision  [" in line)
    assert "Tech Hikvision" in hikvision_line


def scores(run_cli, model):
    result = run_cli("evaluate", GOLD, "--model", model, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    return {
        "QUANTITY": report["labels"]["QUANTITY"]["exact"]["f1"],
        "QUOTE": report["labels"]["QUOTE"]["exact"]["f1"],
        "speaker": report["speaker_accuracy"]["accuracy"],
        "source_kind": report["source_kind_accuracy"]["accuracy"],
    }


@pytest.mark.skipif(installed_trained_model() is None, reason="needs the trained model")
def test_seed_gold_scores_with_the_trained_model_and_the_rules(run_cli):
    model = scores(run_cli, "auto")
    rules = scores(run_cli, "rules")
    for name, bar in BARS.items():
        assert model[name] >= bar, (name, model)
        assert rules[name] >= model[name] - RULES_MARGIN, (name, rules, model)


def test_seed_gold_scores_with_the_rules(run_cli):
    rules = scores(run_cli, "rules")
    for name, bar in BARS.items():
        assert rules[name] >= bar - RULES_MARGIN, (name, rules)


def test_evaluate_refuses_a_bad_gold_file_in_one_line(run_cli, tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text(
        '{"text": "abc", "spans": []}\n{"text": "abc", "spans": [{"start": 0, "end": 9, '
        '"label": "QUOTE"}]}\n',
        encoding="utf-8",
    )
    result = run_cli("evaluate", bad, "--model", "rules")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert ":2:" in result.stderr and "Traceback" not in result.stderr
    missing = run_cli("evaluate", tmp_path / "nope.jsonl", "--model", "rules")
    assert missing.returncode == 1 and missing.stderr.startswith("error:")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\n", "not UTF-8 text (byte 0xff)"),
        (b"[" * 50_000 + b"]" * 50_000 + b"\n", "nested too deeply"),
        (
            b'{"text": "Acme said 5.", "spans": [], "attributions": [{"source": 9}]}\n',
            "attribution 0 has no content",
        ),
        (b'{"text": "Acme said 5.", "spans": 5}\n', "`spans` must be a list"),
        (b'{"id": [1], "text": "Acme said 5.", "spans": []}\n', "`id` and `document_id` must be"),
        (
            b'{"text": "Acme said 5.", "spans": [], "attributions": [{"kind": "named_person", '
            b'"content": {"start": 0, "end": 4, "text": 5}}]}\n',
            "content sentence_id or text",
        ),
        (
            b'{"text": "Acme said 5.", "spans": [], "attributions": [{"kind": "named_person", '
            b'"content": {"start": 0, "end": 4}, "resolved_to": 7}]}\n',
            "`resolved_to` must be a string",
        ),
        (
            b'{"text": "Acme said 5.", "spans": [{"start": "0", "end": 4, "label": "ENTITY"}]}\n',
            "span 0 needs integer start and end",
        ),
    ],
    ids=[
        "not-utf8",
        "too-deep",
        "attribution-without-content",
        "spans-not-a-list",
        "id-a-list",
        "content-text-a-number",
        "resolved-to-a-number",
        "string-offset",
    ],
)
def test_evaluate_refuses_a_malformed_gold_record_by_its_line(run_cli, tmp_path, content, reason):
    bad = tmp_path / "gold.jsonl"
    bad.write_bytes(b'{"text": "Fine.", "spans": []}\n' + content)
    result = run_cli("evaluate", bad, "--model", "rules")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert "gold.jsonl:2:" in line and reason in line


def test_an_accuracy_over_nothing_is_not_a_score(run_cli, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"text": "Acme said 5.", "spans": []}\n', encoding="utf-8")
    result = run_cli("evaluate", gold, "--model", "rules")
    assert result.returncode == 0, result.stderr
    assert "speaker accuracy: n/a (0/0)" in result.stdout


def test_bench_reports_every_stage(run_cli, tmp_path):
    result = run_cli("bench", "--words", "3000", "--model", "rules", "--json",
                     "--corpus", CORPUS)  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["words"] >= 3000
    assert set(report["stages"]) == {"tokenizer", "rules"}
    assert all(stage["words_per_second"] > 0 for stage in report["stages"].values())
    assert report["ingest"]["documents"] == report["documents"]
    assert report["ratios"]["rules/tokenizer"] > 0
    components = report["rule_components_seconds"]
    assert set(components) == {"quantities", "hedges", "attribution", "entities"}
    assert all(seconds > 0 for seconds in components.values())
