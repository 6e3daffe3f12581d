"""The entity's own denial of its conduct, on sentences written for these tests:
it meets a report of that conduct however many reports of the entity stand
between them, and the entity's own plain statement in another article."""

import pytest

from annotator.contradictions.generate import generate_candidates
from annotator.core.store import Store
from annotator.nlp.pipeline import Pipeline
from tests.functional.test_contradiction_kinds import ZENTRIX, ingest_articles, pair

DENIAL = "Zentrix said that it did not pay taxes on its Ohio profits last year."
FINDING = "State auditors found that Zentrix paid taxes on its Ohio profits last year."
OWN_WORD = "Zentrix said that it paid taxes on its Ohio profits last year."
FILLERS = [
    "Zentrix hired a new accountant in Dayton to handle its property taxes.",
    "Zentrix opened a warehouse near Toledo whose taxes the county waived.",
    "Zentrix moved its payroll office to Columbus, where city taxes are lower.",
    "Zentrix sponsored a seminar on sales taxes for small retailers in Akron.",
]


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    return Pipeline("rules")


def article(*sentences: str) -> str:
    return ZENTRIX + "\n\n" + " ".join(sentences)


def candidates(folder, rules, articles, window):
    with Store(ingest_articles(folder, rules, articles)) as store:
        generate_candidates(store, window=window)
        rows = store.db.execute(
            """SELECT s1.text, s2.text, c.kind, c.entity_key, c.score FROM contradictions c
               JOIN sentences s1 ON s1.id = c.sentence1_id
               JOIN sentences s2 ON s2.id = c.sentence2_id"""
        ).fetchall()
    return {frozenset((a, b)): (kind, key, score) for a, b, kind, key, score in rows}


def test_a_denial_meets_a_finding_beyond_the_window(tmp_path, rules):
    articles = [("2024-03-01", article(DENIAL))]
    articles += [(f"2024-03-0{2 + i}", article(filler)) for i, filler in enumerate(FILLERS)]
    articles.append(("2024-03-09", article(FINDING)))
    # Four reports of Zentrix's taxes between the two: outside a window of two.
    found = candidates(tmp_path, rules, articles, window=2)
    assert pair(found, DENIAL, FINDING)[:2] == ("negation", "zentrix")


def test_the_entity_contradicting_itself_in_another_article(tmp_path, rules):
    found = candidates(
        tmp_path / "two",
        rules,
        [("2024-03-01", article(DENIAL)), ("2024-03-02", article(OWN_WORD))],
        window=50,
    )
    assert pair(found, DENIAL, OWN_WORD)[:2] == ("negation", "zentrix")
    # In one article they are left alone, as before: an article quoting the entity
    # at length tells its account, and corrects its own quotes, in one place.
    found = candidates(
        tmp_path / "one",
        rules,
        [("2024-03-01", article(DENIAL, "Its shares were unchanged.", OWN_WORD))],
        window=50,
    )
    assert pair(found, DENIAL, OWN_WORD) is None
