import pytest
import spacy

from annotator.nlp.hedges import find_hedges


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.S. administration is considering imposing limits.", ["is considering"]),
        (
            "The U.S. considered imposing potentially harsh sanctions.",
            ["considered", "potentially"],
        ),
        ("It is waiting on whether to add the firm.", ["is waiting on whether"]),
        ("Its rumored involvement and alleged abuses.", ["rumored", "alleged"]),
        (
            "A decision is unlikely; it could, would or may change.",
            ["unlikely", "could", "would", "may"],
        ),  # fmt: skip
        (
            "The Biden administration is weighing sanctions, reportedly.",
            ["is weighing", "reportedly"],
        ),
        ("In May the sanctions were imposed.", []),
        # a refusal or a failure to remember is not a hedge on a claim; a modal on one is
        (
            "She could not recall the call and would not comment, but said it might recur.",
            ["might"],
        ),
        ("He couldn't be reached; aides would like a vote that could fail.", ["could"]),
        ("The sanctions were imposed on the company.", []),
    ],
)
def test_hedge_cues(nlp, text, expected):
    assert [text[start:end] for start, end in find_hedges(nlp(text))] == expected
