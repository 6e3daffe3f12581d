"""The content terms of a claim, for measuring how much two claims say the same.

A term is a content word cut to a crude stem ("adding", "added" -> "add"; "jobs"
-> "job"), so that two reports of one event meet however each inflects it. Two
claims' overlap is the cosine of their terms weighted by inverse document
frequency over all claims: a shared rare word ("Carrier", "Indiana") counts for
more than a shared common one ("people").
"""

import functools
import math
from collections import Counter

_SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


@functools.lru_cache(maxsize=65536)
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
    """Inverse document frequency of terms over the claims of the corpus, squared and
    kept per term: a pair's overlap is then one sum over the terms it shares."""

    def __init__(self, documents: Counter, total: int):
        total = max(total, 1)
        self._unseen = (math.log(total + 1) + 1.0) ** 2
        self.squared = {
            term: (math.log((total + 1) / (n + 1)) + 1.0) ** 2 for term, n in documents.items()
        }

    def norm(self, terms: frozenset[str]) -> float:
        squared = self.squared
        return math.sqrt(sum(squared.get(t, self._unseen) for t in terms))

    def cosine(self, shared: frozenset[str], norm_a: float, norm_b: float) -> float:
        """The overlap of two claims from the terms they share and their norms."""
        if not shared or not norm_a or not norm_b:
            return 0.0
        squared = self.squared
        return sum(squared.get(t, self._unseen) for t in shared) / (norm_a * norm_b)
