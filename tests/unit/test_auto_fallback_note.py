"""`--model auto` without a trained model proposes with the rules, and says so once
on stderr: rule-only proposals are not to be taken for the model's."""

import annotator.nlp.pipeline as pipeline_module
from annotator.cli import load_pipeline


def test_auto_without_a_model_says_the_rules_propose(monkeypatch, capsys):
    monkeypatch.setattr(pipeline_module, "installed_trained_model", lambda: None)
    loaded = load_pipeline("auto")
    assert not loaded.trained
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no trained English model" in err and "rules" in err


def test_the_rules_asked_for_by_name_need_no_note(monkeypatch, capsys):
    monkeypatch.setattr(pipeline_module, "installed_trained_model", lambda: None)
    load_pipeline("rules")
    assert capsys.readouterr().err == ""
