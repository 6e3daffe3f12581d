"""What the core hands a proposal pipeline for each sentence. Defined here, below both,
so that the core stores proposals without importing the NLP layer that makes them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SentenceInput:
    text: str
    is_english: bool
    paragraph: int = 0
