"""ENTITY mentions: people, organisations and places.

With a trained pipeline its NER finds them (PERSON, ORG, GPE, LOC, FAC), and
company names it misses are added by rule. The rules alone use capitalisation,
read against the evidence of the whole document: a word that starts a sentence,
or stands in a title-case headline, counts as a name only if the document
writes it capitalised in the middle of sentences more often than not.
"""

import functools
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from annotator.datafiles import read_data
from annotator.nlp.extensions import doc_text
from annotator.nlp.tokens import Tokens, tokens_of

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
    data = read_data("annotator.nlp", "entities.json")
    return Lexicon(**{k: frozenset(v) for k, v in data.items() if not k.startswith("_")})


# A capitalised word as the tokenizer cuts it: "U.S.", "S.P.", "Hikvision" of "Hikvision’s".
_NAME_WORD = re.compile(r"(?<![\w.’'])[A-Z][^\W_]*(?:\.[^\W\d_]+)*\.?")
_LOWER_WORD = re.compile(r"\b[a-z][a-z]+\b")
_LONG_WORD = re.compile(r"\b[A-Za-z]{4,}\b")
# A colon opens a clause as a full stop opens a sentence: a transcript's
# "SPEAKER: And we…", or "He said: We will…". The word after one is a name only on
# the evidence of its capitals elsewhere, as at a sentence start.
_SENTENCE_OPENERS = frozenset('.!?“":')


@functools.lru_cache(maxsize=4096)
def _is_title_case(text: str) -> bool:
    words = _LONG_WORD.findall(text)
    capitalised = sum(w[0].isupper() for w in words)
    return len(words) >= 3 and capitalised / len(words) >= TITLE_CASE_SHARE


def _name_words(text: str) -> list[tuple[int, int, str, bool | None]]:
    """(start, end, lower-case word, at a sentence start) for each capitalised word.
    After initials that follow no name ("the U.S. Commerce Department", "back in
    the U.S. Many voters") whether a sentence starts is not known (None): the
    document's own capitals decide (_rule_runs)."""
    found = []
    for match in _NAME_WORD.finditer(text):
        word = match.group()
        if word.endswith(".") and word.count(".") == 1 and len(word) > 3:
            word = word[:-1]  # the full stop after "Pte", not part of the name
        at_start = _opens(text, match.start())
        if at_start and _INITIALS.search(text, 0, match.start()):
            at_start = None
        found.append((match.start(), match.start() + len(word), word.lower(), at_start))
    return found


# The full stop of a title or an initial ("Gov. John Kasich", "George W. Bush")
# ends no sentence.
_INITIALS_AFTER_A_NAME = re.compile(r"\b[A-Z][a-z]+\s+(?:[A-Z]\.)+$")
_INITIALS = re.compile(r"\b(?:[A-Z]\.)+\s*$")
_WORD_WITH_FULL_STOP = re.compile(r"\b(\w+\.)$")


def _opens(text: str, offset: int) -> bool:
    """Whether the word at `offset` opens a sentence (or a clause after a colon)."""
    before = text[:offset].rstrip()
    if not before or before[-1] not in _SENTENCE_OPENERS:
        return not before
    if before[-1] == ".":
        # "George W. Bush", but not "back to the U.S. Many voters": initials end
        # no sentence after a name.
        if _INITIALS_AFTER_A_NAME.search(before):
            return False
        found = _WORD_WITH_FULL_STOP.search(before)
        if found and found.group(1).lower() in lexicon().title_words:
            return False
    return True


def _evidence(texts: Sequence[str], words: Sequence[list]) -> tuple[Counter, Counter]:
    upper, lower = Counter(), Counter()
    for text, found in zip(texts, words, strict=True):
        if _is_title_case(text):
            continue
        upper.update(w for _, _, w, at_start in found if at_start is False)
        lower.update(_LOWER_WORD.findall(text))
    return upper, lower


@functools.cache
def _connector_gap() -> re.Pattern:
    words = "|".join(re.escape(w) for w in lexicon().connectors)
    return re.compile(rf"\s+(?:(?:{words})\s+)?")


@functools.cache
def _company_tail() -> re.Pattern:
    words = "|".join(re.escape(w) for w in sorted(lexicon().company_words, key=len, reverse=True))
    return re.compile(rf"(?:\s+(?:{words})\b)+", re.IGNORECASE)


def _rule_runs(
    text: str, found: list, upper: Counter, lower: Counter
) -> list[tuple[int, int, str]]:
    """Runs of name words as character offsets, with a type: ORG when company words
    are part of the name, else UNKNOWN."""
    lex = lexicon()
    title_case = _is_title_case(text)
    names = [
        (start, end, word)
        for start, end, word, at_start in found
        if word not in lex.not_entities
        and word not in lex.title_words
        and (not (title_case or at_start) or upper[word] > lower[word])
        # after initials: a word the document writes in lower case starts a sentence
        and (at_start is not None or lower[word] <= upper[word])
    ]
    gap = _connector_gap()
    runs = []
    k = 0
    while k < len(names):
        start, end, word = names[k]
        words = {word}
        k += 1
        while k < len(names) and gap.fullmatch(text, end, names[k][0]):
            end = names[k][1]
            words.add(names[k][2])
            k += 1
        tail = _company_tail().match(text, end)
        if tail and any(w in lex.legal_forms for w in tail.group().lower().split()):
            # "Hikvision digital technology company": a name and its legal form in lower case.
            end = tail.end()
            words.update(tail.group().lower().split())
        runs.append((start, end, "ORG" if words & lex.company_words else "UNKNOWN"))
    return runs


