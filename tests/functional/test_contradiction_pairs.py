"""Contradiction candidates on sentences written for these tests, for the cases
that made real news noisy: two figures for one measure within rounding words, a
headline against the sentence it summarises, a quotation against its own
paraphrase, and a claim tied to an entity only by its article's topic.

Each non-pair is shown to be a pair when the same two sentences stand in two
documents, so the test fails if the rule that separates them is lost."""

import pytest

from annotator.nlp.pipeline import Pipeline, installed_trained_model
from tests.functional.test_contradiction_kinds import ZENTRIX, candidates, pair

MODELS = ["rules"] + (["auto"] if installed_trained_model() else [])


@pytest.fixture(scope="module", params=MODELS)
def pipeline(request) -> Pipeline:
    return Pipeline(request.param)


ADDED = (
    "The Labor Department said the nation has added 178,000 jobs in the typical month this year."
)
ADDING = (
    "So far this year, the Labor Department reports, the economy is adding roughly "
    "182,000 new jobs a month."
)
ABOUT = "The Labor Department says the economy is adding about 180,000 jobs a month this year."


def test_two_figures_for_one_measure_are_a_numeric_candidate(tmp_path, pipeline):
    found = candidates(
        tmp_path,
        pipeline,
        [("2024-06-07", f"{ADDED} Wages rose.\n\n{ADDING}"), ("2024-06-08", ABOUT)],
    )
    assert pair(found, ADDED, ADDING)[:2] == ("numeric", "labor department")
    # "about 180,000" allows 178,000 and 182,000: rounding, not a disagreement.
    assert pair(found, ADDED, ABOUT) is None
    assert pair(found, ADDING, ABOUT) is None


HEADLINE = "Commerce Department sanctioned Zentrix over its exports to Iran"
CONSIDERING = (
    "The Commerce Department is considering sanctions on Zentrix over its exports to Iran, "
    "officials said."
)


def test_a_headline_and_the_sentence_it_summarises_are_not_a_pair(tmp_path, pipeline):
    one_article = candidates(
        tmp_path / "one", pipeline, [("2024-03-01", f"{HEADLINE}\n\n{ZENTRIX}\n\n{CONSIDERING}")]
    )
    assert pair(one_article, HEADLINE, CONSIDERING) is None
    two_articles = candidates(
        tmp_path / "two",
        pipeline,
        [
            ("2024-03-01", f"{ZENTRIX}\n\n{HEADLINE}."),
            ("2024-03-02", f"{ZENTRIX}\n\n{CONSIDERING}"),
        ],
    )
    assert pair(two_articles, HEADLINE + ".", CONSIDERING)[0] == "modality"


QUOTE = (
    "“We are considering sanctions on Zentrix over its exports to Iran,” a Commerce "
    "Department official said."
)
PARAPHRASE = (
    "The Commerce Department has sanctioned Zentrix over its exports to Iran, an official said."
)


def test_a_quotation_and_its_paraphrase_are_not_a_pair(tmp_path, pipeline):
    one_article = candidates(
        tmp_path / "one", pipeline, [("2024-03-01", f"{ZENTRIX}\n\n{PARAPHRASE} {QUOTE}")]
    )
    assert pair(one_article, PARAPHRASE, QUOTE) is None
    two_articles = candidates(
        tmp_path / "two",
        pipeline,
        [("2024-03-01", f"{ZENTRIX}\n\n{PARAPHRASE}"), ("2024-03-02", f"{ZENTRIX}\n\n{QUOTE}")],
    )
    assert pair(two_articles, PARAPHRASE, QUOTE)[0] == "modality"


NAMED = "Zentrix said it expects the sanctions to hurt sales in Europe."
UNNAMED = "The sanctions would hit its robot exports on Monday, trade officials said."
IMPOSED = "Trade officials imposed sanctions on robot exports from Zentrix on Monday."


def test_a_claim_about_the_topic_is_paired_only_inside_its_own_article(tmp_path, pipeline):
    found = candidates(
        tmp_path,
        pipeline,
        [
            ("2024-03-01", f"{ZENTRIX} Zentrix makes robots.\n\n{NAMED} {UNNAMED}"),
            ("2024-03-02", f"{ZENTRIX}\n\n{IMPOSED}"),
        ],
    )
    # The unnamed claim is about Zentrix only beside the claims of its own article:
    # across documents nothing ties "the sanctions" to Zentrix.
    assert pair(found, UNNAMED, IMPOSED) is None
