"""The per-entity listing names an entity's other names once each."""

from annotator.contradictions.listing import render


def test_spellings_that_differ_only_in_case_are_named_once():
    group = {
        "entity": "Ann Roe",
        "aliases": ["Roe", "Ann Roe", "ROE", "ANN ROE", "AnN Roe", "Ms. Roe"],
        "contradictions": [],
    }
    header = render([group]).splitlines()[0]
    assert header == "Ann Roe (also: Roe; Ms. Roe): 0 links"
