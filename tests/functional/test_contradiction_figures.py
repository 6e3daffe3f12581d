"""Contradiction candidates from figures, on sentences written for these tests: the
rules that keep real news from flooding the list with figures that do not
disagree (a hypothetical figure, a figure of another moment, two figures of one
article that count different things, a repeated sentence with the same figures),
each beside the pair that must still be proposed."""

import pytest

from annotator.nlp.pipeline import Pipeline
from tests.functional.test_contradiction_kinds import ZENTRIX, candidates, pair


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    return Pipeline("rules")


def article(*sentences: str) -> str:
    return ZENTRIX + "\n\n" + " ".join(sentences)


RAISED_21 = "Zentrix said it raised $21 million in donations in January for its robot museum."
RAISED_24 = "Zentrix said it raised $24 million in donations in January for its robot museum."


def test_money_raised_in_a_named_month_is_compared_weeks_later(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [("2024-02-01", article(RAISED_24)), ("2024-02-20", article(RAISED_21))],
    )
    assert pair(found, RAISED_24, RAISED_21)[:2] == ("numeric", "zentrix")


CUT_400 = "Zentrix has cut 400 jobs at its Ohio plant so far, the union said."
CUT_650 = "Zentrix has cut 650 jobs at its Ohio plant so far, the union said."


def test_running_counts_are_compared_only_within_a_week(tmp_path, rules):
    weeks = candidates(
        tmp_path / "weeks",
        rules,
        [("2024-03-01", article(CUT_400)), ("2024-03-12", article(CUT_650))],
    )
    # Eleven days apart: two moments of a count that changes, not one figure twice.
    assert pair(weeks, CUT_400, CUT_650) is None
    days = candidates(
        tmp_path / "days",
        rules,
        [("2024-03-01", article(CUT_400)), ("2024-03-03", article(CUT_650))],
    )
    assert pair(days, CUT_400, CUT_650)[:2] == ("numeric", "zentrix")


WOULD_NEED = "To open the plant, Zentrix would need 300 engineers at its Ohio site."
HAS = "Zentrix has 450 engineers at its Ohio site, the company said."


def test_a_hypothetical_figure_is_not_compared(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [("2024-03-01", article(WOULD_NEED)), ("2024-03-01", article(HAS))],
    )
    assert pair(found, WOULD_NEED, HAS) is None


TWO_PLANTS = "Zentrix has cut 300 jobs at its Ohio plant and 200 jobs at its Texas plant."
TWO_PLANTS_AGAIN = (
    "Zentrix has now cut 300 jobs at its Ohio plant and 200 jobs at its Texas plant, "
    "the union said."
)


def test_a_sentence_repeated_with_the_same_figures_is_not_a_pair(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [("2024-03-01", article(TWO_PLANTS, "Sales rose.", TWO_PLANTS_AGAIN))],
    )
    # 300 and 200 are two figures of each sentence, not two values of one figure:
    # the sentences agree on both.
    assert pair(found, TWO_PLANTS, TWO_PLANTS_AGAIN) is None


OHIO = "Zentrix cut 120 jobs at its Ohio plant last week."
SALES = "Separately, Zentrix also cut 45 jobs in its sales offices across the country."
OVERALL_221 = "Overall, Zentrix has cut 221 jobs this year."
OVERALL_182 = "Overall, Zentrix has cut 182 jobs this year."


def test_figures_of_one_article_pair_only_when_their_sentences_say_the_same(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [
            (
                "2024-03-01",
                article(OHIO, SALES, "Its shares were unchanged.", OVERALL_221, OVERALL_182),
            )
        ],
    )
    # Two counts of one article for two parts of the company.
    assert pair(found, OHIO, SALES) is None
    # The same sentence with two figures: a figure updated or mistyped.
    assert pair(found, OVERALL_221, OVERALL_182)[:2] == ("numeric", "zentrix")


WILL_VOTE = "Zentrix workers will vote on the contract in the union election."
DID_NOT_VOTE = "Zentrix workers did not vote on the contract in the union election."


def test_election_events_differ_only_by_figures(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [("2024-03-01", article(WILL_VOTE)), ("2024-03-02", article(DID_NOT_VOTE))],
    )
    # "will vote" / "did not vote" is said of different voters and ballots, sentence
    # after sentence, in election news: no stance pair on votes.
    assert pair(found, WILL_VOTE, DID_NOT_VOTE) is None


