"""HEDGE proposals: modal and hedging cues, from the word list in data/hedges.json."""

import functools
import json
from importlib import resources

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

LABEL = "HEDGE"


def _token_pattern(word: str, case_sensitive: bool) -> dict:
    if word.startswith("*"):
        return {"LOWER": {"REGEX": f"{word[1:]}$"}}
    if word.endswith("*"):
        return {"LOWER": {"REGEX": f"^{word[:-1]}"}}
    return {"TEXT": word} if case_sensitive else {"LOWER": word}


@functools.cache
def _cues() -> list[dict]:
    text = resources.files("annotator.nlp").joinpath("data/hedges.json").read_text("utf-8")
    return json.loads(text)["cues"]


@functools.cache
def _matcher(vocab: Vocab) -> tuple[Matcher, dict[str, int]]:
    matcher = Matcher(vocab)
    keep = {}
    for cue in _cues():
        key = " ".join(cue["tokens"])
        matcher.add(
            key, [[_token_pattern(w, cue.get("case_sensitive", False)) for w in cue["tokens"]]]
        )
        keep[key] = cue.get("keep", len(cue["tokens"]))
    return matcher, keep


def find_hedges(doc: Doc) -> list[Span]:
    matcher, keep = _matcher(doc.vocab)
    spans = []
    for match_id, start, _end in matcher(doc):
        key = doc.vocab.strings[match_id]
        spans.append(Span(doc, start, start + keep[key], label=LABEL))
    # "is considering" wins over "considering".
    return sorted(filter_spans(spans), key=lambda s: s.start)
