import pytest

from annotator.core.entities import entity_key, link_entities, list_entities
from annotator.core.ingest import ingest
from annotator.nlp.pipeline import Pipeline, installed_trained_model
from tests.conftest import CORPUS

MODELS = ["rules"] + (["auto"] if installed_trained_model() else [])


@pytest.mark.parametrize(
    ("a", "b"),
    [("the U.S.", "US"), ("Hikvision’s", "Hikvision"), ("The White House", "white house")],
)
def test_same_key(a, b):
    assert entity_key(a) == entity_key(b)


@pytest.mark.parametrize(("a", "b"), [("U.S.", "Washington"), ("White House", "U.S.")])
def test_different_key(a, b):
    assert entity_key(a) != entity_key(b)


@pytest.mark.parametrize("model", MODELS)
def test_hikvision_is_one_entity_with_its_four_names(store, model):
    ingest(store, [CORPUS], pipeline=Pipeline(model))
    entities = list_entities(store)
    hikvision = [e for e in entities if any("hikvision" in a.casefold() for a in e["aliases"])]
    assert len(hikvision) == 1, hikvision
    assert hikvision[0]["name"] == "Hikvision"
    assert {
        "Hikvision",
        "Tech Hikvision",
        "Hangzhou Hikvision Digital Technology Company",
        "Hikvision digital technology company",
    } <= set(hikvision[0]["aliases"])
    assert hikvision[0]["documents"] == 2
    by_alias = {alias: e["id"] for e in entities for alias in e["aliases"]}
    assert len({by_alias["U.S."], by_alias["Washington"], by_alias["White House"]}) == 3


def test_relinking_keeps_ids_and_follows_rejections(store):
    ingest(store, [CORPUS], pipeline=Pipeline("rules"))
    before = {e["name"]: e["id"] for e in list_entities(store)}
    with store.write() as db:
        db.execute(
            """UPDATE spans SET status = 'rejected' WHERE label = 'ENTITY' AND id IN (
                   SELECT sp.id FROM spans sp JOIN sentences s ON s.id = sp.sentence_id
                   WHERE substr(s.text, sp.start + 1, sp."end" - sp.start) = 'Tech Hikvision')"""
        )
    link_entities(store)
    after = {e["name"]: e for e in list_entities(store)}
    assert after["Hikvision"]["id"] == before["Hikvision"]
    assert "Tech Hikvision" not in after["Hikvision"]["aliases"]


def test_the_word_after_a_speaker_label_starts_a_sentence_not_a_name():
    # A transcript turn: "SPEAKER: words". The capitalised word after the colon opens
    # the turn as it would open a sentence; it is a name only on other evidence.
    from annotator.nlp.entities import find_entities

    nlp = Pipeline("rules").nlp
    lines = [
        "HOLT: And we are back with the candidates in Hempstead.",
        "CLINTON: Well, I think Senator Warren was right about Hempstead.",
        "TRUMP: We have to bring jobs back, and Warren knows it.",
        "HOLT: So let us talk about trade, and Clinton will answer first.",
    ]
    found = find_entities([nlp(line) for line in lines], trained=False)
    names = {line[s:e] for line, spans in zip(lines, found, strict=True) for s, e, _ in spans}
    assert not names & {"And", "Well", "We", "So"}, names
    assert {"Hempstead", "Warren", "Clinton"} <= names, names


def _model_names(*lines: str) -> list[set[str]]:
    """The ENTITY names the trained pipeline finds in each line of one document."""
    from annotator.nlp.entities import find_entities

    nlp = Pipeline("auto").nlp
    found = find_entities([nlp(line) for line in lines], trained=True)
    return [{line[s:e] for s, e, _ in spans} for line, spans in zip(lines, found, strict=True)]