def _trim(tokens: Tokens, i: int, j: int) -> tuple[int, int]:
    """Tokens [i, j) without a leading "the" or punctuation, and without a trailing
    possessive or punctuation."""
    lower, punct = tokens.lower, tokens.is_punct
    while i < j and (lower[i] == "the" or punct[i]):
        i += 1
    while j > i and (lower[j - 1] in ("’s", "'s", "’") or punct[j - 1]):
        j -= 1
    return i, j


def _proven(word: str, upper: Counter, lower: Counter) -> bool:
    """The document writes `word` capitalised mid-sentence more often than not."""
    return upper[word] > lower[word]


def _headline(doc: Doc) -> bool:
    """Title case in the words the model left outside its names: "Insisting Ortega
    Erred, Mayor Vance Doubles Down", not "Ann Roe campaigned in Oregon", whose many
    names alone would make it look like a headline."""
    named = {t.i for ent in doc.ents for t in ent}
    words = [t.text for t in doc if t.i not in named and t.is_alpha and len(t) >= 4]
    if not words:
        # The model took the whole title for one name ("Port Officials Say Ferry Will
        # Not Run"): its words are all there is to judge by.
        words = [t.text for t in doc if t.is_alpha and len(t) >= 4]
        if len(words) < 4:
            return False
    capitalised = sum(w[0].isupper() for w in words)
    return bool(words) and capitalised / len(words) >= TITLE_CASE_SHARE


def _without_unproven_edges(
    tokens: Tokens, i: int, j: int, upper: Counter, lower: Counter, headline: bool
) -> tuple[int, int]:
    """A model's name in a title-case headline, or opening a sentence, without the
    words there that only the capitals made look like a name: "Insisting Ortega
    Erred" → "Ortega", "Longtime Ortega" → "Ortega". In a headline whose name has
    no word the document writes as a name elsewhere, nothing is left. `headline`:
    the sentence is one (`_headline`)."""
    if headline:
        words = [tokens.lower[k] for k in range(i, j)]
        if not any(_proven(w, upper, lower) for w in words):
            return i, i
        while i < j and not _proven(tokens.lower[i], upper, lower):
            i += 1
        while j > i and not _proven(tokens.lower[j - 1], upper, lower):
            j -= 1
        return i, j
    at_start = i < j and _opens(tokens.text, tokens.starts[i])
    if at_start and j - i > 1 and not _proven(tokens.lower[i], upper, lower):
        word = tokens.lower[i]
        if lower[word] > 0:  # a common word of this document: "Longtime", "Standard"
            i += 1
    return i, j


_LEADING_THE = re.compile(r"the\b", re.IGNORECASE)


def _name_span(tokens: Tokens, start: int, end: int) -> tuple[int, int] | None:
    """The tokens inside text[start:end] (as char_span's "contract" finds them),
    trimmed, in characters. A run that is already whole tokens, ends in a letter or
    digit and does not start with "the" needs no token lists: the common case."""
    text = tokens.text
    if (
        text[end - 1].isalnum()
        and not _LEADING_THE.match(text, start)
        and tokens.aligned(start, end)
    ):
        return start, end
    i = bisect_left(tokens.starts, start)
    j = bisect_right(tokens.ends, end)
    i, j = _trim(tokens, i, j)
    return tokens.char_range(i, j) if i < j else None


def _written_as_a_name(text: str) -> bool:
    """A name has letters, and a capital in a script that has them: the model's
    "n’t", "us", "matchup", "757" or "46%-35" are no names; "北京" is one."""
    return any(c.isupper() for c in text) or (
        any(c.isalpha() for c in text) and not any(c.islower() for c in text)
    )


def find_entities(docs: Sequence[Doc], trained: bool) -> list[list[tuple[int, int, str]]]:
    """ENTITY mentions for each sentence of one document: (start, end, type), in
    characters."""
    texts = [doc_text(doc) for doc in docs]
    words = [_name_words(text) for text in texts]
    upper, lower = _evidence(texts, words)
    found = []
    for doc, text, names in zip(docs, texts, words, strict=True):
        tokens = tokens_of(doc)
        spans = []
        taken: list[tuple[int, int]] = []
        if trained and doc.has_annotation("ENT_IOB"):
            headline = _headline(doc)
            for ent in doc.ents:
                if ent.label_ not in ENTITY_TYPES:
                    continue
                start, end = _trim(tokens, ent.start, ent.end)
                if ent.label_ == "PERSON":
                    # "Billionaire Ann Roe", "Bashing Ortega is easy": a person's
                    # name is proper nouns; the tagger says so where the NER does not.
                    while end - start > 1 and doc[start].pos_ not in ("PROPN", ""):
                        start += 1
                start, end = _without_unproven_edges(tokens, start, end, upper, lower, headline)
                chars = tokens.char_range(start, end) if start < end else None
                if chars and _written_as_a_name(text[chars[0] : chars[1]]):
                    spans.append((*chars, ent.label_))
                    taken.append(chars)
        for start_char, end_char, kind in _rule_runs(text, names, upper, lower):
            if trained and kind != "ORG":
                continue  # the model's NER saw these words and did not call them a name
            chars = _name_span(tokens, start_char, end_char)
            if chars is None or any(chars[0] < e and s < chars[1] for s, e in taken):
                continue
            spans.append((*chars, kind))
        found.append(sorted(spans, key=lambda s: s[0]))
    return found
