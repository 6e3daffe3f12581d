"""Reading brat standoff gold, on small files written for these tests."""

import pytest

from annotator.core.errors import RefusedInput
from annotator.export.brat import parse_ann, read_folder
from annotator.nlp.attribution_eval import looks_anonymous, quotes_in

TEXT = (
    "“We will not back down,” the mayor said on Monday. “Not now,” she added, “not ever.”\n\n"
    "Two officials, who spoke on condition of anonymity, said the plan was dead.\n"
)


def offsets(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def ann_for(text: str) -> str:
    q1 = offsets(text, "“We will not back down,”")
    src1 = offsets(text, "the mayor")
    cue1 = offsets(text, "said")
    q2a = offsets(text, "“Not now,”")
    q2b = offsets(text, "“not ever.”")
    src2 = offsets(text, "she")
    cue2 = offsets(text, "added")
    src3 = offsets(text, "Two officials, who spoke on condition of anonymity")
    cue3 = offsets(text, "said", src3[1])
    con3 = offsets(text, "the plan was dead")
    lines = [
        f"T1\tContent {q1[0]} {q1[1]}\t{text[q1[0] : q1[1]]}",
        f"T2\tSource {src1[0]} {src1[1]}\tthe mayor",
        f"T3\tCue {cue1[0]} {cue1[1]}\tsaid",
        f"T4\tAttribution {cue1[0]} {cue1[1]}\tsaid",
        "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2",
        # a split quotation: one discontinuous content
        f"T5\tContent {q2a[0]} {q2a[1]};{q2b[0]} {q2b[1]}\t"
        f"{text[q2a[0] : q2a[1]]} {text[q2b[0] : q2b[1]]}",
        f"T6\tSource {src2[0]} {src2[1]}\tshe",
        f"T7\tCue {cue2[0]} {cue2[1]}\tadded",
        f"T8\tAttribution {cue2[0]} {cue2[1]}\tadded",
        "E2\tAttribution:T8 Content:T5 Cue:T7 Source:T6",
        # relations instead of an event, as INCEpTION writes them
        f"T9\tSource {src3[0]} {src3[1]}\t{text[src3[0] : src3[1]]}",
        f"T10\tCue {cue3[0]} {cue3[1]}\tsaid",
        f"T11\tContent {con3[0]} {con3[1]}\tthe plan was dead",
        "R1\tSOURCE Arg1:T10 Arg2:T9",
        "R2\tCONTENT Arg1:T10 Arg2:T11",
        "#1\tAnnotatorNotes T1\ta note",
        # brat writes a span's text as it is, line breaks included
        f"T12\tDiscuss 0 {len(text)}\t{text}",
    ]
    return "\n".join(lines) + "\n"


def test_events_relations_and_discontinuous_spans_are_read(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.ann").write_text(ann_for(TEXT), encoding="utf-8")
    [document] = read_folder(tmp_path)
    assert document.text == TEXT
    first, split, related = document.attributions
    assert (first.source.text, first.cue.text) == ("the mayor", "said")
    assert len(split.contents[0].fragments) == 2
    assert [TEXT[s:e] for s, e in split.contents[0].fragments] == ["“Not now,”", "“not ever.”"]
    assert related.source.text.startswith("Two officials")
    assert [c.text for c in related.contents] == ["the plan was dead"]


def test_polnear_layout_takes_one_annotator_per_text(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "story.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "story_aaaa.ann").write_text(ann_for(TEXT), encoding="utf-8")
    (tmp_path / "attributions" / "story_bbbb.ann").write_text("", encoding="utf-8")
    [document] = read_folder(tmp_path)
    assert len(document.attributions) == 3


def test_a_span_outside_the_text_is_refused_with_its_line(tmp_path):
    with pytest.raises(RefusedInput, match=r"x.ann:1:"):
        parse_ann(tmp_path / "x.ann", "T1\tCue 5 500\tsaid\n", "short text")
    with pytest.raises(RefusedInput, match="no .ann file"):
        read_folder(tmp_path)


def test_gold_quotes_are_cut_to_their_marks_in_every_house_style():
    text = "He said ''we won,'' and “Yes.” and \"so\" then."
    found = [text[s:e] for s, e in quotes_in(text, 0, len(text))]
    assert found == ["we won,", "Yes.", "so"]


@pytest.mark.parametrize(
    ("source", "after", "expected"),
    [
        ("officials", "", True),
        ("a spokeswoman for the campaign", "", True),
        ("people familiar with the talks", "", True),
        ("The official", ", who is not authorized to comment publicly, said", True),
        ("Clinton spokesman Brian Fallon", "", False),
        ("Mike Pence", "", False),
    ],
)
def test_what_counts_as_an_anonymous_gold_source(source, after, expected):
    assert looks_anonymous(source, after) is expected


def test_a_name_with_a_role_after_it_is_not_anonymous_gold():
    assert looks_anonymous("Dana Reyes, a spokeswoman for the union,") is False
    assert looks_anonymous("Dana Reyes, the union's spokeswoman") is False
