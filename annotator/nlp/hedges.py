"""HEDGE proposals: modal and hedging cues, from the word list in data/hedges.json.

One regular expression over the sentence text finds where a cue can start;
only there are tokens looked at, which keeps the rule pipeline near the tokenizer's speed.
"""

import functools
import re

from spacy.tokens import Doc, Span

from annotator.datafiles import read_data
from annotator.nlp.extensions import doc_text, doc_words

LABEL = "HEDGE"


@functools.cache
def _cues() -> list[dict]:
    return read_data("annotator.nlp", "hedges.json")["cues"]


@functools.cache
def _index() -> tuple[re.Pattern, dict[str, list[tuple[list[str], int, bool]]]]:
    """A regular expression for the first words of the cues, and for each first word
    its cues, longest first, so that "is considering" wins over "considering"."""
    by_first: dict[str, list[tuple[list[str], int, bool]]] = {}
    for cue in _cues():
        words = cue["tokens"]
        entry = (words, cue.get("keep", len(words)), cue.get("case_sensitive", False))
        by_first.setdefault(words[0].casefold(), []).append(entry)
    for entries in by_first.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    alternation = "|".join(re.escape(w) for w in sorted(by_first, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE), by_first


def _token_matches(token_text: str, word: str, case_sensitive: bool) -> bool:
    if word.startswith("*"):
        return token_text.lower().endswith(word[1:]) and len(token_text) > len(word) - 1
    if word.endswith("*"):
        return token_text.lower().startswith(word[:-1])
    return token_text == word if case_sensitive else token_text.lower() == word


def find_hedges(doc: Doc) -> list[Span]:
    pattern, by_first = _index()
    if doc_words(doc).isdisjoint(by_first):
        return []
    spans = []
    done = 0
    for match in pattern.finditer(doc_text(doc)):
        first = doc.char_span(match.start(), match.end())
        if first is None or first.start < done:
            continue  # inside a longer word, or inside the cue before
        i = first.start
        for words, keep, case_sensitive in by_first[match.group().casefold()]:
            end = i + len(words)
            if end <= len(doc) and all(
                _token_matches(doc[i + k].text, w, case_sensitive) for k, w in enumerate(words)
            ):
                spans.append(Span(doc, i, i + keep, label=LABEL))
                done = end
                break
    return spans
