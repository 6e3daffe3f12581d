"""Edge conventions learnt from the reviewers' fixes of the pipeline's spans.

A reviewer who fixes a proposal's boundaries rejects it and makes (or accepts) a
span of the same label overlapping it: "continued" becomes "continued:", "said"
becomes "had said". Each such fix moves an edge of the span by whole tokens; each
proposal accepted as it was says its edges were right. Counted by the kind of the
token an edge would take in (or give up), these become edits: *extend the end over
a colon of a CUE*, *shrink the start of a SOURCE past a determiner*. An edit is kept
when it was made at least MIN_SUPPORT times and at least twice as often as the
edge was left where the pipeline put it with such a token beside it.

`propose --model DIR` applies the kept edits to the pipeline's pending proposals;
nothing a reviewer decided is touched.
"""

from collections import Counter
from collections.abc import Callable, Iterable

# An edit: (label, "start" | "end", "extend" | "shrink", token kind).
Edit = tuple[str, str, str, str]
Span = tuple[int, int, str]
Offsets = list[tuple[int, int]]

MIN_SUPPORT = 3
# An edit must have been made at least this many times as often as it was not.
MAJORITY = 2.0
# Tokens an edge may move by, in all.
MAX_STEPS = 4

_QUOTE_MARKS = frozenset("\"“”«»‘’'`")
_DASHES = frozenset("-–—―")
_BRACKETS = frozenset("()[]{}")
_DETERMINERS = frozenset(
    "a an the this these those some any each every another such no all both".split()
)
_PREPOSITIONS = frozenset(
    "about above across after against along among around at before behind below beside "
    "between beyond by during for from in inside into near of off on onto over per "
    "through to toward towards under until upon via with within without".split()
)
_AUXILIARIES = frozenset(
    "am is are was were be been being has have had having do does did will would shall "
    "should can could may might must 's ’s 've ’ve 'd ’d 'll ’ll 're ’re".split()
)
_ADVERBS = frozenset(
    "also just now then still even only first later again already never not n't n’t "
    "once soon too yet".split()
)
_PRONOUNS = frozenset("i you he she it we they me him her us them one".split())
_POSSESSIVES = frozenset("my your his her its our their".split())


def token_kind(word: str) -> str:
    """The kind of a token that an edit names: punctuation by its mark, function
    words by their class, other words by their shape."""
    lower = word.lower()
    if word in _QUOTE_MARKS:
        return "quote"
    if word == ":":
        return "colon"
    if word == ";":
        return "semicolon"
    if word == ",":
        return "comma"
    if word in (".", "!", "?", "…", "..."):
        return "stop"
    if word in _DASHES:
        return "dash"
    if word in _BRACKETS:
        return "bracket"
    if not any(c.isalnum() for c in word):
        return "punct"
    if lower == "that":
        return "that"
    if lower in _DETERMINERS:
        return "determiner"
    if lower in _POSSESSIVES:
        return "possessive"
    if lower in _PRONOUNS:
        return "pronoun"
    if lower in _PREPOSITIONS:
        return "preposition"
    if lower in _AUXILIARIES:
        return "auxiliary"
    if lower in _ADVERBS or (lower.endswith("ly") and len(lower) > 4):
        return "adverb"
    if word[0].isdigit():
        return "number"
    if word[0].isupper():
        return "capitalised"
    return "word"


def _index(offsets: Offsets, start: int, end: int) -> tuple[int, int] | None:
    """The token range [i, j) of a span whose edges fall on token edges, else None."""
    i = next((n for n, (a, _) in enumerate(offsets) if a == start), None)
    j = next((n + 1 for n, (_, b) in enumerate(offsets) if b == end), None)
    if i is None or j is None or j <= i:
        return None
    return i, j


def _fix_of(span: Span, accepted: set[Span], proposed: set[Span]) -> Span | None:
    """What the reviewers made of a pipeline span: itself when accepted, else the
    accepted span of its label that overlaps it most and was not proposed as is."""
    if span in accepted:
        return span
    start, end, label = span
    overlapping = [
        y for y in accepted if y[2] == label and y not in proposed and y[0] < end and start < y[1]
    ]
    if not overlapping:
        return None
    return max(overlapping, key=lambda y: (min(end, y[1]) - max(start, y[0]), -y[0]))


def tally(
    sentences: Iterable[tuple[str, Iterable[Span], Iterable[Span]]],
    tokens: Callable[[str], Offsets],
) -> tuple[Counter, Counter]:
    """From (text, accepted spans, the pipeline's spans) of reviewed sentences: how
    often each edit was made, and how often an edge stayed where an edit could
    have moved it."""
    made: Counter = Counter()
    not_made: Counter = Counter()
    for text, accepted, proposed in sentences:
        accepted, proposed = set(accepted), set(proposed)
        offsets = None
        for span in proposed:
            fixed = _fix_of(span, accepted, proposed)
            if fixed is None:
                continue  # rejected outright: says nothing about its edges
            offsets = offsets if offsets is not None else tokens(text)
            here, there = _index(offsets, span[0], span[1]), _index(offsets, fixed[0], fixed[1])
            if here is None or there is None:
                continue
            label = span[2]
            words = [text[a:b] for a, b in offsets]
            for count in (_count_start, _count_end):
                seen, missed = Counter(), Counter()
                count(label, words, here, there, seen, missed)
                # one fix is one piece of evidence, however many tokens it moved
                made.update(set(seen))
                not_made.update(set(missed))
    return made, not_made


