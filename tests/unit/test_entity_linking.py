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


def _ingested(store, tmp_path, texts: dict[str, str], model: str) -> None:
    """Each text a document of its own, ingested with `model`."""
    paths = []
    for name, text in texts.items():
        paths.append(tmp_path / f"{name}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    ingest(store, paths, pipeline=Pipeline(model))


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


BUSHES = {
    "w": "In 2002, President George W. Bush signed the education bill. Later Mr. Bush said "
    "schools would improve.\n",
    "hw": "In 1989, President George H.W. Bush took office. Then Mr. Bush lost the 1992 "
    "election.\n",
    "p": "In Austin, the land commissioner George P. Bush spoke on Monday. There Mr. Bush "
    "endorsed the governor.\n",
    "family": "Many voters in Texas still remember George Bush and his family fondly, a "
    "pollster said.\n",
    "hrc1": "In 1993, the lawyer Hillary Diane Rodham Clinton moved into the White House "
    "with her family.\n",
    "hrc2": "In 2000, the first lady Hillary Rodham Clinton ran for the Senate and won the seat.\n",
    "hrc3": "In 2016, the nominee Hillary Clinton lost the election. Later Mrs. Clinton "
    "wrote a book about it.\n",
    "fdr": "On the radio, President Franklin D. Roosevelt spoke to the nation. Historians say "
    "Franklin Delano Roosevelt was elected four times, and that Franklin Roosevelt led the "
    "country through the war. Later Mr. Roosevelt said the nation would recover.\n",
}


@pytest.fixture(params=MODELS)
def bushes(request, store, tmp_path):
    _ingested(store, tmp_path, BUSHES, request.param)
    return store


def test_different_middle_initials_are_different_people(bushes):
    # Three Bushes of one first name: no two-word "George Bush" swallows them.
    assert _linked_to(bushes, "schools would improve", "Bush") == ["George W. Bush"]
    assert _linked_to(bushes, "1992 election", "Bush") == ["George H.W. Bush"]
    assert _linked_to(bushes, "endorsed the governor", "Bush") == ["George P. Bush"]


def test_a_middle_name_and_a_longer_middle_are_one_person(bushes):
    linked = {
        *_linked_to(bushes, "moved into", "Hillary Diane Rodham Clinton"),
        *_linked_to(bushes, "ran for the Senate", "Hillary Rodham Clinton"),
        *_linked_to(bushes, "lost the election", "Hillary Clinton"),
        *_linked_to(bushes, "wrote a book", "Clinton"),
    }
    assert len(linked) == 1, linked


def test_an_initial_and_the_name_it_starts_are_one_middle(bushes):
    linked = {
        *_linked_to(bushes, "on the radio", "Franklin D. Roosevelt"),
        *_linked_to(bushes, "four times", "Franklin Delano Roosevelt"),
        *_linked_to(bushes, "four times", "Franklin Roosevelt"),
    }
    assert len(linked) == 1


KASICH = {
    "a": "On Monday, Gov. John Kasich spoke to voters about the economy. Then Kasich said he "
    "would stay in the race.\n",
    "b": "On Tuesday, Gov. John Kasich won his home state. Voters cheered when Kasich "
    "thanked them.\n",
    "f": "On Wednesday, Gov. John Kasich met with several small donors and party "
    "volunteers. Later that day Kasich asked them for more help.\n",
    "c": "On Sunday, Washington was quiet. Many Washington lawmakers left for the holiday.\n",
    "d": "Snow fell across Washington overnight. In Washington, schools opened late.\n",
    "e": "On Friday, the actress Kerry Washington spoke at the convention. Then Washington "
    "praised the nominee.\n",
    "h": "On Saturday, the actress Kerry Washington flew to Washington, where lawmakers "
    "in Washington applauded her speech.\n",
}


def test_a_surname_the_model_types_as_a_place_is_the_person_named_beside_it(store, tmp_path):
    """en_core_web_sm types "Kasich" as a place most of the time; the documents he
    stands in name John Kasich. "Washington" mostly stands where no person of that
    name is, and stays the place there."""
    from annotator.core.entities import link_entities

    _ingested(store, tmp_path, KASICH, "rules")
    # What the model says of these single words, whatever the rules said.
    with store.db.conn:
        store.db.execute(
            """UPDATE spans SET attrs = '{"type": "GPE"}' WHERE label = 'ENTITY'
               AND substr((SELECT text FROM sentences WHERE id = sentence_id),
                          start + 1, "end" - start) IN ('Kasich', 'Washington')"""
        )
    link_entities(store)
    assert _linked_to(store, "stay in", "Kasich") == ["John Kasich"]
    assert _linked_to(store, "cheered", "Kasich") == ["John Kasich"]
    # Half of the documents of "Washington" name Kerry Washington: that makes her
    # the Washington of those documents, not of the others.
    assert _linked_to(store, "was quiet", "Washington") == ["Washington"]
    assert _linked_to(store, "opened late", "Washington") == ["Washington"]
    kasich = next(e for e in list_entities(store) if e["name"] == "John Kasich")
    assert kasich["type"] == "PERSON"


ACRONYMS = {
    "a": "On Monday, the Federal Bureau of Investigation opened an inquiry into the loans. "
    "Later the FBI said the inquiry would take several months.\n",
    "b": "On Tuesday, two FBI agents interviewed the banker in Denver about the loans.\n",
    "c": "On Wednesday, the Institute for Science and International Security published a "
    "report about centrifuges in several countries.\n",
    "d": "On Thursday, ISIS fighters attacked the town, and local officials said the "
    "attack had been expected.\n",
    "g": "On Saturday, the U.S. Senate passed the budget, and several U.S. officials "
    "welcomed the vote in public. One of them told us the vote gave us hope.\n",
    "e": "On Friday, the Ready for Hillary PAC raised more money than expected. A lawyer "
    "for the PAC said the donors were mostly small.\n",
}


@pytest.fixture(params=MODELS)
def acronyms(request, store, tmp_path):
    _ingested(store, tmp_path, ACRONYMS, request.param)
    return store


def test_an_acronym_is_the_name_a_document_spells_it_out_as(acronyms):
    spelled = _linked_to(acronyms, "opened an inquiry", "Federal Bureau of Investigation")
    assert spelled == ["Federal Bureau of Investigation"]
    assert _linked_to(acronyms, "said the inquiry", "FBI") == spelled
    # In another document too: the corpus has one name with these initials.
    assert _linked_to(acronyms, "interviewed the banker", "FBI") == spelled


def test_an_acronym_no_document_spells_out_keeps_its_own_entity(acronyms):
    assert _linked_to(acronyms, "fighters attacked", "ISIS") == ["ISIS"]
    # "U.S. Senate" has the initials US, but it does not spell out "U.S.".
    assert set(_linked_to(acronyms, "officials welcomed", "U.S.")) == {"U.S."}


def test_a_name_with_an_acronym_is_no_person(acronyms):
    """Whatever the model calls "Hillary PAC", "the PAC" is not its surname."""
    from annotator.core.entities import link_entities

    with acronyms.db.conn:
        acronyms.db.execute(
            """UPDATE spans SET attrs = '{"type": "PERSON"}' WHERE label = 'ENTITY'
               AND substr((SELECT text FROM sentences WHERE id = sentence_id),
                          start + 1, "end" - start) LIKE '%PAC'"""
        )
    link_entities(acronyms)
    linked = _linked_to(acronyms, "donors were mostly small", "PAC")
    assert linked and not any("Hillary" in name for name in linked)


MISREAD = {
    "a": "On Monday, Carly Fiorina spoke to voters about jobs. Her husband, "
    "Frank Fiorina, joined her on the stage. Later Fiorina said the economy was weak, "
    "and supporters of Carly Fiorina cheered.\n",
    "b": "On Tuesday, the Justice Department opened an inquiry, and a Justice Department "
    "lawyer said Justice Scalia had once ruled on a similar case.\n",
    "d": "On Thursday, Fiorina told reporters in Des Moines that taxes were too high.\n",
    "c": "On Wednesday, the book Trump v. Trump was reviewed in several papers. Later Trump "
    "said the book was unfair.\n",
}


def _typed(store, kinds: dict[str, str]) -> None:
    """What the model says of these names, whatever the rules said."""
    with store.db.conn:
        for surface, kind in kinds.items():
            store.db.execute(
                """UPDATE spans SET attrs = json_object('type', ?) WHERE label = 'ENTITY'
                   AND substr((SELECT text FROM sentences WHERE id = sentence_id),
                              start + 1, "end" - start) = ?""",
                [kind, surface],
            )


@pytest.fixture
def misread(store, tmp_path):
    from annotator.core.entities import link_entities

    _ingested(store, tmp_path, MISREAD, "rules")
    # en_core_web_sm's readings on real news: Carly Fiorina an organisation (31 of
    # 40 mentions), Frank Fiorina a person; a book title one person's name.
    with store.db.conn:
        store.db.execute(
            """UPDATE spans SET "end" = start + length('Trump v. Trump') WHERE id =
               (SELECT sp.id FROM spans sp JOIN sentences se ON se.id = sp.sentence_id
                WHERE sp.label = 'ENTITY' AND se.text LIKE '%the book Trump v. Trump%'
                ORDER BY sp.start LIMIT 1)"""
        )
    _typed(
        store,
        {"Carly Fiorina": "ORG", "Fiorina": "ORG", "Frank Fiorina": "PERSON"}
        | {"Trump v. Trump": "PERSON", "Trump": "PERSON"},
    )
    link_entities(store)
    return store


def test_a_surname_is_not_the_one_full_name_the_model_typed_a_person(misread):
    assert _linked_to(misread, "economy was weak", "Fiorina") != ["Frank Fiorina"]
    # Nor in a document that names no Fiorina in full.
    assert _linked_to(misread, "taxes were too high", "Fiorina") == ["Fiorina"]


def test_a_name_of_one_word_twice_is_no_person(misread):
    assert _linked_to(misread, "was unfair", "Trump") == ["Trump"]


def test_a_title_before_an_institution_noun_is_part_of_its_name(misread):
    names = _linked_to(misread, "opened an inquiry", "Justice Department")
    assert set(names) == {"Justice Department"}
    assert "Department" not in {e["name"] for e in list_entities(misread)}


def test_an_epithet_of_a_word_no_mention_is_alone_links_without_failing(store, tmp_path):
    """ "Boy Scout" reads as an epithet of the "Scout" of Scout Willis: its
    remaining word names no group of its own."""
    texts = {
        "a": "The actress Scout Willis said she liked the film. Later Ms. Willis said more.\n",
        "b": "He was a Boy Scout as a child, and every boy in town knew it. Another boy "
        "said the troop met weekly.\n",
    }
    _ingested(store, tmp_path, texts, "rules")
    assert _linked_to(store, "liked the film", "Scout Willis") == ["Scout Willis"]
