"""HEDGE proposals: modal and hedging cues, from the word list in data/hedges.json.

All cues are one regular expression over the sentence text, longest first, so
that "is considering" wins over "considering"; a match counts only where it
starts and ends on token boundaries.
"""

import functools
import re

from spacy.tokens import Doc

from annotator.datafiles import read_data
from annotator.nlp.extensions import doc_words
from annotator.nlp.tokens import tokens_of


@functools.cache
def _cues() -> list[dict]:
    return read_data("annotator.nlp", "hedges.json")["cues"]


_MODALS = frozenset({"could", "would", "might", "may", "can"})
_NEGATIONS = frozenset({"not", "n't", "never"})


@functools.cache
def _not_hedging() -> tuple[tuple[str, ...], ...]:
    return tuple(
        tuple(p) for p in read_data("annotator.nlp", "hedges.json")["not_hedging_after_modal"]
    )


def _refusal_after(lower: list[str], i: int) -> bool:
    """Token i is a modal that says no more than that someone did not (or would
    like to) do something: "could not recall", "wouldn't comment", "would like"."""
    if lower[i] not in _MODALS:
        return False
    after = ["not" if w in _NEGATIONS else w for w in lower[i + 1 : i + 4]]
    return any(tuple(after[: len(p)]) == p for p in _not_hedging())


def _word_pattern(word: str) -> str:
    if word.startswith("*"):
        return r"\w+" + re.escape(word[1:])  # "*ing": a longer word ending in "ing"
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"\w*"
    return re.escape(word)


@functools.cache
def _index() -> tuple[re.Pattern, frozenset[str]]:
    """The pattern, and the first words of the cues (a sentence without any of
    them is not searched). A cue that keeps fewer words than it matches puts the
    kept words in a group named `keep`."""
    alternatives = []
    for n, cue in sorted(enumerate(_cues()), key=lambda c: (-len(c[1]["tokens"]), c[0])):
        words = [_word_pattern(w) for w in cue["tokens"]]
        keep = cue.get("keep", len(words))
        kept, rest = " ".join(words[:keep]), " ".join(words[keep:])
        if rest:
            kept = f"(?P<keep{n}>{kept}) {rest}"
        if cue.get("case_sensitive"):
            kept = f"(?-i:{kept})"
        alternatives.append(kept)
    pattern = re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)
    return pattern, frozenset(cue["tokens"][0].casefold() for cue in _cues())


def find_hedges(doc: Doc) -> list[tuple[int, int]]:
    """Character offsets of the hedge cues in `doc`."""
    pattern, first_words = _index()
    if doc_words(doc).isdisjoint(first_words):
        return []
    tokens = tokens_of(doc)
    found = []
    for match in pattern.finditer(tokens.text):
        start, end = match.start(), match.end()
        if match.lastgroup:
            end = match.end(match.lastgroup)
        if not (tokens.aligned(start, end) and tokens.aligned(start, match.end())):
            continue
        first = tokens.index(start)
        if end - start == len(tokens.lower[first]) and _refusal_after(tokens.lower, first):
            continue
        found.append((start, end))
    return found
