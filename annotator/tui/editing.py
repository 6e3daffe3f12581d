"""Cursor, selection and span-boundary arithmetic over a sentence's text.

Pure functions on Python string indices (the stored offsets), so that the screen
and the tests agree on what "one word" is. A word is a run of word characters or
one punctuation mark; spaces separate words and belong to none. An apostrophe
between letters is inside the word ("O’Brien", "don’t"), except before a
possessive's s: "Trump" of "Trump’s" is a name a reviewer selects alone.
"""

import re
from dataclasses import dataclass

_WORD = re.compile(r"\w+(?:['’](?![sS]\b)\w+)*|[^\w\s]")


def words(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text)]


def next_word_start(text: str, position: int) -> int:
    for start, _ in words(text):
        if start > position:
            return start
    return max(len(text) - 1, 0)


def previous_word_start(text: str, position: int) -> int:
    found = 0
    for start, _ in words(text):
        if start >= position:
            break
        found = start
    return found


def word_end(text: str, position: int) -> int:
    """The last character of the word after `position` (vim's `e`)."""
    for _, end in words(text):
        if end - 1 > position:
            return end - 1
    return max(len(text) - 1, 0)


def clamp(text: str, position: int) -> int:
    return min(max(position, 0), max(len(text) - 1, 0))


@dataclass
class Cursor:
    """The reviewer's place in the sentence, and the selection's other end while one is
    made: `v` starts it at the cursor, moves extend it, escape drops it."""

    position: int = 0
    anchor: int | None = None
    selecting: bool = False

    def reset(self, position: int = 0) -> None:
        self.position, self.anchor, self.selecting = position, None, False

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.anchor is None:
            return None
        chosen = Selection(self.anchor, self.position)
        return chosen.start, chosen.end

    def target(self, text: str, unit: str, direction: int) -> int:
        """Where a move by `unit` ("char", "word", "end", "line") in `direction` lands."""
        if unit == "char":
            return self.position + direction
        if unit == "word":
            if direction > 0:
                return next_word_start(text, self.position)
            return previous_word_start(text, self.position)
        if unit == "end":
            return word_end(text, self.position)
        return 0 if direction < 0 else len(text) - 1

    def move(self, text: str, unit: str, direction: int) -> None:
        if not self.selecting:
            self.anchor = None
        self.position = clamp(text, self.target(text, unit, direction))

    def extend(self, text: str, unit: str, direction: int) -> None:
        if self.anchor is None:
            self.anchor = self.position
        self.position = clamp(text, self.target(text, unit, direction))

    def toggle(self) -> None:
        if self.selecting or self.anchor is not None:
            self.clear()
        else:
            self.selecting, self.anchor = True, self.position

    def clear(self) -> None:
        self.selecting, self.anchor = False, None


@dataclass(frozen=True)
class Selection:
    """Characters from `anchor` to `cursor`, both included, in either order."""

    anchor: int
    cursor: int

    @property
    def start(self) -> int:
        return min(self.anchor, self.cursor)

    @property
    def end(self) -> int:
        """Exclusive, like a stored span."""
        return max(self.anchor, self.cursor) + 1


def _is_word(text: str, start: int) -> bool:
    return text[start].isalnum() or text[start] == "_"


def grow_start(text: str, start: int, end: int, by_word: bool) -> int:
    if not by_word:
        return max(start - 1, 0)
    # A word, not the comma or quotation mark before it: punctuation is taken a
    # character at a time, on purpose.
    return max((s for s, _ in words(text) if s < start and _is_word(text, s)), default=start)


def shrink_start(text: str, start: int, end: int, by_word: bool) -> int:
    candidate = next((s for s, _ in words(text) if s > start), end) if by_word else start + 1
    # Never past the last character: a span keeps at least one.
    return min(candidate, end - 1)


def grow_end(text: str, start: int, end: int, by_word: bool) -> int:
    if not by_word:
        return min(end + 1, len(text))
    return next((e for s, e in words(text) if e > end and _is_word(text, s)), end)


def shrink_end(text: str, start: int, end: int, by_word: bool) -> int:
    if by_word:
        candidate = max((e for _, e in words(text) if e < end), default=start + 1)
    else:
        candidate = end - 1
    return max(candidate, start + 1)
