"""`annotator import --format brat`: a folder of brat standoff (`.txt` + `.ann`, as
brat, INCEpTION and PolNeAR write it) as native records, so that a team's gold is
reviewed, exported and scored like anything else.

Each document is segmented as ingest segments it (same paragraphs, same
sentences), and each gold attribution becomes, per sentence its content runs
through, one attribution of ours: the `Source` and `Cue` as SOURCE and CUE spans in
the sentence of the source, the `Content` as a QUOTE span when it opens with a
quotation mark, else as the reported clause (offsets only, as our proposals have
it). Everything is `accepted` and `human`: it is gold. brat marks a source, not its
kind: a source that reads as unnamed (an official, an aide, people familiar with,
a stated reason) is `anonymous`, any other `named_person`, and an attribution
without a source `unattributed`; a reviewer corrects the rest. A cue in another
sentence than its source cannot be stored with it and is left out.
"""

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from annotator.core.ingest import content_hash
from annotator.core.language import detect
from annotator.core.segment import Sentence, split_paragraphs, split_sentences
from annotator.core.store import now
from annotator.export.brat import BratAttribution, BratDocument, BratSpan
from annotator.export.source_kinds import REASON, looks_anonymous

_OPENING_MARKS = ("“", '"', "''", "«", "„", "‘‘", "``")
_SPACE = " \t\r\n"


@dataclass
class _Sentence:
    """A sentence's record as it is built."""

    record: dict
    start: int
    spans: dict[tuple[int, int, str], int] = field(default_factory=dict)


