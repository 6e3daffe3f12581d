"""Contradiction candidates on sentences written for these tests: each kind is
proposed where it should be and not where it must not be (same stance, another
entity, another event, the same actor, agreeing numbers and dates).

Every document goes through the real ingest with the rule pipeline, so entities,
hedges and numbers come from the proposals, as they do for a user."""

import json
from pathlib import Path

import pytest

from annotator.contradictions.generate import generate_candidates
from annotator.core.ingest import ingest
from annotator.core.store import Store
from annotator.nlp.pipeline import Pipeline

# Every article names its company once with its legal form, as news reports do,
# so the rule pipeline knows it for an organisation.
ZENTRIX = "Investors know Zentrix Inc. for its warehouse robots."


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    return Pipeline("rules")


def ingest_articles(folder: Path, rules: Pipeline, articles: list[tuple[str, str]]) -> Path:
    """(published, text) articles ingested into a new database; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for number, (published, text) in enumerate(articles):
            meta = {"published": published, "title": f"article {number}"}
            out.write(json.dumps({"text": text, "meta": meta}) + "\n")
    with Store(folder / "c.db") as store:
        assert ingest(store, [path], pipeline=rules).added == len(articles)
    return folder / "c.db"


def candidates(folder: Path, rules: Pipeline, articles: list[tuple[str, str]]):
    """{frozenset of the two claim sentences: (kind, entity key, score)}."""
    with Store(ingest_articles(folder, rules, articles)) as store:
        summary = generate_candidates(store)
        rows = store.db.execute(
            """SELECT s1.text, s2.text, c.kind, c.entity_key, c.score FROM contradictions c
               JOIN sentences s1 ON s1.id = c.sentence1_id
               JOIN sentences s2 ON s2.id = c.sentence2_id"""
        ).fetchall()
    found = {frozenset((a, b)): (kind, key, score) for a, b, kind, key, score in rows}
    assert len(found) == len(rows) == summary.proposed
    return found


def pair(found: dict, one: str, two: str):
    return found.get(frozenset((one, two)))


def article(*sentences: str) -> str:
    return ZENTRIX + "\n\n" + " ".join(sentences)


IMPOSED = "The Commerce Department imposed sanctions on Zentrix on Monday."
CONSIDERING = "The Commerce Department is considering sanctions on Zentrix."
ALSO_IMPOSED = "The Commerce Department imposed fresh sanctions on Zentrix."
NOT_PLANNED = "The Commerce Department does not plan any sanctions on Zentrix."
OTHER_COMPANY = "The Commerce Department is considering sanctions on Brightway."
OTHER_EVENT = "Zentrix is considering layoffs at its Ohio plant."


def test_modality_and_negation_and_what_must_not_pair(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [
            ("2024-03-01", article(IMPOSED)),
            ("2024-03-02", article(CONSIDERING)),
            ("2024-03-02", article(ALSO_IMPOSED)),
            ("2024-03-03", article(NOT_PLANNED)),
            ("2024-03-02", "Brightway Ltd. ships parcels.\n\n" + OTHER_COMPANY),
            ("2024-03-04", article(OTHER_EVENT)),
        ],
    )
    assert pair(found, IMPOSED, CONSIDERING)[:2] == ("modality", "zentrix")
    assert pair(found, ALSO_IMPOSED, CONSIDERING)[:2] == ("modality", "zentrix")
    assert pair(found, IMPOSED, NOT_PLANNED)[:2] == ("negation", "zentrix")
    assert pair(found, CONSIDERING, NOT_PLANNED)[:2] == ("negation", "zentrix")
    # The same stance: two reports that agree.
    assert pair(found, IMPOSED, ALSO_IMPOSED) is None
    # Another company, though the same department and the same event.
    for text in (IMPOSED, ALSO_IMPOSED, NOT_PLANNED):
        assert pair(found, text, OTHER_COMPANY) is None
    # Another event about the same company (layoffs, not sanctions).
    for text in (IMPOSED, ALSO_IMPOSED, NOT_PLANNED):
        assert pair(found, text, OTHER_EVENT) is None
    # Nothing else: no pair repeats under a second entity, no intro sentence pairs.
    assert all(ZENTRIX not in side for key in found for side in key)


TRUMP = "The Trump administration banned Zentrix from federal contracts."
BIDEN = "The Biden administration banned Zentrix from federal contracts."
PRESIDENT_BIDEN = "President Joe Biden banned Zentrix from federal contracts."


def test_actor(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [
            ("2024-03-01", article(TRUMP)),
            ("2024-03-01", article(BIDEN)),
            ("2024-03-02", article(PRESIDENT_BIDEN)),
        ],
    )
    assert pair(found, TRUMP, BIDEN)[:2] == ("actor", "zentrix")
    assert pair(found, TRUMP, PRESIDENT_BIDEN)[:2] == ("actor", "zentrix")
    # "the Biden administration" and "President Joe Biden" are one actor.
    assert pair(found, BIDEN, PRESIDENT_BIDEN) is None


FELL_10 = "Zentrix shares fell 10% on Monday."
FELL_25 = "Zentrix shares fell 25% on Monday."
FELL_ABOUT_10 = "Zentrix shares fell about 11% on Monday."
REVENUE_25 = "Zentrix revenue rose 25% last quarter."


def test_numeric(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [
            ("2024-03-04", article(FELL_10)),
            ("2024-03-04", article(FELL_25)),
            ("2024-03-04", article(FELL_ABOUT_10)),
            ("2024-03-05", article(REVENUE_25)),
        ],
    )
    assert pair(found, FELL_10, FELL_25)[:2] == ("numeric", "zentrix")
    assert pair(found, FELL_ABOUT_10, FELL_25)[:2] == ("numeric", "zentrix")
    # "about 11%" and "10%" agree within what "about" allows.
    assert pair(found, FELL_10, FELL_ABOUT_10) is None
    # The same number for another measured thing is another event.
    assert pair(found, FELL_25, REVENUE_25) is None
    assert pair(found, FELL_10, REVENUE_25) is None


MARCH_2021 = "The Commerce Department sanctioned Zentrix in March 2021."
JUNE_2023 = "The Commerce Department sanctioned Zentrix in June 2023."
IN_2021 = "The Commerce Department sanctioned Zentrix in 2021 over its exports."


def test_temporal(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [
            ("2024-03-01", article(MARCH_2021)),
            ("2024-03-01", article(JUNE_2023)),
            ("2024-03-02", article(IN_2021)),
        ],
    )
    assert pair(found, MARCH_2021, JUNE_2023)[:2] == ("temporal", "zentrix")
    assert pair(found, IN_2021, JUNE_2023)[:2] == ("temporal", "zentrix")
    # "in 2021" does not say a month: it agrees with March 2021.
    assert pair(found, MARCH_2021, IN_2021) is None


def test_reports_published_years_apart_rank_below_reports_days_apart(tmp_path, rules):
    near = candidates(
        tmp_path / "near",
        rules,
        [("2024-03-01", article(IMPOSED)), ("2024-03-02", article(CONSIDERING))],
    )
    far = candidates(
        tmp_path / "far",
        rules,
        [("2019-03-01", article(IMPOSED)), ("2024-03-02", article(CONSIDERING))],
    )
    near_score = pair(near, IMPOSED, CONSIDERING)[2]
    far_score = pair(far, IMPOSED, CONSIDERING)[2]
    assert far_score < near_score / 4


def test_a_block_is_compared_within_a_window_not_all_pairs(tmp_path, rules):
    articles = [
        (f"2024-03-{day:02d}", article(IMPOSED if day % 2 else CONSIDERING, f"It is day {day}."))
        for day in range(1, 21)
    ]
    with Store(ingest_articles(tmp_path, rules, articles)) as store:
        summary = generate_candidates(store, window=3, per_claim=3)
        stored = store.db.execute("SELECT count(*) FROM contradictions").fetchone()[0]
    assert summary.claims == 20
    # 20 claims in one (entity, event) block: at most 20 × 3 comparisons, not 190.
    assert summary.comparisons <= summary.blocks * 20 * 3 < summary.blocks * 20 * 19 // 2
    # Neighbours in date order still meet: imposed / considering alternate.
    assert stored == summary.proposed > 0
