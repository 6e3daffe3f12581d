import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.nlp.quantities import find_quantities

NLP = spacy.blank("en")


def quantities(text, english=True):
    return [
        (text[start:end], attrs)
        for start, end, attrs in find_quantities(NLP(text), english=english)
    ]


@pytest.mark.parametrize(
    "text, span, attrs",
    [
        # a scale written onto the digits, as some papers do
        (
            "The charity paid $9.7million to the firm.",
            "$9.7million",
            {"value": 9_700_000, "unit": "USD", "qualifier": "="},
        ),
        (
            "a $4billion hole",
            "$4billion",
            {"value": 4_000_000_000, "unit": "USD", "qualifier": "="},
        ),
        (
            "rents last seen in the 1970s",
            "1970s",
            {"value": 1970, "unit": "decade", "qualifier": "="},
        ),
        ("grew 1.0 percent in May", "1.0 percent", {"value": 1, "unit": "%", "qualifier": "="}),
        # an adjective ending in -s is not the unit; the noun after it is
        (
            "after two previous bankruptcies",
            "two previous bankruptcies",
            {"value": 2, "unit": "bankruptcies", "qualifier": "="},
        ),
        (
            "which hold more than 1 million ethnic Uighurs",
            "more than 1 million",
            {"value": 1_000_000, "unit": None, "qualifier": ">"},
        ),
        (
            "Hikvision’s shares opened 10% lower.",
            "10%",
            {"value": 10, "unit": "%", "qualifier": "="},
        ),
        (
            "collapsed by about 10% as the U.S.",
            "about 10%",
            {"value": 10, "unit": "%", "qualifier": "~"},
        ),
        (
            "stock fell by ¥38.24 (Yuan) in Shenzhen",
            "¥38.24",
            {"value": 38.24, "unit": "CNY", "qualifier": "="},
        ),
        (
            "signed by more than 40 lawmakers.",
            "more than 40 lawmakers",
            {"value": 40, "unit": "lawmakers", "qualifier": ">"},
        ),
        ("have a 0% chance of forcing", "0%", {"value": 0, "unit": "%", "qualifier": "="}),
        (
            "by the U.S. in 2019, along with",
            "2019",
            {"value": 2019, "unit": "year", "qualifier": "="},
        ),
        (
            "along with seven other Chinese technology giants",
            "seven",
            {"value": 7, "unit": None, "qualifier": "="},
        ),
        (
            "raised $1.5 billion",
            "$1.5 billion",
            {"value": 1_500_000_000, "unit": "USD", "qualifier": "="},
        ),
        ("a US$40m deal", "US$40m", {"value": 40_000_000, "unit": "USD", "qualifier": "="}),
        (
            "up to 30,000 jobs",
            "up to 30,000 jobs",
            {"value": 30_000, "unit": "jobs", "qualifier": "<="},
        ),
        (
            "between 10 and 20 per cent",
            "between 10 and 20 per cent",
            {"value": 10, "value_max": 20, "unit": "%", "qualifier": "="},
        ),
        # a year before a noun is a year, whatever word comes before it
        (
            "Roe Makes Bold Prediction About 2016 Race",
            "2016",
            {"value": 2016, "unit": "year", "qualifier": "="},
        ),
        ("eyeing 2020 campaigns", "2020", {"value": 2020, "unit": "year", "qualifier": "="}),
        (
            "twenty-five people",
            "twenty-five people",
            {"value": 25, "unit": "people", "qualifier": "="},
        ),
    ],
)
def test_quantity_span_and_normalised_attributes(text, span, attrs):
    assert quantities(text) == [(span, attrs)]


@pytest.mark.parametrize(
    "text",
    [
        "one of the people who declined",
        "It deals with a blow",
        "S.P. Pte.",
        # the day of a month is a date, not a figure
        "until the July 25 vote",
        "she said on Nov. 9.",
        "on 25 July the vote",
        "polled Oct. 25-28 by phone",
    ],
)
def test_no_quantity(text):
    assert quantities(text) == []


def test_non_english_gets_digits_only():
    found = quantities("Der Umsatz stieg um 10% auf fünf Millionen im Jahr 2019, sagte er.", False)
    assert [span for span, _ in found] == ["10%", "2019"]


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("0123456789,.%$¥ -abcmore thanlionpeople")), max_size=80)
)
def test_every_span_aligns_strictly_and_values_are_numbers(text):
    doc = NLP(text)
    for start, end, attrs in find_quantities(doc):
        aligned = doc.char_span(start, end, alignment_mode="strict")
        assert aligned is not None and aligned.text == text[start:end]
        assert isinstance(attrs["value"], int | float)
