"""A sentence's tokens as plain Python lists, shared by the rule components.

Reading a Token out of a spaCy Doc (`doc[i]`, `doc.char_span`) costs about a
microsecond and a half each time; the rules look at tokens hundreds of times
per sentence. Walking the Doc once and keeping what the rules read in lists
makes each later look a list index. Each list is built on first use, so a
sentence with nothing to find pays only for the token starts.
"""

import functools
from bisect import bisect_left
from collections.abc import Callable

from spacy.attrs import IS_PUNCT
from spacy.tokens import Doc

from annotator.nlp.extensions import doc_text

_KEY = "annotator_tokens"


class Tokens:
    __slots__ = ("doc", "text", "_starts", "_start_set", "_ends", "_lower", "_punct")

    def __init__(self, doc: Doc, text: str):
        self.doc = doc
        self.text = text
        self._starts: list[int] | None = None
        self._start_set: frozenset[int] | None = None
        self._ends: list[int] | None = None
        self._lower: list[str] | None = None
        self._punct: list[bool] | None = None

    def _bounds(self) -> None:
        starts, ends = [], []
        for t in self.doc:
            start = t.idx
            starts.append(start)
            ends.append(start + len(t))
        self._starts, self._ends = starts, ends

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._bounds()
        return self._starts

    @property
    def ends(self) -> list[int]:
        if self._ends is None:
            self._bounds()
        return self._ends

    @property
    def lower(self) -> list[str]:
        """Each token's text in lower case (spaCy's `lower_`)."""
        if self._lower is None:
            text = self.text
            self._lower = [text[s:e].lower() for s, e in zip(self.starts, self.ends, strict=True)]
        return self._lower

    @property
    def is_punct(self) -> list[bool]:
        """Each token's `is_punct`, by the function spaCy's vocabulary computes it with."""
        if self._punct is None:
            is_punct, text = _is_punct(self.doc.vocab), self.text
            self._punct = [is_punct(text[s:e]) for s, e in zip(self.starts, self.ends, strict=True)]
        return self._punct

    def token_text(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def space_after(self, i: int) -> bool:
        return self.ends[i] < self.starts[i + 1] if i + 1 < len(self.starts) else False

    def is_start(self, char: int) -> bool:
        if self._start_set is None:
            self._start_set = frozenset(self.starts)
        return char in self._start_set

    def aligned(self, start: int, end: int) -> bool:
        """Whether text[start:end] begins and ends on token boundaries
        (`doc.char_span(start, end, alignment_mode="strict")` would find it)."""
        if not 0 <= start < end <= len(self.text) or not self.is_start(start):
            return False
        text = self.text
        if not text[end - 1].isspace():
            # A token never holds a space: one that ends in a non-space character
            # ends where the next token starts, at a space, or at the end.
            return end == len(text) or text[end] == " " or self.is_start(end)
        return end in self.ends

    def index(self, char: int) -> int:
        """The token that starts at `char` (which must be a token start)."""
        return bisect_left(self.starts, char)

    def token_range(self, start: int, end: int) -> tuple[int, int] | None:
        """Token indices [i, j) of an aligned character span, else None."""
        if not self.aligned(start, end):
            return None
        starts = self.starts
        return bisect_left(starts, start), bisect_left(starts, end)

    def char_range(self, i: int, j: int) -> tuple[int, int]:
        """Character offsets of tokens [i, j); an empty range sits at token i's start."""
        if j <= i:
            at = self.starts[i] if i < len(self.starts) else len(self.text)
            return at, at
        return self.starts[i], self.ends[j - 1]


def tokens_of(doc: Doc) -> Tokens:
    tokens = doc.user_data.get(_KEY)
    if tokens is None:
        tokens = doc.user_data[_KEY] = Tokens(doc, doc_text(doc))
    return tokens


@functools.cache
def _is_punct(vocab) -> Callable[[str], bool]:
    """spaCy's is_punct for this vocabulary, remembered per text."""
    return functools.lru_cache(maxsize=65536)(vocab.lex_attr_getters[IS_PUNCT])