ANCHOR = "Zentrix raised $24 million in donations in January for its robot museum."
ONCE = "Zentrix raised $21 million in donations in January for its robot museum."
# The same sentence again as a pull quote.
AGAIN = "“Zentrix raised $21 million in donations in January for its robot museum.”"


def test_a_sentence_printed_twice_in_one_article_makes_one_candidate(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [
            ("2024-02-01", article(ANCHOR)),
            ("2024-02-02", article(ONCE, "Its shares were unchanged.", AGAIN)),
        ],
    )
    proposed = [pair(found, ANCHOR, ONCE), pair(found, ANCHOR, AGAIN)]
    assert [p[:2] for p in proposed if p] == [("numeric", "zentrix")]


DENIAL = "Zentrix said that it did not pay taxes on its Ohio profits last year."
FINDING = "State auditors found that Zentrix paid taxes on its Ohio profits last year."
THIRD_PARTY = "State auditors said that Zentrix did not pay taxes on its Ohio profits last year."
GROUP = "Zentrix lawyers said that it did not pay taxes on its Ohio profits last year."
HEDGED_FINDING = (
    "State auditors found that Zentrix expanded without ever paying its state taxes "
    "on its Ohio profits last year."
)


def test_the_entitys_own_denial_against_another_sources_assertion(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [
            ("2024-03-01", article(DENIAL)),
            ("2024-03-02", article(FINDING)),
            ("2024-03-02", article(THIRD_PARTY)),
            ("2024-03-03", article(GROUP)),
            ("2024-03-03", article(HEDGED_FINDING)),
        ],
    )
    assert pair(found, DENIAL, FINDING)[:2] == ("negation", "zentrix")
    # The denial is the auditors', or Zentrix's lawyers', not Zentrix's own.
    assert pair(found, THIRD_PARTY, FINDING) is None
    assert pair(found, GROUP, FINDING) is None
    # "without ever paying its state taxes" asserts nothing about paying them.
    assert pair(found, DENIAL, HEDGED_FINDING) is None


EMAILS_DENIAL = "Zentrix said that its emails did not hold classified material last year."
NONE_OF_THEM = "Auditors said that none of the Zentrix emails held classified material last year."


def test_none_of_denies(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [("2024-03-01", article(EMAILS_DENIAL)), ("2024-03-02", article(NONE_OF_THEM))],
    )
    # The auditors repeat the denial in other words: nothing to check.
    assert pair(found, EMAILS_DENIAL, NONE_OF_THEM) is None


ORDERED = "A state court ordered Zentrix to pay taxes on its Ohio profits last year."


def test_an_order_to_do_something_does_not_say_it_was_done(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [("2024-03-01", article(DENIAL)), ("2024-03-02", article(ORDERED))],
    )
    # Being ordered to pay taxes is not having paid them: nothing the denial contradicts.
    assert pair(found, DENIAL, ORDERED) is None


SERVER_DENIAL = "Zentrix said that its Ohio server did not hold classified material last year."
_CARELESS = (
    "said that Zentrix had kept classified material on its private Ohio server for years, "
    "and that its managers had been careless about security, backups, passwords, visitors, "
    "laptops, contractors, audits and shredded paper records."
)
NAMED_FINDING = "The Justice Department " + _CARELESS
UNNAMED_FINDING = "Many critics " + _CARELESS


def test_a_named_source_asserting_what_the_entity_denies_needs_less_overlap(tmp_path, rules):
    found = candidates(
        tmp_path,
        rules,
        [
            ("2024-03-01", article(SERVER_DENIAL)),
            ("2024-03-02", article(NAMED_FINDING)),
            ("2024-03-02", article(UNNAMED_FINDING)),
        ],
    )
    # The finding says much more than the short denial (an overlap under MIN_OVERLAP):
    # told by a named source, it is still the question to check.
    assert pair(found, SERVER_DENIAL, NAMED_FINDING)[:2] == ("negation", "zentrix")
    # Told by nobody named, the same words are not enough.
    assert pair(found, SERVER_DENIAL, UNNAMED_FINDING) is None