@pytest.mark.skipif("auto" not in MODELS, reason="needs the trained model")
def test_a_headline_word_the_model_joins_to_a_name_is_left_out():
    # Title-case headlines and sentence openings make common words look like names
    # to the model ("Insisting Ortega Erred" as one person); the document's own
    # capitals decide which words are names.
    names = _model_names(
        "Insisting Ortega Erred, Mayor Vance Doubles Down On Budget Attack",
        "Longtime Ortega aide Ann Roe said the budget was fine.",
        "Mayor Vance said Maria Ortega erred, and a longtime ally of the mayor agreed.",
        "Vance has been insisting on cuts for a year, and Ortega doubles her bet.",
        "Bashing Ortega is easy for Vance.",
    )
    assert not any(n.startswith(("Insisting", "Longtime")) for n in names[0] | names[1]), names
    assert not any(n.endswith(("Erred", "Down", "Attack")) for n in names[0]), names
    assert "Ann Roe" in names[1], names
    assert "Ortega" in names[4] and not any(n.startswith("Bashing") for n in names[4])


@pytest.mark.skipif("auto" not in MODELS, reason="needs the trained model")
def test_a_headline_the_model_takes_whole_for_a_name_is_no_name():
    names = _model_names(
        "Port Officials Say Ferry Will Not Run",
        "Harbour officials said the ferry would not run this winter.",
    )[0]
    assert not any("Ferry" in n or "Say" in n for n in names), names


@pytest.mark.skipif("auto" not in MODELS, reason="needs the trained model")
def test_a_word_the_model_calls_a_place_without_a_capital_is_no_name():
    # en_core_web_sm types the "n’t" of "weren’t" as a place (GPE).
    names = _model_names(
        "The committee reported that many donor names weren’t disclosed.",
        "Veterans might not be as strong as those who don’t.",
    )
    assert not any("n’t" in n for n in names[0] | names[1]), names


def test_a_full_stop_of_a_title_or_an_initial_opens_no_sentence():
    # The rules read a word after a sentence's full stop as a name only on the
    # evidence of its capitals elsewhere; "Gov." and "W." end no sentence.
    from annotator.nlp.entities import _opens

    text = "Later Gov. John Kasich met George W. Bush. Then he left."
    assert not _opens(text, text.index("John"))
    assert not _opens(text, text.index("Bush"))
    assert _opens(text, text.index("Then"))
    assert _opens(text, 0)
    # Initials after no name end an abbreviation and a sentence at once.
    text = "He flew back to the U.S. Many voters were angry in Washington, D.C. The mayor left."
    assert _opens(text, text.index("Many"))
    assert _opens(text, text.index("The mayor"))


def test_a_title_before_an_institution_noun_stays_but_an_honorific_goes():
    from annotator.core.entity_names import read_name

    assert read_name("Justice Department", "the ", " said").words == ("Justice", "Department")
    assert read_name("Justice Scalia", "", " wrote").words == ("Scalia",)
    assert read_name("Mrs. Court", "", " said").words == ("Court",)


def test_after_initials_the_document_decides_whether_a_sentence_starts():
    """The sentence splitter cannot tell "the U.S. Commerce Department" from "back
    to the U.S. Many voters": a word the document writes in lower case starts a
    sentence, a word it never does is part of the name."""
    import spacy

    from annotator.nlp.entities import find_entities

    nlp = spacy.blank("en")
    lines = [
        "Officials at the U.S. Commerce Department said the rule was final.",
        "He flew back to the U.S. Many voters were angry, and many said so.",
        "He lives in Washington, D.C. The mayor disagreed, and the aide agreed.",
    ]
    found = find_entities([nlp(line) for line in lines], trained=False)
    names = [[line[s:e] for s, e, _ in spans] for line, spans in zip(lines, found, strict=True)]
    assert names == [["U.S. Commerce Department"], ["U.S."], ["Washington", "D.C."]]


def test_a_name_has_letters_and_a_capital_where_its_script_has_capitals():
    from annotator.nlp.entities import _written_as_a_name

    assert [_written_as_a_name(t) for t in ("n’t", "us", "757", "46%-35", "北京", "U.S.")] == [
        False,
        False,
        False,
        False,
        True,
        True,
    ]