class _Builder:
    def __init__(self, reviewer: str | None):
        self.reviewer = reviewer
        self.stamp = now()
        self.ids = {"sentence": 0, "span": 0, "attribution": 0}

    def next_id(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    def span(self, sentence: _Sentence, start: int, end: int, label: str, attrs=None) -> dict:
        """The span at document offsets [start, end) in `sentence`, made once."""
        key = (start, end, label)
        text = sentence.record["text"]
        local = (start - sentence.start, end - sentence.start)
        if key not in sentence.spans:
            span_id = self.next_id("span")
            sentence.spans[key] = span_id
            sentence.record["spans"].append(
                {
                    "id": span_id, "start": local[0], "end": local[1], "label": label,
                    "text": text[local[0] : local[1]], "status": "accepted", "origin": "human",
                    "attrs": attrs or {}, "entity": None, "reviewer": self.reviewer,
                    "updated_at": self.stamp,
                }
            )  # fmt: skip
        return {
            "span_id": sentence.spans[key],
            "start": local[0],
            "end": local[1],
            "text": text[local[0] : local[1]],
        }


def _sentence_at(sentences: Sequence[Sentence], offset: int) -> int | None:
    for k, s in enumerate(sentences):
        if s.start <= offset < s.end:
            return k
    return None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end


def _in_one_sentence(
    text: str, sentences: Sequence[Sentence], span: BratSpan
) -> tuple[int, int, int] | None:
    """A source or cue as (sentence, start, end): its fragments joined, cut to the
    sentence it starts in."""
    k = _sentence_at(sentences, span.start)
    if k is None:
        return None
    start, end = _trim(text, span.start, min(span.end, sentences[k].end))
    return (k, start, end) if end > start else None


def _content_pieces(
    text: str, sentences: Sequence[Sentence], contents: list[BratSpan]
) -> Iterator[tuple[int, int, int]]:
    """Each content fragment cut at sentence ends: (sentence, start, end)."""
    for content in contents:
        for f_start, f_end in content.fragments:
            for k, s in enumerate(sentences):
                start, end = _trim(text, max(f_start, s.start), min(f_end, s.end))
                if end > start:
                    yield k, start, end


def _kind(text: str, sentence: Sentence, source: tuple[int, int, int] | None):
    """The kind of a gold source, and the reason it is unnamed where one is given:
    the clause of the source that says it ("who spoke on condition of anonymity"),
    or what follows the cue up to a comma ("said, speaking on condition of
    anonymity")."""
    if source is None:
        return "unattributed", None
    _, start, end = source
    words, after = text[start:end], text[end : sentence.end]
    if not looks_anonymous(words, after):
        return "named_person", None
    inside = REASON.search(words)
    if inside is not None:
        clause = words.rfind(",", 0, inside.start()) + 1
        return "anonymous", words[clause:].strip(" ,")
    found = REASON.search(after)
    if found is None:
        return "anonymous", None
    opening = after.rfind(",", 0, found.start())
    if opening < 0:
        # "said on condition of anonymity": from the preposition that opens it.
        opening = max(
            after.rfind(" on ", 0, found.start()), after.rfind(" because ", 0, found.start())
        )
    closing = after.find(",", found.end())
    closing = len(after) if closing < 0 else closing
    return "anonymous", after[max(opening, 0) : closing].strip(" ,.;") or None


def _attributions(
    builder: _Builder,
    text: str,
    sentences: Sequence[Sentence],
    built: list[_Sentence],
    gold: BratAttribution,
) -> None:
    source = _in_one_sentence(text, sentences, gold.source) if gold.source else None
    cue = _in_one_sentence(text, sentences, gold.cue) if gold.cue else None
    if source is not None and cue is not None and cue[0] != source[0]:
        cue = None
    pieces = list(_content_pieces(text, sentences, gold.contents))
    if not pieces:
        return
    home = source[0] if source else cue[0] if cue else pieces[0][0]
    kind, reason = _kind(text, sentences[home], source)
    for k, start, end in pieces:
        owner = built[home]
        source_ref = (
            builder.span(owner, source[1], source[2], "SOURCE", {"kind": kind}) if source else None
        )
        cue_ref = builder.span(owner, cue[1], cue[2], "CUE") if cue else None
        direct = text.startswith(_OPENING_MARKS, start)
        target = built[k]
        if direct:
            content = builder.span(target, start, end, "QUOTE")
        else:
            local = (start - target.start, end - target.start)
            content = {
                "span_id": None,
                "start": local[0],
                "end": local[1],
                "text": target.record["text"][local[0] : local[1]],
            }
        content["sentence_id"] = target.record["id"]
        owner.record["attributions"].append(
            {
                "id": builder.next_id("attribution"), "kind": kind, "reason": reason,
                "source": source_ref, "cue": cue_ref, "content": content,
                "resolved_to": None, "status": "accepted", "origin": "human",
                "reviewer": builder.reviewer, "updated_at": builder.stamp,
            }
        )  # fmt: skip


def records(
    documents: Sequence[BratDocument], reviewer: str | None = None
) -> Iterator[tuple[str, dict]]:
    """(where, native record) for each sentence of each document, in order: a
    record's attributions may point at a sentence after it, which the importer
    allows."""
    builder = _Builder(reviewer)
    for number, document in enumerate(documents, 1):
        text = document.text
        paragraphs = split_paragraphs(text)
        sentences = split_sentences(text, paragraphs)
        if not sentences:
            continue
        sha = content_hash(text)
        lang = detect(text).code
        built = []
        for index, s in enumerate(sentences):
            paragraph = paragraphs[s.paragraph_index]
            built.append(
                _Sentence(
                    {
                        "id": builder.next_id("sentence"),
                        "document_id": number,
                        "document_sha256": sha,
                        "source": {
                            "outlet": None,
                            "url": None,
                            "published": None,
                            "author": None,
                            "title": document.name,
                        },
                        "paragraph": {
                            "index": s.paragraph_index,
                            "kind": paragraph.kind,
                            "boilerplate": False,
                        },
                        "index": index,
                        "document_offset": s.start,
                        "lang": lang,
                        "text": text[s.start : s.end],
                        "spans": [],
                        "attributions": [],
                        "labels": [],
                        "ratings": [],
                        "reviewer": reviewer,
                        "answer": None,
                        "_timestamp": None,
                    },  # fmt: skip
                    s.start,
                )
            )
        for gold in document.attributions:
            _attributions(builder, text, sentences, built, gold)
        for index, sentence in enumerate(built):
            yield f"{document.name}: sentence {index}", sentence.record


def lines(documents: Sequence[BratDocument], reviewer: str | None = None):
    """The records as the JSON lines `annotator import` reads."""
    for where, record in records(documents, reviewer):
        yield where, json.dumps(record, ensure_ascii=False).encode("utf-8")
