"""Entity linking on sentences written for these tests: a surname and a titled
surname are the full name of their document, an epithet is only an alias, a
county of a list of counties is no person, and "state" is a common noun."""

import pytest

from annotator.core.entities import list_entities
from annotator.core.ingest import ingest
from annotator.nlp.pipeline import Pipeline, installed_trained_model

MODELS = ["rules"] + (["auto"] if installed_trained_model() else [])

HILLARY = """Hillary Clinton spoke to voters in Ohio on Monday.

Clinton said the plan would lower costs for families. Later, Mrs. Clinton met teachers in Dayton.

Donald Trump called her Crooked Hillary at a rally. Crooked Hillary, he said, would raise taxes. \
He repeated that Crooked Hillary could not be trusted.

The state budget was discussed, and each state sent officials. The state party chairman spoke.
"""
BILL = """Bill Clinton campaigned in Arkansas on Tuesday. Clinton told supporters that turnout \
would decide the race.

Former Secretary of State Madeleine Albright joined him. State officials said the state would \
count every ballot.

Critics called the deal crooked, and a crooked contract was cancelled.
"""
MOORE = """The filmmaker Michael Moore released a documentary about the election. Moore said \
the film would change minds.

Heavy rain closed schools in Beaufort, Moore and Cumberland counties on Wednesday, state \
officials said.
"""


@pytest.fixture(params=MODELS)
def linked(request, store, tmp_path):
    for name, text in (("hillary", HILLARY), ("bill", BILL), ("moore", MOORE)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    ingest(store, [tmp_path / f"{n}.txt" for n in ("hillary", "bill", "moore")],
           pipeline=Pipeline(request.param))  # fmt: skip
    return store


def _linked_to(store, sentence_words: str, mention: str) -> list[str]:
    """Names of the entities the mentions `mention` in the sentence containing
    `sentence_words` are linked to, in order."""
    rows = store.db.execute(
        """SELECT e.name FROM spans sp JOIN sentences se ON se.id = sp.sentence_id
           JOIN entity_mentions m ON m.span_id = sp.id JOIN entities e ON e.id = m.entity_id
           WHERE se.text LIKE '%' || ? || '%'
             AND substr(se.text, sp.start + 1, sp."end" - sp.start) = ?
           ORDER BY sp.start""",
        [sentence_words, mention],
    )
    return [name for (name,) in rows]


def test_surname_and_titled_surname_are_the_full_name_of_their_document(linked):
    assert _linked_to(linked, "lower costs", "Clinton") == ["Hillary Clinton"]
    assert _linked_to(linked, "met teachers", "Clinton") == ["Hillary Clinton"]
    assert _linked_to(linked, "spoke to voters", "Hillary Clinton") == ["Hillary Clinton"]
    # Another document's Clinton is the Clinton that document names.
    assert _linked_to(linked, "told supporters", "Clinton") != ["Hillary Clinton"]


def test_an_epithet_is_an_alias_never_the_canonical_name(linked):
    entities = list_entities(linked)
    assert not [e for e in entities if e["name"] == "Crooked Hillary"]
    assert set(_linked_to(linked, "raise taxes", "Crooked Hillary")) <= {"Hillary Clinton"}


def test_a_county_of_a_list_is_not_the_person_of_that_surname(linked):
    county = _linked_to(linked, "Cumberland counties", "Moore")
    assert county and "Michael Moore" not in county
    assert county == ["Moore County"]


def test_state_is_a_common_noun_not_an_entity(linked):
    names = {e["name"].casefold() for e in list_entities(linked)}
    assert "state" not in names