def _count_start(label, words, here, there, made, not_made) -> None:
    i, j = here[0], there[0]
    if j < i:  # extended: each token taken in, then the one it stopped before
        for k in range(i - 1, j - 1, -1):
            made[(label, "start", "extend", token_kind(words[k]))] += 1
        if j > 0:
            not_made[(label, "start", "extend", token_kind(words[j - 1]))] += 1
        not_made[(label, "start", "shrink", token_kind(words[i]))] += 1
    elif j > i:
        for k in range(i, j):
            made[(label, "start", "shrink", token_kind(words[k]))] += 1
        not_made[(label, "start", "shrink", token_kind(words[j]))] += 1
        if i > 0:
            not_made[(label, "start", "extend", token_kind(words[i - 1]))] += 1
    else:
        if i > 0:
            not_made[(label, "start", "extend", token_kind(words[i - 1]))] += 1
        if here[1] - i > 1:
            not_made[(label, "start", "shrink", token_kind(words[i]))] += 1


def _count_end(label, words, here, there, made, not_made) -> None:
    i, j = here[1], there[1]  # exclusive token ends
    if j > i:
        for k in range(i, j):
            made[(label, "end", "extend", token_kind(words[k]))] += 1
        if j < len(words):
            not_made[(label, "end", "extend", token_kind(words[j]))] += 1
        not_made[(label, "end", "shrink", token_kind(words[i - 1]))] += 1
    elif j < i:
        for k in range(i - 1, j - 1, -1):
            made[(label, "end", "shrink", token_kind(words[k]))] += 1
        not_made[(label, "end", "shrink", token_kind(words[j - 1]))] += 1
        if i < len(words):
            not_made[(label, "end", "extend", token_kind(words[i]))] += 1
    else:
        if i < len(words):
            not_made[(label, "end", "extend", token_kind(words[i]))] += 1
        if i - here[0] > 1:
            not_made[(label, "end", "shrink", token_kind(words[i - 1]))] += 1


def learn(made: Counter, not_made: Counter) -> list[dict]:
    """The edits made often enough, and clearly more often than not, with their
    counts, most made first."""
    kept = [
        {"label": e[0], "edge": e[1], "op": e[2], "kind": e[3], "made": n, "not_made": not_made[e]}
        for e, n in made.items()
        if n >= MIN_SUPPORT and n >= MAJORITY * not_made[e]
    ]
    return sorted(kept, key=lambda d: (-d["made"], d["label"], d["edge"], d["op"], d["kind"]))


def as_edits(rows: Iterable[dict] | None) -> frozenset[Edit]:
    """meta.json's list of edits as a set; anything malformed is left out."""
    edits = set()
    for row in rows or ():
        if isinstance(row, dict):
            edit = tuple(row.get(k) for k in ("label", "edge", "op", "kind"))
            if all(isinstance(v, str) for v in edit):
                edits.add(edit)
    return frozenset(edits)


def edit_span(span: Span, offsets: Offsets, words: list[str], edits: frozenset[Edit]) -> Span:
    """The span with the edits applied, an edge a token at a time (at most MAX_STEPS
    tokens each); the span itself when its edges are not token edges or nothing
    applies."""
    start, end, label = span
    at = _index(offsets, start, end)
    if at is None:
        return span
    i, j = at
    for _ in range(MAX_STEPS):
        if i > 0 and (label, "start", "extend", token_kind(words[i - 1])) in edits:
            i -= 1
        elif j - i > 1 and (label, "start", "shrink", token_kind(words[i])) in edits:
            i += 1
        else:
            break
    for _ in range(MAX_STEPS):
        if j < len(words) and (label, "end", "extend", token_kind(words[j])) in edits:
            j += 1
        elif j - i > 1 and (label, "end", "shrink", token_kind(words[j - 1])) in edits:
            j -= 1
        else:
            break
    return (offsets[i][0], offsets[j - 1][1], label)


def edit_spans(
    text: str, spans: Iterable[Span], edits: frozenset[Edit], tokens: Callable[[str], Offsets]
) -> dict[Span, Span]:
    """For each span an edit moves, its new offsets. A move that would make it
    overlap another span of its label it did not overlap, or repeat one, is not made."""
    spans = list(spans)
    labels = {e[0] for e in edits}
    if not any(s[2] in labels for s in spans):
        return {}
    offsets = tokens(text)
    words = [text[a:b] for a, b in offsets]
    moved: dict[Span, Span] = {}
    for span in spans:
        if span[2] not in labels:
            continue
        new = edit_span(span, offsets, words, edits)
        if new == span:
            continue
        others = [s for s in spans if s != span and s[2] == span[2]]
        if any(
            s == new
            or (s[0] < new[1] and new[0] < s[1] and not (s[0] < span[1] and span[0] < s[1]))
            for s in others
        ):
            continue
        if new in moved.values():
            continue
        moved[span] = new
    return moved
