"""What our components keep on a spaCy Doc, in its user_data."""

import re

from spacy.tokens import Doc


def doc_text(doc: Doc) -> str:
    """The text of `doc`, built once: spaCy joins the tokens again on every `doc.text`."""
    text = doc.user_data.get("annotator_text")
    if text is None:
        text = doc.user_data["annotator_text"] = doc.text
    return text


_LETTERS = re.compile(r"[^\W\d_]+")


def doc_words(doc: Doc) -> frozenset[str]:
    """The lower-case words of `doc`: a cheap test of whether a lexicon can match at all."""
    words = doc.user_data.get("annotator_words")
    if words is None:
        words = doc.user_data["annotator_words"] = frozenset(
            _LETTERS.findall(doc_text(doc).lower())
        )
    return words


def with_text(doc: Doc, text: str) -> Doc:
    doc.user_data["annotator_text"] = text
    return doc
