from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.segment import (
    BODY,
    HEADLINE,
    looks_like_headline,
    split_paragraphs,
    split_sentences,
)
from tests.conftest import CORPUS, SEED_WITH_HEADLINE


def sentences_of(text, markdown=False):
    paragraphs = split_paragraphs(text, markdown=markdown)
    return [text[s.start : s.end] for s in split_sentences(text, paragraphs)]


def test_seed_headline_is_its_own_paragraph_and_sentence():
    text = SEED_WITH_HEADLINE.read_text("utf-8")
    paragraphs = split_paragraphs(text)
    assert paragraphs[0].kind == HEADLINE
    assert text[paragraphs[0].start : paragraphs[0].end] == (
        "The U.S. Could Impose Sanctions on China Tech Hikvision"
    )
    assert sentences_of(text)[0] == "The U.S. Could Impose Sanctions on China Tech Hikvision"
    assert sentences_of(text)[1].startswith("Market shares of Hangzhou Hikvision")


def test_headline_without_blank_line_is_not_glued_to_the_next_sentence():
    text = "Hikvision Shares Fall On Sanctions Report\nShares fell 10% on Monday. Traders sold."
    assert sentences_of(text) == [
        "Hikvision Shares Fall On Sanctions Report",
        "Shares fell 10% on Monday.",
        "Traders sold.",
    ]


def test_a_line_that_runs_on_stays_in_its_sentence():
    text = (CORPUS / "000_a418e7b890b74662.txt").read_text("utf-8")
    joined = [s for s in sentences_of(text) if "blacklist" in s]
    assert len(joined) == 1
    assert joined[0].startswith("Last week") and joined[0].endswith("national security.")
    assert "\nthus effectively" in joined[0]


def test_every_line_of_the_first_seed_is_a_paragraph_except_the_run_on():
    text = (CORPUS / "000_a418e7b890b74662.txt").read_text("utf-8")
    assert len(split_paragraphs(text)) == len(text.strip().splitlines()) - 1


def test_consecutive_quotes_split_with_their_own_opening_marks():
    text = "He added, “It remains to be verified.” “We think it is fair.” “At this point, no.”"
    assert sentences_of(text) == [
        "He added, “It remains to be verified.”",
        "“We think it is fair.”",
        "“At this point, no.”",
    ]


def test_an_upper_case_title_does_not_end_a_sentence():
    text = "The hearing resumed.\n\nMR. DUVALL: We object. MS. ORTIZ: Noted. Mr. Lee agreed."
    assert sentences_of(text) == [
        "The hearing resumed.",
        "MR. DUVALL: We object.",
        "MS. ORTIZ: Noted.",
        "Mr. Lee agreed.",
    ]


def test_a_sentence_never_ends_on_a_comma_after_an_abbreviation_or_a_bang():
    """The sentencizer cuts after "Vt.," "Sr.," "Tex.," or a name with a bang
    ("Yahoo!,"); the words after the comma are the same sentence."""
    text = (
        "Voters backed Sen. Ann Roe (D-Vt.), the poll found. "
        "His father, Ned Roe Sr., ran the farm. "
        "At a rally in Austin, Tex., she spoke. "
        "Three brands fell: Yahoo!, Roe and Vale."
    )
    assert sentences_of(text) == [
        "Voters backed Sen. Ann Roe (D-Vt.), the poll found.",
        "His father, Ned Roe Sr., ran the farm.",
        "At a rally in Austin, Tex., she spoke.",
        "Three brands fell: Yahoo!, Roe and Vale.",
    ]


def test_a_sentence_that_goes_on_in_lower_case_is_one_sentence():
    text = (
        "On Friday, Sen. Ann Roe (I-Vt.) said she would run. "
        "The crowd cheered — “We will win!” — and the balloons fell. "
        "How do you control . . . these banks, she asked. "
        "Fans shouted “Yes!” at the screen. "
        "Ms. Roe left early. none of it mattered."
    )
    assert sentences_of(text) == [
        "On Friday, Sen. Ann Roe (I-Vt.) said she would run.",
        "The crowd cheered — “We will win!” — and the balloons fell.",
        "How do you control . . . these banks, she asked.",
        "Fans shouted “Yes!” at the screen.",
        "Ms. Roe left early.",
        "none of it mattered.",
    ]


def test_a_short_attribution_after_an_exclaimed_quotation_stays_with_it():
    text = "“Are they small hands?” Ann Roe said. “Stop!” The crowd froze and then it ran."
    assert sentences_of(text) == [
        "“Are they small hands?” Ann Roe said.",
        "“Stop!”",
        "The crowd froze and then it ran.",
    ]


def test_markdown_headings_are_headlines_without_their_marks():
    text = (
        "# Sanctions Loom\n\nThe U.S. is weighing limits. It has not decided.\n\n"
        "## Reaction\nShares fell."
    )
    paragraphs = split_paragraphs(text, markdown=True)
    assert [(text[p.start : p.end], p.kind) for p in paragraphs] == [
        ("Sanctions Loom", HEADLINE),
        ("The U.S. is weighing limits. It has not decided.", BODY),
        ("Reaction", HEADLINE),
        ("Shares fell.", BODY),
    ]


def test_a_short_unpunctuated_multi_sentence_line_is_not_a_headline():
    assert not looks_like_headline('He said "Go now." Then left', opens_document=True)
    assert looks_like_headline("The U.S. Could Impose Sanctions", opens_document=False)


paragraph_text = st.text(
    alphabet=st.sampled_from(list('ab c.\n“”"?!U.S Hikvision said\t')), max_size=300
)


@settings(max_examples=300, deadline=None)
@given(paragraph_text)
def test_sentences_lie_inside_paragraphs_in_order_without_overlap(text):
    paragraphs = split_paragraphs(text)
    sentences = split_sentences(text, paragraphs)
    previous_end = 0
    for sentence in sentences:
        paragraph = paragraphs[sentence.paragraph_index]
        assert paragraph.start <= sentence.start < sentence.end <= paragraph.end
        assert sentence.start >= previous_end
        assert text[sentence.start : sentence.end].strip() == text[sentence.start : sentence.end]
        previous_end = sentence.end
    covered = {i for s in sentences for i in range(s.start, s.end)}
    assert all(
        c.isspace()
        for i, c in enumerate(text)
        if i not in covered and not any(p.start <= i < p.end for p in paragraphs)
    )


def test_a_line_signed_after_a_dash_ends_its_paragraph():
    # Readers' comments, one a line, each signed after its closing mark.
    text = (
        "“The plan is a scandal. Nobody asked us.”― Ana Ruiz\n"
        "“I will vote no.” ― Li Wei Chen\n"
        "“Enough is enough.” — Omar K. Haddad."
    )
    paragraphs = split_paragraphs(text)
    assert [text[p.start : p.end] for p in paragraphs] == text.split("\n")
