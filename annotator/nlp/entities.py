"""ENTITY mentions: people, organisations and places.

With a trained pipeline its NER finds them (PERSON, ORG, GPE, LOC, FAC), and
company names it misses are added by rule. The rules alone use capitalisation,
read against the evidence of the whole document: a word that starts a sentence,
or stands in a title-case headline, counts as a name only if the document
writes it capitalised in the middle of sentences more often than not.
"""

import functools
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Doc, Span

LABEL = "ENTITY"
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC")
# A sentence with this share of capitalised words is in title case: capitals carry no evidence.
TITLE_CASE_SHARE = 0.7


@dataclass(frozen=True)
class Lexicon:
    company_words: frozenset[str]
    legal_forms: frozenset[str]
    title_words: frozenset[str]
    not_entities: frozenset[str]
    connectors: frozenset[str]


@functools.cache
def lexicon() -> Lexicon:
    data = json.loads(
        resources.files("annotator.nlp").joinpath("data/entities.json").read_text("utf-8")
    )
    return Lexicon(**{k: frozenset(v) for k, v in data.items() if not k.startswith("_")})


def _capitalised(text: str) -> bool:
    return text[:1].isupper() and (text.isalpha() or (text.replace(".", "").isalpha()))


def _is_title_case(doc: Doc) -> bool:
    words = [t for t in doc if t.is_alpha and len(t) > 3]
    return (
        len(words) >= 3
        and sum(_capitalised(t.text) for t in words) / len(words) >= TITLE_CASE_SHARE
    )


def _evidence(docs: Sequence[Doc]) -> tuple[Counter, Counter]:
    upper, lower = Counter(), Counter()
    for doc in docs:
        if _is_title_case(doc):
            continue
        for tok in doc[1:]:
            if doc[tok.i - 1].is_punct and doc[tok.i - 1].text in '.!?“"':
                continue
            if _capitalised(tok.text):
                upper[tok.lower_] += 1
            elif tok.is_alpha and tok.is_lower:
                lower[tok.lower_] += 1
    return upper, lower


def _rule_runs(doc: Doc, upper: Counter, lower: Counter) -> list[tuple[int, int, str]]:
    lex = lexicon()
    title_case = _is_title_case(doc)

    def name_word(i: int) -> bool:
        tok = doc[i]
        if not _capitalised(tok.text) or tok.lower_ in lex.not_entities:
            return False
        if tok.lower_ in lex.title_words:
            return False
        at_start = i == 0 or (doc[i - 1].is_punct and doc[i - 1].text in '.!?“"')
        if title_case or at_start:
            return upper[tok.lower_] > lower[tok.lower_]
        return True

    runs = []
    i = 0
    while i < len(doc):
        if not name_word(i):
            i += 1
            continue
        start = i
        i += 1
        while i < len(doc):
            if name_word(i):
                i += 1
            elif doc[i].lower_ in lex.connectors and i + 1 < len(doc) and name_word(i + 1):
                i += 2
            else:
                break
        # "Hikvision digital technology company": a name and its legal form in lower case.
        tail = i
        while tail < len(doc) and doc[tail].lower_ in lex.company_words:
            tail += 1
        if any(doc[k].lower_ in lex.legal_forms for k in range(i, tail)):
            i = tail
        words = {t.lower_ for t in doc[start:i]}
        kind = "ORG" if words & lex.company_words else "UNKNOWN"
        runs.append((start, i, kind))
    return runs


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].lower_ in ("’s", "'s", "’") or doc[end - 1].is_punct):
        end -= 1
    return start, end


def find_entities(docs: Sequence[Doc], trained: bool) -> list[list[Span]]:
    """ENTITY spans for each sentence of one document; attrs carry the type."""
    upper, lower = _evidence(docs)
    found = []
    for doc in docs:
        spans = []
        taken: set[int] = set()
        if trained and doc.has_annotation("ENT_IOB"):
            for ent in doc.ents:
                if ent.label_ not in ENTITY_TYPES:
                    continue
                start, end = _trim(doc, ent.start, ent.end)
                if start < end:
                    spans.append(_span(doc, start, end, ent.label_))
                    taken.update(range(start, end))
        for start, end, kind in _rule_runs(doc, upper, lower):
            start, end = _trim(doc, start, end)
            if start >= end or taken.intersection(range(start, end)):
                continue
            if trained and kind != "ORG":
                continue  # the model's NER saw these words and did not call them a name
            spans.append(_span(doc, start, end, kind))
        found.append(sorted(spans, key=lambda s: s.start))
    return found


def _span(doc: Doc, start: int, end: int, kind: str) -> Span:
    span = Span(doc, start, end, label=LABEL)
    span._.attrs = {"type": kind}
    return span
