"""Quotes, sources, cues and attributions, on the real pipeline (rules and, when
installed, the trained model)."""

import json

import pytest

from annotator.core.segment import split_paragraphs, split_sentences
from annotator.nlp.pipeline import Pipeline, SentenceInput, installed_trained_model
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"
MODELS = ["rules"] + (["auto"] if installed_trained_model() else [])


@pytest.fixture(scope="module", params=MODELS)
def pipeline(request):
    return Pipeline(request.param)


def analyse(pipeline, text, english=True):
    sentences = split_sentences(text, split_paragraphs(text))
    texts = [text[s.start : s.end] for s in sentences]
    found = pipeline.propose_document(
        [
            SentenceInput(t, english, s.paragraph_index)
            for t, s in zip(texts, sentences, strict=True)
        ]
    )
    return texts, found


def quotes(texts, found, resolve=True):
    """(speaker, quote text, kind) for each attributed quotation; with `resolve`, a
    pronoun speaker is replaced by the name it resolves to."""
    result = []
    for a in found.attributions:
        if not a.direct:
            continue
        speaker = None
        if a.source is not None:
            speaker = texts[a.source.sentence][a.source.start : a.source.end]
            if resolve and a.resolved_to:
                speaker = a.resolved_to
        result.append((speaker, texts[a.content.sentence][a.content.start : a.content.end], a.kind))
    return result


def textacy_cases():
    for name in ("textacy_direct_quotations_main.jsonl", "textacy_direct_quotations_pr382.jsonl"):
        for line in (DATA / name).read_text("utf-8").splitlines():
            record = json.loads(line)
            if record["lang"] == "en" and "failing" not in str(record["source"].get("status")):
                yield pytest.param(record, id=record["id"])


@pytest.mark.parametrize("record", list(textacy_cases()))
def test_textacy_direct_quotation_cases(pipeline, record):
    texts, found = analyse(pipeline, record["text"])
    # textacy names the speaker as the text does ("he"), without resolving it.
    got = quotes(texts, found, resolve=False)
    if "expected" in record:
        expected = [(" ".join(e["speaker_tokens"]), e["content"]) for e in record["expected"]]
        assert [(speaker, content) for speaker, content, _ in got] == expected
    else:
        # Upstream checks the speaker tokens of all quotes in order; we split a quotation
        # at sentence ends, so compare the speakers of the quotations we found.
        flat = record["expected_speaker_tokens_flat"]
        speakers = {speaker for speaker, _, _ in got}
        assert got and all(speaker is not None for speaker in speakers)
        assert all(set(s.split()) <= set(flat) | {"the"} for s in speakers), (got, flat)


SEED_004 = (ROOT / "corpus" / "004_b011cb77cabc7fea.txt").read_text("utf-8")
SEED_000 = (ROOT / "corpus" / "000_a418e7b890b74662.txt").read_text("utf-8")


def attribution_with_source(texts, found, source_text):
    for a in found.attributions:
        if a.source is not None and texts[a.source.sentence][a.source.start : a.source.end] == (
            source_text
        ):
            return a
    raise AssertionError(f"no attribution with source {source_text!r}")


def test_anonymous_executive_with_the_stated_reason_and_she_resolved(pipeline):
    texts, found = analyse(pipeline, SEED_000)
    executive = attribution_with_source(
        texts, found, "an executive from Hikvision who declined to be named"
    )
    assert executive.kind == "anonymous"
    assert executive.reason == "declined to be named given the sensitivity of the matter"
    she = attribution_with_source(texts, found, "She")
    assert she.kind == "anonymous"
    assert she.resolved_to == "an executive from Hikvision who declined to be named"
    assert texts[she.content.sentence][she.content.start : she.content.end].startswith(
        "“Even if the U.S. stops selling"
    )


def test_second_seed_attributions(pipeline):
    texts, found = analyse(pipeline, SEED_004)
    person = attribution_with_source(
        texts, found, "one of the people who declined to be identified"
    )
    assert (person.kind, person.reason) == ("anonymous", "declined to be identified")
    outlet = attribution_with_source(texts, found, "the Financial Times")
    assert outlet.kind == "other_outlet" and not outlet.direct
    assert texts[outlet.content.sentence][outlet.content.start : outlet.content.end].startswith(
        "Washington imposed fresh sanctions"
    )
    room = attribution_with_source(texts, found, "individuals in the proverbial room")
    assert room.kind == "anonymous"
    assert attribution_with_source(texts, found, "Wai Ho Leong").kind == "named_person"
    assert attribution_with_source(texts, found, "Hikvision").kind == "named_org"
    council = "A U.S. National Security Council representative"
    assert attribution_with_source(texts, found, council).kind == "named_org"


def test_a_paragraph_of_quotes_goes_on_with_the_speaker_last_named(pipeline):
    texts, found = analyse(pipeline, SEED_004)
    leong = [q for q in quotes(texts, found) if q[0] == "Wai Ho Leong"]
    assert [text[:12] for _, text, _ in leong] == [
        "“This seems ",
        "“The potenti",
        "“We think an",
        "“At this poi",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "These cameras help build “smart cities” or networked urban environments.",
        'Burton thinks that cats are "cuties".',
        'Burton claims that his favorite book is "One Hundred Years of Solitude".',
        "The film “The Great Escape” was shown on Sunday.",
    ],
)
def test_scare_quotes_and_titles_are_not_quotes(pipeline, text):
    texts, found = analyse(pipeline, text)
    assert [p for spans in found.sentences for p in spans if p.label == "QUOTE"] == []


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ("According to Reuters, the deal was signed on Monday.", "Reuters", "According to"),
        (
            "The deal was signed, according to two people familiar with the matter.",
            "two people familiar with the matter",
            "according to",
        ),  # fmt: skip
        ("Officials told reporters that the deal was signed.", "Officials", "told"),
        (
            "The Wall Street Journal reported that the deal was signed.",
            "The Wall Street Journal",
            "reported",
        ),  # fmt: skip
    ],
)
def test_indirect_attribution(pipeline, text, speaker, cue):
    texts, found = analyse(pipeline, text)
    a = attribution_with_source(texts, found, speaker)
    assert texts[a.cue.sentence][a.cue.start : a.cue.end] == cue
    assert not a.direct


def test_kinds_of_indirect_sources(pipeline):
    texts, found = analyse(pipeline, "The Wall Street Journal reported that the deal was signed.")
    assert found.attributions[0].kind == "other_outlet"
    texts, found = analyse(
        pipeline, "The deal was signed, according to two people familiar with the matter."
    )
    assert found.attributions[0].kind == "anonymous"


def test_straight_quotes_over_two_sentences_and_speaker_after(pipeline):
    text = '"We will appeal. We expect to win," said Maria Lopez, a lawyer for the firm.'
    texts, found = analyse(pipeline, text)
    got = quotes(texts, found)
    assert [speaker for speaker, _, _ in got] == ["Maria Lopez"] * len(got)
    assert "".join(t for _, t, _ in got).replace(" ", "") == '"Wewillappeal.Weexpecttowin,"'
    assert got[0][2] == "named_person"


def test_non_english_text_gets_quotes_and_numbers_only(pipeline):
    text = "„Wir lieben Katzen sehr und immer“, sagte Burton am 3. Mai 2021 vor 40 Leuten."
    texts, found = analyse(pipeline, text, english=False)
    labels = {p.label for spans in found.sentences for p in spans}
    assert labels <= {"QUANTITY", "QUOTE"}
    assert "QUANTITY" in labels
    assert all(a.kind == "unattributed" and a.source is None for a in found.attributions)
