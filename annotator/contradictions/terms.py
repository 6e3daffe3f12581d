"""The content terms of a claim, for measuring how much two claims say the same.

A term is a content word cut to a crude stem ("adding", "added" -> "add"; "jobs"
-> "job"), so that two reports of one event meet however each inflects it. Two
claims' overlap is the cosine of their terms weighted by inverse document
frequency over all claims: a shared rare word ("Carrier", "Indiana") counts for
more than a shared common one ("people").
"""

import math
from collections import Counter

_SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


def stem(word: str) -> str:
    word = word.casefold().removesuffix("'s").removesuffix("’s")
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                return word
            if suffix == "es" and not word[:-2].endswith(("s", "x", "ch", "sh")):
                continue
            return word[: -len(suffix)] + replacement
    return word


class Weights:
    """Inverse document frequency of terms over the claims of the corpus."""

    def __init__(self, documents: Counter, total: int):
        self.documents = documents
        self.total = max(total, 1)

    def idf(self, term: str) -> float:
        return math.log((self.total + 1) / (self.documents.get(term, 0) + 1)) + 1.0

    def cosine(self, a: frozenset[str], b: frozenset[str]) -> float:
        if not a or not b:
            return 0.0
        shared = sum(self.idf(t) ** 2 for t in a & b)
        if not shared:
            return 0.0
        norm_a = math.sqrt(sum(self.idf(t) ** 2 for t in a))
        norm_b = math.sqrt(sum(self.idf(t) ** 2 for t in b))
        return shared / (norm_a * norm_b)
